//! Values `collect` dropped while converting the SDK's answers, and accounts it could not
//! enter, as the manifest records them (fixtures/loader/manifest-dropped/): the loader turns a
//! dropped value into a load error at its data file (the file counts as partly loaded, every
//! answer carries SNAPSHOT_INCOMPLETE naming the value and resource), and a failed AssumeRole
//! into a warning naming the account whose data is all missing.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use vpcreach::diag::{DiagCode, Severity};
use vpcreach::model::{self, Extent};
use vpcreach::snapshot;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/loader/manifest-dropped")
}

#[test]
fn dropped_values_are_load_errors_and_unreachable_accounts_warnings() {
    let snap = snapshot::load(&fixture()).expect("fixture loads");
    let t = model::build(snap);
    let errors: Vec<_> = t
        .diagnostics
        .0
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:#?}", t.diagnostics.0);
    let e = errors[0];
    assert_eq!(e.code, DiagCode::SnapshotIncomplete);
    assert_eq!(
        e.file.as_deref(),
        Some("123456789012/us-east-1/describe-vpcs.json")
    );
    assert_eq!(e.pointer.as_deref(), Some("/Vpcs"));
    for part in ["IPv4 CIDR", "\"10.14.0.0/33\"", "vpc-m", "DescribeVpcs"] {
        assert!(e.message.contains(part), "{part}: {}", e.message);
    }
    // The VPC itself loaded; its file counts as partly loaded, kind Vpcs.
    assert_eq!(t.vpcs.len(), 1);
    assert_eq!(t.completeness.files.len(), 1);
    let f = &t.completeness.files[0];
    assert_eq!(f.extent, Extent::PartlyLoaded);
    assert_eq!(f.kinds, vec!["Vpcs".to_string()]);

    // The account whose role could not be assumed: missing data with an empty key.
    assert_eq!(t.missing_data.len(), 1);
    let m = &t.missing_data[0];
    assert_eq!(
        (m.account.as_str(), m.operation.as_str(), m.key.as_str()),
        ("222222222222", "AssumeRole", "")
    );
    assert_eq!(m.what(), "all data of account 222222222222");
    assert!(t
        .diagnostics
        .0
        .iter()
        .any(|d| d.severity == Severity::Warning
            && d.message
                .contains("all data of account 222222222222 is missing")));
}

#[test]
fn answers_name_the_dropped_value_and_the_missing_account() {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["reach", "--snapshot"])
        .arg(fixture())
        .args([
            "--from",
            "10.13.1.5",
            "--to",
            "10.13.1.6",
            "--port",
            "22",
            "--format",
            "json",
        ])
        .output()
        .expect("run vpcreach");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON answer");
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        warnings.iter().any(|w| w.starts_with("SNAPSHOT_INCOMPLETE")
            && w.contains("collect dropped the IPv4 CIDR")
            && w.contains("vpc-m")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.starts_with("SNAPSHOT_INCOMPLETE")
            && w.contains("AssumeRole failed for 222222222222")
            && w.contains("nothing of account 222222222222")),
        "{warnings:?}"
    );
}
