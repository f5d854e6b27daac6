//! Determinism: every answer that is not read from `fixtures/` is drawn from here.
//!
//! A stable hash (xxh3, fixed algorithm, no per-process keys) of `(seed, family, input)` seeds a ChaCha20
//! stream. The same input gives the same stream on any machine and across restarts; `--seed` changes every
//! synthetic answer at once, but never fixture data (fixtures are read, not drawn).

use fake::{
    faker::{address::raw as address, name::raw as name},
    Fake,
};
use rand::{seq::IndexedRandom, RngExt, SeedableRng};
use rand_chacha::ChaCha20Rng;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::sandbox::bank::locale::{CITY_STATE, EN_IN};

/// The server seed every synthetic answer derives from (`--seed`, default [`Determinism::DEFAULT_SEED`]).
#[derive(Debug, Clone, Copy)]
pub struct Determinism {
    seed: u64,
}

impl Determinism {
    /// The default seed: fixed, so that two partners' CI runs see the same synthetic world.
    pub const DEFAULT_SEED: u64 = 20_261_125;

    pub fn new(seed: u64) -> Self {
        Self { seed }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A stable 64-bit hash of `(seed, family, input)`. The family keeps two families' streams apart even
    /// for the same input (a PAN seen by Building Blocks and by Auto Loan).
    pub fn hash(&self, family: &str, input: &str) -> u64 {
        let mut bytes = Vec::with_capacity(family.len() + input.len() + 1);
        bytes.extend_from_slice(family.as_bytes());
        bytes.push(0x1f); // unit separator: ("ab","c") and ("a","bc") must not collide
        bytes.extend_from_slice(input.as_bytes());
        xxh3_64_with_seed(&bytes, self.seed)
    }

    /// A seeded stream for `(family, input)`: draw everything synthetic about that input from it, in a
    /// fixed order, so that the answer is stable.
    pub fn stream(&self, family: &str, input: &str) -> Synthetic {
        Synthetic {
            rng: ChaCha20Rng::seed_from_u64(self.hash(family, input)),
        }
    }

    /// A reference number of `digits` decimal digits derived from `(family, input)`: UTRs, RRNs, request ids.
    pub fn reference(&self, family: &str, input: &str, digits: u32) -> String {
        let modulus = 10u64.pow(digits.min(19));
        format!(
            "{:0width$}",
            self.hash(family, input) % modulus,
            width = digits as usize
        )
    }

    /// A reference for one app's object: [`Determinism::reference`] over `app_id|key`, so that two
    /// apps' objects of the same key get different references.
    pub fn app_reference(
        &self,
        family: &str,
        app_id: &str,
        key: impl std::fmt::Display,
        digits: u32,
    ) -> String {
        self.reference(family, &format!("{app_id}|{key}"), digits)
    }

    /// [`Determinism::app_reference`] behind the prefix the bank gives that kind of object (`OTP`,
    /// `ALN`, `IW`, an account range's `000477`).
    pub fn app_code(
        &self,
        prefix: &str,
        family: &str,
        app_id: &str,
        key: impl std::fmt::Display,
        digits: u32,
    ) -> String {
        format!(
            "{prefix}{}",
            self.app_reference(family, app_id, key, digits)
        )
    }
}

/// One seeded stream of synthetic data (names and addresses in the en_IN locale, numbers, choices).
pub struct Synthetic {
    rng: ChaCha20Rng,
}

impl Synthetic {
    pub fn first_name(&mut self) -> String {
        name::FirstName(EN_IN).fake_with_rng(&mut self.rng)
    }

    pub fn last_name(&mut self) -> String {
        name::LastName(EN_IN).fake_with_rng(&mut self.rng)
    }

    /// A street address line: building number and street, e.g. "42 Iyer Marg".
    pub fn street(&mut self) -> String {
        let number: String = address::BuildingNumber(EN_IN).fake_with_rng(&mut self.rng);
        let street: String = address::StreetName(EN_IN).fake_with_rng(&mut self.rng);
        format!("{number} {street}")
    }

    pub fn city_and_state(&mut self) -> (&'static str, &'static str) {
        *self.pick(CITY_STATE)
    }

    /// A whole number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        self.rng.random_range(low..=high)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        items
            .choose(&mut self.rng)
            .expect("pick from a non-empty list")
    }
}
