//! CIDR sources (issue 9 §4, docs/engine-semantics.md "Sources"): a block stands for every
//! address in it — the interfaces holding its addresses in every VPC (overlapping ones included,
//! each named with its VPC), the unheld addresses of its subnets (hosts with no security group),
//! and outside hosts for the part outside every VPC; `vpc-…/CIDR` narrows to one VPC; a single
//! address held in overlapping VPCs still needs qualifying. Every expected answer below is
//! derived by hand from fixtures/demo/README.md (the bundled demo snapshot).

use std::collections::BTreeSet;
use vpcreach::engine::{Answer, Engine, QueryError, Question, Verdict};

const APP: &str = "vpc-038faba71b3a60001";
const PROJECT_A: &str = "vpc-038faba71b3a60002";
const PROJECT_B: &str = "vpc-038faba71b3a60003";
const HAPROXY: &str = "i-0de7d1b721a1e0001";
const DEMO_REDIS_SG: &str = "sg-08819528322010005";

fn ask(from: &str, to: &str, port: Option<&str>) -> Result<Answer, QueryError> {
    let t = vpcreach::model::build(vpcreach::snapshot::load_demo());
    Engine::new(&t).ask(&Question::tcp(from, to, port))
}

fn answer(from: &str, to: &str, port: Option<&str>) -> Answer {
    ask(from, to, port).unwrap_or_else(|e| panic!("{from} -> {to}: {e}"))
}

fn blockers(a: &Answer) -> BTreeSet<(String, String)> {
    a.blocked
        .iter()
        .map(|b| (b.component.clone(), b.code.to_string()))
        .collect()
}

fn passing_sources(a: &Answer) -> Vec<String> {
    a.passing
        .as_ref()
        .map(|p| p.sources.clone())
        .unwrap_or_default()
}

/// The resolved sources that name `what` (an ENI id, a subnet id, `outside`).
fn sources_naming(a: &Answer, what: &str) -> Vec<String> {
    a.question
        .sources
        .iter()
        .filter(|s| s.contains(what))
        .cloned()
        .collect()
}

