//! Brute-force reachability oracle: follows ONE concrete packet hop by hop through the model.
//!
//! Shares no code with `src/engine` (only the model types). Every rule of
//! `docs/engine-semantics.md` is applied literally to a single packet (source/destination IPv4,
//! protocol, source and destination port): NACLs first-match by rule number, security groups as
//! a union of allow rules (not checked on the reply), routes by longest prefix, and so on.
//! [`flow`] walks the forward packet and then the reply, and says whether both are delivered.
//! Quantifying over ports is left to the caller ([`boundary_points`]).
//!
//! Scope: IPv4; ICMP type/code are not varied (the generator only writes "any type" ICMP rules);
//! no prefix lists, gateway (edge) route tables, VPC endpoints, ENI route targets or observed
//! TGW routes (a path that meets one of them is reported `unsupported`).

#![allow(dead_code)]

use ipnet::{IpNet, Ipv4Net};
use std::net::Ipv4Addr;
use vpcreach::model::*;

pub const TCP: u8 = 6;
pub const UDP: u8 = 17;
pub const ICMP: u8 = 1;

/// One concrete packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pkt {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub proto: u8,
    pub sport: u16,
    pub dport: u16,
}

impl Pkt {
    pub fn swapped(&self) -> Pkt {
        Pkt {
            src: self.dst,
            dst: self.src,
            proto: self.proto,
            sport: self.dport,
            dport: self.sport,
        }
    }
}

impl std::fmt::Display for Pkt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = match self.proto {
            TCP => "tcp",
            UDP => "udp",
            ICMP => "icmp",
            _ => "proto",
        };
        if self.proto == TCP || self.proto == UDP {
            write!(
                f,
                "{p} {}:{} -> {}:{}",
                self.src, self.sport, self.dst, self.dport
            )
        } else {
            write!(f, "{p} {} -> {}", self.src, self.dst)
        }
    }
}

/// Who sends the first packet.
#[derive(Clone, Copy, Debug)]
pub enum Client {
    Eni(EniIdx),
    /// A host on the internet (or an office network) with this address.
    Outside(Ipv4Addr),
}

/// The outcome for one flow.
#[derive(Clone, Debug, Default)]
pub struct FlowResult {
    pub forward: bool,
    pub complete: bool,
    /// A NAT gateway rewrote the source port: the result depends on `nat_port`.
    pub used_nat: bool,
    /// The path met something the oracle does not model.
    pub unsupported: bool,
    pub trace: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Forward,
    Reply,
}

/// Whether security-group references still match after the hops taken so far (S6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    SameVpc,
    Peering {
        cross_region: bool,
    },
    /// Through a transit gateway; `ok` = referencing support on the TGW and both attachments.
    Tgw {
        ok: bool,
    },
    /// NAT gateway or internet gateway on the path: identity lost.
    Stripped,
}

/// A source NAT done by a NAT gateway on the forward leg, to be reversed on the reply.
#[derive(Clone, Copy, Debug)]
struct NatRecord {
    nat: usize,
    private_ip: Ipv4Addr,
    orig_src: Ipv4Addr,
    orig_sport: u16,
    new_sport: u16,
}

/// Where a walk ended.
#[derive(Clone, Copy, Debug)]
enum End {
    Eni(usize, Pkt),
    Outside(Pkt),
    Dropped,
}

struct Walk<'a> {
    t: &'a Topology,
    mode: Mode,
    ctx: Ctx,
    nat_port: u16,
    nats: Vec<NatRecord>,
    used_nat: bool,
    unsupported: bool,
    hops: usize,
    trace: Vec<String>,
}

// ------------------------------------------------------------------------------------------
// Small helpers on the model.
// ------------------------------------------------------------------------------------------

pub fn is_private_or_cgnat(a: Ipv4Addr) -> bool {
    let o = a.octets();
    o[0] == 10
        || (o[0] == 172 && (16..=31).contains(&o[1]))
        || (o[0] == 192 && o[1] == 168)
        || (o[0] == 100 && (64..=127).contains(&o[1]))
}

fn v4(n: &IpNet) -> Option<Ipv4Net> {
    match n {
        IpNet::V4(x) => Some(*x),
        _ => None,
    }
}

fn contains(n: &IpNet, a: Ipv4Addr) -> bool {
    v4(n).is_some_and(|x| x.contains(&a))
}

/// Liveness of an ENI as sender or receiver: attached to a running instance, or not
/// instance-owned.
pub fn eni_live(t: &Topology, e: usize) -> bool {
    let eni = &t.network_interfaces[e];
    match &eni.instance {
        // Not instance-owned: live while in use. A detached interface (status `available`)
        // carries no traffic (engine and AWS agree; the doc's "not instance-owned" means the
        // service-owned ENIs: NAT, endpoints, caches, ...).
        None => !eni
            .status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("available")),
        Some(r) => match r.idx {
            Some(i) => t.instances[i.i()].active,
            None => false,
        },
    }
}

/// The ENI holding a private IPv4 address, restricted to a VPC.
fn eni_with_private(t: &Topology, vpc: Option<VpcIdx>, a: Ipv4Addr) -> Option<usize> {
    t.network_interfaces.iter().position(|e| {
        (vpc.is_none() || e.vpc.idx == vpc) && e.private_ips.iter().any(|p| p.address == a)
    })
}

