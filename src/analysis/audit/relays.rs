//! Relays (semantics M1–M3): declared hosts that forward traffic, and undeclared instances an
//! outside source reaches that can reach a cache port (discovered relays, `RELAY_EXPOSURE`).
//!
//! A relay carries a source to a cache when both legs complete, forward and return:
//!
//! * leg 1, source → relay: TCP `listen` (tcp-proxy), TCP 22 or `listen` (ssh-bastion), the
//!   cache's ports (nat-instance); for ssm-port-forward, the host is SSM-ready (the session is
//!   opened by the agent from inside, through the public Systems Manager API: any source with
//!   the IAM right to start sessions, reported as `internet`);
//! * leg 2, relay → cache: TCP to `forward` on `port` (tcp-proxy, and the other kinds when they
//!   name one) when `forward` names the cache, else the cache's ports.

use super::caches::CacheTarget;
use super::direct::{passing_ports, Outside};
use crate::catalogue::Code;
use crate::config::{Relay, RelayKind};
use crate::engine::sets::SetAnswer;
use crate::engine::{ComponentKind, Engine, Question, Verdict};
use crate::findings::audit::AuditFinding;
use crate::findings::audit_report::{ReachedBy, RelayAudit, Via};
use crate::model::*;

/// A declared relay's host, resolved to an instance when it names one.
#[derive(Clone, Debug)]
pub struct Host {
    /// The instance id, else the host as declared.
    pub id: String,
    pub name: Option<String>,
    pub instance: Option<InstanceIdx>,
}

/// The instance a relay host names: `i-…`, `eni-…` (its instance), `name:TAG`.
pub fn resolve_host(t: &Topology, host: &str) -> Host {
    let h = host.trim();
    let found = t.instances.iter().position(|i| {
        i.id == h
            || h.strip_prefix("name:")
                .is_some_and(|n| i.name.as_deref() == Some(n) && i.active)
    });
    let found = found.or_else(|| {
        t.network_interfaces
            .iter()
            .find(|e| e.id == h)
            .and_then(|e| e.instance.as_ref().and_then(|r| r.idx))
            .map(|i| i.i())
    });
    match found {
        Some(i) => Host {
            id: t.instances[i].id.clone(),
            name: t.instances[i].name.clone(),
            instance: Some(InstanceIdx(i as u32)),
        },
        None => Host {
            id: h.to_string(),
            name: None,
            instance: None,
        },
    }
}

