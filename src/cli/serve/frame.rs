//! The messages that show the world to the page (docs/serve.md, "Protocol"): `world`
//! when a run starts, `frame` after each tick, `log`. Built from the same [`App`] as
//! `minilat watch`'s view, as JSON values.

use serde_json::{Value, json};

use super::super::watch::app::{App, Entry, Tone, ratio};
use crate::model::World;
use crate::model::scenario::{BehaviourRule, Rule, Scenario};

/// A slider or switch of the teacher's page: a scenario field set with `--set`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The `--set` path.
    pub path: String,
    /// What the page calls it.
    pub label: String,
    /// "int", "float" or "bool".
    pub kind: &'static str,
    /// Slider range and step (bool: 0, 1, 1).
    pub min: f64,
    /// Upper end.
    pub max: f64,
    /// Step.
    pub step: f64,
    /// The scenario's value.
    pub value: f64,
}

impl Param {
    fn number(
        path: String,
        label: String,
        kind: &'static str,
        range: [f64; 3],
        value: f64,
    ) -> Self {
        let [min, max, step] = range;
        Param {
            path,
            label,
            kind,
            min: min.min(value),
            max: max.max(value),
            step,
            value,
        }
    }
}

/// The main parameters of `scenario` the page offers as sliders and switches. Their
/// ranges are the page's; the server validates every value as `--set` does.
pub fn params(scenario: &Scenario) -> Vec<Param> {
    let mut p = vec![
        Param::number(
            "scenario.ticks".into(),
            "ticks in a run".into(),
            "int",
            [10.0, 1000.0, 10.0],
            scenario.ticks as f64,
        ),
        Param {
            path: "coalitions.enabled".into(),
            label: "coalitions may be founded".into(),
            kind: "bool",
            min: 0.0,
            max: 1.0,
            step: 1.0,
            value: f64::from(u8::from(scenario.coalitions.enabled)),
        },
        Param::number(
            "coalitions.max_size".into(),
            "largest coalition (members)".into(),
            "int",
            [2.0, scenario.states.len().max(2) as f64, 1.0],
            scenario.coalitions.max_size as f64,
        ),
        Param::number(
            "coalitions.founding_cost".into(),
            "cost of founding a coalition".into(),
            "float",
            [0.0, 0.1, 0.001],
            scenario.coalitions.founding_cost,
        ),
        Param::number(
            "decision.temperature".into(),
            "randomness of votes".into(),
            "float",
            [0.01, 0.5, 0.01],
            scenario.decision.temperature,
        ),
        Param::number(
            "behaviour.review_rate".into(),
            "how often a state reviews its coalitions".into(),
            "float",
            [0.0, 1.0, 0.01],
            scenario.behaviour.review_rate,
        ),
    ];
    for issue in &scenario.issues {
        p.push(Param::number(
            format!("issues.{}.status_quo", issue.name),
            format!("{}: status quo", issue.name),
            "float",
            [0.0, 0.95, 0.01],
            issue.status_quo,
        ));
        p.push(Param::number(
            format!("issues.{}.shock_rate", issue.name),
            format!("{}: chance of a crisis per tick", issue.name),
            "float",
            [0.0, 0.1, 0.005],
            issue.shock_rate,
        ));
    }
    for body in &scenario.bodies {
        p.push(Param::number(
            format!("bodies.{}.delay", body.name),
            format!("{}: ticks between votes", body.name),
            "int",
            [1.0, 30.0, 1.0],
            body.delay as f64,
        ));
    }
    // Names with a dot or a bracket cannot be addressed by name (docs/scenario.md).
    p.retain(|x| x.path.split('.').count() == 2 || x.path.split('.').count() == 3);
    p
}

/// A rule in a word or two.
pub fn rule_text(rule: &Rule) -> &'static str {
    match rule {
        Rule::Unanimity => "unanimity",
        Rule::Consensus { .. } => "consensus",
        Rule::Veto { .. } => "majority with vetoes",
        Rule::Qmv { .. } => "qualified majority",
        #[allow(unreachable_patterns)]
        _ => "majority",
    }
}

/// Mean share of the capability dimensions state `i` holds.
pub fn size(world: &World, i: usize) -> f64 {
    let n = world.states.n_capabilities.max(1);
    let s: f64 = world.states.capability_share[i * n..(i + 1) * n]
        .iter()
        .sum();
    s / n as f64
}

/// The command line that plays the same run: `minilat run NAME --seed S --run K
/// --set ...` (each override quoted if it needs to be).
pub fn command(name: &str, set: &[String], seed: u64, run: u32) -> String {
    let mut line = format!("minilat run {name} --seed {seed} --run {run}");
    for s in set {
        let safe = s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-=[]".contains(c));
        if safe {
            line.push_str(&format!(" --set {s}"));
        } else {
            line.push_str(&format!(" --set '{}'", s.replace('\'', r"'\''")));
        }
    }
    line
}

