//! A run told as a Markdown narrative (`minilat story`), for handouts and for readers
//! without a terminal UI. The run is row K of `minilat run` (`RunKey { point: 0,
//! replicate: K }`); its events come from a [`Recorder`] and single events are told
//! by [`crate::narrate::sentence`], so `watch` and `story` tell a run the same way.
//!
//! The text: a title and the setting (states, issues, bodies and their rules, seed and
//! run); the run in stretches of ticks (`## Ticks 0–19`), one paragraph per tick in
//! which something happened, with routine votes counted at the end of each stretch;
//! then `## Summary`: who led, which coalitions lasted and why, what was achieved.
//!
//! By job: [`facts`] turns what happened into what the story knows (lives, streaks,
//! spells, counts); [`setting`], [`stretch`] and [`summary`] turn facts into prose
//! sections; [`words`] has the small words; this file lays them out in Markdown.

mod facts;
mod setting;
mod stretch;
mod summary;
mod words;

use std::fmt::Write as _;

use crate::engine::{RunKey, Simulation};
use crate::metrics::RunSummary;
use crate::narrate::Recorder;
use crate::scenario::Scenario;
use facts::{Chronicle, Tally};
use summary::SummaryInput;
use words::capitalise;

/// Plays run `run` (`RunKey { point: 0, replicate: run }`) of `scenario` and tells it.
pub fn tell(scenario: &Scenario, run: u32) -> String {
    let mut rec = Recorder::default();
    let sim = Simulation::new(
        scenario,
        RunKey {
            point: 0,
            replicate: run,
        },
    );
    let summary = sim.finish(&mut rec);
    render(scenario, run, &rec, &summary)
}

/// Ticks per stretch of the narrative: about six stretches, a multiple of five when
/// longer than five ticks (120 ticks: 20; 60: 10).
fn stretch_length(ticks: u32) -> u32 {
    let l = ticks.div_ceil(6).max(1);
    if l > 5 { l.div_ceil(5) * 5 } else { l }
}

