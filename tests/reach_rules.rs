//! One test per rule of `docs/semantics.md` (§2–§6): `vpcreach reach` run as a user runs it on the
//! per-rule snapshots of `fixtures/rules/` (written by `fixtures/rules/generate.py`, described in
//! `fixtures/rules/README.md`). Expected answers come from the AWS semantics, not from the engine.
//!
//! Identifiers follow the generator's scheme `<prefix>-<case:02><n:015x>` (see [`id`]).

use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;

/// The generator's id: case 10, NACL 2 → `acl-100000000000000002`.
fn id(prefix: &str, case: u32, n: u64) -> String {
    format!("{prefix}-{case:02}{n:015x}")
}

/// One answer, with assertion helpers.
struct Ans {
    v: Value,
    what: String,
}

/// Run `vpcreach reach --snapshot fixtures/rules/<case> --from F --to T [extra] --format json`.
fn reach(case: &str, from: &str, to: &str, extra: &[&str]) -> Ans {
    let dir = format!("{}/fixtures/rules/{case}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["reach", "--snapshot", &dir, "--from", from, "--to", to])
        .args(extra)
        .args(["--format", "json"])
        .output()
        .expect("run vpcreach");
    let what = format!("{case}: {from} -> {to} {}", extra.join(" "));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: exit code; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON answer");
    Ans { v, what }
}

fn port(p: &str) -> [&str; 2] {
    ["--port", p]
}

impl Ans {
    fn dump(&self) -> String {
        serde_json::to_string_pretty(&self.v).unwrap_or_default()
    }

    fn verdict(&self, want: &str) -> &Self {
        assert_eq!(
            self.v["verdict"].as_str(),
            Some(want),
            "{}: verdict\n{}",
            self.what,
            self.dump()
        );
        assert_eq!(
            self.v["reachable"].as_bool(),
            Some(want != "unreachable"),
            "{}: reachable flag",
            self.what
        );
        if want == "reachable" {
            assert!(self.paths().next().is_some(), "{}: no path", self.what);
            assert!(
                self.blocked().is_empty(),
                "{}: blockers on a reachable answer",
                self.what
            );
        }
        if want == "unreachable" {
            assert!(
                self.paths().next().is_none(),
                "{}: paths on unreachable",
                self.what
            );
        }
        self
    }

    fn blocked(&self) -> Vec<&Value> {
        self.v["blocked"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }

    fn paths(&self) -> impl Iterator<Item = &Value> {
        self.v["paths"].as_array().into_iter().flatten()
    }

    fn npaths(&self, n: usize) -> &Self {
        assert_eq!(
            self.paths().count(),
            n,
            "{}: number of paths\n{}",
            self.what,
            self.dump()
        );
        self
    }

    /// The set of blocker codes is exactly `codes`.
    fn codes(&self, codes: &[&str]) -> &Self {
        let got: BTreeSet<&str> = self
            .blocked()
            .iter()
            .filter_map(|b| b["code"].as_str())
            .collect();
        let want: BTreeSet<&str> = codes.iter().copied().collect();
        assert_eq!(got, want, "{}: blocker codes\n{}", self.what, self.dump());
        self
    }

    /// A blocker with this code at this component (and leg); returns it for more checks.
    fn blocker(&self, code: &str, component: &str, leg: &str) -> &Value {
        self.blocked()
            .into_iter()
            .find(|b| b["code"] == code && b["component"] == component && b["leg"] == leg)
            .unwrap_or_else(|| {
                panic!(
                    "{}: no {leg} blocker {code} at {component}\n{}",
                    self.what,
                    self.dump()
                )
            })
    }

    /// Hops of `leg` (`forward` / `return`) of every path.
    fn hops(&self, leg: &str) -> Vec<&Value> {
        self.paths()
            .flat_map(|p| p[leg].as_array().into_iter().flatten())
            .collect()
    }

    /// Some path's `leg` passes `component` (of `kind`); returns the hop.
    fn hop(&self, leg: &str, kind: &str, component: &str) -> &Value {
        self.hops(leg)
            .into_iter()
            .find(|h| h["kind"] == kind && h["component"] == component)
            .unwrap_or_else(|| {
                panic!(
                    "{}: no {leg} hop {kind} {component}\n{}",
                    self.what,
                    self.dump()
                )
            })
    }

    /// No path's `leg` passes a hop of `kind`.
    fn no_hop_kind(&self, leg: &str, kind: &str) -> &Self {
        assert!(
            !self.hops(leg).iter().any(|h| h["kind"] == kind),
            "{}: unexpected {leg} {kind} hop\n{}",
            self.what,
            self.dump()
        );
        self
    }

    fn warning(&self, needle: &str) -> &Self {
        let ws = self.v["warnings"].as_array().cloned().unwrap_or_default();
        assert!(
            ws.iter()
                .any(|w| w.as_str().is_some_and(|w| w.contains(needle))),
            "{}: no warning containing {needle:?}: {ws:?}",
            self.what
        );
        self
    }

    fn assumption(&self, needle: &str) -> &Self {
        let ws = self.v["assumptions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            ws.iter()
                .any(|w| w.as_str().is_some_and(|w| w.contains(needle))),
            "{}: no assumption containing {needle:?}: {ws:?}",
            self.what
        );
        self
    }
}

fn rule(h: &Value) -> &str {
    h["rule"].as_str().unwrap_or("")
}

fn starts(h: &Value, prefix: &str) {
    assert!(
        rule(h).starts_with(prefix),
        "rule {:?} should start with {prefix:?}: {h}",
        rule(h)
    );
}

// ------------------------------------------------------------------------------------------
// §2 Route tables
// ------------------------------------------------------------------------------------------

/// R1: a subnet uses the table that lists it, else the VPC's main table.
#[test]
fn r1_route_table_association() {
    let c = "r1-route-table-association";
    let a = reach(c, &id("i", 1, 1), "198.51.100.7", &port("443"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "route-table", &id("rtb", 1, 2)),
        &format!("0.0.0.0/0 -> {}", id("igw", 1, 1)),
    );
    // subnet 2 has no explicit association: the main table (local only) has no route out
    let b = reach(c, &id("i", 1, 2), "198.51.100.7", &port("443"));
    b.verdict("unreachable").codes(&["NO_ROUTE_TO_DESTINATION"]);
    b.blocker("NO_ROUTE_TO_DESTINATION", &id("rtb", 1, 10), "forward");
    // ... but its local route works
    let l = reach(c, &id("i", 1, 2), &id("i", 1, 1), &port("22"));
    l.verdict("reachable");
    starts(
        l.hop("forward", "route-table", &id("rtb", 1, 10)),
        "10.1.0.0/16 -> local",
    );
}

/// R2: a gateway (edge) table applies to traffic entering through the IGW; `local` delivers, an
/// ENI target (source/dest check off) sends it through the appliance.
#[test]
fn r2_gateway_table_local() {
    let c = "r2-gateway-route-table";
    let a = reach(c, "internet", &id("i", 2, 2), &port("443"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "route-table", &id("rtb", 2, 5)),
        "10.2.0.0/16 -> local",
    );
}

/// R2 + R9: edge table `10.2.1.0/24 -> eni` (inline firewall, SourceDestCheck false).
#[test]
fn r2_gateway_table_eni_target() {
    let c = "r2-gateway-route-table";
    let a = reach(c, "internet", &id("i", 2, 1), &port("443"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "route-table", &id("rtb", 2, 5)),
        &format!("10.2.1.0/24 -> {}", id("eni", 2, 3)),
    );
    a.hop("forward", "network-interface", &id("eni", 2, 3));
}

/// R3: every table has a local route per VPC CIDR, IPv4 and IPv6 (synthesized when absent).
#[test]
fn r3_local_routes_v4_v6() {
    let c = "r3-local-routes";
    let a = reach(c, &id("i", 3, 1), &id("i", 3, 2), &port("22"));
    a.verdict("reachable").npaths(2);
    let rules: BTreeSet<&str> = a
        .hops("forward")
        .into_iter()
        .filter(|h| h["kind"] == "route-table")
        .map(rule)
        .collect();
    assert!(rules.contains("10.3.0.0/16 -> local"), "{rules:?}");
    assert!(
        rules.contains("2600:1f18:3::/56 -> local"),
        "IPv6 local route synthesized: {rules:?}"
    );
    let b = reach(c, &id("i", 3, 1), "10.99.0.5", &port("22"));
    b.verdict("unreachable").codes(&["NO_ROUTE_TO_DESTINATION"]);
}

/// R4: longest prefix wins (198.51.100.0/24 -> NAT over 0.0.0.0/0 -> IGW).
#[test]
fn r4_longest_prefix() {
    let c = "r4-longest-prefix";
    let a = reach(c, &id("i", 4, 1), "198.51.100.7", &port("443"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "route-table", &id("rtb", 4, 2)),
        &format!("198.51.100.0/24 -> {}", id("nat", 4, 1)),
    );
    a.hop("forward", "nat-gateway", &id("nat", 4, 1));
    let b = reach(c, &id("i", 4, 1), "203.0.113.7", &port("443"));
    b.verdict("reachable").no_hop_kind("forward", "nat-gateway");
    starts(
        b.hop("forward", "route-table", &id("rtb", 4, 2)),
        &format!("0.0.0.0/0 -> {}", id("igw", 4, 1)),
    );
}

/// R4: equal prefix — static CIDR > prefix-list route > propagated (HIGHER_PRIORITY_ROUTE);
/// a propagated route to a VGW leaves the snapshot.
#[test]
fn r4_route_priority() {
    let c = "r4-route-priority";
    let pl = id("pl", 5, 1);
    let a = reach(c, &id("i", 5, 1), "192.0.2.10", &port("443"));
    a.verdict("reachable").warning("HIGHER_PRIORITY_ROUTE");
    starts(
        a.hop("forward", "route-table", &id("rtb", 5, 2)),
        &format!("192.0.2.0/24 -> {}", id("igw", 5, 1)),
    );
    let b = reach(c, &id("i", 5, 1), "198.51.100.10", &port("443"));
    b.verdict("reachable").warning("HIGHER_PRIORITY_ROUTE");
    starts(
        b.hop("forward", "route-table", &id("rtb", 5, 2)),
        &format!("{pl} -> {}", id("nat", 5, 1)),
    );
    let v = reach(c, &id("i", 5, 1), "203.0.113.10", &port("443"));
    v.verdict("unreachable").codes(&["UNSUPPORTED_COMPONENT"]);
    v.blocker("UNSUPPORTED_COMPONENT", &id("vgw", 5, 1), "forward");
}

/// R5: the selected blackhole route drops (BAD_STATE_ROUTE) with no fallback to 0.0.0.0/0.
#[test]
fn r5_blackhole_route() {
    let c = "r5-blackhole-route";
    let a = reach(c, &id("i", 6, 1), "198.51.100.7", &port("443"));
    a.verdict("unreachable").codes(&["BAD_STATE_ROUTE"]);
    let b = a.blocker("BAD_STATE_ROUTE", &id("rtb", 6, 2), "forward");
    assert!(rule(b).starts_with("198.51.100.0/24"), "{b}");
    reach(c, &id("i", 6, 1), "203.0.113.7", &port("443")).verdict("reachable");
}

/// R6 + R9: whole-subnet routes more specific than local to an instance / ENI target; forwarding
/// only with SourceDestCheck false (else ENI_SOURCE_DEST_CHECK_RESTRICTION).
#[test]
fn r9_eni_instance_targets() {
    let c = "r9-eni-instance-targets";
    let a = reach(c, &id("i", 7, 1), &id("i", 7, 5), &port("22"));
    a.verdict("reachable").assumption(&id("eni", 7, 3));
    starts(
        a.hop("forward", "route-table", &id("rtb", 7, 2)),
        "10.7.3.0/24 -> ",
    );
    a.hop("forward", "network-interface", &id("eni", 7, 3));
    let b = reach(c, &id("i", 7, 2), &id("i", 7, 5), &port("22"));
    b.verdict("unreachable")
        .codes(&["ENI_SOURCE_DEST_CHECK_RESTRICTION"]);
    b.blocker(
        "ENI_SOURCE_DEST_CHECK_RESTRICTION",
        &id("eni", 7, 4),
        "forward",
    );
}

/// R7 / N7: same-subnet traffic skips the route table and the NACL (here a deny-all NACL).
#[test]
fn r7_same_subnet_skips_nacl() {
    let c = "r7-same-subnet";
    let a = reach(c, &id("i", 8, 1), &id("i", 8, 2), &port("22"));
    a.verdict("reachable")
        .no_hop_kind("forward", "network-acl")
        .no_hop_kind("return", "network-acl")
        .no_hop_kind("forward", "route-table");
    let b = reach(c, &id("i", 8, 1), &id("i", 8, 3), &port("22"));
    b.verdict("unreachable").codes(&["SUBNET_ACL_RESTRICTION"]);
    let bl = b.blocker("SUBNET_ACL_RESTRICTION", &id("acl", 8, 2), "forward");
    assert_eq!(bl["direction"], "outbound");
    assert!(rule(bl).starts_with("rule * deny"), "{bl}");
}

/// R8: `::/0` never matches IPv4, `0.0.0.0/0` never IPv6.
#[test]
fn r8_default_route_per_family() {
    let c = "r8-default-routes-per-family";
    let a = reach(c, &id("i", 9, 1), "2606:4700:4700::1111", &port("443"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "route-table", &id("rtb", 9, 2)),
        &format!("::/0 -> {}", id("igw", 9, 1)),
    );
    reach(c, &id("i", 9, 1), "198.51.100.7", &port("443"))
        .verdict("unreachable")
        .codes(&["NO_ROUTE_TO_DESTINATION"]);
    reach(c, &id("i", 9, 2), "2606:4700:4700::1111", &port("443"))
        .verdict("unreachable")
        .codes(&["NO_ROUTE_TO_DESTINATION"]);
    reach(c, &id("i", 9, 2), "198.51.100.7", &port("443")).verdict("reachable");
}

// ------------------------------------------------------------------------------------------
// §3 Network ACLs
// ------------------------------------------------------------------------------------------

/// N2: entries sorted by rule number (the JSON is not), the first match decides.
#[test]
fn n2_nacl_rule_order() {
    let c = "n2-nacl-rule-order";
    let acl = id("acl", 10, 2);
    let a = reach(c, &id("i", 10, 2), &id("i", 10, 4), &port("22"));
    a.verdict("reachable");
    starts(a.hop("forward", "network-acl", &acl), "rule 100 allow");
    let b = reach(c, &id("i", 10, 1), &id("i", 10, 4), &port("22"));
    b.verdict("unreachable").codes(&["SUBNET_ACL_RESTRICTION"]);
    let bl = b.blocker("SUBNET_ACL_RESTRICTION", &acl, "forward");
    assert_eq!(bl["direction"], "inbound");
    assert!(rule(bl).starts_with("rule 110 deny"), "{bl}");
    let d = reach(c, &id("i", 10, 3), &id("i", 10, 4), &port("22"));
    d.verdict("reachable");
    starts(d.hop("forward", "network-acl", &acl), "rule 120 allow");
}

/// N3: final deny added when missing (32767 IPv4, 32768 IPv6); CidrBlock entries match IPv4
/// only, Ipv6CidrBlock entries IPv6 only.
#[test]
fn n3_final_deny_and_ipv6_entries() {
    let c = "n3-final-deny-ipv6-entries";
    let acl = id("acl", 11, 2);
    let a = reach(c, &id("i", 11, 1), "2600:1f18:11:2::10", &port("443"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "network-acl", &acl),
        "rule 110 allow tcp 443 from ::/0",
    );
    let b = reach(c, &id("i", 11, 1), "2600:1f18:11:2::10", &port("22"));
    b.verdict("unreachable").codes(&["SUBNET_ACL_RESTRICTION"]);
    let bl = b.blocker("SUBNET_ACL_RESTRICTION", &acl, "forward");
    assert!(
        rule(bl).starts_with("rule * deny") && rule(bl).contains("::/0"),
        "{bl}"
    );
    let d = reach(c, &id("i", 11, 1), "10.11.2.10", &port("22"));
    d.verdict("reachable");
    starts(
        d.hop("forward", "network-acl", &acl),
        "rule 100 allow tcp 22 from 0.0.0.0/0",
    );
    let e = reach(c, &id("i", 11, 1), "10.11.2.10", &port("443"));
    e.verdict("unreachable").codes(&["SUBNET_ACL_RESTRICTION"]);
    let bl = e.blocker("SUBNET_ACL_RESTRICTION", &acl, "forward");
    assert!(
        rule(bl).starts_with("rule * deny") && rule(bl).contains("0.0.0.0/0"),
        "{bl}"
    );
}

/// N8: stateless — the reply (destination = client port) must pass the server subnet outbound
/// and the client subnet inbound for the client's whole ephemeral range (Linux 32768–61000,
/// Windows 49152–65535, or `--ephemeral`); `partial` when only part passes.
#[test]
fn n8_stateless_ephemeral() {
    let c = "n8-stateless-ephemeral";
    let srv_acl = id("acl", 12, 2);
    // Linux client: server outbound admits 1024-40000, so 32768-40000 complete, 40001-61000 not
    let a = reach(c, &id("i", 12, 1), &id("i", 12, 4), &port("22"));
    a.verdict("partial")
        .codes(&["SUBNET_ACL_RESTRICTION"])
        .assumption("32768-61000");
    let bl = a.blocker("SUBNET_ACL_RESTRICTION", &srv_acl, "return");
    assert_eq!(bl["direction"], "outbound");
    starts(
        a.hop("return", "network-acl", &srv_acl),
        "rule 100 allow tcp 1024-40000",
    );
    // Windows client: 49152-65535, none admitted
    let w = reach(c, &id("i", 12, 2), &id("i", 12, 4), &port("22"));
    w.verdict("unreachable")
        .codes(&["SUBNET_ACL_RESTRICTION"])
        .assumption("49152-65535");
    w.blocker("SUBNET_ACL_RESTRICTION", &srv_acl, "return");
    // an assumed range inside the admitted one
    reach(
        c,
        &id("i", 12, 1),
        &id("i", 12, 4),
        &["--port", "22", "--ephemeral", "1024-30000"],
    )
    .verdict("reachable")
    .assumption("1024-30000");
    // the client subnet's inbound NACL (1024-49151) also cuts the reply
    let d = reach(c, &id("i", 12, 3), &id("i", 12, 4), &port("22"));
    d.verdict("partial");
    d.blocker("SUBNET_ACL_RESTRICTION", &srv_acl, "return");
    let ci = d.blocker("SUBNET_ACL_RESTRICTION", &id("acl", 12, 3), "return");
    assert_eq!(ci["direction"], "inbound");
}

// ------------------------------------------------------------------------------------------
// §4 Security groups
// ------------------------------------------------------------------------------------------

/// S1: an ENI's rules are the union of its groups.
#[test]
fn s1_sg_union() {
    let c = "s1-sg-union";
    let (g2, g3) = (id("sg", 13, 2), id("sg", 13, 3));
    let both = format!("{g2},{g3}");
    let a = reach(c, &id("i", 13, 1), &id("i", 13, 2), &port("22"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "security-group", &both),
        &format!("{g2} ingress tcp 22"),
    );
    let b = reach(c, &id("i", 13, 1), &id("i", 13, 2), &port("443"));
    b.verdict("reachable");
    starts(
        b.hop("forward", "security-group", &both),
        &format!("{g3} ingress tcp 443"),
    );
    let d = reach(c, &id("i", 13, 1), &id("i", 13, 2), &port("80"));
    d.verdict("unreachable").codes(&["ENI_SG_RULES_MISMATCH"]);
    assert_eq!(
        d.blocker("ENI_SG_RULES_MISMATCH", &both, "forward")["direction"],
        "ingress"
    );
}

/// S1/S2/S3: egress tested at the sender; replies skip SGs (server group has no egress rule);
/// an empty egress list = no egress (SG_HAS_NO_RULES).
#[test]
fn s2_stateful_egress_at_sender() {
    let c = "s2-stateful-egress-at-sender";
    let a = reach(c, &id("i", 14, 1), &id("i", 14, 3), &port("443"));
    a.verdict("reachable")
        .no_hop_kind("return", "security-group");
    starts(
        a.hop("forward", "security-group", &id("sg", 14, 1)),
        &format!("{} egress tcp 443", id("sg", 14, 1)),
    );
    let b = reach(c, &id("i", 14, 1), &id("i", 14, 3), &port("22"));
    b.verdict("unreachable").codes(&["ENI_SG_RULES_MISMATCH"]);
    assert_eq!(
        b.blocker("ENI_SG_RULES_MISMATCH", &id("sg", 14, 1), "forward")["direction"],
        "egress"
    );
    let d = reach(c, &id("i", 14, 2), &id("i", 14, 3), &port("443"));
    d.verdict("unreachable").codes(&["SG_HAS_NO_RULES"]);
    assert_eq!(
        d.blocker("SG_HAS_NO_RULES", &id("sg", 14, 2), "forward")["direction"],
        "egress"
    );
}

/// S5/S8: a group reference = the members' private IPs (primary and secondary), never their
/// public IPs (an IGW hairpin arrives from the public IP and does not match).
#[test]
fn s5_group_reference_members() {
    let c = "s5-group-reference-members";
    let db = id("sg", 15, 3);
    let a = reach(c, &id("i", 15, 1), &id("i", 15, 3), &port("5432"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "security-group", &db),
        &format!("{db} ingress tcp 5432 from {}", id("sg", 15, 2)),
    );
    // the secondary private IP is a member address too
    reach(c, "10.15.1.11", &id("i", 15, 3), &port("5432")).verdict("reachable");
    let b = reach(c, &id("i", 15, 2), &id("i", 15, 3), &port("5432"));
    b.verdict("unreachable").codes(&["ENI_SG_RULES_MISMATCH"]);
    b.blocker("ENI_SG_RULES_MISMATCH", &db, "forward");
    // member -> the db's public IP: out and back in through the IGW, source = member's public IP
    let h = reach(c, "10.15.1.10", "54.200.15.3", &port("5432"));
    h.verdict("unreachable");
    let bl = h
        .blocked()
        .into_iter()
        .find(|b| b["component"] == db.as_str())
        .unwrap_or_else(|| panic!("no blocker at {db}\n{}", h.dump()));
    assert!(
        ["ENI_SG_RULES_MISMATCH", "SG_REFERENCES_NOT_PRESERVED"]
            .contains(&bl["code"].as_str().unwrap_or("")),
        "{bl}"
    );
    assert!(
        bl["detail"].as_str().unwrap_or("").contains("54.200.15.1"),
        "SG sees the public IP: {bl}"
    );
}

/// S6: group references match across a same-Region peering.
#[test]
fn s6_sg_reference_over_peering() {
    let c = "s6-sg-reference-over-peering";
    let srv = id("sg", 16, 3);
    let a = reach(c, &id("i", 16, 1), &id("i", 16, 3), &port("22"));
    a.verdict("reachable");
    a.hop("forward", "vpc-peering-connection", &id("pcx", 16, 1));
    starts(
        a.hop("forward", "security-group", &srv),
        &format!("{srv} ingress tcp 22 from {}", id("sg", 16, 1)),
    );
    let b = reach(c, &id("i", 16, 2), &id("i", 16, 3), &port("22"));
    b.verdict("unreachable").codes(&["ENI_SG_RULES_MISMATCH"]);
}

/// S6: over a TGW, inbound references match only with SecurityGroupReferencingSupport on the
/// TGW and both attachments (VPC C's attachment has it disabled: SG_REFERENCING_SUPPORT).
#[test]
fn s6_sg_reference_over_tgw() {
    let c = "s6-sg-reference-over-tgw";
    let srv = id("sg", 17, 2);
    let a = reach(c, &id("i", 17, 1), &id("i", 17, 2), &port("22"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "security-group", &srv),
        &format!("{srv} ingress tcp 22 from {}", id("sg", 17, 1)),
    );
    let b = reach(c, &id("i", 17, 3), &id("i", 17, 2), &port("22"));
    b.verdict("unreachable").codes(&["SG_REFERENCING_SUPPORT"]);
    b.blocker("SG_REFERENCING_SUPPORT", &srv, "forward");
}

/// S7: a group of an account not in the snapshot matches nothing and is reported
/// (UNKNOWN_PEERED_SGS); a deleted group of a known account: STALE_SG_REFERENCE.
#[test]
fn s7_unknown_and_stale_groups() {
    let c = "s7-unknown-and-stale-groups";
    let srv = id("sg", 18, 2);
    let a = reach(c, &id("i", 18, 1), &id("i", 18, 2), &port("22"));
    a.verdict("unreachable")
        .codes(&["ENI_SG_RULES_MISMATCH"])
        .warning("UNKNOWN_PEERED_SGS");
    a.blocker("ENI_SG_RULES_MISMATCH", &srv, "forward");
    let b = reach(c, &id("i", 18, 1), &id("i", 18, 2), &port("23"));
    b.verdict("unreachable").warning("STALE_SG_REFERENCE");
    reach(c, &id("i", 18, 1), &id("i", 18, 2), &port("80")).verdict("reachable");
}

// ------------------------------------------------------------------------------------------
// §5 Gateways and edges
// ------------------------------------------------------------------------------------------

/// I1: IGW egress needs a public IP on the sender (1:1 NAT); RFC 1918 / RFC 6598 destinations drop.
#[test]
fn i1_igw_egress() {
    let c = "i1-i2-internet-gateway";
    let igw = id("igw", 19, 1);
    let a = reach(c, &id("i", 19, 1), "198.51.100.7", &port("443"));
    a.verdict("reachable");
    let h = a.hop("forward", "internet-gateway", &igw);
    assert!(
        h["detail"].as_str().unwrap_or("").contains("54.200.19.1"),
        "{h}"
    );
    let b = reach(c, &id("i", 19, 2), "198.51.100.7", &port("443"));
    b.verdict("unreachable")
        .codes(&["IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"]);
    b.blocker("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", &igw, "forward");
    reach(c, &id("i", 19, 1), "192.168.50.5", &port("443"))
        .verdict("unreachable")
        .codes(&["IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"]);
    reach(c, &id("i", 19, 1), "100.64.3.3", &port("443"))
        .verdict("unreachable")
        .codes(&["IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS"]);
}

/// I2: IGW ingress only to a public IP mapped to an ENI; RFC 1918 / 6598 sources drop.
#[test]
fn i2_igw_ingress() {
    let c = "i1-i2-internet-gateway";
    let igw = id("igw", 19, 1);
    let a = reach(c, "internet", &id("i", 19, 1), &port("443"));
    a.verdict("reachable");
    let h = a.hop("forward", "internet-gateway", &igw);
    assert!(
        h["detail"].as_str().unwrap_or("").contains("10.19.1.10"),
        "{h}"
    );
    let b = reach(c, "internet", &id("i", 19, 2), &port("443"));
    b.verdict("unreachable")
        .codes(&["IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"]);
    b.blocker("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", &igw, "forward");
    reach(c, "192.168.7.7", "54.200.19.1", &port("443"))
        .verdict("unreachable")
        .codes(&["IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS"]);
    reach(c, "100.64.7.7", "54.200.19.1", &port("443"))
        .verdict("unreachable")
        .codes(&["IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS"]);
}

/// I3: IPv6 through the IGW, no translation; DenyAllIgwTraffic blocks inbound.
#[test]
fn i3_igw_ipv6() {
    let c = "i3-internet-gateway-ipv6";
    let a = reach(c, "2606:4700::1", &id("i", 21, 1), &port("443"));
    a.verdict("reachable");
    a.hop("forward", "internet-gateway", &id("igw", 21, 1));
    starts(
        a.hop("forward", "network-acl", &id("acl", 21, 10)),
        "rule 101 allow all from ::/0",
    );
    let b = reach(c, "2606:4700::1", &id("i", 21, 2), &port("443"));
    b.verdict("unreachable");
    assert!(
        b.blocked()
            .iter()
            .any(|x| x["component"] == id("eni", 21, 2).as_str()),
        "{}",
        b.dump()
    );
}

/// E1: egress-only IGW — IPv6 flows initiated inside pass (and their replies); no unsolicited
/// inbound.
#[test]
fn e1_egress_only_igw_inbound_blocked() {
    let c = "e1-egress-only-igw";
    let b = reach(c, "2606:4700::1", &id("i", 22, 1), &port("22"));
    b.verdict("unreachable");
}

/// E1: the inside-initiated IPv6 flow and its reply pass the egress-only IGW.
#[test]
fn e1_egress_only_igw_outbound() {
    let c = "e1-egress-only-igw";
    let a = reach(c, &id("i", 22, 1), "2606:4700:4700::1111", &port("443"));
    a.verdict("reachable");
    a.hop(
        "forward",
        "egress-only-internet-gateway",
        &id("eigw", 22, 1),
    );
}

/// G1–G3 (+P2): NAT gateway SNATs to its private IP (then its EIP at the IGW); no unsolicited
/// inbound; TCP/UDP/ICMP only; not usable from a peered VPC.
#[test]
fn g_nat_gateway() {
    let c = "g-nat-gateway";
    let nat = id("nat", 23, 1);
    let a = reach(c, &id("i", 23, 1), "198.51.100.7", &port("443"));
    a.verdict("reachable");
    assert!(a.hop("forward", "nat-gateway", &nat)["detail"]
        .as_str()
        .unwrap_or("")
        .contains("10.1.1.100"));
    assert!(
        a.hop("forward", "internet-gateway", &id("igw", 23, 1))["detail"]
            .as_str()
            .unwrap_or("")
            .contains("54.200.23.100")
    );
    a.hop("return", "nat-gateway", &nat);
    let b = reach(c, "internet", "54.200.23.100", &port("443"));
    b.verdict("unreachable");
    b.blocker("NO_PATH", &nat, "forward");
    let p = reach(c, &id("i", 23, 1), "198.51.100.7", &["--protocol", "47"]);
    p.verdict("unreachable").codes(&["PROTOCOL_RESTRICTION"]);
    p.blocker("PROTOCOL_RESTRICTION", &nat, "forward");
    let q = reach(c, &id("i", 23, 2), "198.51.100.7", &port("443"));
    q.verdict("unreachable")
        .codes(&["PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"]);
}

/// P1/P2: peering must be active, routes on both sides, no transit, no edge-to-edge.
#[test]
fn p_vpc_peering() {
    let c = "p-vpc-peering";
    let ab = id("pcx", 24, 1);
    let a = reach(c, &id("i", 24, 1), &id("i", 24, 2), &port("22"));
    a.verdict("reachable");
    a.hop("forward", "vpc-peering-connection", &ab);
    a.hop("return", "vpc-peering-connection", &ab);
    let t = reach(c, &id("i", 24, 1), &id("i", 24, 4), &port("22"));
    t.verdict("unreachable")
        .codes(&["PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"]);
    t.blocker("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", &ab, "forward");
    let d = reach(c, &id("i", 24, 1), &id("i", 24, 5), &port("22"));
    d.verdict("unreachable").codes(&["BAD_STATE"]);
    d.blocker("BAD_STATE", &id("pcx", 24, 3), "forward");
    let e = reach(c, &id("i", 24, 1), "198.51.100.7", &port("443"));
    e.verdict("unreachable")
        .codes(&["PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"]);
    let r = reach(c, &id("i", 24, 1), &id("i", 24, 3), &port("22"));
    r.verdict("unreachable").codes(&["NO_ROUTE_TO_DESTINATION"]);
    r.blocker("NO_ROUTE_TO_DESTINATION", &id("rtb", 24, 4), "return");
}

/// T3/T5/T6: association, propagation, static beats propagated, blackhole, no route.
#[test]
fn t_tgw_routing() {
    let c = "t-tgw-routing";
    let rt = id("tgw-rtb", 25, 1);
    let a = reach(c, &id("i", 25, 1), &id("i", 25, 6), &port("22"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "transit-gateway-route-table", &rt),
        &format!("10.6.0.0/16 -> {}", id("tgw-attach", 25, 6)),
    );
    let b = reach(c, &id("i", 25, 1), &id("i", 25, 4), &port("22"));
    b.verdict("unreachable").codes(&["TGW_RTB_BAD_STATE_ROUTE"]);
    b.blocker("TGW_RTB_BAD_STATE_ROUTE", &rt, "forward");
    let n = reach(c, &id("i", 25, 1), &id("i", 25, 7), &port("22"));
    n.verdict("unreachable").codes(&["NO_ROUTE_TO_DESTINATION"]);
    n.blocker("NO_ROUTE_TO_DESTINATION", &rt, "forward");
    let u = reach(c, &id("i", 25, 3), &id("i", 25, 1), &port("22"));
    u.verdict("unreachable")
        .codes(&["TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"]);
    u.blocker(
        "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
        &id("tgw-attach", 25, 3),
        "forward",
    );
    let r = reach(c, &id("i", 25, 1), &id("i", 25, 3), &port("22"));
    r.verdict("unreachable")
        .codes(&["TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"]);
    r.blocker(
        "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
        &id("tgw-attach", 25, 3),
        "return",
    );
}

/// T2 + N9: the sender's AZ must hold an attachment subnet; TGW -> workload checks the
/// attachment subnet's NACL outbound.
#[test]
fn t2_tgw_az_and_nacls() {
    let c = "t2-tgw-az-and-nacls";
    let tacl = id("acl", 26, 3);
    let a = reach(c, &id("i", 26, 1), &id("i", 26, 3), &port("443"));
    a.verdict("reachable");
    let outb: Vec<&Value> = a
        .hops("forward")
        .into_iter()
        .filter(|h| h["component"] == tacl.as_str() && h["direction"] == "outbound")
        .collect();
    assert!(
        !outb.is_empty() && rule(outb[0]).starts_with("rule 100 allow tcp 443"),
        "{}",
        a.dump()
    );
    let b = reach(c, &id("i", 26, 1), &id("i", 26, 3), &port("22"));
    b.verdict("unreachable").codes(&["SUBNET_ACL_RESTRICTION"]);
    assert_eq!(
        b.blocker("SUBNET_ACL_RESTRICTION", &tacl, "forward")["direction"],
        "outbound"
    );
    let z = reach(c, &id("i", 26, 2), &id("i", 26, 3), &port("443"));
    z.verdict("unreachable")
        .codes(&["TGW_ROUTE_AZ_RESTRICTION"]);
    z.blocker(
        "TGW_ROUTE_AZ_RESTRICTION",
        &id("tgw-attach", 26, 1),
        "forward",
    );
}

/// T4: overlapping VPCs on one TGW — the later attachment (by CreationTime, not id or JSON
/// order) is not propagated (TGW_PROPAGATION_SUPPRESSED_OVERLAP).
#[test]
fn t4_tgw_overlap() {
    let c = "t4-tgw-overlap";
    let rt = id("tgw-rtb", 27, 1);
    let a = reach(c, &id("i", 27, 1), &id("i", 27, 3), &port("22"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "transit-gateway-route-table", &rt),
        &format!("10.20.0.0/16 -> {}", id("tgw-attach", 27, 3)),
    );
    let b = reach(c, &id("i", 27, 1), &id("i", 27, 2), &port("22"));
    b.verdict("unreachable")
        .codes(&["TGW_PROPAGATION_SUPPRESSED_OVERLAP"])
        .warning("TGW_PROPAGATION_SUPPRESSED_OVERLAP");
}

/// V1: gateway endpoint via the prefix-list route (beats 0.0.0.0/0 -> IGW by LPM), only from
/// tables in RouteTableIds, TCP and ICMP echo only.
#[test]
fn v1_gateway_endpoint() {
    let c = "v1-gateway-endpoint";
    let vpce = id("vpce", 28, 1);
    let a = reach(c, &id("i", 28, 1), "52.216.10.20", &port("443"));
    a.verdict("reachable");
    starts(
        a.hop("forward", "route-table", &id("rtb", 28, 2)),
        &format!("pl-63a5400a -> {vpce}"),
    );
    a.hop("forward", "vpc-endpoint", &vpce);
    let u = reach(
        c,
        &id("i", 28, 1),
        "52.216.10.20",
        &["--protocol", "udp", "--port", "53"],
    );
    u.verdict("unreachable")
        .codes(&["VPCE_GATEWAY_PROTOCOL_RESTRICTION"]);
    u.blocker("VPCE_GATEWAY_PROTOCOL_RESTRICTION", &vpce, "forward");
    reach(c, &id("i", 28, 2), "52.216.10.20", &port("443"))
        .verdict("unreachable")
        .codes(&["NO_ROUTE_TO_DESTINATION"]);
    let p = reach(c, &id("i", 28, 3), "52.216.10.20", &port("443"));
    p.verdict("reachable")
        .no_hop_kind("forward", "internet-gateway");
    starts(
        p.hop("forward", "route-table", &id("rtb", 28, 4)),
        &format!("pl-63a5400a -> {vpce}"),
    );
}

/// V1: ICMP other than echo is refused by a gateway endpoint.
#[test]
fn v1_gateway_endpoint_icmp_echo_only() {
    let c = "v1-gateway-endpoint";
    let a = reach(c, &id("i", 28, 1), "52.216.10.20", &["--protocol", "icmp"]);
    a.verdict("partial");
    a.blocker(
        "VPCE_GATEWAY_PROTOCOL_RESTRICTION",
        &id("vpce", 28, 1),
        "forward",
    );
    // ping (type 8) is carried, with its echo reply; other types (0, 3) are not
    let icmp = |t: &'static str| ["--protocol", "icmp", "--port", t];
    reach(c, &id("i", 28, 1), "52.216.10.20", &icmp("8")).verdict("reachable");
    for t in ["0", "3"] {
        let u = reach(c, &id("i", 28, 1), "52.216.10.20", &icmp(t));
        u.verdict("unreachable")
            .codes(&["VPCE_GATEWAY_PROTOCOL_RESTRICTION"]);
    }
}

/// V2: interface endpoint = ENI with the endpoint's groups; reachable over peering; cannot
/// initiate into its own VPC.
#[test]
fn v2_interface_endpoint() {
    let c = "v2-interface-endpoint";
    let vpce = id("vpce", 29, 1);
    let a = reach(c, &id("i", 29, 1), &vpce, &port("443"));
    a.verdict("reachable");
    a.hop("forward", "network-interface", &id("eni", 29, 100));
    let b = reach(c, &id("i", 29, 1), &vpce, &port("22"));
    b.verdict("unreachable").codes(&["ENI_SG_RULES_MISMATCH"]);
    b.blocker("ENI_SG_RULES_MISMATCH", &id("sg", 29, 2), "forward");
    let p = reach(c, &id("i", 29, 2), &vpce, &port("443"));
    p.verdict("reachable");
    p.hop("forward", "vpc-peering-connection", &id("pcx", 29, 1));
    let x = reach(c, &vpce, &id("i", 29, 1), &port("443"));
    x.verdict("unreachable").codes(&["VPCE_INTRA_VPC_TRAFFIC"]);
    x.blocker("VPCE_INTRA_VPC_TRAFFIC", &vpce, "forward");
}

/// V4 + C1: a serverless cache is an interface endpoint: ENIs in its subnets, its security
/// groups, ports 6379 and 6380.
#[test]
fn v4_serverless_cache() {
    let c = "v4-serverless-cache";
    let a = reach(c, &id("i", 30, 1), "sessions", &[]);
    a.verdict("reachable").npaths(2);
    assert!(
        a.v["question"]["ports"]
            .as_str()
            .unwrap_or("")
            .starts_with("6379,6380"),
        "{}",
        a.dump()
    );
    let b = reach(c, &id("i", 30, 2), "sessions", &[]);
    b.verdict("unreachable").codes(&["ENI_SG_RULES_MISMATCH"]);
    b.blocker("ENI_SG_RULES_MISMATCH", &id("sg", 30, 3), "forward");
}

/// C4 + C1: a cache node never has a public IPv4: no IGW path reaches it whatever its SG says
/// (0.0.0.0/0 on its port); the node's own port (6390) is the default question port.
#[test]
fn c4_cache_never_public() {
    let c = "c4-cache-never-public";
    let a = reach(c, "internet", "orders-cache", &[]);
    a.verdict("unreachable")
        .codes(&["IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"]);
    a.blocker(
        "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
        &id("igw", 31, 1),
        "forward",
    );
    assert!(a.v["question"]["ports"]
        .as_str()
        .unwrap_or("")
        .starts_with("6390"));
    reach(c, &id("i", 31, 1), "orders-cache", &[]).verdict("reachable");
}

/// §1.3 / S5: a security-group rule naming a prefix list the snapshot has no entries for matches
/// nothing, and the answer says so (UNRESOLVED_PREFIX_LIST), never silently.
#[test]
fn s5_unresolved_prefix_list_matches_nothing_and_is_reported() {
    reach(
        "s-unresolved-prefix-list",
        "10.32.1.10",
        "10.32.1.20",
        &port("443"),
    )
    .verdict("unreachable")
    .codes(&["ENI_SG_RULES_MISMATCH"])
    .warning("UNRESOLVED_PREFIX_LIST");
}

// ------------------------------------------------------------------------------------------
// N6 / S4: ICMP types, and the reply's type on the return leg
// ------------------------------------------------------------------------------------------

#[test]
fn n6_icmp_types_and_replies() {
    let c = "n6-icmp-types";
    let icmp = |p: &'static str| -> Vec<&'static str> {
        let mut v = vec!["--protocol", "icmp"];
        if !p.is_empty() {
            v.extend(["--port", p]);
        }
        v
    };
    let client = id("i", 36, 1);
    // ping done right: SG icmp 8/-1 in; NACL type 8 in, type 0 (echo reply) out
    let a = reach(c, &client, &id("i", 36, 2), &icmp("8"));
    a.verdict("reachable").codes(&[]);
    assert_eq!(a.v["question"]["ports"], "type 8", "{}", a.dump());
    // ICMP has no ports: no ephemeral range is assumed
    assert!(!a.dump().contains("ephemeral ports"), "{}", a.dump());
    starts(
        a.hop("forward", "network-acl", &id("acl", 36, 2)),
        "rule 100 allow icmp type 8",
    );
    starts(
        a.hop("return", "network-acl", &id("acl", 36, 2)),
        "rule 100 allow icmp type 0",
    );
    // the NACL lets type 8 out, not the echo replies (type 0): they hit the final deny
    let b = reach(c, &client, &id("i", 36, 3), &icmp("8"));
    b.verdict("unreachable").codes(&["SUBNET_ACL_RESTRICTION"]);
    let bl = b.blocker("SUBNET_ACL_RESTRICTION", &id("acl", 36, 3), "return");
    assert_eq!(bl["direction"], "outbound");
    assert_eq!(b.blocked().len(), 1, "{}", b.dump());
    // type 3 (destination unreachable) has no reply: delivered = complete, no return leg
    let u = reach(c, &client, &id("i", 36, 2), &icmp("3"));
    u.verdict("reachable")
        .npaths(1)
        .assumption("ICMP type 3 has no reply");
    assert!(u.hops("return").is_empty(), "{}", u.dump());
    // an SG that admits only type 8: an echo reply (type 0) sent as a request is stopped
    reach(c, &client, &id("i", 36, 4), &icmp("8")).verdict("reachable");
    let z = reach(c, &client, &id("i", 36, 4), &icmp("0"));
    z.verdict("unreachable").codes(&["ENI_SG_RULES_MISMATCH"]);
    let sg = z.blocker("ENI_SG_RULES_MISMATCH", &id("sg", 36, 3), "forward");
    assert_eq!(sg["direction"], "ingress");
    // every type: 8 (with its reply) and 3 (one way) complete, the others are stopped inbound
    let all = reach(c, &client, &id("i", 36, 2), &icmp(""));
    all.verdict("partial")
        .codes(&["SUBNET_ACL_RESTRICTION", "ENI_SG_RULES_MISMATCH"])
        .assumption("ICMP type 3 has no reply");
    assert_eq!(all.v["question"]["ports"], "all types");
    assert_eq!(all.v["passing"]["ports"], "types 3, 8", "{}", all.dump());
    let ib = all.blocker("SUBNET_ACL_RESTRICTION", &id("acl", 36, 2), "forward");
    assert_eq!(ib["direction"], "inbound");
    // a type range; an out-of-range type is refused
    let r = reach(c, &client, &id("i", 36, 2), &icmp("0-8"));
    r.verdict("partial");
    assert_eq!(r.v["question"]["ports"], "types 0-8");
    assert_eq!(r.v["passing"]["ports"], "types 3, 8", "{}", r.dump());
}
