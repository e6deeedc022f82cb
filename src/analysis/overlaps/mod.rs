//! Overlapping VPC CIDR blocks and what they break (§5.3 P3, §5.4 T4, §8).
//!
//! Every associated block of every VPC (v4 and v6, all accounts and regions) is compared by a
//! sort-and-sweep: blocks are sorted by (family, first address, last address descending), and
//! because two CIDR blocks are always nested or disjoint, the blocks still open at a given
//! address form a chain of nested blocks kept on a stack. Each new block overlaps exactly the
//! blocks on the stack, so the whole pass costs O(n log n + pairs) instead of all pairs.
//!
//! Blocks held by several VPCs (every default VPC has 172.31.0.0/16) would make the pairs
//! quadratic: the sweep runs over the distinct blocks instead, and `shared` turns each block held
//! by two or more VPCs into one finding, listing one by one only the pairs a TGW route table or
//! a peering links (their impact differs from the rest, which is latent).
//!
//! Each listed pair gets its impact: TGW propagation suppressed (from
//! [`crate::model::tgw_routes`]: both VPCs propagate into one route table and the later
//! attachment's block is not installed), peering impossible (an active peering between them:
//! inconsistent snapshot), or latent. Remedies are concrete: free blocks come from a pool
//! (default RFC 1918 space) minus every block in use anywhere in the snapshot. The plan proposes
//! same-size replacement blocks and, per region, the largest set of VPCs that can share one TGW.
//!
//! The analysis is split by concern: `blocks` (the sweep), `pool` (free blocks and the
//! allocator), `caches` (cache services as clients see them), `context` (indexes shared by the
//! steps), `impact` (what an overlap breaks), `mismatch` (computed vs observed TGW routes),
//! `remedy` (ways out), `privatelink` (pairs served by PrivateLink), `shared_tgw` (VPC sets
//! that can share one TGW) and `what_if` (a
//! prospective attachment), `shared` (blocks held by several VPCs).

mod blocks;
mod caches;
mod context;
mod impact;
mod mismatch;
mod pool;
mod privatelink;
mod remedy;
mod shared;
mod shared_tgw;
mod what_if;

pub use blocks::{overlapping_pairs, vpc_blocks, vpc_overlaps, Block};
pub use pool::{permitted_secondary, rfc1918, used_blocks, Allocator};

use crate::findings::overlaps::*;
use crate::model::*;
use context::Context;
use ipnet::IpNet;
use std::collections::{BTreeMap, HashSet};

/// What to answer besides the overlaps.
#[derive(Clone, Debug, Default)]
pub struct OverlapOptions {
    /// Produce the renumbering plan and shared-TGW sets.
    pub plan: bool,
    /// Free-block pool; `None` = RFC 1918 space.
    pub pool: Option<Vec<IpNet>>,
    /// `(vpc id, tgw id)` for `--what-if-attach`.
    pub what_if: Option<(String, String)>,
}

