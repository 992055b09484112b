//! Action patterns indexed by service: one action set for every reader.
