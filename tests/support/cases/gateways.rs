//! Regression networks through gateways: internet gateway, NAT gateway, transit gateway,
//! IPv6 (dual stack, egress-only IGW), prefix-list routes and rules, gateway endpoints.

use super::*;

/// Append the gateway cases.
pub fn cases(v: &mut Vec<Case>) {
    use Verdict::*;
    // IGW.
    let mut s = base();
    s.igws.push(IgwS {
        id: "igw-1".into(),
        vpc: 0,
    });
    s.rts[0].routes.push(RouteS {
        dest: DestS::Cidr(n("0.0.0.0/0")),
        target: TargetS::Igw(0),
        blackhole: false,
    });
    s.enis[0].public = Some(ip("54.1.1.1"));
    v.push(case(
        "IGW egress with a public IP",
        s.clone(),
        "eni-a",
        "198.51.100.7",
        Some("443"),
        Reachable,
    ));
    v.push(case(
        "IGW egress without a public IP",
        s.clone(),
        "eni-b",
        "198.51.100.7",
        Some("443"),
        Unreachable,
    ));
    v.push(case(
        "IGW never carries RFC 1918 destinations",
        s.clone(),
        "eni-a",
        "172.16.0.5",
        Some("443"),
        Unreachable,
    ));
    let mut c = case(
        "outside host to a public IP",
        s.clone(),
        "198.51.100.7",
        "54.1.1.1",
        Some("22"),
        Reachable,
    );
    c.ephemeral = (1024, 65535);
    v.push(c);
    let mut c = case(
        "outside host to a private IP",
        s.clone(),
        "198.51.100.7",
        "10.1.1.10",
        Some("22"),
        Unreachable,
    );
    c.ephemeral = (1024, 65535);
    v.push(c);
    let mut s2 = s.clone();
    s2.sgs[0].ingress = vec![SgRuleS {
        proto: "tcp",
        ports: Some((22, 22)),
        cidrs: vec![n("203.0.113.0/29")],
        pls: vec![],
        groups: vec![],
    }];
    let mut c = case(
        "outside CIDR half admitted by the SG",
        s2,
        "203.0.113.0/28",
        "54.1.1.1",
        Some("22"),
        Partial,
    );
    c.ephemeral = (1024, 65535);
    v.push(c);
    v.push(case(
        "hairpin through the IGW to the own VPC's public IP",
        {
            let mut s2 = s.clone();
            s2.enis[1].public = Some(ip("54.1.2.1"));
            s2.rts[0].routes.clear();
            s2.rts.push(RtS {
                id: "rtb-pub".into(),
                vpc: 0,
                main: false,
                subnets: vec![0, 1],
                write_local: true,
                routes: vec![RouteS {
                    dest: DestS::Cidr(n("0.0.0.0/0")),
                    target: TargetS::Igw(0),
                    blackhole: false,
                }],
            });
            s2
        },
        "eni-a",
        "54.1.2.1",
        Some("22"),
        Reachable,
    ));

    // NAT gateway: eni-b (private subnet 1b) -> NAT in subnet 1a -> IGW.
    let mut s = base();
    s.igws.push(IgwS {
        id: "igw-1".into(),
        vpc: 0,
    });
    s.nats.push(NatS {
        id: "nat-1".into(),
        eni_id: "eni-nat1".into(),
        subnet: 0,
        private_ip: ip("10.1.1.200"),
        public_ip: Some(ip("3.80.1.1")),
        available: true,
    });
    s.rts[0].routes.push(RouteS {
        dest: DestS::Cidr(n("0.0.0.0/0")),
        target: TargetS::Igw(0),
        blackhole: false,
    });
    s.rts.push(RtS {
        id: "rtb-private".into(),
        vpc: 0,
        main: false,
        subnets: vec![1],
        write_local: true,
        routes: vec![RouteS {
            dest: DestS::Cidr(n("0.0.0.0/0")),
            target: TargetS::Nat(0),
            blackhole: false,
        }],
    });
    v.push(case(
        "NAT gateway to the internet",
        s.clone(),
        "eni-b",
        "198.51.100.7",
        Some("443"),
        Reachable,
    ));
    let mut s2 = s.clone();
    s2.nacls.push(NaclS {
        id: "acl-pub".into(),
        vpc: 0,
        is_default: false,
        subnets: vec![0],
        entries: vec![
            entry(100, false, true, "6", Some((443, 443)), "0.0.0.0/0"),
            entry(110, false, true, "6", Some((1024, 40000)), "0.0.0.0/0"),
            entry(100, true, true, "-1", None, "0.0.0.0/0"),
        ],
    });
    s2.nacls[0].subnets = vec![1];
    v.push(case(
        "NAT subnet NACL admits only part of the NAT's 1024-65535 ports: no flow completes for every NAT port",
        s2,
        "eni-b",
        "198.51.100.7",
        Some("443"),
        Unreachable,
    ));
    let mut s3 = s.clone();
    s3.nacls.push(NaclS {
        id: "acl-priv".into(),
        vpc: 0,
        is_default: false,
        subnets: vec![1],
        entries: vec![
            entry(100, false, true, "6", Some((1024, 40000)), "0.0.0.0/0"),
            entry(100, true, true, "-1", None, "0.0.0.0/0"),
        ],
    });
    s3.nacls[0].subnets = vec![0];
    v.push(case(
        "NAT path, client subnet NACL admits part of the client's ephemeral range: partial",
        s3,
        "eni-b",
        "198.51.100.7",
        Some("443"),
        Partial,
    ));
    let mut c = case(
        "no unsolicited inbound through a NAT gateway (G3)",
        s.clone(),
        "198.51.100.7",
        "3.80.1.1",
        Some("443"),
        Unreachable,
    );
    c.ephemeral = (1024, 65535);
    v.push(c);
    // Asymmetric return through a NAT gateway: the reply is translated as a new flow and reaches
    // the client from the NAT's address, which is not a reply to its request.
    let mut s2 = s.clone();
    s2.enis[1].public = Some(ip("54.1.2.1"));
    let mut c = case(
        "public IP in a subnet whose default route is a NAT gateway: the reply leaves by the NAT (asymmetric)",
        s2,
        "198.51.100.7",
        "54.1.2.1",
        Some("22"),
        Unreachable,
    );
    c.ephemeral = (1024, 65535);
    v.push(c);
    let mut s2 = s.clone();
    s2.subnets.push(SubnetS {
        id: "subnet-3".into(),
        vpc: 0,
        cidr: n4("10.1.3.0/24"),
        cidr6: None,
        az: "us-east-1a".into(),
    });
    add_eni(&mut s2, "eni-c", 2, "10.1.3.10", None);
    s2.nacls[0].subnets.push(2);
    s2.rts[1].routes.push(RouteS {
        dest: DestS::Cidr(n("10.1.3.0/24")),
        target: TargetS::Nat(0),
        blackhole: false,
    });
    v.push(case(
        "whole-subnet route through a NAT gateway (R6), both legs translated and reversed",
        s2.clone(),
        "eni-b",
        "10.1.3.10",
        Some("22"),
        Reachable,
    ));
    v.push(case(
        "whole-subnet route through a NAT gateway (R6) on the reply only (asymmetric)",
        s2,
        "eni-c",
        "10.1.2.10",
        Some("22"),
        Unreachable,
    ));
    let mut s2 = s.clone();
    s2.nats[0].public_ip = None;
    v.push(case(
        "private NAT gateway cannot use the IGW",
        s2,
        "eni-b",
        "198.51.100.7",
        Some("443"),
        Unreachable,
    ));

    // Transit gateway between VPC 1 and VPC 2.
    let mut s = base();
    add_vpc2(&mut s);
    s.tgw = Some(TgwS {
        id: "tgw-1".into(),
        sg_ref: false,
        attachments: vec![
            AttS {
                id: "tgw-attach-1".into(),
                vpc: 0,
                subnets: vec![0, 1],
                creation_time: "2024-02-01T10:00:00+00:00".into(),
                available: true,
                sg_ref: true,
                ipv6: false,
                assoc: Some(0),
            },
            AttS {
                id: "tgw-attach-2".into(),
                vpc: 1,
                subnets: vec![2],
                creation_time: "2024-02-02T10:00:00+00:00".into(),
                available: true,
                sg_ref: true,
                ipv6: false,
                assoc: Some(0),
            },
        ],
        tables: vec![TgwRtS {
            id: "tgw-rtb-1".into(),
            propagations: vec![0, 1],
            statics: vec![],
        }],
    });
    s.rts[0].routes.push(RouteS {
        dest: DestS::Cidr(n("10.2.0.0/16")),
        target: TargetS::Tgw,
        blackhole: false,
    });
    s.rts[1].routes.push(RouteS {
        dest: DestS::Cidr(n("10.0.0.0/8")),
        target: TargetS::Tgw,
        blackhole: false,
    });
    v.push(case(
        "TGW with propagated routes",
        s.clone(),
        "eni-a",
        "10.2.1.10",
        Some("22"),
        Reachable,
    ));
    v.push(case(
        "TGW reply from 1a reaches the 1b client through attachment subnet 1a (AZ rule)",
        s.clone(),
        "eni-b",
        "10.2.1.10",
        Some("22"),
        Reachable,
    ));
    let mut s2 = s.clone();
    s2.tgw.as_mut().unwrap().attachments[0].subnets = vec![1];
    v.push(case(
        "TGW: sender AZ without attachment subnet (TGW_ROUTE_AZ_RESTRICTION)",
        s2,
        "eni-a",
        "10.2.1.10",
        Some("22"),
        Unreachable,
    ));
    let mut s2 = s.clone();
    s2.tgw.as_mut().unwrap().tables[0]
        .statics
        .push((n("10.2.1.0/24"), None));
    v.push(case(
        "TGW static blackhole more specific than the propagation",
        s2,
        "eni-a",
        "10.2.1.10",
        Some("22"),
        Unreachable,
    ));
    let mut s2 = s.clone();
    s2.tgw.as_mut().unwrap().tables[0].propagations = vec![0];
    v.push(case(
        "TGW: destination VPC not propagated",
        s2,
        "eni-a",
        "10.2.1.10",
        Some("22"),
        Unreachable,
    ));
    let mut s2 = s.clone();
    s2.sgs[1].ingress = vec![SgRuleS {
        proto: "tcp",
        ports: Some((22, 22)),
        cidrs: vec![],
        pls: vec![],
        groups: vec![0],
    }];
    v.push(case(
        "TGW: group reference without TGW referencing support",
        s2.clone(),
        "eni-a",
        "10.2.1.10",
        Some("22"),
        Unreachable,
    ));
    s2.tgw.as_mut().unwrap().sg_ref = true;
    v.push(case(
        "TGW: group reference with referencing support everywhere",
        s2,
        "eni-a",
        "10.2.1.10",
        Some("22"),
        Reachable,
    ));
    // T4: overlapping VPC 3 (10.2.0.0/16 too) attached earlier wins the propagation.
    let mut s2 = s.clone();
    s2.vpcs.push(VpcS {
        id: "vpc-3".into(),
        cidr: n4("10.2.0.0/16"),
        cidr6: None,
    });
    s2.subnets.push(SubnetS {
        id: "subnet-31".into(),
        vpc: 2,
        cidr: n4("10.2.9.0/24"),
        cidr6: None,
        az: "us-east-1a".into(),
    });
    s2.sgs.push(SgS {
        id: "sg-all3".into(),
        name: "all3".into(),
        vpc: 2,
        ingress: vec![allow_all_rule(false)],
        egress: vec![allow_all_rule(false)],
    });
    add_eni(&mut s2, "eni-d", 3, "10.2.9.10", None);
    s2.nacls.push(NaclS {
        id: "acl-default3".into(),
        vpc: 2,
        is_default: true,
        subnets: vec![3],
        entries: default_nacl_entries(false),
    });
    s2.rts.push(RtS {
        id: "rtb-main3".into(),
        vpc: 2,
        main: true,
        subnets: vec![],
        write_local: true,
        routes: vec![RouteS {
            dest: DestS::Cidr(n("10.1.0.0/16")),
            target: TargetS::Tgw,
            blackhole: false,
        }],
    });
    {
        let t = s2.tgw.as_mut().unwrap();
        t.attachments.push(AttS {
            id: "tgw-attach-3".into(),
            vpc: 2,
            subnets: vec![3],
            creation_time: "2024-03-01T10:00:00+00:00".into(),
            available: true,
            sg_ref: true,
            ipv6: false,
            assoc: Some(0),
        });
        t.tables[0].propagations.push(2);
    }
    v.push(case(
        "TGW overlap: the later VPC's CIDR is not propagated",
        s2.clone(),
        "eni-a",
        "10.2.9.10",
        Some("22"),
        Unreachable,
    ));
    s2.tgw.as_mut().unwrap().attachments[2].creation_time = "2024-01-01T10:00:00+00:00".into();
    v.push(case(
        "TGW overlap: the earlier VPC's CIDR wins",
        s2,
        "eni-a",
        "10.2.9.10",
        Some("22"),
        Reachable,
    ));
    more(v);
}

