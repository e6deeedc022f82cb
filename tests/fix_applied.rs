//! Every blocker's `fix` is a change that really lets that part through (issue 9 §5): each test
//! asks a question of a per-rule fixture, applies every suggested fix to a copy of the snapshot
//! exactly as its text says (a NACL entry with the given number, direction, protocol, ports and
//! CIDR; a security-group rule naming the group or block; a route naming the table and target; a
//! static transit-gateway route; a blackhole route's new target; an Elastic IP), and asks again:
//! the component no longer blocks, and with every fix applied the answer is reachable.
//!
//! The fixes parsed here are the documented forms (README "The `fix` field"):
//! - `add an inbound|outbound entry to ACL as rule N (before …): allow PROTO PORTS from|to CIDR`
//! - `add to SG ingress|egress PROTO PORTS from|to PEER`
//! - `add a route DEST -> TARGET to RTB`
//! - `add a static route DEST -> ATTACHMENT to TGW-RTB`
//! - `in RTB, replace the target of the route DEST -> OLD (blackhole) with TARGET …`
//! - `IGW: associate an Elastic IP with ENI (PRIVATE) …`
//!
//! Expected blockers and fixes are derived by hand in each test's comment (fixture layouts in
//! fixtures/rules/README.md); a fix that does not parse, names a used or out-of-range rule
//! number, or leaves its component blocking fails the test.

#[path = "support/cli.rs"]
#[allow(dead_code)]
mod cli;

use cli::{fixture, on};
use serde_json::{json, Value};
use std::path::Path;

fn id(prefix: &str, case: u32, n: u64) -> String {
    format!("{prefix}-{case:02}{n:015x}")
}

fn copy_tree(src: &Path, dst: &Path) {
    for e in std::fs::read_dir(src).expect("read_dir") {
        let p = e.expect("entry").path();
        let to = dst.join(p.file_name().expect("name"));
        if p.is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
            copy_tree(&p, &to);
        } else {
            std::fs::copy(&p, &to).expect("copy");
        }
    }
}

/// A writable copy of a rules fixture.
struct Snap {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Snap {
    fn of(case: &str) -> Snap {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_tree(&fixture(&format!("rules/{case}")), dir.path());
        let root = dir.path().to_path_buf();
        Snap { _dir: dir, root }
    }

    fn file(&self, name: &str) -> std::path::PathBuf {
        self.root.join("111111111111/us-east-1").join(name)
    }

    fn edit(&self, name: &str, f: impl FnOnce(&mut Value)) {
        let p = self.file(name);
        let mut v: Value =
            serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("JSON");
        f(&mut v);
        std::fs::write(&p, v.to_string()).expect("write");
    }

