//! Behaviour rules: a 1,000-run batch of each rule's shipped scenario, and the exhaustive
//! landscape enumeration at N = 20 and N = 25 (`cargo bench --bench rules`).
//!
//! Each batch goes through `minilat::batch::run_batch` (the path of `minilat run`) on a
//! pool of 2 threads with a counting sink (no CSV), one warm-up then `REPS` timed
//! repetitions; it prints the median and minimum wall time, runs per second and ns per
//! state-tick. The enumeration times `landscape` over all 2^(N−1) two-bloc
//! configurations of a random symmetric landscape and prints configurations per second.
//! Plain timing loops as in `benches/batch.rs`: a batch or an N = 25 enumeration takes
//! seconds. Options after `--`: `--reps N` (default 3), `--runs N` (default 1,000),
//! `--threads N` (default 2). Without `--bench` (`cargo test --benches`) it runs a tiny
//! smoke version of each.

mod common;

use common::{median, min, time_batch};
use std::path::Path;
use std::time::Instant;

use minilat::behaviour::landscape::Landscape;
use minilat::output::rules::landscape::enumerate_parallel;
use minilat::scenario::Scenario;

/// Each rule's shipped scenario.
const SCENARIOS: [(&str, &str); 4] = [
    ("landscape", "scenarios/g20-sanctions-landscape.toml"),
    ("stability", "scenarios/stability.toml"),
    ("adaptive", "scenarios/adaptive-venues.toml"),
    ("shapley", "scenarios/g20-alliances.toml"),
];

fn load(path: &str, runs: u32) -> Scenario {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let set = [format!("scenario.runs={runs}")];
    Scenario::from_path(&file, &set)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .scenario
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
    let reps: usize = if smoke {
        1
    } else {
        value("--reps")
            .map_or(3, |s| s.parse().expect("--reps N"))
            .max(1)
    };
    let runs: u32 = if smoke {
        8
    } else {
        value("--runs").map_or(1_000, |s| s.parse().expect("--runs N"))
    };
    let threads: usize = value("--threads").map_or(2, |s| s.parse().expect("--threads N"));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");

    println!("behaviour rules: {runs}-run batches on {threads} thread(s), counting sink");
    println!(
        "{:<10} {:<40} {:>7} {:>6} {:>10} {:>10} {:>9} {:>13}",
        "rule", "scenario", "states", "ticks", "median s", "min s", "runs/s", "ns/state-tick"
    );
    for (rule, path) in SCENARIOS {
        let scenario = load(path, runs);
        if !smoke {
            time_batch(&pool, &scenario);
        }
        let times: Vec<f64> = (0..reps)
            .map(|_| {
                let (t, count) = time_batch(&pool, &scenario);
                assert_eq!(
                    count,
                    u64::from(scenario.runs),
                    "every run reaches the sink"
                );
                t.as_secs_f64()
            })
            .collect();
        let (med, mn) = (median(&times), min(&times));
        let state_ticks =
            f64::from(runs) * scenario.states.len() as f64 * f64::from(scenario.ticks);
        println!(
            "{rule:<10} {path:<40} {:>7} {:>6} {med:>10.3} {mn:>10.3} {:>9.0} {:>13.1}",
            scenario.states.len(),
            scenario.ticks,
            f64::from(runs) / med,
            med * 1e9 / state_ticks
        );
    }

    println!();
    println!("landscape: exhaustive enumeration of two-bloc configurations (actor 0 fixed)");
    println!(
        "{:>4} {:>14} {:>10} {:>10} {:>16} {:>8}",
        "N", "configurations", "median s", "min s", "configs/s (med)", "minima"
    );
    let sizes: &[usize] = if smoke { &[10] } else { &[20, 25] };
    for &n in sizes {
        let land = Landscape::random(n, 2026);
        let configurations = 1u64 << (n - 1);
        let mut minima = 0;
        let times: Vec<f64> = (0..reps)
            .map(|_| {
                let start = Instant::now();
                let found = pool.install(|| enumerate_parallel(&land));
                let t = start.elapsed().as_secs_f64();
                minima = found.len();
                std::hint::black_box(found);
                t
            })
            .collect();
        let (med, mn) = (median(&times), min(&times));
        println!(
            "{n:>4} {configurations:>14} {med:>10.3} {mn:>10.3} {:>16.3e} {minima:>8}",
            configurations as f64 / med
        );
    }
}
