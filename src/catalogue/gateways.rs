//! Gateway codes: internet gateway address translation and filtering, NAT gateways, VPC
//! peering.

/// Appends the gateway family to the chain (see the module doc of `catalogue`).
macro_rules! gateways_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Gateways]

IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS => {
    severity: Error,
    summary: "Sender has no public IP",
    what: "IPv4 traffic leaves through an internet gateway from a private address that has no \
public IPv4 address or Elastic IP associated. The internet gateway translates each private \
address to its associated public one; without one it drops the packet.",
    why: "An instance in a subnet whose route table sends 0.0.0.0/0 to the internet gateway \
still cannot reach the internet without a public address: the classic 'private instance in a \
public subnet'.",
    fix: "Associate an Elastic IP with the interface (or launch with a public IP), or send the \
subnet's internet traffic through a NAT gateway in a public subnet instead.",
    example: "vpcreach reach --snapshot fixtures/rules/i1-i2-internet-gateway --from i-19000000000000002 --to 198.51.100.7 --port 443",
},

IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS => {
    severity: Error,
    summary: "Target is not a mapped public IP",
    what: "Traffic from the internet arrives at an internet gateway for an address that is not \
a public IPv4 address (or Elastic IP) associated with a network interface of the attached VPC, \
or for an IPv6 address whose interface refuses internet gateway traffic. Only mapped public \
addresses are translated to a private one and delivered. ElastiCache nodes never have one.",
    why: "A private address is not reachable from the internet, whatever the security group \
says: a 0.0.0.0/0 rule on such a resource exposes nothing by itself.",
    fix: "If the resource must be reachable from the internet, give its interface a public IP \
or Elastic IP (or put a load balancer in front of it); ask for its public address.",
    example: "vpcreach reach --snapshot fixtures/rules/i1-i2-internet-gateway --from internet --to i-19000000000000002 --port 443",
},

IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS => {
    severity: Error,
    summary: "Inbound source RFC1918",
    what: "Traffic arrives at an internet gateway from a private (RFC 1918: 10/8, 172.16/12, \
192.168/16) source address. Such addresses are not routed on the internet; the gateway drops \
them.",
    why: "A question 'from 192.168.x.x' over the internet describes traffic that cannot exist: \
an office network reaches AWS over the internet only from its public (NAT) address.",
    fix: "Ask from the office's public egress address, or model the private path (VPN, Direct \
Connect) that carries the private addresses.",
    example: "vpcreach reach --snapshot fixtures/rules/i1-i2-internet-gateway --from 192.168.7.7 --to 54.200.19.1 --port 443",
},

IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS => {
    severity: Error,
    summary: "Inbound source 100.64/10",
    what: "Traffic arrives at an internet gateway from a shared address space source (RFC 6598: \
100.64.0.0/10, carrier-grade NAT). Those addresses are not routed on the internet; the gateway \
drops them.",
    why: "As for RFC 1918 sources: the question describes traffic the internet never \
delivers.",
    fix: "Ask from the public address the traffic is translated to.",
    example: "vpcreach reach --snapshot fixtures/rules/i1-i2-internet-gateway --from 100.64.7.7 --to 54.200.19.1 --port 443",
},

IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS => {
    severity: Error,
    summary: "Outbound destination RFC1918",
    what: "Traffic leaves through an internet gateway toward a private (RFC 1918) destination. \
The internet does not route those addresses, so the gateway drops it. It usually means a route \
for a private network (another VPC, on-premises) is missing and 0.0.0.0/0 to the internet \
gateway caught the traffic.",
    why: "The traffic was meant for a private network and went the wrong way.",
    fix: "Add a route for the private destination through the peering, transit gateway or \
VPN that reaches it.",
    example: "vpcreach reach --snapshot fixtures/rules/i1-i2-internet-gateway --from i-19000000000000001 --to 192.168.50.5 --port 443",
},

IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS => {
    severity: Error,
    summary: "Outbound destination 100.64/10",
    what: "Traffic leaves through an internet gateway toward a shared address space \
destination (100.64.0.0/10); the gateway drops it.",
    why: "As for RFC 1918 destinations: a route for the network using 100.64/10 is missing.",
    fix: "Add a route for the destination through the path that reaches it (transit gateway, \
VPN, peering).",
    example: "vpcreach reach --snapshot fixtures/rules/i1-i2-internet-gateway --from i-19000000000000001 --to 100.64.3.3 --port 443",
},

NGW_REQUIRES_SOURCE_IN_VPC => {
    severity: Error,
    summary: "NAT GW traffic from outside its VPC",
    what: "Traffic reaches a NAT gateway from outside the NAT gateway's own VPC: a route in \
another VPC's table names it, or the traffic came in over a peering connection, a VPN or \
Direct Connect. A NAT gateway translates only traffic from its own VPC (traffic arriving \
through a transit gateway attachment in that VPC counts as its own).",
    why: "Sharing one NAT gateway between VPCs does not work over peering; the traffic is \
dropped at the NAT gateway.",
    fix: "Create a NAT gateway in the source VPC, or centralise egress through a transit \
gateway into the NAT gateway's VPC.",
    example: "vpcreach reach --snapshot fixtures/rules/g2-nat-gateway-other-vpc --from i-34000000000000001 --to 198.51.100.7 --port 443",
},

PROTOCOL_RESTRICTION => {
    severity: Error,
    summary: "Protocol refused",
    what: "The component does not carry the protocol: a NAT gateway translates TCP, UDP and \
ICMP only, so GRE, ESP or any other IP protocol is dropped there.",
    why: "Tunnels (GRE, IPsec ESP) through a NAT gateway never come up even though routes and \
rules admit them.",
    fix: "Use a protocol the component carries (IPsec with NAT traversal over UDP 4500), or \
give the sender a public address and send the traffic through the internet gateway.",
    example: "vpcreach reach --snapshot fixtures/rules/g-nat-gateway --from i-23000000000000001 --to 198.51.100.7 --protocol 47",
},

PCX_REQUIRES_ADDRESS_IN_VPC_CIDR => {
    severity: Error,
    summary: "Peering crossed with a foreign address",
    what: "Traffic would cross a VPC peering connection with a source outside the local VPC's \
CIDR blocks or a destination outside the peer VPC's. Peering is not transitive: it carries only \
traffic between the two VPCs, never to a third VPC, and never to or from the peer's internet \
gateway, NAT gateway, VPN, Direct Connect or gateway endpoint.",
    why: "Hub-and-spoke designs built from peerings (shared egress, shared VPN) do not work: \
the traffic is dropped at the peering connection.",
    fix: "Peer the two VPCs that need to talk directly, or use a transit gateway for \
transitive routing; give each VPC its own egress.",
    example: "vpcreach reach --snapshot fixtures/rules/g-nat-gateway --from i-23000000000000002 --to 198.51.100.7 --port 443",
},

    } };
}
