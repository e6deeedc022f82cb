//! ElastiCache: cache subnet groups, cache clusters, replication groups and serverless caches;
//! then, once every ENI exists, cache nodes tied to their ENIs (and so to a subnet and address).

use super::builder::Builder;
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::{aws, RawData};
use std::collections::HashMap;

/// An ElastiCache endpoint (a port outside 0-65535 is dropped).
fn endpoint(e: Option<&aws::CacheEndpoint>) -> Option<Endpoint> {
    e.map(|e| Endpoint {
        address: e.address.clone(),
        port: e.port.and_then(|p| u16::try_from(p.0).ok()),
    })
}

/// Whether a cache in status `s` serves traffic.
fn cache_status_live(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "available" | "modifying" | "snapshotting" | "rebooting cluster nodes"
    )
}

impl Builder {
    /// The caches of one scope.
    pub(super) fn construct_caches(&mut self, scope: ScopeIdx, d: &RawData) {
        for g in &d.cache_subnet_groups {
            let it = &g.item;
            let vpc = it.vpc_id.as_ref().map(|v| {
                let r: Ref<VpcIdx> = self.find_checked(
                    scope,
                    Kind::Vpc,
                    v,
                    g.file,
                    &format!("{}/VpcId", g.pointer),
                    "VPC",
                );
                r
            });
            let mut subnets = Vec::new();
            for (i, s) in it.subnets.iter().enumerate() {
                let r: Ref<SubnetIdx> = self.find_checked(
                    scope,
                    Kind::Subnet,
                    &s.subnet_identifier,
                    g.file,
                    &format!("{}/Subnets/{i}/SubnetIdentifier", g.pointer),
                    "subnet",
                );
                subnets.push((
                    r,
                    s.subnet_availability_zone.as_ref().map(|a| a.name.clone()),
                ));
            }
            self.t.cache_subnet_groups.push(CacheSubnetGroup {
                name: it.cache_subnet_group_name.clone(),
                scope,
                vpc,
                subnets,
            });
        }
        for c in &d.cache_clusters {
            let it = &c.item;
            let status = it.cache_cluster_status.clone().unwrap_or_default();
            let active = cache_status_live(&status);
            let subnet_group = it.cache_subnet_group_name.as_ref().map(|n| {
                let r: Ref<CacheSubnetGroupIdx> = self.find_checked(
                    scope,
                    Kind::CacheSubnetGroup,
                    n,
                    c.file,
                    &format!("{}/CacheSubnetGroupName", c.pointer),
                    "cache subnet group",
                );
                r
            });
            let mut security_groups = Vec::new();
            for (i, g) in it.security_groups.iter().enumerate() {
                let r: Ref<SecurityGroupIdx> = self.find_checked(
                    scope,
                    Kind::SecurityGroup,
                    &g.security_group_id,
                    c.file,
                    &format!("{}/SecurityGroups/{i}/SecurityGroupId", c.pointer),
                    "security group",
                );
                security_groups.push(r);
            }
            let replication_group = it.replication_group_id.as_ref().map(|r| {
                let x: Ref<ReplicationGroupIdx> = self.find_checked(
                    scope,
                    Kind::ReplicationGroup,
                    r,
                    c.file,
                    &format!("{}/ReplicationGroupId", c.pointer),
                    "replication group",
                );
                x
            });
            let engine = it.engine.clone().unwrap_or_else(|| "redis".into());
            let nodes: Vec<CacheNode> = it
                .cache_nodes
                .iter()
                .map(|n| CacheNode {
                    id: n.cache_node_id.clone(),
                    status: n.cache_node_status.clone(),
                    endpoint: endpoint(n.endpoint.as_ref()),
                    availability_zone: n
                        .customer_availability_zone
                        .clone()
                        .or(it.preferred_availability_zone.clone()),
                    network_interface: None,
                    subnet: None,
                    address: None,
                    role: None,
                })
                .collect();
            let configuration_endpoint = endpoint(it.configuration_endpoint.as_ref());
            let mut ports: Vec<u16> = nodes
                .iter()
                .filter_map(|n| n.endpoint.as_ref().and_then(|e| e.port))
                .chain(configuration_endpoint.as_ref().and_then(|e| e.port))
                .collect();
            ports.sort();
            ports.dedup();
            if ports.is_empty() {
                ports.push(default_port(&engine));
            }
            if nodes.is_empty() && active {
                self.diag(
                    Severity::Note,
                    DiagCode::AssumedDefault,
                    c.file,
                    &c.pointer,
                    format!("cache cluster {} has no CacheNodes (describe-cache-clusters without --show-cache-node-info?): its nodes are placed by their ENIs where the snapshot has them", it.cache_cluster_id),
                );
            }
            self.t.cache_clusters.push(CacheCluster {
                id: it.cache_cluster_id.clone(),
                scope,
                engine,
                engine_version: it.engine_version.clone(),
                status,
                active,
                subnet_group,
                vpc: None,
                security_groups,
                replication_group,
                transit_encryption: it.transit_encryption_enabled.unwrap_or(false),
                transit_encryption_mode: it.transit_encryption_mode.clone(),
                auth_token: it.auth_token_enabled.unwrap_or(false),
                configuration_endpoint,
                nodes,
                ports,
            });
        }
        for r in &d.replication_groups {
            let it = &r.item;
            let status = it.status.clone().unwrap_or_default();
            let mut members = Vec::new();
            for (i, m) in it.member_clusters.iter().enumerate() {
                let x: Ref<CacheClusterIdx> = self.find_checked(
                    scope,
                    Kind::CacheCluster,
                    m,
                    r.file,
                    &format!("{}/MemberClusters/{i}", r.pointer),
                    "cache cluster",
                );
                members.push(x);
            }
            let ng = it.node_groups.first();
            let primary_endpoint = endpoint(ng.and_then(|n| n.primary_endpoint.as_ref()));
            let reader_endpoint = endpoint(ng.and_then(|n| n.reader_endpoint.as_ref()));
            let configuration_endpoint = endpoint(it.configuration_endpoint.as_ref());
            let engine = it.engine.clone().unwrap_or_else(|| "redis".into());
            let mut ports: Vec<u16> =
                [&primary_endpoint, &reader_endpoint, &configuration_endpoint]
                    .iter()
                    .filter_map(|e| e.as_ref().and_then(|e| e.port))
                    .collect();
            ports.sort();
            ports.dedup();
            if ports.is_empty() {
                ports.push(default_port(&engine));
            }
            self.t.replication_groups.push(ReplicationGroup {
                id: it.replication_group_id.clone(),
                scope,
                engine,
                active: cache_status_live(&status),
                status,
                members,
                primary_endpoint,
                reader_endpoint,
                configuration_endpoint,
                cluster_enabled: it.cluster_enabled.unwrap_or(false),
                transit_encryption: it.transit_encryption_enabled.unwrap_or(false),
                transit_encryption_mode: it.transit_encryption_mode.clone(),
                auth_token: it.auth_token_enabled.unwrap_or(false),
                user_group_ids: it.user_group_ids.clone(),
                ports,
            });
            // NodeGroupMembers[].CurrentRole: which node is primary now (cluster mode
            // disabled), for the primary and reader endpoints (L5).
            for m in it.node_groups.iter().flat_map(|g| &g.node_group_members) {
                let (Some(cid), Some(nid), Some(role)) =
                    (&m.cache_cluster_id, &m.cache_node_id, &m.current_role)
                else {
                    continue;
                };
                for c in self.t.cache_clusters.iter_mut() {
                    if c.scope != scope || &c.id != cid {
                        continue;
                    }
                    for n in c.nodes.iter_mut().filter(|n| &n.id == nid) {
                        n.role = Some(role.to_ascii_lowercase());
                    }
                }
            }
        }
        for s in &d.serverless_caches {
            let it = &s.item;
            let status = it.status.clone().unwrap_or_default();
            let active = cache_status_live(&status);
            let mut security_groups = Vec::new();
            for (i, g) in it.security_group_ids.iter().enumerate() {
                let r: Ref<SecurityGroupIdx> = self.find_checked(
                    scope,
                    Kind::SecurityGroup,
                    g,
                    s.file,
                    &format!("{}/SecurityGroupIds/{i}", s.pointer),
                    "security group",
                );
                security_groups.push(r);
            }
            let mut subnets = Vec::new();
            for (i, g) in it.subnet_ids.iter().enumerate() {
                let r: Ref<SubnetIdx> = self.find_checked(
                    scope,
                    Kind::Subnet,
                    g,
                    s.file,
                    &format!("{}/SubnetIds/{i}", s.pointer),
                    "subnet",
                );
                subnets.push(r);
            }
            let engine = it.engine.clone().unwrap_or_else(|| "redis".into());
            let ep = endpoint(it.endpoint.as_ref());
            let reader = endpoint(it.reader_endpoint.as_ref());
            let base = default_port(&engine);
            let mut ports = vec![
                ep.as_ref().and_then(|e| e.port).unwrap_or(base),
                reader.as_ref().and_then(|e| e.port).unwrap_or(base + 1),
            ];
            ports.sort();
            ports.dedup();
            self.t.serverless_caches.push(ServerlessCache {
                name: it.serverless_cache_name.clone(),
                scope,
                engine,
                status,
                active,
                endpoint: ep,
                reader_endpoint: reader,
                security_groups,
                subnets,
                vpc: None,
                user_group_id: it.user_group_id.clone(),
                network_interfaces: Vec::new(),
                ports,
            });
        }
    }

