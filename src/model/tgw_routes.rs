//! The computed routes of every Transit Gateway route table (§5.4 T3–T5, T8).
//!
//! A TGW route table holds its static routes plus one propagated route per VPC CIDR of each
//! enabled propagation from an active VPC attachment (IPv6 blocks only with `Ipv6Support`).
//! When propagated blocks overlap, AWS installs only the first (T4): the table's propagating VPC
//! attachments are ordered by `CreationTime` (tie: attachment id, with a warning; a missing time
//! sorts last), and a block equal to or overlapping a block **already installed** by an earlier
//! attachment is not installed at all (TGW_PROPAGATION_SUPPRESSED_OVERLAP). A static route beats
//! a propagated one of the same prefix (T5). Where the snapshot has the routes AWS reported
//! (`TransitGatewayRoutes`), they are compared with the computation and every difference is
//! reported; [`TableRoutes::installed`] prefers the observed routes (T8).
//!
//! This is derived model data: the reachability engine and the overlap analysis both read it.
//!
//! Cost: O(p log p) per table for p propagated blocks (installed blocks are disjoint, so one
//! ordered-map probe finds every overlap), which keeps this cheap enough for per-query use by
//! the reachability engine.

use crate::model::*;
use ipnet::IpNet;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;

/// One route of a TGW route table, as computed (or as observed, for [`TableRoutes::observed`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveTgwRoute {
    pub destination: IpNet,
    /// The target attachment, when it is in the snapshot.
    pub attachment: Option<TgwAttachmentIdx>,
    /// The target attachment id (also for attachments outside the snapshot, or a what-if one).
    pub attachment_id: Option<String>,
    /// For VPC attachments: the VPC.
    pub vpc: Option<VpcIdx>,
    /// Static or propagated (observed routes may carry other types).
    pub kind: TgwRouteType,
    /// `State: blackhole` (T6): traffic matching it is dropped.
    pub blackhole: bool,
}

/// A VPC attachment that propagates into a table, in T4 order.
#[derive(Clone, Debug)]
pub struct Propagator {
    /// `None` for a hypothetical attachment (what-if).
    pub attachment: Option<TgwAttachmentIdx>,
    pub attachment_id: String,
    pub vpc: VpcIdx,
    pub created: Option<jiff::Timestamp>,
    /// `Ipv6Support: enable`: the VPC's IPv6 blocks propagate too (T3).
    pub ipv6: bool,
}

/// An installed propagated block that won against a later one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Winner {
    pub attachment: Option<TgwAttachmentIdx>,
    pub attachment_id: String,
    pub vpc: VpcIdx,
    pub cidr: IpNet,
}

/// A VPC block that is not propagated because it overlaps an earlier installed block (T4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    pub attachment: Option<TgwAttachmentIdx>,
    pub attachment_id: String,
    pub vpc: VpcIdx,
    pub cidr: IpNet,
    /// Every installed block it overlaps, in propagation order (earliest attachment first).
    pub winners: Vec<Winner>,
}

impl Suppressed {
    /// The earliest installed block it overlaps.
    pub fn winner(&self) -> Option<&Winner> {
        self.winners.first()
    }
}

/// How computed and observed routes differ (T8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MismatchKind {
    /// Computed, but AWS did not report it.
    NotObserved,
    /// Reported by AWS, but not computed from the snapshot.
    NotComputed,
    /// Both have the destination, with different targets or state.
    DifferentTarget,
}

/// One difference between the computed and the observed routes of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteMismatch {
    pub destination: IpNet,
    pub kind: MismatchKind,
    pub computed: Option<EffectiveTgwRoute>,
    pub observed: Option<EffectiveTgwRoute>,
}

