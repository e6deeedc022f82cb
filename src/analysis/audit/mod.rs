//! `audit`: who reaches each cache (semantics M1–M3), computed on sets with the engine.
//!
//! Per cache: one set walk from `internet` and one from each named range (direct), one per
//! sender class its groups may admit (aggregated by security group and subnet), and through
//! relays: declared ones (`vpcreach.toml`), whose two legs are walked separately, and
//! discovered ones (undeclared running instances with a public address that an outside source
//! reaches on some TCP port and that reach the cache port: `RELAY_EXPOSURE`). Then SSM
//! readiness of the hosts that could open Session Manager port forwarding, and the findings.
//! Sources that reach a cache through PrivateLink (a resource endpoint or an endpoint service
//! leading to its nodes) are listed with `via` kind `privatelink` ([`privatelink`]).
//! Caches and classes are walked in parallel (rayon); the engine is shared.

pub mod caches;
pub mod direct;
pub mod privatelink;
pub mod proxy;
mod relay_nacls;
pub mod relays;
pub mod ssm;

use crate::catalogue::Code;
use crate::config::{NamedSource, Relay, RelayKind};
use crate::engine::sets::{sender_classes, SetAnswer};
use crate::engine::{Engine, Verdict};
use crate::findings::audit::AuditFinding;
use crate::findings::audit_report::*;
use crate::model::*;
use crate::net::AddrSet;
use caches::CacheTarget;
use direct::{aggregate, class_reach, outside_entry, Outside};
use rayon::prelude::*;
use relays::*;
use std::collections::BTreeSet;

/// What an audit is asked about.
#[derive(Clone, Debug, Default)]
pub struct AuditInput {
    /// The snapshot's name, as printed.
    pub snapshot: String,
    /// The configuration file read, if any.
    pub config: Option<String>,
    /// Named outside ranges, each with where it came from (`config`, `--source`).
    pub ranges: Vec<(NamedSource, String)>,
    /// Declared relays.
    pub relays: Vec<Relay>,
}

/// What every audit takes for granted.
const ASSUMPTIONS: [&str; 5] = [
    "interfaces are grouped into classes (same subnet, security groups, state and ephemeral range) walked once each; NAT gateway, transit gateway attachment, interface endpoint, load balancer, resource gateway and cache interfaces send nothing of their own",
    "outside sources (internet, named ranges) enter through internet gateways, as in reach",
    "a declared relay forwards what it accepts to its target (its software configuration is not in the snapshot)",
    "discovered relays: running instances with a public address that an outside source reaches on some TCP port and that reach a cache port; whether software on them forwards is not in the snapshot",
    "Session Manager port forwarding can be started from anywhere by whoever holds the IAM rights (IAM is out of scope); it is reported as reached from internet",
];

