//! Per region, the largest set of VPCs whose blocks are pairwise disjoint: the VPCs that can
//! share one Transit Gateway route table (`--plan`).

use super::blocks::Block;
use super::context::Context;
use super::shared::Nets;
use crate::findings::overlaps::SharedSet;
use crate::model::tgw_routes::block_range;
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

impl Context<'_> {
    /// Earliest active VPC attachment time (preference for keeping a VPC in a shared set).
    pub(super) fn first_attached(&self, v: VpcIdx) -> (bool, Option<jiff::Timestamp>) {
        let first = self
            .attachments
            .get(&v)
            .into_iter()
            .flatten()
            .filter_map(|a| {
                self.t.transit_gateway_attachments[a.i()]
                    .creation_time
                    .as_deref()
                    .and_then(crate::model::creation_instant)
            })
            .min();
        (first.is_none(), first)
    }

    /// Twins: VPCs of one region whose overlapping blocks are the same (say two default VPCs)
    /// overlap each other and every other VPC alike, so a largest set holds at most one of them
    /// and any one will do. Per class of twins only the preferred VPC (attached earliest, then
    /// VPC id) stays in the conflict graph; the others are left out. Returns the conflicting
    /// block pairs between the VPCs that stay (same region only) and the twins left out: no
    /// pair of a shared block is ever enumerated beyond its remaining VPCs.
    fn twin_reduced(
        &self,
        blocks: &[Block],
        nets: &Nets,
    ) -> (Vec<(usize, usize)>, HashSet<VpcIdx>) {
        let mut conflicting: Vec<bool> = (0..nets.nets.len()).map(|k| nets.shared(k)).collect();
        for &(l, s) in &nets.nested {
            conflicting[l] = true;
            conflicting[s] = true;
        }
        let mut key: HashMap<VpcIdx, Vec<usize>> = HashMap::new();
        for (bi, b) in blocks.iter().enumerate() {
            let k = key.entry(b.vpc).or_default();
            if conflicting[nets.net_of[bi]] {
                k.push(nets.net_of[bi]);
            }
        }
        let mut classes: HashMap<(&str, Vec<usize>), Vec<VpcIdx>> = HashMap::new();
        for (v, mut k) in key {
            if !k.is_empty() {
                k.sort_unstable();
                k.dedup();
                classes.entry((self.region(v), k)).or_default().push(v);
            }
        }
        let mut twins = HashSet::new();
        for members in classes.values() {
            let keep = members
                .iter()
                .min_by_key(|&&v| (self.first_attached(v), self.vpc(v).id.as_str()));
            twins.extend(members.iter().filter(|&v| Some(v) != keep));
        }
        // The remaining blocks of each distinct block, by region.
        let by_region = |k: usize| -> BTreeMap<&str, Vec<usize>> {
            let mut m: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for &bi in &nets.holders[k] {
                if !twins.contains(&blocks[bi].vpc) {
                    m.entry(self.region(blocks[bi].vpc)).or_default().push(bi);
                }
            }
            m
        };
        let mut pairs = Vec::new();
        for k in 0..nets.nets.len() {
            if nets.shared(k) {
                for list in by_region(k).values() {
                    for (x, &i) in list.iter().enumerate() {
                        pairs.extend(list[x + 1..].iter().map(|&j| (i, j)));
                    }
                }
            }
        }
        for &(l, s) in &nets.nested {
            let small = by_region(s);
            for (region, large) in by_region(l) {
                for &j in small.get(region).into_iter().flatten() {
                    pairs.extend(large.iter().map(|&i| (i, j)));
                }
            }
        }
        pairs.retain(|&(i, j)| self.vpc(blocks[i].vpc).id != self.vpc(blocks[j].vpc).id);
        (pairs, twins)
    }

    /// Per region, the largest set of VPCs with pairwise non-overlapping blocks.
    pub(super) fn shared_sets(&self, blocks: &[Block], nets: &Nets) -> Vec<SharedSet> {
        let (pairs, twins) = self.twin_reduced(blocks, nets);
        let pairs = &pairs;
        let mut by_region: BTreeMap<&str, Vec<VpcIdx>> = BTreeMap::new();
        let mut left_out: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut seen = HashSet::new();
        for b in blocks {
            if seen.insert(b.vpc) {
                if twins.contains(&b.vpc) {
                    left_out
                        .entry(self.region(b.vpc))
                        .or_default()
                        .push(self.vpc(b.vpc).id.clone());
                } else {
                    by_region.entry(self.region(b.vpc)).or_default().push(b.vpc);
                }
            }
        }
        let mut out = Vec::new();
        for (region, mut vpcs) in by_region {
            let twins_out = left_out.remove(region).unwrap_or_default();
            vpcs.sort_by_key(|&v| (self.first_attached(v), self.vpc(v).id.clone()));
            let pos: HashMap<VpcIdx, usize> =
                vpcs.iter().enumerate().map(|(i, &v)| (v, i)).collect();
            let n = vpcs.len();
            let mut adj: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
            // Conflicting blocks per VPC (to recognise interval-graph components).
            let mut conflict_blocks: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
            for &(i, j) in pairs {
                if let (Some(&x), Some(&y)) = (pos.get(&blocks[i].vpc), pos.get(&blocks[j].vpc)) {
                    adj[x].insert(y);
                    adj[y].insert(x);
                    conflict_blocks[x].insert(i);
                    conflict_blocks[y].insert(j);
                }
            }
            let mut chosen = vec![false; n];
            let mut optimal = true;
            let mut methods = BTreeSet::new();
            let mut comp_of = vec![usize::MAX; n];
            for start in 0..n {
                if comp_of[start] != usize::MAX {
                    continue;
                }
                let mut comp = vec![start];
                comp_of[start] = start;
                let mut k = 0;
                while k < comp.len() {
                    let x = comp[k];
                    k += 1;
                    for &y in &adj[x] {
                        if comp_of[y] == usize::MAX {
                            comp_of[y] = start;
                            comp.push(y);
                        }
                    }
                }
                comp.sort_unstable();
                if comp.len() == 1 {
                    chosen[comp[0]] = true;
                    continue;
                }
                if comp.iter().all(|&x| conflict_blocks[x].len() == 1) {
                    // Interval graph: greedy by last address is optimal.
                    methods.insert("interval greedy by last address");
                    let mut items: Vec<(u128, usize, u128)> = comp
                        .iter()
                        .filter_map(|&x| {
                            let bi = *conflict_blocks[x].iter().next()?;
                            let (_, lo, hi) = block_range(&blocks[bi].net);
                            Some((hi, x, lo))
                        })
                        .collect();
                    items.sort_unstable();
                    let mut last: Option<u128> = None;
                    for (hi, x, lo) in items {
                        if last.is_none_or(|l| lo > l) {
                            chosen[x] = true;
                            last = Some(hi);
                        }
                    }
                } else if comp.len() <= 24 {
                    methods.insert("exact search");
                    for x in exact_mis(&comp, &adj) {
                        chosen[x] = true;
                    }
                } else {
                    methods.insert("greedy by fewest conflicts (not proven maximum)");
                    optimal = false;
                    let mut alive: BTreeSet<usize> = comp.iter().copied().collect();
                    while let Some(&x) = alive
                        .iter()
                        .min_by_key(|&&x| (adj[x].iter().filter(|y| alive.contains(y)).count(), x))
                    {
                        chosen[x] = true;
                        alive.remove(&x);
                        for y in &adj[x] {
                            alive.remove(y);
                        }
                    }
                }
            }
            let mut inn: Vec<String> = Vec::new();
            let mut excl: Vec<String> = Vec::new();
            for (i, &v) in vpcs.iter().enumerate() {
                if chosen[i] {
                    inn.push(self.vpc(v).id.clone());
                } else {
                    excl.push(self.vpc(v).id.clone());
                }
            }
            if !twins_out.is_empty() {
                methods.insert("one VPC per set of VPCs with the same overlapping blocks");
            }
            excl.extend(twins_out);
            inn.sort();
            excl.sort();
            if methods.is_empty() {
                methods.insert("no overlaps");
            }
            out.push(SharedSet {
                region: region.to_string(),
                vpcs: inn,
                excluded: excl,
                optimal,
                method: methods.into_iter().collect::<Vec<_>>().join(", "),
            });
        }
        out
    }
}