/// The SG and NACL rules that admitted the passing flows of leg 1 (for evidence).
pub fn admitting_rules(a: &SetAnswer) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in &a.answer.paths {
        for h in &p.forward {
            if !matches!(
                h.kind,
                ComponentKind::SecurityGroup | ComponentKind::NetworkAcl
            ) {
                continue;
            }
            if let Some(r) = &h.rule {
                let s = if r.starts_with(&h.component) {
                    r.clone()
                } else {
                    format!("{} {r}", h.component)
                };
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// Leg 1 from an outside source to a relay host on `port` (a number or range, or `None` for
/// every port); `None` when nothing completes.
pub fn first_leg(
    engine: &Engine<'_>,
    o: &Outside,
    host: &str,
    port: Option<&str>,
) -> Option<SetAnswer> {
    let a = engine.ask_set(o.set(), &o.name, host, "tcp", port).ok()?;
    (a.answer.verdict != Verdict::Unreachable).then_some(a)
}

/// Leg 2 from a relay to a cache: its verdict and passing ports, or `None` when the relay does
/// not forward there or nothing completes.
pub fn second_leg(
    engine: &Engine<'_>,
    relay: Option<&Relay>,
    host: &str,
    cache: &CacheTarget,
) -> Option<(Verdict, String)> {
    let (to, port) = match relay.and_then(|r| r.forward.as_deref()) {
        Some(f) if cache.named_by(f) => (f.to_string(), relay.and_then(|r| r.port)),
        Some(_) => return None,
        None => (cache.target(), None),
    };
    let q = Question::tcp(host, to, port.map(|p| p.to_string()).as_deref());
    let a = engine.ask(&q).ok()?;
    if a.verdict == Verdict::Unreachable {
        return None;
    }
    let ports = a.passing.map(|p| p.ports).unwrap_or_default();
    Some((a.verdict, ports))
}

/// The verdict of two legs in a row.
pub fn both(a: Verdict, b: Verdict) -> Verdict {
    if a == Verdict::Reachable && b == Verdict::Reachable {
        Verdict::Reachable
    } else {
        Verdict::Partial
    }
}

/// The `RELAY_EXPOSURE` finding of a discovered relay.
pub fn discovered_finding(
    host: &Host,
    o: &Outside,
    leg1: &SetAnswer,
    cache: &CacheTarget,
    cache_ports: &str,
) -> AuditFinding {
    let rules = admitting_rules(leg1);
    let evidence = if rules.is_empty() {
        String::new()
    } else {
        format!(" (admitted by {})", rules.join("; "))
    };
    AuditFinding::new(
        Code::RELAY_EXPOSURE,
        &host.id,
        format!(
            "{} reaches {} on TCP {}{evidence}, and {} reaches {} on TCP {}: a relay nobody declared in vpcreach.toml",
            o.name,
            label(host),
            passing_ports(leg1),
            host.id,
            cache.id,
            cache_ports
        ),
    )
    .named(host.name.clone())
    .for_cache(&cache.id)
    .with_fix(format!(
        "If {} is not meant to forward to {}, remove the ingress rules above (or narrow them to the ranges that need them) or its egress to the cache port; if it is, declare it as a [[relay]] in vpcreach.toml and restrict who reaches it",
        host.id, cache.id
    ))
}

/// An address set in a few words: up to three blocks, then how many in all.
pub fn short(a: &crate::net::AddrSet) -> String {
    let blocks = a.to_cidrs();
    let shown: Vec<String> = blocks.iter().take(3).map(|b| b.to_string()).collect();
    if blocks.len() > 3 {
        format!("{}, … ({} blocks)", shown.join(", "), blocks.len())
    } else {
        shown.join(", ")
    }
}

/// `id (name)` or `id`.
pub fn label(h: &Host) -> String {
    match &h.name {
        Some(n) => format!("{} ({n})", h.id),
        None => h.id.clone(),
    }
}

/// A reached_by entry through a relay.
pub fn via_entry(
    o: &Outside,
    host: &Host,
    kind: &str,
    listen: Option<u16>,
    verdict: Verdict,
    ports: String,
) -> ReachedBy {
    ReachedBy {
        source: o.name.clone(),
        kind: o.kind(),
        name: None,
        via: Some(Via {
            relay: host.id.clone(),
            relay_name: host.name.clone(),
            relay_kind: kind.to_string(),
            listen,
        }),
        verdict,
        ports,
        enis: None,
        privatelink: None,
    }
}

/// The leg-1 port of a declared relay for a cache (`None` for SSM: no inbound port).
pub fn listen_port(r: &Relay, cache: &CacheTarget) -> Option<String> {
    match r.kind {
        RelayKind::TcpProxy | RelayKind::SshBastion | RelayKind::HttpProxy => {
            r.listen.map(|p| p.to_string())
        }
        RelayKind::NatInstance => {
            let lo = cache.ports.iter().min()?;
            let hi = cache.ports.iter().max()?;
            Some(if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}-{hi}")
            })
        }
        RelayKind::SsmPortForward => None,
    }
}

/// An empty relay entry.
pub fn relay_audit(host: &Host, kind: &str, declared: bool) -> RelayAudit {
    RelayAudit {
        host: host.id.clone(),
        name: host.name.clone(),
        kind: kind.to_string(),
        declared,
        reached_from: Vec::new(),
        reaches: Vec::new(),
        listen: None,
        notes: Vec::new(),
        egress: None,
    }
}