/// The routes of one TGW route table.
#[derive(Clone, Debug)]
pub struct TableRoutes {
    pub table: TgwRouteTableIdx,
    /// Computed routes: static plus installed propagated, sorted by family, address, length.
    pub routes: Vec<EffectiveTgwRoute>,
    /// Propagated routes not installed because a static route has the same prefix (T5).
    pub overridden_by_static: Vec<EffectiveTgwRoute>,
    /// Blocks not propagated because of an overlap (T4).
    pub suppressed: Vec<Suppressed>,
    /// The VPC attachments propagating into the table, in T4 order.
    pub propagators: Vec<Propagator>,
    /// The routes AWS reported, when the snapshot has them.
    pub observed: Option<Vec<EffectiveTgwRoute>>,
    /// Computed vs observed differences (empty without observed routes).
    pub mismatches: Vec<RouteMismatch>,
    pub warnings: Vec<String>,
    /// Where the table's propagations come from (T10): recorded, inferred from the gateway's
    /// default options, or unknown.
    pub propagation_source: BindingSource,
}

impl TableRoutes {
    /// The lookups rest on propagations inferred from the gateway's default options (no
    /// observed routes to take instead, T8).
    pub fn inferred(&self) -> bool {
        self.observed.is_none() && self.propagation_source == BindingSource::InferredFromDefaults
    }

    /// The propagated routes are unknown and no observed routes replace them (T10).
    pub fn propagations_unknown(&self) -> bool {
        self.observed.is_none() && self.propagation_source == BindingSource::Unknown
    }
}

impl TableRoutes {
    /// The routes to look up in: the observed ones when present (T8), else the computed ones.
    pub fn installed(&self) -> &[EffectiveTgwRoute] {
        self.observed.as_deref().unwrap_or(&self.routes)
    }

    /// Longest-prefix match among [`Self::installed`] routes; static beats propagated on a tie.
    pub fn lookup(&self, ip: IpAddr) -> Option<&EffectiveTgwRoute> {
        self.installed()
            .iter()
            .filter(|r| r.destination.contains(&ip))
            .max_by_key(|r| (r.destination.prefix_len(), r.kind == TgwRouteType::Static))
    }
}

/// Address family index (0 = IPv4, 1 = IPv6) and the inclusive numeric range of a block.
pub fn block_range(net: &IpNet) -> (usize, u128, u128) {
    match net {
        IpNet::V4(n) => (
            0,
            u128::from(u32::from(n.network())),
            u128::from(u32::from(n.broadcast())),
        ),
        IpNet::V6(n) => (1, u128::from(n.network()), u128::from(n.broadcast())),
    }
}

/// The VPC attachments propagating into `table` (enabled propagation, active VPC attachment),
/// unordered, plus warnings for propagations that are not computed.
pub fn propagators(t: &Topology, table: TgwRouteTableIdx) -> (Vec<Propagator>, Vec<String>) {
    let mut out: Vec<Propagator> = Vec::new();
    let mut warnings = Vec::new();
    let Some(tbl) = t.transit_gateway_route_tables.get(table.i()) else {
        return (out, warnings);
    };
    for b in tbl.propagations.iter().filter(|b| b.active) {
        let Some(ai) = b.attachment.idx else {
            warnings.push(format!(
                "{}: propagation from attachment {} which is not in the snapshot is not computed",
                tbl.id, b.attachment.id
            ));
            continue;
        };
        let att = &t.transit_gateway_attachments[ai.i()];
        if !att.active || out.iter().any(|p| p.attachment == Some(ai)) {
            continue;
        }
        if att.resource_type != "vpc" {
            warnings.push(format!(
                "{}: routes propagated by {} attachment {} are not computed (they come from BGP); only observed routes show them",
                tbl.id, att.resource_type, att.id
            ));
            continue;
        }
        let Some(vpc) = att.vpc.as_ref().and_then(|v| v.idx) else {
            warnings.push(format!(
                "{}: the VPC of attachment {} is not in the snapshot: its propagated routes are unknown",
                tbl.id, att.id
            ));
            continue;
        };
        out.push(Propagator {
            attachment: Some(ai),
            attachment_id: att.id.clone(),
            vpc,
            created: att
                .creation_time
                .as_deref()
                .and_then(super::tgw::creation_instant),
            ipv6: att.ipv6_support,
        });
    }
    (out, warnings)
}

