//! `minilat story FILE`: one run told as a Markdown narrative for handouts and for
//! readers without a terminal UI. The run is row K of `minilat run` (`RunKey { point:
//! 0, replicate: K }`); its events come from a [`Recorder`] and single events are told
//! by [`narrate::sentence`], so `watch` and `story` tell a run the same way.
//!
//! The text: a title and the setting (states, issues, bodies and their rules, seed and
//! run); the run in stretches of ticks (`## Ticks 0–19`), one paragraph per tick in
//! which something happened, with routine votes counted at the end of each stretch;
//! then `## Summary`: who led, which coalitions lasted and why, what was achieved.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::InputError;
use crate::engine::{RunKey, Simulation};
use crate::metrics::{RunSummary, TickMetrics};
use crate::model::ids::{IssueId, StateId};
use crate::model::venue::{CoalitionKind, EndReason};
use crate::narrate::{self, CoalitionTag, Happening, Recorder, list_names, state_name};
use crate::output::OutputDir;
use crate::scenario::{Rule, Scenario, Weight};

/// Arguments of `minilat story`.
#[derive(Debug, clap::Args)]
pub struct StoryArgs {
    /// Scenario file (TOML), or the name of a shipped scenario (see `minilat list`).
    pub file: PathBuf,
    /// Master seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Run (replicate) to tell: the same run as row K of `minilat run`.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub run: u32,
    /// Override a scenario field (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Write the story to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace the file given by --out if it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// Runs `minilat story`.
pub fn story(args: StoryArgs) -> Result<()> {
    let loaded = super::load_run(&args.file, &args.set, args.seed, args.run)?;
    for w in &loaded.warnings {
        eprintln!("minilat: warning: {w}");
    }
    let scenario = &loaded.scenario;
    if let Some(out) = &args.out {
        refuse_clobber(out, args.force)?;
    }
    let text = tell(scenario, args.run);
    match &args.out {
        Some(out) => write_atomically(out, text.as_bytes()),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`minilat story ... | head`) is not a failure.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(()),
            }
        }
    }
}

/// Refuses an existing `out` (or a directory) unless `force`.
fn refuse_clobber(out: &Path, force: bool) -> Result<()> {
    if out.is_dir() {
        return Err(InputError(format!(
            "--out {}: is a directory; give a file name such as story.md",
            out.display()
        ))
        .into());
    }
    if out.exists() && !force {
        return Err(InputError(format!(
            "{} already exists; use --force to replace it, or another --out FILE",
            out.display()
        ))
        .into());
    }
    Ok(())
}

/// Writes `bytes` to `out` through `out.partial`, renamed when complete.
fn write_atomically(out: &Path, bytes: &[u8]) -> Result<()> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| InputError(format!("--out {}: not a file name", out.display())))?;
    let dir = out.parent().unwrap_or(Path::new(""));
    OutputDir::existing(dir).write_all(name, bytes)?;
    Ok(())
}

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

/// "1st", "2nd", "3rd", "4th", "11th", "21st".
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "1 coalition", "3 coalitions".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The number in words up to twelve, else in digits.
fn number_word(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// "every tick", "every 5 ticks".
fn every(delay: u32) -> String {
    if delay == 1 {
        "every tick".into()
    } else {
        format!("every {delay} ticks")
    }
}

/// A share as a whole percentage ("23%").
fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// The first letter in upper case.
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "a, b and c" of already formatted parts.
fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Ticks per stretch of the narrative: about six stretches, a multiple of five when
/// longer than five ticks (120 ticks: 20; 60: 10).
fn stretch_length(ticks: u32) -> u32 {
    let l = ticks.div_ceil(6).max(1);
    if l > 5 { l.div_ceil(5) * 5 } else { l }
}

/// The rule's name in a few words ("by consensus").
fn rule_short(rule: &Rule) -> &'static str {
    match rule {
        Rule::Unanimity => "by unanimity",
        Rule::Consensus { .. } => "by consensus",
        Rule::Veto { .. } => "by majority with vetoes",
        Rule::Qmv { .. } => "by qualified majority",
    }
}

/// How a venue decides, in words: "by consensus: every member that cares ...".
fn rule_words(scenario: &Scenario, rule: &Rule) -> String {
    match rule {
        Rule::Unanimity => "by unanimity: every member must accept, so the proposal is what \
                            the least ambitious member wants"
            .into(),
        Rule::Consensus { abstain_below } => format!(
            "by consensus: every member that cares (salience {abstain_below} or more) must \
             accept, so the proposal is what the least ambitious of them wants"
        ),
        Rule::Veto { majority, holders } => {
            let majority = if *majority >= 1.0 {
                "all members".to_string()
            } else {
                format!("more than {} of the members", pct(*majority))
            };
            if holders.is_empty() {
                format!("by majority: {majority} must accept")
            } else {
                format!(
                    "by majority: {majority} must accept, and {} can {}veto",
                    list_names(scenario, holders, 6),
                    if holders.len() > 1 { "each " } else { "" }
                )
            }
        }
        Rule::Qmv {
            count,
            weight,
            weight_by,
        } => {
            let (count, weight) = match (count, weight) {
                (None, None) => (Some(0.55), Some(0.65)),
                other => (other.0.to_owned(), other.1.to_owned()),
            };
            let by = match weight_by {
                Weight::Population => "population".to_string(),
                Weight::IssueCapability => "the issue's capability".to_string(),
                Weight::Capability(c) => scenario.capabilities[c.index()].clone(),
            };
            let mut parts = Vec::new();
            if let Some(c) = count {
                parts.push(format!("{} of the members", pct(c)));
            }
            if let Some(w) = weight {
                parts.push(format!("{} of the {by}", pct(w)));
            }
            format!("by qualified majority: {} must accept", and_list(&parts))
        }
    }
}

