//! EC2 SDK types → the project's serde shapes ([`crate::snapshot::aws`]).
//!
//! The SDK's types have no serde; these functions copy the fields vpcreach models into the AWS
//! CLI's JSON shapes, so a collected snapshot reads exactly like `aws ec2 describe-*` output.
//! Values that fail validation (a CIDR that does not parse) are left out of optional fields; a
//! list element whose required value is invalid is dropped. AWS never sends such values.

use super::convert_util::{cidr, cidr4, cidr6, date, en, ip4, ip6, os, port, s, tags};
use crate::snapshot::aws;
use aws_sdk_ec2::types as sdk;

/// `Vpcs[]`.
pub fn vpc(v: &sdk::Vpc) -> aws::Vpc {
    aws::Vpc {
        vpc_id: s(v.vpc_id()),
        owner_id: os(v.owner_id()),
        cidr_block: cidr4(v.cidr_block()),
        cidr_block_association_set: v
            .cidr_block_association_set()
            .iter()
            .map(|a| aws::VpcCidrAssociation {
                association_id: os(a.association_id()),
                cidr_block: cidr4(a.cidr_block()),
                cidr_block_state: a.cidr_block_state().map(|st| aws::StateOnly {
                    state: en!(st.state()).unwrap_or_default(),
                }),
            })
            .collect(),
        ipv6_cidr_block_association_set: v
            .ipv6_cidr_block_association_set()
            .iter()
            .map(|a| aws::VpcIpv6CidrAssociation {
                association_id: os(a.association_id()),
                ipv6_cidr_block: cidr6(a.ipv6_cidr_block()),
                ipv6_cidr_block_state: a.ipv6_cidr_block_state().map(|st| aws::StateOnly {
                    state: en!(st.state()).unwrap_or_default(),
                }),
            })
            .collect(),
        is_default: v.is_default().unwrap_or(false),
        state: en!(v.state()),
        tags: tags(v.tags()),
    }
}

/// `Subnets[]`.
pub fn subnet(v: &sdk::Subnet) -> aws::Subnet {
    aws::Subnet {
        subnet_id: s(v.subnet_id()),
        vpc_id: s(v.vpc_id()),
        cidr_block: cidr4(v.cidr_block()),
        ipv6_cidr_block_association_set: v
            .ipv6_cidr_block_association_set()
            .iter()
            .map(|a| aws::SubnetIpv6CidrAssociation {
                association_id: os(a.association_id()),
                ipv6_cidr_block: cidr6(a.ipv6_cidr_block()),
                ipv6_cidr_block_state: a.ipv6_cidr_block_state().map(|st| aws::StateOnly {
                    state: en!(st.state()).unwrap_or_default(),
                }),
            })
            .collect(),
        availability_zone: os(v.availability_zone()),
        availability_zone_id: os(v.availability_zone_id()),
        owner_id: os(v.owner_id()),
        subnet_arn: os(v.subnet_arn()),
        state: en!(v.state()),
        map_public_ip_on_launch: v.map_public_ip_on_launch().unwrap_or(false),
        tags: tags(v.tags()),
    }
}

/// `RouteTables[]`.
pub fn route_table(v: &sdk::RouteTable) -> aws::RouteTable {
    aws::RouteTable {
        route_table_id: s(v.route_table_id()),
        vpc_id: s(v.vpc_id()),
        owner_id: os(v.owner_id()),
        associations: v
            .associations()
            .iter()
            .map(|a| aws::RouteTableAssociation {
                main: a.main().unwrap_or(false),
                route_table_association_id: os(a.route_table_association_id()),
                route_table_id: os(a.route_table_id()),
                subnet_id: os(a.subnet_id()),
                gateway_id: os(a.gateway_id()),
                association_state: a.association_state().map(|st| aws::StateOnly {
                    state: en!(st.state()).unwrap_or_default(),
                }),
            })
            .collect(),
        routes: v.routes().iter().map(route).collect(),
        propagating_vgws: v
            .propagating_vgws()
            .iter()
            .map(|p| aws::PropagatingVgw {
                gateway_id: s(p.gateway_id()),
            })
            .collect(),
        tags: tags(v.tags()),
    }
}

