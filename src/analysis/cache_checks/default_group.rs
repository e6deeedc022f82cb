//! `CACHE_DEFAULT_SECURITY_GROUP` (semantics C7): one of the cache's security groups is the
//! default group of its VPC. Every VPC has exactly one group named `default` (it cannot be
//! renamed or deleted, and no other group may take the name), so the name identifies it.

use super::CacheFacts;
use crate::catalogue::Code;
use crate::findings::audit::AuditFinding;
use crate::model::*;

/// A finding per default group among the cache's groups.
pub(super) fn check(t: &Topology, cache: &CacheFacts) -> Vec<AuditFinding> {
    cache
        .security_groups
        .iter()
        .map(|g| &t.security_groups[g.i()])
        .filter(|sg| sg.name == "default")
        .map(|sg| {
            let vpc = sg
                .vpc
                .as_ref()
                .map(|v| v.id.as_str())
                .unwrap_or("its VPC");
            AuditFinding::new(
                Code::CACHE_DEFAULT_SECURITY_GROUP,
                sg.id.clone(),
                format!(
                    "cache {} uses {}, the default security group of {vpc}: every interface in that group ({} in the snapshot) reaches it on the ports the group admits, and resources launched without a group get it",
                    cache.id,
                    sg.id,
                    sg.members.len()
                ),
            )
            .named(Some(sg.name.clone()))
            .for_cache(cache.id.clone())
            .with_fix(format!(
                "attach a dedicated security group to {} that admits the cache ports from the clients' group only, then remove {}",
                cache.id, sg.id
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! c7-cache-default-security-group (case 93): `legacy` carries sg 10 (`default`, whose
    //! members are legacy's node interface and instance i1's), `tidy` carries sg 1 only.
    use super::*;

    #[test]
    fn only_the_default_group_is_reported() {
        let t = super::super::fixture("c7-cache-default-security-group");
        let legacy = super::super::locate(&t, "legacy").expect("legacy");
        let got = check(&t, &legacy);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].component, "sg-9300000000000000a");
        assert_eq!(got[0].name.as_deref(), Some("default"));
        assert!(
            got[0].detail.contains("(2 in the snapshot)"),
            "{}",
            got[0].detail
        );
        let tidy = super::super::locate(&t, "tidy").expect("tidy");
        assert!(check(&t, &tidy).is_empty());
    }
}
