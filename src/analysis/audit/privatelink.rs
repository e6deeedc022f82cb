//! PrivateLink ways into a cache (semantics L1–L5, methods M8 and M9): who reaches a cache
//! through a VPC endpoint whose provider side leads to the cache's nodes.
//!
//! * A **resource endpoint** whose resource configuration's resource is a node of the cache:
//!   an `ipResource` that is a node's address, or a `dnsResource` that names one of the
//!   cache's endpoints (L5, [`crate::model::cache_name`]). The source asks the endpoint on the
//!   cache's own ports (the resource endpoint keeps the port).
//! * An **interface endpoint** to an endpoint service whose Network Load Balancer has a
//!   listener forwarding to a target group that registers a node of the cache (by address or
//!   interface) on one of the cache's ports. The source asks the endpoint on the listener's
//!   port; the cache port reached is the target's.
//!
//! Each way in ("door") is walked by the engine like a direct path — forward and return, every
//! filter on the way — from every outside source and from every sender class the endpoint's
//! security groups may admit, counting only the requests delivered to the cache's nodes. The
//! entries carry `via` (kind `privatelink`, the endpoint as relay) and the way itself
//! ([`PrivateLinkWay`]). Endpoints whose way cannot be followed with the snapshot's data (a
//! DNS name in the ElastiCache domain that matches no cache, a load balancer or target address
//! that is not in the snapshot) are findings, never silently left out.

use super::caches::{Admission, CacheTarget};
use super::direct::{aggregate, passing_ports, ClassReach, Outside};
use crate::catalogue::Code;
use crate::engine::resolve::DeliverAt;
use crate::engine::sets::{SenderClass, SetAnswer, SetSource};
use crate::engine::{Assumption, Engine, Verdict, Warning};
use crate::findings::audit::AuditFinding;
use crate::findings::audit_report::{PrivateLinkWay, ReachedBy, Via};
use crate::model::*;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::net::IpAddr;

/// One way into a cache through a VPC endpoint.
#[derive(Clone, Debug)]
pub struct Door {
    /// The endpoint's `Name` tag.
    pub name: Option<String>,
    /// The endpoint's security groups (which sender classes are worth a walk).
    pub groups: Vec<Ref<SecurityGroupIdx>>,
    /// The ports asked at the endpoint, one walk each (`6379`, `6379-6380`).
    pub ask: Vec<String>,
    /// The listener port (endpoint services).
    pub listen: Option<u16>,
    /// The cache ports the targets listen on (endpoint services); `None`: the ports that pass.
    pub cache_ports: Option<String>,
    /// The endpoint's interfaces and the cache's node interfaces the way leads to: only
    /// requests through the former delivered to the latter count.
    pub deliver: DeliverAt,
    pub way: PrivateLinkWay,
}

/// The node interfaces of a cache with their addresses.
pub fn cache_nodes(t: &Topology, c: &CacheTarget) -> Vec<(EniIdx, IpAddr)> {
    let of_cluster = |cc: &CacheCluster| -> Vec<(EniIdx, IpAddr)> {
        cc.nodes
            .iter()
            .filter_map(|n| Some((n.network_interface?, n.address?)))
            .collect()
    };
    match c.kind {
        "replication-group" => t
            .replication_groups
            .iter()
            .filter(|r| r.id == c.id)
            .flat_map(|r| r.members.iter().filter_map(|m| m.idx))
            .flat_map(|m| of_cluster(&t.cache_clusters[m.i()]))
            .collect(),
        "cache-cluster" => t
            .cache_clusters
            .iter()
            .filter(|x| x.id == c.id && x.replication_group.is_none())
            .flat_map(of_cluster)
            .collect(),
        _ => t
            .serverless_caches
            .iter()
            .filter(|s| s.name == c.id)
            .flat_map(|s| s.network_interfaces.iter())
            .filter_map(|e| Some((*e, t.network_interfaces[e.i()].private_addresses().next()?)))
            .collect(),
    }
}

/// Contiguous runs of ports as `ask_set` port words (`6379`, `6379-6380`).
fn runs(ports: &[u16]) -> Vec<String> {
    let mut p: Vec<u16> = ports.to_vec();
    p.sort();
    p.dedup();
    let mut out: Vec<(u16, u16)> = Vec::new();
    for x in p {
        match out.last_mut() {
            Some((_, hi)) if hi.checked_add(1) == Some(x) => *hi = x,
            _ => out.push((x, x)),
        }
    }
    out.into_iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect()
}

fn deliver(ep: &VpcEndpoint, nodes: Vec<EniIdx>) -> DeliverAt {
    DeliverAt {
        endpoints: ep.network_interfaces.iter().filter_map(|r| r.idx).collect(),
        at: nodes,
    }
}

