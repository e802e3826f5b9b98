//! Scenario tree → validated [`Scenario`]. Every problem is collected (never only the
//! first), each with its origin, line, column and field path, then sorted by position
//! in the file, overrides' problems last. The rules and defaults are those of
//! `docs/scenario.md`.
//!
//! Reading is table-driven: `Ctx` records errors and its typed readers return
//! `Option<T>` (`None` once the problem is recorded); `Table` adds field paths,
//! defaults and "missing required field" on top.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::data;
use super::parse::{self, Entry, Kind, Node, Place};
use super::rules;
use super::{
    BehaviourRule, BehaviourSpec, BodySpec, CapId, CoalitionSpec, DecisionSpec, InterestSpec,
    IssueId, IssueSpec, Loaded, OutputSpec, Param, PayoffSpec, Rule, Scenario, StateId, StateSpec,
    TickOutput, Weight,
};
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
        let scenario = build(&mut ctx, &self.root, &self.base_dir);
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
        let scenario = build(&mut ctx, &root, &self.base_dir);
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

// ---------------------------------------------------------------------------------
// The reader: error collection and typed access to nodes.
// ---------------------------------------------------------------------------------

/// A numeric range with open or closed ends; `hi = ∞` means unbounded above.
#[derive(Clone, Copy, Debug)]
pub(super) struct Interval {
    lo: f64,
    hi: f64,
    lo_open: bool,
    hi_open: bool,
}

/// `[lo, hi]`.
const fn closed(lo: f64, hi: f64) -> Interval {
    Interval {
        lo,
        hi,
        lo_open: false,
        hi_open: false,
    }
}

/// `(lo, hi]`.
pub(super) const fn above(lo: f64, hi: f64) -> Interval {
    Interval {
        lo,
        hi,
        lo_open: true,
        hi_open: false,
    }
}

/// `[0, 1]`, the range of shares, probabilities, saliences and positions.
pub(super) const UNIT: Interval = closed(0.0, 1.0);
/// `>= 0` (finite).
pub(super) const NON_NEGATIVE: Interval = Interval {
    lo: 0.0,
    hi: f64::INFINITY,
    lo_open: false,
    hi_open: true,
};

/// Any finite number.
pub(super) const ANY_FINITE: Interval = Interval {
    lo: f64::NEG_INFINITY,
    hi: f64::INFINITY,
    lo_open: true,
    hi_open: true,
};

impl Interval {
    fn contains(&self, v: f64) -> bool {
        let lo_ok = if self.lo_open {
            v > self.lo
        } else {
            v >= self.lo
        };
        let hi_ok = if self.hi_open {
            v < self.hi
        } else {
            v <= self.hi
        };
        lo_ok && hi_ok && v.is_finite()
    }
}

impl fmt::Display for Interval {
    /// `in [0, 1]`, `in (0, 10]` or `>= 0`, to follow "expected a number".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = if self.lo_open { ">" } else { ">=" };
        if self.lo.is_infinite() && self.hi.is_infinite() {
            return write!(f, "that is finite");
        }
        if self.hi.is_infinite() {
            return write!(f, "{op} {}", self.lo);
        }
        let open = if self.lo_open { '(' } else { '[' };
        let close = if self.hi_open { ')' } else { ']' };
        write!(f, "in {open}{}, {}{close}", self.lo, self.hi)
    }
}

/// Collects errors and warnings while reading the tree.
pub(super) struct Ctx<'a> {
    origin: &'a str,
    text: &'a str,
    /// How each override is named in errors (`--set PATH=VALUE`, `--vary ...`).
    overrides: &'a [String],
    /// A separate design file: origin and text.
    design: Option<(&'a str, &'a str)>,
    /// Appended to every error message (e.g. which sweep point).
    note: &'a str,
    /// Byte offsets of the text's line starts, computed on first use (duplicate checks
    /// ask for the line of every name, so it must not rescan the text each time).
    line_starts: std::cell::OnceCell<Vec<usize>>,
    /// Each error with its sort key: (0 for the file or 1 + override index, offset in
    /// the file, line in the error's own origin).
    errors: Vec<((usize, usize, usize), ScenarioError)>,
    warnings: Vec<String>,
    /// Every data file read: (path as resolved, SHA-256 of its bytes).
    pub(super) inputs: Vec<(String, String)>,
}

impl<'a> Ctx<'a> {
    fn new(origin: &'a str, text: &'a str, overrides: &'a [String]) -> Self {
        Ctx {
            origin,
            text,
            overrides,
            design: None,
            note: "",
            line_starts: std::cell::OnceCell::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            inputs: Vec::new(),
        }
    }

    fn sort_key(place: &Place) -> (usize, usize) {
        match place {
            Place::File(span) => (0, span.start),
            Place::Design(span) => (1, span.start),
            Place::Override(i) => (i.saturating_add(2), 0),
        }
    }

    /// Sorts the errors (file order, design file, then overrides); `Err` if any.
    fn finish(&mut self) -> Result<(), ScenarioErrors> {
        if self.errors.is_empty() {
            return Ok(());
        }
        self.errors.sort_by_key(|(key, _)| *key);
        let mut errors: Vec<ScenarioError> = Vec::new();
        for (_, e) in self.errors.drain(..) {
            if !errors.contains(&e) {
                errors.push(e);
            }
        }
        Err(ScenarioErrors(errors))
    }

    /// Records an error about the value or key at `place`.
    pub(super) fn error(&mut self, place: &Place, field: &str, message: impl Into<String>) {
        let (origin, position) = match place {
            Place::File(span) => (
                self.origin.to_owned(),
                Some(parse::line_col(self.text, span.start)),
            ),
            Place::Design(span) => {
                let (origin, text) = self.design.unwrap_or((self.origin, self.text));
                (origin.to_owned(), Some(parse::line_col(text, span.start)))
            }
            Place::Override(i) => (self.overrides.get(*i).cloned().unwrap_or_default(), None),
        };
        let error = ScenarioError {
            origin,
            position,
            field: field.to_owned(),
            message: {
                let mut m: String = message.into();
                m.push_str(self.note);
                m
            },
        };
        self.push(place.clone(), error);
    }

    /// Records an error located elsewhere (e.g. in a CSV file), sorted as if at
    /// `anchor`, then by its own line.
    pub(super) fn push(&mut self, anchor: Place, error: ScenarioError) {
        let (group, offset) = Self::sort_key(&anchor);
        let line = error.position.map_or(0, |(line, _)| line);
        self.errors.push(((group, offset, line), error));
    }