/// The ENI and private address a public IPv4 maps to.
pub fn eni_with_public(t: &Topology, a: Ipv4Addr) -> Option<(usize, Ipv4Addr)> {
    for (i, e) in t.network_interfaces.iter().enumerate() {
        for p in &e.private_ips {
            if p.public_ip == Some(a) {
                return Some((i, p.address));
            }
        }
    }
    None
}

/// The NAT gateway owning an ENI.
fn nat_of_eni(t: &Topology, e: usize) -> Option<usize> {
    let eni = &t.network_interfaces[e];
    if let EniOwner::NatGateway(id) = &eni.owned_by {
        if let Some(n) = t.nat_gateways.iter().position(|n| &n.id == id) {
            return Some(n);
        }
    }
    t.nat_gateways.iter().position(|n| {
        n.addresses
            .iter()
            .any(|a| a.network_interface.as_ref().and_then(|r| r.idx) == Some(EniIdx(e as u32)))
    })
}

fn subnet_of(t: &Topology, e: usize) -> Option<usize> {
    t.network_interfaces[e].subnet.idx.map(|s| s.i())
}

// ------------------------------------------------------------------------------------------
// NACLs and security groups.
// ------------------------------------------------------------------------------------------

fn entry_matches(e: &NaclEntry, addr: Ipv4Addr, p: &Pkt) -> bool {
    if !contains(&e.cidr, addr) {
        return false;
    }
    match e.protocol {
        Protocol::All => true,
        Protocol::Number(n) => {
            if n != p.proto {
                return false;
            }
            if n == TCP || n == UDP {
                e.ports.is_none_or(|(a, b)| a <= p.dport && p.dport <= b)
            } else if n == ICMP {
                e.icmp.is_none_or(|m| {
                    m.icmp_type.is_none_or(|x| x == 8) && m.code.is_none_or(|x| x == 0)
                })
            } else {
                true
            }
        }
    }
}

/// First match by rule number; inbound tests the source, outbound the destination (N2–N6).
pub fn nacl_allows(acl: &NetworkAcl, outbound: bool, p: &Pkt) -> (bool, String) {
    let mut entries: Vec<&NaclEntry> = if outbound {
        acl.outbound.iter().collect()
    } else {
        acl.inbound.iter().collect()
    };
    // Never trust the order we were given: sort again (stable) by rule number.
    entries.sort_by_key(|e| e.rule_number);
    let addr = if outbound { p.dst } else { p.src };
    for e in entries {
        if entry_matches(e, addr, p) {
            return (
                e.action == RuleAction::Allow,
                format!("rule {} {:?}", e.rule_number, e.action),
            );
        }
    }
    (false, "no entry matches (implicit deny)".into())
}

fn sg_rule_matches(
    t: &Topology,
    r: &SgRule,
    addr: Ipv4Addr,
    p: &Pkt,
    ctx: Ctx,
    ingress: bool,
) -> bool {
    let proto_ok = match r.protocol {
        Protocol::All => true,
        Protocol::Number(n) => {
            n == p.proto
                && if n == TCP || n == UDP {
                    r.ports.is_none_or(|(a, b)| a <= p.dport && p.dport <= b)
                } else if n == ICMP {
                    r.icmp.is_none_or(|m| {
                        m.icmp_type.is_none_or(|x| x == 8) && m.code.is_none_or(|x| x == 0)
                    })
                } else {
                    true
                }
        }
    };
    if !proto_ok {
        return false;
    }
    match &r.peer {
        SgPeer::Cidr { cidr } => contains(cidr, addr),
        SgPeer::PrefixList { prefix_list } => prefix_list
            .idx
            .and_then(|i| t.prefix_lists[i.i()].cidrs.as_ref())
            .is_some_and(|c| c.iter().any(|n| contains(n, addr))),
        SgPeer::Group(g) => {
            if g.resolution != GroupResolution::Resolved {
                return false;
            }
            let Some(gi) = g.group.idx else { return false };
            let identity = match ctx {
                Ctx::SameVpc => true,
                Ctx::Peering { cross_region } => !cross_region,
                Ctx::Tgw { ok } => ingress && ok,
                Ctx::Stripped => false,
            };
            identity
                && t.security_groups[gi.i()].members.iter().any(|m| {
                    t.network_interfaces[m.i()]
                        .private_ips
                        .iter()
                        .any(|x| x.address == addr)
                })
        }
    }
}

/// Union of the ENI's groups' rules (S1); egress tests the destination, ingress the source.
fn sg_allows(t: &Topology, e: usize, ingress: bool, p: &Pkt, ctx: Ctx) -> bool {
    let addr = if ingress { p.src } else { p.dst };
    t.network_interfaces[e].groups.iter().any(|g| {
        g.idx.is_some_and(|gi| {
            let sg = &t.security_groups[gi.i()];
            let rules = if ingress { &sg.inbound } else { &sg.outbound };
            rules
                .iter()
                .any(|r| sg_rule_matches(t, r, addr, p, ctx, ingress))
        })
    })
}

// ------------------------------------------------------------------------------------------
// Routing.
// ------------------------------------------------------------------------------------------

