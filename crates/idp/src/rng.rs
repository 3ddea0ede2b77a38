//! A small seeded pseudo-random generator (SplitMix64). The simulator has no OS entropy on
//! wasm32, and reproducible demos need the same seed to give the same data anyway.

use serde::{Deserialize, Serialize};

/// SplitMix64: tiny, fast, and good enough for demo data and placeholder passwords (it is not
/// cryptographic, and nothing here needs it to be).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator whose whole sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`, or 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let n64 = u64::try_from(n).unwrap_or(u64::MAX);
        usize::try_from(self.next_u64() % n64).unwrap_or(0)
    }

    /// One element of `items`, or `None` when it is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// `len` characters drawn from letters, digits and a few symbols, as a placeholder
    /// password that satisfies common complexity rules.
    pub fn password(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] =
            b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%*+-=?@";
        (0..len)
            .map(|_| {
                char::from(
                    ALPHABET
                        .get(self.below(ALPHABET.len()))
                        .copied()
                        .unwrap_or(b'x'),
                )
            })
            .collect()
    }

    /// An Okta-style object id with `prefix` (`00u` users, `00g` groups): 20 characters.
    pub fn okta_id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let mut id = prefix.to_string();
        while id.len() < 20 {
            let byte = ALPHABET
                .get(self.below(ALPHABET.len()))
                .copied()
                .unwrap_or(b'0');
            id.push(char::from(byte));
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(a.password(12), b.password(12));
        assert_eq!(a.okta_id("00u").len(), 20);
        assert_eq!(a.below(0), 0);
    }
}
