//! The path diagrams of the report: for each way an outside source (the internet, a named
//! range) reaches a cache, directly or through a relay, the components it passes left to right
//! (source → gateways → network ACLs and security groups → relay → cache), taken from the
//! engine's first passing path of each leg. Route tables and interfaces are left out: the
//! diagram shows what lets the traffic in, not every lookup.

use crate::engine::{ComponentKind, Engine, Hop, Question};
use crate::findings::audit_report::{AuditReport, SourceKind};
use crate::findings::report::{ExposurePath, PathStep};

/// At most this many diagrams (the rest are counted in the report).
pub const MAX_PATHS: usize = 40;

/// The diagrams (at most [`MAX_PATHS`]) and how many more exposures there are.
pub fn exposure_paths(engine: &Engine<'_>, audit: &AuditReport) -> (Vec<ExposurePath>, usize) {
    let mut out = Vec::new();
    let mut more = 0;
    for c in &audit.caches {
        for b in &c.reached_by {
            let source = match b.kind {
                SourceKind::Internet => "internet".to_string(),
                SourceKind::Range => match audit.sources.iter().find(|s| s.name == b.source) {
                    Some(s) => match s.blocks.first() {
                        Some(block) => block.clone(),
                        None => continue,
                    },
                    None => continue,
                },
                _ => continue,
            };
            if out.len() >= MAX_PATHS {
                more += 1;
                continue;
            }
            let target = format!("cache:{}", c.cache);
            let first = PathStep {
                kind: b.kind_str().to_string(),
                id: b.source.clone(),
                name: None,
                rule: (b.kind == SourceKind::Range).then(|| source.clone()),
            };
            let mut steps = vec![first];
            match &b.via {
                None => steps.extend(leg(engine, &source, &target, &b.ports)),
                // PrivateLink: the walk to the endpoint goes on to the cache's node.
                Some(v) if v.relay_kind == "privatelink" => {
                    let port = v.listen.map(|p| p.to_string());
                    let first_port = b.ports.split(',').next().unwrap_or_default().trim();
                    let port = port.as_deref().unwrap_or(first_port);
                    steps.extend(leg(engine, &source, &v.relay, port));
                }
                Some(v) => {
                    match v.listen {
                        Some(port) => {
                            steps.extend(leg(engine, &source, &v.relay, &port.to_string()))
                        }
                        None => steps.push(PathStep {
                            kind: "session-manager".into(),
                            id: "Session Manager".into(),
                            name: None,
                            rule: Some("port forwarding session".into()),
                        }),
                    }
                    steps.push(PathStep {
                        kind: "relay".into(),
                        id: v.relay.clone(),
                        name: v.relay_name.clone(),
                        rule: Some(v.relay_kind.clone()),
                    });
                    steps.extend(leg(engine, &v.relay, &target, &b.ports));
                }
            }
            steps.push(PathStep {
                kind: "cache".into(),
                id: c.cache.clone(),
                name: None,
                rule: Some(format!("port {}", b.ports)),
            });
            steps.dedup_by(|a, b| a.id == b.id && a.kind == b.kind);
            out.push(ExposurePath {
                cache: c.cache.clone(),
                source: b.source.clone(),
                relay: b.via.as_ref().map(|v| v.relay.clone()),
                verdict: b.verdict.to_string(),
                ports: b.ports.clone(),
                steps,
            });
        }
    }
    (out, more)
}

/// The gateways and filters of the first passing forward path from `from` to `to` on `ports`
/// (TCP); empty when the engine finds none.
fn leg(engine: &Engine<'_>, from: &str, to: &str, ports: &str) -> Vec<PathStep> {
    let Ok(answer) = engine.ask(&Question::tcp(from, to, Some(ports))) else {
        return Vec::new();
    };
    let Some(path) = answer.paths.first() else {
        return Vec::new();
    };
    path.forward.iter().filter_map(step).collect()
}

fn step(h: &Hop) -> Option<PathStep> {
    use ComponentKind as K;
    let keep = matches!(
        h.kind,
        K::InternetGateway
            | K::NatGateway
            | K::VpcPeeringConnection
            | K::TransitGateway
            | K::TransitGatewayRouteTable
            | K::NetworkAcl
            | K::SecurityGroup
            | K::VpcEndpoint
            | K::Gateway
    );
    keep.then(|| PathStep {
        kind: h.kind.as_str().to_string(),
        id: h.component.clone(),
        name: h.name.clone(),
        rule: h.rule.clone(),
    })
}
