//! Short descriptions of address and packet sets for hop details, blocker details and the
//! answer's flow summaries (hop and blocker details cut long CIDR lists; the flow summaries'
//! lists are complete; ports shown only for TCP/UDP-like protocols).

use super::answer::FlowSummary;
use crate::net::{AddrSet, PacketSet, ProtoSet};

/// An address set, at most six blocks spelled out.
pub(super) fn summary_addrs(a: &AddrSet) -> String {
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

/// A packet set in one line: `tcp from A to B port P`.
pub(super) fn summary(p: &PacketSet) -> String {
    let f = flow_summary(p);
    format!(
        "{} from {} to {} port {}",
        f.protocols,
        f.sources.join(","),
        f.destinations.join(","),
        f.ports
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
