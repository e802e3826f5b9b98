//! CORE: the entities of MODEL.md as they live during one run: states (the agents),
//! issues, venues (bodies and coalitions) and the [`World`] that holds them between
//! ticks. Built from a validated `Scenario` and the run's RNG; no I/O.

pub mod ids;
pub mod issue;
pub mod param;
pub mod scenario;
pub mod state;
pub mod typology;
pub mod venue;
pub mod world;

pub use world::World;
