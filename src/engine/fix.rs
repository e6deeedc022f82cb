//! The `fix` of a blocker: the smallest configuration change that lets the blocked packets
//! through that component, spelled with ids and the blocked packets' protocol, ports and
//! addresses.
//!
//! - Network ACL: an allow entry before the rule that denied (a free rule number below it).
//! - Security group: an ingress or egress rule for the blocked protocol and ports, naming the
//!   client's group when the client is an interface of the same VPC whose identity survives the
//!   path (S5, S6), else the blocked addresses.
//! - Missing route: a route for the blocked destinations to a target of the VPC that can carry
//!   them (a peering whose peer holds them, a transit-gateway attachment, the internet gateway
//!   for public addresses), else the kind of target that is needed.
//! - No route in a transit-gateway route table: a static route for the CIDRs of the VPCs holding
//!   the destinations to their attachment on that transit gateway.
//! - Any other code: the first sentence of the catalogue's advice for it.

use super::codes::Code;
use super::icmp;
use super::index::Index;
use crate::model::*;
use crate::net::{AddrSet, PacketSet, ProtoSet};
use ipnet::IpNet;

/// How to compute a blocker's fix once every blocked packet of it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum FixPlan {
    /// No configuration change to compute: the catalogue's advice for the code.
    Advice,
    /// An allow entry in `acl` before the lowest of `denied_by`.
    Nacl {
        acl: NetworkAclIdx,
        inbound: bool,
        denied_by: Vec<u16>,
    },
    /// A rule in a group of `eni`; `peer_group` names the client's group when a group
    /// reference would match.
    Sg {
        eni: EniIdx,
        ingress: bool,
        peer_group: Option<String>,
    },
    /// A route in `table` (of `vpc`) for the blocked destinations.
    Route { table: String, vpc: VpcIdx },
    /// A static route in transit-gateway route table `table` (of `tgw`).
    TgwRoute { table: String, tgw: TgwIdx },
    /// A route of `table` (of `vpc`) whose target is gone (`blackhole`): point `route` at a
    /// target that works, or delete it.
    Blackhole {
        table: String,
        vpc: VpcIdx,
        route: String,
    },
    /// An interface behind an internet gateway without a public IPv4: the blocked sources
    /// (`egress`) or destinations (else) are the private addresses that need one.
    PublicIp { egress: bool },
}

/// `tcp 32768-61000`, `icmp type 0`, `udp 53`, `all traffic`: what an allow rule must admit.
fn traffic(blocked: &PacketSet) -> String {
    let protos = blocked.project_proto();
    if protos.is_all() {
        return "all traffic".into();
    }
    if protos.is_subset(&ProtoSet::port_class()) {
        return format!("{protos} {}", blocked.project_dst_ports());
    }
    if protos.is_subset(&ProtoSet::icmp_class()) {
        return format!("{protos} {}", icmp::label(&blocked.project_icmp()));
    }
    protos.to_string()
}

/// At most this many blocks are spelled out in a fix; more are widened to a covering block.
const MAX_BLOCKS: usize = 8;

/// The smallest block holding every address from `lo` to `hi` (`bits` wide).
fn covering(lo: u128, hi: u128, bits: u32) -> u8 {
    let diff = lo ^ hi;
    let len = if diff == 0 {
        bits
    } else {
        bits - (128 - diff.leading_zeros())
    };
    len as u8
}

