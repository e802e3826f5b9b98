//! The `shapley` rule's own output files, rebuilt from `coalitions.csv` (complete when
//! this runs): every alliance the rule formed is a coalition on the rule's issue, and
//! a merge ends its two sides with reason `merged` in the tick the union is founded
//! with all their members. So a node's children are the coalitions that ended
//! `merged` at its founding tick with members among its own, plus the single states
//! among its members that no child brought.
//!
//! - `hierarchy.csv`: one row per alliance of every run (`run, node, founded, ended,
//!   reason, level, size, members, child_alliances, child_states, parent`);
//! - `hierarchy.txt`: run 0's alliances as an indented tree, roots first.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::error::OutputError;
use crate::model::scenario::shapley::{HIERARCHY, HIERARCHY_TREE};
use crate::output::csv::columns;
use crate::output::results::CsvReader;
use crate::output::{COALITIONS, csv as out_csv};
use crate::scenario::Scenario;

/// One alliance of a run, as read from `coalitions.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Alliance {
    /// Coalition serial (`id`).
    pub id: u32,
    /// Founding tick.
    pub founded: u32,
    /// Tick it ended.
    pub ended: u32,
    /// Why it ended (`merged`, `hazard`, `run_ended`, ...).
    pub reason: String,
    /// Its members (state names).
    pub members: Vec<String>,
}

/// One node of a run's hierarchy.
#[derive(Clone, Debug, PartialEq)]
pub struct HierarchyNode {
    /// The alliance.
    pub alliance: Alliance,
    /// Height: 1 for an alliance of single states, else 1 + the tallest child.
    pub level: u32,
    /// Ids of the alliances that merged into it, ascending.
    pub child_alliances: Vec<u32>,
    /// Single states that merged into it (members no child brought), in member order.
    pub child_states: Vec<String>,
    /// The alliance it merged into, if it did.
    pub parent: Option<u32>,
}

/// Rebuilds the hierarchy of one run's alliances (`alliances` in any order; the
/// result is by id). A child is an alliance that ended `merged` in the tick the
/// parent was founded and whose members are all the parent's; each has one parent
/// because a state is in at most one alliance at a time.
pub fn hierarchy(mut alliances: Vec<Alliance>) -> Vec<HierarchyNode> {
    alliances.sort_by_key(|a| a.id);
    let mut nodes: Vec<HierarchyNode> = Vec::with_capacity(alliances.len());
    // NOTE: the alliances that ended `merged` and have no parent yet, by the tick they
    // ended: a parent founded at tick t looks only at those of t, and checks members
    // through a set. Comparing every earlier node's names with every later one's
    // (O(nodes²) string comparisons) took 31% of a 100-state run (issue 21).
    let mut orphans: HashMap<u32, Vec<usize>> = HashMap::new();
    for a in alliances {
        let mut child_at = Vec::new();
        let mut level = 1;
        let child_states = {
            let members: HashSet<&str> = a.members.iter().map(String::as_str).collect();
            let mut brought: HashSet<&str> = HashSet::new();
            if let Some(waiting) = orphans.get_mut(&a.founded) {
                // Serials grow with founding, so every child has a lower id and is placed.
                waiting.retain(|&i| {
                    let c = &nodes[i];
                    let inside = c
                        .alliance
                        .members
                        .iter()
                        .all(|m| members.contains(m.as_str()));
                    if inside {
                        child_at.push(i);
                        level = level.max(c.level + 1);
                        brought.extend(c.alliance.members.iter().map(String::as_str));
                    }
                    !inside
                });
            }
            a.members
                .iter()
                .filter(|m| !brought.contains(m.as_str()))
                .cloned()
                .collect()
        };
        // `waiting` is in id order, so the children are too.
        let child_alliances = child_at.iter().map(|&i| nodes[i].alliance.id).collect();
        for &i in &child_at {
            nodes[i].parent = Some(a.id);
        }
        if a.reason == "merged" {
            orphans.entry(a.ended).or_default().push(nodes.len());
        }
        nodes.push(HierarchyNode {
            alliance: a,
            level,
            child_alliances,
            child_states,
            parent: None,
        });
    }
    nodes
}

columns! {
    /// One row of `hierarchy.csv`: node `n` of run `run`.
    pub fn hierarchy_row(run: u32, n: &HierarchyNode) -> HIERARCHY_HEADER {
        let a = &n.alliance;
        "run" => run.to_string(),
        "node" => a.id.to_string(),
        "founded" => a.founded.to_string(),
        "ended" => a.ended.to_string(),
        "reason" => a.reason.clone(),
        "level" => n.level.to_string(),
        "size" => a.members.len().to_string(),
        "members" => a.members.join(";"),
        "child_alliances" => n
            .child_alliances
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(";"),
        "child_states" => n.child_states.join(";"),
        "parent" => n.parent.map(|p| p.to_string()).unwrap_or_default(),
    }
}

