//! minilat: an agent-based simulator of how states form coalitions: when they act
//! through large multilateral bodies and when through small minilateral coalitions.
//!
//! Data flow: TOML text → [`scenario::Scenario`] → [`batch`] expands it into
//! [`engine::RunKey`]s → [`engine::run`] per key with its own RNG →
//! [`metrics::RunSummary`] + per-tick rows through [`metrics::Observer`] → [`output`]
//! writes CSV and the manifest.
//!
//! The core (`model`, `rules`, `metrics`, `act`, `behaviour`, `engine`) does no I/O, reads no
//! clock and draws randomness only from each run's seeded stream; see ARCHITECTURE.md.
#![warn(missing_docs)]

pub mod act;
pub mod analysis;
pub mod batch;
pub mod behaviour;
pub mod cli;
pub mod engine;
pub mod error;
pub mod metrics;
pub mod model;
pub mod narrate;
pub mod output;
pub mod plot;
pub mod report;
pub mod rules;
pub mod scenario;
