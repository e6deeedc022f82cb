//! A random [`Spec`] from a seed: 1–3 VPCs (some dual-stack), 1–3 subnets each, ENIs with
//! secondary addresses, public IPs and IPv6 addresses, 1–3 security groups per VPC (CIDR, IPv6,
//! prefix-list and group-reference rules), default and custom NACLs (IPv4 and IPv6 entries,
//! unsorted), customer-managed prefix lists, S3/DynamoDB gateway endpoints, peerings, and one
//! transit gateway with propagations, static routes and overlap cases. Route tables are drawn
//! last, in `routes.rs`.

use super::*;

/// Which features a generated network may use.
#[derive(Clone, Copy, Debug)]
pub struct Features {
    pub peering: bool,
    pub igw: bool,
    pub tgw: bool,
    pub nat: bool,
    pub ipv6: bool,
    pub prefix_lists: bool,
    pub endpoints: bool,
}

impl Features {
    pub const ALL: Features = Features {
        peering: true,
        igw: true,
        tgw: true,
        nat: true,
        ipv6: true,
        prefix_lists: true,
        endpoints: true,
    };
    /// Read `NETGEN_FEATURES` (comma list of peering,igw,tgw,nat,ipv6,pl,vpce; `none` =
    /// single-VPC basics).
    pub fn from_env() -> Features {
        match std::env::var("NETGEN_FEATURES") {
            Ok(s) => Features {
                peering: s.contains("peering"),
                igw: s.contains("igw"),
                tgw: s.contains("tgw"),
                nat: s.contains("nat"),
                ipv6: s.contains("ipv6"),
                prefix_lists: s.contains("pl"),
                endpoints: s.contains("vpce"),
            },
            Err(_) => Features::ALL,
        }
    }
}

pub(super) fn id(prefix: &str, seed: u64, n: usize) -> String {
    format!("{prefix}-{:09x}{:08x}", seed & 0xf_ffff_ffff, n)
}

fn port_range(rng: &mut Rng) -> (u16, u16) {
    match rng.below(6) {
        0 | 1 => {
            let p = *rng.pick(&[22u16, 80, 443, 6379, 1024, 32768, 65535]);
            (p, p)
        }
        2 => *rng.pick(&[
            (1024u16, 65535u16),
            (32768, 61000),
            (49152, 65535),
            (0, 65535),
        ]),
        _ => {
            let a = *rng.pick(PORT_POOL);
            let b = *rng.pick(PORT_POOL);
            (a.min(b), a.max(b))
        }
    }
}

/// An IPv4 CIDR for a rule, biased to the network's own blocks and addresses.
fn rule_cidr(rng: &mut Rng, s: &Spec) -> IpNet {
    match rng.below(11) {
        0..=2 => net("0.0.0.0/0"),
        3 => IpNet::V4(s.vpcs[rng.below(s.vpcs.len())].cidr),
        4 | 5 => IpNet::V4(s.subnets[rng.below(s.subnets.len())].cidr),
        6 if !s.enis.is_empty() => {
            let e = rng.below(s.enis.len());
            host((*rng.pick(&s.enis[e].ips)).into())
        }
        7 => *rng.pick(&[
            net("198.51.100.0/24"),
            net("203.0.113.0/29"),
            net("203.0.113.8/29"),
            net("10.0.0.0/8"),
            net("0.0.0.0/1"),
            net("128.0.0.0/1"),
            net("52.216.0.0/15"),
        ]),
        8 => {
            // A public IP of some ENI, or a NAT EIP.
            let pubs: Vec<Ipv4Addr> = s
                .enis
                .iter()
                .filter_map(|e| e.public)
                .chain(s.nats.iter().filter_map(|n| n.public_ip))
                .collect();
            if pubs.is_empty() {
                net("0.0.0.0/0")
            } else {
                host((*rng.pick(&pubs)).into())
            }
        }
        _ => IpNet::V4(s.vpcs[rng.below(s.vpcs.len())].cidr),
    }
}

/// An IPv6 CIDR for a rule (::/0, a VPC or subnet block, an ENI address, an outside block).
fn rule_cidr6(rng: &mut Rng, s: &Spec) -> IpNet {
    let v6_vpcs: Vec<Ipv6Net> = s.vpcs.iter().filter_map(|v| v.cidr6).collect();
    let v6_subs: Vec<Ipv6Net> = s.subnets.iter().filter_map(|v| v.cidr6).collect();
    let v6_addrs: Vec<Ipv6Addr> = s.enis.iter().flat_map(|e| e.ips6.clone()).collect();
    match rng.below(8) {
        0..=2 => net("::/0"),
        3 if !v6_vpcs.is_empty() => IpNet::V6(*rng.pick(&v6_vpcs)),
        4 if !v6_subs.is_empty() => IpNet::V6(*rng.pick(&v6_subs)),
        5 if !v6_addrs.is_empty() => host((*rng.pick(&v6_addrs)).into()),
        6 => net("2001:db8::/32"),
        _ => net("2600:1f18::/32"),
    }
}

