//! The behaviour rules beyond `utility`, through the CLI and the library API: one
//! file per rule with hand-worked cases and determinism.

mod adaptive;
mod landscape;
mod shapley;
mod stability;
