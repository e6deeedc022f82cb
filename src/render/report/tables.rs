//! The report's tables, built once and printed by both the HTML and the Markdown renderer: the
//! cache exposure matrix, relays, SSM readiness, findings, overlaps, the renumbering plan and
//! the before/after changes. Cells keep snapshot text raw; each renderer escapes it. Long
//! tables are capped (the rest counted in `more`).

use crate::findings::audit_report::*;
use crate::findings::report::ReportData;
use crate::render::audit_table::{missing_codes, named};

/// Rows shown before a table is cut (the rest are counted).
pub const MAX_ROWS: usize = 1000;
/// SSM rows shown (declared relays always are).
pub const MAX_SSM: usize = 200;
/// Inside sources named per matrix cell.
pub const MAX_INSIDE: usize = 12;

/// How a cell is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Plain,
    /// An id or a code: monospace.
    Code,
    /// Exposed, not ready, an error.
    Bad,
    /// Exposed through a relay, partial, a warning.
    Warn,
    /// Closed, ready, on.
    Good,
}

/// One cell: raw text and its mark.
#[derive(Clone, Debug)]
pub struct Cell {
    pub text: String,
    pub mark: Mark,
}

impl Cell {
    pub fn plain(t: impl Into<String>) -> Self {
        Cell {
            text: t.into(),
            mark: Mark::Plain,
        }
    }
    pub fn code(t: impl Into<String>) -> Self {
        Cell {
            text: t.into(),
            mark: Mark::Code,
        }
    }
    pub fn marked(t: impl Into<String>, mark: Mark) -> Self {
        Cell {
            text: t.into(),
            mark,
        }
    }
}

/// A table: header, rows, and how many rows were left out.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub more: usize,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            ..Table::default()
        }
    }
    fn push(&mut self, row: Vec<Cell>) {
        if self.rows.len() < MAX_ROWS {
            self.rows.push(row);
        } else {
            self.more += 1;
        }
    }
}

fn on_off(b: bool) -> Cell {
    Cell::marked(
        if b { "on" } else { "off" },
        if b { Mark::Good } else { Mark::Bad },
    )
}

/// Caches × sources: internet, each named range, and the groups inside the snapshot; direct
/// and through each relay, with TLS and AUTH.
pub fn exposure_matrix(r: &ReportData) -> Table {
    let a = &r.audit;
    let mut header = vec!["cache", "engine", "TLS", "AUTH", "internet"];
    header.extend(a.sources.iter().map(|s| s.name.as_str()));
    header.push("inside the snapshot");
    let mut t = Table::new(&header);
    for c in &a.caches {
        let mut row = vec![
            Cell::code(&c.cache),
            Cell::plain(format!("{} {}", c.engine, c.kind)),
            on_off(c.transit_encryption),
            on_off(c.auth),
        ];
        let outside_cell = |pick: &dyn Fn(&ReachedBy) -> bool| {
            let hits: Vec<&ReachedBy> = c.reached_by.iter().filter(|b| pick(b)).collect();
            if hits.is_empty() {
                return Cell::marked("closed", Mark::Good);
            }
            let direct = hits.iter().any(|b| b.via.is_none());
            let text: Vec<String> = hits
                .iter()
                .map(|b| match &b.via {
                    None => format!("direct {} (port {})", b.verdict, b.ports),
                    Some(v) => format!(
                        "via {} {} ({}, port {})",
                        v.relay_kind,
                        named(v.relay_name.as_deref(), &v.relay),
                        b.verdict,
                        b.ports
                    ),
                })
                .collect();
            Cell::marked(text.join("; "), if direct { Mark::Bad } else { Mark::Warn })
        };
        row.push(outside_cell(&|b: &ReachedBy| {
            b.kind == SourceKind::Internet
        }));
        for s in &a.sources {
            row.push(outside_cell(&|b: &ReachedBy| {
                b.kind == SourceKind::Range && b.source == s.name
            }));
        }
        let inside: Vec<&ReachedBy> = c
            .reached_by
            .iter()
            .filter(|b| !matches!(b.kind, SourceKind::Internet | SourceKind::Range))
            .collect();
        let groups = inside
            .iter()
            .filter(|b| b.kind == SourceKind::SecurityGroup)
            .count();
        let subnets = inside
            .iter()
            .filter(|b| b.kind == SourceKind::Subnet)
            .count();
        let mut names: Vec<String> = inside
            .iter()
            .take(MAX_INSIDE)
            .map(|b| {
                let via = b
                    .via
                    .as_ref()
                    .map(|v| format!(" via {}", v.relay_name.as_deref().unwrap_or(&v.relay)))
                    .unwrap_or_default();
                format!("{}{via}", named(b.name.as_deref(), &b.source))
            })
            .collect();
        if inside.len() > MAX_INSIDE {
            names.push(format!("and {} more", inside.len() - MAX_INSIDE));
        }
        row.push(Cell::plain(if inside.is_empty() {
            "nothing".to_string()
        } else {
            format!(
                "{groups} security group(s), {subnets} subnet(s): {}",
                names.join(", ")
            )
        }));
        t.push(row);
    }
    t
}

/// Relays, declared and discovered.
pub fn relays(r: &ReportData) -> Table {
    let mut t = Table::new(&[
        "relay",
        "kind",
        "declared",
        "listens",
        "reached from",
        "reaches",
        "notes",
    ]);
    for x in &r.audit.relays {
        let exposed = !x.reached_from.is_empty() && !x.reaches.is_empty();
        t.push(vec![
            Cell::code(named(x.name.as_deref(), &x.host)),
            Cell::plain(&x.kind),
            Cell::marked(
                if x.declared { "yes" } else { "no" },
                if x.declared { Mark::Plain } else { Mark::Bad },
            ),
            Cell::plain(x.listen.clone().unwrap_or_default()),
            Cell::plain(x.reached_from.join(", ")),
            Cell::marked(
                x.reaches.join(", "),
                if exposed { Mark::Warn } else { Mark::Plain },
            ),
            Cell::plain(x.notes.join("; ")),
        ]);
    }
    t
}

