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

    } };
}
