//! VPC-level objects: VPCs, subnets, route tables, NACLs, security groups, ENIs, instances,
//! gateways, endpoints, prefix lists and peerings, in their normalized form.

use super::ids::*;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A VPC with its active CIDR blocks and DNS attributes.
#[derive(Clone, Debug, Serialize)]
pub struct Vpc {
    pub id: String,
    pub scope: ScopeIdx,
    pub owner: Option<String>,
    pub name: Option<String>,
    pub is_default: bool,
    /// IPv4 blocks in `associated` state (primary first).
    pub cidrs_v4: Vec<Ipv4Net>,
    /// IPv6 blocks in `associated` state.
    pub cidrs_v6: Vec<Ipv6Net>,
    pub dns_support: bool,
    pub dns_hostnames: bool,
    /// True when the DNS attributes were not in the snapshot and defaults were assumed.
    pub dns_assumed: bool,
    pub subnets: Vec<SubnetIdx>,
    pub main_route_table: Option<RouteTableIdx>,
    pub default_network_acl: Option<NetworkAclIdx>,
}

impl Vpc {
    /// Every CIDR block, v4 then v6.
    pub fn cidrs(&self) -> impl Iterator<Item = IpNet> + '_ {
        self.cidrs_v4
            .iter()
            .map(|n| IpNet::V4(*n))
            .chain(self.cidrs_v6.iter().map(|n| IpNet::V6(*n)))
    }
    /// True when `ip` is inside one of the VPC's blocks.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.cidrs().any(|n| n.contains(&ip))
    }
}

/// A subnet with its effective route table and NACL (R1, N1).
#[derive(Clone, Debug, Serialize)]
pub struct Subnet {
    pub id: String,
    pub scope: ScopeIdx,
    pub vpc: Ref<VpcIdx>,
    pub name: Option<String>,
    pub owner: Option<String>,
    pub availability_zone: Option<String>,
    pub availability_zone_id: Option<String>,
    pub cidr_v4: Option<Ipv4Net>,
    pub cidrs_v6: Vec<Ipv6Net>,
    /// Effective route table: the explicitly associated one, else the VPC's main table.
    pub route_table: Option<RouteTableIdx>,
    pub route_table_explicit: bool,
    /// Effective NACL: the associated one, else the VPC's default NACL.
    pub network_acl: Option<NetworkAclIdx>,
    pub network_acl_explicit: bool,
    /// Why the subnet's NACL is unknown: a NACL it depends on failed to load (its id and file
    /// position), or it is associated with two NACLs. Never the default substituted.
    pub network_acl_unreadable: Option<String>,
    /// Why the subnet's routes are unknown: a route table it depends on failed to load, or it is
    /// explicitly associated with two tables.
    pub route_table_unreadable: Option<String>,
}

impl Subnet {
    /// Every CIDR block, v4 then v6.
    pub fn cidrs(&self) -> impl Iterator<Item = IpNet> + '_ {
        self.cidr_v4
            .map(IpNet::V4)
            .into_iter()
            .chain(self.cidrs_v6.iter().map(|n| IpNet::V6(*n)))
    }
    /// True when `ip` is inside the subnet's blocks.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(v4) => self.cidr_v4.is_some_and(|n| n.contains(&v4)),
            IpAddr::V6(v6) => self.cidrs_v6.iter().any(|n| n.contains(&v6)),
        }
    }
}

/// Where a route sends traffic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum RouteTarget {
    Local,
    InternetGateway(Ref<IgwIdx>),
    EgressOnlyInternetGateway(Ref<IgwIdx>),
    VirtualPrivateGateway(String),
    NatGateway(Ref<NatIdx>),
    TransitGateway(Ref<TgwIdx>),
    VpcPeeringConnection(Ref<PeeringIdx>),
    VpcEndpoint(Ref<EndpointIdx>),
    NetworkInterface(Ref<EniIdx>),
    Instance(Ref<InstanceIdx>),
    LocalGateway(String),
    CarrierGateway(String),
    CoreNetwork(String),
    /// No recognised target field (reported); the id is empty when the route has no target
    /// field at all: where it sends traffic is unknown (SNAPSHOT_INCOMPLETE).
    Unknown(String),
    /// Several target fields (reported): which one AWS uses is unknown (SNAPSHOT_INCOMPLETE).
    /// The ids, comma-separated.
    Conflicting(String),
}

