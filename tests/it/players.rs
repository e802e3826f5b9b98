//! Classroom play in the core (`Observer::plays`, `decide_votes`, `decide_move`, the
//! hooks `minilat serve` answers through): players who never change an answer leave
//! the run exactly as it is; answers the players give are the ones counted.

use minilat::engine::{RunKey, run};
use minilat::metrics::{Ballot, Discard, Event, Observer, RunSummary, TickMetrics};
use minilat::model::World;
use minilat::model::ids::StateId;
use minilat::model::venue::Action;
use minilat::rules::Voter;
use minilat::scenario::Scenario;

use crate::fixtures::CLASSROOM;
use crate::repo;

/// Plays every state: votes as `vote` says (None: the model's answer), reviews as
/// `stay` says (Some(true): always stay; None: the model's choice).
#[derive(Default)]
struct Everyone {
    vote: Option<bool>,
    stay: bool,
    votes: u32,
    moves: u32,
}

impl Observer for Everyone {
    fn on_tick(&mut self, _: &TickMetrics) {}

    fn on_event(&mut self, _: u32, _: &Event<'_>) {}

    fn plays(&self) -> bool {
        true
    }

    fn decide_votes(&mut self, _: &World, _: &Ballot, voters: &mut [Voter]) {
        for v in voters.iter_mut().filter(|v| !v.abstains) {
            self.votes += 1;
            if let Some(a) = self.vote {
                v.accepts = a;
            }
        }
    }

    fn decide_move(
        &mut self,
        _: &World,
        _: StateId,
        options: &[(Action, f64)],
        _: usize,
    ) -> Option<usize> {
        self.moves += 1;
        assert_eq!(
            options[0].0,
            Action::Stay,
            "staying is always the first option"
        );
        self.stay.then_some(0)
    }
}

fn classroom() -> Scenario {
    Scenario::from_path(&repo(CLASSROOM), &[])
        .expect("classroom loads")
        .scenario
}

fn play(scenario: &Scenario, players: &mut Everyone) -> RunSummary {
    run(
        scenario,
        RunKey {
            point: 0,
            replicate: 3,
        },
        players,
    )
}

#[test]
fn players_who_keep_the_models_answers_leave_the_run_as_it_is() {
    let s = classroom();
    let alone = run(
        &s,
        RunKey {
            point: 0,
            replicate: 3,
        },
        &mut Discard,
    );
    let mut players = Everyone::default();
    let played = play(&s, &mut players);
    assert!(players.votes > 0 && players.moves > 0, "nobody was asked");
    assert_eq!(format!("{alone:?}"), format!("{played:?}"));
}

#[test]
fn players_who_reject_every_measure_block_every_venue() {
    let s = classroom();
    let mut players = Everyone {
        vote: Some(false),
        ..Everyone::default()
    };
    let r = play(&s, &mut players);
    assert!(players.votes > 0);
    assert!(r.progress.iter().all(|&p| p == 0.0), "{:?}", r.progress);
    assert!(r.deadlock.iter().all(|&d| d == 1.0), "{:?}", r.deadlock);
}

#[test]
fn players_who_accept_every_measure_end_the_consensus_deadlock() {
    let s = classroom();
    let alone = run(
        &s,
        RunKey {
            point: 0,
            replicate: 3,
        },
        &mut Discard,
    );
    let mut players = Everyone {
        vote: Some(true),
        ..Everyone::default()
    };
    let r = play(&s, &mut players);
    // Both bodies decide by consensus and deadlock without players (docs/teaching.md).
    assert!(
        alone.deadlock.iter().all(|&d| d == 1.0),
        "{:?}",
        alone.deadlock
    );
    assert!(r.deadlock.iter().all(|&d| d == 0.0), "{:?}", r.deadlock);
}

#[test]
fn players_who_always_stay_found_no_coalition() {
    let s = classroom();
    let alone = run(
        &s,
        RunKey {
            point: 0,
            replicate: 3,
        },
        &mut Discard,
    );
    let mut players = Everyone {
        stay: true,
        ..Everyone::default()
    };
    let r = play(&s, &mut players);
    assert!(alone.coalitions_formed > 0.0);
    assert!(players.moves > 0);
    assert_eq!(r.coalitions_formed, 0.0);
}
