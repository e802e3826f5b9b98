//! The random stream of one run (MODEL.md "Reproducibility").
//!
//! `run_rng(master_seed, key)`: ChaCha8 keyed by `seed_from_u64(master_seed)`, on
//! stream `(point << 32) | replicate`. Every draw of a run comes from this stream, in
//! an order fixed by the tick phases, so a run is bit-identical whatever the thread
//! count, the order runs finish in, or how a sweep is split. Documented in
//! docs/reproducibility.md; pinned by `tests/it/golden.rs`.
//!
//! NOTE: the generator is rand's own `rand::rngs::ChaCha8Rng` (feature `chacha`, the
//! `chacha20` crate). It has the layout `rand_chacha::ChaCha8Rng` had (64-bit block
//! counter, 64-bit stream id, `seed_from_u64` through rand_core's PCG expansion,
//! `set_stream` resetting the word position to 0), so it gives the same streams: the
//! golden draws and batch digest were unchanged when rand_chacha was dropped (issue 16).

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

/// Which run of a batch: the sweep point (0 for `minilat run`) and the replicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RunKey {
    /// Sweep point (0 outside sweeps).
    pub point: u32,
    /// Replicate (the run index in `minilat run`).
    pub replicate: u32,
}

impl RunKey {
    /// The ChaCha stream id of this run.
    pub fn stream(self) -> u64 {
        ((self.point as u64) << 32) | self.replicate as u64
    }
}

/// The random stream of run `key` under `master_seed`.
pub fn run_rng(master_seed: u64, key: RunKey) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(master_seed);
    rng.set_stream(key.stream());
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn different_runs_get_different_streams_and_the_same_run_the_same() {
        let a = run_rng(
            42,
            RunKey {
                point: 0,
                replicate: 1,
            },
        )
        .random::<u64>();
        let b = run_rng(
            42,
            RunKey {
                point: 0,
                replicate: 2,
            },
        )
        .random::<u64>();
        let c = run_rng(
            42,
            RunKey {
                point: 1,
                replicate: 1,
            },
        )
        .random::<u64>();
        let a2 = run_rng(
            42,
            RunKey {
                point: 0,
                replicate: 1,
            },
        )
        .random::<u64>();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, a2);
    }
}
