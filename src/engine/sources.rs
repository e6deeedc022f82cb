//! CIDR sources: a block of addresses (`--from 10.0.0.0/8`, `--from vpc-…/10.20.0.0/16`) stands
//! for every address in it (docs/engine-semantics.md, "Sources"):
//!
//! * every network interface holding an address in the block, in every VPC (overlapping VPCs
//!   included, each source named with its VPC), found with the engine's per-VPC address index;
//!   the interfaces of NAT gateways, transit-gateway attachments, interface endpoints, load
//!   balancers and resource gateways are left out (they forward or answer traffic but never send
//!   any of their own);
//! * per subnet, the addresses of the block that no interface holds: hosts with no security group
//!   (the single-address [`Source::Host`] behaviour);
//! * the part outside every VPC (and outside the snapshot's public addresses, which are its
//!   interfaces): outside hosts, entering from the internet as any outside source does.
//!
//! `vpc-…/CIDR` narrows to that VPC (no outside part). Addresses inside a VPC CIDR but in none of
//! its subnets cannot be held by anything and send nothing.

use super::answer::{FlowSummary, Verdict};
use super::index::Index;
use super::notes::{Assumption, Warning};
use super::resolve::{
    eni_label, ephemeral_of, parse_net, sends_nothing, snapshot_public, Resolved, Source, Target,
};
use super::summary::{flow_summary, summary_addrs};
use super::{QueryError, Question};
use crate::model::*;
use crate::net::{AddrSet, PacketSet};
use ipnet::IpNet;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// True when two blocks share an address (one contains the other).
fn overlap(a: &IpNet, b: &IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// The (address, ENI) entries of `vpc` inside `net`, from the sorted per-VPC index.
fn indexed<'a>(idx: &'a Index, vpc: VpcIdx, net: &IpNet) -> &'a [(IpAddr, EniIdx)] {
    let Some(list) = idx.by_vpc.get(&vpc) else {
        return &[];
    };
    let lo = list.partition_point(|(a, _)| *a < net.network());
    let hi = list.partition_point(|(a, _)| *a <= net.broadcast());
    &list[lo..hi.max(lo)]
}

/// Resolve a question; a CIDR block as source is expanded here, the rest as any question.
pub(super) fn resolve(t: &Topology, idx: &Index, q: &Question) -> Result<Resolved, QueryError> {
    let from = q.from.trim();
    let Some((vpc, net)) = parse_net(from).filter(|(_, n)| n.prefix_len() < n.max_prefix_len())
    else {
        return super::resolve::resolve(t, q);
    };
    let mut warnings = Vec::new();
    let (sources, e) = cidr_sources(t, idx, &net, vpc, q.ephemeral, &mut warnings)?;
    let mut r = super::resolve::resolve_with(t, q, Some((sources, warnings)))?;
    r.sources = without_targets(std::mem::take(&mut r.sources), &r.targets, q.to.trim())?;
    r.assumptions.push(expansion(e, &r.sources));
    Ok(r)
}

/// A CIDR source leaves out the target's own addresses when the target is an address or names
/// network interfaces (a host does not reach itself across the network); a block or
/// `internet` as target keeps them.
fn without_targets(
    sources: Vec<Source>,
    targets: &[Target],
    to: &str,
) -> Result<Vec<Source>, QueryError> {
    if to == "internet" || parse_net(to).is_some_and(|(_, n)| n.prefix_len() < n.max_prefix_len()) {
        return Ok(sources);
    }
    let mut own = AddrSet::empty();
    for tg in targets {
        own = own.union(&tg.private).union(&tg.public);
    }
    let out: Vec<Source> = sources
        .into_iter()
        .filter_map(|mut s| {
            let left = s.addrs().difference(&own);
            if left.is_empty() {
                return None;
            }
            match &mut s {
                Source::Eni { addrs, .. }
                | Source::Host { addrs, .. }
                | Source::Outside { addrs, .. } => *addrs = left,
            }
            Some(s)
        })
        .collect();
    if out.is_empty() {
        return Err(QueryError::Invalid(format!(
            "every source address is the target's own: {to} does not reach itself across the network"
        )));
    }
    Ok(out)
}

