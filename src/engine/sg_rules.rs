//! Security-group rules merged into packet sets once per group and direction, for the engine's
//! lifetime (computed on first use, shareable across threads: the engine is `Sync`).
//!
//! A group with 1,000 rules (the AWS maximum per network interface) is asked about many times
//! per question (each leg, each branch) and many questions per run. What a rule admits depends
//! on the path only for rules that reference a group (S6: the group's member interfaces count
//! only in the VPCs where the group identity survives); CIDR and prefix-list rules admit the
//! same packets on every path. So, per group and direction, [`GroupRules`] keeps:
//! * the packets of each CIDR or prefix-list rule, and their union, merged once (rules that
//!   differ only in their peer share one cube per protocol/port key before the union);
//! * for each group-reference rule, its protocol/port template, combined per path with the
//!   referenced group's member addresses ([`MemberAddrs`], also cached, per VPC);
//! * the notes and unknowns that depend on the rules alone (unresolved prefix lists, stale or
//!   unloaded referenced groups, skipped permissions), in rule order.
//!
//! [`super::security_group::evaluate`] then intersects the union with the flow once, and
//! attributes the admitted packets to rules with one overlap test per rule.

use super::answer::Direction;
use super::notes::Warning;
use crate::model::{GroupResolution, Protocol, SecurityGroupIdx, SgPeer, SgRule, Topology, VpcIdx};
use crate::net::{icmp_set, AddrSet, Cube, IntervalSet, PacketSet, ProtoSet};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// Address ranges by family, before they become an [`AddrSet`]: IPv4 and IPv6 `(first, last)`.
type Ranges = (Vec<(u32, u32)>, Vec<(u128, u128)>);

/// How one rule matches.
pub enum RuleKind {
    /// A CIDR or prefix-list rule: the packets it admits on every path.
    Fixed(PacketSet),
    /// A reference to group `group` (`None`: not in the model, matches nothing): `template`
    /// with the members' addresses as the peer.
    Reference {
        group: Option<SecurityGroupIdx>,
        template: Cube,
    },
}

/// One rule, merged.
pub struct CompiledRule {
    /// `sg-1 ingress tcp 6379 from sg-2`, for citations.
    pub described: String,
    pub kind: RuleKind,
}

/// The rules of one group in one direction, merged.
pub struct GroupRules {
    /// Every rule, in order.
    pub rules: Vec<CompiledRule>,
    /// The union of the [`RuleKind::Fixed`] rules.
    pub fixed_union: PacketSet,
    /// Whether any rule is a group reference.
    pub has_references: bool,
    /// Notes that depend on the rules alone, in rule order.
    pub notes: Vec<Warning>,
    /// Why part of the group is unknown (skipped permissions, unloaded referenced groups).
    pub unknown: Vec<String>,
}

/// The private addresses of a group's member interfaces, per VPC, and all of them.
pub struct MemberAddrs {
    pub by_vpc: Vec<(VpcIdx, AddrSet)>,
    pub all: AddrSet,
}

impl MemberAddrs {
    /// The addresses of members in the VPCs of `vpcs`.
    pub fn within(&self, vpcs: &[VpcIdx]) -> AddrSet {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for (v, a) in &self.by_vpc {
            if vpcs.contains(v) {
                v4.extend_from_slice(a.v4.ranges());
                v6.extend_from_slice(a.v6.ranges());
            }
        }
        AddrSet {
            v4: IntervalSet::from_ranges(v4),
            v6: IntervalSet::from_ranges(v6),
        }
    }
}

/// The per-group caches of an engine.
pub struct SgCache {
    /// Per group: [egress, ingress].
    rules: Vec<[OnceLock<Arc<GroupRules>>; 2]>,
    members: Vec<OnceLock<Arc<MemberAddrs>>>,
}