/// The blocked addresses as a rule names them: the blocks themselves, or when there are more
/// than [`MAX_BLOCKS`], per address family the smallest block covering them all (said so).
fn rule_addrs(a: &AddrSet) -> String {
    let cidrs = a.to_cidrs();
    if cidrs.len() <= MAX_BLOCKS {
        return a.to_string();
    }
    let mut out: Vec<String> = Vec::new();
    let v4: Vec<&IpNet> = cidrs.iter().filter(|n| matches!(n, IpNet::V4(_))).collect();
    let v6: Vec<&IpNet> = cidrs.iter().filter(|n| matches!(n, IpNet::V6(_))).collect();
    if let (Some(IpNet::V4(f)), Some(IpNet::V4(l))) = (v4.first(), v4.last()) {
        let (lo, hi) = (u32::from(f.network()), u32::from(l.broadcast()));
        let len = covering(lo as u128, hi as u128, 32);
        let net = ipnet::Ipv4Net::new(f.network(), len).map(|n| n.trunc());
        out.extend(net.ok().map(|n| n.to_string()));
    }
    if let (Some(IpNet::V6(f)), Some(IpNet::V6(l))) = (v6.first(), v6.last()) {
        let (lo, hi) = (u128::from(f.network()), u128::from(l.broadcast()));
        let len = covering(lo, hi, 128);
        let net = ipnet::Ipv6Net::new(f.network(), len).map(|n| n.trunc());
        out.extend(net.ok().map(|n| n.to_string()));
    }
    format!(
        "{} (covering the {} blocked blocks)",
        out.join(", "),
        cidrs.len()
    )
}

/// A free rule number below `before` in `entries` (a multiple of 10 after the entry before it
/// when there is one, else any free number).
fn free_number(entries: &[NaclEntry], before: u16) -> Option<u16> {
    let used = |n: u16| entries.iter().any(|e| e.rule_number == n);
    let prev = entries
        .iter()
        .map(|e| e.rule_number)
        .filter(|n| *n < before)
        .max()
        .unwrap_or(0);
    let round = (prev / 10 + 1) * 10;
    if round < before && !used(round) {
        return Some(round);
    }
    (1..before).rev().find(|n| !used(*n))
}

fn nacl_fix(
    t: &Topology,
    acl: NetworkAclIdx,
    inbound: bool,
    denied_by: &[u16],
    b: &PacketSet,
) -> String {
    let acl = &t.network_acls[acl.i()];
    let entries = if inbound { &acl.inbound } else { &acl.outbound };
    let (dir, word, addrs) = if inbound {
        ("inbound", "from", b.project_src())
    } else {
        ("outbound", "to", b.project_dst())
    };
    let before = denied_by.iter().copied().min().unwrap_or(32767);
    let (number, place) = if before >= 32767 {
        (
            free_number(entries, 32767),
            "before the final * rule".to_string(),
        )
    } else {
        (
            free_number(entries, before),
            format!("before rule {before}"),
        )
    };
    let entry = match number {
        Some(n) => format!("an {dir} entry to {} as rule {n} ({place})", acl.id),
        None => format!(
            "an {dir} entry to {} {place} (renumber: no free number)",
            acl.id
        ),
    };
    let cidrs = addrs.to_cidrs();
    let n = cidrs.len();
    let families = [
        cidrs.iter().any(|c| matches!(c, IpNet::V4(_))),
        cidrs.iter().any(|c| matches!(c, IpNet::V6(_))),
    ];
    let per = if n > 1 && n <= MAX_BLOCKS {
        " (one entry per block)"
    } else if n > MAX_BLOCKS && families.iter().all(|f| *f) {
        " (one entry per family)"
    } else {
        ""
    };
    format!(
        "add {entry}: allow {} {word} {}{per}",
        traffic(b),
        rule_addrs(&addrs)
    )
}

fn sg_fix(
    t: &Topology,
    eni: EniIdx,
    ingress: bool,
    peer: &Option<String>,
    b: &PacketSet,
) -> String {
    let e = &t.network_interfaces[eni.i()];
    let (dir, word, addrs) = if ingress {
        ("ingress", "from", b.project_src())
    } else {
        ("egress", "to", b.project_dst())
    };
    let peer = peer.clone().unwrap_or_else(|| rule_addrs(&addrs));
    let rule = format!("{dir} {} {word} {peer}", traffic(b));
    match e.groups.as_slice() {
        [] => format!("attach to {} a security group with {rule}", e.id),
        [g] => format!("add to {} {rule}", g.id),
        [g, ..] => format!("add to {} (or another group of {}) {rule}", g.id, e.id),
    }
}