/// Run the audit.
pub fn audit(t: &Topology, engine: &Engine<'_>, input: &AuditInput) -> AuditReport {
    let caches = caches::caches(t);
    let classes = sender_classes(t);
    let outside = outside_sources(input);
    let names = privatelink::resource_names(t);
    // Direct reach, per cache in parallel (each cache's classes in parallel too).
    let per_cache: Vec<(Vec<ReachedBy>, Vec<direct::ClassReach>)> = caches
        .par_iter()
        .map(|c| {
            let mut by: Vec<ReachedBy> = outside
                .iter()
                .filter_map(|o| outside_entry(engine, c, o).map(|(e, _)| e))
                .collect();
            let reach = class_reach(t, engine, c, &classes);
            by.extend(aggregate(t, &classes, &reach));
            // Through PrivateLink: resource endpoints and endpoint services that lead to its
            // nodes (L1–L5).
            by.extend(privatelink::entries(
                t,
                engine,
                c,
                (&classes, &outside),
                &names,
            ));
            (by, reach)
        })
        .collect();
    let mut reached_by: Vec<Vec<ReachedBy>> = per_cache.into_iter().map(|(b, _)| b).collect();
    let mut findings: Vec<AuditFinding> = Vec::new();
    let mut relay_list: Vec<RelayAudit> = Vec::new();
    let hosts: Vec<Host> = input
        .relays
        .iter()
        .map(|r| resolve_host(t, &r.host))
        .collect();
    let ssm_relays: Vec<String> = input
        .relays
        .iter()
        .zip(&hosts)
        .filter(|(r, h)| r.kind == RelayKind::SsmPortForward && h.instance.is_some())
        .map(|(_, h)| h.id.clone())
        .collect();
    let ssm = ssm::entries(t, engine, &ssm_relays);
    let ranges: AddrSet = input.ranges.iter().fold(AddrSet::empty(), |acc, (s, _)| {
        acc.union(&AddrSet::from_nets(s.blocks.iter()))
    });
    // Declared relays.
    let mut declared_instances: BTreeSet<String> = BTreeSet::new();
    for (r, host) in input.relays.iter().zip(&hosts) {
        if host.instance.is_some() {
            declared_instances.insert(host.id.clone());
        }
        let ready = ssm.iter().find(|e| e.relay && e.instance == host.id);
        let (mut entry, by, f) = declared(engine, r, host, ready, &caches, &outside, &ranges);
        entry.egress = proxy::egress(t, engine, r, host);
        if let Some(e) = &entry.egress {
            if e.verdict == Verdict::Unreachable {
                entry.notes.push(format!(
                    "its second leg does not reach {} on TCP {} (forward and return)",
                    e.to, e.port
                ));
            } else if e.clients.is_empty() {
                entry.notes.push(format!(
                    "no interface of the snapshot reaches it on TCP {} (directly or through an interface endpoint)",
                    r.listen.unwrap_or(proxy::DEFAULT_LISTEN)
                ));
            }
        }
        for (i, e) in by {
            reached_by[i].push(e);
        }
        findings.extend(f);
        relay_list.push(entry);
    }
    // Discovered relays.
    let found = discover(t, engine, &caches, &outside, &declared_instances);
    for (entry, by, f) in found {
        for (i, e) in by {
            reached_by[i].push(e);
        }
        findings.extend(f);
        relay_list.push(entry);
    }
    // Per-cache findings (analysis::cache_checks): TLS/AUTH of relay-reachable caches, world-open
    // groups, default group, NACL replies, shadowed NACL rules, public subnets.
    let per_cache: Vec<Vec<AuditFinding>> = caches
        .par_iter()
        .map(|c| {
            let relayed_by: Vec<String> = relay_list
                .iter()
                .filter(|r| r.reaches.contains(&c.id) && !r.reached_from.is_empty())
                .map(|r| r.host.clone())
                .collect();
            crate::analysis::cache_checks::cache_findings(t, engine, &c.id, &relayed_by)
        })
        .collect();
    findings.extend(per_cache.into_iter().flatten());
    // Dead NACL entries in front of the relays (declared or discovered).
    findings.extend(relay_nacls::check(t, &relay_list));
    // PrivateLink ways the snapshot cannot follow (a name or load balancer it lacks).
    findings.extend(privatelink::unknown_ways(t));
    // Completeness.
    let mut incomplete: Vec<String> = t.completeness.files.iter().map(|f| f.describe()).collect();
    incomplete.extend(crate::model::unknown_subnet_data(t));
    incomplete.extend(t.missing_data.iter().map(|m| {
        format!(
            "{} failed for {}/{} ({}): {}",
            m.operation,
            m.account,
            m.region,
            m.what(),
            m.error
        )
    }));
    for why in &incomplete {
        findings.push(AuditFinding::new(
            Code::SNAPSHOT_INCOMPLETE,
            "snapshot",
            format!("{why}: caches, sources or paths may be missing from this audit"),
        ).with_fix("Collect the snapshot again (vpcreach collect) or fix the file, then re-run the audit"));
    }
    findings.sort();
    findings.dedup();
    let caches = caches
        .into_iter()
        .zip(reached_by)
        .map(|(c, mut by)| {
            by.sort_by(|a, b| {
                (a.via.is_some(), a.kind, &a.source).cmp(&(b.via.is_some(), b.kind, &b.source))
            });
            by.dedup();
            CacheAudit {
                unknown: caches::nodes_unknown(t, &c),
                vpc: c.vpc.map(|v| t.vpcs[v.i()].id.clone()),
                cache: c.id,
                kind: c.kind.to_string(),
                engine: c.engine,
                ports: c.ports,
                transit_encryption: c.transit_encryption,
                auth: c.auth,
                reached_by: by,
            }
        })
        .collect();
    AuditReport {
        format_version: AUDIT_FORMAT,
        snapshot: input.snapshot.clone(),
        config: input.config.clone(),
        sources: input
            .ranges
            .iter()
            .map(|(s, from)| NamedRange {
                name: s.name.clone(),
                blocks: s.blocks.iter().map(|b| b.to_string()).collect(),
                from: from.clone(),
            })
            .collect(),
        caches,
        relays: relay_list,
        ssm,
        findings,
        incomplete,
        assumptions: ASSUMPTIONS.iter().map(|s| s.to_string()).collect(),
    }
}