impl RouteTarget {
    /// The target's id (`local` for the local route).
    pub fn id(&self) -> &str {
        match self {
            RouteTarget::Local => "local",
            RouteTarget::InternetGateway(r) | RouteTarget::EgressOnlyInternetGateway(r) => &r.id,
            RouteTarget::NatGateway(r) => &r.id,
            RouteTarget::TransitGateway(r) => &r.id,
            RouteTarget::VpcPeeringConnection(r) => &r.id,
            RouteTarget::VpcEndpoint(r) => &r.id,
            RouteTarget::NetworkInterface(r) => &r.id,
            RouteTarget::Instance(r) => &r.id,
            RouteTarget::VirtualPrivateGateway(s)
            | RouteTarget::LocalGateway(s)
            | RouteTarget::CarrierGateway(s)
            | RouteTarget::CoreNetwork(s)
            | RouteTarget::Unknown(s)
            | RouteTarget::Conflicting(s) => s,
        }
    }
}

/// What a route matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RouteDestination {
    Cidr(IpNet),
    PrefixList(Ref<PrefixListIdx>),
}

/// How a route came to be (R4 priority on equal prefixes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RouteOrigin {
    /// The table's own local route (`CreateRouteTable`).
    CreateRouteTable,
    /// A static route (`CreateRoute`).
    CreateRoute,
    /// Propagated from a virtual private gateway (`EnableVgwRoutePropagation`).
    EnableVgwRoutePropagation,
    /// Absent from the JSON.
    Unknown,
}

/// One route of a VPC route table.
#[derive(Clone, Debug, Serialize)]
pub struct Route {
    pub destination: RouteDestination,
    pub target: RouteTarget,
    pub origin: RouteOrigin,
    /// `State: active` (or missing); `blackhole` routes are kept with `active: false`.
    pub active: bool,
    pub state: String,
    /// Added by vpcreach (a missing local route, R3).
    pub synthesized: bool,
}

/// A VPC route table.
#[derive(Clone, Debug, Serialize)]
pub struct RouteTable {
    pub id: String,
    pub scope: ScopeIdx,
    pub vpc: Ref<VpcIdx>,
    pub name: Option<String>,
    pub main: bool,
    /// Subnets explicitly associated.
    pub subnets: Vec<SubnetIdx>,
    /// Gateways (igw-/vgw-) associated: this is an edge table for traffic entering by them (R2).
    pub gateways: Vec<String>,
    pub routes: Vec<Route>,
    pub propagating_vgws: Vec<String>,
    /// Routes skipped at load (`file#pointer: error`): the table is kept without them, and
    /// answers through it say so (SNAPSHOT_INCOMPLETE).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lost_routes: Vec<String>,
    /// Values read with a stated interpretation at load (`file#pointer: warning`: an impossible
    /// value, two entries with one rule number): answers through it carry them
    /// (SNAPSHOT_INCOMPLETE), never a silent reading.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
}

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleAction {
    Allow,
    Deny,
}

/// An IP protocol selector: every protocol, or one protocol number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    All,
    Number(u8),
}

impl Protocol {
    pub const TCP: u8 = 6;
    pub const UDP: u8 = 17;
    pub const ICMP: u8 = 1;
    pub const ICMPV6: u8 = 58;

    /// Parse `-1`/`all`, a name (`tcp`, `udp`, `icmp`, `icmpv6`) or a number 0..=255.
    pub fn parse(s: &str) -> Option<Protocol> {
        match s.trim().to_ascii_lowercase().as_str() {
            "-1" | "all" => Some(Protocol::All),
            "tcp" => Some(Protocol::Number(Self::TCP)),
            "udp" => Some(Protocol::Number(Self::UDP)),
            "icmp" => Some(Protocol::Number(Self::ICMP)),
            "icmpv6" | "icmp6" | "ipv6-icmp" => Some(Protocol::Number(Self::ICMPV6)),
            n => n.parse::<u8>().ok().map(Protocol::Number),
        }
    }

    /// True for TCP and UDP, whose rules test ports.
    pub fn has_ports(self) -> bool {
        matches!(
            self,
            Protocol::Number(Self::TCP) | Protocol::Number(Self::UDP)
        )
    }

