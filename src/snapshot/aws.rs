//! Serde shapes of the AWS CLI's JSON output (`aws ec2 describe-*`, `aws elasticache describe-*`).
//!
//! These types mirror the vendor shapes field for field (PascalCase, same nesting) for the fields
//! vpcreach uses; every other field is ignored on input. They serialize back to the same shapes,
//! which is how `vpcreach collect` writes a snapshot. Nothing past the `model` layer sees them.
//!
//! Values that the engine depends on are validated while parsing, so that a bad value is reported
//! with the file and the JSON pointer where it stands: CIDRs ([`Cidr4`], [`Cidr6`]), addresses
//! ([`Ip4`], [`Ip6`]) and port numbers ([`AwsPort`]).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

// ---------------------------------------------------------------------------------------------
// Validated scalar values
// ---------------------------------------------------------------------------------------------

macro_rules! parsed_string_type {
    ($(#[$doc:meta])* $name:ident, $inner:ty, $expect:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                s.trim()
                    .parse::<$inner>()
                    .map($name)
                    .map_err(|_| serde::de::Error::custom(format!(concat!("expected ", $expect, ", got {:?}"), s)))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

parsed_string_type!(
    /// An IPv4 CIDR block such as `10.0.0.0/16`.
    Cidr4, ipnet::Ipv4Net, "an IPv4 CIDR block like \"10.0.0.0/16\""
);
parsed_string_type!(
    /// An IPv6 CIDR block such as `2600:1f18::/56`.
    Cidr6, ipnet::Ipv6Net, "an IPv6 CIDR block like \"2600:1f18::/56\""
);
parsed_string_type!(
    /// A CIDR block of either family (prefix-list entries).
    Cidr, ipnet::IpNet, "a CIDR block like \"10.0.0.0/16\" or \"2600:1f18::/56\""
);
parsed_string_type!(
    /// An IPv4 address.
    Ip4, Ipv4Addr, "an IPv4 address like \"10.0.1.5\""
);
parsed_string_type!(
    /// An IPv6 address.
    Ip6, Ipv6Addr, "an IPv6 address like \"2600:1f18::5\""
);

/// A port number as AWS prints it: `-1` (all) or 0..=65535. For ICMP rules the same fields carry
/// a type or code, also within this range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct AwsPort(pub i32);

impl<'de> Deserialize<'de> for AwsPort {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        if (-1..=65535).contains(&v) {
            Ok(AwsPort(v as i32))
        } else {
            Err(serde::de::Error::custom(format!(
                "expected a port number from -1 to 65535, got {v}"
            )))
        }
    }
}

/// A NACL rule number: 1..=32766 for user rules, 32767/32768 for the final deny-all entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RuleNumber(pub u16);

impl<'de> Deserialize<'de> for RuleNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        if (1..=32768).contains(&v) {
            Ok(RuleNumber(v as u16))
        } else {
            Err(serde::de::Error::custom(format!(
                "expected a NACL rule number from 1 to 32768, got {v}"
            )))
        }
    }
}

/// `{"Key": ..., "Value": ...}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// `{"Value": true}` as printed by `describe-vpc-attribute`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeBool {
    pub value: bool,
}

/// `{"State": "associated"}` and similar nested states.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct StateOnly {
    pub state: String,
}

// ---------------------------------------------------------------------------------------------
// EC2
// ---------------------------------------------------------------------------------------------

/// `describe-vpcs` → `Vpcs[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Vpc {
    pub vpc_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<Cidr4>,
    pub cidr_block_association_set: Vec<VpcCidrAssociation>,
    pub ipv6_cidr_block_association_set: Vec<VpcIpv6CidrAssociation>,
    pub is_default: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcCidrAssociation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<Cidr4>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidr_block_state: Option<StateOnly>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcIpv6CidrAssociation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block: Option<Cidr6>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block_state: Option<StateOnly>,
}

/// `describe-vpc-attribute` output, or one element of the `VpcAttributes` wrapper.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcAttribute {
    pub vpc_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_dns_support: Option<AttributeBool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_dns_hostnames: Option<AttributeBool>,
}

