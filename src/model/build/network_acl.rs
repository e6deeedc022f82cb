//! Network ACLs: subnet associations and entries, sorted by rule number with the implicit final
//! deny-all entries present.

use super::builder::{name_of, Builder};
use super::rule_ports::{icmp_match, port_range};
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::{aws, RawData};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};

impl Builder {
    /// The network ACLs of one scope.
    pub(super) fn construct_network_acls(&mut self, scope: ScopeIdx, d: &RawData) {
        for n in &d.network_acls {
            let it = &n.item;
            let vpc = self.find_checked(
                scope,
                Kind::Vpc,
                &it.vpc_id,
                n.file,
                &format!("{}/VpcId", n.pointer),
                "VPC",
            );
            let mut acl = NetworkAcl {
                id: it.network_acl_id.clone(),
                scope,
                vpc,
                name: name_of(&it.tags),
                is_default: it.is_default,
                subnets: Vec::new(),
                inbound: Vec::new(),
                outbound: Vec::new(),
                lost_entries: Vec::new(),
                doubts: Vec::new(),
            };
            for (ai, a) in it.associations.iter().enumerate() {
                let ptr = format!("{}/Associations/{ai}/SubnetId", n.pointer);
                let sref: Ref<SubnetIdx> =
                    self.find_checked(scope, Kind::Subnet, &a.subnet_id, n.file, &ptr, "subnet");
                if let Some(si) = sref.idx {
                    acl.subnets.push(si);
                }
            }
            for (ei, e) in it.entries.iter().enumerate() {
                let ptr = format!("{}/Entries/{ei}", n.pointer);
                if let Some(entry) = self.nacl_entry(e, n.file, &ptr) {
                    if e.egress {
                        acl.outbound.push(entry);
                    } else {
                        acl.inbound.push(entry);
                    }
                }
            }
            for list in [&mut acl.inbound, &mut acl.outbound] {
                finish_nacl_entries(list);
            }
            for (dir, list) in [("inbound", &acl.inbound), ("outbound", &acl.outbound)] {
                for number in duplicate_numbers(list) {
                    self.diag(
                        Severity::Warning,
                        DiagCode::Inconsistent,
                        n.file,
                        &format!("{}/Entries", n.pointer),
                        format!(
                            "{} has two {dir} entries numbered {number}: the deny is evaluated first (whatever their order in the file)",
                            acl.id
                        ),
                    );
                }
            }
            acl.lost_entries = self.lost_under(n.file, &format!("{}/Entries/", n.pointer));
            acl.doubts = self.doubts_under(n.file, &format!("{}/Entries", n.pointer));
            self.t.network_acls.push(acl);
        }
    }

