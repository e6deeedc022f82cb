//! VPC peering connections: `describe-vpc-peering-connections`.

use super::values::{Cidr4, Cidr6, Tag};
use serde::{Deserialize, Serialize};

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
