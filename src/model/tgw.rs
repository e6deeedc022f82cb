//! Transit gateways: the gateway, its attachments, route tables, associations, propagations and
//! routes (static from the snapshot, and the routes AWS reported where the snapshot has them).

use super::ids::*;
use ipnet::IpNet;
use serde::Serialize;

/// A transit gateway.
#[derive(Clone, Debug, Serialize)]
pub struct TransitGateway {
    pub id: String,
    pub scope: ScopeIdx,
    pub name: Option<String>,
    pub owner: Option<String>,
    pub state: String,
    pub active: bool,
    /// `Options.SecurityGroupReferencingSupport == enable` (S6).
    pub sg_referencing_support: bool,
    pub default_association_route_table: Option<String>,
    pub default_propagation_route_table: Option<String>,
    pub attachments: Vec<TgwAttachmentIdx>,
    pub route_tables: Vec<TgwRouteTableIdx>,
}

/// Where a TGW route table's propagations, or an attachment's association, come from (T10).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BindingSource {
    /// Records in the snapshot: a propagation listing for the table (even an empty one), or the
    /// attachment's `Association` / an association listing naming it.
    #[default]
    Recorded,
    /// No records: taken from the gateway's default route-table options (an assumption).
    InferredFromDefaults,
    /// No records and no default option that applies: unknown.
    Unknown,
}

/// A transit gateway attachment (VPC, VPN, peering, Connect, ...).
#[derive(Clone, Debug, Serialize)]
pub struct TransitGatewayAttachment {
    pub id: String,
    pub scope: ScopeIdx,
    pub name: Option<String>,
    pub transit_gateway: Ref<TgwIdx>,
    /// `vpc`, `vpn`, `peering`, `connect`, `direct-connect-gateway`, ...
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub resource_owner: Option<String>,
    /// For VPC attachments: the VPC.
    pub vpc: Option<Ref<VpcIdx>>,
    /// For VPC attachments: one subnet per AZ where the attachment has an ENI (T2).
    pub subnets: Vec<Ref<SubnetIdx>>,
    pub state: String,
    pub active: bool,
    /// `CreationTime` as RFC 3339 UTC; orders overlapping propagations (T4).
    pub creation_time: Option<String>,
    /// The route table it is associated with (T3), from the attachment or the wrapper.
    pub association: Option<Ref<TgwRouteTableIdx>>,
    pub association_state: Option<String>,
    /// Whether `association` was recorded, inferred from the TGW's default association table,
    /// or is unknown (T10).
    pub association_source: BindingSource,
    /// For peering attachments (T11): the transit gateway on the other side, from
    /// `TransitGatewayPeeringAttachments` or the attachment's `ResourceId`.
    pub peer_transit_gateway: Option<Ref<TgwIdx>>,
    pub ipv6_support: bool,
    /// VPC attachment option `SecurityGroupReferencingSupport` (None = not in the snapshot).
    pub sg_referencing_support: Option<bool>,
    pub appliance_mode: bool,
    /// The attachment ENIs found in the snapshot.
    pub network_interfaces: Vec<EniIdx>,
}

/// How a TGW route came to be (T5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TgwRouteType {
    Static,
    Propagated,
    Other(String),
}

/// One TGW route.
#[derive(Clone, Debug, Serialize)]
pub struct TgwRoute {
    pub destination: Option<IpNet>,
    pub prefix_list: Option<String>,
    pub route_type: TgwRouteType,
    pub state: String,
    /// `State: active`; `blackhole` = false.
    pub active: bool,
    pub attachments: Vec<Ref<TgwAttachmentIdx>>,
}

/// A TGW route-table binding (association or propagation).
#[derive(Clone, Debug, Serialize)]
pub struct TgwBinding {
    pub attachment: Ref<TgwAttachmentIdx>,
    pub resource_id: Option<String>,
    pub state: String,
    /// `associated` / `enabled`.
    pub active: bool,
}

/// A transit gateway route table.
#[derive(Clone, Debug, Serialize)]
pub struct TransitGatewayRouteTable {
    pub id: String,
    pub scope: ScopeIdx,
    pub name: Option<String>,
    pub transit_gateway: Ref<TgwIdx>,
    pub state: String,
    pub active: bool,
    pub default_association: bool,
    pub default_propagation: bool,
    pub associations: Vec<TgwBinding>,
    pub propagations: Vec<TgwBinding>,
    /// Whether `propagations` were recorded (a listing for this table, even an empty one),
    /// inferred from the TGW's default propagation table, or are unknown (T10).
    pub propagation_source: BindingSource,
    /// Static routes (from `TransitGatewayStaticRoutes` or the static part of observed routes).
    pub static_routes: Vec<TgwRoute>,
    /// All routes as AWS reported them (`TransitGatewayRoutes`), when the snapshot has them (T8).
    pub observed_routes: Option<Vec<TgwRoute>>,
    /// The observed listing was cut short (SNAPSHOT_INCOMPLETE).
    pub additional_routes_available: bool,
}

/// A `CreationTime` as an instant. RFC 3339 allows years up to 9999 but jiff's timestamps end
/// on 9999-12-30: a valid later time (`9999-12-31T00:00:00Z`) is taken as the latest instant
/// jiff has, not as "no CreationTime". `None` only for text that is no date-time.
pub fn creation_instant(s: &str) -> Option<jiff::Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t);
    }
    // Without its offset (`Z`, `+hh:mm`), as a civil date-time, whose range reaches 9999-12-31.
    let civil = s.strip_suffix(['Z', 'z']).or_else(|| {
        let (head, off) = s.split_at(s.len().checked_sub(6)?);
        let b = off.as_bytes();
        (matches!(b[0], b'+' | b'-') && b[3] == b':' && head.contains('T')).then_some(head)
    })?;
    let dt = civil.parse::<jiff::civil::DateTime>().ok()?;
    Some(if dt.year() > 0 {
        jiff::Timestamp::MAX
    } else {
        jiff::Timestamp::MIN
    })
}

#[cfg(test)]
mod creation_tests {
    use super::creation_instant;

    /// Within jiff's range: the instant itself; 9999-12-31 (valid RFC 3339, past jiff's last
    /// instant 9999-12-30T22:00Z): the latest instant, after any real time; not a date: none.
    #[test]
    fn far_future_creation_time_is_a_time() {
        let t = creation_instant("2024-01-02T03:04:05.000Z").expect("a time");
        assert_eq!(t.to_string(), "2024-01-02T03:04:05Z");
        let far = creation_instant("9999-12-31T23:59:59.000Z").expect("a time");
        assert!(far > t);
        assert!(creation_instant("9999-12-31T23:59:59+00:00").is_some());
        assert!(creation_instant("9999-13-31T23:59:59Z").is_none());
        assert!(creation_instant("yesterday").is_none());
    }
}