/// `describe-subnets` → `Subnets[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Subnet {
    pub subnet_id: String,
    pub vpc_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<Cidr4>,
    pub ipv6_cidr_block_association_set: Vec<SubnetIpv6CidrAssociation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    pub map_public_ip_on_launch: bool,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SubnetIpv6CidrAssociation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block: Option<Cidr6>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block_state: Option<StateOnly>,
}

/// `describe-route-tables` → `RouteTables[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RouteTable {
    pub route_table_id: String,
    pub vpc_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    pub associations: Vec<RouteTableAssociation>,
    pub routes: Vec<Route>,
    pub propagating_vgws: Vec<PropagatingVgw>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RouteTableAssociation {
    pub main: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_table_association_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route_table_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association_state: Option<StateOnly>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PropagatingVgw {
    pub gateway_id: String,
}

/// One route of a VPC route table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Route {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_cidr_block: Option<Cidr4>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_ipv6_cidr_block: Option<Cidr6>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_prefix_list_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nat_gateway_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_gateway_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_peering_connection_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub egress_only_internet_gateway_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_gateway_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier_gateway_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub core_network_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// `describe-network-acls` → `NetworkAcls[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkAcl {
    pub network_acl_id: String,
    pub vpc_id: String,
    pub is_default: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    pub associations: Vec<NetworkAclAssociation>,
    pub entries: Vec<NetworkAclEntry>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkAclAssociation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_acl_association_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_acl_id: Option<String>,
    pub subnet_id: String,
}

/// One NACL entry. `RuleNumber`, `Protocol`, `RuleAction` and `Egress` are required.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclEntry {
    pub rule_number: RuleNumber,
    pub protocol: String,
    pub rule_action: String,
    pub egress: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<Cidr4>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_cidr_block: Option<Cidr6>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_range: Option<PortRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icmp_type_code: Option<IcmpTypeCode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortRange {
    pub from: AwsPort,
    pub to: AwsPort,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IcmpTypeCode {
    #[serde(default = "minus_one")]
    pub r#type: AwsPort,
    #[serde(default = "minus_one")]
    pub code: AwsPort,
}

fn minus_one() -> AwsPort {
    AwsPort(-1)
}

/// `describe-security-groups` → `SecurityGroups[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SecurityGroup {
    pub group_id: String,
    pub group_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    pub ip_permissions: Vec<IpPermission>,
    pub ip_permissions_egress: Vec<IpPermission>,
    pub tags: Vec<Tag>,
}