/// RFC 1918, RFC 6598 or IPv6 ULA: addresses an internet gateway does not route to.
fn private(a: &AddrSet) -> bool {
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "fc00::/7",
    ]
    .iter()
    .filter_map(|c| c.parse::<IpNet>().ok())
    .any(|n| a.overlaps(&AddrSet::from_net(&n)))
}

fn route_fix(t: &Topology, idx: &Index, table: &str, vpc: VpcIdx, b: &PacketSet) -> String {
    let dst = b.project_dst();
    // A peering of the VPC whose peer side holds the destinations: route the peer's CIDRs.
    for p in t.vpc_peering_connections.iter().filter(|p| p.active) {
        let peer = if p.requester.vpc.idx == Some(vpc) {
            &p.accepter
        } else if p.accepter.vpc.idx == Some(vpc) {
            &p.requester
        } else {
            continue;
        };
        let nets: Vec<IpNet> = peer
            .cidrs_v4
            .iter()
            .map(|c| IpNet::V4(*c))
            .chain(peer.cidrs_v6.iter().map(|c| IpNet::V6(*c)))
            .filter(|n| dst.overlaps(&AddrSet::from_net(n)))
            .collect();
        if !nets.is_empty() {
            let dest: Vec<String> = nets.iter().map(|n| n.to_string()).collect();
            return format!("add a route {} -> {} to {table}", dest.join(", "), p.id);
        }
    }
    // A transit gateway the VPC is attached to: route the CIDRs of the VPCs holding them.
    let attached = t
        .transit_gateway_attachments
        .iter()
        .find(|a| a.active && a.vpc.as_ref().and_then(|v| v.idx) == Some(vpc));
    if let Some(a) = attached {
        let mut dest: Vec<String> = t
            .vpcs
            .iter()
            .flat_map(|v| v.cidrs())
            .filter(|n| dst.overlaps(&AddrSet::from_net(n)))
            .map(|n| n.to_string())
            .collect();
        dest.dedup();
        if dest.is_empty() {
            dest.push(dst.to_string());
        }
        return format!(
            "add a route {} -> {} to {table}",
            dest.join(", "),
            a.transit_gateway.id
        );
    }
    if !private(&dst) {
        // Public destinations: the internet gateway when every source has a public address
        // (I2), else a public NAT gateway of the VPC, else the internet gateway anyway.
        let src = b.project_src();
        let src_public = src.v4_only().difference(&idx.mapped_private).is_empty();
        let igw = idx
            .igw_of_vpc
            .get(&vpc)
            .map(|g| t.internet_gateways[g.i()].id.clone());
        let nat = t.nat_gateways.iter().find(|n| {
            n.active
                && n.connectivity == Connectivity::Public
                && n.vpc.as_ref().and_then(|v| v.idx) == Some(vpc)
        });
        let dst = rule_addrs(&dst);
        match (igw, nat) {
            (Some(igw), _) if src_public => {
                return format!("add a route {dst} -> {igw} to {table}");
            }
            (_, Some(n)) => return format!("add a route {dst} -> {} to {table}", n.id),
            (Some(igw), None) => {
                return format!(
                    "add a route {dst} -> {igw} to {table} (the source also needs a public IP, or a NAT gateway)"
                );
            }
            (None, None) => {}
        }
    }
    format!(
        "add a route {} to {table} via a peering connection, transit gateway or gateway that reaches it ({} has none attached that does)",
        rule_addrs(&dst),
        t.vpcs[vpc.i()].id
    )
}

