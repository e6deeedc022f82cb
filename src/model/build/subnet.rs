//! Subnets, and the links every subnet gets once all scopes exist: its VPC's list of subnets,
//! and its effective route table and network ACL (explicit association, else the VPC's main
//! table or default NACL).

use super::builder::{name_of, Builder};
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::RawData;

impl Builder {
    /// The subnets of one scope.
    pub(super) fn construct_subnets(&mut self, scope: ScopeIdx, d: &RawData) {
        for s in &d.subnets {
            let it = &s.item;
            let vpc = self.find_checked(
                scope,
                Kind::Vpc,
                &it.vpc_id,
                s.file,
                &format!("{}/VpcId", s.pointer),
                "VPC",
            );
            let subnet = Subnet {
                id: it.subnet_id.clone(),
                scope,
                vpc,
                name: name_of(&it.tags),
                owner: it.owner_id.clone(),
                availability_zone: it.availability_zone.clone(),
                availability_zone_id: it.availability_zone_id.clone(),
                cidr_v4: it.cidr_block.map(|c| c.0.trunc()),
                cidrs_v6: it
                    .ipv6_cidr_block_association_set
                    .iter()
                    .filter(|a| {
                        a.ipv6_cidr_block_state
                            .as_ref()
                            .is_none_or(|s| s.state.eq_ignore_ascii_case("associated"))
                    })
                    .filter_map(|a| a.ipv6_cidr_block.map(|c| c.0.trunc()))
                    .collect(),
                route_table: None,
                route_table_explicit: false,
                network_acl: None,
                network_acl_explicit: false,
                network_acl_unreadable: None,
                route_table_unreadable: None,
            };
            self.check_subnet_cidr(&subnet, it.cidr_block.map(|c| c.0), s.file, &s.pointer);
            self.t.subnets.push(subnet);
        }
    }

    /// Impossible subnet blocks, read as given with a warning: host bits set, outside every
    /// block of its VPC, or the block of another subnet of the same VPC.
    fn check_subnet_cidr(
        &mut self,
        subnet: &Subnet,
        raw: Option<ipnet::Ipv4Net>,
        file: u32,
        ptr: &str,
    ) {
        let (Some(raw), Some(cidr)) = (raw, subnet.cidr_v4) else {
            return;
        };
        let at = format!("{ptr}/CidrBlock");
        let say = |b: &mut Builder, msg: String| {
            b.diag(Severity::Warning, DiagCode::ImpossibleValue, file, &at, msg)
        };
        if raw != cidr {
            say(
                self,
                format!(
                    "CidrBlock {raw} of {} has host bits set: read as {cidr}",
                    subnet.id
                ),
            );
        }
        let Some(vpc) = subnet.vpc.idx.and_then(|v| self.t.vpcs.get(v.i())) else {
            return;
        };
        let vpc_id = vpc.id.clone();
        if !vpc.cidrs_v4.is_empty() && !vpc.cidrs_v4.iter().any(|v| v.contains(&cidr)) {
            let blocks: Vec<String> = vpc.cidrs_v4.iter().map(|c| c.to_string()).collect();
            say(
                self,
                format!(
                    "{} ({cidr}) is outside every IPv4 block of {vpc_id} ({}): read as given, but no VPC can hold it",
                    subnet.id,
                    blocks.join(", ")
                ),
            );
        }
        let twin = self
            .t
            .subnets
            .iter()
            .find(|o| o.vpc.idx == subnet.vpc.idx && o.cidr_v4 == Some(cidr))
            .map(|o| o.id.clone());
        if let Some(other) = twin {
            say(
                self,
                format!(
                    "{} has the block of {other} ({cidr}) in {vpc_id}: AWS gives a block to one subnet; addresses in it may be placed in either",
                    subnet.id
                ),
            );
        }
    }

