//! `[[waive]]`: accepted exceptions. A current waiver (no `until`, or `until` today or later)
//! turns the violations it matches into `waived` (with its reason): an expectation by name, a
//! rule's findings by code and, when given, component (the finding's component id or Name).
//! An expired waiver waives nothing and is reported (CHECK_WAIVER_EXPIRED); a current one that
//! matched nothing is reported too (CHECK_WAIVER_UNUSED).

use crate::catalogue::Code;
use crate::config::{Waived, Waiver};
use crate::findings::check::{ExpectationResult, Position, RuleResult, Status, WaiverNote};

/// Apply `waivers` as of `today`; returns the notes about expired and unused ones.
pub fn apply(
    waivers: &[Waiver],
    today: jiff::civil::Date,
    expectations: &mut [ExpectationResult],
    rules: &mut [RuleResult],
) -> Vec<WaiverNote> {
    let mut notes = Vec::new();
    for w in waivers {
        let note = |code: Code, detail: String| WaiverNote {
            code,
            severity: code.severity(),
            at: Position {
                line: w.at.line,
                column: w.at.column,
            },
            waiver: w.describe(),
            detail,
        };
        if let Some(until) = w.until.filter(|u| today > *u) {
            notes.push(note(
                Code::CHECK_WAIVER_EXPIRED,
                format!(
                    "waiver of {} expired on {until} (today is {today}); it no longer waives: {}",
                    w.describe(),
                    w.reason
                ),
            ));
            continue;
        }
        let mut used = 0usize;
        match &w.waived {
            Waived::Expect(name) => {
                for e in expectations.iter_mut().filter(|e| e.name == *name) {
                    if e.status == Status::Violated {
                        e.status = Status::Waived;
                        e.waiver = Some(w.reason.clone());
                        used += 1;
                    }
                }
            }
            Waived::Code { code, component } => {
                for r in rules.iter_mut().filter(|r| r.code == *code) {
                    for f in r.findings.iter_mut().filter(|f| f.waiver.is_none()) {
                        let matches = component.as_ref().is_none_or(|c| {
                            f.finding.component == *c || f.finding.name.as_deref() == Some(c)
                        });
                        if matches {
                            f.waiver = Some(w.reason.clone());
                            used += 1;
                        }
                    }
                }
            }
        }
        if used == 0 {
            notes.push(note(
                Code::CHECK_WAIVER_UNUSED,
                format!(
                    "waiver of {} matched no violation; delete it if it is no longer needed",
                    w.describe()
                ),
            ));
        }
    }
    for r in rules.iter_mut() {
        r.status = if r.findings.is_empty() {
            Status::Held
        } else if r.findings.iter().all(|f| f.waiver.is_some()) {
            Status::Waived
        } else {
            Status::Violated
        };
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Location;
    use crate::findings::audit::AuditFinding;
    use crate::findings::check::RuleFinding;

    fn waiver(code: Code, component: Option<&str>, until: Option<(i16, i8, i8)>) -> Waiver {
        Waiver {
            waived: Waived::Code {
                code,
                component: component.map(str::to_string),
            },
            reason: "ticket".into(),
            until: until.map(|(y, m, d)| jiff::civil::date(y, m, d)),
            at: Location { line: 9, column: 1 },
        }
    }

    fn rule(code: Code, components: &[&str]) -> RuleResult {
        RuleResult {
            code,
            severity: code.severity(),
            summary: String::new(),
            at: Position {
                line: 2,
                column: 11,
            },
            status: Status::Violated,
            findings: components
                .iter()
                .map(|c| RuleFinding {
                    finding: AuditFinding::new(code, *c, "x"),
                    waiver: None,
                })
                .collect(),
        }
    }

    #[test]
    fn by_component_expired_and_unused() {
        let today = jiff::civil::date(2026, 6, 1);
        let code = Code::SSM_SERVICE_UNREACHABLE;
        // One of two components waived: the rule stays violated.
        let mut rules = vec![rule(code, &["i-1", "i-2"])];
        let notes = apply(
            &[waiver(code, Some("i-1"), None)],
            today,
            &mut [],
            &mut rules,
        );
        assert!(notes.is_empty());
        assert_eq!(rules[0].status, Status::Violated);
        assert_eq!(rules[0].findings[0].waiver.as_deref(), Some("ticket"));
        // The whole code, until today (inclusive): waived.
        let mut rules = vec![rule(code, &["i-1", "i-2"])];
        apply(
            &[waiver(code, None, Some((2026, 6, 1)))],
            today,
            &mut [],
            &mut rules,
        );
        assert_eq!(rules[0].status, Status::Waived);
        // Until yesterday: expired, waives nothing, reported.
        let mut rules = vec![rule(code, &["i-1"])];
        let notes = apply(
            &[waiver(code, None, Some((2026, 5, 31)))],
            today,
            &mut [],
            &mut rules,
        );
        assert_eq!(rules[0].status, Status::Violated);
        assert_eq!(notes.len(), 1);
        assert_eq!(
            (notes[0].code, notes[0].at.line),
            (Code::CHECK_WAIVER_EXPIRED, 9)
        );
        // A component with no finding: unused.
        let mut rules = vec![rule(code, &["i-1"])];
        let notes = apply(
            &[waiver(code, Some("i-9"), None)],
            today,
            &mut [],
            &mut rules,
        );
        assert_eq!(notes[0].code, Code::CHECK_WAIVER_UNUSED);
        assert_eq!(rules[0].status, Status::Violated);
    }
}
