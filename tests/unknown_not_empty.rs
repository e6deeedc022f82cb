//! Data the snapshot lacks is unknown, never empty (issue 9 §1–§3, found by review): a region
//! exported without its NACLs or route tables, a cache or instance file that did not load when
//! a question names it, a TGW table whose propagations are unknown under `overlaps --fail-on`,
//! and a peering side whose VPC id the snapshot holds twice.
//!
//! Fixtures: copies of `fixtures/demo` with one file removed or cut (made in a temporary
//! folder by each test), and `fixtures/rules/p3-peering-owner-ambiguous` (case 142 of
//! `fixtures/rules/generate.py`). Every expected answer is derived by hand in its comment.

#[path = "support/cli.rs"]
mod cli;

use cli::{blockers, fixture, on};
use std::path::Path;

fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read dir") {
        let p = e.expect("entry").path();
        let to = dst.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_tree(&p, &to);
        } else {
            std::fs::copy(&p, &to).expect("copy");
        }
    }
}

/// The demo in a temporary folder; `change` edits its us-east-1 folder.
fn demo_with(change: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture("demo"), dir.path());
    change(&dir.path().join("111111111111/us-east-1"));
    dir
}

fn cut(file: &Path) {
    let text = std::fs::read(file).expect("read");
    std::fs::write(file, &text[..200]).expect("truncate");
}

fn b(component: &str, code: &str, direction: &str) -> (String, String, String) {
    (component.into(), code.into(), direction.into())
}

/// The office client 203.0.113.10 to the HAProxy (i-0de7d1b721a1e0001, public IP 54.87.201.14,
/// subnet app-public-a subnet-018507519c5520011) on 6379: reachable on the full demo (NACL in
/// 100, out 100; SG haproxy admits the office).
const OFFICE_TO_HAPROXY: [&str; 6] = [
    "--from",
    "203.0.113.10",
    "--to",
    "i-0de7d1b721a1e0001",
    "--port",
    "6379",
];

/// describe-network-acls.json not exported at all. Every subnet has a NACL (N1), so the
/// snapshot lacks data, it does not say "no NACL": app-public-a's NACL is unknown on the way in
/// (inbound, forward) and on the way back (outbound, return): SNAPSHOT_INCOMPLETE twice,
/// nothing passes (before: REACHABLE, "no NACL check applied", exit 0 with `--expect
/// reachable`). `--expect unreachable` fails too (the answer rests on missing data) unless
/// `--allow-incomplete`.
#[test]
fn a_region_without_nacls_is_unknown_not_allow_all() {
    let dir = demo_with(|r| std::fs::remove_file(r.join("describe-network-acls.json")).unwrap());
    let json = [&OFFICE_TO_HAPROXY[..], &["--format", "json"]].concat();
    let v = on("reach", dir.path(), &json).json();
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(
        blockers(&v),
        vec![
            b("subnet-018507519c5520011", "SNAPSHOT_INCOMPLETE", "inbound"),
            b(
                "subnet-018507519c5520011",
                "SNAPSHOT_INCOMPLETE",
                "outbound"
            ),
        ]
    );
    let text = on("reach", dir.path(), &OFFICE_TO_HAPROXY);
    assert!(
        text.stdout.starts_with("SNAPSHOT_INCOMPLETE"),
        "{}",
        text.stdout
    );
    assert!(
        !text.stdout.contains("no NACL check applied"),
        "{}",
        text.stdout
    );
    for expect in ["reachable", "unreachable"] {
        let e = on(
            "reach",
            dir.path(),
            &[&OFFICE_TO_HAPROXY[..], &["--expect", expect]].concat(),
        );
        assert_eq!(e.code, 1, "--expect {expect}: {}", e.stderr);
        // Either way the failure says the answer rests on missing data.
        assert!(e.stderr.contains("SNAPSHOT_INCOMPLETE"), "{}", e.stderr);
    }
    let allowed = on(
        "reach",
        dir.path(),
        &[
            &OFFICE_TO_HAPROXY[..],
            &["--expect", "unreachable", "--allow-incomplete"],
        ]
        .concat(),
    );
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
}

