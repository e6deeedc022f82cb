//! Transit gateways: `describe-transit-gateways`, its attachments and route tables, their routes,
//! associations and propagations (and the Batfish wrapper shapes).

use super::values::{Cidr, Tag};
use serde::{Deserialize, Serialize};

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

/// `describe-transit-gateway-peering-attachments` → `TransitGatewayPeeringAttachments[]`: the
/// two transit gateways a peering attachment joins (T11).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TransitGatewayPeeringAttachment {
    pub transit_gateway_attachment_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester_tgw_info: Option<PeeringTgwInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepter_tgw_info: Option<PeeringTgwInfo>,
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<String>,
    pub tags: Vec<Tag>,
}

/// One side of a TGW peering attachment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PeeringTgwInfo {
    pub transit_gateway_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}