/// SSM readiness: declared SSM relays, then the other instances (capped).
pub fn ssm(r: &ReportData) -> Table {
    let mut t = Table::new(&["instance", "relay", "ready", "route", "missing"]);
    let mut shown = 0;
    for s in &r.audit.ssm {
        if !s.relay && shown >= MAX_SSM {
            t.more += 1;
            continue;
        }
        shown += 1;
        t.push(vec![
            Cell::code(named(s.name.as_deref(), &s.instance)),
            Cell::plain(if s.relay { "ssm-port-forward" } else { "" }),
            Cell::marked(
                if s.ready { "ready" } else { "not ready" },
                if s.ready { Mark::Good } else { Mark::Warn },
            ),
            Cell::plain(
                s.route
                    .as_ref()
                    .and_then(|x| serde_json::to_value(x).ok())
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            ),
            Cell::code(missing_codes(s)),
        ]);
    }
    t
}

/// Findings, worst first.
pub fn findings(r: &ReportData) -> Table {
    let mut t = Table::new(&["severity", "code", "component", "cache", "detail", "fix"]);
    let mut list: Vec<_> = r.audit.findings.iter().collect();
    list.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.cmp(b)));
    for f in list {
        let mark = match f.severity {
            crate::catalogue::Severity::Error => Mark::Bad,
            crate::catalogue::Severity::Warning => Mark::Warn,
            crate::catalogue::Severity::Note => Mark::Plain,
        };
        t.push(vec![
            Cell::marked(f.severity.to_string(), mark),
            Cell::code(f.code.as_str()),
            Cell::code(named(f.name.as_deref(), &f.component)),
            Cell::plain(f.cache.clone().unwrap_or_default()),
            Cell::plain(&f.detail),
            Cell::plain(&f.fix),
        ]);
    }
    t
}

fn vpc_label(r: &ReportData, id: &str) -> String {
    named(r.overlaps.vpcs.get(id).and_then(|v| v.name.as_deref()), id)
}

/// Overlapping blocks: the pair, the impact, the remedies.
pub fn overlaps(r: &ReportData) -> Table {
    let mut t = Table::new(&[
        "VPC",
        "block",
        "overlaps VPC",
        "block",
        "impact",
        "remedies",
    ]);
    for o in &r.overlaps.overlaps {
        let worst = o.impact.iter().map(|i| i.kind).min();
        let mark = match worst {
            Some(crate::findings::overlaps::ImpactKind::Latent) | None => Mark::Warn,
            Some(_) => Mark::Bad,
        };
        let impact: Vec<String> = o.impact.iter().map(|i| i.explanation.clone()).collect();
        let remedies: Vec<String> = o.remedies.iter().map(|x| x.description.clone()).collect();
        t.push(vec![
            Cell::code(vpc_label(r, &o.a)),
            Cell::code(o.a_cidr.to_string()),
            Cell::code(vpc_label(r, &o.b)),
            Cell::code(o.b_cidr.to_string()),
            Cell::marked(impact.join(" "), mark),
            Cell::plain(remedies.join(" ")),
        ]);
    }
    t
}

/// The renumbering plan (`overlaps --plan`).
pub fn renumbering(r: &ReportData) -> Table {
    let mut t = Table::new(&["VPC", "current block", "proposed block", "primary", "note"]);
    if let Some(p) = &r.overlaps.plan {
        for x in &p.renumbering {
            t.push(vec![
                Cell::code(vpc_label(r, &x.vpc)),
                Cell::code(x.current.to_string()),
                Cell::code(
                    x.proposed
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "none free in the pool".into()),
                ),
                Cell::plain(if x.primary { "yes" } else { "no" }),
                Cell::plain(&x.note),
            ]);
        }
    }
    t
}

/// Per region, the largest set of VPCs that can share one transit gateway.
pub fn shared_sets(r: &ReportData) -> Table {
    let mut t = Table::new(&["region", "can share one TGW", "left out", "optimal"]);
    if let Some(p) = &r.overlaps.plan {
        for s in &p.shared_tgw_sets {
            t.push(vec![
                Cell::plain(&s.region),
                Cell::plain(format!("{} VPC(s): {}", s.vpcs.len(), s.vpcs.join(", "))),
                Cell::plain(s.excluded.join(", ")),
                Cell::plain(if s.optimal { "yes" } else { "heuristic" }),
            ]);
        }
    }
    t
}

/// The before/after changes, newly exposed first.
pub fn diff(r: &ReportData) -> Table {
    let mut t = Table::new(&["change", "code", "subject", "detail"]);
    if let Some(d) = &r.diff {
        let mut list: Vec<_> = d.changes.iter().collect();
        list.sort_by_key(|c| !c.kind.starts_with("newly exposed"));
        for c in list {
            t.push(vec![
                Cell::marked(
                    &c.kind,
                    if c.kind.starts_with("newly exposed") {
                        Mark::Bad
                    } else {
                        Mark::Plain
                    },
                ),
                Cell::code(c.code.map(|x| x.as_str()).unwrap_or("")),
                Cell::code(&c.subject),
                Cell::plain(&c.detail),
            ]);
        }
    }
    t
}