/// What a CIDR source was expanded from, for the answer's assumption ([`expansion`]).
pub(super) struct Expansion {
    cidr: String,
    vpcs: Vec<String>,
    left_out: Vec<String>,
}

/// The sources a CIDR block stands for, in VPC order, then the outside part. `vpc` narrows to
/// one VPC (by id). Records each unheld part in `warnings`.
pub(super) fn cidr_sources(
    t: &Topology,
    idx: &Index,
    net: &IpNet,
    vpc: Option<&str>,
    ephemeral: Option<(u16, u16)>,
    warnings: &mut Vec<Warning>,
) -> Result<(Vec<Source>, Expansion), QueryError> {
    let vpcs: Vec<VpcIdx> = t
        .vpcs
        .iter()
        .enumerate()
        .filter(|(_, v)| vpc.is_none_or(|id| v.id == id))
        .filter(|(_, v)| v.cidrs().any(|c| overlap(&c, net)))
        .map(|(i, _)| VpcIdx(i as u32))
        .collect();
    if let (Some(v), true) = (vpc, vpcs.is_empty()) {
        return Err(QueryError::NotFound(format!("{net} is not inside {v}")));
    }
    let want = AddrSet::from_net(net);
    let mut out = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    let mut unheld: Vec<Warning> = Vec::new();
    for &v in &vpcs {
        let vpc_id = &t.vpcs[v.i()].id;
        // Interfaces holding addresses of the block in this VPC (index order: by address).
        let mut per_eni: BTreeMap<EniIdx, Vec<IpAddr>> = BTreeMap::new();
        let mut held = Vec::new();
        for &(a, e) in indexed(idx, v, net) {
            per_eni.entry(e).or_default().push(a);
            held.push(IpNet::from(a));
        }
        for (e, addrs) in per_eni {
            let eni = &t.network_interfaces[e.i()];
            if sends_nothing(t, e) {
                left_out.push(eni.id.clone());
                continue;
            }
            let nets: Vec<IpNet> = addrs.into_iter().map(IpNet::from).collect();
            out.push(Source::Eni {
                eni: e,
                addrs: AddrSet::from_nets(nets.iter()),
                ephemeral: ephemeral.unwrap_or_else(|| ephemeral_of(t, e)),
                label: format!("{} in {vpc_id}", eni_label(t, e)),
                peers: Vec::new(),
            });
        }
        // The rest of the block, per subnet: hosts with no security group.
        let rest = want.difference(&AddrSet::from_nets(held.iter()));
        for &s in &t.vpcs[v.i()].subnets {
            let sub = &t.subnets[s.i()];
            let nets: Vec<IpNet> = sub.cidrs().filter(|n| overlap(n, net)).collect();
            if nets.is_empty() {
                continue;
            }
            let block = want.intersect(&AddrSet::from_nets(nets.iter()));
            let part = rest.intersect(&block);
            if part.is_empty() {
                continue;
            }
            let addresses = if part == block {
                summary_addrs(&part)
            } else {
                format!("{} (less the interfaces' addresses)", summary_addrs(&block))
            };
            unheld.push(Warning::UnheldSourceAddress {
                addresses: addresses.clone(),
                subnet: sub.id.clone(),
            });
            out.push(Source::Host {
                subnet: s,
                label: format!("host(s) {addresses} in {} ({vpc_id})", sub.id),
                addrs: part,
            });
        }
    }
    if vpc.is_none() {
        let all_vpcs: Vec<IpNet> = t.vpcs.iter().flat_map(|v| v.cidrs()).collect();
        let outside_part = want
            .difference(&AddrSet::from_nets(all_vpcs.iter()))
            .difference(&snapshot_public(t));
        if !outside_part.is_empty() {
            out.push(Source::Outside {
                // Every block, not a cut list: the label is an element of the answer's
                // `question.sources` (JSON lists are complete; tables cut long labels).
                label: format!("outside host(s) {outside_part} (outside every VPC)"),
                addrs: outside_part,
            });
        }
    }
    left_out.sort();
    warnings.extend(unheld_warnings(net, unheld));
    if out.is_empty() {
        return Err(QueryError::NotFound(format!(
            "{net} holds no address that can send: no network interface that initiates traffic, no subnet address and no address outside the VPCs"
        )));
    }
    let expansion = Expansion {
        cidr: match vpc {
            Some(v) => format!("{v}/{net}"),
            None => net.to_string(),
        },
        vpcs: vpcs.iter().map(|v| t.vpcs[v.i()].id.clone()).collect(),
        left_out,
    };
    Ok((out, expansion))
}

