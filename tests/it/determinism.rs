//! Determinism (rapier-style): the same seed gives byte-identical output whatever the
//! thread count, and a run re-run alone matches its row in the batch.

use std::fs;

use std::sync::Arc;

use minilat::batch::{RunResult, jobs, replicate_keys, run_batch, run_one};
use minilat::engine::RunKey;
use minilat::scenario::synthetic::Synthetic;

use crate::common::{assert_same_files, csv_names, minilat};
use crate::fixtures::{QUICKSTART, quickstart};
use crate::repo;

fn batch_on(threads: usize, scenario: &minilat::scenario::Scenario) -> Vec<RunResult> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let mut out = Vec::new();
    pool.install(|| {
        let all = jobs(Arc::new(scenario.clone()), replicate_keys(scenario.runs));
        run_batch(all, |_, r| {
            out.push(r);
            Ok::<(), ()>(())
        })
    })
    .expect("the sink never fails");
    out
}

/// Bit-for-bit equality (NaN, meaning "undefined", equals itself here).
fn same(a: &RunResult, b: &RunResult) -> bool {
    let bits = |r: &RunResult| {
        let mut v = Vec::new();
        r.summary.values(&mut v);
        v.extend_from_slice(&r.ticks);
        v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>()
    };
    a.key == b.key
        && bits(a) == bits(b)
        && a.coalitions == b.coalitions
        && a.memberships == b.memberships
}

/// The first tick and metric where two runs' tick rows differ, for a readable failure.
fn first_difference(
    a: &RunResult,
    b: &RunResult,
    scenario: &minilat::scenario::Scenario,
) -> String {
    let cols = minilat::metrics::TickMetrics::columns(scenario);
    let width = cols.len() + 1;
    for (i, (x, y)) in a.ticks.iter().zip(&b.ticks).enumerate() {
        if x.to_bits() != y.to_bits() {
            let row = i / width;
            let col = i % width;
            let name = if col == 0 {
                "tick"
            } else {
                cols[col - 1].as_str()
            };
            return format!(
                "run {} first differs at tick {} in {name}: {x} vs {y}",
                a.key.replicate,
                a.ticks[row * width],
            );
        }
    }
    format!(
        "run {} differs in its summary or coalitions",
        a.key.replicate
    )
}

#[test]
fn one_two_and_four_threads_give_identical_results() {
    let scenario = Synthetic {
        states: 30,
        ticks: 60,
        runs: 24,
        ..Synthetic::default()
    }
    .build();
    let one = batch_on(1, &scenario);
    for threads in [2, 4] {
        let many = batch_on(threads, &scenario);
        assert_eq!(one.len(), many.len());
        for (a, b) in one.iter().zip(&many) {
            assert!(
                same(a, b),
                "{threads} threads: {}",
                first_difference(a, b, &scenario)
            );
        }
    }
}

#[test]
fn a_run_rerun_alone_matches_its_row_in_the_batch() {
    let scenario = Synthetic {
        states: 30,
        ticks: 60,
        runs: 12,
        ..Synthetic::default()
    }
    .build();
    let batch = batch_on(2, &scenario);
    for k in [0u32, 5, 11] {
        let alone = run_one(
            &scenario,
            RunKey {
                point: 0,
                replicate: k,
            },
        );
        assert!(
            same(&alone, &batch[k as usize]),
            "{}",
            first_difference(&alone, &batch[k as usize], &scenario)
        );
    }
}

#[test]
fn the_cli_writes_byte_identical_files_on_one_and_two_threads() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    for threads in ["1", "2"] {
        minilat(tmp.path())
            .args([
                "run",
                &quickstart(),
                "--runs",
                "40",
                "--quiet",
                "--threads",
                threads,
                "--out",
                threads,
            ])
            .assert()
            .success();
    }
    // Every CSV file of the directory, so that a new file is covered too.
    let (one, two) = (tmp.path().join("1"), tmp.path().join("2"));
    let files = csv_names(&one);
    assert_eq!(files, csv_names(&two), "the same files on 1 and 2 threads");
    for must in ["runs.csv", "coalitions.csv", "memberships.csv", "ticks.csv"] {
        assert!(files.iter().any(|f| f == must), "no {must} in {files:?}");
    }
    assert_same_files(&one, &two, &files);
}

#[test]
fn the_cli_reruns_one_run_alone_with_the_same_row() {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let file = repo(QUICKSTART);
    let file = file.to_str().expect("utf-8 path");
    minilat(tmp.path())
        .args(["run", file, "--runs", "20", "--quiet", "--out", "all"])
        .assert()
        .success();
    minilat(tmp.path())
        .args([
            "run", file, "--runs", "20", "--quiet", "--run", "13", "--out", "one",
        ])
        .assert()
        .success();
    let all = fs::read_to_string(tmp.path().join("all/runs.csv")).expect("runs.csv");
    let one = fs::read_to_string(tmp.path().join("one/runs.csv")).expect("runs.csv");
    let row13 = all.lines().nth(14).expect("row 13");
    assert_eq!(one.lines().nth(1), Some(row13));
    assert_eq!(one.lines().count(), 2);
    // Its coalitions too.
    let all_c = fs::read_to_string(tmp.path().join("all/coalitions.csv")).expect("coalitions.csv");
    let one_c = fs::read_to_string(tmp.path().join("one/coalitions.csv")).expect("coalitions.csv");
    let expected: Vec<&str> = all_c
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("13,"))
        .collect();
    let got: Vec<&str> = one_c.lines().skip(1).collect();
    assert_eq!(got, expected);
    // And its memberships.
    let all_m = fs::read_to_string(tmp.path().join("all/memberships.csv")).expect("memberships");
    let one_m = fs::read_to_string(tmp.path().join("one/memberships.csv")).expect("memberships");
    let expected: Vec<&str> = all_m
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("13,"))
        .collect();
    assert!(!expected.is_empty(), "run 13 has members in coalitions");
    let got: Vec<&str> = one_m.lines().skip(1).collect();
    assert_eq!(got, expected);
}
