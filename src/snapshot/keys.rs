//! Top-level key dispatch: which key selects which parser.
//!
//! A snapshot file is recognised by its top-level keys, never by its name. Each known key maps to
//! a list in [`RawData`]; keys of AWS outputs vpcreach knows but does not model are *ignored*
//! (listed per file); outputs that carry no parent id must come wrapped (§1.3 of the semantics
//! reference); anything else is an *unknown* key, reported as a warning.

use super::aws;
pub(crate) use super::element::parse_element;
use super::rejected::{ids_of, Rejected};
use super::salvage::{self, SalvageFn, Unreadable};
use super::strict::Strict;
use crate::diag::{pointer_token, DiagCode, Diagnostic, Diagnostics, Severity};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// One parsed element and where it came from.
#[derive(Clone, Debug)]
pub struct Located<T> {
    pub item: T,
    /// Index into [`super::Snapshot::files`].
    pub file: u32,
    /// JSON pointer of the element in its file.
    pub pointer: String,
}

/// What a top-level key turned out to be, for the per-file report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// Parsed into the model.
    Modelled,
    /// A known AWS output vpcreach does not model.
    Ignored,
    /// Parentless output rejected (needs a wrapper).
    Parentless,
    /// Not known at all.
    Unknown,
}

/// Keys of AWS outputs that are known but not modelled (VPN, Classic Load Balancers, RDS, ...).
pub const IGNORED_KEYS: &[&str] = &[
    "AvailabilityZones",
    "CustomerGateways",
    "VpnGateways",
    "VpnConnections",
    "DirectConnectGateways",
    "DirectConnectGatewayAssociations",
    "VirtualInterfaces",
    "LoadBalancerDescriptions",
    "LoadBalancerAttributes",
    "DBInstances",
    "DBClusters",
    "DomainStatusList",
    "ElasticsearchDomains",
    "ServiceDetails",
    "ServiceNames",
    "VpcEndpointServices",
    "ClientVpnEndpoints",
    "TransitGatewayConnects",
    "DhcpOptions",
    "FlowLogs",
    "CarrierGateways",
    "LocalGateways",
    "NextToken",
];

/// Top-level keys of outputs that carry no parent id; they must be wrapped.
pub const PARENTLESS_KEYS: &[(&str, &str)] = &[
    (
        "Routes",
        "search-transit-gateway-routes output has no route table id: wrap it as {\"TransitGatewayRoutes\": [{\"TransitGatewayRouteTableId\": ..., \"Routes\": [...]}]}",
    ),
    (
        "AdditionalRoutesAvailable",
        "part of a search-transit-gateway-routes output without its route table id: wrap it in TransitGatewayRoutes",
    ),
    (
        "TargetHealthDescriptions",
        "describe-target-health output has no target group ARN: wrap it as {\"LoadBalancerTargetHealth\": [{\"TargetGroupArn\": ..., \"TargetHealthDescriptions\": [...]}]}",
    ),
    (
        "Attributes",
        "describe-target-group-attributes / describe-load-balancer-attributes output has no ARN: wrap it as {\"TargetGroupAttributes\": [{\"TargetGroupArn\": ..., \"Attributes\": [...]}]} / {\"LoadBalancerV2Attributes\": [{\"LoadBalancerArn\": ..., \"Attributes\": [...]}]}",
    ),
    (
        "items",
        "a vpc-lattice list-resource-gateways / list-resource-configurations output lacks subnets, security groups and port ranges: save get-resource-gateway / get-resource-configuration outputs wrapped as {\"ResourceGateways\": [...]} / {\"ResourceConfigurations\": [...]}",
    ),
    (
        "Entries",
        "get-managed-prefix-list-entries output has no prefix list id: wrap it as {\"ManagedPrefixListEntries\": [{\"PrefixListId\": ..., \"Entries\": [...]}]}",
    ),
    (
        "Associations",
        "get-transit-gateway-route-table-associations output has no route table id: wrap it as {\"TransitGatewayAssociations\": [{\"TransitGatewayRouteTableId\": ..., \"Associations\": [...]}]}",
    ),
    (
        "TransitGatewayRouteTablePropagations",
        "get-transit-gateway-route-table-propagations output has no route table id: wrap it as {\"TransitGatewayPropagations\": [{\"TransitGatewayRouteTableId\": ..., \"TransitGatewayRouteTablePropagations\": [...]}]}",
    ),
];