fn route(r: &sdk::Route) -> aws::Route {
    aws::Route {
        destination_cidr_block: cidr4(r.destination_cidr_block()),
        destination_ipv6_cidr_block: cidr6(r.destination_ipv6_cidr_block()),
        destination_prefix_list_id: os(r.destination_prefix_list_id()),
        gateway_id: os(r.gateway_id()),
        nat_gateway_id: os(r.nat_gateway_id()),
        transit_gateway_id: os(r.transit_gateway_id()),
        vpc_peering_connection_id: os(r.vpc_peering_connection_id()),
        network_interface_id: os(r.network_interface_id()),
        instance_id: os(r.instance_id()),
        instance_owner_id: os(r.instance_owner_id()),
        egress_only_internet_gateway_id: os(r.egress_only_internet_gateway_id()),
        local_gateway_id: os(r.local_gateway_id()),
        carrier_gateway_id: os(r.carrier_gateway_id()),
        core_network_arn: os(r.core_network_arn()),
        origin: en!(r.origin()),
        state: en!(r.state()),
    }
}

/// `NetworkAcls[]`.
pub fn network_acl(v: &sdk::NetworkAcl) -> aws::NetworkAcl {
    aws::NetworkAcl {
        network_acl_id: s(v.network_acl_id()),
        vpc_id: s(v.vpc_id()),
        is_default: v.is_default().unwrap_or(false),
        owner_id: os(v.owner_id()),
        associations: v
            .associations()
            .iter()
            .map(|a| aws::NetworkAclAssociation {
                network_acl_association_id: os(a.network_acl_association_id()),
                network_acl_id: os(a.network_acl_id()),
                subnet_id: s(a.subnet_id()),
            })
            .collect(),
        entries: v.entries().iter().filter_map(nacl_entry).collect(),
        tags: tags(v.tags()),
    }
}

fn nacl_entry(e: &sdk::NetworkAclEntry) -> Option<aws::NetworkAclEntry> {
    let number = e.rule_number().and_then(|n| u16::try_from(n).ok())?;
    Some(aws::NetworkAclEntry {
        rule_number: aws::RuleNumber(number),
        protocol: s(e.protocol()),
        rule_action: en!(e.rule_action()).unwrap_or_default(),
        egress: e.egress().unwrap_or(false),
        cidr_block: cidr4(e.cidr_block()),
        ipv6_cidr_block: cidr6(e.ipv6_cidr_block()),
        port_range: e.port_range().map(|p| aws::PortRange {
            from: port(p.from()),
            to: port(p.to()),
        }),
        icmp_type_code: e.icmp_type_code().map(|i| aws::IcmpTypeCode {
            r#type: port(i.r#type()),
            code: port(i.code()),
        }),
    })
}

/// `SecurityGroups[]`.
pub fn security_group(v: &sdk::SecurityGroup) -> aws::SecurityGroup {
    aws::SecurityGroup {
        group_id: s(v.group_id()),
        group_name: s(v.group_name()),
        description: os(v.description()),
        vpc_id: os(v.vpc_id()),
        owner_id: os(v.owner_id()),
        ip_permissions: v.ip_permissions().iter().map(ip_permission).collect(),
        ip_permissions_egress: v
            .ip_permissions_egress()
            .iter()
            .map(ip_permission)
            .collect(),
        tags: tags(v.tags()),
    }
}

fn ip_permission(p: &sdk::IpPermission) -> aws::IpPermission {
    aws::IpPermission {
        ip_protocol: s(p.ip_protocol()),
        from_port: p.from_port().map(|n| port(Some(n))),
        to_port: p.to_port().map(|n| port(Some(n))),
        ip_ranges: p
            .ip_ranges()
            .iter()
            .filter_map(|r| {
                Some(aws::IpRange {
                    cidr_ip: cidr4(r.cidr_ip())?,
                    description: os(r.description()),
                })
            })
            .collect(),
        ipv6_ranges: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| {
                Some(aws::Ipv6Range {
                    cidr_ipv6: cidr6(r.cidr_ipv6())?,
                    description: os(r.description()),
                })
            })
            .collect(),
        prefix_list_ids: p
            .prefix_list_ids()
            .iter()
            .map(|r| aws::PrefixListIdRef {
                prefix_list_id: s(r.prefix_list_id()),
                description: os(r.description()),
            })
            .collect(),
        user_id_group_pairs: p
            .user_id_group_pairs()
            .iter()
            .map(|g| aws::UserIdGroupPair {
                group_id: os(g.group_id()),
                group_name: os(g.group_name()),
                user_id: os(g.user_id()),
                vpc_id: os(g.vpc_id()),
                vpc_peering_connection_id: os(g.vpc_peering_connection_id()),
                peering_status: os(g.peering_status()),
                description: os(g.description()),
            })
            .collect(),
    }
}

