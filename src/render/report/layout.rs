//! A layered layout of the topology graph for the report's SVG and Mermaid drawings: outside
//! sources on top, then VPCs, their caches, transit-gateway route tables and transit gateways.
//! Nodes in a layer are ordered by the barycentre of their neighbours in the layers already
//! placed (two sweeps), and a layer wider than [`PER_ROW`] nodes wraps onto several rows.
//! Large organisations are capped: at most [`MAX_VPCS`] VPCs (those with caches and transit
//! gateway or peering links first) and [`MAX_CACHES`] caches (exposed first) are drawn; the rest
//! are counted for an "and N more" note. Linear-logarithmic in the graph size.

use crate::findings::report::Exposure;
use crate::findings::topology_graph::{NodeKind, TopologyGraph};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::HashMap;

/// At most this many VPCs are drawn.
pub const MAX_VPCS: usize = 60;
/// At most this many caches are drawn.
pub const MAX_CACHES: usize = 60;
/// At most this many transit gateway route tables are drawn.
pub const MAX_TABLES: usize = 40;
/// Nodes per row before a layer wraps.
pub const PER_ROW: usize = 8;
/// Node box size and spacing, in SVG user units.
pub const NODE_W: f64 = 180.0;
pub const NODE_H: f64 = 48.0;
const GAP_X: f64 = 24.0;
const GAP_Y: f64 = 64.0;
const MARGIN: f64 = 24.0;

/// Where each drawn node goes.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// Top-left corner of each drawn node.
    pub pos: HashMap<NodeIndex, (f64, f64)>,
    /// Drawn nodes, in drawing order (layer by layer).
    pub order: Vec<NodeIndex>,
    pub width: f64,
    pub height: f64,
    /// Nodes of the graph not drawn, by kind (`VPCs`, `caches`, …).
    pub hidden: Vec<(&'static str, usize)>,
}

impl Layout {
    /// True when the node is drawn.
    pub fn shows(&self, n: NodeIndex) -> bool {
        self.pos.contains_key(&n)
    }

    /// The centre of a drawn node.
    pub fn centre(&self, n: NodeIndex) -> Option<(f64, f64)> {
        self.pos
            .get(&n)
            .map(|(x, y)| (x + NODE_W / 2.0, y + NODE_H / 2.0))
    }
}

