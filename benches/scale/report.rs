//! `report` on the organisation: the report's data (audit, overlaps, graph, findings) gathered
//! by `analysis::report::report`, then rendered as `index.html`, `report.md` and
//! `topology.dot` in memory (what `vpcreach report` writes, without the disk).

use super::Figures;
use std::time::Instant;
use vpcreach::analysis::audit::AuditInput;
use vpcreach::analysis::report::{report, ReportInput};
use vpcreach::engine::Engine;
use vpcreach::model::Topology;
use vpcreach::render::report::{graphs, html, markdown};

/// Time the report; returns its seconds (beyond the load).
pub fn run_report(
    t: &Topology,
    engine: &Engine,
    audit: AuditInput,
    figures: &Figures,
) -> Result<f64, String> {
    let start = Instant::now();
    let input = ReportInput {
        audit,
        generated_at: None,
    };
    let data = report(t, engine, &input)?;
    let gathered = start.elapsed().as_secs_f64();
    let page = html::page(&data);
    let md = markdown::document(&data);
    let dot = graphs::dot(&data.graph);
    let total = start.elapsed().as_secs_f64();
    figures.row(
        "report: gathered + rendered (html, md, dot)",
        total,
        &format!(
            "gathering {:.2} s; index.html {:.1} MB, report.md {:.1} MB, topology.dot {:.1} MB",
            gathered,
            page.len() as f64 / 1e6,
            md.len() as f64 / 1e6,
            dot.len() as f64 / 1e6
        ),
    );
    Ok(total)
}