    /// True for ICMP and ICMPv6, whose rules test type and code.
    pub fn is_icmp(self) -> bool {
        matches!(
            self,
            Protocol::Number(Self::ICMP) | Protocol::Number(Self::ICMPV6)
        )
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Protocol::All => f.write_str("all"),
            Protocol::Number(6) => f.write_str("tcp"),
            Protocol::Number(17) => f.write_str("udp"),
            Protocol::Number(1) => f.write_str("icmp"),
            Protocol::Number(58) => f.write_str("icmpv6"),
            Protocol::Number(n) => write!(f, "proto-{n}"),
        }
    }
}

/// An inclusive port range.
pub type PortRange = (u16, u16);

/// ICMP type and code; `None` = any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct IcmpMatch {
    pub icmp_type: Option<u8>,
    pub code: Option<u8>,
}

/// One NACL entry (N2–N6).
#[derive(Clone, Debug, Serialize)]
pub struct NaclEntry {
    pub rule_number: u16,
    pub action: RuleAction,
    pub protocol: Protocol,
    /// Source for inbound entries, destination for outbound (N4).
    pub cidr: IpNet,
    /// Destination ports, for TCP/UDP entries; `None` = all ports.
    pub ports: Option<PortRange>,
    /// ICMP type/code, for ICMP entries; `None` = any.
    pub icmp: Option<IcmpMatch>,
    /// The final deny-all entry vpcreach added because the JSON lacked it (N3).
    pub synthesized: bool,
}

/// A network ACL with entries sorted by rule number per direction.
#[derive(Clone, Debug, Serialize)]
pub struct NetworkAcl {
    pub id: String,
    pub scope: ScopeIdx,
    pub vpc: Ref<VpcIdx>,
    pub name: Option<String>,
    pub is_default: bool,
    pub subnets: Vec<SubnetIdx>,
    pub inbound: Vec<NaclEntry>,
    pub outbound: Vec<NaclEntry>,
    /// Entries skipped at load (`file#pointer: error`): the ACL is kept without them, and
    /// answers through it say so (SNAPSHOT_INCOMPLETE).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lost_entries: Vec<String>,
    /// Values read with a stated interpretation at load (`file#pointer: warning`: an impossible
    /// value, two entries with one rule number): answers through it carry them
    /// (SNAPSHOT_INCOMPLETE), never a silent reading.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
}

/// The peer of a security-group rule.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SgPeer {
    Cidr { cidr: IpNet },
    PrefixList { prefix_list: Ref<PrefixListIdx> },
    Group(GroupReference),
}

/// A rule's reference to another security group (S5–S7).
#[derive(Clone, Debug, Serialize)]
pub struct GroupReference {
    pub group: Ref<SecurityGroupIdx>,
    /// Owner account of the referenced group, when given.
    pub user_id: Option<String>,
    pub vpc_id: Option<String>,
    pub peering: Option<Ref<PeeringIdx>>,
    pub peering_status: Option<String>,
    pub resolution: GroupResolution,
}

/// Whether a referenced group is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupResolution {
    /// In the snapshot.
    Resolved,
    /// Owned by an account that is not in the snapshot: matches nothing (UNKNOWN_PEERED_SGS).
    UnknownAccount,
    /// Should be in the snapshot but is not (deleted group): STALE_SG_REFERENCE.
    Stale,
    /// Its element failed to load (see [`super::Completeness::rejected`]): the rule's peers are
    /// unknown (SNAPSHOT_INCOMPLETE), never "deleted".
    NotLoaded,
}

/// One security-group rule, flattened to a single peer.
#[derive(Clone, Debug, Serialize)]
pub struct SgRule {
    pub protocol: Protocol,
    /// Destination ports for TCP/UDP; `None` = all.
    pub ports: Option<PortRange>,
    /// ICMP type/code for ICMP rules; `None` = any.
    pub icmp: Option<IcmpMatch>,
    pub peer: SgPeer,
    pub description: Option<String>,
    /// Pointer of the `IpPermissions` element in its file, for precise citations.
    pub pointer: String,
}

