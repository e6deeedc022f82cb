//! Typed notes on an answer: [`Warning`]s (what may make a verdict wrong or surprising: data the
//! snapshot lacks, rules that match nothing, routes that shadow others, addresses that exist in
//! several VPCs) and [`Assumption`]s (what every verdict takes for granted: the client's
//! ephemeral ports, the NAT gateway's source ports, appliances forwarding unchanged, stateful
//! security groups and stateless NACLs).
//!
//! Each note has one variant per kind, carries its parameters, names its explanation
//! [`Code`], and displays as the exact sentence the answer JSON lists (`warnings`,
//! `assumptions`: sorted by that text, duplicates removed).

use super::codes::Code;
use std::fmt;

/// Why a security-group reference cannot match on this path (S6).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdentityLoss {
    /// Outbound through an internet gateway: the source becomes a public address.
    InternetGatewayEgress { gateway: String },
    /// Inbound through an internet gateway to a public IPv4 address.
    InternetGatewayIngress { gateway: String },
    /// Inbound through an internet gateway to an IPv6 address.
    InternetGatewayIngressV6 { gateway: String },
    /// Through a NAT gateway: the source is the NAT's address.
    NatGateway { nat: String },
    /// Across a cross-Region peering connection.
    CrossRegionPeering { peering: String },
    /// Across a transit gateway without security-group referencing on it and both attachments.
    TransitGatewayReferencing { transit_gateway: String },
    /// Through a middlebox: a route to a network interface that forwards (S6).
    Middlebox { network_interface: String },
    /// Across a transit gateway peering attachment (S6, T11).
    TransitGatewayPeering { attachment: String },
    /// Through an interface endpoint to an endpoint service (S6, L3).
    PrivateLink { endpoint: String },
}

impl IdentityLoss {
    /// `SG_REFERENCING_SUPPORT` for transit gateways, else `SG_REFERENCES_NOT_PRESERVED`.
    pub fn code(&self) -> Code {
        match self {
            IdentityLoss::TransitGatewayReferencing { .. } => Code::SG_REFERENCING_SUPPORT,
            _ => Code::SG_REFERENCES_NOT_PRESERVED,
        }
    }
}

impl fmt::Display for IdentityLoss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentityLoss::InternetGatewayEgress { gateway } => write!(
                f,
                "traffic crossed internet gateway {gateway}: group references match private addresses only"
            ),
            IdentityLoss::InternetGatewayIngress { gateway } => write!(
                f,
                "traffic entered through internet gateway {gateway}: group references never match outside sources"
            ),
            IdentityLoss::InternetGatewayIngressV6 { gateway } => {
                write!(f, "traffic entered through internet gateway {gateway}")
            }
            IdentityLoss::NatGateway { nat } => write!(
                f,
                "traffic crossed NAT gateway {nat}: the source is its address"
            ),
            IdentityLoss::CrossRegionPeering { peering } => write!(
                f,
                "{peering} is cross-Region: group references do not match across it"
            ),
            IdentityLoss::TransitGatewayReferencing { transit_gateway } => write!(
                f,
                "{transit_gateway} or its attachments lack security-group referencing support"
            ),
            IdentityLoss::Middlebox { network_interface } => write!(
                f,
                "traffic crossed middlebox {network_interface}: group references do not match through a middlebox"
            ),
            IdentityLoss::TransitGatewayPeering { attachment } => write!(
                f,
                "traffic crossed transit gateway peering attachment {attachment}: group references do not match across TGW peering"
            ),
            IdentityLoss::PrivateLink { endpoint } => write!(
                f,
                "traffic came through PrivateLink endpoint {endpoint}: group references do not match the client over PrivateLink"
            ),
        }
    }
}

