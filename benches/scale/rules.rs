//! Security groups with many rules (`tests/support/many_rules.rs`): the demo snapshot with
//! 1,000 and 5,000 generated rules on the cache group (ingress) and on the client's group
//! (egress); the first question (which merges each group's rules once) and the median of the
//! following ones.

use super::many_rules::{self, CACHE_NODE, CLIENT};
use super::{ms, Figures};
use std::time::Instant;
use vpcreach::engine::{Engine, Question};

/// The questions asked at each size: (label, question).
fn questions() -> Vec<(&'static str, Question)> {
    let mut all = Question::tcp(CLIENT, CACHE_NODE, None);
    all.protocol = "all".into();
    vec![
        (
            "tcp 6379 (admitted)",
            Question::tcp(CLIENT, CACHE_NODE, Some("6379")),
        ),
        (
            "tcp 6380 (blocked)",
            Question::tcp(CLIENT, CACHE_NODE, Some("6380")),
        ),
        ("all protocols", all),
        (
            "tcp 6379 from 10.0.0.0/16",
            Question::tcp("10.0.0.0/16", CACHE_NODE, Some("6379")),
        ),
    ]
}

/// Time questions on groups of `sizes` rules; returns the slowest median per size.
pub fn run(sizes: &[usize], figures: &Figures) -> Result<Vec<(usize, f64)>, String> {
    let mut out = Vec::new();
    for &n in sizes {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        many_rules::write(dir.path(), n, None).map_err(|e| e.to_string())?;
        let snapshot = vpcreach::snapshot::load(dir.path()).map_err(|e| e.to_string())?;
        let t = vpcreach::model::build(snapshot);
        let engine = Engine::new(&t);
        let mut slowest: f64 = 0.0;
        for (label, q) in questions() {
            let start = Instant::now();
            let first = engine.ask(&q);
            let first_s = start.elapsed().as_secs_f64();
            let verdict = match &first {
                Ok(a) => a.verdict.to_string(),
                Err(e) => format!("error: {e}"),
            };
            // A slow engine is not asked again (the 5,000-rule case took half a minute).
            let mut times = Vec::new();
            if first_s < 1.0 {
                for _ in 0..super::RUNS {
                    let start = Instant::now();
                    let _ = std::hint::black_box(engine.ask(&q));
                    times.push(start.elapsed().as_secs_f64());
                }
            }
            let med = if times.is_empty() {
                first_s
            } else {
                super::median(&mut times)
            };
            slowest = slowest.max(med);
            figures.row(
                &format!("{n} rules/side: {label}"),
                med,
                &format!("{verdict}; first question {}", ms(first_s)),
            );
        }
        out.push((n, slowest));
    }
    Ok(out)
}
