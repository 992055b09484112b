//! A fast hash for the batch's string-keyed maps (policy names, principals,
//! actions): each request looks up several keys, and the standard SipHash
//! costs more than the rest of a lookup. The keys come from the user's own
//! batch, so resistance to collision attacks buys nothing here.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`WordHasher`].
pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// The multiply-rotate hash of rustc's `FxHasher`, eight bytes at a time.
#[derive(Default, Clone, Copy)]
pub(super) struct WordHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in words.by_ref() {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let mut tail = [0u8; 8];
        let rest = words.remainder();
        if let Some(t) = tail.get_mut(..rest.len()) {
            t.copy_from_slice(rest);
        }
        // The length keeps `ab` + `` apart from `a` + `b`.
        self.add(u64::from_le_bytes(tail) ^ ((rest.len() as u64) << 56));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_that_differ_hash_apart() {
        let mut seen = std::collections::HashSet::new();
        for s in [
            "",
            "a",
            "ab",
            "a\0",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "s3:GetObject",
        ] {
            let mut h = WordHasher::default();
            std::hash::Hash::hash(s, &mut h);
            assert!(seen.insert(h.finish()), "{s:?}");
        }
        let mut map: FastMap<String, usize> = FastMap::default();
        for i in 0..1000 {
            map.insert(format!("policy-{i}"), i);
        }
        assert!((0..1000).all(|i| map.get(&format!("policy-{i}")) == Some(&i)));
    }
}
