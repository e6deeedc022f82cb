//! Security group codes: no rule admits, no rules at all, group references that cannot match
//! (identity lost, referencing unsupported, group unknown or deleted).

/// Appends the security group family to the chain (see the module doc of `catalogue`).
macro_rules! security_group_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [SecurityGroup]

ENI_SG_RULES_MISMATCH => {
    severity: Error,
    summary: "No SG rule of the ENI admits",
    what: "None of the rules of the network interface's security groups admits the traffic. \
An interface's rules are the union of all its groups; they only allow. Egress rules are tested \
at the sender against the destination, ingress rules at the receiver against the source as the \
receiver sees it (after NAT: the NAT gateway's private address; over an internet gateway: the \
sender's public address). Replies to an admitted flow are never checked (stateful).",
    why: "The most common blocker: the port, protocol or source is not in any rule, or a rule \
names a group the sender is not a member of.",
    fix: "Add a rule to one of the groups the blocker names: the port and protocol asked, from \
the source's CIDR or from a group the source's interface is a member of (same VPC or a \
same-Region peer).",
    example: "vpcreach reach --snapshot fixtures/rules/s1-sg-union --from i-13000000000000001 --to i-13000000000000002 --port 80",
},

SG_HAS_NO_RULES => {
    severity: Error,
    summary: "SG empty in that direction",
    what: "The network interface's security groups have no rule at all in the direction \
checked: no egress rule at the sender, or no ingress rule at the receiver. Security groups \
deny by default, so nothing passes that way.",
    why: "Usually the default 'allow all outbound' rule was removed (or the group was created \
by a tool that does not add it), which cuts every connection the instance starts.",
    fix: "Add the egress (or ingress) rules the workload needs to one of the interface's \
groups, or attach a group that has them.",
    example: "vpcreach reach --snapshot fixtures/rules/s2-stateful-egress-at-sender --from i-14000000000000002 --to i-14000000000000003 --port 443",
},

SG_REFERENCES_NOT_PRESERVED => {
    severity: Error,
    summary: "A hop strips SG identity",
    what: "A rule references a security group the sender is a member of, but the path crosses \
a hop that does not carry security group identity: a cross-Region VPC peering, a NAT gateway, \
an internet gateway, a middlebox or a transit gateway peering. Past such a hop, group \
references match nothing and only address-based rules apply.",
    why: "The rule looks right (the sender is in the referenced group) and still admits \
nothing, which makes this a confusing denial to debug by hand.",
    fix: "Replace the group reference by the sender's CIDR (the peer VPC's block, the NAT \
gateway's address or the subnet range), or route the traffic over a path that preserves \
identity (same VPC, same-Region peering).",
    example: "vpcreach reach --snapshot fixtures/rules/s6-sg-reference-cross-region --from i-35000000000000001 --to i-35000000000000002 --port 22",
},

SG_REFERENCING_SUPPORT => {
    severity: Error,
    summary: "TGW/attachment lacks SG referencing",
    what: "A rule references a security group across a transit gateway, but security group \
referencing is not enabled on the transit gateway or on one of the two VPC attachments \
(`SecurityGroupReferencingSupport`). References across a transit gateway work only for \
inbound rules and only when all three enable it.",
    why: "The group reference matches nothing for traffic arriving over the transit gateway, \
so members of the referenced group are denied.",
    fix: "Enable security group referencing support on the transit gateway and on both VPC \
attachments, or use the sender's CIDR in the rule instead.",
    example: "vpcreach reach --snapshot fixtures/rules/s6-sg-reference-over-tgw --from i-17000000000000003 --to i-17000000000000002 --port 22",
},

UNKNOWN_PEERED_SGS => {
    severity: Warning,
    summary: "SG in unknown VPC/account: no match",
    what: "A rule references a security group of an account (or VPC) that is not in the \
snapshot. vpcreach cannot know its members, so the rule matches nothing. Also reported as a \
note in the loader diagnostics (`dangling-reference`) when the snapshot is loaded.",
    why: "If the referenced group has members that should be admitted, the verdict is too \
pessimistic: the blocker may not exist in AWS.",
    fix: "Collect the other account into the same snapshot (`vpcreach collect` with both \
accounts), or, if the peer account is not yours, accept the denial as unknown.",
    example: "vpcreach reach --snapshot fixtures/rules/s7-unknown-and-stale-groups --from i-18000000000000001 --to i-18000000000000002 --port 22",
},

STALE_SG_REFERENCE => {
    severity: Warning,
    summary: "Rule references a deleted SG (vpcreach)",
    what: "A rule references a security group that should be in the snapshot (its account is \
collected) but is not: the group was deleted, and the rule (a stale reference) matches \
nothing. vpcreach's own code; Reachability Analyzer has none. Also reported by the loader as a \
`dangling-reference` warning.",
    why: "Stale rules are dead configuration: they suggest access that no longer exists, and \
keep a deleted group's id alive in audits.",
    fix: "Delete the stale rule (`aws ec2 describe-stale-security-groups` lists them), and add \
a rule for the group or CIDR that replaced the deleted group.",
    example: "vpcreach reach --snapshot fixtures/rules/s7-unknown-and-stale-groups --from i-18000000000000001 --to i-18000000000000002 --port 23",
},

    } };
}