/// Something that may make a verdict wrong or surprising.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Warning {
    /// Something about a PrivateLink path (a load balancer target's health, a resource name)
    /// with its code.
    PrivateLink { code: Code, detail: String },
    /// A subnet has no network ACL in the snapshot: no NACL check was applied there.
    SubnetWithoutNetworkAcl { subnet: String },
    /// A security group of a network interface is not in the model: `why` says whether it
    /// failed to load (and where) or is simply absent. Its rules are unknown.
    InterfaceGroupMissing { group: String, why: String },
    /// A security-group rule references a group whose element failed to load.
    RuleGroupNotLoaded { rule: String, why: String },
    /// A file of the snapshot failed to load or loaded partly: any verdict may rest on it.
    SnapshotIncomplete { what: String },
    /// A NACL or route table on the path was kept without some of its entries or routes.
    ComponentPartlyLoaded { component: String, lost: String },
    /// A NACL, route table or security group on the path holds values AWS never prints (or
    /// entries that conflict), read with the interpretation its load warning states.
    ComponentReadAsStated { component: String, doubts: String },
    /// A security-group rule's prefix list has no entries in the snapshot.
    RulePrefixListUnresolved { rule: String, prefix_list: String },
    /// A security-group rule references a group in an account not in the snapshot.
    RuleGroupInUnknownAccount {
        rule: String,
        group: String,
        account: String,
    },
    /// A security-group rule references a group that no longer exists.
    RuleGroupStale { rule: String, group: String },
    /// A group rule could have admitted the traffic, but group identity is lost on the path.
    GroupIdentityLost(IdentityLoss),
    /// A route's prefix list has no entries in the snapshot.
    RoutePrefixListUnresolved { route: String, route_table: String },
    /// Same prefix, several routes: the higher-priority one wins.
    RouteShadowed {
        route_table: String,
        winner: String,
        losers: Vec<String>,
    },
    /// R4 tie: prefix-list routes of one table hold the same prefix with different targets;
    /// AWS uses one of them, the data does not say which.
    PrefixListRouteTie {
        route_table: String,
        prefix: String,
        routes: Vec<String>,
    },
    /// A NACL entry on the path never matches: earlier entries decide all its traffic.
    NaclRuleShadowed {
        acl: String,
        direction: String,
        rule: String,
        by: Vec<String>,
    },
    /// The destination addresses are held by network interfaces in other (overlapping) VPCs.
    AddressInOtherVpcs { addresses: String, holders: String },
    /// A transit-gateway route table's route listing was cut short.
    TgwRoutesTruncated { route_table: String },
    /// A TGW route table without propagation records and no default option that applies (T10).
    TgwPropagationsUnknown { route_table: String },
    /// A VPC CIDR was not propagated into a TGW route table because an earlier one overlaps it.
    TgwPropagationSuppressed {
        cidr: String,
        vpc: String,
        route_table: String,
        winner: String,
    },
    /// A source has no target address of its address family.
    NoCommonAddressFamily {
        source: String,
        /// The target as asked.
        target: String,
        /// The source's family, which the target has no address of.
        missing: String,
        /// The target's addresses (all of the other family).
        held: String,
    },
    /// A collection call failed: verdicts depending on its data may be wrong.
    CollectionFailed {
        operation: String,
        account: String,
        region: String,
        error: String,
        key: String,
    },
    /// A source address no network interface holds: treated as a host without security group.
    UnheldSourceAddress { addresses: String, subnet: String },
    /// `--port` names none of the ports the target cache listens on.
    PortNotCachePort {
        cache: String,
        asked: String,
        ports: String,
    },
}

