//! Fail closed where a subnet would fall back to a default (issue 9 §7): a NACL or route table
//! that is dropped (no id), kept in two differing copies, or kept without one of its
//! associations, and a VPC with two main route tables or two default NACLs, never hand the
//! subnet the VPC's default NACL (allow-all) or main table, nor whichever copy comes first in
//! the JSON: the subnet's NACL / routes are unknown (SNAPSHOT_INCOMPLETE), the same whatever
//! the order. Values read with an interpretation (impossible values, two NACL entries with one
//! number) are carried in the answers that pass through them, and `--expect` fails on them.
//!
//! Every case edits a copy of the bundled demo (fixtures/demo/README.md). The question is
//! `internet -> 3.92.118.206 tcp 22` (the SSH bastion, demo #4, reachable on the intact demo:
//! app-bastion NACL `acl-02344f08e51020003` in 100 / out 100, SG bastion admits 22, the
//! bastion subnet `subnet-018507519c5520013` is explicitly in app-public `rtb-…0002`).

#[path = "support/cli.rs"]
mod cli;

use cli::{blockers, fixture, on, Run};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const BASTION_SUBNET: &str = "subnet-018507519c5520013";
const BASTION_ACL: &str = "acl-02344f08e51020003";
const Q: [&str; 6] = ["--from", "internet", "--to", "3.92.118.206", "--port", "22"];

fn copy_tree(src: &Path, dst: &Path) {
    for e in std::fs::read_dir(src).expect("read_dir") {
        let p = e.expect("entry").path();
        let to = dst.join(p.file_name().expect("name"));
        if p.is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
            copy_tree(&p, &to);
        } else if p.extension().is_some_and(|x| x == "json") {
            std::fs::copy(&p, &to).expect("copy");
        }
    }
}

struct Demo {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("111111111111")).expect("mkdir");
        copy_tree(&fixture("demo/111111111111"), &root.join("111111111111"));
        Demo { _dir: dir, root }
    }

    fn edit(&self, file: &str, f: impl FnOnce(&mut Value)) {
        let p = self.root.join("111111111111/us-east-1").join(file);
        let mut v: Value =
            serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("JSON");
        f(&mut v);
        std::fs::write(&p, serde_json::to_string_pretty(&v).expect("JSON")).expect("write");
    }

    fn reach(&self, extra: &[&str]) -> Run {
        on("reach", &self.root, &[&Q[..], extra].concat())
    }

    fn answer(&self) -> Value {
        let r = self.reach(&["--format", "json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()
    }
}

fn acl<'a>(v: &'a mut Value, id: &str) -> &'a mut Value {
    v["NetworkAcls"]
        .as_array_mut()
        .expect("NetworkAcls")
        .iter_mut()
        .find(|a| a["NetworkAclId"] == id)
        .expect(id)
}

fn table<'a>(v: &'a mut Value, id: &str) -> &'a mut Value {
    v["RouteTables"]
        .as_array_mut()
        .expect("RouteTables")
        .iter_mut()
        .find(|a| a["RouteTableId"] == id)
        .expect(id)
}

fn b(component: &str, code: &str, direction: &str) -> (String, String, String) {
    (component.into(), code.into(), direction.into())
}

/// The bastion subnet's NACL unknown both ways (forward inbound, return outbound): what every
/// case below must answer instead of the default NACL's allow-all.
fn nacl_unknown(v: &Value) {
    assert_eq!(v["verdict"], "unreachable", "{v:#}");
    assert_eq!(
        blockers(v),
        vec![
            b(BASTION_SUBNET, "SNAPSHOT_INCOMPLETE", "inbound"),
            b(BASTION_SUBNET, "SNAPSHOT_INCOMPLETE", "outbound"),
        ],
        "{v:#}"
    );
}

/// `--expect reachable` must fail (exit 1) on each of these snapshots.
fn expect_fails(d: &Demo) {
    assert_eq!(d.reach(&["--expect", "reachable"]).code, 1);
}

