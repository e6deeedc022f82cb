//! The oracle's hop-by-hop walk of one packet class (source, destination, protocol, ICMP type)
//! through a [`World`]: route lookups, gateways, translations, and the filters met on the way
//! (recorded as [`Check`]s with a symbolic destination port, evaluated later by the caller).

use super::*;

/// Which question variable a header's destination port is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Var {
    /// The question's destination port.
    D,
    /// The client's (ephemeral) source port.
    S,
    /// The source port a NAT gateway picked (any of 1024–65535).
    Q,
}

/// A packet header with symbolic ports.
#[derive(Clone, Copy, Debug)]
pub struct Hdr {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub proto: u8,
    /// ICMP type on the forward leg; `None` = any (replies).
    pub icmp: Option<u8>,
    pub sport: Var,
    pub dport: Var,
}

impl Hdr {
    fn swapped(&self) -> Hdr {
        Hdr {
            src: self.dst,
            dst: self.src,
            proto: self.proto,
            icmp: None,
            sport: self.dport,
            dport: self.sport,
        }
    }
}

/// A filter met on the path.
#[derive(Clone, Debug)]
pub enum Kind {
    Nacl {
        acl: usize,
        outbound: bool,
    },
    Sg {
        eni: usize,
        ingress: bool,
        vpcs: Vec<usize>,
    },
    /// A component that stops everything (an ENI that is not live).
    Dead,
}

#[derive(Clone, Debug)]
pub struct Check {
    pub comp: String,
    pub kind: Kind,
    pub hdr: Hdr,
}

impl Check {
    pub fn var(&self) -> Var {
        self.hdr.dport
    }

    /// Does the filter pass the header with destination port `port`?
    pub fn allows(&self, w: &World, port: u16) -> bool {
        let h = &self.hdr;
        match &self.kind {
            Kind::Dead => false,
            Kind::Nacl { acl, outbound } => {
                let (inb, out) = &w.acl_entries[*acl];
                let addr = if *outbound { h.dst } else { h.src };
                for e in if *outbound { out } else { inb } {
                    if e.cidr.contains(&addr) && proto_match(e.proto, e.ports, h, port) {
                        return e.allow;
                    }
                }
                false
            }
            Kind::Sg { eni, ingress, vpcs } => {
                let addr = if *ingress { h.src } else { h.dst };
                w.s.enis[*eni].groups.iter().any(|g| {
                    let sg = &w.s.sgs[*g];
                    let rules = if *ingress { &sg.ingress } else { &sg.egress };
                    rules.iter().any(|r| {
                        let p = match r.proto {
                            "tcp" => "6",
                            "udp" => "17",
                            "icmp" => "1",
                            "icmpv6" => "58",
                            x => x,
                        };
                        proto_match(p, r.ports, h, port)
                            && (r.cidrs.iter().any(|c| c.contains(&addr))
                                || r.pls.iter().any(|p| {
                                    w.s.pls[*p]
                                        .cidrs
                                        .iter()
                                        .any(|c| IpNet::V4(*c).contains(&addr))
                                })
                                || r.groups.iter().any(|g| {
                                    w.members[*g].iter().any(|m| {
                                        vpcs.contains(&w.s.subnets[w.s.enis[*m].subnet].vpc)
                                            && w.eni_addrs(*m).contains(&addr)
                                    })
                                }))
                    })
                })
            }
        }
    }
}

/// Protocol (number string, `-1` = all) and port range (tcp/udp, destination port) match.
fn proto_match(proto: &str, ports: Option<(u16, u16)>, h: &Hdr, port: u16) -> bool {
    if proto == "-1" {
        return true;
    }
    if proto.parse::<u8>().ok() != Some(h.proto) {
        return false;
    }
    match h.proto {
        TCP | UDP => ports.is_none_or(|(a, b)| a <= port && port <= b),
        _ => true,
    }
}

/// Where a leg ended.
#[derive(Clone, Debug)]
pub enum End {
    /// Forward: delivered to an ENI (the reply starts there).
    Eni(usize),
    /// Forward: left for a host outside the snapshot.
    Outside,
    /// Forward: delivered to an AWS service through a gateway endpoint from this subnet.
    Service(usize),
    /// Return: back at the client.
    Client,
    Stopped,
}

