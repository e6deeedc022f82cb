//! `vpcreach explain`: the documentation of a code (`explain NO_ROUTE_TO_DESTINATION`,
//! `explain invalid-value`), or the list of every code (`explain --list`).

use super::exit;
use crate::catalogue::Code;
use crate::render::{explain, json, Format};

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The code, as printed in `reach` blockers and warnings or `inventory` diagnostics (case
    /// and `-`/`_` do not matter).
    #[arg(
        value_name = "CODE",
        required_unless_present = "list",
        conflicts_with = "list"
    )]
    pub code: Option<String>,
    /// List every code with its severity and summary.
    #[arg(long)]
    pub list: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Exit 0, or 2 for an unknown code (with the closest codes as suggestions).
pub fn run(args: ExplainArgs) -> i32 {
    if args.list {
        let codes = Code::all();
        let text = match args.format {
            Format::Table => explain::list_table(codes, crate::render::width::resolve(None)),
            Format::Text => explain::list_table(codes, crate::render::width::TEXT),
            Format::Json => json::to_json(&explain::CodeList::of(codes)),
        };
        print!("{text}");
        return exit::OK;
    }
    let name = args.code.unwrap_or_default();
    let Some(code) = Code::parse(&name) else {
        let hint = Code::suggest(&name)
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!("vpcreach: unknown code {name:?}");
        if hint.is_empty() {
            eprintln!("  `vpcreach explain --list` lists every code");
        } else {
            eprintln!("  did you mean: {hint}?");
        }
        return exit::USAGE;
    };
    let text = match args.format {
        Format::Table | Format::Text => explain::doc(code),
        Format::Json => json::to_json(&explain::CodeList::of(&[code])),
    };
    print!("{text}");
    exit::OK
}