/// describe-route-tables.json not exported. The request enters from the internet gateway and
/// is delivered by the VPC's local routing (no subnet table consulted on the way in); the reply
/// from 10.0.1.25 to 203.0.113.10 needs app-public-a's table, which every subnet has (R1) and
/// the snapshot lacks: SNAPSHOT_INCOMPLETE on the return leg, never NO_ROUTE_TO_DESTINATION
/// (before: "subnet … has no route table in the snapshot", NO_ROUTE_TO_DESTINATION).
#[test]
fn a_region_without_route_tables_is_unknown_not_no_route() {
    let dir = demo_with(|r| std::fs::remove_file(r.join("describe-route-tables.json")).unwrap());
    let json = [&OFFICE_TO_HAPROXY[..], &["--format", "json"]].concat();
    let v = on("reach", dir.path(), &json).json();
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    let codes: Vec<(String, String)> = blockers(&v)
        .into_iter()
        .map(|(c, code, _)| (c, code))
        .collect();
    assert_eq!(
        codes,
        vec![(
            "subnet-018507519c5520011".to_string(),
            "SNAPSHOT_INCOMPLETE".to_string()
        )]
    );
    assert_eq!(v["blocked"][0]["leg"], "return", "{v:#}");
    let e = on(
        "reach",
        dir.path(),
        &[&OFFICE_TO_HAPROXY[..], &["--expect", "unreachable"]].concat(),
    );
    assert_eq!(e.code, 1, "{}", e.stderr);
}

/// A question that names a cache whose file did not load: the name cannot be resolved (exit 2,
/// as for any name that resolves to nothing), but the message names the file that failed and
/// says SNAPSHOT_INCOMPLETE, instead of guessing at another file.
/// - describe-cache-clusters.json cut: replication group demo-redis is known, its member
///   clusters (demo-redis-001/002, which hold the nodes' ENIs) are not: "no node network
///   interface loaded", naming describe-cache-clusters.json (before: "describe-network-interfaces
///   missing?");
/// - describe-replication-groups.json cut: nothing is called demo-redis (the clusters are
///   demo-redis-001/002): the message adds that describe-replication-groups.json did not load.
/// - describe-instances.json cut: `name:ssh-bastion` (an instance's Name tag; its ENI carries
///   no tag) resolves to nothing, and the message names describe-instances.json.
#[test]
fn a_name_in_data_that_did_not_load_says_so() {
    for (file, args, not) in [
        (
            "describe-cache-clusters.json",
            ["--from", "i-0de7d1b721a1e0001", "--to", "demo-redis"],
            Some("describe-network-interfaces missing?"),
        ),
        (
            "describe-replication-groups.json",
            ["--from", "i-0de7d1b721a1e0001", "--to", "demo-redis"],
            None,
        ),
        (
            "describe-instances.json",
            ["--from", "name:ssh-bastion", "--to", "10.0.11.20"],
            None,
        ),
    ] {
        let dir = demo_with(|r| cut(&r.join(file)));
        let r = on("reach", dir.path(), &args);
        assert_eq!(r.code, 2, "{file}: {}", r.stdout);
        assert!(r.stderr.contains(file), "{file}: {}", r.stderr);
        assert!(
            r.stderr.contains("SNAPSHOT_INCOMPLETE"),
            "{file}: {}",
            r.stderr
        );
        if let Some(wrong) = not {
            assert!(!r.stderr.contains(wrong), "{file}: {}", r.stderr);
        }
    }
}

