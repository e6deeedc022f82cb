//! Table rendering with comfy-table.

use super::width::{fit, grid, PIPED};
use crate::diag::Diagnostic;
use crate::findings::inventory::Inventory;
use std::fmt::Write;

/// A table being filled: its header and rows of cell texts, laid out by [`grid`] when printed.
struct Rows {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Rows {
    fn add_row(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    fn render(&self, width: usize) -> String {
        grid(&self.header, &self.rows, width)
    }
}

fn table(header: &[&'static str]) -> Rows {
    Rows {
        header: header.to_vec(),
        rows: Vec::new(),
    }
}

fn cell<T: ToString>(v: T) -> String {
    v.to_string()
}

/// Render diagnostics one per line (`severity[code] file#pointer: message`).
pub fn diagnostics(out: &mut String, diags: &[Diagnostic]) {
    for d in diags {
        let _ = writeln!(out, "  {}", super::escape::one_line(&d.to_string()));
    }
}

/// The inventory as tables, at most [`PIPED`] columns wide.
pub fn inventory(inv: &Inventory) -> String {
    inventory_at(inv, PIPED)
}

/// The inventory as tables no wider than `width` columns.
pub fn inventory_at(inv: &Inventory, width: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Snapshot: {}", inv.snapshot);
    for s in &inv.scopes {
        let _ = writeln!(
            out,
            "\nAccount {} ({}), region {} ({})",
            s.account,
            source(s.account_source),
            s.region,
            source(s.region_source)
        );
        let mut t = table(&["resource", "count", "inactive"]);
        for (k, v) in &s.counts {
            if *v == 0 {
                continue;
            }
            let inactive = s.inactive.get(k).map(|n| n.to_string()).unwrap_or_default();
            t.add_row(vec![cell(k.replace('_', " ")), cell(v), cell(inactive)]);
        }
        let _ = writeln!(out, "{}", t.render(width));
        if !s.dns_assumed_vpcs.is_empty() {
            let _ = writeln!(
                out,
                "Note: no DNS attributes for {} (assumed EnableDnsSupport=true, EnableDnsHostnames=IsDefault)",
                s.dns_assumed_vpcs.join(", ")
            );
        }
        if !s.caches.is_empty() {
            let mut t = table(&[
                "cache",
                "kind",
                "engine",
                "status",
                "endpoints",
                "ports",
                "nodes",
                "TLS/AUTH",
            ]);
            for c in &s.caches {
                let endpoints: Vec<String> = c
                    .endpoints
                    .iter()
                    .map(|e| {
                        format!(
                            "{}:{}",
                            e.address.as_deref().unwrap_or("?"),
                            e.port.map(|p| p.to_string()).unwrap_or("?".into())
                        )
                    })
                    .collect();
                let nodes: Vec<String> = c
                    .nodes
                    .iter()
                    .map(|n| {
                        format!(
                            "{} {} {}",
                            n.id,
                            n.address.as_deref().unwrap_or("(no address)"),
                            n.availability_zone.as_deref().unwrap_or("")
                        )
                    })
                    .collect();
                let ports: Vec<String> = c.ports.iter().map(|p| p.to_string()).collect();
                t.add_row(vec![
                    cell(&c.id),
                    cell(c.kind),
                    cell(&c.engine),
                    cell(if c.active {
                        c.status.clone()
                    } else {
                        format!("{} (inactive)", c.status)
                    }),
                    cell(endpoints.join("\n")),
                    cell(ports.join(", ")),
                    cell(nodes.join("\n")),
                    cell(format!(
                        "{}/{}",
                        yes(c.transit_encryption),
                        yes(c.auth_token)
                    )),
                ]);
            }
            let _ = writeln!(out, "{}", t.render(width));
        }
    }
    let _ = writeln!(
        out,
        "\n{} file(s): {} error(s), {} warning(s), {} note(s)",
        inv.files.len(),
        inv.errors,
        inv.warnings,
        inv.notes
    );
    let ignored: Vec<String> = inv
        .files
        .iter()
        .filter(|f| !f.ignored.is_empty())
        .map(|f| format!("  {}: {}", f.path, f.ignored.join(", ")))
        .collect();
    if !ignored.is_empty() {
        let _ = writeln!(
            out,
            "Known but not modelled (ignored):\n{}",
            ignored.join("\n")
        );
    }
    if !inv.diagnostics.is_empty() {
        let _ = writeln!(out, "Diagnostics:");
        diagnostics(&mut out, &inv.diagnostics);
    }
    fit(&super::escape::terminal_safe(&out), width)
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn source(s: crate::snapshot::scope::ScopeSource) -> &'static str {
    use crate::snapshot::scope::ScopeSource::*;
    match s {
        Path => "from path",
        Convention => "by Batfish convention",
        Contents => "guessed from contents",
        Unknown => "unknown",
    }
}

/// The `vpcreach overlaps` answer as tables: overlaps, per-finding details with remedies, route
/// mismatches, the plan and the what-if answer, at most [`PIPED`] columns wide.
pub fn overlaps(r: &crate::findings::overlaps::OverlapReport) -> String {
    overlaps_at(r, PIPED)
}

/// [`overlaps`] no wider than `width` columns.
pub fn overlaps_at(r: &crate::findings::overlaps::OverlapReport, width: usize) -> String {
    use crate::findings::overlaps::ImpactKind;
    let mut out = String::new();
    let load = r.incomplete_reasons();
    if !load.is_empty() {
        let _ = writeln!(
            out,
            "SNAPSHOT_INCOMPLETE: this report rests on data that did not load; overlaps or impacts may be missing"
        );
        for w in &load {
            let _ = writeln!(out, "  - {}", super::escape::one_line(w));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Snapshot: {}", r.snapshot);
    let vpc = |id: &str| match r.vpcs.get(id) {
        Some(v) => format!(
            "{}\n{}/{}",
            v.name
                .as_ref()
                .map(|n| format!("{n} ({id})"))
                .unwrap_or_else(|| id.to_string()),
            v.account,
            v.region
        ),
        None => id.to_string(),
    };
    let kind = |k: ImpactKind| match k {
        ImpactKind::TgwPropagationSuppressed => "TGW propagation suppressed",
        ImpactKind::PeeringImpossible => "peering impossible (inconsistent snapshot)",
        ImpactKind::Latent => "latent",
    };
    if r.overlaps.is_empty() {
        let _ = writeln!(out, "\nNo overlapping VPC blocks.");
    } else {
        let mut t = table(&[
            "#", "VPC a", "block a", "VPC b", "block b", "relation", "impact",
        ]);
        for (i, o) in r.overlaps.iter().enumerate() {
            let impacts: Vec<String> = o
                .impact
                .iter()
                .map(|imp| match (&imp.winner, &imp.route_table) {
                    (Some(w), Some(rt)) => format!("{} in {rt}: {w} wins", kind(imp.kind)),
                    _ => kind(imp.kind).to_string(),
                })
                .collect();
            t.add_row(vec![
                cell(i + 1),
                cell(vpc(&o.a)),
                cell(o.a_cidr),
                cell(vpc(&o.b)),
                cell(o.b_cidr),
                cell(o.relation.as_str()),
                cell(impacts.join("\n")),
            ]);
        }
        let _ = writeln!(out, "\n{}", t.render(width));
        for (i, o) in r.overlaps.iter().enumerate() {
            let _ = writeln!(
                out,
                "\n#{} {} {} / {} {}",
                i + 1,
                o.a,
                o.a_cidr,
                o.b,
                o.b_cidr
            );
            for imp in &o.impact {
                let _ = writeln!(out, "  {}: {}", kind(imp.kind), imp.explanation);
                if !imp.unreachable.is_empty() {
                    let _ = writeln!(out, "  unreachable from the rest of the TGW:");
                    for u in &imp.unreachable {
                        let _ = writeln!(
                            out,
                            "    {} {}{} {}{}",
                            u.kind,
                            u.id,
                            u.name
                                .as_ref()
                                .map(|n| format!(" ({n})"))
                                .unwrap_or_default(),
                            u.addresses.join(", "),
                            u.endpoint
                                .as_ref()
                                .map(|e| format!(" [{e}]"))
                                .unwrap_or_default()
                        );
                    }
                }
            }
            for rem in &o.remedies {
                let _ = writeln!(out, "  remedy: {}", rem.description);
            }
        }
    }
    if !r.tgw_route_mismatches.is_empty() {
        let mut t = table(&[
            "route table",
            "destination",
            "mismatch",
            "computed",
            "observed",
        ]);
        for m in &r.tgw_route_mismatches {
            t.add_row(vec![
                cell(&m.route_table),
                cell(m.destination),
                cell(m.kind),
                cell(m.computed_attachment.as_deref().unwrap_or("-")),
                cell(m.observed_attachment.as_deref().unwrap_or("-")),
            ]);
        }
        let _ = writeln!(
            out,
            "\nComputed vs observed TGW routes:\n{}",
            t.render(width)
        );
    }
    if let Some(p) = &r.plan {
        let pool: Vec<String> = p.pool.iter().map(|n| n.to_string()).collect();
        let _ = writeln!(out, "\nPlan (pool {}):", pool.join(", "));
        if !p.renumbering.is_empty() {
            let mut t = table(&["VPC", "current", "proposed", "note"]);
            for x in &p.renumbering {
                t.add_row(vec![
                    cell(vpc(&x.vpc)),
                    cell(x.current),
                    cell(
                        x.proposed
                            .map(|n| n.to_string())
                            .unwrap_or_else(|| "-".into()),
                    ),
                    cell(&x.note),
                ]);
            }
            let _ = writeln!(out, "{}", t.render(width));
        }
        for s in &p.shared_tgw_sets {
            let _ = writeln!(
                out,
                "  {}: {} VPC(s) can share one TGW: {}{}; left out: {} [{}]",
                s.region,
                s.vpcs.len(),
                s.vpcs.join(", "),
                if s.optimal {
                    ""
                } else {
                    " (not proven maximum)"
                },
                if s.excluded.is_empty() {
                    "none".to_string()
                } else {
                    s.excluded.join(", ")
                },
                s.method
            );
        }
    }
    if let Some(w) = &r.what_if {
        let _ = writeln!(
            out,
            "\nWhat if {} is attached to {}:",
            w.vpc, w.transit_gateway
        );
        let _ = writeln!(out, "  {}", w.explanation);
        for tb in &w.tables {
            let prop: Vec<String> = tb.propagated.iter().map(|n| n.to_string()).collect();
            let _ = writeln!(
                out,
                "  {} ({}): propagated {}",
                tb.route_table,
                tb.reason,
                if prop.is_empty() {
                    "nothing".to_string()
                } else {
                    prop.join(", ")
                }
            );
            for s in &tb.suppressed {
                let _ = writeln!(
                    out,
                    "    {} suppressed: {} {} ({}) wins",
                    s.cidr, s.winner, s.winner_cidr, s.winner_attachment
                );
            }
            for x in &tb.takes_traffic_from {
                let _ = writeln!(
                    out,
                    "    {} takes traffic from {} route {} → {}",
                    x.for_cidr,
                    x.kind,
                    x.destination,
                    x.attachment.as_deref().unwrap_or("blackhole")
                );
            }
        }
    }
    let s = &r.summary;
    let _ = writeln!(
        out,
        "\n{} block(s), {} overlap(s): {} TGW suppression, {} impossible peering, {} latent; {} TGW route mismatch(es)",
        s.vpc_blocks,
        s.overlaps,
        s.tgw_propagation_suppressed,
        s.peering_impossible,
        s.latent,
        s.tgw_route_mismatches
    );
    for w in &r.warnings {
        let _ = writeln!(out, "  warning: {}", super::escape::one_line(w));
    }
    fit(&super::escape::terminal_safe(&out), width)
}
