//! VPCs: CIDR blocks (associated ones only) and DNS attributes (§1.3 defaults when the
//! snapshot lacks `describe-vpc-attribute`).

use super::builder::{name_of, Builder};
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::{aws, RawData};
use ipnet::{Ipv4Net, Ipv6Net};
use std::collections::HashMap;

/// The associated IPv4 blocks of a VPC (its `CidrBlock` when the association set is empty).
fn v4_blocks(vpc: &aws::Vpc) -> Vec<Ipv4Net> {
    let mut out: Vec<Ipv4Net> = vpc
        .cidr_block_association_set
        .iter()
        .filter(|a| {
            a.cidr_block_state
                .as_ref()
                .is_none_or(|s| s.state.eq_ignore_ascii_case("associated"))
        })
        .filter_map(|a| a.cidr_block.map(|c| c.0.trunc()))
        .collect();
    if out.is_empty() {
        if let Some(c) = vpc.cidr_block {
            out.push(c.0.trunc());
        }
    }
    out
}

/// The associated IPv6 blocks of a VPC.
fn v6_blocks(vpc: &aws::Vpc) -> Vec<Ipv6Net> {
    vpc.ipv6_cidr_block_association_set
        .iter()
        .filter(|a| {
            a.ipv6_cidr_block_state
                .as_ref()
                .is_none_or(|s| s.state.eq_ignore_ascii_case("associated"))
        })
        .filter_map(|a| a.ipv6_cidr_block.map(|c| c.0.trunc()))
        .collect()
}

/// `EnableDnsSupport` and `EnableDnsHostnames` per VPC id, from `describe-vpc-attribute`.
pub(super) fn dns_attributes(d: &RawData) -> HashMap<String, (Option<bool>, Option<bool>)> {
    let mut vpc_attributes: HashMap<String, (Option<bool>, Option<bool>)> = HashMap::new();
    for a in &d.vpc_attributes {
        let e = vpc_attributes.entry(a.item.vpc_id.clone()).or_default();
        if let Some(v) = &a.item.enable_dns_support {
            e.0 = Some(v.value);
        }
        if let Some(v) = &a.item.enable_dns_hostnames {
            e.1 = Some(v.value);
        }
    }
    vpc_attributes
}

impl Builder {
    /// The VPCs of one scope.
    pub(super) fn construct_vpcs(
        &mut self,
        scope: ScopeIdx,
        d: &RawData,
        vpc_attributes: &HashMap<String, (Option<bool>, Option<bool>)>,
    ) {
        for v in &d.vpcs {
            let it = &v.item;
            let attrs = vpc_attributes.get(&it.vpc_id).copied().unwrap_or_default();
            let dns_assumed = attrs.0.is_none() || attrs.1.is_none();
            let vpc = Vpc {
                id: it.vpc_id.clone(),
                scope,
                owner: it.owner_id.clone(),
                name: name_of(&it.tags),
                is_default: it.is_default,
                cidrs_v4: v4_blocks(it),
                cidrs_v6: v6_blocks(it),
                dns_support: attrs.0.unwrap_or(true),
                dns_hostnames: attrs.1.unwrap_or(it.is_default),
                dns_assumed,
                subnets: Vec::new(),
                main_route_table: None,
                default_network_acl: None,
            };
            // Blocks with host bits set are read as their network (v4_blocks), not silently.
            let raw =
                it.cidr_block
                    .iter()
                    .map(|c| ("CidrBlock".to_string(), c.0))
                    .chain(it.cidr_block_association_set.iter().enumerate().filter_map(
                        |(i, a)| {
                            a.cidr_block
                                .map(|c| (format!("CidrBlockAssociationSet/{i}/CidrBlock"), c.0))
                        },
                    ));
            for (field, c) in raw.collect::<Vec<_>>() {
                let at = format!("{}/{field}", v.pointer);
                self.network(ipnet::IpNet::V4(c), v.file, &at);
            }
            if vpc.cidrs_v4.is_empty() && vpc.cidrs_v6.is_empty() {
                self.diag(
                    Severity::Warning,
                    DiagCode::MissingField,
                    v.file,
                    &v.pointer,
                    format!("VPC {} has no associated CIDR block", it.vpc_id),
                );
            }
            self.t.vpcs.push(vpc);
        }
    }
}
