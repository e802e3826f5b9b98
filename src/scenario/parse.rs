//! Scenario text → an owned tree of [`Node`]s that remembers where every value came
//! from (a byte range of the file, or a `--set` override), so validation can report
//! `FILE:LINE:COL` for any problem. Also applies `--set path=value` overrides and
//! converts the tree to JSON for the manifest.
//!
//! Tables keep their entries in file order (the `toml` parser sorts keys; we re-sort
//! by the key's position), and entries added by an override come last.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::ScenarioError;

/// Where a value (or key) came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A byte range of the scenario text.
    File(Range<usize>),
    /// The `--set` override with this index (in the order given).
    Override(usize),
    /// A byte range of a separate sweep design file (`minilat sweep --design`).
    Design(Range<usize>),
}

/// A value of the scenario document and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the value was written.
    pub place: Place,
    /// The value.
    pub kind: Kind,
}

/// The shape of a [`Node`].
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A string.
    Str(String),
    /// An integer that fits an `i64`.
    Int(i64),
    /// An integer too large for an `i64`, as written (digits, possibly signed).
    BigInt(String),
    /// A float (may be infinite or NaN: TOML allows `inf` and `nan`).
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A TOML date/time, as written (no scenario field takes one).
    Datetime(String),
    /// An array (including an array of tables).
    Array(Vec<Node>),
    /// A table, entries in file order.
    Table(Vec<Entry>),
}

/// One `key = value` of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Where the key was written.
    pub key_place: Place,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The entries if this is a table.
    pub fn entries(&self) -> Option<&[Entry]> {
        match &self.kind {
            Kind::Table(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under `key` if this is a table holding it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|e| e.key == key)
            .map(|e| &e.value)
    }

    /// A short description of the value for "found ..." in messages, e.g.
    /// `string "ten"`, `integer 3`, `a table`.
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Str(s) => format!("string {s:?}"),
            Kind::Int(i) => format!("integer {i}"),
            Kind::BigInt(s) => format!("integer {s}"),
            Kind::Float(f) => format!("number {f:?}"),
            Kind::Bool(b) => format!("boolean {b}"),
            Kind::Datetime(d) => format!("datetime {d}"),
            Kind::Array(_) => "a list".to_owned(),
            Kind::Table(_) => "a table".to_owned(),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset of `text`. Offsets past
/// the end, or inside a character, are clamped.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Parses a scenario document. A TOML syntax error becomes one [`ScenarioError`]
/// (origin `origin`, the error's line and column, the parser's message).
pub fn parse_document(text: &str, origin: &str) -> Result<Node, ScenarioError> {
    parse_with(text, origin, &|r| Place::File(r))
}

/// Parses a separate sweep design file; its places are [`Place::Design`].
pub fn parse_design(text: &str, origin: &str) -> Result<Node, ScenarioError> {
    parse_with(text, origin, &|r| Place::Design(r))
}

fn parse_with(
    text: &str,
    origin: &str,
    place: &dyn Fn(Range<usize>) -> Place,
) -> Result<Node, ScenarioError> {
    match DeTable::parse(text) {
        Ok(table) => {
            let span = table.span();
            Ok(convert_table(table.into_inner(), span, place))
        }
        Err(e) => Err(ScenarioError {
            origin: origin.to_owned(),
            position: Some(line_col(text, e.span().map_or(0, |s| s.start))),
            field: String::new(),
            message: e.message().lines().collect::<Vec<_>>().join(" "),
        }),
    }
}

/// Converts the parser's value, placing every span with `place`.
fn convert(value: Spanned<DeValue<'_>>, place: &dyn Fn(Range<usize>) -> Place) -> Node {
    let span = value.span();
    let kind = match value.into_inner() {
        DeValue::String(s) => Kind::Str(s.into_owned()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(v) => Kind::Int(v),
            Err(_) => Kind::BigInt(i.to_string()),
        },
        DeValue::Float(f) => Kind::Float(parse_float(f.as_str())),
        DeValue::Boolean(b) => Kind::Bool(b),
        DeValue::Datetime(d) => Kind::Datetime(d.to_string()),
        DeValue::Array(items) => {
            Kind::Array(items.into_iter().map(|item| convert(item, place)).collect())
        }
        DeValue::Table(table) => return convert_table(table, span, place),
    };
    Node {
        place: place(span),
        kind,
    }
}

fn convert_table(
    table: DeTable<'_>,
    span: Range<usize>,
    place: &dyn Fn(Range<usize>) -> Place,
) -> Node {
    let mut entries: Vec<(usize, Entry)> = table
        .into_iter()
        .map(|(key, value)| {
            let key_span = key.span();
            let entry = Entry {
                key: key.into_inner().into_owned(),
                key_place: place(key_span.clone()),
                value: convert(value, place),
            };
            (key_span.start, entry)
        })
        .collect();
    entries.sort_by_key(|(start, _)| *start);
    Node {
        place: place(span),
        kind: Kind::Table(entries.into_iter().map(|(_, e)| e).collect()),
    }
}

/// TOML floats as written (`1e3`, `inf`, `-nan`); Rust's parser accepts them all once
/// `nan` lost its sign. Anything unparsable (never produced by the lexer) is NaN,
/// which every range check rejects.
fn parse_float(text: &str) -> f64 {
    if text.trim_start_matches(['+', '-']) == "nan" {
        f64::NAN
    } else {
        text.parse().unwrap_or(f64::NAN)
    }
}

/// One step of an override path.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// `name`: a table key, or (on an array of tables) the element with this `name`.
    Key(String),
    /// `[i]`: an array element.
    Index(usize),
}