/// Who emits the packet (for the internet gateway's source mapping).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sender {
    Eni,
    PrivateNat,
    Outside,
}

/// The record of one leg.
#[derive(Clone, Debug)]
pub struct Trace {
    pub checks: Vec<Check>,
    /// Components that ended the path (routing, gateways, states).
    pub stops: Vec<String>,
    pub end: End,
    pub reached_client: bool,
    /// The header as it arrived (forward), for the reply.
    pub last: Option<Hdr>,
    /// NAT translations to reverse on the reply: (NAT, header source and port before).
    nats: Vec<(usize, IpAddr, Var)>,
    pub log: Vec<String>,
}

struct Walker<'w, 'a> {
    w: &'w World<'a>,
    q: &'w OQ,
    leg: Leg,
    h: Hdr,
    sender: Sender,
    /// VPCs whose group members a reference may match at the next ingress (S6).
    ident: Vec<usize>,
    hops: usize,
    t: Trace,
}

/// Walk the forward leg of one packet class.
pub fn forward(w: &World, q: &OQ, src: IpAddr, icmp_type: u8) -> Trace {
    let h = Hdr {
        src,
        dst: q.dst,
        proto: q.proto,
        icmp: (q.proto == ICMP).then_some(icmp_type),
        sport: Var::S,
        dport: Var::D,
    };
    let mut k = Walker::new(w, q, Leg::Forward, h);
    k.t.log
        .push(format!("forward {src} -> {} proto {}", q.dst, q.proto));
    match q.client {
        Client::Eni(e) => k.start_at_eni(e),
        Client::Outside => {
            k.sender = Sender::Outside;
            k.enter_from_outside();
        }
        Client::Host(sub) => k.route(sub),
    }
    k.t
}

/// Walk the reply of a forward leg that was delivered.
pub fn reply(w: &World, q: &OQ, fwd: &Trace) -> Option<Trace> {
    let h = fwd.last?.swapped();
    let mut k = Walker::new(w, q, Leg::Return, h);
    k.t.nats = fwd.nats.clone();
    k.t.log.push(format!("reply {} -> {}", h.src, h.dst));
    match fwd.end {
        End::Eni(e) => {
            k.sender = Sender::Eni;
            k.route(w.s.enis[e].subnet);
        }
        End::Outside => {
            k.sender = Sender::Outside;
            k.enter_from_outside();
        }
        End::Service(s) => {
            // The reply enters the subnet that used the endpoint route (its NACL inbound); a
            // NAT gateway that translated the request reverses it and routes the reply on.
            k.nacl(s, false);
            match k.t.nats.last() {
                Some(&(n, _, _)) => k.arrive_nat(n),
                _ => k.client(),
            }
        }
        _ => return None,
    }
    Some(k.t)
}

impl<'w, 'a> Walker<'w, 'a> {
    fn new(w: &'w World<'a>, q: &'w OQ, leg: Leg, h: Hdr) -> Self {
        Walker {
            w,
            q,
            leg,
            h,
            sender: Sender::Eni,
            ident: vec![],
            hops: 0,
            t: Trace {
                checks: vec![],
                stops: vec![],
                end: End::Stopped,
                reached_client: false,
                last: None,
                nats: vec![],
                log: vec![],
            },
        }
    }

