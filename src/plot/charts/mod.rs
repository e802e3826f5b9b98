//! One file per chart family: what the family reads and computes, its builder (stem,
//! title, caption) and its drawing. `coalitions`, `ticks` and `points` read the files
//! that several families share, in one pass each, and hand the numbers on.

pub mod calibration;
pub mod coalitions;
pub mod coalitions_over_time;
pub mod deadlock;
pub mod free_riding;
pub mod heatmap;
pub mod optimum;
pub mod points;
pub mod prim;
pub mod progress;
pub mod rule_over_time;
pub mod sensitivity;
pub mod size_effect;
pub mod size_histogram;
pub mod stable_size;
pub mod sweep_metric;
pub mod ticks;
pub mod timeline;
