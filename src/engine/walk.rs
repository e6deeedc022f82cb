//! Path search: follows flow sets from the sources through every component to the targets and
//! the replies back, on a work list of (branch, step) items.
//!
//! A branch is a set of flows with the hops they took so far. Each step applies one component
//! (the component files under [`super::components`] own what each kind does, forward and on
//! the reply); a filter splits its branch into the part it passes and the part it stops. The
//! stopped part is recorded as a blocker and, for NACLs and security groups, continues as a
//! *ghost* (followed as if it had passed, so that every later component that would also stop
//! it is reported too); ghosts never count as delivered. Routing failures end a branch.
//!
//! This file owns the work list itself (branches, steps, ends) and the two ways a component
//! reports a blocker: [`Walk::stop`] and [`Walk::split`].

use super::answer::{Blocker, ComponentKind, Direction, Hop, Leg};
use super::codes::Code;
use super::flow::{AddrDim, Flow, PortDim};
use super::index::Index;
use super::notes::{Assumption, Warning};
use super::resolve::Source;
use super::security_group::Identity;
use crate::model::*;
use std::collections::BTreeSet;

/// A translation applied on the forward leg, reversed on the reply.
#[derive(Clone, Debug)]
pub(super) enum Trans {
    /// NAT gateway SNAT: the header's source before it.
    Nat {
        eni: Option<EniIdx>,
        prev_src: AddrDim,
        prev_sport: PortDim,
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
    pub(super) blockers: Vec<Blocker>,
    pub(super) warnings: BTreeSet<Warning>,
    pub(super) assumptions: BTreeSet<Assumption>,
    /// VPCs whose CIDRs a TGW route table on this walk did not propagate (T4).
    pub(super) suppressed_vpcs: BTreeSet<VpcIdx>,
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
        kind,
        direction,
        rule,
        detail,
    }
}

/// Where and why (part of) a flow stops: a blocker before it is tied to a leg.
pub(super) struct Stop {
    component: String,
    kind: ComponentKind,
    code: Code,
    direction: Option<Direction>,
    rule: Option<String>,
    detail: String,
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
            warnings: BTreeSet::new(),
            assumptions: BTreeSet::new(),
            suppressed_vpcs: BTreeSet::new(),
        }
    }

    /// Record that (part of) `b` stops here (once per distinct blocker).
    pub(super) fn stop(&mut self, b: &Branch, s: Stop) {
        let bl = Blocker {
            component: s.component,
            kind: s.kind,
            code: s.code,
            leg: b.leg,
            direction: s.direction,
            rule: s.rule,
            detail: s.detail,
        };
        if !self.blockers.contains(&bl) {
            self.blockers.push(bl);
        }
    }

    /// Split `b` into the flows a component passes and those it stops: `failed`, when not
    /// empty, is recorded with the blocker `why` describes for it; the branch goes on with
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
            self.stop(b, s);
        }
        (!pass.is_empty()).then(|| b.with_flow(pass))
    }

    /// Continue `pass` (with `h` appended) and the ghost of `denied`.
    pub(super) fn fork(&self, b: &Branch, pass: Flow, denied: Flow, h: Hop) -> Vec<Branch> {
        let mut out = Vec::new();
        if b.ghost {
            let mut g = b.clone();
            g.hops.push(h);
            out.push(g);
            return out;
        }
        if !pass.is_empty() {
            let mut p = b.with_flow(pass);
            p.hops.push(h.clone());
            out.push(p);
        }
        if !denied.is_empty() {
            let mut g = b.with_flow(denied);
            g.ghost = true;
            g.hops.push(h);
            out.push(g);
        }
        out
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

    /// A branch ends (ghosts end nowhere).
    pub(super) fn end(&mut self, b: Branch, end: End) {
        if !b.ghost {
            self.ends.push((b, end));
        }
    }
}
