//! `vpcreach check` (issue 12) through the built binary, on the policy files under
//! `fixtures/check/` against the bundled demo snapshot (and two rule fixtures). Every expected
//! verdict is derived by hand (fixtures/check/README.md gives the derivations, from
//! fixtures/demo/README.md); waivers are judged at VPCREACH_TODAY=2026-06-01 unless a test
//! says otherwise.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(dir: &Path, args: &[&str], today: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("VPCREACH_TODAY", today)
        .output()
        .expect("run vpcreach")
}

fn run(args: &[&str]) -> Output {
    run_in(root(), args, "2026-06-01")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `check --config fixtures/check/NAME.toml --format json` (+ extra args): (exit, JSON).
fn json(name: &str, extra: &[&str]) -> (i32, Value) {
    let config = format!("fixtures/check/{name}.toml");
    let mut args = vec!["check", "--config", &config, "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {}{}", stdout(&out), stderr(&out)));
    (out.status.code().unwrap_or(-1), v)
}

fn expectation<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["expectations"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["name"] == name))
        .unwrap_or_else(|| panic!("no expectation {name:?} in {v:#}"))
}

/// (status, actual verdict) of an expectation.
fn outcome(v: &Value, name: &str) -> (String, String) {
    let e = expectation(v, name);
    (
        e["status"].as_str().unwrap_or("").to_string(),
        e["actual"].as_str().unwrap_or("").to_string(),
    )
}

fn pair(s: &str, a: &str) -> (String, String) {
    (s.to_string(), a.to_string())
}

#[test]
fn every_expectation_of_holds_toml_holds() {
    let (code, v) = json("holds", &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["summary"]["passed"], true);
    assert_eq!(v["summary"]["expectations"], 7);
    assert_eq!(v["summary"]["expectations_held"], 7);
    // Demo README #2: the cache nodes have no public address; the office cannot reach them.
    assert_eq!(
        outcome(&v, "office cannot reach redis directly"),
        pair("held", "unreachable")
    );
    // #1 (office → HAProxy 6379) then #3 (HAProxy → cache 6379): both legs reachable.
    assert_eq!(
        outcome(&v, "office reaches redis through the proxy"),
        pair("held", "reachable")
    );
    // The SSM host is SSM-ready through the NAT (#5, instance profile) and reaches the cache (#8).
    assert_eq!(
        outcome(&v, "office reaches redis through SSM port forwarding"),
        pair("held", "reachable")
    );
    // The bastion takes SSH from the office (#4) but the cache's group does not admit it (#9).
    assert_eq!(
        outcome(&v, "the bastion does not lead to redis"),
        pair("held", "unreachable")
    );
    // The proxy forwards only to demo-redis: leg 2 to project-a-app is refused by the relay.
    let fwd = expectation(&v, "the proxy forwards only to redis");
    assert_eq!(fwd["actual"], "unreachable");
    assert!(
        fwd["ways"][0]["legs"][1]
            .as_str()
            .is_some_and(|l| l.ends_with("unreachable")),
        "{fwd:#}"
    );
    // #4: internet → bastion 22; no relay is declared that changes that.
    assert_eq!(
        outcome(&v, "ssh to the bastion from anywhere"),
        pair("held", "reachable")
    );
    // vpn = office (#1 reachable) + 198.51.100.0/24 (#10 unreachable): partial.
    assert_eq!(
        outcome(&v, "only the office part of the vpn reaches the proxy"),
        pair("held", "partial")
    );
}

