//! `overlaps` says only what the data supports (issue 9 §2, found by review). Fixture:
//! `fixtures/rules/t4-overlap-one-propagates` (case 143). Expected answers by hand.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::{fixture, on};

/// vpc-143…1 and vpc-143…2 both hold 10.43.0.0/16 and are attached to tgw-143…1, associated
/// with its only table tgw-rtb-143…1, whose propagation records are exported: only vpc 1
/// propagates into it. No table holds both, so nothing is suppressed (T4): no
/// `tgw-propagation-suppressed` impact, `--fail-on tgw` exits 0. The pair is latent, and the
/// report says vpc 2 propagates into no table of the gateway (before: "both attached … but
/// propagate into different route tables", which the data does not say).
#[test]
fn a_vpc_that_propagates_nowhere_is_not_said_to_use_another_table() {
    let snap = fixture("rules/t4-overlap-one-propagates");
    let v = on("overlaps", &snap, &["--format", "json"]).json();
    assert_eq!(v["summary"]["tgw_propagation_suppressed"], 0, "{v:#}");
    let text = serde_json::to_string(&v).unwrap();
    assert!(
        !text.contains("propagate into different route tables"),
        "{v:#}"
    );
    assert!(
        text.contains("propagates into no route table of tgw-143000000000000001"),
        "{v:#}"
    );
    assert!(
        text.contains("propagates into tgw-rtb-143000000000000001"),
        "{v:#}"
    );
    assert_eq!(on("overlaps", &snap, &["--fail-on", "tgw"]).code, 0);
}
