//! Overlapping VPC CIDR blocks and their Transit Gateway / peering impact, with remedies, a
//! renumbering plan and what-if answers. Plain serializable data; the JSON form is a documented,
//! stable contract (README.md, `vpcreach overlaps`): fields are only ever added.

use crate::engine::Code;
use ipnet::IpNet;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Format version of the overlaps JSON. 2: `overlaps` no longer lists every pair: latent pairs
/// of a block held by several VPCs are folded into one `shared_blocks` finding.
pub const OVERLAPS_FORMAT: u32 = 2;

/// The whole `vpcreach overlaps` answer.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct OverlapReport {
    pub format_version: u32,
    pub snapshot: String,
    pub summary: OverlapSummary,
    /// Overlapping pairs named one by one: every pair with a TGW or peering impact, and the
    /// latent pairs of two blocks that no other VPC holds. Latent pairs that involve a block
    /// held by several VPCs are counted in its `shared_blocks` finding instead.
    pub overlaps: Vec<Overlap>,
    /// One finding per block held by two or more VPCs (say 172.31.0.0/16, every default VPC):
    /// its member VPCs, the other blocks overlapping it, and the latent impact stated once.
    pub shared_blocks: Vec<SharedBlock>,
    /// Computed TGW routes that differ from the routes AWS reported (T8).
    pub tgw_route_mismatches: Vec<TgwRouteMismatch>,
    /// With `--plan`.
    pub plan: Option<Plan>,
    /// With `--what-if-attach`.
    pub what_if: Option<WhatIf>,
    /// Every VPC named above: name, account, region, blocks.
    pub vpcs: BTreeMap<String, VpcInfo>,
    pub warnings: Vec<String>,
    /// The snapshot files that failed to load or loaded partly (each also a
    /// `SNAPSHOT_INCOMPLETE: ...` line in `warnings`): empty when the snapshot loaded cleanly.
    pub incomplete: Vec<crate::model::IncompleteFile>,
    /// Account/region folders that hold subnets but no output at all of kinds an overlap's
    /// impact rests on (peering connections, transit gateways, their attachments and route
    /// tables; SNAPSHOT_KIND_NOT_EXPORTED): an impact of their VPCs is unknown, not "none"
    /// (each also a warning; an overlap of such a VPC adds a `SNAPSHOT_INCOMPLETE` warning).
    #[serde(default)]
    pub not_exported: Vec<crate::model::KindsNotExported>,
}

impl OverlapReport {
    /// The `SNAPSHOT_INCOMPLETE` warnings: why the report may miss overlaps or impacts.
    pub fn incomplete_reasons(&self) -> Vec<String> {
        self.warnings
            .iter()
            .filter(|w| w.contains("SNAPSHOT_INCOMPLETE"))
            .cloned()
            .collect()
    }
}

/// Counts, for CI and the table footer.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct OverlapSummary {
    /// VPC blocks compared (v4 and v6).
    pub vpc_blocks: usize,
    /// Overlapping pairs of blocks of two different VPCs, whether listed in `overlaps` or
    /// counted in a `shared_blocks` finding.
    pub overlaps: usize,
    /// Pairs listed one by one in `overlaps`.
    pub listed_overlaps: usize,
    /// Blocks held by two or more VPCs (`shared_blocks`).
    pub shared_blocks: usize,
    /// Overlapping pairs with at least one impact of each kind (latent: listed or folded into a
    /// shared block).
    pub tgw_propagation_suppressed: usize,
    pub peering_impossible: usize,
    pub latent: usize,
    pub tgw_route_mismatches: usize,
}

/// A VPC as the report names it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct VpcInfo {
    pub name: Option<String>,
    pub account: String,
    pub region: String,
    /// All associated blocks, v4 (primary first) then v6.
    #[schemars(with = "Vec<String>")]
    pub cidrs: Vec<IpNet>,
}

