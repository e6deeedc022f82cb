//! `vpcreach check --format junit`: JUnit XML (quick-junit) for CI systems that show test
//! reports (GitLab `artifacts:reports:junit`, Jenkins, Azure DevOps). Suite `expectations`
//! has one testcase per `[[expect]]`, suite `rules` one per selected rule; a violation is a
//! `<failure>` whose text lists the blockers (or the findings), a waived one is `<skipped>`
//! with the waiver's reason. Expired and unused waivers and an incomplete snapshot are in the
//! report's last suite, `policy`.

use crate::findings::check::{CheckReport, Status};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

/// Snapshot text (names, tags, descriptions) in a failure or skip: control characters and
/// bidirectional overrides escaped as on the terminal (`\e`, `\u{202e}`), so a report viewer
/// or a log shows them instead of acting on them (XML cannot hold most of them anyway).
fn safe(text: &str) -> String {
    super::escape::terminal_safe(text)
}

fn failure(message: &str, description: String) -> TestCaseStatus {
    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
    s.set_message(safe(message))
        .set_description(safe(&description));
    s
}

fn skipped(reason: &str) -> TestCaseStatus {
    let mut s = TestCaseStatus::skipped();
    s.set_message(format!("waived: {}", safe(reason)));
    s
}

/// The report as JUnit XML.
pub fn render(r: &CheckReport) -> String {
    let mut report = Report::new("vpcreach check");
    let mut expects = TestSuite::new("expectations");
    for e in &r.expectations {
        let status = match e.status {
            Status::Held => TestCaseStatus::success(),
            Status::Waived => skipped(e.waiver.as_deref().unwrap_or("")),
            Status::Violated => {
                let mut text = format!("{}\n", e.detail);
                for w in &e.ways {
                    text.push_str(&format!("way: {} {}\n", w.verdict, w.legs.join("; ")));
                }
                for b in &e.blockers {
                    text.push_str(&format!(
                        "{} at {} ({}): {}\n",
                        b.code, b.component, b.way, b.detail
                    ));
                }
                failure(&e.detail, text)
            }
        };
        let mut tc = TestCase::new(e.name.as_str(), status);
        tc.set_classname(format!("{}:{}", r.config, e.at.line));
        expects.add_test_case(tc);
    }
    report.add_test_suite(expects);
    let mut rules = TestSuite::new("rules");
    for rule in &r.rules {
        let status = match rule.status {
            Status::Held => TestCaseStatus::success(),
            Status::Waived => skipped(
                &rule
                    .findings
                    .iter()
                    .filter_map(|f| f.waiver.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Status::Violated => {
                let open: Vec<_> = rule
                    .findings
                    .iter()
                    .filter(|f| f.waiver.is_none())
                    .collect();
                let text = open
                    .iter()
                    .map(|f| {
                        format!(
                            "{}: {}\nfix: {}\n",
                            f.finding.component, f.finding.detail, f.finding.fix
                        )
                    })
                    .collect::<String>();
                failure(
                    &format!("{} finding(s): {}", open.len(), rule.summary),
                    text,
                )
            }
        };
        let mut tc = TestCase::new(rule.code.as_str(), status);
        tc.set_classname(format!("{}:{}", r.config, rule.at.line));
        rules.add_test_case(tc);
    }
    report.add_test_suite(rules);
    if !r.waivers.is_empty() || r.summary.incomplete {
        let mut policy = TestSuite::new("policy");
        for w in &r.waivers {
            let mut tc = TestCase::new(
                format!("{} line {}: {}", w.code, w.at.line, w.waiver),
                TestCaseStatus::success(),
            );
            tc.set_system_out(w.detail.as_str());
            policy.add_test_case(tc);
        }
        if r.summary.incomplete {
            let status = if r.summary.incomplete_allowed {
                TestCaseStatus::success()
            } else {
                failure("SNAPSHOT_INCOMPLETE", r.incomplete.join("\n"))
            };
            policy.add_test_case(TestCase::new("snapshot complete", status));
        }
        report.add_test_suite(policy);
    }
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- cannot serialize JUnit XML: {e} -->\n"))
}
