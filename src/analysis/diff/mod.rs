//! `diff`: what a change does to reachability. The audit matrix (every cache × source:
//! internet, named ranges, security groups and subnets, directly and through each relay,
//! declared or discovered) and every `[[expect]]` are evaluated on both sides with the same
//! configuration; entries are keyed by (source, cache, port, relay) in maps, so comparing is
//! linear. Each change is explained by the configuration differences ([`config`]) on the
//! components its walks touch on either side ([`trace`]); the other differences are listed
//! apart. Works on any two topologies (two snapshots, or a snapshot and a planned state built
//! in memory).

pub mod config;
mod expects;
pub mod trace;

use crate::analysis::audit::direct::Outside;
use crate::analysis::audit::{audit, AuditInput};
use crate::analysis::check::relays::Discovered;
use crate::config::Config;
use crate::engine::{Engine, Verdict};
use crate::findings::audit_report::{AuditReport, SourceKind};
use crate::findings::diff::*;
use crate::model::Topology;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use trace::{Entry, Trace};

/// What a diff is asked about.
#[derive(Clone, Debug, Default)]
pub struct DiffInput {
    /// The names of both sides, as printed.
    pub before: String,
    pub after: String,
    /// The configuration (`[sources]`, `[[relay]]`, `[[expect]]`); the same for both sides.
    pub config: Option<Config>,
}

/// What both sides take for granted.
const ASSUMPTIONS: [&str; 4] = [
    "both sides are audited with the same configuration ([sources], [[relay]], [[expect]]); every audit assumption holds on both",
    "a cache with several ports: each port of an entry carries the entry's verdict over all ports it reaches",
    "path changes (same verdict, different components) are reported for the internet and named ranges; for security-group and subnet sources only verdict changes are",
    "a change's `because` lists the configuration differences on the components its walks touch on either side (paths, blockers, the source, the relay, the cache): a difference there may not be the only cause",
];

/// One side of a diff.
pub type Side<'a, 'b> = (&'a Topology, &'a Engine<'b>);

/// One matrix entry's key: (source, cache, port, relay).
type Key = (String, String, u16, Option<String>);

/// One matrix entry's value: state and source kind.
type Val = (State, SourceKind);

fn state(v: Verdict) -> State {
    match v {
        Verdict::Reachable => State::Reachable,
        Verdict::Partial => State::Partial,
        Verdict::Unreachable => State::Unreachable,
    }
}

/// Whether a ports text (`6379`, `6379-6380`, `6379, 11211`) covers `p`.
pub fn covers(ports: &str, p: u16) -> bool {
    ports.split(',').map(str::trim).any(|r| {
        let (a, b) = r.split_once('-').unwrap_or((r, r));
        match (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
            (Ok(a), Ok(b)) => a <= p && p <= b,
            _ => false,
        }
    })
}

/// The matrix of one audit, keyed.
fn matrix(r: &AuditReport) -> BTreeMap<Key, Val> {
    let mut m = BTreeMap::new();
    for c in &r.caches {
        for by in &c.reached_by {
            for &p in &c.ports {
                if !covers(&by.ports, p) {
                    continue;
                }
                let key = (
                    by.source.clone(),
                    c.cache.clone(),
                    p,
                    by.via.as_ref().map(|v| v.relay.clone()),
                );
                m.insert(key, (state(by.verdict), by.kind));
            }
        }
    }
    m
}

/// Whether the key's source, cache and relay exist on this side.
struct Exists {
    caches: BTreeSet<String>,
    sources: BTreeSet<String>,
    relays: BTreeSet<String>,
}

impl Exists {
    fn of(t: &Topology, r: &AuditReport) -> Self {
        let mut sources: BTreeSet<String> =
            t.security_groups.iter().map(|g| g.id.clone()).collect();
        sources.extend(t.subnets.iter().map(|s| s.id.clone()));
        sources.insert("internet".into());
        sources.extend(r.sources.iter().map(|s| s.name.clone()));
        Exists {
            caches: r.caches.iter().map(|c| c.cache.clone()).collect(),
            sources,
            relays: t
                .instances
                .iter()
                .filter(|i| i.active)
                .map(|i| i.id.clone())
                .chain(
                    t.vpc_endpoints
                        .iter()
                        .filter(|e| e.active)
                        .map(|e| e.id.clone()),
                )
                .collect(),
        }
    }

    fn state(&self, k: &Key, found: Option<&Val>) -> State {
        if let Some((s, _)) = found {
            return *s;
        }
        let relay_missing = k.3.as_ref().is_some_and(|r| !self.relays.contains(r));
        if !self.caches.contains(&k.1) || !self.sources.contains(&k.0) || relay_missing {
            State::Absent
        } else {
            State::Unreachable
        }
    }
}

fn kind_of(before: State, after: State) -> Option<ChangeKind> {
    match (before.reaches(), after.reaches()) {
        (false, true) => Some(ChangeKind::NewlyReachable),
        (true, false) => Some(ChangeKind::NoLongerReachable),
        (true, true) if before != after => Some(ChangeKind::VerdictChanged),
        _ => None,
    }
}

fn source_kind(k: SourceKind) -> &'static str {
    match k {
        SourceKind::Range => "range",
        SourceKind::Internet => "internet",
        SourceKind::SecurityGroup => "security-group",
        SourceKind::Subnet => "subnet",
        SourceKind::Eni => "eni",
    }
}

