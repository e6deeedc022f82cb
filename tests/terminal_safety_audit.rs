//! Terminal safety in `audit` and `check` (issue 9 §7): a Name tag holding control characters
//! (`ESC [2K ESC [1A CR REACHABLE`, BEL, backspace, the C1 CSI U+009B, the bidi override
//! U+202E) reaches no output raw: the audit table (its relay rows and the findings' details),
//! the audit's Markdown, and `check`'s human, GitHub-annotation and JUnit outputs show it
//! escaped.
//!
//! The demo's HAProxy `i-0de7d1b721a1e0001` is renamed: it is the relay the audit discovers
//! (internet → HAProxy:6379 → demo-redis, demo README #1/#3), so its name is printed in the
//! cache's access table and in the RELAY_EXPOSURE finding's detail, and `check` with the demo's
//! policy reports that finding.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::{fixture, on};
use serde_json::{json, Value};
use std::path::Path;

const EVIL: &str = "x\u{1b}[2K\u{1b}[1A\rREACHABLE\u{7}\u{8}\u{9b}31m\u{202e}evil";

fn copy_tree(src: &Path, dst: &Path) {
    for e in std::fs::read_dir(src).expect("read_dir") {
        let p = e.expect("entry").path();
        let to = dst.join(p.file_name().expect("name"));
        if p.is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
            copy_tree(&p, &to);
        } else {
            std::fs::copy(&p, &to).expect("copy");
        }
    }
}

/// Any character a terminal would act on: C0/C1 controls but the line feed, and the bidi
/// overrides and isolates.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn audit_and_check_outputs_escape_snapshot_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("111111111111");
    std::fs::create_dir_all(&root).expect("mkdir");
    copy_tree(&fixture("demo/111111111111"), &root);
    let p = root.join("us-east-1/describe-instances.json");
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("JSON");
    for r in v["Reservations"].as_array_mut().expect("reservations") {
        for i in r["Instances"].as_array_mut().expect("instances") {
            if i["InstanceId"] == "i-0de7d1b721a1e0001" {
                i["Tags"] = json!([{"Key": "Name", "Value": EVIL}]);
            }
        }
    }
    std::fs::write(&p, v.to_string()).expect("write");
    let config = fixture("demo/vpcreach.toml");
    let config = config.to_string_lossy();
    let runs = [
        ("audit", vec![]),
        ("audit", vec!["--format", "markdown"]),
        ("audit", vec!["--config", &config]),
        ("check", vec!["--config", &config]),
        ("check", vec!["--config", &config, "--format", "github"]),
        ("check", vec!["--config", &config, "--format", "junit"]),
    ];
    for (command, args) in runs {
        let r = on(command, dir.path(), &args);
        let out = format!("{}{}", r.stdout, r.stderr);
        assert!(
            out.contains("i-0de7d1b721a1e0001"),
            "{command} {args:?} does not show the relay: {out}"
        );
        assert_eq!(
            raw_controls(&out),
            Vec::<char>::new(),
            "{command} {args:?}: {out:?}"
        );
    }
    // The table shows the name escaped, readable.
    let t = on("audit", dir.path(), &[]);
    assert!(
        t.stdout.contains("x\\e[2K\\e[1A\\rREACHABLE"),
        "{}",
        t.stdout
    );
}
