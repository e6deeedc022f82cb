//! The answer to a reachability question: verdict, paths (forward and return hops), blockers,
//! assumptions and warnings. Plain serializable data; its JSON form is a documented contract.
//! Owns the names of the AWS component kinds and rule directions as they appear in answers.

use super::codes::Code;
use super::notes::{Assumption, Warning};
use serde::{Serialize, Serializer};

macro_rules! kinds {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$doc:meta])* $var:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
        $vis enum $name {
            $($(#[$doc])* #[serde(rename = $text)] $var,)*
        }

        impl $name {
            /// The name as printed in answers.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $text,)* }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

kinds! {
    /// The kind of component a hop passes or a blocker names (`kind` in the answer JSON).
    pub enum ComponentKind {
        /// An elastic network interface (an instance's, an endpoint's, an appliance's).
        NetworkInterface => "network-interface",
        /// The security groups of one network interface.
        SecurityGroup => "security-group",
        /// A subnet's network ACL.
        NetworkAcl => "network-acl",
        /// A VPC route table (subnet, main or gateway route table).
        RouteTable => "route-table",
        /// An internet gateway.
        InternetGateway => "internet-gateway",
        /// An egress-only internet gateway (IPv6).
        EgressOnlyInternetGateway => "egress-only-internet-gateway",
        /// A NAT gateway (public or private).
        NatGateway => "nat-gateway",
        /// A VPC peering connection.
        VpcPeeringConnection => "vpc-peering-connection",
        /// A transit gateway.
        TransitGateway => "transit-gateway",
        /// A transit-gateway route table.
        TransitGatewayRouteTable => "transit-gateway-route-table",
        /// A transit-gateway attachment.
        TransitGatewayAttachment => "transit-gateway-attachment",
        /// A VPC endpoint (gateway or interface) or the AWS service behind it.
        VpcEndpoint => "vpc-endpoint",
        /// A load balancer (behind an endpoint service).
        LoadBalancer => "load-balancer",
        /// A VPC Lattice resource gateway (behind a resource endpoint).
        ResourceGateway => "resource-gateway",
        /// A VPC as a whole (local delivery, its internet gateway).
        Vpc => "vpc",
        /// A subnet.
        Subnet => "subnet",
        /// A route target outside the modelled network (VPN, Direct Connect, ...).
        Gateway => "gateway",
        /// The internet outside every VPC.
        Internet => "internet",
        /// An address inside a subnet that no network interface holds.
        Host => "host",
    }
}

kinds! {
    /// The direction of a security-group or network-ACL check (`direction` in the answer JSON).
    pub enum Direction {
        /// Security group, traffic arriving at the network interface.
        Ingress => "ingress",
        /// Security group, traffic leaving the network interface.
        Egress => "egress",
        /// Network ACL, traffic entering the subnet.
        Inbound => "inbound",
        /// Network ACL, traffic leaving the subnet.
        Outbound => "outbound",
    }
}

/// Serialize notes as the strings they display as.
fn as_strings<S: Serializer, T: std::fmt::Display>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|x| x.to_string()))
}

/// `reachable` | `partial` | `unreachable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every flow in the question completes the forward and the return path.
    Reachable,
    /// Some flows complete, others do not (see `passing` / `failing`).
    Partial,
    /// No flow completes.
    Unreachable,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Reachable => "reachable",
            Verdict::Partial => "partial",
            Verdict::Unreachable => "unreachable",
        })
    }
}

/// Which leg of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Leg {
    Forward,
    Return,
}

/// One component a flow passes through.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
pub struct Hop {
    /// The AWS id (or a description for outside hosts).
    pub component: String,
    /// The component's name (`Name` tag, a security group's GroupName, an interface's
    /// instance's name), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `network-interface`, `security-group`, `network-acl`, `route-table`, `internet-gateway`,
    /// `nat-gateway`, `vpc-peering-connection`, `transit-gateway`, `transit-gateway-route-table`,
    /// `transit-gateway-attachment`, `vpc-endpoint`, `internet`, `host`, ...
    pub kind: ComponentKind,
    /// `ingress` / `egress` for security groups, `inbound` / `outbound` for NACLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// The rule or route that let the traffic through (NACL rule number, SG rule, route
    /// destination and target).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// What happened here, in words (addresses after translation, the chosen route, ...).
    pub detail: String,
    /// In `walked` paths: `passed` or `stopped` (absent in `paths`, where every hop passed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<HopStatus>,
    /// The explanation code of a `stopped` hop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
}

/// Whether (part of) a walked flow passed a hop or was stopped there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum HopStatus {
    Passed,
    Stopped,
}

