//! Hand-written regression networks: each exercises one rule of docs/engine-semantics.md with
//! the verdict AWS semantics give (not the engine's). Used by `tests/reach_props.rs` against
//! both the oracle and the engine. Gateways (IGW, NAT, TGW, IPv6, prefix lists, endpoints) are
//! in [`gateways`].

#![allow(dead_code)]

mod gateways;
pub use gateways::{
    appliance_security_group_denies, endpoint_via_nat, group_reference_through_appliance,
};

use crate::netgen::*;
use ipnet::{IpNet, Ipv4Net};
use std::net::Ipv4Addr;
use vpcreach::engine::Verdict;

pub fn n(s: &str) -> IpNet {
    s.parse().unwrap()
}
pub fn n4(s: &str) -> Ipv4Net {
    s.parse().unwrap()
}
pub fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

/// Two subnets (1a: 10.1.1.0/24, 1b: 10.1.2.0/24) of one VPC, one ENI each (`eni-a` 10.1.1.10,
/// `eni-b` 10.1.2.10), one allow-all group, the default allow-all NACL, a main table.
pub fn base() -> Spec {
    let mut s = Spec::default();
    s.vpcs.push(VpcS {
        id: "vpc-1".into(),
        cidr: n4("10.1.0.0/16"),
        cidr6: None,
    });
    for (i, (c, az)) in [("10.1.1.0/24", "us-east-1a"), ("10.1.2.0/24", "us-east-1b")]
        .iter()
        .enumerate()
    {
        s.subnets.push(SubnetS {
            id: format!("subnet-{}", i + 1),
            vpc: 0,
            cidr: n4(c),
            cidr6: None,
            az: az.to_string(),
        });
    }
    s.sgs.push(SgS {
        id: "sg-all".into(),
        name: "all".into(),
        vpc: 0,
        ingress: vec![allow_all_rule(false)],
        egress: vec![allow_all_rule(false)],
    });
    for (id, sub, a) in [("eni-a", 0, "10.1.1.10"), ("eni-b", 1, "10.1.2.10")] {
        add_eni(&mut s, id, sub, a, None);
    }
    s.nacls.push(NaclS {
        id: "acl-default1".into(),
        vpc: 0,
        is_default: true,
        subnets: vec![0, 1],
        entries: default_nacl_entries(false),
    });
    s.rts.push(RtS {
        id: "rtb-main1".into(),
        vpc: 0,
        main: true,
        subnets: vec![],
        write_local: true,
        routes: vec![],
    });
    s
}

pub fn add_eni(s: &mut Spec, id: &str, subnet: usize, a: &str, public: Option<&str>) -> usize {
    let vpc = s.subnets[subnet].vpc;
    let g = s.sgs.iter().position(|g| g.vpc == vpc).unwrap_or(0);
    s.enis.push(EniS {
        id: id.into(),
        subnet,
        ips: vec![ip(a)],
        ips6: vec![],
        public: public.map(ip),
        groups: vec![g],
        kind: EniKind::Instance {
            id: format!("i-{}", &id[4..]),
            running: true,
            windows: false,
        },
        src_dst_check: true,
    });
    s.enis.len() - 1
}

/// A second VPC 10.2.0.0/16 with subnet 10.2.1.0/24 (us-east-1a), `eni-c` 10.2.1.10, its own
/// allow-all group, NACL and main table.
pub fn add_vpc2(s: &mut Spec) {
    s.vpcs.push(VpcS {
        id: "vpc-2".into(),
        cidr: n4("10.2.0.0/16"),
        cidr6: None,
    });
    s.subnets.push(SubnetS {
        id: "subnet-21".into(),
        vpc: 1,
        cidr: n4("10.2.1.0/24"),
        cidr6: None,
        az: "us-east-1a".into(),
    });
    s.sgs.push(SgS {
        id: "sg-all2".into(),
        name: "all2".into(),
        vpc: 1,
        ingress: vec![allow_all_rule(false)],
        egress: vec![allow_all_rule(false)],
    });
    let sub = s.subnets.len() - 1;
    add_eni(s, "eni-c", sub, "10.2.1.10", None);
    s.nacls.push(NaclS {
        id: "acl-default2".into(),
        vpc: 1,
        is_default: true,
        subnets: vec![sub],
        entries: default_nacl_entries(false),
    });
    s.rts.push(RtS {
        id: "rtb-main2".into(),
        vpc: 1,
        main: true,
        subnets: vec![],
        write_local: true,
        routes: vec![],
    });
}

pub fn entry(
    number: u16,
    egress: bool,
    allow: bool,
    proto: &'static str,
    ports: Option<(u16, u16)>,
    cidr: &str,
) -> NaclEntryS {
    NaclEntryS {
        number,
        egress,
        allow,
        proto,
        ports,
        cidr: n(cidr),
    }
}

pub struct Case {
    pub name: &'static str,
    pub spec: Spec,
    pub from: &'static str,
    pub to: &'static str,
    pub proto: &'static str,
    pub ports: Option<&'static str>,
    pub ephemeral: (u16, u16),
    pub expect: Verdict,
}

pub fn case(
    name: &'static str,
    spec: Spec,
    from: &'static str,
    to: &'static str,
    ports: Option<&'static str>,
    expect: Verdict,
) -> Case {
    Case {
        name,
        spec,
        from,
        to,
        proto: "tcp",
        ports,
        ephemeral: (32768, 61000),
        expect,
    }
}

