//! Pass 1 of the model build, per scope: duplicate ids removed (identical copies silently,
//! differing ones with a warning), objects that several outputs describe merged (prefix lists,
//! TGW attachments, ENIs nested in instances), and every object's arena index reserved.

use super::builder::Builder;
use super::network_interface::all_network_interfaces;
use super::prefix_list::MergedPrefixList;
use super::transit_gateway::{merge_tgw_attachments, MergedAttachment};
use super::vpc::dns_attributes;
use crate::diag::{DiagCode, Severity};
use crate::model::*;
use crate::snapshot::{aws, Located, RawData};
use std::collections::HashMap;

/// One scope after pass 1.
pub(super) struct Prepared {
    pub(super) data: RawData,
    pub(super) enis: Vec<Located<aws::NetworkInterface>>,
    pub(super) prefix_lists: Vec<MergedPrefixList>,
    pub(super) attachments: Vec<MergedAttachment>,
    pub(super) vpc_attributes: HashMap<String, (Option<bool>, Option<bool>)>,
}

/// Remove elements with an empty id (error) and duplicates: identical copies silently (the first
/// kept); copies that differ are all dropped, the id recorded as failed to load: which
/// one AWS holds is unknown, and JSON order must not decide it.
fn dedupe<T: PartialEq>(
    b: &mut Builder,
    list: &mut Vec<Located<T>>,
    kind: &str,
    id_field: &str,
    id_of: impl Fn(&T) -> &str,
) {
    let mut seen: FastMap<&str, usize> =
        FastMap::with_capacity_and_hasher(list.len(), Default::default());
    let mut keep = Vec::with_capacity(list.len());
    let mut conflicting: Vec<String> = Vec::new();
    for (i, el) in list.iter().enumerate() {
        let id = id_of(&el.item);
        if id.is_empty() {
            b.diag(
                Severity::Error,
                DiagCode::MissingField,
                el.file,
                &el.pointer,
                format!("{kind} without {id_field}; element skipped"),
            );
            keep.push(false);
            continue;
        }
        match seen.get(id) {
            Some(&first) => {
                if list[first].item != el.item {
                    let first_at =
                        format!("{}#{}", b.file_name(list[first].file), list[first].pointer);
                    let message = format!(
                        "{kind} {id} appears again with different content ({first_at}): which copy AWS holds is unknown, so neither is used"
                    );
                    b.diag(
                        Severity::Warning,
                        DiagCode::DuplicateId,
                        el.file,
                        &el.pointer,
                        message.clone(),
                    );
                    b.rejected.push(crate::model::RejectedElement {
                        id: id.to_string(),
                        key: super::builder::kind_key(kind)
                            .unwrap_or(id_field)
                            .to_string(),
                        file: b.file_name(el.file).to_string(),
                        pointer: el.pointer.clone(),
                        message,
                    });
                    conflicting.push(id.to_string());
                }
                keep.push(false);
            }
            None => {
                seen.insert(id, i);
                keep.push(true);
            }
        }
    }
    for (i, el) in list.iter().enumerate() {
        if conflicting.iter().any(|c| c == id_of(&el.item)) {
            keep[i] = false;
        }
    }
    let mut k = keep.into_iter();
    list.retain(|_| k.next().unwrap_or(false));
}

impl Builder {
    /// Pass 1 for one scope, without the ids (a scope builder of its own may run it on
    /// another core; [`Builder::reserve_prepared`] then registers the ids in scope order).
    pub(super) fn prepare(&mut self, mut d: RawData) -> Prepared {
        // Before dedupe drops them: NACLs and route tables without an id or with differing
        // copies make their subnets unknown (never the default NACL or main table, never
        // whichever copy comes first).
        let names = |f: u32| self.file_name(f).to_string();
        let acls = super::unknown_containers::unknown_network_acls(&d.network_acls, &names);
        let tables = super::unknown_containers::unknown_route_tables(&d.route_tables, &names);
        d.unreadable_network_acls.extend(acls);
        d.unreadable_route_tables.extend(tables);
        dedupe(self, &mut d.vpcs, "VPC", "VpcId", |x| &x.vpc_id);
        dedupe(self, &mut d.subnets, "subnet", "SubnetId", |x| &x.subnet_id);
        dedupe(
            self,
            &mut d.route_tables,
            "route table",
            "RouteTableId",
            |x| &x.route_table_id,
        );
        dedupe(
            self,
            &mut d.network_acls,
            "network ACL",
            "NetworkAclId",
            |x| &x.network_acl_id,
        );
        dedupe(
            self,
            &mut d.security_groups,
            "security group",
            "GroupId",
            |x| &x.group_id,
        );
        dedupe(
            self,
            &mut d.network_interfaces,
            "network interface",
            "NetworkInterfaceId",
            |x| &x.network_interface_id,
        );
        dedupe(
            self,
            &mut d.internet_gateways,
            "internet gateway",
            "InternetGatewayId",
            |x| &x.internet_gateway_id,
        );
        dedupe(
            self,
            &mut d.egress_only_internet_gateways,
            "egress-only internet gateway",
            "EgressOnlyInternetGatewayId",
            |x| &x.egress_only_internet_gateway_id,
        );
        dedupe(
            self,
            &mut d.nat_gateways,
            "NAT gateway",
            "NatGatewayId",
            |x| &x.nat_gateway_id,
        );
        dedupe(
            self,
            &mut d.vpc_endpoints,
            "VPC endpoint",
            "VpcEndpointId",
            |x| &x.vpc_endpoint_id,
        );
        dedupe(
            self,
            &mut d.vpc_peering_connections,
            "VPC peering connection",
            "VpcPeeringConnectionId",
            |x| &x.vpc_peering_connection_id,
        );
        dedupe(
            self,
            &mut d.transit_gateways,
            "transit gateway",
            "TransitGatewayId",
            |x| &x.transit_gateway_id,
        );
        dedupe(
            self,
            &mut d.transit_gateway_attachments,
            "transit gateway attachment",
            "TransitGatewayAttachmentId",
            |x| &x.transit_gateway_attachment_id,
        );
        dedupe(
            self,
            &mut d.transit_gateway_vpc_attachments,
            "transit gateway VPC attachment",
            "TransitGatewayAttachmentId",
            |x| &x.transit_gateway_attachment_id,
        );
        dedupe(
            self,
            &mut d.transit_gateway_route_tables,
            "transit gateway route table",
            "TransitGatewayRouteTableId",
            |x| &x.transit_gateway_route_table_id,
        );
        dedupe(
            self,
            &mut d.cache_subnet_groups,
            "cache subnet group",
            "CacheSubnetGroupName",
            |x| &x.cache_subnet_group_name,
        );
        dedupe(
            self,
            &mut d.cache_clusters,
            "cache cluster",
            "CacheClusterId",
            |x| &x.cache_cluster_id,
        );
        dedupe(
            self,
            &mut d.replication_groups,
            "replication group",
            "ReplicationGroupId",
            |x| &x.replication_group_id,
        );
        dedupe(
            self,
            &mut d.serverless_caches,
            "serverless cache",
            "ServerlessCacheName",
            |x| &x.serverless_cache_name,
        );

        self.dedupe_instances(&mut d);
        let enis = all_network_interfaces(&mut d);
        let pls = self.merge_prefix_lists(&d);
        let atts = merge_tgw_attachments(&mut d);
        let vpc_attributes = dns_attributes(&d);
        Prepared {
            data: d,
            enis,
            prefix_lists: pls,
            attachments: atts,
            vpc_attributes,
        }
    }

