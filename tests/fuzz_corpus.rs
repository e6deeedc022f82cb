//! Replays the fuzzers' corpora without a fuzzer: every file of `fuzz/corpus/<target>/` (the
//! minimised corpus of the last documented run, `scripts/fuzz`) and every crash found so far
//! (`fixtures/fuzz/<target>/`, one file per crash, named after what it found) goes through the
//! same function as the fuzz target (`tests/support/fuzz_targets`), which panics when a property
//! fails.

#[path = "support/fuzz_targets/mod.rs"]
mod fuzz_targets;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "md"))
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

/// Runs every input of `dir` through `target`, on every core (the engine corpus takes minutes
/// in a debug build on one); fails naming the first input that panics. Returns the count.
fn replay(target: &str, dir: &Path) -> usize {
    let run = fuzz_targets::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, f)| *f)
        .expect("a target of that name");
    let inputs = files(dir);
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut failed: Vec<PathBuf> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.min(inputs.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut failed = Vec::new();
                    while let Some(path) = inputs.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let data = std::fs::read(path).expect("read corpus file");
                        if std::panic::catch_unwind(|| run(&data)).is_err() {
                            failed.push(path.clone());
                        }
                    }
                    failed
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a replay worker"))
            .collect()
    });
    failed.sort();
    if let Some(path) = failed.first() {
        panic!(
            "{target}: {} of {} inputs fail, first {} (reproduce: scripts/fuzz repro {target} {})",
            failed.len(),
            inputs.len(),
            path.display(),
            path.display()
        );
    }
    inputs.len()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn loader_corpus_replays() {
    let n = replay("loader", &root().join("fuzz/corpus/loader"));
    assert!(n >= 50, "the loader corpus holds {n} inputs");
}

#[test]
fn engine_corpus_replays() {
    let n = replay("engine", &root().join("fuzz/corpus/engine"));
    assert!(n >= 50, "the engine corpus holds {n} inputs");
}

#[test]
fn crash_fixtures_replay() {
    for (target, _) in fuzz_targets::TARGETS {
        replay(target, &root().join("fixtures/fuzz").join(target));
    }
}
