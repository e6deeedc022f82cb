//! Relays of an expectation: which host `via` names, and the two legs through it (semantics
//! M1–M3 of the audit issue).
//!
//! * Leg 1, source → relay: a `tcp-proxy` accepts on `listen`, an `ssh-bastion` on `listen`
//!   (22 by default); an `ssm-port-forward` host accepts no inbound connection, so leg 1 holds
//!   when the host is SSM-ready ([`crate::analysis::ssm`]); a `nat-instance` forwards what it is
//!   sent unchanged, so leg 1 is the question's own protocol and port to the instance; an
//!   undeclared instance named by `via` is usable when the source reaches it on *some* TCP port
//!   (any port answered reachable or partial counts as reachable).
//! * Leg 2, relay → target on the expectation's port: a `tcp-proxy` forwards only to its
//!   `forward` target (and `port`, when given); a bastion or SSM host with `forward` likewise;
//!   otherwise wherever its own egress allows.
//!
//! Both legs are engine questions, so each covers the forward and the return path. The way's
//! verdict: unreachable when either leg is, reachable when both are, else partial.

use super::ask::{ask, Asked};
use crate::analysis::audit::AuditInput;
use crate::config::{Config, Expectation, Relay, RelayKind};
use crate::engine::{Engine, Verdict};
use crate::findings::audit_report::{AuditReport, RelayAudit};
use crate::findings::check::{CheckBlocker, WayResult};
use crate::model::{Instance, Topology};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

/// A relay a way goes through: a declared one, or any instance `via` names.
#[derive(Clone, Debug)]
pub struct Through<'c> {
    /// The host as written (`via`, or the relay's `host`).
    pub host: String,
    pub declared: Option<&'c Relay>,
    /// An undeclared instance the audit discovered as a relay (`relay_kind = "discovered"`).
    pub discovered: bool,
}

/// The instance a host form names: `i-…`, `eni-…` (its instance), `name:TAG` (a running
/// instance with that Name, else any), or an address it holds (private or public).
pub fn instance_of<'t>(t: &'t Topology, host: &str) -> Option<&'t Instance> {
    let host = host.trim();
    if host.starts_with("i-") {
        return t.instance_by_id(host);
    }
    if host.starts_with("eni-") {
        let eni = t.network_interfaces.iter().find(|e| e.id == host)?;
        let idx = eni.instance.as_ref()?.idx?;
        return Some(&t.instances[idx.i()]);
    }
    if let Some(tag) = host.strip_prefix("name:") {
        let named = || {
            t.instances
                .iter()
                .filter(|i| i.name.as_deref() == Some(tag))
        };
        return named().find(|i| i.active).or_else(|| named().next());
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return t.instances.iter().find(|i| {
            i.private_ip.map(IpAddr::V4) == Some(ip) || i.public_ip.map(IpAddr::V4) == Some(ip)
        });
    }
    None
}

/// The relay `via` names: a declared `[[relay]]` whose host is the same text or the same
/// instance, else any instance; `None` when it names neither.
pub fn find<'c>(t: &Topology, config: &'c Config, via: &str) -> Option<Through<'c>> {
    let target = instance_of(t, via).map(|i| i.id.as_str());
    let declared = config.relays.iter().find(|r| {
        r.host == via
            || (target.is_some() && instance_of(t, &r.host).map(|i| i.id.as_str()) == target)
    });
    match declared {
        Some(r) => Some(Through {
            host: via.to_string(),
            declared: Some(r),
            discovered: false,
        }),
        None => target.map(|_| Through {
            host: via.to_string(),
            declared: None,
            discovered: false,
        }),
    }
}

/// The relays the audit discovers (undeclared running instances with a public address that an
/// outside source reaches on some TCP port and that reach a cache port), with what the audit
/// learnt of their two legs, so that an expectation asks only about those that may carry it.
#[derive(Clone, Debug, Default)]
pub struct Discovered {
    /// The audit's discovered relays (`kind = "discovered"`).
    pub relays: Vec<RelayAudit>,
    /// The ports of every cache the audit looked at, by the audit's cache id.
    pub cache_ports: BTreeMap<String, Vec<u16>>,
}

