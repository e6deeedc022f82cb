//! Security groups (§4): the union of the ENI's groups' rules, allow-only, stateful.
//!
//! Egress is tested at the sender against the destination, ingress at the receiver against the
//! source. A group reference stands for the private addresses of the group's member ENIs, and
//! only where the group identity survives the path (S6): members in the sender's own VPC, across
//! a same-Region peering, or over a transit gateway with security-group referencing enabled.

use super::flow::Flow;
use super::notes::{IdentityLoss, Warning};
pub use super::sg_rules::{describe, why_group_absent};
use super::sg_rules::{missing_group, with_peer, GroupRules, RuleKind, SgCache};
use crate::model::{Ref, SecurityGroupIdx, Topology, VpcIdx};
use crate::net::{AddrSet, Cube, PacketSet};
use std::sync::Arc;

/// A group's merged rules and, per group-reference rule (by position), what it admits here.
type Compiled = (Arc<GroupRules>, Vec<(usize, PacketSet)>);

/// Which member ENIs a group reference may stand for on this path.
#[derive(Clone, Debug)]
pub struct Identity {
    /// VPCs whose member ENIs count. Empty = identity lost on the path.
    pub vpcs: Vec<VpcIdx>,
    /// Why identity was lost, if it was (for SG_REFERENCES_NOT_PRESERVED / SG_REFERENCING_SUPPORT).
    pub lost_because: Option<IdentityLoss>,
}

/// The outcome of the security groups of one ENI in one direction.
pub struct SgOutcome {
    pub pass: Flow,
    pub denied: Flow,
    /// `sg-… rule` citations that admitted traffic.
    pub allowed_by: Vec<String>,
    /// True when the groups have no rule at all in that direction.
    pub no_rules: bool,
    /// Notes about rules that could not match (unknown / stale groups, lost identity).
    pub notes: Vec<Warning>,
    /// Why part of the groups is unknown (a group or a rule's group failed to load, a
    /// permission was skipped): what they deny is then unknown, not a mismatch.
    pub unknown: Vec<String>,
}

/// Evaluate the groups of an ENI on `flow`. Each group's rules are merged once per engine
/// ([`SgCache`]); here the merged set meets the flow, and the admitted packets are attributed
/// to the rules that admit them.
pub fn evaluate(
    t: &Topology,
    cache: &SgCache,
    groups: &[Ref<SecurityGroupIdx>],
    ingress: bool,
    flow: &Flow,
    identity: &Identity,
) -> SgOutcome {
    let current = flow.current();
    let mut allowed: Vec<Cube> = Vec::new();
    let mut any_rule = false;
    let mut notes = Vec::new();
    let mut unknown = Vec::new();
    // Per group: its merged rules and, for each group-reference rule (by position), what it
    // admits on this path.
    let mut compiled: Vec<Compiled> = Vec::new();
    for g in groups {
        let Some(gi) = g.idx else {
            let (why, note) = missing_group(t, &g.id);
            unknown.push(why);
            notes.push(note);
            continue;
        };
        let rules = cache.rules(t, gi, ingress);
        any_rule |= !rules.rules.is_empty();
        notes.extend(rules.notes.iter().cloned());
        unknown.extend(rules.unknown.iter().cloned());
        allowed.extend(
            rules
                .fixed_union
                .intersect(&current)
                .cubes()
                .iter()
                .cloned(),
        );
        let mut by_reference = Vec::new();
        if rules.has_references {
            for (i, r) in rules.rules.iter().enumerate() {
                let RuleKind::Reference { group, template } = &r.kind else {
                    continue;
                };
                let addrs = match group {
                    Some(m) => cache.members(t, *m).within(&identity.vpcs),
                    None => AddrSet::empty(),
                };
                let m = with_peer(template.clone(), addrs, ingress).intersect(&current);
                allowed.extend(m.cubes().iter().cloned());
                by_reference.push((i, m));
            }
        }
        compiled.push((rules, by_reference));
    }
    let allowed = PacketSet::from_cubes(allowed);
    let (pass, denied) = flow.split(&allowed);
    if !denied.is_empty() {
        if let Some(why) = &identity.lost_because {
            // Would a group reference have admitted the denied packets, had the identity
            // survived (members in any VPC)?
            let denied_cur = denied.current().intersect(&current);
            let lost = compiled.iter().any(|(rules, _)| {
                rules.rules.iter().any(|r| match &r.kind {
                    RuleKind::Reference {
                        group: Some(m),
                        template,
                    } => with_peer(template.clone(), cache.members(t, *m).all.clone(), ingress)
                        .overlaps(&denied_cur),
                    _ => false,
                })
            });
            if lost {
                notes.push(Warning::GroupIdentityLost(why.clone()));
            }
        }
    }
    // A rule is cited when it admits part of what passed (within the current flows).
    let passed = pass.current().intersect(&current);
    let mut allowed_by: Vec<String> = Vec::new();
    if !passed.is_empty() {
        for (rules, by_reference) in &compiled {
            let mut refs = by_reference.iter().peekable();
            for (i, r) in rules.rules.iter().enumerate() {
                let hit = match &r.kind {
                    RuleKind::Fixed(set) => set.overlaps(&passed),
                    RuleKind::Reference { .. } => {
                        let m = refs.next_if(|(k, _)| *k == i).map(|(_, m)| m);
                        m.is_some_and(|m| m.overlaps(&passed))
                    }
                };
                if hit {
                    allowed_by.push(r.described.clone());
                }
            }
        }
    }
    allowed_by.dedup();
    SgOutcome {
        pass,
        denied,
        allowed_by,
        no_rules: !any_rule,
        notes,
        unknown,
    }
}
