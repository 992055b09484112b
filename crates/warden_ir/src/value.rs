//! Condition values parsed once into their types.
