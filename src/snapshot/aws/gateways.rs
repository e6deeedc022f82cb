//! Internet, egress-only internet and NAT gateways: `describe-internet-gateways`,
//! `describe-egress-only-internet-gateways`, `describe-nat-gateways`.

use super::values::{Ip4, Tag};
use serde::{Deserialize, Serialize};

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