/// The `world` message of a run starting (`players`: the names playing each state).
pub fn world(app: &App<'_>, name: &str, set: &[String], players: &[Vec<String>]) -> Value {
    let s = app.scenario;
    let w = app.sim().world();
    let states: Vec<Value> = (s.states.iter().enumerate())
        .map(|(i, st)| {
            json!({
                "name": st.name,
                "iso3": st.iso3,
                "size": size(w, i),
                "great": w.states.great_power[i],
                "players": players.get(i).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let issues: Vec<Value> = (s.issues.iter())
        .map(|k| json!({"name": k.name, "target": k.target}))
        .collect();
    let bodies: Vec<Value> = (s.bodies.iter())
        .map(|b| {
            json!({
                "name": b.name,
                "members": b.members.iter().map(|m| m.index()).collect::<Vec<_>>(),
                "rule": rule_text(&b.rule),
            })
        })
        .collect();
    let params: Vec<Value> = params(s)
        .into_iter()
        .map(|p| {
            let value = if p.kind == "bool" {
                json!(p.value != 0.0)
            } else {
                json!(p.value)
            };
            json!({"path": p.path, "label": p.label, "kind": p.kind, "min": p.min,
                   "max": p.max, "step": p.step, "value": value})
        })
        .collect();
    json!({
        "type": "world",
        "scenario": name,
        "description": s.description,
        "ticks": s.ticks,
        "seed": s.seed,
        "run": app.run,
        "rule": s.behaviour.rule.facts().name,
        "command": command(name, set, s.seed, app.run),
        "states": states,
        "issues": issues,
        "bodies": bodies,
        "params": params,
        "set": set,
        "playable": s.behaviour.rule == BehaviourRule::Utility,
    })
}

/// A log entry as JSON.
pub fn entry(e: &Entry) -> Value {
    let tick = e
        .text
        .strip_prefix("tick ")
        .and_then(|t| t.split(':').next())
        .and_then(|t| t.parse::<u32>().ok());
    json!({"tick": tick, "text": e.text, "tone": tone(e.tone)})
}

/// A tone's name on the page.
pub fn tone(t: Tone) -> &'static str {
    match t {
        Tone::Plain => "plain",
        Tone::Formed => "formed",
        Tone::Broke => "broke",
        Tone::Adopted => "adopted",
        Tone::Blocked => "blocked",
        Tone::Crisis => "crisis",
        Tone::Succession => "succession",
        Tone::End => "end",
        Tone::Player => "player",
    }
}

/// The `frame` message after a tick: `new_log` are the log entries since the last.
pub fn frame(app: &App<'_>, new_log: &[Entry]) -> Value {
    let s = app.scenario;
    let w = app.sim().world();
    let coalitions: Vec<Value> = (w.active.iter())
        .map(|&c| {
            let co = w.coalition(c);
            json!({
                "serial": co.serial,
                "name": app.names.name(s, co).title(),
                "issue": co.issue.index(),
                "leader": co.leader.index(),
                "members": co.members.iter().map(|m| m.index()).collect::<Vec<_>>(),
                "progress": co.progress,
            })
        })
        .collect();
    let progress: Vec<f64> = (s.issues.iter().zip(&w.issues))
        .map(|(spec, st)| ratio(st.progress, spec.target))
        .collect();
    let solved: Vec<Option<u32>> = w.issues.iter().map(|st| st.solved_at).collect();
    let bodies: Vec<Value> = (w.bodies.iter())
        .map(|b| {
            let deadlock = (b.attempted > 0).then(|| {
                f64::from(b.attempted - b.adopted.min(b.attempted)) / f64::from(b.attempted)
            });
            json!({"attempted": b.attempted, "adopted": b.adopted, "deadlock": deadlock})
        })
        .collect();
    json!({
        "type": "frame",
        "tick": w.tick,
        "ticks": s.ticks,
        "running": app.running(),
        "finished": app.finished(),
        "speed": app.speed,
        "coalitions": coalitions,
        "progress": progress,
        "solved": solved,
        "bodies": bodies,
        "log": new_log.iter().map(entry).collect::<Vec<_>>(),
        "sizes": sizes(app),
        "welfare": w.states.welfare,
    })
}

/// Every coalition so far (ended and active) by peak size: how many, and the mean
/// progress they produced (the size-effectiveness chart of one run, filling in).
pub fn sizes(app: &App<'_>) -> Vec<Value> {
    let w = app.sim().world();
    let mut by_size: std::collections::BTreeMap<u32, (u32, f64)> = Default::default();
    let active = w.active.iter().map(|&c| {
        let co = w.coalition(c);
        (co.peak_size, co.progress)
    });
    for (size, progress) in app.ended.iter().map(|&(s, _, p)| (s, p)).chain(active) {
        let e = by_size.entry(size).or_insert((0, 0.0));
        e.0 += 1;
        e.1 += progress;
    }
    by_size
        .into_iter()
        .map(|(size, (count, sum))| {
            json!({"size": size, "count": count, "mean": sum / f64::from(count)})
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_quotes_what_a_shell_would_split() {
        let set = vec![
            "coalitions.max_size=4".to_string(),
            "issues.climate.good=\"club\"".to_string(),
        ];
        assert_eq!(
            command("classroom", &set, 7, 2),
            "minilat run classroom --seed 7 --run 2 --set coalitions.max_size=4 \
             --set 'issues.climate.good=\"club\"'"
        );
    }
}
