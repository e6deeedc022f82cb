//! Look-up structures built once per topology for the engine: which ENI holds an address in a
//! VPC, which ENI a public IP maps to (sorted, so that a hop finds the public addresses inside a
//! set of addresses by binary search or one merge, never by scanning every public IP), which
//! internet gateway serves a VPC, edge route tables, and, computed on first use, once, shareable
//! across threads (the engine is `Sync`): the effective routes of each transit-gateway route
//! table and the merged rules of each security group.

use crate::model::tgw_routes::{effective_routes, TableRoutes};
use crate::model::*;
use crate::net::{AddrSet, IntervalSet};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, OnceLock};

/// Indexes over a topology.
pub struct Index {
    /// Per VPC: (address, ENI) sorted by address.
    pub by_vpc: HashMap<VpcIdx, Vec<(IpAddr, EniIdx)>>,
    /// (public IPv4, ENI, private IPv4), sorted by public address, one entry per address.
    pub public: Vec<(Ipv4Addr, EniIdx, Ipv4Addr)>,
    /// (private IPv4, public IPv4) of [`Index::public`], sorted by private address.
    pub public_by_private: Vec<(Ipv4Addr, Ipv4Addr)>,
    /// The private IPv4 addresses that have a public IP.
    pub mapped_private: AddrSet,
    /// (IPv6 address, ENI), sorted by address, one entry per address.
    pub v6: Vec<(Ipv6Addr, EniIdx)>,
    /// VPC → attached, available internet gateway.
    pub igw_of_vpc: HashMap<VpcIdx, IgwIdx>,
    /// VPC → attached egress-only internet gateway.
    pub eigw_of_vpc: HashMap<VpcIdx, IgwIdx>,
    /// (VPC, gateway id) → edge route table (R2).
    pub edge_table: HashMap<(VpcIdx, String), RouteTableIdx>,
    /// Per security group: its rules merged into packet sets, computed on first use.
    pub sg: super::sg_rules::SgCache,
    /// Per TGW route table (by index): its effective routes, computed on first use.
    tgw_routes: Vec<OnceLock<Arc<TableRoutes>>>,
}

