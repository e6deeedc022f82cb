//! `vpcreach check` for people: expectations, then rules, then waiver notes, then one summary
//! line. Status words in colour on a terminal ([`super::colour`]).

use super::escape::one_line;
use crate::findings::check::{CheckReport, Status};
use std::fmt::Write;

fn word(s: Status, colour: bool) -> String {
    let w = s.as_str().to_ascii_uppercase();
    let padded = format!("{w:<8}");
    if colour {
        padded.replacen(&w, &super::colour::status(&w), 1)
    } else {
        padded
    }
}

/// The one-line summary (also printed to stderr with `--output`).
pub fn summary_line(r: &CheckReport) -> String {
    let s = &r.summary;
    let verdict = if s.passed { "passed" } else { "FAILED" };
    let snapshot = match (s.incomplete, s.incomplete_allowed) {
        (false, _) => "snapshot complete".to_string(),
        (true, true) => "snapshot INCOMPLETE (allowed)".to_string(),
        (true, false) => {
            "snapshot INCOMPLETE (SNAPSHOT_INCOMPLETE; --allow-incomplete to accept)".to_string()
        }
    };
    format!(
        "check {verdict}: {} expectation(s): {} held, {} violated, {} waived; {} rule(s): {} violated ({} finding(s), {} waived); {snapshot}",
        s.expectations,
        s.expectations_held,
        s.expectations_violated,
        s.expectations_waived,
        s.rules,
        s.rules_violated,
        s.findings,
        s.findings_waived,
    )
}

/// The whole report as text.
pub fn render(r: &CheckReport, colour: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "vpcreach check: {} against {}", r.config, r.snapshot);
    if let Some(p) = &r.plan {
        let _ = writeln!(
            out,
            "Plan {} (format_version {}): {} resource change(s) applied, {} not evaluated",
            one_line(&p.plan),
            p.format_version,
            p.applied.len(),
            p.not_evaluated.len()
        );
        for n in &p.not_evaluated {
            let _ = writeln!(
                out,
                "  {}: {} {}: {}",
                n.code,
                n.action,
                one_line(&n.address),
                one_line(&n.reason)
            );
        }
        for a in &p.assumptions {
            let _ = writeln!(out, "  assumed: {}", one_line(a));
        }
    }
    let _ = writeln!(out, "\nExpectations ({})", r.expectations.len());
    for e in &r.expectations {
        let _ = writeln!(
            out,
            "  {} {} (line {})",
            word(e.status, colour),
            one_line(&e.name),
            e.at.line
        );
        if e.status != Status::Held {
            let _ = writeln!(out, "           {}", one_line(&e.detail));
        }
        if let Some(w) = &e.waiver {
            let _ = writeln!(out, "           waived: {}", one_line(w));
        }
        if e.status != Status::Held {
            for w in &e.ways {
                let what = match &w.relay {
                    Some(r) => format!("via {r} ({})", w.relay_kind.as_deref().unwrap_or("")),
                    None => "direct".to_string(),
                };
                let _ = writeln!(
                    out,
                    "           way {what}: {} [{}]",
                    w.verdict,
                    one_line(&w.legs.join("; "))
                );
            }
            for b in &e.blockers {
                let _ = writeln!(
                    out,
                    "           - {} at {} ({}): {}",
                    b.code,
                    b.component,
                    b.way,
                    one_line(&b.detail)
                );
            }
        }
    }
    let _ = writeln!(out, "\nRules ({})", r.rules.len());
    for rule in &r.rules {
        let _ = writeln!(
            out,
            "  {} {} ({}, line {}): {}",
            word(rule.status, colour),
            rule.code,
            rule.severity,
            rule.at.line,
            rule.summary
        );
        for f in &rule.findings {
            let name = f
                .finding
                .name
                .as_ref()
                .map(|n| format!(" {}", one_line(n)))
                .unwrap_or_default();
            let waived = f
                .waiver
                .as_ref()
                .map(|w| format!(" [waived: {}]", one_line(w)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "           - {}{name}: {}{waived}",
                one_line(&f.finding.component),
                one_line(&f.finding.detail)
            );
        }
    }
    if !r.waivers.is_empty() {
        let _ = writeln!(out, "\nWaivers");
        for w in &r.waivers {
            let _ = writeln!(
                out,
                "  {} {} (line {}): {}",
                w.severity,
                w.code,
                w.at.line,
                one_line(&w.detail)
            );
        }
    }
    if !r.incomplete.is_empty() {
        let _ = writeln!(out, "\nIncomplete snapshot (SNAPSHOT_INCOMPLETE)");
        for i in &r.incomplete {
            let _ = writeln!(out, "  - {}", one_line(i));
        }
    }
    let _ = writeln!(out, "\n{}", summary_line(r));
    out
}