impl Discovered {
    /// The discovered relays of an audit report.
    pub fn of_report(report: &AuditReport) -> Self {
        Discovered {
            relays: report
                .relays
                .iter()
                .filter(|r| !r.declared)
                .cloned()
                .collect(),
            cache_ports: report
                .caches
                .iter()
                .map(|c| (c.cache.clone(), c.ports.clone()))
                .collect(),
        }
    }

    /// Discovered relays computed on their own, and the audited caches' ports.
    pub fn compute(t: &Topology, engine: &Engine<'_>, input: &AuditInput) -> Self {
        Discovered {
            relays: crate::analysis::audit::discovered_relays(t, engine, input),
            cache_ports: crate::analysis::audit::caches::caches(t)
                .into_iter()
                .map(|c| (c.id, c.ports))
                .collect(),
        }
    }

    /// Whether `relay` may carry the expectation `e`: its first leg is known from the audit
    /// when `e.from` is an outside source (`internet` or a `[sources]` name: the audit lists
    /// the outside sources that reach it on some TCP port), its second leg when `e.to` is an
    /// audited cache asked on TCP on one of its ports (the audit lists the caches whose port
    /// it reaches). Anything else is asked.
    fn may_carry(&self, config: &Config, relay: &RelayAudit, e: &Expectation) -> bool {
        let outside = e.from == "internet" || config.sources.iter().any(|s| s.name == e.from);
        if outside && !relay.reached_from.contains(&e.from) {
            return false;
        }
        let to = e.to.trim().trim_start_matches("cache:");
        if let Some(ports) = self.cache_ports.get(to) {
            let on_cache_port = match e.port.as_deref() {
                None => true,
                Some(p) => p.trim().parse::<u16>().is_ok_and(|p| ports.contains(&p)),
            };
            if e.protocol.eq_ignore_ascii_case("tcp")
                && on_cache_port
                && !relay.reaches.iter().any(|c| c == to)
            {
                return false;
            }
        }
        true
    }
}

/// The relays of an expectation with neither `via` nor `direct`: every declared relay, then
/// every discovered one that may carry it ([`Discovered::may_carry`]) and is not also
/// declared.
pub fn any_way<'c>(
    t: &Topology,
    config: &'c Config,
    discovered: &Discovered,
    e: &Expectation,
) -> Vec<Through<'c>> {
    // A relay that is the expectation's own source or target is no way between them (the
    // direct question already covers it).
    let ends: BTreeSet<&str> = [e.from.as_str(), e.to.as_str()]
        .into_iter()
        .filter_map(|x| instance_of(t, x))
        .map(|i| i.id.as_str())
        .collect();
    let is_end = |host: &str| instance_of(t, host).is_some_and(|i| ends.contains(i.id.as_str()));
    let mut ways: Vec<Through<'c>> = config
        .relays
        .iter()
        .filter(|r| !is_end(&r.host))
        .map(|r| Through {
            host: r.host.clone(),
            declared: Some(r),
            discovered: false,
        })
        .collect();
    let declared: BTreeSet<&str> = config
        .relays
        .iter()
        .filter_map(|r| instance_of(t, &r.host))
        .map(|i| i.id.as_str())
        .collect();
    ways.extend(
        discovered
            .relays
            .iter()
            .filter(|r| !declared.contains(r.host.as_str()) && !is_end(&r.host))
            .filter(|r| discovered.may_carry(config, r, e))
            .map(|r| Through {
                host: r.host.clone(),
                declared: None,
                discovered: true,
            }),
    );
    ways
}

/// `forward = "demo-redis"` and `to = "cache:demo-redis"` name the same target.
fn same_target(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().trim_start_matches("cache:").to_ascii_lowercase();
    norm(a) == norm(b)
}

