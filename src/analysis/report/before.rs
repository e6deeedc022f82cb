//! Section 6 of the report, "what the change does": a [`DiffReport`] (the same comparison as
//! `vpcreach diff`) in the report's before/after shape, newly exposed first.

use crate::catalogue::Code;
use crate::findings::diff::{Change, DiffReport};
use crate::findings::report::{DiffChange, DiffSection};

fn subject(c: &Change) -> String {
    let via = c
        .via
        .as_ref()
        .map(|v| format!(" via {v}"))
        .unwrap_or_default();
    format!("{} → {}:{}{via}", c.source, c.target, c.port)
}

fn detail(c: &Change) -> String {
    let mut d = format!("{} → {}", c.before.as_str(), c.after.as_str());
    if !c.because.is_empty() {
        let why: Vec<String> = c
            .because
            .iter()
            .map(|b| format!("{}: {}", b.component, b.change))
            .collect();
        d.push_str(&format!("; because {}", why.join("; ")));
    }
    d
}

/// The before/after section from a diff of `before` against the reported snapshot.
pub fn section(before: &str, d: &DiffReport) -> DiffSection {
    let mut changes: Vec<DiffChange> = Vec::new();
    for c in &d.changes {
        let kind = if c.new_exposure {
            "newly exposed".to_string()
        } else {
            c.kind.as_str().to_string()
        };
        changes.push(DiffChange {
            code: (c.new_exposure && c.via.is_some()).then_some(Code::RELAY_EXPOSURE),
            kind,
            subject: subject(c),
            detail: detail(c),
        });
    }
    for e in &d.expectations {
        let kind = if e.new_exposure {
            "newly exposed".to_string()
        } else if e.held_before && !e.held_after {
            "expectation now violated".to_string()
        } else if !e.held_before && e.held_after {
            "expectation now holds".to_string()
        } else {
            "expectation verdict changed".to_string()
        };
        changes.push(DiffChange {
            code: None,
            kind,
            subject: format!("[[expect]] {}", e.name),
            detail: format!(
                "{} → {} port {}: {} → {}",
                e.from,
                e.to,
                e.port,
                e.before.as_str(),
                e.after.as_str()
            ),
        });
    }
    for c in &d.config_changes {
        changes.push(DiffChange {
            code: None,
            kind: "configuration change (no reachability change)".into(),
            subject: format!("{} ({})", c.component, c.kind),
            detail: c.change.clone(),
        });
    }
    // Newly exposed first, then in the diff's order.
    changes.sort_by_key(|c| !c.kind.starts_with("newly exposed"));
    DiffSection {
        before: before.to_string(),
        changes,
    }
}
