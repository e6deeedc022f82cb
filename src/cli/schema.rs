//! `vpcreach schema KIND`: print the JSON Schema of a JSON output (the files under
//! `docs/schema/` are this command's output).

use super::exit;
use crate::render::schema::{schema_text, SchemaKind};

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The output whose schema to print.
    #[arg(value_enum, value_name = "OUTPUT")]
    pub kind: SchemaKind,
}

/// Print the schema; exit 0.
pub fn run(args: SchemaArgs) -> i32 {
    print!("{}", schema_text(args.kind));
    exit::OK
}
