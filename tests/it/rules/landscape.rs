//! The `landscape` behaviour rule.
