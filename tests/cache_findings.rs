//! Cache findings of `audit` (issue 11, semantics C5–C10) through the library entry point
//! `vpcreach::analysis::cache_checks::cache_findings`, on the fixtures `fixtures/rules/c5-…` to
//! `c10-…` (cases 91–96 of `fixtures/rules/generate.py`, described in `fixtures/rules/README.md`).
//! Every expected list is derived by hand from the fixture's setup and docs/semantics.md; the
//! derivation is in each test's comment. Every fixture VPC has the generator's defaults: main
//! route table `rtb 10` (local routes only), default NACL `acl 10` (100 allow all, `*` deny, both
//! ways), default group `sg 10` named `default`.

use std::path::Path;
use vpcreach::analysis::cache_checks::cache_findings;
use vpcreach::catalogue::Code;
use vpcreach::engine::Engine;
use vpcreach::findings::audit::AuditFinding;
use vpcreach::model::Topology;

/// The generator's id: case 91, instance 1 → `i-91000000000000001` (n in hex: 10 → `…a`).
fn id(prefix: &str, case: u32, n: u64) -> String {
    format!("{prefix}-{case:02}{n:015x}")
}

fn topology(case: &str) -> Topology {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules")
        .join(case);
    vpcreach::model::build(vpcreach::snapshot::load(&dir).expect("fixture loads"))
}

/// The findings for one cache, as (code, component) pairs in the entry point's order, and the
/// findings themselves.
fn findings(t: &Topology, cache: &str, relays: &[String]) -> Vec<AuditFinding> {
    let engine = Engine::new(t);
    cache_findings(t, &engine, cache, relays)
}

fn pairs(f: &[AuditFinding]) -> Vec<(Code, String)> {
    let mut v: Vec<(Code, String)> = f.iter().map(|f| (f.code, f.component.clone())).collect();
    v.sort();
    v
}

fn pair(code: Code, component: &str) -> (Code, String) {
    (code, component.to_string())
}

/// c5-cache-relay-access (case 91), C5. Relay i1 (haproxy, public subnet, 54.200.91.10) is the
/// only outside way in. Every cache sits in subnet 2 (main table: local only, default NACL) with
/// group sg 2, which admits tcp 6379-6380 and 11211-11212 from the relay's group sg 1 only — so
/// no world-open rule, no default group, no public subnet, no shadowed entry, and the relay's
/// requests and replies pass the default NACLs: only the C5 findings remain.
/// - plain-redis (replication group): TransitEncryptionEnabled false, AuthTokenEnabled false,
///   no UserGroupIds → plaintext AND no authentication;
/// - preferred-redis: TLS on with TransitEncryptionMode preferred (plaintext still accepted), AUTH
///   token on → plaintext only;
/// - rbac-redis: TLS required, user group app-users → nothing;
/// - memcache (Memcached cluster, TLS on, no mode): TLS only, but Memcached has no AUTH → no auth;
/// - token-redis (standalone cluster): TLS on (no mode written: TLS only), AUTH token → nothing;
/// - open-valkey (serverless: always TLS) without UserGroupId → no auth;
/// - rbac-valkey (serverless) with a user group → nothing.
#[test]
fn c5_relay_reached_caches_without_tls_or_auth() {
    let t = topology("c5-cache-relay-access");
    let relay = vec![id("i", 91, 1)];
    let expect: [(&str, Vec<Code>); 7] = [
        (
            "plain-redis",
            vec![Code::CACHE_NO_AUTH, Code::CACHE_NO_TRANSIT_ENCRYPTION],
        ),
        ("preferred-redis", vec![Code::CACHE_NO_TRANSIT_ENCRYPTION]),
        ("rbac-redis", vec![]),
        ("memcache", vec![Code::CACHE_NO_AUTH]),
        ("token-redis", vec![]),
        ("open-valkey", vec![Code::CACHE_NO_AUTH]),
        ("rbac-valkey", vec![]),
    ];
    for (cache, codes) in expect {
        let got = findings(&t, cache, &relay);
        let mut want: Vec<(Code, String)> = codes.iter().map(|c| pair(*c, cache)).collect();
        want.sort();
        assert_eq!(pairs(&got), want, "{cache}: {got:#?}");
        for f in &got {
            assert_eq!(f.cache.as_deref(), Some(cache));
            assert!(f.detail.contains(&relay[0]), "{}", f.detail);
            assert!(!f.fix.is_empty());
        }
        // Without a relay these findings are not about any traffic: none.
        assert_eq!(findings(&t, cache, &[]), vec![], "{cache} without relays");
    }
    let plain = findings(&t, "plain-redis", &relay);
    let tls = plain
        .iter()
        .find(|f| f.code == Code::CACHE_NO_TRANSIT_ENCRYPTION)
        .expect("plaintext");
    assert!(
        tls.detail.contains("TransitEncryptionEnabled false"),
        "{}",
        tls.detail
    );
    assert_eq!(tls.severity, vpcreach::catalogue::Severity::Warning);
    let auth = plain
        .iter()
        .find(|f| f.code == Code::CACHE_NO_AUTH)
        .expect("no auth");
    // AUTH and user groups need TLS, which is off too: the detail says so.
    assert!(
        auth.detail.contains("in-transit encryption"),
        "{}",
        auth.detail
    );
    assert_eq!(auth.severity, vpcreach::catalogue::Severity::Error);
    let preferred = findings(&t, "preferred-redis", &relay);
    assert!(
        preferred[0]
            .detail
            .contains("TransitEncryptionMode preferred"),
        "{}",
        preferred[0].detail
    );
    let memcache = findings(&t, "memcache", &relay);
    assert!(
        memcache[0].detail.contains("Memcached"),
        "{}",
        memcache[0].detail
    );
    // A name the snapshot does not have: nothing to say.
    assert_eq!(findings(&t, "no-such-cache", &relay), vec![]);
}

