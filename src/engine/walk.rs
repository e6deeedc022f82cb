//! Path search: follows flow sets from the sources through every component to the targets and
//! the replies back, on a work list of (branch, step) items.
//!
//! A branch is a set of flows with the hops they took so far. Each step applies one component
//! (the component files under [`super::components`] own what each kind does, forward and on
//! the reply); a filter splits its branch into the part it passes and the part it stops. The
//! stopped part is recorded as a blocker and, for NACLs, security groups and interfaces that
//! cannot send or receive, continues as a *ghost* (followed as if it had passed, through the
//! forward leg and, once it reaches the target, the return leg, so that every later component
//! that would also stop it is reported too); ghosts never count as completing. Routing failures
//! end a branch. Every failing branch's way (ghost or stopped) is kept as a walked path, each
//! hop marked passed or stopped.
//!
//! This file owns the work list itself (branches, steps, ends, walked paths) and the ways a
//! component reports a blocker: [`Walk::stop`] (the branch ends), [`Walk::block`] (it goes on
//! as a ghost), [`Walk::split`] and [`Walk::fork`].

use super::answer::{Blocker, ComponentKind, Direction, Hop, HopStatus, Leg, Reached};
use super::codes::Code;
use super::fix::FixPlan;
use super::flow::{AddrDim, Flow, PortDim};
use super::index::Index;
use super::nacl::{shadowed_entries, Shadowed};
use super::notes::{Assumption, Warning};
use super::resolve::Source;
use super::security_group::Identity;
use super::summary::summary;
use crate::model::*;
use crate::net::PacketSet;
use std::collections::{BTreeSet, HashMap};

/// A translation applied on the forward leg, reversed on the reply.
#[derive(Clone, Debug)]
pub(super) enum Trans {
    /// NAT gateway SNAT: the header's source before it.
    Nat {
        eni: Option<EniIdx>,
        prev_src: AddrDim,
        prev_sport: PortDim,
    },
    /// PrivateLink: the request left endpoint interface `endpoint_eni` and went on from `via`
    /// (a load balancer's or resource gateway's interface) with a new header; `prev` is the
    /// header before.
    PrivateLink {
        endpoint_eni: EniIdx,
        via: EniIdx,
        prev: super::flow::View,
    },
}

/// Who emits the current packets (for internet-gateway source mapping).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sender {
    Eni(EniIdx),
    Host,
    Outside,
    PrivateNat,
}

/// A set of flows on its way, with the hops it took.
#[derive(Clone, Debug)]
pub(super) struct Branch {
    pub(super) flow: Flow,
    pub(super) hops: Vec<Hop>,
    /// On the return leg: the hops of the forward leg.
    pub(super) fwd_hops: Vec<Hop>,
    /// Already stopped somewhere: followed for further blockers, never delivered.
    pub(super) ghost: bool,
    pub(super) leg: Leg,
    pub(super) trans: Vec<Trans>,
    pub(super) sender: Sender,
    /// VPCs whose group members a security-group reference may match at the next ENI.
    pub(super) identity: Identity,
    pub(super) depth: u8,
    /// The R4 ties this branch went through: (tie, the candidate route it follows), indices
    /// into [`Walk::ties`]. A flow completes only if it completes on every candidate.
    pub(super) choices: Vec<(usize, usize)>,
}

impl Branch {
    /// The same branch carrying other flows.
    pub(super) fn with_flow(&self, flow: Flow) -> Branch {
        let mut b = self.clone();
        b.flow = flow;
        b
    }
}

/// What a work item does next.
#[derive(Clone, Debug)]
pub(super) enum Step {
    /// Leave a network interface (the client's).
    FromEni(EniIdx),
    /// Route lookup in the subnet's route table.
    Route(SubnetIdx),
    /// Local delivery in a VPC, coming from a subnet (or from a gateway when `None`).
    Deliver {
        vpc: VpcIdx,
        from: Option<SubnetIdx>,
    },
    /// Arrive at a network interface.
    Arrive(EniIdx),
    /// Enter the snapshot from the internet.
    FromOutside,
    /// On the internet.
    Internet,
    /// A reply from the AWS service behind a gateway endpoint.
    FromService { subnet: SubnetIdx },
}

/// Where a branch ends.
pub(super) enum End {
    /// Delivered to a network interface.
    Eni(EniIdx),
    /// Delivered to a host on the internet.
    Outside,
    /// Delivered to the AWS service behind a gateway endpoint.
    Service(SubnetIdx),
    /// The reply is back at the client.
    Client,
}

