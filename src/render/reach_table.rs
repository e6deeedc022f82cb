//! Table rendering of a reachability answer: verdict, the hops both ways, every blocker.

use super::escape::one_line;
use crate::engine::resolve::PortsOrigin;
use crate::engine::{Answer, Code, Hop, HopStatus, Reached, Verdict, WalkedPath};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};
use std::fmt::Write;

fn hops_table(hops: &[Hop]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["#", "component", "kind", "rule / route", "detail"]);
    for (i, h) in hops.iter().enumerate() {
        let kind = match &h.direction {
            Some(d) => format!("{} ({d})", h.kind),
            None => h.kind.to_string(),
        };
        t.add_row(vec![
            Cell::new(i + 1),
            Cell::new(one_line(&h.component)),
            Cell::new(kind),
            Cell::new(one_line(h.rule.as_deref().unwrap_or(""))),
            Cell::new(one_line(&h.detail)),
        ]);
    }
    t
}

/// One line per hop of a walked path: `ok`/`STOP`, component, kind, rule, detail.
fn walked_lines(out: &mut String, leg: &str, hops: &[Hop]) {
    for (i, h) in hops.iter().enumerate() {
        let mark = match (h.status, h.code) {
            (Some(HopStatus::Stopped), Some(c)) => format!("STOP {c}"),
            (Some(HopStatus::Stopped), None) => "STOP".into(),
            _ => "ok".into(),
        };
        let kind = match &h.direction {
            Some(d) => format!("{} {d}", h.kind),
            None => h.kind.to_string(),
        };
        let rule = h
            .rule
            .as_deref()
            .map(|r| format!(" [{}]", one_line(r)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {leg} {:>2}. {mark:<6} {} ({kind}){rule}: {}",
            i + 1,
            one_line(&h.component),
            one_line(&h.detail)
        );
    }
}

/// At most three blocks of a list, then `…`.
fn compact(list: &[String]) -> String {
    if list.len() <= 3 {
        return list.join(",");
    }
    format!("{},…", list[..3].join(","))
}

fn walked(out: &mut String, i: usize, w: &WalkedPath) {
    let reached = match w.reached {
        Reached::Stop => "ends at a stop",
        Reached::Target => "reaches the target (no reply expected), stopped on the way",
        Reached::Client => "its reply reaches the client, stopped on the way",
    };
    let client = w
        .client_ports
        .as_deref()
        .map(|p| format!(", client ports {p}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\nWalked {} ({} -> {} port {}{client}): {reached}",
        i + 1,
        compact(&w.flows.sources),
        compact(&w.flows.destinations),
        w.flows.ports
    );
    walked_lines(out, "fwd", &w.forward);
    walked_lines(out, "ret", &w.return_);
}

/// The answer as text.
pub fn answer(a: &Answer) -> String {
    let mut out = String::new();
    incomplete_header(&mut out, a);
    let q = &a.question;
    let mark = match a.verdict {
        Verdict::Reachable => "REACHABLE",
        Verdict::Partial => "PARTIAL",
        Verdict::Unreachable => "UNREACHABLE",
    };
    let origin = match q.ports_origin {
        PortsOrigin::Cache => " (the cache's ports)",
        PortsOrigin::Asked | PortsOrigin::All => "",
    };
    let _ = writeln!(
        out,
        "{mark}: {} -> {} ({} port {}{origin})",
        q.from, q.to, q.protocol, q.ports
    );
    let _ = writeln!(out, "  sources: {}", q.sources.join("; "));
    let _ = writeln!(out, "  targets: {}", q.targets.join("; "));
    if let Some(p) = &a.passing {
        let _ = writeln!(
            out,
            "  passing: {} from {} to {} port {}",
            p.protocols,
            abbreviated(&p.sources),
            abbreviated(&p.destinations),
            p.ports
        );
    }
    if let Some(f) = &a.failing {
        let _ = writeln!(
            out,
            "  failing: {} from {} to {} port {}",
            f.protocols,
            abbreviated(&f.sources),
            abbreviated(&f.destinations),
            f.ports
        );
    }
    for (i, p) in a.paths.iter().enumerate() {
        let _ = writeln!(
            out,
            "\nPath {} ({} -> {} port {}): forward",
            i + 1,
            abbreviated(&p.flows.sources),
            abbreviated(&p.flows.destinations),
            p.flows.ports
        );
        let _ = writeln!(out, "{}", hops_table(&p.forward));
        let _ = writeln!(out, "Path {}: return", i + 1);
        let _ = writeln!(out, "{}", hops_table(&p.return_));
    }
    for (i, w) in a.walked.iter().enumerate() {
        walked(&mut out, i, w);
    }
    if !a.blocked.is_empty() {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec!["blocked at", "kind", "code", "leg", "rule", "detail"]);
        for b in &a.blocked {
            let kind = match &b.direction {
                Some(d) => format!("{} ({d})", b.kind),
                None => b.kind.to_string(),
            };
            t.add_row(vec![
                Cell::new(one_line(&b.component)),
                Cell::new(kind),
                Cell::new(b.code.as_str()),
                Cell::new(b.leg_name()),
                Cell::new(one_line(b.rule.as_deref().unwrap_or(""))),
                Cell::new(one_line(&b.detail)),
            ]);
        }
        let _ = writeln!(out, "\nBlocked:\n{t}");
        let _ = writeln!(out, "\nFixes:");
        let mut seen: Vec<&str> = Vec::new();
        for b in &a.blocked {
            if !seen.contains(&b.fix.as_str()) {
                seen.push(&b.fix);
                let _ = writeln!(
                    out,
                    "  - {} ({} leg): {}",
                    b.code,
                    b.leg_name(),
                    one_line(&b.fix)
                );
            }
        }
    }
    if !a.assumptions.is_empty() {
        let _ = writeln!(out, "\nAssumptions:");
        for s in &a.assumptions {
            let _ = writeln!(out, "  - {}", super::escape::one_line(&s.to_string()));
        }
    }
    if a.warnings
        .iter()
        .any(|w| w.code() != Code::SNAPSHOT_INCOMPLETE)
    {
        let _ = writeln!(out, "\nWarnings:");
        for s in a
            .warnings
            .iter()
            .filter(|w| w.code() != Code::SNAPSHOT_INCOMPLETE)
        {
            let _ = writeln!(out, "  - {}", super::escape::one_line(&s.to_string()));
        }
    }
    super::escape::terminal_safe(&out)
}

/// A block list for the table: at most eight blocks spelled out, then how many more (the JSON
/// always has the complete list).
fn abbreviated(blocks: &[String]) -> String {
    const SHOWN: usize = 8;
    if blocks.len() > SHOWN {
        format!(
            "{},... {} more blocks",
            blocks[..SHOWN].join(","),
            blocks.len() - SHOWN
        )
    } else {
        blocks.join(",")
    }
}

/// The first lines when the answer rests on incomplete data: every SNAPSHOT_INCOMPLETE warning
/// (files that did not load, failed collect calls, missing components) and the components whose
/// data is unknown on the path, so no one reads the verdict without them.
fn incomplete_header(out: &mut String, a: &Answer) {
    let warnings: Vec<String> = a
        .warnings
        .iter()
        .filter(|w| w.code() == Code::SNAPSHOT_INCOMPLETE)
        .map(|w| w.to_string())
        .collect();
    let mut unknown: Vec<&str> = a
        .blocked
        .iter()
        .filter(|b| b.code == Code::SNAPSHOT_INCOMPLETE)
        .map(|b| b.component.as_str())
        .collect();
    unknown.dedup();
    if warnings.is_empty() && unknown.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "SNAPSHOT_INCOMPLETE: this answer rests on data that did not load; the verdict may be wrong"
    );
    for w in &warnings {
        let _ = writeln!(out, "  - {}", super::escape::one_line(w));
    }
    if !unknown.is_empty() {
        let _ = writeln!(
            out,
            "  - unknown on the path (data missing): {} (see Blocked)",
            super::escape::one_line(&unknown.join(", "))
        );
    }
    out.push('\n');
}