/// The outside sources of an audit: `internet`, then each named range.
fn outside_sources(input: &AuditInput) -> Vec<Outside> {
    let mut outside = vec![Outside {
        name: "internet".into(),
        blocks: Vec::new(),
    }];
    outside.extend(input.ranges.iter().map(|(s, _)| Outside {
        name: s.name.clone(),
        blocks: s.blocks.clone(),
    }));
    outside
}

/// The relays an audit would discover, alone (no direct reach, no SSM readiness, no
/// findings): what `check` needs for expectations that count any way and select no rule.
/// Instances of declared relays are not discovered again.
pub fn discovered_relays(t: &Topology, engine: &Engine<'_>, input: &AuditInput) -> Vec<RelayAudit> {
    let caches = caches::caches(t);
    let declared: BTreeSet<String> = input
        .relays
        .iter()
        .map(|r| resolve_host(t, &r.host))
        .filter(|h| h.instance.is_some())
        .map(|h| h.id)
        .collect();
    discover(t, engine, &caches, &outside_sources(input), &declared)
        .into_iter()
        .map(|(entry, _, _)| entry)
        .collect()
}

/// Every running instance with a public address, not a declared relay, that an outside source
/// reaches on some TCP port and that reaches a cache port (in parallel).
fn discover(
    t: &Topology,
    engine: &Engine<'_>,
    caches: &[CacheTarget],
    outside: &[Outside],
    declared: &BTreeSet<String>,
) -> Vec<Discovered> {
    let candidates: Vec<&Instance> = t
        .instances
        .iter()
        .filter(|i| i.active && !declared.contains(&i.id))
        .filter(|i| {
            i.network_interfaces.iter().any(|e| {
                let eni = &t.network_interfaces[e.i()];
                eni.public_ips().next().is_some() || !eni.ipv6_addresses.is_empty()
            })
        })
        .collect();
    let admissions: Vec<caches::Admission> =
        caches.iter().map(|c| caches::Admission::of(t, c)).collect();
    candidates
        .par_iter()
        .filter_map(|i| discovered(t, engine, i, caches, &admissions, outside))
        .collect()
}

type Declared = (RelayAudit, Vec<(usize, ReachedBy)>, Vec<AuditFinding>);

