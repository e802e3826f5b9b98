//! Scenario documents: reading a scenario file (and a separate sweep design file), the
//! `--set` overrides and command-line sweep options applied to its tree, and the
//! entry points that validate it ([`load_path`], [`load_text`], [`Document`]).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::parse::{self, Entry, Kind, Node, Place};
use super::reader::Ctx;
use super::schema;
use super::{Loaded, Scenario};
use crate::error::{ScenarioError, ScenarioErrors};

/// Reads, overrides and validates the scenario file at `path`; CSV data files are
/// resolved relative to its folder. The hash is of the file's bytes.
pub fn load_path(path: &Path, overrides: &[String]) -> Result<Loaded, ScenarioErrors> {
    Document::read(path, overrides, None)?.scenario()
}

/// Validates scenario `text`; `origin` names it in errors, CSV data files are resolved
/// relative to `base_dir`. The hash is of the text.
pub fn load_text(
    text: &str,
    origin: &str,
    base_dir: &Path,
    overrides: &[String],
) -> Result<Loaded, ScenarioErrors> {
    Document::from_text(
        text.to_owned(),
        origin.to_owned(),
        base_dir.to_path_buf(),
        overrides,
        sha256_hex(text.as_bytes()),
    )?
    .scenario()
}

/// Reads a file as UTF-8 text; problems are one error with origin `origin`.
fn read_text(path: &Path) -> Result<(String, String), ScenarioErrors> {
    let origin = path.display().to_string();
    let fail = |message: String| {
        ScenarioErrors(vec![ScenarioError {
            origin: origin.clone(),
            position: None,
            field: String::new(),
            message,
        }])
    };
    let bytes = std::fs::read(path)
        .map_err(|e| fail(format!("cannot read the file: {}", io_message(&e))))?;
    let hash = sha256_hex(&bytes);
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let mut error = fail(format!(
            "not UTF-8 text (invalid byte 0x{:02x}); save the file as UTF-8",
            bytes[at]
        ));
        // The position of the first invalid byte as line:column, counting characters
        // of the valid text before it.
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        error.0[0].position = Some(parse::line_col(valid, at));
        error
    })?;
    Ok((text, hash))
}

/// A separate sweep design file.
#[derive(Clone, Debug)]
pub struct DesignFile {
    /// The file as named by the user.
    pub origin: String,
    /// Its text.
    pub text: String,
    /// SHA-256 of its bytes.
    pub hash: String,
}

/// A parsed scenario document with its overrides applied (and, for sweeps, a separate
/// design file's `[sweep]` table in place of the scenario's): the source every
/// scenario of a run or sweep is validated from.
#[derive(Clone, Debug)]
pub struct Document {
    origin: String,
    text: String,
    base_dir: PathBuf,
    /// How each override (`Place::Override(i)`) is named in errors.
    labels: Vec<String>,
    hash: String,
    design: Option<DesignFile>,
    root: Node,
    /// Problems applying the overrides, reported with every validation.
    override_errors: Vec<(usize, ScenarioError)>,
}

impl Document {
    /// Reads the scenario file at `path` (and the design file, if any) and applies the
    /// overrides. Only unreadable files and TOML syntax errors fail here.
    pub fn read(
        path: &Path,
        overrides: &[String],
        design: Option<&Path>,
    ) -> Result<Document, ScenarioErrors> {
        let (text, hash) = read_text(path)?;
        let base_dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut doc = Document::parse(text, path.display().to_string(), base_dir, hash)?;
        if let Some(design) = design {
            let (text, hash) = read_text(design)?;
            let origin = design.display().to_string();
            let tree = parse::parse_design(&text, &origin).map_err(|e| ScenarioErrors(vec![e]))?;
            let sweep = match tree.get("sweep") {
                Some(node) => node.clone(),
                None => {
                    return Err(ScenarioErrors(vec![ScenarioError {
                        origin,
                        position: None,
                        field: "sweep".into(),
                        message: "missing required table: a design file holds a [sweep] table"
                            .into(),
                    }]));
                }
            };
            if let Kind::Table(entries) = &mut doc.root.kind {
                entries.retain(|e| e.key != "sweep");
                entries.push(Entry {
                    key: "sweep".into(),
                    key_place: sweep.place.clone(),
                    value: sweep,
                });
            }
            doc.design = Some(DesignFile { origin, text, hash });
        }
        // After the design file, so that `--set sweep.x=...` applies to it too.
        doc.apply_overrides(overrides);
        Ok(doc)
    }

