//! What the loader does with paths and bytes that are not plain UTF-8 JSON files: encodings
//! (`fixtures/loader/encodings`: the demo's VPCs as UTF-16LE with a byte-order mark, as
//! PowerShell 5's `>` writes them, and its subnets as UTF-8 with a BOM), symbolic links
//! (`fixtures/loader/links/snapshot`: a region folder that is a link, a link that points nowhere,
//! a link back to the snapshot folder), named pipes and devices (which would block or never end),
//! and the size cap. Expected counts come from the demo README (3 VPCs, 7 subnets).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_vpcreach");

fn fixture(rel: &str) -> String {
    format!("{}/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// Run vpcreach, failing the test if it does not end within 20 s (a FIFO would block forever).
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("vpcreach {args:?} did not finish in 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn inventory(dir: &str, env: &[(&str, &str)]) -> (Option<i32>, Value) {
    let out = run(&["inventory", "--snapshot", dir, "--format", "json"], env);
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), v)
}

fn count(v: &Value, what: &str) -> i64 {
    v["scopes"]
        .as_array()
        .map(|s| s.iter().filter_map(|x| x["counts"][what].as_i64()).sum())
        .unwrap_or(0)
}

fn diags(v: &Value, code: &str) -> Vec<(String, String)> {
    v["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter(|x| x["code"] == code)
                .map(|x| {
                    (
                        x["file"].as_str().unwrap_or("").to_string(),
                        x["message"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn utf16_and_byte_order_marks_are_read_with_a_note() {
    let (code, v) = inventory(&fixture("loader/encodings"), &[]);
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!((count(&v, "vpcs"), count(&v, "subnets")), (3, 7), "{v:#}");
    let notes = diags(&v, "encoding");
    assert_eq!(notes.len(), 2, "{v:#}");
    assert!(
        notes[0].0.ends_with("describe-subnets.json") && notes[0].1.contains("byte-order mark")
    );
    assert!(notes[1].0.ends_with("describe-vpcs.json") && notes[1].1.contains("UTF-16"));
}

#[test]
fn symbolic_links_are_followed_and_broken_ones_named() {
    let (code, v) = inventory(&fixture("loader/links/snapshot"), &[]);
    // The VPC file sits in a linked region folder: read. The dangling link and the loop are
    // errors: exit 1.
    assert_eq!(code, Some(1), "{v:#}");
    assert_eq!(count(&v, "vpcs"), 3, "{v:#}");
    let odd = diags(&v, "not-a-regular-file");
    assert_eq!(
        odd,
        vec![
            (
                "111111111111/describe-subnets.json".to_string(),
                "not read: a symbolic link that points nowhere".to_string()
            ),
            (
                "111111111111/loop".to_string(),
                "not followed: a symbolic link back to the snapshot folder itself (a loop)"
                    .to_string()
            ),
        ],
        "{v:#}"
    );
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn pipes_and_devices_are_refused_not_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("describe-vpcs.json");
    assert!(mkfifo(&fifo), "mkfifo");
    let demo = format!(
        "{}/fixtures/demo/111111111111/us-east-1/describe-subnets.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::copy(&demo, dir.path().join("describe-subnets.json")).expect("copy");
    // A FIFO inside the folder: skipped with a diagnostic, the rest loads.
    let (code, v) = inventory(dir.path().to_str().expect("utf-8"), &[]);
    assert_eq!(code, Some(1), "{v:#}");
    // The demo's subnets (fixtures/demo/README.md, "Subnets"): 3 public, 2 private and the
    // egress subnet of the app VPC, one in each project VPC = 8.
    assert_eq!(count(&v, "subnets"), 8);
    assert_eq!(
        diags(&v, "not-a-regular-file"),
        vec![(
            "describe-vpcs.json".to_string(),
            "not read: a named pipe (FIFO)".to_string()
        )]
    );
    // A FIFO or a device as the snapshot itself: refused, exit 2.
    for (path, what) in [
        (fifo.to_str().expect("utf-8"), "a named pipe (FIFO)"),
        ("/dev/zero", "a device"),
    ] {
        let out = run(
            &[
                "reach",
                "--snapshot",
                path,
                "--from",
                "internet",
                "--to",
                "10.0.0.1",
            ],
            &[],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(&format!("not read: {what}")), "{err}");
    }
}

#[test]
fn files_over_the_size_cap_are_not_read() {
    // The demo's describe-vpcs.json is about 3 kB and describe-addresses.json under 2 kB; with
    // a 2,500-byte cap the first is refused and the second read.
    let (code, v) = inventory(&fixture("demo"), &[("VPCREACH_MAX_FILE_BYTES", "2500")]);
    assert_eq!(code, Some(1), "{v:#}");
    let refused = diags(&v, "not-a-regular-file");
    assert!(
        refused
            .iter()
            .any(|(f, m)| f.ends_with("describe-vpcs.json")
                && m.contains("over the cap of 2500 bytes")),
        "{refused:?}"
    );
    assert!(
        !refused
            .iter()
            .any(|(f, _)| f.ends_with("describe-addresses.json")),
        "{refused:?}"
    );
    assert_eq!(count(&v, "vpcs"), 0, "{v:#}");
}