/// What kind of good an issue is, in words.
fn good_words(excludability: f64) -> String {
    if excludability <= 0.0 {
        "a public good: every state benefits from any progress".into()
    } else if excludability >= 1.0 {
        "a club good: only the members of the venue that made progress benefit".into()
    } else {
        format!(
            "partly a club good: members keep {} of the benefit of what they agree",
            pct(excludability)
        )
    }
}

/// The setting paragraph.
fn setting(s: &Scenario, run: u32) -> String {
    let mut out = String::new();
    let voiced: Vec<StateId> = (0..s.states.len())
        .filter(|&i| !s.states[i].non_state)
        .map(StateId::from_index)
        .collect();
    let actors = s.states.len() - voiced.len();
    let states = if voiced.len() <= 15 {
        format!(
            "{} states ({})",
            capitalise(&number_word(voiced.len())),
            list_names(s, &voiced, 15)
        )
    } else if s.great_powers.is_empty() {
        format!("{} states", voiced.len())
    } else {
        format!(
            "{} states, among them {},",
            voiced.len(),
            list_names(s, &s.great_powers, 6)
        )
    };
    let actors = if actors > 0 {
        format!(
            " and {} (firms, NGOs)",
            count(actors, "non-state actor", "non-state actors")
        )
    } else {
        String::new()
    };
    let issues: Vec<String> = s
        .issues
        .iter()
        .map(|i| {
            format!(
                "*{}* ({}; progress needs the {} of the states that comply)",
                i.name,
                good_words(i.excludability),
                s.capabilities[i.capability.index()]
            )
        })
        .collect();
    let _ = write!(
        out,
        "**The setting.** {states}{actors} face {} {}: {}.",
        number_word(s.issues.len()),
        if s.issues.len() == 1 {
            "problem"
        } else {
            "problems"
        },
        and_list(&issues)
    );
    for b in &s.bodies {
        let members = if b.members.len() == voiced.len() {
            format!("all {} states", b.members.len())
        } else {
            format!(
                "{} members: {}",
                b.members.len(),
                list_names(s, &b.members, 6)
            )
        };
        let mandate: Vec<String> = b
            .mandate
            .iter()
            .map(|k| s.issues[k.index()].name.clone())
            .collect();
        let turn = if mandate.len() > 1 { " in turn" } else { "" };
        let _ = write!(
            out,
            " The **{}** ({members}) votes on {}{turn} {}, {}.",
            b.name,
            and_list(&mandate),
            every(b.delay),
            rule_words(s, &b.rule)
        );
    }
    let c = &s.coalitions;
    if c.enabled {
        let _ = write!(
            out,
            " Any state may also found a coalition on one problem, of up to {} members; \
             a coalition votes {}, {}.",
            c.max_size,
            every(c.delay),
            match s.bodies.iter().find(|b| b.rule == c.rule) {
                Some(b) => format!("{}, like the {}", rule_short(&c.rule), b.name),
                None => rule_words(s, &c.rule),
            },
        );
    } else {
        let _ = write!(
            out,
            " Coalitions are switched off: only the bodies can act."
        );
    }
    if !s.great_powers.is_empty() {
        let _ = write!(out, " Great powers: {}.", list_names(s, &s.great_powers, 8));
    }
    let challengers: Vec<StateId> = (0..s.states.len())
        .filter(|&i| s.states[i].challenger)
        .map(StateId::from_index)
        .collect();
    if !challengers.is_empty() {
        let _ = write!(
            out,
            " Challengers, who reject and veto more readily: {}.",
            list_names(s, &challengers, 8)
        );
    }
    let _ = write!(
        out,
        " This is run {run} with seed {} ({} ticks), the same run as row {run} of \
         `minilat run` with that seed.",
        s.seed, s.ticks
    );
    out
}

/// What the story knows about one coalition.
#[derive(Clone, Debug)]
struct Life {
    issue: IssueId,
    founder: StateId,
    founded: u32,
    kind: CoalitionKind,
    institutionalisation: f64,
    great_power_led: bool,
    /// Its latest known leader and tag.
    tag: CoalitionTag,
    /// Members now (at the end: when it ended).
    members: usize,
    peak: u32,
    progress: f64,
    /// Tick of the event that ended it and why.
    ended: Option<(u32, EndReason)>,
}

impl Life {
    /// Lifetime as in `coalitions.csv`: a dissolution ends the coalition at the next
    /// tick, a coalition still active when the run ends at its end.
    fn lifetime(&self, ticks: u32) -> u32 {
        let end = match self.ended {
            None | Some((_, EndReason::RunEnded)) => ticks,
            Some((t, _)) => t + 1,
        };
        end - self.founded
    }
}

/// Counters of a body's consecutive failures, to tell streaks.
#[derive(Clone, Debug, Default)]
struct Streak {
    fails: u32,
    vetoes: u32,
    last_vetoers: Vec<StateId>,
}