/// `--from 0.0.0.0/0 --to demo-redis` (tcp 6379, the cache's port). Every address:
/// * app VPC interfaces: HAProxy 10.0.1.25 (group haproxy), bastion 10.0.3.10 (bastion),
///   SSM host 10.0.11.20 (ssm-host), legacy-worker 10.0.12.30 (stopped), squid-egress
///   10.0.21.10 (squid); the cache nodes 10.0.11.57 / 10.0.12.143 are the target, not sources;
///   project-a-app 10.20.1.10, project-b-app 10.20.1.20: 7 interfaces. Left out, sending
///   nothing of their own: the NAT gateway's interface eni-…07, the TGW attachments'
///   eni-…10/11/12/13, the endpoints' eni-…14/19/20/21, the NLB's eni-…16 and the resource
///   gateway's eni-…17/18 (they forward, L2/L4).
/// * the unheld addresses of the 8 subnets (hosts with no security group);
/// * outside hosts: everything outside 10.0.0.0/16 and 10.20.0.0/16 and the snapshot's public IPs.
///
/// The demo-redis group admits tcp 6379 only from the groups haproxy and ssm-host (README #3,
/// #8): HAProxy and the SSM host complete (local route, NACLs app-public out 120 / default in
/// 100, replies default out 100 / app-public in 120, private-a to private-a needs none). The
/// group also admits demo-redis-gateway, but only the resource gateway's interfaces carry it and
/// they are left out. squid-egress fails at its own group (egress tcp 80 and 443 only). Every
/// other source fails: bastion and the hosts and the project VPCs' sources at the demo-redis group
/// (no group of theirs is named, and group references do not cross the TGW: its
/// SecurityGroupReferencingSupport is disabled), legacy-worker at its stopped instance
/// (BAD_STATE), outside hosts at the internet gateway (private sources dropped, and the cache's
/// private addresses have no public IP). So: partial, passing exactly the two, each named with
/// its VPC because the sources span three VPCs.
#[test]
fn everything_to_the_cache_is_partial_through_haproxy_and_ssm() {
    let a = answer("0.0.0.0/0", "demo-redis", None);
    assert_eq!(a.verdict, Verdict::Partial);
    assert!(a.reachable);
    assert_eq!(
        passing_sources(&a),
        vec![
            format!("{APP}/10.0.1.25/32"),
            format!("{APP}/10.0.11.20/32")
        ]
    );
    // Every interface that sends, each with its VPC; the target's nodes are not sources.
    for (eni, vpc) in [
        ("eni-04d4f0f7a97c80001", APP),
        ("eni-04d4f0f7a97c80002", APP),
        ("eni-04d4f0f7a97c80003", APP),
        ("eni-04d4f0f7a97c80004", APP),
        ("eni-04d4f0f7a97c80015", APP),
        ("eni-04d4f0f7a97c80005", PROJECT_A),
        ("eni-04d4f0f7a97c80006", PROJECT_B),
    ] {
        let s = sources_naming(&a, eni);
        assert_eq!(s.len(), 1, "{eni}: {:?}", a.question.sources);
        assert!(s[0].ends_with(&format!(" in {vpc}")), "{s:?}");
    }
    for left_out in [
        "eni-04d4f0f7a97c80007",
        "eni-04d4f0f7a97c80008",
        "eni-04d4f0f7a97c80009",
        "eni-04d4f0f7a97c80010",
        "eni-04d4f0f7a97c80014",
        "eni-04d4f0f7a97c80016",
        "eni-04d4f0f7a97c80017",
        "eni-04d4f0f7a97c80018",
        "eni-04d4f0f7a97c80019",
        "eni-04d4f0f7a97c80020",
        "eni-04d4f0f7a97c80021",
    ] {
        assert!(sources_naming(&a, left_out).is_empty(), "{left_out}");
    }
    // 8 subnets of hosts, 1 outside part.
    let hosts = a
        .question
        .sources
        .iter()
        .filter(|s| s.starts_with("host(s) "));
    assert_eq!(hosts.count(), 8);
    assert_eq!(sources_naming(&a, "outside host(s)").len(), 1);
    let b = blockers(&a);
    for want in [
        (DEMO_REDIS_SG, "ENI_SG_RULES_MISMATCH"),
        ("eni-04d4f0f7a97c80004", "BAD_STATE"),
        (
            "internet-gateway",
            "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS",
        ),
        (
            "igw-0fe010647d32a0001",
            "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
        ),
    ] {
        assert!(
            b.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} in {b:?}"
        );
    }
    // The answer says what the block stood for, left-out interfaces included.
    let expanded: Vec<String> = a
        .assumptions
        .iter()
        .map(|x| x.to_string())
        .filter(|x| x.starts_with("source 0.0.0.0/0 is every address in it"))
        .collect();
    assert_eq!(expanded.len(), 1, "{:?}", a.assumptions);
    assert!(
        expanded[0].contains("7 network interface(s)"),
        "{expanded:?}"
    );
    assert!(
        expanded[0].contains("eni-04d4f0f7a97c80007, eni-04d4f0f7a97c80010"),
        "{expanded:?}"
    );
}

