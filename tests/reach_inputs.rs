//! The input side of `reach` (issue 10): what people actually type. Unknown ids and names suggest
//! the nearest existing ones; invalid addresses say what is wrong; ElastiCache endpoint hostnames
//! (with or without `:port`) and `vpc-…` resolve; `--port` beside a cache's own port warns
//! (PORT_NOT_CACHE_PORT); the `--expect` failure line names the question. Every expected message
//! and answer is derived by hand from fixtures/demo/README.md or the named rule fixture.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::{fixture, on};
use vpcreach::engine::{Answer, Engine, QueryError, Question, Verdict};

fn ask_in(snapshot: &str, from: &str, to: &str, port: Option<&str>) -> Result<Answer, QueryError> {
    let t = vpcreach::model::build(vpcreach::snapshot::load(&fixture(snapshot)).expect("load"));
    Engine::new(&t).ask(&Question::tcp(from, to, port))
}

fn ask(from: &str, to: &str, port: Option<&str>) -> Result<Answer, QueryError> {
    let t = vpcreach::model::build(vpcreach::snapshot::load_demo());
    Engine::new(&t).ask(&Question::tcp(from, to, port))
}

/// The error line of `vpcreach reach --snapshot fixtures/demo --from FROM --to TO`, which must
/// exit 2 (a question that cannot be answered).
fn refused(from: &str, to: &str) -> String {
    let r = on("reach", &fixture("demo"), &["--from", from, "--to", to]);
    assert_eq!(r.code, 2, "{from} -> {to}: stdout {}", r.stdout);
    r.stderr.trim_end().to_string()
}

/// `i-0de7d1b721a1e0099` exists nowhere. The demo's instances end in 0001, 0002, 0003, 0004,
/// 0011 and 0021: each two substitutions from 0099, so all are equally near; the three first by
/// id are shown, each with its Name tag (README "Instances and ENIs"). No "no network interface
/// found" as if the instance existed.
#[test]
fn unknown_instance_suggests_the_nearest_ids() {
    assert_eq!(
        refused("i-0de7d1b721a1e0099", "demo-redis"),
        "vpcreach: no instance i-0de7d1b721a1e0099 in the snapshot; did you mean \
         i-0de7d1b721a1e0001 (haproxy-redis-relay), i-0de7d1b721a1e0002 (ssh-bastion), \
         i-0de7d1b721a1e0003 (ssm-port-forward)?"
    );
}

/// `eni-04d4f0f7a97c80099`: `eni-04d4f0f7a97c80009` is one substitution away (0099 -> 0009),
/// every other demo ENI (0001-0008, 0010-0014) at least two: it comes first.
#[test]
fn unknown_eni_suggests_the_nearest_first() {
    let e = refused("eni-04d4f0f7a97c80099", "demo-redis");
    assert!(
        e.starts_with(
            "vpcreach: no network interface eni-04d4f0f7a97c80099 in the snapshot; did you mean \
             eni-04d4f0f7a97c80009"
        ),
        "{e}"
    );
}

/// `name:haprox`: no Name tag equals it; `haproxy-redis-relay` starts with it (the only tag that
/// does), every other tag is more than two edits away.
#[test]
fn unknown_name_tag_suggests_the_tag_it_starts() {
    assert_eq!(
        refused("name:haprox", "demo-redis"),
        "vpcreach: no instance or network interface has the Name tag haprox; did you mean \
         name:haproxy-redis-relay?"
    );
}

/// `demo-rdis` is one deletion from the replication group `demo-redis`; `demo-redis-001` and
/// `-002` are five edits away (limit: two for a 9-letter word), no Name tag is near.
#[test]
fn misspelt_cache_name_suggests_the_cache() {
    let e = refused("i-0de7d1b721a1e0001", "demo-rdis");
    assert!(
        e.starts_with("vpcreach: `demo-rdis` names nothing in the snapshot"),
        "{e}"
    );
    assert!(e.ends_with("; did you mean demo-redis?"), "{e}");
}

/// Invalid blocks and addresses say what is wrong instead of "names nothing".
#[test]
fn invalid_prefixes_and_addresses_say_so() {
    assert_eq!(
        refused("203.0.113.10/33", "demo-redis"),
        "vpcreach: invalid prefix length 33 in 203.0.113.10/33 (IPv4 is /0-/32)"
    );
    assert_eq!(
        refused("i-0de7d1b721a1e0001", "2600:1f18::/129"),
        "vpcreach: invalid prefix length 129 in 2600:1f18::/129 (IPv6 is /0-/128)"
    );
    assert_eq!(
        refused("10.0.1.300", "demo-redis"),
        "vpcreach: invalid address 10.0.1.300: not an IPv4 (four numbers 0-255) address"
    );
}