fn group(g: &sdk::GroupIdentifier) -> aws::GroupIdentifier {
    aws::GroupIdentifier {
        group_id: s(g.group_id()),
        group_name: os(g.group_name()),
    }
}

/// `Reservations[]`.
pub fn reservation(v: &sdk::Reservation) -> aws::Reservation {
    aws::Reservation {
        reservation_id: os(v.reservation_id()),
        owner_id: os(v.owner_id()),
        instances: v.instances().iter().map(instance).collect(),
    }
}

fn instance(i: &sdk::Instance) -> aws::Instance {
    aws::Instance {
        instance_id: s(i.instance_id()),
        state: i.state().map(|st| aws::InstanceState {
            code: st.code().map(i64::from),
            name: en!(st.name()).unwrap_or_default(),
        }),
        subnet_id: os(i.subnet_id()),
        vpc_id: os(i.vpc_id()),
        private_ip_address: ip4(i.private_ip_address()),
        public_ip_address: ip4(i.public_ip_address()),
        source_dest_check: i.source_dest_check(),
        iam_instance_profile: i.iam_instance_profile().map(|p| aws::IamInstanceProfile {
            arn: os(p.arn()),
            id: os(p.id()),
        }),
        network_interfaces: i.network_interfaces().iter().map(instance_eni).collect(),
        security_groups: i.security_groups().iter().map(group).collect(),
        placement: i.placement().map(|p| aws::Placement {
            availability_zone: os(p.availability_zone()),
        }),
        platform: en!(i.platform()),
        platform_details: os(i.platform_details()),
        instance_type: en!(i.instance_type()),
        tags: tags(i.tags()),
    }
}

fn instance_eni(n: &sdk::InstanceNetworkInterface) -> aws::InstanceNetworkInterface {
    aws::InstanceNetworkInterface {
        network_interface_id: s(n.network_interface_id()),
        subnet_id: os(n.subnet_id()),
        vpc_id: os(n.vpc_id()),
        description: os(n.description()),
        groups: n.groups().iter().map(group).collect(),
        interface_type: os(n.interface_type()),
        source_dest_check: n.source_dest_check(),
        status: en!(n.status()),
        private_ip_address: ip4(n.private_ip_address()),
        private_ip_addresses: n
            .private_ip_addresses()
            .iter()
            .map(|p| aws::PrivateIpAddress {
                private_ip_address: ip4(p.private_ip_address()),
                primary: p.primary().unwrap_or(false),
                association: p.association().map(|a| aws::IpAssociation {
                    public_ip: ip4(a.public_ip()),
                    ip_owner_id: os(a.ip_owner_id()),
                    allocation_id: None,
                }),
            })
            .collect(),
        ipv6_addresses: n
            .ipv6_addresses()
            .iter()
            .map(|a| aws::Ipv6AddressItem {
                ipv6_address: ip6(a.ipv6_address()),
            })
            .collect(),
        association: n.association().map(|a| aws::IpAssociation {
            public_ip: ip4(a.public_ip()),
            ip_owner_id: os(a.ip_owner_id()),
            allocation_id: None,
        }),
        owner_id: os(n.owner_id()),
    }
}

/// `NetworkInterfaces[]`.
pub fn network_interface(n: &sdk::NetworkInterface) -> aws::NetworkInterface {
    let assoc = |a: &sdk::NetworkInterfaceAssociation| aws::IpAssociation {
        public_ip: ip4(a.public_ip()),
        ip_owner_id: os(a.ip_owner_id()),
        allocation_id: os(a.allocation_id()),
    };
    aws::NetworkInterface {
        network_interface_id: s(n.network_interface_id()),
        subnet_id: os(n.subnet_id()),
        vpc_id: os(n.vpc_id()),
        availability_zone: os(n.availability_zone()),
        description: os(n.description()),
        groups: n.groups().iter().map(group).collect(),
        interface_type: en!(n.interface_type()),
        requester_id: os(n.requester_id()),
        requester_managed: n.requester_managed(),
        source_dest_check: n.source_dest_check(),
        status: en!(n.status()),
        private_ip_address: ip4(n.private_ip_address()),
        private_ip_addresses: n
            .private_ip_addresses()
            .iter()
            .map(|p| aws::PrivateIpAddress {
                private_ip_address: ip4(p.private_ip_address()),
                primary: p.primary().unwrap_or(false),
                association: p.association().map(assoc),
            })
            .collect(),
        ipv6_addresses: n
            .ipv6_addresses()
            .iter()
            .map(|a| aws::Ipv6AddressItem {
                ipv6_address: ip6(a.ipv6_address()),
            })
            .collect(),
        association: n.association().map(assoc),
        attachment: n.attachment().map(|a| aws::EniAttachment {
            instance_id: os(a.instance_id()),
            instance_owner_id: os(a.instance_owner_id()),
            status: en!(a.status()),
            device_index: a.device_index().map(i64::from),
        }),
        owner_id: os(n.owner_id()),
        deny_all_igw_traffic: n.deny_all_igw_traffic(),
        tag_set: tags(n.tag_set()),
    }
}

