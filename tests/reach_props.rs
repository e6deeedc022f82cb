//! Property test: the set-based engine (`vpcreach::engine::ask`) against the brute-force oracle
//! (`tests/oracle`) on random small networks (`tests/netgen`), plus hand-written regression
//! networks that exercise each rule of docs/engine-semantics.md once.
//!
//! Knobs (environment):
//! * `PROPTEST_CASES` — networks per run (default 64), `REACH_QUESTIONS` — questions per
//!   network (default 40);
//! * `NETGEN_SEED=<u64>` — run one network only (reproduce a failure), `NETGEN_FEATURES=...`
//!   — restrict features (`none`, or a comma list of `peering,igw,tgw,nat`);
//! * `REACH_DUMP=1` — print the network JSON of failures (always printed for the first one);
//! * `REACH_WHY=1` / `REACH_WHY=full` — in `generator_and_oracle_sanity`, histogram of why the
//!   oracle's failing flows stop (to tune the generator's verdict mix).

mod netgen;
mod oracle;

use netgen::Rng;
use netgen::*;
use oracle::{Client, Quantified};
use proptest::prelude::*;
use std::net::Ipv4Addr;
use vpcreach::engine::{ask, Question, Verdict};
use vpcreach::model::{EniIdx, Topology};

// ------------------------------------------------------------------------------------------
// Questions
// ------------------------------------------------------------------------------------------

/// A question plus what the oracle needs to answer it.
#[derive(Clone, Debug)]
struct Q {
    question: Question,
    client: Client,
    srcs: Vec<Ipv4Addr>,
    dst: Ipv4Addr,
    proto: u8,
    dports: (u16, u16),
    ephemeral: (u16, u16),
}

const OUTSIDE_SOURCES: &[(&str, &[[u8; 4]])] = &[
    ("198.51.100.7", &[[198, 51, 100, 7]]),
    ("192.0.2.1", &[[192, 0, 2, 1]]),
];

fn eni_index(t: &Topology, id: &str) -> EniIdx {
    EniIdx(
        t.network_interfaces
            .iter()
            .position(|e| e.id == id)
            .expect("ENI in topology") as u32,
    )
}

fn random_question(rng: &mut Rng, s: &Spec, t: &Topology) -> Option<Q> {
    let outside = rng.chance(0.2);
    let (from, client, srcs, own): (String, Client, Vec<Ipv4Addr>, Vec<Ipv4Addr>) = if outside {
        if rng.chance(0.3) {
            let addrs: Vec<Ipv4Addr> = (0..16).map(|i| Ipv4Addr::new(203, 0, 113, i)).collect();
            (
                "203.0.113.0/28".into(),
                Client::Outside(addrs[0]),
                addrs,
                vec![],
            )
        } else {
            let (w, a) = rng.pick(OUTSIDE_SOURCES);
            let a = Ipv4Addr::from(a[0]);
            (w.to_string(), Client::Outside(a), vec![a], vec![])
        }
    } else {
        let e = &s.enis[rng.below(s.enis.len())];
        let mut own = e.ips.clone();
        own.extend(e.public);
        (
            e.id.clone(),
            Client::Eni(eni_index(t, &e.id)),
            e.ips.clone(),
            own,
        )
    };
    let publics: Vec<Ipv4Addr> = s
        .enis
        .iter()
        .filter_map(|e| e.public)
        .chain(
            s.nats
                .iter()
                .filter(|n| n.available)
                .filter_map(|n| n.public_ip),
        )
        .collect();
    let privates: Vec<Ipv4Addr> = s.used_addresses();
    let roll = rng.below(100);
    let dst = if outside {
        if roll < 70 && !publics.is_empty() {
            *rng.pick(&publics)
        } else if roll < 90 {
            *rng.pick(&privates)
        } else {
            Ipv4Addr::new(198, 51, 100, 99)
        }
    } else if roll < 30 {
        // Same VPC as the source.
        let vpc = match client {
            Client::Eni(e) => t.network_interfaces[e.i()].vpc.idx,
            _ => None,
        };
        let same: Vec<Ipv4Addr> = t
            .network_interfaces
            .iter()
            .filter(|e| e.vpc.idx == vpc)
            .flat_map(|e| e.private_ips.iter().map(|p| p.address))
            .collect();
        *rng.pick(&same)
    } else if roll < 58 {
        *rng.pick(&privates)
    } else if roll < 72 && !publics.is_empty() {
        *rng.pick(&publics)
    } else if roll < 78 {
        // An unused address in some subnet.
        let sub = &s.subnets[rng.below(s.subnets.len())];
        let o = sub.cidr.network().octets();
        Ipv4Addr::new(o[0], o[1], o[2], 99)
    } else {
        *rng.pick(&[
            Ipv4Addr::new(198, 51, 100, 7),
            Ipv4Addr::new(203, 0, 113, 5),
            Ipv4Addr::new(8, 8, 8, 8),
            Ipv4Addr::new(172, 16, 0, 5),
        ])
    };
    if own.contains(&dst) {
        return None;
    }
    let proto = *rng.pick(&[6u8, 6, 6, 6, 17, 17, 1]);
    let (ports, dports) = if proto == 1 {
        (None, (0, 0))
    } else {
        match rng.below(10) {
            0 => (None, (0, 65535)),
            1..=2 => {
                let a = *rng.pick(&[20u16, 79, 440, 1020, 6375, 32765, 49150, 60998]);
                let b = a + rng.range(1, 6) as u16;
                (Some(format!("{a}-{b}")), (a, b))
            }
            _ => {
                let p = *rng.pick(&[22u16, 80, 443, 6379, 1024, 8080, 32768, 23, 81]);
                (Some(p.to_string()), (p, p))
            }
        }
    };
    let ephemeral = *rng.pick(&[
        (32768u16, 61000u16),
        (49152, 65535),
        (1024, 65535),
        (1025, 5000),
        (40000, 40010),
    ]);
    Some(Q {
        question: Question {
            from,
            to: dst.to_string(),
            protocol: match proto {
                6 => "tcp",
                17 => "udp",
                _ => "icmp",
            }
            .into(),
            ports,
            ephemeral: Some(ephemeral),
        },
        client,
        srcs,
        dst,
        proto,
        dports,
        ephemeral,
    })
}

