//! `vpcreach diff` (issue 12) through the built binary, on the fixture pairs under
//! `fixtures/diff/` (copies of the demo with one edit each, `fixtures/diff/generate.py`) with
//! `fixtures/diff/vpcreach.toml` (the demo's sources and relays plus one `[[expect]]`). Every
//! expected change is derived by hand in the comments (and in fixtures/diff/README.md), from
//! the demo's README (rows #1–#15), never copied from output.

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

/// `diff` of a pair in `format` (+ extra args): (exit code, stdout).
fn diff(pair: &str, format: &str, extra: &[&str]) -> (i32, String) {
    let before = format!("fixtures/diff/{pair}/before");
    let after = format!("fixtures/diff/{pair}/after");
    let mut args = vec![
        "diff",
        "--before",
        &before,
        "--after",
        &after,
        "--config",
        "fixtures/diff/vpcreach.toml",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    (out.status.code().unwrap_or(-1), text(&out.stdout))
}

fn json(pair: &str) -> Value {
    let (code, out) = diff(pair, "json", &[]);
    assert_eq!(code, 0, "{pair}: {out}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{pair}: not JSON ({e}): {out}"))
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

/// Every `because` of every change (and changed expectation), as `component: change`.
fn because(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = ["changes", "expectations"]
        .iter()
        .flat_map(|k| v[*k].as_array().cloned().unwrap_or_default())
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

fn config_changes(v: &Value) -> Vec<String> {
    v["config_changes"]
        .as_array()
        .expect("config_changes")
        .iter()
        .map(|c| {
            format!(
                "{}: {}",
                c["component"].as_str().unwrap_or(""),
                c["change"].as_str().unwrap_or("")
            )
        })
        .collect()
}

const HAPROXY: &str = "i-0de7d1b721a1e0001";
const SSM: &str = "i-0de7d1b721a1e0003";

/// (a) before: the HAProxy's group `sg-08819528322010002` admits nothing; after: tcp 6379 from
/// 0.0.0.0/0. Leg 2 (HAProxy → cache, #3) is the same on both sides. Leg 1 on 6379:
/// * office: app-public NACL in 100 admits 6379 from 203.0.113.0/24 (#1), the SG now admits
///   it: unreachable → reachable, a new exposure (a named range);
/// * internet: NACL in 110 (1024–65535 from 0.0.0.0/0) admits 6379 from any IPv4 address
///   (#10), the new rule too; IPv6 clients reach the HAProxy's IPv6 address through ::/0 and
///   NACL in 140 but the group has no IPv6 rule (#11): unreachable → partial, a new exposure.
///
/// Direct reach is unchanged (the group's egress and the cache's rule naming the group are
/// untouched). The one configuration difference is on the group, on both paths.
#[test]
fn an_sg_rule_opening_the_relay_is_a_new_exposure_through_it() {
    let v = json("sg-open-relay");
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
    // The expectation "office reaches redis through the proxy" (via the HAProxy) follows leg 1.
    let e = &v["expectations"][0];
    assert_eq!(
        (e["before"].as_str(), e["after"].as_str()),
        (Some("unreachable"), Some("reachable"))
    );
    assert_eq!(
        (e["held_before"].as_bool(), e["held_after"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(
        v["summary"]["new_exposures"], 3,
        "two changes + the expectation"
    );
    assert!(config_changes(&v).is_empty());
    assert_eq!(v["format_version"], 1);
}

/// (b) after: the cache subnets' NACL `acl-02344f08e51020001` gets inbound rule 90 deny tcp
/// 6379 from 10.0.1.0/24 (app-public-a, the HAProxy's subnet), before rule 100 allow all.
/// Everything the HAProxy sends to the cache port is denied entering private-a and private-b:
/// direct from its group `sg-08819528322010002` and from its subnet `subnet-018507519c5520011`
/// (reachable → unreachable, #3 no longer holds), and through it from the office (reachable,
/// #1 + #3) and the internet (partial: only the office's addresses pass leg 1, #10): no longer
/// reachable. The SSM host (10.0.11.20, `sg-08819528322010004`, private-a) is not in
/// 10.0.1.0/24: its direct and SSM ways are unchanged.
#[test]
fn a_nacl_deny_makes_the_relay_paths_no_longer_reachable() {
    let v = json("nacl-deny");
    assert_eq!(
        changes(&v),
        [
            format!("internet|demo-redis|6379|{HAPROXY}|partial|unreachable|no-longer-reachable|false"),
            format!("office|demo-redis|6379|{HAPROXY}|reachable|unreachable|no-longer-reachable|false"),
            "sg-08819528322010002|demo-redis|6379|direct|reachable|unreachable|no-longer-reachable|false".to_string(),
            "subnet-018507519c5520011|demo-redis|6379|direct|reachable|unreachable|no-longer-reachable|false".to_string(),
        ]
    );
    assert_eq!(
        because(&v),
        ["acl-02344f08e51020001: added inbound rule 90 deny tcp 6379 from 10.0.1.0/24"]
    );
    assert_eq!(v["summary"]["new_exposures"], 0);
    assert_eq!(v["summary"]["no_longer_reachable"], 4);
}

/// (c) after: app-public's route table `rtb-0aed2bd46e5370002` loses 0.0.0.0/0 → IGW.
/// * Through the HAProxy (public-a): the replies to IPv4 clients have no route back (the
///   forward leg enters by the IGW and the local route): office reachable → unreachable,
///   internet partial → unreachable.
/// * Through the SSM host: its HTTPS to the services went private-a → NAT gateway (public-a)
///   → IGW (#5); the NAT gateway's subnet now has no route out, so only the S3 prefix list's
///   addresses still pass (gateway endpoint, private-a's table). Those are S3's addresses,
///   not Systems Manager's: a way to the public services must leave through a NAT or internet
///   gateway (M3), so the host is no longer SSM-ready and internet via the SSM host goes
///   reachable → unreachable.
/// * Direct reach is local: unchanged.
#[test]
fn a_removed_route_breaks_the_relay_and_the_ssm_host() {
    let v = json("route-removed");
    assert_eq!(
        changes(&v),
        [
            format!(
                "internet|demo-redis|6379|{HAPROXY}|partial|unreachable|no-longer-reachable|false"
            ),
            format!(
                "internet|demo-redis|6379|{SSM}|reachable|unreachable|no-longer-reachable|false"
            ),
            format!(
                "office|demo-redis|6379|{HAPROXY}|reachable|unreachable|no-longer-reachable|false"
            ),
        ]
    );
    assert_eq!(
        because(&v),
        ["rtb-0aed2bd46e5370002: removed route 0.0.0.0/0 -> igw-0fe010647d32a0001"]
    );
}

/// (d) after: the HAProxy's group also admits tcp 8443 from 0.0.0.0/0. No cache listens on
/// 8443; the relay is declared with listen 6379, so leg 1 is asked on 6379 only: nothing
/// changes, and the rule is listed among the configuration changes alone.
#[test]
fn a_rule_for_an_unused_port_is_only_a_config_change() {
    let v = json("unused-port");
    assert!(changes(&v).is_empty(), "{v:#}");
    assert!(v["expectations"].as_array().is_some_and(|a| a.is_empty()));
    assert_eq!(
        config_changes(&v),
        ["sg-08819528322010002: added ingress tcp 8443 from 0.0.0.0/0"]
    );
    let (code, out) = diff("unused-port", "table", &["--fail-on", "new-exposure"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No reachability change."), "{out}");
}

/// The table puts the new exposures first, each with its `because`; markdown has the same.
#[test]
fn table_and_markdown_show_new_exposures_first_with_their_reasons() {
    let (code, out) = diff("sg-open-relay", "table", &[]);
    assert_eq!(code, 0);
    let exposed = out.find("NEWLY EXPOSED").expect("section");
    let office = out
        .find(&format!(
            "office (range) -> demo-redis:6379 via {HAPROXY}: unreachable -> reachable"
        ))
        .expect("office row");
    assert!(exposed < office, "{out}");
    assert!(out.contains(
        "because sg-08819528322010002 (security-group): added ingress tcp 6379 from 0.0.0.0/0"
    ));
    let (_, md) = diff("nacl-deny", "markdown", &[]);
    assert!(md.starts_with("# vpcreach diff\n"), "{md}");
    assert!(md.contains(&format!(
        "| `office` (range) | `demo-redis` | 6379 | `{HAPROXY}` | reachable | unreachable | no longer reachable | `acl-02344f08e51020001` added inbound rule 90 deny tcp 6379 from 10.0.1.0/24 |"
    )), "{md}");
    assert!(!md.contains("NEW EXPOSURE"), "{md}");
}

/// `--fail-on new-exposure`: exit 1 on (a) (new exposures), 0 on (b) and (c) (only losses).
#[test]
fn fail_on_new_exposure_exit_codes() {
    assert_eq!(
        diff("sg-open-relay", "json", &["--fail-on", "new-exposure"]).0,
        1
    );
    assert_eq!(
        diff("nacl-deny", "json", &["--fail-on", "new-exposure"]).0,
        0
    );
    assert_eq!(
        diff("route-removed", "table", &["--fail-on", "new-exposure"]).0,
        0
    );
    // The same pair the other way round: what (b) took away comes back, through the HAProxy
    // from the office (a named range) and the internet: new exposures.
    let out = run(&[
        "diff",
        "--before",
        "fixtures/diff/nacl-deny/after",
        "--after",
        "fixtures/diff/nacl-deny/before",
        "--config",
        "fixtures/diff/vpcreach.toml",
        "--fail-on",
        "new-exposure",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
}

/// An incomplete side is said first and fails `--fail-on` unless `--allow-incomplete`; a
/// missing snapshot is a usage error.
#[test]
fn incomplete_sides_and_errors() {
    let inc = "fixtures/loader/truncated-sg";
    let args = [
        "diff",
        "--before",
        inc,
        "--after",
        inc,
        "--fail-on",
        "new-exposure",
    ];
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("SNAPSHOT_INCOMPLETE"),
        "{}",
        text(&out.stdout)
    );
    let mut allowed = args.to_vec();
    allowed.push("--allow-incomplete");
    assert_eq!(run(&allowed).status.code(), Some(0));
    let out = run(&["diff", "--before", "fixtures/nope", "--after", inc]);
    assert_eq!(out.status.code(), Some(2));
}