/// A block held by two or more VPCs, with every VPC that holds it. The pairs of its VPCs (and
/// with the VPCs of the blocks in `overlapping`) that a TGW route table or a peering links are
/// listed in `overlaps` with their impact; all the others are latent, stated once here.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SharedBlock {
    #[schemars(with = "String")]
    pub cidr: IpNet,
    /// VPC ids holding exactly this block, sorted (names, accounts, regions in `vpcs`).
    pub vpcs: Vec<String>,
    /// The accounts and regions of those VPCs, sorted, each once.
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// How many of them are default VPCs (AWS gives each one 172.31.0.0/16).
    pub default_vpcs: usize,
    /// Pairs of these VPCs: n(n-1)/2.
    pub pairs: usize,
    /// Of those, the pairs listed in `overlaps` (TGW or peering impact); the rest are latent.
    pub listed_pairs: usize,
    /// Other blocks that overlap this one: nested in it (`contains`) or holding it (`inside`).
    pub overlapping: Vec<OverlappingBlock>,
    /// Always `latent`: what the pairs not listed in `overlaps` break (nothing yet).
    pub impact: ImpactKind,
    pub explanation: String,
    /// VPCs of this block attached to one transit gateway without a listed impact (different
    /// route tables, propagation unknown), one note per transit gateway.
    pub notes: Vec<String>,
    pub remedy: String,
}

/// How a block overlapping a shared block relates to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BlockRelation {
    /// The shared block contains this (smaller) block.
    Contains,
    /// The shared block lies inside this (larger) block.
    Inside,
}

impl BlockRelation {
    /// The relation as serialized (`contains`, `inside`).
    pub fn as_str(self) -> &'static str {
        match self {
            BlockRelation::Contains => "contains",
            BlockRelation::Inside => "inside",
        }
    }
}

/// Another block overlapping a shared block, with the VPCs holding it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct OverlappingBlock {
    #[schemars(with = "String")]
    pub cidr: IpNet,
    pub relation: BlockRelation,
    pub vpcs: Vec<String>,
    /// Pairs (a VPC of the shared block, a VPC of this block).
    pub pairs: usize,
    /// Of those, the pairs listed in `overlaps`; the rest are latent.
    pub listed_pairs: usize,
}

/// How two overlapping blocks relate. CIDR blocks are either nested or disjoint, so two
/// overlapping blocks are `equal` or one `contains` the other (pairs are oriented so that `a`
/// holds the larger block). A VPC only partly covered by another shows as a `contains` pair
/// for its overlapping block only, and its other blocks in `still_propagated`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    Equal,
    Contains,
}

impl Relation {
    /// The relation as serialized (`equal`, `contains`).
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Equal => "equal",
            Relation::Contains => "contains",
        }
    }
}

/// One pair of overlapping blocks.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Overlap {
    /// VPC ids.
    pub a: String,
    pub b: String,
    #[schemars(with = "String")]
    pub a_cidr: IpNet,
    #[schemars(with = "String")]
    pub b_cidr: IpNet,
    /// The overlapping range (the smaller block).
    #[schemars(with = "String")]
    pub overlap: IpNet,
    pub relation: Relation,
    /// True when the VPCs are in different accounts / regions.
    pub cross_account: bool,
    pub cross_region: bool,
    pub impact: Vec<Impact>,
    pub remedies: Vec<Remedy>,
    /// PrivateLink services that serve the pair without a route to the overlapping block
    /// (docs/semantics.md O6): one VPC of the pair provides a service the other reaches through
    /// an endpoint, or both reach one service through endpoints. Empty when none does.
    #[serde(default)]
    pub privatelink: Vec<PrivateLinkService>,
}

/// How a PrivateLink service serves an overlapping pair (O6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PrivateLinkRelation {
    /// One VPC of the pair provides the service, the other reaches it through an endpoint.
    Direct,
    /// Both VPCs of the pair reach the service (in a third VPC) through their endpoints.
    Shared,
}

