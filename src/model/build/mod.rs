//! Building the [`Topology`] from a [`Snapshot`]: ids registered, references resolved, defaults
//! applied, inconsistencies reported.
//!
//! Three passes. The first ([`prepare`]) removes duplicate ids, merges objects that several
//! outputs describe and assigns every object its index. The second constructs the model objects
//! with every reference resolved, so that a reference to an object in another account or region
//! resolves as well as a local one; the third binds TGW route tables across scopes and derives
//! the links (effective route table and NACL per subnet, local routes, group members, public
//! IPs, endpoint prefix lists, cache nodes on their ENIs). The first two run scope by scope on
//! both cores, with the same result as one after the other ([`scopes`]).
//!
//! One file per AWS concept, each an `impl` block of the shared [`builder::Builder`]; this file
//! only orders the steps.

mod builder;
mod elastic_ip;
mod elasticache;
mod endpoint;
mod gateways;
mod instance;
mod network_acl;
mod network_interface;
mod peering;
mod prefix_list;
mod prepare;
mod privatelink;
mod route_table;
mod rule_ports;
mod scopes;
mod security_group;
mod subnet;
mod tgw_defaults;
mod transit_gateway;
mod unknown_containers;
mod vpc;

use crate::diag::{DiagCode, Diagnostic, Severity};
use crate::model::{MissingData, Scope, Topology};
use crate::snapshot::manifest::Manifest;
use crate::snapshot::Snapshot;
use builder::Builder;
use transit_gateway::TgwRecords;

/// Build the normalized network. Never fails: problems become diagnostics in
/// [`Topology::diagnostics`] (after the snapshot's own).
pub fn build(snapshot: Snapshot) -> Topology {
    let Snapshot {
        scopes,
        files,
        diagnostics,
        manifest,
        ..
    } = snapshot;
    let names: std::sync::Arc<[String]> = files.iter().map(|f| f.path.clone()).collect();
    let mut b = Builder::new(diagnostics, names);
    let mut data = Vec::with_capacity(scopes.len());
    for raw in scopes {
        b.t.scopes.push(Scope {
            account: raw.account.clone(),
            region: raw.region.clone(),
            account_source: raw.account_source,
            region_source: raw.region_source,
        });
        data.push(raw.data);
    }
    let prepared = scopes::prepare_all(&mut b, data);
    for p in &prepared {
        b.record_rejected(&p.data);
    }
    // What the loader lost, known before references are resolved, so that a reference to a
    // resource of a kind that did not load says so (the model's own errors are added below).
    b.t.completeness = crate::model::Completeness::from_diagnostics(
        b.t.diagnostics.iter(),
        &files,
        b.rejected.clone(),
    );
    let pending = scopes::construct_all(&mut b, prepared);
    let mut records = TgwRecords::default();
    for tgw_bindings in pending {
        b.bind_tgw(tgw_bindings, &mut records);
    }
    b.infer_tgw_defaults(&records);
    b.link_tgw_peerings(&records);
    b.link();
    if let Some(m) = manifest {
        b.record_missing_data(&m);
        b.record_dropped_values(&m);
    }
    let rejected = std::mem::take(&mut b.rejected);
    b.t.completeness =
        crate::model::Completeness::from_diagnostics(b.t.diagnostics.iter(), &files, rejected);
    b.t
}

impl Builder {
    /// Derived links, once every scope is constructed.
    fn link(&mut self) {
        self.link_subnets();
        self.link_local_routes();
        self.link_enis();
        self.link_public_ips();
        self.link_endpoints();
        self.link_tgw();
        self.link_caches();
        self.link_privatelink();
    }

    /// Values `collect` dropped: load errors at their data file (so the file counts as partly
    /// loaded and every answer carries SNAPSHOT_INCOMPLETE).
    fn record_dropped_values(&mut self, m: &Manifest) {
        for d in &m.dropped {
            let message = format!(
                "collect dropped the {} {} of {} ({} in {}/{}): {}",
                d.field, d.value, d.resource, d.operation, d.account, d.region, d.reason
            );
            let diag = Diagnostic::new(Severity::Error, DiagCode::SnapshotIncomplete, message);
            self.t.diagnostics.push(if d.file.is_empty() {
                diag
            } else {
                diag.at(d.file.clone(), format!("/{}", d.key))
            });
        }
    }

    /// Calls that `collect` recorded as failed: their data is missing from the snapshot.
    fn record_missing_data(&mut self, m: &Manifest) {
        for c in m.calls.iter().filter(|c| c.status == "failed") {
            let error = c.error.clone().unwrap_or_else(|| "unknown error".into());
            self.t.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                DiagCode::SnapshotIncomplete,
                match c.key.as_deref() {
                    // An account collect could not enter (its role could not be assumed).
                    Some("") => format!(
                        "collect could not run {} in {}/{} ({error}): all data of account {} is missing; verdicts that depend on it carry SNAPSHOT_INCOMPLETE",
                        c.operation, c.account, c.region, c.account
                    ),
                    key => format!(
                        "collect could not run {} in {}/{} ({error}): {} data is missing; verdicts that depend on it carry SNAPSHOT_INCOMPLETE",
                        c.operation,
                        c.account,
                        c.region,
                        key.unwrap_or("its")
                    ),
                },
            ));
            self.t.missing_data.push(MissingData {
                account: c.account.clone(),
                region: c.region.clone(),
                operation: c.operation.clone(),
                key: c.key.clone().unwrap_or_default(),
                error,
            });
        }
    }
}
