//! The docs agree with the tool (issue 9 §6): every `vpcreach` command shown in README.md's `sh`
//! blocks and in the expected-answer tables of fixtures/demo/README.md is run, and what the text
//! states about it is checked against the answer:
//!
//! * the verdict (`reachable`, `unreachable`, `partial`) the row's Answer column, or the first
//!   word of the README line's `#` comment, names;
//! * every catalogue code (`SCREAMING_SNAKE`) the text cites appears in the answer;
//! * every backquoted AWS id (`igw-…`, `sg-…`, …) the text cites appears in the answer;
//! * every NACL entry it cites: `in N` / `out N` must be an inbound / outbound NACL hop with rule
//!   N somewhere in the answer (paths, walked paths or blockers), `rule N` must appear in it;
//! * the exit code is 0, or the `exit N` the comment states.
//!
//! Commands with placeholders (`DIR`, `SRC`, `[…]`, `...`) and `collect` (it needs AWS) are not
//! run. The expected texts are the docs' own words, written by hand from the fixtures' tables.

use serde_json::Value;
use std::process::Command;

/// One documented command and what the docs say about it.
#[derive(Debug)]
struct Documented {
    /// Where it is documented (file:line).
    place: String,
    /// The arguments after `vpcreach`.
    args: Vec<String>,
    /// The text stating what it answers (comment or table cells).
    claim: String,
    /// The verdict the text states, if any.
    verdict: Option<String>,
}

fn read(rel: &str) -> String {
    let p = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {p}: {e}"))
}

/// The arguments of a command line written as `vpcreach ARGS` or `cargo run --release -- ARGS`.
fn vpcreach_args(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    let rest = line
        .strip_prefix("cargo run --release -- ")
        .or_else(|| line.strip_prefix("vpcreach "))?;
    let placeholder = |w: &str| {
        w.contains('[')
            || w.contains("...")
            || w.contains('…')
            || w.contains('"')
            || w.contains('\'')
            || (w.len() > 1
                && w.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                && !is_code_word(w))
    };
    // A shell redirection or pipe ends the command's own arguments.
    let args: Vec<String> = rest
        .split_whitespace()
        .take_while(|w| !matches!(*w, ">" | ">>" | "|" | "&&" | ";" | "2>"))
        .map(str::to_string)
        .collect();
    if args.is_empty() || args[0] == "collect" || args.iter().any(|w| placeholder(w)) {
        return None;
    }
    Some(args)
}

/// A word that names a catalogue code (checked against `vpcreach explain --list`).
fn is_code_word(w: &str) -> bool {
    codes().iter().any(|c| c == w)
}

fn codes() -> &'static Vec<String> {
    static CODES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
            .args(["explain", "--list", "--format", "json"])
            .output()
            .expect("run vpcreach explain");
        let v: Value = serde_json::from_slice(&out.stdout).expect("explain --list json");
        v["codes"]
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|e| e["code"].as_str().map(str::to_string))
            .collect()
    })
}

fn verdict_word(text: &str) -> Option<String> {
    let first = text
        .trim()
        .trim_start_matches('*')
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()?
        .to_ascii_lowercase();
    ["reachable", "unreachable", "partial"]
        .contains(&first.as_str())
        .then_some(first)
}

/// Commands in README.md's ```sh blocks, with their trailing `#` comments.
fn readme_commands() -> Vec<Documented> {
    let text = read("README.md");
    let mut out = Vec::new();
    let mut in_sh = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = !in_sh && t == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let (cmd, comment) = match t.split_once(" #") {
            Some((c, k)) => (c, k.trim()),
            None => (t, ""),
        };
        if let Some(args) = vpcreach_args(cmd) {
            out.push(Documented {
                place: format!("README.md:{}", i + 1),
                verdict: verdict_word(comment),
                args,
                claim: comment.to_string(),
            });
        }
    }
    out
}

/// Rows of the expected-answer tables in fixtures/demo/README.md: `| # | Question with
/// `vpcreach …` | Answer | Why |`.
fn demo_rows() -> Vec<Documented> {
    let text = read("fixtures/demo/README.md");
    let start = text
        .find("## Expected answers")
        .expect("demo README has expected answers");
    let mut out = Vec::new();
    let first_line = text[..start].lines().count();
    for (i, line) in text[start..].lines().enumerate() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // ["", "#", "Question", "Answer", "Why", ""]
        if cells.len() < 6 || cells[1].parse::<u32>().is_err() {
            continue;
        }
        let question = cells[2];
        let Some(cmd) = question
            .split('`')
            .skip(1)
            .step_by(2)
            .find(|s| s.starts_with("vpcreach "))
        else {
            panic!("demo README row {} names no `vpcreach …` command", cells[1]);
        };
        let args = vpcreach_args(cmd)
            .unwrap_or_else(|| panic!("demo README row {}: cannot run {cmd:?}", cells[1]));
        out.push(Documented {
            place: format!(
                "fixtures/demo/README.md:{} (#{})",
                first_line + i + 1,
                cells[1]
            ),
            verdict: verdict_word(cells[3]),
            args,
            claim: format!("{} {}", cells[3], cells[4]),
        });
    }
    out
}

