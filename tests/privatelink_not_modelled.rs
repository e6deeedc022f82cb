//! L8 (docs/semantics.md §5.6): what vpcreach does not model past a PrivateLink endpoint or a
//! route stops with LB_NOT_MODELLED — never a silent reachable or unreachable — and the answer
//! counts as resting on incomplete data (`--expect` refuses it without `--allow-incomplete`).
//!
//! Fixture: `fixtures/loader/privatelink-not-modelled` (built by
//! `fixtures/loader/make-privatelink-cache.py` from `privatelink/`). Every expected value is
//! derived by hand in the comments.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::{blockers, fixture, run};
use serde_json::Value;

fn reach(to: &str, extra: &[&str]) -> (i32, Value) {
    let snap = fixture("loader/privatelink-not-modelled");
    let mut args = vec![
        "reach",
        "--snapshot",
        snap.to_str().unwrap(),
        "--from",
        "i-0000000000000c001",
        "--to",
        to,
        "--port",
        "443",
        "--format",
        "json",
    ];
    args.extend(extra);
    let r = run(&args);
    (r.code, r.json())
}

fn codes(v: &Value) -> Vec<(String, String)> {
    blockers(v).into_iter().map(|b| (b.0, b.1)).collect()
}

/// client-a (10.0.1.10) → its interface endpoint vpce-…e001 (group endpoint-a admits tcp
/// 0-65535 from 10.0.0.0/16) → web-nlb's listener TCP 443 → target group `web`, whose
/// TargetType is `alb` (its one target is the ALB web-alb's ARN): the ALB's listener rules are
/// not collected, so the flow stops at `web` with LB_NOT_MODELLED and nothing else.
#[test]
fn an_alb_target_group_is_not_followed() {
    let (_, v) = reach("vpce-0000000000000e001", &[]);
    assert_eq!(v["verdict"], "unreachable");
    assert_eq!(
        codes(&v),
        vec![("web".to_string(), "LB_NOT_MODELLED".to_string())]
    );
    assert!(v["blocked"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("loadbalancer/app/web-alb/"));
    // Not a verdict to assert on: --expect unreachable refuses it (exit 1) unless
    // --allow-incomplete (then the assertion holds: exit 0).
    assert_eq!(
        reach("vpce-0000000000000e001", &["--expect", "unreachable"]).0,
        1
    );
    assert_eq!(
        reach(
            "vpce-0000000000000e001",
            &["--expect", "unreachable", "--allow-incomplete"]
        )
        .0,
        0
    );
}

/// client-a → 192.0.2.10: consumer-a's main route table sends 192.0.2.0/24 to the Gateway Load
/// Balancer endpoint vpce-…e0a1 (the security group allows egress all): the traffic would go to
/// the appliances behind the GWLB and back, which is not modelled, so it stops at the endpoint
/// with LB_NOT_MODELLED (before L8 it was read as a gateway endpoint and "delivered to the
/// service").
#[test]
fn a_route_to_a_gateway_load_balancer_endpoint_is_not_followed() {
    let (_, v) = reach("192.0.2.10", &[]);
    assert_eq!(v["verdict"], "unreachable");
    assert_eq!(
        codes(&v),
        vec![(
            "vpce-0000000000000e0a1".to_string(),
            "LB_NOT_MODELLED".to_string()
        )]
    );
}
