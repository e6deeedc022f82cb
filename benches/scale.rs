//! Benchmark: a synthetic organisation end to end (`cargo bench --bench scale`).
//!
//! Generates an organisation with `tests/support/synth_org` (or reuses one in `$VPCREACH_BENCH_DIR`)
//! and prints: snapshot bytes and files; the time to read and parse every file as a plain
//! `serde_json::Value` (the floor for any loader); the time of `snapshot::load` +
//! `model::build` and its ratio to the plain parse; `Engine::new`; per-question times for
//! about 20 representative questions; the overlap analysis; peak RSS after each phase. Then
//! PASS/FAIL against the targets of the scale issue:
//! model load within 2x the plain parse, a single question under 50 ms, peak memory under 2 GiB.
//!
//! Size: `VPCREACH_BENCH_SCALE=small` (50 VPCs / 5,000 ENIs / 1,000 SGs) or `full`
//! (1,000 / 100,000 / 20,000). Default: `full` under `cargo bench`, `small` otherwise (e.g.
//! `cargo test --benches`). The generator's own peak is cleared from the RSS figures.

use std::path::{Path, PathBuf};
use std::time::Instant;
use vpcreach::analysis::overlaps::{analyze, vpc_blocks, vpc_overlaps, OverlapOptions};
use vpcreach::engine::{Engine, Question};
#[path = "../tests/support/synth_org/mod.rs"]
mod synth_org;

use synth_org::{summarize, write_snapshot, OrgSpec, SynthSummary};

const RUNS: usize = 3;
const STAMP: &str = "synth-spec.txt";
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

