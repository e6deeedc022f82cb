//! One scope (account/region) of a synthetic organisation: its prefix list, transit gateway
//! and peerings, then each of its VPCs (network in `network.rs`, workloads in `workloads.rs`).
//! Also the shape of a requester-managed ENI (NAT, transit gateway, cache node).

use super::*;

/// Everything one account/region holds, in the shapes of the AWS CLI files.
#[derive(Default)]
pub(super) struct ScopeData {
    pub(super) vpcs: Vec<aws::Vpc>,
    pub(super) vpc_attributes: Vec<aws::VpcAttribute>,
    pub(super) subnets: Vec<aws::Subnet>,
    pub(super) route_tables: Vec<aws::RouteTable>,
    pub(super) network_acls: Vec<aws::NetworkAcl>,
    pub(super) security_groups: Vec<aws::SecurityGroup>,
    pub(super) reservations: Vec<aws::Reservation>,
    pub(super) network_interfaces: Vec<aws::NetworkInterface>,
    pub(super) addresses: Vec<aws::Address>,
    pub(super) internet_gateways: Vec<aws::InternetGateway>,
    pub(super) nat_gateways: Vec<aws::NatGateway>,
    pub(super) prefix_lists: Vec<aws::PrefixList>,
    pub(super) prefix_list_entries: Vec<aws::ManagedPrefixListEntries>,
    pub(super) peerings: Vec<aws::VpcPeeringConnection>,
    pub(super) tgws: Vec<aws::TransitGateway>,
    pub(super) tgw_attachments: Vec<aws::TransitGatewayAttachment>,
    pub(super) tgw_vpc_attachments: Vec<aws::TransitGatewayVpcAttachment>,
    pub(super) tgw_route_tables: Vec<aws::TransitGatewayRouteTable>,
    pub(super) tgw_associations: Vec<aws::TgwAssociationsWrapper>,
    pub(super) tgw_propagations: Vec<aws::TgwPropagationsWrapper>,
    pub(super) cache_clusters: Vec<aws::CacheCluster>,
    pub(super) replication_groups: Vec<aws::ReplicationGroup>,
    pub(super) cache_subnet_groups: Vec<aws::CacheSubnetGroup>,
}

/// Subnets of one VPC while it is being filled.
pub(super) struct SubnetSlot {
    pub(super) id: String,
    pub(super) az: String,
    pub(super) base: u32,
    pub(super) next_host: u32,
    pub(super) public: bool,
}

impl SubnetSlot {
    pub(super) fn take(&mut self) -> Option<Ipv4Addr> {
        if self.next_host > LAST_HOST {
            return None;
        }
        let a = Ipv4Addr::from(self.base + self.next_host);
        self.next_host += 1;
        Some(a)
    }
}

pub(super) struct Gen<'a> {
    pub(super) spec: &'a OrgSpec,
    pub(super) plan: &'a Plan,
    pub(super) rng: Rng,
    pub(super) ids: &'a mut Ids,
    pub(super) public_ip: &'a mut u32,
    pub(super) summary: &'a mut SynthSummary,
    pub(super) samples: &'a mut [VpcSamples],
    /// Plan peering index → peering connection id, for the private route tables.
    pub(super) peering_ids: BTreeMap<usize, String>,
}

