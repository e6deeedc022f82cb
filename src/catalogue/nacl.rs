//! Network ACL codes: the stateless subnet filter, checked both ways.

/// Appends the NACL family to the chain (see the module doc of `catalogue`).
macro_rules! nacl_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Nacl]

SUBNET_ACL_RESTRICTION => {
    severity: Error,
    summary: "Subnet NACL denies",
    what: "The network ACL of a subnet on the path denies the traffic. ACL rules are evaluated \
in rule-number order, the first match decides, and the final `*` rule denies everything else. \
ACLs are stateless: the reply (to the client's ephemeral port) must be allowed outbound by the \
server's subnet and inbound by the client's, so a blocker may be on the return leg. Traffic \
between two interfaces of the same subnet is not checked.",
    why: "A deny here stops traffic that every security group admits; return-leg denies are \
easy to miss because the request itself passes. A partial verdict usually means only part of \
the ephemeral port range is allowed.",
    fix: "Add or renumber an allow rule in the ACL the blocker names (the blocker gives the \
rule that matched), below any deny that matches first. For return-leg blockers allow the \
client's ephemeral ports (1024-65535 covers every client).",
    example: "vpcreach reach --snapshot fixtures/rules/n2-nacl-rule-order --from i-10000000000000001 --to i-10000000000000004 --port 22",
},
NACL_RULE_SHADOWED => {
    severity: Warning,
    summary: "NACL entry never matches",
    what: "An entry of a network ACL on the path can never match: entries with lower rule \
numbers match all the traffic it matches, and the first match decides (N2). It is noted where a \
path's traffic reaches that ACL and overlaps the entry, with the earlier entries that decide \
first; the verdict already follows them.",
    why: "Such an entry usually states an intent the ACL does not enforce: a deny placed after \
an allow for the same traffic (deny 101 behind allow 100 for SSH) leaves that traffic open.",
    fix: "Give the entry a rule number below the earlier ones it is meant to override, or \
delete it if it is redundant.",
    example: "vpcreach reach --snapshot fixtures/rules/n2-nacl-shadowed-rule --from i-52000000000000001 --to i-52000000000000002 --port 22",
},

    } };
}
