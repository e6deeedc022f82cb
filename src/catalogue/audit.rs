//! Audit codes: who reaches each cache through which relay, and whether an instance can serve
//! as an SSM Session Manager port-forwarding host (semantics M1–M3).

/// Appends the audit family to the chain (see the module doc of `catalogue`).
macro_rules! audit_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Audit]

RELAY_EXPOSURE => {
    severity: Error,
    summary: "A cache is reachable from outside through a relay host (vpcreach)",
    what: "An EC2 instance forwards (or could forward) outside traffic to a cache: either an \
instance nobody declared in vpcreach.toml that an outside source (any public address, or a \
named range) reaches on some TCP port, both ways, and that itself reaches a cache port, both \
ways (a discovered relay: HAProxy, socat or an SSH daemon on a public host is exactly this); \
or a declared tcp-proxy, ssh-bastion or nat-instance relay whose first leg completes from \
public addresses outside every named source range while its second leg reaches a cache. The \
detail names the source, the ports and the security-group and NACL rules that admit it \
(semantics M1, M2).",
    why: "ElastiCache is never public by itself (C4), so a relay is the way in from outside: \
whoever reaches the relay reaches the cache, usually without TLS or AUTH in between.",
    fix: "Narrow the relay's ingress to the ranges that need it (the office, the VPN), or remove \
its egress to the cache port; if it is a relay on purpose, declare it as a [[relay]] in \
vpcreach.toml and give its source ranges a [sources] name.",
    example: "vpcreach audit --snapshot fixtures/rules/m1-discovered-relay",
},

SSM_NO_INSTANCE_PROFILE => {
    severity: Warning,
    summary: "SSM host without an instance profile (vpcreach)",
    what: "The instance has no IAM instance profile (`IamInstanceProfile` is absent in \
`describe-instances`). The SSM Agent gets its credentials from the instance profile (or from \
Default Host Management Configuration, which EC2 data does not show), so the instance does not \
register with Systems Manager and Session Manager port forwarding through it fails.",
    why: "An instance the team plans to use for `AWS-StartPortForwardingSessionToRemoteHost` is \
not usable, however open its network path is.",
    fix: "Attach an instance profile whose role has AmazonSSMManagedInstanceCore (or enable \
Default Host Management Configuration for the account and region).",
    example: "vpcreach audit --snapshot fixtures/rules/m3-ssm-readiness",
},

SSM_SERVICE_UNREACHABLE => {
    severity: Warning,
    summary: "SSM host cannot reach ssm, ssmmessages or ec2messages on 443 (vpcreach)",
    what: "TCP 443 from the instance to one of the three services the SSM Agent needs (`ssm`, \
`ssmmessages`, `ec2messages`) does not complete: not to the interface endpoint the service name \
resolves to in its VPC, or, without one, not to the internet (no NAT gateway or internet \
gateway route, or a security group or NACL stops the request or the reply). The detail names \
each blocker with its code.",
    why: "Without all three the agent cannot open sessions: port forwarding through this host \
fails.",
    fix: "Give the instance a route to a NAT gateway (private subnet) or a public address and \
an internet gateway route, and allow TCP 443 out and the replies in; or create interface \
endpoints for all three services in its VPC with private DNS on, and let the endpoint security \
group admit 443 from the instance.",
    example: "vpcreach audit --snapshot fixtures/rules/m3-ssm-readiness",
},

SSM_ENDPOINT_BYPASSED => {
    severity: Note,
    summary: "Interface endpoint for an SSM service that DNS does not use (vpcreach)",
    what: "The VPC has an interface endpoint for `ssm`, `ssmmessages` or `ec2messages`, but its \
private DNS is off, or the VPC's `enableDnsSupport` or `enableDnsHostnames` is off. The \
regional service name then resolves to the public service, so the agent's HTTPS goes out \
through a NAT or internet gateway, not through the endpoint.",
    why: "Teams create endpoints to keep SSM traffic private or to reach it without a NAT \
gateway; a bypassed endpoint does neither, and the host may be unready when the NAT is removed.",
    fix: "Turn on private DNS for the endpoint (`modify-vpc-endpoint --private-dns-enabled`) \
and both DNS attributes of the VPC.",
    example: "vpcreach audit --snapshot fixtures/rules/m3-ssm-readiness",
},

    } };
}