fn origin_rank(r: &Route) -> u8 {
    match (&r.destination, r.origin) {
        (RouteDestination::PrefixList(_), _) => 1,
        (_, RouteOrigin::EnableVgwRoutePropagation) => 0,
        _ => 2,
    }
}

/// Longest-prefix match in a VPC route table (R4); ties: static > prefix list > propagated.
fn vpc_lpm<'t>(t: &'t Topology, rt: &'t RouteTable, dst: Ipv4Addr) -> Option<&'t Route> {
    let mut best: Option<(u8, u8, &Route)> = None;
    for r in &rt.routes {
        let nets: Vec<Ipv4Net> = match &r.destination {
            RouteDestination::Cidr(c) => v4(c).into_iter().collect(),
            RouteDestination::PrefixList(pl) => pl
                .idx
                .and_then(|i| t.prefix_lists[i.i()].cidrs.clone())
                .unwrap_or_default()
                .iter()
                .filter_map(v4)
                .collect(),
        };
        for n in nets {
            if n.contains(&dst) {
                let key = (n.prefix_len(), origin_rank(r));
                if best.is_none_or(|(l, o, _)| key > (l, o)) {
                    best = Some((key.0, key.1, r));
                }
            }
        }
    }
    best.map(|b| b.2)
}

impl<'a> Walk<'a> {
    fn log(&mut self, s: impl Into<String>) {
        self.trace.push(format!(
            "{}{}",
            if self.mode == Mode::Reply {
                "  [reply] "
            } else {
                "  "
            },
            s.into()
        ));
    }

    fn drop_(&mut self, why: impl Into<String>) -> End {
        let w = why.into();
        self.log(format!("DROP: {w}"));
        End::Dropped
    }

    fn nacl(&mut self, subnet: usize, outbound: bool, p: &Pkt) -> bool {
        let s = &self.t.subnets[subnet];
        let Some(acl) = s.network_acl else {
            self.log(format!("{} has no NACL: deny", s.id));
            return false;
        };
        let acl = &self.t.network_acls[acl.i()];
        let (ok, why) = nacl_allows(acl, outbound, p);
        self.log(format!(
            "NACL {} ({}) {} {}: {} ({})",
            acl.id,
            s.id,
            if outbound { "outbound" } else { "inbound" },
            p,
            if ok { "allow" } else { "DENY" },
            why
        ));
        ok
    }

    fn strip(&mut self) {
        self.ctx = Ctx::Stripped;
    }

    /// The packet arrives at ENI `e` (after any NACLs).
    fn deliver(&mut self, e: usize, p: Pkt) -> End {
        let t = self.t;
        if !eni_live(t, e) {
            return self.drop_(format!(
                "{} holds {} but is not live",
                t.network_interfaces[e].id, p.dst
            ));
        }
        if let Some(n) = nat_of_eni(t, e) {
            if self.mode == Mode::Reply {
                if let Some(pos) = self
                    .nats
                    .iter()
                    .rposition(|r| r.nat == n && r.private_ip == p.dst && r.new_sport == p.dport)
                {
                    let rec = self.nats.remove(pos);
                    let mut q = p;
                    q.dst = rec.orig_src;
                    q.dport = rec.orig_sport;
                    self.log(format!(
                        "{} reverses its translation: {}",
                        t.nat_gateways[n].id, q
                    ));
                    let Some(sub) = t.nat_gateways[n].subnet.as_ref().and_then(|r| r.idx) else {
                        return self.drop_("NAT gateway without subnet");
                    };
                    return self.route_from(sub.i(), q);
                }
            }
            return self.drop_(format!(
                "{} belongs to NAT gateway {}: never a destination (G3)",
                t.network_interfaces[e].id, t.nat_gateways[n].id
            ));
        }
        self.log(format!(
            "delivered to {} ({})",
            t.network_interfaces[e].id, p
        ));
        End::Eni(e, p)
    }