/// `base()` made dual-stack: VPC 2600:1f18:1::/56, subnets ::1:… and ::2:…, `eni-a`
/// 2600:1f18:1:1::10, `eni-b` 2600:1f18:1:2::10, allow-all rules and NACL for both families.
fn dual_stack() -> Spec {
    let mut s = base();
    s.vpcs[0].cidr6 = Some("2600:1f18:1::/56".parse().unwrap());
    s.subnets[0].cidr6 = Some("2600:1f18:1:1::/64".parse().unwrap());
    s.subnets[1].cidr6 = Some("2600:1f18:1:2::/64".parse().unwrap());
    s.enis[0].ips6 = vec!["2600:1f18:1:1::10".parse().unwrap()];
    s.enis[1].ips6 = vec!["2600:1f18:1:2::10".parse().unwrap()];
    s.sgs[0].ingress = vec![allow_all_rule(true)];
    s.sgs[0].egress = vec![allow_all_rule(true)];
    s.nacls[0].entries = default_nacl_entries(true);
    s
}

fn with_proto(mut c: Case, proto: &'static str, expect: Verdict) -> Case {
    c.proto = proto;
    c.expect = expect;
    if proto != "tcp" && proto != "udp" {
        c.ports = None;
    }
    c
}

/// IPv6, prefix lists and gateway endpoints.
fn more(v: &mut Vec<Case>) {
    use Verdict::*;
    let mut s = dual_stack();
    s.rts[0].write_local = false;
    v.push(case(
        "IPv6 local route synthesized (the JSON lists no local route at all, R3)",
        s,
        "eni-a",
        "2600:1f18:1:2::10",
        Some("22"),
        Reachable,
    ));
    let mut s = dual_stack();
    s.nacls[0].entries = default_nacl_entries(false);
    v.push(case(
        "IPv4 NACL entries never match IPv6: implicit final deny (N3)",
        s.clone(),
        "eni-a",
        "2600:1f18:1:2::10",
        Some("22"),
        Unreachable,
    ));
    v.push(case(
        "IPv4 through the same NACL",
        s,
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Reachable,
    ));
    let mut s = dual_stack();
    s.igws.push(IgwS {
        id: "igw-1".into(),
        vpc: 0,
    });
    s.rts[0].routes.push(RouteS {
        dest: DestS::Cidr(n("0.0.0.0/0")),
        target: TargetS::Igw(0),
        blackhole: false,
    });
    v.push(case(
        "0.0.0.0/0 never carries IPv6 (R8)",
        s.clone(),
        "eni-b",
        "2606:4700::1111",
        Some("443"),
        Unreachable,
    ));
    s.rts[0].routes.push(RouteS {
        dest: DestS::Cidr(n("::/0")),
        target: TargetS::Igw(0),
        blackhole: false,
    });
    v.push(case(
        "::/0 through the IGW: no public IPv4 needed (I3)",
        s.clone(),
        "eni-b",
        "2606:4700::1111",
        Some("443"),
        Reachable,
    ));
    let mut c = case(
        "outside IPv6 host to an ENI's IPv6 address through the IGW",
        s,
        "2001:db8::7",
        "2600:1f18:1:1::10",
        Some("22"),
        Reachable,
    );
    c.ephemeral = (1024, 65535);
    v.push(c);
    let mut s = dual_stack();
    s.eigws.push(IgwS {
        id: "eigw-1".into(),
        vpc: 0,
    });
    s.rts[0].routes.push(RouteS {
        dest: DestS::Cidr(n("::/0")),
        target: TargetS::Eigw(0),
        blackhole: false,
    });
    v.push(case(
        "egress-only IGW: outbound IPv6 and its replies",
        s.clone(),
        "eni-a",
        "2606:4700::1111",
        Some("443"),
        Reachable,
    ));
    let mut c = case(
        "egress-only IGW: no unsolicited inbound (E1)",
        s,
        "2001:db8::7",
        "2600:1f18:1:1::10",
        Some("22"),
        Unreachable,
    );
    c.ephemeral = (1024, 65535);
    v.push(c);

    // Customer-managed prefix lists.
    let mut s = base();
    s.pls.push(PlS {
        id: "pl-partners".into(),
        name: "partners".into(),
        cidrs: vec![n4("10.1.1.10/32"), n4("198.51.100.0/24")],
        aws: false,
    });
    s.sgs[0].ingress = vec![SgRuleS {
        proto: "tcp",
        ports: Some((22, 22)),
        cidrs: vec![],
        pls: vec![0],
        groups: vec![],
    }];
    v.push(case(
        "SG rule with a prefix list admits its entries",
        s.clone(),
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Reachable,
    ));
    v.push(case(
        "SG rule with a prefix list: address not listed",
        s.clone(),
        "eni-b",
        "10.1.1.10",
        Some("22"),
        Unreachable,
    ));
    s.sgs[0].ingress = vec![allow_all_rule(false)];
    s.igws.push(IgwS {
        id: "igw-1".into(),
        vpc: 0,
    });
    s.enis[0].public = Some(ip("54.1.1.1"));
    s.rts[0].routes.push(RouteS {
        dest: DestS::Pl(0),
        target: TargetS::Igw(0),
        blackhole: false,
    });
    v.push(case(
        "prefix-list route to the IGW",
        s.clone(),
        "eni-a",
        "198.51.100.7",
        Some("443"),
        Reachable,
    ));
    v.push(case(
        "prefix-list route: address not listed, no other route",
        s,
        "eni-a",
        "203.0.113.5",
        Some("443"),
        Unreachable,
    ));

    // Gateway endpoint to S3.
    let mut s = base();
    s.pls.push(PlS {
        id: "pl-63a5400a".into(),
        name: "com.amazonaws.us-east-1.s3".into(),
        cidrs: vec![n4("52.216.0.0/15"), n4("54.231.0.0/16")],
        aws: true,
    });
    s.vpces.push(VpceS {
        id: "vpce-s3".into(),
        vpc: 0,
        pl: 0,
        rts: vec![0],
        available: true,
    });
    s.rts[0].routes.push(RouteS {
        dest: DestS::Pl(0),
        target: TargetS::Vpce(0),
        blackhole: false,
    });
    let c = case(
        "gateway endpoint: TCP to S3 (V1)",
        s.clone(),
        "eni-a",
        "52.216.5.5",
        Some("443"),
        Reachable,
    );
    v.push(with_proto(c, "tcp", Reachable));
    let c = case("", s.clone(), "eni-a", "52.216.5.5", Some("443"), Reachable);
    let mut c = with_proto(c, "udp", Unreachable);
    c.name = "gateway endpoint: no UDP (VPCE_GATEWAY_PROTOCOL_RESTRICTION)";
    v.push(c);
    let c = case("", s.clone(), "eni-a", "52.216.5.5", None, Reachable);
    let mut c = with_proto(c, "icmp", Partial);
    c.name = "gateway endpoint: ICMP echo requests only";
    v.push(c);
    s.vpces[0].available = false;
    v.push(case(
        "gateway endpoint not available",
        s,
        "eni-a",
        "54.231.0.9",
        Some("443"),
        Unreachable,
    ));
}

