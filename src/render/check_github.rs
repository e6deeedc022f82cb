//! `vpcreach check --format github`: GitHub Actions workflow commands, one per violation,
//! waiver note or incompleteness, located at the policy file's line so they show on the pull
//! request (`::error file=vpcreach.toml,line=12,col=1,title=…::message`).
//!
//! Escaping follows GitHub's workflow-command rules (actions/toolkit `command.ts`): in the
//! message `%` → `%25`, CR → `%0D`, LF → `%0A`; in property values also `:` → `%3A` and `,` →
//! `%2C`.

use crate::catalogue::Severity;
use crate::findings::check::{CheckReport, Status};
use std::fmt::Write;

/// Escape a message (the part after `::`). Other control characters and bidirectional
/// overrides from snapshot text are escaped as in the terminal (`\e`, `\u{202e}`): a CI log is
/// read on a terminal too.
pub fn escape_data(s: &str) -> String {
    let safe: String = s
        .split(['\r', '\n'])
        .map(super::escape::terminal_safe)
        .zip(s.match_indices(['\r', '\n']).map(|(_, m)| m).chain([""]))
        .flat_map(|(part, sep)| [part, sep.to_string()])
        .collect();
    safe.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(level: &str, file: &str, line: usize, col: usize, title: &str, message: &str) -> String {
    format!(
        "::{level} file={},line={line},col={col},title={}::{}\n",
        escape_property(file),
        escape_property(title),
        escape_data(message)
    )
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// Every annotation, then a notice with the summary.
pub fn render(r: &CheckReport) -> String {
    let mut out = String::new();
    let file = &r.config;
    for e in r
        .expectations
        .iter()
        .filter(|e| e.status == Status::Violated)
    {
        let mut msg = e.detail.clone();
        for b in &e.blockers {
            let _ = write!(
                msg,
                "\n{} at {} ({}): {}",
                b.code, b.component, b.way, b.detail
            );
        }
        out.push_str(&command(
            "error",
            file,
            e.at.line,
            e.at.column,
            &format!("CHECK_EXPECTATION_VIOLATED: {}", e.name),
            &msg,
        ));
    }
    for rule in r.rules.iter().filter(|r| r.status == Status::Violated) {
        for f in rule.findings.iter().filter(|f| f.waiver.is_none()) {
            out.push_str(&command(
                level(rule.severity),
                file,
                rule.at.line,
                rule.at.column,
                &format!("{}: {}", rule.code, f.finding.component),
                &format!("{}\nfix: {}", f.finding.detail, f.finding.fix),
            ));
        }
    }
    for w in &r.waivers {
        out.push_str(&command(
            level(w.severity),
            file,
            w.at.line,
            w.at.column,
            &format!("{}: {}", w.code, w.waiver),
            &w.detail,
        ));
    }
    if r.summary.incomplete {
        let lvl = if r.summary.incomplete_allowed {
            "warning"
        } else {
            "error"
        };
        out.push_str(&command(
            lvl,
            file,
            1,
            1,
            "SNAPSHOT_INCOMPLETE",
            &r.incomplete.join("\n"),
        ));
    }
    let _ = writeln!(
        out,
        "::notice title=vpcreach check::{}",
        escape_data(&super::check_human::summary_line(r))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(
            command("error", "p,x.toml", 3, 1, "T: x", "m\n"),
            "::error file=p%2Cx.toml,line=3,col=1,title=T%3A x::m%0A\n"
        );
    }
}
