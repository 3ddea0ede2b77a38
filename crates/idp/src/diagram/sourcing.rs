//! Profile & Lifecycle Sourcing as transitions (To Okta tab): what an import does to a linked
//! Okta user when the app deactivates, removes or reactivates its account, under the settings
//! as they stand — and, on the To App side, what Okta sends when it unassigns or deactivates a
//! person. One row per transition, from the status it starts in to the one it ends in; the
//! transitions the settings do not choose are drawn greyed with why.
//!
//! The rows follow `crate::sourcing` and the import's `apply`: "deactivate" applies to a user
//! in any status but deactivated, "suspend" only to an active one; a reactivated user whose
//! profile the app changed waits in Pending Activation, as does a deactivated one without a
//! password (docs/okta-model.md §8).

use super::{Diagram, Edge, Line, Node, Shape};
use crate::import::{ImportRun, RowKind};
use crate::sourcing::{OnDeactivated, Sourcing};

const FROM_X: i32 = 24;
const FROM_WIDTH: i32 = 200;
const TO_X: i32 = 420;
const TO_WIDTH: i32 = 228;
const WIDTH: i32 = 668;
const TOP: i32 = 16;
const ROW_GAP: i32 = 22;
const BOX_HEIGHT: i32 = 52;

/// One transition: its id (the boxes are `<id>-from` and `<id>-to`), the status it starts in
/// and ends in, the event that causes it, whether the settings choose it and, if not, why.
struct Transition {
    id: &'static str,
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
    event: &'static str,
    in_force: bool,
    why_not: &'static str,
    count: Option<usize>,
}

fn line(text: &str, in_force: bool) -> Line {
    Line {
        text: text.into(),
        in_force,
    }
}

/// The transitions for `sourcing` (and To App's Deactivate Users), with the last import's
/// counts of deactivated, removed and reactivated app users.
pub fn diagram(sourcing: &Sourcing, deactivate_in_app: bool, run: Option<&ImportRun>) -> Diagram {
    let count = |kinds: &[RowKind]| {
        run.map(|r| {
            r.rows
                .iter()
                .filter(|row| kinds.contains(&row.kind))
                .count()
        })
    };
    let off = "app sourcing is off";
    let enabled = sourcing.enabled;
    let deactivation = count(&[RowKind::DeactivatedInApp, RowKind::RemovedInApp]);
    let transitions = [
        Transition {
            id: "deactivate",
            from: ("Any status", "but deactivated"),
            to: ("Deactivated", "DEPROVISIONED"),
            event: "deactivated or removed in the app",
            in_force: enabled && sourcing.on_deactivated == OnDeactivated::Deactivate,
            why_not: if enabled { "not chosen" } else { off },
            count: deactivation.filter(|_| sourcing.on_deactivated == OnDeactivated::Deactivate),
        },
        Transition {
            id: "suspend",
            from: ("Active", "ACTIVE"),
            to: ("Suspended", "SUSPENDED"),
            event: "deactivated or removed in the app",
            in_force: enabled && sourcing.on_deactivated == OnDeactivated::Suspend,
            why_not: if enabled { "not chosen" } else { off },
            count: deactivation.filter(|_| sourcing.on_deactivated == OnDeactivated::Suspend),
        },
        Transition {
            id: "unsuspend",
            from: ("Suspended", "SUSPENDED"),
            to: ("Active", "or Pending Activation if changed"),
            event: "reactivated in the app",
            in_force: enabled && sourcing.reactivate_suspended,
            why_not: if enabled {
                "Reactivate suspended is off"
            } else {
                off
            },
            count: None,
        },
        Transition {
            id: "reactivate",
            from: ("Deactivated", "DEPROVISIONED"),
            to: ("Active", "or Pending Activation if changed"),
            event: "reactivated in the app",
            in_force: enabled && sourcing.reactivate_deactivated,
            why_not: if enabled {
                "Reactivate deactivated is off"
            } else {
                off
            },
            count: None,
        },
        Transition {
            id: "to-app",
            from: ("Okta: unassigned", "or deactivated"),
            to: ("App account inactive", "PATCH active: false"),
            event: "To App pushes it",
            in_force: deactivate_in_app,
            why_not: "To App's Deactivate Users is off",
            count: None,
        },
    ];

    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut y = TOP;
    for t in transitions {
        let box_for = |id: &'static str, x: i32, width: i32, (title, detail): (&str, &str)| Node {
            id: id.into(),
            problem: None,
            shape: if x == FROM_X {
                Shape::Start
            } else {
                Shape::Outcome
            },
            title: title.into(),
            lines: vec![line(detail, t.in_force)],
            in_force: t.in_force,
            count: None,
            x,
            y,
            width,
            height: BOX_HEIGHT,
        };
        let (from_id, to_id) = node_ids(t.id);
        nodes.push(box_for(from_id, FROM_X, FROM_WIDTH, t.from));
        nodes.push(box_for(to_id, TO_X, TO_WIDTH, t.to));
        let middle = y + BOX_HEIGHT / 2;
        edges.push(Edge {
            label: t.event.into(),
            in_force: t.in_force,
            count: t.count,
            ..Edge::new(
                from_id,
                to_id,
                vec![(FROM_X + FROM_WIDTH, middle), (TO_X, middle)],
            )
        });
        if !t.in_force {
            if let Some(to) = nodes.last_mut() {
                to.lines.push(line(&format!("— {}", t.why_not), true));
                to.height += 16;
            }
        }
        y += BOX_HEIGHT.max(nodes.last().map_or(0, |n| n.height)) + ROW_GAP;
    }
    Diagram {
        title: "What the app's lifecycle changes do to Okta users, and what Okta sends the app"
            .into(),
        nodes,
        edges,
        width: WIDTH,
        height: y - ROW_GAP + TOP,
    }
}

/// The ids of a transition's two boxes.
pub fn node_ids(transition: &str) -> (&'static str, &'static str) {
    match transition {
        "deactivate" => ("deactivate-from", "deactivate-to"),
        "suspend" => ("suspend-from", "suspend-to"),
        "unsuspend" => ("unsuspend-from", "unsuspend-to"),
        "reactivate" => ("reactivate-from", "reactivate-to"),
        _ => ("to-app-from", "to-app-to"),
    }
}
