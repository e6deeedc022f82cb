//! `CACHE_NO_AUTH` (semantics C5): a cache that outside clients reach through a relay and that
//! authenticates nobody. Valkey / Redis OSS: node-based caches authenticate with an AUTH token
//! (`AuthTokenEnabled`) or RBAC user groups (`UserGroupIds`, replication groups only), both of
//! which need in-transit encryption; serverless caches only with a user group (`UserGroupId`).
//! ElastiCache offers neither for Memcached, so a relay-reached Memcached cache is always
//! reported. Without relays nothing is reported.

use super::{words, CacheFacts, CacheKind};
use crate::catalogue::Code;
use crate::findings::audit::AuditFinding;

/// The finding for `cache`, if it has no authentication and is reached through `relayed_by`.
pub(super) fn check(cache: &CacheFacts, relayed_by: &[String]) -> Option<AuditFinding> {
    if relayed_by.is_empty() {
        return None;
    }
    let (why, fix) = if cache.is_memcached() {
        (
            "it runs Memcached, for which ElastiCache has no AUTH token and no user groups: whoever reaches the port may use it".to_string(),
            format!(
                "narrow who can use {} (their listener's or session permissions) and admit only them in the cache's security groups; move to Valkey with a user group if clients must authenticate",
                words(relayed_by)
            ),
        )
    } else if cache.kind == CacheKind::Serverless {
        if !cache.user_groups.is_empty() {
            return None;
        }
        (
            "it has no user group (UserGroupId): RBAC is the only access control of a serverless cache".to_string(),
            format!(
                "create a user group with password or IAM users and attach it: aws elasticache modify-serverless-cache --serverless-cache-name {} --user-group-id <group>",
                cache.id
            ),
        )
    } else {
        if cache.auth_token || !cache.user_groups.is_empty() {
            return None;
        }
        let no_tls = if cache.transit_encryption {
            ""
        } else {
            "; both need in-transit encryption, which is off too"
        };
        let groups = if cache.kind == CacheKind::ReplicationGroup {
            " and no user group (UserGroupIds)"
        } else {
            ""
        };
        let fix = match cache.kind {
            CacheKind::ReplicationGroup => format!(
                "turn on in-transit encryption if it is off, then attach a user group: aws elasticache modify-replication-group --replication-group-id {} --user-group-ids-to-add <group> --apply-immediately (or set an AUTH token with --auth-token and --auth-token-update-strategy ROTATE)",
                cache.id
            ),
            _ => format!(
                "set an AUTH token on {} (aws elasticache modify-cache-cluster --auth-token … --auth-token-update-strategy ROTATE; in-transit encryption must be on), or move it into a replication group with a user group",
                cache.id
            ),
        };
        (
            format!("it has AuthTokenEnabled false{groups}{no_tls}: clients are not authenticated"),
            fix,
        )
    };
    Some(
        AuditFinding::new(
            Code::CACHE_NO_AUTH,
            cache.id.clone(),
            format!(
                "{} is reached from outside through {} and {why}",
                cache.id,
                words(relayed_by)
            ),
        )
        .for_cache(cache.id.clone())
        .with_fix(fix),
    )
}

#[cfg(test)]
mod tests {
    //! On facts written here: which combinations of engine, kind, token and user groups leave a
    //! relay-reached cache without authentication.
    use super::*;

    fn facts(kind: CacheKind, engine: &str, token: bool, groups: &[&str]) -> CacheFacts {
        CacheFacts {
            id: "c".into(),
            kind,
            engine: engine.into(),
            ports: vec![6379],
            security_groups: Vec::new(),
            subnets: Vec::new(),
            transit_encryption: true,
            transit_encryption_mode: None,
            auth_token: token,
            user_groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    fn relays() -> Vec<String> {
        vec!["i-1".into(), "i-2".into()]
    }

    #[test]
    fn node_based_needs_a_token_or_a_user_group() {
        let rg = CacheKind::ReplicationGroup;
        let none = check(&facts(rg, "redis", false, &[]), &relays()).expect("no auth");
        assert_eq!(none.code, Code::CACHE_NO_AUTH);
        assert_eq!(
            none.detail,
            "c is reached from outside through i-1 and i-2 and it has AuthTokenEnabled false and no user group (UserGroupIds): clients are not authenticated"
        );
        assert_eq!(check(&facts(rg, "redis", true, &[]), &relays()), None);
        assert_eq!(check(&facts(rg, "valkey", false, &["ug"]), &relays()), None);
        assert_eq!(check(&facts(rg, "redis", false, &[]), &[]), None);
    }

    #[test]
    fn serverless_needs_a_user_group_and_memcached_has_no_auth() {
        let sl = CacheKind::Serverless;
        assert!(check(&facts(sl, "valkey", false, &[]), &relays()).is_some());
        assert_eq!(check(&facts(sl, "valkey", false, &["ug"]), &relays()), None);
        let m = check(
            &facts(CacheKind::CacheCluster, "memcached", false, &[]),
            &relays(),
        )
        .expect("memcached");
        assert!(m.detail.contains("Memcached"), "{}", m.detail);
        // A serverless Memcached cache: a user group field does not make it authenticate.
        assert!(check(&facts(sl, "memcached", false, &["ug"]), &relays()).is_some());
    }
}
