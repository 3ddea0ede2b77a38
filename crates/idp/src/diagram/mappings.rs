//! The mappings as a graph (Mappings panel): one row per app attribute Okta fills, its Okta
//! attribute (or the expression that computes it) on the left, a line to the app attribute on
//! the right — solid for "create and update", dashed for "create only" — and, where an app →
//! Okta mapping reads that app attribute back into the same Okta attribute, a line the other
//! way beneath it. App → Okta mappings that pair with no row get rows of their own at the end.
//! A required app attribute nothing fills is marked. For a chosen person each line carries the
//! value it would send now, or the error that stops it.

use super::{Diagram, Edge, Line, Node, Shape};
use crate::directory::User;
use crate::expr;
use crate::mapping::{user_context, ApplyOn, Mappings};
use crate::profile::{AppProfile, OktaProfile};

const LEFT_X: i32 = 24;
const LEFT_WIDTH: i32 = 236;
const RIGHT_X: i32 = 420;
const RIGHT_WIDTH: i32 = 224;
const WIDTH: i32 = 668;
const TOP: i32 = 16;
const ROW: i32 = 48;
const BOX_HEIGHT: i32 = 38;
/// App attributes an app cannot do without: SCIM's only required user attribute.
const REQUIRED: [&str; 1] = ["userName"];
/// Longer expressions and values are cut to fit their box or line.
const MAX_TEXT: usize = 34;

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_TEXT {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX_TEXT - 1).collect::<String>())
    }
}

/// The Okta attribute an expression reads when it is nothing else: `user.firstName`.
fn direct(expression: &str) -> Option<&str> {
    let name = expression.trim().strip_prefix("user.")?;
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then_some(name)
}

fn boxed(id: String, shape: Shape, title: String, line: Option<String>, x: i32, y: i32) -> Node {
    Node {
        id,
        shape,
        title,
        lines: line
            .map(|text| {
                vec![Line {
                    text,
                    in_force: true,
                }]
            })
            .unwrap_or_default(),
        in_force: true,
        count: None,
        problem: None,
        x,
        y,
        width: if x == LEFT_X { LEFT_WIDTH } else { RIGHT_WIDTH },
        height: BOX_HEIGHT + 14,
    }
}

/// The graph of `mappings` over the two profiles; with `person`, each Okta → app line carries
/// the value it gives them.
pub fn diagram(
    mappings: &Mappings,
    app: &AppProfile,
    okta: &OktaProfile,
    person: Option<&User>,
) -> Diagram {
    let context = person.map(|user| user_context(okta, user));
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut y = TOP;
    let mut paired = Vec::new();
    for attribute in app.attributes() {
        let mapping = mappings.to_app.iter().find(|m| m.target == attribute.name);
        let required = REQUIRED.contains(&attribute.name.as_str());
        if mapping.is_none() && !required {
            continue;
        }
        let right_id = format!("app:{}", attribute.name);
        let mut right = boxed(
            right_id.clone(),
            Shape::Outcome,
            attribute.name.clone(),
            Some(cut(&attribute.external_name)),
            RIGHT_X,
            y,
        );
        let Some(mapping) = mapping else {
            right.problem = Some("required, and no mapping fills it".into());
            right.lines.push(Line {
                text: "required: no mapping fills it".into(),
                in_force: true,
            });
            right.height += 18;
            nodes.push(right);
            y += ROW + 14;
            continue;
        };
        nodes.push(right);
        let left_id = format!("okta:{}", attribute.name);
        let (title, line) = match direct(&mapping.expression) {
            Some(name) => (name.to_string(), Some("Okta profile".to_string())),
            None => ("expression".to_string(), Some(cut(&mapping.expression))),
        };
        nodes.push(boxed(left_id.clone(), Shape::Start, title, line, LEFT_X, y));
        let middle = y + (BOX_HEIGHT + 14) / 2;
        let (label, problem) = match &context {
            None => (String::new(), None),
            Some(ctx) => match expr::evaluate(&mapping.expression, ctx) {
                Ok(expr::Value::Null) => ("null: not sent".to_string(), None),
                Ok(value) => (cut(&value.to_json().to_string()), None),
                Err(e) => (cut(&e.to_string()), Some(e.to_string())),
            },
        };
        edges.push(Edge {
            label,
            dashed: mapping.apply_on == ApplyOn::CreateOnly,
            problem,
            ..Edge::new(
                left_id.clone(),
                right_id.clone(),
                vec![(LEFT_X + LEFT_WIDTH, middle - 6), (RIGHT_X, middle - 6)],
            )
        });
        // The app → Okta mapping that reads this attribute back into the same Okta attribute.
        if let Some(back) = direct(&mapping.expression).and_then(|okta_name| {
            mappings.to_okta.iter().find(|m| {
                m.target == okta_name
                    && m.expression.trim() == format!("appuser.{}", attribute.name)
            })
        }) {
            paired.push(back.target.clone());
            edges.push(Edge::new(
                right_id,
                left_id,
                vec![(RIGHT_X, middle + 8), (LEFT_X + LEFT_WIDTH, middle + 8)],
            ));
        }
        y += ROW + 14;
    }
    for back in mappings
        .to_okta
        .iter()
        .filter(|m| !paired.contains(&m.target))
    {
        let left_id = format!("to-okta:{}", back.target);
        let right_id = format!("from-app:{}", back.target);
        nodes.push(boxed(
            left_id.clone(),
            Shape::Outcome,
            back.target.clone(),
            Some("Okta profile".into()),
            LEFT_X,
            y,
        ));
        nodes.push(boxed(
            right_id.clone(),
            Shape::Start,
            "from the app".into(),
            Some(cut(&back.expression)),
            RIGHT_X,
            y,
        ));
        let middle = y + (BOX_HEIGHT + 14) / 2;
        edges.push(Edge::new(
            right_id,
            left_id,
            vec![(RIGHT_X, middle), (LEFT_X + LEFT_WIDTH, middle)],
        ));
        y += ROW + 14;
    }
    Diagram {
        title: "Okta's attributes (left) and the app's (right): each line a mapping".into(),
        nodes,
        edges,
        width: WIDTH,
        height: y - 14 - ROW + BOX_HEIGHT + 14 + TOP,
    }
}
