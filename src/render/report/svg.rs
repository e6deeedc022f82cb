//! Inline SVG drawings of the report: the topology graph (laid out by [`super::layout`]) and one
//! left-to-right path diagram per exposed cache. Every piece of snapshot text is HTML-escaped
//! (labels, tooltips, attribute values); long labels are shortened, with the whole text in the
//! node's `<title>` tooltip. Styling is by class (the report's inline CSS), so the drawing
//! needs neither script nor fonts.

use super::layout::{layout, Layout, NODE_H, NODE_W};
use crate::findings::report::{Exposure, ExposurePath};
use crate::findings::topology_graph::{EdgeKind, NodeKind, TopologyGraph};
use crate::render::escape::html;
use petgraph::visit::EdgeRef;
use std::fmt::Write;

/// Characters of a label line before it is shortened.
const LABEL: usize = 26;

/// `text` shortened to `max` characters (an ellipsis marks the cut).
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// The CSS class of a node kind.
pub fn node_class(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Internet => "n-internet",
        NodeKind::Range => "n-range",
        NodeKind::Vpc => "n-vpc",
        NodeKind::TransitGateway => "n-tgw",
        NodeKind::TgwRouteTable => "n-tgwrt",
        NodeKind::Cache(Exposure::Direct) => "n-cache-direct",
        NodeKind::Cache(Exposure::Relayed) => "n-cache-relayed",
        NodeKind::Cache(Exposure::Internal) => "n-cache-internal",
    }
}

/// The CSS class of an edge kind.
pub fn edge_class(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Peering => "e-peering",
        EdgeKind::Association => "e-assoc",
        EdgeKind::Propagation => "e-prop",
        EdgeKind::RouteTableOf => "e-rt",
        EdgeKind::InternetGateway => "e-igw",
        EdgeKind::CacheIn => "e-in",
        EdgeKind::Reaches => "e-reach",
        EdgeKind::ReachesViaRelay => "e-relay",
    }
}

/// The topology drawing, and its layout (for the "and N more" note).
pub fn topology(t: &TopologyGraph) -> (String, Layout) {
    let l = layout(t);
    let g = &t.graph;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="topology" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" role="img" aria-label="Topology graph">"#,
        w = l.width,
        h = l.height
    );
    out.push_str(r#"<g class="edges">"#);
    let mut edges: Vec<_> = g.edge_references().collect();
    edges.sort_by_key(|e| e.weight().kind);
    for e in edges {
        let (Some(a), Some(b)) = (l.centre(e.source()), l.centre(e.target())) else {
            continue;
        };
        let class = edge_class(e.weight().kind);
        let title = e
            .weight()
            .label
            .as_deref()
            .unwrap_or(e.weight().kind.as_str());
        if (a.1 - b.1).abs() < 1.0 {
            // Same row (peering): an arc above the boxes.
            let top = a.1 - NODE_H / 2.0;
            let lift = 20.0 + (a.0 - b.0).abs() / 12.0;
            let _ = write!(
                out,
                r#"<path class="{class}" d="M {:.1} {top:.1} C {:.1} {:.1}, {:.1} {:.1}, {:.1} {top:.1}"><title>{}</title></path>"#,
                a.0,
                a.0,
                top - lift,
                b.0,
                top - lift,
                b.0,
                html(title)
            );
        } else {
            let my = (a.1 + b.1) / 2.0;
            let _ = write!(
                out,
                r#"<path class="{class}" d="M {:.1} {:.1} C {:.1} {my:.1}, {:.1} {my:.1}, {:.1} {:.1}"><title>{}</title></path>"#,
                a.0,
                a.1,
                a.0,
                b.0,
                b.0,
                b.1,
                html(title)
            );
        }
    }
    out.push_str("</g><g class=\"nodes\">");
    for n in &l.order {
        let node = &g[*n];
        let (x, y) = l.pos[n];
        let tip = format!("{} ({}) — {}", node.title(), node.id, node.detail);
        let _ = write!(
            out,
            r#"<g class="node {}"><title>{}</title><rect x="{x:.1}" y="{y:.1}" width="{NODE_W}" height="{NODE_H}" rx="6"/><text x="{:.1}" y="{:.1}" class="t1">{}</text><text x="{:.1}" y="{:.1}" class="t2">{}</text></g>"#,
            node_class(&node.kind),
            html(&tip),
            x + 8.0,
            y + 19.0,
            html(&shorten(node.title(), LABEL)),
            x + 8.0,
            y + 37.0,
            html(&shorten(
                if node.name.is_some() && node.kind != NodeKind::Range {
                    &node.id
                } else {
                    &node.detail
                },
                LABEL + 4
            )),
        );
    }
    out.push_str("</g></svg>");
    (out, l)
}

/// One exposure path, left to right: a box per step, arrows between.
pub fn path(p: &ExposurePath) -> String {
    const W: f64 = 150.0;
    const H: f64 = 54.0;
    const GAP: f64 = 34.0;
    let n = p.steps.len().max(1) as f64;
    let width = 8.0 + n * (W + GAP) - GAP + 8.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="path" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {:.0}" width="{width:.0}" role="img" aria-label="Path from {} to {}">"#,
        H + 16.0,
        html(&p.source),
        html(&p.cache)
    );
    for (i, s) in p.steps.iter().enumerate() {
        let x = 8.0 + i as f64 * (W + GAP);
        let y = 8.0;
        let class = match s.kind.as_str() {
            "internet" | "range" | "session-manager" => "s-source",
            "relay" => "s-relay",
            "cache" => "s-cache",
            "security-group" | "network-acl" => "s-filter",
            _ => "s-gateway",
        };
        let title = s.name.as_deref().unwrap_or(&s.id);
        let tip = format!(
            "{} {}{}{}",
            s.kind,
            s.id,
            s.name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default(),
            s.rule
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        );
        let _ = write!(
            out,
            r#"<g class="step {class}"><title>{}</title><rect x="{x:.1}" y="{y:.1}" width="{W}" height="{H}" rx="5"/><text x="{:.1}" y="{:.1}" class="t2">{}</text><text x="{:.1}" y="{:.1}" class="t1">{}</text><text x="{:.1}" y="{:.1}" class="t2">{}</text></g>"#,
            html(&tip),
            x + 7.0,
            y + 15.0,
            html(&s.kind),
            x + 7.0,
            y + 32.0,
            html(&shorten(title, 20)),
            x + 7.0,
            y + 47.0,
            html(&shorten(s.rule.as_deref().unwrap_or(""), 24)),
        );
        if i + 1 < p.steps.len() {
            let ax = x + W;
            let ay = y + H / 2.0;
            let _ = write!(
                out,
                r#"<path class="arrow" d="M {ax:.1} {ay:.1} L {:.1} {ay:.1} M {:.1} {:.1} L {:.1} {ay:.1} L {:.1} {:.1}"/>"#,
                ax + GAP - 2.0,
                ax + GAP - 8.0,
                ay - 5.0,
                ax + GAP - 2.0,
                ax + GAP - 8.0,
                ay + 5.0
            );
        }
    }
    out.push_str("</svg>");
    out
}
