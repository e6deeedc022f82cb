//! Elastic Load Balancing (v2): `elbv2 describe-load-balancers`, `describe-listeners`,
//! `describe-target-groups`, and the wrappers of the two outputs that do not name their target
//! group: `describe-target-health` (`LoadBalancerTargetHealth`, the wrapper Batfish's AWS
//! snapshots use) and `describe-target-group-attributes` (`TargetGroupAttributes`). Batfish's
//! `LoadBalancerListeners` wrapper of `describe-listeners` outputs is read too.

use super::values::{AwsPort, Ip4};
use serde::{Deserialize, Serialize};

/// `elbv2 describe-load-balancers` → `LoadBalancers[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LoadBalancer {
    pub load_balancer_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer_name: Option<String>,
    #[serde(rename = "DNSName", skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<String>,
    /// `internet-facing` or `internal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<LoadBalancerState>,
    /// `application`, `network` or `gateway`.
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none")]
    pub lb_type: Option<String>,
    pub availability_zones: Vec<LbAvailabilityZone>,
    pub security_groups: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address_type: Option<String>,
    /// `on` or `off` (Network Load Balancers with security groups): whether the inbound rules
    /// apply to traffic that arrives over PrivateLink.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforce_security_group_inbound_rules_on_private_link_traffic: Option<String>,
}

/// `{"Code": "active", "Reason": ...}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LoadBalancerState {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One enabled zone of a load balancer: its subnet and, for NLBs, its addresses.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LbAvailabilityZone {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    pub load_balancer_addresses: Vec<LoadBalancerAddress>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LoadBalancerAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<Ip4>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<String>,
    #[serde(rename = "PrivateIPv4Address", skip_serializing_if = "Option::is_none")]
    pub private_ipv4_address: Option<Ip4>,
}

/// `elbv2 describe-listeners --load-balancer-arn …` → `Listeners[]` (outputs for several load
/// balancers merge: each listener names its load balancer).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Listener {
    pub listener_arn: String,
    pub load_balancer_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<AwsPort>,
    /// `TCP`, `UDP`, `TCP_UDP`, `TLS`, `HTTP`, `HTTPS`, `GENEVE`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    pub default_actions: Vec<ListenerAction>,
}

/// `LoadBalancerListeners[]` wrapper (Batfish): one `describe-listeners` output with its load
/// balancer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LoadBalancerListeners {
    pub load_balancer_arn: String,
    pub listeners: Vec<Listener>,
}

/// A listener's default action (`forward` with a target group, or a forward configuration).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListenerAction {
    #[serde(rename = "Type")]
    pub action_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_group_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forward_config: Option<ForwardConfig>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ForwardConfig {
    pub target_groups: Vec<TargetGroupTuple>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TargetGroupTuple {
    pub target_group_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
}

/// `elbv2 describe-target-groups` → `TargetGroups[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TargetGroup {
    pub target_group_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<AwsPort>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    pub load_balancer_arns: Vec<String>,
    /// `instance`, `ip`, `lambda` or `alb`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
}

/// `LoadBalancerTargetHealth[]` wrapper: one `describe-target-health --target-group-arn …`
/// output with its target group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TargetGroupHealth {
    pub target_group_arn: String,
    pub target_health_descriptions: Vec<TargetHealthDescription>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TargetHealthDescription {
    pub target: TargetDescription,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check_port: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_health: Option<TargetHealth>,
}

/// A registered target: an instance id or an IP address, with its port.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TargetDescription {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<AwsPort>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
}

/// `{"State": "healthy" | "unhealthy" | "initial" | "unused" | "draining" | "unavailable", ...}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TargetHealth {
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `TargetGroupAttributes[]` wrapper: one `describe-target-group-attributes` output with its
/// target group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TargetGroupAttributes {
    pub target_group_arn: String,
    pub attributes: Vec<KeyValue>,
}

/// `LoadBalancerV2Attributes[]` wrapper: one `elbv2 describe-load-balancer-attributes` output
/// with its load balancer (`load_balancing.cross_zone.enabled` and the like). Not
/// `LoadBalancerAttributes`: that is the Classic Load Balancer output's own key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LoadBalancerAttributes {
    pub load_balancer_arn: String,
    pub attributes: Vec<KeyValue>,
}

/// `{"Key": "preserve_client_ip.enabled", "Value": "true"}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}
