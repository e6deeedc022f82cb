//! Security groups: permissions flattened to one peer per rule (CIDR, prefix list or group),
//! group references resolved across accounts where the snapshot has them.

use super::builder::Builder;
use super::rule_ports::{icmp_match, one_sided, port_range};
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::{aws, RawData};
use ipnet::IpNet;

impl Builder {
    /// The security groups of one scope.
    pub(super) fn construct_security_groups(&mut self, scope: ScopeIdx, d: &RawData) {
        for g in &d.security_groups {
            let it = &g.item;
            let vpc = it.vpc_id.as_ref().map(|v| {
                let r: Ref<VpcIdx> = self.find_checked(
                    scope,
                    Kind::Vpc,
                    v,
                    g.file,
                    &format!("{}/VpcId", g.pointer),
                    "VPC",
                );
                r
            });
            let owner = it.owner_id.clone();
            let mut sg = SecurityGroup {
                id: it.group_id.clone(),
                scope,
                name: it.group_name.clone(),
                vpc,
                owner: owner.clone(),
                inbound: Vec::new(),
                outbound: Vec::new(),
                members: Vec::new(),
                skipped_permissions: Vec::new(),
                doubts: Vec::new(),
            };
            for (egress, perms, field) in [
                (false, &it.ip_permissions, "IpPermissions"),
                (true, &it.ip_permissions_egress, "IpPermissionsEgress"),
            ] {
                for (pi, perm) in perms.iter().enumerate() {
                    let ptr = format!("{}/{field}/{pi}", g.pointer);
                    let errors = self.t.diagnostics.error_count();
                    let rules = self.sg_rules(scope, owner.as_deref(), perm, g.file, &ptr);
                    if self.t.diagnostics.error_count() > errors {
                        if let Some(d) = self.t.diagnostics.0.last() {
                            sg.skipped_permissions.push(format!(
                                "{}#{}: {}",
                                d.file.as_deref().unwrap_or("?"),
                                d.pointer.as_deref().unwrap_or(""),
                                d.message
                            ));
                        }
                    }
                    if egress {
                        sg.outbound.extend(rules);
                    } else {
                        sg.inbound.extend(rules);
                    }
                }
            }
            sg.doubts = self.doubts_under(g.file, &format!("{}/IpPermissions", g.pointer));
            self.t.security_groups.push(sg);
        }
    }