    fn s(&self) -> &'a Spec {
        self.w.s
    }

    fn log(&mut self, m: impl Into<String>) {
        let p = if self.leg == Leg::Return {
            "  [reply] "
        } else {
            "  "
        };
        self.t.log.push(format!("{p}{}", m.into()));
    }

    fn stop(&mut self, comp: &str, why: impl Into<String>) {
        let why = why.into();
        self.log(format!("STOP at {comp}: {why}"));
        self.t.stops.push(comp.to_string());
        self.t.end = End::Stopped;
    }

    fn check(&mut self, comp: String, kind: Kind) {
        self.log(format!("check {comp} {kind:?}"));
        self.t.checks.push(Check {
            comp,
            kind,
            hdr: self.h,
        });
    }

    fn nacl(&mut self, subnet: usize, outbound: bool) {
        if let Some(a) = self.w.acl_of_subnet[subnet] {
            self.check(
                self.s().nacls[a].id.clone(),
                Kind::Nacl { acl: a, outbound },
            );
        }
    }

    fn sg(&mut self, eni: usize, ingress: bool) {
        let comp = self.s().enis[eni]
            .groups
            .iter()
            .map(|g| self.s().sgs[*g].id.clone())
            .collect::<Vec<_>>()
            .join(",");
        let vpcs = self.ident.clone();
        self.check(comp, Kind::Sg { eni, ingress, vpcs });
    }

    fn live(&self, e: usize) -> bool {
        matches!(
            self.s().enis[e].kind,
            EniKind::Instance { running: true, .. }
        )
    }

    fn vpc_of_subnet(&self, s: usize) -> usize {
        self.s().subnets[s].vpc
    }

    fn client(&mut self) {
        self.log("reply delivered to the client");
        self.t.end = End::Client;
        self.t.reached_client = true;
    }

    fn start_at_eni(&mut self, e: usize) {
        let s = self.s();
        let eni = &s.enis[e];
        if !self.live(e) {
            self.log(format!("{} is not live", eni.id));
            self.check(eni.id.clone(), Kind::Dead);
        }
        let vpc = self.vpc_of_subnet(eni.subnet);
        // Egress references: members in the sender's VPC and its active (same-Region) peers.
        let mut vpcs = vec![vpc];
        for p in s.pcxs.iter().filter(|p| p.active) {
            if p.requester == vpc {
                vpcs.push(p.accepter);
            } else if p.accepter == vpc {
                vpcs.push(p.requester);
            }
        }
        self.ident = vpcs;
        self.sg(e, false);
        self.ident = vec![vpc];
        self.route(eni.subnet);
    }

    fn route(&mut self, sub: usize) {
        self.hops += 1;
        if self.hops > 16 {
            return self.stop("routing", "routing loop");
        }
        let w = self.w;
        let s = self.s();
        let vpc = self.vpc_of_subnet(sub);
        if w.subnet_nets(sub).iter().any(|n| n.contains(&self.h.dst)) {
            self.log(format!(
                "{} is in {}: direct (R7)",
                self.h.dst, s.subnets[sub].id
            ));
            return self.deliver(vpc, Some(sub));
        }
        let Some(ti) = w.rt_of_subnet[sub] else {
            return self.stop(&s.subnets[sub].id, "no route table");
        };
        let rt = &s.rts[ti];
        let best = w.routes[ti]
            .iter()
            .filter(|r| r.dest.contains(&self.h.dst))
            .max_by_key(|r| (r.dest.prefix_len(), std::cmp::Reverse(r.prio)));
        let Some(best) = best else {
            return self.stop(&rt.id, format!("no route for {}", self.h.dst));
        };
        self.log(format!("{}: {}", rt.id, best.label));
        if best.blackhole {
            return self.stop(&rt.id, "blackhole route");
        }
        match best.target.clone() {
            None => self.deliver(vpc, Some(sub)),
            Some(TargetS::Igw(g)) => self.igw_egress(sub, vpc, g),
            Some(TargetS::Eigw(g)) => {
                let id = s.eigws[g].id.clone();
                if s.eigws[g].vpc != vpc || self.h.dst.is_ipv4() {
                    return self.stop(&id, "egress-only IGW: IPv6 of its VPC only");
                }
                self.nacl(sub, true);
                self.internet();
            }
            Some(TargetS::Nat(n)) => self.nat(sub, vpc, n),
            Some(TargetS::Pcx(p)) => self.peering(sub, vpc, p),
            Some(TargetS::Tgw) => self.tgw(sub, vpc),
            Some(TargetS::Vpce(e)) => self.endpoint(sub, e),
            Some(TargetS::Eni(e)) => self.appliance(sub, e),
        }
    }

    /// Local delivery in `vpc` to whoever holds the destination.
    fn deliver(&mut self, vpc: usize, from: Option<usize>) {
        let s = self.s();
        let Some(holder) = self.w.holders.get(&(vpc, self.h.dst)).copied() else {
            if let Some(h) = self.w.host_subnet(self.q, self.leg, vpc, self.h.dst) {
                match from {
                    Some(f) if f != h => {
                        self.nacl(f, true);
                        self.nacl(h, false);
                    }
                    Some(_) => {}
                    None => self.nacl(h, false),
                }
                return self.client();
            }
            return self.stop(&s.vpcs[vpc].id, format!("no ENI holds {}", self.h.dst));
        };
        let d = match holder {
            Holder::Eni(e) => s.enis[e].subnet,
            Holder::Nat(n) => s.nats[n].subnet,
        };
        match from {
            Some(f) if f != d => {
                self.nacl(f, true);
                self.nacl(d, false);
            }
            Some(_) => {}
            None => self.nacl(d, false),
        }
        match holder {
            Holder::Eni(e) => self.arrive(e),
            Holder::Nat(n) => self.arrive_nat(n),
        }
    }

    fn arrive(&mut self, e: usize) {
        let s = self.s();
        if self.leg == Leg::Return {
            if self.q.client == Client::Eni(e) {
                return self.client();
            }
            return self.stop(&s.enis[e].id, "the reply reaches another ENI");
        }
        if !self.live(e) {
            self.log(format!("{} is not live", s.enis[e].id));
            self.check(s.enis[e].id.clone(), Kind::Dead);
        }
        self.sg(e, true);
        self.log(format!("delivered to {}", s.enis[e].id));
        self.t.end = End::Eni(e);
        self.t.last = Some(self.h);
    }

    fn arrive_nat(&mut self, n: usize) {
        let s = self.s();
        if self.leg == Leg::Return {
            if let Some(pos) = self.t.nats.iter().rposition(|x| x.0 == n) {
                let (_, src, var) = self.t.nats.remove(pos);
                self.h.dst = src;
                self.h.dport = var;
                self.log(format!("{} reverses its translation", s.nats[n].id));
                return self.route(s.nats[n].subnet);
            }
            return self.stop(
                &s.nats[n].eni_id,
                "reply at a NAT gateway that did not translate",
            );
        }
        self.stop(&s.nats[n].id, "a NAT gateway is never a destination (G3)")
    }

    fn igw_egress(&mut self, sub: usize, vpc: usize, g: usize) {
        let s = self.s();
        let id = s.igws[g].id.clone();
        if s.igws[g].vpc != vpc {
            return self.stop(&id, "not attached to this VPC");
        }
        if self.sender == Sender::PrivateNat {
            return self.stop(&id, "a private NAT gateway cannot use an IGW (G4)");
        }
        if self.h.dst.is_ipv6() {
            self.nacl(sub, true);
            self.ident = vec![];
            return self.internet();
        }
        if is_private_or_cgnat(self.h.dst) {
            return self.stop(&id, "RFC 1918/6598 destination");
        }
        let public = self
            .w
            .public
            .iter()
            .find(|(_, (_, p))| IpAddr::V4(*p) == self.h.src)
            .map(|(p, _)| *p);
        let Some(public) = public else {
            return self.stop(&id, "source has no public IP");
        };
        self.nacl(sub, true);
        self.h.src = IpAddr::V4(public);
        self.ident = vec![];
        self.log(format!("{id}: source -> {public}"));
        self.internet();
    }

    fn internet(&mut self) {
        let ours = match self.h.dst {
            IpAddr::V4(a) => self.w.public.contains_key(&a),
            IpAddr::V6(a) => self.w.v6.contains_key(&a),
        };
        if ours {
            return self.enter_from_outside();
        }
        match self.leg {
            Leg::Forward => {
                self.log(format!("to outside host {}", self.h.dst));
                self.t.end = End::Outside;
                self.t.last = Some(self.h);
            }
            Leg::Return => {
                if self.q.client == Client::Outside {
                    self.client()
                } else {
                    self.stop("internet", "reply leaves to the internet")
                }
            }
        }
    }

    /// A packet from the internet towards the snapshot.
    fn enter_from_outside(&mut self) {
        let w = self.w;
        let s = self.s();
        self.ident = vec![];
        if is_private_or_cgnat(self.h.src) {
            return self.stop("internet-gateway", "RFC 1918/6598 source from outside");
        }
        let igw_of = |v: usize| s.igws.iter().position(|g| g.vpc == v);
        match self.h.dst {
            IpAddr::V4(a) if w.public.contains_key(&a) => {
                let (holder, private) = w.public[&a];
                let sub = match holder {
                    Holder::Eni(e) => s.enis[e].subnet,
                    Holder::Nat(n) => s.nats[n].subnet,
                };
                let vpc = self.vpc_of_subnet(sub);
                if igw_of(vpc).is_none() {
                    return self.stop(&s.vpcs[vpc].id, "public IP in a VPC without IGW");
                }
                self.h.dst = IpAddr::V4(private);
                self.log(format!("IGW: destination -> {private}"));
                self.deliver(vpc, None)
            }
            IpAddr::V6(a) if w.v6.contains_key(&a) => {
                let vpc = self.vpc_of_subnet(s.enis[w.v6[&a]].subnet);
                if igw_of(vpc).is_some() {
                    return self.deliver(vpc, None);
                }
                if let Some(e) = s.eigws.iter().position(|g| g.vpc == vpc) {
                    if self.leg == Leg::Return {
                        return self.deliver(vpc, None);
                    }
                    return self.stop(&s.eigws[e].id, "no unsolicited inbound IPv6 (E1)");
                }
                self.stop(&s.vpcs[vpc].id, "no internet gateway")
            }
            dst => {
                match (0..s.vpcs.len()).find(|v| w.vpc_nets(*v).iter().any(|n| n.contains(&dst))) {
                    Some(v) => match igw_of(v) {
                        Some(g) => self.stop(&s.igws[g].id, "private address from outside"),
                        None => self.stop(&s.vpcs[v].id, "private address, no IGW"),
                    },
                    None => self.stop("internet", "address not in the snapshot"),
                }
            }
        }
    }

    fn nat(&mut self, sub: usize, vpc: usize, n: usize) {
        let s = self.s();
        let nat = &s.nats[n];
        if self.leg == Leg::Return {
            return self.stop(&nat.id, "reply routed into a NAT gateway (asymmetric)");
        }
        if !nat.available {
            return self.stop(&nat.id, "NAT gateway not available");
        }
        if self.vpc_of_subnet(nat.subnet) != vpc {
            return self.stop(&nat.id, "NAT gateway of another VPC");
        }
        if ![TCP, UDP, ICMP].contains(&self.h.proto) {
            return self.stop(&nat.id, "protocol restriction");
        }
        if nat.subnet != sub {
            self.nacl(sub, true);
            self.nacl(nat.subnet, false);
        }
        self.t.nats.push((n, self.h.src, self.h.sport));
        self.h.src = IpAddr::V4(nat.private_ip);
        self.h.sport = Var::Q;
        self.sender = if nat.public_ip.is_some() {
            Sender::Eni
        } else {
            Sender::PrivateNat
        };
        self.ident = vec![];
        self.log(format!("{}: source -> {}", nat.id, nat.private_ip));
        self.route(nat.subnet);
    }

    fn peering(&mut self, sub: usize, vpc: usize, p: usize) {
        let s = self.s();
        let pcx = &s.pcxs[p];
        if !pcx.active {
            return self.stop(&pcx.id, "peering not active");
        }
        let peer = if pcx.requester == vpc {
            pcx.accepter
        } else if pcx.accepter == vpc {
            pcx.requester
        } else {
            return self.stop(&pcx.id, "peering does not involve this VPC");
        };
        let src_ok = self.w.vpc_nets(vpc).iter().any(|n| n.contains(&self.h.src));
        let dst_ok = self
            .w
            .vpc_nets(peer)
            .iter()
            .any(|n| n.contains(&self.h.dst));
        if !src_ok || !dst_ok {
            return self.stop(&pcx.id, "address outside the peered CIDRs (no transit)");
        }
        self.ident = vec![vpc];
        self.deliver(peer, Some(sub));
    }

    fn tgw(&mut self, sub: usize, vpc: usize) {
        let s = self.s();
        let Some(t) = &s.tgw else {
            return self.stop("tgw", "no transit gateway");
        };
        let Some(ai) = t
            .attachments
            .iter()
            .position(|a| a.available && a.vpc == vpc)
        else {
            return self.stop(&t.id, "no available attachment for this VPC");
        };
        let att = &t.attachments[ai];
        let az = &s.subnets[sub].az;
        let Some(ts) = att
            .subnets
            .iter()
            .copied()
            .find(|x| &s.subnets[*x].az == az)
        else {
            return self.stop(&att.id, "no attachment subnet in the sender's AZ");
        };
        self.nacl(sub, true);
        self.nacl(ts, false);
        let Some(ti) = att.assoc else {
            return self.stop(&att.id, "attachment without associated table");
        };
        let rt_id = t.tables[ti].id.clone();
        let best = self.w.tgw_routes[ti]
            .iter()
            .filter(|r| r.dest.contains(&self.h.dst))
            .max_by_key(|r| (r.dest.prefix_len(), r.is_static));
        let Some(best) = best else {
            return self.stop(&rt_id, "no TGW route");
        };
        let Some(dai) = best.target else {
            return self.stop(&rt_id, "TGW blackhole route");
        };
        let da = &t.attachments[dai];
        if !da.available {
            return self.stop(&da.id, "target attachment not available");
        }
        let mut exits = da.subnets.clone();
        exits.sort_by(|a, b| s.subnets[*a].az.cmp(&s.subnets[*b].az));
        let Some(exit) = exits
            .iter()
            .copied()
            .find(|x| &s.subnets[*x].az == az)
            .or(exits.first().copied())
        else {
            return self.stop(&da.id, "attachment without subnets");
        };
        self.log(format!(
            "{}: {} -> {} exit {}",
            rt_id, best.dest, da.id, s.subnets[exit].id
        ));
        self.ident = if t.sg_ref && att.sg_ref && da.sg_ref {
            vec![vpc]
        } else {
            vec![]
        };
        self.route(exit);
    }

    /// A middlebox ENI as a route target (R9): it forwards only with the source/destination
    /// check off, unchanged; NACLs apply between the subnets; routing continues from its subnet.
    fn appliance(&mut self, sub: usize, e: usize) {
        let s = self.s();
        let eni = &s.enis[e];
        if eni.src_dst_check {
            return self.stop(&eni.id, "source/destination check on: cannot forward");
        }
        if eni.subnet != sub {
            self.nacl(sub, true);
            self.nacl(eni.subnet, false);
        }
        self.log(format!("appliance {} forwards", eni.id));
        // Its groups filter what it forwards (stateful: the forward leg only), and
        // security-group identity is not preserved through it (S6).
        if self.leg == Leg::Forward {
            self.sg(e, true);
            self.ident = vec![];
            self.sg(e, false);
        }
        self.ident = vec![];
        self.route(eni.subnet);
    }

    fn endpoint(&mut self, sub: usize, e: usize) {
        let s = self.s();
        let ep = &s.vpces[e];
        if !ep.available {
            return self.stop(&ep.id, "endpoint not available");
        }
        let ok = match self.leg {
            Leg::Forward => self.h.proto == TCP || (self.h.proto == ICMP && self.h.icmp == Some(8)),
            Leg::Return => self.h.proto == TCP || self.h.proto == ICMP,
        };
        if !ok {
            return self.stop(&ep.id, "gateway endpoint: TCP and ICMP echo only");
        }
        self.nacl(sub, true);
        match self.leg {
            Leg::Forward => {
                self.log(format!("{}: delivered to the service", ep.id));
                self.t.end = End::Service(sub);
                self.t.last = Some(self.h);
            }
            Leg::Return => self.stop(&ep.id, "reply routed into a gateway endpoint"),
        }
    }
}