impl Streak {
    /// Updates the streak with a vote and returns whether to tell it and what to add
    /// to its sentence.
    fn vote(&mut self, adopted: bool, vetoed: &[StateId]) -> (bool, String) {
        if adopted {
            let note = if self.fails >= 3 {
                format!(", after {} failed votes in a row", self.fails)
            } else {
                String::new()
            };
            *self = Streak::default();
            return (true, note);
        }
        self.fails += 1;
        let changed = if vetoed.is_empty() {
            self.vetoes = 0;
            false
        } else {
            self.vetoes += 1;
            let changed = self.last_vetoers != vetoed;
            self.last_vetoers = vetoed.to_vec();
            changed
        };
        // The first failure, the first vetoes of a streak, a change of vetoers and
        // every fifth failure in a row; the others are counted.
        let tell = self.fails == 1
            || (1..=3).contains(&self.vetoes)
            || changed
            || self.fails.is_multiple_of(5);
        let note = if self.vetoes >= 2 {
            format!(" ({} veto in a row)", ordinal(self.vetoes))
        } else if self.fails >= 2 {
            format!(" ({} failed vote in a row)", ordinal(self.fails))
        } else {
            String::new()
        };
        (tell, note)
    }
}

/// Per-state coalition spells, for "who was in coalitions longest".
#[derive(Clone, Debug, Default)]
struct Spells {
    /// Per state: open spells (coalition serial, start tick).
    open: Vec<Vec<(u32, u32)>>,
    /// Per state: closed spells (start, end).
    closed: Vec<Vec<(u32, u32)>>,
}

impl Spells {
    fn new(n: usize) -> Self {
        Spells {
            open: vec![Vec::new(); n],
            closed: vec![Vec::new(); n],
        }
    }

    fn enter(&mut self, state: StateId, serial: u32, tick: u32) {
        self.open[state.index()].push((serial, tick));
    }

    fn leave(&mut self, state: StateId, serial: u32, tick: u32) {
        let open = &mut self.open[state.index()];
        if let Some(pos) = open.iter().position(|&(c, _)| c == serial) {
            let (_, start) = open.remove(pos);
            self.closed[state.index()].push((start, tick));
        }
    }

    /// Ticks in which the state was in at least one coalition (union of its spells).
    fn covered(&self, state: StateId, end: u32) -> u32 {
        let mut spells: Vec<(u32, u32)> = self.closed[state.index()].clone();
        spells.extend(self.open[state.index()].iter().map(|&(_, s)| (s, end)));
        spells.sort_unstable();
        let mut total = 0;
        let mut reach = 0;
        for (a, b) in spells {
            let a = a.max(reach);
            if b > a {
                total += b - a;
                reach = b;
            }
        }
        total
    }
}

/// Counts of one stretch, told at its end.
#[derive(Default)]
struct Tally {
    /// Per body: (votes, adopted).
    body_votes: Vec<(u32, u32)>,
    /// Per coalition serial: (latest tag, votes, adopted).
    coalition_votes: BTreeMap<u32, (CoalitionTag, u32, u32)>,
    /// Applicants turned away, with how often.
    refused: BTreeMap<StateId, u32>,
    /// States at the limit of their bandwidth that gave up a seat in a coalition that
    /// went on without them, with how often.
    gave_up: BTreeMap<StateId, u32>,
    /// In a busy run: joins per coalition serial, and departures, counted.
    joined: BTreeMap<u32, u32>,
    left: u32,
}