    fn sg_rules(
        &mut self,
        scope: ScopeIdx,
        owner: Option<&str>,
        perm: &aws::IpPermission,
        file: u32,
        ptr: &str,
    ) -> Vec<SgRule> {
        let Some(protocol) = Protocol::parse(&perm.ip_protocol) else {
            self.diag(
                Severity::Error,
                DiagCode::InvalidValue,
                file,
                &format!("{ptr}/IpProtocol"),
                format!("expected -1, tcp, udp, icmp, icmpv6 or a protocol number, got {:?}; permission skipped", perm.ip_protocol),
            );
            return Vec::new();
        };
        let from = perm.from_port.map(|p| p.0);
        let to = perm.to_port.map(|p| p.0);
        let (ports, icmp) = if protocol.has_ports() {
            if let Some((_, msg)) = from.zip(to).and_then(|(f, t)| one_sided(f, t)) {
                self.diag(
                    Severity::Warning,
                    DiagCode::ImpossibleValue,
                    file,
                    &format!("{ptr}/ToPort"),
                    msg,
                );
            }
            match port_range(from, to) {
                Ok(p) => (p, None),
                Err(msg) => {
                    self.diag(
                        Severity::Error,
                        DiagCode::InvalidValue,
                        file,
                        &format!("{ptr}/FromPort"),
                        format!("{msg}; permission skipped"),
                    );
                    return Vec::new();
                }
            }
        } else if protocol.is_icmp() {
            match icmp_match(from, to) {
                Ok(m) => (None, m),
                Err(msg) => {
                    self.diag(
                        Severity::Error,
                        DiagCode::InvalidValue,
                        file,
                        &format!("{ptr}/FromPort"),
                        format!("{msg}; permission skipped"),
                    );
                    return Vec::new();
                }
            }
        } else {
            (None, None)
        };
        let rule = |peer: SgPeer, description: Option<String>| SgRule {
            protocol,
            ports,
            icmp,
            peer,
            description,
            pointer: ptr.to_string(),
        };
        let mut out = Vec::new();
        for (i, r) in perm.ip_ranges.iter().enumerate() {
            let cidr = self.network(
                IpNet::V4(r.cidr_ip.0),
                file,
                &format!("{ptr}/IpRanges/{i}/CidrIp"),
            );
            out.push(rule(SgPeer::Cidr { cidr }, r.description.clone()));
        }
        for (i, r) in perm.ipv6_ranges.iter().enumerate() {
            let cidr = self.network(
                IpNet::V6(r.cidr_ipv6.0),
                file,
                &format!("{ptr}/Ipv6Ranges/{i}/CidrIpv6"),
            );
            out.push(rule(SgPeer::Cidr { cidr }, r.description.clone()));
        }
        for (i, p) in perm.prefix_list_ids.iter().enumerate() {
            let pl: Ref<PrefixListIdx> = self.find(scope, Kind::PrefixList, &p.prefix_list_id);
            if pl.idx.is_none() {
                self.diag(
                    Severity::Warning,
                    DiagCode::DanglingReference,
                    file,
                    &format!("{ptr}/PrefixListIds/{i}/PrefixListId"),
                    format!("prefix list {} is not in the snapshot: this rule matches nothing (UNRESOLVED_PREFIX_LIST)", p.prefix_list_id),
                );
            }
            out.push(rule(
                SgPeer::PrefixList { prefix_list: pl },
                p.description.clone(),
            ));
        }
        for (i, pair) in perm.user_id_group_pairs.iter().enumerate() {
            let Some(gid) = pair.group_id.clone().filter(|g| !g.is_empty()) else {
                self.diag(
                    Severity::Warning,
                    DiagCode::MissingField,
                    file,
                    &format!("{ptr}/UserIdGroupPairs/{i}"),
                    "group pair without GroupId (EC2-Classic name reference?); ignored".into(),
                );
                continue;
            };
            let sc = &self.t.scopes[scope.i()];
            let account = pair
                .user_id
                .clone()
                .or(owner.map(str::to_string))
                .unwrap_or(sc.account.clone());
            let group: Ref<SecurityGroupIdx> =
                self.find_in(scope, Some(&account), None, Kind::SecurityGroup, &gid);
            let resolution = if group.idx.is_some() {
                GroupResolution::Resolved
            } else if self.rejected_note(&gid).is_some()
                || (self.t.has_account(&account)
                    && !self.t.completeness.affecting("SecurityGroups").is_empty())
            {
                GroupResolution::NotLoaded
            } else if self.t.has_account(&account) {
                GroupResolution::Stale
            } else {
                GroupResolution::UnknownAccount
            };
            let gptr = format!("{ptr}/UserIdGroupPairs/{i}/GroupId");
            match resolution {
                GroupResolution::Stale => self.diag(
                    Severity::Warning,
                    DiagCode::DanglingReference,
                    file,
                    &gptr,
                    format!("security group {gid} (account {account}) is not in the snapshot: the rule matches nothing (STALE_SG_REFERENCE)"),
                ),
                GroupResolution::UnknownAccount => self.diag(
                    Severity::Note,
                    DiagCode::DanglingReference,
                    file,
                    &gptr,
                    format!("security group {gid} belongs to account {account}, which is not in the snapshot: the rule matches nothing (UNKNOWN_PEERED_SGS)"),
                ),
                GroupResolution::NotLoaded => {
                    let why = self
                        .t
                        .completeness
                        .why_absent("SecurityGroups", &gid)
                        .map(|w| w.strip_prefix(gid.as_str()).unwrap_or(&w).trim().to_string())
                        .unwrap_or_default();
                    self.diag(
                        Severity::Warning,
                        DiagCode::DanglingReference,
                        file,
                        &gptr,
                        format!("security group {gid} {why}: whether this rule matches is unknown (SNAPSHOT_INCOMPLETE)"),
                    )
                }
                GroupResolution::Resolved => {}
            }
            let peering = pair
                .vpc_peering_connection_id
                .as_ref()
                .map(|p| self.find(scope, Kind::VpcPeeringConnection, p));
            out.push(rule(
                SgPeer::Group(GroupReference {
                    group,
                    user_id: pair.user_id.clone(),
                    vpc_id: pair.vpc_id.clone(),
                    peering,
                    peering_status: pair.peering_status.clone(),
                    resolution,
                }),
                pair.description.clone(),
            ));
        }
        out
    }
}
