//! Benchmark: the overlap sweep and the whole `overlaps` analysis on 10,000 synthetic VPC blocks
//! (/16 to /24 inside 10.0.0.0/8, from `tests/support/overlap_topology.rs`). Run with
//! `cargo bench --bench overlaps`.

#[path = "../tests/support/overlap_topology.rs"]
mod overlap_topology;

use overlap_topology::synthetic_topology;
use std::time::Instant;
use vpcreach::analysis::overlaps::{analyze, vpc_blocks, vpc_overlaps, OverlapOptions};

fn main() {
    let n = 10_000;
    let t = synthetic_topology(n, 0x5eed);
    let runs = 5;
    let mut best_sweep = f64::MAX;
    let mut pairs = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let blocks = vpc_blocks(&t);
        pairs = vpc_overlaps(&t, &blocks).len();
        best_sweep = best_sweep.min(start.elapsed().as_secs_f64() * 1e3);
    }
    println!("overlaps: {n} blocks, {pairs} pairs, {best_sweep:.1} ms (sweep, best of {runs})");
    let start = Instant::now();
    let opts = OverlapOptions {
        plan: true,
        ..OverlapOptions::default()
    };
    match analyze(&t, "synthetic", &opts) {
        Ok(r) => println!(
            "overlaps: {n} blocks, {} pairs, {:.1} ms (full analysis with remedies and --plan)",
            r.summary.overlaps,
            start.elapsed().as_secs_f64() * 1e3
        ),
        Err(e) => eprintln!("analysis failed: {e}"),
    }
}
