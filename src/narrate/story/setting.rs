//! The setting paragraph: the states, the problems, the bodies and how they decide,
//! the coalitions' rules, and which run this is.

use std::fmt::Write as _;

use super::words::{and_list, capitalise, count, every, number_word, pct};
use crate::model::ids::StateId;
use crate::narrate::list_names;
use crate::scenario::{Rule, Scenario, Weight};

/// The bodies (who sits in each, what it votes on, how often and how) and the
/// coalitions' rules; `voiced` states have a voice (non-state actors excluded).
fn venues(s: &Scenario, voiced: usize) -> String {
    let mut out = String::new();
    for b in &s.bodies {
        let mut members = if b.members.len() == voiced {
            format!("all {} states", b.members.len())
        } else if b.elected.is_some() {
            format!(
                "{} permanent members: {}",
                b.members.len(),
                list_names(s, &b.members, 6)
            )
        } else {
            format!(
                "{} members: {}",
                b.members.len(),
                list_names(s, &b.members, 6)
            )
        };
        if let Some(e) = &b.elected {
            let seats: u32 = e.seats.iter().sum();
            let _ = write!(
                members,
                ", and {seats} seats elected by group for terms of {} ticks, half renewed every {} ticks",
                e.term,
                e.term / 2
            );
        }
        if let Some(binds) = &b.binds {
            if binds.len() == voiced {
                members.push_str("; its decisions bind every state");
            } else {
                let _ = write!(members, "; its decisions bind {} states", binds.len());
            }
        }
        if !b.binding {
            members.push_str("; its decisions are recommendations");
        }
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
        for (k, rule) in &b.issue_rules {
            let _ = write!(
                out,
                " On {} it decides {}.",
                s.issues[k.index()].name,
                rule_words(s, rule)
            );
        }
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
    out
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
        Rule::Veto {
            majority,
            holders,
            affirmative,
            abstain_below,
        } => {
            let mut majority = if *majority >= 1.0 {
                "all members".to_string()
            } else {
                format!("more than {} of the members", pct(*majority))
            };
            if let Some(n) = affirmative {
                majority.push_str(&format!(" and at least {n}"));
            }
            let mut words = if holders.is_empty() {
                format!("by majority: {majority} must accept")
            } else {
                format!(
                    "by majority: {majority} must accept, and {} can {}veto",
                    list_names(scenario, holders, 6),
                    if holders.len() > 1 { "each " } else { "" }
                )
            };
            if let Some(a) = abstain_below {
                words.push_str(&format!(
                    "; members that care little (salience below {a}) abstain, and an \
                     abstention is not a veto"
                ));
            }
            words
        }
        Rule::Qmv {
            count,
            weight,
            weight_by,
            min_members,
            blocking_minority,
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
            if let Some(m) = min_members {
                parts.push(format!("at least {m} members"));
            }
            if let Some(w) = weight {
                parts.push(format!("{} of the {by}", pct(w)));
            }
            let mut words = format!("by qualified majority: {} must accept", and_list(&parts));
            if let Some(b) = blocking_minority {
                words.push_str(&format!(
                    ", unless fewer than {b} refuse (a blocking minority needs {b})"
                ));
            }
            words
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
pub(super) fn setting(s: &Scenario, run: u32) -> String {
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
    out.push_str(&venues(s, voiced.len()));
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
        for issue in &s.issues {
            let Some(threat) = issue.threat.filter(|t| t.assertiveness > 0.0) else {
                continue;
            };
            let when = if threat.ramp > 1 {
                format!(", more and more over the first {} ticks", threat.ramp)
            } else {
                String::new()
            };
            let _ = write!(
                out,
                " Their assertiveness raises the {} salience of the states they threaten{when}: \
                 the weaker, the further from them in preferences and the nearer, the more.",
                issue.name
            );
        }
    }
    let _ = write!(
        out,
        " This is run {run} with seed {} ({} ticks), the same run as row {run} of \
         `minilat run` with that seed.",
        s.seed, s.ticks
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::classroom;
    use super::*;

    #[test]
    fn rules_are_told_in_words() {
        let s = classroom();
        // The classroom's bodies decide by consensus; a veto rule as the old stylised
        // Security Council had it (majority, P5 vetoes), on the classroom's states.
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/classroom.toml");
        let vetoed = Scenario::from_path(
            &path,
            &[
                "bodies.UNFCCC.rule=veto".to_string(),
                r#"bodies.UNFCCC.veto=["USA","CHN","RUS","FRA","GBR"]"#.to_string(),
            ],
        )
        .expect("the classroom with a veto body validates")
        .scenario;
        let veto = &vetoed.bodies[0].rule;
        assert_eq!(
            rule_words(&s, veto),
            "by majority: more than 50% of the members must accept, and United States, China, \
             Russia, France and United Kingdom can each veto"
        );
        let qmv = Rule::Qmv {
            count: None,
            weight: None,
            weight_by: Weight::Population,
            min_members: None,
            blocking_minority: None,
        };
        assert_eq!(
            rule_words(&s, &qmv),
            "by qualified majority: 55% of the members and 65% of the population must accept"
        );
        let council = Rule::Qmv {
            count: Some(0.55),
            weight: Some(0.65),
            weight_by: Weight::Population,
            min_members: Some(15),
            blocking_minority: Some(4),
        };
        assert_eq!(
            rule_words(&s, &council),
            "by qualified majority: 55% of the members, at least 15 members and 65% of the \
             population must accept, unless fewer than 4 refuse (a blocking minority needs 4)"
        );
        assert_eq!(
            good_words(0.0),
            "a public good: every state benefits from any progress"
        );
        let one = Rule::Veto {
            majority: 1.0,
            holders: vec![StateId(0)],
            affirmative: None,
            abstain_below: None,
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
}
