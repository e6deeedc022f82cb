//! A 4 MB `Name` tag (`tests/support/huge_tag.rs`, generated here, never committed): AWS caps
//! tag values at 256 characters, so the table output shows at most 256 characters of a name
//! (the last one `…`), while the JSON keeps the whole name.

#[path = "support/huge_tag.rs"]
mod huge_tag;

use huge_tag::INSTANCE;
use std::process::Command;

fn reach(dir: &std::path::Path, format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["reach", "--snapshot"])
        .arg(dir)
        .args(["--from", INSTANCE, "--to", "demo-redis", "--format", format])
        .output()
        .expect("run vpcreach");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The text and table outputs name the instance's security group (its egress hop) by its name
/// cut to 255 characters and `…`; the JSON has the whole 4,000,000-byte name; the table is small (the name is not
/// repeated whole anywhere in it).
#[test]
fn a_huge_name_is_cut_in_tables_and_whole_in_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = huge_tag::write(dir.path(), 4_000_000).expect("write snapshot");
    let cut: String = name.chars().take(255).collect::<String>() + "…";

    // `text`: the table rows one per line, so the cut name is not wrapped across lines.
    let text = reach(dir.path(), "text");
    assert!(text.contains(&format!("{cut} (")), "cut name in a row");
    assert!(
        !text.contains(&name[..1000]),
        "no 1000 characters of the name"
    );
    assert!(text.len() < 100_000, "text is {} bytes", text.len());
    let table = reach(dir.path(), "table");
    assert!(table.contains("huge-name"), "the name's start in a cell");
    assert!(table.len() < 100_000, "table is {} bytes", table.len());

    let json: serde_json::Value = serde_json::from_str(&reach(dir.path(), "json")).expect("JSON");
    let names: Vec<&str> = json["paths"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["forward"].as_array().into_iter().flatten())
        .filter_map(|h| h["name"].as_str())
        .collect();
    assert!(
        names.contains(&name.as_str()),
        "whole name in the JSON hops"
    );
}