    pub(crate) fn from_text(
        text: String,
        origin: String,
        base_dir: PathBuf,
        overrides: &[String],
        hash: String,
    ) -> Result<Document, ScenarioErrors> {
        let mut doc = Document::parse(text, origin, base_dir, hash)?;
        doc.apply_overrides(overrides);
        Ok(doc)
    }

    fn parse(
        text: String,
        origin: String,
        base_dir: PathBuf,
        hash: String,
    ) -> Result<Document, ScenarioErrors> {
        let root = parse::parse_document(&text, &origin).map_err(|e| ScenarioErrors(vec![e]))?;
        Ok(Document {
            origin,
            text,
            base_dir,
            labels: Vec::new(),
            hash,
            design: None,
            root,
            override_errors: Vec::new(),
        })
    }

    /// Applies `--set` overrides (the first ones given: their places are their
    /// indices).
    fn apply_overrides(&mut self, overrides: &[String]) {
        debug_assert!(self.labels.is_empty());
        for (i, set) in overrides.iter().enumerate() {
            self.labels.push(format!("--set {set}"));
            if let Err(e) = parse::apply_override(&mut self.root, i, set) {
                self.override_errors.push((i, e));
            }
        }
    }

    /// Sets `sweep.KEY = value` from a command-line option named `label` in errors
    /// (e.g. `--design lhs`).
    pub fn set_sweep_option(&mut self, key: &str, value: Node, label: String) {
        let i = self.labels.len();
        self.labels.push(label);
        let value = Node {
            place: Place::Override(i),
            kind: value.kind,
        };
        let sweep = self.sweep_table();
        if let Kind::Table(entries) = &mut sweep.kind {
            entries.retain(|e| e.key != key);
            entries.push(Entry {
                key: key.to_owned(),
                key_place: Place::Override(i),
                value,
            });
        }
    }

    /// Replaces `sweep.params` by parameters given on the command line: each
    /// `(path, value, label)`, the value a list or range table.
    pub fn set_sweep_params(&mut self, params: Vec<(String, Node, String)>) {
        let mut entries = Vec::new();
        for (path, value, label) in params {
            let i = self.labels.len();
            self.labels.push(label);
            entries.push(Entry {
                key: path,
                key_place: Place::Override(i),
                value: replace_places(value, &Place::Override(i)),
            });
        }
        let place = entries
            .first()
            .map_or(Place::Override(0), |e| e.key_place.clone());
        let sweep = self.sweep_table();
        if let Kind::Table(table) = &mut sweep.kind {
            table.retain(|e| e.key != "params");
            table.push(Entry {
                key: "params".into(),
                key_place: place.clone(),
                value: Node {
                    place,
                    kind: Kind::Table(entries),
                },
            });
        }
    }

    /// The `[sweep]` table, created if absent.
    fn sweep_table(&mut self) -> &mut Node {
        let Kind::Table(entries) = &mut self.root.kind else {
            unreachable!("a document's root is a table");
        };
        let pos = match entries.iter().position(|e| e.key == "sweep") {
            Some(pos) => pos,
            None => {
                let place = Place::Override(self.labels.len().saturating_sub(1));
                entries.push(Entry {
                    key: "sweep".into(),
                    key_place: place.clone(),
                    value: Node {
                        place,
                        kind: Kind::Table(Vec::new()),
                    },
                });
                entries.len() - 1
            }
        };
        &mut entries[pos].value
    }

    /// The separate design file, if one was given.
    pub fn design_file(&self) -> Option<&DesignFile> {
        self.design.as_ref()
    }

    /// The document's tree (overrides applied).
    pub fn root(&self) -> &Node {
        &self.root
    }

