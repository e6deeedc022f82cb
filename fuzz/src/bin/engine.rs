//! The `engine` fuzz target (cargo-afl): see `tests/support/fuzz_targets`.

#[path = "../../../tests/support/fuzz_targets/mod.rs"]
mod fuzz_targets;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        fuzz_targets::engine(data);
    });
}
