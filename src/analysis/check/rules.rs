//! `[rules]`: audit findings as invariants. A selected code with an (unwaived) finding is a
//! violation, located at the code in `select` (or at `[rules]`, or line 1 without one).
//!
//! The default selection (no `select`) is every error-severity finding code; `select = "all"`
//! every finding code; `select = []` none (expectations only); `ignore` removes codes.

use crate::catalogue::{Code, Family};
use crate::config::{Rules, Selection};
use crate::findings::audit::AuditFinding;
use crate::findings::check::{Position, RuleFinding, RuleResult, Status};

/// The codes audit findings can carry: the audit family of the catalogue.
///
/// NOTE for the merge with `vpcreach audit`: if audit findings come from other families too,
/// add them here; this is the set `select = "all"` and the default selection draw from.
pub fn finding_codes() -> Vec<Code> {
    Code::all()
        .iter()
        .copied()
        .filter(|c| c.family() == Family::Audit)
        .collect()
}

/// The selected codes with where each is selected, in code order.
pub fn selected(rules: Option<&Rules>) -> Vec<(Code, Position)> {
    let pos = |l: crate::config::Location| Position {
        line: l.line,
        column: l.column,
    };
    let table = rules
        .map(|r| pos(r.at))
        .unwrap_or(Position { line: 1, column: 1 });
    let default = Selection::Default;
    let select = rules.map(|r| &r.select).unwrap_or(&default);
    let mut out: Vec<(Code, Position)> = match select {
        Selection::Default => finding_codes()
            .into_iter()
            .filter(|c| c.severity() == crate::catalogue::Severity::Error)
            .map(|c| (c, table))
            .collect(),
        Selection::All => finding_codes().into_iter().map(|c| (c, table)).collect(),
        Selection::Codes(list) => list.iter().map(|(c, l)| (*c, pos(*l))).collect(),
    };
    if let Some(r) = rules {
        out.retain(|(c, _)| !r.ignore.iter().any(|(i, _)| i == c));
    }
    out.sort_by_key(|(c, _)| *c);
    out.dedup_by_key(|(c, _)| *c);
    out
}

/// Every selected rule with its findings (before waivers).
pub fn evaluate(rules: Option<&Rules>, findings: &[AuditFinding]) -> Vec<RuleResult> {
    selected(rules)
        .into_iter()
        .map(|(code, at)| {
            let mine: Vec<RuleFinding> = findings
                .iter()
                .filter(|f| f.code == code)
                .map(|f| RuleFinding {
                    finding: f.clone(),
                    waiver: None,
                })
                .collect();
            RuleResult {
                code,
                severity: code.severity(),
                summary: code.summary().to_string(),
                at,
                status: if mine.is_empty() {
                    Status::Held
                } else {
                    Status::Violated
                },
                findings: mine,
            }
        })
        .collect()
}