/// One declared relay: its entry, the reached_by entries it adds (by cache index) and its
/// findings. Leg 1 is walked once per outside source (per cache for a nat-instance, whose
/// leg 1 is on the cache's ports); leg 2 once per cache.
fn declared(
    engine: &Engine<'_>,
    r: &Relay,
    host: &Host,
    ready: Option<&SsmEntry>,
    caches: &[CacheTarget],
    outside: &[Outside],
    ranges: &AddrSet,
) -> Declared {
    let mut entry = relay_audit(host, r.kind.as_str(), true);
    entry.listen = r.listen.map(|p| p.to_string());
    let mut by = Vec::new();
    let mut findings = Vec::new();
    if host.instance.is_none() {
        entry
            .notes
            .push(format!("{} names no instance in the snapshot", r.host));
    }
    let ssm_ready = r.kind == RelayKind::SsmPortForward && ready.is_some_and(|s| s.ready);
    if r.kind == RelayKind::SsmPortForward {
        for g in ready.map(|s| s.missing.as_slice()).unwrap_or_default() {
            findings.push(
                AuditFinding::new(g.code, &host.id, g.detail.clone())
                    .named(host.name.clone())
                    .with_fix(g.code.doc().fix),
            );
        }
        if ssm_ready {
            entry.reached_from.push("internet".into());
        }
    }
    // Leg 1 on the listen port, for the kinds that have one.
    let fixed: Vec<Option<SetAnswer>> = match r.kind {
        RelayKind::TcpProxy | RelayKind::SshBastion | RelayKind::HttpProxy => {
            let port = r.listen.map(|p| p.to_string());
            outside
                .iter()
                .map(|o| first_leg(engine, o, &host.id, port.as_deref()))
                .collect()
        }
        _ => Vec::new(),
    };
    for (o, a) in outside.iter().zip(&fixed) {
        if a.is_some() {
            entry.reached_from.push(o.name.clone());
        }
    }
    for (ci, c) in caches.iter().enumerate() {
        let leg2 = second_leg(engine, Some(r), &host.id, c);
        let legs1: Vec<Option<SetAnswer>> = match r.kind {
            RelayKind::NatInstance => {
                let port = listen_port(r, c);
                outside
                    .iter()
                    .map(|o| first_leg(engine, o, &host.id, port.as_deref()))
                    .collect()
            }
            _ => fixed.clone(),
        };
        if r.kind == RelayKind::NatInstance {
            for (o, a) in outside.iter().zip(&legs1) {
                if a.is_some() && !entry.reached_from.contains(&o.name) {
                    entry.reached_from.push(o.name.clone());
                }
            }
        }
        let Some((v2, ports)) = leg2 else {
            continue;
        };
        entry.reaches.push(c.id.clone());
        if r.kind == RelayKind::SsmPortForward {
            if ssm_ready {
                let e = via_entry(&outside[0], host, r.kind.as_str(), None, v2, ports);
                by.push((ci, e));
            }
            continue;
        }
        let port = listen_port(r, c);
        let listen = port.as_deref().and_then(|p| p.parse().ok());
        for (o, a1) in outside.iter().zip(&legs1) {
            let Some(a1) = a1 else { continue };
            let v = both(a1.answer.verdict, v2);
            let e = via_entry(o, host, r.kind.as_str(), listen, v, ports.clone());
            by.push((ci, e));
            // Exposure: public addresses outside every named range complete leg 1.
            let beyond = a1.senders.difference(ranges);
            if o.blocks.is_empty() && !beyond.is_empty() {
                findings.push(
                    AuditFinding::new(
                        Code::RELAY_EXPOSURE,
                        &host.id,
                        format!(
                            "declared {} {} accepts TCP {} from public addresses outside every named source ({}; admitted by {}) and reaches {} on TCP {ports}",
                            r.kind,
                            label(host),
                            passing_ports_of(a1),
                            short(&beyond),
                            admitting_rules(a1).join("; "),
                            c.id
                        ),
                    )
                    .named(host.name.clone())
                    .for_cache(&c.id)
                    .with_fix(format!(
                        "Narrow the ingress rules of {} on TCP {} to the named source ranges (e.g. the office's), or put it behind a VPN",
                        host.id,
                        port.as_deref().unwrap_or("its listen port")
                    )),
                );
            }
        }
    }
    if entry.reached_from.is_empty() && r.kind != RelayKind::HttpProxy {
        entry.notes.push(match r.kind {
            RelayKind::SsmPortForward => {
                "not SSM-ready: Session Manager cannot open sessions through it".to_string()
            }
            _ => format!(
                "no outside source completes its first leg (TCP {})",
                r.listen
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "cache ports".into())
            ),
        });
    }
    if entry.reaches.is_empty() && r.kind != RelayKind::HttpProxy {
        // A cache whose nodes did not load cannot be reached by anything in the model: say
        // that its second leg is unknown, not that it reaches nothing.
        let unknown: Vec<&str> = caches
            .iter()
            .filter(|c| caches::nodes_unknown(engine.topology(), c).is_some())
            .map(|c| c.id.as_str())
            .collect();
        entry.notes.push(if unknown.is_empty() {
            "its second leg reaches no cache port (forward and return)".into()
        } else {
            format!(
                "its second leg reaches no cache port of the caches that loaded; to {} it is unknown (SNAPSHOT_INCOMPLETE: their nodes did not load)",
                unknown.join(", ")
            )
        });
    }
    (entry, by, findings)
}