    /// Records a warning.
    pub(super) fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }

    /// Where a place is, for "(first at ...)": `line 7` or `--set ...`.
    fn whereabouts(&self, place: &Place) -> String {
        match place {
            Place::File(span) => {
                let starts = self.line_starts.get_or_init(|| {
                    std::iter::once(0)
                        .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                        .collect()
                });
                format!("line {}", starts.partition_point(|&s| s <= span.start))
            }
            Place::Design(span) => {
                let (origin, text) = self.design.unwrap_or((self.origin, self.text));
                format!("{origin} line {}", parse::line_col(text, span.start).0)
            }
            Place::Override(i) => self.overrides.get(*i).cloned().unwrap_or_default(),
        }
    }

    pub(super) fn type_error(&mut self, node: &Node, field: &str, expected: &str) {
        let message = format!("expected {expected}, found {}", node.describe());
        self.error(&node.place, field, message);
    }

    /// A string without control characters (terminal escapes would be printed raw by
    /// `watch`, `story` and `list`, and break charts); a `description` may hold line
    /// breaks and tabs.
    pub(super) fn string(&mut self, node: &Node, field: &str) -> Option<String> {
        match &node.kind {
            Kind::Str(s) => {
                let multiline = field.ends_with("description");
                let bad = s
                    .chars()
                    .find(|&c| c.is_control() && !(multiline && (c == '\n' || c == '\t')));
                if let Some(c) = bad {
                    let allowed = if multiline {
                        "line breaks and tabs are the only control characters allowed"
                    } else {
                        "control characters are not allowed"
                    };
                    let message = format!(
                        "expected printable text, found {s:?}, which holds {c:?} ({allowed})"
                    );
                    self.error(&node.place, field, message);
                    return None;
                }
                Some(s.clone())
            }
            _ => {
                self.type_error(node, field, "a string");
                None
            }
        }
    }

    /// An integer in `range`.
    pub(super) fn integer(
        &mut self,
        node: &Node,
        field: &str,
        range: RangeInclusive<i64>,
    ) -> Option<i64> {
        let found = match &node.kind {
            Kind::Int(v) if range.contains(v) => return Some(*v),
            Kind::Int(v) => v.to_string(),
            Kind::BigInt(text) => text.clone(),
            _ => {
                self.type_error(node, field, "an integer");
                return None;
            }
        };
        let message = format!(
            "expected an integer in {} ..= {}, found {found}",
            range.start(),
            range.end()
        );
        self.error(&node.place, field, message);
        None
    }

    /// A finite number in `range` (integers are numbers too).
    pub(super) fn number(&mut self, node: &Node, field: &str, range: Interval) -> Option<f64> {
        let (value, found) = match &node.kind {
            Kind::Int(v) => (*v as f64, v.to_string()),
            Kind::BigInt(text) => (text.parse().unwrap_or(f64::NAN), text.clone()),
            Kind::Float(v) => (*v, format!("{v:?}")),
            _ => {
                self.type_error(node, field, "a number");
                return None;
            }
        };
        if range.contains(value) {
            Some(value)
        } else {
            let message = format!("expected a number {range}, found {found}");
            self.error(&node.place, field, message);
            None
        }
    }

    pub(super) fn boolean(&mut self, node: &Node, field: &str) -> Option<bool> {
        match node.kind {
            Kind::Bool(b) => Some(b),
            _ => {
                self.type_error(node, field, "true or false");
                None
            }
        }
    }

    /// One of the named `options`.
    pub(super) fn choice<T: Copy>(
        &mut self,
        node: &Node,
        field: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let found = match &node.kind {
            Kind::Str(s) => match options.iter().find(|(name, _)| name == s) {
                Some((_, value)) => return Some(*value),
                None => format!("{s:?}"),
            },
            _ => node.describe(),
        };
        let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
        let message = format!("expected one of {}; found {found}", names.join(", "));
        self.error(&node.place, field, message);
        None
    }

    /// The elements of a list; `expected` names the list in the error, e.g.
    /// `a list of strings`.
    pub(super) fn list<'n>(
        &mut self,
        node: &'n Node,
        field: &str,
        expected: &str,
    ) -> Option<&'n [Node]> {
        match &node.kind {
            Kind::Array(items) => Some(items),
            _ => {
                self.type_error(node, field, expected);
                None
            }
        }
    }

    /// The strings of a list of strings, each with its node (non-strings are errors).
    fn strings<'n>(&mut self, node: &'n Node, field: &str) -> Vec<(String, &'n Node)> {
        let items = self
            .list(node, field, "a list of strings")
            .unwrap_or_default();
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let s = self.string(item, &format!("{field}[{i}]"))?;
                Some((s, item))
            })
            .collect()
    }

    /// A table; with `allowed`, every other key is an "unknown field" error.
    pub(super) fn table<'n>(
        &mut self,
        node: &'n Node,
        field: &str,
        allowed: Option<&str>,
    ) -> Option<Table<'n>> {
        let Kind::Table(entries) = &node.kind else {
            self.type_error(node, field, "a table");
            return None;
        };
        let table = Table {
            path: field.to_owned(),
            place: node.place.clone(),
            entries,
            present: true,
        };
        if let Some(allowed) = allowed {
            table.check_fields(self, allowed);
        }
        Some(table)
    }

    /// A number or a distribution (`{ dist = "uniform" | "normal", ... }`) in `range`.
    fn param(&mut self, node: &Node, field: &str, range: Interval) -> Option<Param> {
        if !matches!(node.kind, Kind::Table(_)) {
            if matches!(node.kind, Kind::Int(_) | Kind::BigInt(_) | Kind::Float(_)) {
                return self.number(node, field, range).map(Param::Fixed);
            }
            let expected =
                "a number or a distribution like { dist = \"uniform\", min = 0, max = 1 }";
            self.type_error(node, field, expected);
            return None;
        }
        let t = self.table(node, field, None)?;
        let dists = [("uniform", false), ("normal", true)];
        let normal = t
            .required(self, "dist")
            .and_then(|d| self.choice(d, &t.field("dist"), &dists))?;
        let (min, max) = if normal {
            t.check_fields(self, "dist mean sd min max");
            (
                Some(t.num(self, "min", range, range.lo)),
                Some(t.num(self, "max", range, range.hi)),
            )
        } else {
            t.check_fields(self, "dist min max");
            let mut bound = |key| {
                let node = t.required(self, key)?;
                self.number(node, &t.field(key), range)
            };
            (bound("min"), bound("max"))
        };
        let normal_args = if normal {
            let mean = t.required(self, "mean");
            let mean = mean.and_then(|n| self.number(n, &t.field("mean"), range));
            let sd = t.required(self, "sd");
            let sd = sd.and_then(|n| self.number(n, &t.field("sd"), NON_NEGATIVE));
            Some((mean?, sd?))
        } else {
            None
        };
        let (min, max) = (min?, max?);
        if min > max {
            let message = format!("expected min <= max, found min {min} and max {max}");
            self.error(&node.place, field, message);
            return None;
        }
        Some(match normal_args {
            Some((mean, sd)) => Param::Normal { mean, sd, min, max },
            None => Param::Uniform { min, max },
        })
    }
}

/// A table being read: its field path, its place (for "missing required field") and
/// its entries. An absent optional table reads as empty.
pub(super) struct Table<'n> {
    path: String,
    place: Place,
    entries: &'n [Entry],
    /// False for an absent or mistyped table: its required fields are not reported
    /// again (the table's own problem already was).
    present: bool,
}

impl<'n> Table<'n> {
    fn absent(path: String, place: Place) -> Self {
        Table {
            path,
            place,
            entries: &[],
            present: false,
        }
    }

    /// The entries in file order.
    pub(super) fn entries(&self) -> &'n [Entry] {
        self.entries
    }

    /// Where the table was written.
    pub(super) fn place(&self) -> &Place {
        &self.place
    }

    /// The field path of `key` in this table, e.g. `bodies[2].rule`.
    pub(super) fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value under `key`, if given.
    pub(super) fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }

    /// Reports every key not in `allowed` (space-separated names), suggesting the
    /// closest allowed one.
    pub(super) fn check_fields(&self, ctx: &mut Ctx, allowed: &str) {
        for entry in self.entries {
            if allowed.split_whitespace().any(|a| a == entry.key) {
                continue;
            }
            let message = match suggest(&entry.key, allowed.split_whitespace()) {
                Some(s) => format!("unknown field; did you mean {s:?}?"),
                None => {
                    let names: Vec<&str> = allowed.split_whitespace().collect();
                    format!("unknown field; expected one of {}", names.join(", "))
                }
            };
            ctx.error(&entry.key_place, &self.field(&entry.key), message);
        }
    }

    /// The value under `key`, or a "missing required field" error at this table.
    pub(super) fn required(&self, ctx: &mut Ctx, key: &str) -> Option<&'n Node> {
        let node = self.get(key);
        if node.is_none() && self.present {
            ctx.error(&self.place, &self.field(key), "missing required field");
        }
        node
    }

    /// A sub-table; absent (or mistyped, which is reported) reads as empty.
    pub(super) fn table(&self, ctx: &mut Ctx, key: &str, allowed: Option<&str>) -> Table<'n> {
        let field = self.field(key);
        match self.get(key) {
            Some(node) => ctx
                .table(node, &field, allowed)
                .unwrap_or_else(|| Table::absent(field, node.place.clone())),
            None => Table::absent(field, self.place.clone()),
        }
    }

    /// A required sub-table (`[world]`): missing is an error, and reads as empty.
    fn required_table(&self, ctx: &mut Ctx, key: &str, allowed: &str) -> Table<'n> {
        if self.get(key).is_none() && self.present {
            ctx.error(&self.place, &self.field(key), "missing required table");
        }
        self.table(ctx, key, Some(allowed))
    }

    /// A required string.
    pub(super) fn required_str(&self, ctx: &mut Ctx, key: &str) -> Option<String> {
        let node = self.required(ctx, key)?;
        ctx.string(node, &self.field(key))
    }

    /// An optional string.
    pub(super) fn opt_str(&self, ctx: &mut Ctx, key: &str) -> Option<String> {
        ctx.string(self.get(key)?, &self.field(key))
    }

    pub(super) fn text(&self, ctx: &mut Ctx, key: &str, default: &str) -> String {
        self.opt_str(ctx, key).unwrap_or_else(|| default.to_owned())
    }

    pub(super) fn num(&self, ctx: &mut Ctx, key: &str, range: Interval, default: f64) -> f64 {
        self.opt_num(ctx, key, range).unwrap_or(default)
    }

    pub(super) fn opt_num(&self, ctx: &mut Ctx, key: &str, range: Interval) -> Option<f64> {
        ctx.number(self.get(key)?, &self.field(key), range)
    }

    /// An optional integer in `range`, which must fit `T`.
    pub(super) fn opt_int<T: TryFrom<i64>>(
        &self,
        ctx: &mut Ctx,
        key: &str,
        range: RangeInclusive<i64>,
    ) -> Option<T> {
        let value = ctx.integer(self.get(key)?, &self.field(key), range)?;
        T::try_from(value).ok()
    }

    pub(super) fn int<T: TryFrom<i64>>(
        &self,
        ctx: &mut Ctx,
        key: &str,
        range: RangeInclusive<i64>,
        default: T,
    ) -> T {
        self.opt_int(ctx, key, range).unwrap_or(default)
    }

    pub(super) fn flag(&self, ctx: &mut Ctx, key: &str, default: bool) -> bool {
        self.get(key)
            .and_then(|node| ctx.boolean(node, &self.field(key)))
            .unwrap_or(default)
    }

    pub(super) fn pick<T: Copy>(
        &self,
        ctx: &mut Ctx,
        key: &str,
        options: &[(&str, T)],
        default: T,
    ) -> T {
        self.get(key)
            .and_then(|node| ctx.choice(node, &self.field(key), options))
            .unwrap_or(default)
    }

    pub(super) fn param(
        &self,
        ctx: &mut Ctx,
        key: &str,
        range: Interval,
        default: &Param,
    ) -> Param {
        self.get(key)
            .and_then(|node| ctx.param(node, &self.field(key), range))
            .unwrap_or_else(|| default.clone())
    }
}