/// Look-ups for [`named`], built once per side.
struct Names<'t> {
    eni_instance: HashMap<&'t str, &'t str>,
    members: HashMap<&'t str, Vec<&'t str>>,
}

impl<'t> Names<'t> {
    fn of(t: &'t Topology) -> Self {
        Names {
            eni_instance: t
                .network_interfaces
                .iter()
                .filter_map(|e| Some((e.id.as_str(), e.instance.as_ref()?.id.as_str())))
                .collect(),
            members: t
                .replication_groups
                .iter()
                .map(|g| {
                    (
                        g.id.as_str(),
                        g.members.iter().map(|m| m.id.as_str()).collect(),
                    )
                })
                .collect(),
        }
    }

    /// The component ids a key names itself: the source, the cache (and its member clusters),
    /// the relay; interfaces bring their instance.
    fn add(&self, k: &Key, touched: &mut BTreeSet<String>) {
        touched.insert(k.0.clone());
        touched.insert(k.1.clone());
        if let Some(m) = self.members.get(k.1.as_str()) {
            touched.extend(m.iter().map(|s| s.to_string()));
        }
        if let Some(r) = &k.3 {
            touched.insert(r.clone());
        }
        let instances: Vec<String> = touched
            .iter()
            .filter_map(|id| self.eni_instance.get(id.as_str()).map(|s| s.to_string()))
            .collect();
        touched.extend(instances);
    }
}

