//! The `adaptive` behaviour rule.
