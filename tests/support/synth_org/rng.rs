//! Random numbers and ids for the synthetic organisation: a seeded [`Pcg64Mcg`] behind a few
//! convenience draws, realistic unique AWS ids, and small CIDR/tag helpers.

use super::*;
use rand_core::{Rng as _, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// The generator: [`Pcg64Mcg`] seeded from a `u64`, with the draws the generator needs.
pub(super) struct Rng(Pcg64Mcg);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Rng(Pcg64Mcg::seed_from_u64(seed))
    }
    /// An independent generator seeded from this one: its draws do not depend on how many
    /// draws anyone else makes afterwards.
    pub(super) fn child(&mut self) -> Self {
        Rng::new(self.next())
    }
    pub(super) fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// Uniform in `0..n` (`0` when `n == 0`).
    pub(super) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    /// `true` with probability `p`.
    pub(super) fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    pub(super) fn pick<'a, T>(&mut self, xs: &'a [T]) -> Option<&'a T> {
        xs.get(self.below(xs.len()))
    }
}

/// A bijection on `u64` (the SplitMix64 finalizer), so that distinct counters give distinct
/// random-looking ids. A hash, not a random number generator.
fn scramble(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Realistic AWS ids (`i-0` + 16 hex digits), unique across the organisation.
pub(super) struct Ids {
    key: u64,
    next: u64,
}

impl Ids {
    /// Ids keyed by `key` (a random draw: another seed gives other ids).
    pub(super) fn new(key: u64) -> Self {
        Ids { key, next: 0 }
    }
    pub(super) fn id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}-0{:016x}", scramble(self.next ^ self.key))
    }
}

pub(super) fn net4(addr: u32, len: u8) -> io::Result<Ipv4Net> {
    Ipv4Net::new(Ipv4Addr::from(addr), len)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))
}

pub(super) fn cidr4(addr: u32, len: u8) -> io::Result<aws::Cidr4> {
    net4(addr, len).map(aws::Cidr4)
}

pub(super) fn parse4(s: &str) -> io::Result<aws::Cidr4> {
    s.parse::<Ipv4Net>()
        .map(aws::Cidr4)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))
}

pub(super) fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

pub(super) fn tags(name: &str) -> Vec<aws::Tag> {
    vec![aws::Tag {
        key: "Name".into(),
        value: name.into(),
    }]
}

pub(super) fn timestamp(rng: &mut Rng) -> String {
    format!(
        "202{}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        1 + rng.below(4),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}
