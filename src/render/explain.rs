//! Rendering of the code catalogue for `vpcreach explain`: one code's documentation as text, the
//! list of codes as a table, and both as JSON (`{"format_version", "codes":
//! [{"code","severity","summary","doc"}]}`, `doc` being the whole documentation as one Markdown
//! string).

use crate::catalogue::Code;
use serde::Serialize;
use std::fmt::Write;

/// Text width of the wrapped sections.
const WIDTH: usize = 92;

/// Format version of the explain JSON.
pub const EXPLAIN_FORMAT: u32 = 1;

/// The explain JSON: the codes asked for (one, or every code with `--list`).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CodeList {
    pub format_version: u32,
    pub codes: Vec<Entry>,
}

impl CodeList {
    /// The list of `codes`.
    pub fn of(codes: &[Code]) -> Self {
        CodeList {
            format_version: EXPLAIN_FORMAT,
            codes: codes.iter().map(|c| Entry::of(*c)).collect(),
        }
    }
}

/// One code as JSON.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Entry {
    pub code: Code,
    pub severity: crate::catalogue::Severity,
    pub summary: &'static str,
    /// The whole documentation, as Markdown.
    pub doc: String,
}

impl Entry {
    /// The entry of `code`.
    pub fn of(code: Code) -> Self {
        Entry {
            code,
            severity: code.severity(),
            summary: code.summary(),
            doc: code.markdown(),
        }
    }
}

/// One code's documentation, for a terminal.
pub fn doc(code: Code) -> String {
    let d = code.doc();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  ({}, {})",
        code.as_str(),
        code.severity(),
        code.family().as_str()
    );
    let _ = writeln!(out, "{}", code.summary());
    for (title, text) in [
        ("What it means", d.what),
        ("Why it matters", d.why),
        ("How to fix it", d.fix),
    ] {
        let _ = writeln!(out, "\n{title}");
        for line in wrap(text, WIDTH - 2) {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(out, "\nExample\n  {}", d.example);
    out
}

/// The list of codes as a table: code, severity, summary.
pub fn list_table(codes: &[Code], width: usize) -> String {
    let rows: Vec<Vec<String>> = codes
        .iter()
        .map(|c| {
            vec![
                c.as_str().to_string(),
                c.severity().to_string(),
                c.family().as_str().to_string(),
                c.summary().to_string(),
            ]
        })
        .collect();
    let t = super::width::grid(&["code", "severity", "family", "summary"], &rows, width);
    format!(
        "{t}\n{} codes. `vpcreach explain CODE` prints one in full.\n",
        codes.len()
    )
}

/// Greedy word wrap.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_whole_and_lines_short() {
        let lines = wrap("aaa bbb ccc ddd", 7);
        assert_eq!(lines, vec!["aaa bbb", "ccc ddd"]);
    }

    #[test]
    fn doc_has_every_section() {
        let text = doc(Code::BAD_STATE_ROUTE);
        for s in [
            "BAD_STATE_ROUTE  (error, routing)",
            "What it means",
            "Why it matters",
            "How to fix it",
            "Example\n  vpcreach reach",
        ] {
            assert!(text.contains(s), "{s}\n{text}");
        }
    }
}
