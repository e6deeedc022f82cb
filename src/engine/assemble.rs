//! Answer assembly: the question's flows per source, the walk of each source forward then back
//! (replies start where requests ended: at the target's network interface, at the outside host,
//! at the AWS service; ghosts, flows a filter stopped, take their return leg too), and the
//! answer: which flows complete both legs, the distinct paths they take, the distinct paths the
//! failing flows walked, every blocker with its fix, and the notes (sorted by text, as the JSON
//! contract lists them).

use super::answer::*;
use super::flow::Flow;
use super::icmp;
use super::index::Index;
use super::notes::{by_text, Assumption, Warning};
use super::resolve::{Resolved, Source};
use super::security_group::Identity;
use super::sources::{merge_ephemeral, outcome, vpc_of, SourceFlows};
use super::summary::{flow_summary, summary_addrs};
use super::walk::{hop, Branch, End, PendingBlocker, Sender, Step, Walk, Walked};
use crate::model::*;
use crate::net::{AddrSet, Cube, IntervalSet, PacketSet, ProtoSet};

/// The client's ephemeral port range: the ENI's (resolved per kind of client), or the given
/// or default one for hosts.
fn ephemeral(r: &Resolved, src: &Source) -> (u16, u16) {
    match src {
        Source::Eni { ephemeral, .. } => *ephemeral,
        _ => r.ephemeral.unwrap_or((1024, 65535)),
    }
}

/// The target addresses `src` sends to: a target's public addresses for a source outside the
/// snapshot (when it has any), its private addresses otherwise.
fn target_addrs(r: &Resolved, src: &Source) -> AddrSet {
    let outside = matches!(src, Source::Outside { .. });
    let mut dst = AddrSet::empty();
    for tg in &r.targets {
        let d = if outside && !tg.public.is_empty() {
            &tg.public
        } else {
            &tg.private
        };
        dst = dst.union(d);
    }
    dst
}

/// The question's flows for one source.
fn question_flows(r: &Resolved, src: &Source) -> PacketSet {
    let dst = target_addrs(r, src);
    let eph = ephemeral(r, src);
    let s = src.addrs();
    let mut cubes = Vec::new();
    for (sa, da) in [(s.v4_only(), dst.v4_only()), (s.v6_only(), dst.v6_only())] {
        if sa.is_empty() || da.is_empty() {
            continue;
        }
        cubes.push(
            Cube::any()
                .with_src(sa)
                .with_dst(da)
                .with_proto(r.protocol.clone())
                .with_src_ports(IntervalSet::range(eph.0, eph.1))
                .with_dst_ports(r.ports.clone())
                .with_icmp(r.icmp.clone()),
        );
    }
    PacketSet::from_cubes(cubes)
}

/// No group identity (yet).
fn no_identity() -> Identity {
    Identity {
        vpcs: vec![],
        lost_because: None,
    }
}

/// The forward leg's first work item for `src`.
fn start(t: &Topology, src: &Source, q: PacketSet) -> (Branch, Step) {
    // The source addresses that send this question's packets (an outside source of an IPv4
    // question is its IPv4 part only): what the first hop describes, so its block count agrees
    // with the flows of the paths.
    let senders = q.project_src();
    let mut b = Branch {
        flow: Flow::new(q),
        hops: Vec::new(),
        fwd_hops: Vec::new(),
        ghost: false,
        leg: Leg::Forward,
        trans: Vec::new(),
        sender: Sender::Outside,
        identity: no_identity(),
        depth: 0,
        choices: Vec::new(),
    };
    match src {
        Source::Eni { eni, .. } => {
            b.sender = Sender::Eni(*eni);
            (b, Step::FromEni(*eni))
        }
        Source::Host { subnet, .. } => {
            b.sender = Sender::Host;
            b.hops.push(hop(
                &t.subnets[subnet.i()].id,
                ComponentKind::Host,
                None,
                None,
                format!("host {} (no security group)", summary_addrs(&senders)),
            ));
            (b, Step::Route(*subnet))
        }
        Source::Outside { .. } => {
            b.hops.push(hop(
                "internet",
                ComponentKind::Internet,
                None,
                None,
                format!("outside host(s) {}", summary_addrs(&senders)),
            ));
            (b, Step::FromOutside)
        }
    }
}

