//! Table rendering with a huge `Name` tag (`tests/support/huge_tag.rs`): a 4 MB name on an
//! instance and its VPC, then `reach` and `inventory` rendered as tables (the text a terminal
//! gets) and as JSON.

use super::huge_tag::{self, INSTANCE};
use super::Figures;
use std::time::Instant;
use vpcreach::engine::{Engine, Question};

/// Time the renderings; returns the slowest table rendering in seconds.
pub fn run(bytes: usize, figures: &Figures) -> Result<f64, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    huge_tag::write(dir.path(), bytes).map_err(|e| e.to_string())?;
    let snapshot = vpcreach::snapshot::load(dir.path()).map_err(|e| e.to_string())?;
    let files = snapshot.files.clone();
    let t = vpcreach::model::build(snapshot);
    let engine = Engine::new(&t);
    let q = Question::tcp(INSTANCE, "demo-redis", None);
    let answer = engine.ask(&q).map_err(|e| e.to_string())?;
    let mb = bytes as f64 / 1e6;

    let start = Instant::now();
    let text = vpcreach::render::reach_table::answer_at(&answer, 120);
    let reach_s = start.elapsed().as_secs_f64();
    figures.row(
        &format!("reach table, {mb:.0} MB Name tag"),
        reach_s,
        &format!("{} bytes of text", text.len()),
    );
    let start = Instant::now();
    let json = vpcreach::render::json::to_json(&answer);
    figures.row(
        &format!("reach JSON, {mb:.0} MB Name tag"),
        start.elapsed().as_secs_f64(),
        &format!("{} bytes", json.len()),
    );
    let inv = vpcreach::findings::inventory::inventory(&t, "huge-tag", files);
    let start = Instant::now();
    let text = vpcreach::render::table::inventory_at(&inv, 120);
    let inv_s = start.elapsed().as_secs_f64();
    figures.row(
        &format!("inventory table, {mb:.0} MB Name tag"),
        inv_s,
        &format!("{} bytes of text", text.len()),
    );
    Ok(reach_s.max(inv_s))
}
