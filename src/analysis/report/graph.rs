//! Builds the report's [`TopologyGraph`] from the model and the audit: VPCs, active peerings,
//! transit gateways, their route tables (routing domains) with the VPC attachments associated
//! with or propagating into each, internet gateways (an edge from the internet), the named
//! outside ranges, and the caches coloured by exposure with an edge from each outside source
//! that reaches them. Linear in the size of the snapshot; nodes are added in sorted id order.

use crate::findings::audit_report::{AuditReport, SourceKind};
use crate::findings::report::exposure_of;
use crate::findings::topology_graph::*;
use crate::model::*;
use petgraph::graph::NodeIndex;
use std::collections::{BTreeSet, HashMap};

/// The graph of `t`, with the caches and outside sources of `audit`.
pub fn build(t: &Topology, audit: &AuditReport) -> TopologyGraph {
    let mut g = TopologyGraph::default();
    let mut ids: HashMap<String, NodeIndex> = HashMap::new();
    let mut add = |g: &mut TopologyGraph, node: Node| -> NodeIndex {
        let id = node.id.clone();
        *ids.entry(id).or_insert_with(|| g.graph.add_node(node))
    };
    let internet = add(
        &mut g,
        Node {
            kind: NodeKind::Internet,
            id: "internet".into(),
            name: None,
            detail: "public addresses".into(),
        },
    );
    let mut ranges: HashMap<&str, NodeIndex> = HashMap::new();
    for s in &audit.sources {
        let n = add(
            &mut g,
            Node {
                kind: NodeKind::Range,
                id: format!("range:{}", s.name),
                name: Some(s.name.clone()),
                detail: s.blocks.join(", "),
            },
        );
        ranges.insert(&s.name, n);
    }
    let mut vpc_order: Vec<usize> = (0..t.vpcs.len()).collect();
    vpc_order.sort_by(|a, b| t.vpcs[*a].id.cmp(&t.vpcs[*b].id));
    let mut vpc_node: Vec<Option<NodeIndex>> = vec![None; t.vpcs.len()];
    for i in vpc_order {
        let v = &t.vpcs[i];
        let blocks: Vec<String> = v.cidrs().map(|c| c.to_string()).collect();
        vpc_node[i] = Some(add(
            &mut g,
            Node {
                kind: NodeKind::Vpc,
                id: v.id.clone(),
                name: v.name.clone(),
                detail: format!("{} · {}", blocks.join(", "), t.scope_name(v.scope)),
            },
        ));
    }
    let vpc_of = |r: &Ref<VpcIdx>| r.idx.and_then(|i| vpc_node.get(i.i()).copied().flatten());
    // Internet gateways.
    let mut igw_vpcs: BTreeSet<NodeIndex> = BTreeSet::new();
    for igw in t.internet_gateways.iter().filter(|x| x.active) {
        for (vpc, state) in &igw.attachments {
            if matches!(state.as_str(), "available" | "attached") {
                if let Some(n) = vpc_of(vpc) {
                    if igw_vpcs.insert(n) {
                        g.graph.add_edge(
                            internet,
                            n,
                            Edge {
                                kind: EdgeKind::InternetGateway,
                                label: Some(igw.id.clone()),
                            },
                        );
                    }
                }
            }
        }
    }
    // Peerings.
    let mut peerings: Vec<&VpcPeeringConnection> = t
        .vpc_peering_connections
        .iter()
        .filter(|p| p.active)
        .collect();
    peerings.sort_by(|a, b| a.id.cmp(&b.id));
    for p in peerings {
        if let (Some(a), Some(b)) = (vpc_of(&p.requester.vpc), vpc_of(&p.accepter.vpc)) {
            g.graph.add_edge(
                a,
                b,
                Edge {
                    kind: EdgeKind::Peering,
                    label: Some(p.id.clone()),
                },
            );
        }
    }
    transit_gateways(t, &mut g, &mut add, &vpc_of);
    // Caches and who reaches them from outside.
    let vpc_by_id: HashMap<&str, NodeIndex> = t
        .vpcs
        .iter()
        .zip(&vpc_node)
        .filter_map(|(v, n)| n.map(|n| (v.id.as_str(), n)))
        .collect();
    for c in &audit.caches {
        let n = add(
            &mut g,
            Node {
                kind: NodeKind::Cache(exposure_of(c)),
                id: format!("cache:{}", c.cache),
                name: Some(c.cache.clone()),
                detail: format!(
                    "{} {} · TLS {} · AUTH {}",
                    c.engine,
                    c.kind,
                    if c.transit_encryption { "on" } else { "off" },
                    if c.auth { "on" } else { "off" }
                ),
            },
        );
        if let Some(v) = c.vpc.as_deref().and_then(|v| vpc_by_id.get(v).copied()) {
            g.graph.add_edge(
                v,
                n,
                Edge {
                    kind: EdgeKind::CacheIn,
                    label: None,
                },
            );
        }
        let mut seen: BTreeSet<(usize, Option<String>)> = BTreeSet::new();
        for b in &c.reached_by {
            let from = match b.kind {
                SourceKind::Internet => internet,
                SourceKind::Range => match ranges.get(b.source.as_str()) {
                    Some(r) => *r,
                    None => continue,
                },
                _ => continue,
            };
            let relay = b.via.as_ref().map(|v| v.relay.clone());
            if !seen.insert((from.index(), relay.clone())) {
                continue;
            }
            let (kind, label) = match &b.via {
                None => (EdgeKind::Reaches, Some(format!("direct, port {}", b.ports))),
                Some(v) => (
                    EdgeKind::ReachesViaRelay,
                    Some(format!(
                        "via {}",
                        v.relay_name.clone().unwrap_or_else(|| v.relay.clone())
                    )),
                ),
            };
            g.graph.add_edge(from, n, Edge { kind, label });
        }
    }
    g
}