macro_rules! raw_data {
    ($( $key:literal => $field:ident : $ty:ty ),* $(,)?) => {
        /// Everything parsed from the files of one scope, still in AWS shapes.
        #[derive(Clone, Debug, Default)]
        pub struct RawData {
            $( pub $field: Vec<Located<$ty>>, )*
            /// The collect manifest, when this file is one.
            pub manifest: Option<super::manifest::Manifest>,
            /// NACLs that failed to load: their subnets are unknown.
            pub unreadable_network_acls: Vec<Located<Unreadable>>,
            /// Route tables that failed to load: their subnets are unknown.
            pub unreadable_route_tables: Vec<Located<Unreadable>>,
            /// Elements that failed to load (the element's pointer), with the ids they held.
            pub rejected: Vec<Located<Rejected>>,
        }

        /// Every modelled top-level key.
        pub const MODELLED_KEYS: &[&str] = &[$($key),*];

        impl RawData {
            /// Parse the array under `key` into the matching list. Returns `None` when the key
            /// is not a modelled one, else the number of elements accepted.
            pub(crate) fn dispatch(
                &mut self,
                key: &str,
                raw: &RawValue,
                file: u32,
                file_name: &str,
                diags: &mut Diagnostics,
            ) -> Option<usize> {
                // A NACL or route table with one bad entry, route or association keeps the rest.
                match key {
                    "NetworkAcls" => {
                        let salvage: SalvageFn<aws::NetworkAcl> = salvage::network_acl;
                        let fallback = Fallback { salvage, unreadable: salvage::unreadable_network_acl, out: &mut self.unreadable_network_acls };
                        return Some(parse_list(raw, key, (file, file_name), diags, &mut self.network_acls, Some(fallback), &mut self.rejected));
                    }
                    "RouteTables" => {
                        let salvage: SalvageFn<aws::RouteTable> = salvage::route_table;
                        let fallback = Fallback { salvage, unreadable: salvage::unreadable_route_table, out: &mut self.unreadable_route_tables };
                        return Some(parse_list(raw, key, (file, file_name), diags, &mut self.route_tables, Some(fallback), &mut self.rejected));
                    }
                    _ => {}
                }
                match key {
                    $( $key => Some(parse_list(raw, key, (file, file_name), diags, &mut self.$field, None, &mut self.rejected)), )*
                    _ => None,
                }
            }

            /// Move every list of `other` into `self`.
            pub fn absorb(&mut self, other: RawData) {
                $( self.$field.extend(other.$field); )*
                self.unreadable_network_acls.extend(other.unreadable_network_acls);
                self.unreadable_route_tables.extend(other.unreadable_route_tables);
                self.rejected.extend(other.rejected);
            }

            /// Number of elements per modelled key (non-zero only).
            pub fn counts(&self) -> Vec<(&'static str, usize)> {
                let mut v = Vec::new();
                $( if !self.$field.is_empty() { v.push(($key, self.$field.len())); } )*
                v
            }
        }
    };
}