    /// Cache nodes and serverless caches tied to their ENIs, subnets and VPCs.
    pub(super) fn link_caches(&mut self) {
        let mut notes = Vec::new();
        let t = &mut self.t;
        // ENIs per cache cluster id / serverless cache name.
        let mut node_enis: HashMap<(ScopeIdx, String), Vec<EniIdx>> = HashMap::new();
        let mut serverless_enis: HashMap<(ScopeIdx, String), Vec<EniIdx>> = HashMap::new();
        for (ei, e) in t.network_interfaces.iter().enumerate() {
            match &e.owned_by {
                EniOwner::CacheNode(c) => node_enis
                    .entry((e.scope, c.clone()))
                    .or_default()
                    .push(EniIdx(ei as u32)),
                EniOwner::ServerlessCache(c) => serverless_enis
                    .entry((e.scope, c.clone()))
                    .or_default()
                    .push(EniIdx(ei as u32)),
                _ => {}
            }
        }
        for c in t.cache_clusters.iter_mut() {
            let group = c
                .subnet_group
                .as_ref()
                .and_then(|g| g.idx)
                .map(|g| &t.cache_subnet_groups[g.i()]);
            c.vpc = group.and_then(|g| g.vpc.as_ref().and_then(|v| v.idx));
            let mut candidates = node_enis
                .remove(&(c.scope, c.id.clone()))
                .unwrap_or_default();
            let eni_az = |e: EniIdx| -> Option<String> {
                let eni = &t.network_interfaces[e.i()];
                eni.availability_zone.clone().or_else(|| {
                    eni.subnet
                        .idx
                        .and_then(|s| t.subnets[s.i()].availability_zone.clone())
                })
            };
            if c.nodes.is_empty() {
                // No node data (moto, or no --show-cache-node-info): one node per ENI.
                for (n, &e) in candidates.iter().enumerate() {
                    c.nodes.push(CacheNode {
                        id: format!("{:04}", n + 1),
                        status: None,
                        endpoint: None,
                        availability_zone: eni_az(e),
                        network_interface: None,
                        subnet: None,
                        address: None,
                        role: None,
                    });
                }
            }
            for node in c.nodes.iter_mut() {
                let pick = candidates
                    .iter()
                    .position(|&e| {
                        node.availability_zone.is_some() && eni_az(e) == node.availability_zone
                    })
                    .or(if candidates.is_empty() { None } else { Some(0) });
                if let Some(p) = pick {
                    let e = candidates.remove(p);
                    let eni = &t.network_interfaces[e.i()];
                    node.network_interface = Some(e);
                    node.subnet = eni.subnet.idx;
                    node.address = eni.private_addresses().next();
                    if node.availability_zone.is_none() {
                        node.availability_zone = eni_az(e);
                    }
                    if c.vpc.is_none() {
                        c.vpc = eni.vpc.idx;
                    }
                } else {
                    node.subnet = group.and_then(|g| {
                        g.subnets
                            .iter()
                            .find(|(_, az)| az.is_some() && *az == node.availability_zone)
                            .or(g.subnets.first())
                            .and_then(|(s, _)| s.idx)
                    });
                    if c.active {
                        notes.push(format!(
                            "cache node {}/{} has no ENI in the snapshot (ElastiCache {}): placed in its group subnet{}, address unknown",
                            c.id,
                            node.id,
                            c.id,
                            node.availability_zone.as_ref().map(|a| format!(" in {a}")).unwrap_or_default()
                        ));
                    }
                }
            }
            // Cache clusters missing SecurityGroups (moto): take them from the node ENIs.
            if c.security_groups.is_empty() {
                let mut seen = Vec::new();
                for n in &c.nodes {
                    if let Some(e) = n.network_interface {
                        for g in &t.network_interfaces[e.i()].groups {
                            if !seen.contains(&g.id) {
                                seen.push(g.id.clone());
                                c.security_groups.push(g.clone());
                            }
                        }
                    }
                }
            }
        }
        for s in t.serverless_caches.iter_mut() {
            s.network_interfaces = serverless_enis
                .remove(&(s.scope, s.name.clone()))
                .unwrap_or_default();
            s.vpc = s
                .subnets
                .iter()
                .find_map(|r| r.idx)
                .and_then(|si| t.subnets[si.i()].vpc.idx);
        }
        for n in notes {
            self.t.diagnostics.push(crate::diag::Diagnostic::new(
                Severity::Note,
                DiagCode::AssumedDefault,
                n,
            ));
        }
    }
}