    fn ctx(&self) -> Ctx<'_> {
        let mut ctx = Ctx::new(&self.origin, &self.text, &self.labels);
        if let Some(d) = &self.design {
            ctx.design = Some((&d.origin, &d.text));
        }
        for (i, e) in &self.override_errors {
            ctx.push(Place::Override(*i), e.clone());
        }
        ctx
    }

    /// Validates the scenario (a `[sweep]` table is ignored: see [`Document::sweep_spec`]).
    pub fn scenario(&self) -> Result<Loaded, ScenarioErrors> {
        let mut ctx = self.ctx();
        let scenario = schema::build(&mut ctx, &self.root, &self.base_dir);
        ctx.finish()?;
        let mut inputs = vec![(self.origin.clone(), self.hash.clone())];
        if let Some(d) = &self.design {
            inputs.push((d.origin.clone(), d.hash.clone()));
        }
        for input in ctx.inputs.drain(..) {
            if !inputs.contains(&input) {
                inputs.push(input);
            }
        }
        Ok(Loaded {
            scenario,
            resolved: parse::to_json(&self.root),
            hash: self.hash.clone(),
            inputs,
            warnings: ctx.warnings,
        })
    }

    /// Reads the `[sweep]` table (or the design file's) against the validated base
    /// scenario. Does not validate the points (see [`Document::point`]).
    pub fn sweep_spec(&self, base: &Scenario) -> Result<super::sweep::SweepSpec, ScenarioErrors> {
        let mut ctx = self.ctx();
        let spec = super::sweep::read(&mut ctx, &self.root, base);
        ctx.finish()?;
        spec.ok_or_else(|| {
            ScenarioErrors(vec![ScenarioError {
                origin: self.origin.clone(),
                position: None,
                field: "sweep".into(),
                message: "missing required table: a sweep needs a [sweep] table in the scenario, a --design-file, or --vary options".into(),
            }])
        })
    }

    /// Reads the `[calibrate]` table against the validated base scenario.
    pub fn calibration_spec(
        &self,
        base: &Scenario,
    ) -> Result<super::calibrate::CalibrationSpec, ScenarioErrors> {
        let mut ctx = self.ctx();
        let spec = super::calibrate::read(&mut ctx, &self.root, base, &self.base_dir);
        ctx.finish()?;
        spec.ok_or_else(|| {
            ScenarioErrors(vec![ScenarioError {
                origin: self.origin.clone(),
                position: None,
                field: "calibrate".into(),
                message: "missing required table: minilat calibrate needs a [calibrate] table with params and targets".into(),
            }])
        })
    }

    /// The scenario at one sweep point: `values` (path, value, where the path was
    /// written) are stored into the tree and the result validated; every error message
    /// ends with `note`.
    pub fn point(
        &self,
        values: &[(&str, Node, &Place)],
        note: &str,
    ) -> Result<Scenario, ScenarioErrors> {
        let mut root = self.root.clone();
        let mut ctx = self.ctx();
        ctx.note = note;
        for (path, value, key_place) in values {
            let place = value.place.clone();
            if let Err((field, message)) =
                parse::set_value(&mut root, path, value.clone(), key_place)
            {
                ctx.error(&place, &field, message);
            }
        }
        let scenario = schema::build(&mut ctx, &root, &self.base_dir);
        ctx.finish()?;
        Ok(scenario)
    }
}

/// `node` with every place set to `place`.
fn replace_places(node: Node, place: &Place) -> Node {
    let kind = match node.kind {
        Kind::Array(items) => Kind::Array(
            items
                .into_iter()
                .map(|n| replace_places(n, place))
                .collect(),
        ),
        Kind::Table(entries) => Kind::Table(
            entries
                .into_iter()
                .map(|e| Entry {
                    key: e.key,
                    key_place: place.clone(),
                    value: replace_places(e.value, place),
                })
                .collect(),
        ),
        other => other,
    };
    Node {
        place: place.clone(),
        kind,
    }
}

