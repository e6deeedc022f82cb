//! Check codes: what `vpcreach check` reports besides the audit findings it selects — a
//! violated `[[expect]]`, and `[[waive]]` entries that expired or waive nothing.

/// Appends the check family to the chain (see the module doc of `catalogue`).
macro_rules! check_codes {
    ($next:ident $(, $rest:ident)* ; $($acc:tt)*) => { $next! { $($rest),* ; $($acc)* [Check]

CHECK_EXPECTATION_VIOLATED => {
    severity: Error,
    summary: "A reachability expectation of vpcreach.toml does not hold (vpcreach)",
    what: "An `[[expect]]` entry of the policy file names a source, a target, a port and the \
verdict it expects (`reachable = true|false` or `verdict = ...`), optionally only through one \
relay (`via`) or only directly (`direct = true`). The engine's verdict for that question \
differs; the result lists the blockers (or, when reachability was not expected, the way that \
gets through).",
    why: "The network no longer matches what the team wrote down: a cache became reachable \
from where it must not be, or a path the applications rely on is cut. In CI this fails the \
pull request and points at the entry's line.",
    fix: "Fix the network (the blockers name each rule and component), or, when the change is \
intended, update the `[[expect]]` entry, or accept it for a while with a `[[waive]]` entry \
(`expect = \"<name>\"`, a reason and `until`).",
    example: "vpcreach check --snapshot fixtures/demo --config fixtures/check/violated.toml",
},

CHECK_WAIVER_EXPIRED => {
    severity: Warning,
    summary: "A waiver of vpcreach.toml is past its `until` date (vpcreach)",
    what: "A `[[waive]]` entry has `until = YYYY-MM-DD` and that day is past (today is the \
system clock's UTC date, or `VPCREACH_TODAY`). An expired waiver no longer waives anything: \
the violations it covered fail the check again.",
    why: "Exceptions are accepted for a time (a migration, a ticket); when the time is up the \
exception must be resolved or renewed on purpose, not silently kept.",
    fix: "Resolve the violation it covered, or renew the waiver with a new `until` and reason, \
or delete it.",
    example: "vpcreach check --snapshot fixtures/demo --config fixtures/check/expired.toml",
},

CHECK_WAIVER_UNUSED => {
    severity: Note,
    summary: "A waiver of vpcreach.toml waives nothing (vpcreach)",
    what: "A `[[waive]]` entry (not expired) matched no violation: its expectation holds, or \
no selected finding has its code (and component).",
    why: "A stale waiver would silently hide the problem if it came back; keeping the policy \
file to the exceptions that are needed keeps it honest.",
    fix: "Delete the waiver (or correct its code, component or expectation name).",
    example: "vpcreach check --snapshot fixtures/demo --config fixtures/check/waived.toml",
},

    } };
}
