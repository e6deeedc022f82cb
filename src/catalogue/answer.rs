//! Answer codes of vpcreach's own: how a question was resolved and what an answer takes for
//! granted that the EC2 data cannot say. They appear in an answer's `warnings` and
//! `assumptions` (and, with their code, in its `notes`); none stops a flow.

/// Appends the answer family to the chain (see the module doc of `catalogue`).
macro_rules! answer_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Answer]

ADDRESS_IN_OVERLAPPING_VPCS => {
    severity: Warning,
    summary: "Address also held in an overlapping VPC (vpcreach)",
    what: "The destination address is held by network interfaces in more than one VPC, because \
their CIDRs overlap. The answer follows the routes from the source, so it speaks about the copy \
of the address the routes lead to, which may not be the one you meant.",
    why: "With overlapping VPCs the same address names different hosts; a verdict about the \
wrong one is a confident wrong answer.",
    fix: "Qualify the address with its VPC (`vpc-…/10.0.1.10`) or name the instance or ENI; \
in the long run renumber one of the overlapping VPCs (`vpcreach overlaps --plan`).",
    example: "vpcreach reach --snapshot fixtures/rules/t4-tgw-overlap --from eni-27000000000000001 --to eni-27000000000000002",
},

NO_COMMON_ADDRESS_FAMILY => {
    severity: Warning,
    summary: "Source and target share no address family (vpcreach)",
    what: "A source has no address of the family of the target (an IPv4-only source asked \
about an IPv6 address, or the reverse), so no flow of the question exists for it. IPv4 and \
IPv6 are separate networks in AWS: nothing translates between them on the path vpcreach models.",
    why: "An `unreachable` that comes from the question, not from a rule: no route, ACL or \
security-group change makes it reachable.",
    fix: "Ask with addresses of one family, or give the source (or target) an address of the \
other's family (assign an IPv6 address to the ENI, dual-stack the subnet).",
    example: "vpcreach reach --snapshot fixtures/demo --from subnet-018507519c5520011 --to 2600:1f18:1234:5600:3c1e:9a42:7d0b:1f25 --port 443",
},

SOURCE_HELD_BY_NO_INTERFACE => {
    severity: Warning,
    summary: "Source address held by no ENI: treated as a bare host (vpcreach)",
    what: "A source address inside a subnet belongs to no network interface in the snapshot. \
vpcreach treats it as a host in that subnet with no security group (everything allowed at the \
host), so the verdict reflects only the route tables, NACLs and the target's security groups.",
    why: "A real host at that address would have security groups of its own; an answer about \
an unused address can be more permissive than any real one.",
    fix: "Name the instance or ENI (`i-…`, `eni-…`, `name:TAG`) instead of the address, or \
check that the address is the one you meant.",
    example: "vpcreach reach --snapshot fixtures/demo --from 10.0.1.77 --to i-0de7d1b721a1e0001 --port 6379",
},

PEERING_OWNER_NOT_IN_SNAPSHOT => {
    severity: Note,
    summary: "Peering side matched by its VPC id alone (vpcreach)",
    what: "A VPC peering connection names, for one side, an `OwnerId` that is no account of \
the snapshot (Batfish-style folders often name accounts differently from their ids). VPC ids \
are globally unique, so when exactly one VPC of the snapshot has that id, vpcreach takes it as \
that side of the peering and says so.",
    why: "If the folder holds another copy of a VPC with the same id (a test or a stale \
export), the verdict would be about the wrong VPC.",
    fix: "Name the account folders after the account ids (`<account-id>/<region>/`), or \
collect with `vpcreach collect`, which does.",
    example: "vpcreach reach --snapshot fixtures/rules/p2-peering-foreign-owner --from i-42000000000000001 --to i-42000000000000002 --port 22",
},

EPHEMERAL_PORT_RANGE => {
    severity: Note,
    summary: "Client ephemeral port range assumed (vpcreach)",
    what: "Replies go back to the client's ephemeral (source) port, which EC2 data does not \
record. vpcreach assumes the default of the kind of client (Linux and other instances \
32768-61000, Windows 49152-65535, outside hosts 1024-65535) unless `--ephemeral LO-HI` is \
given, and checks the stateless NACLs on the return leg for that whole range.",
    why: "A NACL that admits only part of the range makes a connection work for some client \
ports and fail for others: an intermittent failure that the `partial` verdict exposes.",
    fix: "Pass `--ephemeral LO-HI` when the client uses another range; open the NACLs on the \
return path for the client's whole range.",
    example: "vpcreach reach --snapshot fixtures/demo --from 203.0.113.10 --to i-0de7d1b721a1e0001 --port 6379",
},

NAT_GATEWAY_SOURCE_PORTS => {
    severity: Note,
    summary: "NAT gateway source ports 1024-65535 assumed (vpcreach)",
    what: "A NAT gateway rewrites the source port to one it chooses from 1024-65535. A flow \
through it counts as complete only when the NACLs behind it admit every port it may choose \
(the replies come back to that port).",
    why: "A NACL that admits only 32768-65535 on the NAT gateway's subnet lets some \
connections through and silently drops others.",
    fix: "Open the NACLs of the NAT gateway's subnet for 1024-65535 on the return direction.",
    example: "vpcreach reach --snapshot fixtures/rules/g-nat-gateway --from eni-23000000000000001 --to internet --port 443",
},