fn way(kind: &str, ep: &VpcEndpoint, label: String, endpoint_ports: String) -> PrivateLinkWay {
    PrivateLinkWay {
        kind: kind.to_string(),
        endpoint: ep.id.clone(),
        label,
        resource_configuration: None,
        resource_gateway: None,
        endpoint_service: None,
        load_balancer: None,
        endpoint_ports,
        resolves: String::new(),
        notes: Vec::new(),
    }
}

/// The cache node(s) each resource configuration's DNS name stands for (L5), resolved once
/// per audit rather than once per cache and endpoint.
pub type ResourceNames = std::collections::HashMap<ResourceConfigurationIdx, NamedNodes>;

/// [`ResourceNames`] of the snapshot.
pub fn resource_names(t: &Topology) -> ResourceNames {
    t.resource_configurations
        .iter()
        .enumerate()
        .filter_map(|(i, rc)| match &rc.resource {
            Resource::Dns(name) => Some((ResourceConfigurationIdx(i as u32), cache_name(t, name)?)),
            _ => None,
        })
        .collect()
}

/// Every way into cache `c` through an active endpoint of the snapshot.
pub fn doors(t: &Topology, c: &CacheTarget, names: &ResourceNames) -> Vec<Door> {
    let nodes = cache_nodes(t, c);
    if nodes.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for ep in t.vpc_endpoints.iter().filter(|e| e.active) {
        if let Some(rc) = ep.resource_configuration.as_ref().and_then(|r| r.idx) {
            let named = names.get(&rc);
            let rc = &t.resource_configurations[rc.i()];
            out.extend(resource_door(c, &nodes, ep, rc, named));
        }
        if let Some(svc) = ep.endpoint_service {
            out.extend(service_doors(t, c, &nodes, ep, svc));
        }
    }
    out
}

fn resource_door(
    c: &CacheTarget,
    nodes: &[(EniIdx, IpAddr)],
    ep: &VpcEndpoint,
    rc: &ResourceConfiguration,
    named: Option<&NamedNodes>,
) -> Option<Door> {
    let (hit, resolves, note): (Vec<EniIdx>, String, Option<String>) = match &rc.resource {
        Resource::Ip(a) => {
            let hit: Vec<EniIdx> = nodes.iter().filter(|n| n.1 == *a).map(|n| n.0).collect();
            (
                hit,
                format!("ipResource {a}, a node address of {}", c.id),
                None,
            )
        }
        Resource::Dns(name) => {
            let n = named.filter(|n| n.cache == c.id)?;
            let hit: Vec<EniIdx> = n.nodes.iter().map(|x| x.0).collect();
            let note = n.assumption.as_ref().map(|a| {
                format!(
                    "{}: {} names {name}, the {} of {}: {} ({a})",
                    Code::RESOURCE_CACHE_ENDPOINT,
                    rc.id,
                    n.kind,
                    n.cache,
                    n.stands_for
                )
            });
            let r = format!(
                "dnsResource {name}: the {} of {}, {}",
                n.kind, n.cache, n.stands_for
            );
            (hit, r, note)
        }
        _ => return None,
    };
    if hit.is_empty() {
        return None;
    }
    let label = format!("{}/{}", rc.id, rc.gateway.id);
    let mut w = way("resource", ep, label, runs(&c.ports).join(", "));
    w.resource_configuration = Some(rc.id.clone());
    w.resource_gateway = Some(rc.gateway.id.clone());
    w.resolves = resolves;
    w.notes.extend(note);
    Some(Door {
        name: ep.name.clone(),
        groups: ep.groups.clone(),
        ask: runs(&c.ports),
        listen: None,
        cache_ports: None,
        deliver: deliver(ep, hit),
        way: w,
    })
}

