//! `CACHE_NO_TRANSIT_ENCRYPTION` (semantics C5): a cache that outside clients reach through a
//! relay and that accepts plaintext connections — `TransitEncryptionEnabled` false, or true with
//! `TransitEncryptionMode` `preferred` (TLS and plaintext both accepted). Serverless caches
//! always use TLS. Without relays nothing is reported: the finding is about traffic that
//! crosses a relay.

use super::{words, CacheFacts, CacheKind};
use crate::catalogue::Code;
use crate::findings::audit::AuditFinding;

/// The finding for `cache`, if it accepts plaintext and is reached through `relayed_by`.
pub(super) fn check(cache: &CacheFacts, relayed_by: &[String]) -> Option<AuditFinding> {
    if relayed_by.is_empty() || cache.kind == CacheKind::Serverless {
        return None;
    }
    let field = match cache.kind {
        CacheKind::ReplicationGroup => "replication group",
        _ => "cache cluster",
    };
    let (why, fix) = if !cache.transit_encryption {
        (
            format!("its {field} has TransitEncryptionEnabled false: every connection is plaintext"),
            match cache.kind {
                CacheKind::ReplicationGroup => format!(
                    "aws elasticache modify-replication-group --replication-group-id {} --transit-encryption-enabled --transit-encryption-mode preferred --apply-immediately; move the clients and the relay to TLS, then set --transit-encryption-mode required",
                    cache.id
                ),
                _ => format!(
                    "recreate {} with --transit-encryption-enabled (a standalone cache cluster cannot turn it on in place), or move it into a replication group that has it",
                    cache.id
                ),
            },
        )
    } else if cache
        .transit_encryption_mode
        .as_deref()
        .is_some_and(|m| m.eq_ignore_ascii_case("preferred"))
    {
        (
            format!("its {field} has TransitEncryptionMode preferred: plaintext connections are still accepted beside TLS"),
            match cache.kind {
                CacheKind::ReplicationGroup => format!(
                    "once every client and the relay use TLS: aws elasticache modify-replication-group --replication-group-id {} --transit-encryption-mode required --apply-immediately",
                    cache.id
                ),
                _ => format!(
                    "once every client and the relay use TLS, set the transit encryption mode of {} to required",
                    cache.id
                ),
            },
        )
    } else {
        return None;
    };
    Some(
        AuditFinding::new(
            Code::CACHE_NO_TRANSIT_ENCRYPTION,
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
    //! On facts written here (the loader's reading of the fields is tested in tests/loader.rs):
    //! plaintext is accepted exactly when encryption is off or the mode is `preferred`, and only
    //! a relay-reached, node-based cache is reported.
    use super::*;

    fn facts(kind: CacheKind, tls: bool, mode: Option<&str>) -> CacheFacts {
        CacheFacts {
            id: "c".into(),
            kind,
            engine: "redis".into(),
            ports: vec![6379],
            security_groups: Vec::new(),
            subnets: Vec::new(),
            transit_encryption: tls,
            transit_encryption_mode: mode.map(str::to_string),
            auth_token: false,
            user_groups: Vec::new(),
        }
    }

    fn relays() -> Vec<String> {
        vec!["i-1".into()]
    }

    #[test]
    fn plaintext_only_when_off_or_preferred() {
        let rg = CacheKind::ReplicationGroup;
        let off = check(&facts(rg, false, None), &relays()).expect("off is reported");
        assert_eq!(off.code, Code::CACHE_NO_TRANSIT_ENCRYPTION);
        assert_eq!(off.cache.as_deref(), Some("c"));
        assert!(
            off.detail.contains("TransitEncryptionEnabled false"),
            "{}",
            off.detail
        );
        let pref = check(&facts(rg, true, Some("preferred")), &relays()).expect("preferred");
        assert!(
            pref.detail.contains("TransitEncryptionMode preferred"),
            "{}",
            pref.detail
        );
        assert!(
            pref.fix.contains("--transit-encryption-mode required"),
            "{}",
            pref.fix
        );
        assert_eq!(check(&facts(rg, true, Some("required")), &relays()), None);
        // TLS on, mode not in the snapshot (older engines have no mode): TLS only.
        assert_eq!(check(&facts(rg, true, None), &relays()), None);
    }

    #[test]
    fn only_relay_reached_node_based_caches() {
        assert_eq!(
            check(&facts(CacheKind::CacheCluster, false, None), &[]),
            None
        );
        assert_eq!(
            check(&facts(CacheKind::Serverless, false, None), &relays()),
            None
        );
        let c = check(&facts(CacheKind::CacheCluster, false, None), &relays()).expect("cluster");
        assert!(c.fix.contains("recreate c"), "{}", c.fix);
    }
}