/// SHA-256 of the bytes, as hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An I/O error's text without the trailing ` (os error N)`.
pub(super) fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::sha256_hex;
    use crate::scenario::fixtures::{NAMES, TINY, edit, errors, load, rich};
    use crate::scenario::{Rule, Weight};

    #[test]
    fn hash_and_resolved_document() {
        let loaded = load(TINY, &["scenario.ticks=7"]).unwrap();
        assert_eq!(loaded.hash, sha256_hex(TINY.as_bytes()));
        assert_eq!(loaded.hash.len(), 64);
        assert_eq!(loaded.resolved["scenario"]["ticks"], 7);
        assert_eq!(loaded.resolved["states"][1]["capabilities"]["gdp"], 2.0);
        assert_eq!(loaded.scenario.ticks, 7);
    }

    #[test]
    fn many_errors_at_once_in_file_order_then_overrides() {
        let text = TINY
            .replace("name = \"tiny\"", "name = \"my run\"")
            .replace("[\"gdp\"]", "[\"gdp\", \"gdp\"]")
            .replace("gdp = 2.0", "gdp = -2")
            .replace("\"unanimity\"", "\"majority\"")
            + "delay = 0\n[coalitions]\nrule = \"veto\"\nhazard_bloc = 2\n";
        assert_eq!(
            errors(
                &text,
                &["coalitions.max_size=abc", "behaviour.temperature=-1"]
            ),
            [
                "s.toml:2:8: scenario.name: expected a name of ASCII letters, digits, '-', '_' and '.', found \"my run\"",
                "s.toml:4:24: world.capabilities[1]: duplicate capability \"gdp\"",
                "s.toml:10:24: states[1].capabilities.gdp: expected a number >= 0, found -2",
                "s.toml:17:8: bodies[0].rule: expected one of unanimity, consensus, veto, qmv; found \"majority\"",
                "s.toml:18:9: bodies[0].delay: expected an integer in 1 ..= 1000000, found 0",
                "s.toml:20:8: coalitions.rule: expected one of unanimity, consensus, qmv; found \"veto\"",
                "s.toml:21:15: coalitions.hazard_bloc: expected a number in [0, 1], found 2",
                "--set coalitions.max_size=abc: coalitions.max_size: expected an integer, found string \"abc\"",
                "--set behaviour.temperature=-1: behaviour.temperature: expected a number in [0, 10], found -1",
            ]
        );
    }

    #[test]
    fn overrides_by_index_by_name_and_as_plain_strings() {
        let s = load(
            NAMES,
            &[
                "bodies[0].rule=qmv",
                "bodies.UNSC.veto=[]",
                "states.FRA.population=67",
                "issues.climate.good=\"club\"",
                "scenario.description=a plain string",
            ],
        );
        let errors = s.as_ref().err().cloned().unwrap_or_default();
        assert_eq!(
            errors,
            ["--set bodies.UNSC.veto=[]: bodies[0].veto: applies only to rule \"veto\""]
        );
        let text = edit(
            NAMES,
            "rule = \"veto\"\nveto = [\"USA\", \"FRA\"]",
            "rule = \"unanimity\"",
        );
        let overrides = [
            "bodies[0].rule=qmv",
            "bodies.UNSC.qmv_count=0.6",
            "states.FRA.population=67",
            "issues.climate.good=\"club\"",
            "scenario.description=a plain string",
        ];
        let s = load(&text, &overrides).unwrap().scenario;
        let expected = Rule::Qmv {
            count: Some(0.6),
            weight: None,
            weight_by: Weight::Population,
            min_members: None,
            blocking_minority: None,
        };
        assert_eq!(s.bodies[0].rule, expected);
        assert_eq!(s.states[1].population, 67.0);
        assert_eq!(s.issues[0].excludability, 1.0);
        assert_eq!(s.description, "a plain string");
    }

    #[test]
    fn bad_override_paths_are_reported_after_file_errors() {
        let text = edit(TINY, "\"unanimity\"", "\"majority\"");
        assert_eq!(
            errors(
                &text,
                &[
                    "bodies[3].rule=qmv",
                    "bodies.NATO.rule=qmv",
                    "scenario.name.x=1"
                ]
            ),
            [
                "s.toml:17:8: bodies[0].rule: expected one of unanimity, consensus, veto, qmv; found \"majority\"",
                "--set bodies[3].rule=qmv: bodies[3]: index 3 out of range: bodies has 1 elements",
                "--set bodies.NATO.rule=qmv: bodies.NATO: no element of bodies has name \"NATO\"",
                "--set scenario.name.x=1: scenario.name.x: scenario.name is string \"tiny\", not a table",
            ]
        );
    }

    #[test]
    fn garbage_never_panics() {
        let base = rich();
        load(&base, &[]).unwrap();
        let mut variants: Vec<String> = Vec::new();
        let boundaries: Vec<usize> = (0..base.len())
            .filter(|&i| base.is_char_boundary(i))
            .collect();
        for &i in boundaries.iter().step_by(5) {
            variants.push(base[..i].to_owned());
        }
        let chars: Vec<char> = base.chars().collect();
        for i in (0..chars.len() - 1).step_by(7) {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            variants.push(swapped.into_iter().collect());
        }
        let lines: Vec<&str> = base.lines().collect();
        for skip in 0..lines.len() {
            let kept: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != skip)
                .map(|(_, l)| *l)
                .collect();
            variants.push(kept.join("\n"));
        }
        // Every number, in turn, replaced by something hostile.
        let mut start = None;
        for (i, c) in base.char_indices().chain([(base.len(), ' ')]) {
            match (start, c.is_ascii_digit() || c == '.') {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    for hostile in [
                        "-1",
                        "1e309",
                        "\"x\"",
                        "nan",
                        "99999999999999999999",
                        "-inf",
                        "{}",
                    ] {
                        variants.push(format!("{}{hostile}{}", &base[..s], &base[i..]));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        assert!(variants.len() > 300, "{}", variants.len());
        let mut ok = 0;
        for text in &variants {
            if load(text, &["bodies[0].rule=qmv"]).is_ok() {
                ok += 1;
            }
            let _ = load(
                text,
                &["states.USA.capabilities.gdp=-1", "x[9]=1", "=", "a.b.c.d="],
            );
        }
        assert!(ok > 0 && ok < variants.len());
    }
}