/// The return leg's first work item for a request that ended at `end` (none for the client).
fn reply(t: &Topology, b: &Branch, end: End) -> Option<(Branch, Step)> {
    let mut rb = b.clone();
    rb.fwd_hops = std::mem::take(&mut rb.hops);
    rb.leg = Leg::Return;
    rb.flow.view = b.flow.view.reply();
    rb.depth = 0;
    rb.identity = no_identity();
    match end {
        End::Eni(e) => {
            let eni = &t.network_interfaces[e.i()];
            rb.sender = Sender::Eni(e);
            rb.hops.push(hop(
                &eni.id,
                ComponentKind::NetworkInterface,
                None,
                None,
                "reply (security groups are stateful: not checked)".into(),
            ));
            eni.subnet.idx.map(|s| (rb, Step::Route(s)))
        }
        End::Outside => {
            rb.sender = Sender::Outside;
            rb.hops.push(hop(
                "internet",
                ComponentKind::Internet,
                None,
                None,
                "reply from the outside host".into(),
            ));
            Some((rb, Step::FromOutside))
        }
        End::Service(s) => Some((rb, Step::FromService { subnet: s })),
        End::Client => None,
    }
}

/// Answer a resolved question.
pub fn answer(t: &Topology, idx: &Index, r: &Resolved) -> Answer {
    answer_and_senders(t, idx, r).0
}

