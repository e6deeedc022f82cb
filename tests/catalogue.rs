//! Meta-tests of the code catalogue (`src/catalogue/`), run through the built binary the way a
//! user runs it:
//!
//! - every code's documented example produces that code (no dead codes);
//! - every code vpcreach prints — in the examples' output, in `inventory` of every fixture
//!   snapshot, in `overlaps` of the overlap fixtures, in `reach` questions over the per-rule
//!   fixtures, and in the codes `tests/reach_rules.rs` expects — is in the catalogue (no
//!   undocumented codes);
//! - every doc is complete, `explain --list --format json` lists them all, `explain` of an
//!   unknown code exits 2 with a suggestion;
//! - the per-rule fixtures added for the catalogue answer as `fixtures/rules/README.md` says.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use vpcreach::catalogue::Code;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run `vpcreach ARGS` from the repository root.
fn vpcreach<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run vpcreach")
}

/// Run with `--format json` and parse; exit codes 0 and 1 are answers, anything else fails.
fn json(args: &[String]) -> Value {
    try_json(args).unwrap_or_else(|err| panic!("{err}"))
}

/// As [`json`], but a question vpcreach refuses (exit 2) is an `Err`.
fn try_json(args: &[String]) -> Result<Value, String> {
    let mut a = args.to_vec();
    a.extend(["--format".into(), "json".into()]);
    let out = vpcreach(&a);
    if !matches!(out.status.code(), Some(0 | 1)) {
        return Err(format!(
            "vpcreach {}: exit {:?}\n{}",
            a.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("vpcreach {}: not JSON: {e}", a.join(" "))))
}

/// The example's arguments (without the leading `vpcreach`).
fn example_args(code: Code) -> Vec<String> {
    let ex = code.doc().example;
    let mut words = ex.split_whitespace().map(str::to_string);
    assert_eq!(words.next().as_deref(), Some("vpcreach"), "{code}: {ex}");
    words.collect()
}

/// SCREAMING_SNAKE words of a text (`HIGHER_PRIORITY_ROUTE: …`, `… (UNRESOLVED_PREFIX_LIST)`).
fn code_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .filter(|w| {
            w.len() >= 5
                && w.contains('_')
                && w.starts_with(|c: char| c.is_ascii_uppercase())
                && !w.ends_with('_')
        })
}

/// Every code an output shows: `code` fields anywhere (blockers, diagnostics, overlap
/// findings), and code words in warnings, assumptions and diagnostic messages.
fn codes_in(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("code", Value::String(s)) => {
                        out.insert(s.clone());
                    }
                    ("warnings" | "assumptions", Value::Array(items)) => {
                        for s in items.iter().filter_map(Value::as_str) {
                            out.extend(code_words(s).map(str::to_string));
                        }
                    }
                    ("message", Value::String(s)) => {
                        out.extend(code_words(s).map(str::to_string));
                    }
                    _ => codes_in(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| codes_in(x, out)),
        _ => {}
    }
}

/// Codes seen, each with one command that showed it.
type Seen = BTreeMap<String, String>;

fn record(seen: &mut Seen, args: &[String]) {
    record_value(seen, args, &json(args));
}

fn record_value(seen: &mut Seen, args: &[String], v: &Value) {
    let mut codes = BTreeSet::new();
    codes_in(v, &mut codes);
    for c in codes {
        seen.entry(c).or_insert_with(|| args.join(" "));
    }
}

fn assert_all_catalogued(seen: &Seen) {
    let unknown: Vec<String> = seen
        .iter()
        .filter(|(c, _)| Code::parse(c).is_none_or(|k| k.as_str() != c.as_str()))
        .map(|(c, cmd)| format!("{c} (vpcreach {cmd})"))
        .collect();
    assert!(
        unknown.is_empty(),
        "codes printed but not in the catalogue (add an entry to a family file of \
         src/catalogue/):\n  {}",
        unknown.join("\n  ")
    );
}

