//! `report`: gathers the pre-migration audit report ([`ReportData`]) from the other analyses —
//! the audit (caches, relays, SSM readiness, findings), the overlaps with their renumbering
//! plan — with the snapshot's scope and completeness, the topology graph ([`graph`]) and the
//! path diagrams of exposed caches ([`paths`]). Everything is linear in the snapshot past the
//! audit, which dominates. The before/after section (`diff`) is left empty here: the caller
//! fills it when asked.

pub mod before;
pub mod graph;
pub mod paths;

use crate::analysis::audit::{audit, AuditInput};
use crate::analysis::overlaps::{analyze, OverlapOptions};
use crate::diag::Severity;
use crate::engine::Engine;
use crate::findings::report::{self as data, ReportData, ScopeSummary};
use crate::model::*;
use crate::snapshot::scope::ScopeSource;
use std::collections::BTreeSet;

/// At most this many loader problems are listed (the rest are counted).
pub const MAX_PROBLEMS: usize = 20;

/// What a report is asked about.
#[derive(Clone, Debug, Default)]
pub struct ReportInput {
    /// The audit's input (snapshot name, configuration, named ranges, relays).
    pub audit: AuditInput,
    /// `--timestamp`: when the report is made.
    pub generated_at: Option<String>,
}

/// Gather the report. Errors only when the overlap analysis refuses (it does not with the
/// options used here, but its contract allows it).
pub fn report(
    t: &Topology,
    engine: &Engine<'_>,
    input: &ReportInput,
) -> Result<ReportData, String> {
    let audit = audit(t, engine, &input.audit);
    let overlaps = analyze(
        t,
        &input.audit.snapshot,
        &OverlapOptions {
            plan: true,
            pool: None,
            what_if: None,
        },
    )?;
    let graph = graph::build(t, &audit);
    let (exposure_paths, _) = paths::exposure_paths(engine, &audit);
    Ok(ReportData {
        snapshot: input.audit.snapshot.clone(),
        config: input.audit.config.clone(),
        generated_at: input.generated_at.clone(),
        scope: scope(t, audit.caches.len()),
        completeness: completeness(t, &audit.incomplete),
        audit,
        overlaps,
        graph,
        exposure_paths,
        diff: None,
    })
}

/// Accounts, regions and object counts.
fn scope(t: &Topology, caches: usize) -> ScopeSummary {
    let accounts: BTreeSet<String> = t.scopes.iter().map(|s| s.account.clone()).collect();
    let regions: BTreeSet<String> = t.scopes.iter().map(|s| s.region.clone()).collect();
    let running = t.instances.iter().filter(|i| i.active).count();
    let counts = [
        ("VPCs", t.vpcs.len()),
        ("subnets", t.subnets.len()),
        ("security groups", t.security_groups.len()),
        ("network interfaces", t.network_interfaces.len()),
        ("running instances", running),
        ("caches", caches),
        (
            "internet gateways",
            t.internet_gateways.iter().filter(|x| x.active).count(),
        ),
        (
            "NAT gateways",
            t.nat_gateways.iter().filter(|x| x.active).count(),
        ),
        (
            "VPC peerings (active)",
            t.vpc_peering_connections
                .iter()
                .filter(|x| x.active)
                .count(),
        ),
        (
            "transit gateways",
            t.transit_gateways.iter().filter(|x| x.active).count(),
        ),
        (
            "transit gateway route tables",
            t.transit_gateway_route_tables.len(),
        ),
    ];
    ScopeSummary {
        accounts: accounts.into_iter().collect(),
        regions: regions.into_iter().collect(),
        counts: counts.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
    }
}

/// Load problems and inferred data.
fn completeness(t: &Topology, incomplete: &[String]) -> data::Completeness {
    let d = &t.diagnostics;
    let problems: Vec<String> = d
        .iter()
        .filter(|x| x.severity != Severity::Note)
        .take(MAX_PROBLEMS)
        .map(|x| x.to_string())
        .collect();
    let mut inferred = Vec::new();
    for s in &t.scopes {
        for (what, value, source) in [
            ("account", &s.account, s.account_source),
            ("region", &s.region, s.region_source),
        ] {
            let how = match source {
                ScopeSource::Path => continue,
                ScopeSource::Convention => "taken from the Batfish folder convention",
                ScopeSource::Contents => "guessed from the files' contents",
                ScopeSource::Unknown => "unknown",
            };
            inferred.push(format!("{what} {value}: {how}"));
        }
    }
    let dns = t.vpcs.iter().filter(|v| v.dns_assumed).count();
    if dns > 0 {
        inferred.push(format!(
            "{dns} VPC(s) without describe-vpc-attribute data: DNS support and hostnames assumed on (the AWS defaults)"
        ));
    }
    let assoc = t
        .transit_gateway_attachments
        .iter()
        .filter(|a| a.association_source == BindingSource::InferredFromDefaults)
        .count();
    let prop = t
        .transit_gateway_route_tables
        .iter()
        .filter(|r| r.propagation_source == BindingSource::InferredFromDefaults)
        .count();
    if assoc > 0 {
        inferred.push(format!(
            "{assoc} transit gateway attachment(s) without association records: associated with the gateway's default association route table"
        ));
    }
    if prop > 0 {
        inferred.push(format!(
            "{prop} transit gateway route table(s) without propagation records: propagations taken from the gateway's default propagation option"
        ));
    }
    data::Completeness {
        incomplete: incomplete.to_vec(),
        diagnostics: (
            d.count(Severity::Error),
            d.count(Severity::Warning),
            d.count(Severity::Note),
        ),
        problems,
        inferred,
    }
}
