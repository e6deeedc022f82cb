//! VPC endpoints and prefix lists: `describe-vpc-endpoints`, `describe-prefix-lists`,
//! `describe-managed-prefix-lists`, `get-managed-prefix-list-entries`.

use super::values::{Cidr, Tag};
use serde::{Deserialize, Serialize};

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
    /// A `Resource` endpoint's resource configuration (PrivateLink resource access).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_configuration_arn: Option<String>,
    /// A `ServiceNetwork` endpoint's VPC Lattice service network.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_network_arn: Option<String>,
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
