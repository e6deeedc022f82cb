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
        if !s.not_exported.is_empty() {
            let _ = writeln!(
                out,
                "Note: SNAPSHOT_KIND_NOT_EXPORTED: this folder holds subnets but no {} at all (not exported, not even an empty list): counted 0 here, which is unknown, not none",
                s.not_exported.join(", ")
            );
        }
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

/// [`overlaps`] no wider than `width` columns (the text [`super::overlaps_table::write`]
/// streams).
pub fn overlaps_at(r: &crate::findings::overlaps::OverlapReport, width: usize) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = super::overlaps_table::write(&mut out, r, width);
    String::from_utf8_lossy(&out).into_owned()
}
