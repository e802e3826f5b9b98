//! The `shapley` behaviour rule.
