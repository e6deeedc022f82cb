//! VPCs: `describe-vpcs` and `describe-vpc-attribute`.

use super::values::{AttributeBool, Cidr4, Cidr6, StateOnly, Tag};
use serde::{Deserialize, Serialize};

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
