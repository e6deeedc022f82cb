//! The `vpcreach` binary: parse the command line and hand over to [`vpcreach::cli`].

use clap::Parser;

fn main() {
    let cli = vpcreach::cli::Cli::parse();
    std::process::exit(vpcreach::cli::run(cli));
}
