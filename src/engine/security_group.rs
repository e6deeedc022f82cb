//! Security groups (§4): the union of the ENI's groups' rules, allow-only, stateful.
//!
//! Egress is tested at the sender against the destination, ingress at the receiver against the
//! source. A group reference stands for the private addresses of the group's member ENIs, and
//! only where the group identity survives the path (S6): members in the sender's own VPC, across
//! a same-Region peering, or over a transit gateway with security-group referencing enabled.

use super::answer::Direction;
use super::flow::Flow;
use super::notes::{IdentityLoss, Warning};
use crate::model::{
    GroupResolution, Protocol, Ref, SecurityGroupIdx, SgPeer, SgRule, Topology, VpcIdx,
};
use crate::net::{icmp_set, AddrSet, Cube, IntervalSet, PacketSet, ProtoSet};

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

/// Why security group `id`, referenced but absent from the model, is absent.
pub fn why_group_absent(t: &Topology, id: &str) -> String {
    t.completeness
        .why_absent("SecurityGroups", id)
        .map(|w| w.strip_prefix(id).unwrap_or(&w).trim_start().to_string())
        .unwrap_or_else(|| "is not in the snapshot".to_string())
}

fn peer_addrs(t: &Topology, rule: &SgRule, identity: &Identity) -> AddrSet {
    match &rule.peer {
        SgPeer::Cidr { cidr } => AddrSet::from_net(cidr),
        SgPeer::PrefixList { prefix_list } => prefix_list
            .idx
            .and_then(|p| t.prefix_lists[p.i()].cidrs.as_ref())
            .map(|c| AddrSet::from_nets(c.iter()))
            .unwrap_or_default(),
        SgPeer::Group(g) => {
            let Some(gi) = g.group.idx else {
                return AddrSet::empty();
            };
            let mut set = AddrSet::empty();
            for &m in &t.security_groups[gi.i()].members {
                let eni = &t.network_interfaces[m.i()];
                if eni.vpc.idx.is_some_and(|v| identity.vpcs.contains(&v)) {
                    for a in eni.private_addresses() {
                        set = set.union(&AddrSet::from_addr(a));
                    }
                }
            }
            set
        }
    }
}

/// The packets a rule admits.
pub fn rule_match(t: &Topology, rule: &SgRule, ingress: bool, identity: &Identity) -> PacketSet {
    let addrs = peer_addrs(t, rule, identity);
    if addrs.is_empty() {
        return PacketSet::empty();
    }
    let mut c = Cube::any();
    if ingress {
        c.src = addrs;
    } else {
        c.dst = addrs;
    }
    if let Protocol::Number(n) = rule.protocol {
        c.proto = ProtoSet::single(n);
        if rule.protocol.has_ports() {
            if let Some((lo, hi)) = rule.ports {
                c.dst_port = IntervalSet::range(lo, hi);
            }
        }
        if rule.protocol.is_icmp() {
            if let Some(m) = rule.icmp {
                c.icmp = icmp_set(m.icmp_type, m.code);
            }
        }
    }
    PacketSet::from_cube(c)
}

/// Describe a rule for citations: `sg-1 ingress tcp 6379 from sg-2`.
pub fn describe(group: &str, rule: &SgRule, ingress: bool) -> String {
    let ports = match (rule.protocol, rule.ports) {
        (Protocol::All, _) => " all".to_string(),
        (_, Some((lo, hi))) if lo == hi => format!(" {lo}"),
        (_, Some((lo, hi))) => format!(" {lo}-{hi}"),
        (_, None) => rule.icmp.map(super::nacl::icmp_words).unwrap_or_default(),
    };
    let peer = match &rule.peer {
        SgPeer::Cidr { cidr } => cidr.to_string(),
        SgPeer::PrefixList { prefix_list } => prefix_list.id.clone(),
        SgPeer::Group(g) => g.group.id.clone(),
    };
    let (dir, w) = if ingress {
        (Direction::Ingress, "from")
    } else {
        (Direction::Egress, "to")
    };
    let proto = if rule.protocol == Protocol::All {
        String::new()
    } else {
        format!(" {}", rule.protocol)
    };
    format!("{group} {dir}{proto}{ports} {w} {peer}")
}