/// Levenshtein distance between two strings, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// The candidate closest to `name` (ignoring case), if it is close enough to be a typo.
pub(super) fn suggest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let lower = name.to_lowercase();
    let len = name.chars().count();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= 2 && d < len)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// `unknown state "USX"; did you mean "USA"?`
pub(super) fn unknown<'c>(
    what: &str,
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> String {
    match suggest(name, candidates) {
        Some(s) => format!("unknown {what} {name:?}; did you mean {s:?}?"),
        None => format!("unknown {what} {name:?}"),
    }
}

// ---------------------------------------------------------------------------------
// The scenario, section by section.
// ---------------------------------------------------------------------------------

const TOP_FIELDS: &str = "scenario world defaults groups data states issues bodies coalitions decision payoffs behaviour affinities trade output sweep";
const SCENARIO_FIELDS: &str = "name description ticks runs seed";
const WORLD_FIELDS: &str = "capabilities great_powers challengers";
const DEFAULTS_FIELDS: &str = "bandwidth salience position interests";
const INTEREST_FIELDS: &str = "salience position";
const GROUP_FIELDS: &str = "bandwidth salience position interests challenger";
const STATE_FIELDS: &str =
    "name iso3 region population capabilities labels bandwidth challenger non_state interests";
const ISSUE_FIELDS: &str = "name capability good excludability efficiency returns cost target decay shock_rate shock_boost shock_duration tariff";
const BODY_FIELDS: &str = "name members rule delay mandate facilitates abstain_below majority veto qmv_count qmv_weight weight";
const COALITION_FIELDS: &str = "enabled max_size min_size negotiation_cost depth rule delay institutionalisation institution_cost hazard_issue hazard_bloc institution_protection goal deadline target_coverage founding_cost bloc_threshold endorsement_rate non_facilitating_factor abstain_below qmv_count qmv_weight weight";
const DECISION_FIELDS: &str = "tolerance temperature challenger_reluctance rivalry";
const PAYOFF_FIELDS: &str =
    "overhead affinity_weight reputation compliance_temperature trust_rate initial_trust";
const BEHAVIOUR_FIELDS: &str = "rule temperature review_rate join_candidates min_salience reciprocity landscape stability adaptive shapley";
const AFFINITY_FIELDS: &str = "states value";
const OUTPUT_FIELDS: &str = "ticks every";

/// Ticks, delays and durations: 1 ..= 1,000,000.
const TICK_RANGE: RangeInclusive<i64> = 1..=1_000_000;
/// Bandwidth: 0 ..= 1000 coalition memberships.
const BANDWIDTH: Interval = closed(0.0, 1000.0);
/// Most distinct labels (a state's labels are a `u64` bit set).
const MAX_LABELS: usize = 64;

/// Decision rules by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RuleKind {
    Unanimity,
    Consensus,
    Veto,
    Qmv,
}

const BODY_RULES: &[(&str, RuleKind)] = &[
    ("unanimity", RuleKind::Unanimity),
    ("consensus", RuleKind::Consensus),
    ("veto", RuleKind::Veto),
    ("qmv", RuleKind::Qmv),
];

/// Fields that belong to one rule only.
const RULE_FIELDS: &[(&str, &str, RuleKind)] = &[
    ("abstain_below", "consensus", RuleKind::Consensus),
    ("majority", "veto", RuleKind::Veto),
    ("veto", "veto", RuleKind::Veto),
    ("qmv_count", "qmv", RuleKind::Qmv),
    ("qmv_weight", "qmv", RuleKind::Qmv),
    ("weight", "qmv", RuleKind::Qmv),
];

/// Names seen so far, with where each was first seen, for "duplicate" errors.
#[derive(Default)]
struct FirstSeen(HashMap<String, String>);

impl FirstSeen {
    /// Records `name`; if it was seen before, returns where.
    fn check(&mut self, name: &str, whereabouts: impl FnOnce() -> String) -> Option<String> {
        if let Some(first) = self.0.get(name) {
            return Some(first.clone());
        }
        self.0.insert(name.to_owned(), whereabouts());
        None
    }
}

/// Distinct labels in first-seen order.
#[derive(Default)]
struct Labels(Vec<String>);

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
pub(super) struct StateIndex<'s> {
    states: &'s [StateSpec],
    lookup: BTreeMap<&'s str, StateId>,
}