fn service_doors(
    t: &Topology,
    c: &CacheTarget,
    nodes: &[(EniIdx, IpAddr)],
    ep: &VpcEndpoint,
    svc: EndpointServiceIdx,
) -> Vec<Door> {
    let s = &t.endpoint_services[svc.i()];
    let mut out = Vec::new();
    for l in s.load_balancers.iter().filter_map(|r| r.idx) {
        let lb = &t.load_balancers[l.i()];
        for li in &lb.listeners {
            let listener = &t.listeners[li.i()];
            let Some(port) = listener.port else { continue };
            let mut hit: Vec<EniIdx> = Vec::new();
            let mut ports: Vec<u16> = Vec::new();
            let mut groups: Vec<&str> = Vec::new();
            for g in listener.target_groups.iter().filter_map(|g| g.idx) {
                let tg = &t.target_groups[g.i()];
                for x in &tg.targets {
                    let Some(p) = x.port.or(tg.port).filter(|p| c.ports.contains(p)) else {
                        continue;
                    };
                    let node = nodes
                        .iter()
                        .find(|(e, a)| x.address == Some(*a) || x.network_interface == Some(*e));
                    if let Some((e, _)) = node {
                        hit.push(*e);
                        ports.push(p);
                        if !groups.contains(&tg.name.as_str()) {
                            groups.push(&tg.name);
                        }
                    }
                }
            }
            if hit.is_empty() {
                continue;
            }
            hit.sort();
            hit.dedup();
            let label = format!("{}/{}", s.id, lb.name);
            let mut w = way("endpoint-service", ep, label, port.to_string());
            w.endpoint_service = Some(s.id.clone());
            w.load_balancer = Some(lb.name.clone());
            let names: Vec<String> = hit
                .iter()
                .map(|e| t.network_interfaces[e.i()].id.clone())
                .collect();
            w.resolves = format!(
                "listener {} {port} → target group {} → {} on port {}",
                listener.protocol,
                groups.join(", "),
                names.join(", "),
                runs(&ports).join(", ")
            );
            out.push(Door {
                name: ep.name.clone(),
                groups: ep.groups.clone(),
                ask: vec![port.to_string()],
                listen: Some(port),
                cache_ports: Some(runs(&ports).join(", ")),
                deliver: deliver(ep, hit),
                way: w,
            });
        }
    }
    out
}

/// What the walks of a door noted about the PrivateLink way (unhealthy targets, zones, the
/// node(s) a name stands for), as `CODE: text`.
fn way_notes(a: &SetAnswer, into: &mut BTreeSet<String>) {
    for w in &a.answer.warnings {
        if matches!(w, Warning::PrivateLink { .. }) {
            into.insert(w.to_string());
        }
    }
    for x in &a.answer.assumptions {
        if matches!(x, Assumption::ResourceNameResolved { .. }) {
            into.insert(x.to_string());
        }
    }
}

/// The entries of one door: outside sources, then sender classes aggregated by security
/// group and subnet.
fn door_entries(
    t: &Topology,
    engine: &Engine<'_>,
    d: &Door,
    classes: &[SenderClass],
    outside: &[Outside],
) -> Vec<ReachedBy> {
    let ask = |from: SetSource<'_>, label: &str| -> Vec<SetAnswer> {
        d.ask
            .iter()
            .filter_map(|p| {
                engine
                    .ask_set_at(
                        from,
                        label,
                        &d.way.endpoint,
                        "tcp",
                        Some(p),
                        Some(&d.deliver),
                    )
                    .ok()
            })
            .filter(|a| a.answer.verdict != Verdict::Unreachable)
            .collect()
    };
    let mut notes: BTreeSet<String> = d.way.notes.iter().cloned().collect();
    let mut out: Vec<ReachedBy> = Vec::new();
    for o in outside {
        let answers = ask(o.set(), &o.name);
        if answers.is_empty() {
            continue;
        }
        answers.iter().for_each(|a| way_notes(a, &mut notes));
        let all = answers
            .iter()
            .all(|a| a.answer.verdict == Verdict::Reachable);
        let ports: Vec<String> = answers.iter().map(passing_ports).collect();
        out.push(ReachedBy {
            source: o.name.clone(),
            kind: o.kind(),
            name: None,
            via: None,
            verdict: if all && answers.len() == d.ask.len() {
                Verdict::Reachable
            } else {
                Verdict::Partial
            },
            ports: d.cache_ports.clone().unwrap_or_else(|| ports.join(", ")),
            enis: None,
            privatelink: None,
        });
    }
    let admission = Admission::of_groups(t, &d.groups);
    let walks: Vec<(ClassReach, Vec<SetAnswer>)> = classes
        .par_iter()
        .enumerate()
        .filter(|(_, c)| admission.may_admit(t, c))
        .filter_map(|(i, c)| {
            let label = c.label(t);
            let answers = ask(SetSource::Class(c), &label);
            if answers.is_empty() {
                return None;
            }
            // A member reaches when it completes on some asked port; complete when every
            // member completes on every asked port.
            let reaching: Vec<EniIdx> = c
                .members
                .iter()
                .copied()
                .filter(|e| {
                    let eni = &t.network_interfaces[e.i()];
                    answers
                        .iter()
                        .any(|a| eni.private_addresses().any(|x| a.senders.contains(x)))
                })
                .collect();
            let complete = answers.len() == d.ask.len()
                && answers
                    .iter()
                    .all(|a| a.answer.verdict == Verdict::Reachable)
                && reaching.len() == c.members.len();
            let ports: Vec<String> = answers.iter().map(passing_ports).collect();
            let r = ClassReach {
                class: i,
                reaching,
                complete,
                ports: d.cache_ports.clone().unwrap_or_else(|| ports.join(", ")),
            };
            Some((r, answers))
        })
        .collect();
    for (_, answers) in &walks {
        answers.iter().for_each(|a| way_notes(a, &mut notes));
    }
    let reach: Vec<ClassReach> = walks.into_iter().map(|(r, _)| r).collect();
    out.extend(aggregate(t, classes, &reach));
    let mut w = d.way.clone();
    w.notes = notes.into_iter().collect();
    for e in &mut out {
        e.via = Some(Via {
            relay: d.way.endpoint.clone(),
            relay_name: d.name.clone(),
            relay_kind: "privatelink".into(),
            listen: d.listen,
        });
        e.privatelink = Some(w.clone());
    }
    out
}