/// A static TGW route for the blocked destinations: the CIDRs of the VPCs holding them, to
/// their VPC attachment on the same transit gateway.
fn tgw_route_fix(t: &Topology, table: &str, tgw: TgwIdx, b: &PacketSet) -> String {
    let dst = b.project_dst();
    let mut out: Vec<String> = Vec::new();
    for a in t.transit_gateway_attachments.iter().filter(|a| {
        a.active
            && a.transit_gateway.idx == Some(tgw)
            && a.vpc.as_ref().is_some_and(|v| v.idx.is_some())
    }) {
        let Some(v) = a.vpc.as_ref().and_then(|v| v.idx) else {
            continue;
        };
        let nets: Vec<String> = t.vpcs[v.i()]
            .cidrs()
            .filter(|n| dst.overlaps(&AddrSet::from_net(n)))
            .map(|n| n.to_string())
            .collect();
        if !nets.is_empty() {
            out.push(format!("{} -> {}", nets.join(", "), a.id));
        }
    }
    if out.is_empty() {
        return format!(
            "add a static route {} to {table} towards an attachment that reaches it (no VPC attached to {} holds it)",
            rule_addrs(&dst),
            t.transit_gateways[tgw.i()].id
        );
    }
    format!("add a static route {} to {table}", out.join("; "))
}

/// The fix of a SNAPSHOT_INCOMPLETE blocker whose data is there but unreadable or
/// contradictory (its `detail` says which): correct that data, rather than the catalogue's
/// advice to re-collect missing calls. `None` when the detail names no such case.
pub(super) fn incomplete(component: &str, detail: &str) -> Option<String> {
    let fix = if detail.contains("several targets") {
        "give that route its one target (AWS routes have exactly one) or re-export the route table"
    } else if detail.contains("no target") {
        "give that route its target (a GatewayId, NatGatewayId, ... field) or re-export the route table"
    } else if detail.contains("associated with two") || detail.contains("gives two") {
        "keep only the association AWS holds (the detail names both candidates) or re-export both files"
    } else if detail.contains("differing copies") {
        "keep only the copy AWS holds (the detail names both) or re-export the file"
    } else if detail.contains("failed to load") {
        "correct the value at the file#pointer the detail names (or re-export that file), so that it loads"
    } else {
        return None;
    };
    Some(format!("{component}: {fix}, then ask again"))
}

