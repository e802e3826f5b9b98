//! States: inline `[[states]]` and a `[data]` file's rows, their labels, the index
//! by name and ISO3 code, `world.great_powers` and `[[affinities]]`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::defaults::{
    BANDWIDTH, Defaults, Group, read_defaults, read_groups, read_interests, with_groups,
};
use super::{FirstSeen, check_count};
use crate::scenario::data;
use crate::scenario::parse::{Kind, Node, Place};
use crate::scenario::reader::{Ctx, NON_NEGATIVE, Table, UNIT, unknown};
use crate::scenario::{DataBinding, IssuePreferences, Param, PreferenceSource, StateId, StateSpec};

const STATE_FIELDS: &str = "name iso3 region population capabilities labels bandwidth challenger non_state expertise interests";
const AFFINITY_FIELDS: &str = "states value";

/// Most distinct labels (a state's labels are a `u64` bit set).
const MAX_LABELS: usize = 64;

/// Distinct labels in first-seen order.
#[derive(Default)]
pub(super) struct Labels(pub(super) Vec<String>);

impl Labels {
    /// The bit of `label`, interning it; more than 64 labels is an error at `place`.
    fn bit(&mut self, ctx: &mut Ctx, label: &str, place: &Place, field: &str) -> u64 {
        let index = match self.0.iter().position(|l| l == label) {
            Some(i) => i,
            None if self.0.len() < MAX_LABELS => {
                self.0.push(label.to_owned());
                self.0.len() - 1
            }
            None => {
                let message = format!(
                    "too many labels: at most {MAX_LABELS} distinct labels per scenario ({label:?} would be one more)"
                );
                ctx.error(place, field, message);
                return 0;
            }
        };
        1 << index
    }
}

/// States by name and by ISO3 code (names win when a name equals another's code).
pub(in crate::scenario) struct StateIndex<'s> {
    pub(super) states: &'s [StateSpec],
    lookup: BTreeMap<&'s str, StateId>,
}

impl<'s> StateIndex<'s> {
    pub(super) fn new(states: &'s [StateSpec]) -> Self {
        let mut lookup = BTreeMap::new();
        for (i, s) in states.iter().enumerate() {
            lookup
                .entry(s.name.as_str())
                .or_insert(StateId::from_index(i));
        }
        for (i, s) in states.iter().enumerate() {
            if !s.iso3.is_empty() {
                lookup
                    .entry(s.iso3.as_str())
                    .or_insert(StateId::from_index(i));
            }
        }
        StateIndex { states, lookup }
    }

    /// The state a string names.
    pub(in crate::scenario) fn resolve(
        &self,
        ctx: &mut Ctx,
        node: &Node,
        field: &str,
    ) -> Option<StateId> {
        let name = ctx.string(node, field)?;
        let id = self.lookup.get(name.as_str()).copied();
        if id.is_none() {
            let message = unknown("state", &name, self.lookup.keys().copied());
            ctx.error(&node.place, field, message);
        }
        id
    }

    /// The states a list names, in list order; unknown and repeated states are errors.
    pub(in crate::scenario) fn resolve_list<'n>(
        &self,
        ctx: &mut Ctx,
        node: &'n Node,
        field: &str,
    ) -> Vec<(StateId, &'n Node)> {
        let items = ctx
            .list(node, field, "a list of state names")
            .unwrap_or_default();
        let mut found: Vec<(StateId, &Node)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_field = format!("{field}[{i}]");
            let Some(id) = self.resolve(ctx, item, &item_field) else {
                continue;
            };
            if found.iter().any(|(other, _)| *other == id) {
                let name = &self.states[id.index()].name;
                ctx.error(
                    &item.place,
                    &item_field,
                    format!("duplicate state {name:?}"),
                );
            } else {
                found.push((id, item));
            }
        }
        found
    }
}