/// Every object in the answer (depth first).
fn objects(v: &Value, out: &mut Vec<serde_json::Map<String, Value>>) {
    match v {
        Value::Object(m) => {
            out.push(m.clone());
            for x in m.values() {
                objects(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| objects(x, out)),
        _ => {}
    }
}

/// Backquoted AWS ids in a text.
fn cited_ids(text: &str) -> Vec<String> {
    const PREFIXES: &[&str] = &[
        "igw-", "nat-", "sg-", "acl-", "rtb-", "eni-", "i-", "vpc-", "subnet-", "tgw-", "pcx-",
        "vpce-", "eigw-",
    ];
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            PREFIXES.iter().any(|p| s.starts_with(p))
                && !s.contains(' ')
                && s[s.find('-').unwrap_or(0) + 1..]
                    .chars()
                    .all(|c| c.is_ascii_hexdigit())
        })
        .map(str::to_string)
        .collect()
}

/// NACL citations: ("inbound" | "outbound" | "any", rule number).
fn cited_nacl_rules(text: &str) -> Vec<(&'static str, String)> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for w in words.windows(2) {
        let n = w[1].trim_end_matches([':', '.']);
        if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let dir = match w[0] {
            "in" => "inbound",
            "out" => "outbound",
            "rule" => "any",
            _ => continue,
        };
        out.push((dir, n.to_string()));
    }
    out
}

fn check(d: &Documented) -> Vec<String> {
    let mut problems = Vec::new();
    let is_reach = d.args[0] == "reach";
    let mut args = d.args.clone();
    if matches!(d.args[0].as_str(), "reach" | "overlaps" | "inventory") {
        args.extend(["--format".into(), "json".into()]);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(&args)
        .output()
        .expect("run vpcreach");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let want_exit = d
        .claim
        .split("exit ")
        .nth(1)
        .and_then(|r| r.chars().next())
        .and_then(|c| c.to_digit(10))
        .unwrap_or(0) as i32;
    if out.status.code() != Some(want_exit) {
        problems.push(format!(
            "exit {:?}, documented {want_exit}; stderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
        return problems;
    }
    let json: Option<Value> = serde_json::from_str(&stdout).ok();
    if let (Some(want), true) = (&d.verdict, is_reach) {
        let got = json.as_ref().and_then(|v| v["verdict"].as_str());
        if got != Some(want.as_str()) {
            problems.push(format!("verdict {got:?}, documented {want}"));
        }
    }
    for word in d
        .claim
        .split(|c: char| !(c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
    {
        if word.len() > 3 && is_code_word(word) && !stdout.contains(word) {
            problems.push(format!("cites {word}, the answer does not"));
        }
    }
    for id in cited_ids(&d.claim) {
        if !stdout.contains(&id) {
            problems.push(format!("cites `{id}`, the answer does not"));
        }
    }
    if is_reach {
        let mut objs = Vec::new();
        if let Some(v) = &json {
            objects(v, &mut objs);
        }
        for (dir, n) in cited_nacl_rules(&d.claim) {
            let prefix = format!("rule {n} ");
            let found = if dir == "any" {
                stdout.contains(&format!("rule {n}"))
            } else {
                objs.iter().any(|o| {
                    o.get("kind").and_then(Value::as_str) == Some("network-acl")
                        && o.get("direction").and_then(Value::as_str) == Some(dir)
                        && o.get("rule")
                            .and_then(Value::as_str)
                            .is_some_and(|r| r.starts_with(&prefix))
                })
            };
            if !found {
                problems.push(format!(
                    "cites NACL {} {n}, no such NACL hop in the answer",
                    if dir == "any" { "rule" } else { dir }
                ));
            }
        }
    }
    problems
}

fn check_all(docs: Vec<Documented>) {
    assert!(!docs.is_empty(), "no commands found");
    let mut failures = Vec::new();
    for d in &docs {
        for p in check(d) {
            failures.push(format!("{}: vpcreach {}: {p}", d.place, d.args.join(" ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} documented commands disagree with the docs:\n{}",
        failures.len(),
        docs.len(),
        failures.join("\n")
    );
}

#[test]
fn readme_commands_do_what_the_readme_says() {
    let docs = readme_commands();
    // The lead commands: the main job on the demo and the quick tour.
    assert!(docs.len() >= 6, "{docs:?}");
    check_all(docs);
}

#[test]
fn demo_readme_answers_match_the_tool() {
    let docs = demo_rows();
    assert!(docs.len() >= 15, "{docs:?}");
    check_all(docs);
}

#[test]
fn citation_parsers_find_what_a_row_states() {
    assert_eq!(
        cited_nacl_rules("app-public out 100 (tcp …) / default in 100; in 110, rule 101 (deny)"),
        vec![
            ("outbound", "100".to_string()),
            ("inbound", "100".to_string()),
            ("inbound", "110".to_string()),
            ("any", "101".to_string()),
        ]
    );
    assert_eq!(
        cited_ids("via `nat-0d919a100ce6b0001` and `AWS-StartPortForwardingSessionToRemoteHost`"),
        vec!["nat-0d919a100ce6b0001".to_string()]
    );
    assert_eq!(
        verdict_word("**unreachable** | x"),
        Some("unreachable".into())
    );
    assert_eq!(verdict_word("1 overlap"), None);
}
