//! How `minilat watch` draws an [`App`]: a pure function of the app and the frame's
//! size (no clock), so the same state always gives the same screen.
//!
//! ```text
//!  header: scenario, tick t/T, run, seed, running/paused/finished, speed
//!  ─ Progress ─────────────────────────── ─ Trends ──────────────────────
//!  climate  34% ████████░░░░░░░░ crisis    coalitions  3 ▁▂▃▅▅▃
//!  trade    12% ███░░░░░░░░░░░░░           progress  23% ▁▁▂▂▃▃
//!  ─ Coalitions ─────────────────────────────────────────────────────────
//!  issue, coalition of, now led by, size type lead age partners / outside: ...
//!  ─ Bodies ─────────────────────────────────────────────────────────────
//!  ─ Events ─────────────────────────────────────────────────────────────
//!  help line
//! ```
//!
//! From 120 columns on, the event log stands to the right of coalitions and bodies.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, LineGauge, Paragraph, Sparkline};

use super::app::{App, Tone, ratio};
use crate::model::ids::StateId;
use crate::model::venue::{Coalition, CoalitionKind};
use crate::narrate::{CoalitionName, state_name};
use crate::scenario::Rule;

/// The Okabe–Ito palette of `src/plot/style.rs` (`ISSUE_COLOURS`), as the nearest
/// colours of the 256-colour terminal palette (true colour is not safe over SSH or in
/// every terminal): orange, sky blue, bluish green, yellow, blue, vermillion, reddish
/// purple, and grey for black (black vanishes on dark terminals).
const ISSUE_COLOURS: [u8; 8] = [172, 74, 36, 178, 25, 166, 175, 245];

/// The help line.
pub const HELP: &str = "space pause/resume · n/→ step · +/- speed · r restart (new seed) · q quit";

/// Width from which the event log stands beside the venues.
const WIDE: u16 = 120;

/// The colour of issue `k`.
pub fn issue_colour(k: usize) -> Color {
    Color::Indexed(ISSUE_COLOURS[k % ISSUE_COLOURS.len()])
}

fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// Display width of `s` in terminal cells.
fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// `s` cut to `w` cells, ending in "…" when cut.
fn fit(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let cw = width(c.encode_utf8(&mut buf));
        if used + cw > w - 1 {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `w` cells.
fn pad(s: &str, w: usize) -> String {
    let s = fit(s, w);
    let n = w.saturating_sub(width(&s));
    format!("{s}{}", " ".repeat(n))
}

/// As many of `names` as fit in `w` cells, "A, B, C +4" when some are left out.
fn name_list(names: &[&str], w: usize) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let rest = names.len() - i - 1;
        let more = if rest > 0 {
            format!(" +{rest}")
        } else {
            String::new()
        };
        if width(&out) + width(sep) + width(name) + width(&more) <= w {
            out.push_str(sep);
            out.push_str(name);
        } else {
            let more = format!("+{}", names.len() - i);
            if out.is_empty() {
                return fit(&format!("{} {more}", names[0]), w);
            }
            out.push(' ');
            out.push_str(&more);
            return fit(&out, w);
        }
    }
    out
}

/// Speed in ticks per second, briefly.
pub fn speed_text(speed: f64) -> String {
    let s = if speed >= 10.0 {
        format!("{speed:.0}")
    } else if speed >= 1.0 {
        format!("{speed:.1}")
    } else {
        format!("{speed:.2}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s} ticks/s")
}

/// A panel: a title on a rule across the top, no side borders (room for content).
fn panel(title: String) -> Block<'static> {
    Block::new()
        .borders(Borders::TOP)
        .border_style(dim())
        .title(Span::styled(format!(" {title} "), bold()))
}

