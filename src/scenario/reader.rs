//! The error-collecting reader of a scenario tree: `Ctx` records every problem (never
//! only the first) with its origin, line, column and field path, sorted by position in
//! the file, overrides' problems last; its typed readers return `Option<T>` (`None`
//! once the problem is recorded). `Table` adds field paths, defaults and "missing
//! required field" on top. It knows nothing of the scenario's fields (see `schema`).

use std::fmt;
use std::ops::RangeInclusive;

use super::Param;
use super::parse::{self, Entry, Kind, Node, Place};
use crate::error::{ScenarioError, ScenarioErrors};

/// A numeric range with open or closed ends; `hi = ∞` means unbounded above.
#[derive(Clone, Copy, Debug)]
pub(super) struct Interval {
    lo: f64,
    hi: f64,
    lo_open: bool,
    hi_open: bool,
}

/// `[lo, hi]`.
pub(super) const fn closed(lo: f64, hi: f64) -> Interval {
    Interval {
        lo,
        hi,
        lo_open: false,
        hi_open: false,
    }
}

/// `[lo, hi)`.
pub(super) const fn half_open(lo: f64, hi: f64) -> Interval {
    Interval {
        lo,
        hi,
        lo_open: false,
        hi_open: true,
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
pub(super) const POSITIVE: Interval = Interval {
    lo: 0.0,
    hi: f64::INFINITY,
    lo_open: true,
    hi_open: true,
};

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
    pub(super) design: Option<(&'a str, &'a str)>,
    /// Appended to every error message (e.g. which sweep point).
    pub(super) note: &'a str,
    /// Byte offsets of the text's line starts, computed on first use (duplicate checks
    /// ask for the line of every name, so it must not rescan the text each time).
    line_starts: std::cell::OnceCell<Vec<usize>>,
    /// Each error with its sort key: (0 for the file or 1 + override index, offset in
    /// the file, line in the error's own origin).
    errors: Vec<((usize, usize, usize), ScenarioError)>,
    pub(super) warnings: Vec<String>,
    /// Every data file read: (path as resolved, SHA-256 of its bytes).
    pub(super) inputs: Vec<(String, String)>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(origin: &'a str, text: &'a str, overrides: &'a [String]) -> Self {
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

    /// Errors recorded so far (to tell whether a part read cleanly).
    pub(super) fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// Sorts the errors (file order, design file, then overrides); `Err` if any.
    pub(super) fn finish(&mut self) -> Result<(), ScenarioErrors> {
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
    pub(super) fn whereabouts(&self, place: &Place) -> String {
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
    pub(super) fn strings<'n>(&mut self, node: &'n Node, field: &str) -> Vec<(String, &'n Node)> {
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
    pub(super) fn param(&mut self, node: &Node, field: &str, range: Interval) -> Option<Param> {
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
    pub(super) fn absent(path: String, place: Place) -> Self {
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

    /// The table's own field path, e.g. `sweep`.
    pub(super) fn path(&self) -> &str {
        &self.path
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
    pub(super) fn required_table(&self, ctx: &mut Ctx, key: &str, allowed: &str) -> Table<'n> {
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
