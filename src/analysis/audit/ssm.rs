//! SSM readiness of every running instance, for the audit (semantics M3): computed once per
//! class of instances the network cannot tell apart (the same subnets, the same egress rules
//! in their security groups, interface states and public addresses or not, the same platform
//! family, and an instance profile or not), with [`crate::analysis::ssm::readiness`],
//! in parallel; each member gets its class's answer under its own id.

use crate::engine::Engine;
use crate::findings::audit_report::SsmEntry;
use crate::findings::ssm::SsmReadiness;
use crate::model::*;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What an interface's security groups decide for its own outbound HTTPS: the union of their
/// egress rules (SG1: rules are unioned across groups; the reply needs no rule, SG2), each as
/// protocol, ports and peer (descriptions and positions aside), sorted; plus the ids of its
/// groups that an interface endpoint's group references (their members are admitted by
/// reference) and of groups the snapshot lacks (unknown).
type GroupSignature = (Vec<String>, Vec<String>);

/// Per interface: its subnet (hence VPC, region, route table and NACL), status, whether it
/// holds a public IPv4 or an IPv6 address (the way out through an internet gateway) and its
/// [`GroupSignature`]; then the instance profile and Windows or not (the ephemeral range).
/// In a subnet that a rule splits ([`split_subnets`]), also the interface's own addresses.
type Key = (
    Vec<(
        Option<SubnetIdx>,
        Option<String>,
        bool,
        bool,
        GroupSignature,
        Option<Vec<std::net::IpAddr>>,
    )>,
    bool,
    bool,
);

fn signature(t: &Topology, eni: &NetworkInterface, referenced: &HashSet<&str>) -> GroupSignature {
    let mut rules: Vec<String> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for g in &eni.groups {
        match g.idx {
            Some(gi) => {
                for r in &t.security_groups[gi.i()].outbound {
                    rules.push(format!(
                        "{:?} {:?} {:?} {:?}",
                        r.protocol, r.ports, r.icmp, r.peer
                    ));
                }
                if referenced.contains(g.id.as_str()) {
                    ids.push(g.id.clone());
                }
            }
            None => ids.push(g.id.clone()),
        }
    }
    rules.sort();
    rules.dedup();
    ids.sort();
    ids.dedup();
    (rules, ids)
}

fn key(t: &Topology, i: &Instance, referenced: &HashSet<&str>, split: &HashSet<SubnetIdx>) -> Key {
    let enis = i
        .network_interfaces
        .iter()
        .map(|e| {
            let eni = &t.network_interfaces[e.i()];
            (
                eni.subnet.idx,
                eni.status.clone(),
                eni.public_ips().next().is_some(),
                !eni.ipv6_addresses.is_empty(),
                signature(t, eni, referenced),
                eni.subnet
                    .idx
                    .filter(|s| split.contains(s))
                    .map(|_| eni.private_addresses().collect()),
            )
        })
        .collect();
    let windows = i
        .platform
        .as_deref()
        .is_some_and(|p| p.to_ascii_lowercase().contains("windows"));
    (enis, i.instance_profile.is_some(), windows)
}

/// Subnets in which some addresses may be treated unlike others on the way to the SSM
/// services: a network ACL entry anywhere in the subnet's VPC (a NAT gateway's or an
/// endpoint's subnet matches the instance's address as source) or a CIDR rule of an interface
/// endpoint's security group there, whose block overlaps the subnet without holding all of it.
/// Instances there are grouped only with instances of the same addresses (i.e. not at all).
fn split_subnets(t: &Topology) -> HashSet<SubnetIdx> {
    let mut blocks: HashMap<VpcIdx, Vec<ipnet::IpNet>> = HashMap::new();
    for acl in &t.network_acls {
        if let Some(v) = acl.vpc.idx {
            let b = blocks.entry(v).or_default();
            b.extend(acl.inbound.iter().chain(&acl.outbound).map(|e| e.cidr));
        }
    }
    for e in &t.vpc_endpoints {
        let Some(v) = e.vpc.idx else { continue };
        for g in e.groups.iter().filter_map(|g| g.idx) {
            for r in &t.security_groups[g.i()].inbound {
                if let SgPeer::Cidr { cidr } = &r.peer {
                    blocks.entry(v).or_default().push(*cidr);
                }
            }
        }
    }
    let mut out = HashSet::new();
    for (n, s) in t.subnets.iter().enumerate() {
        let Some(list) = s.vpc.idx.and_then(|v| blocks.get(&v)) else {
            continue;
        };
        let splits = s.cidrs().any(|net| {
            list.iter().any(|b| {
                let meets = b.contains(&net.network()) || net.contains(&b.network());
                meets && !b.contains(&net)
            })
        });
        if splits {
            out.insert(SubnetIdx(n as u32));
        }
    }
    out
}

