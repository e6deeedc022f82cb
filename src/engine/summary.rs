//! Short descriptions of address and packet sets for hop details, blocker details and the
//! answer's flow summaries (hop and blocker details cut long CIDR lists; the flow summaries'
//! lists are complete; ports shown only for TCP/UDP-like protocols).

use super::answer::FlowSummary;
use crate::net::{AddrSet, PacketSet, ProtoSet};
use std::cell::RefCell;
use std::sync::Arc;

/// Named address sets, shared: installing them for a question copies a pointer, not the sets
/// (the `internet` of 100,000 public addresses is megabytes).
pub(super) type Named = Arc<Vec<(AddrSet, &'static str)>>;

thread_local! {
    /// Address sets people know by name (the snapshot's `internet`), set for the duration of
    /// one question by [`KnownSets::scope`]; details name them instead of listing 125 blocks.
    static KNOWN: RefCell<Option<Named>> = const { RefCell::new(None) };
}

/// The named sets of one topology, installed while the engine answers a question on this
/// thread (questions are answered on one thread each; several threads each install their own).
pub(super) struct KnownSets;

impl KnownSets {
    /// Run `f` with `sets` named in every detail written meanwhile on this thread.
    pub(super) fn scope<R>(sets: &Named, f: impl FnOnce() -> R) -> R {
        struct Reset(Option<Named>);
        impl Drop for Reset {
            fn drop(&mut self) {
                let old = self.0.take();
                KNOWN.with(|k| *k.borrow_mut() = old);
            }
        }
        let old = KNOWN.with(|k| k.borrow_mut().replace(Arc::clone(sets)));
        let _reset = Reset(old);
        f()
    }
}

/// The name of `a` when it is exactly a named set of the current question.
fn known_name(a: &AddrSet) -> Option<&'static str> {
    KNOWN.with(|k| {
        k.borrow()
            .as_ref()
            .and_then(|sets| sets.iter().find(|(s, _)| s == a).map(|(_, n)| *n))
    })
}

/// An address set, at most six blocks spelled out; a set people know by name (the snapshot's
/// `internet`) by that name.
pub(super) fn summary_addrs(a: &AddrSet) -> String {
    if let Some(name) = known_name(a) {
        return name.to_string();
    }
    let cidrs = a.to_cidrs();
    if cidrs.len() > 6 {
        format!(
            "{} ... ({} blocks)",
            cidrs
                .iter()
                .take(5)
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            cidrs.len()
        )
    } else {
        a.to_string()
    }
}

/// The words after the addresses for a flow summary's `ports`: ` port 22` for TCP/UDP-like
/// protocols, ` type 8` / ` all types` for ICMP (never "port type 8"), nothing when ports do
/// not apply (`n/a`).
pub fn port_phrase(ports: &str) -> String {
    if ports == "n/a" || ports.is_empty() {
        String::new()
    } else if ports.starts_with("type") || ports.starts_with("all types") {
        format!(" {ports}")
    } else {
        format!(" port {ports}")
    }
}

/// A packet set in one line: `tcp from A to B port P`.
pub(super) fn summary(p: &PacketSet) -> String {
    let f = flow_summary(p);
    format!(
        "{} from {} to {}{}",
        f.protocols,
        f.sources.join(","),
        f.destinations.join(","),
        port_phrase(&f.ports)
    )
}

/// Summarise a packet set per dimension.
pub fn flow_summary(p: &PacketSet) -> FlowSummary {
    // Complete lists: the JSON contract never cuts them (renderers may abbreviate).
    let to_list =
        |a: AddrSet| -> Vec<String> { a.to_cidrs().iter().map(|x| x.to_string()).collect() };
    let protos = p.project_proto();
    FlowSummary {
        sources: to_list(p.project_src()),
        destinations: to_list(p.project_dst()),
        protocols: if protos.is_all() {
            "all".into()
        } else {
            protos.to_string()
        },
        ports: if protos.overlaps(&ProtoSet::port_class()) {
            p.project_dst_ports().to_string()
        } else if !protos.is_empty() && protos.is_subset(&ProtoSet::icmp_class()) {
            super::icmp::label(&p.project_icmp())
        } else {
            "n/a".into()
        },
        sources_label: None,
        destinations_label: None,
    }
}
