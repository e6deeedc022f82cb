//! Readable names for address sets people know by name: a flow list that is exactly the
//! `internet` set of the snapshot (public IPv4 / IPv6 space outside it) is labelled
//! `internet (public IPv4)` for the tables. The JSON lists stay complete; the labels are not
//! serialized.

use super::answer::{Answer, FlowSummary};
use crate::model::Topology;

/// The block lists of the snapshot's `internet`, per family, as the flow summaries write them.
#[derive(Debug)]
pub struct Readable {
    sets: Vec<(Vec<String>, &'static str)>,
    /// The same sets, for the hop and blocker details (see `summary::KnownSets`).
    known: super::summary::Named,
}

impl Readable {
    /// The `internet` set of this topology, IPv4, IPv6 and both.
    pub fn new(t: &Topology) -> Readable {
        let internet = super::resolve::internet(t);
        let list = |a: &crate::net::AddrSet| -> Vec<String> {
            a.to_cidrs().iter().map(|c| c.to_string()).collect()
        };
        let known = vec![
            (internet.v4_only(), "internet (public IPv4)"),
            (internet.v6_only(), "internet (public IPv6)"),
            (internet.clone(), "internet (public IPv4 and IPv6)"),
        ];
        Readable {
            sets: known.iter().map(|(a, l)| (list(a), *l)).collect(),
            known: std::sync::Arc::new(known),
        }
    }

    fn label(&self, blocks: &[String]) -> Option<String> {
        if blocks.is_empty() {
            return None;
        }
        self.sets
            .iter()
            .find(|(set, _)| set.as_slice() == blocks)
            .map(|(_, l)| l.to_string())
    }

    fn flows(&self, f: &mut FlowSummary) {
        f.sources_label = self.label(&f.sources);
        f.destinations_label = self.label(&f.destinations);
    }

    /// The named sets, for `summary::KnownSets::scope`.
    pub(super) fn known(&self) -> &super::summary::Named {
        &self.known
    }

    /// Label every flow summary of the answer that is exactly an `internet` set.
    pub fn apply(&self, a: &mut Answer) {
        let summaries = a
            .passing
            .iter_mut()
            .chain(a.failing.iter_mut())
            .chain(a.paths.iter_mut().map(|p| &mut p.flows))
            .chain(a.walked.iter_mut().map(|w| &mut w.flows));
        for f in summaries {
            self.flows(f);
        }
    }
}