#[test]
fn violated_expectations_fail_with_their_blockers_and_lines() {
    let (code, v) = json("violated", &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["summary"]["expectations_violated"], 2);
    assert_eq!(
        outcome(&v, "office cannot reach redis directly"),
        pair("held", "unreachable")
    );
    // Any way: direct is unreachable (#2) but the declared proxy gets through (#1 + #3).
    let never = expectation(&v, "office never reaches redis");
    assert_eq!(never["status"], "violated");
    assert_eq!(never["actual"], "reachable");
    assert_eq!(never["code"], "CHECK_EXPECTATION_VIOLATED");
    assert_eq!(never["at"]["line"], 20);
    let ways: Vec<(String, String)> = never["ways"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|w| {
            (
                w["kind"].as_str().unwrap_or("").to_string(),
                w["verdict"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        ways,
        vec![pair("direct", "unreachable"), pair("relay", "reachable")]
    );
    // #9: the cache's group admits neither the bastion's group nor its subnet.
    let bastion = expectation(&v, "the bastion reaches redis");
    assert_eq!(bastion["status"], "violated");
    assert_eq!(bastion["actual"], "unreachable");
    assert_eq!(bastion["at"]["line"], 26);
    assert!(
        bastion["blockers"]
            .as_array()
            .is_some_and(|b| b.iter().any(|b| b["code"] == "ENI_SG_RULES_MISMATCH"
                && b["component"] == "sg-08819528322010005")),
        "{bastion:#}"
    );
}

#[test]
fn waivers_waive_by_name_and_unused_ones_are_reported() {
    let (code, v) = json("waived", &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["summary"]["expectations_waived"], 2);
    let never = expectation(&v, "office never reaches redis");
    assert_eq!(never["status"], "waived");
    assert_eq!(
        never["waiver"],
        "the proxy is the sanctioned path until NET-42"
    );
    assert_eq!(
        expectation(&v, "the bastion reaches redis")["status"],
        "waived"
    );
    // The third expectation holds: its waiver (line 45) waives nothing.
    let notes = v["waivers"].as_array().cloned().unwrap_or_default();
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert_eq!(notes[0]["code"], "CHECK_WAIVER_UNUSED");
    assert_eq!(notes[0]["severity"], "note");
    assert_eq!(notes[0]["at"]["line"], 45);
}

#[test]
fn an_expired_waiver_no_longer_waives_and_says_so() {
    // until = 2020-01-31, today 2026-06-01: expired.
    let (code, v) = json("expired", &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        expectation(&v, "office never reaches redis")["status"],
        "violated"
    );
    assert_eq!(v["waivers"][0]["code"], "CHECK_WAIVER_EXPIRED");
    assert_eq!(v["waivers"][0]["severity"], "warning");
    assert_eq!(v["waivers"][0]["at"]["line"], 22);
    // On its last day it still waives (until is inclusive).
    let out = run_in(
        root(),
        &[
            "check",
            "--config",
            "fixtures/check/expired.toml",
            "--format",
            "json",
        ],
        "2020-01-31",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(
        expectation(&v, "office never reaches redis")["status"],
        "waived"
    );
    assert_eq!(v["waivers"], serde_json::json!([]));
}

#[test]
fn configuration_errors_exit_2_with_file_line_and_column() {
    let out = run(&["check", "--config", "fixtures/check/unknown-code.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "fixtures/check/unknown-code.toml:5:11: unknown code \"SSM_NO_INSTANCE_PROFIL\"; did you mean SSM_NO_INSTANCE_PROFILE"
        ),
        "{}",
        stderr(&out)
    );
    let bad_today = run_in(
        root(),
        &["check", "--config", "fixtures/check/holds.toml"],
        "31/12/2026",
    );
    assert_eq!(bad_today.status.code(), Some(2));
    assert!(stderr(&bad_today).contains("VPCREACH_TODAY"));
}

#[test]
fn check_without_a_configuration_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run_in(dir.path(), &["check"], "2026-06-01");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no configuration"),
        "{}",
        stderr(&out)
    );
    // The default ./vpcreach.toml is read when present.
    std::fs::copy(
        root().join("fixtures/check/violated.toml"),
        dir.path().join("vpcreach.toml"),
    )
    .expect("copy");
    let out = run_in(dir.path(), &["check", "--format", "json"], "2026-06-01");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn an_incomplete_snapshot_fails_unless_allowed() {
    // fixtures/loader/truncated-sg: acl-a inbound rule 100 denies tcp 22 (the expectation
    // holds) but the security groups did not load (SNAPSHOT_INCOMPLETE).
    let snap = "fixtures/loader/truncated-sg";
    let (code, v) = json("incomplete", &["--snapshot", snap]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        outcome(&v, "eni-b cannot ssh to eni-a"),
        pair("held", "unreachable")
    );
    assert_eq!(v["summary"]["incomplete"], true);
    assert_eq!(v["summary"]["passed"], false);
    let (code, v) = json("incomplete", &["--snapshot", snap, "--allow-incomplete"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["summary"]["incomplete_allowed"], true);
}

#[test]
fn rules_select_ssm_findings_and_waive_by_component() {
    // fixtures/rules/m3-ssm-readiness (README): i-…02 has no profile (1 finding, waived by
    // component); i-…03 (3 services), i-…0c (3) and i-…15 (ec2messages) cannot reach the
    // services: 7 SSM_SERVICE_UNREACHABLE findings; SSM_ENDPOINT_BYPASSED is ignored.
    let (code, v) = json(
        "ssm-rules",
        &["--snapshot", "fixtures/rules/m3-ssm-readiness"],
    );
    assert_eq!(code, 1, "{v:#}");
    let rules = v["rules"].as_array().cloned().unwrap_or_default();
    let summary: Vec<(String, String, usize)> = rules
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap_or("").to_string(),
                r["status"].as_str().unwrap_or("").to_string(),
                r["findings"].as_array().map_or(0, |f| f.len()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "SSM_NO_INSTANCE_PROFILE".to_string(),
                "waived".to_string(),
                1
            ),
            (
                "SSM_SERVICE_UNREACHABLE".to_string(),
                "violated".to_string(),
                7
            ),
        ]
    );
    // Both rules point at their code in `select` (line 5, columns 11 and 38).
    assert_eq!(
        (
            rules[0]["at"]["line"].clone(),
            rules[0]["at"]["column"].clone()
        ),
        (5.into(), 11.into())
    );
    assert_eq!(rules[1]["at"]["column"], 38);
    assert_eq!(v["summary"]["findings"], 7);
    assert_eq!(v["summary"]["findings_waived"], 1);
}

#[test]
fn human_output_is_grouped_with_a_summary_line_and_no_colour_when_piped() {
    let out = run(&["check", "--config", "fixtures/check/violated.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let exp = text.find("Expectations (3)").expect("expectations section");
    let rules = text.find("Rules (0)").expect("rules section");
    assert!(exp < rules, "{text}");
    assert!(
        text.contains("VIOLATED office never reaches redis (line 20)"),
        "{text}"
    );
    assert!(
        text.contains("HELD     office cannot reach redis directly (line 13)"),
        "{text}"
    );
    let last = text.trim_end().lines().last().unwrap_or("");
    assert_eq!(
        last,
        "check FAILED: 3 expectation(s): 1 held, 2 violated, 0 waived; 0 rule(s): 0 violated (0 finding(s), 0 waived); snapshot complete"
    );
    assert!(!text.contains('\x1b'));
}

#[test]
fn output_writes_the_file_and_prints_the_summary_to_stderr() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("check.sarif");
    std::fs::write(&file, "old").expect("write");
    let f = file.to_string_lossy().into_owned();
    let out = run(&[
        "check",
        "--config",
        "fixtures/check/holds.toml",
        "--format",
        "sarif",
        "--output",
        &f,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).starts_with("check passed: 7 expectation(s)"),
        "{}",
        stderr(&out)
    );
    let written = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(written.contains("\"version\": \"2.1.0\""), "{written}");
    let d = dir.path().to_string_lossy().into_owned();
    let out = run(&[
        "check",
        "--config",
        "fixtures/check/holds.toml",
        "--output",
        &d,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a directory"));
}

fn sarif(name: &str, extra: &[&str]) -> Value {
    let config = format!("fixtures/check/{name}.toml");
    let mut args = vec!["check", "--config", &config, "--format", "sarif"];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/sarif/sarif-schema-2.1.0.json"))
            .expect("vendored schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for (name, extra) in [
        ("holds", vec![]),
        ("violated", vec![]),
        ("waived", vec![]),
        ("expired", vec![]),
        (
            "ssm-rules",
            vec!["--snapshot", "fixtures/rules/m3-ssm-readiness"],
        ),
        (
            "incomplete",
            vec!["--snapshot", "fixtures/loader/truncated-sg"],
        ),
    ] {
        let log = sarif(name, &extra);
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    // A broken log fails, so the validation is real.
    let mut bad = sarif("violated", &[]);
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn sarif_results_point_at_the_policy_lines_and_rules_carry_the_docs() {
    let log = sarif("violated", &[]);
    let run0 = &log["runs"][0];
    let results = run0["results"].as_array().cloned().unwrap_or_default();
    let lines: Vec<(String, u64)> = results
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            assert_eq!(
                loc["artifactLocation"]["uri"],
                "fixtures/check/violated.toml"
            );
            (
                r["ruleId"].as_str().unwrap_or("").to_string(),
                loc["region"]["startLine"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("CHECK_EXPECTATION_VIOLATED".to_string(), 20),
            ("CHECK_EXPECTATION_VIOLATED".to_string(), 26),
        ]
    );
    let rule = &run0["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "CHECK_EXPECTATION_VIOLATED");
    assert!(rule["help"]["markdown"]
        .as_str()
        .is_some_and(|m| m.contains("## How to fix it")));
    // A waived violation is a suppressed result.
    let waived = sarif("waived", &[]);
    let suppressed = waived["runs"][0]["results"].as_array().map_or(0, |r| {
        r.iter().filter(|r| r["suppressions"].is_array()).count()
    });
    assert_eq!(suppressed, 2);
}

/// (testcases, failures, skipped) per suite name, read back with an XML parser.
fn junit_counts(xml: &str) -> Vec<(String, usize, usize, usize)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<(String, usize, usize, usize)> = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match name.as_str() {
                    "testsuite" => {
                        let suite = e
                            .attributes()
                            .flatten()
                            .find(|a| a.key.as_ref() == b"name")
                            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                            .unwrap_or_default();
                        out.push((suite, 0, 0, 0));
                    }
                    "testcase" => {
                        if let Some(s) = out.last_mut() {
                            s.1 += 1
                        }
                    }
                    "failure" => {
                        if let Some(s) = out.last_mut() {
                            s.2 += 1
                        }
                    }
                    "skipped" => {
                        if let Some(s) = out.last_mut() {
                            s.3 += 1
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => panic!("JUnit XML does not parse: {e}\n{xml}"),
            _ => {}
        }
    }
    out
}

#[test]
fn junit_has_one_testcase_per_expectation_and_rule() {
    let junit = |name: &str, extra: &[&str]| {
        let config = format!("fixtures/check/{name}.toml");
        let mut args = vec!["check", "--config", &config, "--format", "junit"];
        args.extend_from_slice(extra);
        stdout(&run(&args))
    };
    let s = |n: &str, t, f, k| (n.to_string(), t, f, k);
    assert_eq!(
        junit_counts(&junit("violated", &[])),
        vec![s("expectations", 3, 2, 0), s("rules", 0, 0, 0)]
    );
    assert_eq!(
        junit_counts(&junit("waived", &[])),
        vec![
            s("expectations", 3, 0, 2),
            s("rules", 0, 0, 0),
            s("policy", 1, 0, 0)
        ]
    );
    assert_eq!(
        junit_counts(&junit(
            "ssm-rules",
            &["--snapshot", "fixtures/rules/m3-ssm-readiness"]
        )),
        vec![s("expectations", 0, 0, 0), s("rules", 2, 1, 1)]
    );
    let xml = junit("violated", &[]);
    assert!(
        xml.contains("ENI_SG_RULES_MISMATCH at sg-08819528322010005"),
        "{xml}"
    );
}

#[test]
fn github_annotations_match_line_by_line() {
    let out = run(&[
        "check",
        "--config",
        "fixtures/check/expired.toml",
        "--format",
        "github",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with(
            "::error file=fixtures/check/expired.toml,line=13,col=1,title=CHECK_EXPECTATION_VIOLATED%3A office never reaches redis::expected unreachable, found reachable (through name:haproxy-redis-relay)"
        ),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "::warning file=fixtures/check/expired.toml,line=22,col=1,title=CHECK_WAIVER_EXPIRED%3A expect \"office never reaches redis\"::waiver of expect \"office never reaches redis\" expired on 2020-01-31 (today is 2026-06-01); it no longer waives: migration ticket NET-42"
    );
    assert!(lines[2].starts_with("::notice title=vpcreach check::check FAILED: 1 expectation(s)"));
}

/// "Any way" goes through the relays the audit discovers, whether the audit runs for the rules
/// (discovered.toml) or not (`select = []`, discovered-expects-only.toml). On
/// fixtures/rules/m1-discovered-relay (derivations in fixtures/check/README.md): socat
/// (i-…01, 10.84.1.10, public 54.200.84.10) admits TCP 8080 from 0.0.0.0/0 and sits in
/// 10.84.1.0/24, which cart-cache's group admits on 6379; cart-cache has no public address and
/// admits nothing else. So internet, office and www (i-…02, 10.84.3.10) reach it only through
/// socat: violated; directly: held; on 6380 socat's second leg is refused by the cache's group:
/// held.
#[test]
fn any_way_goes_through_discovered_relays() {
    let socat = "i-84000000000000001";
    for file in ["discovered", "discovered-expects-only"] {
        let config = format!("fixtures/check/{file}.toml");
        let out = run(&[
            "check",
            "--snapshot",
            "fixtures/rules/m1-discovered-relay",
            "--config",
            &config,
            "--format",
            "json",
        ]);
        assert_eq!(out.status.code(), Some(1), "{file}: {}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).expect("json");
        for name in [
            "internet never reaches cart-cache",
            "office never reaches cart-cache",
            "www never reaches cart-cache",
        ] {
            assert_eq!(
                outcome(&v, name),
                pair("violated", "reachable"),
                "{file}: {name}"
            );
            let ways = expectation(&v, name)["ways"].as_array().unwrap().clone();
            let via: Vec<_> = ways
                .iter()
                .filter(|w| w["kind"] == "relay")
                .map(|w| {
                    (
                        w["relay"].as_str().unwrap().to_string(),
                        w["relay_kind"].as_str().unwrap().to_string(),
                        w["verdict"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(
                via,
                vec![(socat.into(), "discovered".into(), "reachable".into())],
                "{file}: {name}"
            );
        }
        assert_eq!(
            outcome(&v, "internet cannot reach cart-cache directly"),
            pair("held", "unreachable"),
            "{file}"
        );
        assert_eq!(
            outcome(&v, "nothing reaches cart-cache on 6380"),
            pair("held", "unreachable"),
            "{file}"
        );
        // socat → cart-cache: socat is in 10.84.1.0/24, which cart-cache's group admits on
        // 6379: held directly, and socat is no way between itself and the cache.
        assert_eq!(
            outcome(&v, "socat reaches cart-cache"),
            pair("held", "reachable"),
            "{file}"
        );
        let ways = expectation(&v, "socat reaches cart-cache")["ways"]
            .as_array()
            .unwrap()
            .clone();
        assert!(ways.iter().all(|w| w["relay"] != socat), "{file}: {ways:?}");
        let rules = v["rules"].as_array().unwrap().len();
        assert_eq!(rules > 0, file == "discovered", "{file}: {rules} rules");
    }
}
