//! The loader target: the first byte picks the file's name, the rest is the file.

use std::path::Path;
use vpcreach::diag::{Diagnostics, Severity};
use vpcreach::snapshot::{load_entries, Entry, Source};

/// The names the first byte picks from (names do not decide how a file is read, top-level keys
/// do, but they are what real snapshots hold; `manifest.json` sits at the root).
pub const FILE_NAMES: &[&str] = &[
    "describe-vpcs.json",
    "describe-subnets.json",
    "describe-security-groups.json",
    "describe-network-acls.json",
    "describe-route-tables.json",
    "describe-network-interfaces.json",
    "describe-instances.json",
    "describe-internet-gateways.json",
    "describe-egress-only-internet-gateways.json",
    "describe-nat-gateways.json",
    "describe-vpc-peering-connections.json",
    "describe-transit-gateways.json",
    "describe-transit-gateway-attachments.json",
    "describe-transit-gateway-vpc-attachments.json",
    "describe-transit-gateway-route-tables.json",
    "get-transit-gateway-route-table-associations.json",
    "get-transit-gateway-route-table-propagations.json",
    "search-transit-gateway-routes.json",
    "describe-managed-prefix-lists.json",
    "describe-prefix-lists.json",
    "describe-vpc-endpoints.json",
    "describe-addresses.json",
    "describe-vpc-attribute.json",
    "describe-cache-clusters.json",
    "describe-replication-groups.json",
    "describe-cache-subnet-groups.json",
    "describe-serverless-caches.json",
    "manifest.json",
];

/// Load `data[1..]` as one file of a snapshot, build the model and the inventory; panic when a
/// property fails.
pub fn loader(data: &[u8]) {
    let Some((first, body)) = data.split_first() else {
        return;
    };
    let name = FILE_NAMES[usize::from(*first) % FILE_NAMES.len()];
    let rel = if name == "manifest.json" {
        name.to_string()
    } else {
        format!("111111111111/us-east-1/{name}")
    };
    let entry = Entry {
        rel: rel.clone(),
        source: Source::Bytes(body.to_vec()),
    };
    let snap = load_entries(Path::new("<fuzz>"), vec![entry], Diagnostics::default());
    let files = snap.files.clone();
    let topology = vpcreach::model::build(snap);
    let inv = vpcreach::findings::inventory::inventory(&topology, "fuzz", files);
    let json = vpcreach::render::json::to_json(&inv);
    assert!(
        serde_json::from_str::<serde_json::Value>(&json).is_ok(),
        "inventory JSON parses"
    );
    assert!(vpcreach::render::table::inventory(&inv).contains("Snapshot: fuzz"));
    assert_eq!(inv.errors, topology.diagnostics.error_count());

    let doc: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    for d in topology.diagnostics.iter() {
        if d.severity != Severity::Error {
            continue;
        }
        let (Some(file), Some(pointer)) = (&d.file, &d.pointer) else {
            panic!("error without file or pointer: {d}");
        };
        assert_eq!(file, &rel, "the error names the file: {d}");
        assert!(
            pointer.is_empty() || pointer.starts_with('/'),
            "RFC 6901 pointer: {d}"
        );
        if let Some(doc) = &doc {
            let parent = pointer.rfind('/').map(|p| &pointer[..p]).unwrap_or("");
            assert!(
                doc.pointer(pointer).is_some() || doc.pointer(parent).is_some(),
                "the pointer of {d} leads into the file"
            );
        }
    }
}
