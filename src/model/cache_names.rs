//! Which cache node(s) a DNS name stands for (semantics L5): the name a resource
//! configuration's `dnsResource` gives, matched against the ElastiCache endpoints of the
//! snapshot, as AWS resolves them.
//!
//! * A node endpoint (`CacheNodes[].Endpoint`) is that node.
//! * A replication group's primary endpoint (`NodeGroups[].PrimaryEndpoint`, the `master.…`
//!   name) always resolves to the node that is primary now: the member whose `CurrentRole` is
//!   `primary` (`NodeGroupMembers`); without roles in the snapshot, every node of the group
//!   (which one is primary is unknown), stated as an assumption.
//! * Its reader endpoint (`ReaderEndpoint`) resolves, round robin, to one of the replicas
//!   (`CurrentRole` `replica`); with no replica, to the only node; without roles, every node.
//! * A configuration endpoint (cluster mode enabled, or a Memcached cluster's) is discovery:
//!   it resolves to the cluster's nodes, and clients then connect to the node addresses it
//!   returns. It stands for every node of the cache.
//! * A serverless cache's `Endpoint` and `ReaderEndpoint` are its endpoint interfaces.
//!
//! Names compare without case and without a trailing dot.

use super::*;
use std::net::IpAddr;

/// What a name stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedNodes {
    /// The cache: replication group id, cache cluster id or serverless cache name.
    pub cache: String,
    /// `node endpoint`, `primary endpoint`, `reader endpoint`, `configuration endpoint` or
    /// `endpoint` (serverless).
    pub kind: &'static str,
    /// The node interfaces with their addresses (nodes whose address is unknown are left out
    /// and counted in `unknown`).
    pub nodes: Vec<(EniIdx, IpAddr)>,
    /// Nodes the name stands for whose interface or address is not in the snapshot.
    pub unknown: usize,
    /// Which node(s) the name stands for, as printed (`the primary node demo-redis-001/0001`).
    pub stands_for: String,
    /// What the reading takes for granted (AWS resolves the name at connection time).
    pub assumption: Option<String>,
}

fn same(e: &Option<Endpoint>, want: &str) -> bool {
    e.as_ref()
        .and_then(|e| e.address.as_deref())
        .is_some_and(|a| a.trim_end_matches('.').eq_ignore_ascii_case(want))
}

/// One node, labelled `cluster/node`.
struct NodeRef<'t> {
    cluster: &'t CacheCluster,
    node: &'t CacheNode,
}

impl NodeRef<'_> {
    fn label(&self) -> String {
        format!("{}/{}", self.cluster.id, self.node.id)
    }
}

fn named(cache: &str, kind: &'static str, nodes: &[NodeRef<'_>], stands_for: String) -> NamedNodes {
    let known: Vec<(EniIdx, IpAddr)> = nodes
        .iter()
        .filter_map(|n| Some((n.node.network_interface?, n.node.address?)))
        .collect();
    NamedNodes {
        cache: cache.to_string(),
        kind,
        unknown: nodes.len() - known.len(),
        nodes: known,
        stands_for,
        assumption: None,
    }
}

