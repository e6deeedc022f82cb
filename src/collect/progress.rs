//! Progress while collecting: bars on a terminal, plain lines otherwise, nothing with `--quiet`.
//!
//! Everything goes to stderr so stdout carries only the summary. A bar per scope
//! (`account/region`) shows calls done and items; in line mode each scope prints one line when it
//! finishes, and every failed call prints a line as it happens. When an account's last region
//! finishes, a line gives the accounts done out of the total.

use super::manifest::CallStatus;
use super::operations::{Done, CALLS};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// indicatif bars (stderr is a terminal).
    Bars,
    /// One line per finished scope and per failure.
    Lines,
    /// Nothing.
    Quiet,
}

impl Mode {
    /// Bars when stderr is a terminal, lines otherwise; `Quiet` when asked.
    pub fn detect(quiet: bool) -> Mode {
        if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bars
        } else {
            Mode::Lines
        }
    }
}

/// The progress display of a whole run.
#[derive(Clone)]
pub struct Progress {
    mode: Mode,
    multi: Option<MultiProgress>,
    scopes_total: Arc<AtomicUsize>,
    scopes_done: Arc<AtomicUsize>,
    accounts_total: Arc<AtomicUsize>,
    accounts_done: Arc<AtomicUsize>,
}

impl Progress {
    /// A display in `mode`.
    pub fn new(mode: Mode) -> Progress {
        let multi = (mode == Mode::Bars)
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Progress {
            mode,
            multi,
            scopes_total: Arc::new(AtomicUsize::new(0)),
            scopes_done: Arc::new(AtomicUsize::new(0)),
            accounts_total: Arc::new(AtomicUsize::new(0)),
            accounts_done: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The number of accounts the run collects.
    pub fn set_accounts(&self, total: usize) {
        self.accounts_total.store(total, Ordering::Relaxed);
    }

    /// Every region of `account` is done: prints `accounts done/total`.
    pub fn account_done(&self, account: &str) {
        let done = self.accounts_done.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.accounts_total.load(Ordering::Relaxed);
        self.message(&format!(
            "accounts {done}/{total} done ({account} finished)"
        ));
    }

    /// Print a message line (above the bars, or plainly).
    pub fn message(&self, text: &str) {
        match (&self.multi, self.mode) {
            (_, Mode::Quiet) => {}
            (Some(m), _) => {
                let _ = m.println(text);
            }
            (None, _) => eprintln!("{text}"),
        }
    }

    /// Start the display of one scope.
    pub fn scope(&self, account: &str, region: &str) -> ScopeProgress {
        self.scopes_total.fetch_add(1, Ordering::Relaxed);
        let label = format!("{account}/{region}");
        let bar = self.multi.as_ref().map(|m| {
            let bar = m.add(ProgressBar::new(CALLS.len() as u64));
            let style = ProgressStyle::with_template(
                "{prefix:>28} [{bar:30}] {pos}/{len} calls {msg} {elapsed}",
            )
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_prefix(label.clone());
            bar
        });
        ScopeProgress {
            inner: Arc::new(ScopeInner {
                label,
                bar,
                parent: self.clone(),
                calls: AtomicUsize::new(0),
                items: AtomicUsize::new(0),
                failed: AtomicUsize::new(0),
                started: Instant::now(),
            }),
        }
    }
}

struct ScopeInner {
    label: String,
    bar: Option<ProgressBar>,
    parent: Progress,
    calls: AtomicUsize,
    items: AtomicUsize,
    failed: AtomicUsize,
    started: Instant,
}

/// The progress of one account and region; cheap to clone.
#[derive(Clone)]
pub struct ScopeProgress {
    inner: Arc<ScopeInner>,
}

impl ScopeProgress {
    /// One call finished.
    pub fn call_done(&self, done: &Done) {
        let s = &self.inner;
        s.calls.fetch_add(1, Ordering::Relaxed);
        let items = s.items.fetch_add(done.items, Ordering::Relaxed) + done.items;
        let status = done.status();
        if status != CallStatus::Ok {
            s.failed.fetch_add(1, Ordering::Relaxed);
            let what = if status == CallStatus::Skipped {
                "skipped"
            } else {
                "failed"
            };
            let reason = done
                .skipped
                .clone()
                .unwrap_or_else(|| done.errors.join("; "));
            s.parent.message(&format!(
                "{}: {} {what}: {reason}",
                s.label, done.spec.operation
            ));
        }
        if let Some(bar) = &s.bar {
            bar.inc(1);
            let failed = s.failed.load(Ordering::Relaxed);
            bar.set_message(if failed > 0 {
                format!("{items} items, {failed} failed")
            } else {
                format!("{items} items")
            });
        }
    }

    /// The scope is finished.
    pub fn finish(&self) {
        let s = &self.inner;
        let done = s.parent.scopes_done.fetch_add(1, Ordering::Relaxed) + 1;
        let total = s.parent.scopes_total.load(Ordering::Relaxed);
        let line = format!(
            "[{done}/{total}] {}: {} calls, {} items, {} failed ({:.1}s)",
            s.label,
            s.calls.load(Ordering::Relaxed),
            s.items.load(Ordering::Relaxed),
            s.failed.load(Ordering::Relaxed),
            s.started.elapsed().as_secs_f64()
        );
        match (&s.bar, s.parent.mode) {
            (Some(bar), _) => bar.finish(),
            (None, Mode::Lines) => eprintln!("{line}"),
            _ => {}
        }
    }
}
