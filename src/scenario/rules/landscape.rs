//! `[behaviour.landscape]`: parameters of the `landscape` behaviour rule
//! (docs/rules/landscape.md): which issue's coalitions are the two sides, which
//! capability is an actor's size, and the pairwise propensities, from label terms and
//! an optional CSV file of pairs.

use super::RuleEnv;
use crate::model::ids::{CapId, StateId};
pub use crate::model::scenario::landscape::{ENUMERATE_CAP, LandscapeSpec};
use crate::scenario::BehaviourRule;
use crate::scenario::data::{CsvFile, pairs};
use crate::scenario::parse::{Kind, Node, Place};
use crate::scenario::reader::{ANY_FINITE, Ctx, Table, unknown};

/// Fields allowed in `[behaviour.landscape]`.
pub(in crate::scenario) const FIELDS: &str =
    "issue size propensities factors alike shared apart observed enumerate_max starts";

/// Reads `[behaviour.landscape]` (`t`; absent reads as empty).
pub(in crate::scenario) fn read(ctx: &mut Ctx, t: &Table, env: &RuleEnv) -> LandscapeSpec {
    let mut spec = LandscapeSpec::default();
    if let Some(k) = super::issue(ctx, t, env) {
        spec.issue = k;
    }
    if let Some(name) = t.opt_str(ctx, "size") {
        match env.capabilities.iter().position(|c| *c == name) {
            Some(d) => spec.size = CapId::from_index(d),
            None => {
                let known = env.capabilities.iter().map(String::as_str);
                let message = unknown("capability", &name, known);
                ctx.error(
                    &t.get("size").expect("given").place,
                    &t.field("size"),
                    message,
                );
            }
        }
    }
    spec.alike = label_weights(ctx, t, env, "alike");
    spec.shared = label_weights(ctx, t, env, "shared");
    spec.apart = label_weights(ctx, t, env, "apart");
    let factors = read_factors(ctx, t);
    if let Some(node) = t.get("propensities") {
        // A `factors` table with no usable entry has been reported already.
        if factors.as_ref().is_none_or(|f| !f.is_empty()) {
            let factors = factors.as_deref().unwrap_or_default();
            spec.pairs = read_pairs(ctx, node, &t.field("propensities"), env, factors);
        }
    } else if let Some(node) = t.get("factors") {
        let message = "needs a `propensities` file whose columns it weights";
        ctx.error(&node.place, &t.field("factors"), message);
    }
    if let Some(node) = t.get("observed") {
        spec.observed = read_observed(ctx, node, &t.field("observed"), env);
    }
    spec.enumerate_max = t.int(ctx, "enumerate_max", 0..=i64::from(ENUMERATE_CAP), 25);
    spec.starts = t.int(ctx, "starts", 0..=10_000_000, 10_000);

    if env.rule == BehaviourRule::Landscape {
        let n = env.states.len();
        if n < 2 {
            let message = format!("the landscape rule needs at least 2 actors, found {n}");
            ctx.error(env.place, "behaviour.rule", message);
        }
        if env.coalitions.enabled && (env.coalitions.max_size as usize) < n {
            let message = format!(
                "the landscape rule needs coalitions.max_size >= the number of actors ({n}), \
                 found {}: one side may hold every actor",
                env.coalitions.max_size
            );
            ctx.error(env.max_size_place, "coalitions.max_size", message);
        }
        let d = spec.size.index();
        if n >= 2
            && d < env.capabilities.len()
            && env.states.iter().all(|s| s.capabilities[d] <= 0.0)
        {
            let message = format!(
                "every actor has size 0 on capability {:?}: no landscape to minimise",
                env.capabilities[d]
            );
            let place = t.get("size").map_or(env.place, |n| &n.place);
            ctx.error(place, &t.field("size"), message);
        }
    }
    spec
}