fn labels(nodes: &[NodeRef<'_>]) -> String {
    nodes
        .iter()
        .map(NodeRef::label)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The cache node(s) the DNS name `name` stands for, when it is an ElastiCache endpoint of
/// the snapshot.
pub fn cache_name(t: &Topology, name: &str) -> Option<NamedNodes> {
    let want = name.trim().trim_end_matches('.');
    if want.is_empty() {
        return None;
    }
    for c in &t.cache_clusters {
        for n in &c.nodes {
            if same(&n.endpoint, want) {
                let r = [NodeRef {
                    cluster: c,
                    node: n,
                }];
                let cache = c
                    .replication_group
                    .as_ref()
                    .map(|g| g.id.clone())
                    .unwrap_or_else(|| c.id.clone());
                let s = format!("node {}", r[0].label());
                return Some(named(&cache, "node endpoint", &r, s));
            }
        }
    }
    for rg in &t.replication_groups {
        let members: Vec<NodeRef<'_>> = rg
            .members
            .iter()
            .filter_map(|m| m.idx)
            .map(|m| &t.cache_clusters[m.i()])
            .flat_map(|c| {
                c.nodes.iter().map(move |n| NodeRef {
                    cluster: c,
                    node: n,
                })
            })
            .collect();
        let role = |r: &str| -> Vec<NodeRef<'_>> {
            members
                .iter()
                .filter(|n| {
                    n.node
                        .role
                        .as_deref()
                        .is_some_and(|x| x.eq_ignore_ascii_case(r))
                })
                .map(|n| NodeRef {
                    cluster: n.cluster,
                    node: n.node,
                })
                .collect()
        };
        let all = || -> Vec<NodeRef<'_>> {
            members
                .iter()
                .map(|n| NodeRef {
                    cluster: n.cluster,
                    node: n.node,
                })
                .collect()
        };
        let unknown_roles = members.iter().all(|n| n.node.role.is_none());
        let roles_note = format!(
            "the snapshot does not say which node of {} is primary now (NodeGroupMembers[].CurrentRole): every node is taken",
            rg.id
        );
        if same(&rg.primary_endpoint, want) {
            let primary = role("primary");
            let x = if primary.is_empty() {
                let all = all();
                let s = format!("every node ({})", labels(&all));
                let mut x = named(&rg.id, "primary endpoint", &all, s);
                x.assumption = Some(roles_note);
                x
            } else {
                let s = format!("the primary node {}", labels(&primary));
                let mut x = named(&rg.id, "primary endpoint", &primary, s);
                x.assumption = Some(
                    "AWS resolves a primary endpoint to the node that is primary now (NodeGroupMembers[].CurrentRole); a failover moves it"
                        .into(),
                );
                x
            };
            return Some(x);
        }
        if same(&rg.reader_endpoint, want) {
            let replicas = role("replica");
            let (nodes, s, note) = if unknown_roles {
                let all = all();
                let s = format!("every node ({})", labels(&all));
                (all, s, roles_note)
            } else if replicas.is_empty() {
                let all = all();
                let s = format!("the only node {} (no replica)", labels(&all));
                let note = format!(
                    "the reader endpoint of {} has no replica to resolve to: it resolves to the primary",
                    rg.id
                );
                (all, s, note)
            } else {
                let s = format!("the replicas {}", labels(&replicas));
                let note = format!(
                    "the reader endpoint of {} resolves to one of its replicas per connection (round robin DNS): each replica is taken",
                    rg.id
                );
                (replicas, s, note)
            };
            let mut x = named(&rg.id, "reader endpoint", &nodes, s);
            x.assumption = Some(note);
            return Some(x);
        }
        if same(&rg.configuration_endpoint, want) {
            let all = all();
            let s = format!("every node ({})", labels(&all));
            let mut x = named(&rg.id, "configuration endpoint", &all, s);
            x.assumption = Some(format!(
                "the configuration endpoint of {} is discovery: clients then connect to the node addresses it returns, so every node is taken",
                rg.id
            ));
            return Some(x);
        }
    }
    for c in &t.cache_clusters {
        if c.replication_group.is_none() && same(&c.configuration_endpoint, want) {
            let all: Vec<NodeRef<'_>> = c
                .nodes
                .iter()
                .map(|n| NodeRef {
                    cluster: c,
                    node: n,
                })
                .collect();
            let s = format!("every node ({})", labels(&all));
            let mut x = named(&c.id, "configuration endpoint", &all, s);
            x.assumption = Some(format!(
                "the configuration endpoint of {} is discovery: clients then connect to the node addresses it returns, so every node is taken",
                c.id
            ));
            return Some(x);
        }
    }
    for s in &t.serverless_caches {
        if same(&s.endpoint, want) || same(&s.reader_endpoint, want) {
            let nodes: Vec<(EniIdx, IpAddr)> = s
                .network_interfaces
                .iter()
                .filter_map(|e| {
                    let a = t.network_interfaces[e.i()].private_addresses().next()?;
                    Some((*e, a))
                })
                .collect();
            let ids: Vec<&str> = s
                .network_interfaces
                .iter()
                .map(|e| t.network_interfaces[e.i()].id.as_str())
                .collect();
            return Some(NamedNodes {
                cache: s.name.clone(),
                kind: "endpoint",
                unknown: s.network_interfaces.len() - nodes.len(),
                nodes,
                stands_for: format!("its endpoint interfaces ({})", ids.join(", ")),
                assumption: None,
            });
        }
    }
    None
}
