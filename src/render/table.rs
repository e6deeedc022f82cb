//! Table rendering with comfy-table.

use crate::diag::Diagnostic;
use crate::findings::inventory::Inventory;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};
use std::fmt::Write;

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(Cell::new));
    t
}

/// Render diagnostics one per line (`severity[code] file#pointer: message`).
pub fn diagnostics(out: &mut String, diags: &[Diagnostic]) {
    for d in diags {
        let _ = writeln!(out, "  {d}");
    }
}

/// The inventory as tables.
pub fn inventory(inv: &Inventory) -> String {
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
            t.add_row(vec![
                Cell::new(k.replace('_', " ")),
                Cell::new(v),
                Cell::new(inactive),
            ]);
        }
        let _ = writeln!(out, "{t}");
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
                    Cell::new(&c.id),
                    Cell::new(c.kind),
                    Cell::new(&c.engine),
                    Cell::new(if c.active {
                        c.status.clone()
                    } else {
                        format!("{} (inactive)", c.status)
                    }),
                    Cell::new(endpoints.join("\n")),
                    Cell::new(ports.join(", ")),
                    Cell::new(nodes.join("\n")),
                    Cell::new(format!(
                        "{}/{}",
                        yes(c.transit_encryption),
                        yes(c.auth_token)
                    )),
                ]);
            }
            let _ = writeln!(out, "{t}");
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
    out
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