/// The kind of a PrivateLink service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PrivateLinkKind {
    /// An endpoint service behind a Network Load Balancer, reached through interface endpoints.
    EndpointService,
    /// A VPC Lattice resource configuration behind a resource gateway, reached through resource
    /// endpoints.
    ResourceConfiguration,
}

/// A PrivateLink service serving an overlapping pair, with the endpoints through which it works.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct PrivateLinkService {
    pub relation: PrivateLinkRelation,
    pub kind: PrivateLinkKind,
    /// The endpoint service id (`vpce-svc-…`) or resource configuration id (`rcfg-…`).
    pub service: String,
    /// The service's name (resource configuration `name`, or the endpoint service's
    /// `ServiceName`).
    pub name: Option<String>,
    /// The VPC of the Network Load Balancer or the resource gateway.
    pub provider_vpc: Option<String>,
    /// The endpoints in the pair's VPCs through which some address of the VPC's overlapping
    /// block reaches the service, forward and return.
    pub endpoints: Vec<ServedEndpoint>,
}

/// An endpoint through which a VPC of an overlapping pair reaches a PrivateLink service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ServedEndpoint {
    /// The consumer VPC (one of the pair).
    pub vpc: String,
    /// The endpoint (`vpce-…`).
    pub endpoint: String,
    /// The TCP port asked (a listener port, or the first port of a configuration's range).
    pub port: u16,
    /// `reachable`, or `partial` when only some addresses of the block reach it.
    pub verdict: String,
}

/// The kind of an impact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ImpactKind {
    /// Both propagate into one TGW route table: the later attachment's block is not installed.
    TgwPropagationSuppressed,
    /// An active peering joins them: impossible in AWS, the snapshot is inconsistent.
    PeeringImpossible,
    /// Harmless today; blocks a future TGW attachment or peering.
    Latent,
}

/// What an overlap does.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Impact {
    pub kind: ImpactKind,
    /// Explanation code (`TGW_PROPAGATION_SUPPRESSED_OVERLAP`), when there is one.
    pub code: Option<Code>,
    pub transit_gateway: Option<String>,
    pub route_table: Option<String>,
    /// VPC whose block is installed.
    pub winner: Option<String>,
    /// VPC whose block is not propagated.
    pub shadowed: Option<String>,
    pub winner_attachment: Option<String>,
    pub shadowed_attachment: Option<String>,
    pub winner_creation_time: Option<String>,
    pub shadowed_creation_time: Option<String>,
    /// The block of the shadowed VPC that is not propagated.
    #[schemars(with = "Option<String>")]
    pub suppressed_cidr: Option<IpNet>,
    /// Other blocks of the shadowed VPC that are still propagated (partial shadowing).
    #[schemars(with = "Vec<String>")]
    pub still_propagated: Vec<IpNet>,
    /// Resources of the shadowed VPC in the suppressed block: unreachable from the rest of the TGW.
    pub unreachable: Vec<Unreachable>,
    pub peering_connection: Option<String>,
    pub explanation: String,
}

/// The kind of a resource named in a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    Subnet,
    Instance,
    /// An ElastiCache cluster outside any replication group.
    CacheCluster,
    /// An ElastiCache replication group (its member clusters together).
    ReplicationGroup,
    /// An ElastiCache Serverless cache.
    ServerlessCache,
}

impl ResourceKind {
    /// The kind as serialized (`cache-cluster`).
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Subnet => "subnet",
            ResourceKind::Instance => "instance",
            ResourceKind::CacheCluster => "cache-cluster",
            ResourceKind::ReplicationGroup => "replication-group",
            ResourceKind::ServerlessCache => "serverless-cache",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resource that other VPCs on the TGW cannot reach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Unreachable {
    pub kind: ResourceKind,
    pub id: String,
    pub name: Option<String>,
    /// Addresses or blocks inside the suppressed block.
    pub addresses: Vec<String>,
    /// For caches: `dns-name:port`.
    pub endpoint: Option<String>,
}

/// The kind of a remedy (§8 O4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RemedyKind {
    /// Private NAT gateway in a non-overlapping secondary-CIDR subnet, via the TGW.
    PrivateNatGateway,
    /// PrivateLink: resource gateway + resource configuration for a cache's DNS name and port.
    PrivatelinkResourceGateway,
    /// PrivateLink: NLB endpoint service.
    PrivatelinkEndpointService,
    /// Move the block to a free one of the same size.
    Renumber,
    /// Re-collect: the snapshot cannot be right.
    Recollect,
}