/// Transit gateways, their route tables, and the VPC attachments' associations and
/// propagations (an attachment with no association joins the gateway itself).
fn transit_gateways(
    t: &Topology,
    g: &mut TopologyGraph,
    add: &mut impl FnMut(&mut TopologyGraph, Node) -> NodeIndex,
    vpc_of: &impl Fn(&Ref<VpcIdx>) -> Option<NodeIndex>,
) {
    let mut tgws: Vec<usize> = (0..t.transit_gateways.len())
        .filter(|i| t.transit_gateways[*i].active)
        .collect();
    tgws.sort_by(|a, b| t.transit_gateways[*a].id.cmp(&t.transit_gateways[*b].id));
    for ti in tgws {
        let tgw = &t.transit_gateways[ti];
        let tn = add(
            g,
            Node {
                kind: NodeKind::TransitGateway,
                id: tgw.id.clone(),
                name: tgw.name.clone(),
                detail: t.scope_name(tgw.scope),
            },
        );
        let mut associated: BTreeSet<usize> = BTreeSet::new();
        let mut tables: Vec<&TransitGatewayRouteTable> = tgw
            .route_tables
            .iter()
            .map(|r| &t.transit_gateway_route_tables[r.i()])
            .filter(|r| r.active)
            .collect();
        tables.sort_by(|a, b| a.id.cmp(&b.id));
        for rt in tables {
            let mut flags = Vec::new();
            if rt.default_association {
                flags.push("default association");
            }
            if rt.default_propagation {
                flags.push("default propagation");
            }
            let rn = add(
                g,
                Node {
                    kind: NodeKind::TgwRouteTable,
                    id: rt.id.clone(),
                    name: rt.name.clone(),
                    detail: if flags.is_empty() {
                        "route table".into()
                    } else {
                        flags.join(", ")
                    },
                },
            );
            g.graph.add_edge(
                tn,
                rn,
                Edge {
                    kind: EdgeKind::RouteTableOf,
                    label: None,
                },
            );
            for (kind, list) in [
                (EdgeKind::Association, &rt.associations),
                (EdgeKind::Propagation, &rt.propagations),
            ] {
                let mut seen: BTreeSet<NodeIndex> = BTreeSet::new();
                for b in list.iter().filter(|b| b.active) {
                    let Some(ai) = b.attachment.idx else { continue };
                    let att = &t.transit_gateway_attachments[ai.i()];
                    let Some(v) = att.vpc.as_ref().and_then(vpc_of) else {
                        continue;
                    };
                    if kind == EdgeKind::Association {
                        associated.insert(ai.i());
                    }
                    if seen.insert(v) {
                        g.graph.add_edge(
                            v,
                            rn,
                            Edge {
                                kind,
                                label: Some(att.id.clone()),
                            },
                        );
                    }
                }
            }
        }
        for a in &tgw.attachments {
            let att = &t.transit_gateway_attachments[a.i()];
            if !att.active || associated.contains(&a.i()) {
                continue;
            }
            if let Some(v) = att.vpc.as_ref().and_then(vpc_of) {
                g.graph.add_edge(
                    v,
                    tn,
                    Edge {
                        kind: EdgeKind::Association,
                        label: Some(format!("{} (no route table)", att.id)),
                    },
                );
            }
        }
    }
}
