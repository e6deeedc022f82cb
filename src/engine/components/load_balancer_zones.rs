//! Availability Zones on a load balancer's path (L3b in docs/semantics.md): the load balancer
//! node that takes a PrivateLink flow is the one in the endpoint interface's zone, and that
//! node sends only to targets in zones enabled for the load balancer
//! (`ELB_INSTALLED_AZ_RESTRICTION`) and, unless cross-zone load balancing is on for the target
//! group, only to targets in its own zone (`ELB_NOT_CROSSZONE`).

use super::super::codes::Code;
use crate::model::*;

/// The Availability Zone of network interface `e` (its subnet's).
pub(super) fn eni_zone(t: &Topology, e: EniIdx) -> Option<&str> {
    let s = t.network_interfaces[e.i()].subnet.idx?;
    t.subnets[s.i()].availability_zone.as_deref()
}

/// The load balancer's interface in the zone of endpoint interface `endpoint`: the node that
/// takes its traffic. The first interface when none is in that zone (or zones are unknown).
pub(super) fn entry_node(t: &Topology, lb: &LoadBalancer, endpoint: EniIdx) -> Option<EniIdx> {
    let zone = eni_zone(t, endpoint);
    zone.and_then(|z| {
        lb.network_interfaces
            .iter()
            .copied()
            .find(|&n| eni_zone(t, n) == Some(z))
    })
    .or_else(|| lb.network_interfaces.first().copied())
}

/// The zones enabled for the load balancer (`AvailabilityZones[].ZoneName`, else its subnets').
fn enabled_zones<'a>(t: &'a Topology, lb: &'a LoadBalancer) -> Vec<&'a str> {
    lb.zones
        .iter()
        .filter_map(|z| {
            z.zone.as_deref().or_else(|| {
                z.subnet
                    .idx
                    .and_then(|s| t.subnets[s.i()].availability_zone.as_deref())
            })
        })
        .collect()
}

/// The zone of a target: `describe-target-health`'s `AvailabilityZone` when given (`all` for
/// an address outside the VPC), else the zone of the interface that holds its address.
fn target_zone<'a>(t: &'a Topology, target: &'a Target) -> Option<&'a str> {
    target
        .availability_zone
        .as_deref()
        .or_else(|| target.network_interface.and_then(|e| eni_zone(t, e)))
}

/// Whether cross-zone load balancing is on for target group `g` behind `lb`, and whether that
/// is an assumption (neither the group's nor the load balancer's attributes say).
pub(super) fn cross_zone(lb: &LoadBalancer, g: &TargetGroup) -> (bool, bool) {
    match (g.cross_zone, lb.cross_zone) {
        (Some(Some(on)), _) => (on, false),
        (_, Some(on)) => (on, false),
        // The default: off for a Network Load Balancer, on for an Application Load Balancer.
        _ => (!lb.is_network(), true),
    }
}

/// Why the node in `node_zone` sends target `target` of `g` nothing, if it does not.
pub(super) fn excluded(
    t: &Topology,
    lb: &LoadBalancer,
    g: &TargetGroup,
    node_zone: Option<&str>,
    target: &Target,
) -> Option<(Code, String)> {
    let zone = target_zone(t, target)?;
    if zone.eq_ignore_ascii_case("all") {
        return None;
    }
    let enabled = enabled_zones(t, lb);
    if !enabled.is_empty() && !enabled.contains(&zone) {
        return Some((
            Code::ELB_INSTALLED_AZ_RESTRICTION,
            format!(
                "target {} of target group {} is in {zone}, a zone not enabled for {} (enabled: {}): it receives no traffic",
                target.id,
                g.name,
                lb.name,
                enabled.join(", ")
            ),
        ));
    }
    let node_zone = node_zone?;
    let (on, assumed) = cross_zone(lb, g);
    if on || zone == node_zone {
        return None;
    }
    Some((
        Code::ELB_NOT_CROSSZONE,
        format!(
            "target {} of target group {} is in {zone}, and cross-zone load balancing is off{}: the load balancer node in {node_zone}, which takes this traffic, sends it nothing",
            target.id,
            g.name,
            if assumed {
                " (assumed: the default for a Network Load Balancer; its attributes are not in the snapshot)"
            } else {
                ""
            }
        ),
    ))
}