/// Every state: a `[data]` file's rows, then the inline `[[states]]`, with `[defaults]`
/// and `[groups]` applied and `world.challengers` marked; and the labels they carry.
pub(super) fn read_states(
    ctx: &mut Ctx,
    doc: &Table,
    world: &Table,
    base_dir: &Path,
    capabilities: &[String],
    issues: &[&str],
) -> (Vec<StateSpec>, Labels, Vec<IssuePreferences>) {
    let defaults = read_defaults(ctx, doc, issues);
    let groups = read_groups(ctx, doc, issues);

    let mut labels = Labels::default();
    let mut states = Vec::new();
    let mut names = FirstSeen::default();
    let mut codes = FirstSeen::default();
    let mut data_failed = false;
    // Per state, per issue: whether its own table set (salience, position).
    let mut explicit: Vec<Vec<[bool; 2]>> = Vec::new();
    if let Some(node) = doc.get("data") {
        match data::load(ctx, node, base_dir, capabilities) {
            Some(loaded) => states.extend(add_data_states(
                ctx,
                loaded,
                &defaults,
                &groups,
                &mut labels,
                &mut names,
                &mut codes,
            )),
            None => data_failed = true,
        }
        explicit.resize(states.len(), vec![[false; 2]; issues.len()]);
    }
    if let Some(node) = doc.get("states") {
        let context = StateContext {
            capabilities,
            issues,
            defaults: &defaults,
            groups: &groups,
        };
        for (i, item) in ctx
            .list(node, "states", "a list of [[states]] tables")
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let field = format!("states[{i}]");
            let Some(t) = ctx.table(item, &field, Some(STATE_FIELDS)) else {
                continue;
            };
            let state = read_state(ctx, &t, &context, &mut labels, &mut names, &mut codes);
            states.push(state);
            explicit.push(explicit_interests(item, issues));
        }
    }
    let no_states_given = doc
        .get("states")
        .is_none_or(|n| matches!(&n.kind, Kind::Array(items) if items.is_empty()));
    if states.is_empty() && !data_failed && no_states_given {
        let message = "expected at least one state ([[states]] or a [data] file), found none";
        ctx.error(doc.place(), "states", message);
    }
    check_count(ctx, doc.place(), "states", states.len(), u32::MAX as usize);
    for g in &groups {
        if !labels.0.contains(&g.label) {
            let known = labels.0.iter().map(String::as_str);
            let message = format!("{}: no state carries it", unknown("label", &g.label, known));
            ctx.error(&g.place, &g.field, message);
        }
    }

    let index = StateIndex::new(&states);
    for (id, _) in world
        .get("challengers")
        .map(|n| index.resolve_list(ctx, n, "world.challengers"))
        .unwrap_or_default()
    {
        states[id.index()].challenger = true;
    }
    let mut preferences = vec![IssuePreferences::illustrative(); issues.len()];
    if let Some(node) = doc.get("data").filter(|_| !data_failed)
        && let Some(data) = ctx.table(node, "data", None)
    {
        let bindings = data::preferences::StateBindings {
            data: &data,
            base_dir,
            issues,
            explicit: &explicit,
        };
        preferences = data::preferences::apply(ctx, &bindings, &mut states);
    }
    mark_per_state(&mut preferences, &states, &explicit);
    (states, labels, preferences)
}

/// An issue's positions (or saliences) not bound to data but written as a fixed value
/// in every state's own table are `PerState`: the scenario's comments give their
/// source, and they are not drawn from a distribution.
fn mark_per_state(
    preferences: &mut [IssuePreferences],
    states: &[StateSpec],
    explicit: &[Vec<[bool; 2]>],
) {
    for (k, p) in preferences.iter_mut().enumerate() {
        for (f, source) in [(0, &mut p.saliences), (1, &mut p.positions)] {
            let every = !states.is_empty()
                && states.iter().enumerate().all(|(i, s)| {
                    explicit.get(i).and_then(|e| e.get(k)).is_some_and(|e| e[f])
                        && s.interests.get(k).is_some_and(|int| {
                            let param = if f == 1 { &int.position } else { &int.salience };
                            matches!(param, Param::Fixed(_))
                        })
                });
            if every && source.is_illustrative() {
                *source = PreferenceSource::PerState;
            }
        }
    }
}

/// Per issue, whether an inline state's own `interests` table sets (salience,
/// position): those win over a data binding.
fn explicit_interests(item: &Node, issues: &[&str]) -> Vec<[bool; 2]> {
    let own = item.get("interests");
    issues
        .iter()
        .map(|issue| {
            let t = own.and_then(|n| n.get(issue));
            [
                t.and_then(|n| n.get("salience")).is_some(),
                t.and_then(|n| n.get("position")).is_some(),
            ]
        })
        .collect()
}

/// Turns the data file's rows into states, checking names and codes are unique.
fn add_data_states(
    ctx: &mut Ctx,
    loaded: data::DataStates,
    defaults: &Defaults,
    groups: &[Group],
    labels: &mut Labels,
    names: &mut FirstSeen,
    codes: &mut FirstSeen,
) -> Vec<StateSpec> {
    let bits: Vec<u64> = loaded
        .labels
        .iter()
        .map(|(label, place, field)| labels.bit(ctx, label, place, field))
        .collect();
    let mut states = Vec::new();
    for row in loaded.rows {
        let whereabouts = || format!("row {} of {}", row.row, loaded.source.origin);
        let mut duplicate = |what: &str, column: &str, value: &str, first: String| {
            let message = format!("duplicate {what} {value:?} (first at {first})");
            (loaded.source).error(ctx, row.row, row.line, column, message);
        };
        if let Some(first) = names.check(&row.name, whereabouts) {
            duplicate("state", &loaded.name_column, &row.name, first);
        }
        if !row.iso3.is_empty()
            && let Some(first) = codes.check(&row.iso3, whereabouts)
        {
            duplicate("iso3 code", &loaded.iso3_column, &row.iso3, first);
        }
        let label_bits = row
            .labels
            .iter()
            .filter_map(|&i| bits.get(i))
            .fold(0, |acc, bit| acc | bit);
        let own = with_groups(defaults, groups, |label| {
            row.labels
                .iter()
                .any(|&i| loaded.labels.get(i).is_some_and(|(l, _, _)| l == label))
        });
        states.push(StateSpec {
            name: row.name,
            iso3: row.iso3,
            region: row.region,
            population: row.population,
            capabilities: row.capabilities,
            negative: row.negative,
            labels: label_bits,
            interests: own.interests,
            bandwidth: own.bandwidth,
            challenger: own.challenger,
            non_state: false,
            expertise: 0.0,
        });
    }
    states
}

