//! A small seeded pseudo-random generator (SplitMix64). The simulator has no OS entropy on
//! wasm32, and reproducible demos need the same seed to give the same data anyway.

use serde::{Deserialize, Serialize};

/// SplitMix64: tiny, fast, and good enough for demo data and ids (it is not cryptographic;
/// passwords come from [`Entropy`]).
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

/// Where secrets come from: the host's cryptographically secure generator (in the browser,
/// `crypto.getRandomValues`). The seeded [`Rng`] above is for demo data, whose point is to be
/// the same in every browser; a password sent to a real server must not be.
///
/// A plain function, so the org stays `Clone` and `PartialEq`; it is never saved (the host sets
/// it before each job).
#[derive(Clone, Copy)]
pub struct Entropy(Option<fn(&mut [u8]) -> bool>);

impl Entropy {
    /// A source that fills a buffer with secure random bytes and says whether it could.
    pub fn new(fill: fn(&mut [u8]) -> bool) -> Entropy {
        Entropy(Some(fill))
    }

    /// No source: asking it for a secret fails (on wasm32 there is none unless the host
    /// gives one).
    pub fn none() -> Entropy {
        Entropy(None)
    }

    /// `len` characters drawn uniformly from letters, digits and a few symbols (rejection
    /// sampling, so no character is likelier), as Okta's generated passwords satisfy common
    /// complexity rules; `None` when there is no secure source.
    pub fn password(&self, len: usize) -> Option<String> {
        const ALPHABET: &[u8] =
            b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%*+-=?@";
        // The largest multiple of the alphabet's length below 256: bytes above it are drawn
        // again, so every character is equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        let fill = self.0?;
        let mut out = String::with_capacity(len);
        let mut buffer = [0u8; 64];
        while out.len() < len {
            if !fill(&mut buffer) {
                return None;
            }
            for &byte in &buffer {
                if usize::from(byte) < limit && out.len() < len {
                    out.push(char::from(
                        *ALPHABET.get(usize::from(byte) % ALPHABET.len())?,
                    ));
                }
            }
        }
        Some(out)
    }
}

/// Natively the standard library's randomly keyed hasher gives each process its own keys from
/// the operating system, which is enough for tests and the benchmark; on wasm32 there is no
/// such source, so the host must give one.
impl Default for Entropy {
    fn default() -> Entropy {
        #[cfg(not(target_arch = "wasm32"))]
        {
            Entropy::new(os_random)
        }
        #[cfg(target_arch = "wasm32")]
        {
            Entropy::none()
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn os_random(bytes: &mut [u8]) -> bool {
    use std::hash::{BuildHasher, Hasher};
    let keys = std::collections::hash_map::RandomState::new();
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut hasher = keys.build_hasher();
        hasher.write_usize(i);
        let word = hasher.finish().to_le_bytes();
        chunk.copy_from_slice(word.get(..chunk.len()).unwrap_or_default());
    }
    true
}

impl std::fmt::Debug for Entropy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Entropy(source)"
        } else {
            "Entropy(none)"
        })
    }
}

/// Two orgs are equal whatever their random source.
impl PartialEq for Entropy {
    fn eq(&self, _: &Entropy) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(a.next_u64(), b.next_u64());
        assert_eq!(a.okta_id("00u"), b.okta_id("00u"));
        assert_eq!(a.okta_id("00u").len(), 20);
        assert_eq!(a.below(0), 0);
    }

    /// Passwords come from the secure source, never from a seed: two in a row differ, each
    /// has the asked length from the alphabet, and without a source there is none.
    #[test]
    fn passwords_come_from_the_secure_source_only() {
        let source = Entropy::default();
        let (a, b) = (source.password(16), source.password(16));
        assert!(a.is_some() && a != b, "{a:?} {b:?}");
        let a = a.unwrap_or_default();
        assert_eq!(a.chars().count(), 16);
        assert!(a.chars().all(|c| c.is_ascii_graphic()), "{a}");
        assert_eq!(Entropy::none().password(16), None);
        assert_eq!(Entropy::new(|_| false).password(16), None);
        // A source of one repeated byte still yields only alphabet characters, and a byte the
        // sampling rejects (255) is drawn again rather than skewing the result.
        let uniform = Entropy::new(|bytes| {
            bytes.fill(255);
            bytes[0] = 7;
            true
        });
        assert_eq!(uniform.password(3).map(|p| p.len()), Some(3));
    }
}
