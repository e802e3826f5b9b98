//! `scenarios/eu-enhanced-cooperation.toml`: the 28 EU members of 2016 decide on one
//! integration file through the EU body (unanimity, or the treaty's qualified majority
//! in full: 55% of the members, at least 15, representing 65% of the population, a
//! blocking minority of four) and, with enhanced cooperation, in coalitions of at least
//! nine (`coalitions.min_size = 9`) that the Council authorises by qualified majority
//! as a last resort (`coalitions.authorised_by = "EU"`) and whose participants decide
//! by QMV among themselves.
//!
//! Each test states a mechanism as a property of the model and checks it on full runs
//! (120 ticks; 28 states run fast: the CLI does 1,000 runs in about a second). The
//! means and standard errors in the comments were measured with the CLI (`minilat run
//! scenarios/eu-enhanced-cooperation.toml --runs 200 --set ...`, same seed, so the same
//! runs); every assertion allows 4 combined standard errors of Monte Carlo error (a
//! false failure about 3 times in 100,000 if the effect is real), and the measured
//! effects are 9 to 440 standard errors. Each test runs 400 runs, well under a second
//! in release mode on 2 cores.

use std::sync::Arc;

use minilat::batch::{jobs, replicate_keys, run_batch};
use minilat::scenario::Scenario;

use super::{assert_greater, load, mean_of, summaries};

/// The Council by the qualified majority of Art. 16(4) TEU in full.
const QMV: [&str; 5] = [
    "bodies.EU.rule=qmv",
    "bodies.EU.qmv_count=0.55",
    "bodies.EU.qmv_min_members=15",
    "bodies.EU.qmv_weight=0.65",
    "bodies.EU.blocking_minority=4",
];

/// The vanguard as it was before authorisation: any time, no leave asked.
const UNCONSTRAINED: &str =
    "coalitions={min_size=9,max_size=28,rule=\"qmv\",delay=4,endorsement_rate=0}";