fn sg_rule(rng: &mut Rng, s: &Spec, n_sgs: usize, v6: bool) -> SgRuleS {
    let protos: &[&'static str] = if v6 {
        &["tcp", "tcp", "tcp", "udp", "icmp", "icmpv6", "-1", "-1"]
    } else {
        &["tcp", "tcp", "tcp", "udp", "icmp", "-1", "-1"]
    };
    let proto = *rng.pick(protos);
    let ports = match proto {
        "tcp" | "udp" => Some(port_range(rng)),
        _ => None,
    };
    let mut r = SgRuleS {
        proto,
        ports,
        cidrs: vec![],
        pls: vec![],
        groups: vec![],
    };
    for _ in 0..rng.range(1, 2) {
        let roll = rng.below(100);
        if roll < 22 && n_sgs > 0 {
            let g = rng.below(n_sgs);
            if !r.groups.contains(&g) {
                r.groups.push(g);
            }
        } else if roll < 34 && !s.pls.is_empty() {
            let p = rng.below(s.pls.len());
            if !r.pls.contains(&p) {
                r.pls.push(p);
            }
        } else {
            let c = if v6 && rng.chance(0.4) {
                rule_cidr6(rng, s)
            } else {
                rule_cidr(rng, s)
            };
            if !r.cidrs.contains(&c) {
                r.cidrs.push(c);
            }
        }
    }
    r
}

fn numbers_taken(v: &[NaclEntryS], egress: bool, n: u16) -> bool {
    v.iter().any(|e| e.egress == egress && e.number == n)
}

fn nacl_entries(rng: &mut Rng, s: &Spec, v6: bool) -> Vec<NaclEntryS> {
    let mut v = Vec::new();
    for egress in [false, true] {
        let n = rng.range(1, 5);
        let mut numbers: Vec<u16> = Vec::new();
        while numbers.len() < n {
            let x = if rng.chance(0.5) {
                (rng.range(1, 30) * 10) as u16
            } else {
                rng.range(1, 32766) as u16
            };
            if !numbers.contains(&x) {
                numbers.push(x);
            }
        }
        for number in numbers {
            let six = v6 && rng.chance(0.35);
            let protos: &[&'static str] = if six {
                &["6", "6", "17", "58", "-1", "-1"]
            } else {
                &["6", "6", "17", "1", "-1", "-1"]
            };
            let proto = *rng.pick(protos);
            let ports = match proto {
                "6" | "17" => Some(port_range(rng)),
                _ => None,
            };
            v.push(NaclEntryS {
                number,
                egress,
                allow: rng.chance(0.72),
                proto,
                ports,
                cidr: if six {
                    rule_cidr6(rng, s)
                } else {
                    rule_cidr(rng, s)
                },
            });
        }
        if rng.chance(0.7) {
            // A broad allow behind the specific rules (common in practice).
            let mut number = rng.range(400, 32000) as u16;
            while numbers_taken(&v, egress, number) {
                number += 1;
            }
            v.push(NaclEntryS {
                number,
                egress,
                allow: true,
                proto: "-1",
                ports: None,
                cidr: *rng.pick(&[net("0.0.0.0/0"), net("0.0.0.0/0"), net("10.0.0.0/8")]),
            });
            if v6 && rng.chance(0.7) {
                while numbers_taken(&v, egress, number) {
                    number += 1;
                }
                v.push(NaclEntryS {
                    number,
                    egress,
                    allow: true,
                    proto: "-1",
                    ports: None,
                    cidr: net("::/0"),
                });
            }
        }
        if rng.chance(0.8) {
            v.push(NaclEntryS {
                number: 32767,
                egress,
                allow: false,
                proto: "-1",
                ports: None,
                cidr: net("0.0.0.0/0"),
            });
        }
        if v6 && rng.chance(0.6) {
            v.push(NaclEntryS {
                number: 32768,
                egress,
                allow: false,
                proto: "-1",
                ports: None,
                cidr: net("::/0"),
            });
        }
    }
    rng.shuffle(&mut v);
    v
}

