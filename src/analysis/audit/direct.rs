//! Who reaches a cache directly: the internet, each named range, and the snapshot's own
//! interfaces aggregated by security group and by subnet (counts, never one row per
//! interface). One set walk per (cache, outside source) and per (cache, sender class).

use super::caches::{Admission, CacheTarget};
use crate::engine::sets::{SenderClass, SetAnswer, SetSource};
use crate::engine::{Engine, Verdict};
use crate::findings::audit_report::{EniCount, ReachedBy, SourceKind};
use crate::model::*;
use crate::net::AddrSet;
use ipnet::IpNet;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// An outside source: `internet` or a named range.
#[derive(Clone, Debug)]
pub struct Outside {
    pub name: String,
    /// Empty for `internet`.
    pub blocks: Vec<IpNet>,
}

impl Outside {
    pub fn set(&self) -> SetSource<'_> {
        if self.blocks.is_empty() {
            SetSource::Internet
        } else {
            SetSource::Blocks(&self.blocks)
        }
    }

    pub fn kind(&self) -> SourceKind {
        if self.blocks.is_empty() {
            SourceKind::Internet
        } else {
            SourceKind::Range
        }
    }
}

/// The passing ports of an answer (`6379`), or empty.
pub fn passing_ports(a: &SetAnswer) -> String {
    a.answer
        .passing
        .as_ref()
        .map(|p| p.ports.clone())
        .unwrap_or_default()
}

/// A direct entry from an outside source, when it reaches.
pub fn outside_entry(
    engine: &Engine<'_>,
    cache: &CacheTarget,
    o: &Outside,
) -> Option<(ReachedBy, SetAnswer)> {
    let a = engine
        .ask_set(o.set(), &o.name, &cache.target(), "tcp", None)
        .ok()?;
    if a.answer.verdict == Verdict::Unreachable {
        return None;
    }
    let entry = ReachedBy {
        source: o.name.clone(),
        kind: o.kind(),
        name: None,
        via: None,
        verdict: a.answer.verdict,
        ports: passing_ports(&a),
        enis: None,
        privatelink: None,
    };
    Some((entry, a))
}

/// What one class's walk found: how many members reach, whether all flows completed, ports.
#[derive(Clone, Debug)]
pub struct ClassReach {
    pub class: usize,
    pub reaching: Vec<EniIdx>,
    pub complete: bool,
    pub ports: String,
}

/// Walk every class the cache's groups may admit (in parallel); the classes that reach.
pub fn class_reach(
    t: &Topology,
    engine: &Engine<'_>,
    cache: &CacheTarget,
    classes: &[SenderClass],
) -> Vec<ClassReach> {
    let admission = Admission::of(t, cache);
    let target = cache.target();
    classes
        .par_iter()
        .enumerate()
        .filter(|(_, c)| admission.may_admit(t, c))
        .filter_map(|(i, c)| {
            let label = c.label(t);
            let a = engine
                .ask_set(SetSource::Class(c), &label, &target, "tcp", None)
                .ok()?;
            if a.answer.verdict == Verdict::Unreachable {
                return None;
            }
            let reaching: Vec<EniIdx> = c
                .members
                .iter()
                .copied()
                .filter(|e| holds_any(&t.network_interfaces[e.i()], &a.senders))
                .collect();
            Some(ClassReach {
                class: i,
                complete: a.answer.verdict == Verdict::Reachable
                    && reaching.len() == c.members.len(),
                reaching,
                ports: passing_ports(&a),
            })
        })
        .collect()
}

fn holds_any(eni: &NetworkInterface, set: &AddrSet) -> bool {
    eni.private_addresses().any(|a: IpAddr| set.contains(a))
}

/// Aggregate class results by security group and by subnet: one entry per group or subnet
/// with at least one reaching interface; `total` counts every sending interface of it.
pub fn aggregate(t: &Topology, classes: &[SenderClass], reach: &[ClassReach]) -> Vec<ReachedBy> {
    #[derive(Default)]
    struct Acc {
        reaching: usize,
        total: usize,
        complete: bool,
        ports: Vec<String>,
    }
    // Keys borrow the ids (no string is copied per class: this runs once per cache over every
    // class of the organisation); the map keeps (kind, id) order as before.
    fn keys<'a>(
        t: &'a Topology,
        c: &'a SenderClass,
    ) -> impl Iterator<Item = (SourceKind, &'a str)> + 'a {
        c.groups
            .iter()
            .map(|g| (SourceKind::SecurityGroup, g.as_str()))
            .chain(std::iter::once((
                SourceKind::Subnet,
                t.subnets[c.subnet.i()].id.as_str(),
            )))
    }
    let mut by: BTreeMap<(SourceKind, &str), Acc> = BTreeMap::new();
    // Names of the subnets and groups that get entries: those of reaching classes.
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    let reached: BTreeMap<usize, &ClassReach> = reach.iter().map(|r| (r.class, r)).collect();
    // Only groups and subnets with a reaching class get entries; totals count all classes.
    for r in reach {
        let c = &classes[r.class];
        let sub = &t.subnets[c.subnet.i()];
        if let Some(n) = &sub.name {
            names.insert(&sub.id, n);
        }
        if let Some(e) = c.members.first() {
            for g in &t.network_interfaces[e.i()].groups {
                if let Some(gi) = g.idx {
                    names.insert(&g.id, &t.security_groups[gi.i()].name);
                }
            }
        }
        for k in keys(t, c) {
            by.entry(k).or_insert_with(|| Acc {
                complete: true,
                ..Acc::default()
            });
        }
    }
    for (i, c) in classes.iter().enumerate() {
        for k in keys(t, c) {
            let Some(acc) = by.get_mut(&k) else { continue };
            acc.total += c.members.len();
            match reached.get(&i) {
                Some(r) => {
                    acc.reaching += r.reaching.len();
                    acc.complete &= r.complete;
                    if !acc.ports.contains(&r.ports) {
                        acc.ports.push(r.ports.clone());
                    }
                }
                None => acc.complete = false,
            }
        }
    }
    by.into_iter()
        .filter(|(_, a)| a.reaching > 0)
        .map(|((kind, id), a)| ReachedBy {
            name: names.get(id).map(|n| n.to_string()),
            source: id.to_string(),
            kind,
            via: None,
            verdict: if a.complete {
                Verdict::Reachable
            } else {
                Verdict::Partial
            },
            ports: a.ports.join(", "),
            enis: Some(EniCount {
                reaching: a.reaching,
                total: a.total,
            }),
            privatelink: None,
        })
        .collect()
}
