//! The `audit` report: who reaches each cache, directly and through relays; the relays; SSM
//! readiness of the hosts that could forward; the findings. Plain serializable data, the JSON
//! contract of `vpcreach audit --format json` (`format_version` 1).

use super::audit::AuditFinding;
use super::ssm::{SsmGap, SsmRoute};
use crate::engine::Verdict;
use serde::Serialize;

/// The version of the audit JSON contract.
pub const AUDIT_FORMAT: u32 = 1;

/// The whole audit.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct AuditReport {
    pub format_version: u32,
    /// The snapshot audited.
    pub snapshot: String,
    /// The configuration file read (absent when none was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// The named outside ranges used (config `[sources]` and `--source`).
    pub sources: Vec<NamedRange>,
    pub caches: Vec<CacheAudit>,
    pub relays: Vec<RelayAudit>,
    /// SSM readiness of every running instance (semantics M3), declared SSM relays first.
    pub ssm: Vec<SsmEntry>,
    pub findings: Vec<AuditFinding>,
    /// What of the snapshot did not load (SNAPSHOT_INCOMPLETE): answers may miss paths.
    pub incomplete: Vec<String>,
    /// What every entry takes for granted.
    pub assumptions: Vec<String>,
}

/// A named range of outside addresses.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct NamedRange {
    pub name: String,
    pub blocks: Vec<String>,
    /// `config` or `--source`.
    pub from: String,
}

/// One cache and who reaches it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CacheAudit {
    /// Replication-group id, cache-cluster id or serverless cache name.
    pub cache: String,
    /// `replication-group`, `cache-cluster` or `serverless`.
    pub kind: String,
    pub engine: String,
    pub ports: Vec<u16>,
    pub transit_encryption: bool,
    /// AUTH token or RBAC user group.
    pub auth: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// Every source that reaches a port of the cache (`reachable` or `partial`), directly
    /// (`via` null) or through one relay.
    pub reached_by: Vec<ReachedBy>,
    /// SNAPSHOT_INCOMPLETE: the cache's nodes did not load (its cluster, replication-group or
    /// interface file failed), so `reached_by` is unknown, not empty: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown: Option<String>,
}

/// What a `reached_by` source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A named outside range.
    Range,
    /// Any public address outside the snapshot.
    Internet,
    /// The sending interfaces of a security group.
    SecurityGroup,
    /// The sending interfaces of a subnet.
    Subnet,
    /// One interface.
    Eni,
}

/// Interface counts of a security-group or subnet source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EniCount {
    /// Interfaces of the group that reach.
    pub reaching: usize,
    /// Interfaces of the group that send traffic of their own.
    pub total: usize,
}

/// One source of a cache.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ReachedBy {
    /// The range name, `internet`, `sg-…` or `subnet-…`.
    pub source: String,
    pub kind: SourceKind,
    /// Name tag or group name, for security groups and subnets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The relay, or null for direct reach.
    pub via: Option<Via>,
    /// `reachable`: every address of the source (for groups: every interface) completes
    /// forward and return; `partial`: some do.
    pub verdict: Verdict,
    /// The cache ports reached (`6379`, `6379-6380`).
    pub ports: String,
    /// For security-group and subnet sources: how many of their interfaces reach.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enis: Option<EniCount>,
    /// When `via.relay_kind` is `privatelink`: the PrivateLink way in (semantics L1–L5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privatelink: Option<PrivateLinkWay>,
}

/// A PrivateLink way into a cache: an endpoint in the source's reach whose provider side leads
/// to the cache's nodes (semantics L1–L5).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct PrivateLinkWay {
    /// `resource` (a resource endpoint → resource gateway → the resource, L4–L5) or
    /// `endpoint-service` (an interface endpoint → Network Load Balancer → targets, L2–L3).
    pub kind: String,
    /// The VPC endpoint (`vpce-…`) the source connects to.
    pub endpoint: String,
    /// What the endpoint leads to, as printed: `rcfg-…/rgw-…` or `vpce-svc-…/NLB-NAME`.
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_configuration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_gateway: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<String>,
    /// The port the source connects to at the endpoint (the listener's, for an endpoint
    /// service; the cache port itself through a resource endpoint).
    pub endpoint_ports: String,
    /// How the resource or the targets name the cache, and which node(s) that stands for.
    pub resolves: String,
    /// What the walks noted on the way (`CODE: text`: unhealthy targets, zones, names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A relay a source goes through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Via {
    /// The relay's instance id (or the host as declared when it names no instance).
    pub relay: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_name: Option<String>,
    /// `tcp-proxy`, `ssh-bastion`, `ssm-port-forward`, `nat-instance`, `http-proxy`,
    /// `discovered`, or `privatelink` (`relay` is then the VPC endpoint; see
    /// `ReachedBy::privatelink`).
    pub relay_kind: String,
    /// The port the first leg arrives on (none for SSM).
    pub listen: Option<u16>,
}

/// A relay, declared or discovered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RelayAudit {
    /// Instance id (or the host as declared when it names no instance).
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The declared kind, or `discovered`.
    pub kind: String,
    pub declared: bool,
    /// Outside sources whose first leg completes (`internet`, range names; `session-manager`
    /// for an SSM-ready host).
    pub reached_from: Vec<String>,
    /// Caches whose port the second leg reaches, forward and return.
    pub reaches: Vec<String>,
    /// Ports the first leg arrives on (for discovered relays: every TCP port an outside
    /// source reaches).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    /// Why a declared relay carries nothing (its host names no instance, a leg is blocked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// An `http-proxy` relay: who reaches its forward target (the internet) through it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress: Option<ProxyEgress>,
}

/// What an egress proxy (`http-proxy` relay) carries, semantics M10.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProxyEgress {
    /// Where the proxy forwards: its `forward` target, `internet` when not given.
    pub to: String,
    /// The port asked on leg 2: the relay's `port`, 443 when not given.
    pub port: String,
    /// Leg 2, proxy → `to` on `port`, forward and return.
    pub verdict: Verdict,
    /// The subnets whose interfaces complete leg 1 (to the proxy's listen port, directly or
    /// through an interface endpoint), each with its VPC; empty when leg 2 is unreachable.
    pub clients: Vec<ProxyClient>,
}

/// A subnet whose interfaces reach the proxy (leg 1) one way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProxyClient {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    pub subnet: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `direct` (to the proxy's own address) or the interface endpoint (`vpce-…`) used.
    pub through: String,
    /// Both legs: reachable when every sending interface of the subnet completes both.
    pub verdict: Verdict,
    pub enis: EniCount,
}

/// SSM readiness of one running instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SsmEntry {
    pub instance: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub ready: bool,
    /// `nat`, `internet-gateway`, `endpoints` or `mixed`; null when not every service is
    /// reached.
    pub route: Option<SsmRoute>,
    /// Failed conditions (and remarks such as an endpoint the DNS bypasses).
    pub missing: Vec<SsmGap>,
    /// Declared as an `ssm-port-forward` relay.
    pub relay: bool,
}

impl ReachedBy {
    /// The kind as printed (`range`, `internet`, `security-group`, `subnet`, `eni`).
    pub fn kind_str(&self) -> &'static str {
        match self.kind {
            SourceKind::Range => "range",
            SourceKind::Internet => "internet",
            SourceKind::SecurityGroup => "security-group",
            SourceKind::Subnet => "subnet",
            SourceKind::Eni => "eni",
        }
    }
}

impl AuditReport {
    /// Whether a finding at `min` severity or worse exists.
    pub fn has_finding_at(&self, min: crate::catalogue::Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= min)
    }
}
