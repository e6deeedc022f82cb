//! The inventory: what a snapshot holds, per account and region, with its caches and every
//! diagnostic. Plain serializable data; its JSON form is a documented, stable contract.

use crate::diag::{Diagnostic, Severity};
use crate::model::*;
use crate::snapshot::FileReport;
use serde::Serialize;
use std::collections::BTreeMap;

/// Format version of the inventory JSON.
pub const INVENTORY_FORMAT: u32 = 1;

/// The whole inventory.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Inventory {
    pub format_version: u32,
    pub snapshot: String,
    pub scopes: Vec<ScopeInventory>,
    pub files: Vec<FileReport>,
    pub diagnostics: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

/// One account and region.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ScopeInventory {
    pub account: String,
    pub region: String,
    pub account_source: crate::snapshot::scope::ScopeSource,
    pub region_source: crate::snapshot::scope::ScopeSource,
    /// Number of objects per kind (all, live or not).
    pub counts: BTreeMap<&'static str, usize>,
    /// Of those, how many are not live (stopped instances, deleted NAT gateways, ...).
    pub inactive: BTreeMap<&'static str, usize>,
    pub caches: Vec<CacheSummary>,
    /// VPCs whose DNS attributes were not in the snapshot: EnableDnsSupport=true and
    /// EnableDnsHostnames=IsDefault were assumed (§1.3).
    pub dns_assumed_vpcs: Vec<String>,
    /// Kinds (top-level keys, e.g. `VpcPeeringConnections`) of which this folder, although it
    /// holds subnets, has no output at all, not even an empty list: their counts are 0 because
    /// nothing was exported, not because there are none (SNAPSHOT_KIND_NOT_EXPORTED). Sorted.
    pub not_exported: Vec<String>,
}

/// A cache as the inventory lists it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CacheSummary {
    /// `cache-cluster`, `replication-group` or `serverless-cache`.
    pub kind: &'static str,
    pub id: String,
    pub engine: String,
    pub status: String,
    pub active: bool,
    pub vpc: Option<String>,
    pub endpoints: Vec<Endpoint>,
    pub ports: Vec<u16>,
    pub nodes: Vec<NodeSummary>,
    pub security_groups: Vec<String>,
    pub transit_encryption: bool,
    pub auth_token: bool,
    /// For replication groups: member clusters; for clusters: their replication group.
    pub related: Vec<String>,
}

/// A cache node (or a serverless cache ENI).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct NodeSummary {
    pub id: String,
    pub availability_zone: Option<String>,
    pub address: Option<String>,
    pub subnet: Option<String>,
    pub network_interface: Option<String>,
}

fn count<T>(
    counts: &mut BTreeMap<&'static str, usize>,
    inactive: &mut BTreeMap<&'static str, usize>,
    key: &'static str,
    items: &[T],
    scope: ScopeIdx,
    scope_of: impl Fn(&T) -> ScopeIdx,
    live: impl Fn(&T) -> bool,
) {
    let mut all = 0;
    let mut dead = 0;
    for it in items.iter().filter(|x| scope_of(x) == scope) {
        all += 1;
        if !live(it) {
            dead += 1;
        }
    }
    counts.insert(key, all);
    if dead > 0 {
        inactive.insert(key, dead);
    }
}

/// Build the inventory of a topology.
pub fn inventory(t: &Topology, snapshot: &str, files: Vec<FileReport>) -> Inventory {
    let mut scopes = Vec::new();
    for (si, sc) in t.scopes.iter().enumerate() {
        let s = ScopeIdx(si as u32);
        let mut c = BTreeMap::new();
        let mut i = BTreeMap::new();
        count(&mut c, &mut i, "vpcs", &t.vpcs, s, |x| x.scope, |_| true);
        count(
            &mut c,
            &mut i,
            "subnets",
            &t.subnets,
            s,
            |x| x.scope,
            |_| true,
        );
        count(
            &mut c,
            &mut i,
            "route_tables",
            &t.route_tables,
            s,
            |x| x.scope,
            |_| true,
        );
        count(
            &mut c,
            &mut i,
            "network_acls",
            &t.network_acls,
            s,
            |x| x.scope,
            |_| true,
        );
        count(
            &mut c,
            &mut i,
            "security_groups",
            &t.security_groups,
            s,
            |x| x.scope,
            |_| true,
        );
        count(
            &mut c,
            &mut i,
            "network_interfaces",
            &t.network_interfaces,
            s,
            |x| x.scope,
            |_| true,
        );
        count(
            &mut c,
            &mut i,
            "instances",
            &t.instances,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "elastic_ips",
            &t.elastic_ips,
            s,
            |x| x.scope,
            |x| x.network_interface.is_some(),
        );
        count(
            &mut c,
            &mut i,
            "internet_gateways",
            &t.internet_gateways,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "egress_only_internet_gateways",
            &t.egress_only_internet_gateways,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "nat_gateways",
            &t.nat_gateways,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "vpc_endpoints",
            &t.vpc_endpoints,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "prefix_lists",
            &t.prefix_lists,
            s,
            |x| x.scope,
            |x| x.cidrs.is_some(),
        );
        count(
            &mut c,
            &mut i,
            "vpc_peering_connections",
            &t.vpc_peering_connections,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "transit_gateways",
            &t.transit_gateways,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "transit_gateway_attachments",
            &t.transit_gateway_attachments,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "transit_gateway_route_tables",
            &t.transit_gateway_route_tables,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "cache_subnet_groups",
            &t.cache_subnet_groups,
            s,
            |x| x.scope,
            |_| true,
        );
        count(
            &mut c,
            &mut i,
            "cache_clusters",
            &t.cache_clusters,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "replication_groups",
            &t.replication_groups,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "serverless_caches",
            &t.serverless_caches,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "load_balancers",
            &t.load_balancers,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "target_groups",
            &t.target_groups,
            s,
            |x| x.scope,
            |_| true,
        );
        count(
            &mut c,
            &mut i,
            "endpoint_services",
            &t.endpoint_services,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "resource_gateways",
            &t.resource_gateways,
            s,
            |x| x.scope,
            |x| x.active,
        );
        count(
            &mut c,
            &mut i,
            "resource_configurations",
            &t.resource_configurations,
            s,
            |x| x.scope,
            |x| x.active,
        );
        let key = format!("{}/{}", sc.account, sc.region);
        let mut not_exported: Vec<String> = t
            .completeness
            .not_exported
            .iter()
            .chain(&t.completeness.links_not_exported)
            .filter(|k| k.scope == key)
            .flat_map(|k| k.kinds.iter().cloned())
            .collect();
        not_exported.sort();
        not_exported.dedup();
        scopes.push(ScopeInventory {
            not_exported,
            account: sc.account.clone(),
            region: sc.region.clone(),
            account_source: sc.account_source,
            region_source: sc.region_source,
            counts: c,
            inactive: i,
            caches: caches(t, s),
            dns_assumed_vpcs: t
                .vpcs
                .iter()
                .filter(|v| v.scope == s && v.dns_assumed)
                .map(|v| v.id.clone())
                .collect(),
        });
    }
    let diagnostics: Vec<Diagnostic> = t.diagnostics.iter().cloned().collect();
    let n = |sev| diagnostics.iter().filter(|d| d.severity == sev).count();
    Inventory {
        format_version: INVENTORY_FORMAT,
        snapshot: snapshot.to_string(),
        errors: n(Severity::Error),
        warnings: n(Severity::Warning),
        notes: n(Severity::Note),
        scopes,
        files,
        diagnostics,
    }
}