/// `alike = { democracy = 1.0 }` and the like: label names resolved to label bits.
fn label_weights(ctx: &mut Ctx, t: &Table, env: &RuleEnv, key: &str) -> Vec<(u32, f64)> {
    let mut out = Vec::new();
    let Some(node) = t.get(key) else {
        return out;
    };
    let field = t.field(key);
    let Some(table) = ctx.table(node, &field, None) else {
        return out;
    };
    for entry in table.entries() {
        let entry_field = format!("{field}.{}", entry.key);
        let Some(bit) = env.labels.iter().position(|l| *l == entry.key) else {
            let known = env.labels.iter().map(String::as_str);
            let message = format!(
                "{}: no state carries it",
                unknown("label", &entry.key, known)
            );
            ctx.error(&entry.key_place, &entry_field, message);
            continue;
        };
        if let Some(w) = ctx.number(&entry.value, &entry_field, ANY_FINITE) {
            out.push((bit as u32, w));
        }
    }
    out
}

/// `observed = "label"` (the states carrying it are one side) or a list of state
/// names or ISO3 codes (one side).
fn read_observed(ctx: &mut Ctx, node: &Node, field: &str, env: &RuleEnv) -> Option<Vec<bool>> {
    let n = env.states.len();
    let mut side = vec![false; n];
    match &node.kind {
        Kind::Str(label) => {
            let Some(bit) = env.labels.iter().position(|l| l == label) else {
                let known = env.labels.iter().map(String::as_str);
                let message = format!("{}: no state carries it", unknown("label", label, known));
                ctx.error(&node.place, field, message);
                return None;
            };
            for (i, s) in env.states.iter().enumerate() {
                side[i] = s.labels >> bit & 1 == 1;
            }
        }
        Kind::Array(_) => {
            for (id, _) in env.index.resolve_list(ctx, node, field) {
                side[id.index()] = true;
            }
        }
        _ => {
            ctx.type_error(node, field, "a label or a list of state names");
            return None;
        }
    }
    Some(side)
}

/// One entry of `factors = { column = weight }`: the column's name, its weight, and
/// where the entry is (for an unknown column).
struct Factor {
    column: String,
    weight: f64,
    place: Place,
    field: String,
}

/// `factors = { war = -1.0, territory = -1.0 }`: the `propensities` file's columns
/// that make up a pair's propensity, each with its weight (any finite number). `None`
/// when absent: the file's `value` column is the propensity.
fn read_factors(ctx: &mut Ctx, t: &Table) -> Option<Vec<Factor>> {
    let node = t.get("factors")?;
    let mut out = Vec::new();
    let field = t.field("factors");
    let Some(table) = ctx.table(node, &field, None) else {
        return Some(out);
    };
    for entry in table.entries() {
        let entry_field = format!("{field}.{}", entry.key);
        if let Some(weight) = ctx.number(&entry.value, &entry_field, ANY_FINITE) {
            out.push(Factor {
                column: entry.key.clone(),
                weight,
                place: entry.key_place.clone(),
                field: entry_field,
            });
        }
    }
    if table.entries().is_empty() {
        ctx.error(
            &node.place,
            &field,
            "names no column: give at least one `column = weight`",
        );
    }
    Some(out)
}