raw_data! {
    "Vpcs" => vpcs: aws::Vpc,
    "Subnets" => subnets: aws::Subnet,
    "RouteTables" => route_tables: aws::RouteTable,
    "NetworkAcls" => network_acls: aws::NetworkAcl,
    "SecurityGroups" => security_groups: aws::SecurityGroup,
    "Reservations" => reservations: aws::Reservation,
    "NetworkInterfaces" => network_interfaces: aws::NetworkInterface,
    "Addresses" => addresses: aws::Address,
    "InternetGateways" => internet_gateways: aws::InternetGateway,
    "EgressOnlyInternetGateways" => egress_only_internet_gateways: aws::EgressOnlyInternetGateway,
    "NatGateways" => nat_gateways: aws::NatGateway,
    "VpcEndpoints" => vpc_endpoints: aws::VpcEndpoint,
    "PrefixLists" => prefix_lists: aws::PrefixList,
    "ManagedPrefixListEntries" => managed_prefix_list_entries: aws::ManagedPrefixListEntries,
    "VpcPeeringConnections" => vpc_peering_connections: aws::VpcPeeringConnection,
    "TransitGateways" => transit_gateways: aws::TransitGateway,
    "TransitGatewayAttachments" => transit_gateway_attachments: aws::TransitGatewayAttachment,
    "TransitGatewayVpcAttachments" => transit_gateway_vpc_attachments: aws::TransitGatewayVpcAttachment,
    "TransitGatewayRouteTables" => transit_gateway_route_tables: aws::TransitGatewayRouteTable,
    "TransitGatewayRoutes" => transit_gateway_routes: aws::TgwRouteTableRoutes,
    "TransitGatewayStaticRoutes" => transit_gateway_static_routes: aws::TgwRouteTableRoutes,
    "TransitGatewayPropagations" => transit_gateway_propagations: aws::TgwPropagationsWrapper,
    "TransitGatewayAssociations" => transit_gateway_associations: aws::TgwAssociationsWrapper,
    "TransitGatewayPeeringAttachments" => transit_gateway_peering_attachments: aws::TransitGatewayPeeringAttachment,
    "VpcAttributes" => vpc_attributes: aws::VpcAttribute,
    "CacheClusters" => cache_clusters: aws::CacheCluster,
    "ReplicationGroups" => replication_groups: aws::ReplicationGroup,
    "CacheSubnetGroups" => cache_subnet_groups: aws::CacheSubnetGroup,
    "ServerlessCaches" => serverless_caches: aws::ServerlessCache,
    "LoadBalancers" => load_balancers: aws::LoadBalancer,
    "Listeners" => listeners: aws::Listener,
    "TargetGroups" => target_groups: aws::TargetGroup,
    "LoadBalancerListeners" => load_balancer_listeners: aws::LoadBalancerListeners,
    "LoadBalancerTargetHealth" => target_group_health: aws::TargetGroupHealth,
    "TargetGroupAttributes" => target_group_attributes: aws::TargetGroupAttributes,
    "LoadBalancerV2Attributes" => load_balancer_attributes: aws::LoadBalancerAttributes,
    "ServiceConfigurations" => service_configurations: aws::ServiceConfiguration,
    "ResourceGateways" => resource_gateways: aws::ResourceGateway,
    "ResourceConfigurations" => resource_configurations: aws::ResourceConfiguration,
}

/// How a NACL or route table that fails the strict parse is read again ([`salvage`]), and where
/// what is known of one that still cannot be read goes.
struct Fallback<'a, T> {
    salvage: SalvageFn<T>,
    unreadable: fn(&RawValue) -> Unreadable,
    out: &'a mut Vec<Located<Unreadable>>,
}

/// Classify a top-level key that is not modelled.
pub fn classify_unmodelled(key: &str) -> KeyKind {
    if IGNORED_KEYS.contains(&key) {
        KeyKind::Ignored
    } else if PARENTLESS_KEYS.iter().any(|(k, _)| *k == key) {
        KeyKind::Parentless
    } else {
        KeyKind::Unknown
    }
}

