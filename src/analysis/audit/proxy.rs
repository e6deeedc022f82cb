//! Egress proxy relays (`http-proxy`, semantics M10): who reaches the internet (or the proxy's
//! `forward` target) through a Squid-like proxy.
//!
//! * Leg 1, client → proxy on its `listen` port (3128 by default): directly to the instance,
//!   or over PrivateLink: to an interface endpoint of an endpoint service whose Network Load
//!   Balancer has a listener forwarding to a target group that registers the proxy on `listen`
//!   (the client then asks the endpoint on the listener's port; [`front_doors`]).
//! * Leg 2, proxy → `forward` (`internet` in the audit when not given) on the relay's `port`
//!   (443 in the audit when not given), through the proxy's own routes, NACLs and groups.
//!
//! Both legs are engine questions (forward and return). The audit walks every sender class
//! (but the proxy's own and load balancers' interfaces, which forward rather than originate)
//! once per way in (direct, each front door) and aggregates the classes that complete leg 1
//! by VPC and subnet.

use super::relays::Host;
use crate::config::{Relay, RelayKind};
use crate::engine::sets::{sender_classes, SenderClass, SetAnswer, SetSource};
use crate::engine::{Engine, Question, Verdict};
use crate::findings::audit_report::{EniCount, ProxyClient, ProxyEgress};
use crate::model::*;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The port an `http-proxy` listens on when `listen` is not given.
pub const DEFAULT_LISTEN: u16 = 3128;
/// The port the audit asks leg 2 on when the relay names none (HTTPS through `CONNECT`).
pub const DEFAULT_EGRESS_PORT: u16 = 443;

/// An interface endpoint through which a client reaches the proxy over PrivateLink.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontDoor {
    /// The interface endpoint's id (`vpce-…`).
    pub endpoint: String,
    /// The VPC of the endpoint.
    pub vpc: Option<VpcIdx>,
    /// The listener port a client asks the endpoint on.
    pub port: u16,
}

/// Whether target `x` of a target group on `tg_port` is `inst` on `listen`.
fn targets(x: &Target, tg_port: Option<u16>, inst: &Instance, listen: u16) -> bool {
    let same = x.id == inst.id
        || (x.address.is_some() && x.address == inst.private_ip.map(IpAddr::V4))
        || x.network_interface
            .is_some_and(|e| inst.network_interfaces.contains(&e));
    same && x.port.or(tg_port) == Some(listen)
}

/// The interface endpoints (active, of an endpoint service in the snapshot) whose Network Load
/// Balancer forwards some listener port to `inst` on `listen`: one entry per endpoint and
/// listener port.
pub fn front_doors(t: &Topology, inst: &Instance, listen: u16) -> Vec<FrontDoor> {
    let mut out = Vec::new();
    for ep in t.vpc_endpoints.iter().filter(|e| e.active) {
        let Some(svc) = ep.endpoint_service else {
            continue;
        };
        for lb in t.endpoint_services[svc.i()]
            .load_balancers
            .iter()
            .filter_map(|r| r.idx)
        {
            for l in &t.load_balancers[lb.i()].listeners {
                let l = &t.listeners[l.i()];
                let Some(port) = l.port else { continue };
                let hit = l.target_groups.iter().filter_map(|g| g.idx).any(|g| {
                    let tg = &t.target_groups[g.i()];
                    tg.targets.iter().any(|x| targets(x, tg.port, inst, listen))
                });
                let door = FrontDoor {
                    endpoint: ep.id.clone(),
                    vpc: ep.vpc.idx,
                    port,
                };
                if hit && !out.contains(&door) {
                    out.push(door);
                }
            }
        }
    }
    out
}

/// Where leg 2 goes and on which port, for the audit: `forward` (else `internet`) on `port`
/// (else 443).
pub fn egress_target(r: &Relay) -> (String, u16) {
    (
        r.forward.clone().unwrap_or_else(|| "internet".into()),
        r.port.unwrap_or(DEFAULT_EGRESS_PORT),
    )
}

/// One way in for a class: the target asked and how it is reported.
struct WayIn {
    target: String,
    port: u16,
    through: String,
    vpc: Option<VpcIdx>,
}