/// Applies one `--set path=value` override (the `index`-th given) to the document.
/// A malformed path, or one that leads nowhere, is an error with origin `--set TEXT`
/// and no position.
pub fn apply_override(root: &mut Node, index: usize, text: &str) -> Result<(), ScenarioError> {
    let fail = |field: &str, message: String| ScenarioError {
        origin: format!("--set {text}"),
        position: None,
        field: field.to_owned(),
        message,
    };
    let (path, value) = text
        .split_once('=')
        .ok_or_else(|| fail("", "expected PATH=VALUE".to_owned()))?;
    let path = path.trim();
    let steps = parse_path(path).map_err(|message| fail(path, message))?;
    let value = parse_override_value(value.trim(), index);
    set_path(root, &steps, value, &Place::Override(index))
        .map_err(|(field, message)| fail(&field, message))
}

/// Stores `value` at `path` (the syntax of `--set`), creating missing tables whose
/// keys are placed at `key_place`. On failure returns the field walked so far and what
/// is wrong.
pub fn set_value(
    root: &mut Node,
    path: &str,
    value: Node,
    key_place: &Place,
) -> Result<(), (String, String)> {
    let steps = parse_path(path).map_err(|message| (path.to_owned(), message))?;
    set_path(root, &steps, value, key_place)
}

/// Checks the syntax of a `--set`-style path.
pub fn check_path(path: &str) -> Result<(), String> {
    parse_path(path).map(|_| ())
}

/// `a.b[0].c` → steps. Keys are bare (no quoting); an index follows a key.
fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for segment in path.split('.') {
        let (key, mut rest) = segment.split_at(segment.find('[').unwrap_or(segment.len()));
        if key.is_empty() {
            return Err(format!("empty name in path {path:?}"));
        }
        steps.push(Step::Key(key.to_owned()));
        while let Some(after) = rest.strip_prefix('[') {
            let (digits, tail) = after
                .split_once(']')
                .ok_or_else(|| format!("missing ']' in path {path:?}"))?;
            let i = digits
                .trim()
                .parse()
                .map_err(|_| format!("expected an index like [0], found [{digits}]"))?;
            steps.push(Step::Index(i));
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(format!("unexpected {rest:?} after ']' in path {path:?}"));
        }
    }
    Ok(steps)
}

/// A command-line value: TOML if it parses as one, else a plain string.
pub fn value_node(text: &str) -> Node {
    parse_override_value(text.trim(), 0)
}

