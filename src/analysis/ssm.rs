//! SSM readiness per running instance (semantics M3, V2, V3), computed with the engine: for each
//! of `ssm`, `ssmmessages` and `ec2messages`, where does the regional name resolve, and does TCP
//! 443 from the instance complete there, both ways?
//!
//! * An active interface endpoint `com.amazonaws.<region>.<service>` in the instance's VPC with
//!   private DNS on, and the VPC's `enableDnsSupport` and `enableDnsHostnames` on: the name
//!   resolves to the endpoint, so HTTPS must reach the endpoint's interfaces (its security
//!   groups, the NACLs of both subnets). A NAT gateway does not help then.
//! * Otherwise the name resolves to the service's public addresses: HTTPS must reach the
//!   internet (any public address outside the snapshot; the regional service addresses are not
//!   in EC2 data), through a NAT gateway or an internet gateway with the instance's public
//!   address. An endpoint the DNS bypasses is reported (`SSM_ENDPOINT_BYPASSED`).
//!
//! Readiness also needs an instance profile (`SSM_NO_INSTANCE_PROFILE`); the role's policies,
//! the agent's version and the user's right to start sessions are not in EC2 data and are
//! stated as assumptions.

use crate::catalogue::Code;
use crate::engine::{Answer, ComponentKind, Engine, Question, Verdict};
use crate::findings::ssm::*;
use crate::model::{EndpointType, Instance, Topology, VpcEndpoint};

/// What every readiness verdict takes for granted.
const ASSUMPTIONS: [&str; 3] = [
    "the SSM Agent (3.1.1374.0 or later for port forwarding) is installed and running: agent versions are not in EC2 data",
    "the instance profile's role allows Session Manager (e.g. AmazonSSMManagedInstanceCore): IAM policies are not in the snapshot",
    "the user may start sessions with AWS-StartPortForwardingSessionToRemoteHost: IAM is out of scope",
];

/// Readiness of every running instance, in snapshot order.
pub fn all(t: &Topology, engine: &Engine<'_>) -> Vec<SsmReadiness> {
    t.instances
        .iter()
        .filter(|i| i.active && !i.network_interfaces.is_empty())
        .map(|i| readiness(t, engine, i))
        .collect()
}

