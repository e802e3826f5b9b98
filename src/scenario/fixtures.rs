//! Small scenarios and loaders shared by the scenario module's unit tests.

use std::path::Path;

use super::Loaded;
use super::document::load_text;

pub(super) const TINY: &str = r#"[scenario]
name = "tiny"
[world]
capabilities = ["gdp"]
[[states]]
name = "A"
capabilities = { gdp = 1.0 }
[[states]]
name = "B"
capabilities = { gdp = 2.0 }
[[issues]]
name = "trade"
capability = "gdp"
[[bodies]]
name = "Council"
members = "all"
rule = "unanimity"
"#;

/// Three states (one non-state actor) with ISO3 codes and a veto body.
pub(super) const NAMES: &str = r#"[scenario]
name = "names"
[world]
capabilities = ["gdp"]
[[states]]
name = "United States"
iso3 = "USA"
capabilities = { gdp = 3.0 }
[[states]]
name = "France"
iso3 = "FRA"
capabilities = { gdp = 1.0 }
[[states]]
name = "Greenpeace"
non_state = true
capabilities = { gdp = 0.0 }
[[issues]]
name = "climate"
capability = "gdp"
[[bodies]]
name = "UNSC"
members = ["USA", "France"]
rule = "veto"
veto = ["USA", "FRA"]
"#;

pub(super) fn load(text: &str, overrides: &[&str]) -> Result<Loaded, Vec<String>> {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load_text(text, "s.toml", Path::new("."), &overrides)
        .map_err(|e| e.0.iter().map(ToString::to_string).collect())
}

pub(super) fn errors(text: &str, overrides: &[&str]) -> Vec<String> {
    match load(text, overrides) {
        Ok(_) => panic!("expected errors for:\n{text}"),
        Err(errors) => errors,
    }
}

/// `base` with `from` (which must occur) replaced by `to`.
pub(super) fn edit(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "{from:?} not in the scenario");
    base.replacen(from, to, 1)
}

/// A scenario using most features, for mutation.
pub(super) fn rich() -> String {
    format!(
        "{}\n{}",
        edit(
            NAMES,
            "[[states]]",
            "[defaults]\nsalience = { dist = \"uniform\", min = 0.1, max = 0.9 }\nbandwidth = 2\n[[states]]"
        ),
        "[coalitions]\nrule = \"qmv\"\nmax_size = 3\ngoal = 5.5\n[[affinities]]\nstates = [\"USA\", \"FRA\"]\nvalue = 0.25\n[output]\nticks = \"all\"\nevery = 2\n[sweep]\nx = [1, 2]\n"
    )
}