/// c6-cache-world-open-port (case 92), C6. Cache orders (port 6379) has sg 1 and sg 2:
/// - sg 1: tcp 6379 from 0.0.0.0/0 → open; tcp 22 from 0.0.0.0/0 → not a cache port; udp 6379
///   from 0.0.0.0/0 → not TCP; tcp 6379 from 10.0.0.0/8 → not everyone;
/// - sg 2: all traffic from ::/0 → open (covers 6379); tcp 6379 from prefix list pl 1
///   ("everyone" = {0.0.0.0/0}) → open; tcp 6379 from pl 2 ({203.0.113.0/24}) → not everyone.
///
/// Three findings: sg 1 once, sg 2 twice. Subnet 1 is private (main table), default NACL, no
/// default group; the reply check asks from the VPC's own block (for the open rules) and from
/// 10.0.0.0/8: the only senders inside are unheld addresses of the cache's own subnet (same
/// subnet: no ACL), the outside part is stopped on the way in → no reply finding.
#[test]
fn c6_world_open_cache_ports() {
    let t = topology("c6-cache-world-open-port");
    let (sg1, sg2) = (id("sg", 92, 1), id("sg", 92, 2));
    let got = findings(&t, "orders", &[]);
    assert_eq!(
        pairs(&got),
        vec![
            pair(Code::CACHE_WORLD_OPEN_PORT, &sg1),
            pair(Code::CACHE_WORLD_OPEN_PORT, &sg2),
            pair(Code::CACHE_WORLD_OPEN_PORT, &sg2),
        ],
        "{got:#?}"
    );
    let details: Vec<&str> = got.iter().map(|f| f.detail.as_str()).collect();
    let has = |sg: &str, open: &str| {
        details
            .iter()
            .any(|d| d.starts_with(&format!("{sg} ")) && d.contains(&format!("from {open} ")))
    };
    assert!(has(&sg1, "0.0.0.0/0"), "{details:#?}");
    assert!(has(&sg2, "::/0"), "{details:#?}");
    assert!(
        has(
            &sg2,
            &format!("prefix list {} (contains 0.0.0.0/0)", id("pl", 92, 1))
        ),
        "{details:#?}"
    );
    assert!(got.iter().all(|f| f.detail.contains("port 6379")));
    assert_eq!(got[0].name.as_deref(), Some("open-redis"));
}

