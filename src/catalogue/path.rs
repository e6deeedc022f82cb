//! Path codes: no path at all, a component that is not working, a component vpcreach does not
//! model. Reachability Analyzer's NO_PATH, BAD_STATE and UNSUPPORTED_COMPONENT.

/// Appends the path family to the chain (see the module doc of `catalogue`).
macro_rules! path_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Path]

NO_PATH => {
    severity: Error,
    summary: "No path exists",
    what: "Nothing in the snapshot carries the traffic any further: the destination is a \
private address of a VPC the flow cannot enter (for example a private address asked from the \
internet), no network interface holds the address, or the component is never a destination \
(a NAT gateway accepts no unsolicited inbound traffic).",
    why: "The flow stops before any route, ACL or security group is consulted, so no rule \
change on the way makes it work; the question itself (source, target, entry point) is what \
does not match the network.",
    fix: "Check the target: ask for the address that is actually reachable from the source \
(the instance's public IP or Elastic IP from the internet, a load balancer or endpoint instead \
of a NAT gateway), or give the traffic a way in (an internet gateway with a public IP, a \
peering, a transit gateway attachment).",
    example: "vpcreach reach --snapshot fixtures/rules/g-nat-gateway --from internet --to 54.200.23.100 --port 443",
},

BAD_STATE => {
    severity: Error,
    summary: "Component not working",
    what: "A component on the path exists but is not in a working state: a stopped or \
terminated instance, a deleted or failed NAT gateway, a VPC peering connection that is not \
`active` (pending acceptance, rejected, expired), a detached gateway or a transit gateway \
attachment that is not `available`. AWS forwards nothing through it.",
    why: "Routes and rules can all be right and the traffic still drops here; the component \
usually outlived a change (a deleted NAT gateway still named by routes, a peering request never \
accepted).",
    fix: "Bring the component into service (start the instance, accept the peering request, \
recreate the NAT gateway) or point the routes at a working one. The blocker's detail names the \
component and its state.",
    example: "vpcreach reach --snapshot fixtures/rules/p-vpc-peering --from i-24000000000000001 --to i-24000000000000005 --port 22",
},

UNSUPPORTED_COMPONENT => {
    severity: Error,
    summary: "Component not modeled",
    what: "The path leaves what vpcreach models: a route to a virtual private gateway \
(Site-to-Site VPN), a Direct Connect, local or carrier gateway, Cloud WAN, a transit gateway \
Connect or VPN attachment. vpcreach does not follow traffic beyond it.",
    why: "The verdict is 'unreachable' only as far as the snapshot can tell: the traffic may \
well be delivered on the other side (an on-premises network), so treat it as unknown rather \
than blocked.",
    fix: "Nothing to fix in AWS if the route is intended. Ask the question up to the gateway \
(the address on the far side is outside the snapshot), and check the far side with the tools \
of that network.",
    example: "vpcreach reach --snapshot fixtures/rules/r4-route-priority --from i-05000000000000001 --to 203.0.113.10 --port 443",
},

    } };
}