/// How far a walked path got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Reached {
    /// A routing or gateway stop ended it (its last hop is the stop).
    Stop,
    /// It was delivered to the target (as a ghost) and has no return leg (ICMP without reply).
    Target,
    /// Its reply came back to the client, but a filter on one of the legs stopped it.
    Client,
}

/// The way (part of) the failing flows went, every hop marked `passed` or `stopped`: failing
/// flows are followed past filters that stop them (as ghosts) through both legs, until a routing
/// stop or the client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct WalkedPath {
    /// Which flows went this way.
    pub flows: FlowSummary,
    /// Their client (source) ports, for TCP/UDP-like protocols: two ways that differ only on
    /// the return leg usually differ in these.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ports: Option<String>,
    pub forward: Vec<Hop>,
    #[serde(rename = "return")]
    pub return_: Vec<Hop>,
    pub reached: Reached,
}

/// A component that stops (part of) a flow.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
pub struct Blocker {
    pub component: String,
    /// The component's name, when it has one (as in [`Hop::name`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub kind: ComponentKind,
    /// AWS Reachability Analyzer explanation code where one exists.
    pub code: Code,
    pub leg: Leg,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// The rule that denies (NACL rule number), when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub detail: String,
    /// The smallest change that lets this part through, with ids, ports and addresses of the
    /// blocked packets (or the catalogue's advice for codes without a configuration fix).
    pub fix: String,
}

impl Blocker {
    /// `forward` or `return`.
    pub fn leg_name(&self) -> &'static str {
        match self.leg {
            Leg::Forward => "forward",
            Leg::Return => "return",
        }
    }
}

/// A set of flows, summarised per dimension.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FlowSummary {
    pub sources: Vec<String>,
    pub destinations: Vec<String>,
    pub protocols: String,
    pub ports: String,
    /// For tables: a name for `sources` when it is exactly a set people know by name
    /// (`internet (public IPv4)`); not serialized (the lists are the contract).
    #[serde(skip)]
    pub sources_label: Option<String>,
    /// The same for `destinations`.
    #[serde(skip)]
    pub destinations_label: Option<String>,
}

/// One distinct way through: its forward and return hops.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Path {
    /// Which flows take this path.
    pub flows: FlowSummary,
    pub forward: Vec<Hop>,
    #[serde(rename = "return")]
    pub return_: Vec<Hop>,
}

/// The full answer.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Answer {
    pub format_version: u32,
    /// The question as understood (resolved sources and targets).
    pub question: QuestionSummary,
    /// At least one flow completes the forward and the return path.
    pub reachable: bool,
    pub verdict: Verdict,
    /// Flows that complete (when partial or reachable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passing: Option<FlowSummary>,
    /// Flows that do not (when partial or unreachable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failing: Option<FlowSummary>,
    pub paths: Vec<Path>,
    /// The paths the failing flows walked (forward and return), each hop marked `passed` or
    /// `stopped`; empty when every flow completes.
    pub walked: Vec<WalkedPath>,
    pub blocked: Vec<Blocker>,
    /// What the verdict takes for granted, sorted by text (serialized as strings).
    #[serde(serialize_with = "as_strings")]
    #[schemars(with = "Vec<String>")]
    pub assumptions: Vec<Assumption>,
    /// What may make the verdict wrong or surprising, sorted by text (serialized as strings).
    #[serde(serialize_with = "as_strings")]
    #[schemars(with = "Vec<String>")]
    pub warnings: Vec<Warning>,
    /// The warnings and then the assumptions again, each with its catalogue code and severity
    /// (`vpcreach explain CODE`), for tools that filter by code.
    pub notes: Vec<Note>,
    /// The snapshot files that failed to load or loaded partly (each also a SNAPSHOT_INCOMPLETE
    /// warning): empty when the snapshot loaded cleanly.
    pub incomplete: Vec<crate::model::IncompleteFile>,
}