    /// A packet leaves a sender in subnet `s` (an ENI, a NAT gateway, a TGW attachment ENI).
    fn route_from(&mut self, s: usize, p: Pkt) -> End {
        let t = self.t;
        self.hops += 1;
        if self.hops > 12 {
            self.unsupported = true;
            return self.drop_("routing loop (hop limit)");
        }
        let sub = &t.subnets[s];
        let Some(vpc) = sub.vpc.idx else {
            return self.drop_("subnet without VPC");
        };
        // R7: same subnet, no route lookup, no NACL.
        if sub.cidr_v4.is_some_and(|c| c.contains(&p.dst)) {
            self.log(format!(
                "{} is in the sender's subnet {}: direct",
                p.dst, sub.id
            ));
            return match eni_with_private(t, Some(vpc), p.dst) {
                Some(e) => self.deliver(e, p),
                None => self.drop_(format!("no ENI holds {} (NO_PATH)", p.dst)),
            };
        }
        let Some(rti) = sub.route_table else {
            return self.drop_(format!("{} has no route table", sub.id));
        };
        let rt = &t.route_tables[rti.i()];
        if !rt.gateways.is_empty() {
            // Edge tables are not generated; only note it.
        }
        let Some(route) = vpc_lpm(t, rt, p.dst) else {
            return self.drop_(format!(
                "{}: no route to {} (NO_ROUTE_TO_DESTINATION)",
                rt.id, p.dst
            ));
        };
        let dest = match &route.destination {
            RouteDestination::Cidr(c) => c.to_string(),
            RouteDestination::PrefixList(pl) => pl.id.clone(),
        };
        self.log(format!(
            "route table {} ({}): {} -> {}{}",
            rt.id,
            sub.id,
            dest,
            route.target.id(),
            if route.active { "" } else { " [blackhole]" }
        ));
        if !route.active {
            return self.drop_("blackhole route (BAD_STATE_ROUTE)");
        }
        match &route.target {
            RouteTarget::Local => {
                if !t.vpcs[vpc.i()].cidrs_v4.iter().any(|c| c.contains(&p.dst)) {
                    return self.drop_("local route outside the VPC CIDRs");
                }
                let Some(d) = eni_with_private(t, Some(vpc), p.dst) else {
                    return self.drop_(format!("no ENI holds {} (NO_PATH)", p.dst));
                };
                if !eni_live(t, d) {
                    return self.drop_(format!("{} is not live", t.network_interfaces[d].id));
                }
                let Some(ds) = subnet_of(t, d) else {
                    return self.drop_("ENI without subnet");
                };
                if !self.nacl(s, true, &p) {
                    return End::Dropped;
                }
                if ds != s && !self.nacl(ds, false, &p) {
                    return End::Dropped;
                }
                self.deliver(d, p)
            }
            RouteTarget::VpcPeeringConnection(r) => {
                let Some(pi) = r.idx else {
                    return self.drop_("peering not in snapshot");
                };
                let pcx = &t.vpc_peering_connections[pi.i()];
                if !pcx.active {
                    return self.drop_(format!("{} is not active ({})", pcx.id, pcx.status));
                }
                let (local, peer) = if pcx.requester.vpc.idx == Some(vpc) {
                    (&pcx.requester, &pcx.accepter)
                } else if pcx.accepter.vpc.idx == Some(vpc) {
                    (&pcx.accepter, &pcx.requester)
                } else {
                    return self.drop_(format!("{} does not involve this VPC", pcx.id));
                };
                if !local.cidrs_v4.iter().any(|c| c.contains(&p.src)) {
                    return self.drop_(format!(
                        "source {} not in the local side's CIDRs (PCX_REQUIRES_ADDRESS_IN_VPC_CIDR)",
                        p.src
                    ));
                }
                if !peer.cidrs_v4.iter().any(|c| c.contains(&p.dst)) {
                    return self.drop_(format!(
                        "destination {} not in the peer side's CIDRs (PCX_REQUIRES_ADDRESS_IN_VPC_CIDR)",
                        p.dst
                    ));
                }
                let Some(pv) = peer.vpc.idx else {
                    return self.drop_("peer VPC not in snapshot");
                };
                let Some(d) = eni_with_private(t, Some(pv), p.dst) else {
                    return self.drop_(format!("no ENI holds {} in the peer VPC (NO_PATH)", p.dst));
                };
                if !eni_live(t, d) {
                    return self.drop_(format!("{} is not live", t.network_interfaces[d].id));
                }
                let Some(ds) = subnet_of(t, d) else {
                    return self.drop_("ENI without subnet");
                };
                if !self.nacl(s, true, &p) || !self.nacl(ds, false, &p) {
                    return End::Dropped;
                }
                self.ctx = match self.ctx {
                    Ctx::SameVpc => Ctx::Peering {
                        cross_region: pcx.cross_region(),
                    },
                    _ => Ctx::Stripped,
                };
                self.deliver(d, p)
            }
            RouteTarget::InternetGateway(r) => {
                let Some(gi) = r.idx else {
                    return self.drop_("IGW not in snapshot");
                };
                let igw = &t.internet_gateways[gi.i()];
                let attached = igw.attachments.iter().any(|(v, st)| {
                    v.idx == Some(vpc)
                        && (st.eq_ignore_ascii_case("available")
                            || st.eq_ignore_ascii_case("attached"))
                });
                if !attached {
                    return self.drop_(format!("{} is not attached to this VPC", igw.id));
                }
                // I1: the source must be a private IP with a public IP on an ENI of this VPC.
                let public = t
                    .network_interfaces
                    .iter()
                    .filter(|e| e.vpc.idx == Some(vpc))
                    .flat_map(|e| e.private_ips.iter())
                    .find(|x| x.address == p.src)
                    .and_then(|x| x.public_ip);
                let Some(public) = public else {
                    return self.drop_(format!(
                        "source {} has no public IP (IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS)",
                        p.src
                    ));
                };
                if is_private_or_cgnat(p.dst) {
                    return self.drop_(format!(
                        "destination {} is RFC 1918/6598 (IGW_DESTINATION_ADDRESS_NOT_IN_RFC..._EGRESS)",
                        p.dst
                    ));
                }
                if !self.nacl(s, true, &p) {
                    return End::Dropped;
                }
                let mut q = p;
                q.src = public;
                self.log(format!("{} translates the source: {}", igw.id, q));
                self.strip();
                self.internet(q)
            }
            RouteTarget::NatGateway(r) => {
                let Some(ni) = r.idx else {
                    return self.drop_("NAT gateway not in snapshot");
                };
                let nat = &t.nat_gateways[ni.i()];
                if !nat.active {
                    return self.drop_(format!("{} is not available ({})", nat.id, nat.state));
                }
                if nat.vpc.as_ref().and_then(|v| v.idx) != Some(vpc) {
                    return self.drop_(format!("{} is not in this VPC", nat.id));
                }
                if ![TCP, UDP, ICMP].contains(&p.proto) {
                    return self.drop_("NAT gateway: PROTOCOL_RESTRICTION");
                }
                if self.mode == Mode::Reply {
                    // A reply that meets a NAT gateway which did not translate the forward packet
                    // would be translated as a new flow: it never reaches the client as a reply.
                    return self.drop_(format!(
                        "reply routed through {}, which did not translate the request",
                        nat.id
                    ));
                }
                if !self.nats.is_empty() {
                    self.unsupported = true;
                    return self.drop_("two NAT gateways on one path (not modelled by the oracle)");
                }
                let Some(ns) = nat.subnet.as_ref().and_then(|r| r.idx) else {
                    return self.drop_("NAT gateway without subnet");
                };
                let ns = ns.i();
                if ns != s && (!self.nacl(s, true, &p) || !self.nacl(ns, false, &p)) {
                    return End::Dropped;
                }
                let Some(priv_ip) = nat.addresses.iter().find_map(|a| a.private_ip) else {
                    return self.drop_("NAT gateway without private IP");
                };
                let mut q = p;
                q.src = priv_ip;
                if p.proto == TCP || p.proto == UDP {
                    q.sport = self.nat_port;
                }
                self.used_nat = true;
                self.nats.push(NatRecord {
                    nat: ni.i(),
                    private_ip: priv_ip,
                    orig_src: p.src,
                    orig_sport: p.sport,
                    new_sport: q.sport,
                });
                self.strip();
                self.log(format!("{} translates the source: {}", nat.id, q));
                if nat.connectivity == Connectivity::Private {
                    // G4: a private NAT gateway to an IGW is dropped (checked at the IGW: its
                    // address has no public IP).
                }
                self.route_from(ns, q)
            }
            RouteTarget::TransitGateway(r) => self.tgw(s, r, p),
            other => {
                self.unsupported = true;
                self.drop_(format!("unsupported route target {}", other.id()))
            }
        }
    }