/// A security group.
#[derive(Clone, Debug, Serialize)]
pub struct SecurityGroup {
    pub id: String,
    pub scope: ScopeIdx,
    pub name: String,
    pub vpc: Option<Ref<VpcIdx>>,
    pub owner: Option<String>,
    pub inbound: Vec<SgRule>,
    pub outbound: Vec<SgRule>,
    /// ENIs that carry this group.
    pub members: Vec<EniIdx>,
    /// Permissions that failed to load (`file#pointer: reason`): the group is known only in
    /// part, so what it denies is unknown (SNAPSHOT_INCOMPLETE), never a rule mismatch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_permissions: Vec<String>,
    /// Values read with a stated interpretation at load (`file#pointer: warning`: an impossible
    /// value, two entries with one rule number): answers through it carry them
    /// (SNAPSHOT_INCOMPLETE), never a silent reading.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<String>,
}

/// A private IPv4 address of an ENI and its public mapping (IGW 1:1 NAT).
#[derive(Clone, Debug, Serialize)]
pub struct PrivateIp {
    pub address: Ipv4Addr,
    pub primary: bool,
    pub public_ip: Option<Ipv4Addr>,
}

/// What an ENI belongs to (derived from its owner fields and description).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum EniOwner {
    Instance(String),
    NatGateway(String),
    VpcEndpoint(String),
    TransitGatewayAttachment(String),
    CacheNode(String),
    ServerlessCache(String),
    /// A load balancer's interface: `ELB net/NAME/ID` (the ARN's suffix).
    LoadBalancer(String),
    Other,
}

/// An elastic network interface.
#[derive(Clone, Debug, Serialize)]
pub struct NetworkInterface {
    pub id: String,
    pub scope: ScopeIdx,
    pub subnet: Ref<SubnetIdx>,
    pub vpc: Ref<VpcIdx>,
    pub availability_zone: Option<String>,
    pub description: Option<String>,
    pub interface_type: String,
    pub requester_id: Option<String>,
    pub requester_managed: bool,
    pub groups: Vec<Ref<SecurityGroupIdx>>,
    pub private_ips: Vec<PrivateIp>,
    pub ipv6_addresses: Vec<Ipv6Addr>,
    pub source_dest_check: bool,
    pub deny_all_igw_traffic: bool,
    pub instance: Option<Ref<InstanceIdx>>,
    pub status: Option<String>,
    pub owner: Option<String>,
    pub name: Option<String>,
    pub owned_by: EniOwner,
}

impl NetworkInterface {
    /// Every private address, v4 and v6.
    pub fn private_addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.private_ips
            .iter()
            .map(|p| IpAddr::V4(p.address))
            .chain(self.ipv6_addresses.iter().map(|a| IpAddr::V6(*a)))
    }
    /// Every public IPv4 address mapped to this ENI.
    pub fn public_ips(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.private_ips.iter().filter_map(|p| p.public_ip)
    }
}

/// An EC2 instance.
#[derive(Clone, Debug, Serialize)]
pub struct Instance {
    pub id: String,
    pub scope: ScopeIdx,
    pub name: Option<String>,
    pub state: String,
    /// `running`.
    pub active: bool,
    pub subnet: Option<Ref<SubnetIdx>>,
    pub vpc: Option<Ref<VpcIdx>>,
    pub network_interfaces: Vec<EniIdx>,
    pub instance_profile: Option<String>,
    pub platform: Option<String>,
    pub private_ip: Option<Ipv4Addr>,
    pub public_ip: Option<Ipv4Addr>,
    pub source_dest_check: bool,
}

/// An elastic IP (from `describe-addresses`).
#[derive(Clone, Debug, Serialize)]
pub struct ElasticIp {
    pub scope: ScopeIdx,
    pub public_ip: Option<Ipv4Addr>,
    pub allocation_id: Option<String>,
    pub network_interface: Option<Ref<EniIdx>>,
    pub instance_id: Option<String>,
    pub private_ip: Option<Ipv4Addr>,
}

/// An internet gateway or egress-only internet gateway and the VPCs it is attached to.
#[derive(Clone, Debug, Serialize)]
pub struct InternetGateway {
    pub id: String,
    pub scope: ScopeIdx,
    pub name: Option<String>,
    /// Attached VPCs with the attachment state.
    pub attachments: Vec<(Ref<VpcIdx>, String)>,
    /// At least one attachment is `available`/`attached`.
    pub active: bool,
}

