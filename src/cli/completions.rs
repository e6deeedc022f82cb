//! `vpcreach completions SHELL` (a completion script, clap_complete) and `vpcreach man` (the
//! man page in roff, clap_mangen), both generated from the command-line definition.

use super::{exit, Cli};
use clap::CommandFactory;
use clap_complete::Shell;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Print the completion script of `shell`; exit 0.
pub fn run(args: CompletionsArgs) -> i32 {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "vpcreach", &mut std::io::stdout());
    exit::OK
}

/// Print the man page; exit 0 (1 if stdout cannot be written).
pub fn man() -> i32 {
    let page = clap_mangen::Man::new(Cli::command());
    match page.render(&mut std::io::stdout()) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("vpcreach man: {e}");
            exit::FINDINGS
        }
    }
}