/// Evaluate the groups of an ENI on `flow`.
pub fn evaluate(
    t: &Topology,
    groups: &[Ref<SecurityGroupIdx>],
    ingress: bool,
    flow: &Flow,
    identity: &Identity,
) -> SgOutcome {
    let current = flow.current();
    let mut allowed = PacketSet::empty();
    let mut cited: Vec<(String, PacketSet)> = Vec::new();
    let mut any_rule = false;
    let mut notes = Vec::new();
    let mut unknown = Vec::new();
    let mut group_rule_matches = PacketSet::empty();
    for g in groups {
        let Some(gi) = g.idx else {
            let why = why_group_absent(t, &g.id);
            unknown.push(format!("{} {why}", g.id));
            notes.push(Warning::InterfaceGroupMissing {
                group: g.id.clone(),
                why,
            });
            continue;
        };
        let sg = &t.security_groups[gi.i()];
        if !sg.skipped_permissions.is_empty() {
            unknown.push(format!(
                "{} loaded partly (permission skipped: {})",
                sg.id,
                sg.skipped_permissions.join("; ")
            ));
        }
        let rules = if ingress { &sg.inbound } else { &sg.outbound };
        for rule in rules {
            any_rule = true;
            if let SgPeer::PrefixList { prefix_list } = &rule.peer {
                let known = prefix_list
                    .idx
                    .is_some_and(|p| t.prefix_lists[p.i()].cidrs.is_some());
                if !known {
                    notes.push(Warning::RulePrefixListUnresolved {
                        rule: describe(&sg.id, rule, ingress),
                        prefix_list: prefix_list.id.clone(),
                    });
                }
            }
            if let SgPeer::Group(r) = &rule.peer {
                match r.resolution {
                    GroupResolution::UnknownAccount => {
                        notes.push(Warning::RuleGroupInUnknownAccount {
                            rule: describe(&sg.id, rule, ingress),
                            group: r.group.id.clone(),
                            account: r.user_id.as_deref().unwrap_or("?").to_string(),
                        })
                    }
                    GroupResolution::Stale => notes.push(Warning::RuleGroupStale {
                        rule: describe(&sg.id, rule, ingress),
                        group: r.group.id.clone(),
                    }),
                    GroupResolution::NotLoaded => {
                        let why = t
                            .completeness
                            .why_absent("SecurityGroups", &r.group.id)
                            .unwrap_or_else(|| format!("{} failed to load", r.group.id));
                        let rule = describe(&sg.id, rule, ingress);
                        unknown.push(format!("{rule}: group {why}"));
                        notes.push(Warning::RuleGroupNotLoaded { rule, why });
                    }
                    GroupResolution::Resolved => {}
                }
            }
            let m = rule_match(t, rule, ingress, identity).intersect(&current);
            if let (SgPeer::Group(_), Some(_)) = (&rule.peer, &identity.lost_because) {
                let everywhere = Identity {
                    vpcs: t
                        .vpcs
                        .iter()
                        .enumerate()
                        .map(|(i, _)| VpcIdx(i as u32))
                        .collect(),
                    lost_because: None,
                };
                group_rule_matches = group_rule_matches
                    .union(&rule_match(t, rule, ingress, &everywhere).intersect(&current));
            }
            if !m.is_empty() {
                allowed = allowed.union(&m);
                cited.push((describe(&sg.id, rule, ingress), m));
            }
        }
    }
    let (pass, denied) = flow.split(&allowed);
    if !denied.is_empty() {
        if let Some(why) = &identity.lost_because {
            if denied.current().overlaps(&group_rule_matches) {
                notes.push(Warning::GroupIdentityLost(why.clone()));
            }
        }
    }
    let pass_cur = pass.current();
    let mut allowed_by: Vec<String> = cited
        .into_iter()
        .filter(|(_, m)| m.overlaps(&pass_cur))
        .map(|(s, _)| s)
        .collect();
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