/// The primary endpoint of `demo-redis` (README "ElastiCache": port 6379) stands for every node
/// of the group, 10.0.11.57 and 10.0.12.143, on the endpoint's port 6379: HAProxy reaches both
/// (README expected answer #3).
#[test]
fn primary_endpoint_is_the_whole_cache() {
    let a = ask(
        "i-0de7d1b721a1e0001",
        "master.demo-redis.x7k2qd.use1.cache.amazonaws.com",
        None,
    )
    .expect("answer");
    assert_eq!(a.verdict, Verdict::Reachable);
    assert_eq!(a.question.ports, "6379");
    let targets = a.question.targets.join("; ");
    assert!(
        targets.contains("10.0.11.57") && targets.contains("10.0.12.143"),
        "{targets}"
    );
}

/// A node endpoint stands for that node alone (demo-redis-002/0001, 10.0.12.143), and an upper
/// case, dot-terminated spelling is the same DNS name.
#[test]
fn node_endpoint_is_that_node() {
    let a = ask(
        "i-0de7d1b721a1e0001",
        "DEMO-REDIS-002.demo-redis.x7k2qd.use1.cache.amazonaws.com.",
        None,
    )
    .expect("answer");
    assert_eq!(a.verdict, Verdict::Reachable);
    assert_eq!(a.question.targets.len(), 1, "{:?}", a.question.targets);
    assert!(a.question.targets[0].contains("10.0.12.143"));
}

/// `:6380` after the endpoint sets the port when `--port` is absent: the demo-redis group
/// admits only 6379 (README "Security groups"), so it is unreachable, and the cache's own port
/// is named in a PORT_NOT_CACHE_PORT warning. `--port` wins over the suffix.
#[test]
fn endpoint_port_suffix_sets_the_port() {
    let host = "master.demo-redis.x7k2qd.use1.cache.amazonaws.com:6380";
    let a = ask("i-0de7d1b721a1e0001", host, None).expect("answer");
    assert_eq!(a.question.ports, "6380");
    assert_eq!(a.verdict, Verdict::Unreachable);
    let codes: Vec<String> = a.warnings.iter().map(|w| w.code().to_string()).collect();
    assert!(
        codes.contains(&"PORT_NOT_CACHE_PORT".to_string()),
        "{codes:?}"
    );
    let a = ask("i-0de7d1b721a1e0001", host, Some("6379")).expect("answer");
    assert_eq!(a.question.ports, "6379");
    assert_eq!(a.verdict, Verdict::Reachable);
    assert!(a
        .warnings
        .iter()
        .all(|w| w.code().to_string() != "PORT_NOT_CACHE_PORT"));
}

/// The serverless cache `sessions` (fixtures/rules/v4-serverless-cache) prints its endpoint and
/// reader endpoint under one name, ports 6379 and 6380: the name alone asks both ports.
#[test]
fn serverless_endpoint_name_asks_both_ports() {
    let a = ask_in(
        "rules/v4-serverless-cache",
        "i-30000000000000001",
        "sessions-x7k2qd.serverless.use1.cache.amazonaws.com",
        None,
    )
    .expect("answer");
    assert_eq!(a.question.ports, "6379,6380");
    let a = ask_in(
        "rules/v4-serverless-cache",
        "i-30000000000000001",
        "sessions-x7k2qd.serverless.use1.cache.amazonaws.com:6380",
        None,
    )
    .expect("answer");
    assert_eq!(a.question.ports, "6380");
}

/// `vpc-038faba71b3a60002` (project-a) holds eni-…0005 (project-a-app), eni-…0012 (TGW
/// attachment), eni-…0014 (secretsmanager interface endpoint) and eni-…0019 (the interface
/// endpoint to the Squid endpoint service, fixtures/demo/README.md "Other ENIs"). As a target:
/// all four. As a source: only eni-…0005 (the other three send nothing of their own).
#[test]
fn vpc_as_source_and_target() {
    let a = ask("i-0de7d1b721a1e0003", "vpc-038faba71b3a60002", Some("22")).expect("answer");
    let targets = a.question.targets.join("; ");
    for e in [
        "eni-04d4f0f7a97c80005",
        "eni-04d4f0f7a97c80012",
        "eni-04d4f0f7a97c80014",
        "eni-04d4f0f7a97c80019",
    ] {
        assert!(targets.contains(e), "{e} missing in {targets}");
    }
    assert_eq!(a.question.targets.len(), 4, "{targets}");
    let a = ask("vpc-038faba71b3a60002", "10.0.11.20", Some("22")).expect("answer");
    assert_eq!(a.question.sources.len(), 1, "{:?}", a.question.sources);
    assert!(a.question.sources[0].starts_with("eni-04d4f0f7a97c80005"));
    assert!(matches!(
        ask("vpc-0000000000000dead", "10.0.11.20", None),
        Err(QueryError::NotFound(m)) if m.starts_with("no VPC vpc-0000000000000dead in the snapshot")
    ));
}

