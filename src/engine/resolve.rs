//! Resolving a question's words into located address sets: which ENIs (or outside hosts) send,
//! which addresses are targeted, which protocol and ports, which ephemeral range.

use super::notes::{Assumption, Warning};
pub(super) use super::sanity::parse_net;
use super::{QueryError, Question};
use crate::model::*;
use crate::net::{AddrSet, IntervalSet, ProtoSet};
use ipnet::IpNet;
use std::net::IpAddr;

/// Where flows start.
#[derive(Clone, Debug)]
pub enum Source {
    /// An ENI sending from some of its addresses.
    Eni {
        eni: EniIdx,
        addrs: AddrSet,
        ephemeral: (u16, u16),
        label: String,
        /// Other interfaces sending as the same client (an audit's class of interfaces with the
        /// same subnet, groups and state, walked once): a reply reaching one of them is home.
        peers: Vec<EniIdx>,
    },
    /// An address inside a subnet that no ENI holds: a host with no security group (assumed
    /// allow-all), placed in that subnet.
    Host {
        subnet: SubnetIdx,
        addrs: AddrSet,
        label: String,
    },
    /// Hosts outside every VPC: they enter through an internet gateway.
    Outside { addrs: AddrSet, label: String },
}

impl Source {
    pub fn label(&self) -> &str {
        match self {
            Source::Eni { label, .. }
            | Source::Host { label, .. }
            | Source::Outside { label, .. } => label,
        }
    }
    pub fn addrs(&self) -> &AddrSet {
        match self {
            Source::Eni { addrs, .. }
            | Source::Host { addrs, .. }
            | Source::Outside { addrs, .. } => addrs,
        }
    }
}

/// What flows aim at.
#[derive(Clone, Debug)]
pub struct Target {
    /// Addresses used by sources inside the network (private, IPv6).
    pub private: AddrSet,
    /// Addresses used by outside sources (public IPs, IPv6); empty = none (use `private`).
    pub public: AddrSet,
    pub label: String,
    /// True for caches (ports default to theirs).
    pub is_cache: bool,
}

/// Where a question's ports (or ICMP types) came from: `--port`, the target cache's ports, or
/// every port because neither gave any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PortsOrigin {
    /// `--port` named them.
    Asked,
    /// No `--port`: the ports the target cache listens on.
    Cache,
    /// No `--port` and no cache: every port (or every ICMP type).
    All,
}

/// A question resolved against a topology.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub question: Question,
    pub sources: Vec<Source>,
    pub targets: Vec<Target>,
    pub protocol: ProtoSet,
    pub protocol_label: String,
    pub ports: IntervalSet<u16>,
    pub ports_label: String,
    /// Where the ports came from.
    pub ports_origin: PortsOrigin,
    /// ICMP types and codes asked about (`--port` names types for ICMP and ICMPv6; full
    /// otherwise), as the ICMP dimension's `type << 8 | code` values.
    pub icmp: IntervalSet<u16>,
    /// Ephemeral range forced by the question.
    pub ephemeral: Option<(u16, u16)>,
    pub warnings: Vec<Warning>,
    /// What resolving took for granted (how a CIDR source was expanded).
    pub assumptions: Vec<Assumption>,
    /// Set questions only: the PrivateLink way a request must take to count; `None`: any.
    pub deliver_at: Option<DeliverAt>,
}

/// A PrivateLink way a set question counts (`Engine::ask_set_at`): requests go on past an
/// endpoint only at `endpoints` (another endpoint holding the same address in an overlapping
/// VPC does not count) and count only when delivered to one of `at` (a load balancer may have
/// other targets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliverAt {
    pub endpoints: Vec<EniIdx>,
    pub at: Vec<EniIdx>,
}

pub use crate::model::public::public_space;

/// ENIs a word names, the cache ports when it named a cache, and a label.
type Named = (Vec<EniIdx>, Option<Vec<u16>>, String);