/// Draws the whole view.
pub fn render(app: &App<'_>, frame: &mut Frame<'_>) {
    let area = frame.area();
    let n_issues = app.scenario.issues.len().max(2) as u16;
    let top_h = (1 + n_issues).min(area.height.saturating_sub(2) / 3).max(2);
    let [header, top, middle, help] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(top_h),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(app, frame, header);
    let [issues, trends] = Layout::horizontal([Constraint::Percentage(60), Constraint::Fill(1)])
        .spacing(1)
        .areas(top);
    render_issues(app, frame, issues);
    render_trends(app, frame, trends);

    let n_bodies = app.scenario.bodies.len() as u16;
    if area.width >= WIDE {
        let [left, right] = Layout::horizontal([Constraint::Percentage(58), Constraint::Fill(1)])
            .spacing(1)
            .areas(middle);
        let bodies_h = (1 + n_bodies).min(left.height / 3);
        let [coalitions, bodies] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(bodies_h)]).areas(left);
        render_coalitions(app, frame, coalitions);
        render_bodies(app, frame, bodies);
        render_log(app, frame, right);
    } else {
        let bodies_h = (1 + n_bodies).min(middle.height / 4);
        let rest = middle.height - bodies_h;
        let coalitions_h = rest * 11 / 20;
        let [coalitions, bodies, log] = Layout::vertical([
            Constraint::Length(coalitions_h),
            Constraint::Length(bodies_h),
            Constraint::Fill(1),
        ])
        .areas(middle);
        render_coalitions(app, frame, coalitions);
        render_bodies(app, frame, bodies);
        render_log(app, frame, log);
    }

    let mut help_text = HELP.to_string();
    if width(HELP) + 22 <= help.width as usize {
        help_text.push_str(" · ↑/↓ scroll events");
    }
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            fit(&help_text, help.width as usize),
            dim(),
        ))),
        help,
    );
}

fn render_header(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let (state, colour) = if app.finished() {
        ("finished", Color::Cyan)
    } else if app.paused {
        ("paused", Color::Yellow)
    } else {
        ("running", Color::Green)
    };
    let sep = || Span::styled(" │ ", dim());
    let facts = [
        Span::raw(format!("tick {}/{}", app.tick(), app.scenario.ticks)),
        Span::raw(format!("run {}", app.run)),
        Span::raw(format!("seed {}", app.seed())),
        Span::styled(state, bold().fg(colour)),
        Span::raw(speed_text(app.speed)),
    ];
    let facts_w: usize = facts.iter().map(|s| s.width() + 3).sum();
    let room = (area.width as usize).saturating_sub(facts_w + 1);
    let title = if width("minilat watch · ") + width(&app.scenario.name) <= room {
        format!("minilat watch · {}", app.scenario.name)
    } else {
        fit(&app.scenario.name, room)
    };
    let mut spans = vec![Span::styled(format!(" {title}"), bold())];
    for f in facts {
        spans.push(sep());
        spans.push(f);
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(Style::new().add_modifier(Modifier::REVERSED)),
        area,
    );
}

fn render_issues(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let block = panel("Progress".into());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let world = app.sim().world();
    let name_w = app
        .scenario
        .issues
        .iter()
        .map(|i| width(&i.name))
        .max()
        .unwrap_or(0)
        .min(14);
    let status_w: u16 = if inner.width >= 40 { 12 } else { 0 };
    for (k, (spec, state)) in app.scenario.issues.iter().zip(&world.issues).enumerate() {
        if k as u16 >= inner.height {
            break;
        }
        let row = Rect::new(inner.x, inner.y + k as u16, inner.width, 1);
        let [bar, status] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(status_w)]).areas(row);
        let r = ratio(state.progress, spec.target);
        let colour = issue_colour(k);
        let label = Line::from(vec![
            Span::styled(pad(&spec.name, name_w), bold().fg(colour)),
            Span::raw(format!(" {:>3.0}%", r * 100.0)),
        ]);
        frame.render_widget(
            LineGauge::default()
                .ratio(r)
                .label(label)
                .filled_symbol("█")
                .unfilled_symbol("░")
                .filled_style(Style::new().fg(colour))
                .unfilled_style(dim()),
            bar,
        );
        let status_text = if let Some(t) = state.solved_at {
            Span::styled(format!(" solved t{t}"), bold().fg(colour))
        } else if state.crisis_left > 0 {
            Span::styled(" crisis", bold().fg(Color::Red))
        } else {
            Span::raw("")
        };
        frame.render_widget(Paragraph::new(Line::from(status_text)), status);
    }
}

