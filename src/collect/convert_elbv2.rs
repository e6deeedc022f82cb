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

/// One `Attributes[]` element of `describe-load-balancer-attributes`.
pub fn lb_attribute(a: &sdk::LoadBalancerAttribute) -> aws::KeyValue {
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

#[cfg(test)]
mod tests {
    use super::super::convert_util::capture;
    use super::*;

    #[test]
    fn load_balancer_keeps_the_loader_fields_and_notes_a_bad_address() {
        let lb = sdk::LoadBalancer::builder()
            .load_balancer_arn("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/a/1")
            .r#type(sdk::LoadBalancerTypeEnum::Network)
            .scheme(sdk::LoadBalancerSchemeEnum::Internal)
            .state(
                sdk::LoadBalancerState::builder()
                    .code(sdk::LoadBalancerStateEnum::Active)
                    .build(),
            )
            .availability_zones(
                sdk::AvailabilityZone::builder()
                    .zone_name("us-east-1a")
                    .subnet_id("subnet-1")
                    .load_balancer_addresses(
                        sdk::LoadBalancerAddress::builder()
                            .private_ipv4_address("10.0.2.100")
                            .build(),
                    )
                    .load_balancer_addresses(
                        sdk::LoadBalancerAddress::builder()
                            .private_ipv4_address("10.0.2.300")
                            .build(),
                    )
                    .build(),
            )
            .enforce_security_group_inbound_rules_on_private_link_traffic("off")
            .build();
        let (out, drops) = capture(|| load_balancer(&lb));
        assert_eq!(out.lb_type.as_deref(), Some("network"));
        assert_eq!(out.scheme.as_deref(), Some("internal"));
        assert_eq!(out.state.as_ref().map(|s| s.code.as_str()), Some("active"));
        let addrs = &out.availability_zones[0].load_balancer_addresses;
        assert_eq!(
            addrs[0]
                .private_ipv4_address
                .map(|a| a.to_string())
                .as_deref(),
            Some("10.0.2.100")
        );
        // 10.0.2.300 is not an address: left out, and noted.
        assert_eq!(addrs[1].private_ipv4_address, None);
        assert_eq!(drops.len(), 1);
        assert_eq!(drops[0].value, "\"10.0.2.300\"");
        assert_eq!(
            out.enforce_security_group_inbound_rules_on_private_link_traffic
                .as_deref(),
            Some("off")
        );
    }

    #[test]
    fn listener_actions_and_target_health() {
        let l = sdk::Listener::builder()
            .listener_arn("l")
            .load_balancer_arn("lb")
            .port(443)
            .protocol(sdk::ProtocolEnum::Tcp)
            .default_actions(
                sdk::Action::builder()
                    .r#type(sdk::ActionTypeEnum::Forward)
                    .forward_config(
                        sdk::ForwardActionConfig::builder()
                            .target_groups(
                                sdk::TargetGroupTuple::builder()
                                    .target_group_arn("tg")
                                    .weight(3)
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .build();
        let out = listener(&l);
        assert_eq!(out.port, Some(aws::AwsPort(443)));
        assert_eq!(out.protocol.as_deref(), Some("TCP"));
        assert_eq!(out.default_actions[0].action_type, "forward");
        assert_eq!(out.default_actions[0].target_group_arn, None);
        let tuple = &out.default_actions[0]
            .forward_config
            .as_ref()
            .expect("forward config")
            .target_groups[0];
        assert_eq!(
            (tuple.target_group_arn.as_str(), tuple.weight),
            ("tg", Some(3))
        );

        // A listener without a port (a Gateway Load Balancer's) keeps none, not "all".
        let gwlb = listener(&sdk::Listener::builder().listener_arn("g").build());
        assert_eq!(gwlb.port, None);

        let d = sdk::TargetHealthDescription::builder()
            .target(
                sdk::TargetDescription::builder()
                    .id("10.0.3.7")
                    .port(8443)
                    .build(),
            )
            .target_health(
                sdk::TargetHealth::builder()
                    .state(sdk::TargetHealthStateEnum::Unhealthy)
                    .reason(sdk::TargetHealthReasonEnum::FailedHealthChecks)
                    .build(),
            )
            .build();
        let h = target_health(&d);
        assert_eq!(h.target.id, "10.0.3.7");
        assert_eq!(h.target.port, Some(aws::AwsPort(8443)));
        let th = h.target_health.expect("health");
        assert_eq!(th.state, "unhealthy");
        assert_eq!(th.reason.as_deref(), Some("Target.FailedHealthChecks"));
    }
}
