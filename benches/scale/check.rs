//! `check` with 1,000 expectations on the organisation: a policy generated from the loaded
//! topology (instances spread over the whole organisation to caches, the internet and a named
//! range to caches; a third direct, two thirds any way, so that declared-free "any way"
//! expectations try the audit's discovered relays), evaluated by `analysis::check::run` with
//! the audit's findings and discovered relays (the audit is timed in its own row), then the
//! discovered relays computed on their own (what `check` pays when `[rules] select = []`).

use super::Figures;
use std::fmt::Write;
use std::time::Instant;
use vpcreach::analysis::check::{relays::Discovered, run, CheckInput};
use vpcreach::engine::Engine;
use vpcreach::findings::audit_report::AuditReport;
use vpcreach::model::Topology;

/// The policy text: `n` expectations, deterministic.
pub fn policy(t: &Topology, report: &AuditReport, n: usize) -> String {
    let caches: Vec<&str> = report.caches.iter().map(|c| c.cache.as_str()).collect();
    let instances: Vec<&str> = t
        .instances
        .iter()
        .filter(|i| i.active)
        .map(|i| i.id.as_str())
        .collect();
    let mut s = String::from("[sources]\noffice = [\"203.0.113.0/24\"]\n\n[rules]\nselect = []\n");
    if caches.is_empty() || instances.is_empty() {
        return s;
    }
    let stride = (instances.len() / n).max(1);
    for k in 0..n {
        let to = caches[(k * 7) % caches.len()];
        let from = match k % 10 {
            0 => "internet",
            1 => "office",
            _ => instances[(k * stride + k / 3) % instances.len()],
        };
        let way = match k % 3 {
            0 => "direct = true\n",
            _ => "",
        };
        let _ = write!(
            s,
            "\n[[expect]]\nname = \"e{k}\"\nfrom = \"{from}\"\nto = \"{to}\"\nreachable = false\n{way}"
        );
    }
    s
}

/// Time the check; returns (seconds of the 1,000 expectations, seconds of the discovered
/// relays alone).
pub fn run_check(
    t: &Topology,
    engine: &Engine<'_>,
    report: &AuditReport,
    figures: &Figures,
) -> Result<(f64, f64), String> {
    let n = 1_000;
    let text = policy(t, report, n);
    let config = vpcreach::config::parse(&text, std::path::Path::new("bench.toml"))
        .map_err(|e| e.to_string())?;
    let discovered = Discovered::of_report(report);
    let input = CheckInput {
        config: &config,
        findings: &report.findings,
        discovered: &discovered,
        today: jiff::civil::Date::constant(2026, 12, 7),
        allow_incomplete: true,
        snapshot: "synthetic".into(),
    };
    let start = Instant::now();
    let checked = run(t, engine, &input).map_err(|e| e.join("; "))?;
    let check_s = start.elapsed().as_secs_f64();
    let s = &checked.summary;
    let through: usize = checked
        .expectations
        .iter()
        .flat_map(|e| &e.ways)
        .filter(|w| w.relay_kind.as_deref() == Some("discovered"))
        .count();
    figures.row(
        &format!("check: {} expectations", s.expectations),
        check_s,
        &format!(
            "{} held, {} violated; {through} ways through discovered relays ({} discovered)",
            s.expectations_held,
            s.expectations_violated,
            discovered.relays.len()
        ),
    );
    let audit_input = vpcreach::analysis::audit::AuditInput {
        snapshot: "synthetic".into(),
        config: None,
        ranges: config
            .sources
            .iter()
            .map(|s| (s.clone(), "bench".to_string()))
            .collect(),
        relays: Vec::new(),
    };
    let start = Instant::now();
    let alone = Discovered::compute(t, engine, &audit_input);
    let discover_s = start.elapsed().as_secs_f64();
    figures.row(
        "check: discovered relays alone (select = [])",
        discover_s,
        &format!("{} discovered relays", alone.relays.len()),
    );
    Ok((check_s, discover_s))
}