/// The `propensities` CSV file: columns `a`, `b` (state names or ISO3 codes) and
/// `value`, or the columns `factors` weights; one row per unordered pair; `#` lines
/// are comments. A pair written twice (in either order) or a state paired with itself
/// is an error at its row.
fn read_pairs(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    env: &RuleEnv,
    factors: &[Factor],
) -> Vec<(StateId, StateId, f64)> {
    let Some(file) = ctx.string(node, field) else {
        return Vec::new();
    };
    let Some(mut csv) = CsvFile::open(ctx, env.base_dir, &file, &node.place, field) else {
        return Vec::new();
    };
    let (a_at, b_at) = (csv.column("a"), csv.column("b"));
    let mut values: Vec<(usize, f64)> = Vec::new();
    if factors.is_empty() {
        if let (Some(_), Some(_), Some(v_at)) = (a_at, b_at, csv.column("value")) {
            values.push((v_at, 1.0));
        }
    } else {
        for factor in factors {
            match csv.column(&factor.column) {
                Some(at) => values.push((at, factor.weight)),
                None => {
                    let message = format!(
                        "{file:?} has no column {:?}; it has {}",
                        factor.column,
                        csv.header_list()
                    );
                    ctx.error(&factor.place, &factor.field, message);
                }
            }
        }
        if values.len() < factors.len() {
            return Vec::new();
        }
    }
    let (Some(a_at), Some(b_at), false) = (a_at, b_at, values.is_empty()) else {
        let message = if factors.is_empty() {
            format!(
                "{file:?} needs the columns \"a\", \"b\" and \"value\"; it has {}",
                csv.header_list()
            )
        } else {
            format!(
                "{file:?} needs the columns \"a\" and \"b\"; it has {}",
                csv.header_list()
            )
        };
        ctx.error(&node.place, field, message);
        return Vec::new();
    };
    let lookup = |name: &str| {
        env.states
            .iter()
            .position(|s| s.name == name)
            .or_else(|| {
                env.states
                    .iter()
                    .position(|s| !s.iso3.is_empty() && s.iso3 == name)
            })
            .map(StateId::from_index)
    };
    let names: Vec<&str> = env.states.iter().map(|s| s.name.as_str()).collect();
    let value = |cell: &str| match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("expected a finite number, found {cell:?}")),
    };
    let spec = pairs::PairRows {
        states: [a_at, b_at],
        values: &values,
        lookup: &lookup,
        names: &names,
        unknown_is_error: true,
        value: &value,
        what: "propensities",
    };
    pairs::read(ctx, &mut csv, &spec)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::model::ids::StateId;
    use crate::scenario::document::load_text;

    /// Three states (USA, France, China: gdp 2, 1, 1) with labels, one issue.
    const BASE: &str = r#"[scenario]
