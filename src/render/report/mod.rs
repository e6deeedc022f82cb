//! The pre-migration audit report (`vpcreach report`): `index.html` ([`html`]), `report.md`
//! ([`markdown`]) and `topology.dot` ([`graphs::dot`]), all from one [`ReportData`]. Tables are
//! built once ([`tables`]); the topology is laid out by [`layout`] and drawn by [`svg`] (HTML)
//! or as Mermaid ([`graphs`], Markdown). Output is deterministic: no timestamp unless asked.

pub mod graphs;
pub mod html;
pub mod layout;
pub mod markdown;
pub mod svg;
pub mod tables;

use crate::catalogue::{Code, Severity};
use crate::findings::report::{Exposure, ReportData};
use std::collections::BTreeMap;

/// One code's documentation, as the report shows it.
pub struct Doc {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
}

/// The catalogue documentation of every code the report's findings and overlap impacts carry,
/// worst first.
pub fn codes_of(r: &ReportData) -> Vec<Doc> {
    let mut codes: Vec<Code> = r.audit.findings.iter().map(|f| f.code).collect();
    for o in &r.overlaps.overlaps {
        for i in &o.impact {
            if let Some(c) = i.code {
                codes.push(c);
            }
        }
    }
    codes.sort_by(|a, b| b.severity().cmp(&a.severity()).then(a.cmp(b)));
    codes.dedup();
    codes
        .into_iter()
        .map(|c| {
            let d = c.doc();
            Doc {
                code: c.as_str(),
                severity: c.severity(),
                summary: c.summary(),
                what: d.what,
                why: d.why,
                fix: d.fix,
            }
        })
        .collect()
}

/// The summary's numbers: findings by severity, caches by exposure, the codes found.
pub struct Headline {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub direct: usize,
    pub relayed: usize,
    /// Codes with their severity and count, worst first.
    pub top: Vec<(Code, Severity, usize)>,
}

/// The headline numbers of `r`.
pub fn headline(r: &ReportData) -> Headline {
    let f = &r.audit.findings;
    let count = |s: Severity| f.iter().filter(|x| x.severity == s).count();
    let mut by_code: BTreeMap<Code, usize> = BTreeMap::new();
    for x in f {
        *by_code.entry(x.code).or_default() += 1;
    }
    let mut top: Vec<(Code, Severity, usize)> = by_code
        .into_iter()
        .map(|(c, n)| (c, c.severity(), n))
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    let exp: Vec<Exposure> = r
        .audit
        .caches
        .iter()
        .map(crate::findings::report::exposure_of)
        .collect();
    Headline {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        notes: count(Severity::Note),
        direct: exp.iter().filter(|e| **e == Exposure::Direct).count(),
        relayed: exp.iter().filter(|e| **e == Exposure::Relayed).count(),
        top,
    }
}

/// Already HTML-escaped catalogue text with its `code` spans as `<code>` elements.
pub fn inline_code_spans(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len() + 16);
    let mut open = false;
    let parts: Vec<&str> = escaped.split('`').collect();
    // An odd number of backticks leaves the last one as text.
    let pairs = (parts.len() - 1) / 2 * 2;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            if i <= pairs {
                out.push_str(if open { "</code>" } else { "<code>" });
                open = !open;
            } else {
                out.push('`');
            }
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans() {
        assert_eq!(inline_code_spans("a `b` c `d"), "a <code>b</code> c `d");
        assert_eq!(inline_code_spans("plain"), "plain");
    }
}