/// app-bastion without `NetworkAclId`: the element is skipped (no id), but its association
/// names the bastion subnet, which must not fall back to the app default NACL (100 allow all):
/// its NACL is unknown both ways: unreachable, SNAPSHOT_INCOMPLETE, `--expect reachable` fails.
#[test]
fn a_nacl_without_an_id_leaves_its_subnets_unknown() {
    let d = Demo::new();
    d.edit("describe-network-acls.json", |v| {
        acl(v, BASTION_ACL)
            .as_object_mut()
            .expect("object")
            .remove("NetworkAclId");
    });
    nacl_unknown(&d.answer());
    expect_fails(&d);
}

/// app-bastion's only association has `SubnetId: 5`: the association is skipped, the NACL kept.
/// Which subnet it named is unreadable, so every subnet of the app VPC left without an explicit
/// NACL association is unknown — the bastion subnet among them — never the default NACL.
#[test]
fn a_skipped_association_does_not_fall_back_to_the_default_nacl() {
    let d = Demo::new();
    d.edit("describe-network-acls.json", |v| {
        acl(v, BASTION_ACL)["Associations"][0]["SubnetId"] = json!(5);
    });
    nacl_unknown(&d.answer());
    expect_fails(&d);
    // A readable SubnetId with another bad field names that subnet: unknown as well.
    let d = Demo::new();
    d.edit("describe-network-acls.json", |v| {
        acl(v, BASTION_ACL)["Associations"][0]["NetworkAclAssociationId"] = json!(7);
    });
    nacl_unknown(&d.answer());
}

/// Two copies of app-bastion under one id, the second without rule 100 (the allow for 22):
/// whichever comes first, AWS holds one of them and the snapshot does not say which: the
/// subnet's NACL is unknown, in both JSON orders (first copy allowing: reachable by that copy;
/// first copy without 100: unreachable by the final deny — neither may be answered).
#[test]
fn two_differing_copies_of_a_nacl_are_unknown_in_any_order() {
    for reversed in [false, true] {
        let d = Demo::new();
        d.edit("describe-network-acls.json", |v| {
            let mut copy = acl(v, BASTION_ACL).clone();
            copy["Entries"]
                .as_array_mut()
                .expect("Entries")
                .retain(|e| e["RuleNumber"] != 100);
            let list = v["NetworkAcls"].as_array_mut().expect("list");
            list.push(copy);
            if reversed {
                list.reverse();
            }
        });
        nacl_unknown(&d.answer());
    }
}

/// The bastion subnet loses its explicit association (it now uses the main table) and
/// app-public `rtb-…0002` says `Main: true` besides app main `rtb-…0001`: two main tables. The
/// bastion's replies (return leg, its subnet's routes) are unknown: SNAPSHOT_INCOMPLETE at the
/// subnet's route table, in both JSON orders; the load warning names both tables, sorted.
#[test]
fn two_main_route_tables_leave_the_implicit_subnets_unknown_in_any_order() {
    for reversed in [false, true] {
        let d = Demo::new();
        d.edit("describe-route-tables.json", |v| {
            let t = table(v, "rtb-0aed2bd46e5370002");
            let assocs = t["Associations"].as_array_mut().expect("assocs");
            assocs.retain(|a| a["SubnetId"] != BASTION_SUBNET);
            assocs.push(json!({"Main": true, "RouteTableAssociationId": "rtbassoc-0main2", "RouteTableId": "rtb-0aed2bd46e5370002", "AssociationState": {"State": "associated"}}));
            if reversed {
                v["RouteTables"].as_array_mut().expect("list").reverse();
            }
        });
        let v = d.answer();
        assert_eq!(v["verdict"], "unreachable", "{v:#}");
        assert_eq!(
            blockers(&v),
            vec![b(BASTION_SUBNET, "SNAPSHOT_INCOMPLETE", "")],
            "{v:#}"
        );
        assert!(v["blocked"][0]["detail"].as_str().is_some_and(|x| x.contains(
            "the main route table of vpc-038faba71b3a60001 is unknown: the snapshot gives two, rtb-0aed2bd46e5370001 and rtb-0aed2bd46e5370002"
        )), "{v:#}");
        expect_fails(&d);
    }
}

