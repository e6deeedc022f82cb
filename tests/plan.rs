//! `vpcreach diff --plan` and `check --plan` (issue 14) through the built binary: Terraform /
//! OpenTofu plans (`terraform show -json`, format 1.2, written by `fixtures/plan/generate.py`
//! in the documented shape) applied to the bundled demo snapshot (or a diff fixture) in memory.
//! Every expected change is derived by hand in the comments from the demo's README (rows
//! #1–#15) and fixtures/plan/README.md, never copied from output. Hostile plans (wrong types,
//! format_version 2, missing fields) are errors (exit 2) naming the plan file and the JSON
//! pointer.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .current_dir(root())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run vpcreach")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `diff --before SNAPSHOT --plan fixtures/plan/NAME/plan.json` with the diff fixtures' config.
fn diff(snapshot: &str, plan: &str, format: &str, extra: &[&str]) -> Output {
    let plan = format!("fixtures/plan/{plan}/plan.json");
    let mut args = vec![
        "diff",
        "--before",
        snapshot,
        "--plan",
        &plan,
        "--config",
        "fixtures/diff/vpcreach.toml",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(snapshot: &str, plan: &str) -> Value {
    let out = diff(snapshot, plan, "json", &[]);
    assert_eq!(out.status.code(), Some(0), "{plan}: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{plan}: not JSON ({e})"))
}

/// The changes as `source|target|port|via|before|after|kind|new_exposure` lines, sorted.
fn changes(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            format!(
                "{}|{}|{}|{}|{}|{}|{}|{}",
                c["source"].as_str().unwrap_or(""),
                c["target"].as_str().unwrap_or(""),
                c["port"],
                c["via"].as_str().unwrap_or("direct"),
                c["before"].as_str().unwrap_or(""),
                c["after"].as_str().unwrap_or(""),
                c["kind"].as_str().unwrap_or(""),
                c["new_exposure"]
            )
        })
        .collect();
    out.sort();
    out
}

