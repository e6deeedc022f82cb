//! Benchmark: a synthetic organisation end to end, and the scale hazards of one snapshot
//! (`cargo bench --bench scale`).
//!
//! Generates an organisation with `tests/support/synth_org` (or reuses one in `$VPCREACH_BENCH_DIR`)
//! and prints: snapshot bytes and files; the time to read and parse every file, one after the
//! other, as a plain `serde_json::Value` (the *floor*: what any single-threaded loader pays);
//! the time of `snapshot::load` + `model::build`; `Engine::new`; per-question times for about
//! 20 representative questions; the overlap analysis; security groups with 1,000 and 5,000
//! rules (`tests/support/many_rules.rs`); `check` with 1,000 expectations (`scale/check.rs`); tables with a 4 MB `Name` tag
//! (`tests/support/huge_tag.rs`); peak RSS (VmHWM) after each phase. Every time is printed with
//! its ratio to the floor measured in the same run. Then PASS/FAIL against the targets of the
//! scale issue: load at most 0.5x the floor (both cores), a single question under 50 ms, a
//! question on 1,000-rule groups under 10 ms, a table with a 4 MB name under 0.1 s, peak
//! memory under 1 GiB.
//!
//! Size: `VPCREACH_BENCH_SCALE=small` (50 VPCs / 5,000 ENIs / 1,000 SGs) or `full`
//! (1,000 / 100,000 / 20,000). Default: `full` under `cargo bench`, `small` otherwise (e.g.
//! `cargo test --benches`). `VPCREACH_BENCH_ONLY=rules` (or `tables`) runs only that part
//! after the floor (on the small organisation). The generator's own peak is cleared from the
//! RSS figures.

use std::path::{Path, PathBuf};
use std::time::Instant;
use vpcreach::analysis::overlaps::{analyze, vpc_blocks, vpc_overlaps, OverlapOptions};
use vpcreach::engine::{Engine, Question};
#[path = "scale/check.rs"]
mod check;
#[path = "../tests/support/huge_tag.rs"]
mod huge_tag;
#[path = "../tests/support/many_rules.rs"]
mod many_rules;
#[path = "scale/report.rs"]
mod report;
#[path = "scale/rules.rs"]
mod rules;
#[path = "../tests/support/synth_org/mod.rs"]
mod synth_org;
#[path = "scale/table.rs"]
mod table;

use synth_org::{summarize, write_snapshot, OrgSpec, SynthSummary};

const RUNS: usize = 3;
const STAMP: &str = "synth-spec.txt";
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Timed figures, printed as they come with their ratio to the plain-parse floor.
pub struct Figures {
    floor: f64,
}

impl Figures {
    fn header(&self) {
        println!("\n{:<52} {:>12} {:>10}  notes", "figure", "time", "x floor");
        println!("{}", "-".repeat(120));
    }

    /// One figure: `what` took `secs`.
    pub fn row(&self, what: &str, secs: f64, note: &str) {
        let time = if secs < 1.0 {
            ms(secs)
        } else {
            self::secs(secs)
        };
        let ratio = if self.floor > 0.0 {
            secs / self.floor
        } else {
            0.0
        };
        let ratio = if ratio < 0.001 {
            format!("{ratio:.1e}")
        } else {
            format!("{ratio:.3}")
        };
        println!("{what:<52} {time:>12} {ratio:>10}  {note}");
    }
}