name = "t"
[world]
capabilities = ["gdp"]
[[states]]
name = "United States"
iso3 = "USA"
capabilities = { gdp = 2.0 }
labels = ["democracy", "nato"]
[[states]]
name = "France"
iso3 = "FRA"
capabilities = { gdp = 1.0 }
labels = ["democracy", "nato"]
[[states]]
name = "China"
iso3 = "CHN"
capabilities = { gdp = 1.0 }
labels = ["brics"]
[[issues]]
name = "align"
capability = "gdp"
[behaviour]
rule = "landscape"
"#;

    fn load(text: &str, dir: &Path) -> Result<crate::scenario::Scenario, Vec<String>> {
        load_text(text, "s.toml", dir, &[])
            .map(|l| l.scenario)
            .map_err(|e| e.0.iter().map(ToString::to_string).collect())
    }

    fn errors(text: &str, dir: &Path) -> Vec<String> {
        match load(text, dir) {
            Ok(_) => panic!("expected errors for:\n{text}"),
            Err(e) => e,
        }
    }

    #[test]
    fn a_full_table_reads_labels_observed_and_pairs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("p.csv"),
            "# source: test\na,b,value\nUSA,China,-2\nFrance,CHN,0.5\n",
        )
        .unwrap();
        let text = format!(
            "{BASE}[behaviour.landscape]\nissue = \"align\"\nsize = \"gdp\"\npropensities = \"p.csv\"\nalike = {{ democracy = 1.0 }}\nshared = {{ nato = 0.5 }}\napart = {{ brics = 2 }}\nobserved = [\"USA\", \"France\"]\nenumerate_max = 3\nstarts = 50\n"
        );
        let s = load(&text, dir.path()).unwrap();
        let l = &s.behaviour.landscape;
        let (usa, fra, chn) = (StateId(0), StateId(1), StateId(2));
        assert_eq!(l.pairs, vec![(usa, chn, -2.0), (fra, chn, 0.5)]);
        assert_eq!(l.alike.len(), 1);
        assert_eq!(l.shared.len(), 1);
        assert_eq!(l.apart.len(), 1);
        assert_eq!(l.observed, Some(vec![true, true, false]));
        assert_eq!((l.enumerate_max, l.starts), (3, 50));
        // USA–France: alike democracy +1, shared nato +0.5 = 1.5; USA–China: unlike −1,
        // file −2 = −3; France–China: −1 + 0.5 = −0.5. Sizes 2, 1, 1 → 0.5, 0.25, 0.25.
        let land = crate::behaviour::landscape::Landscape::from_scenario(&s);
        assert_eq!(land.size, vec![0.5, 0.25, 0.25]);
        assert_eq!(land.propensity[1], 1.5);
        assert_eq!(land.propensity[2], -3.0);
        assert_eq!(land.propensity[5], -0.5);
        assert_eq!(land.propensity[7], -0.5);
    }

    #[test]
    fn observed_may_be_a_label() {
        let text = format!("{BASE}[behaviour.landscape]\nobserved = \"nato\"\n");
        let s = load(&text, Path::new(".")).unwrap();
        assert_eq!(
            s.behaviour.landscape.observed,
            Some(vec![true, true, false])
        );
    }

    #[test]
    fn unknown_names_are_errors_with_suggestions() {
        let text = format!(
            "{BASE}[behaviour.landscape]\nissue = \"algn\"\nsize = \"gpd\"\nalike = {{ democracyy = 1 }}\nobserved = [\"USX\"]\nstart = 5\n"
        );
        assert_eq!(
            errors(&text, Path::new(".")),
            [
                "s.toml:26:9: behaviour.landscape.issue: unknown issue \"algn\"; did you mean \"align\"?",
                "s.toml:27:8: behaviour.landscape.size: unknown capability \"gpd\"; did you mean \"gdp\"?",
                "s.toml:28:11: behaviour.landscape.alike.democracyy: unknown label \"democracyy\"; did you mean \"democracy\"?: no state carries it",
                "s.toml:29:13: behaviour.landscape.observed[0]: unknown state \"USX\"; did you mean \"USA\"?",
                "s.toml:30:1: behaviour.landscape.start: unknown field; did you mean \"starts\"?",
            ]
        );
    }

    #[test]
    fn bad_pairs_are_errors_at_their_rows() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("p.csv"),
            "a,b,value\nUSA,CHN,1\nCHN,USA,2\nFRA,FRA,1\nFRA,Atlantis,1\nFRA,CHN,x\n",
        )
        .unwrap();
        let text = format!("{BASE}[behaviour.landscape]\npropensities = \"p.csv\"\n");
        let errs = errors(&text, dir.path());
        let path = dir.path().join("p.csv").display().to_string();
        assert_eq!(
            errs,
            [
                format!(
                    "{path}:3:1: row 2: column a: the pair \"United States\", \"China\" is given twice (propensities are symmetric: give each pair once)"
                ),
                format!("{path}:4:1: row 3: column b: \"France\" is paired with itself"),
                format!("{path}:5:1: row 4: column b: unknown state \"Atlantis\""),
                format!("{path}:6:1: row 5: column value: expected a finite number, found \"x\""),
            ]
        );
    }

    #[test]
    fn missing_columns_and_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.csv"), "x,y,value\n").unwrap();
        let text = format!("{BASE}[behaviour.landscape]\npropensities = \"p.csv\"\n");
        assert_eq!(
            errors(&text, dir.path()),
            [
                "s.toml:26:16: behaviour.landscape.propensities: \"p.csv\" needs the columns \"a\", \"b\" and \"value\"; it has x, y, value"
            ]
        );
        let text = format!("{BASE}[behaviour.landscape]\npropensities = \"none.csv\"\n");
        let errs = errors(&text, dir.path());
        assert_eq!(errs.len(), 1);
        assert!(errs[0].contains("cannot read \"none.csv\""), "{errs:?}");
    }

    #[test]
    fn factors_weight_the_pair_files_columns() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("f.csv"),
            "# two factors and a note\na,b,war,border,note,value\nUSA,CHN,1,1,x,9\nFRA,CHN,0,1,,9\nUSA,FRA,0,0,,9\n",
        )
        .unwrap();
        let text = format!(
            "{BASE}[behaviour.landscape]\npropensities = \"f.csv\"\nfactors = {{ war = -1.0, border = -0.5 }}\n"
        );
        let s = load(&text, dir.path()).unwrap();
        let (usa, fra, chn) = (StateId(0), StateId(1), StateId(2));
        // The `value` and `note` columns are not named, so not read.
        assert_eq!(
            s.behaviour.landscape.pairs,
            vec![(usa, chn, -1.5), (fra, chn, -0.5), (usa, fra, 0.0)]
        );
        // A weight set on the command line, as the Europe 1936 variant does.
        let set = ["behaviour.landscape.factors.war=0".to_string()];
        let s = load_text(&text, "s.toml", dir.path(), &set)
            .unwrap()
            .scenario;
        assert_eq!(s.behaviour.landscape.pairs[0], (usa, chn, -0.5));
    }

    #[test]
    fn factors_name_existing_columns_and_need_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f.csv"), "a,b,war\nUSA,CHN,1\nFRA,CHN,y\n").unwrap();
        let text = format!(
            "{BASE}[behaviour.landscape]\npropensities = \"f.csv\"\nfactors = {{ wars = -1.0 }}\n"
        );
        assert_eq!(
            errors(&text, dir.path()),
            [
                "s.toml:27:13: behaviour.landscape.factors.wars: \"f.csv\" has no column \"wars\"; it has a, b, war"
            ]
        );
        let text = text.replace("wars", "war");
        let path = dir.path().join("f.csv").display().to_string();
        assert_eq!(
            errors(&text, dir.path()),
            [format!(
                "{path}:3:1: row 2: column war: expected a finite number, found \"y\""
            )]
        );
        let text = format!("{BASE}[behaviour.landscape]\nfactors = {{ war = -1.0 }}\n");
        assert_eq!(
            errors(&text, dir.path()),
            [
                "s.toml:26:11: behaviour.landscape.factors: needs a `propensities` file whose columns it weights"
            ]
        );
        let text =
            format!("{BASE}[behaviour.landscape]\npropensities = \"f.csv\"\nfactors = {{}}\n");
        assert_eq!(
            errors(&text, dir.path()),
            [
                "s.toml:27:11: behaviour.landscape.factors: names no column: give at least one `column = weight`"
            ]
        );
    }

    #[test]
    fn the_sides_must_fit_in_a_coalition() {
        let text = format!("{BASE}[coalitions]\nmax_size = 2\n");
        assert_eq!(
            errors(&text, Path::new(".")),
            [
                "s.toml:26:12: coalitions.max_size: the landscape rule needs coalitions.max_size >= the number of actors (3), found 2: one side may hold every actor"
            ]
        );
        // Under another rule the same table is fine.
        let text = text.replace("rule = \"landscape\"", "rule = \"utility\"");
        assert!(load(&text, Path::new(".")).is_ok());
    }

    #[test]
    fn enumerate_max_is_capped() {
        let text = format!("{BASE}[behaviour.landscape]\nenumerate_max = 31\n");
        assert_eq!(
            errors(&text, Path::new(".")),
            [
                "s.toml:26:17: behaviour.landscape.enumerate_max: expected an integer in 0 ..= 30, found 31"
            ]
        );
    }

    #[test]
    fn all_sizes_zero_is_an_error() {
        let text = BASE
            .replace("gdp = 2.0", "gdp = 0.0")
            .replace("gdp = 1.0", "gdp = 0.0");
        let errs = errors(&text, Path::new("."));
        assert_eq!(
            errs,
            [
                "s.toml:24:8: behaviour.landscape.size: every actor has size 0 on capability \"gdp\": no landscape to minimise"
            ]
        );
    }
}
