//! Route table codes: the VPC route lookup (most specific route, route priority, blackholes,
//! local routes) and forwarding through a network interface.

/// Appends the routing family to the chain (see the module doc of `catalogue`).
macro_rules! routing_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Routing]

NO_ROUTE_TO_DESTINATION => {
    severity: Error,
    summary: "No route covers the destination",
    what: "The route table that applies (the subnet's explicit table, else the VPC's main \
table; for a transit gateway, the table the attachment is associated with) has no route whose \
destination contains the packet's destination address. `0.0.0.0/0` never matches IPv6 and \
`::/0` never matches IPv4. The blocker can also sit on the return leg: the reply needs a route \
back.",
    why: "The VPC router drops the packet. This is the most common reason two networks that \
'should' talk cannot: a peering or transit gateway exists, but one side has no route to it.",
    fix: "Add a route for the destination (or a default route) to the table the blocker names, \
targeting the gateway, peering connection or transit gateway that leads there. For a return-leg \
blocker, add the route on the destination's side.",
    example: "vpcreach reach --snapshot fixtures/rules/r3-local-routes --from i-03000000000000001 --to 10.99.0.5 --port 22",
},

BAD_STATE_ROUTE => {
    severity: Error,
    summary: "Selected route blackholed/inactive",
    what: "The route selected for the destination (by longest prefix, then priority) is in \
state `blackhole`: its target (a NAT gateway, network interface, peering or gateway) was \
deleted. AWS drops matching traffic; it does not fall back to a less specific route such as \
`0.0.0.0/0`.",
    why: "A blackholed route silently swallows exactly the traffic it was meant to carry, and \
keeps doing so after the target's replacement is created, because the route still points at \
the deleted id.",
    fix: "Replace the route's target with a working one (`aws ec2 replace-route`) or delete the \
route so a less specific one applies.",
    example: "vpcreach reach --snapshot fixtures/rules/r5-blackhole-route --from i-06000000000000001 --to 198.51.100.7 --port 443",
},

HIGHER_PRIORITY_ROUTE => {
    severity: Warning,
    summary: "Same prefix, higher priority wins",
    what: "Two or more routes of one table have the same destination prefix; AWS uses one by \
priority: a static route beats a prefix-list route, which beats a route propagated from a \
virtual private gateway. The warning names the winner and the routes that lost.",
    why: "The losing route looks active in the console but never carries traffic; a change \
that adds a static route can silently divert traffic that used to follow a propagated one.",
    fix: "If the winner is the intended target, delete the shadowed route to remove the \
ambiguity; otherwise remove or narrow the winning route.",
    example: "vpcreach reach --snapshot fixtures/rules/r4-route-priority --from i-05000000000000001 --to 192.0.2.10 --port 443",
},

PREFIX_LIST_ROUTE_TIE => {
    severity: Warning,
    summary: "Two prefix-list routes hold the same CIDR: AWS's choice is unknown (vpcreach)",
    what: "Routes of one table through different prefix lists contain the same CIDR with \
different targets. Both are prefix-list routes, so neither wins on priority: AWS uses one of \
them (and keeps that choice), and which one is in no data AWS returns. vpcreach follows every \
candidate route, marks each path's route hop as one of the choices, and counts a flow as \
completing only if it completes on every candidate.",
    why: "The traffic goes one way or the other depending on a choice you cannot see: an answer \
that followed only one route (e.g. the first in the JSON) could call reachable what is not, or \
the reverse. Where only one candidate works, the verdict is not `reachable` and the blockers \
are the other candidate's.",
    fix: "Remove the CIDR from all but one of the prefix lists, or add a static route for it (a \
static route beats prefix-list routes, R4) so that the table says where it goes.",
    example: "vpcreach reach --snapshot fixtures/rules/r4-prefix-list-tie --from i-37000000000000001 --to 203.0.113.10 --port 443",
},

VPC_LOCAL_ROUTE_CIDR_RESTRICTION => {
    severity: Error,
    summary: "Local route used outside VPC CIDRs",
    what: "The selected route targets `local`, but the destination lies outside every CIDR \
block associated with the VPC. The local route only delivers to addresses inside the VPC; a \
local route for any other block (for example one left behind by a CIDR block that was \
disassociated, or a hand-edited snapshot) delivers nothing.",
    why: "Traffic to that block is dropped inside the VPC instead of leaving through a gateway, \
and it wins over less specific routes (`0.0.0.0/0`) that would have carried it.",
    fix: "Associate the block with the VPC if it should be local, or remove the stale local \
route (re-collect the snapshot if it came from an old listing).",
    example: "vpcreach reach --snapshot fixtures/rules/r9-local-route-outside-vpc --from i-33000000000000001 --to 10.99.0.10 --port 443",
},

ENI_SOURCE_DEST_CHECK_RESTRICTION => {
    severity: Error,
    summary: "Source/dest check blocks transit",
    what: "A route sends traffic to a network interface (or instance) as the next hop, but the \
interface has source/destination checking enabled. Such an interface only accepts packets \
addressed to itself and only sends packets from its own addresses, so it cannot forward \
traffic for others.",
    why: "The appliance (firewall, NAT instance, proxy) never sees the traffic: it is dropped \
at the interface even though routes, ACLs and security groups all admit it.",
    fix: "Disable source/destination checking on the appliance's interface \
(`aws ec2 modify-network-interface-attribute --no-source-dest-check`), or route to the \
interface that has it disabled.",
    example: "vpcreach reach --snapshot fixtures/rules/r9-eni-instance-targets --from i-07000000000000002 --to i-07000000000000005 --port 22",
},

    } };
}