/// One walk: the client's flows, forward then back.
pub(super) struct Walk<'a> {
    pub(super) t: &'a Topology,
    pub(super) idx: &'a Index,
    pub(super) client: &'a Source,
    pub(super) work: Vec<(Branch, Step)>,
    pub(super) ends: Vec<(Branch, End)>,
    pub(super) blockers: Vec<PendingBlocker>,
    /// The ways of the flows that stopped (or went on as ghosts).
    pub(super) walked: Vec<Walked>,
    pub(super) warnings: BTreeSet<Warning>,
    pub(super) assumptions: BTreeSet<Assumption>,
    /// VPCs whose CIDRs a TGW route table on this walk did not propagate (T4).
    pub(super) suppressed_vpcs: BTreeSet<VpcIdx>,
    /// Per R4 tie met on this walk: the question's flows that reached it and the number of
    /// candidate routes (each followed, [`Walk::tie_candidates`]).
    pub(super) ties: Vec<(PacketSet, usize)>,
    /// Per network ACL and direction (inbound = true): its entries that never match.
    shadowed: HashMap<(NetworkAclIdx, bool), Vec<Shadowed>>,
    /// The only PrivateLink way a request may take (`Resolved::deliver_at`).
    pub(super) deliver_at: Option<&'a super::resolve::DeliverAt>,
}

const MAX_DEPTH: u8 = 24;

/// A hop through a component.
pub(super) fn hop(
    component: &str,
    kind: ComponentKind,
    direction: Option<Direction>,
    rule: Option<String>,
    detail: String,
) -> Hop {
    Hop {
        component: component.to_string(),
        name: None,
        kind,
        direction,
        rule,
        detail,
        status: None,
        code: None,
    }
}

/// A blocker found on the walk, with every packet it blocked (current headers): blockers that
/// differ only in which packets they blocked are merged, and their detail and fix computed from
/// the union ([`super::fix`]).
#[derive(Clone, Debug)]
pub(super) struct PendingBlocker {
    /// The blocker (its `fix` still empty; its detail final unless `denies` is set).
    pub(super) blocker: Blocker,
    pub(super) blocked: PacketSet,
    /// `Some(prefix)`: the detail is `prefix` and the blocked packets.
    pub(super) denies: Option<String>,
    pub(super) plan: FixPlan,
}

impl PendingBlocker {
    fn same(&self, o: &PendingBlocker) -> bool {
        let (a, b) = (&self.blocker, &o.blocker);
        a.component == b.component
            && a.kind == b.kind
            && a.code == b.code
            && a.leg == b.leg
            && a.direction == b.direction
            && a.rule == b.rule
            && self.denies == o.denies
            && self.plan == o.plan
            && (self.denies.is_some() || a.detail == b.detail)
    }

    /// Add `o` to the list, merged into one that differs only in its packets.
    pub(super) fn merge_into(o: PendingBlocker, list: &mut Vec<PendingBlocker>) {
        match list.iter_mut().find(|x| x.same(&o)) {
            Some(x) => x.blocked = x.blocked.union(&o.blocked),
            None => list.push(o),
        }
    }

    /// The final blocker: detail from all its packets, and its fix.
    pub(super) fn finish(&self, t: &Topology, idx: &Index) -> Blocker {
        let mut b = self.blocker.clone();
        if let Some(prefix) = &self.denies {
            b.detail = format!("{prefix} {}", summary(&self.blocked));
        }
        b.fix = super::fix::render(t, idx, b.code, &b.component, &self.plan, &self.blocked);
        if b.code == super::codes::Code::SNAPSHOT_INCOMPLETE {
            b.fix = super::fix::incomplete(&b.component, &b.detail).unwrap_or(b.fix);
        }
        b
    }
}

/// The way (part of) the failing flows went: the question's flows, the hops forward and back.
#[derive(Clone, Debug)]
pub(super) struct Walked {
    pub(super) orig: PacketSet,
    pub(super) forward: Vec<Hop>,
    pub(super) return_: Vec<Hop>,
    pub(super) reached: Reached,
}

/// Where and why (part of) a flow stops: a blocker before it is tied to a leg.
pub(super) struct Stop {
    component: String,
    kind: ComponentKind,
    code: Code,
    direction: Option<Direction>,
    rule: Option<String>,
    detail: String,
    /// `Some(prefix)`: the detail is `prefix` and the blocked packets (merged blockers).
    denies: Option<String>,
    plan: FixPlan,
}