/// One warning per subnet of unheld addresses, or one for them all beyond 8 subnets.
fn unheld_warnings(net: &IpNet, unheld: Vec<Warning>) -> Vec<Warning> {
    if unheld.len() <= 8 {
        return unheld;
    }
    let subnets: Vec<&str> = unheld
        .iter()
        .filter_map(|w| match w {
            Warning::UnheldSourceAddress { subnet, .. } => Some(subnet.as_str()),
            _ => None,
        })
        .collect();
    vec![Warning::UnheldSourceAddress {
        addresses: format!("{net} (every address no interface holds)"),
        subnet: format!("{} subnets ({}, …)", subnets.len(), subnets[..3].join(", ")),
    }]
}

/// The answer's account of a CIDR source: what its final sources are.
pub(super) fn expansion(e: Expansion, sources: &[Source]) -> Assumption {
    let count = |f: fn(&Source) -> bool| sources.iter().filter(|s| f(s)).count();
    Assumption::CidrSource {
        cidr: e.cidr,
        interfaces: count(|s| matches!(s, Source::Eni { .. })),
        hosts: count(|s| matches!(s, Source::Host { .. })),
        vpcs: e.vpcs,
        outside: sources.iter().find_map(|s| match s {
            Source::Outside { addrs, .. } => Some(summary_addrs(addrs)),
            _ => None,
        }),
        left_out: e.left_out,
    }
}

/// The flows one source asked about and those that completed both legs.
pub(super) struct SourceFlows {
    pub(super) vpc: Option<VpcIdx>,
    pub(super) asked: PacketSet,
    pub(super) done: PacketSet,
}

/// The VPC a source sends from (none for outside hosts).
pub(super) fn vpc_of(t: &Topology, s: &Source) -> Option<VpcIdx> {
    match s {
        Source::Eni { eni, .. } => t.network_interfaces[eni.i()].vpc.idx,
        Source::Host { subnet, .. } => t.subnets[subnet.i()].vpc.idx,
        Source::Outside { .. } => None,
    }
}