/// `--from 10.0.0.0/8` used to narrow silently to the app VPC. Now: the app VPC's, both
/// project VPCs' sources and the outside part 10.0.0.0/8 minus 10.0.0.0/16 and 10.20.0.0/16
/// (private addresses from outside: dropped at the internet gateway, I2). Same two pass.
#[test]
fn ten_slash_eight_spans_every_vpc_and_the_outside_part() {
    let a = answer("10.0.0.0/8", "demo-redis", None);
    assert_eq!(a.verdict, Verdict::Partial);
    assert_eq!(
        passing_sources(&a),
        vec![
            format!("{APP}/10.0.1.25/32"),
            format!("{APP}/10.0.11.20/32")
        ]
    );
    assert_eq!(sources_naming(&a, PROJECT_A).len(), 2, "app + hosts");
    assert_eq!(sources_naming(&a, PROJECT_B).len(), 2, "app + hosts");
    let failing = a
        .failing
        .as_ref()
        .map(|f| f.sources.clone())
        .unwrap_or_default();
    // The outside part, unqualified: 10.1.0.0/16 … 10.128.0.0/9 but not 10.0.x nor 10.20.x.
    assert!(failing.contains(&"10.1.0.0/16".to_string()), "{failing:?}");
    assert!(failing.contains(&"10.21.0.0/16".to_string()), "{failing:?}");
    assert!(!failing
        .iter()
        .any(|s| s.starts_with("10.0.") || s.starts_with("10.20.")));
    assert!(blockers(&a).contains(&(
        "internet-gateway".to_string(),
        "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS".to_string()
    )));
}

/// `--from 10.20.0.0/16` used to be refused as ambiguous (project-a and project-b share it).
/// Now both VPCs' sources: project-a-app 10.20.1.10 and the hosts of project-a's subnet,
/// project-b-app 10.20.1.20 and the hosts of project-b's subnet (the TGW attachments' and the
/// endpoint's interfaces left out); no outside part. To the cache all of them fail at the
/// demo-redis group (10.0.0.0/16 -> TGW -> app attachment, default NACLs, then the group admits
/// no source of theirs): unreachable. Their flows go on as ghosts through the return leg (both
/// legs): the cache's replies to 10.20.0.0/16 go app table -> TGW -> project-a's attachment
/// (project-b's propagation is suppressed: TGW_PROPAGATION_SUPPRESSED_OVERLAP), so replies to
/// project-b's addresses land in project-a: 10.20.1.20 is held by nothing there (NO_PATH at
/// project-a's VPC), and project-b's unheld 10.20.1.10, .250, .100 and .101 are held in
/// project-a by project-a-app (eni …05), its TGW attachment interface (…12), the
/// secretsmanager endpoint's interface (…14) and the Squid endpoint's interface (…19), which
/// are not the sources (NO_PATH at each). (project-b's own endpoints .110 and .120 are left out
/// of the sources; in project-a they are unheld, and replies to project-a's sources stay in
/// project-a.)
#[test]
fn an_overlapping_block_is_every_vpc_it_is_in() {
    let a = answer("10.20.0.0/16", "demo-redis", None);
    assert_eq!(a.verdict, Verdict::Unreachable);
    assert_eq!(a.question.sources.len(), 4, "{:?}", a.question.sources);
    assert_eq!(sources_naming(&a, PROJECT_A).len(), 2);
    assert_eq!(sources_naming(&a, PROJECT_B).len(), 2);
    assert!(sources_naming(&a, "outside").is_empty());
    let b = |c: &str, code: &str| (c.to_string(), code.to_string());
    assert_eq!(
        blockers(&a),
        BTreeSet::from([
            b(DEMO_REDIS_SG, "ENI_SG_RULES_MISMATCH"),
            b(PROJECT_A, "TGW_PROPAGATION_SUPPRESSED_OVERLAP"),
            b(PROJECT_A, "NO_PATH"),
            b("eni-04d4f0f7a97c80005", "NO_PATH"),
            b("eni-04d4f0f7a97c80012", "NO_PATH"),
            b("eni-04d4f0f7a97c80014", "NO_PATH"),
            b("eni-04d4f0f7a97c80019", "NO_PATH"),
        ])
    );
    let failing = a
        .failing
        .as_ref()
        .map(|f| f.sources.clone())
        .unwrap_or_default();
    assert!(failing
        .iter()
        .all(|s| s.starts_with(PROJECT_A) || s.starts_with(PROJECT_B)));
}

