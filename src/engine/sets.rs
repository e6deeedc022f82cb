//! Set questions, for audits: one walk for a whole set of senders at once.
//!
//! `reach` names one source; an audit asks "who reaches this cache" of every sender in the
//! snapshot. Asking once per interface would walk 100,000 times per cache. Instead:
//!
//! * interfaces that the walk cannot tell apart — same subnet, same security groups (in the
//!   same order of ids), same state, same ephemeral range, same source/destination check and
//!   IGW flag — form one [`SenderClass`], walked once as a single client holding all their
//!   addresses ([`SetSource::Class`]); a reply reaching any member is home. Rules that name
//!   single addresses (a NACL entry or a group rule for one /32) still split the class's flows,
//!   so [`SetAnswer::senders`] says exactly which addresses (hence which members) completed;
//! * a list of CIDR blocks (a named outside range such as `office`) is expanded as a CIDR source
//!   of `reach` is, every block at once ([`SetSource::Blocks`]);
//! * `internet` is the usual outside source.

use super::answer::Answer;
use super::assemble::answer_and_senders;
use super::resolve::{ephemeral_of, resolve, resolve_with, sends_nothing, DeliverAt, Source};
use super::sources::cidr_sources;
use super::{Engine, QueryError, Question};
use crate::model::*;
use crate::net::AddrSet;
use ipnet::IpNet;
use std::collections::BTreeMap;

/// Who sends, for a set question.
#[derive(Clone, Copy, Debug)]
pub enum SetSource<'s> {
    /// Every public address outside the snapshot.
    Internet,
    /// Every address of these blocks, expanded as a CIDR source (interfaces holding them in
    /// every VPC, unheld subnet addresses, outside hosts).
    Blocks(&'s [IpNet]),
    /// One class of interfaces, walked as one client.
    Class(&'s SenderClass),
}

/// Interfaces that the walk treats alike, walked as one client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SenderClass {
    /// Members, sorted by index (the first is the one the walk starts at).
    pub members: Vec<EniIdx>,
    pub subnet: SubnetIdx,
    /// The members' security groups (ids as the interfaces list them).
    pub groups: Vec<String>,
}

impl SenderClass {
    /// How answers name the class: `N interface(s) of SUBNET with GROUPS`.
    pub fn label(&self, t: &Topology) -> String {
        format!(
            "{} interface(s) of {} with {}",
            self.members.len(),
            t.subnets[self.subnet.i()].id,
            self.groups.join(", ")
        )
    }
}

/// An answer to a set question, with the source addresses that completed both legs.
#[derive(Clone, Debug)]
pub struct SetAnswer {
    pub answer: Answer,
    /// The source addresses whose flows completed forward and return (client coordinates).
    pub senders: AddrSet,
}

/// Every interface that sends traffic of its own (not a NAT gateway's, a transit-gateway
/// attachment's, an interface endpoint's, nor a cache node's), grouped into classes; in
/// (subnet, groups) order.
pub fn sender_classes(t: &Topology) -> Vec<SenderClass> {
    type Key = (
        SubnetIdx,
        Vec<String>,
        (u16, u16),
        Option<String>,
        bool,
        bool,
    );
    let mut classes: BTreeMap<Key, Vec<EniIdx>> = BTreeMap::new();
    for (i, e) in t.network_interfaces.iter().enumerate() {
        if sends_nothing(t, EniIdx(i as u32))
            || matches!(
                e.owned_by,
                EniOwner::CacheNode(_) | EniOwner::ServerlessCache(_)
            )
        {
            continue;
        }
        let Some(subnet) = e.subnet.idx else { continue };
        let eni = EniIdx(i as u32);
        let key = (
            subnet,
            e.groups.iter().map(|g| g.id.clone()).collect(),
            ephemeral_of(t, eni),
            e.status.clone(),
            e.source_dest_check,
            e.deny_all_igw_traffic,
        );
        classes.entry(key).or_default().push(eni);
    }
    classes
        .into_iter()
        .map(|((subnet, groups, ..), members)| SenderClass {
            members,
            subnet,
            groups,
        })
        .collect()
}

impl Engine<'_> {
    /// Ask `protocol` `ports` from a set of senders to `to` (any target form; `ports` `None` =
    /// the cache's ports when `to` is a cache). `label` names the senders in the answer.
    pub fn ask_set(
        &self,
        from: SetSource<'_>,
        label: &str,
        to: &str,
        protocol: &str,
        ports: Option<&str>,
    ) -> Result<SetAnswer, QueryError> {
        self.ask_set_at(from, label, to, protocol, ports, None)
    }

    /// [`Engine::ask_set`], counting only the requests that take the PrivateLink way
    /// `deliver_at` (when given): on past one of its endpoint interfaces, delivered to one of
    /// its interfaces (who reaches a cache through an endpoint whose load balancer also has
    /// other targets, or whose address another endpoint holds in an overlapping VPC).
    /// Requests delivered elsewhere stop there (`NO_PATH`).
    pub fn ask_set_at(
        &self,
        from: SetSource<'_>,
        label: &str,
        to: &str,
        protocol: &str,
        ports: Option<&str>,
        deliver_at: Option<&DeliverAt>,
    ) -> Result<SetAnswer, QueryError> {
        let t = self.topology;
        let q = |from: &str| Question {
            from: from.to_string(),
            to: to.to_string(),
            protocol: protocol.to_string(),
            ports: ports.map(str::to_string),
            ephemeral: None,
        };
        let resolved = match from {
            SetSource::Internet => resolve(t, &q("internet"))?,
            SetSource::Blocks(blocks) => {
                let mut sources = Vec::new();
                let mut warnings = Vec::new();
                for b in blocks {
                    let (s, _) = cidr_sources(t, &self.index, b, None, None, &mut warnings)?;
                    sources.extend(s);
                }
                resolve_with(t, &q(label), Some((sources, warnings)))?
            }
            SetSource::Class(class) => {
                let Some((&first, rest)) = class.members.split_first() else {
                    return Err(QueryError::NotFound(format!("{label}: no interface")));
                };
                let addrs = class.members.iter().fold(AddrSet::empty(), |acc, e| {
                    let eni = &t.network_interfaces[e.i()];
                    let nets: Vec<IpNet> = eni.private_addresses().map(IpNet::from).collect();
                    acc.union(&AddrSet::from_nets(nets.iter()))
                });
                let source = Source::Eni {
                    eni: first,
                    addrs,
                    ephemeral: ephemeral_of(t, first),
                    label: label.to_string(),
                    peers: rest.to_vec(),
                };
                resolve_with(t, &q(label), Some((vec![source], Vec::new())))?
            }
        };
        let mut resolved = resolved;
        resolved.deliver_at = deliver_at.cloned();
        let (mut answer, senders) = answer_and_senders(t, &self.index, &resolved);
        self.names.apply(&mut answer);
        self.readable.apply(&mut answer);
        Ok(SetAnswer { answer, senders })
    }
}
