//! The matching rule in force as a flow (To Okta › User Creation & Matching, and the Import
//! page): an imported app user is linked already, or an exact match under the chosen criteria,
//! or a partial match on first and last name when those are allowed, or new — and each outcome
//! is linked or created automatically or waits for the admin, as the settings say. After an
//! import every box and arrow carries how many of its rows went that way.
//!
//! The flow follows `crate::matching` to the letter: every chosen criterion must hold for an
//! exact match, "the following attribute matches" replaces the other two, and a partial match is
//! tried only when no exact one holds and partial matches are allowed.

use super::{Diagram, Edge, Line, Node, Shape};
use crate::import::{ImportRun, RowKind};
use crate::matching::MatchRules;

const QUESTION_X: i32 = 24;
const QUESTION_WIDTH: i32 = 300;
const OUTCOME_X: i32 = 388;
const OUTCOME_WIDTH: i32 = 260;
const WIDTH: i32 = 664;
const TOP: i32 = 16;
const GAP: i32 = 40;
const TITLE_HEIGHT: i32 = 34;
const LINE_HEIGHT: i32 = 18;
/// Where the arrow that skips the partial question runs, left of the questions.
const BYPASS_X: i32 = 10;

/// The boxes a row of `kind` passes through, in order, under `rules`: rows linked before this
/// import (unchanged, updated, deactivated, reactivated or removed in the app) stop at the
/// first question.
pub fn path(rules: &MatchRules, kind: RowKind) -> Vec<&'static str> {
    match kind {
        RowKind::Exact => vec!["start", "linked", "exact", "exact-out"],
        RowKind::Partial => vec!["start", "linked", "exact", "partial", "partial-out"],
        RowKind::New if rules.allow_partial => {
            vec!["start", "linked", "exact", "partial", "new-out"]
        }
        RowKind::New => vec!["start", "linked", "exact", "new-out"],
        _ => vec!["start", "linked", "linked-out"],
    }
}

fn line(text: impl Into<String>, in_force: bool) -> Line {
    Line {
        text: text.into(),
        in_force,
    }
}

fn waits_or(auto: bool, done: &str) -> Line {
    line(
        if auto {
            done.to_string()
        } else {
            "waits for your confirmation".to_string()
        },
        true,
    )
}

/// The criteria of an exact match, each with whether it is in force and, if not, why.
fn criteria(rules: &MatchRules) -> Vec<Line> {
    match &rules.attribute {
        Some(attribute) => vec![
            line("Username format — replaced by the attribute", false),
            line("Email — replaced by the attribute", false),
            line(format!("The attribute {attribute} matches"), true),
        ],
        None => {
            let mut lines = vec![
                line(
                    if rules.username {
                        "Okta username format matches"
                    } else {
                        "Okta username format — off"
                    },
                    rules.username,
                ),
                line(
                    if rules.email {
                        "Email matches"
                    } else {
                        "Email — off"
                    },
                    rules.email,
                ),
            ];
            if !rules.username && !rules.email {
                lines.push(line("No criterion chosen: nothing matches exactly", true));
            } else if rules.username && rules.email {
                lines.push(line("Both must hold", true));
            }
            lines
        }
    }
}

fn node(id: &'static str, shape: Shape, title: &str, lines: Vec<Line>, in_force: bool) -> Node {
    let height =
        TITLE_HEIGHT + LINE_HEIGHT * lines.len() as i32 + if lines.is_empty() { 0 } else { 8 };
    let (x, width) = match shape {
        Shape::Outcome => (OUTCOME_X, OUTCOME_WIDTH),
        _ => (QUESTION_X, QUESTION_WIDTH),
    };
    Node {
        id: id.into(),
        shape,
        title: title.into(),
        lines,
        in_force,
        count: None,
        problem: None,
        x,
        y: 0,
        width,
        height,
    }
}