impl<'s> StateIndex<'s> {
    fn new(states: &'s [StateSpec]) -> Self {
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
    pub(super) fn resolve(&self, ctx: &mut Ctx, node: &Node, field: &str) -> Option<StateId> {
        let name = ctx.string(node, field)?;
        let id = self.lookup.get(name.as_str()).copied();
        if id.is_none() {
            let message = unknown("state", &name, self.lookup.keys().copied());
            ctx.error(&node.place, field, message);
        }
        id
    }

    /// The states a list names, in list order; unknown and repeated states are errors.
    pub(super) fn resolve_list<'n>(
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

/// What every state gets unless it says otherwise.
#[derive(Clone)]
struct Defaults {
    bandwidth: Param,
    /// Per issue.
    interests: Vec<InterestSpec>,
    /// Set by a group (`[groups.<label>] challenger = true`).
    challenger: bool,
}

/// `[groups.<label>]`: values for every state carrying the label, over `[defaults]`
/// and under a state's own fields; later groups win where a state has several.
struct Group {
    label: String,
    place: Place,
    field: String,
    bandwidth: Option<Param>,
    challenger: Option<bool>,
    /// Per issue: salience, position.
    interests: Vec<(Option<Param>, Option<Param>)>,
}

fn read_groups(ctx: &mut Ctx, doc: &Table, issues: &[&str]) -> Vec<Group> {
    let groups = doc.table(ctx, "groups", None);
    let mut out = Vec::new();
    for entry in groups.entries() {
        let field = groups.field(&entry.key);
        let Some(t) = ctx.table(&entry.value, &field, Some(GROUP_FIELDS)) else {
            continue;
        };
        let opt_param = |ctx: &mut Ctx, t: &Table, key: &str, range: Interval| {
            t.get(key)
                .is_some()
                .then(|| t.param(ctx, key, range, &Param::Fixed(0.0)))
        };
        let salience = opt_param(ctx, &t, "salience", UNIT);
        let position = opt_param(ctx, &t, "position", UNIT);
        let interests_table = t.table(ctx, "interests", None);
        for e in interests_table.entries() {
            if !issues.contains(&e.key.as_str()) {
                let message = unknown("issue", &e.key, issues.iter().copied());
                ctx.error(&e.key_place, &interests_table.field(&e.key), message);
            }
        }
        let interests = issues
            .iter()
            .map(|issue| {
                let it = interests_table.table(ctx, issue, Some(INTEREST_FIELDS));
                (
                    opt_param(ctx, &it, "salience", UNIT).or_else(|| salience.clone()),
                    opt_param(ctx, &it, "position", UNIT).or_else(|| position.clone()),
                )
            })
            .collect();
        out.push(Group {
            label: entry.key.clone(),
            place: entry.key_place.clone(),
            field,
            bandwidth: opt_param(ctx, &t, "bandwidth", BANDWIDTH),
            challenger: t
                .get("challenger")
                .and_then(|n| ctx.boolean(n, &t.field("challenger"))),
            interests,
        });
    }
    out
}

/// `defaults` overlaid by the groups (in order) whose label `has` says the state carries.
fn with_groups(defaults: &Defaults, groups: &[Group], has: impl Fn(&str) -> bool) -> Defaults {
    let mut out = defaults.clone();
    for g in groups.iter().filter(|g| has(&g.label)) {
        if let Some(b) = &g.bandwidth {
            out.bandwidth = b.clone();
        }
        if let Some(c) = g.challenger {
            out.challenger = c;
        }
        for (spec, (salience, position)) in out.interests.iter_mut().zip(&g.interests) {
            if let Some(v) = salience {
                spec.salience = v.clone();
            }
            if let Some(v) = position {
                spec.position = v.clone();
            }
        }
    }
    out
}

/// Builds the scenario, recording every problem in `ctx`. The result is meaningful
/// only if no error was recorded.
fn build(ctx: &mut Ctx, root: &Node, base_dir: &Path) -> Scenario {
    let doc = ctx
        .table(root, "", Some(TOP_FIELDS))
        .unwrap_or_else(|| Table::absent(String::new(), root.place.clone()));

    let head = doc.required_table(ctx, "scenario", SCENARIO_FIELDS);
    let name = scenario_name(ctx, &head);
    let description = head.text(ctx, "description", "");
    let ticks = head.int(ctx, "ticks", TICK_RANGE, 100);
    let runs = head.int(ctx, "runs", 1..=100_000_000, 100);
    let seed = head.int(ctx, "seed", 0..=i64::MAX, 1);

    let world = doc.required_table(ctx, "world", WORLD_FIELDS);
    let capabilities = read_capabilities(ctx, &world);
    let issues = read_issues(ctx, &doc, &capabilities);
    let issue_names: Vec<&str> = issues.iter().map(|i| i.name.as_str()).collect();
    let defaults = read_defaults(ctx, &doc, &issue_names);
    let groups = read_groups(ctx, &doc, &issue_names);

    let mut labels = Labels::default();
    let mut states = Vec::new();
    let mut names = FirstSeen::default();
    let mut codes = FirstSeen::default();
    let mut data_failed = false;
    if let Some(node) = doc.get("data") {
        match data::load(ctx, node, base_dir, &capabilities) {
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
    }
    if let Some(node) = doc.get("states") {
        let context = StateContext {
            capabilities: &capabilities,
            issues: &issue_names,
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
    let great_powers = read_great_powers(ctx, &world, &states);

    let index = StateIndex::new(&states);
    let bodies = read_bodies(ctx, &doc, &index, &issue_names, &capabilities, &labels);
    let n_states = states.len();
    let affinities = read_affinities(ctx, &doc, &index);
    let trade = read_trade(ctx, &doc, base_dir, &states, &issues);
    let coalitions = read_coalitions(ctx, &doc, &capabilities, n_states);
    let behaviour = doc.get("behaviour");
    let behaviour_place = behaviour
        .map(|n| n.get("rule").unwrap_or(n))
        .map_or_else(|| doc.place().clone(), |n| n.place.clone());
    let max_size_place = doc
        .get("coalitions")
        .and_then(|n| n.get("max_size"))
        .map_or_else(|| behaviour_place.clone(), |n| n.place.clone());
    let rule_env = rules::RuleEnv {
        rule: BehaviourRule::Utility,
        states: &states,
        issues: &issues,
        bodies: &bodies,
        coalitions: &coalitions,
        capabilities: &capabilities,
        labels: &labels.0,
        index: &index,
        base_dir,
        place: &behaviour_place,
        max_size_place: &max_size_place,
    };
    let behaviour = read_behaviour(ctx, &doc, &rule_env);

    Scenario {
        name,
        description,
        ticks,
        runs,
        seed,
        labels: labels.0,
        states,
        issues,
        bodies,
        coalitions,
        decision: read_decision(ctx, &doc),
        payoffs: read_payoffs(ctx, &doc),
        behaviour,
        affinities,
        great_powers,
        trade,
        output: read_output(ctx, &doc),
        capabilities,
    }
}

/// Reports more than `max` elements (ids are `u16`/`u32`).
fn check_count(ctx: &mut Ctx, place: &Place, field: &str, n: usize, max: usize) {
    if n > max {
        ctx.error(place, field, format!("expected at most {max}, found {n}"));
    }
}

fn scenario_name(ctx: &mut Ctx, head: &Table) -> String {
    let Some(node) = head.required(ctx, "name") else {
        return String::new();
    };
    let name = ctx.string(node, "scenario.name").unwrap_or_default();
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let bad = name.is_empty() || !name.chars().all(ok_char) || name.chars().all(|c| c == '.');
    if bad && matches!(node.kind, Kind::Str(_)) {
        let message =
            format!("expected a name of ASCII letters, digits, '-', '_' and '.', found {name:?}");
        ctx.error(&node.place, "scenario.name", message);
    }
    name
}

/// Reports an issue, body or capability name with whitespace: such names become parts
/// of CSV column names (`progress_<issue>`, `deadlock_<body>`, a capability's column in
/// `states.csv`), and a column name with a space is a nuisance in R and pandas.
fn check_column_name(ctx: &mut Ctx, place: &Place, field: &str, example: &str, name: &str) {
    if name.chars().any(char::is_whitespace) {
        let fixed = name.split_whitespace().collect::<Vec<_>>().join("_");
        let message = format!(
            "expected a name without spaces (it names CSV columns such as {example}), found {name:?}; write e.g. {fixed:?}"
        );
        ctx.error(place, field, message);
    }
}

fn read_capabilities(ctx: &mut Ctx, world: &Table) -> Vec<String> {
    let Some(node) = world.required(ctx, "capabilities") else {
        return Vec::new();
    };
    let field = "world.capabilities";
    let mut seen = FirstSeen::default();
    let mut capabilities = Vec::new();
    for (i, (name, item)) in ctx.strings(node, field).into_iter().enumerate() {
        check_column_name(
            ctx,
            &item.place,
            &format!("{field}[{i}]"),
            "states.csv's capability columns",
            &name,
        );
        if seen.check(&name, String::new).is_some() {
            let message = format!("duplicate capability {name:?}");
            ctx.error(&item.place, &format!("{field}[{i}]"), message);
        } else {
            capabilities.push(name);
        }
    }
    if capabilities.is_empty() && matches!(&node.kind, Kind::Array(items) if items.is_empty()) {
        ctx.error(
            &node.place,
            field,
            "expected at least one capability, found none",
        );
    }
    check_count(
        ctx,
        &node.place,
        field,
        capabilities.len(),
        u16::MAX as usize,
    );
    capabilities
}

/// The id of a capability named by `node`.
fn capability_id(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    capabilities: &[String],
) -> Option<CapId> {
    let name = ctx.string(node, field)?;
    let id = capabilities.iter().position(|c| *c == name);
    if id.is_none() {
        let message = unknown("capability", &name, capabilities.iter().map(String::as_str));
        ctx.error(&node.place, field, message);
    }
    id.map(CapId::from_index)
}

fn read_issues(ctx: &mut Ctx, doc: &Table, capabilities: &[String]) -> Vec<IssueSpec> {
    let Some(node) = doc.get("issues") else {
        ctx.error(
            doc.place(),
            "issues",
            "expected at least one issue, found none",
        );
        return Vec::new();
    };
    let items = ctx
        .list(node, "issues", "a list of [[issues]] tables")
        .unwrap_or_default();
    if items.is_empty() && matches!(node.kind, Kind::Array(_)) {
        ctx.error(
            &node.place,
            "issues",
            "expected at least one issue, found none",
        );
    }
    check_count(ctx, &node.place, "issues", items.len(), u16::MAX as usize);
    let mut seen = FirstSeen::default();
    let mut issues = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(t) = ctx.table(item, &format!("issues[{i}]"), Some(ISSUE_FIELDS)) else {
            continue;
        };
        let name = t.required_str(ctx, "name").unwrap_or_default();
        if let Some(name_node) = t.get("name") {
            let place = name_node.place.clone();
            check_column_name(ctx, &place, &t.field("name"), "progress_<issue>", &name);
            if let Some(first) = seen.check(&name, || ctx.whereabouts(&place)) {
                let message = format!("duplicate issue {name:?} (first at {first})");
                ctx.error(&place, &t.field("name"), message);
            }
        }
        let capability = t
            .required(ctx, "capability")
            .and_then(|n| capability_id(ctx, n, &t.field("capability"), capabilities))
            .unwrap_or(CapId(0));
        let good = t.pick(ctx, "good", &[("public", 0.0), ("club", 1.0)], 0.0);
        let mut excludability = good;
        if let Some(node) = t.get("excludability") {
            if t.get("good").is_some() {
                let message = "give good or excludability, not both";
                ctx.error(&node.place, &t.field("excludability"), message);
            }
            excludability = ctx
                .number(node, &t.field("excludability"), UNIT)
                .unwrap_or(good);
        }
        issues.push(IssueSpec {
            name,
            capability,
            excludability,
            efficiency: t.num(ctx, "efficiency", above(0.0, 10.0), 0.05),
            returns: t.num(ctx, "returns", above(0.0, 5.0), 1.0),
            cost: t.num(ctx, "cost", closed(0.0, 100.0), 0.05),
            target: t.num(ctx, "target", above(0.0, 1000.0), 1.0),
            decay: t.num(
                ctx,
                "decay",
                Interval {
                    hi_open: true,
                    ..UNIT
                },
                0.0,
            ),
            shock_rate: t.num(ctx, "shock_rate", UNIT, 0.0),
            shock_boost: t.num(ctx, "shock_boost", UNIT, 0.3),
            shock_duration: t.int(ctx, "shock_duration", TICK_RANGE, 10),
            tariff: t.num(ctx, "tariff", closed(0.0, 10.0), 0.0),
        });
    }
    issues
}

/// `interests.<issue> = { salience, position }` for every issue, falling back to
/// `fallback` per field. Unknown issues are errors at their key.
fn read_interests(
    ctx: &mut Ctx,
    interests: &Table,
    issues: &[&str],
    fallback: &[InterestSpec],
) -> Vec<InterestSpec> {
    for entry in interests.entries() {
        if !issues.contains(&entry.key.as_str()) {
            let message = unknown("issue", &entry.key, issues.iter().copied());
            ctx.error(&entry.key_place, &interests.field(&entry.key), message);
        }
    }
    fallback
        .iter()
        .zip(issues)
        .map(|(base, issue)| {
            let t = interests.table(ctx, issue, Some(INTEREST_FIELDS));
            InterestSpec {
                salience: t.param(ctx, "salience", UNIT, &base.salience),
                position: t.param(ctx, "position", UNIT, &base.position),
            }
        })
        .collect()
}

fn read_defaults(ctx: &mut Ctx, doc: &Table, issues: &[&str]) -> Defaults {
    let t = doc.table(ctx, "defaults", Some(DEFAULTS_FIELDS));
    let bandwidth = t.param(ctx, "bandwidth", BANDWIDTH, &Param::Fixed(3.0));
    let base = InterestSpec {
        salience: t.param(ctx, "salience", UNIT, &Param::Fixed(0.5)),
        position: t.param(ctx, "position", UNIT, &Param::Fixed(0.5)),
    };
    let interests_table = t.table(ctx, "interests", None);
    let fallback = vec![base; issues.len()];
    let interests = read_interests(ctx, &interests_table, issues, &fallback);
    Defaults {
        bandwidth,
        interests,
        challenger: false,
    }
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
        let whereabouts = || format!("row {} of {}", row.row, loaded.origin);
        let mut duplicate = |what: &str, column: &str, value: &str, first: String| {
            let error = ScenarioError {
                origin: loaded.origin.clone(),
                position: Some((row.line, 1)),
                field: format!("row {}: column {column}", row.row),
                message: format!("duplicate {what} {value:?} (first at {first})"),
            };
            ctx.push(loaded.anchor.clone(), error);
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
            labels: label_bits,
            interests: own.interests,
            bandwidth: own.bandwidth,
            challenger: own.challenger,
            non_state: false,
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
        labels: label_bits,
        interests: read_interests(ctx, &interests, context.issues, &own.interests),
        bandwidth: t.param(ctx, "bandwidth", BANDWIDTH, &own.bandwidth),
        challenger: t.flag(ctx, "challenger", own.challenger),
        non_state: t.flag(ctx, "non_state", false),
    }
}

/// `great_powers`: a list of states, or the k states (not non-state actors) with the
/// largest mean capability share, ties to the lower id. Sorted.
fn read_great_powers(ctx: &mut Ctx, world: &Table, states: &[StateSpec]) -> Vec<StateId> {
    let field = world.field("great_powers");
    let mut k = 5;
    if let Some(node) = world.get("great_powers") {
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
                if k as usize > n {
                    ctx.warn(format!(
                        "world.great_powers = {k} but there are only {n} states: all of them are great powers"
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
        .filter(|(_, s)| !s.non_state)
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

/// The rule named by `rule` with its rule-specific fields; fields of other rules are
/// errors. Veto holders are filled in by the caller.
fn read_rule(ctx: &mut Ctx, t: &Table, kind: Option<RuleKind>, capabilities: &[String]) -> Rule {
    if let Some(kind) = kind {
        for &(key, owner_name, owner) in RULE_FIELDS {
            if let Some(node) = t.get(key).filter(|_| owner != kind) {
                let message = format!("applies only to rule \"{owner_name}\"");
                ctx.error(&node.place, &t.field(key), message);
            }
        }
    }
    match kind {
        None | Some(RuleKind::Unanimity) => Rule::Unanimity,
        Some(RuleKind::Consensus) => Rule::Consensus {
            abstain_below: t.num(ctx, "abstain_below", UNIT, 0.2),
        },
        Some(RuleKind::Veto) => Rule::Veto {
            majority: t.num(ctx, "majority", above(0.0, 1.0), 0.5),
            holders: Vec::new(),
        },
        Some(RuleKind::Qmv) => {
            let count = t.opt_num(ctx, "qmv_count", above(0.0, 1.0));
            let weight = t.opt_num(ctx, "qmv_weight", above(0.0, 1.0));
            let neither = t.get("qmv_count").is_none() && t.get("qmv_weight").is_none();
            let mut weights = vec![
                ("population".to_owned(), Weight::Population),
                ("issue".to_owned(), Weight::IssueCapability),
            ];
            for (i, c) in capabilities.iter().enumerate() {
                weights.push((c.clone(), Weight::Capability(CapId::from_index(i))));
            }
            let options: Vec<(&str, Weight)> =
                weights.iter().map(|(n, w)| (n.as_str(), *w)).collect();
            Rule::Qmv {
                count: if neither { Some(0.55) } else { count },
                weight: if neither { Some(0.65) } else { weight },
                weight_by: t.pick(ctx, "weight", &options, Weight::Population),
            }
        }
    }
}

fn read_bodies(
    ctx: &mut Ctx,
    doc: &Table,
    index: &StateIndex,
    issues: &[&str],
    capabilities: &[String],
    labels: &Labels,
) -> Vec<BodySpec> {
    let items = doc
        .get("bodies")
        .and_then(|node| ctx.list(node, "bodies", "a list of [[bodies]] tables"))
        .unwrap_or_default();
    check_count(ctx, doc.place(), "bodies", items.len(), u16::MAX as usize);
    let mut seen = FirstSeen::default();
    let mut bodies = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(t) = ctx.table(item, &format!("bodies[{i}]"), Some(BODY_FIELDS)) else {
            continue;
        };
        let name = t.required_str(ctx, "name").unwrap_or_default();
        if let Some(node) = t.get("name") {
            check_column_name(ctx, &node.place, &t.field("name"), "deadlock_<body>", &name);
        }
        if let Some(node) = t.get("name").filter(|_| !name.is_empty())
            && let Some(first) = seen.check(&name, || ctx.whereabouts(&node.place))
        {
            let message = format!("duplicate body {name:?} (first at {first})");
            ctx.error(&node.place, &t.field("name"), message);
        }
        let members = t
            .required(ctx, "members")
            .map(|node| read_members(ctx, node, &t.field("members"), index, labels))
            .unwrap_or_default();
        let kind = t
            .required(ctx, "rule")
            .and_then(|node| ctx.choice(node, &t.field("rule"), BODY_RULES));
        let mut rule = read_rule(ctx, &t, kind, capabilities);
        if let Rule::Veto { holders, .. } = &mut rule
            && let Some(node) = t.required(ctx, "veto")
        {
            for (id, item) in index.resolve_list(ctx, node, &t.field("veto")) {
                if members.binary_search(&id).is_err() && !members.is_empty() {
                    let who = &index.states[id.index()].name;
                    let field = format!("{}[{}]", t.field("veto"), position_in(node, item));
                    let message = format!("veto holder {who:?} is not a member of the body");
                    ctx.error(&item.place, &field, message);
                }
                holders.push(id);
            }
            holders.sort();
        }
        let mandate = match t.get("mandate") {
            None => (0..issues.len()).map(IssueId::from_index).collect(),
            Some(node) => read_mandate(ctx, node, &t.field("mandate"), issues),
        };
        bodies.push(BodySpec {
            name,
            members,
            rule,
            delay: t.int(ctx, "delay", TICK_RANGE, 5),
            mandate,
            facilitates: t.flag(ctx, "facilitates", false),
        });
    }
    bodies
}

/// The index of `item` within the list `node` (for field paths).
fn position_in(node: &Node, item: &Node) -> usize {
    match &node.kind {
        Kind::Array(items) => items
            .iter()
            .position(|i| std::ptr::eq(i, item))
            .unwrap_or(0),
        _ => 0,
    }
}

/// `members`: `"all"`, a list of states, `{ region = ... }` or `{ label = ... }`;
/// sorted, without non-state actors, never empty.
fn read_members(
    ctx: &mut Ctx,
    node: &Node,
    field: &str,
    index: &StateIndex,
    labels: &Labels,
) -> Vec<StateId> {
    let states = index.states;
    let select = |keep: &dyn Fn(&StateSpec) -> bool| -> Vec<StateId> {
        (0..states.len())
            .filter(|&i| !states[i].non_state && keep(&states[i]))
            .map(StateId::from_index)
            .collect()
    };
    let expected = "\"all\", a list of states, { region = \"...\" } or { label = \"...\" }";
    let (members, why_empty) = match &node.kind {
        Kind::Str(s) if s == "all" => (select(&|_| true), String::new()),
        Kind::Array(_) => {
            let mut members = Vec::new();
            for (id, item) in index.resolve_list(ctx, node, field) {
                if states[id.index()].non_state {
                    let item_field = format!("{field}[{}]", position_in(node, item));
                    let message = format!(
                        "{:?} is a non-state actor and cannot be a body member",
                        states[id.index()].name
                    );
                    ctx.error(&item.place, &item_field, message);
                } else {
                    members.push(id);
                }
            }
            let nothing_given = matches!(&node.kind, Kind::Array(items) if items.is_empty());
            if !nothing_given {
                members.sort();
                return members;
            }
            (members, String::new())
        }
        Kind::Table(_) => {
            let Some(t) = ctx.table(node, field, Some("region label")) else {
                return Vec::new();
            };
            match (t.opt_str(ctx, "region"), t.opt_str(ctx, "label")) {
                (Some(_), Some(_)) => {
                    ctx.error(&node.place, field, "give region or label, not both");
                    return Vec::new();
                }
                (Some(region), None) => (
                    select(&|s| s.region == region),
                    format!(" (region {region:?} matches no state)"),
                ),
                (None, Some(label)) => {
                    let bit = labels.0.iter().position(|l| *l == label).map(|i| 1u64 << i);
                    let has = |s: &StateSpec| bit.is_some_and(|b| s.labels & b != 0);
                    (select(&has), format!(" (label {label:?} matches no state)"))
                }
                (None, None) => {
                    if t.get("region").is_none() && t.get("label").is_none() {
                        ctx.type_error(node, field, expected);
                    }
                    return Vec::new();
                }
            }
        }
        _ => {
            ctx.type_error(node, field, expected);
            return Vec::new();
        }
    };
    if members.is_empty() {
        let message = format!("expected at least one state, found none{why_empty}");
        ctx.error(&node.place, field, message);
    }
    members
}

fn read_mandate(ctx: &mut Ctx, node: &Node, field: &str, issues: &[&str]) -> Vec<IssueId> {
    let mut mandate = Vec::new();
    let names = ctx.strings(node, field);
    if matches!(&node.kind, Kind::Array(items) if items.is_empty()) {
        ctx.error(
            &node.place,
            field,
            "expected at least one issue, found none",
        );
    }
    for (name, item) in names {
        let item_field = format!("{field}[{}]", position_in(node, item));
        match issues.iter().position(|i| *i == name) {
            None => {
                let message = unknown("issue", &name, issues.iter().copied());
                ctx.error(&item.place, &item_field, message);
            }
            Some(i) if mandate.contains(&IssueId::from_index(i)) => {
                ctx.error(
                    &item.place,
                    &item_field,
                    format!("duplicate issue {name:?}"),
                );
            }
            Some(i) => mandate.push(IssueId::from_index(i)),
        }
    }
    mandate
}

fn read_affinities(ctx: &mut Ctx, doc: &Table, index: &StateIndex) -> Vec<(StateId, StateId, f64)> {
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

fn read_coalitions(
    ctx: &mut Ctx,
    doc: &Table,
    capabilities: &[String],
    n_states: usize,
) -> CoalitionSpec {
    let t = doc.table(ctx, "coalitions", Some(COALITION_FIELDS));
    let rules = [
        ("unanimity", RuleKind::Unanimity),
        ("consensus", RuleKind::Consensus),
        ("qmv", RuleKind::Qmv),
    ];
    let kind = match t.get("rule") {
        None => Some(RuleKind::Consensus),
        Some(node) => ctx.choice(node, &t.field("rule"), &rules),
    };
    let max_size: u32 = t.int(ctx, "max_size", 2..=100_000, 20);
    let min_size: u32 = t.int(ctx, "min_size", 2..=100_000, 2);
    if min_size > max_size
        && let Some(node) = t.get("min_size")
    {
        let message = format!("expected at most max_size ({max_size}), found {min_size}");
        ctx.error(&node.place, &t.field("min_size"), message);
    }
    if t.get("max_size").is_some() && max_size as usize > n_states && n_states > 0 {
        ctx.warn(format!(
            "coalitions.max_size = {max_size} is larger than the number of states ({n_states})"
        ));
    }
    CoalitionSpec {
        enabled: t.flag(ctx, "enabled", true),
        max_size,
        min_size,
        negotiation_cost: t.num(ctx, "negotiation_cost", closed(0.0, 10.0), 0.0),
        depth: t.opt_num(ctx, "depth", UNIT),
        rule: read_rule(ctx, &t, kind, capabilities),
        delay: t.int(ctx, "delay", TICK_RANGE, 1),
        institutionalisation: t.param(ctx, "institutionalisation", UNIT, &Param::Fixed(0.3)),
        institution_cost: t.num(ctx, "institution_cost", closed(0.0, 10.0), 0.002),
        hazard_issue: t.num(ctx, "hazard_issue", UNIT, 0.02),
        hazard_bloc: t.num(ctx, "hazard_bloc", UNIT, 0.008),
        institution_protection: t.num(ctx, "institution_protection", UNIT, 0.7),
        goal: t.opt_num(ctx, "goal", above(0.0, 1000.0)),
        deadline: t.opt_int(ctx, "deadline", TICK_RANGE),
        target_coverage: t.num(ctx, "target_coverage", above(0.0, 1.0), 0.6),
        founding_cost: t.num(ctx, "founding_cost", closed(0.0, 10.0), 0.01),
        bloc_threshold: t.num(ctx, "bloc_threshold", UNIT, 0.75),
        endorsement_rate: t.num(ctx, "endorsement_rate", UNIT, 0.1),
        non_facilitating_factor: t.num(ctx, "non_facilitating_factor", UNIT, 0.2),
    }
}

/// `[trade]` (bilateral flows for penalty tariffs). An issue with a `tariff` needs it.
fn read_trade(
    ctx: &mut Ctx,
    doc: &Table,
    base_dir: &Path,
    states: &[StateSpec],
    issues: &[IssueSpec],
) -> Vec<f64> {
    let trade = doc.get("trade").and_then(|node| {
        let names: Vec<&str> = states.iter().map(|s| s.name.as_str()).collect();
        data::load_trade(ctx, node, base_dir, &names)
    });
    if trade.is_none() && doc.get("trade").is_none() {
        for (k, issue) in issues.iter().enumerate() {
            if issue.tariff > 0.0 {
                let place = issue_place(doc, k, "tariff").unwrap_or_else(|| doc.place().clone());
                let message = "a tariff needs bilateral trade flows: add a [trade] table";
                ctx.error(&place, &format!("issues[{k}].tariff"), message);
            }
        }
    }
    trade.unwrap_or_default()
}

/// Where `issues[k].<key>` was written, if it was.
fn issue_place(doc: &Table, k: usize, key: &str) -> Option<Place> {
    let Kind::Array(items) = &doc.get("issues")?.kind else {
        return None;
    };
    let Kind::Table(entries) = &items.get(k)?.kind else {
        return None;
    };
    entries
        .iter()
        .find(|e| e.key == key)
        .map(|e| e.value.place.clone())
}

fn read_decision(ctx: &mut Ctx, doc: &Table) -> DecisionSpec {
    let t = doc.table(ctx, "decision", Some(DECISION_FIELDS));
    DecisionSpec {
        tolerance: t.num(ctx, "tolerance", UNIT, 0.25),
        temperature: t.num(ctx, "temperature", above(0.0, 10.0), 0.08),
        challenger_reluctance: t.num(ctx, "challenger_reluctance", UNIT, 0.3),
        rivalry: t.num(ctx, "rivalry", UNIT, 0.3),
    }
}

fn read_payoffs(ctx: &mut Ctx, doc: &Table) -> PayoffSpec {
    let t = doc.table(ctx, "payoffs", Some(PAYOFF_FIELDS));
    let weight = closed(0.0, 10.0);
    PayoffSpec {
        overhead: t.num(ctx, "overhead", weight, 0.003),
        affinity_weight: t.num(ctx, "affinity_weight", weight, 0.01),
        reputation: t.num(ctx, "reputation", weight, 0.02),
        compliance_temperature: t.num(ctx, "compliance_temperature", above(0.0, 10.0), 0.01),
        trust_rate: t.num(ctx, "trust_rate", UNIT, 0.1),
        initial_trust: t.num(ctx, "initial_trust", UNIT, 0.7),
    }
}

fn read_behaviour(ctx: &mut Ctx, doc: &Table, env: &rules::RuleEnv) -> BehaviourSpec {
    let t = doc.table(ctx, "behaviour", Some(BEHAVIOUR_FIELDS));
    let rules = [
        BehaviourRule::Utility,
        BehaviourRule::Landscape,
        BehaviourRule::Stability,
        BehaviourRule::Adaptive,
        BehaviourRule::Shapley,
    ]
    .map(|r| (r.as_str(), r));
    let rule = t.pick(ctx, "rule", &rules, BehaviourRule::Utility);
    let env = rules::RuleEnv { rule, ..*env };
    BehaviourSpec {
        rule,
        landscape: {
            let sub = t.table(ctx, "landscape", Some(rules::landscape::FIELDS));
            rules::landscape::read(ctx, &sub, &env)
        },
        stability: {
            let sub = t.table(ctx, "stability", Some(rules::stability::FIELDS));
            rules::stability::read(ctx, &sub, &env)
        },
        adaptive: {
            let sub = t.table(ctx, "adaptive", Some(rules::adaptive::FIELDS));
            rules::adaptive::read(ctx, &sub, &env)
        },
        shapley: {
            let sub = t.table(ctx, "shapley", Some(rules::shapley::FIELDS));
            rules::shapley::read(ctx, &sub, &env)
        },
        temperature: t.num(ctx, "temperature", closed(0.0, 10.0), 0.02),
        review_rate: t.num(ctx, "review_rate", UNIT, 0.1),
        join_candidates: t.int(ctx, "join_candidates", 0..=1000, 3),
        min_salience: t.num(ctx, "min_salience", UNIT, 0.3),
        reciprocity: t.num(ctx, "reciprocity", UNIT, 0.5),
    }
}

fn read_output(ctx: &mut Ctx, doc: &Table) -> OutputSpec {
    let t = doc.table(ctx, "output", Some(OUTPUT_FIELDS));
    let shapes = [
        ("mean", TickOutput::Mean),
        ("all", TickOutput::All),
        ("none", TickOutput::None),
    ];
    OutputSpec {
        ticks: t.pick(ctx, "ticks", &shapes, TickOutput::Mean),
        every: t.int(ctx, "every", TICK_RANGE, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = r#"[scenario]
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
    const NAMES: &str = r#"[scenario]
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

    fn load(text: &str, overrides: &[&str]) -> Result<Loaded, Vec<String>> {
        let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        load_text(text, "s.toml", Path::new("."), &overrides)
            .map_err(|e| e.0.iter().map(ToString::to_string).collect())
    }

    fn errors(text: &str, overrides: &[&str]) -> Vec<String> {
        match load(text, overrides) {
            Ok(_) => panic!("expected errors for:\n{text}"),
            Err(errors) => errors,
        }
    }

    /// `base` with `from` (which must occur) replaced by `to`.
    fn edit(base: &str, from: &str, to: &str) -> String {
        assert!(base.contains(from), "{from:?} not in the scenario");
        base.replacen(from, to, 1)
    }

    #[test]
    fn groups_sit_between_defaults_and_a_states_own_fields() {
        let text = r#"[scenario]
name = "groups"
[world]
capabilities = ["gdp"]
[defaults]
position = 0.5
bandwidth = 3
[groups.eu]
position = 0.8
bandwidth = 5
[groups.green.interests.trade]
position = 0.9
[groups.rival]
challenger = true
[[states]]
name = "A"
labels = ["eu"]
capabilities = { gdp = 1.0 }
[[states]]
name = "B"
labels = ["eu", "green"]
capabilities = { gdp = 1.0 }
interests = { trade = { salience = 0.7 } }
[[states]]
name = "C"
labels = ["eu", "green", "rival"]
bandwidth = 1
capabilities = { gdp = 1.0 }
interests = { trade = { position = 0.1 } }
[[states]]
name = "D"
capabilities = { gdp = 1.0 }
[[issues]]
name = "trade"
capability = "gdp"
"#;
        let s = load(text, &[]).unwrap().scenario;
        let position: Vec<Param> = s
            .states
            .iter()
            .map(|st| st.interests[0].position.clone())
            .collect();
        assert_eq!(
            position,
            [
                Param::Fixed(0.8),
                Param::Fixed(0.9),
                Param::Fixed(0.1),
                Param::Fixed(0.5)
            ]
        );
        assert_eq!(s.states[0].interests[0].salience, Param::Fixed(0.5));
        assert_eq!(s.states[1].interests[0].salience, Param::Fixed(0.7));
        let bandwidth: Vec<Param> = s.states.iter().map(|st| st.bandwidth.clone()).collect();
        assert_eq!(
            bandwidth,
            [
                Param::Fixed(5.0),
                Param::Fixed(5.0),
                Param::Fixed(1.0),
                Param::Fixed(3.0)
            ]
        );
        let challengers: Vec<bool> = s.states.iter().map(|st| st.challenger).collect();
        assert_eq!(challengers, [false, false, true, false]);
        assert_eq!(
            errors(&format!("{text}[groups.nobody]\nposition = 0.2\n"), &[]),
            ["s.toml:36:9: groups.nobody: unknown label \"nobody\": no state carries it"]
        );
    }

    #[test]
    fn min_size_above_max_size_is_an_error() {
        let text = format!("{TINY}[coalitions]\nmax_size = 5\nmin_size = 9\n");
        assert_eq!(
            errors(&text, &[]),
            ["s.toml:20:12: coalitions.min_size: expected at most max_size (5), found 9"]
        );
    }

    #[test]
    fn minimal_scenario_gets_every_documented_default() {
        let loaded = load(TINY, &[]).unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let s = loaded.scenario;
        assert_eq!((s.name.as_str(), s.description.as_str()), ("tiny", ""));
        assert_eq!((s.ticks, s.runs, s.seed), (100, 100, 1));
        assert_eq!(s.capabilities, ["gdp"]);
        assert!(s.labels.is_empty() && s.affinities.is_empty());
        // great_powers = 5, capped at the two states.
        assert_eq!(s.great_powers, [StateId(0), StateId(1)]);
        let a = &s.states[0];
        assert_eq!(
            (a.iso3.as_str(), a.region.as_str(), a.population),
            ("", "", 0.0)
        );
        assert_eq!((a.labels, a.challenger, a.non_state), (0, false, false));
        assert_eq!(a.bandwidth, Param::Fixed(3.0));
        assert_eq!(a.interests[0].salience, Param::Fixed(0.5));
        assert_eq!(a.interests[0].position, Param::Fixed(0.5));
        let i = &s.issues[0];
        assert_eq!(i.capability, CapId(0));
        let numbers = [i.excludability, i.efficiency, i.returns, i.cost, i.target];
        assert_eq!(numbers, [0.0, 0.05, 1.0, 0.05, 1.0]);
        let shocks = [i.decay, i.shock_rate, i.shock_boost];
        assert_eq!(shocks, [0.0, 0.0, 0.3]);
        assert_eq!(i.shock_duration, 10);
        let b = &s.bodies[0];
        assert_eq!(b.members, [StateId(0), StateId(1)]);
        assert_eq!(
            (b.rule.clone(), b.delay, b.facilitates),
            (Rule::Unanimity, 5, false)
        );
        assert_eq!(b.mandate, [IssueId(0)]);
        let c = &s.coalitions;
        assert_eq!((c.enabled, c.max_size, c.delay), (true, 20, 1));
        assert_eq!(c.rule, Rule::Consensus { abstain_below: 0.2 });
        assert_eq!(c.institutionalisation, Param::Fixed(0.3));
        let rates = [
            c.institution_cost,
            c.hazard_issue,
            c.hazard_bloc,
            c.institution_protection,
            c.target_coverage,
            c.founding_cost,
            c.bloc_threshold,
            c.endorsement_rate,
            c.non_facilitating_factor,
        ];
        assert_eq!(rates, [0.002, 0.02, 0.008, 0.7, 0.6, 0.01, 0.75, 0.1, 0.2]);
        assert_eq!((c.goal, c.deadline), (None, None));
        let d = &s.decision;
        let decision = [
            d.tolerance,
            d.temperature,
            d.challenger_reluctance,
            d.rivalry,
        ];
        assert_eq!(decision, [0.25, 0.08, 0.3, 0.3]);
        let p = &s.payoffs;
        let payoffs = [
            p.overhead,
            p.affinity_weight,
            p.reputation,
            p.compliance_temperature,
            p.trust_rate,
            p.initial_trust,
        ];
        assert_eq!(payoffs, [0.003, 0.01, 0.02, 0.01, 0.1, 0.7]);
        let h = &s.behaviour;
        assert_eq!(h.rule, BehaviourRule::Utility);
        let behaviour = [h.temperature, h.review_rate, h.min_salience, h.reciprocity];
        assert_eq!(behaviour, [0.02, 0.1, 0.3, 0.5]);
        assert_eq!(h.join_candidates, 3);
        assert_eq!(
            s.output,
            OutputSpec {
                ticks: TickOutput::Mean,
                every: 1
            }
        );
    }

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
    fn enum_error() {
        let text = edit(TINY, "\"unanimity\"", "\"majority\"");
        assert_eq!(
            errors(&text, &[]),
            [
                "s.toml:17:8: bodies[0].rule: expected one of unanimity, consensus, veto, qmv; found \"majority\""
            ]
        );
    }

    #[test]
    fn type_error() {
        let text = edit(
            TINY,
            "name = \"tiny\"\n",
            "name = \"tiny\"\nticks = \"ten\"\n",
        );
        assert_eq!(
            errors(&text, &[]),
            ["s.toml:3:9: scenario.ticks: expected an integer, found string \"ten\""]
        );
    }

    #[test]
    fn range_error() {
        let text = edit(
            TINY,
            "{ gdp = 2.0 }\n",
            "{ gdp = 2.0 }\ninterests = { trade = { salience = 1.3 } }\n",
        );
        assert_eq!(
            errors(&text, &[]),
            [
                "s.toml:11:36: states[1].interests.trade.salience: expected a number in [0, 1], found 1.3"
            ]
        );
    }

    #[test]
    fn integer_limits_are_errors_not_overflows() {
        let with = |line: &str| errors(&edit(TINY, "[world]", &format!("{line}\n[world]")), &[]);
        assert_eq!(
            with("seed = -1"),
            [
                "s.toml:3:8: scenario.seed: expected an integer in 0 ..= 9223372036854775807, found -1"
            ]
        );
        assert_eq!(
            with("seed = 9223372036854775808"),
            [
                "s.toml:3:8: scenario.seed: expected an integer in 0 ..= 9223372036854775807, found 9223372036854775808"
            ]
        );
        assert_eq!(
            with("ticks = 0"),
            ["s.toml:3:9: scenario.ticks: expected an integer in 1 ..= 1000000, found 0"]
        );
        assert_eq!(
            with("runs = 1.5"),
            ["s.toml:3:8: scenario.runs: expected an integer, found number 1.5"]
        );
        let ok = load(
            &edit(TINY, "[world]", "seed = 9223372036854775807\n[world]"),
            &[],
        );
        assert_eq!(ok.unwrap().scenario.seed, i64::MAX as u64);
    }

    #[test]
    fn unknown_field_suggests_or_lists() {
        let text = format!("{TINY}rul = \"qmv\"\n[output]\nfoo = 1\n");
        assert_eq!(
            errors(&text, &[]),
            [
                "s.toml:18:1: bodies[0].rul: unknown field; did you mean \"rule\"?",
                "s.toml:20:1: output.foo: unknown field; expected one of ticks, every",
            ]
        );
    }

    #[test]
    fn missing_required_field_is_reported_at_its_table() {
        let text = edit(TINY, "capability = \"gdp\"\n", "");
        assert_eq!(
            errors(&text, &[]),
            ["s.toml:11:1: issues[0].capability: missing required field"]
        );
        let text = edit(TINY, "[world]\ncapabilities = [\"gdp\"]\n", "");
        let found = errors(&text, &[]);
        assert_eq!(found[0], "s.toml:1:1: world: missing required table");
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        let text = edit(
            NAMES,
            "veto = [\"USA\", \"FRA\"]",
            "veto = [\"USA\", \"USX\"]",
        );
        assert_eq!(
            errors(&text, &[]),
            ["s.toml:24:16: bodies[0].veto[1]: unknown state \"USX\"; did you mean \"USA\"?"]
        );
        let text = format!("{NAMES}mandate = [\"climat\"]\n");
        assert_eq!(
            errors(&text, &[]),
            [
                "s.toml:25:12: bodies[0].mandate[0]: unknown issue \"climat\"; did you mean \"climate\"?"
            ]
        );
        let text = edit(NAMES, "capability = \"gdp\"", "capability = \"gpd\"");
        assert_eq!(
            errors(&text, &[]),
            [
                "s.toml:19:14: issues[0].capability: unknown capability \"gpd\"; did you mean \"gdp\"?"
            ]
        );
        let text = edit(NAMES, "[\"USA\", \"FRA\"]", "[\"USA\", \"Zimbabwe\"]");
        assert_eq!(
            errors(&text, &[]),
            ["s.toml:24:16: bodies[0].veto[1]: unknown state \"Zimbabwe\""]
        );
    }

    /// Issue 15: names that become CSV column names (`progress_<issue>`,
    /// `deadlock_<body>`, capability columns) may not hold spaces; states may.
    #[test]
    fn issue_body_and_capability_names_with_spaces_are_refused() {
        let has = |text: &str, needle: &str| {
            let got = errors(text, &[]);
            assert!(
                got.iter().any(|e| e.contains(needle)),
                "no {needle:?} in {got:?}"
            );
        };
        has(
            &edit(TINY, "name = \"trade\"", "name = \"world trade\""),
            "s.toml:12:8: issues[0].name: expected a name without spaces (it names CSV columns such as progress_<issue>), found \"world trade\"; write e.g. \"world_trade\"",
        );
        has(
            &edit(
                TINY,
                "capabilities = [\"gdp\"]",
                "capabilities = [\"gdp\", \"hard power\"]",
            ),
            "s.toml:4:24: world.capabilities[1]: expected a name without spaces (it names CSV columns such as states.csv's capability columns), found \"hard power\"",
        );
        has(
            &edit(TINY, "name = \"Council\"", "name = \"Security Council\""),
            "bodies[0].name: expected a name without spaces (it names CSV columns such as deadlock_<body>)",
        );
        // A state's name may have spaces (its columns are written with `_`).
        assert!(load(&edit(TINY, "name = \"A\"", "name = \"A a\""), &[]).is_ok());
    }

    #[test]
    fn duplicates_name_the_first() {
        let text = format!(
            "{TINY}[[issues]]\nname = \"climate\"\ncapability = \"gdp\"\n[[issues]]\nname = \"climate\"\ncapability = \"gdp\"\n"
        );
        assert_eq!(
            errors(&text, &[]),
            ["s.toml:22:8: issues[2].name: duplicate issue \"climate\" (first at line 19)"]
        );
        let text = edit(TINY, "name = \"B\"", "name = \"A\"");
        assert_eq!(
            errors(&text, &[]),
            ["s.toml:9:8: states[1].name: duplicate state \"A\" (first at line 6)"]
        );
    }

    #[test]
    fn empty_membership_says_why() {
        let text = edit(
            TINY,
            "members = \"all\"",
            "members = { region = \"Atlantis\" }",
        );
        assert_eq!(
            errors(&text, &[]),
            [
                "s.toml:16:11: bodies[0].members: expected at least one state, found none (region \"Atlantis\" matches no state)"
            ]
        );
        let text = edit(TINY, "members = \"all\"", "members = []");
        assert_eq!(
            errors(&text, &[]),
            ["s.toml:16:11: bodies[0].members: expected at least one state, found none"]
        );
    }

    #[test]
    fn bodies_resolve_members_and_veto_holders() {
        let s = load(NAMES, &[]).unwrap().scenario;
        assert_eq!(s.bodies[0].members, [StateId(0), StateId(1)]);
        let holders = vec![StateId(0), StateId(1)];
        assert_eq!(
            s.bodies[0].rule,
            Rule::Veto {
                majority: 0.5,
                holders
            }
        );
        // "all" leaves out the non-state actor; great powers too.
        let s = load(&edit(NAMES, "[\"USA\", \"France\"]", "\"all\""), &[])
            .unwrap()
            .scenario;
        assert_eq!(s.bodies[0].members, [StateId(0), StateId(1)]);
        assert_eq!(s.great_powers, [StateId(0), StateId(1)]);

        let text = edit(
            NAMES,
            "members = [\"USA\", \"France\"]",
            "members = [\"USA\", \"Greenpeace\"]",
        );
        assert_eq!(
            errors(&text, &[]),
            [
                "s.toml:22:19: bodies[0].members[1]: \"Greenpeace\" is a non-state actor and cannot be a body member",
                "s.toml:24:16: bodies[0].veto[1]: veto holder \"France\" is not a member of the body",
            ]
        );
        let text = edit(NAMES, "rule = \"veto\"", "rule = \"qmv\"");
        assert_eq!(
            errors(&text, &[]),
            ["s.toml:24:8: bodies[0].veto: applies only to rule \"veto\""]
        );
    }

    #[test]
    fn qmv_defaults_and_weights() {
        let text = edit(
            NAMES,
            "rule = \"veto\"\nveto = [\"USA\", \"FRA\"]",
            "rule = \"qmv\"",
        );
        let rule = load(&text, &[]).unwrap().scenario.bodies[0].rule.clone();
        let expected = Rule::Qmv {
            count: Some(0.55),
            weight: Some(0.65),
            weight_by: Weight::Population,
        };
        assert_eq!(rule, expected);
        let text = format!("{text}qmv_weight = 0.7\nweight = \"gdp\"\n");
        let rule = load(&text, &[]).unwrap().scenario.bodies[0].rule.clone();
        let expected = Rule::Qmv {
            count: None,
            weight: Some(0.7),
            weight_by: Weight::Capability(CapId(0)),
        };
        assert_eq!(rule, expected);
    }

    #[test]
    fn great_powers_labels_challengers_and_affinities() {
        let text = format!(
            "{}\n{}",
            edit(
                NAMES,
                "capabilities = [\"gdp\"]",
                "capabilities = [\"gdp\"]\ngreat_powers = 1\nchallengers = [\"FRA\"]"
            ),
            "[[affinities]]\nstates = [\"France\", \"USA\"]\nvalue = 0.9\n"
        );
        let text = edit(
            &text,
            "iso3 = \"FRA\"",
            "iso3 = \"FRA\"\nlabels = [\"eu\", \"democracy\"]",
        );
        let text = edit(
            &text,
            "iso3 = \"USA\"",
            "iso3 = \"USA\"\nlabels = [\"democracy\"]",
        );
        let s = load(&text, &[]).unwrap().scenario;
        assert_eq!(s.great_powers, [StateId(0)]);
        assert!(s.states[1].challenger && !s.states[0].challenger);
        assert_eq!(s.labels, ["democracy", "eu"]);
        assert_eq!((s.states[0].labels, s.states[1].labels), (0b01, 0b11));
        assert_eq!(s.affinities, [(StateId(0), StateId(1), 0.9)]);
        // Ties go to the lower id.
        let tied = edit(&text, "gdp = 3.0", "gdp = 1.0");
        assert_eq!(
            load(&tied, &[]).unwrap().scenario.great_powers,
            [StateId(0)]
        );
    }

    #[test]
    fn more_than_64_labels_is_an_error() {
        let labels: Vec<String> = (0..65).map(|i| format!("\"l{i}\"")).collect();
        let text = edit(
            TINY,
            "name = \"A\"",
            &format!("name = \"A\"\nlabels = [{}]", labels.join(", ")),
        );
        let found = errors(&text, &[]);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("s.toml:7:"), "{}", found[0]);
        assert!(
            found[0].contains("states[0].labels[64]: too many labels"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn distribution_params() {
        let text = edit(
            TINY,
            "[world]",
            "[defaults]\nsalience = { dist = \"uniform\", min = 0.2, max = 0.8 }\n\
             interests.trade.position = { dist = \"normal\", mean = 0.6, sd = 0.2 }\n\
             bandwidth = { dist = \"normal\", mean = 4, sd = 1, max = 10 }\n[world]",
        );
        let s = load(&text, &[]).unwrap().scenario;
        let interest = &s.states[0].interests[0];
        assert_eq!(interest.salience, Param::Uniform { min: 0.2, max: 0.8 });
        assert_eq!(
            interest.position,
            Param::Normal {
                mean: 0.6,
                sd: 0.2,
                min: 0.0,
                max: 1.0
            }
        );
        assert_eq!(
            s.states[1].bandwidth,
            Param::Normal {
                mean: 4.0,
                sd: 1.0,
                min: 0.0,
                max: 10.0
            }
        );

        let bad = edit(
            TINY,
            "[world]",
            "[defaults]\nsalience = { dist = \"uniform\", min = 0.8, max = 0.2 }\n\
             position = { dist = \"beta\" }\n\
             interests.trade.salience = { dist = \"normal\", mean = 1.5, sd = -1, mu = 0 }\n\
             interests.trad.position = 0.5\n[world]",
        );
        assert_eq!(
            errors(&bad, &[]),
            [
                "s.toml:4:12: defaults.salience: expected min <= max, found min 0.8 and max 0.2",
                "s.toml:5:21: defaults.position.dist: expected one of uniform, normal; found \"beta\"",
                "s.toml:6:54: defaults.interests.trade.salience.mean: expected a number in [0, 1], found 1.5",
                "s.toml:6:64: defaults.interests.trade.salience.sd: expected a number >= 0, found -1",
                "s.toml:6:68: defaults.interests.trade.salience.mu: unknown field; expected one of dist, mean, sd, min, max",
                "s.toml:7:11: defaults.interests.trad: unknown issue \"trad\"; did you mean \"trade\"?",
            ]
        );
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
    fn warnings_do_not_block() {
        let loaded = load(&format!("{TINY}[coalitions]\nmax_size = 50\n"), &[]).unwrap();
        assert_eq!(
            loaded.warnings,
            ["coalitions.max_size = 50 is larger than the number of states (2)"]
        );
    }

    /// A scenario using most features, for mutation.
    fn rich() -> String {
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
