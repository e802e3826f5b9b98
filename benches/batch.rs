//! Parallel speed-up of a Monte Carlo batch (`cargo bench --bench batch`).
//!
//! A 10,000-run batch of a small synthetic scenario (20 states, 100 ticks) goes through
//! `minilat::batch::run_batch` — the same chunked, in-order path as `minilat run` —
//! on a rayon pool of 1 and then 2 threads, with a sink that only counts results (no
//! CSV, no statistics), so the figure is the engine plus the batch runner's
//! collection of `RunResult`s. Target: 2-thread speed-up >= 1.8x.
//!
//! A batch takes seconds, so this is a plain timing loop instead of criterion (which
//! would need at least 10 samples of each): one warm-up batch per pool, then `REPS`
//! batches per pool, alternating 1 and 2 threads so that background load hits both
//! alike. It prints every time, the median and minimum per pool, and the speed-up of
//! medians and of minima. The minimum is the less noisy estimate on a shared machine.
//!
//! Options (after `--`): `--reps N` (default 5), `--runs N` (default 10,000),
//! `--threads A,B,...` (default 1,2; the speed-up is relative to the first).
//! Like criterion, it only measures when given `--bench` (which `cargo bench` passes);
//! without it (`cargo test --benches`) or with `--test` it runs one tiny batch per pool
//! as a smoke test. To run the binary directly, pass `--bench`.

mod common;

use common::{median, min, time_batch};

use minilat::scenario::Scenario;
use minilat::scenario::synthetic::Synthetic;

/// The benchmark's scenario.
fn scenario(runs: u32) -> Scenario {
    Synthetic {
        states: 20,
        ticks: 100,
        runs,
        ..Synthetic::default()
    }
    .build()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let smoke = args.iter().any(|a| a == "--test") || !args.iter().any(|a| a == "--bench");
    let reps: usize = value("--reps").map_or(5, |s| s.parse().expect("--reps N"));
    let runs: u32 = if smoke {
        64
    } else {
        value("--runs").map_or(10_000, |s| s.parse().expect("--runs N"))
    };
    let threads: Vec<usize> = value("--threads").map_or(vec![1, 2], |s| {
        s.split(',')
            .map(|t| t.trim().parse().expect("--threads A,B,..."))
            .collect()
    });
    let reps = if smoke { 1 } else { reps.max(1) };

    let scenario = scenario(runs);
    let pools: Vec<rayon::ThreadPool> = threads
        .iter()
        .map(|&n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("thread pool")
        })
        .collect();

    println!(
        "batch: {runs} runs of a synthetic scenario ({} states, {} ticks) through run_batch, counting sink",
        scenario.states.len(),
        scenario.ticks
    );
    println!(
        "available parallelism: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    // Warm-up: one batch per pool (page faults, allocator, thread start-up).
    if !smoke {
        for pool in &pools {
            time_batch(pool, &scenario);
        }
    }

    let mut times: Vec<Vec<f64>> = vec![Vec::new(); pools.len()];
    for rep in 0..reps {
        for (i, pool) in pools.iter().enumerate() {
            let (t, count) = time_batch(pool, &scenario);
            assert_eq!(count, u64::from(runs), "every run reaches the sink");
            let s = t.as_secs_f64();
            println!(
                "  rep {rep}: {} thread(s): {s:.3} s ({:.1} µs/run)",
                threads[i],
                s * 1e6 / f64::from(runs)
            );
            times[i].push(s);
        }
    }
    if smoke {
        println!("smoke test ok");
        return;
    }

    println!();
    println!(
        "{:>8} {:>11} {:>11} {:>12} {:>16} {:>15}",
        "threads", "median s", "min s", "µs/run (med)", "speed-up (med)", "speed-up (min)"
    );
    let (base_med, base_min) = (median(&times[0]), min(&times[0]));
    for (i, &n) in threads.iter().enumerate() {
        let (med, mn) = (median(&times[i]), min(&times[i]));
        println!(
            "{n:>8} {med:>11.3} {mn:>11.3} {:>12.1} {:>15.2}x {:>14.2}x",
            med * 1e6 / f64::from(runs),
            base_med / med,
            base_min / mn
        );
    }
}