/// Maximum independent set of a small component by branch and bound; nodes are tried in the
/// given (preference) order, including before excluding, so ties favour earlier nodes.
fn exact_mis(comp: &[usize], adj: &[BTreeSet<usize>]) -> Vec<usize> {
    let n = comp.len();
    let local: HashMap<usize, usize> = comp.iter().enumerate().map(|(i, &x)| (x, i)).collect();
    let masks: Vec<u32> = comp
        .iter()
        .map(|&x| {
            adj[x]
                .iter()
                .filter_map(|y| local.get(y))
                .fold(0u32, |m, &j| m | (1 << j))
        })
        .collect();
    fn go(i: usize, n: usize, masks: &[u32], cur: u32, banned: u32, best: &mut u32) {
        if i == n {
            if cur.count_ones() > best.count_ones() {
                *best = cur;
            }
            return;
        }
        let remaining = (i..n).filter(|&j| banned & (1 << j) == 0).count() as u32;
        if cur.count_ones() + remaining <= best.count_ones() {
            return;
        }
        if banned & (1 << i) == 0 {
            go(i + 1, n, masks, cur | (1 << i), banned | masks[i], best);
        }
        go(i + 1, n, masks, cur, banned, best);
    }
    let mut best = 0u32;
    go(0, n, &masks, 0, 0, &mut best);
    (0..n)
        .filter(|&j| best & (1 << j) != 0)
        .map(|j| comp[j])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_mis_prefers_earlier_nodes() {
        // Path 0-1-2-3: maximum sets {0,2}, {0,3}, {1,3}; first found is {0,2}.
        let adj: Vec<BTreeSet<usize>> = vec![
            [1].into_iter().collect(),
            [0, 2].into_iter().collect(),
            [1, 3].into_iter().collect(),
            [2].into_iter().collect(),
        ];
        assert_eq!(exact_mis(&[0, 1, 2, 3], &adj), vec![0, 2]);
    }
}