/// Every `because` of every change, as `component: change`, sorted and deduplicated.
fn because(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v["changes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .flat_map(|c| c["because"].as_array().cloned().unwrap_or_default())
        .map(|b| {
            format!(
                "{}: {}",
                b["component"].as_str().unwrap_or(""),
                b["change"].as_str().unwrap_or("")
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

fn not_evaluated(v: &Value) -> Vec<String> {
    v["plan"]["not_evaluated"]
        .as_array()
        .expect("plan.not_evaluated")
        .iter()
        .map(|n| n["address"].as_str().unwrap_or("").to_string())
        .collect()
}

const HAPROXY: &str = "i-0de7d1b721a1e0001";
const SSM: &str = "i-0de7d1b721a1e0003";

/// (a) sg-open-relay: the diff pair's `before` (HAProxy group `sg-08819528322010002` without
/// ingress) plus a planned `aws_vpc_security_group_ingress_rule` tcp 6379 from 0.0.0.0/0 on
/// that group is exactly the pair's `after`, so the answer is the pair's (tests/diff.rs):
/// office via the HAProxy unreachable → reachable (NACL in 100 admits the office, #1);
/// internet via the HAProxy unreachable → partial (NACL in 110 admits 6379 from any IPv4
/// address, #10; IPv6 clients reach the HAProxy's IPv6 address but the group has no IPv6 rule,
/// #11); both new exposures, so `--fail-on new-exposure` exits 1. The expectation "office
/// reaches redis through the proxy" goes from violated to held.
#[test]
fn a_planned_rule_opening_the_relay_is_a_new_exposure() {
    let v = json("fixtures/diff/sg-open-relay/before", "sg-open-relay");
    assert_eq!(
        changes(&v),
        [
            format!("internet|demo-redis|6379|{HAPROXY}|unreachable|partial|newly-reachable|true"),
            format!("office|demo-redis|6379|{HAPROXY}|unreachable|reachable|newly-reachable|true"),
        ]
    );
    assert_eq!(
        because(&v),
        ["sg-08819528322010002: added ingress tcp 6379 from 0.0.0.0/0"]
    );
    assert_eq!(v["expectations"][0]["held_before"], false);
    assert_eq!(v["expectations"][0]["held_after"], true);
    assert_eq!(
        v["plan"]["applied"][0],
        "create aws_vpc_security_group_ingress_rule.cache_world"
    );
    assert_eq!(v["plan"]["format_version"], "1.2");
    // The same answer as the snapshot pair, field for field (both sides built the same way).
    let pair = run(&[
        "diff",
        "--before",
        "fixtures/diff/sg-open-relay/before",
        "--after",
        "fixtures/diff/sg-open-relay/after",
        "--config",
        "fixtures/diff/vpcreach.toml",
        "--format",
        "json",
    ]);
    let pair: Value = serde_json::from_slice(&pair.stdout).expect("pair JSON");
    assert_eq!(changes(&pair), changes(&v));
    let gate = diff(
        "fixtures/diff/sg-open-relay/before",
        "sg-open-relay",
        "table",
        &["--fail-on", "new-exposure"],
    );
    assert_eq!(gate.status.code(), Some(1), "{}", text(&gate.stderr));
    let table = text(&gate.stdout);
    assert!(table.contains("Plan:   fixtures/plan/sg-open-relay/plan.json (format_version 1.2): 1 resource change(s) applied, 0 not evaluated"), "{table}");
    assert!(table.contains("NEWLY EXPOSED"), "{table}");
}

/// (c) nacl-return-path: the demo with app-public's outbound rule 100 (tcp 1024–65535 to
/// 0.0.0.0/0, "replies to clients") deleted. The office's request to the HAProxy still enters
/// (in 100) but the reply to the client's ephemeral port no longer leaves app-public: out 110
/// (443), 115 (80), 120 (10.0.0.0/16) and 140 (::/0) do not match, 32767 denies. So office via
/// the HAProxy: reachable → unreachable; internet via the HAProxy: partial (the office part of
/// the internet, which the HAProxy's group admits) → unreachable. The HAProxy → cache leg still
/// leaves by out 120 (all to 10.0.0.0/16), and the NAT gateway's replies to the SSM host leave
/// by out 120 too, so nothing else changes. No new exposure: `--fail-on` exits 0.
#[test]
fn a_planned_nacl_rule_deletion_breaks_the_return_path() {
    let v = json("fixtures/demo", "nacl-return-path");
    assert_eq!(
        changes(&v),
        [
            format!(
                "internet|demo-redis|6379|{HAPROXY}|partial|unreachable|no-longer-reachable|false"
            ),
            format!(
                "office|demo-redis|6379|{HAPROXY}|reachable|unreachable|no-longer-reachable|false"
            ),
        ]
    );
    assert_eq!(
        because(&v),
        ["acl-02344f08e51020002: removed outbound rule 100 allow tcp 1024-65535 to 0.0.0.0/0"]
    );
    assert_eq!(v["expectations"][0]["held_before"], true);
    assert_eq!(v["expectations"][0]["held_after"], false);
    let gate = diff(
        "fixtures/demo",
        "nacl-return-path",
        "markdown",
        &["--fail-on", "new-exposure"],
    );
    assert_eq!(gate.status.code(), Some(0), "{}", text(&gate.stderr));
    assert!(text(&gate.stdout).contains("- Plan:   fixtures/plan/nacl-return-path/plan.json"));
}

/// (b) peering-routes (a module, `count` and references between new resources): in
/// `module.peering`, a new peering project-b (requester) ↔ app (accepter, auto-accepted:
/// active), a route 10.0.8.0/21 → the peering in project-b's table and, with `count = 2`,
/// 10.20.1.0/24 → the peering in app-private-a and app-private-b; the routes' peering id is
/// known only after apply and resolved through `aws_vpc_peering_connection.this.id` inside the
/// module. At the root, demo-redis's group admits 10.20.1.0/24 on 6379.
/// * project-b (group `sg-08819528322010022`, subnet `subnet-018507519c5520041`, 10.20.1.20)
///   → cache: before unreachable (no rule; replies to 10.20/16 go to project-a through the
///   TGW, #6); after: 10.0.8.0/21 (covers 10.0.11.0/24 and 10.0.12.0/24) beats 10.0.0.0/16 →
///   TGW, the default NACLs allow all, the group admits 10.20.1.0/24, the replies take
///   10.20.1.0/24 → peering in both private tables: reachable. Not an exposure (a group and a
///   subnet are not the internet or a named range).
/// * project-a (also 10.20.1.0/24) is admitted by the new rule, but the replies to it now go
///   to project-b by the peering routes: unreachable on both sides, no change.
/// * `aws_lb.front` is not evaluated (listed), the `no-op` on `aws_vpc.app` counts as unchanged.
#[test]
fn a_planned_peering_with_routes_opens_a_way_across_vpcs() {
    let v = json("fixtures/demo", "peering-routes");
    assert_eq!(
        changes(&v),
        [
            "sg-08819528322010022|demo-redis|6379|direct|unreachable|reachable|newly-reachable|false",
            "subnet-018507519c5520041|demo-redis|6379|direct|unreachable|reachable|newly-reachable|false",
        ]
    );
    let pcx = "pcx-tf:module.peering.aws_vpc_peering_connection.this";
    let b = because(&v);
    for want in [
        format!("rtb-0aed2bd46e5370003: added route 10.20.1.0/24 -> {pcx}"),
        format!("rtb-0aed2bd46e5370004: added route 10.20.1.0/24 -> {pcx}"),
        format!("rtb-0aed2bd46e5370022: added route 10.0.8.0/21 -> {pcx}"),
        "sg-08819528322010005: added ingress tcp 6379 from 10.20.1.0/24".to_string(),
    ] {
        assert!(b.contains(&want), "missing {want:?} in {b:#?}");
    }
    assert!(
        b.iter()
            .any(|x| x.starts_with(&format!("{pcx}: created")) && x.contains("status active")),
        "{b:#?}"
    );
    assert_eq!(not_evaluated(&v), ["aws_lb.front"]);
    assert_eq!(v["plan"]["unchanged"], 1);
    assert_eq!(v["plan"]["applied"].as_array().map(Vec::len), Some(5));
    let gate = diff(
        "fixtures/demo",
        "peering-routes",
        "table",
        &["--fail-on", "new-exposure"],
    );
    assert_eq!(gate.status.code(), Some(0));
    assert!(text(&gate.stdout).contains("PLAN_CHANGE_NOT_EVALUATED: create aws_lb.front"));
}

/// (e) sg-replace: demo-redis's group is replaced (`["create","delete"]`): the new group admits
/// the HAProxy's group only (the SSM host's group `sg-08819528322010004` is dropped), and the
/// replication group moves to it (its `security_group_ids` is known only after apply and
/// resolved through `aws_security_group.redis.id`). What rested on the SSM host's group is
/// lost: the group itself and the SSM host's subnet app-private-a (`subnet-018507519c5520021`)
/// as sources (#8), and the SSM relay from the internet: reachable → unreachable. Through the
/// HAProxy the verdicts stay (the new group admits the HAProxy's group, #3) but the path now
/// passes the new group: path changed. The old group also admitted the resource gateway's
/// group demo-redis-gateway (`sg-08819528322010007`, #16), the new one does not: project-b's
/// way in over PrivateLink (resource endpoint `vpce-090fb6c7b7aae0005`, its group
/// `sg-08819528322010022` and subnet `subnet-018507519c5520041`, L7) is lost too. No new
/// exposure.
#[test]
fn a_planned_replace_of_the_cache_group_drops_what_rested_on_the_old_rules() {
    let v = json("fixtures/demo", "sg-replace");
    assert_eq!(
        changes(&v),
        [
            format!("internet|demo-redis|6379|{HAPROXY}|partial|partial|path-changed|false"),
            format!("internet|demo-redis|6379|{SSM}|reachable|unreachable|no-longer-reachable|false"),
            format!("office|demo-redis|6379|{HAPROXY}|reachable|reachable|path-changed|false"),
            "sg-08819528322010004|demo-redis|6379|direct|reachable|unreachable|no-longer-reachable|false".to_string(),
            "sg-08819528322010022|demo-redis|6379|vpce-090fb6c7b7aae0005|reachable|unreachable|no-longer-reachable|false".to_string(),
            "subnet-018507519c5520021|demo-redis|6379|direct|reachable|unreachable|no-longer-reachable|false".to_string(),
            "subnet-018507519c5520041|demo-redis|6379|vpce-090fb6c7b7aae0005|reachable|unreachable|no-longer-reachable|false".to_string(),
        ]
    );
    let b = because(&v);
    for want in [
        "sg-08819528322010005: deleted",
        "sg-tf:aws_security_group.redis: created",
        "sg-tf:aws_security_group.redis: added ingress tcp 6379 from sg-08819528322010002",
        "demo-redis-001: security groups sg-08819528322010005 → sg-tf:aws_security_group.redis",
    ] {
        assert!(b.iter().any(|x| x == want), "missing {want:?} in {b:#?}");
    }
    assert_eq!(v["summary"]["new_exposures"], 0);
}

/// (d) tgw-overlap: a new VPC project-c 10.20.0.0/16 (overlapping project-a and project-b)
/// attached to the demo TGW with default association and propagation, a subnet 10.20.5.0/24,
/// an instance (its private address assigned at apply: some address of the subnet, stated),
/// a route 10.0.0.0/16 → TGW and a rule admitting 10.20.5.0/24 on the cache group. Forward
/// the instance reaches the cache (TGW route 10.0.0.0/16 → tgw-app); the replies take the
/// private tables' 10.20.0.0/16 → TGW, where 10.20.0.0/16 goes to project-a: project-c's
/// identical block is suppressed (T4, the new attachment is the newest), so the replies land in
/// project-a where no interface holds the address: unreachable,
/// TGW_PROPAGATION_SUPPRESSED_OVERLAP. `diff` shows no reachability change (project-c did not
/// exist before, and is unreachable after); `check --plan` with the expectation
/// "project-c app reaches redis" fails with that code.
#[test]
fn a_planned_overlapping_tgw_attachment_has_its_propagation_suppressed() {
    let v = json("fixtures/demo", "tgw-overlap");
    assert_eq!(changes(&v), Vec::<String>::new());
    assert_eq!(not_evaluated(&v), Vec::<String>::new());
    assert_eq!(
        v["plan"]["recomputed_tgw_tables"][0],
        "tgw-rtb-0b937e19ff0c20001"
    );
    let assumed = v["plan"]["assumptions"].to_string();
    assert!(
        assumed.contains("some address of its subnet subnet-tf:aws_subnet.project_c_a"),
        "{assumed}"
    );
    // Recomputing the table on both sides: the demo's own propagated routes are no difference.
    let cfg = v["config_changes"].to_string();
    assert!(!cfg.contains("removed propagated route"), "{cfg}");
    let out = run(&[
        "check",
        "--snapshot",
        "fixtures/demo",
        "--plan",
        "fixtures/plan/tgw-overlap/plan.json",
        "--config",
        "fixtures/plan/tgw-overlap/vpcreach.toml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).expect("check JSON");
    assert_eq!(r["summary"]["expectations_violated"], 1);
    assert!(
        r["expectations"][0]
            .to_string()
            .contains("TGW_PROPAGATION_SUPPRESSED_OVERLAP"),
        "{}",
        r["expectations"][0]
    );
    assert_eq!(r["plan"]["plan"], "fixtures/plan/tgw-overlap/plan.json");
}

/// Hostile plans: each is an error (exit 2) naming the plan file and the JSON pointer.
#[test]
fn hostile_plans_are_errors_naming_file_and_pointer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: &[(&str, &str, &str)] = &[
        ("v2", r#"{"format_version":"2.0","resource_changes":[]}"#, "at /format_version: format_version \"2.0\" is not supported"),
        ("noversion", r#"{"resource_changes":[]}"#, "at /format_version: missing"),
        ("notjson", "{", "not JSON"),
        ("array", "[]", "expected an object, got an array"),
        ("rcs", r#"{"format_version":"1.2","resource_changes":{}}"#, "at /resource_changes: expected an array"),
        ("actions", r#"{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"aws_route","name":"b","change":{"actions":"create"}}]}"#, "at /resource_changes/0/change/actions: expected an array"),
        ("badaction", r#"{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"aws_route","name":"b","change":{"actions":["explode"]}}]}"#, "at /resource_changes/0/change/actions: unknown actions"),
        ("noafter", r#"{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"aws_route","name":"b","change":{"actions":["create"],"before":null}}]}"#, "at /resource_changes/0/change/after: missing"),
        ("noaddress", r#"{"format_version":"1.2","resource_changes":[{"type":"aws_route","name":"b","change":{"actions":["create"],"after":{}}}]}"#, "at /resource_changes/0/address: missing"),
        ("port", r#"{"format_version":"1.2","resource_changes":[{"address":"aws_vpc_security_group_ingress_rule.x","type":"aws_vpc_security_group_ingress_rule","name":"x","change":{"actions":["create"],"after":{"security_group_id":"sg-08819528322010002","ip_protocol":"tcp","from_port":"many","to_port":6379,"cidr_ipv4":"0.0.0.0/0"}}}]}"#, "at /resource_changes/0/change/after/from_port: expected an integer"),
        ("cidr", r#"{"format_version":"1.2","resource_changes":[{"address":"aws_route.x","type":"aws_route","name":"x","change":{"actions":["create"],"after":{"route_table_id":"rtb-0aed2bd46e5370003","destination_cidr_block":"10.300.0.0/16","gateway_id":"igw-0fe010647d32a0001"}}}]}"#, "at /resource_changes/0/change/after/destination_cidr_block: expected an IPv4 CIDR block"),
        ("tags", r#"{"format_version":"1.2","resource_changes":[{"address":"aws_vpc.x","type":"aws_vpc","name":"x","change":{"actions":["create"],"after":{"cidr_block":"10.9.0.0/16","tags":{"a/b":7}}}}]}"#, "at /resource_changes/0/change/after/tags/a~1b: expected a string"),
        ("modules", r#"{"format_version":"1.2","resource_changes":[],"configuration":{"root_module":{"module_calls":{"x":7}}}}"#, "at /configuration/root_module/module_calls/x: expected an object"),
        ("nacl", r#"{"format_version":"1.2","resource_changes":[{"address":"aws_network_acl_rule.x","type":"aws_network_acl_rule","name":"x","change":{"actions":["create"],"after":{"network_acl_id":"acl-02344f08e51020002","rule_number":40000,"egress":false,"protocol":"6","rule_action":"allow","cidr_block":"0.0.0.0/0","from_port":1,"to_port":2}}}]}"#, "at /resource_changes/0/change/after/rule_number: expected a rule number from 1 to 32766"),
    ];
    for (name, body, want) in cases {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, body).expect("write");
        let p = path.to_string_lossy().into_owned();
        for args in [
            vec!["diff", "--before", "fixtures/demo", "--plan", &p],
            vec![
                "check",
                "--snapshot",
                "fixtures/demo",
                "--plan",
                &p,
                "--config",
                "fixtures/plan/tgw-overlap/vpcreach.toml",
            ],
        ] {
            let out = run(&args);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name}: {err}");
            assert!(
                err.contains(&format!("plan {p}: ")),
                "{name}: no file in {err}"
            );
            assert!(err.contains(want), "{name}: want {want:?} in {err}");
            assert!(!err.contains("panicked"), "{name}: {err}");
        }
    }
}

/// The `plan` part of `diff --plan` and `check --plan` JSON validates against the committed
/// schemas (docs/schema/diff.schema.json, check.schema.json).
#[test]
fn plan_outputs_validate_against_the_schemas() {
    let schema = |kind: &str| -> jsonschema::Validator {
        let p = root().join(format!("docs/schema/{kind}.schema.json"));
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).expect("schema"))
            .expect("schema JSON");
        jsonschema::validator_for(&v).expect("valid schema")
    };
    let d = json("fixtures/demo", "peering-routes");
    assert!(d["plan"]["not_evaluated"][0]["code"] == "PLAN_CHANGE_NOT_EVALUATED");
    let errors: Vec<String> = schema("diff")
        .iter_errors(&d)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let out = run(&[
        "check",
        "--snapshot",
        "fixtures/demo",
        "--plan",
        "fixtures/plan/peering-routes/plan.json",
        "--config",
        "fixtures/diff/vpcreach.toml",
        "--format",
        "json",
    ]);
    let c: Value = serde_json::from_slice(&out.stdout).expect("check JSON");
    assert_eq!(c["plan"]["applied"].as_array().map(Vec::len), Some(5));
    let errors: Vec<String> = schema("check")
        .iter_errors(&c)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// (f) eip-delete: the HAProxy's elastic IP `eipalloc-033bc2912e7410001` (54.87.201.14,
/// `aws_eip` with `instance`) is released. The HAProxy (app-public-a, the only interface
/// 10.0.1.25) keeps no public IPv4 address: the office's and the internet's IPv4 packets have
/// no address to reach it through the internet gateway (its group admits 6379 from the office's
/// IPv4 range only, so its IPv6 address carries nothing). Office via the HAProxy: reachable →
/// unreachable; internet via the HAProxy: partial (the office part) → unreachable; the
/// expectation held → violated. Nothing else uses that address; no new exposure.
#[test]
fn a_planned_elastic_ip_release_cuts_the_relay_off() {
    let v = json("fixtures/demo", "eip-delete");
    assert_eq!(
        changes(&v),
        [
            format!(
                "internet|demo-redis|6379|{HAPROXY}|partial|unreachable|no-longer-reachable|false"
            ),
            format!(
                "office|demo-redis|6379|{HAPROXY}|reachable|unreachable|no-longer-reachable|false"
            ),
        ]
    );
    assert_eq!(
        because(&v),
        [
            "eni-04d4f0f7a97c80001: public ip 54.87.201.14 → none",
            format!("{HAPROXY}: public ip 54.87.201.14 → none").as_str(),
        ]
    );
    assert_eq!(v["expectations"][0]["held_after"], false);
    assert_eq!(v["plan"]["applied"][0], "delete aws_eip.haproxy");
}

/// (g) eip-association: the same release, and the spare elastic IP `eipalloc-033bc2912e7410003`
/// (52.4.190.77, associated with nothing) associated with the HAProxy instance by an
/// `aws_eip_association` (`instance_id`: its only interface, primary address). The HAProxy is
/// public again under another address, on the same interface, subnet, NACL and route: no
/// reachability change at all; the new address is a configuration difference only.
#[test]
fn a_planned_elastic_ip_association_keeps_the_relay_public() {
    let v = json("fixtures/demo", "eip-association");
    assert!(changes(&v).is_empty(), "{:?}", changes(&v));
    let config: Vec<String> = v["config_changes"]
        .as_array()
        .expect("config_changes")
        .iter()
        .map(|b| {
            format!(
                "{}: {}",
                b["component"].as_str().unwrap_or(""),
                b["change"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        config.contains(&"eni-04d4f0f7a97c80001: public ip 54.87.201.14 → 52.4.190.77".to_string()),
        "{config:?}"
    );
    assert_eq!(
        v["plan"]["applied"],
        serde_json::json!([
            "delete aws_eip.haproxy",
            "create aws_eip_association.haproxy"
        ])
    );
    assert!(not_evaluated(&v).is_empty());
}

/// (h) eni-eip: the release again, plus a second interface for the HAProxy
/// (`aws_network_interface`: app-public-b, `private_ips` 10.0.2.50, the HAProxy's group,
/// `attachment { instance, device_index = 1 }`) and a new elastic IP on it (`aws_eip` with
/// `network_interface` = that interface, known after apply, resolved through the reference;
/// its address a documentation address). The office reaches the new address: app-public-b has
/// the app-public table (0/0 → IGW) and NACL (in 100: 6379 from the office, out 100: the reply
/// to the ephemeral port); the group admits the office on 6379. So office via the HAProxy stays
/// reachable and internet via it stays partial, through other components: path changed (no
/// loss, no new exposure). App-public-b now holds an interface in the HAProxy's group, which
/// demo-redis's group admits (local route, out 120 / default NACL in 100): the subnet
/// `subnet-018507519c5520012` newly reaches the cache (not an exposure).
#[test]
fn a_planned_interface_with_its_elastic_ip_carries_the_relay() {
    let v = json("fixtures/demo", "eni-eip");
    assert_eq!(
        changes(&v),
        [
            format!("internet|demo-redis|6379|{HAPROXY}|partial|partial|path-changed|false"),
            format!("office|demo-redis|6379|{HAPROXY}|reachable|reachable|path-changed|false"),
            "subnet-018507519c5520012|demo-redis|6379|direct|unreachable|reachable|newly-reachable|false".to_string(),
        ]
    );
    let b = because(&v);
    assert!(
        b.iter().any(|x| x.starts_with("eni-tf:aws_network_interface.haproxy_b: created (private addresses 10.0.2.50; public ip 192.0.2.")),
        "{b:?}"
    );
    assert!(
        b.iter()
            .any(|x| x.contains("security groups sg-08819528322010002")
                && x.contains("subnet subnet-018507519c5520012")),
        "{b:?}"
    );
    assert!(v["plan"]["assumptions"]
        .as_array()
        .expect("assumptions")
        .iter()
        .any(|a| a
            .as_str()
            .is_some_and(|a| a.starts_with("elastic IP eipalloc-tf:aws_eip.haproxy_b"))));
    let gate = diff(
        "fixtures/demo",
        "eni-eip",
        "table",
        &["--fail-on", "new-exposure"],
    );
    assert_eq!(gate.status.code(), Some(0), "{}", text(&gate.stderr));
}

/// (i) cache-public: a new replication group `public-redis` (`num_cache_clusters = 2`, port
/// 6379) in a new subnet group of app-public-a and app-public-b, with a new group admitting tcp
/// 6379 from 0.0.0.0/0. Its member clusters public-redis-001 / -002 get one node each, in
/// public-a then public-b (free addresses, assumed). Cache nodes have no public address, so
/// nothing reaches it directly from outside. By hand:
/// - via the bastion (i-…0002, ssh-bastion: leg 1 is tcp 22 from anywhere — bastion group and
///   app-bastion NACL in 100; leg 2: bastion 10.0.3.10 → node, app-bastion out 120 / app-public
///   in 120 (10.0.0.0/16), the new group admits 0.0.0.0/0; replies by app-public out 120 and
///   app-bastion in 120): internet and office newly reachable — new exposures;
/// - via the SSM host (i-…0003, SSM-ready through the NAT gateway, reported from `internet`;
///   leg 2 from private-a: default NACL, app-public in 120): internet newly reachable — a new
///   exposure; via the HAProxy: nothing (its `forward` names demo-redis);
/// - in the VPC, every source group and subnet with a running member (haproxy, bastion,
///   ssm-host groups; subnets public-a, public-bastion, private-a) newly reaches it (all inside
///   10.0.0.0/16: local routes, NACL rules 120 / default allow);
/// - project-a / project-b: their packets enter app-public by in 110 (6379 is in 1024–65535)
///   but the reply follows app-public's 0/0 → IGW, not the TGW: unreachable (no change).
///
/// Before, the cache does not exist: `absent`.
#[test]
fn a_planned_cache_in_public_subnets_with_a_world_open_group_is_exposed_through_relays() {
    let v = json("fixtures/demo", "cache-public");
    let bastion = "i-0de7d1b721a1e0002";
    assert_eq!(
        changes(&v),
        [
            format!("internet|public-redis|6379|{bastion}|absent|reachable|newly-reachable|true"),
            format!("internet|public-redis|6379|{SSM}|absent|reachable|newly-reachable|true"),
            format!("office|public-redis|6379|{bastion}|absent|reachable|newly-reachable|true"),
            "sg-08819528322010002|public-redis|6379|direct|absent|reachable|newly-reachable|false".to_string(),
            "sg-08819528322010003|public-redis|6379|direct|absent|reachable|newly-reachable|false".to_string(),
            "sg-08819528322010004|public-redis|6379|direct|absent|reachable|newly-reachable|false".to_string(),
            "subnet-018507519c5520011|public-redis|6379|direct|absent|reachable|newly-reachable|false".to_string(),
            "subnet-018507519c5520013|public-redis|6379|direct|absent|reachable|newly-reachable|false".to_string(),
            "subnet-018507519c5520021|public-redis|6379|direct|absent|reachable|newly-reachable|false".to_string(),
        ]
    );
    let b = because(&v);
    assert!(
        b.contains(
            &"sg-tf:aws_security_group.public_redis: added ingress tcp 6379 from 0.0.0.0/0"
                .to_string()
        ),
        "{b:?}"
    );
    assert!(
        b.iter().any(|x| x.starts_with("public-redis: created (")
            && x.contains("members public-redis-001, public-redis-002")),
        "{b:?}"
    );
    assert!(
        b.iter()
            .any(|x| x.starts_with("public-redis-001: created (")
                && x.contains("subnet group public-cache")),
        "{b:?}"
    );
    assert_eq!(v["plan"]["applied"].as_array().map(Vec::len), Some(3));
    assert!(not_evaluated(&v).is_empty());
    let gate = diff(
        "fixtures/demo",
        "cache-public",
        "table",
        &["--fail-on", "new-exposure"],
    );
    assert_eq!(gate.status.code(), Some(1), "{}", text(&gate.stderr));
}

/// (j) ssm-no-nat: app-private-a's route 0.0.0.0/0 → `nat-0d919a100ce6b0001` is deleted. The
/// SSM host (i-…0003, app-private-a, no public address, no interface endpoint in the app VPC)
/// loses its only way to the public Systems Manager endpoints on 443 (M3): it is no longer
/// SSM-ready, so internet via the SSM host: reachable → unreachable. Nothing else uses that
/// route toward the cache (the HAProxy and the bastion are in the public table).
#[test]
fn a_planned_route_deletion_leaves_the_ssm_host_unready() {
    let v = json("fixtures/demo", "ssm-no-nat");
    assert_eq!(
        changes(&v),
        [format!(
            "internet|demo-redis|6379|{SSM}|reachable|unreachable|no-longer-reachable|false"
        )]
    );
    assert_eq!(
        because(&v),
        ["rtb-0aed2bd46e5370003: removed route 0.0.0.0/0 -> nat-0d919a100ce6b0001"]
    );
}

/// (k) ssm-endpoints: the same deletion, plus interface endpoints (`aws_vpc_endpoint`,
/// `for_each` over ssm / ssmmessages / ec2messages, `vpc_endpoint_type = "Interface"`) in
/// app-private-a with `private_dns_enabled = true` and a new group admitting tcp 443 from
/// 10.0.0.0/16 (referenced, known after apply), and a gateway endpoint for S3 on app-public's
/// table. The app VPC has both DNS attributes on, the SSM host's group lets it out on 443, the
/// default NACL allows all, and the endpoints' group admits it: the SSM host is SSM-ready
/// through the endpoints (M3, V2, V3). Internet via the SSM host stays reachable, by other
/// components: path changed, nothing lost, no new exposure. The S3 endpoint adds
/// `pl-63a5400a` → the endpoint to app-public's table (the prefix list found by service name).
#[test]
fn planned_ssm_interface_endpoints_keep_the_ssm_host_ready() {
    let v = json("fixtures/demo", "ssm-endpoints");
    assert_eq!(
        changes(&v),
        [format!(
            "internet|demo-redis|6379|{SSM}|reachable|reachable|path-changed|false"
        )]
    );
    let config: Vec<String> = v["config_changes"]
        .as_array()
        .expect("config_changes")
        .iter()
        .map(|b| {
            format!(
                "{}: {}",
                b["component"].as_str().unwrap_or(""),
                b["change"].as_str().unwrap_or("")
            )
        })
        .collect();
    for svc in ["ssm", "ssmmessages", "ec2messages"] {
        let want = format!("vpce-tf:aws_vpc_endpoint.ssm[\"{svc}\"]: created (private dns on; security groups sg-tf:aws_security_group.ssm_endpoints; service com.amazonaws.us-east-1.{svc}; state available)");
        assert!(config.contains(&want), "{want}: {config:?}");
    }
    let all: Vec<String> = because(&v).into_iter().chain(config).collect();
    assert!(
        all.contains(
            &"rtb-0aed2bd46e5370002: added route pl-63a5400a -> vpce-tf:aws_vpc_endpoint.s3_public"
                .to_string()
        ),
        "{all:?}"
    );
    assert_eq!(v["plan"]["applied"].as_array().map(Vec::len), Some(6));
    assert!(not_evaluated(&v).is_empty());
}

/// (l) nat-b: a new NAT gateway in app-public-b with the spare elastic IP (52.4.190.77), and
/// app-private-a's default route moved to it (`update`, `nat_gateway_id` known after apply,
/// resolved through `aws_nat_gateway.b.id`). By hand, the SSM host still gets out on 443:
/// private-a → the new gateway (app-public NACL in 120, from 10.0.0.0/16), the gateway → the
/// internet (app-public table 0/0 → IGW, NACL out 110 443, replies in 110), the replies back
/// to the host (out 120). So internet via the SSM host stays reachable by another gateway:
/// path changed, nothing lost. This needs the gateway's interface (AWS's requester-managed
/// `Interface for NAT Gateway …`, source/destination check off): without it the gateway carries
/// nothing and the answer would be "no longer reachable" (as for ssm-no-nat).
#[test]
fn a_planned_nat_gateway_carries_the_ssm_host_out() {
    let v = json("fixtures/demo", "nat-b");
    assert_eq!(
        changes(&v),
        [format!(
            "internet|demo-redis|6379|{SSM}|reachable|reachable|path-changed|false"
        )]
    );
    let b = because(&v);
    assert!(
        b.contains(
            &"rtb-0aed2bd46e5370003: added route 0.0.0.0/0 -> nat-tf:aws_nat_gateway.b".to_string()
        ),
        "{b:?}"
    );
    assert!(
        b.iter().any(
            |x| x.starts_with("nat-tf:aws_nat_gateway.b: created (addresses 10.0.2.")
                && x.contains("/ 52.4.190.77")
        ),
        "{b:?}"
    );
}
