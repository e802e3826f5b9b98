//! The `stability` behaviour rule.
