//! PrivateLink codes: endpoint services behind a Network Load Balancer (listeners, target
//! groups, target health) and resource endpoints through a resource gateway.

/// Appends the load balancer family to the chain (see the module doc of `catalogue`).
macro_rules! load_balancer_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [LoadBalancer]

ELBV2_LISTENER_HAS_NO_TG => {
    severity: Error,
    summary: "Listener has no target group",
    what: "Traffic reaches a load balancer listener (through an interface endpoint to its \
endpoint service) whose default action forwards to no target group in the snapshot.",
    why: "The load balancer accepts the connection on the listener's port but has nowhere to \
send it.",
    fix: "Give the listener a forward action to a target group with registered targets.",
    example: "vpcreach reach --snapshot fixtures/loader/privatelink --from i-0000000000000c001 --to vpce-0000000000000e001 --port 8080",
},

ELB_INSTALLED_AZ_RESTRICTION => {
    severity: Error,
    summary: "Target in a zone not enabled for the load balancer",
    what: "A registered target of the listener's target group is in an Availability Zone that \
is not enabled for the load balancer: the load balancer sends it no traffic. A warning while \
another target receives the traffic; the stop when none does.",
    why: "A load balancer has nodes only in its enabled zones, and sends only to targets in \
those zones.",
    fix: "Enable the target's zone on the load balancer (a subnet in that zone), or register \
targets in an enabled zone.",
    example: "vpcreach reach --snapshot fixtures/loader/privatelink-az --from i-0000000000000c001 --to vpce-0000000000000e001 --port 443",
},

ELB_NOT_CROSSZONE => {
    severity: Error,
    summary: "Cross-zone load balancing is off",
    what: "The load balancer node that takes the flow (for PrivateLink: the node in the \
endpoint interface's Availability Zone) may send only to targets in its own zone, because \
cross-zone load balancing is off for the target group (`load_balancing.cross_zone.enabled`, \
on the group or inherited from the load balancer; off by default for a Network Load \
Balancer). A warning while a target in the node's zone receives the traffic; the stop when \
none does.",
    why: "With cross-zone load balancing off, clients whose endpoint is in a zone without a \
(healthy) target get no service at all.",
    fix: "Register a target in every enabled zone, or turn cross-zone load balancing on for the \
target group or the load balancer.",
    example: "vpcreach reach --snapshot fixtures/loader/privatelink-az-crosszone --from i-0000000000000c001 --to vpce-0000000000000e001 --port 443",
},

LB_NO_LISTENER => {
    severity: Error,
    summary: "No listener for this protocol and port",
    what: "Traffic reaches a Network Load Balancer through an interface endpoint to its \
endpoint service, on a protocol or port no listener of the load balancer accepts.",
    why: "An endpoint service passes only what its load balancer listens on; everything else \
is dropped at the endpoint.",
    fix: "Use the listener's port, or add a listener for this port and protocol.",
    example: "vpcreach reach --snapshot fixtures/loader/privatelink --from i-0000000000000c001 --to vpce-0000000000000e001 --port 80",
},

LB_TARGET_UNHEALTHY => {
    severity: Warning,
    summary: "A registered target is unhealthy",
    what: "A target registered for the listener's target group is not healthy per \
describe-target-health: the load balancer sends it no new connections (unless no target is \
healthy, when a Network Load Balancer fails open to all of them).",
    why: "The path to that target exists in the network but carries no traffic while the target \
fails its health checks.",
    fix: "Fix the target's health check (its security group must admit the load balancer on \
the health check port), or deregister it.",
    example: "vpcreach reach --snapshot fixtures/loader/privatelink --from i-0000000000000c001 --to vpce-0000000000000e001 --port 443",
},

RESOURCE_PORT_RANGE_RESTRICTION => {
    severity: Error,
    summary: "Port outside the resource configuration",
    what: "Traffic reaches a resource endpoint on a protocol or port outside its resource \
configuration's protocol (TCP) and port ranges.",
    why: "A resource endpoint carries only the resource configuration's ports to the resource \
gateway.",
    fix: "Use a port of the configuration, or add the port to its port ranges.",
    example: "vpcreach reach --snapshot fixtures/loader/privatelink --from i-0000000000000c002 --to vpce-0000000000000e003 --port 5433",
},

RESOURCE_DNS_UNRESOLVED => {
    severity: Error,
    summary: "Resource name not known in the snapshot",
    what: "A resource configuration names its resource by DNS name (or ARN), and no cache node \
or endpoint in the snapshot carries that name: where the resource gateway sends the traffic is \
unknown.",
    why: "vpcreach cannot follow the traffic past the resource gateway; the verdict stops there.",
    fix: "Collect the resource's VPC and data too (the cache's describe-cache-clusters), or name \
the resource by IP address.",
    example: "vpcreach reach --snapshot fixtures/loader/privatelink --from i-0000000000000c002 --to vpce-0000000000000e005 --port 3306",
},

LB_NOT_MODELLED => {
    severity: Error,
    summary: "Load balancer path not modelled (vpcreach)",
    what: "The traffic reaches a load balancer path vpcreach does not follow: an endpoint \
service backed by a Gateway Load Balancer, a route to a Gateway Load Balancer endpoint \
(appliances behind GENEVE), a load balancer of another type than `network` behind an endpoint \
service, or a Network Load Balancer target group of type `alb` (an Application Load Balancer, \
whose listener rules are not collected) or `lambda`. The flow stops there, and the answer is \
unknown rather than unreachable: like SNAPSHOT_INCOMPLETE, `--expect` refuses it unless \
`--allow-incomplete`.",
    why: "Saying reachable or unreachable past a component that is not modelled would be a \
guess. Reachability Analyzer has no code for this; vpcreach names it.",
    fix: "Check that part of the path by hand (the appliances or the ALB's listeners, rules and \
targets), or ask about the target behind it directly.",
    example: "vpcreach reach --snapshot fixtures/loader/privatelink-not-modelled --from i-0000000000000c001 --to vpce-0000000000000e001 --port 443",
},

RESOURCE_CACHE_ENDPOINT => {
    severity: Note,
    summary: "A resource names a cache-wide endpoint (vpcreach)",
    what: "A resource configuration's DNS name is a replication group's primary, reader or \
configuration endpoint (or a cache cluster's configuration endpoint) rather than one node's \
endpoint. AWS resolves such a name when the resource gateway connects: the primary endpoint to \
the node that is primary now (`NodeGroupMembers[].CurrentRole`), the reader endpoint to one of \
the replicas (the only node when there is none), the configuration endpoint to the cache's \
nodes, whose addresses cluster clients then use. The answer names the node(s) it took and why.",
    why: "Which node receives the traffic changes with failovers and DNS round robin; a node the \
snapshot does not name as primary or replica is taken too, so the path covers every node the \
name may lead to.",
    fix: "Nothing to fix. Export describe-replication-groups with its NodeGroupMembers so that \
the roles are known.",
    example: "vpcreach reach --snapshot fixtures/loader/privatelink-cache-names --from i-0000000000000c002 --to vpce-0000000000000e004 --port 6379",
},

    } };
}
