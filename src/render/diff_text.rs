//! `diff` as text for people (`table`) and as Markdown (for a pull-request comment): the
//! summary, SNAPSHOT_INCOMPLETE at the top when either side is incomplete, the changes with
//! newly exposed first (each with its `because`), changed expectations, then the configuration
//! differences that change no reachability. Snapshot text is escaped for the terminal (table)
//! or for Markdown cells.

use super::escape::one_line;
use crate::findings::diff::*;
use std::fmt::Write;

fn via(c: &Change) -> String {
    match &c.via {
        Some(r) => format!(" via {r}"),
        None => String::new(),
    }
}

/// The one-line summary.
pub fn summary_line(r: &DiffReport) -> String {
    let s = &r.summary;
    format!(
        "{} new exposure(s); {} newly reachable, {} no longer reachable, {} verdict changed, {} path changed; {} expectation(s) changed; {} configuration difference(s)",
        s.new_exposures,
        s.newly_reachable,
        s.no_longer_reachable,
        s.verdict_changed,
        s.path_changed,
        s.expectations_changed,
        s.config_differences
    )
}

fn incomplete_lines(r: &DiffReport) -> Vec<String> {
    let mut out = Vec::new();
    for (side, list) in [
        ("before", &r.incomplete.before),
        ("after", &r.incomplete.after),
    ] {
        for w in list {
            out.push(format!("{side}: {w}"));
        }
    }
    out
}

/// With `--plan`: which plan, how many changes were applied, every change not evaluated and
/// every assumption of the planned state.
fn plan_lines(r: &DiffReport) -> Vec<String> {
    let Some(p) = &r.plan else {
        return Vec::new();
    };
    let mut out = vec![format!(
        "Plan:   {} (format_version {}): {} resource change(s) applied, {} not evaluated, {} unchanged (no-op/read)",
        p.plan,
        p.format_version,
        p.applied.len(),
        p.not_evaluated.len(),
        p.unchanged
    )];
    for n in &p.not_evaluated {
        out.push(format!(
            "  {}: {} {}: {}",
            n.code, n.action, n.address, n.reason
        ));
    }
    for a in &p.assumptions {
        out.push(format!("  assumed: {a}"));
    }
    out
}

/// The table (plain text) rendering.
pub fn table(r: &DiffReport) -> String {
    let mut out = String::new();
    if r.incomplete.any() {
        out.push_str("SNAPSHOT_INCOMPLETE: the diff rests on data that did not load; changes may be missing:\n");
        for l in incomplete_lines(r) {
            let _ = writeln!(out, "  - {}", one_line(&l));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Before: {}", one_line(&r.before));
    let _ = writeln!(out, "After:  {}", one_line(&r.after));
    if let Some(c) = &r.config {
        let _ = writeln!(out, "Config: {}", one_line(c));
    }
    for l in plan_lines(r) {
        let _ = writeln!(out, "{}", one_line(&l));
    }
    let _ = writeln!(out, "\n{}\n", summary_line(r));
    let exposed: Vec<&Change> = r.changes.iter().filter(|c| c.new_exposure).collect();
    let other: Vec<&Change> = r.changes.iter().filter(|c| !c.new_exposure).collect();
    for (title, list) in [("NEWLY EXPOSED", exposed), ("Other changes", other)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title}");
        for c in list {
            let _ = writeln!(
                out,
                "  {} ({}) -> {}:{}{}: {} -> {} ({})",
                one_line(&c.source),
                c.source_kind,
                one_line(&c.target),
                c.port,
                one_line(&via(c)),
                c.before,
                c.after,
                c.kind.as_str()
            );
            for b in &c.because {
                let _ = writeln!(
                    out,
                    "      because {} ({}): {}",
                    one_line(&b.component),
                    b.kind,
                    one_line(&b.change)
                );
            }
        }
        out.push('\n');
    }
    if !r.expectations.is_empty() {
        out.push_str("Expectations changed\n");
        for e in &r.expectations {
            let _ = writeln!(
                out,
                "  {}: {} -> {} port {}: {} -> {} ({} -> {})",
                one_line(&e.name),
                one_line(&e.from),
                one_line(&e.to),
                one_line(&e.port),
                e.before,
                e.after,
                held(e.held_before),
                held(e.held_after)
            );
            for b in &e.because {
                let _ = writeln!(
                    out,
                    "      because {} ({}): {}",
                    one_line(&b.component),
                    b.kind,
                    one_line(&b.change)
                );
            }
        }
        out.push('\n');
    }
    if !r.config_changes.is_empty() {
        out.push_str("Configuration changes that change no reachability\n");
        for c in &r.config_changes {
            let _ = writeln!(
                out,
                "  {} ({}): {}",
                one_line(&c.component),
                c.kind,
                one_line(&c.change)
            );
        }
        out.push('\n');
    }
    if r.changes.is_empty() && r.expectations.is_empty() {
        out.push_str("No reachability change.\n");
    }
    out
}

fn held(h: bool) -> &'static str {
    if h {
        "held"
    } else {
        "violated"
    }
}

