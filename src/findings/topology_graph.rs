//! The topology graph of a snapshot: VPCs, peerings, transit gateways and their route-table
//! domains, the internet and the named outside ranges, and the caches marked by exposure. A
//! petgraph graph (built by `crate::analysis::report::graph`), drawn by the report renderers
//! (SVG, DOT, Mermaid); also the place for "which VPCs can reach which" questions
//! ([`TopologyGraph::vpc_components`]).

use petgraph::graph::{NodeIndex, UnGraph};

/// What a node is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// The internet outside every VPC.
    Internet,
    /// A named outside range (`[sources]`, `--source`).
    Range,
    /// A VPC (with its account/region and CIDR blocks in `detail`).
    Vpc,
    /// A transit gateway.
    TransitGateway,
    /// A transit-gateway route table: one routing domain.
    TgwRouteTable,
    /// A cache and how it is exposed.
    Cache(Exposure),
}

impl NodeKind {
    /// Layer of the layered drawing, top to bottom.
    pub fn layer(&self) -> usize {
        match self {
            NodeKind::Internet | NodeKind::Range => 0,
            NodeKind::Vpc => 1,
            NodeKind::Cache(_) => 2,
            NodeKind::TgwRouteTable => 3,
            NodeKind::TransitGateway => 4,
        }
    }

    /// A short name of the kind (`vpc`, `tgw`, …), for DOT classes and legends.
    pub fn as_str(&self) -> &'static str {
        match self {
            NodeKind::Internet => "internet",
            NodeKind::Range => "range",
            NodeKind::Vpc => "vpc",
            NodeKind::TransitGateway => "transit-gateway",
            NodeKind::TgwRouteTable => "tgw-route-table",
            NodeKind::Cache(_) => "cache",
        }
    }
}

/// A node: an AWS object or an outside source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// The id (or `internet`, or the range name).
    pub id: String,
    /// The Name tag, when there is one.
    pub name: Option<String>,
    /// One more line: CIDR blocks, scope, engine.
    pub detail: String,
}

impl Node {
    /// The label's first line: the name when there is one, else the id.
    pub fn title(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// What an edge is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// An active VPC peering connection.
    Peering,
    /// A VPC attachment associated with a TGW route table (traffic from the VPC is routed by it).
    Association,
    /// A VPC attachment propagating its blocks into a TGW route table.
    Propagation,
    /// A route table of a transit gateway.
    RouteTableOf,
    /// A VPC with an internet gateway attached.
    InternetGateway,
    /// A cache in a VPC.
    CacheIn,
    /// An outside source reaches a cache directly.
    Reaches,
    /// An outside source reaches a cache through a relay.
    ReachesViaRelay,
}

impl EdgeKind {
    /// As printed in legends and DOT labels.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Peering => "peering",
            EdgeKind::Association => "associated",
            EdgeKind::Propagation => "propagates",
            EdgeKind::RouteTableOf => "route table",
            EdgeKind::InternetGateway => "internet gateway",
            EdgeKind::CacheIn => "in",
            EdgeKind::Reaches => "reaches",
            EdgeKind::ReachesViaRelay => "via relay",
        }
    }
}

/// An edge, with the id of what it stands for (a peering id, an attachment id, a relay id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeKind,
    pub label: Option<String>,
}

/// The graph. Nodes are added in a deterministic order (sorted ids), so every rendering of it
/// is reproducible.
#[derive(Clone, Debug, Default)]
pub struct TopologyGraph {
    pub graph: UnGraph<Node, Edge>,
}

impl TopologyGraph {
    /// The node of `id`, if any.
    pub fn find(&self, id: &str) -> Option<NodeIndex> {
        self.graph.node_indices().find(|&n| self.graph[n].id == id)
    }

    /// Groups of VPCs joined by peerings and shared transit-gateway routing domains (the
    /// connected components of the graph without the outside sources and caches), each sorted,
    /// largest first. A VPC alone in its group is connected to no other VPC.
    pub fn vpc_components(&self) -> Vec<Vec<String>> {
        let g = &self.graph;
        let inner = g.filter_map(
            |_, n| match n.kind {
                NodeKind::Vpc | NodeKind::TransitGateway | NodeKind::TgwRouteTable => {
                    Some(n.clone())
                }
                _ => None,
            },
            |_, e| Some(e.clone()),
        );
        let mut uf = petgraph::unionfind::UnionFind::<usize>::new(inner.node_count());
        for e in inner.edge_indices() {
            if let Some((a, b)) = inner.edge_endpoints(e) {
                uf.union(a.index(), b.index());
            }
        }
        let mut groups: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
        for n in inner.node_indices() {
            if inner[n].kind == NodeKind::Vpc {
                groups
                    .entry(uf.find(n.index()))
                    .or_default()
                    .push(inner[n].id.clone());
            }
        }
        let mut out: Vec<Vec<String>> = groups
            .into_values()
            .map(|mut v| {
                v.sort();
                v
            })
            .collect();
        out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        out
    }
}

/// How a cache is exposed, for colouring it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exposure {
    /// Reached from the internet or a named outside range without any relay.
    Direct,
    /// Reached from outside only through a relay.
    Relayed,
    /// Reached from inside the snapshot only (or by nothing).
    Internal,
}

impl Exposure {
    /// As printed (`direct`, `through a relay`, `internal only`).
    pub fn as_str(self) -> &'static str {
        match self {
            Exposure::Direct => "exposed directly",
            Exposure::Relayed => "exposed through a relay",
            Exposure::Internal => "internal only",
        }
    }
}

/// How a cache is exposed: directly when an outside source (internet, named range) reaches it
/// without a relay, through a relay when only with one.
pub fn exposure_of(c: &super::audit_report::CacheAudit) -> Exposure {
    use super::audit_report::SourceKind;
    let outside: Vec<_> = c
        .reached_by
        .iter()
        .filter(|b| matches!(b.kind, SourceKind::Internet | SourceKind::Range))
        .collect();
    if outside.iter().any(|b| b.via.is_none()) {
        Exposure::Direct
    } else if !outside.is_empty() || c.reached_by.iter().any(|b| b.via.is_some()) {
        Exposure::Relayed
    } else {
        Exposure::Internal
    }
}