fn parse_ports(s: &str) -> Result<IntervalSet<u16>, QueryError> {
    let bad = || {
        QueryError::Invalid(format!(
            "invalid port {s:?}: expected N or N-M with 0 <= N <= M <= 65535"
        ))
    };
    let (lo, hi) = match s.split_once('-') {
        Some((a, b)) => (
            a.trim().parse::<u16>().map_err(|_| bad())?,
            b.trim().parse::<u16>().map_err(|_| bad())?,
        ),
        None => {
            let p = s.trim().parse::<u16>().map_err(|_| bad())?;
            (p, p)
        }
    };
    if lo > hi {
        return Err(bad());
    }
    Ok(IntervalSet::range(lo, hi))
}

/// `--port T` or `T-U` for ICMP and ICMPv6: the types T to U, every code.
fn icmp_types(s: &str) -> Result<IntervalSet<u16>, QueryError> {
    let bad = || {
        QueryError::Invalid(format!(
            "invalid ICMP type {s:?}: expected T or T-U with 0 <= T <= U <= 255"
        ))
    };
    // The message names ICMP types, not ports, whatever is wrong (`8-3`, `x`, `300`).
    let set = parse_ports(s).map_err(|_| bad())?;
    match (set.first(), set.last()) {
        (Some(lo), Some(hi)) if hi <= 255 => Ok(super::icmp::types(lo as u8, hi as u8)),
        _ => Err(bad()),
    }
}

/// Interfaces that never initiate traffic: they are left out of a CIDR source. Those of NAT
/// gateways, transit-gateway attachments, VPC endpoints, load balancers and resource gateways
/// (L2, L4): they forward or answer traffic but send none of their own.
pub(super) fn sends_nothing(t: &Topology, e: EniIdx) -> bool {
    matches!(
        t.network_interfaces[e.i()].owned_by,
        EniOwner::NatGateway(_)
            | EniOwner::TransitGatewayAttachment(_)
            | EniOwner::VpcEndpoint(_)
            | EniOwner::LoadBalancer(_)
    ) || t
        .resource_gateways
        .iter()
        .any(|g| g.network_interfaces.contains(&e))
}

/// Ephemeral range of a client ENI (N8).
pub fn ephemeral_of(t: &Topology, eni: EniIdx) -> (u16, u16) {
    let e = &t.network_interfaces[eni.i()];
    match e.instance.as_ref().and_then(|r| r.idx) {
        Some(i) => {
            let windows = t.instances[i.i()]
                .platform
                .as_deref()
                .is_some_and(|p| p.to_ascii_lowercase().contains("windows"));
            if windows {
                (49152, 65535)
            } else {
                (32768, 61000)
            }
        }
        None => (1024, 65535),
    }
}

fn eni_addrs(e: &NetworkInterface) -> AddrSet {
    let mut s = AddrSet::empty();
    for a in e.private_addresses() {
        s = s.union(&AddrSet::from_addr(a));
    }
    s
}

fn eni_public(e: &NetworkInterface) -> AddrSet {
    let mut s = AddrSet::empty();
    for a in e.public_ips() {
        s = s.union(&AddrSet::from_addr(IpAddr::V4(a)));
    }
    for a in &e.ipv6_addresses {
        s = s.union(&AddrSet::from_addr(IpAddr::V6(*a)));
    }
    s
}

/// `internet`: public unicast space minus everything the snapshot holds — the public addresses
/// of its ENIs and every VPC block (a VPC's IPv6 /56, or a public IPv4 block used inside a VPC,
/// is never an outside host's address, held by an interface or not).
pub fn internet(t: &Topology) -> AddrSet {
    t.internet().clone()
}

/// Every public address (IPv4 public IPs, IPv6) of the snapshot's ENIs (cached with the
/// topology: [`Topology::public_addrs`]).
pub(super) fn snapshot_public(t: &Topology) -> AddrSet {
    t.public_addrs().clone()
}