/// Run 0's hierarchy as an indented tree: each root alliance (one that merged into
/// none) with its children below it, then the states in no alliance at the end.
pub fn tree_text(scenario: &Scenario, nodes: &[HierarchyNode]) -> String {
    let issue = &scenario.issues[scenario.behaviour.shapley.issue.index()].name;
    let mut out = format!(
        "Run 0: alliances of alliances on {issue} (bilateral Shapley merging).\n\
         #id [founded-ended, size, level]: an alliance; names: single states merging in.\n\n"
    );
    fn walk(out: &mut String, nodes: &[HierarchyNode], n: &HierarchyNode, indent: usize) {
        let a = &n.alliance;
        let end = if a.reason == "run_ended" {
            String::new()
        } else {
            format!(" {}", a.reason)
        };
        let _ = writeln!(
            out,
            "{:indent$}#{} [{}-{}{end}, {} members, level {}]",
            "",
            a.id,
            a.founded,
            a.ended,
            a.members.len(),
            n.level,
        );
        // Single states first: the deeper sub-trees below them stay readable.
        for s in &n.child_states {
            let _ = writeln!(out, "{:w$}{s}", "", w = indent + 2);
        }
        for &c in &n.child_alliances {
            if let Some(child) = nodes.iter().find(|x| x.alliance.id == c) {
                walk(out, nodes, child, indent + 2);
            }
        }
    }
    for n in nodes.iter().rev().filter(|n| n.parent.is_none()) {
        walk(&mut out, nodes, n, 0);
    }
    if nodes.is_empty() {
        out.push_str("(no alliance formed in run 0)\n");
    }
    let inside: Vec<&str> = nodes
        .iter()
        .filter(|n| n.alliance.reason == "run_ended")
        .flat_map(|n| n.alliance.members.iter().map(String::as_str))
        .collect();
    let alone: Vec<&str> = scenario
        .states
        .iter()
        .map(|s| s.name.as_str())
        .filter(|s| !inside.contains(s))
        .collect();
    let _ = writeln!(
        out,
        "\nAlone at the end ({}): {}",
        alone.len(),
        alone.join(", ")
    );
    out
}

/// The rule's files `(name, bytes)` for the finished run directory `dir`:
/// `hierarchy.csv` and `hierarchy.txt` (none if `coalitions.csv` is absent).
pub fn files(scenario: &Scenario, dir: &Path) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError> {
    let path = dir.join(COALITIONS);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut reader = CsvReader::open(&path)?;
    let c = reader.columns(&[
        "run", "id", "issue", "founded", "ended", "reason", "members",
    ])?;
    let (run_c, id_c, issue_c, founded_c, ended_c, reason_c, members_c) =
        (c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
    let issue = &scenario.issues[scenario.behaviour.shapley.issue.index()].name;

    let mut csv = out_csv::writer(Vec::new());
    let out_path = dir.join(HIERARCHY);
    let write_err = |source| OutputError::Csv {
        path: out_path.clone(),
        source,
    };
    csv.write_record(HIERARCHY_HEADER).map_err(write_err)?;
    let mut text = None;
    let mut run: Option<u32> = None;
    let mut alliances = Vec::new();
    let mut flush = |run: u32, alliances: Vec<Alliance>, csv: &mut ::csv::Writer<Vec<u8>>| {
        let nodes = hierarchy(alliances);
        for n in &nodes {
            csv.write_record(hierarchy_row(run, n)).map_err(write_err)?;
        }
        if run == 0 {
            text = Some(tree_text(scenario, &nodes));
        }
        Ok::<(), OutputError>(())
    };
    while let Some(row) = reader.next_row()? {
        let field = |c: usize| row.text(c);
        let number = |c: usize| row.parse::<u32>(c, "a whole number");
        if field(issue_c) != issue {
            continue;
        }
        let r = number(run_c)?;
        if run.is_some_and(|p| p != r) {
            flush(run.unwrap_or(0), std::mem::take(&mut alliances), &mut csv)?;
        }
        run = Some(r);
        let members = field(members_c);
        alliances.push(Alliance {
            id: number(id_c)?,
            founded: number(founded_c)?,
            ended: number(ended_c)?,
            reason: field(reason_c).to_string(),
            members: if members.is_empty() {
                Vec::new()
            } else {
                members.split(';').map(str::to_string).collect()
            },
        });
    }
    if let Some(r) = run {
        flush(r, alliances, &mut csv)?;
    }
    let bytes = csv.into_inner().map_err(|e| OutputError::Io {
        action: "writing",
        path: out_path.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let text = text.unwrap_or_else(|| tree_text(scenario, &[]));
    Ok(vec![
        (HIERARCHY, bytes),
        (HIERARCHY_TREE, text.into_bytes()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(id: u32, founded: u32, ended: u32, reason: &str, members: &str) -> Alliance {
        Alliance {
            id,
            founded,
            ended,
            reason: reason.to_string(),
            members: members.split(';').map(str::to_string).collect(),
        }
    }

    #[test]
    fn children_are_the_alliances_merged_at_the_founding_tick() {
        // Tick 0: A+B (#0), C+D (#1). Tick 1: #0 + #1 = #2. Tick 2: #2 + E = #3.
        // #4 (F+G) founded at 1 ended by hazard at 3: a root of its own. #5 (F+H)
        // founded at 3 has no alliance child although #4 ended at 3 (not merged).
        let nodes = hierarchy(vec![
            a(3, 2, 10, "run_ended", "A;B;C;D;E"),
            a(0, 0, 1, "merged", "A;B"),
            a(2, 1, 2, "merged", "A;B;C;D"),
            a(1, 0, 1, "merged", "C;D"),
            a(4, 1, 3, "hazard", "F;G"),
            a(5, 3, 10, "run_ended", "F;H"),
        ]);
        type Row = (u32, u32, Vec<u32>, Vec<String>, Option<u32>);
        let summary: Vec<Row> = nodes
            .iter()
            .map(|n| {
                (
                    n.alliance.id,
                    n.level,
                    n.child_alliances.clone(),
                    n.child_states.clone(),
                    n.parent,
                )
            })
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            summary,
            vec![
                (0, 1, vec![], s(&["A", "B"]), Some(2)),
                (1, 1, vec![], s(&["C", "D"]), Some(2)),
                (2, 2, vec![0, 1], s(&[]), Some(3)),
                (3, 3, vec![2], s(&["E"]), None),
                (4, 1, vec![], s(&["F", "G"]), None),
                (5, 1, vec![], s(&["F", "H"]), None),
            ]
        );
    }
}
