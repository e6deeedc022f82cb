//! What an overlapping pair breaks: a TGW propagation suppressed (T4), an impossible peering
//! (P3: the snapshot is inconsistent), or nothing yet (latent), with the resources of a shadowed
//! block that the rest of the TGW cannot reach.

use super::blocks::Block;
use super::caches::subnet_nets;
use super::context::{pair_key, Context};
use crate::engine::Code;
use crate::findings::overlaps::*;
use crate::model::tgw_routes;
use crate::model::*;
use ipnet::IpNet;
use std::collections::{BTreeSet, HashSet};
use std::net::IpAddr;

impl Context<'_> {
    pub(super) fn overlap(&self, a: &Block, b: &Block) -> Overlap {
        let relation = if a.net == b.net {
            Relation::Equal
        } else {
            Relation::Contains
        };
        let mut impact = Vec::new();
        for (shadow, win) in [(b, a), (a, b)] {
            let Some(list) = self.suppressed.get(&(shadow.vpc, shadow.net)) else {
                continue;
            };
            for &(ti, si) in list {
                let s = &self.tables[ti].suppressed[si];
                let Some(w) = s
                    .winners
                    .iter()
                    .find(|w| w.vpc == win.vpc && w.cidr == win.net)
                else {
                    continue;
                };
                impact.push(self.suppressed_impact(ti, s, w));
            }
        }
        let (aid, bid) = (&self.vpc(a.vpc).id, &self.vpc(b.vpc).id);
        for &p in self.peerings.get(&pair_key(aid, bid)).into_iter().flatten() {
            let pcx = &self.t.vpc_peering_connections[p.i()];
            impact.push(Impact {
                kind: ImpactKind::PeeringImpossible,
                code: None,
                peering_connection: Some(pcx.id.clone()),
                explanation: format!(
                    "peering connection {} is {} between {} and {}, whose blocks {} and {} overlap: AWS refuses to create such a peering (P3), so the snapshot is inconsistent (stale or mixed-time data?)",
                    pcx.id, pcx.status, self.label(a.vpc), self.label(b.vpc), a.net, b.net
                ),
                ..empty_impact(ImpactKind::PeeringImpossible)
            });
        }
        if impact.is_empty() {
            impact.push(Impact {
                explanation: self.latent_explanation(a, b),
                ..empty_impact(ImpactKind::Latent)
            });
        }
        let overlap = if a.net.prefix_len() >= b.net.prefix_len() {
            a.net
        } else {
            b.net
        };
        Overlap {
            a: aid.clone(),
            b: bid.clone(),
            a_cidr: a.net,
            b_cidr: b.net,
            overlap,
            relation,
            cross_account: self.account(a.vpc) != self.account(b.vpc),
            cross_region: self.region(a.vpc) != self.region(b.vpc),
            impact,
            remedies: Vec::new(),
            privatelink: Vec::new(),
        }
    }

    pub(super) fn suppressed_impact(
        &self,
        ti: usize,
        s: &tgw_routes::Suppressed,
        w: &tgw_routes::Winner,
    ) -> Impact {
        let (tgw, rtb) = self.table_ids(ti);
        let tr = &self.tables[ti];
        let still: Vec<IpNet> = tr
            .routes
            .iter()
            .chain(tr.overridden_by_static.iter())
            .filter(|r| {
                r.vpc == Some(s.vpc) && r.attachment_id.as_deref() == Some(&s.attachment_id)
            })
            .map(|r| r.destination)
            .collect();
        Impact {
            kind: ImpactKind::TgwPropagationSuppressed,
            code: Some(Code::TGW_PROPAGATION_SUPPRESSED_OVERLAP),
            transit_gateway: Some(tgw.clone()),
            route_table: Some(rtb.clone()),
            winner: Some(self.vpc(w.vpc).id.clone()),
            shadowed: Some(self.vpc(s.vpc).id.clone()),
            winner_attachment: Some(w.attachment_id.clone()),
            shadowed_attachment: Some(s.attachment_id.clone()),
            winner_creation_time: self.creation(w.attachment),
            shadowed_creation_time: self.creation(s.attachment),
            suppressed_cidr: Some(s.cidr),
            still_propagated: still,
            unreachable: self.unreachable(s.vpc, &s.cidr),
            peering_connection: None,
            explanation: format!(
                "{} and {} both propagate into {rtb} of {tgw}{}; {} ({}) was attached first, so {} of {} ({}) is not propagated (T4): traffic from the rest of the TGW to {} goes to {} instead",
                self.label(w.vpc), self.label(s.vpc),
                if tr.inferred() {
                    " (propagations inferred from the TGW's default options: the snapshot has no propagation records for the table, T10)"
                } else {
                    ""
                },
                w.attachment_id,
                self.creation(w.attachment).as_deref().unwrap_or("no CreationTime"),
                s.cidr, self.label(s.vpc), s.attachment_id, s.cidr, self.label(w.vpc)
            ),
        }
    }

    pub(super) fn latent_explanation(&self, a: &Block, b: &Block) -> String {
        let (la, lb) = (self.label(a.vpc), self.label(b.vpc));
        if self.region(a.vpc) != self.region(b.vpc) {
            return format!(
                "{la} ({}) and {lb} ({}) are in different regions: no TGW route table propagates both, but a cross-region peering between them would be refused and static routes over a TGW peering would be ambiguous",
                self.region(a.vpc), self.region(b.vpc)
            );
        }
        let ta: HashSet<usize> = self
            .propagating
            .get(&a.vpc)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let shared: Vec<usize> = self
            .propagating
            .get(&b.vpc)
            .into_iter()
            .flatten()
            .copied()
            .filter(|x| ta.contains(x))
            .collect();
        if let Some(&ti) = shared.first() {
            let (tgw, rtb) = self.table_ids(ti);
            return format!(
                "{la} and {lb} both propagate into {rtb} of {tgw}, but neither block is installed against the other ({} / {}): an IPv6 block without Ipv6Support, or both blocks already lose to an earlier VPC",
                a.net, b.net
            );
        }
        let tgws = |v: VpcIdx| -> BTreeSet<String> {
            self.attachments
                .get(&v)
                .into_iter()
                .flatten()
                .map(|x| {
                    self.t.transit_gateway_attachments[x.i()]
                        .transit_gateway
                        .id
                        .clone()
                })
                .collect()
        };
        let (ga, gb) = (tgws(a.vpc), tgws(b.vpc));
        let unknown: Vec<&str> = self
            .tables
            .iter()
            .filter(|tr| tr.propagations_unknown())
            .map(|tr| &self.t.transit_gateway_route_tables[tr.table.i()])
            .filter(|rt| ga.contains(&rt.transit_gateway.id) || gb.contains(&rt.transit_gateway.id))
            .map(|rt| rt.id.as_str())
            .collect();
        if !unknown.is_empty() {
            return format!(
                "{la} and {lb} are attached to a transit gateway whose route table(s) {} have no propagation records in the snapshot and no default propagation option: whether both propagate into one table (and the later one is suppressed, T4) is unknown (T10)",
                unknown.join(", ")
            );
        }
        if let Some(g) = ga.intersection(&gb).next() {
            let blocks = if a.net.prefix_len() == b.net.prefix_len() {
                a.net.to_string()
            } else {
                format!("{} / {}", a.net, b.net)
            };
            return format!(
                "{la} and {lb} are both attached to {g}, but not propagated into one route table ({}; {}): harmless today; propagating both into one table would suppress the later attachment's {blocks}",
                self.propagation_summary(a.vpc, g),
                self.propagation_summary(b.vpc, g)
            );
        }
        format!(
            "{la} and {lb} share no TGW route table and no peering: harmless today, but it blocks attaching both to one Transit Gateway route table (the later one would not propagate) and peering them"
        )
    }

    pub(super) fn unreachable(&self, v: VpcIdx, cidr: &IpNet) -> Vec<Unreachable> {
        let t = self.t;
        let vpc = self.vpc(v);
        let mut out = Vec::new();
        for &s in &vpc.subnets {
            let sn = &t.subnets[s.i()];
            let inside: Vec<String> = subnet_nets(sn)
                .iter()
                .filter(|n| cidr.contains(*n))
                .map(|n| n.to_string())
                .collect();
            if !inside.is_empty() {
                out.push(Unreachable {
                    kind: ResourceKind::Subnet,
                    id: sn.id.clone(),
                    name: sn.name.clone(),
                    addresses: inside,
                    endpoint: None,
                });
            }
        }
        let mut instances: Vec<Unreachable> = Vec::new();
        for inst in t
            .instances
            .iter()
            .filter(|i| i.active && i.vpc.as_ref().and_then(|r| r.idx) == Some(v))
        {
            let mut addrs: Vec<IpAddr> = inst
                .network_interfaces
                .iter()
                .flat_map(|e| t.network_interfaces[e.i()].private_addresses())
                .collect();
            if addrs.is_empty() {
                addrs.extend(inst.private_ip.map(IpAddr::V4));
            }
            let inside: Vec<String> = addrs
                .iter()
                .filter(|a| cidr.contains(*a))
                .map(|a| a.to_string())
                .collect();
            if !inside.is_empty() {
                instances.push(Unreachable {
                    kind: ResourceKind::Instance,
                    id: inst.id.clone(),
                    name: inst.name.clone(),
                    addresses: inside,
                    endpoint: None,
                });
            }
        }
        instances.sort_by(|a, b| a.id.cmp(&b.id));
        out.extend(instances);
        for c in self.caches.iter().filter(|c| c.vpc == v) {
            let inside = c.inside(t, cidr);
            if !inside.is_empty() {
                out.push(Unreachable {
                    kind: c.kind,
                    id: c.id.clone(),
                    name: None,
                    addresses: inside,
                    endpoint: c.endpoint_text(),
                });
            }
        }
        out
    }
}