/// `eni-b` (subnet 1b, default route to private NAT gateway `nat-1` in subnet 1a) asks for S3
/// (52.216.5.5:443); only subnet 1a's table routes the S3 prefix list to gateway endpoint
/// `vpce-s3`. Subnet 1b's NACL `acl-priv` admits inbound tcp 22 only, so the reply (back through
/// the NAT to the client's ephemeral port) is dropped: unreachable.
pub fn endpoint_via_nat() -> Case {
    let mut s = base();
    s.pls.push(PlS {
        id: "pl-63a5400a".into(),
        name: "com.amazonaws.us-east-1.s3".into(),
        cidrs: vec![n4("52.216.0.0/15")],
        aws: true,
    });
    s.vpces.push(VpceS {
        id: "vpce-s3".into(),
        vpc: 0,
        pl: 0,
        rts: vec![0],
        available: true,
    });
    s.rts[0].routes.push(RouteS {
        dest: DestS::Pl(0),
        target: TargetS::Vpce(0),
        blackhole: false,
    });
    s.nats.push(NatS {
        id: "nat-1".into(),
        eni_id: "eni-nat1".into(),
        subnet: 0,
        private_ip: ip("10.1.1.200"),
        public_ip: None,
        available: true,
    });
    s.rts.push(RtS {
        id: "rtb-private".into(),
        vpc: 0,
        main: false,
        subnets: vec![1],
        write_local: true,
        routes: vec![RouteS {
            dest: DestS::Cidr(n("0.0.0.0/0")),
            target: TargetS::Nat(0),
            blackhole: false,
        }],
    });
    s.nacls.push(NaclS {
        id: "acl-priv".into(),
        vpc: 0,
        is_default: false,
        subnets: vec![1],
        entries: vec![
            entry(100, false, true, "6", Some((22, 22)), "0.0.0.0/0"),
            entry(100, true, true, "-1", None, "0.0.0.0/0"),
        ],
    });
    s.nacls[0].subnets = vec![0];
    case(
        "gateway endpoint through a NAT gateway: the reply crosses the client subnet's NACL",
        s,
        "eni-b",
        "52.216.5.5",
        Some("443"),
        Verdict::Unreachable,
    )
}