/// The parameters of one expectation a way is asked about.
pub struct Leg2<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub protocol: &'a str,
    pub port: Option<&'a str>,
}

/// The way through `through`, both legs: its result and (for blockers) what the legs found.
pub fn way(
    t: &Topology,
    engine: &Engine<'_>,
    config: &Config,
    through: &Through<'_>,
    q: &Leg2<'_>,
) -> Result<(WayResult, Vec<Asked>), String> {
    let label = format!("via {}", through.host);
    let host = through
        .declared
        .map(|r| r.host.as_str())
        .unwrap_or(through.host.as_str());
    let Some(inst) = instance_of(t, host) else {
        return Err(format!(
            "{label}: the relay host {host} names no instance in the snapshot"
        ));
    };
    let kind = through.declared.map(|r| r.kind);
    let leg1_label = format!("{label} leg 1");
    let mut door: Option<String> = None;
    let leg1 = match kind {
        Some(RelayKind::HttpProxy) => {
            let (a, d) = proxy_leg1(t, engine, config, through, inst, q.from, &leg1_label)?;
            door = d;
            a
        }
        Some(RelayKind::TcpProxy | RelayKind::SshBastion) => {
            let listen = through
                .declared
                .and_then(|r| r.listen)
                .unwrap_or(22)
                .to_string();
            ask(
                engine,
                config,
                q.from,
                &inst.id,
                "tcp",
                Some(listen.as_str()),
                &leg1_label,
            )?
        }
        Some(RelayKind::SsmPortForward) => {
            let r = crate::analysis::ssm::readiness(t, engine, inst);
            let blockers = if r.ready {
                Vec::new()
            } else {
                r.missing
                    .iter()
                    .map(|g| CheckBlocker {
                        code: g.code,
                        component: inst.id.clone(),
                        way: leg1_label.clone(),
                        detail: g.detail.clone(),
                    })
                    .collect()
            };
            let v = if r.ready {
                Verdict::Reachable
            } else {
                Verdict::Unreachable
            };
            Asked::decided(v, blockers)
        }
        Some(RelayKind::NatInstance) => ask(
            engine,
            config,
            q.from,
            &inst.id,
            q.protocol,
            q.port,
            &leg1_label,
        )?,
        None => {
            let mut a = ask(engine, config, q.from, &inst.id, "tcp", None, &leg1_label)?;
            if a.verdict == Verdict::Partial {
                a.verdict = Verdict::Reachable;
            }
            a
        }
    };
    let leg2_label = format!("{label} leg 2");
    let declared_port = through.declared.and_then(|r| r.port).map(|p| p.to_string());
    let refuses = through.declared.and_then(|r| {
        let fwd = r.forward.as_deref()?;
        if !same_target(fwd, q.to) {
            return Some(format!(
                "{} forwards only to {fwd}, not to {}",
                r.host, q.to
            ));
        }
        match (&declared_port, q.port) {
            (Some(p), Some(asked)) if p != asked => {
                Some(format!("{} forwards only to port {p}, not {asked}", r.host))
            }
            _ => None,
        }
    });
    let leg2 = match refuses {
        Some(why) => Asked::decided(
            Verdict::Unreachable,
            vec![CheckBlocker {
                code: crate::catalogue::Code::CHECK_EXPECTATION_VIOLATED,
                component: inst.id.clone(),
                way: leg2_label.clone(),
                detail: why,
            }],
        ),
        None => {
            let port = q.port.map(str::to_string).or(declared_port);
            ask(
                engine,
                config,
                &inst.id,
                q.to,
                q.protocol,
                port.as_deref(),
                &leg2_label,
            )?
        }
    };
    let verdict = if leg1.verdict == Verdict::Unreachable || leg2.verdict == Verdict::Unreachable {
        Verdict::Unreachable
    } else if leg1.verdict == Verdict::Reachable && leg2.verdict == Verdict::Reachable {
        Verdict::Reachable
    } else {
        Verdict::Partial
    };
    let leg1_text = match kind {
        Some(RelayKind::SsmPortForward) => format!(
            "{} SSM-ready: {}",
            inst.id,
            if leg1.verdict == Verdict::Reachable {
                "yes"
            } else {
                "no"
            }
        ),
        _ => match &door {
            Some(d) => format!("{} -> {} over {d}: {}", q.from, inst.id, leg1.verdict),
            None => format!("{} -> {}: {}", q.from, inst.id, leg1.verdict),
        },
    };
    let result = WayResult {
        kind: "relay".into(),
        relay: Some(through.host.clone()),
        relay_kind: Some(
            match kind {
                Some(k) => k.as_str(),
                None if through.discovered => "discovered",
                None => "instance",
            }
            .to_string(),
        ),
        verdict,
        legs: vec![
            leg1_text,
            format!("{} -> {}: {}", inst.id, q.to, leg2.verdict),
        ],
    };
    Ok((result, vec![leg1, leg2]))
}

