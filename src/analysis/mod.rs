//! Sensitivity analysis and scenario discovery over sweeps: pure numerical routines, no
//! I/O, all randomness from caller-provided seeds through `ChaCha8Rng`.
//!
//! * Designs: [`sobol_points`] (digitally shifted Sobol sequence, Joe & Kuo 2008 direction
//!   numbers), [`saltelli_design`] (Saltelli et al. 2010 `A, B, AB_i` scheme) and
//!   [`morris_design`] (Morris 1991 trajectories). Designs are unit coordinates in
//!   `[0, 1]^d`, row-major; the caller maps them to parameter ranges.
//! * Estimators over a sweep's outputs: [`sobol_indices`] (first-order and total indices
//!   with bootstrap confidence intervals), [`morris_indices`] (`μ`, `μ*`, `σ`) and
//!   [`prim`] (PRIM scenario discovery, Friedman & Fisher 1999, with its peeling
//!   trajectory).
//! * Calibration: [`abc`] (rejection ABC with local-linear regression adjustment,
//!   Beaumont, Zhang & Balding 2002).

pub mod abc;
mod direction_numbers;
mod morris;
mod prim;
mod sobol;
mod sobol_seq;

pub use direction_numbers::MAX_DIMS;
pub use morris::{MorrisIndices, morris_delta, morris_design, morris_indices};
pub use prim::{PrimResult, PrimStep, prim};
pub use sobol::{Estimate, SobolIndices, saltelli_design, sobol_indices};
pub use sobol_seq::{sobol_points, sobol_points_skip};