impl SgCache {
    pub fn new(t: &Topology) -> Self {
        SgCache {
            rules: t
                .security_groups
                .iter()
                .map(|_| [OnceLock::new(), OnceLock::new()])
                .collect(),
            members: t.security_groups.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The merged rules of group `g` in one direction.
    pub fn rules(&self, t: &Topology, g: SecurityGroupIdx, ingress: bool) -> Arc<GroupRules> {
        match self.rules.get(g.i()) {
            Some(cells) => cells[usize::from(ingress)]
                .get_or_init(|| Arc::new(compile(t, g, ingress)))
                .clone(),
            None => Arc::new(compile(t, g, ingress)),
        }
    }

    /// The member addresses of group `g`.
    pub fn members(&self, t: &Topology, g: SecurityGroupIdx) -> Arc<MemberAddrs> {
        match self.members.get(g.i()) {
            Some(cell) => cell.get_or_init(|| Arc::new(member_addrs(t, g))).clone(),
            None => Arc::new(member_addrs(t, g)),
        }
    }
}

fn member_addrs(t: &Topology, g: SecurityGroupIdx) -> MemberAddrs {
    let mut per: HashMap<VpcIdx, Ranges> = HashMap::new();
    for &m in &t.security_groups[g.i()].members {
        let eni = &t.network_interfaces[m.i()];
        let Some(v) = eni.vpc.idx else { continue };
        let (v4, v6) = per.entry(v).or_default();
        for p in &eni.private_ips {
            let a = u32::from(p.address);
            v4.push((a, a));
        }
        for a in &eni.ipv6_addresses {
            let a = u128::from(*a);
            v6.push((a, a));
        }
    }
    let mut by_vpc: Vec<(VpcIdx, AddrSet)> = per
        .into_iter()
        .map(|(v, (v4, v6))| {
            let set = AddrSet {
                v4: IntervalSet::from_ranges(v4),
                v6: IntervalSet::from_ranges(v6),
            };
            (v, set)
        })
        .collect();
    by_vpc.sort_by_key(|(v, _)| *v);
    let mut v4 = Vec::new();
    let mut v6 = Vec::new();
    for (_, a) in &by_vpc {
        v4.extend_from_slice(a.v4.ranges());
        v6.extend_from_slice(a.v6.ranges());
    }
    let all = AddrSet {
        v4: IntervalSet::from_ranges(v4),
        v6: IntervalSet::from_ranges(v6),
    };
    MemberAddrs { by_vpc, all }
}

/// A rule's protocol, ports and ICMP values, every address on both sides.
pub fn template(rule: &SgRule) -> Cube {
    let mut c = Cube::any();
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
    c
}

/// `template` with peer addresses `addrs` (the source on ingress, the destination on egress).
pub fn with_peer(mut template: Cube, addrs: AddrSet, ingress: bool) -> PacketSet {
    if addrs.is_empty() {
        return PacketSet::empty();
    }
    if ingress {
        template.src = addrs;
    } else {
        template.dst = addrs;
    }
    PacketSet::from_cube(template)
}

/// The addresses of a CIDR or prefix-list peer (empty for an unknown prefix list).
fn fixed_addrs(t: &Topology, peer: &SgPeer) -> Option<AddrSet> {
    match peer {
        SgPeer::Cidr { cidr } => Some(AddrSet::from_net(cidr)),
        SgPeer::PrefixList { prefix_list } => Some(
            prefix_list
                .idx
                .and_then(|p| t.prefix_lists[p.i()].cidrs.as_ref())
                .map(|c| AddrSet::from_nets(c.iter()))
                .unwrap_or_default(),
        ),
        SgPeer::Group(_) => None,
    }
}

/// Merge the rules of group `g` in one direction.
fn compile(t: &Topology, g: SecurityGroupIdx, ingress: bool) -> GroupRules {
    let sg = &t.security_groups[g.i()];
    let mut notes = Vec::new();
    let mut unknown = Vec::new();
    if !sg.skipped_permissions.is_empty() {
        unknown.push(format!(
            "{} loaded partly (permission skipped: {})",
            sg.id,
            sg.skipped_permissions.join("; ")
        ));
    }
    if !sg.doubts.is_empty() {
        notes.push(Warning::ComponentReadAsStated {
            component: sg.id.clone(),
            doubts: super::notes::doubt_summary(&sg.doubts),
        });
    }
    let list = if ingress { &sg.inbound } else { &sg.outbound };
    let mut rules = Vec::with_capacity(list.len());
    // Fixed rules keyed by everything but their peer: peers of one key merge into one set.
    let mut buckets: HashMap<Cube, Ranges> = HashMap::new();
    let mut order: Vec<Cube> = Vec::new();
    for rule in list {
        let described = describe(&sg.id, rule, ingress);
        rule_notes(t, rule, &described, &mut notes, &mut unknown);
        let tpl = template(rule);
        let kind = match fixed_addrs(t, &rule.peer) {
            Some(addrs) => {
                if !addrs.is_empty() {
                    let (v4, v6) = buckets.entry(tpl.clone()).or_insert_with(|| {
                        order.push(tpl.clone());
                        Default::default()
                    });
                    v4.extend_from_slice(addrs.v4.ranges());
                    v6.extend_from_slice(addrs.v6.ranges());
                }
                RuleKind::Fixed(with_peer(tpl, addrs, ingress))
            }
            None => RuleKind::Reference {
                group: match &rule.peer {
                    SgPeer::Group(r) => r.group.idx,
                    _ => None,
                },
                template: tpl,
            },
        };
        rules.push(CompiledRule { described, kind });
    }
    let merged = order.into_iter().filter_map(|tpl| {
        let (v4, v6) = buckets.remove(&tpl)?;
        let addrs = AddrSet {
            v4: IntervalSet::from_ranges(v4),
            v6: IntervalSet::from_ranges(v6),
        };
        let mut c = tpl;
        if ingress {
            c.src = addrs;
        } else {
            c.dst = addrs;
        }
        Some(c)
    });
    let fixed_union = PacketSet::from_cubes(merged);
    let has_references = rules
        .iter()
        .any(|r| matches!(r.kind, RuleKind::Reference { .. }));
    GroupRules {
        rules,
        fixed_union,
        has_references,
        notes,
        unknown,
    }
}

/// The notes and unknowns of one rule that do not depend on the path.
fn rule_notes(
    t: &Topology,
    rule: &SgRule,
    described: &str,
    notes: &mut Vec<Warning>,
    unknown: &mut Vec<String>,
) {
    match &rule.peer {
        SgPeer::PrefixList { prefix_list } => {
            let known = prefix_list
                .idx
                .is_some_and(|p| t.prefix_lists[p.i()].cidrs.is_some());
            if !known {
                notes.push(Warning::RulePrefixListUnresolved {
                    rule: described.to_string(),
                    prefix_list: prefix_list.id.clone(),
                });
            }
        }
        SgPeer::Group(r) => match r.resolution {
            GroupResolution::UnknownAccount => notes.push(Warning::RuleGroupInUnknownAccount {
                rule: described.to_string(),
                group: r.group.id.clone(),
                account: r.user_id.as_deref().unwrap_or("?").to_string(),
            }),
            GroupResolution::Stale => notes.push(Warning::RuleGroupStale {
                rule: described.to_string(),
                group: r.group.id.clone(),
            }),
            GroupResolution::NotLoaded => {
                let why = t
                    .completeness
                    .why_absent("SecurityGroups", &r.group.id)
                    .unwrap_or_else(|| format!("{} failed to load", r.group.id));
                unknown.push(format!("{described}: group {why}"));
                notes.push(Warning::RuleGroupNotLoaded {
                    rule: described.to_string(),
                    why,
                });
            }
            GroupResolution::Resolved => {}
        },
        SgPeer::Cidr { .. } => {}
    }
}

/// Why a group of an interface is unknown, for [`Warning::InterfaceGroupMissing`].
pub fn missing_group(t: &Topology, id: &str) -> (String, Warning) {
    let why = why_group_absent(t, id);
    (
        format!("{id} {why}"),
        Warning::InterfaceGroupMissing {
            group: id.to_string(),
            why,
        },
    )
}

/// Why security group `id`, referenced but absent from the model, is absent.
pub fn why_group_absent(t: &Topology, id: &str) -> String {
    t.completeness
        .why_absent("SecurityGroups", id)
        .map(|w| w.strip_prefix(id).unwrap_or(&w).trim_start().to_string())
        .unwrap_or_else(|| "is not in the snapshot".to_string())
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
