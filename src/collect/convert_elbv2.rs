//! Elastic Load Balancing (v2) SDK types, and EC2's endpoint service configurations, → the
//! project's serde shapes ([`crate::snapshot::aws::elbv2`], [`crate::snapshot::aws::privatelink`]).
//! Only the fields the loader reads are kept; an address or port that does not fit is dropped
//! and noted ([`super::convert_util`]).

use super::convert_util::{en, ip4, os, port, s};
use crate::snapshot::aws;
use aws_sdk_elasticloadbalancingv2::types as sdk;

/// A port the API gives as a number; absent stays absent (not "all").
fn opt_port(v: Option<i32>) -> Option<aws::AwsPort> {
    v.map(|p| port(Some(p)))
}

/// `LoadBalancers[]`.
pub fn load_balancer(lb: &sdk::LoadBalancer) -> aws::LoadBalancer {
    aws::LoadBalancer {
        load_balancer_arn: s(lb.load_balancer_arn()),
        load_balancer_name: os(lb.load_balancer_name()),
        dns_name: os(lb.dns_name()),
        scheme: en!(lb.scheme()),
        vpc_id: os(lb.vpc_id()),
        state: lb.state().map(|st| aws::LoadBalancerState {
            code: en!(st.code()).unwrap_or_default(),
            reason: os(st.reason()),
        }),
        lb_type: en!(lb.r#type()),
        availability_zones: lb
            .availability_zones()
            .iter()
            .map(|z| aws::LbAvailabilityZone {
                zone_name: os(z.zone_name()),
                subnet_id: os(z.subnet_id()),
                load_balancer_addresses: z
                    .load_balancer_addresses()
                    .iter()
                    .map(|a| aws::LoadBalancerAddress {
                        ip_address: ip4(a.ip_address()),
                        allocation_id: os(a.allocation_id()),
                        private_ipv4_address: ip4(a.private_ipv4_address()),
                    })
                    .collect(),
            })
            .collect(),
        security_groups: lb.security_groups().to_vec(),
        ip_address_type: en!(lb.ip_address_type()),
        enforce_security_group_inbound_rules_on_private_link_traffic: os(
            lb.enforce_security_group_inbound_rules_on_private_link_traffic()
        ),
    }
}

/// `Listeners[]` (one load balancer's `describe-listeners` page).
pub fn listener(l: &sdk::Listener) -> aws::Listener {
    aws::Listener {
        listener_arn: s(l.listener_arn()),
        load_balancer_arn: s(l.load_balancer_arn()),
        port: opt_port(l.port()),
        protocol: en!(l.protocol()),
        default_actions: l
            .default_actions()
            .iter()
            .map(|a| aws::ListenerAction {
                action_type: en!(a.r#type()).unwrap_or_default(),
                target_group_arn: os(a.target_group_arn()),
                forward_config: a.forward_config().map(|f| aws::ForwardConfig {
                    target_groups: f
                        .target_groups()
                        .iter()
                        .map(|t| aws::TargetGroupTuple {
                            target_group_arn: s(t.target_group_arn()),
                            weight: t.weight().map(i64::from),
                        })
                        .collect(),
                }),
            })
            .collect(),
    }
}

/// `TargetGroups[]`.
pub fn target_group(t: &sdk::TargetGroup) -> aws::TargetGroup {
    aws::TargetGroup {
        target_group_arn: s(t.target_group_arn()),
        target_group_name: os(t.target_group_name()),
        protocol: en!(t.protocol()),
        port: opt_port(t.port()),
        vpc_id: os(t.vpc_id()),
        load_balancer_arns: t.load_balancer_arns().to_vec(),
        target_type: en!(t.target_type()),
    }
}

/// One `TargetHealthDescriptions[]` element of a target group.
pub fn target_health(d: &sdk::TargetHealthDescription) -> aws::TargetHealthDescription {
    aws::TargetHealthDescription {
        target: d
            .target()
            .map(|t| aws::TargetDescription {
                id: s(t.id()),
                port: opt_port(t.port()),
                availability_zone: os(t.availability_zone()),
            })
            .unwrap_or_default(),
        health_check_port: os(d.health_check_port()),
        target_health: d.target_health().map(|h| aws::TargetHealth {
            state: en!(h.state()).unwrap_or_default(),
            reason: en!(h.reason()),
            description: os(h.description()),
        }),
    }
}

/// One `Attributes[]` element of a target group.
pub fn attribute(a: &sdk::TargetGroupAttribute) -> aws::KeyValue {
    aws::KeyValue {
        key: s(a.key()),
        value: s(a.value()),
    }
}

/// `ServiceConfigurations[]` (`ec2 describe-vpc-endpoint-service-configurations`).
pub fn service_configuration(
    c: &aws_sdk_ec2::types::ServiceConfiguration,
) -> aws::ServiceConfiguration {
    aws::ServiceConfiguration {
        service_id: s(c.service_id()),
        service_name: os(c.service_name()),
        service_state: en!(c.service_state()),
        availability_zones: c.availability_zones().to_vec(),
        acceptance_required: c.acceptance_required(),
        network_load_balancer_arns: c.network_load_balancer_arns().to_vec(),
        gateway_load_balancer_arns: c.gateway_load_balancer_arns().to_vec(),
    }
}