/// `Addresses[]`.
pub fn address(a: &sdk::Address) -> aws::Address {
    aws::Address {
        public_ip: ip4(a.public_ip()),
        allocation_id: os(a.allocation_id()),
        association_id: os(a.association_id()),
        domain: en!(a.domain()),
        instance_id: os(a.instance_id()),
        network_interface_id: os(a.network_interface_id()),
        private_ip_address: ip4(a.private_ip_address()),
        tags: tags(a.tags()),
    }
}

/// `InternetGateways[]`.
pub fn internet_gateway(g: &sdk::InternetGateway) -> aws::InternetGateway {
    aws::InternetGateway {
        internet_gateway_id: s(g.internet_gateway_id()),
        owner_id: os(g.owner_id()),
        attachments: g.attachments().iter().map(igw_attachment).collect(),
        tags: tags(g.tags()),
    }
}

fn igw_attachment(a: &sdk::InternetGatewayAttachment) -> aws::GatewayAttachment {
    aws::GatewayAttachment {
        state: en!(a.state()).unwrap_or_default(),
        vpc_id: s(a.vpc_id()),
    }
}

/// `EgressOnlyInternetGateways[]`.
pub fn egress_only_internet_gateway(
    g: &sdk::EgressOnlyInternetGateway,
) -> aws::EgressOnlyInternetGateway {
    aws::EgressOnlyInternetGateway {
        egress_only_internet_gateway_id: s(g.egress_only_internet_gateway_id()),
        attachments: g.attachments().iter().map(igw_attachment).collect(),
        tags: tags(g.tags()),
    }
}

/// `NatGateways[]`.
pub fn nat_gateway(g: &sdk::NatGateway) -> aws::NatGateway {
    aws::NatGateway {
        nat_gateway_id: s(g.nat_gateway_id()),
        vpc_id: os(g.vpc_id()),
        subnet_id: os(g.subnet_id()),
        state: en!(g.state()).unwrap_or_default(),
        connectivity_type: en!(g.connectivity_type()),
        nat_gateway_addresses: g
            .nat_gateway_addresses()
            .iter()
            .map(|a| aws::NatGatewayAddress {
                allocation_id: os(a.allocation_id()),
                network_interface_id: os(a.network_interface_id()),
                private_ip: ip4(a.private_ip()),
                public_ip: ip4(a.public_ip()),
            })
            .collect(),
        create_time: date(g.create_time()),
        tags: tags(g.tags()),
    }
}

/// `VpcEndpoints[]`.
pub fn vpc_endpoint(e: &sdk::VpcEndpoint) -> aws::VpcEndpoint {
    aws::VpcEndpoint {
        vpc_endpoint_id: s(e.vpc_endpoint_id()),
        vpc_endpoint_type: en!(e.vpc_endpoint_type()).unwrap_or_default(),
        vpc_id: s(e.vpc_id()),
        service_name: s(e.service_name()),
        state: en!(e.state()).unwrap_or_default(),
        route_table_ids: e.route_table_ids().to_vec(),
        subnet_ids: e.subnet_ids().to_vec(),
        groups: e
            .groups()
            .iter()
            .map(|g| aws::SecurityGroupIdentifier {
                group_id: s(g.group_id()),
                group_name: os(g.group_name()),
            })
            .collect(),
        private_dns_enabled: e.private_dns_enabled().unwrap_or(false),
        network_interface_ids: e.network_interface_ids().to_vec(),
        owner_id: os(e.owner_id()),
        resource_configuration_arn: os(e.resource_configuration_arn()),
        service_network_arn: os(e.service_network_arn()),
        tags: tags(e.tags()),
    }
}