/// c7-cache-default-security-group (case 93), C7. legacy's only group is sg 10, the VPC's group
/// named `default` → one finding on sg 10; its members are legacy's node interface (eni 100)
/// and instance i1's (eni 1): 2. tidy uses sg 1 (tidy-cache) → nothing. Both caches are in
/// subnet 1 (main table, default NACL), their groups admit only group members (sg 10), which
/// sit in the same subnet (no ACL on the way): no other finding.
#[test]
fn c7_default_security_group() {
    let t = topology("c7-cache-default-security-group");
    let default = id("sg", 93, 10);
    let got = findings(&t, "legacy", &[]);
    assert_eq!(
        pairs(&got),
        vec![pair(Code::CACHE_DEFAULT_SECURITY_GROUP, &default)],
        "{got:#?}"
    );
    assert!(
        got[0].detail.contains("(2 in the snapshot)"),
        "{}",
        got[0].detail
    );
    assert!(
        got[0].detail.contains(&id("vpc", 93, 1)),
        "{}",
        got[0].detail
    );
    assert_eq!(findings(&t, "tidy", &[]), vec![]);
}

/// c8-cache-public-subnet (case 94), C8.
/// - sessions (replication group): node sessions-001 in subnet 1 (rtb 2: 0.0.0.0/0 → igw 1) and
///   sessions-002 in subnet 3 (rtb 4: 0.0.0.0/0 → nat 1) → subnet 1 only;
/// - v6-cache in subnet 2 (rtb 3: ::/0 → igw 1) → subnet 2;
/// - stale-cache in subnet 4 (rtb 5: 0.0.0.0/0 → igw 9, blackhole) → nothing: the route is not
///   active.
///
/// The group admits 6379 from the VPC block; every subnet has the default NACL → no reply
/// finding; no open rule, no default group.
#[test]
fn c8_public_subnets() {
    let t = topology("c8-cache-public-subnet");
    let igw = id("igw", 94, 1);
    let got = findings(&t, "sessions", &[]);
    assert_eq!(
        pairs(&got),
        vec![pair(Code::CACHE_PUBLIC_SUBNET, &id("subnet", 94, 1))],
        "{got:#?}"
    );
    assert!(
        got[0].detail.contains(&format!("0.0.0.0/0 → {igw}")),
        "{}",
        got[0].detail
    );
    assert!(
        got[0].detail.contains(&id("rtb", 94, 2)),
        "{}",
        got[0].detail
    );
    assert_eq!(got[0].severity, vpcreach::catalogue::Severity::Note);
    let v6 = findings(&t, "v6-cache", &[]);
    assert_eq!(
        pairs(&v6),
        vec![pair(Code::CACHE_PUBLIC_SUBNET, &id("subnet", 94, 2))],
        "{v6:#?}"
    );
    assert!(
        v6[0].detail.contains(&format!("::/0 → {igw}")),
        "{}",
        v6[0].detail
    );
    assert_eq!(findings(&t, "stale-cache", &[]), vec![]);
}