/// app-bastion says `IsDefault: true` and has no association: the app VPC now has two default
/// NACLs (app default `acl-…0001`, allow all, and app-bastion), and the bastion subnet falls
/// back to "the" default: unknown, in both JSON orders.
#[test]
fn two_default_nacls_leave_the_implicit_subnets_unknown_in_any_order() {
    for reversed in [false, true] {
        let d = Demo::new();
        d.edit("describe-network-acls.json", |v| {
            let a = acl(v, BASTION_ACL);
            a["IsDefault"] = json!(true);
            a["Associations"] = json!([]);
            if reversed {
                v["NetworkAcls"].as_array_mut().expect("list").reverse();
            }
        });
        nacl_unknown(&d.answer());
    }
}

/// A deny entry that fails to load (`RuleNumber: "90"`, deny tcp 22 from 0.0.0.0/0, meant to
/// close SSH before rule 100): the entry alone is skipped, the NACL kept, and the answer "as
/// loaded" is reachable by rule 100 — but it rests on the skipped entry: the answer names
/// app-bastion as loaded without it, and `--expect reachable` fails unless `--allow-incomplete`.
#[test]
fn a_reachable_answer_resting_on_a_skipped_deny_fails_the_assertion() {
    let d = Demo::new();
    d.edit("describe-network-acls.json", |v| {
        acl(v, BASTION_ACL)["Entries"]
            .as_array_mut()
            .expect("Entries")
            .push(json!({"CidrBlock": "0.0.0.0/0", "Egress": false, "PortRange": {"From": 22, "To": 22}, "Protocol": "6", "RuleAction": "deny", "RuleNumber": "90"}));
    });
    let v = d.answer();
    assert_eq!(v["verdict"], "reachable");
    let warned = v["warnings"].as_array().expect("warnings").iter().any(|w| {
        w.as_str().is_some_and(|w| {
            w.starts_with(&format!(
                "SNAPSHOT_INCOMPLETE: {BASTION_ACL} on the path was loaded without elements"
            )) && w.contains("RuleNumber")
        })
    });
    assert!(warned, "{v:#}");
    let e = d.reach(&["--expect", "reachable"]);
    assert_eq!(e.code, 1);
    assert!(e.stderr.contains(BASTION_ACL), "{}", e.stderr);
    assert_eq!(
        d.reach(&["--expect", "reachable", "--allow-incomplete"])
            .code,
        0
    );
}

/// A second inbound entry numbered 100 in app-bastion, deny tcp 22: the deny is evaluated first
/// (documented reading), so SSH is denied (SUBNET_ACL_RESTRICTION, rule 100 deny); the answer
/// carries the conflict (SNAPSHOT_INCOMPLETE naming app-bastion and "two inbound entries
/// numbered 100") and `--expect unreachable` fails unless `--allow-incomplete`.
#[test]
fn two_entries_with_one_number_are_carried_by_the_answer() {
    let d = Demo::new();
    d.edit("describe-network-acls.json", |v| {
        acl(v, BASTION_ACL)["Entries"]
            .as_array_mut()
            .expect("Entries")
            .push(json!({"CidrBlock": "0.0.0.0/0", "Egress": false, "PortRange": {"From": 22, "To": 22}, "Protocol": "6", "RuleAction": "deny", "RuleNumber": 100}));
    });
    let v = d.answer();
    assert_eq!(v["verdict"], "unreachable");
    assert_eq!(
        blockers(&v),
        vec![b(BASTION_ACL, "SUBNET_ACL_RESTRICTION", "inbound")]
    );
    let warned = v["warnings"].as_array().expect("warnings").iter().any(|w| {
        w.as_str().is_some_and(|w| {
            w.starts_with(&format!(
                "SNAPSHOT_INCOMPLETE: {BASTION_ACL} on the path holds values AWS never prints"
            )) && w.contains("has two inbound entries numbered 100")
        })
    });
    assert!(warned, "{v:#}");
    assert_eq!(d.reach(&["--expect", "unreachable"]).code, 1);
    assert_eq!(
        d.reach(&["--expect", "unreachable", "--allow-incomplete"])
            .code,
        0
    );
}