pub(super) fn eni_label(t: &Topology, e: EniIdx) -> String {
    let eni = &t.network_interfaces[e.i()];
    let addrs: Vec<String> = eni.private_addresses().map(|a| a.to_string()).collect();
    let owner = match &eni.owned_by {
        EniOwner::Instance(i) => {
            let name = eni
                .instance
                .as_ref()
                .and_then(|r| r.idx)
                .and_then(|i| t.instances[i.i()].name.clone());
            match name {
                Some(n) => format!(" ({i} {n})"),
                None => format!(" ({i})"),
            }
        }
        EniOwner::CacheNode(c) => format!(" (cache {c})"),
        EniOwner::NatGateway(n) => format!(" ({n})"),
        EniOwner::VpcEndpoint(v) => format!(" ({v})"),
        EniOwner::TransitGatewayAttachment(a) => format!(" ({a})"),
        EniOwner::ServerlessCache(s) => format!(" (serverless {s})"),
        EniOwner::LoadBalancer(l) => format!(" (load balancer {l})"),
        EniOwner::Other => String::new(),
    };
    format!("{}{} {}", eni.id, owner, addrs.join(","))
}

/// ENIs named by a word: instance, ENI, subnet, security group, endpoint, cache, Name tag.
/// Returns the ENIs and whether the word named a cache (with its ports).
fn enis_of(t: &Topology, word: &str) -> Result<Named, QueryError> {
    let all = |kind: Kind| -> Vec<u32> { t.ids.all(kind, word).iter().map(|(_, i)| *i).collect() };
    let mut enis: Vec<EniIdx> = Vec::new();
    if word.starts_with("i-") {
        for i in all(Kind::Instance) {
            enis.extend(t.instances[i as usize].network_interfaces.iter().copied());
        }
        return found(t, enis, word, "instance", Kind::Instance);
    }
    if word.starts_with("eni-") {
        enis.extend(all(Kind::NetworkInterface).into_iter().map(EniIdx));
        return found(t, enis, word, "network interface", Kind::NetworkInterface);
    }
    if word.starts_with("subnet-") {
        let subnets = all(Kind::Subnet);
        for (ei, e) in t.network_interfaces.iter().enumerate() {
            if e.subnet.idx.is_some_and(|s| subnets.contains(&s.0)) {
                enis.push(EniIdx(ei as u32));
            }
        }
        if enis.is_empty() && !subnets.is_empty() {
            return Err(QueryError::NotFound(format!("subnet {word} has no network interfaces; name an address in it instead (e.g. its CIDR)")));
        }
        return found(t, enis, word, "subnet", Kind::Subnet);
    }
    if word.starts_with("sg-") {
        for g in all(Kind::SecurityGroup) {
            enis.extend(t.security_groups[g as usize].members.iter().copied());
        }
        return found(t, enis, word, "security group", Kind::SecurityGroup);
    }
    if word.starts_with("vpce-") {
        for v in all(Kind::VpcEndpoint) {
            enis.extend(
                t.vpc_endpoints[v as usize]
                    .network_interfaces
                    .iter()
                    .filter_map(|r| r.idx),
            );
        }
        return found(
            t,
            enis,
            word,
            "VPC endpoint (interface endpoints only)",
            Kind::VpcEndpoint,
        );
    }
    if word.starts_with("vpc-") {
        // Every network interface in the VPC (as a source, those that send nothing of their
        // own are left out by `resolve_source`).
        for v in all(Kind::Vpc) {
            for (ei, e) in t.network_interfaces.iter().enumerate() {
                if e.vpc.idx == Some(VpcIdx(v)) {
                    enis.push(EniIdx(ei as u32));
                }
            }
        }
        return found(t, enis, word, "VPC", Kind::Vpc);
    }
    if let Some(tag) = word.strip_prefix("name:") {
        for inst in t
            .instances
            .iter()
            .filter(|i| i.name.as_deref() == Some(tag))
        {
            enis.extend(inst.network_interfaces.iter().copied());
        }
        if enis.is_empty() {
            for (ei, e) in t.network_interfaces.iter().enumerate() {
                if e.name.as_deref() == Some(tag) {
                    enis.push(EniIdx(ei as u32));
                }
            }
        }
        if enis.is_empty() {
            return Err(QueryError::NotFound(format!(
                "no instance or network interface has the Name tag {tag}{}{}",
                not_loaded(t, &["Reservations", "NetworkInterfaces"]),
                super::suggest::name_tag(t, tag)
            )));
        }
        return found(t, enis, word, "Name tag", Kind::Instance);
    }
    if let Some(named) = super::cache_endpoints::resolve(t, word)? {
        return Ok(named);
    }
    let name = word.strip_prefix("cache:").unwrap_or(word);
    let mut ports = Vec::new();
    let mut kinds = Vec::new();
    for c in all_named(t, Kind::CacheCluster, name) {
        let cc = &t.cache_clusters[c as usize];
        enis.extend(cc.nodes.iter().filter_map(|n| n.network_interface));
        ports.extend(cc.ports.iter().copied());
        kinds.push("cache cluster");
    }
    for r in all_named(t, Kind::ReplicationGroup, name) {
        let rg = &t.replication_groups[r as usize];
        for m in rg.members.iter().filter_map(|m| m.idx) {
            enis.extend(
                t.cache_clusters[m.i()]
                    .nodes
                    .iter()
                    .filter_map(|n| n.network_interface),
            );
        }
        ports.extend(rg.ports.iter().copied());
        kinds.push("replication group");
    }
    for s in all_named(t, Kind::ServerlessCache, name) {
        let sc = &t.serverless_caches[s as usize];
        enis.extend(sc.network_interfaces.iter().copied());
        ports.extend(sc.ports.iter().copied());
        kinds.push("serverless cache");
    }
    if kinds.len() > 1 && !word.starts_with("cache:") && kinds.iter().any(|k| *k != kinds[0]) {
        return Err(QueryError::Ambiguous(format!("{word} names several caches ({}); the nodes of all of them are used — say cache:{name} to confirm", kinds.join(", "))));
    }
    if !kinds.is_empty() {
        ports.sort();
        ports.dedup();
        enis.sort();
        enis.dedup();
        if enis.is_empty() {
            let lost = not_loaded(
                t,
                &["CacheClusters", "ReplicationGroups", "NetworkInterfaces"],
            );
            if !lost.is_empty() {
                return Err(QueryError::NotFound(format!(
                    "cache {name}: no node network interface loaded{lost}"
                )));
            }
            return Err(QueryError::NotFound(format!("cache {name} has no node ENIs in the snapshot (describe-network-interfaces missing?)")));
        }
        return Ok((enis, Some(ports), format!("cache {name}")));
    }
    if let Some(r) = t.completeness.rejected(name) {
        return Err(QueryError::NotFound(format!(
            "{name} {} (SNAPSHOT_INCOMPLETE): fix the file, or ask about an address instead",
            r.describe()
        )));
    }
    Err(QueryError::NotFound(format!(
        "`{word}` names nothing in the snapshot (expected an IP address or CIDR, `internet`, an id (i-, eni-, subnet-, sg-, vpce-, vpc-), a cache name or endpoint, or name:TAG){}{}",
        not_loaded(
            t,
            &["CacheClusters", "ReplicationGroups", "ServerlessCaches"]
        ),
        super::suggest::cache_or_name(t, name)
    )))
}