/// Sort propagators in T4 order: `CreationTime`, missing times last, ties by attachment id.
/// Returns warnings for ties and missing times.
pub fn order_propagators(props: &mut [Propagator], table_id: &str) -> Vec<String> {
    props.sort_by(|a, b| {
        (a.created.is_none(), a.created, &a.attachment_id).cmp(&(
            b.created.is_none(),
            b.created,
            &b.attachment_id,
        ))
    });
    let mut warnings = Vec::new();
    for p in props.iter().filter(|p| p.created.is_none()) {
        warnings.push(format!(
            "{table_id}: attachment {} has no CreationTime: ordered after the others (by id) for overlap suppression",
            p.attachment_id
        ));
    }
    for w in props.windows(2) {
        if w[0].created.is_some() && w[0].created == w[1].created {
            warnings.push(format!(
                "{table_id}: attachments {} and {} have the same CreationTime: ordered by id for overlap suppression",
                w[0].attachment_id, w[1].attachment_id
            ));
        }
    }
    warnings
}

/// The computed routes of one table, compared with its observed routes.
pub fn effective_routes(t: &Topology, table: TgwRouteTableIdx) -> TableRoutes {
    let (props, warnings) = propagators(t, table);
    let mut r = compute(t, table, props);
    r.warnings.splice(0..0, warnings);
    r
}

/// Every TGW route table of the snapshot, in arena order.
pub fn all_tables(t: &Topology) -> Vec<TableRoutes> {
    (0..t.transit_gateway_route_tables.len())
        .map(|i| effective_routes(t, TgwRouteTableIdx(i as u32)))
        .collect()
}

