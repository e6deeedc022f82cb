//! The audit findings this branch can produce for `[rules]` before `vpcreach audit` is merged:
//! SSM readiness gaps of running instances ([`crate::analysis::ssm`]) as [`AuditFinding`]s.
//!
//! NOTE for the merge with `vpcreach audit`: `check` should take audit's whole findings list
//! instead (it includes these); replace the call in `cli/check.rs`.

use crate::engine::Engine;
use crate::findings::audit::AuditFinding;
use crate::model::Topology;

/// One finding per readiness gap of every running instance.
pub fn findings(t: &Topology, engine: &Engine<'_>) -> Vec<AuditFinding> {
    let mut out: Vec<AuditFinding> = crate::analysis::ssm::all(t, engine)
        .into_iter()
        .flat_map(|r| {
            let (instance, name) = (r.instance.clone(), r.name.clone());
            r.missing.into_iter().map(move |g| {
                AuditFinding::new(g.code, instance.clone(), g.detail)
                    .named(name.clone())
                    .with_fix(g.code.doc().fix)
            })
        })
        .collect();
    out.sort();
    out
}
