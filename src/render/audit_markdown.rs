//! `audit` as Markdown: the same sections as the table, as headings and pipe tables (for a
//! wiki page or a pull-request comment). Cell text is escaped (`|`, newlines).

use super::audit_table::{
    enis, missing_codes, named, outside, privatelink_notes, proxy_rows, via_of, PROXY_HEADER,
    SSM_ROWS,
};
use crate::findings::audit_report::*;
use std::fmt::Write;

/// A cell: control characters and bidirectional overrides escaped (`\\e`, `\\u{202e}`), `|`
/// escaped, newlines as spaces.
fn cell(s: &str) -> String {
    super::escape::terminal_safe(s)
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(
        out,
        "|{}|",
        header.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// The whole report.
pub fn report(r: &AuditReport) -> String {
    let mut out = String::from("# vpcreach audit\n\n");
    if !r.incomplete.is_empty() {
        out.push_str("> **SNAPSHOT_INCOMPLETE**: this audit rests on data that did not load.\n");
        for w in &r.incomplete {
            let _ = writeln!(out, "> - {}", cell(w));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "- Snapshot: `{}`", r.snapshot);
    let _ = writeln!(
        out,
        "- Config: {}",
        r.config
            .as_deref()
            .map(|c| format!("`{c}`"))
            .unwrap_or_else(|| "none".into())
    );
    for s in &r.sources {
        let _ = writeln!(
            out,
            "- Source `{}`: {} ({})",
            s.name,
            s.blocks.join(", "),
            s.from
        );
    }
    out.push('\n');
    for c in &r.caches {
        let _ = writeln!(
            out,
            "## Cache `{}` ({}, {})\n\nPorts {}; in-transit encryption {}; AUTH {}; {}.\n",
            c.cache,
            c.kind,
            c.engine,
            c.ports
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            if c.transit_encryption { "on" } else { "off" },
            if c.auth { "on" } else { "off" },
            if outside(c) {
                "**reachable from outside**"
            } else if c.unknown.is_some() {
                "**unknown** (SNAPSHOT_INCOMPLETE: its nodes did not load)"
            } else {
                "not reachable from outside"
            }
        );
        let rows: Vec<Vec<String>> = c
            .reached_by
            .iter()
            .map(|b| {
                vec![
                    named(b.name.as_deref(), &b.source),
                    b.kind_str().to_string(),
                    via_of(b),
                    b.verdict.to_string(),
                    b.ports.clone(),
                    enis(b.enis.as_ref()),
                ]
            })
            .collect();
        if rows.is_empty() {
            out.push_str("Reached by nothing in the snapshot.\n\n");
        } else {
            table(
                &mut out,
                &["source", "kind", "via", "verdict", "ports", "interfaces"],
                &rows,
            );
            for n in privatelink_notes(c) {
                let _ = writeln!(out, "- {}", cell(&n));
            }
            if !privatelink_notes(c).is_empty() {
                out.push('\n');
            }
        }
    }
    if !r.relays.is_empty() {
        out.push_str("## Relays\n\n");
        let rows: Vec<Vec<String>> = r
            .relays
            .iter()
            .map(|x| {
                vec![
                    named(x.name.as_deref(), &x.host),
                    x.kind.clone(),
                    if x.declared { "yes" } else { "no" }.into(),
                    x.reached_from.join(", "),
                    x.reaches.join(", "),
                    x.notes.join("; "),
                ]
            })
            .collect();
        table(
            &mut out,
            &[
                "host",
                "kind",
                "declared",
                "reached from",
                "reaches",
                "notes",
            ],
            &rows,
        );
    }
    let egress = proxy_rows(r);
    if !egress.is_empty() {
        out.push_str("## Egress through proxies\n\n");
        table(&mut out, &PROXY_HEADER, &egress);
    }
    if !r.ssm.is_empty() {
        let ready = r.ssm.iter().filter(|s| s.ready).count();
        let _ = writeln!(
            out,
            "## SSM readiness\n\n{ready} of {} running instances ready.\n",
            r.ssm.len()
        );
        let rows: Vec<Vec<String>> = r
            .ssm
            .iter()
            .filter(|s| s.relay || r.ssm.len() <= SSM_ROWS)
            .map(|s| {
                vec![
                    named(s.name.as_deref(), &s.instance),
                    if s.relay { "yes" } else { "" }.into(),
                    if s.ready { "ready" } else { "not ready" }.into(),
                    missing_codes(s),
                ]
            })
            .collect();
        if !rows.is_empty() {
            table(&mut out, &["instance", "relay", "ready", "missing"], &rows);
        }
    }
    let _ = writeln!(out, "## Findings ({})\n", r.findings.len());
    if !r.findings.is_empty() {
        let rows: Vec<Vec<String>> = r
            .findings
            .iter()
            .map(|f| {
                vec![
                    f.severity.to_string(),
                    format!("`{}`", f.code),
                    named(f.name.as_deref(), &f.component),
                    f.cache.clone().unwrap_or_default(),
                    f.detail.clone(),
                    f.fix.clone(),
                ]
            })
            .collect();
        table(
            &mut out,
            &["severity", "code", "component", "cache", "detail", "fix"],
            &rows,
        );
    }
    out.push_str("## Assumptions\n\n");
    for a in &r.assumptions {
        let _ = writeln!(out, "- {a}");
    }
    out
}
