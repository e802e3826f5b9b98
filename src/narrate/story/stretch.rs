//! The closing paragraph of a stretch of ticks: the votes counted, the joins and
//! departures counted, and where things stand at its end.

use std::fmt::Write as _;

use super::facts::Tally;
use super::words::{and_list, capitalise, count, how_often, pct, times};
use crate::metrics::TickMetrics;
use crate::narrate::Names;
use crate::scenario::Scenario;

/// The closing paragraph of a stretch: votes counted, where things stand.
pub(super) fn stretch_close(
    s: &Scenario,
    tally: &Tally,
    ticks: &[TickMetrics],
    end: u32,
    names: &Names,
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
        parts.push(coalition_votes(s, tally, names));
    }
    let joins: u32 = tally.joined.values().sum();
    if joins + tally.left > 0 {
        parts.push(joins_and_departures(s, tally, joins, names));
    }
    if tally.successions > 0 {
        parts.push(format!(
            "Leadership of a coalition passed {}.",
            times(tally.successions)
        ));
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

/// "Coalitions adopted 5 measures in 9 votes; the busiest: ...".
fn coalition_votes(s: &Scenario, tally: &Tally, names: &Names) -> String {
    let (votes, adopted) = tally
        .coalition_votes
        .values()
        .fold((0, 0), |(v, a), (cv, ca)| (v + cv, a + ca));
    let mut busiest: Vec<(u32, u32, u32)> = tally
        .coalition_votes
        .iter()
        .map(|(&serial, &(v, a))| (serial, v, a))
        .collect();
    busiest.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let shown: Vec<String> = busiest
        .iter()
        .take(3)
        .filter(|(_, _, a)| *a > 0)
        .filter_map(|&(serial, v, a)| {
            let name = names.name_of(s, serial)?;
            Some(name.with_note(&format!("{a} of {v}")))
        })
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
    format!(
        "Coalitions adopted {} in {}{detail}.",
        count(adopted as usize, "measure", "measures"),
        count(votes as usize, "vote", "votes"),
    )
}

/// "States joined coalitions 12 times and left them 4 times; the most joined: ...".
fn joins_and_departures(s: &Scenario, tally: &Tally, joins: u32, names: &Names) -> String {
    let mut p = format!(
        "States joined coalitions {} and left them {}",
        times(joins),
        times(tally.left)
    );
    let mut grew: Vec<(u32, u32)> = tally.joined.iter().map(|(&c, &n)| (c, n)).collect();
    grew.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let shown: Vec<String> = grew
        .iter()
        .filter_map(|&(serial, n)| Some(names.name_of(s, serial)?.with_note(&format!("+{n}"))))
        .take(3)
        .collect();
    if !shown.is_empty() {
        let _ = write!(p, "; the most joined: {}", and_list(&shown));
    }
    format!("{p}.")
}