fn subdirs(rel: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

/// Instance and endpoint ids of a generated per-rule fixture.
fn ids_in(dir: &Path) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for e in walk(dir) {
        let text = std::fs::read_to_string(&e).unwrap_or_default();
        for w in text.split('"') {
            let id_like = (w.starts_with("i-") || w.starts_with("vpce-"))
                && w.len() >= 19
                && w.rsplit('-')
                    .next()
                    .is_some_and(|h| h.len() == 17 && h.chars().all(|c| c.is_ascii_hexdigit()));
            if id_like {
                ids.insert(w.to_string());
            }
        }
    }
    ids
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// (a) no dead codes
// ---------------------------------------------------------------------------------------------

#[test]
fn every_code_is_produced_by_its_example() {
    let mut dead = Vec::new();
    for &code in Code::all() {
        let args = example_args(code);
        let mut codes = BTreeSet::new();
        codes_in(&json(&args), &mut codes);
        if !codes.contains(code.as_str()) {
            dead.push(format!("{code}: `{}` shows {codes:?}", code.doc().example));
        }
    }
    assert!(
        dead.is_empty(),
        "examples that do not produce their code:\n  {}",
        dead.join("\n  ")
    );
}

#[test]
fn examples_use_bundled_fixtures() {
    for &code in Code::all() {
        let args = example_args(code);
        let snap = args
            .iter()
            .position(|a| a == "--snapshot")
            .and_then(|i| args.get(i + 1))
            .unwrap_or_else(|| panic!("{code}: no --snapshot in its example"));
        // One exception: a read error cannot be bundled (any file the tests can see is
        // readable); /proc/self/mem fails to read from offset 0 on Linux.
        if code == Code::Unreadable {
            assert_eq!(snap, "/proc/self/mem");
            continue;
        }
        assert!(
            snap.starts_with("fixtures/") && root().join(snap).exists(),
            "{code}: {snap} is not a bundled fixture"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// (b) no undocumented codes
// ---------------------------------------------------------------------------------------------

#[test]
fn every_printed_code_is_catalogued() {
    let mut seen = Seen::new();
    // The examples.
    for &code in Code::all() {
        record(&mut seen, &example_args(code));
    }
    // inventory of every fixture snapshot; overlaps where overlaps are the point.
    let mut snapshots = vec![root().join("fixtures/demo")];
    for parent in [
        "fixtures/loader",
        "fixtures/overlaps",
        "fixtures/rules",
        "fixtures/batfish",
    ] {
        snapshots.extend(subdirs(parent));
    }
    for s in &snapshots {
        let s = rel(s);
        record(&mut seen, &["inventory".into(), "--snapshot".into(), s]);
    }
    for s in subdirs("fixtures/overlaps")
        .iter()
        .chain([root().join("fixtures/demo")].iter())
    {
        record(&mut seen, &["overlaps".into(), "--snapshot".into(), rel(s)]);
    }
    assert_all_catalogued(&seen);
}

#[test]
fn reach_over_the_rule_fixtures_prints_only_catalogued_codes() {
    let mut seen = Seen::new();
    let mut answered = 0;
    for dir in subdirs("fixtures/rules") {
        let ids: Vec<String> = ids_in(&dir).into_iter().collect();
        let sources = ids.iter().cloned().chain(["internet".to_string()]);
        for from in sources {
            let targets = ids.iter().cloned().chain(["198.51.100.7".to_string()]);
            for to in targets.filter(|t| *t != from) {
                let args: Vec<String> = [
                    "reach",
                    "--snapshot",
                    &rel(&dir),
                    "--from",
                    &from,
                    "--to",
                    &to,
                    "--port",
                    "22-443",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect();
                // Some pairs are no question (a gateway endpoint as a target): exit 2, skipped.
                if let Ok(v) = try_json(&args) {
                    answered += 1;
                    record_value(&mut seen, &args, &v);
                }
            }
        }
    }
    assert!(
        answered > 300 && seen.len() > 15,
        "sweep too small: {answered} answers, {seen:?}"
    );
    assert_all_catalogued(&seen);
}

#[test]
fn codes_the_reach_tests_expect_are_catalogued() {
    for test in [
        "tests/reach_rules.rs",
        "tests/reach_demo.rs",
        "tests/overlaps.rs",
    ] {
        let text = std::fs::read_to_string(root().join(test)).expect(test);
        let quoted: BTreeSet<&str> = text
            .split('"')
            .skip(1)
            .step_by(2)
            .flat_map(code_words)
            // `env!("CARGO_MANIFEST_DIR")` is the one quoted SCREAMING_SNAKE word that is no code.
            .filter(|w| !w.starts_with("CARGO_"))
            .collect();
        for w in quoted {
            assert!(
                Code::parse(w).is_some_and(|c| c.as_str() == w),
                "{test} expects {w}, which is not in the catalogue"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (c), (d) complete docs, `explain`
// ---------------------------------------------------------------------------------------------

#[test]
fn explain_list_json_lists_every_code_with_its_doc() {
    let out = vpcreach(&["explain", "--list", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON list");
    assert_eq!(v["format_version"], 1);
    let list = v["codes"].as_array().expect("an array of codes");
    let listed: Vec<&str> = list.iter().filter_map(|e| e["code"].as_str()).collect();
    let all: Vec<&str> = Code::all().iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, all);
    for e in list {
        let keys: BTreeSet<&str> = e
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, BTreeSet::from(["code", "severity", "summary", "doc"]));
        let code = e["code"].as_str().unwrap_or_default();
        assert!(
            matches!(e["severity"].as_str(), Some("error" | "warning" | "note")),
            "{code}"
        );
        assert!(
            !e["summary"].as_str().unwrap_or_default().is_empty(),
            "{code}"
        );
        let doc = e["doc"].as_str().unwrap_or_default();
        for part in [
            "## What it means",
            "## Why it matters",
            "## How to fix it",
            "## Example",
            "vpcreach ",
        ] {
            assert!(doc.contains(part), "{code}: no {part:?} in\n{doc}");
        }
    }
    for c in Code::all() {
        let d = c.doc();
        for (part, text) in [
            ("what", d.what),
            ("why", d.why),
            ("fix", d.fix),
            ("example", d.example),
        ] {
            assert!(!text.trim().is_empty(), "{c}: empty {part}");
        }
    }
}

#[test]
fn explain_prints_every_section_in_any_spelling() {
    for name in [
        "NO_ROUTE_TO_DESTINATION",
        "no-route-to-destination",
        "Invalid_Value",
    ] {
        let out = vpcreach(&["explain", name]);
        assert_eq!(out.status.code(), Some(0), "{name}");
        let text = String::from_utf8_lossy(&out.stdout);
        for part in [
            "What it means",
            "Why it matters",
            "How to fix it",
            "Example",
        ] {
            assert!(text.contains(part), "{name}: {part}\n{text}");
        }
    }
    let table = vpcreach(&["explain", "--list"]);
    assert_eq!(table.status.code(), Some(0));
    let text = String::from_utf8_lossy(&table.stdout);
    for c in Code::all() {
        assert!(text.contains(c.as_str()), "{c} missing from the table");
    }
}

#[test]
fn explain_unknown_code_exits_2_with_a_suggestion() {
    let out = vpcreach(&["explain", "NO_ROUTE_TO_DESTINATON"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean"), "{err}");
    assert!(err.contains("NO_ROUTE_TO_DESTINATION"), "{err}");
    let none = vpcreach(&["explain", "zzzzzzzzzzzzzzzzzzzzzz"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("--list"));
}

// ---------------------------------------------------------------------------------------------
// The per-rule fixtures added for codes no fixture produced (fixtures/rules/README.md)
// ---------------------------------------------------------------------------------------------

fn reach(case: &str, from: &str, to: &str, port: &str) -> Value {
    let args: Vec<String> = [
        "reach",
        "--snapshot",
        &format!("fixtures/rules/{case}"),
        "--from",
        from,
        "--to",
        to,
        "--port",
        port,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    json(&args)
}

fn blockers(v: &Value) -> Vec<(String, String)> {
    v["blocked"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            (
                b["code"].as_str().unwrap_or_default().to_string(),
                b["component"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn pair(code: &str, component: &str) -> Vec<(String, String)> {
    vec![(code.to_string(), component.to_string())]
}

#[test]
fn r9_local_route_outside_the_vpc_delivers_nothing() {
    let c = "r9-local-route-outside-vpc";
    let a = reach(c, "i-33000000000000001", "10.99.0.10", "443");
    assert_eq!(a["verdict"], "unreachable");
    assert_eq!(
        blockers(&a),
        pair("VPC_LOCAL_ROUTE_CIDR_RESTRICTION", "vpc-33000000000000001")
    );
    let b = reach(c, "i-33000000000000001", "198.51.100.7", "443");
    assert_eq!(b["verdict"], "reachable");
}

#[test]
fn g2_nat_gateway_of_another_vpc_drops() {
    let a = reach(
        "g2-nat-gateway-other-vpc",
        "i-34000000000000001",
        "198.51.100.7",
        "443",
    );
    assert_eq!(a["verdict"], "unreachable");
    assert_eq!(
        blockers(&a),
        pair("NGW_REQUIRES_SOURCE_IN_VPC", "nat-34000000000000001")
    );
}

#[test]
fn s6_group_reference_across_regions_matches_nothing() {
    let c = "s6-sg-reference-cross-region";
    let a = reach(c, "i-35000000000000001", "i-35000000000000002", "22");
    assert_eq!(a["verdict"], "unreachable");
    assert_eq!(
        blockers(&a),
        pair("SG_REFERENCES_NOT_PRESERVED", "sg-35000000000000002")
    );
    let b = reach(c, "i-35000000000000001", "i-35000000000000002", "443");
    assert_eq!(b["verdict"], "reachable");
}
