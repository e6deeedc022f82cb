//! EC2 instances: one per id across reservations, with state, subnet and ENIs.

use super::builder::{name_of, Builder};
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::RawData;
use std::collections::HashSet;

impl Builder {
    /// Drop instances without an id and repeats across reservations (keeping the first).
    pub(super) fn dedupe_instances(&mut self, d: &mut RawData) {
        let mut seen_instances = HashSet::new();
        for r in &mut d.reservations {
            let (file, pointer) = (r.file, r.pointer.clone());
            let mut dropped = Vec::new();
            r.item.instances.retain(|i| {
                if i.instance_id.is_empty() {
                    dropped.push(None);
                    false
                } else if !seen_instances.insert(i.instance_id.clone()) {
                    dropped.push(Some(i.instance_id.clone()));
                    false
                } else {
                    true
                }
            });
            for id in dropped {
                match id {
                    None => self.diag(
                        Severity::Error,
                        DiagCode::MissingField,
                        file,
                        &pointer,
                        "instance without InstanceId; skipped".into(),
                    ),
                    Some(id) => self.diag(
                        Severity::Warning,
                        DiagCode::DuplicateId,
                        file,
                        &pointer,
                        format!(
                            "instance {id} appears in more than one reservation; keeping the first"
                        ),
                    ),
                }
            }
        }
    }

    /// The instances of one scope.
    pub(super) fn construct_instances(&mut self, scope: ScopeIdx, d: &RawData) {
        for r in &d.reservations {
            for (ii, inst) in r.item.instances.iter().enumerate() {
                let ptr = format!("{}/Instances/{ii}", r.pointer);
                let subnet = inst.subnet_id.as_ref().map(|s| {
                    let x: Ref<SubnetIdx> = self.find(scope, Kind::Subnet, s);
                    x
                });
                let state = inst
                    .state
                    .as_ref()
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                let active = state == "running";
                if let Some(s) = &subnet {
                    if active {
                        self.check(s, scope, None, r.file, &format!("{ptr}/SubnetId"), "subnet");
                    }
                }
                let vpc = inst.vpc_id.as_ref().map(|v| self.find(scope, Kind::Vpc, v));
                let network_interfaces = inst
                    .network_interfaces
                    .iter()
                    .filter_map(|n| {
                        self.t
                            .ids
                            .get(scope, Kind::NetworkInterface, &n.network_interface_id)
                            .map(EniIdx)
                    })
                    .collect();
                self.t.instances.push(Instance {
                    id: inst.instance_id.clone(),
                    scope,
                    name: name_of(&inst.tags),
                    state,
                    active,
                    subnet,
                    vpc,
                    network_interfaces,
                    instance_profile: inst
                        .iam_instance_profile
                        .as_ref()
                        .and_then(|p| p.arn.clone().or(p.id.clone())),
                    platform: inst.platform.clone().or(inst.platform_details.clone()),
                    private_ip: inst.private_ip_address.map(|x| x.0),
                    public_ip: inst.public_ip_address.map(|x| x.0),
                    source_dest_check: inst.source_dest_check.unwrap_or(true),
                });
            }
        }
    }
}