fn main() {
    let under_cargo_bench = std::env::args().any(|a| a == "--bench");
    let scale = std::env::var("VPCREACH_BENCH_SCALE")
        .unwrap_or_else(|_| if under_cargo_bench { "full" } else { "small" }.into());
    let spec = match scale.as_str() {
        "full" => OrgSpec::scale(1_000, 100_000, 20_000),
        "small" => OrgSpec::scale(50, 5_000, 1_000),
        other => {
            eprintln!("VPCREACH_BENCH_SCALE={other}: expected small or full");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&scale, &spec) {
        eprintln!("scale bench failed: {e}");
        std::process::exit(1);
    }
}

fn run(scale: &str, spec: &OrgSpec) -> Result<(), String> {
    // ---- snapshot -------------------------------------------------------------------------
    let _tmp;
    let dir: PathBuf = match std::env::var_os("VPCREACH_BENCH_DIR") {
        Some(d) => PathBuf::from(d),
        None => {
            let t = tempfile::tempdir().map_err(|e| e.to_string())?;
            let p = t.path().to_path_buf();
            _tmp = t;
            p
        }
    };
    let stamp = format!("{spec:?}\ngenerator {}\n", synth_org::GENERATOR_VERSION);
    let start = Instant::now();
    let summary: SynthSummary =
        if std::fs::read_to_string(dir.join(STAMP)).ok().as_deref() == Some(stamp.as_str()) {
            let s = summarize(spec).map_err(|e| e.to_string())?;
            println!("reusing the snapshot in {}", dir.display());
            s
        } else {
            let s = write_snapshot(spec, &dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            std::fs::write(dir.join(STAMP), &stamp).map_err(|e| e.to_string())?;
            println!(
                "generated the snapshot in {} ({:.1} s)",
                dir.display(),
                start.elapsed().as_secs_f64()
            );
            s
        };
    let gen_peak = peak_rss();
    let reset = reset_peak_rss();
    let files = json_files(&dir);
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();

    println!(
        "\nscale {scale}: {} VPCs, {} subnets, {} ENIs ({} instances), {} SGs ({} rules), {} TGWs ({} attachments), {} peerings, {} caches, {} scopes",
        summary.vpcs,
        summary.subnets,
        summary.enis,
        summary.instances,
        summary.security_groups,
        summary.security_group_rules,
        summary.transit_gateways,
        summary.tgw_attachments,
        summary.peerings,
        summary.replication_groups,
        summary.scopes
    );
    println!(
        "peak RSS of the generator: {} ({})",
        mib(gen_peak),
        if reset {
            "cleared before measuring"
        } else {
            "could not be cleared: figures below include it"
        }
    );

    let mut rows: Vec<(String, String, String)> = Vec::new();
    rows.push((
        "snapshot".into(),
        format!("{:.1} MB in {} files", bytes as f64 / 1e6, files.len()),
        String::new(),
    ));

    // ---- plain parse ----------------------------------------------------------------------
    let mut parse = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        for f in &files {
            let b = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
            let v: serde_json::Value =
                serde_json::from_slice(&b).map_err(|e| format!("{}: {e}", f.display()))?;
            std::hint::black_box(&v);
        }
        parse.push(start.elapsed().as_secs_f64());
    }
    let parse_s = median(&mut parse);
    rows.push((
        "read + parse as serde_json::Value".into(),
        format!("{} (median of {RUNS})", secs(parse_s)),
        format!("peak RSS {}", mib(peak_rss())),
    ));

    // ---- load + build ---------------------------------------------------------------------
    let mut load = Vec::new();
    let mut load_only = Vec::new();
    let mut topology = None;
    let mut errors = 0;
    for _ in 0..RUNS {
        drop(topology.take()); // the previous run's model is not part of this run's peak
        let start = Instant::now();
        let snapshot = vpcreach::snapshot::load(&dir).map_err(|e| e.to_string())?;
        load_only.push(start.elapsed().as_secs_f64());
        errors = snapshot.diagnostics.error_count();
        let t = vpcreach::model::build(snapshot);
        load.push(start.elapsed().as_secs_f64());
        topology = Some(t);
    }
    let t = topology.ok_or("no topology")?;
    let load_s = median(&mut load);
    let load_only_s = median(&mut load_only);
    let ratio = load_s / parse_s;
    let load_peak = peak_rss();
    rows.push((
        "snapshot::load".into(),
        format!("{} (median of {RUNS})", secs(load_only_s)),
        format!("{errors} error diagnostics"),
    ));
    rows.push((
        "snapshot::load + model::build".into(),
        format!("{} (median of {RUNS})", secs(load_s)),
        format!("{ratio:.2}x the plain parse; peak RSS {}", mib(load_peak)),
    ));

    // ---- engine -----------------------------------------------------------------------------
    let start = Instant::now();
    let engine = Engine::new(&t);
    let engine_s = start.elapsed().as_secs_f64();
    rows.push((
        "Engine::new".into(),
        secs(engine_s),
        format!("peak RSS {}", mib(peak_rss())),
    ));

    println!("\n{:<36} {:<28} notes", "phase", "time");
    println!("{}", "-".repeat(100));
    for (a, b, c) in &rows {
        println!("{a:<36} {b:<28} {c}");
    }

    // ---- questions --------------------------------------------------------------------------
    println!(
        "\n{:<13} {:<58} {:>6} {:>12} {:>9} {:>9}",
        "question", "from -> to", "port", "verdict", "median", "max"
    );
    println!("{}", "-".repeat(112));
    let mut medians = Vec::new();
    let mut worst: f64 = 0.0;
    let mut failed = 0;
    for q in &summary.queries {
        let question = Question::tcp(&q.from, &q.to, q.port.as_deref());
        let mut times = Vec::new();
        let mut verdict = String::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            let r = engine.ask(&question);
            times.push(start.elapsed().as_secs_f64());
            verdict = match r {
                Ok(a) => a.verdict.to_string(),
                Err(e) => {
                    failed += 1;
                    format!("error: {e}")
                }
            };
        }
        let max = times.iter().cloned().fold(0.0, f64::max);
        let med = median(&mut times);
        worst = worst.max(max);
        medians.push(med);
        let expect = match q.expect_reachable {
            Some(true) if verdict != "reachable" => " (expected reachable!)",
            Some(false) if verdict == "reachable" => " (expected unreachable!)",
            _ => "",
        };
        println!(
            "{:<13} {:<58} {:>6} {:>12} {:>9} {:>9}{expect}",
            q.kind,
            format!("{} -> {}", q.from, q.to),
            q.port.as_deref().unwrap_or("cache"),
            verdict,
            ms(med),
            ms(max)
        );
    }
    let query_median = median(&mut medians.clone());
    println!(
        "{} questions: median {}, slowest {} ({} errors); peak RSS {}",
        summary.queries.len(),
        ms(query_median),
        ms(worst),
        failed / RUNS,
        mib(peak_rss())
    );

    // ---- overlaps -----------------------------------------------------------------------------
    let start = Instant::now();
    let blocks = vpc_blocks(&t);
    let pairs = vpc_overlaps(&t, &blocks).len();
    let sweep_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let full = analyze(&t, "synthetic", &OverlapOptions::default());
    let analyze_s = start.elapsed().as_secs_f64();
    println!(
        "overlaps: {} blocks, {pairs} overlapping pairs: sweep {}, full analysis {}{}",
        blocks.len(),
        ms(sweep_s),
        ms(analyze_s),
        match full {
            Ok(r) => format!(" ({} overlaps reported)", r.summary.overlaps),
            Err(e) => format!(" (failed: {e})"),
        }
    );

    // ---- audit ---------------------------------------------------------------------------------
    // Every cache, every sender class, internet and one named range, discovered relays and SSM
    // readiness of every running instance (no declared relay: the synthetic org has none).
    let input = vpcreach::analysis::audit::AuditInput {
        snapshot: "synthetic".into(),
        config: None,
        ranges: vec![(
            vpcreach::config::NamedSource {
                name: "office".into(),
                blocks: vec!["203.0.113.0/24".parse().map_err(|e| format!("{e}"))?],
                at: vpcreach::config::Location { line: 0, column: 0 },
            },
            "bench".into(),
        )],
        relays: Vec::new(),
    };
    let start = Instant::now();
    let report = vpcreach::analysis::audit::audit(&t, &engine, &input);
    let audit_s = start.elapsed().as_secs_f64();
    let entries: usize = report.caches.iter().map(|c| c.reached_by.len()).sum();
    println!(
        "audit: {} caches, {} reached_by entries, {} relays, {} SSM entries, {} findings: {} on {} threads; peak RSS {}",
        report.caches.len(),
        entries,
        report.relays.len(),
        report.ssm.len(),
        report.findings.len(),
        secs(audit_s),
        rayon::current_num_threads(),
        mib(peak_rss())
    );
    drop(report);

    // ---- verdict -------------------------------------------------------------------------------
    let peak = peak_rss();
    let verdicts = [
        (
            "model load within 2x the plain parse",
            format!("{ratio:.2}x ({} vs {})", secs(load_s), secs(parse_s)),
            ratio <= 2.0,
        ),
        (
            "a single question under 50 ms",
            format!("slowest {}", ms(worst)),
            worst < 0.050,
        ),
        (
            "peak memory under 2 GiB",
            format!("{:.2} GiB", peak as f64 / GIB),
            (peak as f64) < 2.0 * GIB,
        ),
    ];
    println!("\n{:<40} {:<36} result", "target", "measured");
    println!("{}", "-".repeat(86));
    for (name, measured, ok) in &verdicts {
        println!(
            "{name:<40} {measured:<36} {}",
            if *ok { "PASS" } else { "FAIL" }
        );
    }
    if scale != "full" {
        println!("(targets are set for the full scale; this was {scale})");
    }
    Ok(())
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    out
}

fn median(xs: &mut [f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Peak resident set size (VmHWM) in bytes, 0 where /proc is unavailable.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

/// Reset VmHWM to the current RSS (Linux: `5` into clear_refs).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mib(b: u64) -> String {
    format!("{:.0} MiB", b as f64 / (1024.0 * 1024.0))
}

fn secs(s: f64) -> String {
    format!("{s:.2} s")
}

fn ms(s: f64) -> String {
    format!("{:.2} ms", s * 1e3)
}
