//! The table printed after a collect run: calls, items per kind, failures, time.

use super::calls::CALLS;
use super::manifest::{CallStatus, Manifest};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use std::time::Duration;

/// Render the summary of `manifest` (operations in [`CALLS`] order, then the totals).
pub fn table(manifest: &Manifest, elapsed: Duration) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec!["Call", "Key", "Requests", "Items", "Failed"]);
    let (mut calls, mut items, mut failed) = (0usize, 0usize, 0usize);
    for spec in CALLS {
        let recs: Vec<_> = manifest
            .calls
            .iter()
            .filter(|c| c.operation == spec.operation)
            .collect();
        if recs.is_empty() {
            continue;
        }
        let n_items: usize = recs.iter().map(|c| c.items).sum();
        let n_failed = recs.iter().filter(|c| c.status != CallStatus::Ok).count();
        calls += recs.len();
        items += n_items;
        failed += n_failed;
        t.add_row(vec![
            Cell::new(spec.command),
            Cell::new(spec.key),
            Cell::new(recs.len()).set_alignment(CellAlignment::Right),
            Cell::new(n_items).set_alignment(CellAlignment::Right),
            Cell::new(if n_failed > 0 {
                n_failed.to_string()
            } else {
                String::new()
            })
            .set_alignment(CellAlignment::Right),
        ]);
    }
    t.add_row(vec![
        Cell::new("total"),
        Cell::new(format!(
            "{} account(s), {} region(s), {:.1}s",
            manifest.accounts.len(),
            manifest.regions.len(),
            elapsed.as_secs_f64()
        )),
        Cell::new(calls).set_alignment(CellAlignment::Right),
        Cell::new(items).set_alignment(CellAlignment::Right),
        Cell::new(failed).set_alignment(CellAlignment::Right),
    ]);
    t.to_string()
}