fn oracle_answer(t: &Topology, q: &Q) -> Quantified {
    oracle::quantify(t, q.client, &q.srcs, q.dst, q.proto, q.dports, q.ephemeral)
}

fn expected_verdict(o: &Quantified) -> Verdict {
    match (o.any, o.all) {
        (_, true) => Verdict::Reachable,
        (true, false) => Verdict::Partial,
        (false, false) => Verdict::Unreachable,
    }
}

fn report(q: &Q, o: &Quantified, engine: &str) -> String {
    let mut s = format!(
        "question: {:?}\noracle: any={} all={} (verdict {:?}, {} flows tested)\nengine: {engine}\n",
        q.question,
        o.any,
        o.all,
        expected_verdict(o),
        o.flows
    );
    for (what, ex) in [("passing", &o.pass_example), ("failing", &o.fail_example)] {
        if let Some((label, trace)) = ex {
            s.push_str(&format!("oracle trace of a {what} flow ({label}):\n"));
            for l in trace {
                s.push_str(l);
                s.push('\n');
            }
        }
    }
    s
}

#[derive(Default, Debug)]
struct Stats {
    questions: usize,
    skipped: usize,
    reachable: usize,
    partial: usize,
    unreachable: usize,
    mismatches: Vec<String>,
}

/// Compare engine and oracle on `n` random questions about one network.
fn check_network(seed: u64, feat: Features, n: usize, stats: &mut Stats) {
    let spec = generate(seed, feat);
    let (_dir, t) = spec.load();
    let mut rng = Rng::new(seed ^ 0x5151_5151);
    let mut asked = 0;
    let mut tries = 0;
    while asked < n && tries < n * 4 {
        tries += 1;
        let Some(q) = random_question(&mut rng, &spec, &t) else {
            continue;
        };
        asked += 1;
        let o = oracle_answer(&t, &q);
        if o.unsupported {
            stats.skipped += 1;
            continue;
        }
        stats.questions += 1;
        match expected_verdict(&o) {
            Verdict::Reachable => stats.reachable += 1,
            Verdict::Partial => stats.partial += 1,
            Verdict::Unreachable => stats.unreachable += 1,
        }
        let mismatch = match ask(&t, &q.question) {
            Ok(a) => {
                if a.reachable != o.any || a.verdict != expected_verdict(&o) {
                    Some(report(
                        &q,
                        &o,
                        &format!(
                            "reachable={} verdict={:?}\nengine answer: {}",
                            a.reachable,
                            a.verdict,
                            serde_json::to_string_pretty(&a).unwrap_or_default()
                        ),
                    ))
                } else {
                    None
                }
            }
            Err(e) => Some(report(&q, &o, &format!("error: {e:?}"))),
        };
        if let Some(m) = mismatch {
            let dump = stats.mismatches.is_empty() || std::env::var("REACH_DUMP").is_ok();
            let mut msg = format!("=== MISMATCH (network seed {seed:#x}, features {feat:?})\n{m}");
            if dump {
                msg.push_str(&format!("network:\n{}\n", spec.dump()));
            }
            stats.mismatches.push(msg);
        }
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64)
}

