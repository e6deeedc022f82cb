//! The components a flow passes, one file per kind. Each file extends the walk
//! ([`super::walk::Walk`]) with the steps of its kind and owns that kind's semantics both ways:
//! what it does to a request and what it does to the reply.
//!
//! - [`filters`]: network ACLs at subnet boundaries (stateless, both legs) and security groups
//!   at network interfaces (stateful: egress at the sender, ingress at the receiver).
//! - [`vpc_local`]: leaving a network interface, the subnet's route table, local delivery in a
//!   VPC and arrival at a network interface.
//! - [`internet_gateway`]: internet and egress-only internet gateways, the internet, and
//!   entering a VPC from outside (gateway route tables).
//! - [`nat_gateway`]: source translation on the way out, and its reversal on the reply.
//! - [`peering`]: VPC peering connections.
//! - [`transit_gateway`]: transit gateways, their attachments and route tables, TGW peering.
//! - [`endpoint`]: gateway endpoints, interface-endpoint network interfaces, service replies.
//! - [`privatelink`]: past an interface endpoint to its endpoint service's load balancer and
//!   targets, or past a resource endpoint through its resource gateway to the resource.
//! - [`appliance`]: middlebox network interfaces and instances as route targets.

pub mod appliance;
pub mod endpoint;
pub mod filters;
pub mod internet_gateway;
mod load_balancer_zones;
pub mod nat_gateway;
pub mod peering;
pub mod privatelink;
pub mod transit_gateway;
pub mod vpc_local;

use crate::model::{Subnet, Vpc};
use crate::net::AddrSet;
use ipnet::IpNet;

/// A subnet's IPv4 and IPv6 addresses.
fn subnet_addrs(s: &Subnet) -> AddrSet {
    let mut a = AddrSet::empty();
    if let Some(c) = s.cidr_v4 {
        a = a.union(&AddrSet::from_net(&IpNet::V4(c)));
    }
    for c in &s.cidrs_v6 {
        a = a.union(&AddrSet::from_net(&IpNet::V6(*c)));
    }
    a
}

/// A VPC's addresses (all its CIDRs).
fn vpc_addrs(v: &Vpc) -> AddrSet {
    let nets: Vec<IpNet> = v.cidrs().collect();
    AddrSet::from_nets(nets.iter())
}