/// `data` squeezed into `w` columns: the largest value of each column's ticks.
fn squeeze(data: &[u64], w: usize) -> Vec<u64> {
    if data.len() <= w || w == 0 {
        return data.to_vec();
    }
    (0..w)
        .map(|i| {
            let (a, b) = (i * data.len() / w, (i + 1) * data.len() / w);
            data[a..b.max(a + 1)].iter().copied().max().unwrap_or(0)
        })
        .collect()
}

fn render_trends(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let block = panel("Over the run".into());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let half = (inner.height / 2).max(1);
    let rows = [
        Rect::new(inner.x, inner.y, inner.width, half),
        Rect::new(
            inner.x,
            inner.y + half,
            inner.width,
            inner.height.saturating_sub(half),
        ),
    ];
    let active = app.sim().world().active.len();
    let progress = app.progress_history.last().copied().unwrap_or(0);
    // Each line is scaled to its own largest value so far: the shape shows the trend,
    // the label the value.
    let series = [
        (
            format!("coalitions {active:>3}"),
            &app.coalitions_history,
            Color::Indexed(166),
        ),
        (
            format!("progress {progress:>4}%"),
            &app.progress_history,
            Color::Indexed(25),
        ),
    ];
    for (row, (label, data, colour)) in rows.into_iter().zip(series) {
        if row.height == 0 {
            continue;
        }
        let label_w = 16.min(row.width);
        let [l, spark] =
            Layout::horizontal([Constraint::Length(label_w), Constraint::Fill(1)]).areas(row);
        frame.render_widget(Paragraph::new(Span::raw(label)), l);
        let points = squeeze(data, spark.width as usize);
        let max = points.iter().copied().max().unwrap_or(1).max(1);
        frame.render_widget(
            Sparkline::default()
                .data(&points)
                .max(max)
                .style(Style::new().fg(colour)),
            spark,
        );
    }
}