/// Who reaches cache `c` through PrivateLink: one entry per (door, source).
pub fn entries(
    t: &Topology,
    engine: &Engine<'_>,
    c: &CacheTarget,
    (classes, outside): (&[SenderClass], &[Outside]),
    names: &ResourceNames,
) -> Vec<ReachedBy> {
    doors(t, c, names)
        .iter()
        .flat_map(|d| door_entries(t, engine, d, classes, outside))
        .collect()
}

/// Endpoints whose PrivateLink way may lead to a cache but cannot be followed with the
/// snapshot's data: a DNS resource in the ElastiCache domain that names no cache of the
/// snapshot (`RESOURCE_DNS_UNRESOLVED`), an endpoint service whose load balancer, or a target
/// of it whose address, is not in the snapshot (`SNAPSHOT_INCOMPLETE`).
pub fn unknown_ways(t: &Topology) -> Vec<AuditFinding> {
    let mut out = Vec::new();
    for ep in t.vpc_endpoints.iter().filter(|e| e.active) {
        if let Some(rc) = ep.resource_configuration.as_ref().and_then(|r| r.idx) {
            let rc = &t.resource_configurations[rc.i()];
            if let Resource::Dns(name) = &rc.resource {
                let domain = name
                    .trim_end_matches('.')
                    .to_ascii_lowercase()
                    .ends_with(".cache.amazonaws.com");
                if domain && cache_name(t, name).is_none() {
                    out.push(
                        AuditFinding::new(
                            Code::RESOURCE_DNS_UNRESOLVED,
                            &ep.id,
                            format!(
                                "resource endpoint {} leads through {} to {name}, an ElastiCache endpoint that names no cache of the snapshot: who reaches that cache through it is unknown",
                                ep.id, rc.id
                            ),
                        )
                        .named(ep.name.clone())
                        .with_fix(Code::RESOURCE_DNS_UNRESOLVED.doc().fix),
                    );
                }
            }
        }
        let Some(svc) = ep.endpoint_service else {
            continue;
        };
        let s = &t.endpoint_services[svc.i()];
        let mut missing: Vec<String> = s
            .load_balancers
            .iter()
            .filter(|r| r.idx.is_none())
            .map(|r| format!("load balancer {} is not in the snapshot", r.id))
            .collect();
        for l in s.load_balancers.iter().filter_map(|r| r.idx) {
            for li in &t.load_balancers[l.i()].listeners {
                for g in t.listeners[li.i()]
                    .target_groups
                    .iter()
                    .filter_map(|g| g.idx)
                {
                    let tg = &t.target_groups[g.i()];
                    for x in tg.targets.iter().filter(|x| x.address.is_none()) {
                        let m = format!(
                            "the address of target {} of {} is not in the snapshot",
                            x.id, tg.name
                        );
                        if !missing.contains(&m) {
                            missing.push(m);
                        }
                    }
                }
            }
        }
        if !missing.is_empty() {
            out.push(
                AuditFinding::new(
                    Code::SNAPSHOT_INCOMPLETE,
                    &ep.id,
                    format!(
                        "interface endpoint {} to {}: {}, so whether it leads to a cache is unknown",
                        ep.id,
                        s.id,
                        missing.join("; ")
                    ),
                )
                .named(ep.name.clone())
                .with_fix("Collect the endpoint service's load balancer and its target groups (elbv2 describe-load-balancers, describe-target-groups, describe-target-health), then re-run the audit"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn contiguous_ports_form_one_run() {
        assert_eq!(runs(&[6380, 6379]), vec!["6379-6380"]);
        assert_eq!(runs(&[11211, 6379]), vec!["6379", "11211"]);
        assert_eq!(runs(&[6379, 6379]), vec!["6379"]);
    }
}