    /// A packet on the internet (after an IGW, or from an outside host).
    fn internet(&mut self, p: Pkt) -> End {
        let t = self.t;
        let Some((e, private)) = eni_with_public(t, p.dst) else {
            self.log(format!(
                "on the internet: delivered to outside host {}",
                p.dst
            ));
            return End::Outside(p);
        };
        let Some(vpc) = t.network_interfaces[e].vpc.idx else {
            return self.drop_("ENI without VPC");
        };
        let igw = t.internet_gateways.iter().find(|g| {
            g.attachments.iter().any(|(v, st)| {
                v.idx == Some(vpc)
                    && (st.eq_ignore_ascii_case("available") || st.eq_ignore_ascii_case("attached"))
            })
        });
        let Some(igw) = igw else {
            return self.drop_(format!(
                "{} maps to {} but its VPC has no internet gateway",
                p.dst, t.network_interfaces[e].id
            ));
        };
        if is_private_or_cgnat(p.src) {
            return self.drop_(format!(
                "source {} is RFC 1918/6598 (IGW_SOURCE_ADDRESS_NOT_IN_RFC..._INGRESS)",
                p.src
            ));
        }
        if t.route_tables
            .iter()
            .any(|r| r.gateways.iter().any(|g| g == &igw.id))
        {
            self.unsupported = true;
            return self.drop_("gateway route table (not modelled by the oracle)");
        }
        let mut q = p;
        q.dst = private;
        self.strip();
        self.log(format!("{} translates the destination: {}", igw.id, q));
        let Some(ds) = subnet_of(t, e) else {
            return self.drop_("ENI without subnet");
        };
        if !eni_live(t, e) {
            return self.drop_(format!("{} is not live", t.network_interfaces[e].id));
        }
        if !self.nacl(ds, false, &q) {
            return End::Dropped;
        }
        self.deliver(e, q)
    }

