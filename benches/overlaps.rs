//! Benchmark: the `overlaps` analysis (`cargo bench --bench overlaps`).
//!
//! 1. Shared blocks: 1,000 and 10,000 default VPCs, all on 172.31.0.0/16, one per account and
//!    region (`write_default_vpcs` of `tests/support/overlap_topology.rs`): the analysis with
//!    `--plan`, then the JSON and the table streamed into a byte counter. Prints the wall time
//!    of each step, the bytes written and the peak RSS (VmHWM from /proc/self/status, reset
//!    before each size where the kernel allows it).
//! 2. The sweep and the whole analysis on 10,000 synthetic VPC blocks (/16 to /24 inside
//!    10.0.0.0/8).
//!
//! `VPCREACH_BENCH_SHARED=1000,10000` sets the sizes of part 1.

#[path = "../tests/support/overlap_topology.rs"]
mod overlap_topology;

use overlap_topology::{synthetic_topology, write_default_vpcs};
use std::io::{self, Write};
use std::time::Instant;
use vpcreach::analysis::overlaps::{analyze, vpc_blocks, vpc_overlaps, OverlapOptions};
use vpcreach::render::{json, overlaps_table};

/// A writer that only counts.
struct Count(u64);

impl Write for Count {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Reset VmHWM to the current RSS (Linux: `5` into clear_refs); false when not allowed.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

fn shared_block(n: usize) {
    let reset = reset_peak_rss();
    let dir = tempfile::tempdir().expect("a temporary directory");
    write_default_vpcs(dir.path(), n);
    let start = Instant::now();
    let snapshot = vpcreach::snapshot::load(dir.path()).expect("load the snapshot");
    let t = vpcreach::model::build(snapshot);
    let load = ms(start);
    let start = Instant::now();
    let opts = OverlapOptions {
        plan: true,
        ..OverlapOptions::default()
    };
    let r = match analyze(&t, "default-vpcs", &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("analysis failed: {e}");
            return;
        }
    };
    let analysis = ms(start);
    let start = Instant::now();
    let mut j = Count(0);
    let json_ok = json::write_json(&mut j, &r).is_ok();
    let json_ms = ms(start);
    let start = Instant::now();
    let mut tb = Count(0);
    let table_ok = overlaps_table::write(&mut tb, &r, 120).is_ok();
    let table_ms = ms(start);
    println!(
        "overlaps shared block: {n} default VPCs on 172.31.0.0/16: {} pairs, {} listed, {} shared block(s); load {load:.0} ms, analysis with --plan {analysis:.0} ms, JSON {json_ms:.0} ms ({:.1} MB{}), table {table_ms:.0} ms ({:.1} MB{}); total after load {:.0} ms; peak RSS {:.0} MiB{}",
        r.summary.overlaps,
        r.summary.listed_overlaps,
        r.summary.shared_blocks,
        j.0 as f64 / 1e6,
        if json_ok { "" } else { ", write failed" },
        tb.0 as f64 / 1e6,
        if table_ok { "" } else { ", write failed" },
        analysis + json_ms + table_ms,
        peak_rss_mib(),
        if reset { "" } else { " (process peak: VmHWM could not be reset)" }
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::var("VPCREACH_BENCH_SHARED")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000]);
    for n in sizes {
        shared_block(n);
    }

    reset_peak_rss();
    let n = 10_000;
    let t = synthetic_topology(n, 0x5eed);
    let runs = 5;
    let mut best_sweep = f64::MAX;
    let mut pairs = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let blocks = vpc_blocks(&t);
        pairs = vpc_overlaps(&t, &blocks).len();
        best_sweep = best_sweep.min(ms(start));
    }
    println!("overlaps: {n} blocks, {pairs} pairs, {best_sweep:.1} ms (sweep, best of {runs})");
    let start = Instant::now();
    let opts = OverlapOptions {
        plan: true,
        ..OverlapOptions::default()
    };
    match analyze(&t, "synthetic", &opts) {
        Ok(r) => println!(
            "overlaps: {n} blocks, {} pairs, {:.1} ms (full analysis with remedies and --plan); peak RSS {:.0} MiB",
            r.summary.overlaps,
            ms(start),
            peak_rss_mib()
        ),
        Err(e) => eprintln!("analysis failed: {e}"),
    }
}
