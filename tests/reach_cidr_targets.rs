//! A CIDR target is its addresses (issue 9 §4, found by review): the blockers name, for each
//! part of the block, what really stops it — an address held only in an overlapping VPC the
//! path does not reach (and only that address), an address held by nobody, an AWS-managed
//! interface that is no host — never a blocker called "" or a security-group fix for an
//! interface that cannot have a group. Fixture: `fixtures/demo`. Expected answers by hand.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::{fixture, on};
use serde_json::Value;

fn blocked(v: &Value) -> Vec<(String, String, String)> {
    v["blocked"]
        .as_array()
        .expect("blocked")
        .iter()
        .map(|b| {
            (
                b["component"].as_str().unwrap_or("").to_string(),
                b["code"].as_str().unwrap_or("").to_string(),
                b["detail"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// ssm-port-forward (10.0.11.20, app-private-a) to the block 10.20.0.0/16, tcp 22.
/// app-private-a routes 10.20.0.0/16 to the TGW; its table holds 10.20.0.0/16 -> project-a's
/// attachment only (project-b's equal block is suppressed, T4: project-a was attached first), so
/// the whole block goes to project-a (vpc-038faba71b3a60002):
/// - 10.20.1.10 (project-a-app, sg project-a-app admits 22 from 10.0.0.0/16; default NACLs;
///   the reply routes 10.0.0.0/16 -> TGW -> app): passes, the only passing destination;
/// - 10.20.1.100 (the secretsmanager endpoint ENI, group admits 443 from 10.20.0.0/16 only):
///   ENI_SG_RULES_MISMATCH at sg-08819528322010013;
/// - 10.20.1.250 (project-a's TGW attachment ENI eni-04d4f0f7a97c80012, no group): no host
///   behind it, NO_PATH naming the interface (before: SG_HAS_NO_RULES on component "" with
///   the fix "attach a security group");
/// - 10.20.1.20, 10.20.1.110, 10.20.1.120 and 10.20.1.251 are held only in project-b (the
///   instance eni-…06, the TGW attachment's eni-…13, and the demo's PrivateLink endpoints
///   eni-…20 to squid and eni-…21 to demo-redis; project-a holds .10, .100, .101 and .250):
///   TGW_PROPAGATION_SUPPRESSED_OVERLAP naming exactly those four addresses (before: every
///   unheld address of 10.20.1.0/24 was said to be held in project-b);
/// - every other address: held by nobody in project-a, NO_PATH without "held by".
#[test]
fn a_block_target_names_what_stops_each_part() {
    let v = on(
        "reach",
        &fixture("demo"),
        &[
            "--from",
            "i-0de7d1b721a1e0003",
            "--to",
            "10.20.0.0/16",
            "--port",
            "22",
            "--format",
            "json",
        ],
    )
    .json();
    assert_eq!(v["verdict"], "partial", "{v:#}");
    assert_eq!(
        v["passing"]["destinations"],
        serde_json::json!(["10.20.1.10/32"])
    );
    let b = blocked(&v);
    assert!(b.iter().all(|(c, _, _)| !c.is_empty()), "{b:#?}");
    let vpc_a = "vpc-038faba71b3a60002";
    let suppressed: Vec<&(String, String, String)> = b
        .iter()
        .filter(|(_, code, _)| code == "TGW_PROPAGATION_SUPPRESSED_OVERLAP")
        .collect();
    assert_eq!(suppressed.len(), 1, "{b:#?}");
    assert_eq!(suppressed[0].0, vpc_a);
    assert!(
        suppressed[0]
            .2
            .starts_with("no network interface holds 10.20.1.20/32, 10.20.1.110/32, 10.20.1.120/32, 10.20.1.251/32 in vpc-038faba71b3a60002; the address is held by eni-04d4f0f7a97c80006 in vpc-038faba71b3a60003, eni-04d4f0f7a97c80013 in vpc-038faba71b3a60003, eni-04d4f0f7a97c80020 in vpc-038faba71b3a60003, eni-04d4f0f7a97c80021 in vpc-038faba71b3a60003 (an overlapping VPC"),
        "{}",
        suppressed[0].2
    );
    assert!(b.iter().any(|(c, code, d)| c == vpc_a
        && code == "NO_PATH"
        && d.contains("10.20.1.0/29")
        && !d.contains("held by")));
    assert!(
        b.iter()
            .any(|(c, code, _)| c == "eni-04d4f0f7a97c80012" && code == "NO_PATH"),
        "{b:#?}"
    );
    assert!(b
        .iter()
        .any(|(c, code, _)| c == "sg-08819528322010013" && code == "ENI_SG_RULES_MISMATCH"));
    assert!(
        !v["blocked"].as_array().unwrap().iter().any(|x| x["fix"]
            .as_str()
            .is_some_and(|f| f.contains("attach to eni-"))),
        "{v:#}"
    );
}
