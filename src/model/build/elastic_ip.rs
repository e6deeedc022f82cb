//! Elastic IPs, and the public addresses they and NAT gateways give ENI private addresses once
//! all objects exist.

use super::builder::Builder;
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::RawData;

impl Builder {
    /// The elastic IPs of one scope.
    pub(super) fn construct_elastic_ips(&mut self, scope: ScopeIdx, d: &RawData) {
        for a in &d.addresses {
            let it = &a.item;
            let eni = it.network_interface_id.as_ref().map(|e| {
                self.find_checked(
                    scope,
                    Kind::NetworkInterface,
                    e,
                    a.file,
                    &format!("{}/NetworkInterfaceId", a.pointer),
                    "network interface",
                )
            });
            self.t.elastic_ips.push(ElasticIp {
                scope,
                public_ip: it.public_ip.map(|x| x.0),
                allocation_id: it.allocation_id.clone(),
                network_interface: eni,
                instance_id: it.instance_id.clone(),
                private_ip: it.private_ip_address.map(|x| x.0),
            });
        }
    }

    /// Public IPs from elastic IPs and NAT gateway addresses onto the ENI addresses.
    pub(super) fn link_public_ips(&mut self) {
        let mut notes = Vec::new();
        let t = &mut self.t;
        for eip in &t.elastic_ips {
            let (Some(Some(e)), Some(public)) =
                (eip.network_interface.as_ref().map(|r| r.idx), eip.public_ip)
            else {
                continue;
            };
            let eni = &mut t.network_interfaces[e.i()];
            let slot = match eip.private_ip {
                Some(p) => eni.private_ips.iter_mut().find(|x| x.address == p),
                None => eni.private_ips.iter_mut().find(|x| x.primary),
            };
            match slot {
                Some(s) if s.public_ip.is_none() => {
                    s.public_ip = Some(public);
                    notes.push((Severity::Note, format!("public IP {public} of {} taken from describe-addresses (the ENI data had no association)", eni.id)));
                }
                Some(s) if s.public_ip != Some(public) => notes.push((
                    Severity::Warning,
                    format!("elastic IP {public} is associated with {} {} but the ENI shows public IP {}", eni.id, s.address, s.public_ip.map(|x| x.to_string()).unwrap_or_default()),
                )),
                Some(_) => {}
                None => notes.push((Severity::Warning, format!("elastic IP {public} names private address {} which {} does not have", eip.private_ip.map(|a| a.to_string()).unwrap_or_else(|| "(none)".into()), eni.id))),
            }
        }
        for n in &t.nat_gateways {
            for a in &n.addresses {
                let (Some(Some(e)), Some(private)) =
                    (a.network_interface.as_ref().map(|r| r.idx), a.private_ip)
                else {
                    continue;
                };
                let eni = &mut t.network_interfaces[e.i()];
                if let Some(s) = eni.private_ips.iter_mut().find(|x| x.address == private) {
                    if s.public_ip.is_none() {
                        s.public_ip = a.public_ip;
                    }
                }
            }
        }
        for (sev, msg) in notes {
            let code = if sev == Severity::Note {
                DiagCode::AssumedDefault
            } else {
                DiagCode::Inconsistent
            };
            self.t
                .diagnostics
                .push(crate::diag::Diagnostic::new(sev, code, msg));
        }
    }
}
