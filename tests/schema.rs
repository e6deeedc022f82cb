//! The JSON Schemas under `docs/schema/` (issue 10): (a) each committed file is exactly what
//! `vpcreach schema KIND` generates from the Rust types, so they never drift; (b) real outputs
//! of the bundled fixtures validate against them, covering the optional parts (walked paths,
//! fixes, incomplete files, plans, what-if answers, diagnostics); (c) the schemas are strict:
//! required fields are listed and a renamed field fails validation.
//!
//! To regenerate after changing an output type:
//! `for k in reach reach-via overlaps inventory explain audit check diff; do cargo run -q -- schema $k > docs/schema/$k.schema.json; done`

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const KINDS: [&str; 8] = [
    "reach",
    "reach-via",
    "overlaps",
    "inventory",
    "explain",
    "audit",
    "check",
    "diff",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// Run the binary; (exit code, stdout).
fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run vpcreach");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn committed(kind: &str) -> Value {
    let path = root().join(format!("docs/schema/{kind}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn validator(kind: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&committed(kind)).unwrap_or_else(|e| panic!("{kind} schema: {e}"))
}

/// Validate one JSON output; on failure, name the command and every error with its path.
fn check(v: &jsonschema::Validator, what: &str, json: &Value) {
    let errors: Vec<String> = v
        .iter_errors(json)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}

/// Run a command with `--format json` and validate its output; returns it.
fn output(v: &jsonschema::Validator, args: &[&str]) -> Value {
    let args: Vec<&str> = [args, &["--format", "json"]].concat();
    let (code, stdout) = run(&args);
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("vpcreach {args:?} (exit {code}): not JSON: {e}\n{stdout}"));
    check(v, &format!("vpcreach {}", args.join(" ")), &json);
    // overlaps is at 2 (shared blocks fold latent pairs); the others at 1.
    let version = if args[0] == "overlaps" { 2 } else { 1 };
    assert_eq!(json["format_version"], version, "vpcreach {args:?}");
    json
}

#[test]
fn committed_schemas_are_the_generated_ones() {
    for kind in KINDS {
        let (code, generated) = run(&["schema", kind]);
        assert_eq!(code, 0, "schema {kind}");
        let path = root().join(format!("docs/schema/{kind}.schema.json"));
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == generated,
            "{path:?} is not what `vpcreach schema {kind}` prints: regenerate it with\n  \
             cargo run -q -- schema {kind} > docs/schema/{kind}.schema.json"
        );
    }
}

