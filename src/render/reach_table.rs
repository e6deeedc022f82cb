//! Table rendering of a reachability answer: verdict, the hops both ways, every blocker.

use super::escape::one_line;
use super::width::{fit, grid, PIPED, TEXT};
use crate::engine::resolve::PortsOrigin;
use crate::engine::summary::port_phrase;
use crate::engine::{Answer, Code, Hop, HopStatus, Path, Reached, Verdict, WalkedPath};
use std::fmt::Write;

/// A component as people know it: `name (id)` when it has a name (cut at
/// [`super::escape::MAX_NAME`] characters), else its id.
fn label(component: &str, name: Option<&str>) -> String {
    match name {
        Some(n) => one_line(&format!("{} ({component})", super::escape::name(n))),
        None => one_line(component),
    }
}

/// The rule of a hop without the component's id in front (a security-group rule reads
/// `sg-… ingress tcp 22 from …`; the component column already names the group).
fn rule_text(component: &str, rule: Option<&str>) -> String {
    let r = rule.unwrap_or("");
    let r = r
        .strip_prefix(component)
        .and_then(|rest| rest.strip_prefix(' '))
        .unwrap_or(r);
    one_line(r)
}

fn hops_table(hops: &[Hop], width: usize) -> String {
    let rows: Vec<Vec<String>> = hops
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let kind = match &h.direction {
                Some(d) => format!("{} ({d})", h.kind),
                None => h.kind.to_string(),
            };
            vec![
                (i + 1).to_string(),
                label(&h.component, h.name.as_deref()),
                kind,
                rule_text(&h.component, h.rule.as_deref()),
                one_line(&h.detail),
            ]
        })
        .collect();
    grid(
        &["#", "component", "kind", "rule / route", "detail"],
        &rows,
        width,
    )
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
            .map(|r| format!(" [{}]", rule_text(&h.component, Some(r))))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {leg} {:>2}. {mark:<6} {} ({kind}){rule}: {}",
            i + 1,
            label(&h.component, h.name.as_deref()),
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
        "\nWalked {} ({} -> {}{}{client}): {reached}",
        i + 1,
        w.flows
            .sources_label
            .clone()
            .unwrap_or_else(|| compact(&w.flows.sources)),
        w.flows
            .destinations_label
            .clone()
            .unwrap_or_else(|| compact(&w.flows.destinations)),
        port_phrase(&w.flows.ports)
    );
    walked_lines(out, "fwd", &w.forward);
    walked_lines(out, "ret", &w.return_);
}

/// The answer as tables, at most [`PIPED`] columns wide.
pub fn answer(a: &Answer) -> String {
    answer_at(a, PIPED)
}

/// The answer as tables no wider than `width` columns (ids and CIDRs never split); with
/// [`TEXT`], as plain lines, one per hop.
pub fn answer_at(a: &Answer, width: usize) -> String {
    answer_styled(a, width, false)
}

/// [`answer_at`], the verdict coloured when `colour` (see [`super::colour`]).
pub fn answer_styled(a: &Answer, width: usize, colour: bool) -> String {
    let text = answer_plain(a, width);
    if !colour {
        return text;
    }
    // The verdict line is the first line starting with the verdict word (an incomplete-data
    // header may come first). Snapshot text cannot forge it: its control characters are
    // escaped before this point.
    let word = verdict_word(a.verdict);
    let mut done = false;
    text.split_inclusive('\n')
        .map(|l| match l.strip_prefix(word) {
            Some(rest) if !done && rest.starts_with(':') => {
                done = true;
                format!("{}{rest}", super::colour::verdict(word))
            }
            _ => l.to_string(),
        })
        .collect()
}

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Reachable => "REACHABLE",
        Verdict::Partial => "PARTIAL",
        Verdict::Unreachable => "UNREACHABLE",
    }
}