/// `; but <file> did not load (<kinds> missing): ... (SNAPSHOT_INCOMPLETE)` for the files in which
/// resources of `keys` did not fully load (empty when all of them did): a name that resolves to
/// nothing is then possibly in the lost data, and the message must say so, not "not there".
fn not_loaded(t: &Topology, keys: &[&str]) -> String {
    let mut files: Vec<String> = Vec::new();
    for k in keys {
        for f in t.completeness.affecting(k) {
            let d = f.describe();
            if !files.contains(&d) {
                files.push(d);
            }
        }
    }
    if files.is_empty() {
        return String::new();
    }
    format!(
        "; but the snapshot is incomplete, so it may be in the data that did not load: {} (SNAPSHOT_INCOMPLETE)",
        files.join("; ")
    )
}

fn all_named(t: &Topology, kind: Kind, name: &str) -> Vec<u32> {
    t.ids.all(kind, name).iter().map(|(_, i)| *i).collect()
}

fn found(
    t: &Topology,
    mut enis: Vec<EniIdx>,
    word: &str,
    what: &str,
    kind: Kind,
) -> Result<Named, QueryError> {
    enis.sort();
    enis.dedup();
    if enis.is_empty() {
        // An element that failed to load is no "not found": say where it failed.
        if let Some(r) = t.completeness.rejected(word) {
            return Err(QueryError::NotFound(format!(
                "{what} {word} {} (SNAPSHOT_INCOMPLETE): fix the file, or ask about an address instead",
                r.describe()
            )));
        }
        // Not found, but the files that would list it did not fully load: say so.
        let key = match what {
            "instance" => Some("Reservations"),
            "network interface" => Some("NetworkInterfaces"),
            "subnet" => Some("Subnets"),
            "security group" => Some("SecurityGroups"),
            _ => None,
        };
        if let Some(why) = key.and_then(|k| t.completeness.why_absent(k, word)) {
            return Err(QueryError::NotFound(format!(
                "no network interface found for {what}: {why} (SNAPSHOT_INCOMPLETE)"
            )));
        }
        if t.ids.all(kind, word).is_empty() {
            // A typo, most often: say it does not exist, and what is near.
            return Err(QueryError::NotFound(format!(
                "no {what} {word} in the snapshot{}",
                super::suggest::id_of_kind(t, kind, word)
            )));
        }
        Err(QueryError::NotFound(format!(
            "{what} {word} has no network interface in the snapshot"
        )))
    } else {
        Ok((enis, None, format!("{what} {word}")))
    }
}