impl Stop {
    /// A blocker with no direction and no rule to cite (gateways, routes, states).
    pub(super) fn new(component: &str, kind: ComponentKind, code: Code, detail: String) -> Stop {
        Stop {
            component: component.to_string(),
            kind,
            code,
            direction: None,
            rule: None,
            detail,
            denies: None,
            plan: FixPlan::Advice,
        }
    }

    /// A filter's blocker, whose detail is `prefix` and the packets it denies.
    pub(super) fn denying(
        component: &str,
        kind: ComponentKind,
        code: Code,
        prefix: String,
    ) -> Stop {
        let mut s = Stop::new(component, kind, code, String::new());
        s.denies = Some(prefix);
        s
    }

    /// How to compute the fix.
    pub(super) fn plan(mut self, plan: FixPlan) -> Stop {
        self.plan = plan;
        self
    }

    /// The hop where a flow is stopped for this reason.
    pub(super) fn hop(&self, flow: &Flow) -> Hop {
        let detail = match &self.denies {
            Some(p) => format!("{p} {}", summary(&flow.current())),
            None => self.detail.clone(),
        };
        Hop {
            component: self.component.clone(),
            name: None,
            kind: self.kind,
            direction: self.direction,
            rule: self.rule.clone(),
            detail,
            status: Some(HopStatus::Stopped),
            code: Some(self.code),
        }
    }

    /// The rule or route that denies.
    pub(super) fn rule(mut self, rule: Option<String>) -> Stop {
        self.rule = rule;
        self
    }

    /// The direction of the check that denies.
    pub(super) fn direction(mut self, direction: Direction) -> Stop {
        self.direction = Some(direction);
        self
    }
}

impl<'a> Walk<'a> {
    /// A walk for one client.
    pub(super) fn new(t: &'a Topology, idx: &'a Index, client: &'a Source) -> Self {
        Walk {
            t,
            idx,
            client,
            work: Vec::new(),
            ends: Vec::new(),
            blockers: Vec::new(),
            walked: Vec::new(),
            warnings: BTreeSet::new(),
            assumptions: BTreeSet::new(),
            suppressed_vpcs: BTreeSet::new(),
            ties: Vec::new(),
            shadowed: HashMap::new(),
            deliver_at: None,
        }
    }

    /// Record a blocker of `b` that stops the flows `blocked` (the branch may go on as a ghost).
    pub(super) fn block(&mut self, b: &Branch, s: &Stop, blocked: &Flow) {
        let bl = PendingBlocker {
            blocker: Blocker {
                component: s.component.clone(),
                name: None,
                kind: s.kind,
                code: s.code,
                leg: b.leg,
                direction: s.direction,
                rule: s.rule.clone(),
                detail: s.detail.clone(),
                fix: String::new(),
            },
            blocked: blocked.current(),
            denies: s.denies.clone(),
            plan: s.plan.clone(),
        };
        PendingBlocker::merge_into(bl, &mut self.blockers);
    }

    /// `b` stops here: its blocker is recorded and its way ends (a walked path).
    pub(super) fn stop(&mut self, b: &Branch, s: Stop) {
        self.block(b, &s, &b.flow);
        let mut x = b.clone();
        x.hops.push(s.hop(&b.flow));
        self.walk_ends(x, Reached::Stop);
    }

    /// A component stops all of `b`, which goes on as a ghost (with a stopped hop there).
    pub(super) fn ghost_on(&mut self, b: &mut Branch, s: Stop) {
        self.block(b, &s, &b.flow);
        b.hops.push(s.hop(&b.flow));
        b.ghost = true;
    }

    /// Keep the way of a failing branch.
    pub(super) fn walk_ends(&mut self, b: Branch, reached: Reached) {
        let (forward, return_) = match b.leg {
            Leg::Forward => (b.hops, Vec::new()),
            Leg::Return => (b.fwd_hops, b.hops),
        };
        self.walked.push(Walked {
            orig: b.flow.orig,
            forward,
            return_,
            reached,
        });
    }

    /// Split `b` into the flows a component passes and those it stops: `failed`, when not
    /// empty, stops here with the blocker `why` describes for it; the branch goes on with
    /// `pass` (`None` when nothing passes).
    pub(super) fn split(
        &mut self,
        b: &Branch,
        pass: Flow,
        failed: Flow,
        why: impl FnOnce(&Flow) -> Stop,
    ) -> Option<Branch> {
        if !failed.is_empty() {
            let s = why(&failed);
            self.stop(&b.with_flow(failed), s);
        }
        (!pass.is_empty()).then(|| b.with_flow(pass))
    }

