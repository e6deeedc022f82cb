//! Cache findings of `audit` (semantics C5–C10): what a cache's own settings, security groups,
//! subnets and network ACLs say about who can use it, one check per file:
//!
//! * `encryption` — `CACHE_NO_TRANSIT_ENCRYPTION`: a relay-reachable cache accepting plaintext;
//! * `auth` — `CACHE_NO_AUTH`: a relay-reachable cache without AUTH token or user group;
//! * `world_open` — `CACHE_WORLD_OPEN_PORT`: a cache group admitting `0.0.0.0/0` or `::/0`;
//! * `default_group` — `CACHE_DEFAULT_SECURITY_GROUP`: the VPC's default group on the cache;
//! * `public_subnet` — `CACHE_PUBLIC_SUBNET`: a cache subnet routed to an internet gateway;
//! * `reply_blocked` — `CACHE_REPLY_BLOCKED`: a group-admitted request whose reply an ACL drops
//!   (asked of the engine);
//! * `shadowed_rules` — `NACL_RULE_SHADOWED`: ACL entries of the cache subnets that never match
//!   (the engine's own detection).
//!
//! [`cache_findings`] locates the cache once ([`CacheFacts`]) and runs every check.

mod auth;
mod default_group;
mod encryption;
mod public_subnet;
mod reply_blocked;
mod shadowed_rules;

pub(crate) use shadowed_rules::dead_entries;
mod world_open;

use crate::engine::Engine;
use crate::findings::audit::AuditFinding;
use crate::model::*;

/// Which of the three kinds of cache the id named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheKind {
    /// A Valkey / Redis OSS replication group.
    ReplicationGroup,
    /// A node-based cache cluster (standalone, or named directly).
    CacheCluster,
    /// A serverless cache.
    Serverless,
}

/// What the checks need to know about one cache, gathered from the model.
#[derive(Clone, Debug)]
pub struct CacheFacts {
    /// The id as given (replication-group id, cache-cluster id or serverless cache name).
    pub id: String,
    pub kind: CacheKind,
    /// `redis`, `valkey` or `memcached`.
    pub engine: String,
    /// The ports clients use (C1).
    pub ports: Vec<u16>,
    /// The cache's security groups, in their listed order, without repeats.
    pub security_groups: Vec<SecurityGroupIdx>,
    /// The subnets the cache's nodes (or serverless endpoints) are in; a node without a known
    /// subnet adds nothing. Without any node, the subnets of its cache subnet group.
    pub subnets: Vec<SubnetIdx>,
    /// `TransitEncryptionEnabled` (always true for serverless caches).
    pub transit_encryption: bool,
    /// `TransitEncryptionMode`, when the snapshot gives it.
    pub transit_encryption_mode: Option<String>,
    /// `AuthTokenEnabled` (node-based Valkey / Redis OSS only).
    pub auth_token: bool,
    /// `UserGroupIds` of a replication group, `UserGroupId` of a serverless cache.
    pub user_groups: Vec<String>,
}

impl CacheFacts {
    /// Memcached, which has no AUTH and no user groups in ElastiCache.
    pub fn is_memcached(&self) -> bool {
        self.engine.eq_ignore_ascii_case("memcached")
    }
}

/// Push `x` unless present.
fn push_new<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// The groups and subnets of node-based clusters (their nodes' subnets; the subnet group's when
/// no node has one).
fn cluster_places(t: &Topology, clusters: &[&CacheCluster], facts: &mut CacheFacts) {
    for c in clusters {
        for g in c.security_groups.iter().filter_map(|g| g.idx) {
            push_new(&mut facts.security_groups, g);
        }
        for s in c.nodes.iter().filter_map(|n| n.subnet) {
            push_new(&mut facts.subnets, s);
        }
    }
    if facts.subnets.is_empty() {
        for c in clusters {
            let group = c.subnet_group.as_ref().and_then(|g| g.idx);
            for (s, _) in group
                .map(|g| &t.cache_subnet_groups[g.i()].subnets[..])
                .unwrap_or(&[])
            {
                if let Some(s) = s.idx {
                    push_new(&mut facts.subnets, s);
                }
            }
        }
    }
}

/// The cache named `cache_id`: a replication group, else a cache cluster, else a serverless
/// cache (the order `audit` lists them in); `None` when the snapshot has none of that name.
pub fn locate(t: &Topology, cache_id: &str) -> Option<CacheFacts> {
    if let Some(rg) = t.replication_groups.iter().find(|r| r.id == cache_id) {
        let clusters: Vec<&CacheCluster> = rg
            .members
            .iter()
            .filter_map(|m| m.idx)
            .map(|m| &t.cache_clusters[m.i()])
            .collect();
        let mut facts = CacheFacts {
            id: rg.id.clone(),
            kind: CacheKind::ReplicationGroup,
            engine: rg.engine.clone(),
            ports: rg.ports.clone(),
            security_groups: Vec::new(),
            subnets: Vec::new(),
            transit_encryption: rg.transit_encryption,
            transit_encryption_mode: rg.transit_encryption_mode.clone(),
            auth_token: rg.auth_token,
            user_groups: rg.user_group_ids.clone(),
        };
        cluster_places(t, &clusters, &mut facts);
        return Some(facts);
    }
    if let Some(c) = t.cache_clusters.iter().find(|c| c.id == cache_id) {
        let mut facts = CacheFacts {
            id: c.id.clone(),
            kind: CacheKind::CacheCluster,
            engine: c.engine.clone(),
            ports: c.ports.clone(),
            security_groups: Vec::new(),
            subnets: Vec::new(),
            transit_encryption: c.transit_encryption,
            transit_encryption_mode: c.transit_encryption_mode.clone(),
            auth_token: c.auth_token,
            user_groups: Vec::new(),
        };
        cluster_places(t, &[c], &mut facts);
        return Some(facts);
    }
    let s = t.serverless_caches.iter().find(|s| s.name == cache_id)?;
    let mut facts = CacheFacts {
        id: s.name.clone(),
        kind: CacheKind::Serverless,
        engine: s.engine.clone(),
        ports: s.ports.clone(),
        security_groups: Vec::new(),
        subnets: Vec::new(),
        transit_encryption: true,
        transit_encryption_mode: None,
        auth_token: false,
        user_groups: s.user_group_id.iter().cloned().collect(),
    };
    for g in s.security_groups.iter().filter_map(|g| g.idx) {
        push_new(&mut facts.security_groups, g);
    }
    for e in &s.network_interfaces {
        if let Some(sub) = t.network_interfaces[e.i()].subnet.idx {
            push_new(&mut facts.subnets, sub);
        }
    }
    if facts.subnets.is_empty() {
        for sub in s.subnets.iter().filter_map(|r| r.idx) {
            push_new(&mut facts.subnets, sub);
        }
    }
    Some(facts)
}