/// Joins and departures in a run above which they are counted, not told one by one
/// (the classroom scenario has about 50; 195-state scenarios have hundreds).
const BUSY: usize = 150;

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
    let _ = writeln!(out, "{}\n", setting(s, run));
    // A busy run (many states) tells its joins and departures as counts.
    let moves = rec
        .events
        .iter()
        .filter(|e| matches!(e.what, Happening::Joined { .. } | Happening::Left { .. }))
        .count();
    let busy = moves > BUSY;
    let _ = writeln!(
        out,
        "Below, every tick in which something happened has a paragraph. The coalitions' \
         routine votes, the bodies' repeated failures and {} are counted at the end of \
         each stretch of ticks.\n",
        if busy {
            "(in a run this busy) the joins and the departures that did not end a coalition"
        } else {
            "routine departures"
        }
    );

    // Coalitions dissolved (not at the run's end), by (tick, serial): a departure that
    // ends one is always told.
    let dissolved: std::collections::BTreeSet<(u32, u32)> = rec
        .events
        .iter()
        .filter_map(|e| match &e.what {
            Happening::Ended {
                coalition, reason, ..
            } if *reason != EndReason::RunEnded => Some((e.tick, coalition.serial)),
            _ => None,
        })
        .collect();

    let mut lives: BTreeMap<u32, Life> = BTreeMap::new();
    let mut streaks = vec![Streak::default(); s.bodies.len()];
    let mut spells = Spells::new(s.states.len());
    // Whole run: per body (votes, adopted, endorsements) and vetoes per state.
    let mut body_totals = vec![(0u32, 0u32, 0u32); s.bodies.len()];
    let mut vetoes: Vec<BTreeMap<StateId, u32>> = vec![BTreeMap::new(); s.bodies.len()];
    let mut crises: Vec<(u32, IssueId)> = Vec::new();

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
            let mut told: Option<String> = None;
            match &e.what {
                Happening::BodyVote {
                    body,
                    adopted,
                    vetoed,
                    ..
                } => {
                    let b = body.index();
                    tally.body_votes[b].0 += 1;
                    body_totals[b].0 += 1;
                    if *adopted {
                        tally.body_votes[b].1 += 1;
                        body_totals[b].1 += 1;
                    }
                    for v in vetoed {
                        *vetoes[b].entry(*v).or_insert(0) += 1;
                    }
                    let (tell, note) = streaks[b].vote(*adopted, vetoed);
                    if tell {
                        told = narrate::sentence(s, &e.what).map(|t| t + &note);
                    }
                }
                Happening::Endorsement { body, .. } => {
                    body_totals[body.index()].2 += 1;
                    told = narrate::sentence(s, &e.what);
                }
                Happening::CoalitionVote {
                    coalition, adopted, ..
                } => {
                    let entry = tally
                        .coalition_votes
                        .entry(coalition.serial)
                        .or_insert_with(|| (coalition.clone(), 0, 0));
                    entry.0 = coalition.clone();
                    entry.1 += 1;
                    entry.2 += u32::from(*adopted);
                    if let Some(l) = lives.get_mut(&coalition.serial) {
                        l.tag = coalition.clone();
                    }
                }
                Happening::Refused { state, .. } => {
                    *tally.refused.entry(*state).or_insert(0) += 1;
                }
                Happening::Crisis { issue } => {
                    crises.push((e.tick, *issue));
                    told = narrate::sentence(s, &e.what);
                }
                Happening::Founded {
                    coalition,
                    members,
                    kind,
                    institutionalisation,
                    great_power_led,
                    ..
                } => {
                    lives.insert(
                        coalition.serial,
                        Life {
                            issue: coalition.issue,
                            founder: coalition.leader,
                            founded: e.tick,
                            kind: *kind,
                            institutionalisation: *institutionalisation,
                            great_power_led: *great_power_led,
                            tag: coalition.clone(),
                            members: members.len(),
                            peak: members.len() as u32,
                            progress: 0.0,
                            ended: None,
                        },
                    );
                    for &m in members {
                        spells.enter(m, coalition.serial, e.tick);
                    }
                    told = narrate::sentence(s, &e.what);
                }
                Happening::Joined {
                    state,
                    coalition,
                    size,
                } => {
                    if let Some(l) = lives.get_mut(&coalition.serial) {
                        l.tag = coalition.clone();
                        l.members = *size;
                        l.peak = l.peak.max(*size as u32);
                    }
                    spells.enter(*state, coalition.serial, e.tick);
                    if busy {
                        *tally.joined.entry(coalition.serial).or_insert(0) += 1;
                    } else {
                        told = narrate::sentence(s, &e.what);
                    }
                }
                Happening::Left {
                    state,
                    coalition,
                    at_capacity,
                    ..
                } => {
                    let mut founder = false;
                    if let Some(l) = lives.get_mut(&coalition.serial) {
                        l.tag = coalition.clone();
                        l.members = l.members.saturating_sub(1);
                        founder = l.founder == *state;
                    }
                    spells.leave(*state, coalition.serial, e.tick);
                    // A state at its bandwidth giving up one seat of several is routine
                    // (counted); a judgement on the coalition, its founder walking out
                    // or a departure that ends it is told.
                    let ends = dissolved.contains(&(e.tick, coalition.serial));
                    if busy && !ends {
                        tally.left += 1;
                    } else if *at_capacity && !founder && !ends {
                        *tally.gave_up.entry(*state).or_insert(0) += 1;
                    } else {
                        told = narrate::sentence(s, &e.what);
                    }
                }
                Happening::Ended {
                    coalition,
                    reason,
                    progress,
                    peak_size,
                    members,
                    ..
                } => {
                    if let Some(l) = lives.get_mut(&coalition.serial) {
                        l.tag = coalition.clone();
                        l.members = members.len();
                        l.peak = *peak_size;
                        l.progress = *progress;
                        l.ended = Some((e.tick, *reason));
                    }
                    // Members sat in it through the tick it dissolved in.
                    let until = if *reason == EndReason::RunEnded {
                        e.tick
                    } else {
                        e.tick + 1
                    };
                    for &m in members {
                        spells.leave(m, coalition.serial, until);
                    }
                    told = narrate::sentence(s, &e.what);
                }
                Happening::IssueSolved { .. } => {
                    told = narrate::sentence(s, &e.what).map(|t| format!("**{}**", capitalise(&t)));
                }
            }
            if let Some(t) = told {
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
            stretch_close(s, &tally, &rec.ticks, end, &lives)
        );
        start = end + 1;
    }

    let ctx = SummaryInput {
        lives: &lives,
        spells: &spells,
        body_totals: &body_totals,
        vetoes: &vetoes,
        crises: &crises,
        last: rec.ticks.last(),
    };
    let _ = writeln!(out, "## Summary\n");
    for p in summarise(s, summary, &ctx) {
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

/// The closing paragraph of a stretch: votes counted, where things stand.
fn stretch_close(
    s: &Scenario,
    tally: &Tally,
    ticks: &[TickMetrics],
    end: u32,
    founded: &BTreeMap<u32, Life>,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    let bodies: Vec<String> = s
        .bodies
        .iter()
        .zip(&tally.body_votes)
        .filter(|(_, (votes, _))| *votes > 0)
        .map(|(b, (votes, adopted))| {
            let adopted = match adopted {
                0 => "adopted nothing".to_string(),
                a => format!("adopted {}", count(*a as usize, "measure", "measures")),
            };
            format!(
                "the {} voted {} and {adopted}",
                b.name,
                match votes {
                    1 => "once".to_string(),
                    2 => "twice".to_string(),
                    n => format!("{n} times"),
                }
            )
        })
        .collect();
    if !bodies.is_empty() {
        parts.push(format!("{}.", capitalise(&bodies.join("; "))));
    }
    if !tally.coalition_votes.is_empty() {
        let (votes, adopted) = tally
            .coalition_votes
            .values()
            .fold((0, 0), |(v, a), (_, cv, ca)| (v + cv, a + ca));
        let mut busiest: Vec<&(CoalitionTag, u32, u32)> = tally.coalition_votes.values().collect();
        busiest.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.serial.cmp(&b.0.serial)));
        let names = distinct_names(s, busiest.iter().map(|(tag, _, _)| tag), founded);
        let shown: Vec<String> = busiest
            .iter()
            .zip(&names)
            .take(3)
            .filter(|((_, _, a), _)| *a > 0)
            .map(|((_, v, a), name)| format!("{name} ({a} of {v})"))
            .collect();
        let detail = if shown.is_empty() {
            String::new()
        } else {
            let more = if busiest.len() > shown.len() {
                ", and others"
            } else {
                ""
            };
            format!("; the busiest: {}{more}", shown.join(", "))
        };
        parts.push(format!(
            "Coalitions adopted {} in {}{detail}.",
            count(adopted as usize, "measure", "measures"),
            count(votes as usize, "vote", "votes"),
        ));
    }
    let joins: u32 = tally.joined.values().sum();
    if joins + tally.left > 0 {
        let mut p = format!(
            "States joined coalitions {} and left them {}",
            times(joins),
            times(tally.left)
        );
        let mut grew: Vec<(&CoalitionTag, u32)> = tally
            .joined
            .iter()
            .filter_map(|(c, &n)| founded.get(c).map(|l| (&l.tag, n)))
            .collect();
        grew.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.serial.cmp(&b.0.serial)));
        let tags: Vec<&CoalitionTag> = grew.iter().map(|(t, _)| *t).collect();
        let names = distinct_names(s, tags.iter().copied(), founded);
        let shown: Vec<String> = grew
            .iter()
            .zip(&names)
            .take(3)
            .map(|((_, n), name)| format!("{name} (+{n})"))
            .collect();
        if !shown.is_empty() {
            let _ = write!(p, "; the most joined: {}", and_list(&shown));
        }
        parts.push(format!("{p}."));
    }
    if !tally.gave_up.is_empty() {
        parts.push(format!(
            "Routine departures (a state at the limit of its bandwidth giving up a seat): {}.",
            how_often(s, &tally.gave_up, 8)
        ));
    }
    if !tally.refused.is_empty() {
        let n: u32 = tally.refused.values().sum();
        parts.push(format!(
            "{} turned away: {}.",
            capitalise(&count(n as usize, "application was", "applications were")),
            how_often(s, &tally.refused, 8)
        ));
    }
    if let Some(m) = ticks.iter().rev().find(|m| m.tick <= end) {
        let progress: Vec<String> = s
            .issues
            .iter()
            .zip(&m.progress)
            .map(|(i, p)| format!("{} {}", i.name, pct(p / i.target)))
            .collect();
        let coalitions = if s.coalitions.enabled {
            format!(
                "; {} active",
                count(m.coalitions as usize, "coalition", "coalitions")
            )
        } else {
            String::new()
        };
        parts.push(format!(
            "At the end of tick {}: {} of the way to solved{coalitions}.",
            m.tick,
            and_list(&progress)
        ));
    }
    format!("> {}", parts.join(" "))
}