/// The value as TOML if it parses as one, else as a plain string.
fn parse_override_value(value: &str, index: usize) -> Node {
    let document = format!("x = {value}");
    let place = |_| Place::Override(index);
    if let Ok(table) = DeTable::parse(&document) {
        let span = table.span();
        if let Node {
            kind: Kind::Table(mut entries),
            ..
        } = convert_table(table.into_inner(), span, &place)
            && entries.len() == 1
            && let Some(entry) = entries.pop()
        {
            return entry.value;
        }
    }
    Node {
        place: Place::Override(index),
        kind: Kind::Str(value.to_owned()),
    }
}

/// Walks `steps` from `node`, creating missing tables, and stores `value` at the end.
/// On failure returns the path walked so far and what is wrong.
fn set_path(
    root: &mut Node,
    steps: &[Step],
    value: Node,
    key_place: &Place,
) -> Result<(), (String, String)> {
    let mut node = root;
    let mut field = String::new();
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let parent = field.clone();
        match step {
            Step::Key(k) if field.is_empty() => field.push_str(k),
            Step::Key(k) => {
                field.push('.');
                field.push_str(k);
            }
            Step::Index(n) => field.push_str(&format!("[{n}]")),
        }
        let what = node.describe();
        node = match (&mut node.kind, step) {
            (Kind::Table(entries), Step::Key(key)) => {
                let pos = match entries.iter().position(|e| &e.key == key) {
                    Some(pos) => pos,
                    None => {
                        entries.push(Entry {
                            key: key.clone(),
                            key_place: key_place.clone(),
                            value: Node {
                                place: key_place.clone(),
                                kind: Kind::Table(Vec::new()),
                            },
                        });
                        entries.len() - 1
                    }
                };
                &mut entries[pos].value
            }
            (Kind::Array(items), Step::Index(n)) => {
                let len = items.len();
                items.get_mut(*n).ok_or_else(|| {
                    let message = format!("index {n} out of range: {parent} has {len} elements");
                    (field.clone(), message)
                })?
            }
            (Kind::Array(items), Step::Key(name)) => {
                let names_match = |item: &Node, key: &str| matches!(item.get(key), Some(Node { kind: Kind::Str(s), .. }) if s == name);
                let pos = items
                    .iter()
                    .position(|item| names_match(item, "name"))
                    .or_else(|| items.iter().position(|item| names_match(item, "iso3")));
                let pos = pos.ok_or_else(|| {
                    let message = format!("no element of {parent} has name {name:?}");
                    (field.clone(), message)
                })?;
                &mut items[pos]
            }
            (_, step) => {
                let message = match step {
                    Step::Key(_) => format!("{parent} is {what}, not a table"),
                    Step::Index(_) => format!("{parent} is {what}, not a list"),
                };
                return Err((field, message));
            }
        };
        if last {
            *node = value;
            return Ok(());
        }
    }
    Ok(())
}