/// c9-cache-reply-blocked (case 95), C9 and N8. Cache reports (10.95.3.100, subnet 3, acl 2);
/// its group sg 2 admits tcp 6379 from group sg 1 (i1 10.95.1.10 in subnet 1, i2 10.95.2.10 in
/// subnet 2; both default NACL) and from 10.95.4.0/24 (subnet 4, acl 3: i4 10.95.4.10 and the
/// unheld addresses). Linux clients use ports 32768-61000, unheld hosts 1024-65535.
/// - i1: in through acl 2 rule 100 (6379 from 10.95.0.0/16); reply out through acl 2 rule 100
///   (32768-65535 to 10.95.1.0/24) → completes, nothing;
/// - i2: request passes the same way; the reply to 10.95.2.10 matches neither acl 2 out 100
///   (10.95.1.0/24) nor 110 (10.95.4.0/24): `*` deny → acl 2 outbound;
/// - subnet 4 senders: out through acl 3 rule 100, in through acl 2 rule 100, admitted by the
///   CIDR rule; reply out through acl 2 rule 110 (1024-65535 to 10.95.4.0/24), then into subnet
///   4 where acl 3 in 100 allows only 1024-32767 → ports 32768 and up meet `*` → acl 3 inbound.
///
/// Two findings, no other (private subnets, no open rule, no default group, no shadowed entry).
#[test]
fn c9_replies_blocked_by_nacls() {
    let t = topology("c9-cache-reply-blocked");
    let (acl2, acl3) = (id("acl", 95, 2), id("acl", 95, 3));
    let got = findings(&t, "reports", &[]);
    assert_eq!(
        pairs(&got),
        vec![
            pair(Code::CACHE_REPLY_BLOCKED, &acl2),
            pair(Code::CACHE_REPLY_BLOCKED, &acl3),
        ],
        "{got:#?}"
    );
    let on = |acl: &str| got.iter().find(|f| f.component == acl).expect("finding");
    let out = on(&acl2);
    assert!(out.detail.contains("(outbound)"), "{}", out.detail);
    assert!(out.detail.contains("10.95.2.10"), "{}", out.detail);
    assert!(!out.detail.contains("10.95.1.10"), "{}", out.detail);
    assert!(out.detail.contains(&id("sg", 95, 1)), "{}", out.detail);
    let inb = on(&acl3);
    assert!(inb.detail.contains("(inbound)"), "{}", inb.detail);
    assert!(inb.detail.contains("10.95.4.10"), "{}", inb.detail);
    assert!(inb.detail.contains("10.95.4.0/24"), "{}", inb.detail);
    assert!(got.iter().all(|f| !f.fix.is_empty()));
}

/// c10-cache-nacl-shadowed (case 96), C10 and N2. acl 2 of the cache's subnet 1:
/// - inbound 110 deny tcp 6379 from 10.96.5.0/24: rule 100 (allow tcp 6379 from 10.96.0.0/16)
///   matches all of it first → shadowed; 120 deny tcp 6379-6380 from 10.96.5.0/24: 6380 is not
///   matched by 100 → can match, not reported; `*` is never reported;
/// - outbound 200 deny tcp 1024-65535 to 10.96.9.0/24: rule 100 (allow all to 0.0.0.0/0) → shadowed.
///
/// The group admits 6379 from 10.96.0.0/16, whose only senders are unheld addresses of subnet 1
/// (the cache's own subnet: no ACL) → no reply finding.
#[test]
fn c10_shadowed_entries_of_cache_subnets() {
    let t = topology("c10-cache-nacl-shadowed");
    let acl = id("acl", 96, 2);
    let got = findings(&t, "inventory", &[]);
    assert_eq!(
        pairs(&got),
        vec![
            pair(Code::NACL_RULE_SHADOWED, &acl),
            pair(Code::NACL_RULE_SHADOWED, &acl),
        ],
        "{got:#?}"
    );
    let mut details: Vec<&str> = got.iter().map(|f| f.detail.as_str()).collect();
    details.sort();
    let subnet = id("subnet", 96, 1);
    assert_eq!(
        details,
        vec![
            format!("in {acl} (inbound), the network ACL of cache inventory's subnet {subnet}, rule 110 deny tcp 6379 from 10.96.5.0/24 never matches: rule 100 allow tcp 6379 from 10.96.0.0/16 decides all its traffic first"),
            format!("in {acl} (outbound), the network ACL of cache inventory's subnet {subnet}, rule 200 deny tcp 1024-65535 to 10.96.9.0/24 never matches: rule 100 allow all to 0.0.0.0/0 decides all its traffic first"),
        ]
    );
    assert!(got.iter().any(|f| f.fix
        == format!(
            "in {acl}, renumber rule 110 below 100 if it should decide first, or delete it"
        )));
}