/// `vpc-…02/10.20.0.0/16` narrows to project-a: its app instance and its subnet's hosts only.
#[test]
fn a_vpc_qualified_block_narrows_to_that_vpc() {
    let a = answer(&format!("{PROJECT_A}/10.20.0.0/16"), "demo-redis", None);
    assert_eq!(a.verdict, Verdict::Unreachable);
    assert_eq!(a.question.sources.len(), 2, "{:?}", a.question.sources);
    assert_eq!(sources_naming(&a, PROJECT_A).len(), 2);
    assert!(sources_naming(&a, PROJECT_B).is_empty());
    // A block not inside the named VPC names nothing.
    assert!(matches!(
        ask(&format!("{PROJECT_A}/10.0.0.0/16"), "demo-redis", None),
        Err(QueryError::NotFound(_))
    ));
}

/// A single address held in both project VPCs still needs qualifying; qualified, it is one source.
#[test]
fn an_ambiguous_single_address_still_needs_its_vpc() {
    assert!(matches!(
        ask("10.20.1.10", "demo-redis", None),
        Err(QueryError::Ambiguous(_))
    ));
    let a = answer(&format!("{PROJECT_A}/10.20.1.10"), "demo-redis", None);
    assert_eq!(a.question.sources.len(), 1);
    assert!(a.question.sources[0].starts_with("eni-04d4f0f7a97c80005"));
}

/// The same addresses in two VPCs count as two sources. `--from 10.20.1.0/24 --to` the
/// secretsmanager endpoint's interface eni-…14 (10.20.1.100, project-a, group
/// project-a-endpoints: tcp 443 from 10.20.0.0/16), port 443:
/// * project-a's sources (project-a-app, hosts) are in the endpoint's subnet: delivered directly
///   (R7, no NACL), the group admits 10.20.0.0/16, the reply needs no NACL: all complete;
/// * project-b's sources send to 10.20.1.100 inside their own subnet, where nothing holds it:
///   NO_PATH at project-b's VPC (and ADDRESS_IN_OVERLAPPING_VPCS names eni-…14).
///
/// Partial — a union of packet sets would have called it reachable, since every failing
/// address of project-b completes from project-a. The endpoint's own address is no source.
#[test]
fn overlapping_copies_of_an_address_are_separate_sources() {
    let a = answer("10.20.1.0/24", "eni-04d4f0f7a97c80014", Some("443"));
    assert_eq!(a.verdict, Verdict::Partial);
    assert_eq!(
        blockers(&a),
        BTreeSet::from([(PROJECT_B.to_string(), "NO_PATH".to_string())])
    );
    let pass = passing_sources(&a);
    assert!(
        pass.iter().all(|s| s.starts_with(&format!("{PROJECT_A}/"))),
        "{pass:?}"
    );
    assert!(
        pass.contains(&format!("{PROJECT_A}/10.20.1.0/26")),
        "{pass:?}"
    );
    let fail = a
        .failing
        .as_ref()
        .map(|f| f.sources.clone())
        .unwrap_or_default();
    assert!(
        fail.iter().all(|s| s.starts_with(&format!("{PROJECT_B}/"))),
        "{fail:?}"
    );
    // 10.20.1.100 (the target) is nobody's source; .250 is project-a's TGW interface (left
    // out) but an unheld host address in project-b.
    for s in pass.iter().chain(fail.iter()) {
        assert!(!s.ends_with("/10.20.1.100/32"), "{s}");
    }
    assert!(!pass.iter().any(|s| s.ends_with("/10.20.1.250/32")));
    assert!(
        fail.contains(&format!("{PROJECT_B}/10.20.1.250/32")),
        "{fail:?}"
    );
}