/// Which nodes to draw: every outside source; the first VPCs by priority; caches of drawn VPCs
/// (exposed first); route tables and gateways linked to a drawn VPC.
fn visible(t: &TopologyGraph) -> (Vec<bool>, Vec<(&'static str, usize)>) {
    let g = &t.graph;
    let mut show = vec![false; g.node_count()];
    let degree = |n: NodeIndex| {
        g.edges(n)
            .filter(|e| {
                let o = if e.source() == n {
                    e.target()
                } else {
                    e.source()
                };
                matches!(
                    g[o].kind,
                    NodeKind::Vpc | NodeKind::TgwRouteTable | NodeKind::TransitGateway
                )
            })
            .count()
    };
    let cache_rank = |n: NodeIndex| match g[n].kind {
        NodeKind::Cache(Exposure::Direct) => 0,
        NodeKind::Cache(Exposure::Relayed) => 1,
        _ => 2,
    };
    let mut vpcs: Vec<(usize, usize, NodeIndex)> = Vec::new();
    for n in g.node_indices() {
        match g[n].kind {
            NodeKind::Internet | NodeKind::Range => show[n.index()] = true,
            NodeKind::Vpc => {
                let best_cache = g
                    .neighbors(n)
                    .filter(|m| matches!(g[*m].kind, NodeKind::Cache(_)))
                    .map(cache_rank)
                    .min()
                    .unwrap_or(3);
                vpcs.push((best_cache, usize::MAX - degree(n), n));
            }
            _ => {}
        }
    }
    vpcs.sort();
    let mut hidden = Vec::new();
    let hidden_vpcs = vpcs.len().saturating_sub(MAX_VPCS);
    for (_, _, n) in vpcs.iter().take(MAX_VPCS) {
        show[n.index()] = true;
    }
    let mut caches: Vec<(usize, NodeIndex)> = g
        .node_indices()
        .filter(|n| matches!(g[*n].kind, NodeKind::Cache(_)))
        .filter(|n| {
            let mut vpc = g
                .neighbors(*n)
                .filter(|m| g[*m].kind == NodeKind::Vpc)
                .peekable();
            vpc.peek().is_none() || vpc.any(|m| show[m.index()])
        })
        .map(|n| (cache_rank(n), n))
        .collect();
    caches.sort();
    let all_caches = g
        .node_indices()
        .filter(|n| matches!(g[*n].kind, NodeKind::Cache(_)))
        .count();
    for (_, n) in caches.iter().take(MAX_CACHES) {
        show[n.index()] = true;
    }
    let shown_caches = caches.len().min(MAX_CACHES);
    let mut tables = 0;
    let mut hidden_tables = 0;
    for n in g.node_indices() {
        if g[n].kind == NodeKind::TgwRouteTable {
            if g.neighbors(n).any(|m| show[m.index()]) && tables < MAX_TABLES {
                show[n.index()] = true;
                tables += 1;
            } else {
                hidden_tables += 1;
            }
        }
    }
    let mut hidden_tgws = 0;
    for n in g.node_indices() {
        if g[n].kind == NodeKind::TransitGateway {
            if g.neighbors(n).any(|m| show[m.index()]) {
                show[n.index()] = true;
            } else {
                hidden_tgws += 1;
            }
        }
    }
    for (what, count) in [
        ("VPCs", hidden_vpcs),
        ("caches", all_caches - shown_caches),
        ("transit gateway route tables", hidden_tables),
        ("transit gateways", hidden_tgws),
    ] {
        if count > 0 {
            hidden.push((what, count));
        }
    }
    (show, hidden)
}

/// Lay out the graph.
pub fn layout(t: &TopologyGraph) -> Layout {
    let g = &t.graph;
    let (show, hidden) = visible(t);
    let mut layers: Vec<Vec<NodeIndex>> = vec![Vec::new(); 5];
    for n in g.node_indices().filter(|n| show[n.index()]) {
        layers[g[n].kind.layer()].push(n);
    }
    let mut rank: HashMap<NodeIndex, f64> = HashMap::new();
    let set_ranks = |layer: &[NodeIndex], rank: &mut HashMap<NodeIndex, f64>| {
        for (i, n) in layer.iter().enumerate() {
            rank.insert(*n, i as f64);
        }
    };
    for l in &layers {
        set_ranks(l, &mut rank);
    }
    // Two sweeps: each layer ordered by the mean rank of its drawn neighbours in other layers.
    for _ in 0..2 {
        for (li, layer) in layers.iter_mut().enumerate().skip(1) {
            let mut keyed: Vec<(f64, usize, NodeIndex)> = layer
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let ns: Vec<f64> = g
                        .neighbors(*n)
                        .filter(|m| show[m.index()] && g[*m].kind.layer() != li)
                        .filter_map(|m| rank.get(&m).copied())
                        .collect();
                    let b = if ns.is_empty() {
                        i as f64
                    } else {
                        ns.iter().sum::<f64>() / ns.len() as f64
                    };
                    (b, i, *n)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            *layer = keyed.into_iter().map(|(_, _, n)| n).collect();
            set_ranks(layer, &mut rank);
        }
    }
    let widest = layers
        .iter()
        .map(|l| l.len().min(PER_ROW))
        .max()
        .unwrap_or(1)
        .max(1);
    let width = MARGIN * 2.0 + widest as f64 * (NODE_W + GAP_X) - GAP_X;
    let mut out = Layout {
        hidden,
        width,
        ..Layout::default()
    };
    // Rows top to bottom; the VPC layer (the widest) is centred, the other one-row layers sit
    // under (or above) the mean x of their already placed neighbours, pushed apart to keep
    // their order and gap, and kept inside the drawing.
    let mut x_of: HashMap<NodeIndex, f64> = HashMap::new();
    let mut rows: Vec<(usize, Vec<NodeIndex>)> = Vec::new();
    for (li, l) in layers.iter().enumerate() {
        for row in l.chunks(PER_ROW) {
            rows.push((li, row.to_vec()));
        }
    }
    let step = NODE_W + GAP_X;
    let centred = |row: &[NodeIndex], x_of: &mut HashMap<NodeIndex, f64>| {
        let row_w = row.len() as f64 * step - GAP_X;
        let mut x = (width - row_w) / 2.0;
        for n in row {
            x_of.insert(*n, x);
            x += step;
        }
    };
    // First the VPC rows and any wrapped row, centred; then the others by barycentre, the
    // layers below the VPCs first and the outside sources last.
    for (li, row) in &rows {
        if *li == 1 || layers[*li].len() > PER_ROW {
            centred(row, &mut x_of);
        }
    }
    let mut by_bary: Vec<&(usize, Vec<NodeIndex>)> = rows
        .iter()
        .filter(|(li, _)| *li != 1 && layers[*li].len() <= PER_ROW)
        .collect();
    by_bary.sort_by_key(|(li, _)| if *li == 0 { usize::MAX } else { *li });
    for (_, row) in by_bary {
        let mut want: Vec<(f64, NodeIndex)> = row
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let xs: Vec<f64> = g
                    .neighbors(*n)
                    .filter_map(|m| x_of.get(&m).copied())
                    .collect();
                let x = if xs.is_empty() {
                    (width - (row.len() as f64 * step - GAP_X)) / 2.0 + i as f64 * step
                } else {
                    xs.iter().sum::<f64>() / xs.len() as f64
                };
                (x, *n)
            })
            .collect();
        want.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut last = f64::MIN;
        for w in want.iter_mut() {
            w.0 = w.0.max(MARGIN).max(last + step);
            last = w.0;
        }
        let overflow = last + NODE_W + MARGIN - width;
        for (x, n) in want {
            x_of.insert(n, if overflow > 0.0 { x - overflow } else { x });
        }
    }
    let mut y = MARGIN;
    for (_, row) in &rows {
        let mut placed: Vec<NodeIndex> = row.clone();
        placed.sort_by(|a, b| x_of[a].total_cmp(&x_of[b]));
        for n in placed {
            out.pos.insert(n, (x_of[&n], y));
            out.order.push(n);
        }
        y += NODE_H + GAP_Y;
    }
    out.height = y - GAP_Y + MARGIN;
    out
}