/// Names of coalitions by their current leader ("the climate coalition of Germany"),
/// with the founding tick added where two in the list would read the same.
fn distinct_names<'a>(
    s: &Scenario,
    tags: impl Iterator<Item = &'a CoalitionTag>,
    lives: &BTreeMap<u32, Life>,
) -> Vec<String> {
    let tags: Vec<&CoalitionTag> = tags.collect();
    let names: Vec<String> = tags.iter().map(|t| narrate::coalition_name(s, t)).collect();
    names
        .iter()
        .zip(&tags)
        .map(|(n, t)| {
            let twice = names.iter().filter(|m| *m == n).count() > 1;
            match lives.get(&t.serial) {
                Some(l) if twice => format!("{n} founded at tick {}", l.founded),
                _ => n.clone(),
            }
        })
        .collect()
}

/// What the summary reads besides the run's summary metrics.
struct SummaryInput<'a> {
    lives: &'a BTreeMap<u32, Life>,
    spells: &'a Spells,
    body_totals: &'a [(u32, u32, u32)],
    vetoes: &'a [BTreeMap<StateId, u32>],
    crises: &'a [(u32, IssueId)],
    last: Option<&'a TickMetrics>,
}

/// "once", "twice", "5 times".
fn times(n: u32) -> String {
    match n {
        0 => "no times".into(),
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// "Russia (3 times), India (twice) and Brazil", most often first, ties in state order;
/// past `max` names, "and N others".
fn how_often(s: &Scenario, counts: &BTreeMap<StateId, u32>, max: usize) -> String {
    let mut v: Vec<(StateId, u32)> = counts.iter().map(|(&k, &n)| (k, n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut parts: Vec<String> = v
        .iter()
        .take(max)
        .map(|&(k, n)| match n {
            1 => state_name(s, k).to_string(),
            2 => format!("{} (twice)", state_name(s, k)),
            n => format!("{} ({n} times)", state_name(s, k)),
        })
        .collect();
    if v.len() > max {
        parts.push(count(v.len() - max, "other", "others"));
    }
    and_list(&parts)
}

/// "Germany (4), France (3) and Brazil (1)", largest first, ties in state order;
/// past `max` names, "and N others (M between them)", so that the counts still add up
/// to the total (a list cut without saying so would read as complete).
fn ranked(s: &Scenario, counts: &BTreeMap<StateId, u32>, max: usize) -> String {
    let mut v: Vec<(StateId, u32)> = counts.iter().map(|(&k, &n)| (k, n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut parts: Vec<String> = v
        .iter()
        .take(max)
        .map(|(k, n)| format!("{} ({n})", state_name(s, *k)))
        .collect();
    if let Some(rest) = v.get(max..).filter(|r| !r.is_empty()) {
        let total: u32 = rest.iter().map(|(_, n)| n).sum();
        parts.push(match rest.len() {
            1 => format!("1 other ({total})"),
            n => format!("{n} others ({total} between them)"),
        });
    }
    and_list(&parts)
}

/// The coalition as founded: "the climate coalition of Germany".
fn founded_name(s: &Scenario, l: &Life) -> String {
    narrate::coalition_name(
        s,
        &CoalitionTag {
            serial: l.tag.serial,
            issue: l.issue,
            leader: l.founder,
            founder: l.founder,
        },
    )
}

/// The summary's paragraphs: who led, which coalitions lasted and why, what was
/// achieved.
fn summarise(s: &Scenario, sum: &RunSummary, ctx: &SummaryInput<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let lives = ctx.lives;

    // Who led.
    out.push("### Who led".to_string());
    if !s.coalitions.enabled {
        out.push("Coalitions were switched off: the bodies were the only venues.".into());
    } else if lives.is_empty() {
        out.push("No coalition was founded: no state found partners willing to join it.".into());
    } else {
        let great = lives.values().filter(|l| l.great_power_led).count();
        let micro = lives.len() - great;
        let mut founders: BTreeMap<StateId, u32> = BTreeMap::new();
        for l in lives.values() {
            *founders.entry(l.founder).or_insert(0) += 1;
        }
        let mut p = format!(
            "{} founded: {great} led by great powers and {} (led by smaller states). \
             Founders: {}.",
            capitalise(&count(lives.len(), "coalition was", "coalitions were")),
            count(micro, "microlateral", "microlaterals"),
            ranked(s, &founders, 6)
        );
        let rates: Vec<String> = [
            ("microlaterals", sum.adoption_microlateral),
            ("great-power-led coalitions", sum.adoption_great_power),
        ]
        .iter()
        .filter(|(_, r)| r.is_finite())
        .map(|(who, r)| format!("{who} {}", pct(*r)))
        .collect();
        if !rates.is_empty() {
            let _ = write!(
                p,
                " Share of their votes that adopted a measure: {}.",
                and_list(&rates)
            );
        }
        let end = s.ticks;
        let mut engaged: Vec<(StateId, u32)> = (0..s.states.len())
            .map(StateId::from_index)
            .map(|i| (i, ctx.spells.covered(i, end)))
            .collect();
        engaged.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let top: Vec<String> = engaged
            .iter()
            .take(3)
            .filter(|(_, t)| *t > 0)
            .map(|(i, t)| format!("{} ({t})", state_name(s, *i)))
            .collect();
        if !top.is_empty() {
            let _ = write!(
                p,
                " Most engaged (ticks in at least one coalition, of {end}): {}.",
                and_list(&top)
            );
        }
        let never: Vec<StateId> = engaged
            .iter()
            .filter(|(i, t)| *t == 0 && !s.states[i.index()].non_state)
            .map(|(i, _)| *i)
            .collect();
        if !never.is_empty() {
            let mut never = never;
            never.sort();
            let _ = write!(p, " Never in a coalition: {}.", list_names(s, &never, 8));
        }
        out.push(p);
        let active: Vec<String> = lives
            .values()
            .filter(|l| matches!(l.ended, Some((_, EndReason::RunEnded))))
            .map(|l| {
                format!(
                    "{} ({})",
                    narrate::coalition_name(s, &l.tag),
                    count(l.members, "member", "members")
                )
            })
            .collect();
        if active.is_empty() {
            out.push("No coalition was still active when the run ended.".into());
        } else {
            out.push(format!("Still active at the end: {}.", and_list(&active)));
        }
    }

    // Which coalitions lasted, and why.
    if s.coalitions.enabled && !lives.is_empty() {
        out.push("### Which coalitions lasted, and why".to_string());
        let mut by_life: Vec<&Life> = lives.values().collect();
        by_life.sort_by(|a, b| {
            b.lifetime(s.ticks)
                .cmp(&a.lifetime(s.ticks))
                .then(a.tag.serial.cmp(&b.tag.serial))
        });
        let mean = by_life
            .iter()
            .map(|l| f64::from(l.lifetime(s.ticks)))
            .sum::<f64>()
            / by_life.len() as f64;
        let mut items = vec![format!(
            "Coalitions lasted {mean:.0} ticks on average. The longest-lived:"
        )];
        for l in by_life.iter().take(3) {
            items.push(format!("- {}", life_line(s, l)));
        }
        out.push(items.join("\n"));

        let reasons = [
            EndReason::TooSmall,
            EndReason::Hazard,
            EndReason::GoalMet,
            EndReason::Deadline,
            EndReason::IssueSolved,
            EndReason::Merged,
            EndReason::RunEnded,
        ];
        let mut items = vec![format!(
            "How the {} ended:",
            count(lives.len(), "coalition", "coalitions")
        )];
        for r in reasons {
            let n = lives
                .values()
                .filter(|l| l.ended.map(|(_, x)| x) == Some(r))
                .count();
            if n > 0 {
                let why = if r == EndReason::RunEnded {
                    "still active when the run ended"
                } else {
                    narrate::end_reason(r)
                };
                items.push(format!("- {n}: {why}"));
            }
        }
        out.push(items.join("\n"));

        let mut pairs = Vec::new();
        for (a, b, x, y) in [
            ("bloc", "issue-based", sum.lifetime_bloc, sum.lifetime_issue),
            (
                "institutionalised",
                "informal",
                sum.lifetime_institutional,
                sum.lifetime_informal,
            ),
            (
                "microlaterals",
                "great-power-led",
                sum.lifetime_microlateral,
                sum.lifetime_great_power,
            ),
        ] {
            match (x.is_finite(), y.is_finite()) {
                (true, true) => pairs.push(format!("{a} {x:.0} against {b} {y:.0}")),
                (true, false) => pairs.push(format!("{a} {x:.0} (no {b} ones)")),
                (false, true) => pairs.push(format!("{b} {y:.0} (no {a} ones)")),
                (false, false) => {}
            }
        }
        let mut p = String::from(
            "Why: a state leaves a coalition when membership costs it more than it \
             delivers, and a coalition with fewer than two members ends; the rest may \
             drift apart, less often when the members share groups (bloc coalitions) or \
             built a light institution.",
        );
        if !pairs.is_empty() {
            let _ = write!(p, " Mean lifetimes in ticks: {}.", pairs.join("; "));
        }
        out.push(p);
    }

    // What was achieved.
    out.push("### What was achieved".to_string());
    let mut items = Vec::new();
    for (k, issue) in s.issues.iter().enumerate() {
        let progress = sum.progress[k];
        let solved = sum.time_to_solve[k];
        let mut line = if solved.is_finite() {
            format!(
                "**{}** was solved at tick {solved:.0}",
                capitalise(&issue.name)
            )
        } else {
            format!(
                "**{}** got {} of the way to solved",
                capitalise(&issue.name),
                pct(progress / issue.target)
            )
        };
        if let Some(m) = ctx.last {
            let (b, c) = (m.produced_bodies[k], m.produced_coalitions[k]);
            if b + c > 0.0 {
                let _ = write!(
                    line,
                    "; {} of its progress came from coalitions, {} from the bodies",
                    pct(c / (b + c)),
                    pct(b / (b + c))
                );
            } else {
                line.push_str("; no venue produced anything on it");
            }
        }
        let crises: Vec<String> = ctx
            .crises
            .iter()
            .filter(|(_, i)| i.index() == k)
            .map(|(t, _)| t.to_string())
            .collect();
        match crises.len() {
            0 => {}
            1 => {
                let _ = write!(line, "; a crisis broke out at tick {}", crises[0]);
            }
            n => {
                let _ = write!(line, "; {n} crises broke out (ticks {})", and_list(&crises));
            }
        }
        items.push(format!("- {line}."));
    }
    for (b, body) in s.bodies.iter().enumerate() {
        let (votes, adopted, endorsed) = ctx.body_totals[b];
        let mut line = if votes == 0 {
            format!("the **{}** never voted", body.name)
        } else {
            format!(
                "the **{}** adopted {adopted} of its {} (deadlock {})",
                body.name,
                count(votes as usize, "proposal", "proposals"),
                pct(sum.deadlock[b])
            )
        };
        if !ctx.vetoes[b].is_empty() {
            let _ = write!(line, "; vetoes: {}", ranked(s, &ctx.vetoes[b], 5));
        }
        if endorsed > 0 {
            let _ = write!(
                line,
                "; it took up {} as building blocks",
                count(endorsed as usize, "coalition measure", "coalition measures")
            );
        }
        items.push(format!("- {}.", capitalise(&line)));
    }
    out.push(items.join("\n"));
    let mut p = format!(
        "Overall {} of all progress came from coalitions.",
        pct(sum.minilateral_share)
    );
    if sum.free_riding_rate.is_finite() {
        let _ = write!(
            p,
            " States free-rode (did not carry out a measure their venue adopted) in {} of \
             their decisions.",
            pct(sum.free_riding_rate)
        );
    }
    if sum.legitimacy_states.is_finite() {
        let _ = write!(
            p,
            " The venues that made the progress gave a voice to {} of the states on average \
             (legitimacy).",
            pct(sum.legitimacy_states)
        );
    }
    out.push(p);
    out
}

/// One longest-lived coalition in a sentence.
fn life_line(s: &Scenario, l: &Life) -> String {
    let kind = match l.kind {
        CoalitionKind::Bloc => "bloc",
        CoalitionKind::Issue => "issue-based",
    };
    let inst = if l.institutionalisation >= 0.5 {
        "institutionalised"
    } else {
        "informal"
    };
    let led = if l.great_power_led {
        "great-power-led"
    } else {
        "a microlateral"
    };
    let later = if l.tag.leader != l.founder {
        format!(", later led by {}", state_name(s, l.tag.leader))
    } else {
        String::new()
    };
    let end = match l.ended {
        Some((_, EndReason::RunEnded)) | None => {
            "it was still active when the run ended".to_string()
        }
        Some((t, r)) => format!("it dissolved at tick {t}: {}", narrate::end_reason(r)),
    };
    format!(
        "**{}** (founded at tick {}; {kind}, {inst}, {led}{later}) lasted {} ticks \
         with up to {} and produced {:.2} of {} progress; {end}.",
        capitalise(&founded_name(s, l)),
        l.founded,
        l.lifetime(s.ticks),
        count(l.peak as usize, "member", "members"),
        l.progress,
        s.issues[l.issue.index()].name
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classroom() -> Scenario {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/classroom.toml");
        Scenario::from_path(&path, &[])
            .expect("scenarios/classroom.toml validates")
            .scenario
    }

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
    fn ordinals_and_words() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
        assert_eq!(count(1, "tick", "ticks"), "1 tick");
        assert_eq!(count(0, "tick", "ticks"), "0 ticks");
        assert_eq!(number_word(12), "twelve");
        assert_eq!(number_word(13), "13");
        assert_eq!(
            and_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(capitalise("the UNSC"), "The UNSC");
        assert_eq!(pct(0.234), "23%");
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
    fn streaks_tell_the_first_failures_changes_and_every_fifth() {
        let (china, russia) = (StateId(1), StateId(2));
        let mut s = Streak::default();
        let mut told = Vec::new();
        for _ in 0..6 {
            told.push(s.vote(false, &[china]));
        }
        told.push(s.vote(false, &[china, russia]));
        told.push(s.vote(false, &[]));
        told.push(s.vote(true, &[]));
        let tell: Vec<bool> = told.iter().map(|t| t.0).collect();
        assert_eq!(
            tell,
            [true, true, true, false, true, false, true, false, true]
        );
        // Failures without vetoes: the first and every fifth.
        let mut g = Streak::default();
        let tell: Vec<bool> = (0..10).map(|_| g.vote(false, &[]).0).collect();
        assert_eq!(
            tell,
            [
                true, false, false, false, true, false, false, false, false, true
            ]
        );
        assert_eq!(told[0].1, "");
        assert_eq!(told[1].1, " (2nd veto in a row)");
        assert_eq!(told[6].1, " (7th veto in a row)");
        assert_eq!(told[7].1, " (8th failed vote in a row)");
        assert_eq!(told[8].1, ", after 8 failed votes in a row");
        // An adoption resets the streak; a short streak is not mentioned.
        assert_eq!(s.vote(false, &[]).1, "");
        assert_eq!(s.vote(true, &[]).1, "");
    }

    #[test]
    fn spells_count_ticks_in_at_least_one_coalition() {
        let mut sp = Spells::new(2);
        let a = StateId(0);
        sp.enter(a, 0, 2);
        sp.enter(a, 1, 5);
        sp.leave(a, 0, 8);
        sp.leave(a, 1, 10);
        sp.enter(a, 2, 20);
        // 2..10 (overlapping spells count once) and 20..30 (still open at the end).
        assert_eq!(sp.covered(a, 30), 18);
        assert_eq!(sp.covered(StateId(1), 30), 0);
        // Leaving a coalition one is not in changes nothing.
        sp.leave(StateId(1), 7, 9);
        assert_eq!(sp.covered(StateId(1), 30), 0);
    }

    #[test]
    fn rules_are_told_in_words() {
        let s = classroom();
        let veto = &s.bodies[0].rule;
        assert_eq!(
            rule_words(&s, veto),
            "by majority: more than 50% of the members must accept, and United States, China, \
             Russia, France and United Kingdom can each veto"
        );
        let qmv = Rule::Qmv {
            count: None,
            weight: None,
            weight_by: Weight::Population,
        };
        assert_eq!(
            rule_words(&s, &qmv),
            "by qualified majority: 55% of the members and 65% of the population must accept"
        );
        assert_eq!(
            good_words(0.0),
            "a public good: every state benefits from any progress"
        );
        let one = Rule::Veto {
            majority: 1.0,
            holders: vec![StateId(0)],
        };
        assert_eq!(
            rule_words(&s, &one),
            "by majority: all members must accept, and United States can veto"
        );
        assert_eq!(
            good_words(0.6),
            "partly a club good: members keep 60% of the benefit of what they agree"
        );
    }

    #[test]
    fn repeated_names_are_counted_and_long_lists_cut() {
        let s = classroom();
        let counts: BTreeMap<StateId, u32> = [
            (StateId(2), 3),
            (StateId(0), 1),
            (StateId(3), 2),
            (StateId(1), 1),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            how_often(&s, &counts, 8),
            "Russia (3 times), India (twice), United States and China"
        );
        assert_eq!(
            how_often(&s, &counts, 2),
            "Russia (3 times), India (twice) and 2 others"
        );
        assert_eq!(
            ranked(&s, &counts, 8),
            "Russia (3), India (2), United States (1) and China (1)"
        );
        assert_eq!(
            ranked(&s, &counts, 3),
            "Russia (3), India (2), United States (1) and 1 other (1)"
        );
        assert_eq!(
            ranked(&s, &counts, 2),
            "Russia (3), India (2) and 2 others (2 between them)"
        );
        assert_eq!(times(1), "once");
        assert_eq!(times(7), "7 times");
    }

    #[test]
    fn a_busy_run_counts_its_joins_and_departures() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/un-vs-g20.toml");
        let s = Scenario::from_path(&path, &["scenario.ticks=40".to_string()])
            .expect("un-vs-g20 validates")
            .scenario;
        let text = tell(&s, 0);
        assert!(text.contains("States joined coalitions "), "{text}");
        assert!(!text.contains(" joins the "), "{text}");
        // The classroom tells them one by one.
        let text = tell(&classroom(), 0);
        assert!(text.contains(" joins the "), "{text}");
        assert!(!text.contains("States joined coalitions "), "{text}");
    }

    #[test]
    fn an_existing_file_is_kept_without_force() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let out = dir.path().join("story.md");
        write_atomically(&out, b"first").expect("written");
        assert!(refuse_clobber(&out, false).is_err());
        assert!(refuse_clobber(&out, true).is_ok());
        assert!(refuse_clobber(dir.path(), true).is_err());
        write_atomically(&out, b"second").expect("replaced");
        assert_eq!(std::fs::read(&out).expect("readable"), b"second");
        assert!(!dir.path().join("story.md.partial").exists());
    }
}