#[test]
fn schemas_are_strict() {
    for kind in KINDS {
        let s = committed(kind);
        assert!(
            s["$schema"]
                .as_str()
                .is_some_and(|u| u.contains("json-schema.org")),
            "{kind}: $schema"
        );
        assert_eq!(s["additionalProperties"], false, "{kind}: root is closed");
        let required: Vec<&str> = s["required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        assert!(required.contains(&"format_version"), "{kind}: {required:?}");
    }
    // Fields serde always writes are required; those it skips when empty are not.
    let reach = committed("reach");
    let required = |def: &str| -> Vec<String> {
        let d = if def.is_empty() {
            &reach
        } else {
            &reach["$defs"][def]
        };
        d["required"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    for f in [
        "question",
        "reachable",
        "verdict",
        "paths",
        "walked",
        "blocked",
        "assumptions",
        "warnings",
        "notes",
        "incomplete",
    ] {
        assert!(required("").iter().any(|r| r == f), "reach requires {f}");
    }
    let hop = required("Hop");
    assert!(hop.iter().any(|r| r == "component") && hop.iter().any(|r| r == "kind"));
    assert!(
        !hop.iter().any(|r| r == "rule"),
        "a hop's rule may be absent"
    );
    assert!(required("Blocker").iter().any(|r| r == "fix"));
    // Codes are listed by name, and `assumptions` are strings (as serialized), not objects.
    let codes = reach["$defs"]["Code"]["enum"].as_array().map(Vec::len);
    assert!(codes.is_some_and(|n| n > 50), "{codes:?}");
    assert_eq!(
        reach["properties"]["assumptions"]["items"]["type"],
        "string"
    );
}

#[test]
fn a_renamed_or_mistyped_field_fails_validation() {
    let v = validator("reach");
    let good = output(
        &v,
        &[
            "reach",
            "--from",
            "i-0de7d1b721a1e0001",
            "--to",
            "demo-redis",
        ],
    );
    let mut renamed = good.clone();
    let verdict = renamed["verdict"].take();
    let obj = renamed.as_object_mut().expect("object");
    obj.remove("verdict");
    obj.insert("result".into(), verdict);
    assert!(!v.is_valid(&renamed), "a renamed field must fail");
    let mut bad_code = good.clone();
    bad_code["notes"][0]["code"] = Value::from("NOT_A_CODE");
    assert!(!v.is_valid(&bad_code), "an unknown code must fail");
    let mut bad_kind = good;
    bad_kind["paths"][0]["forward"][0]["kind"] = Value::from("network_interface");
    assert!(
        !v.is_valid(&bad_kind),
        "an unknown component kind must fail"
    );
}

/// Demo questions covering every verdict, walked paths with stopped hops, fixes, ICMP, CIDR
/// sources, and both port origins (`asked`, `cache`).
#[test]
fn reach_outputs_validate() {
    let v = validator("reach");
    let demo: &[&[&str]] = &[
        &["--from", "203.0.113.10", "--to", "demo-redis"],
        &["--from", "i-0de7d1b721a1e0001", "--to", "demo-redis"],
        &[
            "--from",
            "internet",
            "--to",
            "i-0de7d1b721a1e0002",
            "--port",
            "22",
        ],
        &[
            "--from",
            "internet",
            "--to",
            "i-0de7d1b721a1e0002",
            "--port",
            "20-23",
        ],
        &[
            "--from",
            "i-0de7d1b721a1e0003",
            "--to",
            "i-0de7d1b721a1e0021",
            "--port",
            "22",
        ],
        &["--from", "10.0.0.0/8", "--to", "demo-redis"],
        &[
            "--from",
            "i-0de7d1b721a1e0001",
            "--to",
            "internet",
            "--protocol",
            "icmp",
        ],
        &[
            "--from",
            "i-0de7d1b721a1e0001",
            "--to",
            "i-0de7d1b721a1e0002",
            "--protocol",
            "all",
        ],
    ];
    let mut verdicts = std::collections::BTreeSet::new();
    let (mut walked, mut fixes) = (0, 0);
    for q in demo {
        let json = output(&v, &[&["reach"], *q].concat());
        verdicts.insert(json["verdict"].as_str().unwrap_or_default().to_string());
        walked += json["walked"].as_array().map_or(0, Vec::len);
        fixes += json["blocked"].as_array().map_or(0, Vec::len);
    }
    assert_eq!(
        verdicts.into_iter().collect::<Vec<_>>(),
        ["partial", "reachable", "unreachable"],
        "the questions cover every verdict"
    );
    assert!(walked > 0 && fixes > 0, "walked {walked}, blockers {fixes}");

    let snap = fixture("loader/truncated-sg");
    let snap = snap.to_str().expect("utf-8 path");
    let json = output(
        &v,
        &[
            "reach", "-s", snap, "--from", "eni-b", "--to", "eni-a", "--port", "22",
        ],
    );
    assert!(
        json["incomplete"].as_array().is_some_and(|a| !a.is_empty()),
        "{json:#}"
    );
}

/// `reach --via RELAY`: every relay kind of the demo and of the egress proxy case, reachable
/// and not, with blockers on either leg.
#[test]
fn reach_via_outputs_validate() {
    let v = validator("reach-via");
    let demo_toml = "fixtures/demo/vpcreach.toml";
    let m10 = fixture("rules/m10-http-proxy-relay");
    let m10_toml = m10.join("vpcreach.toml");
    let (m10, m10_toml) = (
        m10.to_str().expect("utf-8 path"),
        m10_toml.to_str().expect("utf-8 path"),
    );
    let mut verdicts = std::collections::BTreeSet::new();
    let mut blocked = 0;
    for args in [
        // http-proxy over PrivateLink (demo #19), and refused on leg 1 (no endpoint admits it).
        &[
            "--from",
            "i-0de7d1b721a1e0011",
            "--to",
            "internet",
            "--port",
            "443",
            "--via",
            "name:squid-egress",
            "--config",
            demo_toml,
        ][..],
        &[
            "--from",
            "i-0de7d1b721a1e0003",
            "--to",
            "internet",
            "--port",
            "443",
            "--via",
            "name:squid-egress",
            "--config",
            demo_toml,
        ],
        // tcp-proxy, ssm-port-forward (SSM-ready leg), ssh-bastion whose leg 2 fails.
        &[
            "--from",
            "office",
            "--to",
            "demo-redis",
            "--via",
            "name:haproxy-redis-relay",
            "--config",
            demo_toml,
        ],
        &[
            "--from",
            "internet",
            "--to",
            "demo-redis",
            "--via",
            "name:ssm-port-forward",
            "--config",
            demo_toml,
        ],
        &[
            "--from",
            "internet",
            "--to",
            "demo-redis",
            "--via",
            "name:ssh-bastion",
            "--config",
            demo_toml,
        ],
        // An undeclared instance, no port.
        &[
            "--from",
            "i-0de7d1b721a1e0001",
            "--to",
            "demo-redis",
            "--via",
            "i-0de7d1b721a1e0003",
        ],
        // The egress proxy case: leg 2 refused.
        &[
            "-s",
            m10,
            "--config",
            m10_toml,
            "--from",
            "name:egress-client",
            "--to",
            "internet",
            "--port",
            "443",
            "--via",
            "name:squid-http-only",
        ],
    ] {
        let json = output(&v, &[&["reach"], args].concat());
        assert_eq!(json["kind"], "relay");
        assert_eq!(json["legs"].as_array().map(Vec::len), Some(2), "{json:#}");
        verdicts.insert(json["verdict"].as_str().unwrap_or("").to_string());
        blocked += json["blockers"].as_array().map_or(0, Vec::len);
    }
    assert!(
        verdicts.contains("reachable") && verdicts.contains("unreachable"),
        "{verdicts:?}"
    );
    assert!(blocked > 0);
}

#[test]
fn overlaps_outputs_validate() {
    let v = validator("overlaps");
    output(&v, &["overlaps"]);
    output(&v, &["overlaps", "--plan"]);
    let dir = fixture("overlaps");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/overlaps")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "{cases:?}");
    let mut impacts = 0;
    for case in &cases {
        let s = case.to_str().expect("utf-8 path");
        let json = output(&v, &["overlaps", "-s", s, "--plan"]);
        impacts += json["overlaps"].as_array().map_or(0, |o| {
            o.iter()
                .map(|x| x["impact"].as_array().map_or(0, Vec::len))
                .sum()
        });
    }
    assert!(impacts > 0);
    let what_if = fixture("overlaps/what-if");
    let json = output(
        &v,
        &[
            "overlaps",
            "-s",
            what_if.to_str().expect("utf-8 path"),
            "--what-if-attach",
            "vpc-0f000000000000002",
            "--tgw",
            "tgw-0f000000000000001",
        ],
    );
    assert!(json["what_if"]["tables"]
        .as_array()
        .is_some_and(|t| !t.is_empty()));
    let snap = fixture("loader/truncated-sg");
    let json = output(&v, &["overlaps", "-s", snap.to_str().expect("utf-8 path")]);
    assert!(json["incomplete"].as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn inventory_outputs_validate() {
    let v = validator("inventory");
    let demo = output(&v, &["inventory"]);
    assert!(demo["scopes"][0]["caches"]
        .as_array()
        .is_some_and(|c| !c.is_empty()));
    for name in [
        "loader/bad-input",
        "loader/truncated-sg",
        "loader/multi-scope",
        "loader/cache",
    ] {
        let snap = fixture(name);
        let json = output(&v, &["inventory", "-s", snap.to_str().expect("utf-8 path")]);
        if name == "loader/bad-input" {
            assert!(json["errors"].as_u64().is_some_and(|n| n > 0), "{json:#}");
        }
    }
}

#[test]
fn explain_outputs_validate() {
    let v = validator("explain");
    let list = output(&v, &["explain", "--list"]);
    assert!(list["codes"].as_array().is_some_and(|c| c.len() > 50));
    let one = output(&v, &["explain", "NO_ROUTE_TO_DESTINATION"]);
    assert_eq!(one["codes"][0]["code"], "NO_ROUTE_TO_DESTINATION");
}

/// Audit outputs of every relay fixture (declared relays of each kind, a discovered relay, an
/// SSM host that is not ready), the demo with its configuration and an incomplete snapshot.
#[test]
fn audit_outputs_validate() {
    let v = validator("audit");
    for name in [
        "rules/m1-tcp-proxy",
        "rules/m2-ssh-bastion",
        "rules/m3-ssm-port-forward",
        "rules/m1-nat-instance",
        "rules/m1-discovered-relay",
        "rules/m3-ssm-readiness",
        "loader/truncated-sg",
        "demo",
    ] {
        let snap = fixture(name);
        let toml = snap.join("vpcreach.toml");
        let mut args = vec!["audit", "-s", snap.to_str().expect("utf-8 path")];
        if toml.is_file() {
            args.extend(["--config", toml.to_str().expect("utf-8 path")]);
        }
        let json = output(&v, &args);
        assert!(json["caches"].is_array(), "{name}");
    }
}

#[test]
fn check_outputs_validate() {
    let v = validator("check");
    for args in [
        &["check", "--config", "fixtures/check/holds.toml"][..],
        &["check", "--config", "fixtures/check/violated.toml"],
        &["check", "--config", "fixtures/check/waived.toml"],
        &["check", "--config", "fixtures/check/expired.toml"],
        &[
            "check",
            "--config",
            "fixtures/check/ssm-rules.toml",
            "--snapshot",
            "fixtures/rules/m3-ssm-readiness",
        ],
        &[
            "check",
            "--config",
            "fixtures/check/incomplete.toml",
            "--snapshot",
            "fixtures/loader/truncated-sg",
        ],
    ] {
        let json = output(&v, args);
        assert!(json["expectations"].is_array());
    }
}

#[test]
fn diff_outputs_validate() {
    let v = validator("diff");
    for pair in ["sg-open-relay", "nacl-deny", "route-removed", "unused-port"] {
        let before = format!("fixtures/diff/{pair}/before");
        let after = format!("fixtures/diff/{pair}/after");
        let args = [
            "diff",
            "--before",
            before.as_str(),
            "--after",
            after.as_str(),
            "--config",
            "fixtures/diff/vpcreach.toml",
        ];
        let json = output(&v, &args);
        assert!(json["changes"].is_array());
    }
    let inc = "fixtures/loader/truncated-sg";
    let json = output(&v, &["diff", "--before", inc, "--after", inc]);
    assert!(json["incomplete"]["before"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
}
