//! Every blocker on both legs, the path walked and the fix (issue 9 §5), on the fixtures
//! `fixtures/rules/b1-blockers-both-legs` and `fixtures/rules/n2-nacl-shadowed-rule` (written by
//! `fixtures/rules/generate.py`, cases 51 and 52, described in `fixtures/rules/README.md`).
//! Expected answers are derived by hand from docs/semantics.md and docs/engine-semantics.md
//! (each derivation is in the test's comment), never copied from the program's output.
//!
//! Fixture b1 (VPC 1 10.51.0.0/16, VPC 2 10.151.0.0/16, active peering pcx 1, no route to it):
//! - client i1 10.51.1.10 in subnet 1 (default NACL acl 10: allow all both ways), group sg 1
//!   (no ingress, egress all);
//! - server i2 10.51.2.10 in subnet 2, group sg 2: ingress tcp 22 from 10.51.0.0/16 only;
//!   subnet 2's acl 2: in 100 allow tcp 6379 from 10.51.1.0/24, `*` deny; out 100 allow tcp
//!   1024-65535 to 10.51.3.0/24, 200 deny all to 10.51.0.0/16, `*` deny;
//! - i3 10.151.1.10 in VPC 2; VPC 1's main table rtb 10 has only its local route.

use serde_json::Value;
use std::process::Command;

/// The generator's id: case 51, NACL 2 → `acl-51000000000000002`.
fn id(prefix: &str, case: u32, n: u64) -> String {
    format!("{prefix}-{case:02}{n:015x}")
}

/// `vpcreach reach --snapshot fixtures/rules/<case> --from F --to T --port P` as JSON or text.
fn run(case: &str, from: &str, to: &str, port: &str, json: bool) -> String {
    run_with(case, from, to, &["--port", port], json)
}