/// Every regression case.
pub fn all() -> Vec<Case> {
    use Verdict::*;
    let mut v = Vec::new();

    v.push(case(
        "local route, allow-all",
        base(),
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Reachable,
    ));
    v.push(case(
        "unused address in the VPC: NO_PATH",
        base(),
        "eni-a",
        "10.1.2.99",
        Some("22"),
        Unreachable,
    ));

    // N2: first match by rule number, whatever the JSON order.
    let mut s = base();
    s.nacls.push(NaclS {
        id: "acl-b".into(),
        vpc: 0,
        is_default: false,
        subnets: vec![1],
        entries: vec![
            entry(200, false, true, "-1", None, "0.0.0.0/0"),
            entry(100, false, false, "6", Some((22, 22)), "10.1.1.0/24"),
            entry(100, true, true, "-1", None, "0.0.0.0/0"),
        ],
    });
    s.nacls[0].subnets = vec![0];
    v.push(case(
        "NACL first match by rule number (deny 100 listed after allow 200)",
        s.clone(),
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Unreachable,
    ));
    v.push(case(
        "NACL deny rule is port-specific",
        s,
        "eni-a",
        "10.1.2.10",
        Some("80"),
        Reachable,
    ));

    // N3: final deny synthesized when missing (no entries at all in one direction).
    let mut s = base();
    s.nacls.push(NaclS {
        id: "acl-b".into(),
        vpc: 0,
        is_default: false,
        subnets: vec![1],
        entries: vec![entry(100, false, true, "-1", None, "0.0.0.0/0")],
    });
    s.nacls[0].subnets = vec![0];
    v.push(case(
        "NACL without outbound entries: implicit final deny blocks the reply",
        s,
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Unreachable,
    ));

    // N8: stateless reply, client ephemeral range partly admitted.
    let mut s = base();
    s.nacls.push(NaclS {
        id: "acl-a".into(),
        vpc: 0,
        is_default: false,
        subnets: vec![0],
        entries: vec![
            entry(100, false, true, "6", Some((1024, 40000)), "0.0.0.0/0"),
            entry(100, true, true, "-1", None, "0.0.0.0/0"),
        ],
    });
    s.nacls[0].subnets = vec![1];
    v.push(case(
        "NACL admits only part of the client's ephemeral range: partial",
        s.clone(),
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Partial,
    ));
    let mut c = case(
        "ephemeral override inside the admitted range",
        s,
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Reachable,
    );
    c.ephemeral = (33000, 34000);
    v.push(c);

    // R7: same subnet, no NACL.
    let mut s = base();
    add_eni(&mut s, "eni-a2", 0, "10.1.1.11", None);
    s.nacls[0].entries = vec![];
    v.push(case(
        "same subnet: NACLs skipped (R7)",
        s.clone(),
        "eni-a",
        "10.1.1.11",
        Some("22"),
        Reachable,
    ));
    v.push(case(
        "other subnet with deny-all NACL",
        s,
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Unreachable,
    ));

    // S1/S3: security groups.
    let mut s = base();
    s.sgs[0].egress.clear();
    v.push(case(
        "no egress rules",
        s,
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Unreachable,
    ));
    let mut s = base();
    s.sgs.push(SgS {
        id: "sg-web".into(),
        name: "web".into(),
        vpc: 0,
        ingress: vec![SgRuleS {
            proto: "tcp",
            ports: Some((80, 443)),
            cidrs: vec![],
            pls: vec![],
            groups: vec![0],
        }],
        egress: vec![],
    });
    s.enis[1].groups = vec![1];
    v.push(case(
        "ingress by group reference, port range",
        s.clone(),
        "eni-a",
        "10.1.2.10",
        Some("440-450"),
        Partial,
    ));
    v.push(case(
        "ingress by group reference: port outside",
        s.clone(),
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Unreachable,
    ));
    v.push(case(
        "stateful: reply not checked against the server's (empty) egress",
        s,
        "eni-a",
        "10.1.2.10",
        Some("443"),
        Reachable,
    ));

    // Liveness.
    let mut s = base();
    s.enis[0].kind = EniKind::Instance {
        id: "i-a".into(),
        running: false,
        windows: false,
    };
    v.push(case(
        "stopped client",
        s,
        "eni-a",
        "10.1.2.10",
        Some("22"),
        Unreachable,
    ));

    // Peering.
    let mut s = base();
    add_vpc2(&mut s);
    s.pcxs.push(PcxS {
        id: "pcx-1".into(),
        requester: 0,
        accepter: 1,
        active: true,
    });
    s.rts[0].routes.push(RouteS {
        dest: DestS::Cidr(n("10.2.0.0/16")),
        target: TargetS::Pcx(0),
        blackhole: false,
    });
    v.push(case(
        "peering with a route on one side only: no reply",
        s.clone(),
        "eni-a",
        "10.2.1.10",
        Some("22"),
        Unreachable,
    ));
    s.rts[1].routes.push(RouteS {
        dest: DestS::Cidr(n("10.1.0.0/16")),
        target: TargetS::Pcx(0),
        blackhole: false,
    });
    v.push(case(
        "peering, routes both sides",
        s.clone(),
        "eni-a",
        "10.2.1.10",
        Some("22"),
        Reachable,
    ));
    let mut s2 = s.clone();
    s2.rts[0].routes.push(RouteS {
        dest: DestS::Cidr(n("10.2.1.0/24")),
        target: TargetS::Pcx(0),
        blackhole: true,
    });
    v.push(case(
        "more specific blackhole wins over the peering route",
        s2,
        "eni-a",
        "10.2.1.10",
        Some("22"),
        Unreachable,
    ));
    let mut s2 = s.clone();
    s2.pcxs[0].active = false;
    v.push(case(
        "pending peering",
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
        "group reference across a same-Region peering",
        s2,
        "eni-a",
        "10.2.1.10",
        Some("22"),
        Reachable,
    ));

    gateways::cases(&mut v);
    v
}