/// `PrefixLists[]` from `describe-prefix-lists` (AWS-managed, with `Cidrs`).
pub fn prefix_list(p: &sdk::PrefixList) -> aws::PrefixList {
    aws::PrefixList {
        prefix_list_id: s(p.prefix_list_id()),
        prefix_list_name: os(p.prefix_list_name()),
        cidrs: Some(p.cidrs().iter().filter_map(|c| cidr(Some(c))).collect()),
        ..Default::default()
    }
}

/// `PrefixLists[]` from `describe-managed-prefix-lists` (no `Cidrs`).
pub fn managed_prefix_list(p: &sdk::ManagedPrefixList) -> aws::PrefixList {
    aws::PrefixList {
        prefix_list_id: s(p.prefix_list_id()),
        prefix_list_name: os(p.prefix_list_name()),
        cidrs: None,
        address_family: os(p.address_family()),
        owner_id: os(p.owner_id()),
        state: en!(p.state()),
        tags: tags(p.tags()),
    }
}

/// One `get-managed-prefix-list-entries` entry.
pub fn prefix_list_entry(e: &sdk::PrefixListEntry) -> Option<aws::PrefixListEntry> {
    Some(aws::PrefixListEntry {
        cidr: cidr(e.cidr())?,
        description: os(e.description()),
    })
}

/// `VpcPeeringConnections[]`.
pub fn vpc_peering_connection(p: &sdk::VpcPeeringConnection) -> aws::VpcPeeringConnection {
    let info = |i: &sdk::VpcPeeringConnectionVpcInfo| aws::PeeringVpcInfo {
        vpc_id: os(i.vpc_id()),
        owner_id: os(i.owner_id()),
        region: os(i.region()),
        cidr_block: cidr4(i.cidr_block()),
        cidr_block_set: i
            .cidr_block_set()
            .iter()
            .filter_map(|c| {
                Some(aws::CidrBlockItem {
                    cidr_block: cidr4(c.cidr_block())?,
                })
            })
            .collect(),
        ipv6_cidr_block_set: i
            .ipv6_cidr_block_set()
            .iter()
            .filter_map(|c| {
                Some(aws::Ipv6CidrBlockItem {
                    ipv6_cidr_block: cidr6(c.ipv6_cidr_block())?,
                })
            })
            .collect(),
    };
    aws::VpcPeeringConnection {
        vpc_peering_connection_id: s(p.vpc_peering_connection_id()),
        status: p.status().map(|st| aws::PeeringStatus {
            code: en!(st.code()).unwrap_or_default(),
            message: os(st.message()),
        }),
        requester_vpc_info: p.requester_vpc_info().map(info),
        accepter_vpc_info: p.accepter_vpc_info().map(info),
        tags: tags(p.tags()),
    }
}

/// `TransitGateways[]`.
pub fn transit_gateway(t: &sdk::TransitGateway) -> aws::TransitGateway {
    aws::TransitGateway {
        transit_gateway_id: s(t.transit_gateway_id()),
        transit_gateway_arn: os(t.transit_gateway_arn()),
        state: en!(t.state()).unwrap_or_default(),
        owner_id: os(t.owner_id()),
        creation_time: date(t.creation_time()),
        options: t.options().map(|o| aws::TransitGatewayOptions {
            amazon_side_asn: o.amazon_side_asn(),
            default_route_table_association: en!(o.default_route_table_association()),
            association_default_route_table_id: os(o.association_default_route_table_id()),
            default_route_table_propagation: en!(o.default_route_table_propagation()),
            propagation_default_route_table_id: os(o.propagation_default_route_table_id()),
            security_group_referencing_support: en!(o.security_group_referencing_support()),
            dns_support: en!(o.dns_support()),
        }),
        tags: tags(t.tags()),
    }
}

/// `TransitGatewayAttachments[]`.
pub fn transit_gateway_attachment(
    a: &sdk::TransitGatewayAttachment,
) -> aws::TransitGatewayAttachment {
    aws::TransitGatewayAttachment {
        transit_gateway_attachment_id: s(a.transit_gateway_attachment_id()),
        transit_gateway_id: s(a.transit_gateway_id()),
        transit_gateway_owner_id: os(a.transit_gateway_owner_id()),
        resource_owner_id: os(a.resource_owner_id()),
        resource_type: en!(a.resource_type()),
        resource_id: os(a.resource_id()),
        state: en!(a.state()).unwrap_or_default(),
        association: a.association().map(|x| aws::TgwAttachmentAssociation {
            transit_gateway_route_table_id: s(x.transit_gateway_route_table_id()),
            state: en!(x.state()).unwrap_or_default(),
        }),
        creation_time: date(a.creation_time()),
        tags: tags(a.tags()),
    }
}