/// SG haproxy's rule reads `FromPort 6379, ToPort -1` (impossible; read as 6379-65535). The
/// office host 203.0.113.10 -> HAProxy 54.87.201.14 tcp 6380: app-public NACL in 110 admits
/// 1024-65535 from anywhere, the group (as read) admits 6380, replies leave by out 100:
/// reachable as read — but only by that reading: the answer names the group's impossible value
/// and `--expect reachable` fails unless `--allow-incomplete`.
#[test]
fn an_impossible_security_group_value_is_carried_by_the_answer() {
    let d = Demo::new();
    d.edit("describe-security-groups.json", |v| {
        let g = v["SecurityGroups"]
            .as_array_mut()
            .expect("groups")
            .iter_mut()
            .find(|g| g["GroupId"] == "sg-08819528322010002")
            .expect("haproxy");
        g["IpPermissions"][0]["ToPort"] = json!(-1);
    });
    let q = [
        "--from",
        "203.0.113.10",
        "--to",
        "54.87.201.14",
        "--port",
        "6380",
    ];
    let r = on("reach", &d.root, &[&q[..], &["--format", "json"]].concat());
    let v = r.json();
    assert_eq!(v["verdict"], "reachable");
    assert!(
        v["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w
                .contains("sg-08819528322010002 on the path holds values AWS never prints")
                && w.contains("read as 6379-65535"))),
        "{v:#}"
    );
    let e = on(
        "reach",
        &d.root,
        &[&q[..], &["--expect", "reachable"]].concat(),
    );
    assert_eq!(e.code, 1, "{}", e.stdout);
    let ok = on(
        "reach",
        &d.root,
        &[&q[..], &["--expect", "reachable", "--allow-incomplete"]].concat(),
    );
    assert_eq!(ok.code, 0);
}

/// demo-redis's group `sg-08819528322010005` in two differing copies, the second without its
/// ingress rules. HAProxy → demo-redis (demo #3) is reachable by the first copy (tcp 6379 from
/// group haproxy) and unreachable by the second: which one AWS holds is unknown, so neither is
/// used: the group failed to load (`duplicate-id` error), its ingress is unknown on both cache
/// nodes (SNAPSHOT_INCOMPLETE, ingress), whatever the JSON order.
#[test]
fn two_differing_copies_of_a_security_group_are_unknown_in_any_order() {
    for reversed in [false, true] {
        let d = Demo::new();
        d.edit("describe-security-groups.json", |v| {
            let list = v["SecurityGroups"].as_array_mut().expect("groups");
            let mut copy = list
                .iter()
                .find(|g| g["GroupId"] == "sg-08819528322010005")
                .expect("demo-redis")
                .clone();
            copy["IpPermissions"] = json!([]);
            list.push(copy);
            if reversed {
                list.reverse();
            }
        });
        let r = on(
            "reach",
            &d.root,
            &[
                "--from",
                "i-0de7d1b721a1e0001",
                "--to",
                "demo-redis",
                "--format",
                "json",
            ],
        );
        let v = r.json();
        assert_eq!(v["verdict"], "unreachable", "{v:#}");
        let bs = blockers(&v);
        assert!(!bs.is_empty());
        for x in &bs {
            assert_eq!(
                x,
                &b("sg-08819528322010005", "SNAPSHOT_INCOMPLETE", "ingress")
            );
        }
        assert!(v["blocked"][0]["detail"]
            .as_str()
            .is_some_and(|x| x.contains("failed to load") && x.contains("different content")));
    }
}