fn run_with(case: &str, from: &str, to: &str, extra: &[&str], json: bool) -> String {
    let dir = format!("{}/fixtures/rules/{case}", env!("CARGO_MANIFEST_DIR"));
    let format = if json { "json" } else { "table" };
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["reach", "--snapshot", &dir, "--from", from, "--to", to])
        .args(extra)
        .args(["--format", format])
        .output()
        .expect("run vpcreach");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn reach(case: &str, from: &str, to: &str, port: &str) -> Value {
    serde_json::from_str(&run(case, from, to, port, true)).expect("JSON answer")
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// Each blocker as `component kind code leg direction | rule | fix`.
fn blockers(a: &Value) -> Vec<String> {
    let mut v: Vec<String> = a["blocked"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|b| {
                    format!(
                        "{} {} {} {} {} | {} | {}",
                        s(&b["component"]),
                        s(&b["kind"]),
                        s(&b["code"]),
                        s(&b["leg"]),
                        s(&b["direction"]),
                        s(&b["rule"]),
                        s(&b["fix"])
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A walked leg as `component direction status code` per hop.
fn hops(leg: &Value) -> Vec<String> {
    leg.as_array()
        .map(|l| {
            l.iter()
                .map(|h| {
                    format!(
                        "{} {} {} {}",
                        s(&h["component"]),
                        s(&h["direction"]),
                        s(&h["status"]),
                        s(&h["code"])
                    )
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                })
                .collect()
        })
        .unwrap_or_default()
}

const B1: &str = "b1-blockers-both-legs";

/// i1 → i2:6379. Forward: sg 1 egress all passes; 10.51.2.10 is in VPC 1 (local route of
/// rtb 10); acl 10 outbound allow all; acl 2 inbound rule 100 allows tcp 6379 from
/// 10.51.1.0/24 (the source 10.51.1.10 is in it); sg 2 admits only tcp 22 → stopped
/// (ENI_SG_RULES_MISMATCH, forward, ingress). The flows go on as ghosts to i2 and their replies
/// (10.51.2.10:6379 → 10.51.1.10, ports 32768-61000, the Linux client's range, N8) take the
/// return leg: rtb 10 local; acl 2 outbound: rule 100 is for 10.51.3.0/24 only, rule 200 denies
/// 10.51.0.0/16 → stopped (SUBNET_ACL_RESTRICTION, return, outbound, rule 200); acl 10 inbound
/// allows all; back at i1. Both blockers are named; no flow completes: unreachable.
///
/// Fixes: the server's group needs tcp 6379 from the client, which is an interface of the same
/// VPC reached without translation, so its group sg 1 is named. The NACL needs an outbound allow
/// for the replies before rule 200: the entries below 200 are 100 only, so rule 110 is free:
/// allow tcp 32768-61000 to the client 10.51.1.10/32.
#[test]
fn forward_group_and_return_nacl_are_both_named_with_their_fixes() {
    let a = reach(B1, &id("i", 51, 1), &id("i", 51, 2), "6379");
    assert_eq!(s(&a["verdict"]), "unreachable");
    assert_eq!(a["paths"].as_array().map(Vec::len), Some(0));
    let (acl, sg1, sg2) = (id("acl", 51, 2), id("sg", 51, 1), id("sg", 51, 2));
    let mut want = vec![
        format!(
            "{sg2} security-group ENI_SG_RULES_MISMATCH forward ingress |  | add to {sg2} ingress tcp 6379 from {sg1}"
        ),
        format!(
            "{acl} network-acl SUBNET_ACL_RESTRICTION return outbound | rule 200 deny all to 10.51.0.0/16 | add an outbound entry to {acl} as rule 110 (before rule 200): allow tcp 32768-61000 to 10.51.1.10/32"
        ),
    ];
    want.sort();
    assert_eq!(blockers(&a), want);
}

/// The same question's walked path (derivation above): one way, forward eni 1, sg 1 egress,
/// rtb 10, acl 10 outbound, acl 2 inbound (passed), sg 2 ingress (stopped), delivered to eni 2;
/// return from eni 2, rtb 10, acl 2 outbound (stopped), acl 10 inbound, back at eni 1 — the
/// reply reaches the client.
#[test]
fn a_failing_answer_shows_the_path_walked_both_ways() {
    let a = reach(B1, &id("i", 51, 1), &id("i", 51, 2), "6379");
    let walked = a["walked"].as_array().cloned().unwrap_or_default();
    assert_eq!(walked.len(), 1, "{walked:#?}");
    let w = &walked[0];
    let (eni1, eni2, rtb) = (id("eni", 51, 1), id("eni", 51, 2), id("rtb", 51, 10));
    let (acl2, acl10) = (id("acl", 51, 2), id("acl", 51, 10));
    let (sg1, sg2) = (id("sg", 51, 1), id("sg", 51, 2));
    assert_eq!(
        hops(&w["forward"]),
        vec![
            format!("{eni1} passed"),
            format!("{sg1} egress passed"),
            format!("{rtb} passed"),
            format!("{acl10} outbound passed"),
            format!("{acl2} inbound passed"),
            format!("{sg2} ingress stopped ENI_SG_RULES_MISMATCH"),
            format!("{eni2} passed"),
        ]
    );
    assert_eq!(
        hops(&w["return"]),
        vec![
            format!("{eni2} passed"),
            format!("{rtb} passed"),
            format!("{acl2} outbound stopped SUBNET_ACL_RESTRICTION"),
            format!("{acl10} inbound passed"),
            format!("{eni1} passed"),
        ]
    );
    assert_eq!(s(&w["reached"]), "client");
    assert_eq!(w["flows"]["ports"], "6379");
    // The table shows the walk one line per hop, and the fixes; components as `name (id)`
    // (the fixture's generator names security group 2 `server` and NACL 2 `acl-2`).
    let text = run(B1, &id("i", 51, 1), &id("i", 51, 2), "6379", false);
    assert!(
        text.contains(&format!(
            "fwd  6. STOP ENI_SG_RULES_MISMATCH server ({sg2})"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "ret  3. STOP SUBNET_ACL_RESTRICTION acl-2 ({acl2})"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("add to {sg2} ingress tcp 6379 from {sg1}")),
        "{text}"
    );
}

/// i1 → i2:22. Forward: sg 2 admits tcp 22 from the VPC, but acl 2 inbound has no entry for
/// port 22 (rule 100 is 6379 only) → the final `*` denies (forward, inbound). The ghost goes on
/// and its replies hit acl 2 outbound rule 200 as above (return, outbound). Fix for the inbound
/// side: entries below `*` are 100 only, so rule 110 is free: allow tcp 22 from 10.51.1.10/32.
#[test]
fn a_final_deny_on_the_forward_leg_and_a_return_deny_are_both_named() {
    let a = reach(B1, &id("i", 51, 1), &id("i", 51, 2), "22");
    assert_eq!(s(&a["verdict"]), "unreachable");
    let acl = id("acl", 51, 2);
    let mut want = vec![
        format!(
            "{acl} network-acl SUBNET_ACL_RESTRICTION forward inbound | rule * deny all from 0.0.0.0/0 | add an inbound entry to {acl} as rule 110 (before the final * rule): allow tcp 22 from 10.51.1.10/32"
        ),
        format!(
            "{acl} network-acl SUBNET_ACL_RESTRICTION return outbound | rule 200 deny all to 10.51.0.0/16 | add an outbound entry to {acl} as rule 110 (before rule 200): allow tcp 32768-61000 to 10.51.1.10/32"
        ),
    ];
    want.sort();
    assert_eq!(blockers(&a), want);
}

/// i1 → i3 (10.151.1.10):22. rtb 10 has only 10.51.0.0/16 → local: no route (a routing stop
/// ends the path, no return leg). The VPC has an active peering whose peer side is
/// 10.151.0.0/16, which holds the destination: the fix routes that CIDR to the peering.
#[test]
fn a_missing_route_names_the_peering_that_could_carry_it() {
    let a = reach(B1, &id("i", 51, 1), &id("i", 51, 3), "22");
    assert_eq!(s(&a["verdict"]), "unreachable");
    let (rtb, pcx) = (id("rtb", 51, 10), id("pcx", 51, 1));
    assert_eq!(
        blockers(&a),
        vec![format!(
            "{rtb} route-table NO_ROUTE_TO_DESTINATION forward  |  | add a route 10.151.0.0/16 -> {pcx} to {rtb}"
        )]
    );
    let walked = a["walked"].as_array().cloned().unwrap_or_default();
    assert_eq!(walked.len(), 1);
    assert_eq!(
        hops(&walked[0]["forward"]),
        vec![
            format!("{} passed", id("eni", 51, 1)),
            format!("{} egress passed", id("sg", 51, 1)),
            format!("{rtb} stopped NO_ROUTE_TO_DESTINATION"),
        ]
    );
    assert_eq!(hops(&walked[0]["return"]), Vec::<String>::new());
    assert_eq!(s(&walked[0]["reached"]), "stop");
}

const N2S: &str = "n2-nacl-shadowed-rule";

/// Fixture n2-nacl-shadowed-rule: server subnet 2's acl 2 has in 100 allow tcp 22 from
/// 0.0.0.0/0, then 101 deny tcp 22 from 0.0.0.0/0 (meant to close SSH); out 100 allow tcp
/// 1024-65535 to 0.0.0.0/0, 110 deny all to 10.52.0.0/16. By N2 the first match decides: every
/// packet rule 101 matches is matched by rule 100 first, so 101 never applies. Outbound 110 also
/// matches UDP and other ports that 100 does not, so it can apply and is not reported, although
/// the replies (tcp to the client's ports 32768-61000, allowed by 100) overlap it. i1 (10.52.1.10) → i2:22: sg 2 admits tcp 22 from the VPC, acl 2 inbound rule
/// 100 allows → reachable, and the path through acl 2 inbound notes rule 101 with rule 100 as
/// the one that decides first (warning NACL_RULE_SHADOWED).
#[test]
fn a_nacl_rule_that_never_matches_is_noted_on_the_path() {
    let a = reach(N2S, &id("i", 52, 1), &id("i", 52, 2), "22");
    assert_eq!(s(&a["verdict"]), "reachable");
    let acl = id("acl", 52, 2);
    let notes: Vec<String> = a["notes"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter(|n| n["code"] == "NACL_RULE_SHADOWED")
                .map(|n| s(&n["message"]).to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        notes,
        vec![format!(
            "NACL_RULE_SHADOWED: in {acl} (inbound) rule 101 deny tcp 22 from 0.0.0.0/0 never matches: rule 100 allow tcp 22 from 0.0.0.0/0 decides all its traffic first"
        )]
    );
    let hop = a["paths"][0]["forward"]
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|h| h["component"] == acl.as_str() && h["direction"] == "inbound")
        })
        .cloned()
        .unwrap_or_default();
    assert!(
        s(&hop["detail"])
            .contains("rule 101 never matches (rule 100 decides all its traffic first)"),
        "{hop}"
    );
}

/// i1 → i2:443: acl 2 inbound has no entry for 443 (rules 100 and 101 are port 22) → `*`
/// denies (forward, inbound); the ghost's replies pass acl 2 outbound (100 allow tcp
/// 1024-65535) and the
/// client's default NACL: one blocker. Rule 101's traffic (port 22) is not this path's, so no
/// NACL_RULE_SHADOWED. Fix: entries below `*` are 100 and 101, so rule 110 is free.
#[test]
fn a_shadowed_rule_is_not_noted_where_the_path_does_not_meet_its_traffic() {
    let a = reach(N2S, &id("i", 52, 1), &id("i", 52, 2), "443");
    assert_eq!(s(&a["verdict"]), "unreachable");
    let acl = id("acl", 52, 2);
    assert_eq!(
        blockers(&a),
        vec![format!(
            "{acl} network-acl SUBNET_ACL_RESTRICTION forward inbound | rule * deny all from 0.0.0.0/0 | add an inbound entry to {acl} as rule 110 (before the final * rule): allow tcp 443 from 10.52.1.10/32"
        )]
    );
    assert!(!a.to_string().contains("NACL_RULE_SHADOWED"));
    let walked = a["walked"].as_array().cloned().unwrap_or_default();
    assert_eq!(walked.len(), 1);
    assert_eq!(s(&walked[0]["reached"]), "client");
}

/// A partial answer (fixture n8-stateless-ephemeral, case 12): Linux client i3 10.12.3.10 in
/// subnet 3 (acl 3: in 100 allow tcp 1024-49151 from 10.12.0.0/16, out 100 allow all to it) →
/// server i4 10.12.2.10:22 in subnet 2 (acl 2: in 100 allow tcp 22 from the VPC, out 100 allow
/// tcp 1024-40000 to it); both in sg 1 (tcp 22 from the VPC, egress all); main table rtb 10.
/// Client ports 32768-61000 (N8). The request passes everything. Return: acl 2 outbound admits
/// client ports 32768-40000 and denies 40001-61000 (`*`); those ghosts reach acl 3 inbound,
/// which admits 40001-49151 and denies 49152-61000 (`*`). So the failing flows walked two ways
/// (same forward leg; on the return acl 2 outbound stopped, then acl 3 inbound passed for
/// 40001-49151, stopped for 49152-61000), both back at the client. Fixes: acl 2's outbound
/// entries below `*` are 100 only → rule 110, allow tcp 40001-61000 to the client; acl 3's
/// inbound likewise → rule 110, allow tcp 49152-61000 from the server.
#[test]
fn a_partial_answer_walks_each_failing_way_once() {
    let a = reach(
        "n8-stateless-ephemeral",
        &id("i", 12, 3),
        &id("i", 12, 4),
        "22",
    );
    assert_eq!(s(&a["verdict"]), "partial");
    let (acl2, acl3, rtb) = (id("acl", 12, 2), id("acl", 12, 3), id("rtb", 12, 10));
    let mut want = vec![
        format!(
            "{acl2} network-acl SUBNET_ACL_RESTRICTION return outbound | rule * deny all to 0.0.0.0/0 | add an outbound entry to {acl2} as rule 110 (before the final * rule): allow tcp 40001-61000 to 10.12.3.10/32"
        ),
        format!(
            "{acl3} network-acl SUBNET_ACL_RESTRICTION return inbound | rule * deny all from 0.0.0.0/0 | add an inbound entry to {acl3} as rule 110 (before the final * rule): allow tcp 49152-61000 from 10.12.2.10/32"
        ),
    ];
    want.sort();
    assert_eq!(blockers(&a), want);
    let walked = a["walked"].as_array().cloned().unwrap_or_default();
    let (eni3, eni4, sg) = (id("eni", 12, 3), id("eni", 12, 4), id("sg", 12, 1));
    let forward = vec![
        format!("{eni3} passed"),
        format!("{sg} egress passed"),
        format!("{rtb} passed"),
        format!("{acl3} outbound passed"),
        format!("{acl2} inbound passed"),
        format!("{sg} ingress passed"),
        format!("{eni4} passed"),
    ];
    let ret = |acl3_status: &str| {
        vec![
            format!("{eni4} passed"),
            format!("{rtb} passed"),
            format!("{acl2} outbound stopped SUBNET_ACL_RESTRICTION"),
            format!("{acl3} inbound {acl3_status}"),
            format!("{eni3} passed"),
        ]
    };
    let mut got: Vec<(String, Vec<String>)> = walked
        .iter()
        .map(|w| {
            assert_eq!(hops(&w["forward"]), forward);
            assert_eq!(s(&w["reached"]), "client");
            (s(&w["client_ports"]).to_string(), hops(&w["return"]))
        })
        .collect();
    got.sort();
    let want = vec![
        ("40001-49151".to_string(), ret("passed")),
        (
            "49152-61000".to_string(),
            ret("stopped SUBNET_ACL_RESTRICTION"),
        ),
    ];
    assert_eq!(got, want);
}

/// Fixture r1-route-table-association (case 1): i2 10.1.2.10 (public IP 54.200.1.2) sits in
/// subnet 2, which uses the main table rtb 10 (local route only); the VPC has internet gateway
/// igw 1. i2 → 198.51.100.7:443: no route (NO_ROUTE_TO_DESTINATION @ rtb 10). The destination is
/// public and the source has a public IP (I2), so the internet gateway can carry it: the fix
/// routes exactly the blocked destination there.
#[test]
fn a_missing_route_to_a_public_address_names_the_internet_gateway() {
    let a = reach(
        "r1-route-table-association",
        &id("i", 1, 2),
        "198.51.100.7",
        "443",
    );
    assert_eq!(s(&a["verdict"]), "unreachable");
    let (rtb, igw) = (id("rtb", 1, 10), id("igw", 1, 1));
    assert_eq!(
        blockers(&a),
        vec![format!(
            "{rtb} route-table NO_ROUTE_TO_DESTINATION forward  |  | add a route 198.51.100.7/32 -> {igw} to {rtb}"
        )]
    );
}

/// Fixture n6-icmp-types (case 36): i1 10.36.1.10 (sg 1, egress all) and i4 10.36.1.20 (sg 3:
/// icmp type 8 only) are both in subnet 1 (R7: no route lookup, no NACL). i1 → i4 ICMP type 3:
/// sg 3 does not admit type 3 → stopped (forward, ingress); the ghost is delivered to i4, and
/// type 3 has no reply (N6/S4), so there is no return leg: one walked path, `reached: target`.
/// Fix: the client is an interface of the same VPC, untranslated: name its group sg 1.
#[test]
fn an_icmp_type_without_reply_walks_to_the_target_only() {
    let out = run_with(
        "n6-icmp-types",
        &id("i", 36, 1),
        &id("i", 36, 4),
        &["--protocol", "icmp", "--port", "3"],
        true,
    );
    let a: Value = serde_json::from_str(&out).expect("JSON answer");
    assert_eq!(s(&a["verdict"]), "unreachable");
    let (sg1, sg3) = (id("sg", 36, 1), id("sg", 36, 3));
    assert_eq!(
        blockers(&a),
        vec![format!(
            "{sg3} security-group ENI_SG_RULES_MISMATCH forward ingress |  | add to {sg3} ingress icmp type 3 from {sg1}"
        )]
    );
    let walked = a["walked"].as_array().cloned().unwrap_or_default();
    assert_eq!(walked.len(), 1);
    assert_eq!(
        hops(&walked[0]["forward"]),
        vec![
            format!("{} passed", id("eni", 36, 1)),
            format!("{sg1} egress passed"),
            format!("{sg3} ingress stopped ENI_SG_RULES_MISMATCH"),
            format!("{} passed", id("eni", 36, 4)),
        ]
    );
    assert_eq!(hops(&walked[0]["return"]), Vec::<String>::new());
    assert_eq!(s(&walked[0]["reached"]), "target");
}

/// Fixture t-tgw-routing (case 25): VPC 1 (10.1/16) routes 10/8 to the transit gateway; its
/// attachment is associated with tgw-rtb 1, whose routes are 10.1/16 (A), 10.3/16 (C), 10.4/16
/// (a static blackhole over D's propagation) and the static 10.6/16 → attachment 6. VPC 7
/// (10.7/16) is attached (tgw-attach 7) but does not propagate. i1 → i7 (10.7.1.10):22: no route
/// in tgw-rtb 1 (T6). The fix is a static route for VPC 7's CIDR to its attachment.
#[test]
fn a_missing_transit_gateway_route_names_the_attachment() {
    let a = reach("t-tgw-routing", &id("i", 25, 1), &id("i", 25, 7), "22");
    assert_eq!(s(&a["verdict"]), "unreachable");
    let (rt, att) = (id("tgw-rtb", 25, 1), id("tgw-attach", 25, 7));
    assert_eq!(
        blockers(&a),
        vec![format!(
            "{rt} transit-gateway-route-table NO_ROUTE_TO_DESTINATION forward  |  | add a static route 10.7.0.0/16 -> {att} to {rt}"
        )]
    );
}