/// What reading an inline state needs.
struct StateContext<'a> {
    capabilities: &'a [String],
    issues: &'a [&'a str],
    defaults: &'a Defaults,
    groups: &'a [Group],
}

fn read_state(
    ctx: &mut Ctx,
    t: &Table,
    context: &StateContext,
    labels: &mut Labels,
    names: &mut FirstSeen,
    codes: &mut FirstSeen,
) -> StateSpec {
    let name = t.required_str(ctx, "name").unwrap_or_default();
    let iso3 = t.text(ctx, "iso3", "");
    for (key, value, what, seen) in [
        ("name", &name, "state", &mut *names),
        ("iso3", &iso3, "iso3 code", &mut *codes),
    ] {
        let Some(node) = t.get(key).filter(|_| !value.is_empty()) else {
            continue;
        };
        if let Some(first) = seen.check(value, || ctx.whereabouts(&node.place)) {
            let message = format!("duplicate {what} {value:?} (first at {first})");
            ctx.error(&node.place, &t.field(key), message);
        }
    }

    let caps_table = t
        .required(ctx, "capabilities")
        .and_then(|node| ctx.table(node, &t.field("capabilities"), None));
    let mut capabilities = vec![0.0; context.capabilities.len()];
    if let Some(caps) = caps_table {
        for entry in caps.entries() {
            if !context.capabilities.contains(&entry.key) {
                let names = context.capabilities.iter().map(String::as_str);
                let message = unknown("capability", &entry.key, names);
                ctx.error(&entry.key_place, &caps.field(&entry.key), message);
            }
        }
        for (value, dimension) in capabilities.iter_mut().zip(context.capabilities) {
            if let Some(node) = caps.required(ctx, dimension) {
                *value = ctx
                    .number(node, &caps.field(dimension), NON_NEGATIVE)
                    .unwrap_or(0.0);
            }
        }
    }

    let mut label_bits = 0;
    let mut label_names = Vec::new();
    if let Some(node) = t.get("labels") {
        for (i, (label, item)) in ctx
            .strings(node, &t.field("labels"))
            .into_iter()
            .enumerate()
        {
            let field = format!("{}[{i}]", t.field("labels"));
            label_bits |= labels.bit(ctx, &label, &item.place, &field);
            label_names.push(label);
        }
    }
    let own = with_groups(context.defaults, context.groups, |label| {
        label_names.iter().any(|l| l == label)
    });

    let interests = t.table(ctx, "interests", None);
    StateSpec {
        name,
        iso3,
        region: t.text(ctx, "region", ""),
        population: t.num(ctx, "population", NON_NEGATIVE, 0.0),
        capabilities,
        negative: Vec::new(),
        labels: label_bits,
        interests: read_interests(ctx, &interests, context.issues, &own.interests),
        bandwidth: t.param(ctx, "bandwidth", BANDWIDTH, &own.bandwidth),
        challenger: t.flag(ctx, "challenger", own.challenger),
        non_state: t.flag(ctx, "non_state", false),
        expertise: t.num(ctx, "expertise", UNIT, 0.0),
    }
}

/// `great_powers`: a list of states, or the k states (not non-state actors) with the
/// largest mean capability share, ties to the lower id (default 5). Sorted.
pub(super) fn read_great_powers(
    ctx: &mut Ctx,
    world: &Table,
    states: &[StateSpec],
) -> Vec<StateId> {
    read_powers(ctx, world, states, "great_powers", 5, &[])
}

/// Default number of middle powers: with the default five great powers, the top 20
/// by capability, the size of the G20 (Naim's "around 20").
pub const MIDDLE_POWERS: i64 = 15;