    /// Step 9: through a transit gateway.
    fn tgw(&mut self, s: usize, r: &Ref<TgwIdx>, p: Pkt) -> End {
        let t = self.t;
        let Some(gi) = r.idx else {
            return self.drop_("TGW not in snapshot");
        };
        let g = &t.transit_gateways[gi.i()];
        if !g.active {
            return self.drop_(format!("{} is not available", g.id));
        }
        let sub = &t.subnets[s];
        let vpc = sub.vpc.idx;
        let att = g.attachments.iter().map(|a| a.i()).find(|a| {
            let x = &t.transit_gateway_attachments[*a];
            x.resource_type == "vpc" && x.vpc.as_ref().and_then(|v| v.idx) == vpc
        });
        let Some(ai) = att else {
            return self.drop_(format!("{} has no attachment for this VPC", g.id));
        };
        let a = &t.transit_gateway_attachments[ai];
        if !a.active {
            return self.drop_(format!("{} is not available ({})", a.id, a.state));
        }
        // T2: the sender's AZ must hold an attachment subnet.
        let tsub = a
            .subnets
            .iter()
            .filter_map(|x| x.idx)
            .map(|x| x.i())
            .find(|x| {
                t.subnets[*x].availability_zone.is_some()
                    && t.subnets[*x].availability_zone == sub.availability_zone
            });
        let Some(ts) = tsub else {
            return self.drop_(format!(
                "{}: no attachment subnet in {:?} (TGW_ROUTE_AZ_RESTRICTION)",
                a.id, sub.availability_zone
            ));
        };
        if ts == s {
            if !self.nacl(s, true, &p) || !self.nacl(s, false, &p) {
                return End::Dropped;
            }
        } else if !self.nacl(s, true, &p) || !self.nacl(ts, false, &p) {
            return End::Dropped;
        }
        // T3: the associated route table.
        let table = t.transit_gateway_route_tables.iter().position(|rt| {
            rt.transit_gateway.idx == Some(gi)
                && rt
                    .associations
                    .iter()
                    .any(|b| b.active && b.attachment.idx == Some(TgwAttachmentIdx(ai as u32)))
        });
        let Some(ti) = table else {
            return self.drop_(format!(
                "{} has no associated TGW route table (TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION)",
                a.id
            ));
        };
        let rt = &t.transit_gateway_route_tables[ti];
        if !rt.active {
            return self.drop_(format!("{} is not available", rt.id));
        }
        if rt.observed_routes.is_some() {
            self.unsupported = true;
            return self.drop_("observed TGW routes (not modelled by the oracle)");
        }
        let routes = tgw_routes(t, gi, ti);
        let mut best: Option<&TgwRouteX> = None;
        for r in &routes {
            if r.dest.contains(&p.dst) {
                let key = (r.dest.prefix_len(), r.is_static);
                if best.is_none_or(|b| key > (b.dest.prefix_len(), b.is_static)) {
                    best = Some(r);
                }
            }
        }
        let Some(best) = best else {
            return self.drop_(format!("{}: no route to {}", rt.id, p.dst));
        };
        self.log(format!(
            "TGW route table {}: {} -> {}{}",
            rt.id,
            best.dest,
            best.target
                .map(|x| t.transit_gateway_attachments[x].id.clone())
                .unwrap_or_else(|| "-".into()),
            if best.blackhole {
                " [blackhole]"
            } else if best.is_static {
                " (static)"
            } else {
                " (propagated)"
            }
        ));
        if best.blackhole {
            return self.drop_("TGW blackhole route (TGW_RTB_BAD_STATE_ROUTE)");
        }
        let Some(bi) = best.target else {
            return self.drop_("TGW route without attachment");
        };
        let b = &t.transit_gateway_attachments[bi];
        if !b.active || b.resource_type != "vpc" {
            return self.drop_(format!(
                "target attachment {} is not an available VPC attachment",
                b.id
            ));
        }
        // Exit subnet: same AZ as the entry subnet, else the smallest AZ name.
        let exits: Vec<usize> = b
            .subnets
            .iter()
            .filter_map(|x| x.idx)
            .map(|x| x.i())
            .collect();
        let taz = &t.subnets[ts].availability_zone;
        let exit = exits
            .iter()
            .copied()
            .find(|x| &t.subnets[*x].availability_zone == taz)
            .or_else(|| {
                exits.iter().copied().min_by(|x, y| {
                    (
                        t.subnets[*x].availability_zone.clone(),
                        t.subnets[*x].id.clone(),
                    )
                        .cmp(&(
                            t.subnets[*y].availability_zone.clone(),
                            t.subnets[*y].id.clone(),
                        ))
                })
            });
        let Some(exit) = exit else {
            return self.drop_(format!("{} has no subnets", b.id));
        };
        self.log(format!(
            "leaves {} by {} ({})",
            g.id, b.id, t.subnets[exit].id
        ));
        let ok = g.sg_referencing_support
            && a.sg_referencing_support == Some(true)
            && b.sg_referencing_support == Some(true);
        self.ctx = match self.ctx {
            Ctx::SameVpc => Ctx::Tgw { ok },
            _ => Ctx::Stripped,
        };
        self.route_from(exit, p)
    }
}

/// A computed TGW route.
#[derive(Clone, Debug)]
pub struct TgwRouteX {
    pub dest: Ipv4Net,
    pub is_static: bool,
    pub blackhole: bool,
    pub target: Option<usize>,
}