impl InternetGateway {
    /// An attachment state that carries traffic (`available`, or `attached` for egress-only).
    pub fn attachment_live(state: &str) -> bool {
        state.eq_ignore_ascii_case("available") || state.eq_ignore_ascii_case("attached")
    }

    /// The VPCs this gateway is attached to and serving.
    pub fn live_vpcs(&self) -> impl Iterator<Item = VpcIdx> + '_ {
        self.attachments
            .iter()
            .filter(|(_, s)| Self::attachment_live(s))
            .filter_map(|(v, _)| v.idx)
    }
}

/// Public or private NAT gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Connectivity {
    Public,
    Private,
}

/// One address of a NAT gateway.
#[derive(Clone, Debug, Serialize)]
pub struct NatAddress {
    pub network_interface: Option<Ref<EniIdx>>,
    pub private_ip: Option<Ipv4Addr>,
    pub public_ip: Option<Ipv4Addr>,
}

/// A NAT gateway.
#[derive(Clone, Debug, Serialize)]
pub struct NatGateway {
    pub id: String,
    pub scope: ScopeIdx,
    pub name: Option<String>,
    pub vpc: Option<Ref<VpcIdx>>,
    pub subnet: Option<Ref<SubnetIdx>>,
    pub state: String,
    pub active: bool,
    pub connectivity: Connectivity,
    pub addresses: Vec<NatAddress>,
}

/// The type of a VPC endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndpointType {
    Gateway,
    Interface,
    GatewayLoadBalancer,
    /// A resource endpoint (PrivateLink access to a VPC Lattice resource configuration).
    Resource,
    Other(String),
}

/// A VPC endpoint.
#[derive(Clone, Debug, Serialize)]
pub struct VpcEndpoint {
    pub id: String,
    pub scope: ScopeIdx,
    pub name: Option<String>,
    pub vpc: Ref<VpcIdx>,
    pub endpoint_type: EndpointType,
    pub service_name: String,
    pub state: String,
    pub active: bool,
    pub route_tables: Vec<Ref<RouteTableIdx>>,
    pub subnets: Vec<Ref<SubnetIdx>>,
    pub groups: Vec<Ref<SecurityGroupIdx>>,
    pub private_dns_enabled: bool,
    pub network_interfaces: Vec<Ref<EniIdx>>,
    /// For gateway endpoints: the AWS-managed prefix list named like the service (V1).
    pub prefix_list: Option<PrefixListIdx>,
    /// For interface endpoints: the endpoint service of that name in the snapshot (L1).
    pub endpoint_service: Option<EndpointServiceIdx>,
    /// For resource endpoints: `ResourceConfigurationArn`, resolved when the configuration
    /// is in the snapshot (L4).
    pub resource_configuration: Option<Ref<ResourceConfigurationIdx>>,
}

/// A prefix list, AWS-managed or customer-managed, merged by id.
#[derive(Clone, Debug, Serialize)]
pub struct PrefixList {
    pub id: String,
    pub scope: ScopeIdx,
    pub name: Option<String>,
    /// `None` when the snapshot has no entries for it (UNRESOLVED_PREFIX_LIST).
    pub cidrs: Option<Vec<IpNet>>,
    pub address_family: Option<String>,
    pub owner: Option<String>,
}

/// One side of a VPC peering connection.
#[derive(Clone, Debug, Serialize)]
pub struct PeeringSide {
    pub vpc: Ref<VpcIdx>,
    pub owner: Option<String>,
    /// `owner` is no account of the snapshot; `vpc` was found by its (globally unique) id.
    pub found_by_vpc_id: bool,
    pub region: Option<String>,
    pub cidrs_v4: Vec<Ipv4Net>,
    pub cidrs_v6: Vec<Ipv6Net>,
}

/// A VPC peering connection.
#[derive(Clone, Debug, Serialize)]
pub struct VpcPeeringConnection {
    pub id: String,
    pub scope: ScopeIdx,
    pub name: Option<String>,
    pub status: String,
    /// `Status.Code == active`.
    pub active: bool,
    pub requester: PeeringSide,
    pub accepter: PeeringSide,
}

impl VpcPeeringConnection {
    /// True when the two sides are in different regions (P4).
    pub fn cross_region(&self) -> bool {
        match (&self.requester.region, &self.accepter.region) {
            (Some(a), Some(b)) => a != b,
            _ => false,
        }
    }
}