/// `middle_powers`: a list of states, or the k states after the great powers with the
/// largest mean capability share (default [`MIDDLE_POWERS`]). Sorted, disjoint from
/// `great`.
pub(super) fn read_middle_powers(
    ctx: &mut Ctx,
    world: &Table,
    states: &[StateSpec],
    great: &[StateId],
) -> Vec<StateId> {
    let mut ids = read_powers(ctx, world, states, "middle_powers", MIDDLE_POWERS, great);
    ids.retain(|id| great.binary_search(id).is_err());
    ids
}

/// A list of states under `key`, or the k states (not non-state actors, not in
/// `exclude`) with the largest mean capability share, ties to the lower id. Sorted.
fn read_powers(
    ctx: &mut Ctx,
    world: &Table,
    states: &[StateSpec],
    key: &str,
    default_k: i64,
    exclude: &[StateId],
) -> Vec<StateId> {
    let field = world.field(key);
    let mut k = default_k;
    if let Some(node) = world.get(key) {
        match node.kind {
            Kind::Array(_) => {
                let index = StateIndex::new(states);
                let mut ids: Vec<StateId> = index
                    .resolve_list(ctx, node, &field)
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect();
                ids.sort();
                return ids;
            }
            Kind::Int(_) | Kind::BigInt(_) => {
                k = ctx.integer(node, &field, 0..=1_000_000).unwrap_or(0);
                let n = states.iter().filter(|s| !s.non_state).count();
                if k as usize > n && exclude.is_empty() {
                    ctx.warn(format!(
                        "world.{key} = {k} but there are only {n} states: all of them are great powers"
                    ));
                }
            }
            _ => ctx.type_error(node, &field, "an integer or a list of state names"),
        }
    }
    let dimensions = states.first().map_or(0, |s| s.capabilities.len());
    let totals: Vec<f64> = (0..dimensions)
        .map(|d| states.iter().filter_map(|s| s.capabilities.get(d)).sum())
        .collect();
    let mean_share = |s: &StateSpec| {
        let shares = s.capabilities.iter().zip(&totals);
        let sum: f64 = shares
            .map(|(v, t)| if *t > 0.0 { v / t } else { 0.0 })
            .sum();
        sum / dimensions.max(1) as f64
    };
    let mut ranked: Vec<(f64, StateId)> = states
        .iter()
        .enumerate()
        .filter(|(i, s)| !s.non_state && !exclude.contains(&StateId::from_index(*i)))
        .map(|(i, s)| (mean_share(s), StateId::from_index(i)))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut ids: Vec<StateId> = ranked
        .into_iter()
        .take(usize::try_from(k).unwrap_or(0))
        .map(|(_, id)| id)
        .collect();
    ids.sort();
    ids
}

pub(super) fn read_affinities(
    ctx: &mut Ctx,
    doc: &Table,
    index: &StateIndex,
) -> Vec<(StateId, StateId, f64)> {
    let items = doc
        .get("affinities")
        .and_then(|node| ctx.list(node, "affinities", "a list of [[affinities]] tables"))
        .unwrap_or_default();
    let mut affinities: Vec<(StateId, StateId, f64)> = Vec::new();
    let mut first_at: HashMap<(StateId, StateId), String> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let Some(t) = ctx.table(item, &format!("affinities[{i}]"), Some(AFFINITY_FIELDS)) else {
            continue;
        };
        let value = t.required(ctx, "value");
        let value = value.and_then(|n| ctx.number(n, &t.field("value"), UNIT));
        let Some(node) = t.required(ctx, "states") else {
            continue;
        };
        let field = t.field("states");
        let n_given = match &node.kind {
            Kind::Array(items) => items.len(),
            _ => 2,
        };
        let pair = index.resolve_list(ctx, node, &field);
        if n_given != 2 {
            let message = format!("expected a list of two states, found {n_given}");
            ctx.error(&node.place, &field, message);
            continue;
        }
        let [(a, _), (b, _)] = pair[..] else {
            continue;
        };
        let key = (a.min(b), a.max(b));
        if let Some(first) = first_at.get(&key) {
            let message = format!("duplicate pair (first at {first})");
            ctx.error(&node.place, &field, message);
            continue;
        }
        first_at.insert(key, ctx.whereabouts(&node.place));
        if let Some(value) = value {
            affinities.push((key.0, key.1, value));
        }
    }
    affinities.sort_by_key(|&(a, b, _)| (a, b));
    affinities
}

/// `[data.affinity]`: pairwise affinities from a data file, merged under the
/// `[[affinities]]` already read.
pub(super) fn read_affinity_file(
    ctx: &mut Ctx,
    doc: &Table,
    base_dir: &Path,
    states: &[StateSpec],
    affinities: &mut Vec<(StateId, StateId, f64)>,
) -> Option<DataBinding> {
    let node = doc.get("data")?;
    let data = ctx.table(node, "data", None)?;
    data::preferences::apply_affinity(ctx, &data, base_dir, states, affinities)
}