/// Compute a table from its static routes and the given propagators (ordered here). Used by
/// [`effective_routes`], and by what-if questions that add a hypothetical attachment.
pub fn compute(t: &Topology, table: TgwRouteTableIdx, mut props: Vec<Propagator>) -> TableRoutes {
    let mut out = TableRoutes {
        table,
        routes: Vec::new(),
        overridden_by_static: Vec::new(),
        suppressed: Vec::new(),
        propagators: Vec::new(),
        observed: None,
        mismatches: Vec::new(),
        warnings: Vec::new(),
        propagation_source: BindingSource::Recorded,
    };
    let Some(tbl) = t.transit_gateway_route_tables.get(table.i()) else {
        return out;
    };
    out.propagation_source = tbl.propagation_source;
    out.warnings = order_propagators(&mut props, &tbl.id);

    // Static routes.
    let mut statics: Vec<EffectiveTgwRoute> = Vec::new();
    for r in &tbl.static_routes {
        match convert(t, r) {
            Some(mut e) => {
                e.kind = TgwRouteType::Static;
                statics.push(e);
            }
            None => out.warnings.push(format!(
                "{}: static route to prefix list {} is not expanded (TGW prefix-list references are not modelled)",
                tbl.id,
                r.prefix_list.as_deref().unwrap_or("?")
            )),
        }
    }

    // Propagated routes, T4: installed blocks are disjoint, keyed by their first address.
    let mut installed: [BTreeMap<u128, (u128, usize)>; 2] = [BTreeMap::new(), BTreeMap::new()];
    let mut propagated: Vec<(EffectiveTgwRoute, usize)> = Vec::new();
    for (pi, p) in props.iter().enumerate() {
        let Some(vpc) = t.vpcs.get(p.vpc.i()) else {
            continue;
        };
        let nets = vpc.cidrs_v4.iter().map(|n| IpNet::V4(*n)).chain(
            vpc.cidrs_v6
                .iter()
                .filter(|_| p.ipv6)
                .map(|n| IpNet::V6(*n)),
        );
        for net in nets {
            let (fam, lo, hi) = block_range(&net);
            let mut winners: Vec<(usize, usize)> = Vec::new();
            for (_, &(whi, ri)) in installed[fam].range(..=hi).rev() {
                if whi < lo {
                    break;
                }
                winners.push((propagated[ri].1, ri));
            }
            if winners.is_empty() {
                installed[fam].insert(lo, (hi, propagated.len()));
                propagated.push((
                    EffectiveTgwRoute {
                        destination: net,
                        attachment: p.attachment,
                        attachment_id: Some(p.attachment_id.clone()),
                        vpc: Some(p.vpc),
                        kind: TgwRouteType::Propagated,
                        blackhole: false,
                    },
                    pi,
                ));
                continue;
            }
            if winners.iter().all(|&(wpi, _)| wpi == pi) {
                // The VPC's own blocks overlap each other: AWS forbids it; keep the first.
                out.warnings.push(format!(
                    "{}: VPC {} lists overlapping blocks; {net} ignored",
                    tbl.id, vpc.id
                ));
                continue;
            }
            winners.sort();
            out.suppressed.push(Suppressed {
                attachment: p.attachment,
                attachment_id: p.attachment_id.clone(),
                vpc: p.vpc,
                cidr: net,
                winners: winners
                    .iter()
                    .filter(|&&(wpi, _)| wpi != pi)
                    .map(|&(wpi, ri)| Winner {
                        attachment: props[wpi].attachment,
                        attachment_id: props[wpi].attachment_id.clone(),
                        vpc: props[wpi].vpc,
                        cidr: propagated[ri].0.destination,
                    })
                    .collect(),
            });
        }
    }

    // T5: a static route of the same prefix wins.
    let static_dest: HashSet<IpNet> = statics.iter().map(|r| r.destination).collect();
    let mut routes = statics;
    for (r, _) in propagated {
        if static_dest.contains(&r.destination) {
            out.overridden_by_static.push(r);
        } else {
            routes.push(r);
        }
    }
    routes.sort_by_key(route_order);
    out.routes = routes;
    out.propagators = props;

    if let Some(observed) = &tbl.observed_routes {
        let obs: Vec<EffectiveTgwRoute> = observed.iter().filter_map(|r| convert(t, r)).collect();
        out.mismatches = compare(t, &out.routes, &obs);
        if tbl.additional_routes_available {
            // A truncated listing cannot prove a route absent.
            out.mismatches
                .retain(|m| m.kind != MismatchKind::NotObserved);
            out.warnings.push(format!(
                "{}: the observed route listing is incomplete (AdditionalRoutesAvailable): computed routes missing from it are not reported",
                tbl.id
            ));
        }
        let mut obs = obs;
        obs.sort_by_key(route_order);
        out.observed = Some(obs);
    }
    let gateway = &tbl.transit_gateway.id;
    if out.inferred() {
        out.warnings.push(format!(
            "{}: propagations inferred from the TGW's default options: the snapshot has no propagation records for it, and it is the default propagation table of {gateway}, so every VPC attachment of {gateway} is assumed to propagate into it (T10)",
            tbl.id
        ));
    } else if out.propagations_unknown() {
        out.warnings.push(format!(
            "{}: the snapshot has no propagation records for it and it is not the default propagation table of {gateway}: its propagated routes are unknown (T10)",
            tbl.id
        ));
    }
    out
}

fn route_order(r: &EffectiveTgwRoute) -> (usize, u128, u8) {
    let (fam, lo, _) = block_range(&r.destination);
    (fam, lo, r.destination.prefix_len())
}

fn convert(t: &Topology, r: &TgwRoute) -> Option<EffectiveTgwRoute> {
    let destination = r.destination?;
    let first = r.attachments.first();
    let attachment = first.and_then(|a| a.idx);
    Some(EffectiveTgwRoute {
        destination,
        attachment,
        attachment_id: first.map(|a| a.id.clone()),
        vpc: attachment.and_then(|a| {
            t.transit_gateway_attachments[a.i()]
                .vpc
                .as_ref()
                .and_then(|v| v.idx)
        }),
        kind: r.route_type.clone(),
        blackhole: !r.active,
    })
}