/// One `IpPermissions[]` element: a protocol/port range and its peers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IpPermission {
    pub ip_protocol: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_port: Option<AwsPort>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_port: Option<AwsPort>,
    pub ip_ranges: Vec<IpRange>,
    pub ipv6_ranges: Vec<Ipv6Range>,
    pub prefix_list_ids: Vec<PrefixListIdRef>,
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpRange {
    pub cidr_ip: Cidr4,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv6Range {
    pub cidr_ipv6: Cidr6,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListIdRef {
    pub prefix_list_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserIdGroupPair {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_peering_connection_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peering_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `describe-instances` → `Reservations[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Reservation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    pub instances: Vec<Instance>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Instance {
    pub instance_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<InstanceState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<Ip4>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_ip_address: Option<Ip4>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_dest_check: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iam_instance_profile: Option<IamInstanceProfile>,
    pub network_interfaces: Vec<InstanceNetworkInterface>,
    pub security_groups: Vec<GroupIdentifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform_details: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InstanceState {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IamInstanceProfile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Placement {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GroupIdentifier {
    pub group_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

/// An ENI as `describe-instances` nests it (a subset of [`NetworkInterface`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InstanceNetworkInterface {
    pub network_interface_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub groups: Vec<GroupIdentifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interface_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_dest_check: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<Ip4>,
    pub private_ip_addresses: Vec<PrivateIpAddress>,
    pub ipv6_addresses: Vec<Ipv6AddressItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association: Option<IpAssociation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
}

/// `describe-network-interfaces` → `NetworkInterfaces[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkInterface {
    pub network_interface_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub groups: Vec<GroupIdentifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interface_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester_managed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_dest_check: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<Ip4>,
    pub private_ip_addresses: Vec<PrivateIpAddress>,
    pub ipv6_addresses: Vec<Ipv6AddressItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association: Option<IpAssociation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment: Option<EniAttachment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deny_all_igw_traffic: Option<bool>,
    pub tag_set: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PrivateIpAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<Ip4>,
    pub primary: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association: Option<IpAssociation>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IpAssociation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ip4>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Ipv6AddressItem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6_address: Option<Ip6>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EniAttachment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_index: Option<i64>,
}

/// `describe-addresses` → `Addresses[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Address {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ip4>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<Ip4>,
    pub tags: Vec<Tag>,
}

/// `describe-internet-gateways` → `InternetGateways[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InternetGateway {
    pub internet_gateway_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    pub attachments: Vec<GatewayAttachment>,
    pub tags: Vec<Tag>,
}

/// `describe-egress-only-internet-gateways` → `EgressOnlyInternetGateways[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EgressOnlyInternetGateway {
    pub egress_only_internet_gateway_id: String,
    pub attachments: Vec<GatewayAttachment>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GatewayAttachment {
    pub state: String,
    pub vpc_id: String,
}

/// `describe-nat-gateways` → `NatGateways[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NatGateway {
    pub nat_gateway_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connectivity_type: Option<String>,
    pub nat_gateway_addresses: Vec<NatGatewayAddress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NatGatewayAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<Ip4>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ip4>,
}

/// `describe-vpc-endpoints` → `VpcEndpoints[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcEndpoint {
    pub vpc_endpoint_id: String,
    pub vpc_endpoint_type: String,
    pub vpc_id: String,
    pub service_name: String,
    pub state: String,
    pub route_table_ids: Vec<String>,
    pub subnet_ids: Vec<String>,
    pub groups: Vec<SecurityGroupIdentifier>,
    pub private_dns_enabled: bool,
    pub network_interface_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    pub tags: Vec<Tag>,
}

/// `{"GroupId": ..., "GroupName": ...}` as in `VpcEndpoints[].Groups`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SecurityGroupIdentifier {
    pub group_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

/// `describe-prefix-lists` (with `Cidrs`) or `describe-managed-prefix-lists` (without) →
/// `PrefixLists[]`; items merge by id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PrefixList {
    pub prefix_list_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_list_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidrs: Option<Vec<Cidr>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    pub tags: Vec<Tag>,
}

/// `ManagedPrefixListEntries[]` wrapper: one `get-managed-prefix-list-entries` output with its id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ManagedPrefixListEntries {
    pub prefix_list_id: String,
    pub entries: Vec<PrefixListEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListEntry {
    pub cidr: Cidr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `describe-vpc-peering-connections` → `VpcPeeringConnections[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcPeeringConnection {
    pub vpc_peering_connection_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PeeringStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester_vpc_info: Option<PeeringVpcInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepter_vpc_info: Option<PeeringVpcInfo>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PeeringStatus {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PeeringVpcInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidr_block: Option<Cidr4>,
    pub cidr_block_set: Vec<CidrBlockItem>,
    pub ipv6_cidr_block_set: Vec<Ipv6CidrBlockItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CidrBlockItem {
    pub cidr_block: Cidr4,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ipv6CidrBlockItem {
    pub ipv6_cidr_block: Cidr6,
}

/// `describe-transit-gateways` → `TransitGateways[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransitGateway {
    pub transit_gateway_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_gateway_arn: Option<String>,
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<TransitGatewayOptions>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransitGatewayOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amazon_side_asn: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_route_table_association: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association_default_route_table_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_route_table_propagation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub propagation_default_route_table_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group_referencing_support: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_support: Option<String>,
}

/// `describe-transit-gateway-attachments` → `TransitGatewayAttachments[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransitGatewayAttachment {
    pub transit_gateway_attachment_id: String,
    pub transit_gateway_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_gateway_owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub association: Option<TgwAttachmentAssociation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TgwAttachmentAssociation {
    pub transit_gateway_route_table_id: String,
    pub state: String,
}

/// `describe-transit-gateway-vpc-attachments` → `TransitGatewayVpcAttachments[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransitGatewayVpcAttachment {
    pub transit_gateway_attachment_id: String,
    pub transit_gateway_id: String,
    pub vpc_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_owner_id: Option<String>,
    pub state: String,
    pub subnet_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<TgwVpcAttachmentOptions>,
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TgwVpcAttachmentOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_support: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6_support: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appliance_mode_support: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group_referencing_support: Option<String>,
}

/// `describe-transit-gateway-route-tables` → `TransitGatewayRouteTables[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransitGatewayRouteTable {
    pub transit_gateway_route_table_id: String,
    pub transit_gateway_id: String,
    pub state: String,
    pub default_association_route_table: bool,
    pub default_propagation_route_table: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<String>,
    pub tags: Vec<Tag>,
}