/// The demo without propagation records (get-transit-gateway-route-table-propagations.json and
/// search-transit-gateway-routes.json removed) and with `DefaultRouteTablePropagation: disable`:
/// the TGW's only table tgw-rtb-0b937e19ff0c20001 is no default propagation table, so what
/// propagates into it is unknown (T10), while project-a and project-b, both attached, hold
/// 10.20.0.0/16: whether one is suppressed there is unknown. `overlaps --fail-on tgw` must not
/// pass on that (before: exit 0): exit 1, with a SNAPSHOT_INCOMPLETE warning naming the table;
/// `--allow-incomplete` accepts it (no suppression is known: exit 0).
#[test]
fn overlaps_fail_on_tgw_with_unknown_propagations_is_incomplete() {
    let dir = demo_with(|r| {
        std::fs::remove_file(r.join("get-transit-gateway-route-table-propagations.json")).unwrap();
        std::fs::remove_file(r.join("search-transit-gateway-routes.json")).unwrap();
        let p = r.join("describe-transit-gateways.json");
        let text = std::fs::read_to_string(&p).unwrap();
        let changed = text.replace(
            "\"DefaultRouteTablePropagation\": \"enable\"",
            "\"DefaultRouteTablePropagation\": \"disable\"",
        );
        assert_ne!(text, changed);
        std::fs::write(&p, changed).unwrap();
    });
    let v = on("overlaps", dir.path(), &["--format", "json"]).json();
    assert!(
        v["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .any(|w| w
                .as_str()
                .is_some_and(|w| w.starts_with("SNAPSHOT_INCOMPLETE")
                    && w.contains("tgw-rtb-0b937e19ff0c20001"))),
        "{v:#}"
    );
    let f = on("overlaps", dir.path(), &["--fail-on", "tgw"]);
    assert_eq!(f.code, 1, "{}", f.stdout);
    let a = on(
        "overlaps",
        dir.path(),
        &["--fail-on", "tgw", "--allow-incomplete"],
    );
    assert_eq!(a.code, 0, "{}", a.stdout);
}

/// `rules/p3-peering-owner-ambiguous` (case 142): pcx 1 names owners 999999999999 and
/// 888888888888, no accounts of the snapshot. Its requester vpc-142…1 is in the snapshot once:
/// found by its id (P5). Its accepter vpc-142…2 is in the snapshot twice (us-east-1 and a copy
/// in us-west-2): which one is meant is not guessed, so the peering connects nothing and a
/// (10.1.1.10) -> b (10.2.1.10) port 22 is not reachable over it, with a load warning naming
/// both places (before: the us-east-1 copy was taken, REACHABLE, "unique in the snapshot").
#[test]
fn a_peering_vpc_id_held_twice_is_not_guessed() {
    let snap = fixture("rules/p3-peering-owner-ambiguous");
    let v = on(
        "reach",
        &snap,
        &[
            "--from",
            "i-142000000000000001",
            "--to",
            "i-142000000000000002",
            "--port",
            "22",
            "--format",
            "json",
        ],
    )
    .json();
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    let pcx = "pcx-142000000000000001";
    assert_eq!(
        blockers(&v),
        vec![b(pcx, "SNAPSHOT_INCOMPLETE", "")],
        "{v:#}"
    );
    assert!(
        v["blocked"][0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("in the snapshot 2 times")),
        "{v:#}"
    );
    let inv = on("inventory", &snap, &["--format", "json"]);
    let text = inv.stdout.replace("\n", " ");
    assert!(
        text.contains(
            "is in the snapshot 2 times (111111111111/us-east-1, 111111111111/us-west-2)"
        ),
        "{}",
        inv.stdout
    );
}