/// A concrete way out.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Remedy {
    pub kind: RemedyKind,
    /// The VPC to change.
    pub vpc: String,
    /// A free block from the pool (secondary CIDR for a private NAT gateway, or the renumbering
    /// target); `null` when the pool has none.
    #[schemars(with = "Option<String>")]
    pub suggested_cidr: Option<IpNet>,
    /// For PrivateLink remedies: the cache and its `dns-name:port`.
    pub cache: Option<String>,
    pub endpoint: Option<String>,
    pub description: String,
}

/// How a computed TGW route differs from what AWS reported (T8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TgwRouteMismatchKind {
    /// Computed from the snapshot, not reported by AWS.
    NotObserved,
    /// Reported by AWS, not produced by the snapshot's attachments and routes.
    NotComputed,
    /// Both have the destination, with different targets.
    DifferentTarget,
}

impl TgwRouteMismatchKind {
    /// The kind as serialized (`not-observed`).
    pub fn as_str(self) -> &'static str {
        match self {
            TgwRouteMismatchKind::NotObserved => "not-observed",
            TgwRouteMismatchKind::NotComputed => "not-computed",
            TgwRouteMismatchKind::DifferentTarget => "different-target",
        }
    }
}

impl fmt::Display for TgwRouteMismatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A computed TGW route that differs from what AWS reported.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct TgwRouteMismatch {
    pub transit_gateway: String,
    pub route_table: String,
    #[schemars(with = "String")]
    pub destination: IpNet,
    pub kind: TgwRouteMismatchKind,
    pub computed_attachment: Option<String>,
    pub observed_attachment: Option<String>,
    pub explanation: String,
}

/// The `--plan` answer.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Plan {
    /// The pool blocks were taken from (before removing blocks in use).
    #[schemars(with = "Vec<String>")]
    pub pool: Vec<IpNet>,
    /// One proposal per suppressed block of a shadowed VPC.
    pub renumbering: Vec<Renumbering>,
    /// Per region: the largest set of VPCs that can share one TGW with no overlap.
    pub shared_tgw_sets: Vec<SharedSet>,
}

/// A proposed replacement block.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Renumbering {
    pub vpc: String,
    #[schemars(with = "String")]
    pub current: IpNet,
    /// Same size, free in the pool; `null` when the pool has none.
    #[schemars(with = "Option<String>")]
    pub proposed: Option<IpNet>,
    /// The block is the VPC's primary CIDR (cannot be removed: a new VPC is needed).
    pub primary: bool,
    pub note: String,
}

/// The largest non-overlapping set of VPCs of one region.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct SharedSet {
    pub region: String,
    pub vpcs: Vec<String>,
    pub excluded: Vec<String>,
    /// True when the set is provably maximum.
    pub optimal: bool,
    pub method: String,
}

/// The `--what-if-attach` answer.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct WhatIf {
    pub vpc: String,
    pub transit_gateway: String,
    /// An existing attachment of the VPC to that TGW, if any.
    pub already_attached: Option<String>,
    /// True when every block of the VPC would be installed in every table examined.
    pub would_propagate: bool,
    pub tables: Vec<WhatIfTable>,
    pub explanation: String,
}

/// Why a what-if answer examines a TGW route table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum WhatIfTableReason {
    /// The TGW's default propagation route table: a new attachment propagates there.
    #[serde(rename = "default propagation route table")]
    DefaultPropagationRouteTable,
    /// The TGW has no default propagation route table: each of its tables is evaluated.
    #[serde(
        rename = "route table of the TGW (no default propagation table: each is evaluated as if propagation were enabled)"
    )]
    RouteTableOfTheTgw,
}