/// Verdict, passing and failing flows over every source: `reachable` when every flow of every
/// source completes, `partial` when some do, `unreachable` when none do. Quantified per source,
/// so that the same address in two overlapping VPCs counts twice. When the sources lie in
/// several VPCs, `sources` of the summaries name each in-VPC block with its VPC
/// (`vpc-…/10.20.1.10/32`).
pub(super) fn outcome(
    t: &Topology,
    per: &[SourceFlows],
) -> (Verdict, Option<FlowSummary>, Option<FlowSummary>) {
    let mut done: Vec<PacketSet> = Vec::new();
    let mut failing: Vec<PacketSet> = Vec::new();
    let mut done_by: BTreeMap<Option<VpcIdx>, Vec<IpNet>> = BTreeMap::new();
    let mut failing_by: BTreeMap<Option<VpcIdx>, Vec<IpNet>> = BTreeMap::new();
    for s in per {
        let fail = s.asked.difference(&s.done);
        done.push(s.done.clone());
        failing.push(fail.clone());
        for (set, by) in [(&s.done, &mut done_by), (&fail, &mut failing_by)] {
            if !set.is_empty() {
                by.entry(s.vpc)
                    .or_default()
                    .extend(set.project_src().to_cidrs());
            }
        }
    }
    let (done, failing) = (union_all(done), union_all(failing));
    let reachable = per.iter().any(|s| !s.done.is_empty());
    let verdict = if !reachable {
        Verdict::Unreachable
    } else if failing_by.is_empty() {
        Verdict::Reachable
    } else {
        Verdict::Partial
    };
    let vpcs: std::collections::BTreeSet<VpcIdx> = per.iter().filter_map(|s| s.vpc).collect();
    let summarise = |set: &PacketSet, by: &BTreeMap<Option<VpcIdx>, Vec<IpNet>>| {
        let mut f = flow_summary(set);
        if vpcs.len() > 1 {
            f.sources = qualified(t, by);
        }
        f
    };
    let passing = reachable.then(|| summarise(&done, &done_by));
    let failing = (!failing_by.is_empty()).then(|| summarise(&failing, &failing_by));
    (verdict, passing, failing)
}

/// The union of many packet sets, pairwise (sets of similar size meet, so that merged cubes
/// stay few: one union after another would compare each new set with all before it).
fn union_all(mut sets: Vec<PacketSet>) -> PacketSet {
    sets.retain(|s| !s.is_empty());
    while sets.len() > 1 {
        let mut next = Vec::with_capacity(sets.len() / 2 + 1);
        let mut it = sets.chunks(2);
        for pair in &mut it {
            next.push(match pair {
                [a, b] => a.union(b),
                [a] => a.clone(),
                _ => PacketSet::empty(),
            });
        }
        sets = next;
    }
    sets.pop().unwrap_or_default()
}

/// Source blocks per VPC, each named `vpc-…/CIDR`, in VPC order; outside hosts last, plain.
fn qualified(t: &Topology, by: &BTreeMap<Option<VpcIdx>, Vec<IpNet>>) -> Vec<String> {
    let blocks = |nets: &Vec<IpNet>| AddrSet::from_nets(nets.iter()).to_cidrs();
    let mut out = Vec::new();
    for (v, a) in by.iter().filter(|(v, _)| v.is_some()) {
        let id = v.map(|v| t.vpcs[v.i()].id.as_str()).unwrap_or_default();
        out.extend(blocks(a).iter().map(|c| format!("{id}/{c}")));
    }
    if let Some(a) = by.get(&None) {
        out.extend(blocks(a).iter().map(|c| c.to_string()));
    }
    out
}

/// One ephemeral-range assumption per range instead of one per source, for questions with
/// several sources (a block covering thousands of interfaces would list each).
pub(super) fn merge_ephemeral(assumptions: Vec<Assumption>) -> Vec<Assumption> {
    let mut groups: BTreeMap<(u16, u16, bool), Vec<String>> = BTreeMap::new();
    let mut out = Vec::new();
    for a in assumptions {
        match a {
            Assumption::EphemeralPorts {
                low,
                high,
                client,
                given,
            } => groups.entry((low, high, given)).or_default().push(client),
            other => out.push(other),
        }
    }
    for ((low, high, given), mut clients) in groups {
        clients.sort();
        clients.dedup();
        let client = match clients.len() {
            1 => clients.remove(0),
            n => {
                let shown: Vec<&str> = clients.iter().take(3).map(String::as_str).collect();
                let more = if n > 3 { "; …" } else { "" };
                format!("{n} sources ({}{more})", shown.join("; "))
            }
        };
        out.push(Assumption::EphemeralPorts {
            low,
            high,
            client,
            given,
        });
    }
    out
}
