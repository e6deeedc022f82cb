//! Explanation codes: why a flow stops or what vpcreach had to assume. Names follow AWS
//! Reachability Analyzer where it has one (§9 of the semantics reference); the few that are
//! vpcreach's own are marked so.

use serde::Serialize;

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident => $text:literal),* $(,)?) => {
        /// An explanation code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        pub enum Code {
            $($(#[$doc])* $name,)*
        }

        impl Code {
            /// The code as printed (`NO_ROUTE_TO_DESTINATION`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => stringify!($name),)* }
            }
            /// One-line meaning.
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$name => $text,)* }
            }
            /// Every code, for documentation.
            pub fn all() -> &'static [Code] {
                &[$(Code::$name,)*]
            }
        }
    };
}

codes! {
    /// No path exists (e.g. no ENI holds the destination address).
    NO_PATH => "No path exists",
    /// The two VPCs are not linked by peering or a transit gateway.
    DISCONNECTED_VPCS => "VPCs not linked by peering or TGW",
    /// A component vpcreach does not model (VGW, Connect, local gateway, ...).
    UNSUPPORTED_COMPONENT => "Component not modeled",
    /// A referenced security group is in an account not in the snapshot: matches nothing.
    UNKNOWN_PEERED_SGS => "SG in unknown VPC/account: no match",
    /// A component is not in a working state (stopped instance, deleted NAT gateway, ...).
    BAD_STATE => "Component not working",
    /// The selected route is a blackhole.
    BAD_STATE_ROUTE => "Selected route blackholed/inactive",
    /// No route covers the destination.
    NO_ROUTE_TO_DESTINATION => "No route covers the destination",
    /// A longer prefix wins.
    MORE_SPECIFIC_ROUTE => "Longer prefix wins",
    /// Same prefix, higher-priority route wins.
    HIGHER_PRIORITY_ROUTE => "Same prefix, higher priority wins",
    /// The local route was used for an address outside the VPC's CIDRs.
    VPC_LOCAL_ROUTE_CIDR_RESTRICTION => "Local route used outside VPC CIDRs",
    /// A subnet NACL denies.
    SUBNET_ACL_RESTRICTION => "Subnet NACL denies",
    /// No security-group rule of the ENI admits the traffic.
    ENI_SG_RULES_MISMATCH => "No SG rule of the ENI admits",
    /// The ENI's security groups have no rules in that direction.
    SG_HAS_NO_RULES => "SG empty in that direction",
    /// A hop strips the security-group identity (NAT, IGW, cross-Region peering, ...).
    SG_REFERENCES_NOT_PRESERVED => "A hop strips SG identity",
    /// The transit gateway or an attachment lacks security-group referencing support.
    SG_REFERENCING_SUPPORT => "TGW/attachment lacks SG referencing",
    /// Source/destination check blocks forwarding through an ENI.
    ENI_SOURCE_DEST_CHECK_RESTRICTION => "Source/dest check blocks transit",
    /// The sender has no public IP for the internet gateway to map.
    IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS => "Sender has no public IP",
    /// The destination is not a public IP mapped to an ENI behind the internet gateway.
    IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS => "Target is not a mapped public IP",
    /// Inbound source address in RFC 1918 space.
    IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS => "Inbound source RFC1918",
    /// Inbound source address in 100.64.0.0/10.
    IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS => "Inbound source 100.64/10",
    /// Outbound destination in RFC 1918 space.
    IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS => "Outbound destination RFC1918",
    /// Outbound destination in 100.64.0.0/10.
    IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS => "Outbound destination 100.64/10",
    /// Traffic reaches a NAT gateway from outside its VPC (peering, VPN, ...).
    NGW_REQUIRES_SOURCE_IN_VPC => "NAT GW traffic from outside its VPC",
    /// The protocol is refused by the component.
    PROTOCOL_RESTRICTION => "Protocol refused",
    /// Peering crossed with an address outside the two VPCs' CIDRs.
    PCX_REQUIRES_ADDRESS_IN_VPC_CIDR => "Peering crossed with a foreign address",
    /// The sender's AZ has no subnet of the TGW attachment.
    TGW_ROUTE_AZ_RESTRICTION => "No attachment subnet in sender's AZ",
    /// The attachment is associated with no TGW route table.
    TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION => "Attachment has no TGW table",
    /// The selected TGW route is a blackhole.
    TGW_RTB_BAD_STATE_ROUTE => "TGW route blackholed",
    /// A TGW route lost on prefix length.
    TGW_RTB_MORE_SPECIFIC_ROUTE => "TGW route lost on prefix length",
    /// A TGW route lost on type priority.
    TGW_RTB_HIGHER_PRIORITY_ROUTE => "TGW route lost on type priority",
    /// The TGW routes are not in the snapshot.
    TGW_RTB_ROUTES_ARE_UNKNOWN => "TGW routes not in snapshot",
    /// A gateway endpoint carries TCP and ICMP echo only.
    VPCE_GATEWAY_PROTOCOL_RESTRICTION => "Gateway endpoint: TCP, ICMP echo only",
    /// An interface endpoint cannot initiate traffic into its own VPC.
    VPCE_INTRA_VPC_TRAFFIC => "Endpoint can't initiate in own VPC",
    /// (vpcreach) A VPC's CIDR was not propagated to a TGW route table because an earlier
    /// attachment's overlaps it.
    TGW_PROPAGATION_SUPPRESSED_OVERLAP => "TGW did not propagate an overlapping CIDR (vpcreach)",
    /// (vpcreach) A rule names a security group that no longer exists.
    STALE_SG_REFERENCE => "Rule references a deleted SG (vpcreach)",
    /// (vpcreach) A prefix list has no entries in the snapshot: it matches nothing.
    UNRESOLVED_PREFIX_LIST => "Prefix list entries unknown (vpcreach)",
    /// (vpcreach) The snapshot lacks data this verdict depends on.
    SNAPSHOT_INCOMPLETE => "Snapshot lacks data for this verdict (vpcreach)",
    /// (vpcreach) An internet-reachable ENI can reach the cache port (a relay exposes it).
    RELAY_EXPOSURE => "Internet-reachable relay reaches the cache (vpcreach)",
    /// (vpcreach) The destination address is held by network interfaces in other VPCs whose
    /// CIDRs overlap the one the path arrives in. Matters because the answer speaks about the
    /// VPC the routes lead to, which may not be the one the user meant. Fix: qualify the
    /// address (`vpc-…/10.0.1.10`) or renumber one of the overlapping VPCs.
    ADDRESS_IN_OVERLAPPING_VPCS => "Address also held in an overlapping VPC (vpcreach)",
    /// (vpcreach) A source has no target address of the same family (IPv4 source, IPv6-only
    /// target or the reverse): no flow of the question exists for it. Fix: ask with addresses
    /// of one family, or give the target an address of the source's family.
    NO_COMMON_ADDRESS_FAMILY => "Source and target share no address family (vpcreach)",
    /// (vpcreach) A source address inside a subnet is held by no network interface: it is
    /// treated as a host with no security group (all traffic allowed at the host), so the
    /// verdict only reflects NACLs and routes. Fix: name the instance or ENI instead, or check
    /// that the address is the one you meant.
    SOURCE_HELD_BY_NO_INTERFACE => "Source address held by no ENI: treated as a bare host (vpcreach)",
    /// (vpcreach) The client's ephemeral (source) port range assumed for replies: the default
    /// for the kind of client (Linux 32768-60999, Windows 49152-65535, ...) or `--ephemeral`.
    /// Matters because stateless NACLs must admit replies to these ports. Fix: pass
    /// `--ephemeral LO-HI` when the client uses another range.
    EPHEMERAL_PORT_RANGE => "Client ephemeral port range assumed (vpcreach)",
    /// (vpcreach) A NAT gateway picks any source port from 1024-65535, so a flow through it
    /// counts as complete only when NACLs admit every port choice. Fix: open NACLs for
    /// 1024-65535 on the paths behind a NAT gateway.
    NAT_GATEWAY_SOURCE_PORTS => "NAT gateway source ports 1024-65535 assumed (vpcreach)",
    /// (vpcreach) An appliance (a route to a network interface or instance with the
    /// source/destination check off) is assumed to forward packets unchanged: its own
    /// software (firewall, proxy, NAT) is not in EC2 data. Fix: check the appliance's rules.
    APPLIANCE_FORWARDS_UNCHANGED => "Appliance forwards unchanged (vpcreach)",
    /// (vpcreach) Security groups are stateful (replies are not checked against them) and
    /// NACLs stateless (checked both ways, replies to the client's ephemeral ports). Always
    /// assumed: this is how AWS evaluates them.
    STATEFUL_SECURITY_GROUPS => "SGs stateful, NACLs stateless (vpcreach)",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