impl WhatIfTableReason {
    /// The reason as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            WhatIfTableReason::DefaultPropagationRouteTable => "default propagation route table",
            WhatIfTableReason::RouteTableOfTheTgw => "route table of the TGW (no default propagation table: each is evaluated as if propagation were enabled)",
        }
    }
}

impl fmt::Display for WhatIfTableReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The effect on one TGW route table.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct WhatIfTable {
    pub route_table: String,
    pub reason: WhatIfTableReason,
    /// Blocks that would be installed.
    #[schemars(with = "Vec<String>")]
    pub propagated: Vec<IpNet>,
    /// Blocks that would not be installed, and what wins over them.
    pub suppressed: Vec<WhatIfSuppressed>,
    /// Blocks whose propagated route would lose to a static route of the same prefix (T5).
    #[schemars(with = "Vec<String>")]
    pub overridden_by_static: Vec<IpNet>,
    /// Existing, less specific routes whose traffic for the new blocks would move to the VPC.
    pub takes_traffic_from: Vec<RouteRef>,
}

/// A block of the what-if VPC that an existing block shadows.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct WhatIfSuppressed {
    #[schemars(with = "String")]
    pub cidr: IpNet,
    /// VPC id and block of the winner.
    pub winner: String,
    #[schemars(with = "String")]
    pub winner_cidr: IpNet,
    pub winner_attachment: String,
}

/// How a TGW route came to be, as an answer names it: `static`, `propagated`, or the route type
/// AWS reported for other routes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TgwRouteKind {
    Static,
    Propagated,
    /// Another route type, serialized as AWS spelled it.
    #[serde(untagged)]
    Other(String),
}

impl TgwRouteKind {
    /// The kind as serialized (`static`).
    pub fn as_str(&self) -> &str {
        match self {
            TgwRouteKind::Static => "static",
            TgwRouteKind::Propagated => "propagated",
            TgwRouteKind::Other(o) => o,
        }
    }
}

impl fmt::Display for TgwRouteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A TGW route named in an answer.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RouteRef {
    #[schemars(with = "String")]
    pub destination: IpNet,
    pub attachment: Option<String>,
    pub kind: TgwRouteKind,
    /// The new block whose traffic it loses.
    #[schemars(with = "String")]
    pub for_cidr: IpNet,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, to_value};

    #[test]
    fn kinds_serialize_as_their_text() {
        for r in [Relation::Equal, Relation::Contains] {
            assert_eq!(to_value(r).ok(), Some(json!(r.as_str())));
        }
        for r in [BlockRelation::Contains, BlockRelation::Inside] {
            assert_eq!(to_value(r).ok(), Some(json!(r.as_str())));
        }
        use ResourceKind::*;
        for k in [
            Subnet,
            Instance,
            CacheCluster,
            ReplicationGroup,
            ServerlessCache,
        ] {
            assert_eq!(to_value(k).ok(), Some(json!(k.as_str())));
        }
        use TgwRouteMismatchKind::*;
        for k in [NotObserved, NotComputed, DifferentTarget] {
            assert_eq!(to_value(k).ok(), Some(json!(k.to_string())));
        }
        use WhatIfTableReason::*;
        for k in [DefaultPropagationRouteTable, RouteTableOfTheTgw] {
            assert_eq!(to_value(k).ok(), Some(json!(k.as_str())));
        }
        let other = TgwRouteKind::Other("tgw-peering".into());
        for k in [TgwRouteKind::Static, TgwRouteKind::Propagated, other] {
            assert_eq!(to_value(&k).ok(), Some(json!(k.as_str())));
        }
        assert_eq!(
            to_value(Code::TGW_PROPAGATION_SUPPRESSED_OVERLAP).ok(),
            Some(json!("TGW_PROPAGATION_SUPPRESSED_OVERLAP"))
        );
    }
}