fn sg_ids(refs: &[Ref<SecurityGroupIdx>]) -> Vec<String> {
    refs.iter().map(|r| r.id.clone()).collect()
}

fn caches(t: &Topology, s: ScopeIdx) -> Vec<CacheSummary> {
    let vpc_id = |v: Option<VpcIdx>| v.map(|v| t.vpcs[v.i()].id.clone());
    let mut out = Vec::new();
    for rg in t.replication_groups.iter().filter(|x| x.scope == s) {
        let members: Vec<&CacheCluster> = rg
            .members
            .iter()
            .filter_map(|m| m.idx)
            .map(|m| &t.cache_clusters[m.i()])
            .collect();
        let first = members.first();
        out.push(CacheSummary {
            kind: "replication-group",
            id: rg.id.clone(),
            engine: rg.engine.clone(),
            status: rg.status.clone(),
            active: rg.active,
            vpc: vpc_id(first.and_then(|c| c.vpc)),
            endpoints: [
                &rg.configuration_endpoint,
                &rg.primary_endpoint,
                &rg.reader_endpoint,
            ]
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
            ports: rg.ports.clone(),
            nodes: members.iter().flat_map(|c| node_summaries(t, c)).collect(),
            security_groups: first
                .map(|c| sg_ids(&c.security_groups))
                .unwrap_or_default(),
            transit_encryption: rg.transit_encryption,
            auth_token: rg.auth_token,
            related: rg.members.iter().map(|m| m.id.clone()).collect(),
        });
    }
    for c in t.cache_clusters.iter().filter(|x| x.scope == s) {
        out.push(CacheSummary {
            kind: "cache-cluster",
            id: c.id.clone(),
            engine: c.engine.clone(),
            status: c.status.clone(),
            active: c.active,
            vpc: vpc_id(c.vpc),
            endpoints: c
                .configuration_endpoint
                .iter()
                .cloned()
                .chain(c.nodes.iter().filter_map(|n| n.endpoint.clone()))
                .collect(),
            ports: c.ports.clone(),
            nodes: node_summaries(t, c),
            security_groups: sg_ids(&c.security_groups),
            transit_encryption: c.transit_encryption,
            auth_token: c.auth_token,
            related: c.replication_group.iter().map(|r| r.id.clone()).collect(),
        });
    }
    for c in t.serverless_caches.iter().filter(|x| x.scope == s) {
        out.push(CacheSummary {
            kind: "serverless-cache",
            id: c.name.clone(),
            engine: c.engine.clone(),
            status: c.status.clone(),
            active: c.active,
            vpc: vpc_id(c.vpc),
            endpoints: c
                .endpoint
                .iter()
                .chain(c.reader_endpoint.iter())
                .cloned()
                .collect(),
            ports: c.ports.clone(),
            nodes: c
                .network_interfaces
                .iter()
                .map(|&e| {
                    let eni = &t.network_interfaces[e.i()];
                    NodeSummary {
                        id: eni.id.clone(),
                        availability_zone: eni.availability_zone.clone(),
                        address: eni.private_addresses().next().map(|a| a.to_string()),
                        subnet: Some(eni.subnet.id.clone()),
                        network_interface: Some(eni.id.clone()),
                    }
                })
                .collect(),
            security_groups: sg_ids(&c.security_groups),
            transit_encryption: true,
            auth_token: c.user_group_id.is_some(),
            related: Vec::new(),
        });
    }
    out
}

fn node_summaries(t: &Topology, c: &CacheCluster) -> Vec<NodeSummary> {
    c.nodes
        .iter()
        .map(|n| NodeSummary {
            id: format!("{}/{}", c.id, n.id),
            availability_zone: n.availability_zone.clone(),
            address: n.address.map(|a| a.to_string()),
            subnet: n.subnet.map(|s| t.subnets[s.i()].id.clone()),
            network_interface: n
                .network_interface
                .map(|e| t.network_interfaces[e.i()].id.clone()),
        })
        .collect()
}