/// Leg 1 of an `http-proxy` (semantics M10): TCP to its `listen` port (3128 by default),
/// directly; when that is not reachable, through each interface endpoint whose NLB forwards
/// to the proxy on that port, on the listener's port. The first reachable way wins, else the
/// best one (the blockers of every way tried when none reaches), with the endpoint used: the
/// one the traffic enters, which with overlapping CIDRs need not be the one asked.
fn proxy_leg1(
    t: &Topology,
    engine: &Engine<'_>,
    config: &Config,
    through: &Through<'_>,
    inst: &Instance,
    from: &str,
    label: &str,
) -> Result<(Asked, Option<String>), String> {
    use crate::analysis::audit::proxy::{front_doors, FrontDoor, DEFAULT_LISTEN};
    let listen = through
        .declared
        .and_then(|r| r.listen)
        .unwrap_or(DEFAULT_LISTEN);
    let port = listen.to_string();
    let direct = ask(engine, config, from, &inst.id, "tcp", Some(&port), label)?;
    if direct.verdict == Verdict::Reachable {
        return Ok((direct, None));
    }
    let mut best_way = (direct.clone(), None);
    let mut blockers = direct.blockers;
    let doors = front_doors(t, inst, listen);
    for d in &doors {
        let way = format!("{label} over {}", d.endpoint);
        let mut a = ask(
            engine,
            config,
            from,
            &d.endpoint,
            "tcp",
            Some(&d.port.to_string()),
            &way,
        )?;
        // With overlapping CIDRs, the door's address asked from the client may be another
        // VPC's endpoint (the client's own, L1): the way is the one through the endpoint the
        // traffic really enters. When that is another door on the same port, its own question
        // is that way; else the way is named after the endpoint entered.
        let entered = a.endpoints.first().cloned().unwrap_or(d.endpoint.clone());
        if entered != d.endpoint {
            if doors
                .iter()
                .any(|o| o.endpoint == entered && o.port == d.port)
            {
                continue;
            }
            let named = format!("{label} over {entered}");
            for b in a.blockers.iter_mut().filter(|b| b.way == way) {
                b.way = named.clone();
            }
        }
        let d = &FrontDoor {
            endpoint: entered,
            ..d.clone()
        };
        for b in &a.blockers {
            if !blockers
                .iter()
                .any(|x| x.code == b.code && x.component == b.component && x.detail == b.detail)
            {
                blockers.push(b.clone());
            }
        }
        if super::ask::best(best_way.0.verdict, a.verdict) != best_way.0.verdict {
            best_way = (a.clone(), Some(format!("{}:{}", d.endpoint, d.port)));
        }
        if a.verdict == Verdict::Reachable {
            return Ok((a, Some(format!("{}:{}", d.endpoint, d.port))));
        }
    }
    if best_way.0.verdict == Verdict::Unreachable {
        best_way.0.blockers = blockers;
    }
    Ok(best_way)
}