/// A block partly outside every VPC: `--from 0.0.0.0/0 --to` HAProxy (its private 10.0.1.25
/// for sources inside, its public 54.87.201.14 for outside hosts), tcp 6379. The haproxy group
/// admits 6379 only from the office 203.0.113.0/24 (README #1, #10): inside sources all fail at
/// it (or at legacy-worker's stopped instance); outside, public sources pass the IGW and NACL
/// app-public (in 100 for the office, in 110 1024–65535 for the rest) and only the office passes
/// the group; replies leave by NACL out 100 (1024–65535, the outside client range). Private
/// outside sources are dropped at the internet gateway. Partial, passing exactly 203.0.113.0/24.
/// HAProxy itself (the target) is no source.
#[test]
fn only_the_office_part_of_everything_reaches_haproxy() {
    let a = answer("0.0.0.0/0", HAPROXY, Some("6379"));
    assert_eq!(a.verdict, Verdict::Partial);
    assert_eq!(passing_sources(&a), vec!["203.0.113.0/24".to_string()]);
    assert!(sources_naming(&a, "eni-04d4f0f7a97c80001").is_empty());
    let b = blockers(&a);
    assert!(b.contains(&(
        "sg-08819528322010002".to_string(),
        "ENI_SG_RULES_MISMATCH".to_string()
    )));
    assert!(b.contains(&(
        "internet-gateway".to_string(),
        "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS".to_string()
    )));
}

/// fixtures/rules/t4-overlap-host-sources: hub 10.0.0.0/16, X and Y both 10.20.0.0/16 on one
/// TGW table, Y attached first (X's 10.20.0.0/16 suppressed, T4); the hub instance admits tcp 22
/// from 10.20.0.0/16. `--from 10.20.1.0/24 --to` the hub, port 22:
/// * forward, X's and Y's sources alike: 10.0.0.0/16 -> TGW -> hub attachment -> hub, admitted;
/// * return: 10.20.0.0/16 -> TGW -> Y's attachment only. Y's interface and hosts get their
///   replies: complete. X's never do: its interface 10.20.1.20 is nobody in Y
///   (TGW_PROPAGATION_SUPPRESSED_OVERLAP at Y), its hosts' addresses are unheld in Y — a host of
///   X is not a host of Y (NO_PATH at Y) — or are Y's interface 10.20.1.30 or Y's TGW interface
///   10.20.1.251 (the reply reaches them instead of the client: NO_PATH there).
///
/// Partial: passing exactly Y's sources, failing exactly X's, every blocker on the return leg.
#[test]
fn a_host_in_one_overlapping_vpc_is_not_its_twin_in_the_other() {
    let dir = format!(
        "{}/fixtures/rules/t4-overlap-host-sources",
        env!("CARGO_MANIFEST_DIR")
    );
    let t = vpcreach::model::build(vpcreach::snapshot::load(dir.as_ref()).expect("load"));
    let a = Engine::new(&t)
        .ask(&Question::tcp(
            "10.20.1.0/24",
            "i-45000000000000001",
            Some("22"),
        ))
        .expect("answer");
    let (x, y) = ("vpc-45000000000000002", "vpc-45000000000000003");
    assert_eq!(a.verdict, Verdict::Partial);
    let pass = passing_sources(&a);
    let fail = a
        .failing
        .as_ref()
        .map(|f| f.sources.clone())
        .unwrap_or_default();
    assert!(
        !pass.is_empty() && pass.iter().all(|s| s.starts_with(y)),
        "{pass:?}"
    );
    assert!(
        !fail.is_empty() && fail.iter().all(|s| s.starts_with(x)),
        "{fail:?}"
    );
    // Y's own interface and its hosts; X's interface and its hosts (.250 is X's TGW interface,
    // .251 Y's: each left out in its own VPC only).
    assert!(pass.contains(&format!("{y}/10.20.1.250/32")), "{pass:?}");
    assert!(fail.contains(&format!("{x}/10.20.1.251/32")), "{fail:?}");
    assert!(a
        .blocked
        .iter()
        .all(|b| b.leg == vpcreach::engine::Leg::Return));
    assert_eq!(
        blockers(&a),
        BTreeSet::from([
            (
                y.to_string(),
                "TGW_PROPAGATION_SUPPRESSED_OVERLAP".to_string()
            ),
            (y.to_string(), "NO_PATH".to_string()),
            ("eni-45000000000000003".to_string(), "NO_PATH".to_string()),
            ("eni-45000000000000067".to_string(), "NO_PATH".to_string()),
        ])
    );
}