fn render_coalitions(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let world = app.sim().world();
    let active = world.active.len();
    let block = panel(format!(
        "Coalitions: {active} active, {} founded so far",
        world.next_serial
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let scenario = app.scenario;
    // Each coalition by its name (`narrate::Names`, as in the event log), in columns:
    // issue, "coalition of" its founder (with "(2nd)" for a founder's second on the
    // issue), and "now led by" its leader where leadership passed.
    let rows: Vec<(&Coalition, CoalitionName)> = world
        .active
        .iter()
        .map(|&c| {
            let c = world.coalition(c);
            (c, app.names.name(scenario, c))
        })
        .collect();
    let issue_w = scenario
        .issues
        .iter()
        .map(|i| width(&i.name))
        .max()
        .unwrap_or(0)
        .clamp(5, 12);
    let founder_w = rows
        .iter()
        .map(|(_, n)| width(&n.founder_cell()))
        .max()
        .unwrap_or(0)
        .clamp(12, 16);
    let led_w = rows
        .iter()
        .filter_map(|(_, n)| n.now_led_by.as_deref().map(width))
        .max()
        .unwrap_or(0)
        .clamp(10, 14);
    let fixed = issue_w + 1 + founder_w + 1 + led_w + 1 + 4 + 1 + 5 + 1 + 11 + 1 + 3 + 1;
    let members_w = (inner.width as usize).saturating_sub(fixed);
    let mut lines = Vec::new();
    lines.push(Line::styled(
        format!(
            "{} {} {} size type  {} age partners",
            pad("issue", issue_w),
            pad("coalition of", founder_w),
            pad("now led by", led_w),
            pad("lead", 11)
        ),
        dim().add_modifier(Modifier::UNDERLINED),
    ));
    // Rows for coalitions: all but the header and the "outside" line.
    let room = (inner.height as usize).saturating_sub(2);
    let shown = if active > room {
        room.saturating_sub(1)
    } else {
        active
    };
    if active == 0 && room > 0 {
        lines.push(Line::styled("(none yet)", dim()));
    }
    for (c, name) in rows.iter().take(shown) {
        let others: Vec<&str> = c
            .members
            .iter()
            .filter(|&&s| s != c.leader)
            .map(|&s| state_name(scenario, s))
            .collect();
        let kind = match c.kind {
            CoalitionKind::Bloc => "bloc",
            CoalitionKind::Issue => "issue",
        };
        let lead = if c.great_power_led {
            "great power"
        } else {
            "micro"
        };
        let k = c.issue.index();
        lines.push(Line::from(vec![
            Span::styled(pad(&name.issue, issue_w), bold().fg(issue_colour(k))),
            Span::raw(format!(
                " {} {} {:>4} {kind:<5} {lead:<11} {:>3} ",
                pad(&name.founder_cell(), founder_w),
                pad(name.now_led_by.as_deref().unwrap_or(""), led_w),
                c.members.len(),
                world.tick.saturating_sub(c.founded)
            )),
            Span::raw(name_list(&others, members_w)),
        ]));
    }
    if shown < active {
        lines.push(Line::styled(
            format!("… and {} more", active - shown),
            dim(),
        ));
    }
    let outside: Vec<&str> = (0..world.states.len())
        .filter(|&i| world.states.memberships[i].is_empty())
        .map(|i| state_name(scenario, StateId::from_index(i)))
        .collect();
    let prefix = format!("outside ({}): ", outside.len());
    let rest = (inner.width as usize).saturating_sub(width(&prefix));
    let names = if outside.is_empty() {
        "none: every state is in a coalition".to_string()
    } else {
        name_list(&outside, rest)
    };
    lines.push(Line::from(vec![
        Span::styled(prefix, bold()),
        Span::raw(names),
    ]));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A body's decision rule, briefly.
fn rule_text(rule: &Rule) -> String {
    match rule {
        Rule::Unanimity => "unanimity".into(),
        Rule::Consensus { .. } => "consensus".into(),
        Rule::Veto { holders, .. } => format!("majority, {} vetoes", holders.len()),
        Rule::Qmv { .. } => "qualified majority".into(),
    }
}

fn render_bodies(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    if area.height == 0 {
        return;
    }
    let block = panel("Bodies: deadlock = share of votes that failed".into());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let scenario = app.scenario;
    let world = app.sim().world();
    let name_w = scenario
        .bodies
        .iter()
        .map(|b| width(&b.name))
        .max()
        .unwrap_or(0)
        .min(16);
    let mut lines = Vec::new();
    if scenario.bodies.is_empty() {
        lines.push(Line::styled(
            "(no multilateral bodies in this scenario)",
            dim(),
        ));
    }
    let room = (inner.width as usize).saturating_sub(name_w);
    for (spec, body) in scenario.bodies.iter().zip(&world.bodies) {
        let mut text = format!(
            " {:>3} members · {}",
            body.members.len(),
            rule_text(&body.rule)
        );
        // The longest wording that fits, then building blocks if there is room.
        let votes = if body.attempted == 0 {
            vec!["no vote yet".to_string()]
        } else {
            let failed = body.attempted - body.adopted;
            let pct = 100.0 * f64::from(failed) / f64::from(body.attempted);
            vec![
                format!(
                    "deadlock {pct:.0}% ({failed} of {} votes failed)",
                    body.attempted
                ),
                format!("deadlock {pct:.0}% ({failed}/{} failed)", body.attempted),
                format!("deadlock {pct:.0}%"),
            ]
        };
        if let Some(v) = votes
            .iter()
            .find(|v| width(&text) + 3 + width(v) <= room)
            .or(votes.last())
        {
            text.push_str(" · ");
            text.push_str(v);
        }
        if body.endorsed > 0 {
            let blocks = format!(" · {} building blocks", body.endorsed);
            if width(&text) + width(&blocks) <= room {
                text.push_str(&blocks);
            }
        }
        lines.push(Line::from(vec![
            Span::styled(pad(&spec.name, name_w), bold()),
            Span::raw(fit(&text, room)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// `text` broken at spaces into lines of at most `w` cells; lines after the first
/// start with `indent` spaces.
pub fn wrap(text: &str, w: usize, indent: usize) -> Vec<String> {
    let w = w.max(indent + 8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let room = w - if lines.is_empty() { 0 } else { indent };
        let sep = usize::from(!line.is_empty());
        if !line.is_empty() && width(&line) + sep + width(word) > room {
            lines.push(std::mem::take(&mut line));
        }
        let room = w - if lines.is_empty() { 0 } else { indent };
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        // A word longer than a line is cut.
        while width(&line) > room {
            let cut: String = fit(&line, room);
            let kept = cut.trim_end_matches('…').len();
            lines.push(line[..kept].to_string());
            line = line[kept..].to_string();
        }
    }
    lines.push(line);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l
            } else {
                format!("{}{l}", " ".repeat(indent))
            }
        })
        .collect()
}

fn tone_style(tone: Tone) -> Style {
    match tone {
        Tone::Plain => Style::new(),
        Tone::Formed => Style::new().fg(Color::Green),
        Tone::Broke => Style::new().fg(Color::Yellow),
        Tone::Adopted => Style::new().fg(Color::Cyan),
        Tone::Blocked => Style::new().fg(Color::Red),
        Tone::Crisis => Style::new().fg(Color::Magenta),
        Tone::Succession => Style::new().fg(Color::LightBlue),
        Tone::End => bold(),
        Tone::Player => Style::new().fg(Color::LightMagenta),
    }
}

fn render_log(app: &App<'_>, frame: &mut Frame<'_>, area: Rect) {
    let title = if app.scroll > 0 {
        format!("Events (scrolled back {}; End: newest)", app.scroll)
    } else {
        "Events, newest at the bottom".to_string()
    };
    let block = panel(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let h = inner.height as usize;
    if h == 0 {
        return;
    }
    let end = app.log.len().saturating_sub(app.scroll);
    // Wrap from the newest back until the panel is full.
    let mut lines: Vec<Line<'_>> = Vec::new();
    for entry in app.log[..end].iter().rev() {
        let style = tone_style(entry.tone);
        let mut wrapped = wrap(&entry.text, inner.width as usize, 4);
        while let Some(text) = wrapped.pop() {
            let first = wrapped.is_empty();
            let line = match (first, text.split_once(": ")) {
                (true, Some((tick, rest))) if tick.starts_with("tick ") => Line::from(vec![
                    Span::styled(format!("{tick}: "), dim()),
                    Span::styled(rest.to_string(), style),
                ]),
                _ => Line::styled(text, style),
            };
            lines.push(line);
            if lines.len() == h {
                break;
            }
        }
        if lines.len() == h {
            break;
        }
    }
    lines.reverse();
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_with_an_ellipsis() {
        assert_eq!(fit("Germany", 10), "Germany");
        assert_eq!(fit("United Kingdom", 8), "United …");
        assert_eq!(pad("UN", 4), "UN  ");
    }

    #[test]
    fn name_lists_say_how_many_are_left_out() {
        let names = ["France", "Italy", "Spain", "Canada"];
        assert_eq!(name_list(&names, 40), "France, Italy, Spain, Canada");
        assert_eq!(name_list(&names, 20), "France, Italy +2");
        assert_eq!(name_list(&names, 8), "France …");
    }

    #[test]
    fn long_lines_wrap_at_spaces_with_an_indent() {
        let lines = wrap(
            "tick 3: Canada leaves the climate coalition of Germany",
            24,
            4,
        );
        assert_eq!(
            lines,
            [
                "tick 3: Canada leaves",
                "    the climate",
                "    coalition of Germany"
            ]
        );
        assert!(lines.iter().all(|l| width(l) <= 24));
    }

    #[test]
    fn speeds_read_briefly() {
        assert_eq!(speed_text(4.0), "4 ticks/s");
        assert_eq!(speed_text(13.5), "14 ticks/s");
        assert_eq!(speed_text(1.5), "1.5 ticks/s");
        assert_eq!(speed_text(0.25), "0.25 ticks/s");
    }

    #[test]
    fn long_series_are_squeezed_to_the_width() {
        assert_eq!(squeeze(&[1, 5, 2, 2, 7, 0], 3), [5, 2, 7]);
        assert_eq!(squeeze(&[1, 2], 5), [1, 2]);
    }
}