APPLIANCE_FORWARDS_UNCHANGED => {
    severity: Note,
    summary: "Appliance forwards unchanged (vpcreach)",
    what: "A route sends traffic to a network interface or instance with the source/destination \
check off (a firewall, proxy or NAT instance). Its own software is not in EC2 data: vpcreach \
assumes it forwards the packets unchanged, both ways.",
    why: "The appliance's own rules (a firewall policy, an iptables NAT) can drop or rewrite \
the traffic; the verdict only covers the AWS side of the path.",
    fix: "Check the appliance's own configuration for this flow; model a proxy as a relay when \
it terminates connections.",
    example: "vpcreach reach --snapshot fixtures/rules/r9-eni-instance-targets --from eni-07000000000000001 --to eni-07000000000000005 --port 443",
},

STATEFUL_SECURITY_GROUPS => {
    severity: Note,
    summary: "SGs stateful, NACLs stateless (vpcreach)",
    what: "Security groups are stateful: a reply to an allowed request is allowed whatever the \
rules say, so replies are not checked against them. Network ACLs are stateless: replies are \
checked against the opposite direction's entries, to the client's ephemeral ports. Every \
answer states it, because the return leg depends on it.",
    why: "It is how AWS evaluates them; it is stated so a reader can see why a return path \
names NACLs but no security groups.",
    fix: "Nothing to fix: to make a return leg pass, change the NACL entries it names.",
    example: "vpcreach reach --snapshot fixtures/demo --from 203.0.113.10 --to i-0de7d1b721a1e0001 --port 6379",
},

ICMP_TYPE_WITHOUT_REPLY => {
    severity: Note,
    summary: "ICMP type without a reply: no return leg (vpcreach)",
    what: "ICMP and ICMPv6 messages other than requests (destination unreachable 3, time \
exceeded 11, an echo reply 0, ...) get no reply. A flow of such a type completes when it is \
delivered; there is no return leg to check. Requests are checked with their reply's type on the \
return leg: echo request 8 -> echo reply 0 (ICMPv6 128 -> 129), timestamp 13 -> 14, \
information 15 -> 16, address mask 17 -> 18.",
    why: "A NACL must admit the reply type in the opposite direction (type 0 outbound for a ping \
answered by the destination), not the request's type; a type that has no reply needs nothing on \
the way back.",
    fix: "Nothing to fix: ask about type 8 (`--port 8`) to check that ping works both ways.",
    example: "vpcreach reach --snapshot fixtures/rules/n6-icmp-types --from eni-36000000000000001 --to eni-36000000000000002 --protocol icmp --port 3",
},

PORT_NOT_CACHE_PORT => {
    severity: Warning,
    summary: "The port asked is not the cache's port (vpcreach)",
    what: "The target is an ElastiCache cache (a cluster, replication group, serverless cache, \
or one of their endpoints) and `--port` names none of the ports it listens on (its endpoint \
ports: 6379 by default for Valkey and Redis OSS, 11211 for Memcached, or the port it was created \
with). The answer is about the port asked, which nothing on the cache serves.",
    why: "A `reachable` on the wrong port says nothing about the port clients use; an \
`unreachable` may come from a security group that rightly opens only the cache's port.",
    fix: "Ask with the cache's port (the warning names it), or leave `--port` out: a cache \
target defaults to its own ports.",
    example: "vpcreach reach --snapshot fixtures/rules/c4-cache-never-public --from i-31000000000000001 --to orders-cache --port 6379",
},

CIDR_SOURCE_EXPANDED => {
    severity: Note,
    summary: "A CIDR source stands for every address in it (vpcreach)",
    what: "A source given as a block (`--from 10.0.0.0/8`, `--from 0.0.0.0/0`) is every address in it: each network interface holding an address of it, in every VPC (overlapping VPCs included; `vpc-…/CIDR` narrows to one VPC), the addresses of its subnets that no interface holds (hosts with no security group), and outside hosts for the part outside every VPC, which enter from the internet like any outside source. Interfaces of NAT gateways, transit-gateway attachments and interface endpoints are left out: they send no traffic of their own. The verdict is `reachable` only when every flow from every one of these sources completes, `partial` when some do.",
    why: "A block names many hosts in many places; the answer says which ones it counted, so that a `partial` or `unreachable` can be traced to the sources that fail (`passing.sources` and `failing.sources` name each in-VPC block with its VPC when the sources span several VPCs).",
    fix: "Nothing to fix: narrow the block (`vpc-…/CIDR`, a subnet's CIDR, an instance id) to ask about fewer sources.",
    example: "vpcreach reach --snapshot fixtures/demo --from 0.0.0.0/0 --to demo-redis",
},

    } };
}
