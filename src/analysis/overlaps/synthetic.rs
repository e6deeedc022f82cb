//! A synthetic network generator for the benchmark and tests (not used by the product): it
//! lives alone in this file so that it can move to the test support code as one piece.

use crate::model::*;
use ipnet::Ipv4Net;

/// Build an in-memory topology of `n` single-block VPCs (for the benchmark and tests): /16 to
/// /24 blocks spread over 10.0.0.0/8 so that a realistic share overlaps.
#[doc(hidden)]
pub fn synthetic_topology(n: usize, seed: u64) -> Topology {
    let mut t = Topology::default();
    let mut x = seed.max(1);
    for i in 0..n {
        // xorshift64
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = 16 + (x % 9) as u8;
        let addr = 0x0a00_0000u32 | ((x >> 16) as u32 & 0x00ff_ffff);
        let net = Ipv4Net::new(addr.into(), len)
            .map(|n| n.trunc())
            .unwrap_or_default();
        t.vpcs.push(Vpc {
            id: format!("vpc-{i:017x}"),
            scope: ScopeIdx(0),
            owner: None,
            name: None,
            is_default: false,
            cidrs_v4: vec![net],
            cidrs_v6: Vec::new(),
            dns_support: true,
            dns_hostnames: true,
            dns_assumed: false,
            subnets: Vec::new(),
            main_route_table: None,
            default_network_acl: None,
        });
        t.ids
            .insert(ScopeIdx(0), Kind::Vpc, &format!("vpc-{i:017x}"), i as u32);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::overlaps::blocks::tests::all_pairs;
    use crate::analysis::overlaps::{overlapping_pairs, vpc_blocks};
    use ipnet::IpNet;

    #[test]
    fn synthetic_sweep_matches_all_pairs() {
        let t = synthetic_topology(2_000, 7);
        let blocks = vpc_blocks(&t);
        let nets: Vec<IpNet> = blocks.iter().map(|b| b.net).collect();
        let mut got = overlapping_pairs(&nets);
        got.sort_unstable();
        assert_eq!(got, all_pairs(&nets));
    }
}
