//! The report as GitHub-flavoured Markdown (`report.md`), for a pull request: the same sections
//! as the HTML page, pipe tables, and the diagrams as Mermaid flowcharts (GitHub renders them).
//! Snapshot text is escaped ([`markdown`] for prose, [`markdown_code`] for ids, [`mermaid`]
//! inside diagram labels); the file holds no raw HTML at all.

use super::tables::{self, Mark, Table};
use super::{codes_of, graphs, headline, layout};
use crate::findings::report::ReportData;
use crate::render::escape::{markdown, markdown_code};
use std::fmt::Write;

fn cell(c: &tables::Cell) -> String {
    if c.text.is_empty() {
        return String::new();
    }
    match c.mark {
        Mark::Code => markdown_code(&c.text),
        Mark::Bad => format!("**{}**", markdown(&c.text)),
        _ => markdown(&c.text),
    }
}

fn table(o: &mut String, t: &Table, empty: &str) {
    if t.rows.is_empty() {
        let _ = writeln!(o, "_{}_\n", markdown(empty));
        return;
    }
    let head: Vec<String> = t.header.iter().map(|h| markdown(h)).collect();
    let _ = writeln!(o, "| {} |", head.join(" | "));
    let _ = writeln!(o, "|{}|", vec!["---"; t.header.len()].join("|"));
    for r in &t.rows {
        let cells: Vec<String> = r.iter().map(cell).collect();
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
    o.push('\n');
    if t.more > 0 {
        let _ = writeln!(
            o,
            "_… and {} more row(s), left out to keep the file small._\n",
            t.more
        );
    }
}

/// The whole document.
pub fn document(r: &ReportData) -> String {
    let mut o = String::with_capacity(32 * 1024);
    o.push_str("# Pre-migration audit report\n\n");
    let _ = write!(o, "Snapshot {}", markdown_code(&r.snapshot));
    if let Some(c) = &r.config {
        let _ = write!(o, " · configuration {}", markdown_code(c));
    }
    if let Some(t) = &r.generated_at {
        let _ = write!(o, " · generated {}", markdown(t));
    }
    let _ = writeln!(o, " · vpcreach {}\n", env!("CARGO_PKG_VERSION"));
    summary(&mut o, r);
    o.push_str("## Topology\n\n");
    let l = layout::layout(&r.graph);
    o.push_str(&graphs::mermaid_topology(&r.graph, &l));
    o.push('\n');
    if !l.hidden.is_empty() {
        let parts: Vec<String> = l
            .hidden
            .iter()
            .map(|(k, n)| format!("{n} more {k}"))
            .collect();
        let _ = writeln!(
            o,
            "_The diagram is capped for size: {} not drawn; `topology.dot` holds the whole graph._\n",
            parts.join(", ")
        );
    }
    o.push_str("## 2. Cache exposure matrix\n\n");
    table(
        &mut o,
        &tables::exposure_matrix(r),
        "The snapshot holds no ElastiCache cache.",
    );
    for p in &r.exposure_paths {
        let _ = writeln!(
            o,
            "**{} → {}{}** ({}, port {})\n",
            markdown(&p.source),
            p.relay
                .as_deref()
                .map(|x| format!("{} → ", markdown(x)))
                .unwrap_or_default(),
            markdown(&p.cache),
            markdown(&p.verdict),
            markdown(&p.ports)
        );
        o.push_str(&graphs::mermaid_path(p));
        o.push('\n');
    }
    o.push_str("## 3. Relays and SSM readiness\n\n");
    table(
        &mut o,
        &tables::relays(r),
        "No relay, declared or discovered.",
    );
    let ready = r.audit.ssm.iter().filter(|s| s.ready).count();
    let _ = writeln!(
        o,
        "{ready} of {} running instance(s) ready for Session Manager.\n",
        r.audit.ssm.len()
    );
    table(&mut o, &tables::ssm(r), "No running instance.");
    let _ = writeln!(o, "## 4. Findings ({})\n", r.audit.findings.len());
    table(&mut o, &tables::findings(r), "No finding.");
    for d in codes_of(r) {
        let _ = writeln!(
            o,
            "### `{}` ({})\n\n{}\n\n- **What it means.** {}\n- **Why it matters.** {}\n- **How to fix it.** {}\n",
            d.code, d.severity, d.summary, d.what, d.why, d.fix
        );
    }
    o.push_str("## 5. Overlapping CIDRs\n\n");
    let s = &r.overlaps.summary;
    let _ = writeln!(
        o,
        "{} overlapping pair(s) among {} VPC block(s): {} suppress a transit gateway propagation, {} join an (impossible) active peering, {} latent.\n",
        s.overlaps, s.vpc_blocks, s.tgw_propagation_suppressed, s.peering_impossible, s.latent
    );
    table(&mut o, &tables::overlaps(r), "No VPC blocks overlap.");
    o.push_str("### Renumbering plan\n\n");
    table(
        &mut o,
        &tables::renumbering(r),
        "Nothing to renumber: no block is shadowed.",
    );
    let sets = tables::shared_sets(r);
    if !sets.rows.is_empty() {
        o.push_str("### VPCs that can share one transit gateway\n\n");
        table(&mut o, &sets, "");
    }
    o.push_str("## 6. Before/after\n\n");
    match &r.diff {
        None => {
            o.push_str("_No `--before` snapshot was given: this report describes one state._\n\n")
        }
        Some(d) => {
            let _ = writeln!(
                o,
                "Compared with {}, newly exposed first.\n",
                markdown_code(&d.before)
            );
            table(&mut o, &tables::diff(r), "Nothing changed.");
        }
    }
    o.push_str("## 7. Assumptions\n\n");
    for a in &r.audit.assumptions {
        let _ = writeln!(o, "- {}", markdown(a));
    }
    o
}

fn summary(o: &mut String, r: &ReportData) {
    let h = headline(r);
    o.push_str("## 1. Summary\n\n");
    let _ = writeln!(
        o,
        "| errors | warnings | notes | caches exposed directly | caches exposed through a relay | overlapping block pairs |\n|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} |\n",
        h.errors, h.warnings, h.notes, h.direct, h.relayed, r.overlaps.summary.overlaps
    );
    let s = &r.scope;
    let _ = writeln!(
        o,
        "**Scope.** {} account(s): {}. {} region(s): {}. {}.\n",
        s.accounts.len(),
        markdown(&s.accounts.join(", ")),
        s.regions.len(),
        markdown(&s.regions.join(", ")),
        s.counts
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let c = &r.completeness;
    if c.incomplete.is_empty() {
        o.push_str("**Completeness.** Every snapshot file loaded: no `SNAPSHOT_INCOMPLETE`.");
    } else {
        o.push_str("**Completeness.** **SNAPSHOT_INCOMPLETE**: this report rests on data that did not load; sources or paths may be missing.\n\n");
        for w in &c.incomplete {
            let _ = writeln!(o, "- {}", markdown(w));
        }
    }
    let _ = writeln!(
        o,
        " Loader diagnostics: {} error(s), {} warning(s), {} note(s).\n",
        c.diagnostics.0, c.diagnostics.1, c.diagnostics.2
    );
    for p in &c.problems {
        let _ = writeln!(o, "- {}", markdown_code(p));
    }
    if !c.problems.is_empty() {
        o.push('\n');
    }
    if !c.inferred.is_empty() {
        o.push_str("Inferred rather than read:\n\n");
        for p in &c.inferred {
            let _ = writeln!(o, "- {}", markdown(p));
        }
        o.push('\n');
    }
    o.push_str("**Headline findings.**");
    if h.top.is_empty() {
        o.push_str(" No finding.\n\n");
        return;
    }
    o.push_str("\n\n");
    for (code, sev, n) in &h.top {
        let _ = writeln!(o, "- {sev} `{}` ×{n}: {}", code.as_str(), code.summary());
    }
    o.push('\n');
}
