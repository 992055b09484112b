//! What one question may spend: a deadline and a state limit, passed down
//! explicitly to every exploration and search, so that `--timeout` holds
//! even inside one slice.

use std::cell::Cell;
use std::time::Instant;

use crate::unknown::{Explored, Unknown};

/// Product states one string dimension may explore.
pub(crate) const STATE_LIMIT: usize = 400_000;

/// Numbers (4 bytes each) the product states of one exploration may hold:
/// a state holds one per union of patterns, so with thousands of patterns
/// memory, not the number of states, is the limit (128 MiB).
pub(crate) const WORD_LIMIT: usize = 32 << 20;

/// The limits of one comparison.
#[derive(Debug)]
pub(crate) struct Budget {
    deadline: Option<Instant>,
    /// Product states one glob exploration may visit.
    pub(crate) states: usize,
    /// Numbers the product states of one exploration may hold.
    pub(crate) words: usize,
    /// Search nodes visited, to read the clock only every 256.
    nodes: Cell<u64>,
}

/// Why an exploration stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The deadline passed.
    Deadline,
    /// More product states than allowed.
    States {
        /// The limit that was reached.
        limit: usize,
    },
    /// Product states holding more memory than allowed.
    Memory {
        /// The limit that was reached, in bytes.
        bytes: usize,
    },
}

impl Stop {
    /// The `unknown` reason, for an exploration of `what`.
    pub(crate) fn unknown(self, what: Explored) -> Unknown {
        match self {
            Stop::Deadline => Unknown::Timeout,
            Stop::States { limit } => Unknown::StateLimit { what, limit },
            Stop::Memory { bytes } => Unknown::MemoryLimit { what, bytes },
        }
    }
}

/// The search ran out of time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeout;

impl Budget {
    /// A budget ending at `deadline` (none: no time limit), with the
    /// default state limit.
    pub(crate) fn new(deadline: Option<Instant>) -> Budget {
        Budget {
            deadline,
            states: STATE_LIMIT,
            words: WORD_LIMIT,
            nodes: Cell::new(0),
        }
    }

    /// No deadline, and at most `states` product states per exploration.
    pub(crate) fn states_only(states: usize) -> Budget {
        Budget {
            deadline: None,
            states,
            words: WORD_LIMIT,
            nodes: Cell::new(0),
        }
    }

    /// Whether the deadline has passed.
    pub(crate) fn expired(&self) -> bool {
        self.deadline.is_some_and(|t| Instant::now() >= t)
    }

    /// Counts one search node; every 16 nodes, fails once the deadline
    /// has passed (a node of a search over thousands of statements takes
    /// milliseconds: the clock is cheap beside it).
    pub(crate) fn tick(&self) -> Result<(), Timeout> {
        let n = self.nodes.get() + 1;
        self.nodes.set(n);
        if n.is_multiple_of(16) && self.expired() {
            return Err(Timeout);
        }
        Ok(())
    }
}