fn main() {
    let under_cargo_bench = std::env::args().any(|a| a == "--bench");
    let only = std::env::var("VPCREACH_BENCH_ONLY").ok();
    let default = if under_cargo_bench && only.is_none() {
        "full"
    } else {
        "small"
    };
    let scale = std::env::var("VPCREACH_BENCH_SCALE").unwrap_or_else(|_| default.into());
    let spec = match scale.as_str() {
        "full" => OrgSpec::scale(1_000, 100_000, 20_000),
        "small" => OrgSpec::scale(50, 5_000, 1_000),
        other => {
            eprintln!("VPCREACH_BENCH_SCALE={other}: expected small or full");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&scale, &spec, only.as_deref()) {
        eprintln!("scale bench failed: {e}");
        std::process::exit(1);
    }
}

fn run(scale: &str, spec: &OrgSpec, only: Option<&str>) -> Result<(), String> {
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
        "snapshot: {:.1} MB in {} files; {} cores available",
        bytes as f64 / 1e6,
        files.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
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

    // ---- plain parse (the floor) ------------------------------------------------------------
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
    let figures = Figures { floor: parse_s };
    figures.header();
    figures.row(
        "floor: read + parse as serde_json::Value",
        parse_s,
        &format!("median of {RUNS}, one thread; peak RSS {}", mib(peak_rss())),
    );

    let mut verdicts: Vec<(String, String, bool)> = Vec::new();
    let part = |p: &str| only.is_none_or(|o| o == p);
    if part("org") {
        org(&dir, &summary, &figures, &mut verdicts)?;
    }
    if part("rules") {
        let slowest = rules::run(&[1_000, 5_000], &figures)?;
        for (n, s) in slowest {
            if n == 1_000 {
                verdicts.push((
                    "a question on 1,000-rule groups < 10 ms".into(),
                    format!("slowest median {}", ms(s)),
                    s < 0.010,
                ));
            }
        }
    }
    if part("tables") {
        let s = table::run(4_000_000, &figures)?;
        verdicts.push((
            "a table with a 4 MB Name tag < 0.1 s".into(),
            format!("slowest {}", ms(s)),
            s < 0.1,
        ));
    }

    // ---- verdict -------------------------------------------------------------------------------
    let peak = peak_rss();
    verdicts.push((
        "peak memory under 1 GiB".into(),
        format!("{:.2} GiB", peak as f64 / GIB),
        (peak as f64) < GIB,
    ));
    println!("\n{:<44} {:<40} result", "target", "measured");
    println!("{}", "-".repeat(94));
    for (name, measured, ok) in &verdicts {
        println!(
            "{name:<44} {measured:<40} {}",
            if *ok { "PASS" } else { "FAIL" }
        );
    }
    if scale != "full" {
        println!("(targets are set for the full scale; this was {scale})");
    }
    Ok(())
}

/// The organisation: load, engine, questions, overlaps.
fn org(
    dir: &Path,
    summary: &SynthSummary,
    figures: &Figures,
    verdicts: &mut Vec<(String, String, bool)>,
) -> Result<(), String> {
    // ---- load + build ---------------------------------------------------------------------
    let mut load = Vec::new();
    let mut load_only = Vec::new();
    let mut topology = None;
    let mut errors = 0;
    for _ in 0..RUNS {
        drop(topology.take()); // the previous run's model is not part of this run's peak
        let start = Instant::now();
        let snapshot = vpcreach::snapshot::load(dir).map_err(|e| e.to_string())?;
        load_only.push(start.elapsed().as_secs_f64());
        errors = snapshot.diagnostics.error_count();
        let t = vpcreach::model::build(snapshot);
        load.push(start.elapsed().as_secs_f64());
        topology = Some(t);
    }
    let t = topology.ok_or("no topology")?;
    let load_s = median(&mut load);
    let load_only_s = median(&mut load_only);
    let load_peak = peak_rss();
    figures.row(
        "snapshot::load",
        load_only_s,
        &format!("median of {RUNS}; {errors} error diagnostics"),
    );
    figures.row(
        "snapshot::load + model::build",
        load_s,
        &format!("median of {RUNS}; peak RSS {}", mib(load_peak)),
    );
    verdicts.push((
        "load + build <= 0.5x the floor".into(),
        format!("{:.2}x ({})", load_s / figures.floor, secs(load_s)),
        load_s <= 0.5 * figures.floor,
    ));

    // ---- engine -----------------------------------------------------------------------------
    let start = Instant::now();
    let engine = Engine::new(&t);
    figures.row(
        "Engine::new",
        start.elapsed().as_secs_f64(),
        &format!("peak RSS {}", mib(peak_rss())),
    );

    // ---- questions --------------------------------------------------------------------------
    let mut medians = Vec::new();
    let mut worst: f64 = 0.0;
    let mut worst_internet: f64 = 0.0;
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
        if q.from == "internet" || q.to == "internet" {
            worst_internet = worst_internet.max(max);
        }
        medians.push(med);
        let expect = match q.expect_reachable {
            Some(true) if verdict != "reachable" => " (expected reachable!)",
            Some(false) if verdict == "reachable" => " (expected unreachable!)",
            _ => "",
        };
        figures.row(
            &format!("{}: {} -> {}", q.kind, q.from, q.to),
            med,
            &format!(
                "port {}: {verdict}{expect}; max {}",
                q.port.as_deref().unwrap_or("cache"),
                ms(max)
            ),
        );
    }
    let query_median = median(&mut medians.clone());
    figures.row(
        &format!("{} questions: median", summary.queries.len()),
        query_median,
        &format!(
            "slowest {}, slowest with internet {} ({} errors); peak RSS {}",
            ms(worst),
            ms(worst_internet),
            failed / RUNS,
            mib(peak_rss())
        ),
    );
    verdicts.push((
        "a single question under 50 ms".into(),
        format!("slowest {}", ms(worst)),
        worst < 0.050,
    ));

    // ---- overlaps -----------------------------------------------------------------------------
    let start = Instant::now();
    let blocks = vpc_blocks(&t);
    let pairs = vpc_overlaps(&t, &blocks).len();
    figures.row(
        "overlaps: sweep",
        start.elapsed().as_secs_f64(),
        &format!("{} blocks, {pairs} overlapping pairs", blocks.len()),
    );
    let start = Instant::now();
    let full = analyze(&t, "synthetic", &OverlapOptions::default());
    figures.row(
        "overlaps: full analysis",
        start.elapsed().as_secs_f64(),
        &match full {
            Ok(r) => format!("{} overlaps reported", r.summary.overlaps),
            Err(e) => format!("failed: {e}"),
        },
    );

    // ---- audit --------------------------------------------------------------------------------
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
    figures.row(
        "audit (whole organisation)",
        audit_s,
        &format!(
            "{} caches, {entries} reached_by entries, {} relays, {} SSM entries, {} findings; peak RSS {}",
            report.caches.len(),
            report.relays.len(),
            report.ssm.len(),
            report.findings.len(),
            mib(peak_rss())
        ),
    );
    verdicts.push((
        "load + audit <= 3x the floor".into(),
        format!(
            "{:.2}x ({})",
            (load_s + audit_s) / figures.floor,
            secs(load_s + audit_s)
        ),
        load_s + audit_s <= 3.0 * figures.floor,
    ));

    // ---- check --------------------------------------------------------------------------------
    let (check_s, discover_s) = check::run_check(&t, &engine, &report, figures)?;
    verdicts.push((
        "check: 1,000 expectations <= load + 1 s".into(),
        format!(
            "{} beyond the load (+ {} discovering relays without rules)",
            secs(check_s),
            secs(discover_s)
        ),
        check_s <= 1.0,
    ));
    drop(report);

    // ---- report -------------------------------------------------------------------------------
    let report_s = report::run_report(&t, &engine, input, figures)?;
    verdicts.push((
        "report <= load + 10 s".into(),
        format!("{} beyond the load", secs(report_s)),
        report_s <= 10.0,
    ));
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