fn empty_impact(kind: ImpactKind) -> Impact {
    Impact {
        kind,
        code: None,
        transit_gateway: None,
        route_table: None,
        winner: None,
        shadowed: None,
        winner_attachment: None,
        shadowed_attachment: None,
        winner_creation_time: None,
        shadowed_creation_time: None,
        suppressed_cidr: None,
        still_propagated: Vec::new(),
        unreachable: Vec::new(),
        peering_connection: None,
        explanation: String::new(),
    }
}

impl Context<'_> {
    /// T10: a TGW route table whose propagations are unknown (no records, not the default
    /// propagation table, no observed routes) while two VPCs attached to its gateway overlap:
    /// whether one of them is suppressed there is unknown, so the report is incomplete
    /// (`SNAPSHOT_INCOMPLETE`; `--fail-on` exits 1 unless `--allow-incomplete`).
    pub(super) fn unknown_propagation_warnings(&self, blocks: &[Block]) -> Vec<String> {
        let mut out = Vec::new();
        for tr in self.tables.iter().filter(|tr| tr.propagations_unknown()) {
            let rt = &self.t.transit_gateway_route_tables[tr.table.i()];
            let attached = |v: VpcIdx| {
                self.attachments.get(&v).into_iter().flatten().any(|x| {
                    self.t.transit_gateway_attachments[x.i()].transit_gateway.id
                        == rt.transit_gateway.id
                })
            };
            let mut pair: Option<(&Block, &Block)> = None;
            'outer: for (i, a) in blocks.iter().enumerate() {
                for b in &blocks[i + 1..] {
                    if a.vpc != b.vpc
                        && (a.net.contains(&b.net) || b.net.contains(&a.net))
                        && attached(a.vpc)
                        && attached(b.vpc)
                    {
                        pair = Some((a, b));
                        break 'outer;
                    }
                }
            }
            if let Some((a, b)) = pair {
                out.push(format!(
                    "SNAPSHOT_INCOMPLETE: {} of {} has no propagation records in the snapshot and is not its gateway's default propagation table, while {} {} and {} {} (both attached to {}) overlap: whether one of them is suppressed there is unknown (T10)",
                    rt.id,
                    rt.transit_gateway.id,
                    self.t.vpcs[a.vpc.i()].id,
                    a.net,
                    self.t.vpcs[b.vpc.i()].id,
                    b.net,
                    rt.transit_gateway.id
                ));
            }
        }
        out
    }
}

impl Context<'_> {
    /// Say what the data says about `v`'s propagation on gateway `g`: the tables of `g` it
    /// propagates into, or that it propagates into none (never "a different table").
    pub(super) fn propagation_summary(&self, v: VpcIdx, g: &str) -> String {
        let mut ids: Vec<String> = self
            .propagating
            .get(&v)
            .into_iter()
            .flatten()
            .map(|&ti| self.table_ids(ti))
            .filter(|(tgw, _)| tgw == g)
            .map(|(_, rtb)| rtb)
            .collect();
        ids.sort();
        ids.dedup();
        let l = self.label(v);
        if ids.is_empty() {
            format!("{l} propagates into no route table of {g}")
        } else {
            format!("{l} propagates into {}", ids.join(", "))
        }
    }
}
