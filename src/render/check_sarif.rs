//! `vpcreach check --format sarif`: SARIF 2.1.0 (OASIS), uploadable to GitHub code scanning.
//! One run; the driver's rules are the catalogue entries of every code reported, with the
//! catalogue's doc as help (text and Markdown); each result is located at the policy file's
//! line of its `[[expect]]`, its code in `[rules] select` (or `[rules]`), or its `[[waive]]`.
//! A waived violation carries an external suppression with the waiver's reason.
//! `tests/check.rs` validates the output against the official schema
//! (`fixtures/sarif/sarif-schema-2.1.0.json`).

use crate::catalogue::{Code, Severity};
use crate::findings::check::{CheckReport, Position, Status};
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The policy file as a SARIF URI: relative paths as they are (relative to the repository
/// root when run there), with `/` separators.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    if p.starts_with('/') {
        format!("file://{p}")
    } else {
        p.trim_start_matches("./").to_string()
    }
}

fn rule(code: Code) -> Value {
    let d = code.doc();
    json!({
        "id": code.as_str(),
        "name": code.as_str(),
        "shortDescription": {"text": code.summary()},
        "fullDescription": {"text": d.what},
        "help": {
            "text": format!("{}\n\nWhy it matters: {}\n\nHow to fix it: {}\n\nExample: {}", d.what, d.why, d.fix, d.example),
            "markdown": code.markdown(),
        },
        "defaultConfiguration": {"level": level(code.severity())},
        "properties": {"family": code.family().as_str()},
    })
}

struct Results {
    rules: Vec<Code>,
    results: Vec<Value>,
    file: String,
}

impl Results {
    fn push(&mut self, code: Code, lvl: &str, at: Position, message: String, waiver: Option<&str>) {
        let index = match self.rules.iter().position(|c| *c == code) {
            Some(i) => i,
            None => {
                self.rules.push(code);
                self.rules.len() - 1
            }
        };
        let mut r = json!({
            "ruleId": code.as_str(),
            "ruleIndex": index,
            "level": lvl,
            "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri(&self.file)},
                "region": {"startLine": at.line, "startColumn": at.column},
            }}],
        });
        if let Some(reason) = waiver {
            r["suppressions"] = json!([{"kind": "external", "justification": reason}]);
        }
        self.results.push(r);
    }
}

/// The report as a SARIF 2.1.0 log.
pub fn render(r: &CheckReport) -> String {
    let mut out = Results {
        rules: Vec::new(),
        results: Vec::new(),
        file: r.config.clone(),
    };
    for e in r.expectations.iter().filter(|e| e.status != Status::Held) {
        let mut msg = format!("{}: {}", e.name, e.detail);
        for b in &e.blockers {
            msg.push_str(&format!(
                "\n- {} at {} ({}): {}",
                b.code, b.component, b.way, b.detail
            ));
        }
        let code = Code::CHECK_EXPECTATION_VIOLATED;
        out.push(code, level(code.severity()), e.at, msg, e.waiver.as_deref());
    }
    for rule in &r.rules {
        for f in &rule.findings {
            let msg = format!(
                "{} {}: {} Fix: {}",
                rule.code, f.finding.component, f.finding.detail, f.finding.fix
            );
            out.push(
                rule.code,
                level(rule.severity),
                rule.at,
                msg,
                f.waiver.as_deref(),
            );
        }
    }
    for w in &r.waivers {
        out.push(w.code, level(w.severity), w.at, w.detail.clone(), None);
    }
    if r.summary.incomplete {
        let lvl = if r.summary.incomplete_allowed {
            "warning"
        } else {
            "error"
        };
        out.push(
            Code::SNAPSHOT_INCOMPLETE,
            lvl,
            Position { line: 1, column: 1 },
            format!("the snapshot is incomplete: {}", r.incomplete.join("; ")),
            None,
        );
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vpcreach",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": out.rules.iter().map(|c| rule(*c)).collect::<Vec<_>>(),
            }},
            "results": out.results,
        }],
    });
    super::json::to_json(&log)
}
