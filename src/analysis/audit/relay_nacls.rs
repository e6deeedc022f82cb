//! `NACL_RULE_SHADOWED` on the subnets of relay hosts (semantics N2, M1): an entry of the
//! network ACL in front of a bastion, proxy or SSM host that can never match because a
//! lower-numbered entry decides all its traffic first — the seed's "allow SSH at 100, deny it
//! at 101" in front of the bastion. The detection is the engine's (`engine::nacl`), the one
//! `reach` warns with and the cache checks use for the cache subnets.

use crate::analysis::cache_checks::dead_entries;
use crate::findings::audit::AuditFinding;
use crate::findings::audit_report::RelayAudit;
use crate::model::*;

/// One finding per never-matching entry of the ACLs of the relays' subnets (each ACL once).
pub(super) fn check(t: &Topology, relays: &[RelayAudit]) -> Vec<AuditFinding> {
    // (acl, the relays and subnets behind it), in first-seen order.
    let mut acls: Vec<(NetworkAclIdx, Vec<String>, Vec<String>)> = Vec::new();
    for r in relays {
        let Some(inst) = t.instance_by_id(&r.host) else {
            continue;
        };
        for &e in &inst.network_interfaces {
            let Some(s) = t.network_interfaces[e.i()].subnet.idx else {
                continue;
            };
            let subnet = &t.subnets[s.i()];
            let Some(a) = subnet.network_acl else {
                continue;
            };
            let pos = match acls.iter().position(|(x, _, _)| *x == a) {
                Some(p) => p,
                None => {
                    acls.push((a, Vec::new(), Vec::new()));
                    acls.len() - 1
                }
            };
            let (_, hosts, subnets) = &mut acls[pos];
            if !hosts.contains(&r.host) {
                hosts.push(r.host.clone());
            }
            if !subnets.contains(&subnet.id) {
                subnets.push(subnet.id.clone());
            }
        }
    }
    let mut out = Vec::new();
    for (a, hosts, subnets) in acls {
        let context = format!(
            "the network ACL of relay {}'s subnet {}",
            hosts.join(", "),
            subnets.join(", ")
        );
        out.extend(dead_entries(&t.network_acls[a.i()], &context));
    }
    out
}
