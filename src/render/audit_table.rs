//! `audit` as tables: per cache who reaches it (directly and through relays), the relays, SSM
//! readiness and the findings; names as `name (id)`, every table fitted to the width.

use super::width::{grid, wrap, TEXT};
use crate::findings::audit_report::*;
use std::fmt::Write;

/// `name (id)` or `id`.
/// Snapshot text is escaped ([`super::escape::one_line`]): a name cannot rewrite the screen.
pub fn named(name: Option<&str>, id: &str) -> String {
    use super::escape::one_line;
    match name {
        Some(n) if !n.is_empty() && n != id => format!("{} ({})", one_line(n), one_line(id)),
        _ => one_line(id),
    }
}

/// The `via` cell: `tcp-proxy haproxy (i-…) :6379`, or `direct`.
pub fn via(v: Option<&Via>) -> String {
    match v {
        None => "direct".into(),
        Some(v) => {
            let port = v.listen.map(|p| format!(" :{p}")).unwrap_or_default();
            format!(
                "{} {}{port}",
                v.relay_kind,
                named(v.relay_name.as_deref(), &v.relay)
            )
        }
    }
}

/// The `via` cell of an entry: [`via`], or for a PrivateLink way in
/// `PrivateLink vpce-… (rcfg-…/rgw-…)` (`:PORT` when the endpoint port is a listener's).
pub fn via_of(b: &ReachedBy) -> String {
    match (&b.privatelink, &b.via) {
        (Some(w), Some(v)) => {
            let port = v.listen.map(|p| format!(" :{p}")).unwrap_or_default();
            format!(
                "PrivateLink {}{port} ({})",
                named(v.relay_name.as_deref(), &w.endpoint),
                super::escape::one_line(&w.label)
            )
        }
        _ => via(b.via.as_ref()),
    }
}