/// describe-internet-gateways.json not exported. The demo's folder holds subnets, so a kind the
/// answer reads that no file holds at all (not even as an empty list) is stated, not read
/// silently as "none": the office → HAProxy answer (which needs the app VPC's IGW, absent now:
/// NO_PATH) carries the assumption SNAPSHOT_KIND_NOT_EXPORTED naming 111111111111/us-east-1 and
/// InternetGateways. With the file present as `{"InternetGateways": []}` (a fact: no IGW) the
/// verdict is the same but the note is absent.
#[test]
fn a_kind_not_exported_is_stated_not_read_as_none() {
    let note = |v: &serde_json::Value| {
        v["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .filter(|n| n["code"] == "SNAPSHOT_KIND_NOT_EXPORTED")
            .map(|n| n["message"].as_str().unwrap_or("").to_string())
            .collect::<Vec<String>>()
    };
    let json = [&OFFICE_TO_HAPROXY[..], &["--format", "json"]].concat();
    let absent =
        demo_with(|r| std::fs::remove_file(r.join("describe-internet-gateways.json")).unwrap());
    let v = on("reach", absent.path(), &json).json();
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    let n = note(&v);
    assert_eq!(n.len(), 1, "{v:#}");
    assert!(
        n[0].contains("111111111111/us-east-1") && n[0].contains("no InternetGateways at all"),
        "{}",
        n[0]
    );
    let empty = demo_with(|r| {
        std::fs::write(
            r.join("describe-internet-gateways.json"),
            r#"{"InternetGateways": []}"#,
        )
        .unwrap()
    });
    let v = on("reach", empty.path(), &json).json();
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert!(note(&v).is_empty(), "{v:#}");
}

/// `audit` on the demo with describe-cache-clusters.json cut: replication group demo-redis is
/// known (describe-replication-groups loaded) but its member clusters, which hold the nodes and
/// their interfaces, are not. Who reaches it is unknown, not "nothing": the JSON entry carries
/// `unknown` naming the file, the table says UNKNOWN (SNAPSHOT_INCOMPLETE) and never "reached
/// by nothing in the snapshot" (before: "not reachable from outside / reached by nothing").
#[test]
fn audit_of_a_cache_whose_nodes_did_not_load_is_unknown() {
    let dir = demo_with(|r| cut(&r.join("describe-cache-clusters.json")));
    let config = fixture("demo/vpcreach.toml");
    let config = config.to_str().unwrap();
    let v = on(
        "audit",
        dir.path(),
        &["--config", config, "--format", "json"],
    )
    .json();
    let cache = v["caches"]
        .as_array()
        .expect("caches")
        .iter()
        .find(|c| c["cache"] == "demo-redis")
        .expect("demo-redis");
    assert!(
        cache["unknown"]
            .as_str()
            .is_some_and(|u| u.contains("describe-cache-clusters.json")),
        "{cache:#}"
    );
    let t = on("audit", dir.path(), &["--config", config]);
    assert!(
        t.stdout.contains("UNKNOWN (SNAPSHOT_INCOMPLETE)"),
        "{}",
        t.stdout
    );
    assert!(!t.stdout.contains("reached by nothing"), "{}", t.stdout);
    // The declared HAProxy relay's second leg (to demo-redis) is unknown, not "reaches no
    // cache port".
    let relay = v["relays"]
        .as_array()
        .expect("relays")
        .iter()
        .find(|r| r["host"] == "i-0de7d1b721a1e0001")
        .expect("haproxy relay");
    let notes = relay["notes"].to_string();
    assert!(
        notes.contains("to demo-redis it is unknown (SNAPSHOT_INCOMPLETE"),
        "{relay:#}"
    );
}

/// `audit` on the demo without describe-network-acls.json: every subnet's NACL is unknown
/// (N1), so the audit is incomplete — its table starts with SNAPSHOT_INCOMPLETE naming the
/// subnets — and nothing is blamed on a NACL that did not load: no CACHE_REPLY_BLOCKED (before:
/// four, "acl … drops the replies") and no SSM_SERVICE_UNREACHABLE (before: three; the SSM
/// host's HTTPS path crosses the unknown NACLs), SNAPSHOT_INCOMPLETE findings instead.
#[test]
fn audit_without_nacls_blames_no_nacl() {
    let dir = demo_with(|r| std::fs::remove_file(r.join("describe-network-acls.json")).unwrap());
    let config = fixture("demo/vpcreach.toml");
    let config = config.to_str().unwrap();
    let v = on(
        "audit",
        dir.path(),
        &["--config", config, "--format", "json"],
    )
    .json();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().unwrap_or(""))
        .collect();
    assert!(codes.contains(&"SNAPSHOT_INCOMPLETE"), "{codes:?}");
    assert!(!codes.contains(&"CACHE_REPLY_BLOCKED"), "{codes:?}");
    assert!(!codes.contains(&"SSM_SERVICE_UNREACHABLE"), "{codes:?}");
    let t = on("audit", dir.path(), &["--config", config]);
    assert!(t.stdout.starts_with("SNAPSHOT_INCOMPLETE"), "{}", t.stdout);
    assert!(
        t.stdout.contains("NACL of subnet-018507519c5520011"),
        "{}",
        t.stdout
    );
}