/// The base network with a middlebox: appliance `eni-fw` (subnet 3, 10.1.3.10, SourceDestCheck
/// false) and subnet 1's table routing `10.1.2.0/24` (subnet 2) through it. Returns the spec and
/// the appliance's ENI index.
fn through_middlebox() -> (Spec, usize) {
    let mut s = base();
    s.subnets.push(SubnetS {
        id: "subnet-3".into(),
        vpc: 0,
        cidr: n4("10.1.3.0/24"),
        cidr6: None,
        az: "us-east-1a".into(),
    });
    let fw = add_eni(&mut s, "eni-fw", 2, "10.1.3.10", None);
    s.enis[fw].src_dst_check = false;
    s.nacls[0].subnets.push(2);
    s.rts.push(RtS {
        id: "rtb-a".into(),
        vpc: 0,
        main: false,
        subnets: vec![0],
        write_local: true,
        routes: vec![RouteS {
            dest: DestS::Cidr(n("10.1.2.0/24")),
            target: TargetS::Eni(fw),
            blackhole: false,
        }],
    });
    (s, fw)
}

/// `eni-a` (subnet 1a) → `eni-b` (subnet 1b) on tcp 22, routed by subnet 1a's table through
/// appliance `eni-fw` (subnet 1c, 10.1.3.10, SourceDestCheck false); `eni-b`'s group admits
/// tcp 22 only from the group of `eni-a` (`sg-all`). S6: a group reference never matches across
/// a middlebox ENI, so AWS drops it at `eni-b`'s group: unreachable.
pub fn group_reference_through_appliance() -> Case {
    let (mut s, _) = through_middlebox();
    s.sgs.push(SgS {
        id: "sg-ssh".into(),
        name: "ssh".into(),
        vpc: 0,
        ingress: vec![SgRuleS {
            proto: "tcp",
            ports: Some((22, 22)),
            cidrs: vec![],
            pls: vec![],
            groups: vec![0],
        }],
        egress: vec![allow_all_rule(false)],
    });
    s.enis[1].groups = vec![1];
    case(
        "group reference through a middlebox ENI (S6: identity not preserved)",
        s,
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Verdict::Unreachable,
    )
}

/// `eni-a` (subnet 1) → `eni-b` (10.1.2.10:22) through middlebox `eni-fw` (subnet 3, route
/// `10.1.2.0/24 -> eni-fw` in subnet 1's table). Every other group admits everything, but the
/// appliance's own group `sg-fw` admits only tcp 443 inbound: its security groups filter what it
/// forwards, so the request stops at `sg-fw` (forward, ingress): unreachable.
pub fn appliance_security_group_denies() -> Case {
    let (mut s, fw) = through_middlebox();
    s.sgs.push(SgS {
        id: "sg-fw".into(),
        name: "firewall".into(),
        vpc: 0,
        ingress: vec![SgRuleS {
            proto: "tcp",
            ports: Some((443, 443)),
            cidrs: vec![n("0.0.0.0/0")],
            pls: vec![],
            groups: vec![],
        }],
        egress: vec![allow_all_rule(false)],
    });
    s.enis[fw].groups = vec![s.sgs.len() - 1];
    case(
        "a middlebox ENI's own security group filters what it forwards",
        s,
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Verdict::Unreachable,
    )
}
