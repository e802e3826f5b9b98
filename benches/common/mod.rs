//! Small statistics and the batch timer shared by the plain timing-loop benches.

use std::sync::Arc;
use std::time::{Duration, Instant};

use minilat::batch::{jobs, replicate_keys, run_batch};
use minilat::scenario::Scenario;

/// Runs the whole batch of `scenario` on `pool` through `run_batch` (the path of
/// `minilat run`) with a counting sink; returns its wall time and the number of results.
pub fn time_batch(pool: &rayon::ThreadPool, scenario: &Scenario) -> (Duration, u64) {
    let start = Instant::now();
    let mut count = 0u64;
    pool.install(|| {
        let all = jobs(Arc::new(scenario.clone()), replicate_keys(scenario.runs));
        run_batch(all, |_, r| {
            std::hint::black_box(&r);
            count += 1;
            Ok::<(), std::convert::Infallible>(())
        })
    })
    .expect("the counting sink cannot fail");
    (start.elapsed(), count)
}

/// The median of `xs` (the mean of the middle two for an even count).
pub fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The smallest of `xs`.
pub fn min(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(f64::INFINITY, f64::min)
}