fn answer_plain(a: &Answer, width: usize) -> String {
    let mut out = String::new();
    incomplete_header(&mut out, a);
    let q = &a.question;
    let mark = verdict_word(a.verdict);
    let origin = match q.ports_origin {
        PortsOrigin::Cache => " (the cache's ports)",
        PortsOrigin::Asked | PortsOrigin::All => "",
    };
    let _ = writeln!(
        out,
        "{mark}: {} -> {} ({}{}{origin})",
        q.from,
        q.to,
        q.protocol,
        port_phrase(&q.ports)
    );
    // A label holds a name from the snapshot: cut so that a huge Name tag cannot flood the text.
    let labels = |l: &[String]| -> String {
        l.iter()
            .map(|s| super::escape::truncate(s, 2 * super::escape::MAX_NAME).into_owned())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let _ = writeln!(out, "  sources: {}", labels(&q.sources));
    let _ = writeln!(out, "  targets: {}", labels(&q.targets));
    if let Some(p) = &a.passing {
        let _ = writeln!(
            out,
            "  passing: {} from {} to {}{}",
            p.protocols,
            p.sources_label
                .clone()
                .unwrap_or_else(|| abbreviated(&p.sources)),
            p.destinations_label
                .clone()
                .unwrap_or_else(|| abbreviated(&p.destinations)),
            port_phrase(&p.ports)
        );
    }
    if let Some(f) = &a.failing {
        let _ = writeln!(
            out,
            "  failing: {} from {} to {}{}",
            f.protocols,
            f.sources_label
                .clone()
                .unwrap_or_else(|| abbreviated(&f.sources)),
            f.destinations_label
                .clone()
                .unwrap_or_else(|| abbreviated(&f.destinations)),
            port_phrase(&f.ports)
        );
    }
    for g in super::path_groups::group(&a.paths) {
        let (i, p) = (g.first, &a.paths[g.first]);
        let _ = writeln!(
            out,
            "\nPath {} ({} -> {}{}){}",
            i + 1,
            p.flows
                .sources_label
                .clone()
                .unwrap_or_else(|| abbreviated(&p.flows.sources)),
            p.flows
                .destinations_label
                .clone()
                .unwrap_or_else(|| abbreviated(&p.flows.destinations)),
            port_phrase(&p.flows.ports),
            if width == TEXT { "" } else { ": forward" }
        );
        same_hops(&mut out, &a.paths, &g, width == TEXT);
        if width == TEXT {
            walked_lines(&mut out, &format!("path {} fwd", i + 1), &p.forward);
            walked_lines(&mut out, &format!("path {} ret", i + 1), &p.return_);
            continue;
        }
        let _ = writeln!(out, "{}", hops_table(&p.forward, width));
        let _ = writeln!(out, "Path {}: return", i + 1);
        let _ = writeln!(out, "{}", hops_table(&p.return_, width));
    }
    for (i, w) in a.walked.iter().enumerate() {
        walked(&mut out, i, w);
    }
    if !a.blocked.is_empty() {
        let rows: Vec<Vec<String>> = a
            .blocked
            .iter()
            .map(|b| {
                let kind = match &b.direction {
                    Some(d) => format!("{} ({d})\n{} leg", b.kind, b.leg_name()),
                    None => format!("{}\n{} leg", b.kind, b.leg_name()),
                };
                vec![
                    label(&b.component, b.name.as_deref()),
                    kind,
                    b.code.as_str().to_string(),
                    rule_text(&b.component, b.rule.as_deref()),
                    one_line(&b.detail),
                ]
            })
            .collect();
        let t = grid(
            &["blocked at", "kind, leg", "code", "rule", "detail"],
            &rows,
            width,
        );
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
            let _ = writeln!(out, "  - {}", super::escape::prose(&s.to_string()));
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
            let _ = writeln!(out, "  - {}", super::escape::prose(&s.to_string()));
        }
    }
    fit(&super::escape::terminal_safe(&out), width)
}

/// The paths a printed path stands for (same hops, other targets): one line each, naming the
/// target's addresses and interface.
fn same_hops(out: &mut String, paths: &[Path], g: &super::path_groups::PathGroup, text: bool) {
    if g.others.is_empty() {
        return;
    }
    let target = |p: &Path| {
        let addrs = abbreviated(&p.flows.destinations);
        match super::path_groups::target_hop(p) {
            Some(h) => format!("{addrs} at {}", label(&h.component, h.name.as_deref())),
            None => addrs,
        }
    };
    if text {
        for &o in &g.others {
            let _ = writeln!(
                out,
                "  path {} same hops as path {}: to {}",
                o + 1,
                g.first + 1,
                target(&paths[o])
            );
        }
        return;
    }
    let _ = writeln!(
        out,
        "  the same hops (shown for {}) also reach {} more target{}:",
        target(&paths[g.first]),
        g.others.len(),
        if g.others.len() == 1 { "" } else { "s" }
    );
    for &o in &g.others {
        let _ = writeln!(out, "    path {}: {}", o + 1, target(&paths[o]));
    }
}

/// A block list for the table: at most five blocks spelled out, then the total count, as the
/// hop details write it (the JSON always has the complete list).
fn abbreviated(blocks: &[String]) -> String {
    const SHOWN: usize = 5;
    if blocks.len() > SHOWN + 1 {
        format!(
            "{} ... ({} blocks)",
            blocks[..SHOWN].join(", "),
            blocks.len()
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
        "SNAPSHOT_INCOMPLETE: this answer rests on data that did not load or is doubtful; the verdict may be wrong"
    );
    for w in &warnings {
        let _ = writeln!(out, "  - {}", super::escape::one_line(w));
    }
    if !unknown.is_empty() {
        let _ = writeln!(
            out,
            "  - unknown on the path (data missing, unreadable or contradictory): {} (see Blocked)",
            super::escape::one_line(&unknown.join(", "))
        );
    }
    out.push('\n');
}