/// `10.0.1.5` for a host, `10.0.1.0/24` for a block.
fn show_net(n: &IpNet) -> String {
    if n.prefix_len() == n.max_prefix_len() {
        n.addr().to_string()
    } else {
        n.to_string()
    }
}

fn vpcs_containing(t: &Topology, net: &IpNet, vpc: Option<&str>) -> Vec<VpcIdx> {
    t.vpcs
        .iter()
        .enumerate()
        .filter(|(_, v)| vpc.is_none_or(|id| v.id == id))
        .filter(|(_, v)| v.cidrs().any(|c| c.contains(&net.network())))
        .map(|(i, _)| VpcIdx(i as u32))
        .collect()
}

fn resolve_source(
    t: &Topology,
    word: &str,
    ephemeral: Option<(u16, u16)>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Source>, QueryError> {
    if word == "internet" {
        return Ok(vec![Source::Outside {
            addrs: internet(t),
            label: "internet (any public address outside the snapshot)".into(),
        }]);
    }
    if let Some((vpc, net)) = parse_net(word) {
        let vpcs = vpcs_containing(t, &net, vpc);
        if vpcs.is_empty() {
            if let Some(v) = vpc {
                return Err(QueryError::NotFound(format!("{net} is not inside {v}")));
            }
            return Ok(vec![Source::Outside {
                addrs: AddrSet::from_net(&net),
                label: format!("outside host(s) {net}"),
            }]);
        }
        if vpcs.len() > 1 {
            let cands: Vec<String> = vpcs
                .iter()
                .map(|v| format!("{}/{}", t.vpcs[v.i()].id, show_net(&net)))
                .collect();
            return Err(QueryError::Ambiguous(format!(
                "{} exists in several VPCs with overlapping CIDRs; qualify it as one of: {}",
                show_net(&net),
                cands.join(", ")
            )));
        }
        let v = vpcs[0];
        let want = AddrSet::from_net(&net);
        let mut out = Vec::new();
        let mut held = AddrSet::empty();
        for (ei, e) in t.network_interfaces.iter().enumerate() {
            if e.vpc.idx != Some(v) {
                continue;
            }
            let a = eni_addrs(e).intersect(&want);
            if !a.is_empty() {
                held = held.union(&a);
                let eni = EniIdx(ei as u32);
                out.push(Source::Eni {
                    eni,
                    addrs: a,
                    ephemeral: ephemeral.unwrap_or_else(|| ephemeral_of(t, eni)),
                    label: eni_label(t, eni),
                    peers: Vec::new(),
                });
            }
        }
        let rest = want.difference(&held);
        if !rest.is_empty() {
            for &s in &t.vpcs[v.i()].subnets {
                let sub = &t.subnets[s.i()];
                let nets: Vec<IpNet> = sub.cidrs().collect();
                let part = rest.intersect(&AddrSet::from_nets(nets.iter()));
                if !part.is_empty() {
                    warnings.push(Warning::UnheldSourceAddress {
                        addresses: part.to_string(),
                        subnet: sub.id.clone(),
                    });
                    out.push(Source::Host {
                        subnet: s,
                        addrs: part.clone(),
                        label: format!("host {part} in {}", sub.id),
                    });
                }
            }
        }
        if out.is_empty() {
            return Err(QueryError::NotFound(format!(
                "{net} is inside {} but in none of its subnets",
                t.vpcs[v.i()].id
            )));
        }
        return Ok(out);
    }
    let (enis, _, _) = enis_of(t, word)?;
    let vpc = word.starts_with("vpc-");
    Ok(enis
        .into_iter()
        // A VPC as source: every interface in it that sends traffic of its own.
        .filter(|e| !(vpc && sends_nothing(t, *e)))
        .map(|eni| Source::Eni {
            eni,
            addrs: eni_addrs(&t.network_interfaces[eni.i()]),
            ephemeral: ephemeral.unwrap_or_else(|| ephemeral_of(t, eni)),
            label: eni_label(t, eni),
            peers: Vec::new(),
        })
        .collect())
}

fn resolve_target(t: &Topology, word: &str) -> Result<(Vec<Target>, Option<Vec<u16>>), QueryError> {
    if word == "internet" {
        let p = internet(t);
        return Ok((
            vec![Target {
                private: p.clone(),
                public: p,
                label: "internet (any public address outside the snapshot)".into(),
                is_cache: false,
            }],
            None,
        ));
    }
    if let Some((vpc, net)) = parse_net(word) {
        let mut set = AddrSet::from_net(&net);
        if let Some(v) = vpc {
            if vpcs_containing(t, &net, Some(v)).is_empty() {
                return Err(QueryError::NotFound(format!("{net} is not inside {v}")));
            }
            set = AddrSet::from_net(&net);
        }
        return Ok((
            vec![Target {
                private: set.clone(),
                public: set,
                label: net.to_string(),
                is_cache: false,
            }],
            None,
        ));
    }
    let (enis, ports, label) = enis_of(t, word)?;
    let is_cache = ports.is_some();
    let targets = enis
        .into_iter()
        .map(|e| {
            let eni = &t.network_interfaces[e.i()];
            Target {
                private: eni_addrs(eni),
                public: eni_public(eni),
                label: format!("{label}: {}", eni_label(t, e)),
                is_cache,
            }
        })
        .collect();
    Ok((targets, ports))
}

/// Resolve a question (a CIDR block as source: [`super::sources::resolve`]).
pub fn resolve(t: &Topology, q: &Question) -> Result<Resolved, QueryError> {
    resolve_with(t, q, None)
}

/// Resolve a question whose sources, when given, were already resolved (with their warnings).
pub(super) fn resolve_with(
    t: &Topology,
    q: &Question,
    given: Option<(Vec<Source>, Vec<Warning>)>,
) -> Result<Resolved, QueryError> {
    let protocol = Protocol::parse(&q.protocol).ok_or_else(|| {
        QueryError::Invalid(format!(
            "unknown protocol {:?}: expected tcp, udp, icmp, icmpv6, all or a number",
            q.protocol
        ))
    })?;
    super::sanity::check_address_syntax(q.from.trim())?;
    super::sanity::check_address_syntax(q.to.trim())?;
    if q.from.trim() == "internet" && q.to.trim() == "internet" {
        return Err(QueryError::Invalid(
            "--from internet --to internet: traffic between two outside hosts never enters the snapshot's network; name a VPC address or resource on one side".into(),
        ));
    }
    let single_source = given.is_none();
    let (sources, mut warnings) = match given {
        Some(g) => g,
        None => {
            let mut warnings = Vec::new();
            let sources = resolve_source(t, q.from.trim(), q.ephemeral, &mut warnings)?;
            (sources, warnings)
        }
    };
    let (targets, cache_ports) = resolve_target(t, q.to.trim())?;
    if single_source {
        let from: Vec<(bool, &AddrSet)> = sources
            .iter()
            .map(|s| (!matches!(s, Source::Outside { .. }), s.addrs()))
            .collect();
        let to: Vec<&AddrSet> = targets.iter().map(|t| &t.private).collect();
        super::sanity::same_on_both_sides(&from, &to, q)?;
    }
    let (proto_set, protocol_label) = match protocol {
        Protocol::All => (ProtoSet::all(), "all".to_string()),
        Protocol::Number(n) => (ProtoSet::single(n), protocol.to_string()),
    };
    let mut icmp = IntervalSet::full();
    let mut ports_origin = if q.ports.is_some() {
        PortsOrigin::Asked
    } else {
        PortsOrigin::All
    };
    // `--port`, else the `:port` written after a cache endpoint hostname.
    let asked = match &q.ports {
        Some(p) => Some(p.clone()),
        None => super::cache_endpoints::port_suffix(t, q.to.trim())?,
    };
    if asked.is_some() {
        ports_origin = PortsOrigin::Asked;
    }
    let (ports, ports_label) = match (&asked, &cache_ports) {
        (Some(p), _) if protocol.is_icmp() => {
            icmp = icmp_types(p)?;
            let mut label = super::icmp::label(&icmp);
            // One type that no ICMP message uses (`--port 22` read as a port): say so.
            if let (Some(lo), Some(hi)) = (icmp.first(), icmp.last()) {
                let (ty, v6) = ((lo >> 8) as u8, protocol == Protocol::Number(58));
                if lo >> 8 == hi >> 8 && !super::icmp::is_defined(v6, ty) {
                    let family = if v6 { "ICMPv6" } else { "ICMP" };
                    label = format!("{label} (no {family} message type is assigned {ty}; --port is the type for {family})");
                }
            }
            (IntervalSet::full(), label)
        }
        (Some(p), _) => (parse_ports(p)?, p.clone()),
        (None, _) if protocol.is_icmp() => (IntervalSet::full(), "all types".to_string()),
        (None, Some(cp)) if protocol.has_ports() || protocol == Protocol::All => {
            let mut set = IntervalSet::empty();
            for p in cp {
                set = set.union(&IntervalSet::single(*p));
            }
            let label = cp
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(",");
            ports_origin = PortsOrigin::Cache;
            (set, label)
        }
        _ => (IntervalSet::full(), "all".to_string()),
    };
    if let (PortsOrigin::Asked, Some(cp)) = (ports_origin, &cache_ports) {
        let own = cp.iter().fold(IntervalSet::empty(), |s, p| {
            s.union(&IntervalSet::single(*p))
        });
        if protocol.has_ports() && own.intersect(&ports).is_empty() {
            warnings.push(Warning::PortNotCachePort {
                cache: q.to.trim().to_string(),
                asked: ports_label.clone(),
                ports: cp
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            });
        }
    }
    if let Some((lo, hi)) = q.ephemeral {
        if lo > hi {
            return Err(QueryError::Invalid(format!(
                "invalid ephemeral range {lo}-{hi}"
            )));
        }
    }
    Ok(Resolved {
        question: q.clone(),
        sources,
        targets,
        protocol: proto_set,
        protocol_label,
        ports,
        ports_label,
        ports_origin,
        icmp,
        ephemeral: q.ephemeral,
        warnings,
        assumptions: Vec::new(),
        deliver_at: None,
    })
}