/// Answer a resolved question, with the source addresses whose flows completed both legs (in
/// the client's coordinates): what a set question (`super::sets`) reports per class.
pub fn answer_and_senders(t: &Topology, idx: &Index, r: &Resolved) -> (Answer, AddrSet) {
    let mut per_source: Vec<SourceFlows> = Vec::new();
    let mut paths: Vec<Path> = Vec::new();
    let mut walked: Vec<Walked> = Vec::new();
    let mut blockers: Vec<PendingBlocker> = Vec::new();
    let mut warnings: Vec<Warning> = r.warnings.clone();
    let mut assumptions: Vec<Assumption> = r.assumptions.clone();
    for src in &r.sources {
        let q = question_flows(r, src);
        if q.is_empty() {
            // No flow of the question exists for this source: say which family the target
            // lacks, as a warning and a blocker (never an empty, unexplained answer).
            let gap = family_gap(r, src);
            PendingBlocker::merge_into(gap.blocker(r, src), &mut blockers);
            warnings.push(Warning::NoCommonAddressFamily {
                source: src.label().to_string(),
                target: r.question.to.clone(),
                missing: gap.missing.to_string(),
                held: gap.held.clone(),
            });
            continue;
        }
        let mut completed = PacketSet::empty();
        let asked = q.clone();
        let (low, high) = ephemeral(r, src);
        // Only ports carry the client's ephemeral range (ICMP has none).
        if r.protocol.overlaps(&ProtoSet::port_class()) {
            assumptions.push(Assumption::EphemeralPorts {
                low,
                high,
                client: src.label().to_string(),
                given: r.ephemeral.is_some(),
            });
        }
        let mut by_choice = TieOutcomes::default();
        let mut w = Walk::new(t, idx, src);
        w.deliver_at = r.deliver_at.as_ref();
        w.work.push(start(t, src, q));
        w.run();
        // Return legs.
        let one_way = icmp::without_reply();
        for (mut b, end) in std::mem::take(&mut w.ends) {
            // ICMP types without a reply (3, 11, ...) complete on delivery: no return leg.
            let (none, with_reply) = b.flow.split_orig(&one_way);
            if !none.is_empty() {
                assumptions.push(Assumption::IcmpWithoutReply {
                    types: icmp::label(&none.project_icmp()),
                });
            }
            if !none.is_empty() && b.ghost {
                w.walk_ends(b.with_flow(b.flow.with_orig(none)), Reached::Target);
            } else if !none.is_empty() {
                completed = completed.union(&none);
                by_choice.add(&b.choices, &none);
                let p = Path {
                    flows: flow_summary(&none),
                    forward: b.hops.clone(),
                    return_: Vec::new(),
                };
                if !paths.contains(&p) {
                    paths.push(p);
                }
            }
            if with_reply.is_empty() {
                continue;
            }
            b.flow.orig = with_reply;
            if let Some(item) = reply(t, &b, end) {
                w.work.push(item);
            }
        }
        w.run();
        for (b, end) in std::mem::take(&mut w.ends) {
            if !matches!(end, End::Client) {
                continue;
            }
            if b.ghost {
                w.walk_ends(b, Reached::Client);
                continue;
            }
            completed = completed.union(&b.flow.orig);
            by_choice.add(&b.choices, &b.flow.orig);
            let flows = flow_summary(&b.flow.orig);
            if !paths
                .iter()
                .any(|p| p.forward == b.fwd_hops && p.return_ == b.hops)
            {
                paths.push(Path {
                    flows,
                    forward: b.fwd_hops,
                    return_: b.hops,
                });
            }
        }
        // R4 ties: a flow completes only if it completes whichever tied route AWS uses.
        completed = completed.difference(&by_choice.lost(&w.ties));
        for bl in w.blockers {
            PendingBlocker::merge_into(bl, &mut blockers);
        }
        walked.extend(w.walked);
        warnings.extend(w.warnings);
        assumptions.extend(w.assumptions);
        per_source.push(SourceFlows {
            vpc: vpc_of(t, src),
            asked,
            done: completed,
        });
    }
    for m in &t.missing_data {
        warnings.push(Warning::CollectionFailed {
            operation: m.operation.to_string(),
            account: m.account.to_string(),
            region: m.region.to_string(),
            error: m.error.to_string(),
            key: m.key.to_string(),
        });
    }
    for f in &t.completeness.files {
        warnings.push(Warning::SnapshotIncomplete { what: f.describe() });
    }
    for k in &t.completeness.not_exported {
        assumptions.push(Assumption::KindsNotExported {
            what: k.to_string(),
        });
    }
    assumptions.push(Assumption::StatefulSecurityGroups);
    let warnings = by_text(warnings);
    let assumptions = by_text(merge_ephemeral(assumptions));
    let (verdict, passing, failing) = outcome(t, &per_source);
    let reachable = passing.is_some();
    let senders = per_source
        .iter()
        .fold(AddrSet::empty(), |acc, s| acc.union(&s.done.project_src()));
    let answer = Answer {
        format_version: ANSWER_FORMAT,
        question: QuestionSummary {
            from: r.question.from.clone(),
            to: r.question.to.clone(),
            protocol: r.protocol_label.clone(),
            ports: r.ports_label.clone(),
            ports_origin: r.ports_origin,
            sources: r.sources.iter().map(|s| s.label().to_string()).collect(),
            targets: r.targets.iter().map(|t| t.label.clone()).collect(),
        },
        reachable,
        verdict,
        passing,
        failing,
        paths,
        walked: if verdict == Verdict::Reachable {
            Vec::new()
        } else {
            walked_paths(walked)
        },
        blocked: if verdict == Verdict::Reachable {
            Vec::new()
        } else {
            blockers.iter().map(|b| b.finish(t, idx)).collect()
        },
        notes: Note::of(&warnings, &assumptions),
        assumptions,
        warnings,
        incomplete: t.completeness.files.clone(),
    };
    (answer, senders)
}

