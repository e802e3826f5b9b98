//! The summary: who led, which coalitions lasted and why, what was achieved.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::facts::{Life, Spells};
use super::words::{and_list, capitalise, count, pct, ranked};
use crate::metrics::{RunSummary, TickMetrics};
use crate::model::ids::{IssueId, StateId};
use crate::model::venue::{CoalitionKind, EndReason};
use crate::narrate::{self, Names, list_names, state_name};
use crate::scenario::Scenario;

/// What the summary reads besides the run's summary metrics.
pub(super) struct SummaryInput<'a> {
    pub(super) lives: &'a BTreeMap<u32, Life>,
    pub(super) spells: &'a Spells,
    pub(super) body_totals: &'a [(u32, u32, u32)],
    pub(super) vetoes: &'a [BTreeMap<StateId, u32>],
    pub(super) crises: &'a [(u32, IssueId)],
    pub(super) last: Option<&'a TickMetrics>,
    pub(super) names: &'a Names,
}

/// One longest-lived coalition in a sentence: its name in bold and, if leadership
/// passed, "later led by" its last leader as told.
fn life_line(s: &Scenario, names: &Names, l: &Life) -> String {
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
    let name = names.name_of(s, l.serial);
    let later = match name.as_ref().and_then(|n| n.now_led_by.as_ref()) {
        Some(leader) => format!(", later led by {leader}"),
        None => String::new(),
    };
    let title = name.map_or_else(
        || "a coalition".to_string(),
        |n| format!("the {}", n.title()),
    );
    let end = match l.ended {
        Some((_, EndReason::RunEnded)) | None => {
            "it was still active when the run ended".to_string()
        }
        Some((t, r)) => format!("it dissolved at tick {t}: {}", narrate::end_reason(r)),
    };
    format!(
        "**{}** (founded at tick {}; {kind}, {inst}, {led}{later}) lasted {} ticks \
         with up to {} and produced {:.2} of {} progress; {end}.",
        capitalise(&title),
        l.founded,
        l.lifetime(s.ticks),
        count(l.peak as usize, "member", "members"),
        l.progress,
        s.issues[l.issue.index()].name
    )
}

/// The summary's paragraphs (headings included): who led, which coalitions lasted
/// and why, what was achieved.
pub(super) fn summarise(s: &Scenario, sum: &RunSummary, ctx: &SummaryInput<'_>) -> Vec<String> {
    let mut out = Vec::new();
    who_led(s, sum, ctx, &mut out);
    which_lasted(s, sum, ctx, &mut out);
    what_achieved(s, sum, ctx, &mut out);
    out
}

/// "### Who led": the founders, the most engaged states, the coalitions still active.
fn who_led(s: &Scenario, sum: &RunSummary, ctx: &SummaryInput<'_>, out: &mut Vec<String>) {
    let lives = ctx.lives;
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
            .filter_map(|l| {
                let name = ctx.names.name_of(s, l.serial)?;
                Some(name.with_note(&count(l.members, "member", "members")))
            })
            .collect();
        if active.is_empty() {
            out.push("No coalition was still active when the run ended.".into());
        } else {
            out.push(format!("Still active at the end: {}.", and_list(&active)));
        }
    }
}

/// "### Which coalitions lasted, and why" (if any was founded): the longest-lived,
/// how they ended, mean lifetimes by type.
fn which_lasted(s: &Scenario, sum: &RunSummary, ctx: &SummaryInput<'_>, out: &mut Vec<String>) {
    let lives = ctx.lives;
    if s.coalitions.enabled && !lives.is_empty() {
        out.push("### Which coalitions lasted, and why".to_string());
        let mut by_life: Vec<&Life> = lives.values().collect();
        by_life.sort_by(|a, b| {
            b.lifetime(s.ticks)
                .cmp(&a.lifetime(s.ticks))
                .then(a.serial.cmp(&b.serial))
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
            items.push(format!("- {}", life_line(s, ctx.names, l)));
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
             drift apart",
        );
        // Only what the scenario sets: a lower hazard for bloc coalitions is its
        // assumption, not a finding, and is named as one.
        let c = &s.coalitions;
        let mut less = Vec::new();
        if c.hazard_bloc < c.hazard_issue {
            less.push(format!(
                "when the members share groups (bloc coalitions: a hazard of {} a tick against {}, as the scenario assumes)",
                c.hazard_bloc, c.hazard_issue
            ));
        }
        if c.institution_protection > 0.0 && c.hazard_bloc.max(c.hazard_issue) > 0.0 {
            less.push("when they built a light institution".to_string());
        }
        if !less.is_empty() {
            let _ = write!(p, ", less often {}", less.join(" or "));
        }
        p.push('.');
        if !pairs.is_empty() {
            let _ = write!(p, " Mean lifetimes in ticks: {}.", pairs.join("; "));
        }
        out.push(p);
    }
}

/// "### What was achieved": per issue and per body, then the shares overall.
fn what_achieved(s: &Scenario, sum: &RunSummary, ctx: &SummaryInput<'_>, out: &mut Vec<String>) {
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
}
