//! Computed TGW routes that differ from the routes AWS reported (T8), as findings.

use super::context::Context;
use crate::findings::overlaps::{TgwRouteMismatch, TgwRouteMismatchKind};
use crate::model::tgw_routes;

impl Context<'_> {
    pub(super) fn mismatches(&self) -> Vec<TgwRouteMismatch> {
        use tgw_routes::MismatchKind;
        let mut out = Vec::new();
        for (ti, tr) in self.tables.iter().enumerate() {
            let (tgw, rtb) = self.table_ids(ti);
            for m in &tr.mismatches {
                let ca = m.computed.as_ref().and_then(|r| r.attachment_id.clone());
                let oa = m.observed.as_ref().and_then(|r| r.attachment_id.clone());
                let (kind, explanation) = match m.kind {
                    MismatchKind::NotObserved => (
                        TgwRouteMismatchKind::NotObserved,
                        format!("{rtb}: {} → {} is computed from the snapshot but AWS did not report it", m.destination, ca.as_deref().unwrap_or("blackhole")),
                    ),
                    MismatchKind::NotComputed => (
                        TgwRouteMismatchKind::NotComputed,
                        format!("{rtb}: AWS reports {} → {} but the snapshot's attachments, propagations and static routes do not produce it", m.destination, oa.as_deref().unwrap_or("blackhole")),
                    ),
                    MismatchKind::DifferentTarget => (
                        TgwRouteMismatchKind::DifferentTarget,
                        format!("{rtb}: {} goes to {} by the computation but to {} by AWS (CreationTime order or state differs from the snapshot?)", m.destination, ca.as_deref().unwrap_or("blackhole"), oa.as_deref().unwrap_or("blackhole")),
                    ),
                };
                out.push(TgwRouteMismatch {
                    transit_gateway: tgw.clone(),
                    route_table: rtb.clone(),
                    destination: m.destination,
                    kind,
                    computed_attachment: ca,
                    observed_attachment: oa,
                    explanation,
                });
            }
        }
        out
    }
}