impl Gen<'_> {
    pub(super) fn next_public_ip(&mut self) -> aws::Ip4 {
        // 52.0.0.0/10 and onwards: public space, never 10/8.
        let a = (52u32 << 24) + 256 + *self.public_ip;
        *self.public_ip += 1;
        aws::Ip4(Ipv4Addr::from(a))
    }

    pub(super) fn scope(&mut self, s: usize) -> io::Result<ScopeData> {
        let plan = self.plan;
        let sp = &plan.scopes[s];
        let account = sp.account.clone();
        let region = sp.region;
        let mut d = ScopeData::default();

        // Customer-managed prefix list of office and VPN ranges.
        let pl_id = self.ids.id("pl");
        d.prefix_lists.push(aws::PrefixList {
            prefix_list_id: pl_id.clone(),
            prefix_list_name: Some("corp-office-ranges".into()),
            address_family: Some("IPv4".into()),
            owner_id: Some(account.clone()),
            state: Some("create-complete".into()),
            tags: tags("corp-office-ranges"),
            ..Default::default()
        });
        let mut entries = Vec::new();
        for (c, desc) in [
            (OFFICE, "office"),
            ("198.51.100.0/24", "vpn"),
            ("192.0.2.0/26", "partner"),
        ] {
            let cidr = c
                .parse::<IpNet>()
                .map_err(|e| invalid(e.to_string()))
                .map(aws::Cidr)?;
            entries.push(aws::PrefixListEntry {
                cidr,
                description: Some(desc.into()),
            });
        }
        d.prefix_list_entries.push(aws::ManagedPrefixListEntries {
            prefix_list_id: pl_id.clone(),
            entries,
        });

        // Transit gateway of the scope.
        let tgw = if sp.tgw {
            let tgw_id = self.ids.id("tgw");
            let rtb_id = self.ids.id("tgw-rtb");
            d.tgws.push(aws::TransitGateway {
                transit_gateway_id: tgw_id.clone(),
                transit_gateway_arn: Some(format!(
                    "arn:aws:ec2:{region}:{account}:transit-gateway/{tgw_id}"
                )),
                state: "available".into(),
                owner_id: Some(account.clone()),
                creation_time: Some(timestamp(&mut self.rng)),
                options: Some(aws::TransitGatewayOptions {
                    amazon_side_asn: Some(64512),
                    default_route_table_association: Some("enable".into()),
                    association_default_route_table_id: Some(rtb_id.clone()),
                    default_route_table_propagation: Some("enable".into()),
                    propagation_default_route_table_id: Some(rtb_id.clone()),
                    security_group_referencing_support: Some("disable".into()),
                    dns_support: Some("enable".into()),
                }),
                tags: tags(&format!("tgw-{region}")),
            });
            d.tgw_route_tables.push(aws::TransitGatewayRouteTable {
                transit_gateway_route_table_id: rtb_id.clone(),
                transit_gateway_id: tgw_id.clone(),
                state: "available".into(),
                default_association_route_table: true,
                default_propagation_route_table: true,
                creation_time: Some(timestamp(&mut self.rng)),
                tags: tags("tgw-default"),
            });
            d.tgw_associations.push(aws::TgwAssociationsWrapper {
                transit_gateway_route_table_id: rtb_id.clone(),
                associations: Vec::new(),
            });
            d.tgw_propagations.push(aws::TgwPropagationsWrapper {
                transit_gateway_route_table_id: rtb_id.clone(),
                transit_gateway_route_table_propagations: Vec::new(),
            });
            self.summary.transit_gateways += 1;
            Some((tgw_id, rtb_id))
        } else {
            None
        };

        // Peering connections of the scope (ids are known from the plan).
        for &p in &sp.peerings {
            let pp = &plan.peerings[p];
            let info = |v: usize| -> io::Result<aws::PeeringVpcInfo> {
                let vp = &plan.vpcs[v];
                Ok(aws::PeeringVpcInfo {
                    vpc_id: Some(vp.id.clone()),
                    owner_id: Some(account.clone()),
                    region: Some(region.into()),
                    cidr_block: Some(cidr4(vp.base, 20)?),
                    cidr_block_set: vec![aws::CidrBlockItem {
                        cidr_block: cidr4(vp.base, 20)?,
                    }],
                    ipv6_cidr_block_set: Vec::new(),
                })
            };
            d.peerings.push(aws::VpcPeeringConnection {
                vpc_peering_connection_id: pp.id.clone(),
                status: Some(aws::PeeringStatus {
                    code: "active".into(),
                    message: Some("Active".into()),
                }),
                requester_vpc_info: Some(info(pp.a)?),
                accepter_vpc_info: Some(info(pp.b)?),
                tags: tags(&format!(
                    "{}-to-{}",
                    plan.vpcs[pp.a].name, plan.vpcs[pp.b].name
                )),
            });
            self.peering_ids.insert(p, pp.id.clone());
            self.summary.peerings += 1;
        }

        for &v in &sp.vpcs {
            self.vpc(v, &account, region, &pl_id, tgw.as_ref(), &mut d)?;
        }
        Ok(d)
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn managed_eni(
    id: &str,
    subnet: &SubnetSlot,
    vpc_id: &str,
    account: &str,
    ip: Ipv4Addr,
    description: &str,
    interface_type: &str,
    requester: &str,
    groups: Vec<aws::GroupIdentifier>,
    association: Option<aws::IpAssociation>,
) -> aws::NetworkInterface {
    aws::NetworkInterface {
        network_interface_id: id.into(),
        subnet_id: Some(subnet.id.clone()),
        vpc_id: Some(vpc_id.into()),
        availability_zone: Some(subnet.az.clone()),
        description: Some(description.into()),
        groups,
        interface_type: Some(interface_type.into()),
        requester_id: Some(requester.into()),
        requester_managed: Some(true),
        source_dest_check: Some(false),
        status: Some("in-use".into()),
        private_ip_address: Some(aws::Ip4(ip)),
        private_ip_addresses: vec![aws::PrivateIpAddress {
            private_ip_address: Some(aws::Ip4(ip)),
            primary: true,
            association: association.clone(),
        }],
        association,
        attachment: Some(aws::EniAttachment {
            instance_owner_id: Some(if requester == "amazon-elasticache" {
                requester.into()
            } else {
                "amazon-aws".into()
            }),
            status: Some("attached".into()),
            device_index: Some(1),
            ..Default::default()
        }),
        owner_id: Some(account.into()),
        ..Default::default()
    }
}