fn questions() -> usize {
    std::env::var("REACH_QUESTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 64,
        .. ProptestConfig::default()
    })]

    /// Engine == oracle on random networks (reachable flag and verdict).
    #[test]
    fn engine_matches_oracle(seed in any::<u64>()) {
        let seed = std::env::var("NETGEN_SEED").ok().and_then(|s| {
            s.strip_prefix("0x").map(|h| u64::from_str_radix(h, 16).ok()).unwrap_or_else(|| s.parse().ok())
        }).unwrap_or(seed);
        let mut stats = Stats::default();
        check_network(seed, Features::from_env(), questions(), &mut stats);
        if !stats.mismatches.is_empty() {
            let n = stats.mismatches.len();
            let first = stats.mismatches.remove(0);
            prop_assert!(false, "{n} of {} questions disagree; first:\n{first}", stats.questions);
        }
    }
}

/// Sweep: many networks, every mismatch counted (not stopped at the first), with a summary.
/// Run with `cargo test --test reach_props sweep -- --ignored --nocapture`.
#[test]
#[ignore]
fn sweep() {
    let n: u64 = std::env::var("SWEEP_NETWORKS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let mut stats = Stats::default();
    for seed in 0..n {
        check_network(
            seed * 7919 + 1,
            Features::from_env(),
            questions(),
            &mut stats,
        );
    }
    for m in stats.mismatches.iter().take(5) {
        eprintln!("{m}");
    }
    eprintln!(
        "sweep: {n} networks, {} questions ({} skipped as unsupported by the oracle): {} reachable, {} partial, {} unreachable; {} mismatches",
        stats.questions,
        stats.skipped,
        stats.reachable,
        stats.partial,
        stats.unreachable,
        stats.mismatches.len()
    );
    assert!(stats.mismatches.is_empty());
}

/// The generator produces loadable snapshots (no error diagnostics) and the oracle a useful mix
/// of verdicts. Does not need the engine.
#[test]
fn generator_and_oracle_sanity() {
    let mut counts = [0usize; 3];
    let mut skipped = 0;
    let mut why: std::collections::BTreeMap<String, usize> = Default::default();
    for seed in 0..40u64 {
        let spec = generate(seed * 31 + 7, Features::ALL);
        let (_dir, t) = spec.load();
        let mut rng = Rng::new(seed);
        for _ in 0..20 {
            let Some(q) = random_question(&mut rng, &spec, &t) else {
                continue;
            };
            let o = oracle_answer(&t, &q);
            if o.unsupported {
                skipped += 1;
                continue;
            }
            if let Some((_, tr)) = &o.fail_example {
                let last = tr
                    .iter()
                    .rev()
                    .find(|l| {
                        l.contains("DROP")
                            || l.contains("DENY")
                            || l.contains("not the target")
                            || l.contains("does not reach")
                    })
                    .cloned()
                    .unwrap_or_default();
                let key: String = if std::env::var("REACH_WHY").as_deref() == Ok("full") {
                    last.clone()
                } else {
                    last.split(|c: char| c == '(' || c.is_ascii_digit())
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(50)
                        .collect()
                };
                *why.entry(key).or_insert(0usize) += 1;
            }
            counts[match expected_verdict(&o) {
                Verdict::Reachable => 0,
                Verdict::Partial => 1,
                Verdict::Unreachable => 2,
            }] += 1;
        }
    }
    eprintln!(
        "oracle verdicts: {} reachable, {} partial, {} unreachable, {skipped} unsupported",
        counts[0], counts[1], counts[2]
    );
    if std::env::var("REACH_WHY").is_ok() {
        for (k, v) in &why {
            eprintln!("{v:5} {k}");
        }
    }
    assert!(
        counts[0] > 20 && counts[1] > 5 && counts[2] > 20,
        "{counts:?}"
    );
}

// ------------------------------------------------------------------------------------------
// Hand-written regression networks
// ------------------------------------------------------------------------------------------

fn n(s: &str) -> ipnet::Ipv4Net {
    s.parse().unwrap()
}
fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

/// Two subnets (1a: 10.1.1.0/24, 1b: 10.1.2.0/24) of one VPC, one ENI each (`eni-a` 10.1.1.10,
/// `eni-b` 10.1.2.10), one allow-all group, the default allow-all NACL, a main table.
fn base() -> Spec {
    let mut s = Spec::default();
    s.vpcs.push(VpcS {
        id: "vpc-1".into(),
        cidr: n("10.1.0.0/16"),
    });
    for (i, (c, az)) in [("10.1.1.0/24", "us-east-1a"), ("10.1.2.0/24", "us-east-1b")]
        .iter()
        .enumerate()
    {
        s.subnets.push(SubnetS {
            id: format!("subnet-{}", i + 1),
            vpc: 0,
            cidr: n(c),
            az: az.to_string(),
        });
    }
    s.sgs.push(SgS {
        id: "sg-all".into(),
        name: "all".into(),
        vpc: 0,
        ingress: vec![allow_all_rule()],
        egress: vec![allow_all_rule()],
    });
    for (id, sub, a) in [("eni-a", 0, "10.1.1.10"), ("eni-b", 1, "10.1.2.10")] {
        add_eni(&mut s, id, sub, a, None);
    }
    s.nacls.push(NaclS {
        id: "acl-default1".into(),
        vpc: 0,
        is_default: true,
        subnets: vec![0, 1],
        entries: default_nacl_entries(),
    });
    s.rts.push(RtS {
        id: "rtb-main1".into(),
        vpc: 0,
        main: true,
        subnets: vec![],
        routes: vec![],
    });
    s
}

fn add_eni(s: &mut Spec, id: &str, subnet: usize, a: &str, public: Option<&str>) -> usize {
    let vpc = s.subnets[subnet].vpc;
    let g = s.sgs.iter().position(|g| g.vpc == vpc).unwrap_or(0);
    s.enis.push(EniS {
        id: id.into(),
        subnet,
        ips: vec![ip(a)],
        public: public.map(ip),
        groups: vec![g],
        kind: EniKind::Instance {
            id: format!("i-{}", &id[4..]),
            running: true,
            windows: false,
        },
    });
    s.enis.len() - 1
}

/// A second VPC 10.2.0.0/16 with subnet 10.2.1.0/24 (us-east-1a), `eni-c` 10.2.1.10, its own
/// allow-all group, NACL and main table.
fn add_vpc2(s: &mut Spec) {
    s.vpcs.push(VpcS {
        id: "vpc-2".into(),
        cidr: n("10.2.0.0/16"),
    });
    s.subnets.push(SubnetS {
        id: "subnet-21".into(),
        vpc: 1,
        cidr: n("10.2.1.0/24"),
        az: "us-east-1a".into(),
    });
    s.sgs.push(SgS {
        id: "sg-all2".into(),
        name: "all2".into(),
        vpc: 1,
        ingress: vec![allow_all_rule()],
        egress: vec![allow_all_rule()],
    });
    let sub = s.subnets.len() - 1;
    add_eni(s, "eni-c", sub, "10.2.1.10", None);
    s.nacls.push(NaclS {
        id: "acl-default2".into(),
        vpc: 1,
        is_default: true,
        subnets: vec![sub],
        entries: default_nacl_entries(),
    });
    s.rts.push(RtS {
        id: "rtb-main2".into(),
        vpc: 1,
        main: true,
        subnets: vec![],
        routes: vec![],
    });
}

fn entry(
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

struct Case {
    name: &'static str,
    spec: Spec,
    from: &'static str,
    to: &'static str,
    proto: &'static str,
    ports: Option<&'static str>,
    ephemeral: (u16, u16),
    expect: Verdict,
}

fn case(
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

fn regression_cases() -> Vec<Case> {
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
        dest: n("10.2.0.0/16"),
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
        dest: n("10.1.0.0/16"),
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
        dest: n("10.2.1.0/24"),
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

    // IGW.
    let mut s = base();
    s.igws.push(IgwS {
        id: "igw-1".into(),
        vpc: 0,
    });
    s.rts[0].routes.push(RouteS {
        dest: n("0.0.0.0/0"),
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
                routes: vec![RouteS {
                    dest: n("0.0.0.0/0"),
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
        dest: n("0.0.0.0/0"),
        target: TargetS::Igw(0),
        blackhole: false,
    });
    s.rts.push(RtS {
        id: "rtb-private".into(),
        vpc: 0,
        main: false,
        subnets: vec![1],
        routes: vec![RouteS {
            dest: n("0.0.0.0/0"),
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
        cidr: n("10.1.3.0/24"),
        az: "us-east-1a".into(),
    });
    add_eni(&mut s2, "eni-c", 2, "10.1.3.10", None);
    s2.nacls[0].subnets.push(2);
    s2.rts[1].routes.push(RouteS {
        dest: n("10.1.3.0/24"),
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
                assoc: Some(0),
            },
            AttS {
                id: "tgw-attach-2".into(),
                vpc: 1,
                subnets: vec![2],
                creation_time: "2024-02-02T10:00:00+00:00".into(),
                available: true,
                sg_ref: true,
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
        dest: n("10.2.0.0/16"),
        target: TargetS::Tgw,
        blackhole: false,
    });
    s.rts[1].routes.push(RouteS {
        dest: n("10.0.0.0/8"),
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
        cidr: n("10.2.0.0/16"),
    });
    s2.subnets.push(SubnetS {
        id: "subnet-31".into(),
        vpc: 2,
        cidr: n("10.2.9.0/24"),
        az: "us-east-1a".into(),
    });
    s2.sgs.push(SgS {
        id: "sg-all3".into(),
        name: "all3".into(),
        vpc: 2,
        ingress: vec![allow_all_rule()],
        egress: vec![allow_all_rule()],
    });
    add_eni(&mut s2, "eni-d", 3, "10.2.9.10", None);
    s2.nacls.push(NaclS {
        id: "acl-default3".into(),
        vpc: 2,
        is_default: true,
        subnets: vec![3],
        entries: default_nacl_entries(),
    });
    s2.rts.push(RtS {
        id: "rtb-main3".into(),
        vpc: 2,
        main: true,
        subnets: vec![],
        routes: vec![RouteS {
            dest: n("10.1.0.0/16"),
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
    v
}

/// The oracle gives the expected verdict on every hand-written case (no engine needed).
#[test]
fn oracle_regressions() {
    let mut failures = Vec::new();
    for c in regression_cases() {
        let (_dir, t) = c.spec.load();
        let q = to_q(&t, &c);
        let o = oracle_answer(&t, &q);
        if expected_verdict(&o) != c.expect || o.unsupported {
            failures.push(format!(
                "[{}] expected {:?}\n{}",
                c.name,
                c.expect,
                report(&q, &o, "-")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The engine gives the expected verdict on every hand-written case.
#[test]
fn engine_regressions() {
    let mut failures = Vec::new();
    let cases = regression_cases();
    let total = cases.len();
    for c in cases {
        let (_dir, t) = c.spec.load();
        let q = to_q(&t, &c);
        let o = oracle_answer(&t, &q);
        match ask(&t, &q.question) {
            Ok(a) if a.verdict == c.expect && a.reachable == (c.expect != Verdict::Unreachable) => {
            }
            Ok(a) => failures.push(format!(
                "[{}] expected {:?}, engine says {:?} (reachable={})\n{}\nengine answer: {}",
                c.name,
                c.expect,
                a.verdict,
                a.reachable,
                report(&q, &o, "-"),
                serde_json::to_string_pretty(&a).unwrap_or_default()
            )),
            Err(e) => failures.push(format!("[{}] engine error {e:?}", c.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} regression cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn to_q(t: &Topology, c: &Case) -> Q {
    let proto = match c.proto {
        "tcp" => 6,
        "udp" => 17,
        _ => 1,
    };
    let (client, srcs) = if c.from.starts_with("eni-") {
        let e = eni_index(t, c.from);
        (
            Client::Eni(e),
            t.network_interfaces[e.i()]
                .private_ips
                .iter()
                .map(|p| p.address)
                .collect(),
        )
    } else if let Ok(net) = c.from.parse::<ipnet::Ipv4Net>() {
        let srcs: Vec<Ipv4Addr> = net.hosts().collect::<Vec<_>>();
        let srcs = if net.prefix_len() >= 31 || srcs.is_empty() {
            vec![net.network()]
        } else {
            // All addresses, network and broadcast included.
            (u32::from(net.network())..=u32::from(net.broadcast()))
                .map(Ipv4Addr::from)
                .collect()
        };
        (Client::Outside(srcs[0]), srcs)
    } else {
        let a = ip(c.from);
        (Client::Outside(a), vec![a])
    };
    let dports = match c.ports {
        None => (0, 65535),
        Some(p) => match p.split_once('-') {
            Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
            None => (p.parse().unwrap(), p.parse().unwrap()),
        },
    };
    Q {
        question: Question {
            from: c.from.into(),
            to: c.to.into(),
            protocol: c.proto.into(),
            ports: c.ports.map(str::to_string),
            ephemeral: Some(c.ephemeral),
        },
        client,
        srcs,
        dst: ip(c.to),
        proto,
        dports,
        ephemeral: c.ephemeral,
    }
}
