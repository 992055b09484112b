//! Fixed-size bit sets over the cells of one dimension.

/// A set of cell indices below a fixed length.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    /// The empty set over `len` cells.
    pub(crate) fn empty(len: usize) -> Bits {
        Bits {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// Every cell of `len`.
    pub(crate) fn full(len: usize) -> Bits {
        let mut b = Bits::empty(len);
        for w in &mut b.words {
            *w = u64::MAX;
        }
        b.trim();
        b
    }

    fn trim(&mut self) {
        let rem = self.len % 64;
        if rem != 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= (1u64 << rem) - 1;
        }
    }

    pub(crate) fn insert(&mut self, i: usize) {
        if i < self.len
            && let Some(w) = self.words.get_mut(i / 64)
        {
            *w |= 1 << (i % 64);
        }
    }

    pub(crate) fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// `self ∩= other`.
    pub(crate) fn and_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// `self ∪= other`.
    pub(crate) fn or_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// `self −= other`.
    pub(crate) fn minus(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// The complement.
    pub(crate) fn not(&self) -> Bits {
        let mut b = Bits {
            words: self.words.iter().map(|w| !w).collect(),
            len: self.len,
        };
        b.trim();
        b
    }

    pub(crate) fn intersects(&self, other: &Bits) -> bool {
        self.words.iter().zip(&other.words).any(|(a, b)| a & b != 0)
    }

    /// `self ⊆ other`.
    pub(crate) fn is_subset(&self, other: &Bits) -> bool {
        self.words
            .iter()
            .zip(&other.words)
            .all(|(a, b)| a & !b == 0)
    }

    /// The smallest member.
    pub(crate) fn first(&self) -> Option<usize> {
        self.iter().next()
    }

    /// Members in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let t = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(i * 64 + t)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut a = Bits::empty(70);
        a.insert(3);
        a.insert(65);
        let full = Bits::full(70);
        assert_eq!(full.iter().count(), 70);
        assert_eq!(a.not().iter().count(), 68);
        assert!(a.is_subset(&full));
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![3, 65]);
        let mut b = full.clone();
        b.minus(&a);
        assert!(!b.intersects(&a));
        assert_eq!(a.first(), Some(3));
    }
}