/// True when an observed route could come from a computed source (static, or VPC propagation).
fn computable(t: &Topology, r: &EffectiveTgwRoute) -> bool {
    match r.kind {
        TgwRouteType::Static => true,
        TgwRouteType::Propagated => match r.attachment {
            Some(a) => t.transit_gateway_attachments[a.i()].resource_type == "vpc",
            None => true,
        },
        TgwRouteType::Other(_) => false,
    }
}

fn compare(
    t: &Topology,
    computed: &[EffectiveTgwRoute],
    observed: &[EffectiveTgwRoute],
) -> Vec<RouteMismatch> {
    let mut obs_by: HashMap<IpNet, &EffectiveTgwRoute> = HashMap::new();
    for r in observed {
        obs_by.entry(r.destination).or_insert(r);
    }
    let comp_by: HashMap<IpNet, &EffectiveTgwRoute> =
        computed.iter().map(|r| (r.destination, r)).collect();
    let mut out = Vec::new();
    for c in computed {
        match obs_by.get(&c.destination) {
            None => out.push(RouteMismatch {
                destination: c.destination,
                kind: MismatchKind::NotObserved,
                computed: Some(c.clone()),
                observed: None,
            }),
            Some(o) if o.attachment_id != c.attachment_id || o.blackhole != c.blackhole => out
                .push(RouteMismatch {
                    destination: c.destination,
                    kind: MismatchKind::DifferentTarget,
                    computed: Some(c.clone()),
                    observed: Some((*o).clone()),
                }),
            Some(_) => {}
        }
    }
    for o in observed {
        if !comp_by.contains_key(&o.destination) && computable(t, o) {
            out.push(RouteMismatch {
                destination: o.destination,
                kind: MismatchKind::NotComputed,
                computed: None,
                observed: Some(o.clone()),
            });
        }
    }
    out.sort_by_key(|m| {
        let (f, lo, _) = block_range(&m.destination);
        (f, lo, m.destination.prefix_len())
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_suppresses_project_b() {
        let t = crate::model::build(crate::snapshot::load_demo());
        let tables = all_tables(&t);
        assert_eq!(tables.len(), 1);
        let tr = &tables[0];
        let dests: Vec<String> = tr
            .routes
            .iter()
            .map(|r| r.destination.to_string())
            .collect();
        assert_eq!(dests, ["10.0.0.0/16", "10.20.0.0/16"]);
        assert_eq!(
            tr.routes[1].attachment_id.as_deref(),
            Some("tgw-attach-0967b1152c9f60002")
        );
        assert_eq!(tr.suppressed.len(), 1);
        let s = &tr.suppressed[0];
        assert_eq!(s.attachment_id, "tgw-attach-0967b1152c9f60003");
        assert_eq!(t.vpcs[s.vpc.i()].id, "vpc-038faba71b3a60003");
        let w = s.winner().map(|w| t.vpcs[w.vpc.i()].id.clone());
        assert_eq!(w.as_deref(), Some("vpc-038faba71b3a60002"));
        assert!(tr.mismatches.is_empty(), "{:?}", tr.mismatches);
        let hit = tr.lookup("10.20.1.20".parse().unwrap_or(IpAddr::from([0, 0, 0, 0])));
        assert_eq!(
            hit.and_then(|r| r.attachment_id.as_deref()),
            Some("tgw-attach-0967b1152c9f60002")
        );
    }

    #[test]
    fn block_ranges() {
        let n: IpNet = "10.0.0.0/8".parse().unwrap_or_default();
        assert_eq!(block_range(&n), (0, 0x0a00_0000, 0x0aff_ffff));
    }
}