/// Run the whole analysis. `Err` carries a usage problem (unknown VPC or TGW for what-if).
pub fn analyze(
    t: &Topology,
    snapshot: &str,
    opts: &OverlapOptions,
) -> Result<OverlapReport, String> {
    let ctx = Context::new(t);
    let blocks = vpc_blocks(t);
    let nets = shared::Nets::new(t, &blocks);
    let pairs = ctx.listed_pairs(&blocks, &nets);
    let (mut shared_blocks, folded) = ctx.shared_blocks(&blocks, &nets, &pairs);
    let pool = opts.pool.clone().unwrap_or_else(rfc1918);
    let mut alloc = Allocator::new(&pool, &used_blocks(t));
    let mut warnings: Vec<String> = Vec::new();
    for tr in &ctx.tables {
        warnings.extend(tr.warnings.iter().cloned());
    }
    warnings.extend(ctx.unknown_propagation_warnings(&blocks));

    // Listed overlaps with their impact.
    let mut overlaps: Vec<Overlap> = pairs
        .iter()
        .map(|&(i, j)| ctx.overlap(&blocks[i], &blocks[j]))
        .collect();
    // PrivateLink services that serve each listed pair (O6).
    let mut served = privatelink::Served::new(t);
    for (o, &(i, j)) in overlaps.iter_mut().zip(&pairs) {
        served.annotate(o, blocks[i].vpc, blocks[j].vpc);
    }

    // Remedies: suppressed blocks first (renumbering, then private NAT), then the others, so
    // the best free blocks go to today's problems and proposals match the plan.
    let mut renumbering: Vec<Renumbering> = Vec::new();
    let mut seen_renumber = HashSet::new();
    for o in &overlaps {
        for imp in o
            .impact
            .iter()
            .filter(|i| i.kind == ImpactKind::TgwPropagationSuppressed)
        {
            if let (Some(v), Some(c)) = (&imp.shadowed, imp.suppressed_cidr) {
                if seen_renumber.insert((v.clone(), c)) {
                    renumbering.push(ctx.renumbering(&mut alloc, v, c));
                }
            }
        }
    }
    for o in overlaps.iter_mut() {
        o.remedies = ctx.remedies(o, &mut alloc, &mut served);
    }

    let mismatches = ctx.mismatches();
    let plan = if opts.plan {
        Some(Plan {
            pool: pool.clone(),
            renumbering,
            shared_tgw_sets: ctx.shared_sets(&blocks, &nets),
        })
    } else {
        None
    };
    let what_if = match &opts.what_if {
        Some((vpc, tgw)) => Some(ctx.what_if(vpc, tgw)?),
        None => None,
    };

    let mut vpcs = BTreeMap::new();
    let mut name = |id: &str| {
        if let Some(v) = ctx.vpc_by_id(id) {
            vpcs.entry(id.to_string()).or_insert_with(|| ctx.info(v));
        }
    };
    for o in &overlaps {
        name(&o.a);
        name(&o.b);
    }
    for g in &shared_blocks {
        for id in g
            .vpcs
            .iter()
            .chain(g.overlapping.iter().flat_map(|o| &o.vpcs))
        {
            name(id);
        }
    }
    if let Some(w) = &what_if {
        name(&w.vpc);
        for tb in &w.tables {
            for s in &tb.suppressed {
                name(&s.winner);
            }
        }
    }
    let count = |k: ImpactKind| {
        overlaps
            .iter()
            .filter(|o| o.impact.iter().any(|i| i.kind == k))
            .count()
    };
    let summary = OverlapSummary {
        vpc_blocks: blocks.len(),
        overlaps: overlaps.len() + folded,
        listed_overlaps: overlaps.len(),
        shared_blocks: shared_blocks.len(),
        tgw_propagation_suppressed: count(ImpactKind::TgwPropagationSuppressed),
        peering_impossible: count(ImpactKind::PeeringImpossible),
        latent: count(ImpactKind::Latent) + folded,
        tgw_route_mismatches: mismatches.len(),
    };
    warnings.dedup();
    // Load problems first: an overlap report on a snapshot that did not fully load may miss
    // VPCs, attachments or routes.
    let mut load: Vec<String> = t
        .completeness
        .files
        .iter()
        .map(|f| format!("SNAPSHOT_INCOMPLETE: {}", f.describe()))
        .collect();
    load.extend(t.missing_data.iter().map(|m| {
        format!(
            "SNAPSHOT_INCOMPLETE: {} failed for {}/{} ({}); {} may be missing",
            m.operation,
            m.account,
            m.region,
            m.error,
            m.what()
        )
    }));
    load.extend(not_exported_warnings(t, &mut overlaps, &mut shared_blocks));
    load.extend(warnings);
    let warnings = load;
    Ok(OverlapReport {
        format_version: OVERLAPS_FORMAT,
        snapshot: snapshot.to_string(),
        summary,
        overlaps,
        shared_blocks,
        tgw_route_mismatches: mismatches,
        plan,
        what_if,
        vpcs,
        warnings,
        incomplete: t.completeness.files.clone(),
        not_exported: t.completeness.links_not_exported.clone(),
    })
}

/// The folders whose export lacks kinds an overlap's impact rests on (SNAPSHOT_KIND_NOT_EXPORTED,
/// one warning each), and per such folder holding VPCs of the reported overlaps, a
/// `SNAPSHOT_INCOMPLETE` warning: their peering and TGW impact is unknown, never "latent"
/// silently, so `--fail-on` does not pass on it (as for unknown TGW propagations, T10).
fn not_exported_warnings(
    t: &Topology,
    overlaps: &mut [Overlap],
    shared: &mut [SharedBlock],
) -> Vec<String> {
    let mut out = Vec::new();
    for k in &t.completeness.links_not_exported {
        out.push(format!(
            "SNAPSHOT_KIND_NOT_EXPORTED: {} holds subnets but no {} at all (not exported, not even an empty list): peering and transit gateway impacts of its VPCs are unknown, not none",
            k.scope,
            k.kinds.join(", ")
        ));
        let in_scope = |id: &String| {
            t.ids.all(Kind::Vpc, id).iter().any(|&(_, i)| {
                let sc = &t.scopes[t.vpcs[i as usize].scope.0 as usize];
                format!("{}/{}", sc.account, sc.region) == k.scope
            })
        };
        // A latent verdict there rests on "no TGW, no peering": say it is unknown.
        let unknown = format!(
            " (unknown: {} exported no {}, SNAPSHOT_KIND_NOT_EXPORTED)",
            k.scope,
            k.kinds.join(", ")
        );
        let mut vpcs: Vec<String> = Vec::new();
        for o in overlaps.iter_mut() {
            if in_scope(&o.a) || in_scope(&o.b) {
                vpcs.extend(
                    [o.a.clone(), o.b.clone()]
                        .into_iter()
                        .filter(|v| in_scope(v)),
                );
                for imp in o.impact.iter_mut().filter(|i| i.kind == ImpactKind::Latent) {
                    imp.explanation.push_str(&unknown);
                }
            }
        }
        for g in shared.iter_mut() {
            let held: Vec<String> = g.vpcs.iter().filter(|v| in_scope(v)).cloned().collect();
            if !held.is_empty() {
                vpcs.extend(held);
                g.explanation.push_str(&unknown);
            }
        }
        vpcs.sort();
        vpcs.dedup();
        if !vpcs.is_empty() {
            let ids: Vec<&str> = vpcs.iter().map(|v| v.as_str()).collect();
            out.push(format!(
                "SNAPSHOT_INCOMPLETE: the impact of the overlaps of {} rests on {} of {}, which were not exported (SNAPSHOT_KIND_NOT_EXPORTED): unknown, not latent",
                ids.join(", "),
                k.kinds.join(", "),
                k.scope
            ));
        }
    }
    out
}