    fn reach(&self, args: &[&str]) -> Value {
        let r = on("reach", &self.root, &[args, &["--format", "json"]].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()
    }
}

/// `tcp 32768-61000` / `tcp 22` / `icmp type 0` / `all traffic` → (protocol number, ports or
/// ICMP type).
fn traffic(words: &[&str]) -> (String, Option<(i64, i64)>, Option<i64>) {
    match words {
        ["all", "traffic"] => ("-1".into(), None, None),
        ["icmp", "type", t] => ("1".into(), None, Some(t.parse().expect("type"))),
        [proto, ports] => {
            let n = match *proto {
                "tcp" => "6",
                "udp" => "17",
                other => panic!("protocol {other}"),
            };
            let (lo, hi) = ports.split_once('-').unwrap_or((ports, ports));
            (
                n.into(),
                Some((lo.parse().expect("port"), hi.parse().expect("port"))),
                None,
            )
        }
        other => panic!("traffic {other:?}"),
    }
}

fn cidr_key(c: &str, v4: &str, v6: &str) -> (String, Value) {
    let key = if c.contains(':') { v6 } else { v4 };
    (key.to_string(), json!(c))
}

/// Apply one NACL fix; checks the rule number is free, valid and before the blocking rule.
fn apply_nacl(s: &Snap, fix: &str, blocking_rule: Option<u16>) {
    // add an outbound entry to ACL as rule N (before rule M): allow tcp 32768-61000 to CIDR
    let rest = fix.strip_prefix("add an ").expect(fix);
    let (dir, rest) = rest.split_once(" entry to ").expect(fix);
    let (acl, rest) = rest.split_once(" as rule ").expect(fix);
    let (number, rest) = rest.split_once(' ').expect(fix);
    let number: u16 = number.parse().expect(fix);
    let (_, allow) = rest.split_once("): allow ").expect(fix);
    let words: Vec<&str> = allow.split(' ').collect();
    let word = if dir == "inbound" { "from" } else { "to" };
    let at = words.iter().position(|w| *w == word).expect(fix);
    let (proto, ports, icmp) = traffic(&words[..at]);
    let cidr = words[at + 1];
    assert!((1..=32766).contains(&number), "{fix}");
    if let Some(m) = blocking_rule {
        assert!(number < m, "{fix}: rule {number} is not before {m}");
    }
    s.edit("describe-network-acls.json", |v| {
        let a = v["NetworkAcls"]
            .as_array_mut()
            .expect("NetworkAcls")
            .iter_mut()
            .find(|a| a["NetworkAclId"] == acl)
            .expect(acl);
        let egress = dir == "outbound";
        let entries = a["Entries"].as_array_mut().expect("Entries");
        assert!(
            !entries
                .iter()
                .any(|e| e["RuleNumber"] == number && e["Egress"] == egress),
            "{fix}: rule {number} is already used"
        );
        let (k, c) = cidr_key(cidr, "CidrBlock", "Ipv6CidrBlock");
        let mut e = json!({"Egress": egress, "Protocol": proto, "RuleAction": "allow", "RuleNumber": number});
        e[k] = c;
        if let Some((lo, hi)) = ports {
            e["PortRange"] = json!({"From": lo, "To": hi});
        }
        if let Some(t) = icmp {
            e["IcmpTypeCode"] = json!({"Type": t, "Code": -1});
        }
        entries.push(e);
    });
}

/// Apply one security-group fix.
fn apply_sg(s: &Snap, fix: &str) {
    // add to SG ingress tcp 6379 from sg-… | add to SG egress tcp 22 to 10.14.2.10/32
    let rest = fix.strip_prefix("add to ").expect(fix);
    let words: Vec<&str> = rest.split(' ').collect();
    let (sg, dir) = (words[0], words[1]);
    let word = if dir == "ingress" { "from" } else { "to" };
    let at = words.iter().position(|w| *w == word).expect(fix);
    let (proto, ports, icmp) = traffic(&words[2..at]);
    let peer = words[at + 1];
    let mut perm = json!({"IpProtocol": proto, "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []});
    if let Some((lo, hi)) = ports {
        perm["FromPort"] = json!(lo);
        perm["ToPort"] = json!(hi);
    }
    if let Some(t) = icmp {
        perm["FromPort"] = json!(t);
        perm["ToPort"] = json!(-1);
    }
    if peer.starts_with("sg-") {
        perm["UserIdGroupPairs"] = json!([{"GroupId": peer, "UserId": "111111111111"}]);
    } else if peer.contains(':') {
        perm["Ipv6Ranges"] = json!([{ "CidrIpv6": peer }]);
    } else {
        perm["IpRanges"] = json!([{ "CidrIp": peer }]);
    }
    s.edit("describe-security-groups.json", |v| {
        let g = v["SecurityGroups"]
            .as_array_mut()
            .expect("SecurityGroups")
            .iter_mut()
            .find(|g| g["GroupId"] == sg)
            .expect(sg);
        let key = if dir == "ingress" {
            "IpPermissions"
        } else {
            "IpPermissionsEgress"
        };
        match g[key].as_array_mut() {
            Some(list) => list.push(perm),
            None => g[key] = json!([perm]),
        }
    });
}

/// The route field of a target id (`igw-` → GatewayId, ...).
fn target_field(target: &str) -> &'static str {
    match target.split('-').next() {
        Some("igw") | Some("vgw") | Some("vpce") => "GatewayId",
        Some("nat") => "NatGatewayId",
        Some("tgw") => "TransitGatewayId",
        Some("pcx") => "VpcPeeringConnectionId",
        Some("eni") => "NetworkInterfaceId",
        Some("eigw") => "EgressOnlyInternetGatewayId",
        other => panic!("target {other:?}"),
    }
}

fn add_route(s: &Snap, table: &str, dest: &str, target: &str) {
    s.edit("describe-route-tables.json", |v| {
        let t = v["RouteTables"]
            .as_array_mut()
            .expect("RouteTables")
            .iter_mut()
            .find(|t| t["RouteTableId"] == table)
            .expect(table);
        let (k, c) = cidr_key(dest, "DestinationCidrBlock", "DestinationIpv6CidrBlock");
        let mut r = json!({"Origin": "CreateRoute", "State": "active"});
        r[k] = c;
        r[target_field(target)] = json!(target);
        t["Routes"].as_array_mut().expect("Routes").push(r);
    });
}

/// `add a route DEST[, DEST] -> TARGET to RTB`
fn apply_route(s: &Snap, fix: &str) {
    let rest = fix.strip_prefix("add a route ").expect(fix);
    let (dests, rest) = rest.split_once(" -> ").expect(fix);
    let (target, table) = rest.split_once(" to ").expect(fix);
    assert!(!table.contains(' '), "{fix}");
    for d in dests.split(", ") {
        add_route(s, table, d, target);
    }
}

/// `in RTB, replace the target of the route DEST -> OLD (blackhole) with TARGET (…`
fn apply_blackhole(s: &Snap, fix: &str) {
    let rest = fix.strip_prefix("in ").expect(fix);
    let (table, rest) = rest
        .split_once(", replace the target of the route ")
        .expect(fix);
    let (dest, rest) = rest.split_once(" -> ").expect(fix);
    let (_, rest) = rest.split_once(" with ").expect(fix);
    let target = rest.split(' ').next().expect(fix);
    s.edit("describe-route-tables.json", |v| {
        let t = v["RouteTables"]
            .as_array_mut()
            .expect("RouteTables")
            .iter_mut()
            .find(|t| t["RouteTableId"] == table)
            .expect(table);
        let routes = t["Routes"].as_array_mut().expect("Routes");
        let r = routes
            .iter_mut()
            .find(|r| r["DestinationCidrBlock"] == dest)
            .expect(dest);
        *r = json!({"DestinationCidrBlock": dest, "Origin": "CreateRoute", "State": "active"});
        r[target_field(target)] = json!(target);
    });
}

/// `add a static route DEST -> ATTACHMENT to TGW-RTB`
fn apply_tgw_route(s: &Snap, fix: &str, vpc: &str) {
    let rest = fix.strip_prefix("add a static route ").expect(fix);
    let (dest, rest) = rest.split_once(" -> ").expect(fix);
    let (att, table) = rest.split_once(" to ").expect(fix);
    s.edit("get-transit-gateway-static-routes.json", |v| {
        let t = v["TransitGatewayStaticRoutes"]
            .as_array_mut()
            .expect("wrapper")
            .iter_mut()
            .find(|t| t["TransitGatewayRouteTableId"] == table)
            .expect(table);
        t["Routes"].as_array_mut().expect("Routes").push(json!({
            "DestinationCidrBlock": dest,
            "TransitGatewayAttachments": [{"ResourceId": vpc, "TransitGatewayAttachmentId": att, "ResourceType": "vpc"}],
            "Type": "static",
            "State": "active"
        }));
    });
}

/// `IGW: associate an Elastic IP with ENI (PRIVATE) …`: the ENI's private address gets
/// `public` (as `describe-network-interfaces` shows an associated EIP).
fn apply_eip(s: &Snap, fix: &str, public: &str) {
    let (_, rest) = fix
        .split_once(": associate an Elastic IP with ")
        .expect(fix);
    let (eni, rest) = rest.split_once(" (").expect(fix);
    let (private, _) = rest.split_once(')').expect(fix);
    s.edit("describe-network-interfaces.json", |v| {
        let e = v["NetworkInterfaces"]
            .as_array_mut()
            .expect("NetworkInterfaces")
            .iter_mut()
            .find(|e| e["NetworkInterfaceId"] == eni)
            .expect(eni);
        let assoc = json!({"PublicIp": public, "IpOwnerId": "111111111111"});
        e["Association"] = assoc.clone();
        for p in e["PrivateIpAddresses"].as_array_mut().expect("ips") {
            if p["PrivateIpAddress"] == private {
                p["Association"] = assoc.clone();
            }
        }
    });
}

/// `(component, code, leg, rule number that blocked, fix)` of each blocker.
fn blockers(a: &Value) -> Vec<(String, String, String, Option<u16>, String)> {
    a["blocked"]
        .as_array()
        .expect("blocked")
        .iter()
        .map(|b| {
            let rule = b["rule"].as_str().and_then(|r| {
                let n = r.strip_prefix("rule ")?.split(' ').next()?;
                Some(if n == "*" { 32767 } else { n.parse().ok()? })
            });
            (
                b["component"].as_str().unwrap_or("").to_string(),
                b["code"].as_str().unwrap_or("").to_string(),
                b["leg"].as_str().unwrap_or("").to_string(),
                rule,
                b["fix"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Apply every NACL and SG fix of `a`; returns how many were applied.
fn apply_filters(s: &Snap, a: &Value) -> usize {
    let mut n = 0;
    for (_, code, _, rule, fix) in blockers(a) {
        match code.as_str() {
            "SUBNET_ACL_RESTRICTION" => apply_nacl(s, &fix, rule),
            "ENI_SG_RULES_MISMATCH" | "SG_HAS_NO_RULES" => apply_sg(s, &fix),
            other => panic!("{other}: {fix}"),
        }
        n += 1;
    }
    n
}

/// b1: i1 → i2:6379 is blocked by sg 2 (forward ingress: add tcp 6379 from sg 1) and by acl 2
/// (return outbound: rule 200 denies 10.51/16; add rule 110 before it: allow tcp 32768-61000
/// to 10.51.1.10/32). With both applied the flow passes both legs: reachable.
#[test]
fn security_group_ingress_and_return_nacl_fixes_open_the_path() {
    let s = Snap::of("b1-blockers-both-legs");
    let q = [
        "--from",
        &id("i", 51, 1),
        "--to",
        &id("i", 51, 2),
        "--port",
        "6379",
    ]
    .map(String::from);
    let q: Vec<&str> = q.iter().map(String::as_str).collect();
    let a = s.reach(&q);
    assert_eq!(a["verdict"], "unreachable");
    assert_eq!(apply_filters(&s, &a), 2);
    let b = s.reach(&q);
    assert_eq!(b["verdict"], "reachable", "{b:#}");
    assert_eq!(b["blocked"], json!([]));
}

/// n8: Linux i3 → i4:22: acl 2 outbound allows only 1024-40000 back (add 40001-61000 to i3 as
/// rule 110, before the final `*`), acl 3 inbound only 1024-49151 (add 49152-61000 from i4 as
/// rule 110). Applied: the whole 32768-61000 range returns: reachable.
#[test]
fn nacl_fixes_on_both_return_directions_cover_the_ephemeral_range() {
    let s = Snap::of("n8-stateless-ephemeral");
    let (from, to) = (id("i", 12, 3), id("i", 12, 4));
    let q = ["--from", &from, "--to", &to, "--port", "22"];
    let a = s.reach(&q);
    assert_eq!(a["verdict"], "partial");
    assert_eq!(apply_filters(&s, &a), 2);
    assert_eq!(s.reach(&q)["verdict"], "reachable");
}

/// n2: i1 (10.10.1.10) → i4:22 is denied by acl 2 inbound rule 110 (deny tcp 22
/// 10.10.1.0/24); rule 100 is taken, so the fix's entry is 109 (free, before 110). Applied:
/// rule 109 allows it first: reachable.
#[test]
fn a_nacl_fix_goes_before_the_deny_that_blocks() {
    let s = Snap::of("n2-nacl-rule-order");
    let (from, to) = (id("i", 10, 1), id("i", 10, 4));
    let q = ["--from", &from, "--to", &to, "--port", "22"];
    let a = s.reach(&q);
    let bs = blockers(&a);
    assert_eq!(bs.len(), 1);
    assert_eq!(bs[0].3, Some(110));
    assert!(bs[0].4.contains(" as rule 109 (before rule 110)"), "{bs:?}");
    apply_filters(&s, &a);
    assert_eq!(s.reach(&q)["verdict"], "reachable");
}

/// s2: i1 → i3:22: sg 1's egress allows only tcp 443 (add egress tcp 22 to 10.14.2.10/32);
/// i2 → i3:443: sg 2 has no egress rule at all (SG_HAS_NO_RULES; add egress tcp 443). Applied:
/// both reachable (sg 3 admits 22 and 443; the reply is not checked against groups).
#[test]
fn security_group_egress_fixes_open_the_path() {
    let s = Snap::of("s2-stateful-egress-at-sender");
    let to = id("i", 14, 3);
    let (i1, i2) = (id("i", 14, 1), id("i", 14, 2));
    let q1 = ["--from", &i1, "--to", &to, "--port", "22"];
    let q2 = ["--from", &i2, "--to", &to, "--port", "443"];
    let (a1, a2) = (s.reach(&q1), s.reach(&q2));
    assert_eq!(apply_filters(&s, &a1) + apply_filters(&s, &a2), 2);
    assert_eq!(s.reach(&q1)["verdict"], "reachable");
    assert_eq!(s.reach(&q2)["verdict"], "reachable");
}

/// n6: i1 → i3 ping (`--protocol icmp --port 8`): acl 3 allows only type 8 outbound, the echo
/// replies (type 0) hit its final deny on the return leg; the fix is an outbound entry allowing
/// icmp type 0 to i1. Applied: reachable.
#[test]
fn an_icmp_reply_fix_allows_the_reply_type() {
    let s = Snap::of("n6-icmp-types");
    let (from, to) = (id("i", 36, 1), id("i", 36, 3));
    let q = [
        "--from",
        &from,
        "--to",
        &to,
        "--protocol",
        "icmp",
        "--port",
        "8",
    ];
    let a = s.reach(&q);
    let bs = blockers(&a);
    assert_eq!(bs.len(), 1);
    assert!(
        bs[0].4.ends_with(": allow icmp type 0 to 10.36.1.10/32"),
        "{bs:?}"
    );
    apply_filters(&s, &a);
    assert_eq!(s.reach(&q)["verdict"], "reachable");
}

/// r1: i2's subnet uses the main table rtb 10 (local only): no route to 198.51.100.7. i2 has a
/// public IP, so the fix routes 198.51.100.7/32 to the VPC's internet gateway igw 1 in rtb 10.
/// Applied: reachable.
#[test]
fn a_missing_route_fix_names_table_and_target() {
    let s = Snap::of("r1-route-table-association");
    let from = id("i", 1, 2);
    let q = ["--from", &from, "--to", "198.51.100.7", "--port", "443"];
    let a = s.reach(&q);
    let bs = blockers(&a);
    assert_eq!(bs.len(), 1);
    assert_eq!(bs[0].1, "NO_ROUTE_TO_DESTINATION");
    assert_eq!(
        bs[0].4,
        format!(
            "add a route 198.51.100.7/32 -> {} to {}",
            id("igw", 1, 1),
            id("rtb", 1, 10)
        )
    );
    apply_route(&s, &bs[0].4);
    assert_eq!(s.reach(&q)["verdict"], "reachable");
}

/// p: A's i1 → B's i3:22: B's subnet 3 (rtb 4) has no route back to A (return leg); the fix
/// routes A's CIDR 10.1.0.0/16 to the peering pcx 1 in rtb 4. Applied: reachable.
#[test]
fn a_missing_return_route_fix_names_the_peering() {
    let s = Snap::of("p-vpc-peering");
    let (from, to) = (id("i", 24, 1), id("i", 24, 3));
    let q = ["--from", &from, "--to", &to, "--port", "22"];
    let a = s.reach(&q);
    let bs = blockers(&a);
    assert_eq!(bs.len(), 1);
    assert_eq!(bs[0].2, "return");
    apply_route(&s, &bs[0].4);
    assert_eq!(s.reach(&q)["verdict"], "reachable");
}

/// r5: rtb 2 sends 198.51.100.0/24 to a deleted NAT gateway (blackhole): BAD_STATE_ROUTE. i1
/// has a public IP, so the fix replaces that route's target with the internet gateway igw 1.
/// Applied: reachable.
#[test]
fn a_blackhole_route_fix_names_a_working_target() {
    let s = Snap::of("r5-blackhole-route");
    let from = id("i", 6, 1);
    let q = ["--from", &from, "--to", "198.51.100.7", "--port", "443"];
    let a = s.reach(&q);
    let bs = blockers(&a);
    assert_eq!(bs.len(), 1);
    assert_eq!(bs[0].1, "BAD_STATE_ROUTE");
    assert!(
        bs[0].4.starts_with(&format!(
            "in {}, replace the target of the route 198.51.100.0/24 -> {} (blackhole) with {} ",
            id("rtb", 6, 2),
            id("nat", 6, 1),
            id("igw", 6, 1)
        )),
        "{bs:?}"
    );
    apply_blackhole(&s, &bs[0].4);
    assert_eq!(s.reach(&q)["verdict"], "reachable");
}

/// t-tgw-routing: i1 → i7 (VPC 7, attached but not propagating): no route in tgw-rtb 1; the fix
/// is a static route 10.7.0.0/16 → tgw-attach 7. Applied: the forward leg reaches VPC 7 (its
/// SG admits 22 from 10.0.0.0/8); the reply follows VPC 7's `10.0.0.0/8 -> tgw` route, attachment
/// 7 is associated with tgw-rtb 1, whose propagated 10.1.0.0/16 leads to A: reachable.
#[test]
fn a_transit_gateway_route_fix_names_the_attachment() {
    let s = Snap::of("t-tgw-routing");
    let (from, to) = (id("i", 25, 1), id("i", 25, 7));
    let q = ["--from", &from, "--to", &to, "--port", "22"];
    let a = s.reach(&q);
    let bs = blockers(&a);
    assert_eq!(bs.len(), 1);
    apply_tgw_route(&s, &bs[0].4, &id("vpc", 25, 7));
    let b = s.reach(&q);
    assert_eq!(b["verdict"], "reachable", "{b:#}");
}

/// i1-i2: i2 (10.19.1.20) has no public IP. Outbound to 198.51.100.7:443 stops at igw 1
/// (IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS); the fix associates an Elastic IP with eni 2. Applied
/// (54.200.19.2 on eni 2): reachable, and the inbound question for that public address too.
#[test]
fn a_public_ip_fix_names_the_interface() {
    let s = Snap::of("i1-i2-internet-gateway");
    let from = id("i", 19, 2);
    let q = ["--from", &from, "--to", "198.51.100.7", "--port", "443"];
    let a = s.reach(&q);
    let bs = blockers(&a);
    assert_eq!(bs.len(), 1);
    assert!(
        bs[0].4.contains(&format!(
            "associate an Elastic IP with {} (10.19.1.20)",
            id("eni", 19, 2)
        )),
        "{bs:?}"
    );
    apply_eip(&s, &bs[0].4, "54.200.19.2");
    assert_eq!(s.reach(&q)["verdict"], "reachable");
    let inbound = ["--from", "internet", "--to", "54.200.19.2", "--port", "443"];
    assert_eq!(s.reach(&inbound)["verdict"], "reachable");
}
