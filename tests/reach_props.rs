//! Property test: the set-based engine (`vpcreach::engine::ask`) against a brute-force oracle
//! (`tests/support/oracle`) that reads only the generator's `Spec` (`tests/support/netgen`), never
//! `vpcreach::model`. Verdicts, the `reachable` flag AND the blockers (component + leg) must
//! agree. Plus hand-written regression networks (`tests/support/cases`).
//!
//! The only vpcreach calls: `snapshot::load` + `model::build` to give the engine its input (in
//! `Spec::load`), and `engine::ask`.
//!
//! Questions come from an ENI, an outside address or block, or a CIDR source (a block of a
//! subnet, a subnet, a VPC, blocks spanning VPCs and outside space, `0.0.0.0/0`, a VPC-narrowed
//! block), which the oracle expands from the `Spec` itself (`tests/support/oracle/sources.rs`).
//!
//! Knobs (environment):
//! * `REACH_NETWORKS` — networks in `engine_matches_oracle` (default 64), `REACH_QUESTIONS` —
//!   questions per network (default 40), `NETGEN_BASE` — first seed (default 0);
//! * `NETGEN_SEED=<u64>` — check one network only (a failure prints it),
//!   `NETGEN_FEATURES=...` — restrict features (comma list of
//!   `peering,igw,tgw,nat,ipv6,pl,vpce`; `none` = single-VPC basics);
//! * `SWEEP_NETWORKS` — networks in the ignored `sweep` (default 500);
//! * `REACH_DUMP=1` — print the network JSON of every failure (always for the first one);
//! * `REACH_WHY=1` — in `generator_and_oracle_sanity`, print each question with the oracle's
//!   verdict and blockers (to tune the generator's verdict mix);
//! * `NETGEN_SEED=<u64> … dump_network -- --ignored --nocapture` — print one network's snapshot.
//!
//! A disagreement prints the reproducing seed, the question, both answers (the engine's JSON)
//! and the oracle's hop-by-hop trace of a passing and a failing packet class.

#[path = "support/cases/mod.rs"]
mod cases;
#[path = "support/netgen/mod.rs"]
mod netgen;
#[path = "support/oracle/mod.rs"]
mod oracle;

use netgen::*;
use oracle::{CidrSrc, Client, Leg, OAnswer, World, OQ};
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use vpcreach::engine::{ask, Answer, Question, Verdict};
use vpcreach::model::Topology;

/// A question for the engine and the same question for the oracle.
#[derive(Clone, Debug)]
struct Q {
    question: Question,
    oq: OQ,
}