impl Warning {
    /// The explanation code of this warning.
    pub fn code(&self) -> Code {
        match self {
            Warning::SubnetWithoutNetworkAcl { .. }
            | Warning::TgwRoutesTruncated { .. }
            | Warning::TgwPropagationsUnknown { .. }
            | Warning::CollectionFailed { .. }
            | Warning::InterfaceGroupMissing { .. }
            | Warning::RuleGroupNotLoaded { .. }
            | Warning::SnapshotIncomplete { .. }
            | Warning::ComponentPartlyLoaded { .. }
            | Warning::ComponentReadAsStated { .. } => Code::SNAPSHOT_INCOMPLETE,
            Warning::RuleGroupStale { .. } => Code::STALE_SG_REFERENCE,
            Warning::RulePrefixListUnresolved { .. }
            | Warning::RoutePrefixListUnresolved { .. } => Code::UNRESOLVED_PREFIX_LIST,
            Warning::RuleGroupInUnknownAccount { .. } => Code::UNKNOWN_PEERED_SGS,
            Warning::GroupIdentityLost(why) => why.code(),
            Warning::RouteShadowed { .. } => Code::HIGHER_PRIORITY_ROUTE,
            Warning::PrefixListRouteTie { .. } => Code::PREFIX_LIST_ROUTE_TIE,
            Warning::NaclRuleShadowed { .. } => Code::NACL_RULE_SHADOWED,
            Warning::AddressInOtherVpcs { .. } => Code::ADDRESS_IN_OVERLAPPING_VPCS,
            Warning::TgwPropagationSuppressed { .. } => Code::TGW_PROPAGATION_SUPPRESSED_OVERLAP,
            Warning::NoCommonAddressFamily { .. } => Code::NO_COMMON_ADDRESS_FAMILY,
            Warning::UnheldSourceAddress { .. } => Code::SOURCE_HELD_BY_NO_INTERFACE,
            Warning::PortNotCachePort { .. } => Code::PORT_NOT_CACHE_PORT,
            Warning::PrivateLink { code, .. } => *code,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code();
        match self {
            Warning::PrivateLink { detail, .. } => write!(f, "{code}: {detail}"),
            Warning::SubnetWithoutNetworkAcl { subnet } => write!(
                f,
                "subnet {subnet} has no network ACL in the snapshot: no NACL check applied"
            ),
            Warning::InterfaceGroupMissing { group, why } => write!(
                f,
                "{code}: security group {group} of the ENI {why}: its rules are unknown"
            ),
            Warning::RuleGroupNotLoaded { rule, why } => write!(
                f,
                "{code}: {rule}: the group {why}: whether the rule matches is unknown"
            ),
            Warning::SnapshotIncomplete { what } => write!(f, "{code}: {what}"),
            Warning::ComponentPartlyLoaded { component, lost } => write!(
                f,
                "{code}: {component} on the path was loaded without elements that failed to load ({lost}): its decision here may differ"
            ),
            Warning::ComponentReadAsStated { component, doubts } => write!(
                f,
                "{code}: {component} on the path holds values AWS never prints, read as its load warning states ({doubts}): the verdict rests on that reading"
            ),
            Warning::RulePrefixListUnresolved { rule, prefix_list } => write!(
                f,
                "{code}: {rule}: prefix list {prefix_list} has no entries in the snapshot; the rule matches nothing"
            ),
            Warning::RuleGroupInUnknownAccount {
                rule,
                group,
                account,
            } => write!(
                f,
                "{code}: {rule}: group {group} is in account {account} which is not in the snapshot; the rule matches nothing"
            ),
            Warning::RuleGroupStale { rule, group } => write!(
                f,
                "{code}: {rule}: group {group} no longer exists; the rule matches nothing"
            ),
            Warning::GroupIdentityLost(why) => write!(f, "{code}: {why}"),
            Warning::RoutePrefixListUnresolved { route, route_table } => write!(
                f,
                "{code}: route {route} in {route_table} uses a prefix list without entries in the snapshot; it matches nothing"
            ),
            Warning::RouteShadowed {
                route_table,
                winner,
                losers,
            } => write!(
                f,
                "{code}: in {route_table} route {winner} wins over {}",
                losers.join(", ")
            ),
            Warning::PrefixListRouteTie {
                route_table,
                prefix,
                routes,
            } => write!(
                f,
                "{code}: in {route_table} the prefix-list routes {} all hold {prefix}; AWS uses one \
                 of them and the snapshot does not say which: each is followed, and a flow counts \
                 as completing only if it completes on every one",
                routes.join(", ")
            ),
            Warning::NaclRuleShadowed {
                acl,
                direction,
                rule,
                by,
            } => write!(
                f,
                "{code}: in {acl} ({direction}) {rule} never matches: {} decides all its traffic first",
                by.join("; ")
            ),
            Warning::AddressInOtherVpcs { addresses, holders } => {
                write!(f, "{addresses} also exists in other VPCs: {holders}")
            }
            Warning::TgwRoutesTruncated { route_table } => write!(
                f,
                "{code}: the route listing of {route_table} was cut short"
            ),
            Warning::TgwPropagationsUnknown { route_table } => write!(
                f,
                "{code}: the snapshot has no propagation records for {route_table} and it is not its gateway's default propagation table: routes propagated into it are unknown"
            ),
            Warning::TgwPropagationSuppressed {
                cidr,
                vpc,
                route_table,
                winner,
            } => write!(
                f,
                "{code}: {cidr} of {vpc} is not propagated into {route_table} (overlaps {winner} of an earlier attachment)"
            ),
            Warning::NoCommonAddressFamily {
                source,
                target,
                missing,
                held,
            } => write!(
                f,
                "{source}: {target} has no {missing} address (its addresses: {held}): no flow of \
                 this source is possible (IPv4 and IPv6 are separate)"
            ),
            Warning::CollectionFailed {
                operation,
                account,
                region,
                error,
                key,
            } if key.is_empty() => write!(
                f,
                "{code}: {operation} failed for {account}/{region} ({error}); nothing of account {account} is in the snapshot, verdicts depending on it may be wrong"
            ),
            Warning::CollectionFailed {
                operation,
                account,
                region,
                error,
                key,
            } => write!(
                f,
                "{code}: {operation} failed for {account}/{region} ({error}); verdicts depending on {key} may be wrong"
            ),
            Warning::PortNotCachePort {
                cache,
                asked,
                ports,
            } => write!(
                f,
                "{code}: {cache} listens on port {ports}, not on the port asked ({asked}); ask with --port {ports} (or no --port) for the cache's own port"
            ),
            Warning::UnheldSourceAddress { addresses, subnet } => write!(
                f,
                "{addresses} in {subnet} is held by no network interface: treated as a host there with no security group (all traffic allowed at the host)"
            ),
        }
    }
}

/// Something every verdict of the answer takes for granted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Assumption {
    /// The client's ephemeral (source) port range.
    EphemeralPorts {
        low: u16,
        high: u16,
        client: String,
        /// Given with `--ephemeral` rather than the default for the kind of client.
        given: bool,
    },
    /// A NAT gateway may pick any source port in 1024-65535.
    NatGatewaySourcePorts,
    /// An appliance (source/destination check off) forwards packets unchanged.
    ApplianceForwardsUnchanged { network_interface: String },
    /// Security groups are stateful, NACLs stateless.
    StatefulSecurityGroups,
    /// ICMP types without a reply (not a request): complete on delivery, no return leg.
    IcmpWithoutReply { types: String },
    /// A TGW route table's propagations taken from the gateway's default options (T10).
    TgwPropagationInferred {
        route_table: String,
        transit_gateway: String,
    },
    /// A TGW attachment's association taken from the gateway's default options (T10).
    TgwAssociationInferred {
        attachment: String,
        route_table: String,
        transit_gateway: String,
    },
    /// A peering side found by its VPC id: its `OwnerId` is no account of the snapshot.
    PeeringSideByVpcId {
        peering: String,
        vpc: String,
        owner: String,
    },
    /// An account/region folder lacks whole kinds (no output at all): read as none.
    KindsNotExported { what: String },
    /// A resource configuration's DNS name is a cache-wide ElastiCache endpoint (primary,
    /// reader or configuration endpoint): which node(s) it is taken to stand for (L5).
    ResourceNameResolved {
        configuration: String,
        name: String,
        stands_for: String,
        detail: String,
    },
    /// What a CIDR source stands for (`src/engine/sources.rs`).
    CidrSource {
        /// The block as asked (`vpc-…/` included).
        cidr: String,
        /// Network interfaces sending from addresses in it.
        interfaces: usize,
        /// Subnets holding addresses of it that no interface holds.
        hosts: usize,
        /// VPCs the block overlaps (or the one it was narrowed to).
        vpcs: Vec<String>,
        /// The part outside every VPC, when there is one.
        outside: Option<String>,
        /// Interfaces in it that send no traffic of their own.
        left_out: Vec<String>,
    },
}

