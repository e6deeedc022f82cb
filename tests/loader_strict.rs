//! Loader strictness (issue 15): nested objects are read strictly — serde's derived structs also
//! accept a JSON array of their fields in order, which the AWS CLI never writes — and a
//! permission without `IpProtocol` is a missing field, not a protocol `""`.
//!
//! Fixture `fixtures/loader/strict-objects/` (hand-written):
//! * describe-vpcs.json: vpc-a is well formed; vpc-b's `CidrBlockAssociationSet[0]` is
//!   `["vpc-cidr-assoc-b", "10.2.0.0/16"]`, an array where an association object belongs.
//! * describe-security-groups.json: sg-a is well formed; sg-b's permission has no `IpProtocol`;
//!   sg-c's permission is `["tcp", 22, 22]`.
//!
//! Expected, by hand: a VPC or a group is one element of its top-level list and is not salvaged
//! (only NACLs and route tables are, docs/semantics.md), so each fault rejects its whole element
//! with one error at the fault's pointer: vpc-b at `/Vpcs/1/CidrBlockAssociationSet/0` ("invalid
//! type: sequence, expected an object"), sg-b at `/SecurityGroups/1/IpPermissions/0` ("missing
//! field `IpProtocol`"; the pointer is the permission lacking it), sg-c at
//! `/SecurityGroups/2/IpPermissions/0` ("expected an object"). What loads: vpc-a and sg-a only.
//! Before the fix, vpc-b loaded with association "vpc-cidr-assoc-b" / 10.2.0.0/16, sg-c with a
//! tcp 22 rule and no peer, and sg-b with an error naming `got ""`.

use std::path::Path;
use vpcreach::diag::{DiagCode, Severity};

#[test]
fn arrays_for_objects_and_missing_ip_protocol_are_errors_at_their_pointers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/loader/strict-objects");
    let snap = vpcreach::snapshot::load(&root).expect("readable");
    let t = vpcreach::model::build(snap);
    let mut errors: Vec<(String, String, String)> = t
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            assert_eq!(d.code, DiagCode::InvalidValue, "{d}");
            (
                d.file.clone().unwrap_or_default(),
                d.pointer.clone().unwrap_or_default(),
                d.message.clone(),
            )
        })
        .collect();
    errors.sort();
    let sgs = "111111111111/us-east-1/describe-security-groups.json";
    let vpcs = "111111111111/us-east-1/describe-vpcs.json";
    let expected = [
        (
            sgs,
            "/SecurityGroups/1/IpPermissions/0",
            "missing field `IpProtocol`; element skipped",
        ),
        (
            sgs,
            "/SecurityGroups/2/IpPermissions/0",
            "invalid type: sequence, expected an object; element skipped",
        ),
        (
            vpcs,
            "/Vpcs/1/CidrBlockAssociationSet/0",
            "invalid type: sequence, expected an object; element skipped",
        ),
    ];
    let got: Vec<(&str, &str, &str)> = errors
        .iter()
        .map(|(f, p, m)| (f.as_str(), p.as_str(), m.as_str()))
        .collect();
    assert_eq!(got, expected);
    let vpc_ids: Vec<&str> = t.vpcs.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(vpc_ids, ["vpc-a"]);
    let sg_ids: Vec<&str> = t.security_groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(sg_ids, ["sg-a"]);
}