/// orders-cache (fixtures/rules/c4-cache-never-public) listens on 6390 only: `--port 6379`
/// warns naming 6390; `--port 6390` does not; no `--port` asks 6390.
#[test]
fn port_beside_the_cache_port_warns() {
    let c4 = "rules/c4-cache-never-public";
    let a = ask_in(c4, "i-31000000000000001", "orders-cache", Some("6379")).expect("answer");
    let w: Vec<String> = a
        .warnings
        .iter()
        .filter(|w| w.code().to_string() == "PORT_NOT_CACHE_PORT")
        .map(|w| w.to_string())
        .collect();
    assert_eq!(
        w,
        vec!["PORT_NOT_CACHE_PORT: orders-cache listens on port 6390, not on the port asked (6379); ask with --port 6390 (or no --port) for the cache's own port"]
    );
    let a = ask_in(c4, "i-31000000000000001", "orders-cache", Some("6390")).expect("answer");
    assert!(a
        .warnings
        .iter()
        .all(|w| w.code().to_string() != "PORT_NOT_CACHE_PORT"));
    let a = ask_in(c4, "i-31000000000000001", "orders-cache", None).expect("answer");
    assert_eq!(a.question.ports, "6390");
}

/// The bastion cannot reach the cache (README expected answer #9): `--expect reachable` fails
/// with exit 1 and a line that names the question.
#[test]
fn expect_failure_names_the_question() {
    let r = on(
        "reach",
        &fixture("demo"),
        &[
            "--from",
            "i-0de7d1b721a1e0002",
            "--to",
            "demo-redis",
            "--port",
            "6379",
            "--expect",
            "reachable",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "vpcreach: expected reachable, got unreachable for --from i-0de7d1b721a1e0002 \
             --to demo-redis tcp port 6379"
        ),
        "{}",
        r.stderr
    );
}

/// `--from X --to X`, or an instance and its own address: a host does not reach itself across
/// the network; refused (exit 2) instead of "blocked by X's own security group". HAProxy holds
/// 10.0.1.25 and 2600:1f18:1234:5600:3c1e:9a42:7d0b:1f25 (README "Instances and ENIs").
#[test]
fn same_host_on_both_sides_is_refused() {
    let same =
        "vpcreach: --from i-0de7d1b721a1e0001 and --to i-0de7d1b721a1e0001 are the same host";
    assert!(refused("i-0de7d1b721a1e0001", "i-0de7d1b721a1e0001").starts_with(same));
    let own = "vpcreach: --from i-0de7d1b721a1e0001 and --to 10.0.1.25 are the same host";
    assert!(refused("i-0de7d1b721a1e0001", "10.0.1.25").starts_with(own));
    // The bastion to HAProxy is a real question (README #2 family): answered.
    assert!(ask("i-0de7d1b721a1e0002", "i-0de7d1b721a1e0001", Some("22")).is_ok());
    assert_eq!(
        refused("internet", "internet"),
        "vpcreach: --from internet --to internet: traffic between two outside hosts never enters \
         the snapshot's network; name a VPC address or resource on one side"
    );
}

/// ICMP type 22 is unassigned (IANA "ICMP Type Numbers": 20-29 reserved); type 8 (echo
/// request) is not: only 22 is named as such in the answer's ports.
#[test]
fn unassigned_icmp_type_is_named() {
    let t = vpcreach::model::build(vpcreach::snapshot::load_demo());
    let mut q = Question::tcp("i-0de7d1b721a1e0002", "i-0de7d1b721a1e0001", Some("22"));
    q.protocol = "icmp".into();
    let a = Engine::new(&t).ask(&q).expect("answer");
    assert_eq!(
        a.question.ports,
        "type 22 (no ICMP message type is assigned 22; --port is the type for ICMP)"
    );
    q.ports = Some("8".into());
    let a = Engine::new(&t).ask(&q).expect("answer");
    assert_eq!(a.question.ports, "type 8");
}

/// A valid far-future CreationTime (9999-12-31T23:59:59+00:00, past jiff's last instant
/// 9999-12-30T22:00Z) on the project-b attachment: loads without an InvalidTimestamp warning and
/// still orders project-b after project-a (README #6: project-b's propagation is suppressed),
/// with no "no CreationTime" warning.
#[test]
fn far_future_creation_time_is_a_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = fixture("demo/111111111111/us-east-1");
    let dst = dir.path().join("111111111111/us-east-1");
    std::fs::create_dir_all(&dst).expect("mkdir");
    for f in std::fs::read_dir(&src).expect("demo") {
        let f = f.expect("entry").path();
        let text = std::fs::read_to_string(&f).expect("read");
        let text = text.replace("2024-04-18T09:41:37+00:00", "9999-12-31T23:59:59+00:00");
        std::fs::write(dst.join(f.file_name().expect("name")), text).expect("write");
    }
    let inv = on("inventory", dir.path(), &[]);
    assert!(
        inv.stdout.contains("0 error(s), 0 warning(s)"),
        "{}",
        inv.stdout
    );
    let r = on(
        "reach",
        dir.path(),
        &[
            "--from",
            "i-0de7d1b721a1e0003",
            "--to",
            "i-0de7d1b721a1e0021",
            "--port",
            "22",
        ],
    );
    assert!(r.stdout.starts_with("UNREACHABLE"), "{}", r.stdout);
    assert!(
        r.stdout.contains("TGW_PROPAGATION_SUPPRESSED_OVERLAP"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("no CreationTime"), "{}", r.stdout);
}