    /// Pass 1's ids of one prepared scope, registered at the next arena positions.
    pub(super) fn reserve_prepared(&mut self, scope: ScopeIdx, p: &Prepared) {
        let (d, enis, pls, atts) = (&p.data, &p.enis, &p.prefix_lists, &p.attachments);
        // Register ids in the order pass 2 will construct the objects: pass 2 appends to the
        // arenas scope by scope in this same order, so the reserved positions are the indices.
        let reg = |b: &mut Builder, kind: Kind, ids: Vec<String>| b.reserve(scope, kind, &ids);
        reg(
            self,
            Kind::Vpc,
            d.vpcs.iter().map(|x| x.item.vpc_id.clone()).collect(),
        );
        reg(
            self,
            Kind::Subnet,
            d.subnets.iter().map(|x| x.item.subnet_id.clone()).collect(),
        );
        reg(
            self,
            Kind::RouteTable,
            d.route_tables
                .iter()
                .map(|x| x.item.route_table_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::NetworkAcl,
            d.network_acls
                .iter()
                .map(|x| x.item.network_acl_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::SecurityGroup,
            d.security_groups
                .iter()
                .map(|x| x.item.group_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::NetworkInterface,
            enis.iter()
                .map(|x| x.item.network_interface_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::Instance,
            d.reservations
                .iter()
                .flat_map(|r| r.item.instances.iter().map(|i| i.instance_id.clone()))
                .collect(),
        );
        reg(
            self,
            Kind::InternetGateway,
            d.internet_gateways
                .iter()
                .map(|x| x.item.internet_gateway_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::EgressOnlyInternetGateway,
            d.egress_only_internet_gateways
                .iter()
                .map(|x| x.item.egress_only_internet_gateway_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::NatGateway,
            d.nat_gateways
                .iter()
                .map(|x| x.item.nat_gateway_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::VpcEndpoint,
            d.vpc_endpoints
                .iter()
                .map(|x| x.item.vpc_endpoint_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::PrefixList,
            pls.iter().map(|p| p.id.clone()).collect(),
        );
        reg(
            self,
            Kind::VpcPeeringConnection,
            d.vpc_peering_connections
                .iter()
                .map(|x| x.item.vpc_peering_connection_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::TransitGateway,
            d.transit_gateways
                .iter()
                .map(|x| x.item.transit_gateway_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::TransitGatewayAttachment,
            atts.iter().map(|a| a.id().to_string()).collect(),
        );
        reg(
            self,
            Kind::TransitGatewayRouteTable,
            d.transit_gateway_route_tables
                .iter()
                .map(|x| x.item.transit_gateway_route_table_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::CacheSubnetGroup,
            d.cache_subnet_groups
                .iter()
                .map(|x| x.item.cache_subnet_group_name.clone())
                .collect(),
        );
        reg(
            self,
            Kind::CacheCluster,
            d.cache_clusters
                .iter()
                .map(|x| x.item.cache_cluster_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::ReplicationGroup,
            d.replication_groups
                .iter()
                .map(|x| x.item.replication_group_id.clone())
                .collect(),
        );
        reg(
            self,
            Kind::ServerlessCache,
            d.serverless_caches
                .iter()
                .map(|x| x.item.serverless_cache_name.clone())
                .collect(),
        );
    }
}