    /// Each subnet's VPC, effective route table and effective NACL.
    pub(super) fn link_subnets(&mut self) {
        let t = &mut self.t;
        for (si, s) in t.subnets.iter().enumerate() {
            if let Some(v) = s.vpc.idx {
                t.vpcs[v.i()].subnets.push(SubnetIdx(si as u32));
            }
        }
        let mut warnings = Vec::new();
        let mut two_mains: std::collections::HashMap<VpcIdx, String> = Default::default();
        let mut two_defaults: std::collections::HashMap<VpcIdx, String> = Default::default();
        for (ri, rt) in t.route_tables.iter().enumerate() {
            let idx = RouteTableIdx(ri as u32);
            if rt.main {
                if let Some(v) = rt.vpc.idx {
                    let vpc = &mut t.vpcs[v.i()];
                    match vpc.main_route_table {
                        // Which one AWS uses is not in the data, and JSON order must not
                        // decide it: the subnets that fall back to the main table are unknown.
                        Some(other) if other != idx => {
                            let why = format!(
                                "the main route table of {} is unknown: the snapshot gives two, {}",
                                vpc.id,
                                both(&t.route_tables[other.i()].id, &rt.id)
                            );
                            warnings.push(format!(
                                "{why} (flows from its subnets without an explicit association carry SNAPSHOT_INCOMPLETE)"
                            ));
                            two_mains.entry(v).or_insert(why);
                        }
                        _ => vpc.main_route_table = Some(idx),
                    }
                }
            }
            for &s in &rt.subnets {
                let sub = &mut t.subnets[s.i()];
                match sub.route_table {
                    // Explicitly associated with two tables: which one AWS uses is not in the
                    // data, and JSON order must not decide it. Unknown.
                    Some(other) if sub.route_table_explicit && other != idx => {
                        let why = format!(
                            "explicitly associated with two route tables, {}",
                            both(&t.route_tables[other.i()].id, &rt.id)
                        );
                        warnings.push(format!(
                            "subnet {} is {why}: its routes are unknown (flows from it carry SNAPSHOT_INCOMPLETE)",
                            sub.id
                        ));
                        sub.route_table_unreadable.get_or_insert(why);
                    }
                    _ => {
                        sub.route_table = Some(idx);
                        sub.route_table_explicit = true;
                    }
                }
            }
        }
        for (ni, acl) in t.network_acls.iter().enumerate() {
            let idx = NetworkAclIdx(ni as u32);
            if acl.is_default {
                if let Some(v) = acl.vpc.idx {
                    let vpc = &mut t.vpcs[v.i()];
                    match vpc.default_network_acl {
                        // Two default NACLs: order must not pick one. Unknown for the subnets
                        // that fall back to the default.
                        Some(other) if other != idx => {
                            let why = format!(
                                "the default NACL of {} is unknown: the snapshot gives two, {}",
                                vpc.id,
                                both(&t.network_acls[other.i()].id, &acl.id)
                            );
                            warnings.push(format!(
                                "{why} (flows through its subnets without an explicit association carry SNAPSHOT_INCOMPLETE)"
                            ));
                            two_defaults.entry(v).or_insert(why);
                        }
                        _ => vpc.default_network_acl = Some(idx),
                    }
                }
            }
            for &s in &acl.subnets {
                let sub = &mut t.subnets[s.i()];
                match sub.network_acl {
                    // In two NACLs' associations: order must not decide. Unknown.
                    Some(other) if sub.network_acl_explicit && other != idx => {
                        let why = format!(
                            "associated with two NACLs, {}",
                            both(&t.network_acls[other.i()].id, &acl.id)
                        );
                        warnings.push(format!(
                            "subnet {} is {why}: its NACL is unknown (flows through it carry SNAPSHOT_INCOMPLETE)",
                            sub.id
                        ));
                        sub.network_acl_unreadable.get_or_insert(why);
                    }
                    _ => {
                        sub.network_acl = Some(idx);
                        sub.network_acl_explicit = true;
                    }
                }
            }
        }
        // NACLs and route tables that failed to load: the subnets they name, and (when they may be
        // the default NACL / main table, or their associations cannot be read) every subnet of
        // their VPC without an explicit association, are unknown: no default substituted.
        for u in std::mem::take(&mut self.unreadable) {
            for s in t.subnets.iter_mut().filter(|s| s.scope == u.scope) {
                let named = u.subnet_ids.contains(&s.id);
                let explicit = if u.network_acl {
                    s.network_acl_explicit
                } else {
                    s.route_table_explicit
                };
                let in_vpc = u.vpc_id.as_ref().is_none_or(|v| *v == s.vpc.id);
                if named || (u.fallback && in_vpc && !explicit) {
                    let slot = if u.network_acl {
                        &mut s.network_acl_unreadable
                    } else {
                        &mut s.route_table_unreadable
                    };
                    slot.get_or_insert_with(|| u.label.clone());
                }
            }
        }
        for s in t.subnets.iter_mut() {
            let Some(v) = s.vpc.idx else { continue };
            if !s.route_table_explicit {
                if let Some(why) = two_mains.get(&v) {
                    s.route_table_unreadable.get_or_insert_with(|| why.clone());
                }
            }
            if !s.network_acl_explicit {
                if let Some(why) = two_defaults.get(&v) {
                    s.network_acl_unreadable.get_or_insert_with(|| why.clone());
                }
            }
        }
        // Scopes whose snapshot has route tables / NACLs at all (else missing ones are no news).
        let scopes_with_rts: std::collections::HashSet<ScopeIdx> =
            t.route_tables.iter().map(|r| r.scope).collect();
        let scopes_with_acls: std::collections::HashSet<ScopeIdx> =
            t.network_acls.iter().map(|r| r.scope).collect();
        let mut no_main = std::collections::BTreeSet::new();
        let mut no_default = std::collections::BTreeSet::new();
        for s in t.subnets.iter_mut() {
            let Some(v) = s.vpc.idx else { continue };
            let vpc = &t.vpcs[v.i()];
            let sc = &t.scopes[s.scope.i()];
            if s.route_table_unreadable.is_some() {
                s.route_table = None;
            } else if s.route_table.is_none() {
                s.route_table = vpc.main_route_table;
                // R1: every VPC has a main route table, so a subnet without any table is data
                // the snapshot lacks: its routes are unknown, never "no route".
                if s.route_table.is_none() {
                    let why = if scopes_with_rts.contains(&s.scope) {
                        no_main.insert(vpc.id.clone());
                        format!(
                            "{} has no explicit route table and the main route table of {} is not in the snapshot",
                            s.id, vpc.id
                        )
                    } else {
                        format!(
                            "no route table of {}/{} is in the snapshot (describe-route-tables not exported?), and every subnet has one",
                            sc.account, sc.region
                        )
                    };
                    s.route_table_unreadable = Some(why);
                }
            }
            if s.network_acl_unreadable.is_some() {
                s.network_acl = None;
            } else if s.network_acl.is_none() {
                s.network_acl = vpc.default_network_acl;
                // N1: every subnet is associated with a NACL (the VPC's default one otherwise):
                // none in the snapshot means its rules are unknown, never "no check".
                if s.network_acl.is_none() {
                    let why = if scopes_with_acls.contains(&s.scope) {
                        no_default.insert(vpc.id.clone());
                        format!(
                            "{} has no explicit NACL and the default NACL of {} is not in the snapshot",
                            s.id, vpc.id
                        )
                    } else {
                        format!(
                            "no network ACL of {}/{} is in the snapshot (describe-network-acls not exported?), and every subnet has one",
                            sc.account, sc.region
                        )
                    };
                    s.network_acl_unreadable = Some(why);
                }
            }
        }
        for v in no_main {
            warnings.push(format!("VPC {v} has subnets without an explicit route table and no main route table in the snapshot: their routes are unknown (SNAPSHOT_INCOMPLETE)"));
        }
        for v in no_default {
            warnings.push(format!(
                "VPC {v} has subnets without an explicit NACL and no default NACL in the snapshot: their NACL is unknown (SNAPSHOT_INCOMPLETE)"
            ));
        }
        for w in warnings {
            self.t.diagnostics.push(crate::diag::Diagnostic::new(
                Severity::Warning,
                DiagCode::Inconsistent,
                w,
            ));
        }
    }
}

/// Two ids in sorted order, so messages do not depend on the order of the JSON.
fn both(a: &str, b: &str) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    format!("{x} and {y}")
}