/// Every cache finding for the cache `cache_id` (a replication-group id, a cache-cluster id or
/// a serverless cache name), reached from outside through the relay hosts `relayed_by`
/// (instance ids; empty when no outside source reaches it through a relay). Sorted; empty when
/// the snapshot has no such cache.
pub fn cache_findings(
    t: &Topology,
    engine: &Engine<'_>,
    cache_id: &str,
    relayed_by: &[String],
) -> Vec<AuditFinding> {
    let Some(cache) = locate(t, cache_id) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    out.extend(encryption::check(&cache, relayed_by));
    out.extend(auth::check(&cache, relayed_by));
    out.extend(world_open::check(t, &cache));
    out.extend(default_group::check(t, &cache));
    out.extend(public_subnet::check(t, &cache));
    out.extend(reply_blocked::check(t, engine, &cache));
    out.extend(shadowed_rules::check(t, &cache));
    out.sort();
    out.dedup();
    out
}

/// `i-1` / `i-1 and i-2` / `i-1, i-2 and i-3`.
pub(crate) fn words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `6379` / `6379, 6380`.
pub(crate) fn port_list(ports: &[u16]) -> String {
    ports
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A rules fixture's topology, for the checks' unit tests.
#[cfg(test)]
pub(super) fn fixture(case: &str) -> Topology {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules")
        .join(case);
    crate::model::build(crate::snapshot::load(&dir).expect("fixture loads"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// c8-cache-public-subnet (case 94): replication group `sessions` has members sessions-001
    /// (subnet 1) and sessions-002 (subnet 3), both in sg 1, port 6379 from its endpoints; the
    /// standalone `v6-cache` is in subnet 2. The group's fields come from the replication
    /// group (TLS off there), the places from its members.
    #[test]
    fn locate_reads_groups_and_places_of_members() {
        let t = fixture("c8-cache-public-subnet");
        let rg = locate(&t, "sessions").expect("sessions");
        assert_eq!(rg.kind, CacheKind::ReplicationGroup);
        assert_eq!(rg.ports, vec![6379]);
        let ids = |v: &[SubnetIdx]| -> Vec<String> {
            v.iter().map(|s| t.subnets[s.i()].id.clone()).collect()
        };
        assert_eq!(
            ids(&rg.subnets),
            vec!["subnet-94000000000000001", "subnet-94000000000000003"]
        );
        let groups: Vec<&str> = rg
            .security_groups
            .iter()
            .map(|g| t.security_groups[g.i()].id.as_str())
            .collect();
        assert_eq!(groups, vec!["sg-94000000000000001"]);
        assert!(!rg.transit_encryption && !rg.auth_token);
        let c = locate(&t, "v6-cache").expect("cluster");
        assert_eq!(c.kind, CacheKind::CacheCluster);
        assert_eq!(ids(&c.subnets), vec!["subnet-94000000000000002"]);
        assert!(locate(&t, "nothing").is_none());
    }

    /// c5-cache-relay-access (case 91): serverless `open-valkey` has one endpoint interface in
    /// subnet 2, ports 6379 (endpoint) and 6380 (reader), always TLS, no user group.
    #[test]
    fn locate_serverless() {
        let t = fixture("c5-cache-relay-access");
        let s = locate(&t, "open-valkey").expect("serverless");
        assert_eq!(s.kind, CacheKind::Serverless);
        assert_eq!(s.ports, vec![6379, 6380]);
        assert!(s.transit_encryption && s.user_groups.is_empty());
        assert_eq!(s.subnets.len(), 1);
        assert_eq!(t.subnets[s.subnets[0].i()].id, "subnet-91000000000000002");
        let r = locate(&t, "rbac-valkey").expect("serverless");
        assert_eq!(r.user_groups, vec!["app-users".to_string()]);
    }

    #[test]
    fn words_join_like_prose() {
        assert_eq!(words(&[]), "");
        assert_eq!(words(&["i-1".into()]), "i-1");
        assert_eq!(words(&["i-1".into(), "i-2".into()]), "i-1 and i-2");
        assert_eq!(
            words(&["i-1".into(), "i-2".into(), "i-3".into()]),
            "i-1, i-2 and i-3"
        );
        assert_eq!(port_list(&[6379, 6380]), "6379, 6380");
    }
}