/// Static routes plus propagated VPC CIDRs, with overlap suppression by CreationTime (T4):
/// among the attachments propagating into this table (active binding, active attachment),
/// in (CreationTime, id) order, a CIDR equal to or overlapping a CIDR already propagated by an
/// earlier attachment is not installed.
pub fn tgw_routes(t: &Topology, _g: TgwIdx, ti: usize) -> Vec<TgwRouteX> {
    let rt = &t.transit_gateway_route_tables[ti];
    let mut out = Vec::new();
    for r in &rt.static_routes {
        let Some(d) = r.destination.as_ref().and_then(v4) else {
            continue;
        };
        out.push(TgwRouteX {
            dest: d,
            is_static: true,
            blackhole: !r.active,
            target: r.attachments.first().and_then(|a| a.idx).map(|a| a.i()),
        });
    }
    let mut props: Vec<usize> = rt
        .propagations
        .iter()
        .filter(|b| b.active)
        .filter_map(|b| b.attachment.idx.map(|a| a.i()))
        .filter(|a| {
            let x = &t.transit_gateway_attachments[*a];
            x.active && x.resource_type == "vpc" && x.vpc.as_ref().and_then(|v| v.idx).is_some()
        })
        .collect();
    props.sort_by_key(|a| {
        let x = &t.transit_gateway_attachments[*a];
        (x.creation_time.clone(), x.id.clone())
    });
    props.dedup();
    let mut installed: Vec<Ipv4Net> = Vec::new();
    for a in props {
        let v = t.transit_gateway_attachments[a]
            .vpc
            .as_ref()
            .unwrap()
            .idx
            .unwrap();
        for c in &t.vpcs[v.i()].cidrs_v4 {
            if installed.iter().any(|i| i.contains(c) || c.contains(i)) {
                continue;
            }
            installed.push(*c);
            out.push(TgwRouteX {
                dest: *c,
                is_static: false,
                blackhole: false,
                target: Some(a),
            });
        }
    }
    out
}

/// Follow one flow: the forward packet from `client` (source address `src`, source port
/// `sport`) to `dst:dport`, then the reply. `nat_port` is the source port a NAT gateway picks.
/// `target_vpc`: deliver only to an ENI in that VPC (for `vpc-…/addr` targets).
#[allow(clippy::too_many_arguments)]
pub fn flow(
    t: &Topology,
    client: Client,
    src: Ipv4Addr,
    dst: Ipv4Addr,
    proto: u8,
    sport: u16,
    dport: u16,
    nat_port: u16,
) -> FlowResult {
    let ports = proto == TCP || proto == UDP;
    let p = Pkt {
        src,
        dst,
        proto,
        sport: if ports { sport } else { 0 },
        dport: if ports { dport } else { 0 },
    };
    let mut w = Walk {
        t,
        mode: Mode::Forward,
        ctx: Ctx::SameVpc,
        nat_port,
        nats: Vec::new(),
        used_nat: false,
        unsupported: false,
        hops: 0,
        trace: vec![format!("forward {p}")],
    };
    // Where is the target?
    let target_private = eni_with_private(t, None, dst);
    let target_public = eni_with_public(t, dst).map(|x| x.0);
    let in_some_vpc = t
        .vpcs
        .iter()
        .any(|v| v.cidrs_v4.iter().any(|c| c.contains(&dst)));
    let outside_target = target_private.is_none()
        && target_public.is_none()
        && !in_some_vpc
        && !is_private_or_cgnat(dst);

    let end = match client {
        Client::Eni(e) => {
            let e = e.i();
            if !eni_live(t, e) {
                w.drop_(format!(
                    "{} is not live (BAD_STATE)",
                    t.network_interfaces[e].id
                ));
                End::Dropped
            } else {
                match subnet_of(t, e) {
                    Some(s) => w.route_from(s, p),
                    None => w.drop_("source ENI without subnet"),
                }
            }
        }
        Client::Outside(_) => {
            if is_private_or_cgnat(src) {
                w.drop_("outside source is RFC 1918/6598");
                End::Dropped
            } else if eni_with_public(t, dst).is_none() {
                // Outside sources enter through the IGW of the VPC holding the destination public
                // IP; an address not public in the snapshot is dropped there (or NO_PATH).
                w.drop_(format!(
                    "{dst} is not a public IP in the snapshot (IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS / NO_PATH)"
                ));
                End::Dropped
            } else {
                w.strip();
                w.internet(p)
            }
        }
    };
    let mut res = FlowResult::default();
    // Forward delivered to the target?
    let arrived = match end {
        End::Eni(d, q) => {
            let ok = Some(d) == target_private || Some(d) == target_public;
            if !ok {
                w.log(format!(
                    "delivered to {}, which is not the target",
                    t.network_interfaces[d].id
                ));
            }
            ok.then_some((Some(d), q))
        }
        End::Outside(q) => {
            if outside_target && q.dst == dst {
                Some((None, q))
            } else {
                w.log("reached the internet, but the target is not an outside host");
                None
            }
        }
        End::Dropped => None,
    };
    let Some((server, at_server)) = arrived else {
        res.used_nat = w.used_nat;
        res.unsupported = w.unsupported;
        res.trace = w.trace;
        return res;
    };
    // Security groups (the path is known now, so reference matching knows what it crossed).
    if let Client::Eni(e) = client {
        let ok = sg_allows(t, e.i(), false, &p, w.ctx);
        w.log(format!(
            "SG egress of {} for {}: {}",
            t.network_interfaces[e.i()].id,
            p,
            if ok { "allow" } else { "DENY" }
        ));
        if !ok {
            res.used_nat = w.used_nat;
            res.unsupported = w.unsupported;
            res.trace = w.trace;
            return res;
        }
    }
    if let Some(d) = server {
        let ok = sg_allows(t, d, true, &at_server, w.ctx);
        w.log(format!(
            "SG ingress of {} for {} (context {:?}): {}",
            t.network_interfaces[d].id,
            at_server,
            w.ctx,
            if ok { "allow" } else { "DENY" }
        ));
        if !ok {
            res.used_nat = w.used_nat;
            res.unsupported = w.unsupported;
            res.trace = w.trace;
            return res;
        }
    }
    res.forward = true;
    // Reply.
    let r = at_server.swapped();
    w.mode = Mode::Reply;
    w.hops = 0;
    w.log(format!("reply {r}"));
    let end = match server {
        Some(d) => match subnet_of(t, d) {
            Some(s) => w.route_from(s, r),
            None => w.drop_("server ENI without subnet"),
        },
        None => w.internet(r),
    };
    let expect = p.swapped();
    let back = match (end, client) {
        (End::Eni(e, q), Client::Eni(c)) => e == c.i() && q == expect,
        (End::Outside(q), Client::Outside(_)) => q == expect,
        _ => false,
    };
    if !back {
        if !matches!(end, End::Dropped) {
            w.log(format!("reply does not reach the client as {expect}"));
        }
    } else {
        w.log("reply delivered to the client");
    }
    res.complete = back;
    res.used_nat = w.used_nat;
    res.unsupported = w.unsupported;
    res.trace = w.trace;
    res
}

