//! Shared blocks: the VPCs that hold one identical block (every default VPC has 172.31.0.0/16)
//! overlap pairwise, so listing their pairs is quadratic. Instead the sweep runs over the
//! distinct blocks, each with the VPCs holding it; a block held by two or more VPCs becomes one
//! [`SharedBlock`] finding, and only the pairs whose impact differs are listed one by one:
//!
//! - pairs a TGW route table links (one block suppressed by the other, from the suppressed
//!   records of [`crate::model::tgw_routes`]) or an active peering joins: enumerated from those
//!   records, never from all pairs;
//! - latent pairs of two distinct blocks that no other VPC holds (the plain case, as before).
//!
//! Every other pair is latent and counted, not listed: the pairs of one shared block
//! (n(n-1)/2) and the pairs between a shared block's VPCs and the VPCs of a block nested in it or
//! holding it. Cost: O(n log n) for n blocks plus the listed pairs.

use super::blocks::{orient_and_sort, overlapping_pairs, Block};
use super::context::Context;
use crate::findings::overlaps::*;
use crate::model::*;
use ipnet::IpNet;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The distinct blocks of a snapshot and which VPC blocks are each of them.
pub(super) struct Nets {
    pub(super) nets: Vec<IpNet>,
    /// Per distinct block: the indices into the blocks (one per VPC) that are exactly it,
    /// sorted by VPC id.
    pub(super) holders: Vec<Vec<usize>>,
    /// Per block: its distinct block.
    pub(super) net_of: Vec<usize>,
    /// Pairs of distinct blocks that overlap, `(larger, smaller)` (nested: never equal).
    pub(super) nested: Vec<(usize, usize)>,
}

impl Nets {
    pub(super) fn new(t: &Topology, blocks: &[Block]) -> Self {
        let mut index: HashMap<IpNet, usize> = HashMap::new();
        let mut nets: Vec<IpNet> = Vec::new();
        let mut holders: Vec<Vec<usize>> = Vec::new();
        let mut net_of = Vec::with_capacity(blocks.len());
        for (bi, b) in blocks.iter().enumerate() {
            let k = *index.entry(b.net).or_insert_with(|| {
                nets.push(b.net);
                holders.push(Vec::new());
                nets.len() - 1
            });
            holders[k].push(bi);
            net_of.push(k);
        }
        let id = |bi: &usize| t.vpcs[blocks[*bi].vpc.i()].id.as_str();
        for h in holders.iter_mut() {
            h.sort_by(|a, b| id(a).cmp(id(b)));
            // One VPC listing a block twice is one holder.
            h.dedup_by(|a, b| id(a) == id(b));
        }
        let mut nested: Vec<(usize, usize)> = overlapping_pairs(&nets)
            .into_iter()
            .map(|(i, j)| {
                if nets[i].prefix_len() <= nets[j].prefix_len() {
                    (i, j)
                } else {
                    (j, i)
                }
            })
            .collect();
        nested.sort_unstable();
        Nets {
            nets,
            holders,
            net_of,
            nested,
        }
    }

    pub(super) fn shared(&self, k: usize) -> bool {
        self.holders[k].len() > 1
    }
}

/// Pairs of VPCs between the holders of two distinct blocks, without a VPC paired with itself
/// (`held`: every (VPC, distinct block) of the snapshot).
fn cross_pairs(
    blocks: &[Block],
    held: &HashSet<(VpcIdx, usize)>,
    a: (usize, &[usize]),
    b: (usize, &[usize]),
) -> usize {
    let (short, long) = if a.1.len() <= b.1.len() {
        (a, b)
    } else {
        (b, a)
    };
    let both = short
        .1
        .iter()
        .filter(|&&bi| held.contains(&(blocks[bi].vpc, long.0)))
        .count();
    a.1.len() * b.1.len() - both
}

