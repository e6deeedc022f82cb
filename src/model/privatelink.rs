//! PrivateLink's provider side: Elastic Load Balancing v2 load balancers with their listeners
//! and target groups, endpoint services (service name → Network Load Balancers), and VPC
//! Lattice resource gateways with their resource configurations (docs/semantics.md §5.6, L1–L6).

use super::ids::*;
use serde::Serialize;
use std::net::IpAddr;

/// An enabled zone of a load balancer: its subnet and the addresses AWS lists there.
#[derive(Clone, Debug, Serialize)]
pub struct LbZone {
    pub zone: Option<String>,
    pub subnet: Ref<SubnetIdx>,
    pub addresses: Vec<IpAddr>,
}

/// An Application, Network or Gateway Load Balancer.
#[derive(Clone, Debug, Serialize)]
pub struct LoadBalancer {
    pub arn: String,
    pub name: String,
    pub scope: ScopeIdx,
    /// `network`, `application` or `gateway`.
    pub lb_type: String,
    /// `internal` or `internet-facing`.
    pub scheme: Option<String>,
    pub vpc: Ref<VpcIdx>,
    pub state: String,
    /// State `active` (or `active_impaired`).
    pub active: bool,
    pub zones: Vec<LbZone>,
    pub security_groups: Vec<Ref<SecurityGroupIdx>>,
    /// `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`: `Some(false)` when `off`.
    pub enforce_sg_on_privatelink: Option<bool>,
    /// `load_balancing.cross_zone.enabled` from `describe-load-balancer-attributes`; `None`
    /// when the attributes are not in the snapshot.
    pub cross_zone: Option<bool>,
    /// Its network interfaces in the snapshot (`ELB net/NAME/ID` and the like).
    pub network_interfaces: Vec<EniIdx>,
    /// Its listeners (indices into [`super::Topology::listeners`]).
    pub listeners: Vec<ListenerIdx>,
}

impl LoadBalancer {
    /// The `net/NAME/ID` (or `app/…`, `gwy/…`) part of the ARN, which its network interfaces'
    /// descriptions carry after `ELB `.
    pub fn arn_suffix(&self) -> Option<&str> {
        self.arn.split_once(":loadbalancer/").map(|(_, s)| s)
    }

    pub fn is_network(&self) -> bool {
        self.lb_type.eq_ignore_ascii_case("network")
    }
}

/// A listener: the port and protocol it accepts, the target groups it forwards to.
#[derive(Clone, Debug, Serialize)]
pub struct Listener {
    pub arn: String,
    pub load_balancer: Ref<LoadBalancerIdx>,
    pub port: Option<u16>,
    pub protocol: String,
    /// The target groups of its `forward` default actions.
    pub target_groups: Vec<Ref<TargetGroupIdx>>,
}

/// A registered target of a target group.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    /// An instance id or an IP address.
    pub id: String,
    pub port: Option<u16>,
    pub availability_zone: Option<String>,
    /// `healthy`, `unhealthy`, `initial`, `unused`, `draining`, `unavailable`.
    pub health: Option<String>,
    pub reason: Option<String>,
    pub instance: Option<InstanceIdx>,
    /// The address the load balancer sends to: an ip target's IP, an instance target's primary
    /// private address (from its primary network interface).
    pub address: Option<IpAddr>,
    /// The network interface that holds `address`, when the snapshot has it.
    pub network_interface: Option<EniIdx>,
}

impl Target {
    /// Healthy per `describe-target-health` (unknown health counts as healthy, with a note).
    pub fn healthy(&self) -> bool {
        self.health
            .as_deref()
            .is_none_or(|h| h.eq_ignore_ascii_case("healthy"))
    }
}

/// A target group.
#[derive(Clone, Debug, Serialize)]
pub struct TargetGroup {
    pub arn: String,
    pub name: String,
    pub scope: ScopeIdx,
    pub protocol: Option<String>,
    pub port: Option<u16>,
    pub vpc: Option<Ref<VpcIdx>>,
    /// `instance`, `ip`, `lambda` or `alb`.
    pub target_type: String,
    pub load_balancers: Vec<Ref<LoadBalancerIdx>>,
    pub targets: Vec<Target>,
    /// Whether `describe-target-health` output for this group is in the snapshot.
    pub health_known: bool,
    /// `preserve_client_ip.enabled`; `None` when the attributes are not in the snapshot.
    pub preserve_client_ip: Option<bool>,
    /// `load_balancing.cross_zone.enabled`: `Some(Some(b))` when set to true or false,
    /// `Some(None)` when `use_load_balancer_configuration`; `None` when the attributes are not
    /// in the snapshot.
    pub cross_zone: Option<Option<bool>>,
}

/// An endpoint service (the provider side of an interface endpoint).
#[derive(Clone, Debug, Serialize)]
pub struct EndpointService {
    pub id: String,
    pub name: String,
    pub scope: ScopeIdx,
    pub state: String,
    pub active: bool,
    pub acceptance_required: Option<bool>,
    pub load_balancers: Vec<Ref<LoadBalancerIdx>>,
    pub gateway_load_balancers: Vec<String>,
    pub availability_zones: Vec<String>,
}

/// A VPC Lattice resource gateway: where resource traffic enters the provider VPC.
#[derive(Clone, Debug, Serialize)]
pub struct ResourceGateway {
    pub id: String,
    pub arn: Option<String>,
    pub name: Option<String>,
    pub scope: ScopeIdx,
    pub status: String,
    pub active: bool,
    pub vpc: Ref<VpcIdx>,
    pub subnets: Vec<Ref<SubnetIdx>>,
    pub security_groups: Vec<Ref<SecurityGroupIdx>>,
    /// Network interfaces whose description names the gateway id.
    pub network_interfaces: Vec<EniIdx>,
}

/// What a resource configuration points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum Resource {
    Ip(IpAddr),
    Dns(String),
    Arn(String),
    /// No definition in the snapshot (a `GROUP` configuration, or a partial output).
    Unknown,
}

/// A resource configuration: a resource behind a resource gateway, with the ports it carries.
#[derive(Clone, Debug, Serialize)]
pub struct ResourceConfiguration {
    pub id: String,
    pub arn: Option<String>,
    pub name: Option<String>,
    pub scope: ScopeIdx,
    pub status: String,
    pub active: bool,
    pub config_type: Option<String>,
    pub protocol: String,
    /// Inclusive port ranges.
    pub port_ranges: Vec<(u16, u16)>,
    pub gateway: Ref<ResourceGatewayIdx>,
    pub resource: Resource,
}