/// Every port-range endpoint in the network's NACLs (and SGs if `with_sgs`), with ±1, plus
/// `extra`, clipped to `lo..=hi`. Between consecutive points every rule behaves the same, so
/// testing these points is exact.
pub fn boundary_points(t: &Topology, with_sgs: bool, lo: u16, hi: u16, extra: &[u16]) -> Vec<u16> {
    let mut pts: Vec<u32> = vec![lo as u32, hi as u32, 1024, 65535];
    pts.extend(extra.iter().map(|x| *x as u32));
    let mut add = |a: u16, b: u16| {
        for x in [a as u32, b as u32] {
            pts.push(x);
            pts.push(x + 1);
            pts.push(x.saturating_sub(1));
        }
    };
    for acl in &t.network_acls {
        for e in acl.inbound.iter().chain(acl.outbound.iter()) {
            if let Some((a, b)) = e.ports {
                add(a, b);
            }
        }
    }
    if with_sgs {
        for g in &t.security_groups {
            for r in g.inbound.iter().chain(g.outbound.iter()) {
                if let Some((a, b)) = r.ports {
                    add(a, b);
                }
            }
        }
    }
    let mut v: Vec<u16> = pts
        .into_iter()
        .filter(|x| *x >= lo as u32 && *x <= hi as u32)
        .map(|x| x as u16)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The quantified answer for a question's flows.
#[derive(Clone, Debug, Default)]
pub struct Quantified {
    pub any: bool,
    pub all: bool,
    pub flows: usize,
    pub unsupported: bool,
    /// Trace of one completing flow and one failing flow, when there are such.
    pub pass_example: Option<(String, Vec<String>)>,
    pub fail_example: Option<(String, Vec<String>)>,
}

/// Quantify over sources × destination ports × client ports × NAT ports (boundary points).
#[allow(clippy::too_many_arguments)]
pub fn quantify(
    t: &Topology,
    client: Client,
    srcs: &[Ipv4Addr],
    dst: Ipv4Addr,
    proto: u8,
    dports: (u16, u16),
    ephemeral: (u16, u16),
) -> Quantified {
    let ports = proto == TCP || proto == UDP;
    let dpts = if ports {
        boundary_points(t, true, dports.0, dports.1, &[])
    } else {
        vec![0]
    };
    let ppts = if ports {
        boundary_points(t, false, ephemeral.0, ephemeral.1, &[])
    } else {
        vec![0]
    };
    let qpts = if ports {
        boundary_points(t, false, 1024, 65535, &[])
    } else {
        vec![0]
    };
    let mut out = Quantified {
        any: false,
        all: true,
        ..Default::default()
    };
    for &src in srcs {
        for &dp in &dpts {
            for &pp in &ppts {
                // One client flow (src, sport, dport). A NAT gateway on its path may pick any
                // source port in 1024-65535: the flow completes only if it completes for every
                // choice (docs/engine-semantics.md N8: "a server-side NACL must admit that whole
                // range for every flow to complete").
                let first = flow(t, client, src, dst, proto, pp, dp, qpts[0]);
                let mut r = first;
                let mut q_used = qpts[0];
                if r.used_nat && r.complete {
                    for &q in &qpts[1..] {
                        let x = flow(t, client, src, dst, proto, pp, dp, q);
                        out.unsupported |= x.unsupported;
                        if !x.complete {
                            r = x;
                            q_used = q;
                            break;
                        }
                    }
                }
                {
                    out.flows += 1;
                    out.unsupported |= r.unsupported;
                    let label = format!(
                        "src {src} sport {pp} dport {dp}{}",
                        if r.used_nat {
                            format!(" nat-port {q_used}")
                        } else {
                            String::new()
                        }
                    );
                    if r.complete {
                        out.any = true;
                        if out.pass_example.is_none() {
                            out.pass_example = Some((label, r.trace));
                        }
                    } else {
                        out.all = false;
                        if out.fail_example.is_none() {
                            out.fail_example = Some((label, r.trace));
                        }
                    }
                    if out.any && !out.all {
                        return out;
                    }
                }
            }
        }
    }
    out
}