fn passing_ports_of(a: &crate::engine::sets::SetAnswer) -> String {
    direct::passing_ports(a)
}

type Discovered = (RelayAudit, Vec<(usize, ReachedBy)>, Vec<AuditFinding>);

/// An undeclared instance as a relay: `None` unless an outside source reaches it on some TCP
/// port and it reaches some cache port.
fn discovered(
    t: &Topology,
    engine: &Engine<'_>,
    i: &Instance,
    caches: &[CacheTarget],
    admissions: &[caches::Admission],
    outside: &[Outside],
) -> Option<Discovered> {
    // Only caches whose groups may admit one of its interfaces are worth a leg 2.
    let reachable: Vec<usize> = (0..caches.len())
        .filter(|&c| admissions[c].may_admit_instance(t, i))
        .collect();
    if reachable.is_empty() {
        return None;
    }
    let host = resolve_host(t, &i.id);
    // Every TCP port first; then, when the open ports form one range, that range alone, so
    // that the verdict says whether every address of the source reaches them.
    let legs1: Vec<(&Outside, SetAnswer)> = outside
        .iter()
        .filter_map(|o| {
            let all = first_leg(engine, o, &i.id, None)?;
            let open = direct::passing_ports(&all);
            let narrowed = (!open.contains([',', ' ']))
                .then(|| first_leg(engine, o, &i.id, Some(open.as_str())))
                .flatten();
            Some((o, narrowed.unwrap_or(all)))
        })
        .collect();
    if legs1.is_empty() {
        return None;
    }
    let mut entry = relay_audit(&host, "discovered", false);
    entry.reached_from = legs1.iter().map(|(o, _)| o.name.clone()).collect();
    entry.listen = Some(direct::passing_ports(&legs1[0].1));
    let mut by = Vec::new();
    let mut findings = Vec::new();
    for ci in reachable {
        let c = &caches[ci];
        let Some((v2, ports)) = second_leg(engine, None, &i.id, c) else {
            continue;
        };
        entry.reaches.push(c.id.clone());
        for (o, a1) in &legs1 {
            let listen = direct::passing_ports(a1).parse().ok();
            let v = if v2 == Verdict::Reachable && a1.answer.verdict == Verdict::Reachable {
                Verdict::Reachable
            } else {
                Verdict::Partial
            };
            by.push((
                ci,
                via_entry(o, &host, "discovered", listen, v, ports.clone()),
            ));
        }
        let (o, a1) = &legs1[0];
        findings.push(discovered_finding(&host, o, a1, c, &ports));
    }
    if entry.reaches.is_empty() {
        return None;
    }
    Some((entry, by, findings))
}