/// The flow for `rules`, with the counts of `run` when there was an import.
pub fn diagram(rules: &MatchRules, run: Option<&ImportRun>) -> Diagram {
    let new_user = if !rules.auto_confirm_new {
        "waits for your confirmation"
    } else if rules.auto_activate_new {
        "created and activated automatically"
    } else {
        "created automatically, staged"
    };
    let partial_lines = if rules.allow_partial {
        vec![line("First and last name equal an Okta user's", true)]
    } else {
        vec![line("Allow partial matches is off", false)]
    };
    let mut nodes = vec![
        node(
            "start",
            Shape::Start,
            "An app user from the import",
            vec![],
            true,
        ),
        node(
            "linked",
            Shape::Question,
            "Linked to an Okta user already?",
            vec![],
            true,
        ),
        node(
            "linked-out",
            Shape::Outcome,
            "Linked already",
            vec![line("profile and lifecycle sourcing apply", true)],
            true,
        ),
        node(
            "exact",
            Shape::Question,
            "Exact match?",
            criteria(rules),
            true,
        ),
        node(
            "exact-out",
            Shape::Outcome,
            "Exact match",
            vec![waits_or(rules.auto_confirm_exact, "linked automatically")],
            true,
        ),
        node(
            "partial",
            Shape::Question,
            "Partial match?",
            partial_lines,
            rules.allow_partial,
        ),
        node(
            "partial-out",
            Shape::Outcome,
            "Partial match",
            vec![waits_or(rules.auto_confirm_partial, "linked automatically")],
            rules.allow_partial,
        ),
        node(
            "new-out",
            Shape::Question,
            "No match: a new Okta user",
            // Confirm new users never applies to a username Okta has already (`import::apply`).
            if rules.auto_confirm_new {
                vec![
                    line(new_user, true),
                    line("a username taken in Okta waits for you", true),
                ]
            } else {
                vec![line(new_user, true)]
            },
            true,
        ),
    ];
    // The new user's box sits in the questions' column, at the end of the flow, but it is an
    // outcome.
    if let Some(new) = nodes.iter_mut().find(|n| n.id == "new-out") {
        new.shape = Shape::Outcome;
    }

    // Top to bottom in the questions' column; each outcome beside its question.
    let mut y = TOP;
    for id in ["start", "linked", "exact", "partial", "new-out"] {
        if let Some(n) = nodes.iter_mut().find(|n| n.id == id) {
            n.y = y;
            y += n.height + GAP;
        }
    }
    let height = y - GAP + TOP;
    for (outcome, question) in [
        ("linked-out", "linked"),
        ("exact-out", "exact"),
        ("partial-out", "partial"),
    ] {
        let at = nodes.iter().find(|n| n.id == question).map_or(0, |n| n.y);
        if let Some(n) = nodes.iter_mut().find(|n| n.id == outcome) {
            n.y = at;
        }
    }

    let find = |id: &str| nodes.iter().find(|n| n.id == id).cloned();
    let down = |from: &str, to: &str, label: &'static str, in_force: bool| {
        let (a, b) = (find(from)?, find(to)?);
        let x = a.x + a.width / 2;
        Some(Edge {
            label: label.into(),
            in_force,
            ..Edge::new(a.id, b.id, vec![(x, a.y + a.height), (x, b.y)])
        })
    };
    let across = |from: &str, to: &str| {
        let (a, b) = (find(from)?, find(to)?);
        let y = a.y + a.height.min(b.height) / 2;
        Some(Edge {
            in_force: a.in_force && b.in_force,
            label: "yes".into(),
            ..Edge::new(a.id, b.id, vec![(a.x + a.width, y), (b.x, y)])
        })
    };
    let bypass = || {
        let (a, b) = (find("exact")?, find("new-out")?);
        let (from_y, to_y) = (a.y + a.height / 2, b.y + b.height / 2);
        let points = vec![
            (a.x, from_y),
            (BYPASS_X, from_y),
            (BYPASS_X, to_y),
            (b.x, to_y),
        ];
        Some(Edge {
            label: "no".into(),
            in_force: !rules.allow_partial,
            ..Edge::new("exact", "new-out", points)
        })
    };
    let mut edges: Vec<Edge> = [
        down("start", "linked", "", true),
        across("linked", "linked-out"),
        down("linked", "exact", "no", true),
        across("exact", "exact-out"),
        down("exact", "partial", "no", rules.allow_partial),
        across("partial", "partial-out"),
        down("partial", "new-out", "no", rules.allow_partial),
        bypass(),
    ]
    .into_iter()
    .flatten()
    .collect();

    if let Some(run) = run {
        for n in &mut nodes {
            n.count = Some(0);
        }
        for e in &mut edges {
            e.count = Some(0);
        }
        for row in &run.rows {
            let steps = path(rules, row.kind);
            for id in &steps {
                if let Some(n) = nodes.iter_mut().find(|n| n.id == *id) {
                    n.count = n.count.map(|c| c + 1);
                }
            }
            for pair in steps.windows(2) {
                if let Some(e) = edges
                    .iter_mut()
                    .find(|e| e.from == pair[0] && e.to == pair[1])
                {
                    e.count = e.count.map(|c| c + 1);
                }
            }
        }
    }

    Diagram {
        title: "How an imported app user is matched".into(),
        nodes,
        edges,
        width: WIDTH,
        height,
    }
}