/// Parse `raw` as an array of `T`, element by element, so one bad element is reported with its
/// pointer and skipped while the others load. With `salvage`, an element that fails is read again
/// without its bad nested elements ([`salvage`]) before it is given up.
fn parse_list<T: DeserializeOwned>(
    raw: &RawValue,
    key: &str,
    (file, file_name): (u32, &str),
    diags: &mut Diagnostics,
    out: &mut Vec<Located<T>>,
    mut salvage: Option<Fallback<'_, T>>,
    rejected: &mut Vec<Located<Rejected>>,
) -> usize {
    let key_ptr = format!("/{}", pointer_token(key));
    // Fast path: the whole array in one pass. Only when something in it is wrong is it parsed
    // again element by element, to report each bad element with its pointer.
    let mut de = serde_json::Deserializer::from_str(raw.get());
    if let Ok(items) = <Vec<T> as serde::Deserialize>::deserialize(Strict(&mut de)) {
        let n = items.len();
        out.reserve(n);
        for (index, item) in items.into_iter().enumerate() {
            out.push(Located {
                item,
                file,
                pointer: format!("{key_ptr}/{index}"),
            });
        }
        return n;
    }
    let elements: Vec<&RawValue> = match serde_json::from_str(raw.get()) {
        Ok(v) => v,
        Err(_) => {
            diags.push(
                Diagnostic::new(
                    Severity::Error,
                    DiagCode::InvalidValue,
                    format!("expected an array under \"{key}\", got {}", json_kind(raw)),
                )
                .at(file_name, key_ptr),
            );
            return 0;
        }
    };
    let mut accepted = 0;
    for (index, element) in elements.into_iter().enumerate() {
        let pointer = format!("{key_ptr}/{index}");
        // serde reads a struct from a JSON array too (fields in order): refuse that here.
        let kind = json_kind(element);
        if kind != "an object" {
            diags.push(
                Diagnostic::new(
                    Severity::Error,
                    DiagCode::InvalidValue,
                    format!("expected an object as each element of \"{key}\", got {kind}; element skipped"),
                )
                .at(file_name, pointer.clone()),
            );
            rejected.push(Located {
                item: Rejected {
                    key: key.to_string(),
                    ids: Vec::new(),
                    fault: pointer.clone(),
                    message: format!("expected an object, got {kind}"),
                },
                file,
                pointer,
            });
            continue;
        }
        match parse_element::<T>(element) {
            Ok(item) => {
                out.push(Located {
                    item,
                    file,
                    pointer,
                });
                accepted += 1;
            }
            Err((sub, message)) => {
                let mut note = "";
                if let Some(f) = salvage.as_mut() {
                    let mut unknown = Vec::new();
                    let salvaged = (f.salvage)(element, &pointer, file_name, diags, &mut unknown);
                    f.out.extend(unknown.into_iter().map(|item| Located {
                        item,
                        file,
                        pointer: format!("{pointer}/Associations"),
                    }));
                    if let Some(item) = salvaged {
                        out.push(Located {
                            item,
                            file,
                            pointer,
                        });
                        accepted += 1;
                        continue;
                    }
                    f.out.push(Located {
                        item: (f.unreadable)(element),
                        file,
                        pointer: pointer.clone(),
                    });
                    note = " (the traffic of the subnets that depend on it is unknown: SNAPSHOT_INCOMPLETE)";
                }
                diags.push(
                    Diagnostic::new(
                        Severity::Error,
                        DiagCode::InvalidValue,
                        format!("{message}; element skipped{note}"),
                    )
                    .at(file_name, format!("{pointer}{sub}")),
                );
                rejected.push(Located {
                    item: Rejected {
                        key: key.to_string(),
                        ids: ids_of(key, element.get()),
                        fault: format!("{pointer}{sub}"),
                        message,
                    },
                    file,
                    pointer,
                });
            }
        }
    }
    accepted
}

/// A short description of what a raw JSON value is, for messages.
pub(crate) fn json_kind(raw: &RawValue) -> &'static str {
    match raw.get().trim_start().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't') | Some(b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}
