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
        .filter(|c| c.family() == Family::Audit || *c == Code::NACL_RULE_SHADOWED)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Location;

    fn at(line: usize, column: usize) -> Location {
        Location { line, column }
    }

    #[test]
    fn default_all_list_and_ignore() {
        // Default: the error-severity codes of the audit family only.
        for (c, _) in selected(None) {
            assert_eq!(
                (c.family(), c.severity()),
                (Family::Audit, crate::catalogue::Severity::Error)
            );
        }
        let all = Rules {
            select: Selection::All,
            ignore: vec![(Code::SSM_ENDPOINT_BYPASSED, at(3, 11))],
            at: at(1, 1),
        };
        let codes: Vec<Code> = selected(Some(&all)).into_iter().map(|(c, _)| c).collect();
        assert!(codes.contains(&Code::SSM_NO_INSTANCE_PROFILE));
        assert!(!codes.contains(&Code::SSM_ENDPOINT_BYPASSED));
        let none = Rules {
            select: Selection::Codes(vec![]),
            ignore: vec![],
            at: at(1, 1),
        };
        assert!(selected(Some(&none)).is_empty());
        // A finding of a selected code violates the rule, located at its code in `select`.
        let list = Rules {
            select: Selection::Codes(vec![(Code::SSM_NO_INSTANCE_PROFILE, at(2, 11))]),
            ignore: vec![],
            at: at(1, 1),
        };
        let f = AuditFinding::new(Code::SSM_NO_INSTANCE_PROFILE, "i-1", "no profile");
        let other = AuditFinding::new(Code::SSM_ENDPOINT_BYPASSED, "i-2", "bypassed");
        let r = evaluate(Some(&list), &[f, other]);
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].status, r[0].findings.len()), (Status::Violated, 1));
        assert_eq!((r[0].at.line, r[0].at.column), (2, 11));
    }
}