impl Assumption {
    /// The explanation code of this assumption.
    pub fn code(&self) -> Code {
        match self {
            Assumption::EphemeralPorts { .. } => Code::EPHEMERAL_PORT_RANGE,
            Assumption::NatGatewaySourcePorts => Code::NAT_GATEWAY_SOURCE_PORTS,
            Assumption::ApplianceForwardsUnchanged { .. } => Code::APPLIANCE_FORWARDS_UNCHANGED,
            Assumption::StatefulSecurityGroups => Code::STATEFUL_SECURITY_GROUPS,
            Assumption::IcmpWithoutReply { .. } => Code::ICMP_TYPE_WITHOUT_REPLY,
            Assumption::TgwPropagationInferred { .. }
            | Assumption::TgwAssociationInferred { .. } => Code::TGW_DEFAULT_ROUTE_TABLE_ASSUMED,
            Assumption::PeeringSideByVpcId { .. } => Code::PEERING_OWNER_NOT_IN_SNAPSHOT,
            Assumption::CidrSource { .. } => Code::CIDR_SOURCE_EXPANDED,
            Assumption::KindsNotExported { .. } => Code::SNAPSHOT_KIND_NOT_EXPORTED,
            Assumption::ResourceNameResolved { .. } => Code::RESOURCE_CACHE_ENDPOINT,
        }
    }
}