    /// A filter passed `pass` and stopped `denied` (recorded with `why` when not empty): the
    /// passed part goes on with hop `h`, the denied part as a ghost with `h` marked stopped.
    /// A ghost stays a ghost either way.
    pub(super) fn fork(
        &mut self,
        b: &Branch,
        pass: Flow,
        denied: Flow,
        h: Hop,
        why: Option<Stop>,
    ) -> Vec<Branch> {
        let mut out = Vec::new();
        if !pass.is_empty() {
            let mut p = b.with_flow(pass);
            p.hops.push(h.clone());
            out.push(p);
        }
        if !denied.is_empty() {
            let mut g = b.with_flow(denied);
            g.ghost = true;
            let mut h = h;
            h.status = Some(HopStatus::Stopped);
            if let Some(s) = why {
                self.block(b, &s, &g.flow);
                h.code = Some(s.code);
                if let Some(r) = s.rule.clone() {
                    h.rule = Some(r);
                }
                h.detail = s.hop(&g.flow).detail;
            }
            g.hops.push(h);
            out.push(g);
        }
        out
    }

    /// The entries of a network ACL in one direction that never match (NACL_RULE_SHADOWED) and
    /// whose traffic overlaps `current`: a path's decision there skips them.
    pub(super) fn shadowed(
        &mut self,
        acl: NetworkAclIdx,
        inbound: bool,
        current: &PacketSet,
    ) -> Vec<Shadowed> {
        let t = self.t;
        let all = self
            .shadowed
            .entry((acl, inbound))
            .or_insert_with(|| shadowed_entries(&t.network_acls[acl.i()], inbound));
        all.iter()
            .filter(|s| super::nacl::entry_match(&s.entry, inbound).overlaps(current))
            .cloned()
            .collect()
    }

    /// The branches a route lookup's part goes on with: one per candidate route. Without a
    /// tie that is `route` alone; with one (R4: prefix-list routes of the same prefix, other
    /// targets) each candidate gets a copy of `b` tagged with the tie, and the tie is stated
    /// (PREFIX_LIST_ROUTE_TIE) naming every candidate.
    pub(super) fn tie_candidates<'r>(
        &mut self,
        b: Branch,
        table: &str,
        part: &super::route_table::RoutePart<'r>,
    ) -> Vec<(Branch, &'r Route, bool)> {
        let Some(route) = part.route else {
            return Vec::new();
        };
        if part.tied.is_empty() {
            return vec![(b, route, false)];
        }
        let cands: Vec<&'r Route> = std::iter::once(route)
            .chain(part.tied.iter().copied())
            .collect();
        self.warnings.insert(Warning::PrefixListRouteTie {
            route_table: table.to_string(),
            prefix: part.prefix.map(|p| p.to_string()).unwrap_or_default(),
            routes: cands
                .iter()
                .map(|r| super::route_table::describe(r))
                .collect(),
        });
        let tie = self.ties.len();
        self.ties.push((b.flow.orig.clone(), cands.len()));
        cands
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let mut x = b.clone();
                x.choices.push((tie, i));
                (x, r, true)
            })
            .collect()
    }

    /// Queue every branch for `step`.
    pub(super) fn push(&mut self, bs: Vec<Branch>, step: Step) {
        for b in bs {
            self.work.push((b, step.clone()));
        }
    }

    /// Run the work list until it is empty.
    pub(super) fn run(&mut self) {
        while let Some((mut b, step)) = self.work.pop() {
            if b.flow.is_empty() {
                continue;
            }
            b.depth += 1;
            if b.depth > MAX_DEPTH {
                self.stop(
                    &b,
                    Stop::new(
                        "routing",
                        ComponentKind::RouteTable,
                        Code::NO_PATH,
                        "routing loop: the path exceeds 24 hops".into(),
                    ),
                );
                continue;
            }
            match step {
                Step::FromEni(e) => self.start_at_eni(b, e),
                Step::Route(s) => self.route(b, s),
                Step::Deliver { vpc, from } => self.deliver(b, vpc, from),
                Step::Arrive(e) => self.arrive(b, e),
                Step::FromOutside => self.enter_from_outside(b),
                Step::Internet => self.internet(b),
                Step::FromService { subnet } => self.reply_from_service(b, subnet),
            }
        }
    }

    /// A branch ends (ghosts too: a ghost delivered to the target goes on with its reply, a
    /// ghost reply back at the client is a walked path).
    pub(super) fn end(&mut self, b: Branch, end: End) {
        self.ends.push((b, end));
    }
}