impl Context<'_> {
    /// The pairs listed one by one (see the module docs), oriented and sorted like
    /// [`super::vpc_overlaps`].
    pub(super) fn listed_pairs(&self, blocks: &[Block], nets: &Nets) -> Vec<(usize, usize)> {
        let t = self.t;
        let mut by_vpc_net: HashMap<(VpcIdx, IpNet), usize> = HashMap::new();
        let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
        for (bi, b) in blocks.iter().enumerate() {
            by_vpc_net.insert((b.vpc, b.net), bi);
            by_id
                .entry(t.vpcs[b.vpc.i()].id.as_str())
                .or_default()
                .push(bi);
        }
        let mut out = Vec::new();
        // A TGW route table links them: one block suppressed, the other among its winners.
        for (&(vpc, cidr), list) in &self.suppressed {
            let Some(&shadow) = by_vpc_net.get(&(vpc, cidr)) else {
                continue;
            };
            for &(ti, si) in list {
                for w in &self.tables[ti].suppressed[si].winners {
                    if let Some(&win) = by_vpc_net.get(&(w.vpc, w.cidr)) {
                        out.push((shadow.min(win), shadow.max(win)));
                    }
                }
            }
        }
        // An active peering joins them.
        for (a, b) in self.peerings.keys() {
            let (Some(la), Some(lb)) = (by_id.get(a.as_str()), by_id.get(b.as_str())) else {
                continue;
            };
            for &i in la {
                for &j in lb {
                    let (ni, nj) = (nets.net_of[i], nets.net_of[j]);
                    let nested = |x, y| nets.nested.binary_search(&(x, y)).is_ok();
                    if ni == nj || nested(ni, nj) || nested(nj, ni) {
                        out.push((i.min(j), i.max(j)));
                    }
                }
            }
        }
        // Two blocks no other VPC holds.
        for &(l, s) in &nets.nested {
            if !nets.shared(l) && !nets.shared(s) {
                let (i, j) = (nets.holders[l][0], nets.holders[s][0]);
                out.push((i.min(j), i.max(j)));
            }
        }
        orient_and_sort(t, blocks, out)
    }

    /// One finding per shared block, and the number of latent pairs they stand for (each pair
    /// counted once, though a pair between two shared blocks is shown in both findings).
    pub(super) fn shared_blocks(
        &self,
        blocks: &[Block],
        nets: &Nets,
        listed: &[(usize, usize)],
    ) -> (Vec<SharedBlock>, usize) {
        // Listed pairs per (larger, smaller) distinct block (equal: (k, k)).
        let mut listed_in: HashMap<(usize, usize), usize> = HashMap::new();
        for &(i, j) in listed {
            let (a, b) = (nets.net_of[i], nets.net_of[j]);
            *listed_in.entry((a, b)).or_default() += 1;
        }
        let count = |k: (usize, usize)| listed_in.get(&k).copied().unwrap_or(0);
        let ids = |k: usize| -> Vec<String> {
            nets.holders[k]
                .iter()
                .map(|&bi| self.vpc(blocks[bi].vpc).id.clone())
                .collect()
        };
        let held: HashSet<(VpcIdx, usize)> = blocks
            .iter()
            .zip(&nets.net_of)
            .map(|(b, &k)| (b.vpc, k))
            .collect();
        let mut latent = 0;
        let mut overlapping: BTreeMap<usize, Vec<OverlappingBlock>> = BTreeMap::new();
        for &(l, s) in &nets.nested {
            if !nets.shared(l) && !nets.shared(s) {
                continue;
            }
            let pairs = cross_pairs(blocks, &held, (l, &nets.holders[l]), (s, &nets.holders[s]));
            let listed_pairs = count((l, s));
            latent += pairs - listed_pairs.min(pairs);
            for (k, other, relation) in [
                (l, s, BlockRelation::Contains),
                (s, l, BlockRelation::Inside),
            ] {
                if nets.shared(k) {
                    overlapping.entry(k).or_default().push(OverlappingBlock {
                        cidr: nets.nets[other],
                        relation,
                        vpcs: ids(other),
                        pairs,
                        listed_pairs,
                    });
                }
            }
        }
        let mut out = Vec::new();
        for k in (0..nets.nets.len()).filter(|&k| nets.shared(k)) {
            let members: Vec<VpcIdx> = nets.holders[k].iter().map(|&bi| blocks[bi].vpc).collect();
            let n = members.len();
            let pairs = n * (n - 1) / 2;
            let listed_pairs = count((k, k));
            latent += pairs - listed_pairs.min(pairs);
            let accounts: BTreeSet<&str> = members.iter().map(|&v| self.account(v)).collect();
            let regions: BTreeSet<&str> = members.iter().map(|&v| self.region(v)).collect();
            let default_vpcs = members.iter().filter(|&&v| self.vpc(v).is_default).count();
            let mut near = overlapping.remove(&k).unwrap_or_default();
            near.sort_by_key(|o| {
                let (f, lo, _) = crate::model::tgw_routes::block_range(&o.cidr);
                (f, lo, o.cidr.prefix_len())
            });
            let mut found = SharedBlock {
                cidr: nets.nets[k],
                vpcs: ids(k),
                accounts: accounts.iter().map(|s| s.to_string()).collect(),
                regions: regions.iter().map(|s| s.to_string()).collect(),
                default_vpcs,
                pairs,
                listed_pairs,
                overlapping: near,
                impact: ImpactKind::Latent,
                explanation: String::new(),
                notes: self.shared_notes(&members, nets.nets[k]),
                remedy: String::new(),
            };
            found.explanation = shared_explanation(&found);
            found.remedy = shared_remedy(&found);
            out.push(found);
        }
        out.sort_by_key(|g| {
            let (f, lo, _) = crate::model::tgw_routes::block_range(&g.cidr);
            (f, lo, g.cidr.prefix_len())
        });
        (out, latent)
    }

    /// One note per transit gateway that two or more of `members` are attached to: their pairs
    /// not listed in `overlaps` propagate into different route tables, or neither block is
    /// installed, or the propagations are unknown (T10).
    fn shared_notes(&self, members: &[VpcIdx], cidr: IpNet) -> Vec<String> {
        let mut by_tgw: BTreeMap<&str, Vec<VpcIdx>> = BTreeMap::new();
        for &v in members {
            let tgws: BTreeSet<&str> = self
                .attachments
                .get(&v)
                .into_iter()
                .flatten()
                .map(|a| {
                    self.t.transit_gateway_attachments[a.i()]
                        .transit_gateway
                        .id
                        .as_str()
                })
                .collect();
            for g in tgws {
                by_tgw.entry(g).or_default().push(v);
            }
        }
        let mut notes = Vec::new();
        for (g, vs) in by_tgw.into_iter().filter(|(_, vs)| vs.len() > 1) {
            let labels: Vec<String> = vs.iter().map(|&v| self.label(v)).collect();
            let unknown: Vec<&str> = self
                .tables
                .iter()
                .filter(|tr| tr.propagations_unknown())
                .map(|tr| &self.t.transit_gateway_route_tables[tr.table.i()])
                .filter(|rt| rt.transit_gateway.id == g)
                .map(|rt| rt.id.as_str())
                .collect();
            notes.push(if unknown.is_empty() {
                let each: Vec<String> =
                    vs.iter().map(|&v| self.propagation_summary(v, g)).collect();
                format!(
                    "{} are attached to {g} ({}): the pairs of them listed in overlaps lose {cidr} in a shared route table (T4); the others do not both propagate into one table, or neither block is installed (an IPv6 block without Ipv6Support, or both lose to an earlier VPC): harmless today, but propagating two of them into one table would suppress the later attachment's {cidr}",
                    labels.join(", "),
                    each.join("; ")
                )
            } else {
                format!(
                    "{} are attached to {g}, whose route table(s) {} have no propagation records in the snapshot and no default propagation option: whether two of them propagate into one table (and the later one loses {cidr}, T4) is unknown (T10)",
                    labels.join(", "),
                    unknown.join(", ")
                )
            });
        }
        notes
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The latent impact of a shared block, stated once.
fn shared_explanation(g: &SharedBlock) -> String {
    let n = g.vpcs.len();
    let defaults = match g.default_vpcs {
        0 => String::new(),
        d if d == n => ", all default VPCs".to_string(),
        d => format!(", {d} of them default VPCs"),
    };
    let nested: usize = g.overlapping.iter().map(|o| o.pairs).sum();
    let nested_listed: usize = g.overlapping.iter().map(|o| o.listed_pairs).sum();
    let nested_text = if g.overlapping.is_empty() {
        String::new()
    } else {
        format!(
            ", plus {} with the VPCs of the {} overlapping it ({} listed)",
            plural(nested, "pair", "pairs"),
            plural(g.overlapping.len(), "other block", "other blocks"),
            nested_listed
        )
    };
    let same_region = if g.regions.len() == n {
        "they are all in different regions, so no TGW route table propagates two of them (a TGW is regional), but a cross-region peering between two of them would be refused (P3)".to_string()
    } else {
        "no two of them can be peered (P3), and two in the same region cannot both propagate into one TGW route table: the later attachment's block would not be installed (T4)".to_string()
    };
    format!(
        "{} hold {} ({}, {}{defaults}): {}{nested_text}; {} {} listed in overlaps with their TGW or peering impact. The others are latent: no TGW route table or peering links them, so nothing breaks today, but {same_region}",
        plural(n, "VPC", "VPCs"),
        g.cidr,
        plural(g.accounts.len(), "account", "accounts"),
        plural(g.regions.len(), "region", "regions"),
        plural(g.pairs, "pair", "pairs"),
        g.listed_pairs,
        if g.listed_pairs == 1 { "is" } else { "are" }
    )
}

/// What to do about a shared block, stated once (§8 O4).
fn shared_remedy(g: &SharedBlock) -> String {
    let mut r = format!(
        "before connecting two of these VPCs through one TGW route table or a peering, renumber one of them to a free block of the same size (as the listed pairs' renumber remedies and --plan do), or keep {} and connect through a private NAT gateway in a non-overlapping secondary CIDR (outbound only) or PrivateLink (an endpoint service or a resource gateway)",
        g.cidr
    );
    if g.default_vpcs > 0 {
        r.push_str("; a default VPC that holds no resources can be deleted instead (AWS can create a new default VPC later, O5)");
    }
    r
}
