//! The `vpcreach` binary: parse the command line and hand over to [`vpcreach::cli`].

use clap::Parser;

/// mimalloc: the loader and the model build allocate and free millions of small strings and
/// vectors on both cores; glibc's allocator spends a fifth of the load in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = vpcreach::cli::Cli::parse();
    std::process::exit(vpcreach::cli::run(cli));
}