/// The distinct walked paths (identical hops merged, their flows united), every hop marked.
fn walked_paths(walked: Vec<Walked>) -> Vec<WalkedPath> {
    let mut merged: Vec<Walked> = Vec::new();
    for w in walked {
        match merged
            .iter_mut()
            .find(|m| m.forward == w.forward && m.return_ == w.return_ && m.reached == w.reached)
        {
            Some(m) => m.orig = m.orig.union(&w.orig),
            None => merged.push(w),
        }
    }
    let mark = |hops: Vec<Hop>| -> Vec<Hop> {
        hops.into_iter()
            .map(|mut h| {
                h.status.get_or_insert(HopStatus::Passed);
                h
            })
            .collect()
    };
    merged
        .into_iter()
        .map(|m| WalkedPath {
            flows: flow_summary(&m.orig),
            client_ports: m
                .orig
                .project_proto()
                .overlaps(&ProtoSet::port_class())
                .then(|| m.orig.project_src_ports().to_string()),
            forward: mark(m.forward),
            return_: mark(m.return_),
            reached: m.reached,
        })
        .collect()
}

/// Why a source has no flow: the target holds no address of the source's family.
struct FamilyGap {
    /// The source's family (`IPv6` for `::/0`).
    missing: &'static str,
    /// The target's addresses (of the other family), as asked from this source.
    held: String,
}

/// The family a source sends from and the target addresses it cannot pair with (N: IPv4 and
/// IPv6 are separate, engine-semantics "Flows").
fn family_gap(r: &Resolved, src: &Source) -> FamilyGap {
    let dst = target_addrs(r, src);
    let missing = if src.addrs().v4_only().is_empty() {
        "IPv6"
    } else {
        "IPv4"
    };
    let held = if dst.is_empty() {
        "none".to_string()
    } else {
        summary_addrs(&dst)
    };
    FamilyGap { missing, held }
}

impl FamilyGap {
    /// The blocker at the target: no flow of the source's family can reach it.
    fn blocker(&self, r: &Resolved, src: &Source) -> PendingBlocker {
        let s = src.addrs();
        PendingBlocker {
            blocker: Blocker {
                component: r.question.to.clone(),
                name: None,
                kind: ComponentKind::NetworkInterface,
                code: crate::engine::codes::Code::NO_COMMON_ADDRESS_FAMILY,
                leg: Leg::Forward,
                direction: None,
                rule: None,
                detail: format!(
                    "{} has no {} address (its addresses: {}): no flow from {} is possible",
                    r.question.to,
                    self.missing,
                    self.held,
                    summary_addrs(s)
                ),
                fix: String::new(),
            },
            blocked: PacketSet::from_cubes(vec![Cube::any()
                .with_src(s.clone())
                .with_proto(r.protocol.clone())
                .with_dst_ports(r.ports.clone())]),
            denies: None,
            plan: super::fix::FixPlan::Advice,
        }
    }
}

/// Per R4 tie and candidate route: the question's flows that completed on branches that
/// followed that candidate.
#[derive(Default)]
struct TieOutcomes(std::collections::BTreeMap<(usize, usize), PacketSet>);

impl TieOutcomes {
    /// `done` completed on a branch that took these choices.
    fn add(&mut self, choices: &[(usize, usize)], done: &PacketSet) {
        for c in choices {
            let e = self.0.entry(*c).or_default();
            *e = e.union(done);
        }
    }

    /// The flows that reached a tie and did not complete on one of its candidates: they
    /// complete only if AWS picks another, so they are not shown to complete.
    fn lost(&self, ties: &[(PacketSet, usize)]) -> PacketSet {
        let mut lost = PacketSet::empty();
        for (i, (entered, n)) in ties.iter().enumerate() {
            for c in 0..*n {
                let done = self.0.get(&(i, c)).cloned().unwrap_or_default();
                lost = lost.union(&entered.difference(&done));
            }
        }
        lost
    }
}