impl Index {
    pub fn new(t: &Topology) -> Self {
        let mut by_vpc: HashMap<VpcIdx, Vec<(IpAddr, EniIdx)>> = HashMap::new();
        let mut public = Vec::new();
        let mut v6 = Vec::new();
        for (i, e) in t.network_interfaces.iter().enumerate() {
            let idx = EniIdx(i as u32);
            if let Some(v) = e.vpc.idx {
                let list = by_vpc.entry(v).or_default();
                for a in e.private_addresses() {
                    list.push((a, idx));
                }
            }
            for p in &e.private_ips {
                if let Some(pubip) = p.public_ip {
                    public.push((pubip, idx, p.address));
                }
            }
            for a in &e.ipv6_addresses {
                v6.push((*a, idx));
            }
        }
        for list in by_vpc.values_mut() {
            list.sort();
        }
        // An address claimed twice (bad data) maps to the interface listed last.
        let public = last_per_key(public, |p| p.0);
        let v6 = last_per_key(v6, |p| p.0);
        let mut public_by_private: Vec<(Ipv4Addr, Ipv4Addr)> =
            public.iter().map(|&(p, _, q)| (q, p)).collect();
        public_by_private.sort();
        let mapped_private = AddrSet {
            v4: IntervalSet::from_ranges(public_by_private.iter().map(|&(q, _)| {
                let q = u32::from(q);
                (q, q)
            })),
            v6: IntervalSet::empty(),
        };
        let igw_of_vpc = attached(&t.internet_gateways);
        let eigw_of_vpc = attached(&t.egress_only_internet_gateways);
        let mut edge_table = HashMap::new();
        for (i, rt) in t.route_tables.iter().enumerate() {
            if let Some(v) = rt.vpc.idx {
                for g in &rt.gateways {
                    edge_table.insert((v, g.clone()), RouteTableIdx(i as u32));
                }
            }
        }
        Index {
            by_vpc,
            public,
            public_by_private,
            mapped_private,
            v6,
            igw_of_vpc,
            eigw_of_vpc,
            edge_table,
            sg: super::sg_rules::SgCache::new(t),
            tgw_routes: t
                .transit_gateway_route_tables
                .iter()
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// Effective routes of a TGW route table (computed once per table of the topology).
    pub fn tgw_routes(&self, t: &Topology, table: TgwRouteTableIdx) -> Arc<TableRoutes> {
        match self.tgw_routes.get(table.i()) {
            Some(cell) => cell
                .get_or_init(|| Arc::new(effective_routes(t, table)))
                .clone(),
            None => Arc::new(effective_routes(t, table)),
        }
    }
}

/// Sorted by key, one entry per key: the last pushed.
fn last_per_key<T, K: Ord + Copy>(mut v: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    v.reverse();
    v.sort_by_key(&key); // stable: the last pushed comes first among equals
    v.dedup_by_key(|x| key(x));
    v
}

/// The entries of `sorted` (ascending by `key`) whose key lies in one of `ranges` (ascending,
/// disjoint inclusive ranges, as an [`IntervalSet`] holds them), in order: a binary search per
/// range when the ranges are few, one merge of the two lists otherwise.
pub fn within<'a, T, K: Ord + Copy>(
    sorted: &'a [T],
    key: impl Fn(&T) -> K,
    ranges: &[(K, K)],
) -> Vec<&'a T> {
    let mut out = Vec::new();
    if ranges.len().saturating_mul(16) < sorted.len() {
        for &(lo, hi) in ranges {
            let start = sorted.partition_point(|x| key(x) < lo);
            out.extend(sorted[start..].iter().take_while(|x| key(x) <= hi));
        }
        return out;
    }
    let mut r = ranges.iter().peekable();
    for x in sorted {
        let k = key(x);
        while r.next_if(|&&(_, hi)| hi < k).is_some() {}
        match r.peek() {
            Some(&&(lo, _)) if lo <= k => out.push(x),
            Some(_) => {}
            None => break,
        }
    }
    out
}

/// The public IPv4 entries of the index inside `addrs`.
pub fn public_within<'a>(idx: &'a Index, addrs: &AddrSet) -> Vec<&'a (Ipv4Addr, EniIdx, Ipv4Addr)> {
    within(&idx.public, |p| u32::from(p.0), addrs.v4.ranges())
}

/// The (private, public) pairs of the index whose private address is inside `addrs`.
pub fn mapped_within<'a>(idx: &'a Index, addrs: &AddrSet) -> Vec<&'a (Ipv4Addr, Ipv4Addr)> {
    within(
        &idx.public_by_private,
        |p| u32::from(p.0),
        addrs.v4.ranges(),
    )
}

/// The IPv6 entries of the index inside `addrs`.
pub fn v6_within<'a>(idx: &'a Index, addrs: &AddrSet) -> Vec<&'a (Ipv6Addr, EniIdx)> {
    within(&idx.v6, |p| u128::from(p.0), addrs.v6.ranges())
}

/// A set of single addresses, built in one pass.
pub fn addr_set(
    v4: impl IntoIterator<Item = Ipv4Addr>,
    v6: impl IntoIterator<Item = Ipv6Addr>,
) -> AddrSet {
    AddrSet {
        v4: IntervalSet::from_ranges(v4.into_iter().map(|a| (u32::from(a), u32::from(a)))),
        v6: IntervalSet::from_ranges(v6.into_iter().map(|a| (u128::from(a), u128::from(a)))),
    }
}

/// VPC → the gateway attached to it and serving it.
fn attached(gateways: &[InternetGateway]) -> HashMap<VpcIdx, IgwIdx> {
    let mut out = HashMap::new();
    for (i, g) in gateways.iter().enumerate() {
        for v in g.live_vpcs() {
            out.insert(v, IgwIdx(i as u32));
        }
    }
    out
}