/// The audit's egress section of an `http-proxy` relay: leg 2 once, leg 1 per sender class and
/// way in (direct; each front door, for the classes of the endpoint's VPC), aggregated by
/// subnet. `None` for other kinds or a host that names no instance.
pub fn egress(t: &Topology, engine: &Engine<'_>, r: &Relay, host: &Host) -> Option<ProxyEgress> {
    if r.kind != RelayKind::HttpProxy {
        return None;
    }
    let inst = &t.instances[host.instance?.i()];
    let listen = r.listen.unwrap_or(DEFAULT_LISTEN);
    let (to, port) = egress_target(r);
    let leg2 = engine
        .ask(&Question::tcp(&inst.id, &to, Some(&port.to_string())))
        .map(|a| a.verdict)
        .unwrap_or(Verdict::Unreachable);
    let mut ways = vec![WayIn {
        target: inst.id.clone(),
        port: listen,
        through: "direct".into(),
        vpc: None,
    }];
    ways.extend(front_doors(t, inst, listen).into_iter().map(|d| WayIn {
        target: d.endpoint.clone(),
        port: d.port,
        through: d.endpoint,
        vpc: d.vpc,
    }));
    let own: Vec<EniIdx> = inst.network_interfaces.clone();
    let classes: Vec<SenderClass> = sender_classes(t)
        .into_iter()
        .filter(|c| {
            !c.members.iter().any(|e| {
                own.contains(e)
                    || matches!(
                        t.network_interfaces[e.i()].owned_by,
                        EniOwner::LoadBalancer(_)
                    )
            })
        })
        .collect();
    let mut clients = Vec::new();
    if leg2 != Verdict::Unreachable {
        let walks: Vec<(usize, &WayIn, SetAnswer)> = classes
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, c)| {
                let class_vpc = t.subnets[c.subnet.i()].vpc.idx;
                ways.iter()
                    .filter(move |w| w.vpc.is_none() || w.vpc == class_vpc)
                    .filter_map(move |w| {
                        let a = engine
                            .ask_set(
                                SetSource::Class(c),
                                &format!("class {i}"),
                                &w.target,
                                "tcp",
                                Some(&w.port.to_string()),
                            )
                            .ok()?;
                        (a.answer.verdict != Verdict::Unreachable).then_some((i, w, a))
                    })
            })
            .collect();
        clients = aggregate(t, &classes, &walks, leg2);
    }
    Some(ProxyEgress {
        to,
        port: port.to_string(),
        verdict: leg2,
        clients,
    })
}

/// One entry per (subnet, way in) with a class that completes leg 1: reaching interfaces out
/// of the subnet's sending ones; reachable when every one of them completes both legs.
fn aggregate(
    t: &Topology,
    classes: &[SenderClass],
    walks: &[(usize, &WayIn, SetAnswer)],
    leg2: Verdict,
) -> Vec<ProxyClient> {
    let mut total: BTreeMap<SubnetIdx, usize> = BTreeMap::new();
    for c in classes {
        *total.entry(c.subnet).or_default() += c.members.len();
    }
    // (subnet, through) → (reaching interfaces, every walk reachable)
    let mut by: BTreeMap<(SubnetIdx, String), (usize, bool)> = BTreeMap::new();
    for (i, w, a) in walks {
        let c = &classes[*i];
        let reaching = c
            .members
            .iter()
            .filter(|e| {
                t.network_interfaces[e.i()]
                    .private_addresses()
                    .any(|x| a.senders.contains(x))
            })
            .count();
        let e = by.entry((c.subnet, w.through.clone())).or_insert((0, true));
        e.0 += reaching;
        e.1 &= a.answer.verdict == Verdict::Reachable && reaching == c.members.len();
    }
    by.into_iter()
        .filter(|(_, (n, _))| *n > 0)
        .map(|((s, through), (reaching, all))| {
            let sub = &t.subnets[s.i()];
            let total = total.get(&s).copied().unwrap_or(reaching);
            ProxyClient {
                vpc: sub.vpc.idx.map(|v| t.vpcs[v.i()].id.clone()),
                subnet: sub.id.clone(),
                name: sub.name.clone(),
                through,
                verdict: if all && reaching == total && leg2 == Verdict::Reachable {
                    Verdict::Reachable
                } else {
                    Verdict::Partial
                },
                enis: EniCount { reaching, total },
            }
        })
        .collect()
}
