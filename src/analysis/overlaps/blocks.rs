//! VPC CIDR blocks and the sort-and-sweep that finds every overlapping pair (see the parent
//! module docs for the sweep's invariant).

use crate::model::tgw_routes::block_range;
use crate::model::*;
use ipnet::IpNet;
use std::collections::HashSet;

/// One VPC block in the sweep.
#[derive(Clone, Debug)]
pub struct Block {
    pub vpc: VpcIdx,
    pub net: IpNet,
}

/// Every associated block of every VPC (a VPC id seen in several scopes counts once).
pub fn vpc_blocks(t: &Topology) -> Vec<Block> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, v) in t.vpcs.iter().enumerate() {
        if !seen.insert(v.id.as_str()) {
            continue;
        }
        for net in v.cidrs() {
            out.push(Block {
                vpc: VpcIdx(i as u32),
                net: net.trunc(),
            });
        }
    }
    out
}

/// Indices `(i, j)`, `i < j`, of every pair of overlapping blocks (sort-and-sweep, see the
/// module docs). Pairs of the same family only.
pub fn overlapping_pairs(nets: &[IpNet]) -> Vec<(usize, usize)> {
    let keys: Vec<(usize, u128, u128)> = nets.iter().map(block_range).collect();
    let mut order: Vec<usize> = (0..nets.len()).collect();
    order.sort_unstable_by_key(|&i| (keys[i].0, keys[i].1, std::cmp::Reverse(keys[i].2), i));
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs = Vec::new();
    for i in order {
        let (fam, lo, _) = keys[i];
        while let Some(&top) = stack.last() {
            if keys[top].0 != fam || keys[top].2 < lo {
                stack.pop();
            } else {
                break;
            }
        }
        for &s in &stack {
            pairs.push((s.min(i), s.max(i)));
        }
        stack.push(i);
    }
    pairs
}

/// Overlapping block pairs of different VPCs, as indices into `blocks`, oriented `(larger,
/// smaller)` (equal blocks: lower VPC id first) and sorted by family, address, VPC ids. Every
/// pair: quadratic in the VPCs that share one block (the analysis groups those instead, see
/// `shared`).
pub fn vpc_overlaps(t: &Topology, blocks: &[Block]) -> Vec<(usize, usize)> {
    let nets: Vec<IpNet> = blocks.iter().map(|b| b.net).collect();
    orient_and_sort(t, blocks, overlapping_pairs(&nets))
}

/// Drop pairs of one VPC, orient each pair `(larger, smaller)` (equal blocks: lower VPC id
/// first) and sort by family, address, prefix lengths, VPC ids.
pub(super) fn orient_and_sort(
    t: &Topology,
    blocks: &[Block],
    pairs: Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = pairs
        .into_iter()
        .filter(|&(i, j)| t.vpcs[blocks[i].vpc.i()].id != t.vpcs[blocks[j].vpc.i()].id)
        .map(|(i, j)| {
            let (a, b) = (&blocks[i], &blocks[j]);
            let swap = if a.net.prefix_len() != b.net.prefix_len() {
                a.net.prefix_len() > b.net.prefix_len()
            } else {
                t.vpcs[a.vpc.i()].id > t.vpcs[b.vpc.i()].id
            };
            if swap {
                (j, i)
            } else {
                (i, j)
            }
        })
        .collect();
    pairs.sort_unstable_by_key(|p| {
        let (f, lo, _) = block_range(&blocks[p.0].net);
        (
            f,
            lo,
            blocks[p.0].net.prefix_len(),
            blocks[p.1].net.prefix_len(),
            t.vpcs[blocks[p.0].vpc.i()].id.as_str(),
            t.vpcs[blocks[p.1].vpc.i()].id.as_str(),
            // Ties (one VPC with two blocks inside another's): by address, then position.
            block_range(&blocks[p.1].net).1,
            *p,
        )
    });
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipnet::{Ipv4Net, Ipv6Net};
    use proptest::prelude::*;

    fn all_pairs(nets: &[IpNet]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for i in 0..nets.len() {
            for j in i + 1..nets.len() {
                let (fi, li, hi) = block_range(&nets[i]);
                let (fj, lj, hj) = block_range(&nets[j]);
                if fi == fj && li <= hj && lj <= hi {
                    out.push((i, j));
                }
            }
        }
        out
    }

    fn arb_net() -> impl Strategy<Value = IpNet> {
        prop_oneof![
            (0u32..64, 0u8..=8).prop_map(|(a, l)| {
                // Small space so that overlaps are frequent: 10.0.0.0/24 sliced.
                let addr = 0x0a00_0000u32 | (a << 2);
                IpNet::V4(
                    Ipv4Net::new(addr.into(), 24 + l)
                        .unwrap_or_default()
                        .trunc(),
                )
            }),
            (0u128..16, 0u8..=4).prop_map(|(a, l)| {
                let addr = (0x2600u128 << 112) | (a << 72);
                IpNet::V6(
                    Ipv6Net::new(addr.into(), 52 + l)
                        .unwrap_or_default()
                        .trunc(),
                )
            }),
        ]
    }

    proptest! {
        #[test]
        fn sweep_equals_all_pairs(nets in proptest::collection::vec(arb_net(), 0..40)) {
            let mut got = overlapping_pairs(&nets);
            got.sort_unstable();
            prop_assert_eq!(got, all_pairs(&nets));
        }
    }
}