/// One route as `search-transit-gateway-routes` prints it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransitGatewayRoute {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_cidr_block: Option<Cidr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_list_id: Option<String>,
    pub transit_gateway_attachments: Vec<TgwRouteAttachment>,
    #[serde(rename = "Type")]
    pub route_type: String,
    pub state: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TgwRouteAttachment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    pub transit_gateway_attachment_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
}

/// Wrapper `TransitGatewayRoutes[]` (vpcreach) and `TransitGatewayStaticRoutes[]` (Batfish): the
/// routes of one TGW route table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TgwRouteTableRoutes {
    pub transit_gateway_route_table_id: String,
    pub additional_routes_available: bool,
    pub routes: Vec<TransitGatewayRoute>,
}

/// One element of `get-transit-gateway-route-table-associations` / `-propagations` output.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TgwRouteTableBinding {
    pub transit_gateway_attachment_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    pub state: String,
}

/// Wrapper `TransitGatewayPropagations[]` (Batfish shape).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TgwPropagationsWrapper {
    pub transit_gateway_route_table_id: String,
    pub transit_gateway_route_table_propagations: Vec<TgwRouteTableBinding>,
}

/// Wrapper `TransitGatewayAssociations[]` (vpcreach).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TgwAssociationsWrapper {
    pub transit_gateway_route_table_id: String,
    pub associations: Vec<TgwRouteTableBinding>,
}

// ---------------------------------------------------------------------------------------------
// ElastiCache
// ---------------------------------------------------------------------------------------------

/// `{"Address": ..., "Port": ...}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheEndpoint {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<AwsPort>,
}

/// `elasticache describe-cache-clusters --show-cache-node-info` → `CacheClusters[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheCluster {
    pub cache_cluster_id: String,
    #[serde(rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_cluster_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_cache_nodes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_availability_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_endpoint: Option<CacheEndpoint>,
    pub cache_nodes: Vec<CacheNode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_subnet_group_name: Option<String>,
    pub security_groups: Vec<CacheSecurityGroupMembership>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication_group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_encryption_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_token_enabled: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheNode {
    pub cache_node_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_node_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<CacheEndpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_availability_zone: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheSecurityGroupMembership {
    pub security_group_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// `elasticache describe-replication-groups` → `ReplicationGroups[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ReplicationGroup {
    pub replication_group_id: String,
    #[serde(rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    pub member_clusters: Vec<String>,
    pub node_groups: Vec<NodeGroup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_endpoint: Option<CacheEndpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_encryption_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_token_enabled: Option<bool>,
    pub user_group_ids: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NodeGroup {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_endpoint: Option<CacheEndpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reader_endpoint: Option<CacheEndpoint>,
}

/// `elasticache describe-cache-subnet-groups` → `CacheSubnetGroups[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheSubnetGroup {
    pub cache_subnet_group_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    pub subnets: Vec<CacheSubnet>,
    #[serde(rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheSubnet {
    pub subnet_identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_availability_zone: Option<CacheAz>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CacheAz {
    pub name: String,
}

/// `elasticache describe-serverless-caches` → `ServerlessCaches[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ServerlessCache {
    pub serverless_cache_name: String,
    #[serde(rename = "ARN", skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_engine_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<CacheEndpoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reader_endpoint: Option<CacheEndpoint>,
    pub security_group_ids: Vec<String>,
    pub subnet_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_group_id: Option<String>,
}
