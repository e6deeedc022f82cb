//! The filters a branch passes between components: the subnet's network ACL at every subnet
//! boundary (stateless: evaluated on requests and replies alike, N9) and the security groups of
//! a network interface (stateful: egress when it sends a request, ingress when it receives one;
//! replies are never checked). A filter splits its branch: the admitted part goes on, the
//! denied part is recorded as a blocker and goes on as a ghost.

use super::super::answer::{ComponentKind, Direction};
use super::super::codes::Code;
use super::super::fix::FixPlan;
use super::super::flow::AddrDim;
use super::super::nacl;
use super::super::notes::Warning;
use super::super::resolve::Source;
use super::super::security_group;
use super::super::walk::{hop, Branch, Stop, Walk};
use crate::model::{EniIdx, Ref, SecurityGroupIdx, SubnetIdx};

impl Walk<'_> {
    /// The network ACL of `subnet`, inbound or outbound.
    pub(in crate::engine) fn nacl(
        &mut self,
        b: Branch,
        subnet: SubnetIdx,
        inbound: bool,
    ) -> Vec<Branch> {
        let s = &self.t.subnets[subnet.i()];
        let dir = if inbound {
            Direction::Inbound
        } else {
            Direction::Outbound
        };
        if let Some(what) = &s.network_acl_unreadable {
            // Fail closed: never the default NACL for one that did not load. The flows go on
            // as a ghost, so a real blocker after the unknown NACL is still named.
            let detail = format!("{dir} NACL of {} unknown: {what}", s.id);
            self.stop(
                &b,
                Stop::new(
                    &s.id,
                    ComponentKind::NetworkAcl,
                    Code::SNAPSHOT_INCOMPLETE,
                    detail.clone(),
                )
                .direction(dir),
            );
            let mut g = b;
            g.ghost = true;
            g.hops.push(hop(
                &s.id,
                ComponentKind::NetworkAcl,
                Some(dir),
                None,
                detail,
            ));
            return vec![g];
        }
        let Some(acl_idx) = s.network_acl else {
            let mut b = b;
            self.warnings.insert(Warning::SubnetWithoutNetworkAcl {
                subnet: s.id.clone(),
            });
            b.hops.push(hop(
                &s.id,
                ComponentKind::NetworkAcl,
                Some(dir),
                None,
                "no NACL in the snapshot (not checked)".into(),
            ));
            return vec![b];
        };
        let acl = &self.t.network_acls[acl_idx.i()];
        if !acl.lost_entries.is_empty() {
            self.warnings.insert(Warning::ComponentPartlyLoaded {
                component: acl.id.clone(),
                lost: super::super::notes::lost_summary(&acl.lost_entries),
            });
        }
        if !acl.doubts.is_empty() {
            self.warnings.insert(Warning::ComponentReadAsStated {
                component: acl.id.clone(),
                doubts: super::super::notes::doubt_summary(&acl.doubts),
            });
        }
        let out = nacl::evaluate(acl, inbound, &b.flow);
        let why = (!out.denied.is_empty()).then(|| {
            Stop::denying(
                &acl.id,
                ComponentKind::NetworkAcl,
                Code::SUBNET_ACL_RESTRICTION,
                format!("{dir} NACL of {} denies", s.id),
            )
            .direction(dir)
            .rule(Some(nacl::cite(acl, inbound, &out.denied_by)))
            .plan(FixPlan::Nacl {
                acl: acl_idx,
                inbound,
                denied_by: out.denied_by.clone(),
            })
        });
        let rule = if out.allowed_by.is_empty() {
            None
        } else {
            Some(nacl::cite(acl, inbound, &out.allowed_by))
        };
        let mut detail = format!("{dir} at {}", s.id);
        for sh in self.shadowed(acl_idx, inbound, &b.flow.current()) {
            detail.push_str(&format!(
                "; rule {} never matches (rule {} decides all its traffic first)",
                sh.rule,
                join_numbers(&sh.by)
            ));
            self.warnings.insert(Warning::NaclRuleShadowed {
                acl: acl.id.clone(),
                direction: dir.to_string(),
                rule: nacl::describe(&sh.entry, inbound),
                by: sh
                    .by
                    .iter()
                    .map(|n| nacl::cite(acl, inbound, &[*n]))
                    .collect(),
            });
        }
        let h = hop(&acl.id, ComponentKind::NetworkAcl, Some(dir), rule, detail);
        self.fork(&b, out.pass, out.denied, h, why)
    }

    /// From subnet `from` (a gateway when `None`) into subnet `to`: the outbound NACL of
    /// `from` and the inbound NACL of `to`; neither within one subnet.
    pub(in crate::engine) fn cross_subnets(
        &mut self,
        b: Branch,
        from: Option<SubnetIdx>,
        to: SubnetIdx,
    ) -> Vec<Branch> {
        match from {
            Some(f) if f == to => vec![b],
            Some(f) => {
                let mut bs = Vec::new();
                for y in self.nacl(b, f, false) {
                    bs.extend(self.nacl(y, to, true));
                }
                bs
            }
            None => self.nacl(b, to, true),
        }
    }

    /// The security groups of network interface `eni`, ingress or egress.
    pub(in crate::engine) fn sg(&mut self, b: Branch, eni: EniIdx, ingress: bool) -> Vec<Branch> {
        let t = self.t;
        self.sg_groups(b, eni, &t.network_interfaces[eni.i()].groups, ingress)
    }

    /// Security groups `groups` at network interface `eni` (a load balancer's groups, which
    /// `describe-load-balancers` lists, at its interface), ingress or egress.
    pub(in crate::engine) fn sg_groups(
        &mut self,
        b: Branch,
        eni: EniIdx,
        groups: &[Ref<SecurityGroupIdx>],
        ingress: bool,
    ) -> Vec<Branch> {
        let e = &self.t.network_interfaces[eni.i()];
        let dir = if ingress {
            Direction::Ingress
        } else {
            Direction::Egress
        };
        let out =
            security_group::evaluate(self.t, &self.idx.sg, groups, ingress, &b.flow, &b.identity);
        self.warnings.extend(out.notes.iter().cloned());
        let ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
        let comp = ids.join(",");
        if !out.denied.is_empty() && !out.unknown.is_empty() {
            // Fail closed, but say why: groups that did not (fully) load are unknown, never
            // "no rules" or a mismatch. The denied part goes on as a ghost, so the components
            // after it that would also stop it are still named.
            let why = Stop::denying(
                &comp,
                ComponentKind::SecurityGroup,
                Code::SNAPSHOT_INCOMPLETE,
                format!(
                    "the {dir} rules of {comp} on {} are unknown ({}): whether they admit it is unknown:",
                    e.id,
                    out.unknown.join("; ")
                ),
            )
            .direction(dir);
            let h = hop(
                &comp,
                ComponentKind::SecurityGroup,
                Some(dir),
                None,
                format!("{dir} at {}", e.id),
            );
            return self.fork(&b, out.pass, out.denied, h, Some(why));
        }
        let why = (!out.denied.is_empty()).then(|| {
            let code = if out.no_rules {
                Code::SG_HAS_NO_RULES
            } else if let Some(c) = out.notes.iter().map(Warning::code).find(|c| {
                matches!(
                    c,
                    Code::SG_REFERENCES_NOT_PRESERVED | Code::SG_REFERENCING_SUPPORT
                )
            }) {
                c
            } else {
                Code::ENI_SG_RULES_MISMATCH
            };
            // An AWS-managed interface without any group (a TGW attachment's, a NAT gateway's):
            // it forwards traffic, nothing listens on its own address and no group can be
            // attached to it. Name the interface (never a blocker called ""), no group fix.
            if e.groups.is_empty() && !e.interface_type.is_empty() && e.interface_type != "interface"
            {
                return Stop::denying(
                    &e.id,
                    ComponentKind::NetworkInterface,
                    Code::NO_PATH,
                    format!(
                        "{} (a {} interface with no security group, no host behind its address) does not accept",
                        e.id, e.interface_type
                    ),
                )
                .direction(dir);
            }
            Stop::denying(
                &comp,
                ComponentKind::SecurityGroup,
                code,
                format!("no {dir} rule of {} on {} admits", comp, e.id),
            )
            .direction(dir)
            .plan(FixPlan::Sg {
                eni,
                ingress,
                peer_group: if ingress {
                    self.client_group(&b, eni)
                } else {
                    None
                },
            })
        });
        let rule = if out.allowed_by.is_empty() {
            None
        } else {
            Some(out.allowed_by.join("; "))
        };
        let h = hop(
            &comp,
            ComponentKind::SecurityGroup,
            Some(dir),
            rule,
            format!("{dir} at {}", e.id),
        );
        self.fork(&b, out.pass, out.denied, h, why)
    }

    /// The client's security group, when an ingress rule at `eni` naming it would match the
    /// client: the client is an interface in `eni`'s VPC, its address unchanged on the way and
    /// its group identity preserved (S5, S6).
    fn client_group(&self, b: &Branch, eni: EniIdx) -> Option<String> {
        let Source::Eni { eni: c, .. } = self.client else {
            return None;
        };
        let client = &self.t.network_interfaces[c.i()];
        let vpc = client.vpc.idx?;
        let same_vpc = self.t.network_interfaces[eni.i()].vpc.idx == Some(vpc);
        let unchanged = b.flow.view.src == AddrDim::OrigSrc;
        if !(same_vpc && unchanged && b.identity.vpcs.contains(&vpc)) {
            return None;
        }
        client.groups.first().map(|g| g.id.clone())
    }
}

/// `100` or `100, 110`.
fn join_numbers(ns: &[u16]) -> String {
    ns.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
