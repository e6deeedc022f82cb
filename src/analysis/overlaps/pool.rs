//! Free blocks for remedies and the plan: a pool (default RFC 1918 space) minus every block in
//! use anywhere in the snapshot, and the allocator that hands out the lowest aligned free block.

use crate::findings::overlaps::RemedyKind;
use crate::model::tgw_routes::block_range;
use crate::model::*;
use crate::net::IntervalSet;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::collections::HashMap;

/// The RFC 1918 private ranges: the default pool.
pub fn rfc1918() -> Vec<IpNet> {
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// Blocks in use anywhere in the snapshot: VPC blocks, peer VPC blocks, and TGW routes towards
/// non-VPC attachments (VPN, Direct Connect: on-premises ranges). Default routes are ignored.
pub fn used_blocks(t: &Topology) -> Vec<IpNet> {
    let mut out: Vec<IpNet> = t.vpcs.iter().flat_map(|v| v.cidrs()).collect();
    for p in &t.vpc_peering_connections {
        for side in [&p.requester, &p.accepter] {
            out.extend(side.cidrs_v4.iter().map(|n| IpNet::V4(*n)));
            out.extend(side.cidrs_v6.iter().map(|n| IpNet::V6(*n)));
        }
    }
    for tbl in &t.transit_gateway_route_tables {
        let observed = tbl.observed_routes.iter().flatten();
        for r in tbl.static_routes.iter().chain(observed) {
            let to_vpc = r.attachments.iter().any(|a| {
                a.idx
                    .is_some_and(|x| t.transit_gateway_attachments[x.i()].resource_type == "vpc")
            });
            if let Some(d) = r.destination {
                if !to_vpc && d.prefix_len() > 0 {
                    out.push(d);
                }
            }
        }
    }
    out
}

/// Free-block allocation from a pool minus blocks in use (lowest aligned free block first).
pub struct Allocator {
    free: [IntervalSet<u128>; 2],
    /// Answers per `(vpc, block, the remedy the block is for)`.
    memo: HashMap<(String, IpNet, RemedyKind), Option<IpNet>>,
}

impl Allocator {
    /// `pool` minus `used`.
    pub fn new(pool: &[IpNet], used: &[IpNet]) -> Self {
        let set = |nets: &[IpNet], fam: usize| {
            IntervalSet::from_ranges(nets.iter().map(block_range).filter_map(|(f, lo, hi)| {
                if f == fam {
                    Some((lo, hi))
                } else {
                    None
                }
            }))
        };
        Allocator {
            free: [
                set(pool, 0).difference(&set(used, 0)),
                set(pool, 1).difference(&set(used, 1)),
            ],
            memo: HashMap::new(),
        }
    }

    /// Take the lowest free block of `prefix_len` in `family` (0 v4, 1 v6), inside `within`
    /// when given.
    pub fn take(
        &mut self,
        family: usize,
        prefix_len: u8,
        within: Option<&IntervalSet<u128>>,
    ) -> Option<IpNet> {
        let bits: u32 = if family == 0 { 32 } else { 128 };
        if u32::from(prefix_len) > bits {
            return None;
        }
        let host_bits = bits - u32::from(prefix_len);
        let size: u128 = if host_bits >= 128 {
            return None;
        } else {
            1u128 << host_bits
        };
        let space = match within {
            Some(w) => self.free[family].intersect(w),
            None => self.free[family].clone(),
        };
        for &(lo, hi) in space.ranges() {
            let start = lo.div_ceil(size).checked_mul(size)?;
            let end = start.checked_add(size - 1)?;
            if start >= lo && end <= hi {
                self.free[family] = self.free[family].difference(&IntervalSet::range(start, end));
                return to_net(family, start, prefix_len);
            }
        }
        None
    }

    /// Like [`Self::take`], remembered per `(vpc, block, purpose)` so a block gets one answer.
    pub fn take_for(
        &mut self,
        vpc: &str,
        block: IpNet,
        purpose: RemedyKind,
        prefix_len: u8,
        within: Option<&IntervalSet<u128>>,
    ) -> Option<IpNet> {
        let key = (vpc.to_string(), block, purpose);
        if let Some(r) = self.memo.get(&key) {
            return *r;
        }
        let fam = block_range(&block).0;
        let r = self.take(fam, prefix_len, within);
        self.memo.insert(key, r);
        r
    }
}

fn to_net(family: usize, start: u128, prefix_len: u8) -> Option<IpNet> {
    if family == 0 {
        let a = u32::try_from(start).ok()?;
        Ipv4Net::new(a.into(), prefix_len).ok().map(IpNet::V4)
    } else {
        Ipv6Net::new(start.into(), prefix_len).ok().map(IpNet::V6)
    }
}

/// Ranges a VPC with this primary IPv4 block may add as a secondary block (AWS restricts
/// secondary blocks to the primary's RFC 1918 range, or 100.64.0.0/10; other primaries: any).
pub fn permitted_secondary(primary: Option<&Ipv4Net>) -> Option<IntervalSet<u128>> {
    let p = primary?;
    let cgnat: Ipv4Net = "100.64.0.0/10".parse().ok()?;
    let range = rfc1918()
        .into_iter()
        .find(|r| matches!(r, IpNet::V4(r4) if r4.contains(p)))?;
    let (_, lo, hi) = block_range(&range);
    let (_, clo, chi) = block_range(&IpNet::V4(cgnat));
    Some(IntervalSet::from_ranges([(lo, hi), (clo, chi)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocator_takes_lowest_aligned_free_block() {
        let pool: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let used: Vec<IpNet> = vec![
            "10.0.0.0/16".parse().unwrap(),
            "10.1.0.0/24".parse().unwrap(),
        ];
        let mut a = Allocator::new(&pool, &used);
        assert_eq!(a.take(0, 16, None), Some("10.2.0.0/16".parse().unwrap()));
        assert_eq!(a.take(0, 24, None), Some("10.1.1.0/24".parse().unwrap()));
        assert_eq!(a.take(0, 8, None), None);
        assert_eq!(a.take(1, 56, None), None);
    }

    #[test]
    fn permitted_secondary_follows_primary_range() {
        let p: Ipv4Net = "172.20.0.0/16".parse().unwrap();
        let w = permitted_secondary(Some(&p)).unwrap();
        assert!(w.contains(u128::from(u32::from(std::net::Ipv4Addr::new(
            172, 31, 0, 1
        )))));
        assert!(w.contains(u128::from(u32::from(std::net::Ipv4Addr::new(
            100, 64, 0, 1
        )))));
        assert!(!w.contains(u128::from(u32::from(std::net::Ipv4Addr::new(10, 0, 0, 1)))));
        let public: Ipv4Net = "52.0.0.0/16".parse().unwrap();
        assert!(permitted_secondary(Some(&public)).is_none());
    }
}
