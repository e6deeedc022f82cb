//! The `vpcreach overlaps` answer as tables, streamed: each section (the listed pairs, each
//! pair's details, each shared block and its member VPCs, mismatches, plan, what-if, summary)
//! is laid out, made terminal-safe and written as soon as it is formatted, so the output is
//! never one string of the whole report (a shared block may list 10,000 VPCs).

use super::escape::{one_line, terminal_safe};
use super::width::{fit, grid};
use crate::findings::overlaps::{
    ImpactKind, OverlapReport, PrivateLinkKind, PrivateLinkRelation, PrivateLinkService,
    SharedBlock,
};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Write one section: made terminal-safe, wrapped to `width`.
fn emit(w: &mut dyn Write, section: &str, width: usize) -> io::Result<()> {
    w.write_all(fit(&terminal_safe(section), width).as_bytes())
}

fn kind(k: ImpactKind) -> &'static str {
    match k {
        ImpactKind::TgwPropagationSuppressed => "TGW propagation suppressed",
        ImpactKind::PeeringImpossible => "peering impossible (inconsistent snapshot)",
        ImpactKind::Latent => "latent",
    }
}

/// Write the report as tables no wider than `width` columns.
pub fn write(w: &mut dyn Write, r: &OverlapReport, width: usize) -> io::Result<()> {
    let mut out = String::new();
    let load = r.incomplete_reasons();
    if !load.is_empty() {
        let _ = writeln!(
            out,
            "SNAPSHOT_INCOMPLETE: this report rests on data that did not load; overlaps or impacts may be missing"
        );
        for l in &load {
            let _ = writeln!(out, "  - {}", one_line(l));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Snapshot: {}", r.snapshot);
    let vpc = |id: &str| match r.vpcs.get(id) {
        Some(v) => format!(
            "{}\n{}/{}",
            v.name
                .as_ref()
                .map(|n| format!("{n} ({id})"))
                .unwrap_or_else(|| id.to_string()),
            v.account,
            v.region
        ),
        None => id.to_string(),
    };
    if r.overlaps.is_empty() && r.shared_blocks.is_empty() {
        let _ = writeln!(out, "\nNo overlapping VPC blocks.");
    } else if r.overlaps.is_empty() {
        let _ = writeln!(
            out,
            "\nNo overlap with a TGW or peering impact to list one by one."
        );
    } else {
        let rows: Vec<Vec<String>> = r
            .overlaps
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let impacts: Vec<String> = o
                    .impact
                    .iter()
                    .map(|imp| match (&imp.winner, &imp.route_table) {
                        (Some(w), Some(rt)) => format!("{} in {rt}: {w} wins", kind(imp.kind)),
                        _ => kind(imp.kind).to_string(),
                    })
                    .collect();
                let mut impacts = impacts;
                if !o.privatelink.is_empty() {
                    impacts.push("served by PrivateLink".to_string());
                }
                vec![
                    (i + 1).to_string(),
                    vpc(&o.a),
                    o.a_cidr.to_string(),
                    vpc(&o.b),
                    o.b_cidr.to_string(),
                    o.relation.as_str().to_string(),
                    impacts.join("\n"),
                ]
            })
            .collect();
        let header = [
            "#", "VPC a", "block a", "VPC b", "block b", "relation", "impact",
        ];
        let _ = writeln!(out, "\n{}", grid(&header, &rows, width));
    }
    emit(w, &out, width)?;
    for (i, o) in r.overlaps.iter().enumerate() {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\n#{} {} {} / {} {}",
            i + 1,
            o.a,
            o.a_cidr,
            o.b,
            o.b_cidr
        );
        for imp in &o.impact {
            let _ = writeln!(out, "  {}: {}", kind(imp.kind), imp.explanation);
            if !imp.unreachable.is_empty() {
                let _ = writeln!(out, "  unreachable from the rest of the TGW:");
                for u in &imp.unreachable {
                    let _ = writeln!(
                        out,
                        "    {} {}{} {}{}",
                        u.kind,
                        u.id,
                        u.name
                            .as_ref()
                            .map(|n| format!(" ({n})"))
                            .unwrap_or_default(),
                        u.addresses.join(", "),
                        u.endpoint
                            .as_ref()
                            .map(|e| format!(" [{e}]"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        for p in &o.privatelink {
            let _ = writeln!(out, "  served by PrivateLink: {}", privatelink(p));
        }
        for rem in &o.remedies {
            let _ = writeln!(out, "  remedy: {}", rem.description);
        }
        emit(w, &out, width)?;
    }
    for g in &r.shared_blocks {
        shared_block(w, r, g, width)?;
    }
    rest(w, r, width)
}

/// One PrivateLink service serving an overlapping pair, in words (O6).
fn privatelink(p: &PrivateLinkService) -> String {
    let what = match p.kind {
        PrivateLinkKind::EndpointService => "endpoint service",
        PrivateLinkKind::ResourceConfiguration => "resource configuration",
    };
    let how = match p.relation {
        PrivateLinkRelation::Direct => "provided by one VPC of the pair",
        PrivateLinkRelation::Shared => "reached by both",
    };
    let name = match &p.name {
        Some(n) if n != &p.service => format!(" ({n})"),
        _ => String::new(),
    };
    let provider = p
        .provider_vpc
        .as_ref()
        .map(|v| format!(" in {v}"))
        .unwrap_or_default();
    let eps: Vec<String> = p
        .endpoints
        .iter()
        .map(|e| {
            format!(
                "{} from {} on tcp {}: {}",
                e.endpoint, e.vpc, e.port, e.verdict
            )
        })
        .collect();
    format!(
        "{what} {}{name}{provider}, {how}, through {}",
        p.service,
        eps.join("; ")
    )
}

/// One shared block: the counts, the impact and remedy stated once, the overlapping blocks, then
/// one line per member VPC (written as it is formatted).
fn shared_block(
    w: &mut dyn Write,
    r: &OverlapReport,
    g: &SharedBlock,
    width: usize,
) -> io::Result<()> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nShared block {}: {} VPCs, {} account(s), {} region(s){}; {} pair(s), {} listed above",
        g.cidr,
        g.vpcs.len(),
        g.accounts.len(),
        g.regions.len(),
        match g.default_vpcs {
            0 => String::new(),
            d => format!(", {d} default VPC(s)"),
        },
        g.pairs,
        g.listed_pairs
    );
    let _ = writeln!(out, "  {}: {}", kind(g.impact), g.explanation);
    for n in &g.notes {
        let _ = writeln!(out, "  note: {n}");
    }
    for o in &g.overlapping {
        let _ = writeln!(
            out,
            "  {} {} of {} ({} pair(s), {} listed above)",
            o.relation.as_str(),
            o.cidr,
            o.vpcs.join(", "),
            o.pairs,
            o.listed_pairs
        );
    }
    let _ = writeln!(out, "  remedy: {}", g.remedy);
    let _ = writeln!(out, "  VPCs:");
    emit(w, &out, width)?;
    for id in &g.vpcs {
        let line = match r.vpcs.get(id) {
            Some(v) => format!(
                "    {}{} {}/{}\n",
                one_line(id),
                v.name
                    .as_ref()
                    .map(|n| format!(" ({})", one_line(n)))
                    .unwrap_or_default(),
                v.account,
                v.region
            ),
            None => format!("    {}\n", one_line(id)),
        };
        emit(w, &line, width)?;
    }
    Ok(())
}

/// Route mismatches, the plan, the what-if answer, the summary and the warnings.
fn rest(w: &mut dyn Write, r: &OverlapReport, width: usize) -> io::Result<()> {
    let mut out = String::new();
    let vpc = |id: &str| match r.vpcs.get(id) {
        Some(v) => format!(
            "{}\n{}/{}",
            v.name
                .as_ref()
                .map(|n| format!("{n} ({id})"))
                .unwrap_or_else(|| id.to_string()),
            v.account,
            v.region
        ),
        None => id.to_string(),
    };
    if !r.tgw_route_mismatches.is_empty() {
        let rows: Vec<Vec<String>> = r
            .tgw_route_mismatches
            .iter()
            .map(|m| {
                vec![
                    m.route_table.clone(),
                    m.destination.to_string(),
                    m.kind.to_string(),
                    m.computed_attachment.as_deref().unwrap_or("-").to_string(),
                    m.observed_attachment.as_deref().unwrap_or("-").to_string(),
                ]
            })
            .collect();
        let header = [
            "route table",
            "destination",
            "mismatch",
            "computed",
            "observed",
        ];
        let _ = writeln!(
            out,
            "\nComputed vs observed TGW routes:\n{}",
            grid(&header, &rows, width)
        );
    }
    if let Some(p) = &r.plan {
        let pool: Vec<String> = p.pool.iter().map(|n| n.to_string()).collect();
        let _ = writeln!(out, "\nPlan (pool {}):", pool.join(", "));
        if !p.renumbering.is_empty() {
            let rows: Vec<Vec<String>> = p
                .renumbering
                .iter()
                .map(|x| {
                    vec![
                        vpc(&x.vpc),
                        x.current.to_string(),
                        x.proposed
                            .map(|n| n.to_string())
                            .unwrap_or_else(|| "-".into()),
                        x.note.clone(),
                    ]
                })
                .collect();
            let header = ["VPC", "current", "proposed", "note"];
            let _ = writeln!(out, "{}", grid(&header, &rows, width));
        }
        for s in &p.shared_tgw_sets {
            let _ = writeln!(
                out,
                "  {}: {} VPC(s) can share one TGW: {}{}; left out: {} [{}]",
                s.region,
                s.vpcs.len(),
                s.vpcs.join(", "),
                if s.optimal {
                    ""
                } else {
                    " (not proven maximum)"
                },
                if s.excluded.is_empty() {
                    "none".to_string()
                } else {
                    s.excluded.join(", ")
                },
                s.method
            );
        }
    }
    if let Some(wi) = &r.what_if {
        let _ = writeln!(
            out,
            "\nWhat if {} is attached to {}:",
            wi.vpc, wi.transit_gateway
        );
        let _ = writeln!(out, "  {}", wi.explanation);
        for tb in &wi.tables {
            let prop: Vec<String> = tb.propagated.iter().map(|n| n.to_string()).collect();
            let _ = writeln!(
                out,
                "  {} ({}): propagated {}",
                tb.route_table,
                tb.reason,
                if prop.is_empty() {
                    "nothing".to_string()
                } else {
                    prop.join(", ")
                }
            );
            for s in &tb.suppressed {
                let _ = writeln!(
                    out,
                    "    {} suppressed: {} {} ({}) wins",
                    s.cidr, s.winner, s.winner_cidr, s.winner_attachment
                );
            }
            for x in &tb.takes_traffic_from {
                let _ = writeln!(
                    out,
                    "    {} takes traffic from {} route {} → {}",
                    x.for_cidr,
                    x.kind,
                    x.destination,
                    x.attachment.as_deref().unwrap_or("blackhole")
                );
            }
        }
    }
    let s = &r.summary;
    let _ = writeln!(
        out,
        "\n{} block(s), {} overlap(s) ({} listed, {} shared block(s)): {} TGW suppression, {} impossible peering, {} latent; {} TGW route mismatch(es)",
        s.vpc_blocks,
        s.overlaps,
        s.listed_overlaps,
        s.shared_blocks,
        s.tgw_propagation_suppressed,
        s.peering_impossible,
        s.latent,
        s.tgw_route_mismatches
    );
    for x in &r.warnings {
        let _ = writeln!(out, "  warning: {}", one_line(x));
    }
    emit(w, &out, width)
}
