//! Single-threaded cost of one run (`cargo bench --bench tick`).
//!
//! * `run_193`: one run of the default synthetic scenario (193 states, 200 ticks).
//!   Target: under 5 ms per run; ns per state-tick = time / 38,600.
//! * `scaling/{50,193,1000,5000}`: the same scenario at 50 to 5,000 states (200 ticks).
//!   Throughput is states × ticks, so criterion prints state-ticks/s; the target is a
//!   roughly constant cost per state-tick as the number of states grows.
//! * `quickstart`: one run of `scenarios/quickstart.toml` (20 states, 120 ticks).
//!
//! Every iteration plays the next replicate (0, 1, 2, ... wrapping at `REPLICATES`), so
//! a figure is the mean over many different runs rather than the cost of one lucky or
//! unlucky run. Runs use the `Discard` observer: nothing is collected or written, and
//! the benchmark does not spawn threads (rayon is not involved).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use minilat::engine::{self, RunKey};
use minilat::metrics::Discard;
use minilat::scenario::Scenario;
use minilat::scenario::synthetic::Synthetic;

/// Replicates cycled through by the iterations.
const REPLICATES: u32 = 64;

/// Benchmarks one run of `scenario`, a different replicate at each iteration.
fn bench_runs(b: &mut criterion::Bencher<'_>, scenario: &Scenario) {
    let mut next = 0u32;
    b.iter(|| {
        let key = RunKey {
            point: 0,
            replicate: next,
        };
        next = (next + 1) % REPLICATES;
        black_box(engine::run(black_box(scenario), key, &mut Discard))
    });
}

/// One run of the default 193-state, 200-tick synthetic scenario.
fn run_193(c: &mut Criterion) {
    let syn = Synthetic::default();
    let scenario = syn.build();
    let mut g = c.benchmark_group("run_193");
    g.throughput(Throughput::Elements(
        syn.states as u64 * u64::from(syn.ticks),
    ));
    g.warm_up_time(Duration::from_secs(2));
    g.measurement_time(Duration::from_secs(10));
    g.sample_size(50);
    g.bench_function("synthetic_193x200", |b| bench_runs(b, &scenario));
    g.finish();
}

/// Cost per state-tick from 50 to 5,000 states.
fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    for states in [50usize, 193, 1_000, 5_000] {
        let syn = Synthetic {
            states,
            ticks: 200,
            ..Synthetic::default()
        };
        let scenario = syn.build();
        g.throughput(Throughput::Elements(states as u64 * u64::from(syn.ticks)));
        if states >= 1_000 {
            // A run takes tens of ms or more: few samples, one iteration count each.
            g.sampling_mode(SamplingMode::Flat);
            g.sample_size(10);
            g.warm_up_time(Duration::from_secs(1));
            g.measurement_time(Duration::from_secs(if states >= 5_000 { 20 } else { 8 }));
        } else {
            g.sampling_mode(SamplingMode::Auto);
            g.sample_size(20);
            g.warm_up_time(Duration::from_secs(1));
            g.measurement_time(Duration::from_secs(5));
        }
        g.bench_with_input(BenchmarkId::from_parameter(states), &scenario, bench_runs);
    }
    g.finish();
}

/// One run of the shipped quickstart scenario.
fn quickstart(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/quickstart.toml");
    let loaded = Scenario::from_path(&path, &[]).expect("scenarios/quickstart.toml loads");
    let scenario = loaded.scenario;
    let mut g = c.benchmark_group("quickstart");
    g.throughput(Throughput::Elements(
        scenario.states.len() as u64 * u64::from(scenario.ticks),
    ));
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    g.sample_size(50);
    g.bench_function("run", |b| bench_runs(b, &scenario));
    g.finish();
}

criterion_group!(benches, run_193, scaling, quickstart);
criterion_main!(benches);