/// The distinct notes of a cache's PrivateLink ways, `vpce-…: CODE: text` (what the table
/// prints under the cache's rows).
pub fn privatelink_notes(c: &CacheAudit) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in c.reached_by.iter().filter_map(|b| b.privatelink.as_ref()) {
        for n in &w.notes {
            let s = format!("{}: {}", w.endpoint, super::escape::one_line(n));
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// The `interfaces` cell: `3 of 5`.
pub fn enis(e: Option<&EniCount>) -> String {
    e.map(|c| format!("{} of {}", c.reaching, c.total))
        .unwrap_or_default()
}

/// Whether an outside source reaches the cache (directly or through a relay).
/// The columns of the egress-proxy table.
pub const PROXY_HEADER: [&str; 7] = [
    "proxy",
    "to (leg 2)",
    "vpc",
    "subnet",
    "through",
    "verdict",
    "interfaces",
];

/// One row per `http-proxy` relay and client subnet (or one row saying none, with leg 2).
pub fn proxy_rows(r: &AuditReport) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for x in &r.relays {
        let Some(e) = &x.egress else { continue };
        let proxy = named(x.name.as_deref(), &x.host);
        let to = format!("{} tcp/{}: {}", e.to, e.port, e.verdict);
        for c in &e.clients {
            rows.push(vec![
                proxy.clone(),
                to.clone(),
                c.vpc.clone().unwrap_or_default(),
                named(c.name.as_deref(), &c.subnet),
                c.through.clone(),
                c.verdict.to_string(),
                enis(Some(&c.enis)),
            ]);
        }
        if e.clients.is_empty() {
            rows.push(vec![
                proxy,
                to,
                "-".into(),
                "-".into(),
                "-".into(),
                "unreachable".into(),
                String::new(),
            ]);
        }
    }
    rows
}

pub fn outside(c: &CacheAudit) -> bool {
    c.reached_by
        .iter()
        .any(|r| matches!(r.kind, SourceKind::Internet | SourceKind::Range))
}

/// The distinct codes of an SSM entry's missing conditions (`CODE ×3` when repeated).
pub fn missing_codes(s: &SsmEntry) -> String {
    let mut out: Vec<(String, usize)> = Vec::new();
    for g in &s.missing {
        let c = g.code.to_string();
        match out.iter_mut().find(|(x, _)| *x == c) {
            Some((_, n)) => *n += 1,
            None => out.push((c, 1)),
        }
    }
    out.iter()
        .map(|(c, n)| {
            if *n > 1 {
                format!("{c} ×{n}")
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// SSM entries worth a row: declared relays always; everyone when there are few.
pub const SSM_ROWS: usize = 20;

/// The whole report at `width` (`TEXT`: plain lines); `colour` paints the outside verdicts.
pub fn report(r: &AuditReport, width: usize, colour: bool) -> String {
    let mut out = String::new();
    let line = |out: &mut String, s: &str| {
        let w = if width == TEXT { usize::MAX } else { width };
        let _ = writeln!(out, "{}", wrap(s, w, "    ").join("\n"));
    };
    if !r.incomplete.is_empty() {
        line(
            &mut out,
            "SNAPSHOT_INCOMPLETE: this audit rests on data that did not load; sources or paths may be missing",
        );
        for w in &r.incomplete {
            line(&mut out, &format!("  - {}", super::escape::one_line(w)));
        }
        out.push('\n');
    }
    line(&mut out, &format!("Snapshot: {}", r.snapshot));
    line(
        &mut out,
        &format!(
            "Config: {}",
            r.config
                .as_deref()
                .unwrap_or("none (no --config and no ./vpcreach.toml)")
        ),
    );
    if !r.sources.is_empty() {
        let list: Vec<String> = r
            .sources
            .iter()
            .map(|s| format!("{} = {} ({})", s.name, s.blocks.join(", "), s.from))
            .collect();
        line(&mut out, &format!("Sources: {}", list.join("; ")));
    }
    if r.caches.is_empty() {
        line(&mut out, "\nNo cache in the snapshot.");
    }
    for c in &r.caches {
        out.push('\n');
        let word = if outside(c) {
            "REACHABLE FROM OUTSIDE"
        } else if c.unknown.is_some() {
            "UNKNOWN (SNAPSHOT_INCOMPLETE)"
        } else {
            "not reachable from outside"
        };
        let word = if colour && outside(c) {
            super::colour::verdict("UNREACHABLE").replace("UNREACHABLE", word)
        } else {
            word.to_string()
        };
        let yes = |b: bool| if b { "on" } else { "off" };
        line(
            &mut out,
            &format!(
                "Cache {} ({}, {}, port {}; in-transit encryption {}, AUTH {}){}: {word}",
                c.cache,
                c.kind,
                c.engine,
                c.ports
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
                yes(c.transit_encryption),
                yes(c.auth),
                c.vpc
                    .as_deref()
                    .map(|v| format!(" in {v}"))
                    .unwrap_or_default(),
            ),
        );
        if let Some(why) = &c.unknown {
            line(&mut out, &format!("  SNAPSHOT_INCOMPLETE: {why}"));
        }
        if c.reached_by.is_empty() {
            if c.unknown.is_none() {
                line(&mut out, "  reached by nothing in the snapshot");
            }
            continue;
        }
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
        let _ = writeln!(
            out,
            "{}",
            grid(
                &["source", "kind", "via", "verdict", "ports", "interfaces"],
                &rows,
                width
            )
        );
        for n in privatelink_notes(c) {
            line(&mut out, &format!("  {n}"));
        }
    }
    if !r.relays.is_empty() {
        out.push('\n');
        line(&mut out, "Relays");
        let rows: Vec<Vec<String>> = r
            .relays
            .iter()
            .map(|x| {
                vec![
                    named(x.name.as_deref(), &x.host),
                    x.kind.clone(),
                    if x.declared { "yes" } else { "no" }.into(),
                    x.listen.clone().unwrap_or_default(),
                    x.reached_from.join(", "),
                    x.reaches.join(", "),
                    x.notes.join("; "),
                ]
            })
            .collect();
        let _ = writeln!(
            out,
            "{}",
            grid(
                &[
                    "host",
                    "kind",
                    "declared",
                    "listen",
                    "reached from",
                    "reaches",
                    "notes"
                ],
                &rows,
                width
            )
        );
    }
    let egress = proxy_rows(r);
    if !egress.is_empty() {
        out.push('\n');
        line(&mut out, "Egress through proxies");
        let _ = writeln!(out, "{}", grid(&PROXY_HEADER, &egress, width));
    }
    ssm(&mut out, r, width);
    out.push('\n');
    if r.findings.is_empty() {
        line(&mut out, "No findings.");
    } else {
        line(&mut out, &format!("Findings ({})", r.findings.len()));
        let rows: Vec<Vec<String>> = r
            .findings
            .iter()
            .map(|f| {
                vec![
                    f.severity.to_string(),
                    f.code.to_string(),
                    named(f.name.as_deref(), &f.component),
                    f.cache.clone().unwrap_or_default(),
                    super::escape::one_line(&f.detail),
                ]
            })
            .collect();
        let _ = writeln!(
            out,
            "{}",
            grid(
                &["severity", "code", "component", "cache", "detail"],
                &rows,
                width
            )
        );
    }
    out.push('\n');
    line(&mut out, "Assumptions");
    for a in &r.assumptions {
        line(&mut out, &format!("  - {a}"));
    }
    out
}

fn ssm(out: &mut String, r: &AuditReport, width: usize) {
    if r.ssm.is_empty() {
        return;
    }
    let ready = r.ssm.iter().filter(|s| s.ready).count();
    out.push('\n');
    let _ = writeln!(
        out,
        "SSM readiness: {ready} of {} running instances ready",
        r.ssm.len()
    );
    let shown: Vec<&SsmEntry> = if r.ssm.len() <= SSM_ROWS {
        r.ssm.iter().collect()
    } else {
        r.ssm.iter().filter(|s| s.relay).collect()
    };
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|s| {
            vec![
                named(s.name.as_deref(), &s.instance),
                if s.relay { "yes" } else { "" }.into(),
                if s.ready { "ready" } else { "not ready" }.into(),
                s.route
                    .map(|x| {
                        serde_json::to_value(x)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    })
                    .unwrap_or_default(),
                missing_codes(s),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            grid(
                &["instance", "relay", "ready", "route", "missing"],
                &rows,
                width
            )
        );
    }
    if shown.len() < r.ssm.len() {
        let _ = writeln!(
            out,
            "  ({} more instances: see --format json)",
            r.ssm.len() - shown.len()
        );
    }
}