/// `QMV` with more overrides.
fn qmv(more: &[&'static str]) -> Vec<&'static str> {
    QMV.iter().copied().chain(more.iter().copied()).collect()
}

/// Peak size of every coalition of runs `0..runs` (point 0), all runs together.
fn peak_sizes(scenario: &Scenario, runs: u32) -> Vec<u32> {
    let mut out = Vec::new();
    run_batch(
        jobs(Arc::new(scenario.clone()), replicate_keys(runs)),
        |_, r| {
            out.extend(r.coalitions.iter().map(|c| c.peak_size));
            Ok::<(), ()>(())
        },
    )
    .expect("the sink never fails");
    out
}

/// Under unanimity the proposal is what the least ambitious of 28 wants and every
/// more ambitious member may reject it; under QMV the proposal sits near the median
/// and a blocking minority must hold 45% of the members or 35% of the population (and
/// four members: fifteen of 28 is below 55% and never binds; the four-member clause
/// changed one of 1,000 runs).
/// Without coalitions, measured (200 runs each, the scenario's status quo 0.3):
/// deadlock 0.9992 (se 0.0004) under unanimity, 0.0105 (se 0.0022) under QMV, 440
/// standard errors; progress 0.0003 (se 0.0001) and 0.4390 (se 0.0026), 169 standard
/// errors.
#[test]
fn qmv_deadlocks_less_and_achieves_more_than_unanimity() {
    let unanimity = load("eu-enhanced-cooperation", &["coalitions.enabled=false"]);
    let qmv = load(
        "eu-enhanced-cooperation",
        &qmv(&["coalitions.enabled=false"]),
    );
    let u = summaries(&unanimity, 200);
    let q = summaries(&qmv, 200);
    assert_greater(
        "EU deadlock, unanimity vs QMV",
        mean_of(&unanimity, &u, "deadlock_EU"),
        mean_of(&qmv, &q, "deadlock_EU"),
        4.0,
    );
    assert_greater(
        "progress, QMV vs unanimity",
        mean_of(&qmv, &q, "progress_integration"),
        mean_of(&unanimity, &u, "progress_integration"),
        4.0,
    );
}

// Laggards: with the integration file's status quo at 0.3 (the scenario's, the
// acquis already in force), the unanimous Council proposes the least ambitious
// position above 0.3, a small step: any member below 0.3 (mostly Visegrad) rejects
// it, and every other member gains at most that step, so one of 28 noisy votes
// (temperature 0.05) nearly always fails and the Council stalls (deadlock 0.999). At
// status quo 0 the step is large, the Council adopts (deadlock 0.095) and enhanced
// cooperation adds little (progress 0.263, se 0.004, against 0.245, se 0.004, 200
// runs: 3 standard errors).

/// Enhanced cooperation: a coalition is founded only with at least nine members (and
/// cannot decide below nine), so every coalition that ever existed reached nine; the
/// willing go ahead where the unanimous Council stalls (a last resort it nearly always
/// is, and the Council grants 93% of requests), so progress rises although the Council
/// deadlocks as before. Measured (200 runs each, unanimity, status quo 0.3): 193
/// coalitions (0.97 a run); progress 0.0478 (se 0.0029) with enhanced cooperation,
/// 0.0003 (se 0.0001) without, 16 standard errors; productive_size 20.9 (se 0.27, 139
/// runs with progress).
#[test]
fn enhanced_cooperation_lets_nine_or_more_go_ahead() {
    let ec = load("eu-enhanced-cooperation", &[]);
    let alone = load("eu-enhanced-cooperation", &["coalitions.enabled=false"]);
    let sizes = peak_sizes(&ec, 200);
    assert!(!sizes.is_empty(), "no enhanced cooperation in 200 runs");
    assert!(
        sizes.iter().all(|&s| s >= 9),
        "a coalition below min_size 9: smallest peak size {:?}",
        sizes.iter().min()
    );
    let a = summaries(&ec, 200);
    let b = summaries(&alone, 200);
    assert_greater(
        "progress, unanimity with vs without enhanced cooperation",
        mean_of(&ec, &a, "progress_integration"),
        mean_of(&alone, &b, "progress_integration"),
        4.0,
    );
    let (size, _) = mean_of(&ec, &a, "productive_size");
    assert!(size >= 9.0, "productive size {size} below 9");
}

/// The nine-member threshold changes who goes ahead: with min_size 2 any pair may, so
/// more and smaller coalitions form, each giving a voice to fewer states; with 9 a
/// few large vanguards form, and what they do has more of the EU's population behind
/// it. Both authorised by the Council. Measured (200 runs each, unanimity, status quo
/// 0.3): coalitions founded 0.97 (se 0.05) with 9, 3.56 (se 0.09) with 2, 25 standard
/// errors; productive_size 20.9 (se 0.27, 139 runs with progress) and 17.2 (se 0.27),
/// 10 standard errors; legitimacy_population 0.663 (se 0.009, 140 runs with progress)
/// and 0.486 (se 0.008), 15 standard errors.
#[test]
fn the_nine_member_threshold_means_fewer_larger_more_legitimate_coalitions() {
    let nine = load("eu-enhanced-cooperation", &[]);
    let two = load("eu-enhanced-cooperation", &["coalitions.min_size=2"]);
    let a = summaries(&nine, 200);
    let b = summaries(&two, 200);
    assert_greater(
        "coalitions founded, min_size 2 vs 9",
        mean_of(&two, &b, "coalitions_formed"),
        mean_of(&nine, &a, "coalitions_formed"),
        4.0,
    );
    assert_greater(
        "productive size, min_size 9 vs 2",
        mean_of(&nine, &a, "productive_size"),
        mean_of(&two, &b, "productive_size"),
        4.0,
    );
    assert_greater(
        "legitimacy (population), min_size 9 vs 2",
        mean_of(&nine, &a, "legitimacy_population"),
        mean_of(&two, &b, "legitimacy_population"),
        4.0,
    );
}

/// Enhanced cooperation works because its participants decide by QMV among
/// themselves; if they too need unanimity, a vanguard that includes a laggard stalls
/// like a small Council. Measured (200 runs each, status quo 0.3): progress 0.0478
/// (se 0.0029) with QMV among participants, 0.0110 (se 0.0009) with unanimity, 12
/// standard errors.
#[test]
fn enhanced_cooperation_needs_majority_voting_among_its_participants() {
    let qmv = load("eu-enhanced-cooperation", &[]);
    let unanimity = load("eu-enhanced-cooperation", &["coalitions.rule=unanimity"]);
    assert_greater(
        "progress, participants deciding by QMV vs unanimity",
        mean_of(&qmv, &summaries(&qmv, 200), "progress_integration"),
        mean_of(
            &unanimity,
            &summaries(&unanimity, 200),
            "progress_integration",
        ),
        4.0,
    );
}

/// Enhanced cooperation is a last resort: under a Council that decides by qualified
/// majority (and so seldom fails) an authorised vanguard almost never forms, while an
/// unconstrained one (no authorisation, any time) forms as under unanimity and takes a
/// share of the progress, so less of what is done has the whole Union behind it.
/// Measured (200 runs each, the full double majority): coalitions founded 0.025 (se
/// 0.011) authorised, 1.01 (se 0.05) unconstrained, 19 standard errors; share of
/// progress by coalitions 0.003 (se 0.0015) and 0.125 (se 0.007), 16 standard errors;
/// legitimacy_population 0.999 (se 0.0006) and 0.958 (se 0.003), 16 standard errors.
#[test]
fn under_qualified_majority_the_last_resort_leaves_no_room_for_a_vanguard() {
    let authorised = load("eu-enhanced-cooperation", &QMV);
    let free = load("eu-enhanced-cooperation", &qmv(&[UNCONSTRAINED]));
    let a = summaries(&authorised, 200);
    let f = summaries(&free, 200);
    assert!(free.coalitions.authorised_by.is_none());
    assert_greater(
        "coalitions founded under QMV, unconstrained vs authorised",
        mean_of(&free, &f, "coalitions_formed"),
        mean_of(&authorised, &a, "coalitions_formed"),
        4.0,
    );
    assert_greater(
        "coalitions' share of progress under QMV, unconstrained vs authorised",
        mean_of(&free, &f, "minilateral_share"),
        mean_of(&authorised, &a, "minilateral_share"),
        4.0,
    );
    assert_greater(
        "legitimacy (population) under QMV, authorised vs unconstrained",
        mean_of(&authorised, &a, "legitimacy_population"),
        mean_of(&free, &f, "legitimacy_population"),
        4.0,
    );
}

/// The empty chair under unanimity (`disengage_after`): an absent member does not
/// prevent unanimity (Art. 238(4) TFEU counts it as abstaining), and the members that
/// stay away are those the Council failed on a step they wanted, most of them barely
/// above the status quo and so the likeliest to reject by noise. Their absence unblocks
/// the Council: the model follows the treaty, not the 1965 crisis, when France's empty
/// chair paralysed the Council by convention. Measured (200 runs each): deadlock 0.9987
/// (se 0.0007) attending, 0.9322 (se 0.0066) with the empty chair (10 standard errors).
#[test]
fn under_unanimity_the_empty_chair_unblocks_the_council() {
    let attending = load("eu-enhanced-cooperation", &[]);
    let away = load("eu-enhanced-cooperation", &["bodies.EU.disengage_after=2"]);
    let a = summaries(&attending, 200);
    let b = summaries(&away, 200);
    assert_greater(
        "EU deadlock, attending vs empty chair",
        mean_of(&attending, &a, "deadlock_EU"),
        mean_of(&away, &b, "deadlock_EU"),
        4.0,
    );
}