fn addr(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn random_question(rng: &mut Rng, s: &Spec, w: &World) -> Option<Q> {
    let v6 = s.vpcs.iter().any(|v| v.cidr6.is_some()) && rng.chance(0.3);
    let fam = |a: &IpAddr| a.is_ipv6() == v6;
    let privates: Vec<IpAddr> = s.used_addresses().into_iter().filter(fam).collect();
    let publics: Vec<IpAddr> = if v6 {
        w.v6.keys().map(|a| IpAddr::V6(*a)).collect()
    } else {
        w.public.keys().map(|a| IpAddr::V4(*a)).collect()
    };
    let outside = rng.chance(0.2);
    // A CIDR source (every address in it: ENIs, unheld subnet addresses, outside part).
    let cidr = (!outside && rng.chance(0.3)).then(|| random_cidr(rng, s, v6));
    let (from, client, srcs): (String, Client, Vec<IpAddr>) = if let Some((from, c, _)) = &cidr {
        (from.clone(), Client::Outside, vec![c.net.network()])
    } else if outside {
        if v6 {
            (
                "2001:db8::7".into(),
                Client::Outside,
                vec![addr("2001:db8::7")],
            )
        } else if rng.chance(0.3) {
            let srcs = (0..16)
                .map(|i| IpAddr::V4(Ipv4Addr::new(203, 0, 113, i)))
                .collect();
            ("203.0.113.0/28".into(), Client::Outside, srcs)
        } else {
            let a = *rng.pick(&["198.51.100.7", "192.0.2.1"]);
            (a.into(), Client::Outside, vec![addr(a)])
        }
    } else {
        let e = rng.below(s.enis.len());
        let srcs: Vec<IpAddr> = w.eni_addrs(e).into_iter().filter(fam).collect();
        (s.enis[e].id.clone(), Client::Eni(e), srcs)
    };
    if srcs.is_empty() || privates.is_empty() {
        return None;
    }
    let roll = rng.below(100);
    let dst = if outside {
        if roll < 70 && !publics.is_empty() {
            *rng.pick(&publics)
        } else if roll < 90 {
            *rng.pick(&privates)
        } else if v6 {
            addr("2600:1f18:1::99")
        } else {
            addr("198.51.100.99")
        }
    } else if roll < 40 {
        let vpc = match (client, &cidr) {
            (Client::Eni(e), _) => s.subnets[s.enis[e].subnet].vpc,
            (_, Some((_, _, v))) => *v,
            _ => unreachable!(),
        };
        let same: Vec<IpAddr> = privates
            .iter()
            .copied()
            .filter(|a| w.holders.keys().any(|(v, x)| *v == vpc && x == a))
            .collect();
        *rng.pick(if same.is_empty() { &privates } else { &same })
    } else if roll < 60 {
        *rng.pick(&privates)
    } else if roll < 72 && !publics.is_empty() {
        *rng.pick(&publics)
    } else if roll < 77 {
        // An unused address in some subnet.
        let sub = &s.subnets[rng.below(s.subnets.len())];
        match (v6, sub.cidr6) {
            (true, Some(c)) => {
                let mut seg = c.network().segments();
                seg[7] = 0x99;
                IpAddr::from(seg)
            }
            (true, None) => addr("2600:1f18:1:1::99"),
            _ => {
                let o = sub.cidr.network().octets();
                IpAddr::V4(Ipv4Addr::new(o[0], o[1], o[2], 99))
            }
        }
    } else if roll < 86 && !v6 {
        addr(rng.pick::<&str>(&["52.216.5.5", "54.231.0.9", "3.218.180.9", "52.94.1.1"]))
    } else if v6 {
        addr(rng.pick::<&str>(&["2606:4700::1111", "2001:db8::99"]))
    } else {
        addr(rng.pick::<&str>(&["198.51.100.7", "203.0.113.5", "8.8.8.8", "172.16.0.5"]))
    };
    let own: Vec<IpAddr> = match client {
        Client::Eni(e) => {
            let mut v = w.eni_addrs(e);
            v.extend(s.enis[e].public.map(IpAddr::V4));
            v
        }
        _ if cidr.is_some() => vec![],
        _ => srcs.clone(),
    };
    if own.contains(&dst) {
        return None;
    }
    let (proto, pname) = *rng.pick(&[
        (6u8, "tcp"),
        (6, "tcp"),
        (6, "tcp"),
        (17, "udp"),
        (if v6 { 58 } else { 1 }, if v6 { "icmpv6" } else { "icmp" }),
    ]);
    let (ports, dports) = if proto == 1 || proto == 58 {
        (None, (0, 0))
    } else {
        match rng.below(10) {
            0 | 1 => (None, (0, 65535)),
            2..=4 => {
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
    let given = rng.chance(0.7).then(|| {
        *rng.pick(&[
            (32768u16, 61000u16),
            (49152, 65535),
            (1024, 65535),
            (1025, 5000),
            (40000, 40010),
        ])
    });
    let oq = OQ {
        client,
        srcs,
        dst,
        proto,
        dports,
        ephemeral: given.unwrap_or_else(|| w.default_ephemeral(client)),
        cidr: cidr.map(|(_, c, _)| CidrSrc {
            ephemeral: given,
            ..c
        }),
    };
    // A block with no sender at all is an error, not a question.
    if let Some(c) = &oq.cidr {
        if oracle::expand(w, &oq, c).is_empty() {
            return None;
        }
    }
    Some(Q {
        question: Question {
            from,
            to: dst.to_string(),
            protocol: pname.into(),
            ports,
            ephemeral: given,
        },
        oq,
    })
}

/// A CIDR source for the question generator: a block of a subnet (its ENIs and unheld
/// addresses, maybe a NAT gateway's), a subnet, a VPC, a block spanning VPCs and space outside
/// them, everything, or a VPC-narrowed block. Returns the `--from` word, the oracle's source
/// and a VPC it overlaps (for picking destinations nearby).
fn random_cidr(rng: &mut Rng, s: &Spec, v6: bool) -> (String, CidrSrc, usize) {
    let si = rng.below(s.subnets.len());
    let sub = &s.subnets[si];
    let v = sub.vpc;
    let mut vpc = None;
    let net: ipnet::IpNet = match (v6, sub.cidr6, s.vpcs[v].cidr6) {
        (true, c6, Some(vc)) => match rng.below(5) {
            0 => c6.map(ipnet::IpNet::V6).unwrap_or(ipnet::IpNet::V6(vc)),
            1 => ipnet::IpNet::V6(vc),
            2 => "2600:1f18::/32".parse().unwrap(),
            3 => "::/0".parse().unwrap(),
            _ => {
                vpc = Some(v);
                "2600::/16".parse().unwrap()
            }
        },
        (true, _, None) => "2600:1f18::/32".parse().unwrap(),
        _ => {
            let o = sub.cidr.network().octets();
            match rng.below(9) {
                0 => format!("{}.{}.{}.8/29", o[0], o[1], o[2]).parse().unwrap(),
                1 => format!("{}.{}.{}.192/28", o[0], o[1], o[2])
                    .parse()
                    .unwrap(),
                2 => ipnet::IpNet::V4(sub.cidr),
                3 => ipnet::IpNet::V4(s.vpcs[v].cidr),
                4 => "10.0.0.0/14".parse().unwrap(),
                5 => "10.0.0.0/8".parse().unwrap(),
                6 => "0.0.0.0/0".parse().unwrap(),
                7 => "8.0.0.0/6".parse().unwrap(),
                _ => {
                    vpc = Some(v);
                    "10.0.0.0/8".parse().unwrap()
                }
            }
        }
    };
    let from = match vpc {
        Some(v) => format!("{}/{net}", s.vpcs[v].id),
        None => net.to_string(),
    };
    (
        from,
        CidrSrc {
            net,
            vpc,
            ephemeral: None,
        },
        v,
    )
}

fn verdict(o: &OAnswer) -> Verdict {
    match (o.any, o.all) {
        (_, true) => Verdict::Reachable,
        (true, false) => Verdict::Partial,
        (false, false) => Verdict::Unreachable,
    }
}

fn engine_blocked(a: &Answer) -> BTreeSet<(String, Leg)> {
    a.blocked
        .iter()
        .map(|b| {
            let leg = match b.leg {
                vpcreach::engine::Leg::Forward => Leg::Forward,
                vpcreach::engine::Leg::Return => Leg::Return,
            };
            (b.component.clone(), leg)
        })
        .collect()
}

/// `None` when engine and oracle agree, else a report.
fn compare(t: &Topology, w: &World, q: &Q) -> Option<String> {
    let o = oracle::answer(w, &q.oq);
    let report = |engine: String| {
        let mut s = format!(
            "question: {:?}\noracle: verdict {:?}, {} flows, blocked {:?}\nengine: {engine}\n",
            q.question,
            verdict(&o),
            o.flows,
            o.blocked
        );
        for (what, ex) in [("passing", &o.pass_example), ("failing", &o.fail_example)] {
            if let Some(trace) = ex {
                s.push_str(&format!(
                    "oracle trace of a {what} class:\n{}\n",
                    trace.join("\n")
                ));
            }
        }
        s
    };
    match ask(t, &q.question) {
        Ok(a) => {
            let eb = engine_blocked(&a);
            if a.reachable == o.any && a.verdict == verdict(&o) && eb == o.blocked {
                return None;
            }
            let what = if a.verdict != verdict(&o) || a.reachable != o.any {
                "VERDICT"
            } else {
                "BLOCKERS"
            };
            Some(report(format!(
                "[{what}] verdict {:?} reachable {}, blocked {eb:?}\nengine answer: {}",
                a.verdict,
                a.reachable,
                serde_json::to_string_pretty(&a).unwrap_or_default()
            )))
        }
        Err(e) => Some(report(format!("error {e:?}"))),
    }
}

#[derive(Default, Debug)]
struct Stats {
    networks: usize,
    questions: usize,
    verdicts: [usize; 3],
    /// Questions from a CIDR source, and their oracle verdicts.
    cidr_verdicts: [usize; 3],
    mismatches: Vec<String>,
}

/// Compare engine and oracle on `n` random questions about one network.
fn check_network(seed: u64, feat: Features, n: usize, stats: &mut Stats) {
    let spec = generate(seed, feat);
    let (_dir, t) = spec.load();
    let w = World::new(&spec);
    let mut rng = Rng::new(seed ^ 0x5151_5151);
    stats.networks += 1;
    let (mut asked, mut tries) = (0, 0);
    while asked < n && tries < n * 4 {
        tries += 1;
        let Some(q) = random_question(&mut rng, &spec, &w) else {
            continue;
        };
        asked += 1;
        stats.questions += 1;
        let o = oracle::answer(&w, &q.oq);
        stats.verdicts[verdict(&o) as usize] += 1;
        if q.oq.cidr.is_some() {
            stats.cidr_verdicts[verdict(&o) as usize] += 1;
        }
        if let Some(m) = compare(&t, &w, &q) {
            let mut msg = format!(
                "=== MISMATCH (reproduce: NETGEN_SEED={seed} cargo test --test reach_props engine_matches_oracle)\n{m}"
            );
            if stats.mismatches.is_empty() || std::env::var("REACH_DUMP").is_ok() {
                msg.push_str(&format!("network:\n{}\n", spec.dump()));
            }
            stats.mismatches.push(msg);
        }
    }
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Seeds for run `i` (a fixed, well-mixed sequence from `NETGEN_BASE`).
fn seed_of(i: u64) -> u64 {
    let mut r = Rng::new(env_num("NETGEN_BASE", 0).wrapping_add(i));
    r.next_u64()
}

/// Engine == oracle (reachable flag, verdict, blockers per leg) on random networks.
#[test]
fn engine_matches_oracle() {
    let mut stats = Stats::default();
    let q = env_num("REACH_QUESTIONS", 40) as usize;
    let seeds: Vec<u64> = match std::env::var("NETGEN_SEED") {
        Ok(s) => vec![s.parse().expect("NETGEN_SEED is a u64")],
        Err(_) => (0..env_num("REACH_NETWORKS", 64)).map(seed_of).collect(),
    };
    for seed in seeds {
        check_network(seed, Features::from_env(), q, &mut stats);
    }
    let n = stats.mismatches.len();
    assert!(
        n == 0,
        "{n} of {} questions disagree; first:\n{}",
        stats.questions,
        stats.mismatches[0]
    );
}

/// Sweep: many networks, every disagreement counted, with a summary.
/// `SWEEP_NETWORKS=2000 cargo test --test reach_props sweep -- --ignored --nocapture`.
#[test]
#[ignore]
fn sweep() {
    let mut stats = Stats::default();
    let q = env_num("REACH_QUESTIONS", 40) as usize;
    for i in 0..env_num("SWEEP_NETWORKS", 500) {
        check_network(seed_of(1_000_000 + i), Features::from_env(), q, &mut stats);
    }
    for m in stats.mismatches.iter().take(3) {
        eprintln!("{m}");
    }
    let kinds = |k: &str| stats.mismatches.iter().filter(|m| m.contains(k)).count();
    eprintln!(
        "sweep: {} networks × {q} questions ({} asked), {} disagreements ({} verdict, {} blockers); oracle verdicts {:?} (reachable, partial, unreachable), of which from a CIDR source {:?}",
        stats.networks,
        stats.questions,
        stats.mismatches.len(),
        kinds("[VERDICT]"),
        kinds("[BLOCKERS]"),
        stats.verdicts,
        stats.cidr_verdicts
    );
    assert!(stats.mismatches.is_empty());
}

/// The generator produces loadable snapshots and the oracle a useful mix of verdicts.
#[test]
fn generator_and_oracle_sanity() {
    let mut counts = [0usize; 3];
    for i in 0..40u64 {
        let seed = seed_of(500 + i);
        let spec = generate(seed, Features::ALL);
        let (_dir, _t) = spec.load();
        let w = World::new(&spec);
        let mut rng = Rng::new(i);
        for _ in 0..20 {
            if let Some(q) = random_question(&mut rng, &spec, &w) {
                let o = oracle::answer(&w, &q.oq);
                if std::env::var("REACH_WHY").is_ok() {
                    eprintln!("{seed} {:?} {:?} {:?}", q.question, verdict(&o), o.blocked);
                }
                counts[verdict(&o) as usize] += 1;
            }
        }
    }
    eprintln!(
        "oracle verdicts: {} reachable, {} partial, {} unreachable",
        counts[0], counts[1], counts[2]
    );
    assert!(
        counts[0] > 20 && counts[1] > 3 && counts[2] > 20,
        "{counts:?}"
    );
}

fn case_q(c: &cases::Case) -> Q {
    let s = &c.spec;
    let dst: IpAddr = c.to.parse().unwrap();
    let proto = match c.proto {
        "tcp" => 6,
        "udp" => 17,
        "icmpv6" => 58,
        _ => 1,
    };
    let (client, srcs) = if c.from.starts_with("eni-") {
        let e = s.eni(c.from);
        let a = World::new(s)
            .eni_addrs(e)
            .into_iter()
            .filter(|a| a.is_ipv6() == dst.is_ipv6())
            .collect();
        (Client::Eni(e), a)
    } else if let Ok(net) = c.from.parse::<ipnet::Ipv4Net>() {
        let srcs = (u32::from(net.network())..=u32::from(net.broadcast()))
            .map(|x| IpAddr::V4(Ipv4Addr::from(x)))
            .collect();
        (Client::Outside, srcs)
    } else {
        (Client::Outside, vec![addr(c.from)])
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
        oq: OQ {
            client,
            srcs,
            dst,
            proto,
            dports,
            ephemeral: c.ephemeral,
            cidr: None,
        },
    }
}

/// The oracle gives the expected verdict on every hand-written case (no engine needed).
#[test]
fn oracle_regressions() {
    let mut failures = Vec::new();
    for c in cases::all() {
        let w = World::new(&c.spec);
        let o = oracle::answer(&w, &case_q(&c).oq);
        if verdict(&o) != c.expect {
            failures.push(format!(
                "[{}] expected {:?}, oracle {:?}\n{}",
                c.name,
                c.expect,
                verdict(&o),
                o.fail_example
                    .or(o.pass_example)
                    .unwrap_or_default()
                    .join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The engine gives the expected verdict on every hand-written case, and names the same
/// blockers as the oracle.
#[test]
fn engine_regressions() {
    let mut failures = Vec::new();
    let all = cases::all();
    let total = all.len();
    for c in all {
        let (_dir, t) = c.spec.load();
        let q = case_q(&c);
        match ask(&t, &q.question) {
            Ok(a) if a.verdict == c.expect && a.reachable == (c.expect != Verdict::Unreachable) => {
                if let Some(m) = compare(&t, &World::new(&c.spec), &q) {
                    failures.push(format!("[{}] {m}", c.name));
                }
            }
            Ok(a) => failures.push(format!(
                "[{}] expected {:?}, engine says {:?}\n{}",
                c.name,
                c.expect,
                a.verdict,
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

/// Print the snapshot of one generated network: `NETGEN_SEED=… cargo test --test reach_props
/// dump_network -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_network() {
    let seed = env_num("NETGEN_SEED", 0);
    println!("{}", generate(seed, Features::from_env()).dump());
}

/// A hand-written case whose answer is derived by hand: unreachable, stopped by exactly
/// `blockers` (component, leg); the oracle and the engine must both say so.
fn assert_unreachable_by(c: &cases::Case, blockers: &[(&str, Leg)]) {
    let want: BTreeSet<(String, Leg)> = blockers.iter().map(|(c, l)| (c.to_string(), *l)).collect();
    let q = case_q(c);
    let o = oracle::answer(&World::new(&c.spec), &q.oq);
    assert_eq!(verdict(&o), Verdict::Unreachable, "oracle");
    assert_eq!(o.blocked, want, "oracle blockers");
    let (_dir, t) = c.spec.load();
    let a = ask(&t, &q.question).expect("engine answers");
    assert_eq!(a.verdict, Verdict::Unreachable, "engine");
    assert_eq!(engine_blocked(&a), want, "engine blockers");
}

/// Found by the oracle (the engine used to end the reply at the NAT subnet's inbound NACL): the
/// reply of a flow that reached a gateway endpoint through a NAT gateway returns through the
/// NAT gateway to the client, and here the client subnet's NACL (inbound tcp 22 only) drops it:
/// unreachable, blocker `acl-priv` on the return leg.
#[test]
fn endpoint_reply_through_nat() {
    assert_unreachable_by(&cases::endpoint_via_nat(), &[("acl-priv", Leg::Return)]);
}

/// Found by the oracle (the engine used to keep the sender's group identity through a
/// middlebox): docs/semantics.md S6, references never match via a middlebox ENI. Here `eni-b`
/// admits tcp 22 only from `eni-a`'s group and the path crosses appliance `eni-fw`:
/// unreachable, blocker `sg-ssh` (forward).
#[test]
fn group_reference_through_appliance() {
    assert_unreachable_by(
        &cases::group_reference_through_appliance(),
        &[("sg-ssh", Leg::Forward)],
    );
}

/// An appliance's own security groups filter the requests it forwards (docs/engine-semantics.md,
/// middleboxes): `sg-fw` admits only tcp 443, so eni-a → eni-b:22 through it stops there
/// (forward, ingress at the appliance).
#[test]
fn appliance_security_group_filters() {
    assert_unreachable_by(
        &cases::appliance_security_group_denies(),
        &[("sg-fw", Leg::Forward)],
    );
}
