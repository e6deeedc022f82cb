//! `NACL_RULE_SHADOWED` on the cache's subnets (semantics C10, N2): entries of their network
//! ACLs, inbound or outbound, that can never match because lower-numbered entries match all
//! their traffic first. The detection is the engine's ([`crate::engine::nacl::shadowed_entries`],
//! the one `reach` warns with); here it runs over whole ACLs rather than one path's traffic.

use super::CacheFacts;
use crate::catalogue::Code;
use crate::engine::nacl;
use crate::findings::audit::AuditFinding;
use crate::model::*;

/// A finding per never-matching entry of the ACLs of the cache's subnets (each ACL once).
pub(super) fn check(t: &Topology, cache: &CacheFacts) -> Vec<AuditFinding> {
    let mut acls: Vec<NetworkAclIdx> = Vec::new();
    for &s in &cache.subnets {
        if let Some(a) = t.subnets[s.i()].network_acl {
            if !acls.contains(&a) {
                acls.push(a);
            }
        }
    }
    let mut out = Vec::new();
    for a in acls {
        let acl = &t.network_acls[a.i()];
        let subnets: Vec<&str> = cache
            .subnets
            .iter()
            .filter(|s| t.subnets[s.i()].network_acl == Some(a))
            .map(|s| t.subnets[s.i()].id.as_str())
            .collect();
        let context = format!(
            "the network ACL of cache {}'s subnet {}",
            cache.id,
            subnets.join(", ")
        );
        out.extend(
            dead_entries(acl, &context)
                .into_iter()
                .map(|f| f.for_cache(cache.id.clone())),
        );
    }
    out
}

/// A `NACL_RULE_SHADOWED` finding per entry of `acl`, inbound then outbound, that a lower
/// entry decides entirely; `context` says whose ACL it is ("the network ACL of cache X's
/// subnet S"). Shared with the relay subnets' check of `audit`.
pub(crate) fn dead_entries(acl: &NetworkAcl, context: &str) -> Vec<AuditFinding> {
    let mut out = Vec::new();
    for inbound in [true, false] {
        let dir = if inbound { "inbound" } else { "outbound" };
        for sh in nacl::shadowed_entries(acl, inbound) {
            let first = sh.by.iter().copied().min().unwrap_or(sh.rule);
            out.push(
                AuditFinding::new(
                    Code::NACL_RULE_SHADOWED,
                    acl.id.clone(),
                    format!(
                        "in {} ({dir}), {context}, {} never matches: {} decides all its traffic first",
                        acl.id,
                        nacl::describe(&sh.entry, inbound),
                        nacl::cite(acl, inbound, &sh.by)
                    ),
                )
                .named(acl.name.clone())
                .with_fix(format!(
                    "in {}, renumber rule {} below {first} if it should decide first, or delete it",
                    acl.id, sh.rule
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! c10-cache-nacl-shadowed (case 96): acl 2 of the cache subnet has inbound 110 behind 100
    //! (shadowed), inbound 120 only partly behind 100 (not), outbound 200 behind 100 (shadowed).
    //! c9-cache-reply-blocked (case 95): acl 2 of its cache subnet has no dead entry.
    use super::*;

    #[test]
    fn dead_entries_of_the_cache_subnet_acl() {
        let t = super::super::fixture("c10-cache-nacl-shadowed");
        let cache = super::super::locate(&t, "inventory").expect("inventory");
        let got: Vec<(String, bool)> = check(&t, &cache)
            .iter()
            .map(|f| (f.fix.clone(), f.detail.contains("(inbound)")))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "in acl-96000000000000002, renumber rule 110 below 100 if it should decide first, or delete it".to_string(),
                    true
                ),
                (
                    "in acl-96000000000000002, renumber rule 200 below 100 if it should decide first, or delete it".to_string(),
                    false
                ),
            ]
        );
        let t = super::super::fixture("c9-cache-reply-blocked");
        let cache = super::super::locate(&t, "reports").expect("reports");
        assert!(check(&t, &cache).is_empty());
    }
}
