//! `vpcreach inventory`: load a snapshot and list what it holds per account and region.

use super::{exit, SnapshotArg};
use crate::findings::inventory::inventory;
use crate::render::{json, table, Format};

/// Arguments of `inventory`.
#[derive(Debug, clap::Args)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub width: super::WidthArg,
}

/// Exit 0 when the snapshot loaded without errors, 1 with errors, 2 when unreadable.
pub fn run(args: InventoryArgs) -> i32 {
    let loaded = match args.snapshot.load() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let inv = inventory(&loaded.topology, &loaded.name, loaded.files);
    let text = match args.format {
        Format::Table => table::inventory_at(&inv, args.width.columns()),
        Format::Text => table::inventory_at(&inv, crate::render::width::TEXT),
        Format::Json => json::to_json(&inv),
    };
    print!("{text}");
    if inv.errors > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