pub(super) fn subnets_of(s: &Spec, v: usize) -> Vec<usize> {
    (0..s.subnets.len())
        .filter(|i| s.subnets[*i].vpc == v)
        .collect()
}

/// The effective route table of a subnet (explicit association, else the main table).
pub(super) fn effective_rt(s: &Spec, subnet: usize) -> Option<usize> {
    s.rts
        .iter()
        .position(|r| r.subnets.contains(&subnet))
        .or_else(|| s.main_rt(s.subnets[subnet].vpc))
}

/// A random network from a seed.
pub fn generate(seed: u64, feat: Features) -> Spec {
    generate_with(&mut Rng::new(seed), seed, feat)
}

/// A random network drawn from `r` (ids built from `seed`).
pub fn generate_with(r: &mut Rng, seed: u64, feat: Features) -> Spec {
    let mut s = Spec::default();
    let azs = ["us-east-1a", "us-east-1b"];
    let n_vpcs = r.range(1, 3);
    for v in 0..n_vpcs {
        let cidr6: Option<Ipv6Net> = (feat.ipv6 && r.chance(0.5))
            .then(|| format!("2600:1f18:{}::/56", v + 1).parse().unwrap());
        s.vpcs.push(VpcS {
            id: id("vpc", seed, v),
            cidr: format!("10.{}.0.0/16", v + 1).parse().unwrap(),
            cidr6,
        });
        for j in 0..r.range(1, 3) {
            let k = s.subnets.len();
            s.subnets.push(SubnetS {
                id: id("subnet", seed, k),
                vpc: v,
                cidr: format!("10.{}.{}.0/24", v + 1, j + 1).parse().unwrap(),
                cidr6: cidr6.filter(|_| r.chance(0.8)).map(|_| {
                    format!("2600:1f18:{}:{}::/64", v + 1, j + 1)
                        .parse()
                        .unwrap()
                }),
                az: r.pick(&azs).to_string(),
            });
        }
    }
    // Prefix lists: customer-managed ones, and the AWS service lists of the endpoints.
    if feat.prefix_lists {
        for k in 0..r.range(0, 2) {
            let mut cidrs: Vec<Ipv4Net> = Vec::new();
            for _ in 0..r.range(1, 3) {
                let c = match r.below(4) {
                    0 => s.subnets[r.below(s.subnets.len())].cidr,
                    1 => s.vpcs[r.below(s.vpcs.len())].cidr,
                    2 => *r.pick(&[
                        "198.51.100.0/24".parse().unwrap(),
                        "203.0.113.0/28".parse().unwrap(),
                    ]),
                    _ => "192.0.2.0/24".parse().unwrap(),
                };
                if !cidrs.contains(&c) {
                    cidrs.push(c);
                }
            }
            s.pls.push(PlS {
                id: id("pl", seed, k),
                name: format!("partners-{k}"),
                cidrs,
                aws: false,
            });
        }
    }
    // Gateways first (rule CIDRs may name their addresses).
    for v in 0..n_vpcs {
        if feat.igw && r.chance(0.6) {
            let k = s.igws.len();
            s.igws.push(IgwS {
                id: id("igw", seed, k),
                vpc: v,
            });
        }
        if s.vpcs[v].cidr6.is_some() && r.chance(0.4) {
            let k = s.eigws.len();
            s.eigws.push(IgwS {
                id: id("eigw", seed, k),
                vpc: v,
            });
        }
    }
    for v in 0..n_vpcs {
        if feat.nat && r.chance(0.4) {
            let sub = *r.pick(&subnets_of(&s, v));
            let k = s.nats.len();
            let has_igw = s.igws.iter().any(|g| g.vpc == v);
            let o = s.subnets[sub].cidr.network().octets();
            s.nats.push(NatS {
                id: id("nat", seed, k),
                eni_id: id("eni", seed, 900 + k),
                subnet: sub,
                private_ip: Ipv4Addr::new(o[0], o[1], o[2], 200),
                public_ip: (has_igw && r.chance(0.8))
                    .then(|| Ipv4Addr::new(3, 80, (v + 1) as u8, (k + 1) as u8)),
                available: r.chance(0.9),
            });
        }
    }
    // ENIs (groups assigned after the groups exist).
    let mut inst = 0;
    for si in 0..s.subnets.len() {
        let v = s.subnets[si].vpc;
        let has_igw = s.igws.iter().any(|g| g.vpc == v);
        for k in 0..r.range(1, 3) {
            let o = s.subnets[si].cidr.network().octets();
            let mut ips = vec![Ipv4Addr::new(o[0], o[1], o[2], (10 + k) as u8)];
            if r.chance(0.2) {
                ips.push(Ipv4Addr::new(o[0], o[1], o[2], (50 + k) as u8));
            }
            let mut ips6 = Vec::new();
            if let Some(c6) = s.subnets[si].cidr6 {
                if r.chance(0.75) {
                    let mut seg = c6.network().segments();
                    seg[7] = 0x10 + k as u16;
                    ips6.push(Ipv6Addr::from(seg));
                }
            }
            let public = r
                .chance(if has_igw { 0.5 } else { 0.1 })
                .then(|| Ipv4Addr::new(54, (v + 1) as u8, (si + 1) as u8, (k + 1) as u8));
            let kind = if r.chance(0.94) {
                inst += 1;
                EniKind::Instance {
                    id: id("i", seed, inst),
                    running: r.chance(0.96),
                    windows: r.chance(0.1),
                }
            } else {
                EniKind::Detached
            };
            let eid = id("eni", seed, s.enis.len());
            s.enis.push(EniS {
                id: eid,
                subnet: si,
                ips,
                ips6,
                public,
                groups: vec![],
                kind,
                src_dst_check: true,
            });
        }
    }
    // Gateway endpoints (their AWS prefix lists join `pls`).
    if feat.endpoints {
        for v in 0..n_vpcs {
            if !r.chance(0.35) {
                continue;
            }
            let (svc, cidrs) = if r.chance(0.6) {
                ("s3", ["52.216.0.0/15", "54.231.0.0/16"])
            } else {
                ("dynamodb", ["3.218.180.0/22", "52.94.0.0/22"])
            };
            let pl = match s.pls.iter().position(|p| p.name.ends_with(svc)) {
                Some(p) => p,
                None => {
                    s.pls.push(PlS {
                        id: format!("pl-{}", if svc == "s3" { "63a5400a" } else { "02cd2c6b" }),
                        name: format!("com.amazonaws.{REGION}.{svc}"),
                        cidrs: cidrs.iter().map(|c| c.parse().unwrap()).collect(),
                        aws: true,
                    });
                    s.pls.len() - 1
                }
            };
            let k = s.vpces.len();
            s.vpces.push(VpceS {
                id: id("vpce", seed, k),
                vpc: v,
                pl,
                rts: vec![],
                available: r.chance(0.9),
            });
        }
    }
    // Security groups: 1-3 per VPC.
    let mut sg_vpc = Vec::new();
    for v in 0..n_vpcs {
        for _ in 0..r.range(1, 3) {
            sg_vpc.push(v);
        }
    }
    let n_sgs = sg_vpc.len();
    for (gi, v) in sg_vpc.iter().enumerate() {
        let v6 = s.vpcs[*v].cidr6.is_some();
        let mut ingress: Vec<SgRuleS> = (0..r.range(0, 3))
            .map(|_| sg_rule(r, &s, n_sgs, v6))
            .collect();
        if r.chance(0.8) {
            // Broad ingress from the private network or anywhere.
            let mut cidrs = vec![*r.pick(&[net("10.0.0.0/8"), net("0.0.0.0/0")])];
            if v6 && r.chance(0.8) {
                cidrs.push(*r.pick(&[net("::/0"), net("2600:1f18::/32")]));
            }
            ingress.push(SgRuleS {
                proto: r.pick::<&str>(&["-1", "tcp", "-1", "udp"]),
                ports: Some(*r.pick(&[(0, 65535), (0, 65535), (0, 1023), (1024, 65535)])),
                cidrs,
                pls: vec![],
                groups: vec![],
            });
        }
        let egress = if r.chance(0.75) {
            vec![allow_all_rule(v6 && r.chance(0.8))]
        } else {
            (0..r.range(0, 3))
                .map(|_| sg_rule(r, &s, n_sgs, v6))
                .collect()
        };
        s.sgs.push(SgS {
            id: id("sg", seed, gi),
            name: format!("g{gi}"),
            vpc: *v,
            ingress,
            egress,
        });
    }
    for e in 0..s.enis.len() {
        let v = s.subnets[s.enis[e].subnet].vpc;
        let mine: Vec<usize> = (0..n_sgs).filter(|g| sg_vpc[*g] == v).collect();
        let mut groups = vec![*r.pick(&mine)];
        if r.chance(0.3) {
            let g = *r.pick(&mine);
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
        s.enis[e].groups = groups;
    }
    // NACLs: default per VPC (allow-all or random), plus 0-2 custom ones.
    for v in 0..n_vpcs {
        let v6 = s.vpcs[v].cidr6.is_some();
        let default_idx = s.nacls.len();
        let entries = if r.chance(0.7) {
            default_nacl_entries(v6)
        } else {
            nacl_entries(r, &s, v6)
        };
        s.nacls.push(NaclS {
            id: id("acl", seed, default_idx),
            vpc: v,
            is_default: true,
            subnets: vec![],
            entries,
        });
        let n_custom = r.range(0, 2);
        for _ in 0..n_custom {
            let k = s.nacls.len();
            let entries = nacl_entries(r, &s, v6);
            s.nacls.push(NaclS {
                id: id("acl", seed, k),
                vpc: v,
                is_default: false,
                subnets: vec![],
                entries,
            });
        }
        let list_default = r.chance(0.7);
        for sub in subnets_of(&s, v) {
            let pick = default_idx + r.below(n_custom + 1);
            if pick != default_idx || list_default {
                s.nacls[pick].subnets.push(sub);
            }
        }
    }
    if feat.peering && n_vpcs >= 2 {
        peerings(r, &mut s, seed);
    }
    if feat.tgw && n_vpcs >= 2 && r.chance(0.5) {
        transit_gateway(r, &mut s, seed);
    }
    super::routes::route_tables(r, &mut s, seed);
    s
}

fn peerings(r: &mut Rng, s: &mut Spec, seed: u64) {
    let n_vpcs = s.vpcs.len();
    let n = if r.chance(0.6) { 1 } else { r.below(2) * 2 };
    for _ in 0..n {
        let a = r.below(n_vpcs);
        let mut b = r.below(n_vpcs);
        if a == b {
            b = (a + 1) % n_vpcs;
        }
        if s.pcxs
            .iter()
            .any(|p| (p.requester, p.accepter) == (a, b) || (p.requester, p.accepter) == (b, a))
        {
            continue;
        }
        let k = s.pcxs.len();
        s.pcxs.push(PcxS {
            id: id("pcx", seed, k),
            requester: a,
            accepter: b,
            active: r.chance(0.85),
        });
    }
}

fn transit_gateway(r: &mut Rng, s: &mut Spec, seed: u64) {
    let azs = ["us-east-1a", "us-east-1b"];
    let n_vpcs = s.vpcs.len();
    let n_tables = r.range(1, 2);
    let mut t = TgwS {
        id: id("tgw", seed, 0),
        sg_ref: r.chance(0.5),
        attachments: vec![],
        tables: (0..n_tables)
            .map(|i| TgwRtS {
                id: id("tgw-rtb", seed, i),
                propagations: vec![],
                statics: vec![],
            })
            .collect(),
    };
    let mut order: Vec<usize> = (0..n_vpcs).collect();
    r.shuffle(&mut order);
    for (k, v) in order.into_iter().enumerate() {
        if k >= 2 && r.chance(0.3) {
            continue;
        }
        let subs = subnets_of(s, v);
        let mut chosen: Vec<usize> = Vec::new();
        for az in azs {
            let in_az: Vec<usize> = subs
                .iter()
                .copied()
                .filter(|i| s.subnets[*i].az == az)
                .collect();
            if !in_az.is_empty() && (chosen.is_empty() || r.chance(0.6)) {
                chosen.push(*r.pick(&in_az));
            }
        }
        let ai = t.attachments.len();
        t.attachments.push(AttS {
            id: id("tgw-attach", seed, ai),
            vpc: v,
            subnets: chosen,
            creation_time: format!(
                "2024-02-{:02}T10:{:02}:00+00:00",
                1 + r.below(27),
                r.below(60)
            ),
            available: r.chance(0.9),
            sg_ref: r.chance(0.6),
            ipv6: s.vpcs[v].cidr6.is_some() && r.chance(0.7),
            assoc: r.chance(0.95).then(|| r.below(n_tables)),
        });
        for tb in 0..n_tables {
            if r.chance(0.7) {
                t.tables[tb].propagations.push(ai);
            }
        }
    }
    for tb in 0..n_tables {
        if r.chance(0.35) {
            let ai = r.below(t.attachments.len());
            let dest = if r.chance(0.5) {
                IpNet::V4(s.vpcs[t.attachments[ai].vpc].cidr)
            } else {
                IpNet::V4(s.subnets[r.below(s.subnets.len())].cidr)
            };
            let target = r.chance(0.75).then_some(ai);
            if !t.tables[tb].statics.iter().any(|(d, _)| *d == dest) {
                t.tables[tb].statics.push((dest, target));
            }
        }
    }
    s.tgw = Some(t);
}