impl Answer {
    /// Why the answer rests on incomplete data: every SNAPSHOT_INCOMPLETE warning and blocker
    /// (files that did not load, collect calls that failed, components whose data is missing)
    /// and every LB_NOT_MODELLED blocker (a component vpcreach does not follow), and a
    /// PREFIX_LIST_ROUTE_TIE when a flow completes on some of the tied routes only.
    /// Empty when the answer rests on complete data.
    pub fn incomplete_reasons(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .warnings
            .iter()
            .filter(|w| w.code() == Code::SNAPSHOT_INCOMPLETE)
            .map(|w| w.to_string())
            .collect();
        out.extend(
            self.blocked
                .iter()
                .filter(|b| matches!(b.code, Code::SNAPSHOT_INCOMPLETE | Code::LB_NOT_MODELLED))
                .map(|b| format!("{}: {}", b.component, b.detail)),
        );
        // R4 tie: some flow completes on one of the tied routes and not on another, so the
        // verdict depends on a choice AWS makes that no data records.
        if self.verdict != Verdict::Reachable && !self.paths.is_empty() {
            out.extend(
                self.warnings
                    .iter()
                    .filter(|w| w.code() == Code::PREFIX_LIST_ROUTE_TIE)
                    .map(|w| format!("{w} (a flow completes on one of these routes only)")),
            );
        }
        out
    }
}

/// Whether a [`Note`] is a warning or an assumption.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    Warning,
    Assumption,
}

/// A warning or an assumption with its code: `{"code", "severity", "kind", "message"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Note {
    pub code: Code,
    pub severity: crate::catalogue::Severity,
    pub kind: NoteKind,
    /// The text listed in `warnings` or `assumptions`.
    pub message: String,
}

impl Note {
    /// The notes of a list of warnings and a list of assumptions, in that order.
    pub fn of(warnings: &[Warning], assumptions: &[Assumption]) -> Vec<Note> {
        let note = |code: Code, kind, message: String| Note {
            code,
            severity: code.severity(),
            kind,
            message,
        };
        let w = warnings
            .iter()
            .map(|w| note(w.code(), NoteKind::Warning, w.to_string()));
        let a = assumptions
            .iter()
            .map(|a| note(a.code(), NoteKind::Assumption, a.to_string()));
        w.chain(a).collect()
    }
}

/// The resolved question.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct QuestionSummary {
    pub from: String,
    pub to: String,
    pub protocol: String,
    /// The ports (or ICMP types) asked about, nothing else: `6379`, `1024-65535`, `all`.
    pub ports: String,
    /// Where they came from: `asked` (`--port`), `cache` (the target cache's ports) or `all`.
    #[schemars(schema_with = "ports_origin_schema")]
    pub ports_origin: super::resolve::PortsOrigin,
    /// Resolved sources (ENIs with addresses, or outside hosts).
    pub sources: Vec<String>,
    /// Resolved targets (addresses and the ENIs that hold them).
    pub targets: Vec<String>,
}

/// The schema of [`super::resolve::PortsOrigin`] (its serialized names).
fn ports_origin_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Where the ports came from: `asked` (--port), `cache` (the target cache's ports) or `all`.",
        "type": "string",
        "enum": ["asked", "cache", "all"]
    })
}

/// Format version of the answer JSON.
pub const ANSWER_FORMAT: u32 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_directions_serialize_as_their_names() {
        let kinds = [
            ComponentKind::NetworkInterface,
            ComponentKind::SecurityGroup,
            ComponentKind::NetworkAcl,
            ComponentKind::RouteTable,
            ComponentKind::InternetGateway,
            ComponentKind::EgressOnlyInternetGateway,
            ComponentKind::NatGateway,
            ComponentKind::VpcPeeringConnection,
            ComponentKind::TransitGateway,
            ComponentKind::TransitGatewayRouteTable,
            ComponentKind::TransitGatewayAttachment,
            ComponentKind::VpcEndpoint,
            ComponentKind::Vpc,
            ComponentKind::Subnet,
            ComponentKind::Gateway,
            ComponentKind::Internet,
            ComponentKind::Host,
        ];
        let json: Vec<String> = kinds
            .iter()
            .map(|k| serde_json::to_string(k).unwrap_or_default())
            .collect();
        assert_eq!(
            json.join(" "),
            "\"network-interface\" \"security-group\" \"network-acl\" \"route-table\" \
             \"internet-gateway\" \"egress-only-internet-gateway\" \"nat-gateway\" \
             \"vpc-peering-connection\" \"transit-gateway\" \"transit-gateway-route-table\" \
             \"transit-gateway-attachment\" \"vpc-endpoint\" \"vpc\" \"subnet\" \"gateway\" \
             \"internet\" \"host\""
        );
        for k in kinds {
            assert_eq!(serde_json::to_string(&k).ok(), Some(format!("\"{k}\"")));
        }
        for (d, s) in [
            (Direction::Ingress, "ingress"),
            (Direction::Egress, "egress"),
            (Direction::Inbound, "inbound"),
            (Direction::Outbound, "outbound"),
        ] {
            assert_eq!(serde_json::to_string(&d).ok(), Some(format!("\"{s}\"")));
            assert_eq!(d.to_string(), s);
        }
    }
}