/// Run the diff.
pub fn diff(before: Side<'_, '_>, after: Side<'_, '_>, input: &DiffInput) -> DiffReport {
    let cfg = input.config.clone().unwrap_or_default();
    let audit_input = |name: &str| AuditInput {
        snapshot: name.to_string(),
        config: input
            .config
            .as_ref()
            .map(|c| c.file.to_string_lossy().into_owned()),
        ranges: cfg
            .sources
            .iter()
            .map(|s| (s.clone(), "config".to_string()))
            .collect(),
        relays: cfg.relays.clone(),
    };
    let (ra, rb) = rayon::join(
        || audit(before.0, before.1, &audit_input(&input.before)),
        || audit(after.0, after.1, &audit_input(&input.after)),
    );
    let (ma, mb) = (matrix(&ra), matrix(&rb));
    let discovered = (Discovered::of_report(&ra), Discovered::of_report(&rb));
    let (ea, eb) = (Exists::of(before.0, &ra), Exists::of(after.0, &rb));
    let mut outside: BTreeMap<String, Outside> = BTreeMap::new();
    outside.insert(
        "internet".into(),
        Outside {
            name: "internet".into(),
            blocks: Vec::new(),
        },
    );
    for s in &cfg.sources {
        outside.insert(
            s.name.clone(),
            Outside {
                name: s.name.clone(),
                blocks: s.blocks.clone(),
            },
        );
    }
    // Candidates: keys on either side (a merge of two sorted maps).
    let keys: BTreeSet<&Key> = ma.keys().chain(mb.keys()).collect();
    let candidates: Vec<(&Key, State, State, SourceKind)> = keys
        .into_iter()
        .map(|k| {
            let (va, vb) = (ma.get(k), mb.get(k));
            let kind = va.or(vb).map(|v| v.1).unwrap_or(SourceKind::Internet);
            (k, ea.state(k, va), eb.state(k, vb), kind)
        })
        .filter(|(_, a, b, kind)| {
            a != b || matches!(kind, SourceKind::Internet | SourceKind::Range)
        })
        .collect();
    let (na, nb) = (Names::of(before.0), Names::of(after.0));
    let traced: Vec<Option<(Change, BTreeSet<String>)>> = candidates
        .par_iter()
        .map(|(k, a, b, kind)| {
            let entry = Entry {
                source: &k.0,
                outside: outside.get(&k.0),
                cache: &k.1,
                port: k.2,
                via: k.3.as_deref(),
            };
            let ta = if a.reaches() || *a == State::Unreachable {
                trace::trace(before.0, before.1, &cfg.relays, &entry)
            } else {
                Trace::default()
            };
            let tb = if b.reaches() || *b == State::Unreachable {
                trace::trace(after.0, after.1, &cfg.relays, &entry)
            } else {
                Trace::default()
            };
            let change = match kind_of(*a, *b) {
                Some(c) => c,
                None if a.reaches() && a == b && ta.passing != tb.passing => {
                    ChangeKind::PathChanged
                }
                None => return None,
            };
            let mut touched: BTreeSet<String> = ta.touched.union(&tb.touched).cloned().collect();
            na.add(k, &mut touched);
            nb.add(k, &mut touched);
            let outside_source = matches!(kind, SourceKind::Internet | SourceKind::Range);
            Some((
                Change {
                    source: k.0.clone(),
                    source_kind: source_kind(*kind).to_string(),
                    target: k.1.clone(),
                    port: k.2,
                    via: k.3.clone(),
                    before: *a,
                    after: *b,
                    kind: change,
                    new_exposure: outside_source && change == ChangeKind::NewlyReachable,
                    because: Vec::new(),
                },
                touched,
            ))
        })
        .collect();
    let all_config = config::config_diff(before.0, after.0);
    let by_component: BTreeMap<&str, Vec<&ConfigChange>> =
        all_config.iter().fold(BTreeMap::new(), |mut m, c| {
            m.entry(c.component.as_str()).or_default().push(c);
            m
        });
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let mut explain = |touched: &BTreeSet<String>| -> Vec<Because> {
        let mut out = Vec::new();
        for id in touched {
            if let Some(list) = by_component.get(id.as_str()) {
                used.insert(list[0].component.as_str());
                out.extend(list.iter().map(|c| Because {
                    component: c.component.clone(),
                    kind: c.kind.clone(),
                    change: c.change.clone(),
                }));
            }
        }
        out
    };
    let mut changes: Vec<Change> = Vec::new();
    for (mut c, touched) in traced.into_iter().flatten() {
        c.because = explain(&touched);
        changes.push(c);
    }
    changes.sort_by(|x, y| {
        (
            !x.new_exposure,
            x.kind,
            &x.target,
            &x.source,
            x.port,
            &x.via,
        )
            .cmp(&(
                !y.new_exposure,
                y.kind,
                &y.target,
                &y.source,
                y.port,
                &y.via,
            ))
    });
    let expectations = expects::changes(
        before,
        after,
        &cfg,
        (&discovered.0, &discovered.1),
        &mut explain,
    );
    let config_changes: Vec<ConfigChange> = all_config
        .iter()
        .filter(|c| !used.contains(c.component.as_str()))
        .cloned()
        .collect();
    let count = |k: ChangeKind| changes.iter().filter(|c| c.kind == k).count();
    let summary = DiffSummary {
        new_exposures: changes.iter().filter(|c| c.new_exposure).count()
            + expectations.iter().filter(|e| e.new_exposure).count(),
        newly_reachable: count(ChangeKind::NewlyReachable),
        no_longer_reachable: count(ChangeKind::NoLongerReachable),
        verdict_changed: count(ChangeKind::VerdictChanged),
        path_changed: count(ChangeKind::PathChanged),
        expectations_changed: expectations.len(),
        config_differences: all_config.len(),
    };
    DiffReport {
        format_version: DIFF_FORMAT,
        before: input.before.clone(),
        after: input.after.clone(),
        config: input
            .config
            .as_ref()
            .map(|c| c.file.to_string_lossy().into_owned()),
        summary,
        changes,
        expectations,
        config_changes,
        incomplete: Incomplete {
            before: ra.incomplete,
            after: rb.incomplete,
        },
        assumptions: ASSUMPTIONS.iter().map(|s| s.to_string()).collect(),
        plan: None,
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn ports_texts_cover_their_ports() {
        assert!(covers("6379", 6379));
        assert!(!covers("6379", 6380));
        assert!(covers("6379-6380", 6380));
        assert!(covers("11211, 6379", 6379));
        assert!(!covers("", 6379));
    }
}
