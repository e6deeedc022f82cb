//! Running the `vpcreach` binary from tests: fixture paths, exit code, stdout, stderr, JSON.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `fixtures/<rel>` in the crate.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// What one run printed.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stdout as JSON (panics with the stderr when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("JSON output ({e}); stderr: {}", self.stderr))
    }
}

/// Run `vpcreach <args>`.
pub fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(args)
        .output()
        .expect("run vpcreach");
    Run {
        code: out.status.code().expect("an exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run `vpcreach <command> --snapshot <dir> <args>`.
pub fn on(command: &str, snapshot: &Path, args: &[&str]) -> Run {
    let snap = snapshot.to_string_lossy().into_owned();
    let mut all = vec![command, "--snapshot", snap.as_str()];
    all.extend_from_slice(args);
    run(&all)
}

/// The `(component, code, direction)` of every blocker of a reach answer, sorted.
pub fn blockers(v: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = v["blocked"]
        .as_array()
        .expect("blocked list")
        .iter()
        .map(|b| {
            (
                b["component"].as_str().unwrap_or("").to_string(),
                b["code"].as_str().unwrap_or("").to_string(),
                b["direction"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    out.sort();
    out
}
