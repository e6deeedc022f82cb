//! SSM readiness of an instance (semantics M3): can Session Manager port forwarding
//! (`AWS-StartPortForwardingSessionToRemoteHost`) use it as a relay? Ready when an instance
//! profile is attached and TCP 443 from the instance completes to each of the `ssm`,
//! `ssmmessages` and `ec2messages` services, through a NAT gateway, an internet gateway with
//! the instance's public address, or interface endpoints its VPC's DNS resolves to.

use crate::catalogue::Code;
use crate::engine::{Blocker, Verdict};
use serde::Serialize;

/// The three services the SSM Agent talks to, in the order reported.
pub const SSM_SERVICES: [&str; 3] = ["ssm", "ssmmessages", "ec2messages"];

/// How HTTPS from the instance reaches a service (or all of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SsmRoute {
    /// Through a NAT gateway (and its internet gateway).
    Nat,
    /// Through an internet gateway, with the instance's own public address.
    InternetGateway,
    /// Through interface endpoints in the instance's VPC.
    Endpoints,
    /// The services are reached in different ways.
    Mixed,
}

/// One of the three services.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SsmService {
    /// `com.amazonaws.<region>.ssm`, …
    pub service: String,
    /// The interface endpoint the name resolves to, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// How HTTPS got there (when it did).
    pub route: Option<SsmRoute>,
    /// The verdict of TCP 443 from the instance to the service.
    pub verdict: Verdict,
    /// What stops it (when not reachable).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<Blocker>,
}

/// A condition of readiness that does not hold, or a remark about one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SsmGap {
    pub code: Code,
    pub detail: String,
}

/// Readiness of one running instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SsmReadiness {
    pub instance: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub ready: bool,
    /// How the services are reached: one route for all, `mixed`, or null when not all are.
    pub route: Option<SsmRoute>,
    pub services: Vec<SsmService>,
    /// Failed conditions (and remarks such as an endpoint the DNS bypasses).
    pub missing: Vec<SsmGap>,
    /// What readiness takes for granted (agent version, IAM).
    pub assumptions: Vec<String>,
}