    fn nacl_entry(&mut self, e: &aws::NetworkAclEntry, file: u32, ptr: &str) -> Option<NaclEntry> {
        let Some(protocol) = Protocol::parse(&e.protocol) else {
            self.diag(
                Severity::Error,
                DiagCode::InvalidValue,
                file,
                &format!("{ptr}/Protocol"),
                format!(
                    "expected a protocol number (-1 or 0-255), got {:?}; entry skipped",
                    e.protocol
                ),
            );
            return None;
        };
        let action = match e.rule_action.to_ascii_lowercase().as_str() {
            // 32767 is AWS's reserved default rule (`*`), always a deny: an allow there is no
            // entry AWS can hold. Read as the deny it is, with a warning (fail closed).
            "allow" if e.rule_number.0 == 32767 => {
                self.diag(
                    Severity::Warning,
                    DiagCode::ImpossibleValue,
                    file,
                    &format!("{ptr}/RuleAction"),
                    "entry 32767 (the reserved default rule) says allow; AWS's default rule always denies: read as deny".into(),
                );
                RuleAction::Deny
            }
            "allow" => RuleAction::Allow,
            "deny" => RuleAction::Deny,
            other => {
                self.diag(
                    Severity::Error,
                    DiagCode::InvalidValue,
                    file,
                    &format!("{ptr}/RuleAction"),
                    format!("expected \"allow\" or \"deny\", got {other:?}; entry skipped"),
                );
                return None;
            }
        };
        let cidr = match (e.cidr_block, e.ipv6_cidr_block) {
            (Some(c), _) => self.network(IpNet::V4(c.0), file, &format!("{ptr}/CidrBlock")),
            (None, Some(c)) => self.network(IpNet::V6(c.0), file, &format!("{ptr}/Ipv6CidrBlock")),
            (None, None) => {
                self.diag(
                    Severity::Error,
                    DiagCode::MissingField,
                    file,
                    ptr,
                    "NACL entry without CidrBlock or Ipv6CidrBlock; entry skipped".into(),
                );
                return None;
            }
        };
        let ports = if protocol.has_ports() {
            match e.port_range.as_ref() {
                Some(pr) => match port_range(Some(pr.from.0), Some(pr.to.0)) {
                    Ok(p) => p,
                    Err(msg) => {
                        self.diag(
                            Severity::Error,
                            DiagCode::InvalidValue,
                            file,
                            &format!("{ptr}/PortRange"),
                            format!("{msg}; entry skipped"),
                        );
                        return None;
                    }
                },
                None => None,
            }
        } else {
            None
        };
        let icmp = if protocol.is_icmp() {
            match e.icmp_type_code.as_ref() {
                Some(tc) => match icmp_match(Some(tc.r#type.0), Some(tc.code.0)) {
                    Ok(m) => m,
                    Err(msg) => {
                        self.diag(
                            Severity::Error,
                            DiagCode::InvalidValue,
                            file,
                            &format!("{ptr}/IcmpTypeCode"),
                            format!("{msg}; entry skipped"),
                        );
                        return None;
                    }
                },
                None => None,
            }
        } else {
            None
        };
        Some(NaclEntry {
            rule_number: e.rule_number.0,
            action,
            protocol,
            cidr,
            ports,
            icmp,
            synthesized: false,
        })
    }
}

/// Sort entries by rule number (N2) and add the final deny-all entries if missing (N3).
pub(super) fn finish_nacl_entries(list: &mut Vec<NaclEntry>) {
    for (number, cidr) in [
        (32767u16, IpNet::V4(Ipv4Net::default())),
        (32768u16, IpNet::V6(Ipv6Net::default())),
    ] {
        let family_v4 = matches!(cidr, IpNet::V4(_));
        let present = list.iter().any(|e| {
            e.rule_number == number
                || (e.rule_number >= 32767 && matches!(e.cidr, IpNet::V4(_)) == family_v4)
        });
        if !present {
            list.push(NaclEntry {
                rule_number: number,
                action: RuleAction::Deny,
                protocol: Protocol::All,
                cidr,
                ports: None,
                icmp: None,
                synthesized: true,
            });
        }
    }
    // Two entries with one number and direction (AWS refuses that, a hand-edited snapshot may
    // not): the deny is evaluated first, so the answer does not depend on JSON order.
    list.sort_by_key(|e| (e.rule_number, e.action != RuleAction::Deny));
}

/// Rule numbers below the final entries held by more than one entry of `list`.
fn duplicate_numbers(list: &[NaclEntry]) -> Vec<u16> {
    let mut out: Vec<u16> = list
        .windows(2)
        .filter(|w| w[0].rule_number == w[1].rule_number && w[0].rule_number < 32767)
        .map(|w| w[0].rule_number)
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nacl_final_deny_is_added_and_sorted() {
        let e = |n, c: &str| NaclEntry {
            rule_number: n,
            action: RuleAction::Allow,
            protocol: Protocol::All,
            cidr: c.parse().unwrap_or_else(|_| IpNet::V4(Ipv4Net::default())),
            ports: None,
            icmp: None,
            synthesized: false,
        };
        let mut list = vec![e(101, "0.0.0.0/0"), e(100, "0.0.0.0/0")];
        finish_nacl_entries(&mut list);
        let numbers: Vec<u16> = list.iter().map(|x| x.rule_number).collect();
        assert_eq!(numbers, vec![100, 101, 32767, 32768]);
        assert!(list[2].synthesized && list[2].action == RuleAction::Deny);
    }
}