/// Readiness of one instance.
pub fn readiness(t: &Topology, engine: &Engine<'_>, instance: &Instance) -> SsmReadiness {
    let region = &t.scopes[instance.scope.i()].region;
    let vpc = instance
        .vpc
        .as_ref()
        .and_then(|v| v.idx)
        .map(|v| &t.vpcs[v.i()]);
    let mut missing = Vec::new();
    let mut assumptions: Vec<String> = ASSUMPTIONS.iter().map(|s| s.to_string()).collect();
    if instance.instance_profile.is_none() {
        missing.push(SsmGap {
            code: Code::SSM_NO_INSTANCE_PROFILE,
            detail: format!(
                "{} has no instance profile: the SSM Agent has no credentials to register with Systems Manager",
                instance.id
            ),
        });
    }
    let mut services = Vec::new();
    // The three services usually share one question (all to `internet` when no endpoint
    // resolves their names): asked once per destination.
    let mut asked: Vec<(String, Result<Answer, String>)> = Vec::new();
    for svc in SSM_SERVICES {
        let service = format!("com.amazonaws.{region}.{svc}");
        let endpoints: Vec<&VpcEndpoint> = t
            .vpc_endpoints
            .iter()
            .filter(|e| {
                e.active
                    && e.endpoint_type == EndpointType::Interface
                    && e.service_name == service
                    && instance.vpc.as_ref().and_then(|v| v.idx) == e.vpc.idx
            })
            .collect();
        let dns_on = vpc.is_some_and(|v| v.dns_support && v.dns_hostnames);
        if vpc.is_some_and(|v| v.dns_assumed) && endpoints.iter().any(|e| e.private_dns_enabled) {
            assumptions.push(format!(
                "the DNS attributes of {} are not in the snapshot: assumed on (AWS's default), so {service} resolves to its endpoint",
                vpc.map(|v| v.id.as_str()).unwrap_or("the VPC")
            ));
        }
        let resolving = endpoints.iter().find(|e| e.private_dns_enabled && dns_on);
        if resolving.is_none() {
            for e in &endpoints {
                let why = if !e.private_dns_enabled {
                    "its private DNS is off".to_string()
                } else {
                    let v = vpc.map(|v| v.id.as_str()).unwrap_or("the VPC");
                    format!("{v} has enableDnsSupport or enableDnsHostnames off")
                };
                missing.push(SsmGap {
                    code: Code::SSM_ENDPOINT_BYPASSED,
                    detail: format!(
                        "{} serves {service} but {why}: the name resolves to the public service, so HTTPS must go out through a NAT or internet gateway",
                        e.id
                    ),
                });
            }
        }
        let to = match resolving {
            Some(e) => e.id.clone(),
            None => "internet".to_string(),
        };
        let question = Question {
            from: instance.id.clone(),
            to,
            protocol: "tcp".into(),
            ports: Some("443".into()),
            ephemeral: None,
        };
        let at = match asked.iter().position(|(to, _)| *to == question.to) {
            Some(n) => n,
            None => {
                let answer = engine.ask(&question).map_err(|e| e.to_string());
                asked.push((question.to.clone(), answer));
                asked.len() - 1
            }
        };
        let checked = match &asked[at].1 {
            Ok(answer) => service_from(&service, resolving.map(|e| e.id.clone()), answer),
            Err(e) => {
                missing.push(SsmGap {
                    code: Code::SSM_SERVICE_UNREACHABLE,
                    detail: format!("{service}: cannot ask the engine: {e}"),
                });
                continue;
            }
        };
        match checked.verdict {
            Verdict::Reachable => {}
            Verdict::Partial if resolving.is_none() => assumptions.push(format!(
                "HTTPS from {} reaches only part of the public address space: assumed to include the addresses of {service}",
                instance.id
            )),
            _ => missing.push(SsmGap {
                // A path that stops on data that did not load is unknown, not unreachable.
                code: match &asked[at].1 {
                    Ok(a) if a.blocked.iter().any(|b| b.code == Code::SNAPSHOT_INCOMPLETE) => {
                        Code::SNAPSHOT_INCOMPLETE
                    }
                    _ => Code::SSM_SERVICE_UNREACHABLE,
                },
                detail: format!(
                    "TCP 443 from {} to {service} ({}) does not complete: {}",
                    instance.id,
                    checked.endpoint.as_deref().unwrap_or("its public addresses"),
                    if checked.blocked.is_empty() {
                        "no path".to_string()
                    } else {
                        checked
                            .blocked
                            .iter()
                            .map(|b| format!("{} {}", b.code, b.component))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
            }),
        }
        services.push(checked);
    }
    let routes: Vec<SsmRoute> = services.iter().filter_map(|s| s.route).collect();
    let all_reach = services.len() == SSM_SERVICES.len()
        && services
            .iter()
            .all(|s| s.verdict != Verdict::Unreachable && s.route.is_some());
    let route = if !all_reach || routes.is_empty() {
        None
    } else if routes.iter().all(|r| *r == routes[0]) {
        Some(routes[0])
    } else {
        Some(SsmRoute::Mixed)
    };
    let ready = all_reach
        && !missing
            .iter()
            .any(|g| g.code != Code::SSM_ENDPOINT_BYPASSED);
    assumptions.sort();
    assumptions.dedup();
    SsmReadiness {
        instance: instance.id.clone(),
        name: instance.name.clone(),
        ready,
        route,
        services,
        missing,
        assumptions,
    }
}

/// One service's result from the engine's answer: the route its passing paths take.
fn service_from(service: &str, endpoint: Option<String>, a: &Answer) -> SsmService {
    let kinds: Vec<ComponentKind> = a
        .paths
        .iter()
        .flat_map(|p| p.forward.iter().map(|h| h.kind))
        .collect();
    // Towards the public service, a path must leave through a NAT or internet gateway: a
    // partial answer whose only open part is a gateway endpoint's prefix list (S3, DynamoDB)
    // does not reach Systems Manager.
    let passes = a.verdict != Verdict::Unreachable
        && (endpoint.is_some()
            || kinds.iter().any(|k| {
                matches!(
                    k,
                    ComponentKind::NatGateway | ComponentKind::InternetGateway
                )
            }));
    let route = passes.then(|| {
        if endpoint.is_some() {
            SsmRoute::Endpoints
        } else if kinds.contains(&ComponentKind::NatGateway) {
            SsmRoute::Nat
        } else {
            SsmRoute::InternetGateway
        }
    });
    SsmService {
        service: service.to_string(),
        endpoint,
        route,
        verdict: a.verdict,
        blocked: if passes {
            Vec::new()
        } else {
            a.blocked.clone()
        },
    }
}

#[cfg(test)]
mod tests;