/// The interfaces holding `addrs` (IPv4): `eni-… (10.0.1.5)`, sorted.
fn holders(t: &Topology, idx: &Index, addrs: &AddrSet) -> Vec<String> {
    let mut out: Vec<String> = idx
        .by_vpc
        .values()
        .flatten()
        .filter(|(a, _)| a.is_ipv4() && addrs.contains(*a))
        .map(|(a, e)| format!("{} ({a})", t.network_interfaces[e.i()].id))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn public_ip_fix(t: &Topology, idx: &Index, egress: bool, b: &PacketSet) -> Option<String> {
    let addrs = if egress {
        b.project_src()
    } else {
        b.project_dst()
    };
    let enis = holders(t, idx, &addrs);
    if enis.is_empty() {
        return None;
    }
    let tail = if egress {
        ", or route the subnet's internet traffic through a public NAT gateway instead"
    } else {
        ", then ask for its public address"
    };
    Some(format!(
        "associate an Elastic IP with {} (aws ec2 associate-address){tail}",
        enis.join(", ")
    ))
}

/// Replace a blackhole route's target by one that carries the blocked packets (as a missing
/// route would get), or delete the route.
fn blackhole_fix(
    t: &Topology,
    idx: &Index,
    table: &str,
    vpc: VpcIdx,
    route: &str,
    b: &PacketSet,
) -> String {
    let add = route_fix(t, idx, table, vpc, b);
    let target = add
        .strip_prefix("add a route ")
        .and_then(|r| r.split(" -> ").nth(1))
        .and_then(|r| r.split(" to ").next())
        .filter(|x| !x.contains(' '));
    match target {
        Some(target) => format!(
            "in {table}, replace the target of the route {route} with {target} (aws ec2 replace-route), or delete the route so that a less specific route applies"
        ),
        None => format!(
            "in {table}, replace the target of the route {route} with one that works (aws ec2 replace-route), or delete the route so that a less specific route applies"
        ),
    }
}

/// The first sentence of the catalogue's advice for `code`.
fn advice(code: Code, component: &str) -> String {
    let fix = code.doc().fix;
    let first = match fix.find(". ") {
        Some(i) => &fix[..=i],
        None => fix,
    };
    format!("{component}: {first}")
}

/// The fix of a blocker of `code` at `component`, from everything it blocked (current headers).
pub(super) fn render(
    t: &Topology,
    idx: &Index,
    code: Code,
    component: &str,
    plan: &FixPlan,
    blocked: &PacketSet,
) -> String {
    if blocked.is_empty() {
        return advice(code, component);
    }
    match plan {
        FixPlan::Advice => advice(code, component),
        FixPlan::Nacl {
            acl,
            inbound,
            denied_by,
        } => nacl_fix(t, *acl, *inbound, denied_by, blocked),
        FixPlan::Sg {
            eni,
            ingress,
            peer_group,
        } => sg_fix(t, *eni, *ingress, peer_group, blocked),
        FixPlan::Route { table, vpc } => route_fix(t, idx, table, *vpc, blocked),
        FixPlan::TgwRoute { table, tgw } => tgw_route_fix(t, table, *tgw, blocked),
        FixPlan::Blackhole { table, vpc, route } => {
            blackhole_fix(t, idx, table, *vpc, route, blocked)
        }
        FixPlan::PublicIp { egress } => public_ip_fix(t, idx, *egress, blocked)
            .map(|f| format!("{component}: {f}"))
            .unwrap_or_else(|| advice(code, component)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u16) -> NaclEntry {
        NaclEntry {
            rule_number: n,
            action: RuleAction::Allow,
            protocol: Protocol::All,
            cidr: "0.0.0.0/0".parse().unwrap_or(IpNet::V4(Default::default())),
            ports: None,
            icmp: None,
            synthesized: false,
        }
    }

    #[test]
    fn many_blocks_are_widened_to_a_covering_block_per_family() {
        let nets: Vec<IpNet> = [
            "10.0.0.0/24",
            "10.0.2.0/24",
            "10.0.4.0/24",
            "10.0.6.0/24",
            "10.0.8.0/24",
            "10.0.10.0/24",
            "10.0.12.0/24",
            "10.0.14.0/24",
            "10.0.16.0/24",
            "2600:1f18::/64",
            "2600:1f18:0:2::/64",
        ]
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
        // 9 IPv4 blocks from 10.0.0.0 to 10.0.16.255: 10.0.0.0/19 is the smallest holding
        // them; the two IPv6 /64s differ in bit 63 of the prefix: 2600:1f18::/62.
        assert_eq!(
            rule_addrs(&AddrSet::from_nets(nets.iter())),
            "10.0.0.0/19, 2600:1f18::/62 (covering the 11 blocked blocks)"
        );
        let few: Vec<IpNet> = nets.iter().take(2).cloned().collect();
        assert_eq!(
            rule_addrs(&AddrSet::from_nets(few.iter())),
            "10.0.0.0/24, 10.0.2.0/24"
        );
    }

    #[test]
    fn free_numbers_prefer_a_round_number_after_the_previous_entry() {
        let es = [entry(100), entry(200), entry(32767)];
        assert_eq!(free_number(&es, 200), Some(110));
        assert_eq!(free_number(&es, 32767), Some(210));
        assert_eq!(free_number(&es, 100), Some(10));
        let tight = [entry(199), entry(200)];
        assert_eq!(free_number(&tight, 200), Some(198));
        let full = [entry(1), entry(2)];
        assert_eq!(free_number(&full, 2), None);
    }
}
