//! Look-up structures built once per topology for the engine: which ENI holds an address in a
//! VPC, which ENI a public IP maps to, which internet gateway serves a VPC, edge route tables,
//! and the effective routes of each transit-gateway route table (computed on first use, once,
//! shareable across threads: the engine is `Sync`).

use crate::model::tgw_routes::{effective_routes, TableRoutes};
use crate::model::*;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, OnceLock};

/// Indexes over a topology.
pub struct Index {
    /// Per VPC: (address, ENI) sorted by address.
    pub by_vpc: HashMap<VpcIdx, Vec<(IpAddr, EniIdx)>>,
    /// Public IPv4 → (ENI, private IPv4).
    pub public: HashMap<Ipv4Addr, (EniIdx, Ipv4Addr)>,
    /// IPv6 address → ENI.
    pub v6: HashMap<std::net::Ipv6Addr, EniIdx>,
    /// VPC → attached, available internet gateway.
    pub igw_of_vpc: HashMap<VpcIdx, IgwIdx>,
    /// VPC → attached egress-only internet gateway.
    pub eigw_of_vpc: HashMap<VpcIdx, IgwIdx>,
    /// (VPC, gateway id) → edge route table (R2).
    pub edge_table: HashMap<(VpcIdx, String), RouteTableIdx>,
    /// Per TGW route table (by index): its effective routes, computed on first use.
    tgw_routes: Vec<OnceLock<Arc<TableRoutes>>>,
}

impl Index {
    pub fn new(t: &Topology) -> Self {
        let mut by_vpc: HashMap<VpcIdx, Vec<(IpAddr, EniIdx)>> = HashMap::new();
        let mut public = HashMap::new();
        let mut v6 = HashMap::new();
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
                    public.insert(pubip, (idx, p.address));
                }
            }
            for a in &e.ipv6_addresses {
                v6.insert(*a, idx);
            }
        }
        for list in by_vpc.values_mut() {
            list.sort();
        }
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
            v6,
            igw_of_vpc,
            eigw_of_vpc,
            edge_table,
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
