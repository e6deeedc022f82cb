//! SSM readiness of every running instance, for the audit (semantics M3): computed once per
//! class of instances the network cannot tell apart (the same subnets, security groups and
//! interface states, and an instance profile or not), with [`crate::analysis::ssm::readiness`],
//! in parallel; each member gets its class's answer under its own id.

use crate::engine::Engine;
use crate::findings::audit_report::SsmEntry;
use crate::model::*;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// What makes two instances' readiness the same.
type Key = (Vec<(Option<SubnetIdx>, Vec<String>, Option<String>)>, bool);

fn key(t: &Topology, i: &Instance) -> Key {
    let enis = i
        .network_interfaces
        .iter()
        .map(|e| {
            let eni = &t.network_interfaces[e.i()];
            (
                eni.subnet.idx,
                eni.groups.iter().map(|g| g.id.clone()).collect(),
                eni.status.clone(),
            )
        })
        .collect();
    (enis, i.instance_profile.is_some())
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
    let mut classes: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for &n in &running {
        classes.entry(key(t, &t.instances[n])).or_default().push(n);
    }
    let reps: Vec<&Vec<usize>> = classes.values().collect();
    let answers: Vec<(usize, SsmEntry)> = reps
        .par_iter()
        .flat_map_iter(|members| {
            let rep = &t.instances[members[0]];
            let r = crate::analysis::ssm::readiness(t, engine, rep);
            members.iter().map(move |&n| {
                let inst = &t.instances[n];
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