impl fmt::Display for Assumption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Assumption::EphemeralPorts {
                low,
                high,
                client,
                given,
            } => write!(
                f,
                "client ephemeral ports {low}-{high} for {client}{}",
                if *given {
                    " (given)"
                } else {
                    " (default for this kind of client)"
                }
            ),
            Assumption::NatGatewaySourcePorts => f.write_str(
                "A NAT gateway picks any source port from 1024-65535: a flow through it counts as complete only when every port choice works",
            ),
            Assumption::ApplianceForwardsUnchanged { network_interface } => write!(
                f,
                "appliance {network_interface} forwards packets unchanged (its behaviour is not in EC2 data)"
            ),
            Assumption::StatefulSecurityGroups => f.write_str(
                "security groups are stateful: replies are not checked against them; NACLs are stateless and checked both ways",
            ),
            Assumption::IcmpWithoutReply { types } => write!(
                f,
                "ICMP {types} has no reply: those flows complete when delivered, with no return leg (echo 8 and ICMPv6 128 are answered by 0 and 129)"
            ),
            Assumption::TgwPropagationInferred {
                route_table,
                transit_gateway,
            } => write!(
                f,
                "{route_table}: propagations inferred from the TGW's default options (no propagation records in the snapshot): every VPC attachment of {transit_gateway} is assumed to propagate into its default propagation table"
            ),
            Assumption::TgwAssociationInferred {
                attachment,
                route_table,
                transit_gateway,
            } => write!(
                f,
                "{attachment}: association inferred from the TGW's default options (no association record in the snapshot): assumed associated with {route_table}, the default association table of {transit_gateway}"
            ),
            Assumption::PeeringSideByVpcId {
                peering,
                vpc,
                owner,
            } => write!(
                f,
                "{peering}: its side {vpc} names owner {owner}, which is no account of the snapshot; {vpc} was found by its (globally unique) VPC id"
            ),
            Assumption::KindsNotExported { what } => {
                write!(f, "SNAPSHOT_KIND_NOT_EXPORTED: {what}")
            }
            Assumption::ResourceNameResolved {
                configuration,
                name,
                stands_for,
                detail,
            } => write!(
                f,
                "RESOURCE_CACHE_ENDPOINT: {configuration} names {name}, the {stands_for} ({detail})"
            ),
            Assumption::CidrSource {
                cidr,
                interfaces,
                hosts,
                vpcs,
                outside,
                left_out,
            } => {
                write!(
                    f,
                    "source {cidr} is every address in it: {interfaces} network interface(s) and unheld addresses in {hosts} subnet(s) (hosts with no security group)"
                )?;
                if !vpcs.is_empty() {
                    write!(f, " in {}", vpcs.join(", "))?;
                }
                if let Some(o) = outside {
                    write!(f, "; outside hosts {o}, which enter from the internet (an internet gateway drops private and shared source addresses; VPN and Direct Connect are not modelled)")?;
                }
                if !left_out.is_empty() {
                    write!(
                        f,
                        "; left out, as they send no traffic of their own: {}",
                        left_out.join(", ")
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// `3 skipped, first: file#pointer: error` for a [`Warning::ComponentPartlyLoaded`].
pub fn lost_summary(lost: &[String]) -> String {
    match lost {
        [] => String::new(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{} skipped, first: {first}", rest.len() + 1),
    }
}

/// `2 warnings, first: file#pointer: warning` for a [`Warning::ComponentReadAsStated`].
pub fn doubt_summary(doubts: &[String]) -> String {
    match doubts {
        [] => String::new(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{} warnings, first: {first}", rest.len() + 1),
    }
}

/// Notes sorted by their text, duplicates (same text) removed: the order of the answer JSON.
pub fn by_text<T: fmt::Display>(notes: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut keyed: Vec<(String, T)> = notes.into_iter().map(|n| (n.to_string(), n)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    keyed.into_iter().map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_display_as_before() {
        let w = Warning::RouteShadowed {
            route_table: "rtb-1".into(),
            winner: "10.0.0.0/16 -> pcx-1".into(),
            losers: vec!["10.0.0.0/16 -> tgw-1".into()],
        };
        assert_eq!(
            w.to_string(),
            "HIGHER_PRIORITY_ROUTE: in rtb-1 route 10.0.0.0/16 -> pcx-1 wins over 10.0.0.0/16 -> tgw-1"
        );
        let a = Assumption::EphemeralPorts {
            low: 32768,
            high: 60999,
            client: "eni-1".into(),
            given: false,
        };
        assert_eq!(
            a.to_string(),
            "client ephemeral ports 32768-60999 for eni-1 (default for this kind of client)"
        );
        assert_eq!(a.code(), Code::EPHEMERAL_PORT_RANGE);
    }

    #[test]
    fn by_text_sorts_and_dedups() {
        let v = by_text([
            Assumption::StatefulSecurityGroups,
            Assumption::NatGatewaySourcePorts,
            Assumption::StatefulSecurityGroups,
        ]);
        assert_eq!(
            v,
            vec![
                Assumption::NatGatewaySourcePorts,
                Assumption::StatefulSecurityGroups
            ]
        );
    }
}