/// `TransitGatewayVpcAttachments[]`.
pub fn transit_gateway_vpc_attachment(
    a: &sdk::TransitGatewayVpcAttachment,
) -> aws::TransitGatewayVpcAttachment {
    aws::TransitGatewayVpcAttachment {
        transit_gateway_attachment_id: s(a.transit_gateway_attachment_id()),
        transit_gateway_id: s(a.transit_gateway_id()),
        vpc_id: s(a.vpc_id()),
        vpc_owner_id: os(a.vpc_owner_id()),
        state: en!(a.state()).unwrap_or_default(),
        subnet_ids: a.subnet_ids().to_vec(),
        creation_time: date(a.creation_time()),
        options: a.options().map(|o| aws::TgwVpcAttachmentOptions {
            dns_support: en!(o.dns_support()),
            ipv6_support: en!(o.ipv6_support()),
            appliance_mode_support: en!(o.appliance_mode_support()),
            security_group_referencing_support: en!(o.security_group_referencing_support()),
        }),
        tags: tags(a.tags()),
    }
}

/// `TransitGatewayPeeringAttachments[]`.
pub fn transit_gateway_peering_attachment(
    a: &sdk::TransitGatewayPeeringAttachment,
) -> aws::TransitGatewayPeeringAttachment {
    let side = |i: Option<&sdk::PeeringTgwInfo>| {
        i.map(|i| aws::PeeringTgwInfo {
            transit_gateway_id: s(i.transit_gateway_id()),
            owner_id: os(i.owner_id()),
            region: os(i.region()),
        })
    };
    aws::TransitGatewayPeeringAttachment {
        transit_gateway_attachment_id: s(a.transit_gateway_attachment_id()),
        requester_tgw_info: side(a.requester_tgw_info()),
        accepter_tgw_info: side(a.accepter_tgw_info()),
        state: en!(a.state()).unwrap_or_default(),
        creation_time: date(a.creation_time()),
        tags: tags(a.tags()),
    }
}

/// `TransitGatewayRouteTables[]`.
pub fn transit_gateway_route_table(
    t: &sdk::TransitGatewayRouteTable,
) -> aws::TransitGatewayRouteTable {
    aws::TransitGatewayRouteTable {
        transit_gateway_route_table_id: s(t.transit_gateway_route_table_id()),
        transit_gateway_id: s(t.transit_gateway_id()),
        state: en!(t.state()).unwrap_or_default(),
        default_association_route_table: t.default_association_route_table().unwrap_or(false),
        default_propagation_route_table: t.default_propagation_route_table().unwrap_or(false),
        creation_time: date(t.creation_time()),
        tags: tags(t.tags()),
    }
}

/// One `search-transit-gateway-routes` route.
pub fn transit_gateway_route(r: &sdk::TransitGatewayRoute) -> aws::TransitGatewayRoute {
    aws::TransitGatewayRoute {
        destination_cidr_block: cidr(r.destination_cidr_block()),
        prefix_list_id: os(r.prefix_list_id()),
        transit_gateway_attachments: r
            .transit_gateway_attachments()
            .iter()
            .map(|a| aws::TgwRouteAttachment {
                resource_id: os(a.resource_id()),
                transit_gateway_attachment_id: s(a.transit_gateway_attachment_id()),
                resource_type: en!(a.resource_type()),
            })
            .collect(),
        route_type: en!(r.r#type()).unwrap_or_default(),
        state: en!(r.state()).unwrap_or_default(),
    }
}

/// One `get-transit-gateway-route-table-associations` element.
pub fn tgw_association(a: &sdk::TransitGatewayRouteTableAssociation) -> aws::TgwRouteTableBinding {
    aws::TgwRouteTableBinding {
        transit_gateway_attachment_id: s(a.transit_gateway_attachment_id()),
        resource_id: os(a.resource_id()),
        resource_type: en!(a.resource_type()),
        state: en!(a.state()).unwrap_or_default(),
    }
}

/// One `get-transit-gateway-route-table-propagations` element.
pub fn tgw_propagation(a: &sdk::TransitGatewayRouteTablePropagation) -> aws::TgwRouteTableBinding {
    aws::TgwRouteTableBinding {
        transit_gateway_attachment_id: s(a.transit_gateway_attachment_id()),
        resource_id: os(a.resource_id()),
        resource_type: en!(a.resource_type()),
        state: en!(a.state()).unwrap_or_default(),
    }
}