/// Group ids that a rule of an interface endpoint's security group names.
fn endpoint_references(t: &Topology) -> HashSet<&str> {
    let mut out = HashSet::new();
    for e in &t.vpc_endpoints {
        for g in e.groups.iter().filter_map(|g| g.idx) {
            let sg = &t.security_groups[g.i()];
            for r in sg.inbound.iter().chain(&sg.outbound) {
                if let SgPeer::Group(r) = &r.peer {
                    out.insert(r.group.id.as_str());
                }
            }
        }
    }
    out
}

/// Whether a gap's text names one of the representative's security groups that `inst` does
/// not carry (then `inst` is asked on its own, so that no answer names another's group).
fn names_foreign_group(t: &Topology, rep: &Instance, inst: &Instance, r: &SsmReadiness) -> bool {
    let groups = |i: &Instance| -> BTreeSet<String> {
        i.network_interfaces
            .iter()
            .flat_map(|e| {
                t.network_interfaces[e.i()]
                    .groups
                    .iter()
                    .map(|g| g.id.clone())
            })
            .collect()
    };
    let (a, b) = (groups(rep), groups(inst));
    a != b
        && a.difference(&b)
            .any(|g| r.missing.iter().any(|m| m.detail.contains(g.as_str())))
}

/// Readiness of every running instance with an interface: `relays` (instance ids declared as
/// ssm-port-forward relays) first, in declaration order, then the rest in snapshot order.
pub fn entries(t: &Topology, engine: &Engine<'_>, relays: &[String]) -> Vec<SsmEntry> {
    let running: Vec<usize> = t
        .instances
        .iter()
        .enumerate()
        .filter(|(_, i)| i.active && !i.network_interfaces.is_empty())
        .map(|(n, _)| n)
        .collect();
    let referenced = endpoint_references(t);
    let split = split_subnets(t);
    let mut classes: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for &n in &running {
        classes
            .entry(key(t, &t.instances[n], &referenced, &split))
            .or_default()
            .push(n);
    }
    let reps: Vec<&Vec<usize>> = classes.values().collect();
    let answers: Vec<(usize, SsmEntry)> = reps
        .par_iter()
        .flat_map_iter(|members| {
            let rep = &t.instances[members[0]];
            let r = crate::analysis::ssm::readiness(t, engine, rep);
            members.iter().map(move |&n| {
                let inst = &t.instances[n];
                let own;
                let (r, rep) = if inst.id != rep.id && names_foreign_group(t, rep, inst, &r) {
                    own = crate::analysis::ssm::readiness(t, engine, inst);
                    (&own, inst)
                } else {
                    (&r, rep)
                };
                let missing = r
                    .missing
                    .iter()
                    .map(|g| {
                        let mut g = g.clone();
                        if inst.id != rep.id {
                            g.detail = g.detail.replace(&rep.id, &inst.id);
                        }
                        g
                    })
                    .collect();
                (
                    n,
                    SsmEntry {
                        instance: inst.id.clone(),
                        name: inst.name.clone(),
                        ready: r.ready,
                        route: r.route,
                        missing,
                        relay: false,
                    },
                )
            })
        })
        .collect();
    let mut by: BTreeMap<usize, SsmEntry> = answers.into_iter().collect();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for id in relays {
        if let Some((&n, _)) = by.iter().find(|(_, e)| &e.instance == id) {
            if seen.insert(n) {
                if let Some(mut e) = by.remove(&n) {
                    e.relay = true;
                    out.push(e);
                }
            }
        }
    }
    out.extend(by.into_values());
    out
}