/// The story as Markdown.
fn render(s: &Scenario, run: u32, rec: &Recorder, summary: &RunSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: the story of run {run} (seed {})\n",
        s.name, s.seed
    );
    if !s.description.trim().is_empty() {
        let _ = writeln!(out, "*{}*\n", s.description.trim());
    }
    let _ = writeln!(out, "{}\n", setting::setting(s, run));
    // A busy run (many states) tells its joins and departures as counts.
    let mut chronicle = Chronicle::new(s, &rec.events);
    let _ = writeln!(
        out,
        "Below, every tick in which something happened has a paragraph. The coalitions' \
         routine votes, the bodies' repeated failures and {} are counted at the end of \
         each stretch of ticks.\n",
        if chronicle.busy {
            "(in a run this busy) the joins, the departures that did not end a coalition \
             and the changes of leader"
        } else {
            "routine departures"
        }
    );

    let step = stretch_length(s.ticks);
    let mut events = rec.events.iter().peekable();
    let mut start = 0;
    while start < s.ticks {
        let end = (start + step).min(s.ticks) - 1;
        let last = end + 1 == s.ticks;
        let mut tally = Tally {
            body_votes: vec![(0, 0); s.bodies.len()],
            ..Tally::default()
        };
        let mut paragraphs: Vec<String> = Vec::new();
        let mut current: Option<(u32, Vec<String>)> = None;
        while let Some(e) = events.next_if(|e| e.tick <= end || last) {
            for t in chronicle.note(s, &mut tally, e.tick, &e.event()) {
                let Some(t) = t else { continue };
                match &mut current {
                    Some((tick, lines)) if *tick == e.tick => lines.push(t),
                    _ => {
                        if let Some(p) = current.take() {
                            paragraphs.push(paragraph(p));
                        }
                        current = Some((e.tick, vec![t]));
                    }
                }
            }
        }
        if let Some(p) = current.take() {
            paragraphs.push(paragraph(p));
        }
        let heading = if start == end {
            format!("## Tick {start}")
        } else {
            format!("## Ticks {start}–{end}")
        };
        let _ = writeln!(out, "{heading}\n");
        if paragraphs.is_empty() {
            let _ = writeln!(out, "Nothing in particular happens.\n");
        }
        for p in paragraphs {
            let _ = writeln!(out, "{p}\n");
        }
        let _ = writeln!(
            out,
            "{}\n",
            stretch::stretch_close(s, &tally, &rec.ticks, end, &chronicle.names)
        );
        start = end + 1;
    }

    let ctx = SummaryInput {
        lives: &chronicle.lives,
        spells: &chronicle.spells,
        body_totals: &chronicle.body_totals,
        vetoes: &chronicle.vetoes,
        crises: &chronicle.crises,
        names: &chronicle.names,
        last: rec.ticks.last(),
    };
    let _ = writeln!(out, "## Summary\n");
    for p in summary::summarise(s, summary, &ctx) {
        let _ = writeln!(out, "{p}\n");
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// "**Tick 12.** First. Second."
fn paragraph((tick, lines): (u32, Vec<String>)) -> String {
    let sentences: Vec<String> = lines
        .iter()
        .map(|l| format!("{}.", capitalise(l)))
        .collect();
    format!("**Tick {tick}.** {}", sentences.join(" "))
}

/// The classroom scenario, for the tests of this module and its parts.
#[cfg(test)]
fn classroom() -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/classroom.toml");
    Scenario::from_path(&path, &[])
        .expect("scenarios/classroom.toml validates")
        .scenario
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_classroom_story_is_pinned() {
        insta::assert_snapshot!("classroom_seed1_run0", tell(&classroom(), 0));
    }

    #[test]
    fn the_story_tells_the_run_of_minilat_run() {
        let s = classroom();
        let key = RunKey {
            point: 0,
            replicate: 3,
        };
        let alone = crate::engine::run(&s, key, &mut crate::metrics::Discard);
        let mut rec = Recorder::default();
        let told = Simulation::new(&s, key).finish(&mut rec);
        // Bit for bit (NaN, "undefined", is not equal to itself).
        let bits = |r: &RunSummary| {
            let mut v = Vec::new();
            r.values(&mut v);
            v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>()
        };
        assert_eq!(bits(&alone), bits(&told));
        assert_eq!(tell(&s, 3), tell(&s, 3));
        assert_ne!(tell(&s, 3), tell(&s, 4));
    }

    #[test]
    fn stretches_are_about_a_sixth_of_the_run() {
        assert_eq!(stretch_length(120), 20);
        assert_eq!(stretch_length(60), 10);
        assert_eq!(stretch_length(100), 20);
        assert_eq!(stretch_length(8), 2);
        assert_eq!(stretch_length(1), 1);
    }

    #[test]
    fn a_busy_run_counts_its_joins_departures_and_successions() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/un-vs-g20.toml");
        let s = Scenario::from_path(&path, &["scenario.ticks=60".to_string()])
            .expect("un-vs-g20 validates")
            .scenario;
        let text = tell(&s, 0);
        assert!(text.contains("States joined coalitions "), "{text}");
        assert!(!text.contains(" joins the "), "{text}");
        // Changes of leader too, while the names still carry the new leaders.
        assert!(text.contains("Leadership of a coalition passed "), "{text}");
        assert!(!text.contains("Leadership of the "), "{text}");
        assert!(text.contains(" (now led by "), "{text}");
        // The classroom tells them one by one.
        let text = tell(&classroom(), 0);
        assert!(text.contains(" joins the "), "{text}");
        assert!(text.contains("Leadership of the "), "{text}");
        assert!(
            !text.contains("Leadership of a coalition passed "),
            "{text}"
        );
        assert!(!text.contains("States joined coalitions "), "{text}");
    }
}
