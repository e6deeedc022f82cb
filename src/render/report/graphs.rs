//! The topology graph as text: Graphviz DOT (`topology.dot`, the whole graph, for users with
//! Graphviz) and Mermaid flowcharts for `report.md` (the topology, capped like the SVG, and one
//! left-to-right flowchart per exposure path). Node ids are generated (`n0`, `n1`, …); snapshot
//! text only ever appears inside quoted, escaped labels.

use super::layout::Layout;
use crate::findings::report::{Exposure, ExposurePath};
use crate::findings::topology_graph::{EdgeKind, NodeKind, TopologyGraph};
use crate::render::escape::mermaid;
use petgraph::visit::EdgeRef;
use std::fmt::Write;

/// `text` inside a DOT double-quoted string: `\` and `"` escaped, line breaks as `\n`.
fn dot_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn dot_colour(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Internet => "#fde2e2",
        NodeKind::Range => "#fff1cc",
        NodeKind::Vpc => "#e3f0ff",
        NodeKind::TransitGateway => "#ece3ff",
        NodeKind::TgwRouteTable => "#f5f0ff",
        NodeKind::Cache(Exposure::Direct) => "#f28b82",
        NodeKind::Cache(Exposure::Relayed) => "#fbbc74",
        NodeKind::Cache(Exposure::Internal) => "#a8dab5",
    }
}

fn edge_style(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Propagation | EdgeKind::ReachesViaRelay => "dashed",
        EdgeKind::CacheIn => "dotted",
        EdgeKind::Reaches => "bold",
        _ => "solid",
    }
}

/// The whole graph in DOT (no cap: Graphviz lays out what the SVG leaves out).
pub fn dot(t: &TopologyGraph) -> String {
    let g = &t.graph;
    let mut out = String::from(
        "// vpcreach report: topology (render with `dot -Tsvg topology.dot > topology.svg`)\ngraph topology {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n",
    );
    for n in g.node_indices() {
        let node = &g[n];
        let _ = writeln!(
            out,
            "  n{} [label=\"{}\\n{}\\n{}\", fillcolor=\"{}\", class=\"{}\"];",
            n.index(),
            dot_str(node.title()),
            dot_str(&node.id),
            dot_str(&node.detail),
            dot_colour(&node.kind),
            node.kind.as_str()
        );
    }
    for e in g.edge_references() {
        let w = e.weight();
        let label = w.label.as_deref().unwrap_or(w.kind.as_str());
        let _ = writeln!(
            out,
            "  n{} -- n{} [label=\"{}\", style={}];",
            e.source().index(),
            e.target().index(),
            dot_str(label),
            edge_style(w.kind)
        );
    }
    out.push_str("}\n");
    out
}

/// The drawn part of the graph as a Mermaid flowchart (top to bottom).
pub fn mermaid_topology(t: &TopologyGraph, l: &Layout) -> String {
    let g = &t.graph;
    let mut out = String::from("```mermaid\nflowchart TB\n");
    for n in &l.order {
        let node = &g[*n];
        let label = if node.name.is_some() && node.kind != NodeKind::Range {
            format!("{} ({})", node.title(), node.id)
        } else {
            format!("{} ({})", node.title(), node.detail)
        };
        let _ = writeln!(out, "  n{}[\"{}\"]", n.index(), mermaid(&label));
    }
    let mut edges: Vec<_> = g
        .edge_references()
        .filter(|e| l.shows(e.source()) && l.shows(e.target()))
        .collect();
    edges.sort_by_key(|e| (e.weight().kind, e.source().index(), e.target().index()));
    for e in edges {
        let w = e.weight();
        let arrow = match w.kind {
            EdgeKind::Propagation | EdgeKind::ReachesViaRelay | EdgeKind::CacheIn => "-.-",
            EdgeKind::Reaches => "===",
            _ => "---",
        };
        let label = w.label.as_deref().unwrap_or(w.kind.as_str());
        let _ = writeln!(
            out,
            "  n{} {arrow}|\"{}\"| n{}",
            e.source().index(),
            mermaid(label),
            e.target().index()
        );
    }
    out.push_str("  classDef direct fill:#f28b82,stroke:#a50e0e\n");
    out.push_str("  classDef relayed fill:#fbbc74,stroke:#b06000\n");
    out.push_str("  classDef internal fill:#a8dab5,stroke:#137333\n");
    for (class, exp) in [
        ("direct", Exposure::Direct),
        ("relayed", Exposure::Relayed),
        ("internal", Exposure::Internal),
    ] {
        let ids: Vec<String> = l
            .order
            .iter()
            .filter(|n| g[**n].kind == NodeKind::Cache(exp))
            .map(|n| format!("n{}", n.index()))
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  class {} {class}", ids.join(","));
        }
    }
    out.push_str("```\n");
    out
}

/// One exposure path as a left-to-right Mermaid flowchart.
pub fn mermaid_path(p: &ExposurePath) -> String {
    let mut out = String::from("```mermaid\nflowchart LR\n");
    for (i, s) in p.steps.iter().enumerate() {
        let mut label = format!("{} {}", s.kind, s.id);
        if let Some(n) = &s.name {
            let _ = write!(label, " ({n})");
        }
        if let Some(r) = &s.rule {
            let _ = write!(label, ": {r}");
        }
        let _ = writeln!(out, "  s{i}[\"{}\"]", mermaid(&label));
    }
    for i in 1..p.steps.len() {
        let _ = writeln!(out, "  s{} --> s{i}", i - 1);
    }
    out.push_str("```\n");
    out
}