/// A Markdown table cell: `|` escaped, newlines as spaces, backquotes removed.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('`', "'")
}

fn because_cell(list: &[Because]) -> String {
    list.iter()
        .map(|b| format!("`{}` {}", cell(&b.component), cell(&b.change)))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// The Markdown rendering.
pub fn markdown(r: &DiffReport) -> String {
    let mut out = String::from("# vpcreach diff\n\n");
    if r.incomplete.any() {
        out.push_str(
            "> **SNAPSHOT_INCOMPLETE**: the diff rests on data that did not load; changes may be missing.\n",
        );
        for l in incomplete_lines(r) {
            let _ = writeln!(out, "> - {}", cell(&l));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "- Before: `{}`", cell(&r.before));
    let _ = writeln!(out, "- After: `{}`", cell(&r.after));
    if let Some(c) = &r.config {
        let _ = writeln!(out, "- Config: `{}`", cell(c));
    }
    for l in plan_lines(r) {
        let _ = writeln!(out, "- {}", cell(&l));
    }
    let _ = writeln!(out, "\n**{}**\n", summary_line(r));
    if !r.changes.is_empty() {
        out.push_str("## Reachability changes (newly exposed first)\n\n");
        out.push_str("| | source | target | port | via | before | after | change | because |\n|---|---|---|---|---|---|---|---|---|\n");
        for c in &r.changes {
            let _ = writeln!(
                out,
                "| {} | `{}` ({}) | `{}` | {} | {} | {} | {} | {} | {} |",
                if c.new_exposure {
                    "**NEW EXPOSURE**"
                } else {
                    ""
                },
                cell(&c.source),
                c.source_kind,
                cell(&c.target),
                c.port,
                c.via
                    .as_deref()
                    .map(|v| format!("`{}`", cell(v)))
                    .unwrap_or_else(|| "direct".into()),
                c.before,
                c.after,
                c.kind.as_str(),
                because_cell(&c.because)
            );
        }
        out.push('\n');
    }
    if !r.expectations.is_empty() {
        out.push_str(
            "## Expectations changed\n\n| name | before | after | because |\n|---|---|---|---|\n",
        );
        for e in &r.expectations {
            let _ = writeln!(
                out,
                "| {} | {} ({}) | {} ({}) | {} |",
                cell(&e.name),
                e.before,
                held(e.held_before),
                e.after,
                held(e.held_after),
                because_cell(&e.because)
            );
        }
        out.push('\n');
    }
    if !r.config_changes.is_empty() {
        out.push_str("## Configuration changes that change no reachability\n\n| component | kind | change |\n|---|---|---|\n");
        for c in &r.config_changes {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                cell(&c.component),
                c.kind,
                cell(&c.change)
            );
        }
        out.push('\n');
    }
    if r.changes.is_empty() && r.expectations.is_empty() {
        out.push_str("No reachability change.\n");
    }
    out
}
