//! Small words of the story: counts, ordinals, percentages and lists of names.

use std::collections::BTreeMap;

use crate::model::ids::StateId;
use crate::narrate::state_name;
use crate::scenario::Scenario;

/// "1 coalition", "3 coalitions".
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The number in words up to twelve, else in digits.
pub(super) fn number_word(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// "every tick", "every 5 ticks".
pub(super) fn every(delay: u32) -> String {
    if delay == 1 {
        "every tick".into()
    } else {
        format!("every {delay} ticks")
    }
}

/// A share as a whole percentage ("23%").
pub(super) fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// The first letter in upper case.
pub(super) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "a, b and c" of already formatted parts.
pub(super) fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "once", "twice", "5 times".
pub(super) fn times(n: u32) -> String {
    match n {
        0 => "no times".into(),
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}

/// "Russia (3 times), India (twice) and Brazil", most often first, ties in state order;
/// past `max` names, "and N others".
pub(super) fn how_often(s: &Scenario, counts: &BTreeMap<StateId, u32>, max: usize) -> String {
    let mut v: Vec<(StateId, u32)> = counts.iter().map(|(&k, &n)| (k, n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut parts: Vec<String> = v
        .iter()
        .take(max)
        .map(|&(k, n)| match n {
            1 => state_name(s, k).to_string(),
            2 => format!("{} (twice)", state_name(s, k)),
            n => format!("{} ({n} times)", state_name(s, k)),
        })
        .collect();
    if v.len() > max {
        parts.push(count(v.len() - max, "other", "others"));
    }
    and_list(&parts)
}

/// "Germany (4), France (3) and Brazil (1)", largest first, ties in state order;
/// past `max` names, "and N others (M between them)", so that the counts still add up
/// to the total (a list cut without saying so would read as complete).
pub(super) fn ranked(s: &Scenario, counts: &BTreeMap<StateId, u32>, max: usize) -> String {
    let mut v: Vec<(StateId, u32)> = counts.iter().map(|(&k, &n)| (k, n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut parts: Vec<String> = v
        .iter()
        .take(max)
        .map(|(k, n)| format!("{} ({n})", state_name(s, *k)))
        .collect();
    if let Some(rest) = v.get(max..).filter(|r| !r.is_empty()) {
        let total: u32 = rest.iter().map(|(_, n)| n).sum();
        parts.push(match rest.len() {
            1 => format!("1 other ({total})"),
            n => format!("{n} others ({total} between them)"),
        });
    }
    and_list(&parts)
}

#[cfg(test)]
mod tests {
    use super::super::classroom;
    use super::*;

    #[test]
    fn ordinals_and_words() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(crate::narrate::ordinal_number)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
        assert_eq!(count(1, "tick", "ticks"), "1 tick");
        assert_eq!(count(0, "tick", "ticks"), "0 ticks");
        assert_eq!(number_word(12), "twelve");
        assert_eq!(number_word(13), "13");
        assert_eq!(
            and_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(capitalise("the UNSC"), "The UNSC");
        assert_eq!(pct(0.234), "23%");
    }

    #[test]
    fn repeated_names_are_counted_and_long_lists_cut() {
        let s = classroom();
        let counts: BTreeMap<StateId, u32> = [
            (StateId(2), 3),
            (StateId(0), 1),
            (StateId(3), 2),
            (StateId(1), 1),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            how_often(&s, &counts, 8),
            "Russia (3 times), India (twice), United States and China"
        );
        assert_eq!(
            how_often(&s, &counts, 2),
            "Russia (3 times), India (twice) and 2 others"
        );
        assert_eq!(
            ranked(&s, &counts, 8),
            "Russia (3), India (2), United States (1) and China (1)"
        );
        assert_eq!(
            ranked(&s, &counts, 3),
            "Russia (3), India (2), United States (1) and 1 other (1)"
        );
        assert_eq!(
            ranked(&s, &counts, 2),
            "Russia (3), India (2) and 2 others (2 between them)"
        );
        assert_eq!(times(1), "once");
        assert_eq!(times(7), "7 times");
    }
}