/// The document as JSON (for the manifest's resolved scenario). Non-finite floats and
/// out-of-range integers become strings, as JSON has no such numbers.
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        Kind::Str(s) | Kind::BigInt(s) | Kind::Datetime(s) => Value::String(s.clone()),
        Kind::Int(i) => Value::from(*i),
        Kind::Float(f) => serde_json::Number::from_f64(*f)
            .map_or_else(|| Value::String(f.to_string()), Value::Number),
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Table(entries) => Value::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), to_json(&e.value)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Node {
        parse_document(text, "t.toml").unwrap()
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_col(text, 11), (2, 5));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn entries_are_in_file_order_with_spans() {
        let text = "[t]\nz = 1\na = 2.5\n";
        let root = doc(text);
        let t = root.get("t").unwrap();
        let keys: Vec<_> = t
            .entries()
            .unwrap()
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        assert_eq!(keys, ["z", "a"]);
        assert_eq!(t.place, Place::File(0..3));
        let a = t.get("a").unwrap();
        assert_eq!(a.kind, Kind::Float(2.5));
        assert_eq!(a.place, Place::File(14..17));
    }

    #[test]
    fn special_numbers_survive() {
        let root = doc("a = 0x10\nb = 99999999999999999999\nc = 1e309\nd = nan\ne = -inf\n");
        assert_eq!(root.get("a").unwrap().kind, Kind::Int(16));
        assert_eq!(
            root.get("b").unwrap().kind,
            Kind::BigInt("99999999999999999999".into())
        );
        assert_eq!(root.get("c").unwrap().kind, Kind::Float(f64::INFINITY));
        assert!(matches!(root.get("d").unwrap().kind, Kind::Float(f) if f.is_nan()));
        assert_eq!(root.get("e").unwrap().kind, Kind::Float(f64::NEG_INFINITY));
    }

    #[test]
    fn syntax_error_has_position_and_one_line_message() {
        let e = parse_document("[scenario]\nname = \"x\nticks = 1\n", "s.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.toml:2:10: invalid basic string, expected `\"`"
        );
    }

    const BODIES: &str =
        "[[bodies]]\nname = \"UNSC\"\nrule = \"veto\"\n[[bodies]]\nname = \"EU\"\nrule = \"qmv\"\n";

    fn set(text: &str, overrides: &[&str]) -> (Node, Vec<ScenarioError>) {
        let mut root = doc(text);
        let errors = overrides
            .iter()
            .enumerate()
            .filter_map(|(i, text)| apply_override(&mut root, i, text).err())
            .collect();
        (root, errors)
    }

    fn rule_of(root: &Node, i: usize) -> Kind {
        match &root.get("bodies").unwrap().kind {
            Kind::Array(items) => items[i].get("rule").unwrap().kind.clone(),
            _ => panic!("not an array"),
        }
    }

    #[test]
    fn override_by_index_and_by_name() {
        let (root, errors) = set(
            BODIES,
            &["bodies[1].rule=unanimity", "bodies.UNSC.rule=\"qmv\""],
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rule_of(&root, 0), Kind::Str("qmv".into()));
        assert_eq!(rule_of(&root, 1), Kind::Str("unanimity".into()));
        assert_eq!(
            root.get("bodies").unwrap().entries(),
            None,
            "bodies stays an array"
        );
    }

    #[test]
    fn override_parses_toml_values_and_falls_back_to_strings() {
        let (root, errors) = set(
            "",
            &[
                "coalitions.max_size=10",
                "a.b.c={ dist = \"uniform\", min = 0.2, max = 0.8 }",
                "x.y=[1, 2",
                "x.z=1\ny = 2",
            ],
        );
        assert!(errors.is_empty(), "{errors:?}");
        let c = root.get("coalitions").unwrap();
        assert_eq!(c.place, Place::Override(0));
        assert_eq!(c.get("max_size").unwrap().kind, Kind::Int(10));
        let dist = root.get("a").unwrap().get("b").unwrap().get("c").unwrap();
        assert_eq!(dist.get("min").unwrap().kind, Kind::Float(0.2));
        assert_eq!(dist.place, Place::Override(1));
        let x = root.get("x").unwrap();
        assert_eq!(x.get("y").unwrap().kind, Kind::Str("[1, 2".into()));
        assert_eq!(x.get("z").unwrap().kind, Kind::Str("1\ny = 2".into()));
    }

    #[test]
    fn bad_override_paths_are_errors() {
        let (_, errors) = set(
            &format!("[scenario]\nticks = 5\n{BODIES}"),
            &[
                "bodies[2].rule=qmv",
                "bodies.NATO.rule=qmv",
                "scenario.ticks.x=1",
                "noequals",
                "a..b=1",
                "bodies[x]=1",
            ],
        );
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            [
                "--set bodies[2].rule=qmv: bodies[2]: index 2 out of range: bodies has 2 elements",
                "--set bodies.NATO.rule=qmv: bodies.NATO: no element of bodies has name \"NATO\"",
                "--set scenario.ticks.x=1: scenario.ticks.x: scenario.ticks is integer 5, not a table",
                "--set noequals: expected PATH=VALUE",
                "--set a..b=1: a..b: empty name in path \"a..b\"",
                "--set bodies[x]=1: bodies[x]: expected an index like [0], found [x]",
            ]
        );
    }

    #[test]
    fn json_mirrors_the_tree() {
        let root = doc("a = 1\nb = [true, \"s\"]\n[t]\nf = 1.5\ng = inf\n");
        let json = to_json(&root);
        assert_eq!(
            json,
            serde_json::json!({"a": 1, "b": [true, "s"], "t": {"f": 1.5, "g": "inf"}})
        );
    }
}
