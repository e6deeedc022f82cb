//! ElastiCache services as clients see them (replication groups, stand-alone clusters,
//! serverless caches): their VPC, endpoint, addresses and subnets.

use crate::findings::overlaps::ResourceKind;
use crate::model::*;
use ipnet::IpNet;
use std::net::IpAddr;

/// A cache as clients see it: a replication group, a stand-alone cluster or a serverless cache.
#[derive(Clone, Debug)]
pub(super) struct CacheService {
    pub(super) kind: ResourceKind,
    pub(super) id: String,
    pub(super) vpc: VpcIdx,
    pub(super) endpoint: Option<(String, u16)>,
    pub(super) addresses: Vec<IpAddr>,
    pub(super) subnets: Vec<SubnetIdx>,
}

impl CacheService {
    /// `dns-name:port`, when the snapshot has the endpoint.
    pub(super) fn endpoint_text(&self) -> Option<String> {
        self.endpoint.as_ref().map(|(d, p)| format!("{d}:{p}"))
    }
    /// Its addresses (or, when unknown, its subnets) inside `cidr`.
    pub(super) fn inside(&self, t: &Topology, cidr: &IpNet) -> Vec<String> {
        if !self.addresses.is_empty() {
            return self
                .addresses
                .iter()
                .filter(|a| cidr.contains(*a))
                .map(|a| a.to_string())
                .collect();
        }
        // Addresses unknown: judged by subnet.
        self.subnets
            .iter()
            .filter(|s| {
                subnet_nets(&t.subnets[s.i()])
                    .iter()
                    .any(|n| cidr.contains(n))
            })
            .map(|s| format!("subnet {}", t.subnets[s.i()].id))
            .collect()
    }
}

fn endpoint_of(e: &Option<Endpoint>) -> Option<(String, u16)> {
    let e = e.as_ref()?;
    Some((e.address.clone()?, e.port?))
}

/// Every block of a subnet, v4 then v6.
pub(super) fn subnet_nets(s: &Subnet) -> Vec<IpNet> {
    s.cidrs().collect()
}

/// Every active cache service of the snapshot that is in a VPC.
pub(super) fn cache_services(t: &Topology) -> Vec<CacheService> {
    let mut out = Vec::new();
    let nodes_of = |c: &CacheCluster| -> (Vec<IpAddr>, Vec<SubnetIdx>) {
        (
            c.nodes.iter().filter_map(|n| n.address).collect(),
            c.nodes.iter().filter_map(|n| n.subnet).collect(),
        )
    };
    for rg in t.replication_groups.iter().filter(|r| r.active) {
        let members: Vec<&CacheCluster> = rg
            .members
            .iter()
            .filter_map(|m| m.idx)
            .map(|m| &t.cache_clusters[m.i()])
            .collect();
        let Some(vpc) = members.iter().find_map(|c| c.vpc) else {
            continue;
        };
        let (mut addrs, mut subnets) = (Vec::new(), Vec::new());
        for c in &members {
            let (a, s) = nodes_of(c);
            addrs.extend(a);
            subnets.extend(s);
        }
        out.push(CacheService {
            kind: ResourceKind::ReplicationGroup,
            id: rg.id.clone(),
            vpc,
            endpoint: endpoint_of(&rg.configuration_endpoint).or(endpoint_of(&rg.primary_endpoint)),
            addresses: addrs,
            subnets,
        });
    }
    for c in t
        .cache_clusters
        .iter()
        .filter(|c| c.active && c.replication_group.is_none())
    {
        let Some(vpc) = c.vpc else { continue };
        let (addresses, subnets) = nodes_of(c);
        out.push(CacheService {
            kind: ResourceKind::CacheCluster,
            id: c.id.clone(),
            vpc,
            endpoint: endpoint_of(&c.configuration_endpoint)
                .or_else(|| c.nodes.iter().find_map(|n| endpoint_of(&n.endpoint))),
            addresses,
            subnets,
        });
    }
    for s in t.serverless_caches.iter().filter(|s| s.active) {
        let Some(vpc) = s.vpc else { continue };
        out.push(CacheService {
            kind: ResourceKind::ServerlessCache,
            id: s.name.clone(),
            vpc,
            endpoint: endpoint_of(&s.endpoint),
            addresses: s
                .network_interfaces
                .iter()
                .flat_map(|e| t.network_interfaces[e.i()].private_addresses())
                .collect(),
            subnets: s.subnets.iter().filter_map(|r| r.idx).collect(),
        });
    }
    out
}
