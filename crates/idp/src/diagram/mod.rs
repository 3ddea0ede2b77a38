//! Diagrams of what the simulator's settings make Okta do, drawn from its real state: the
//! matching rule as a flow (`matching`), sourcing's lifecycle transitions (`sourcing`), and the
//! mappings as a graph (`mappings`). A diagram here is boxes, arrows and text already laid
//! out in pixels, so the page only draws it, and a test can read what it says.
//!
//! Layout is our own small code: each diagram is a fixed flow whose boxes move only with the
//! lines they hold, which a general graph-layout crate would solve at many times the size.

pub mod mappings;
pub mod matching;
pub mod sourcing;

/// What a box stands for, which sets its outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Where the flow begins.
    Start,
    /// A question the rule asks.
    Question,
    /// Where a row ends.
    Outcome,
}

/// One line of text inside a box, in force or not (a criterion the settings turn off is still
/// shown, greyed, with why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub in_force: bool,
}

/// A box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable across settings, for tests and for highlighting a row's path.
    pub id: String,
    pub shape: Shape,
    pub title: String,
    pub lines: Vec<Line>,
    /// Whether the settings let any row reach it.
    pub in_force: bool,
    /// How many rows of the last import reached it.
    pub count: Option<usize>,
    /// What is wrong with it, drawn in the error colour (a required attribute nothing fills).
    pub problem: Option<String>,
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

/// An arrow from one box to another along `points` (the first and last touch the boxes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// "yes", "no", a value, or empty.
    pub label: String,
    pub in_force: bool,
    /// How many rows of the last import took it.
    pub count: Option<usize>,
    /// Drawn dashed (a create-only mapping).
    pub dashed: bool,
    /// What stops it, drawn in the error colour (a mapping that fails for the chosen person).
    pub problem: Option<String>,
    pub points: Vec<(i32, i32)>,
}

impl Edge {
    /// A plain arrow in force from `from` to `to` along `points`: no label, count or problem,
    /// drawn solid. The layouts change what differs with struct update syntax.
    pub fn new(from: impl Into<String>, to: impl Into<String>, points: Vec<(i32, i32)>) -> Edge {
        Edge {
            from: from.into(),
            to: to.into(),
            label: String::new(),
            in_force: true,
            count: None,
            dashed: false,
            problem: None,
            points,
        }
    }
}

/// A laid-out diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub width: i32,
    pub height: i32,
}

impl Diagram {
    /// The box with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The arrow between two boxes.
    pub fn edge(&self, from: &str, to: &str) -> Option<&Edge> {
        self.edges.iter().find(|e| e.from == from && e.to == to)
    }

    /// The diagram as sentences, for screen readers and for people who read rather than look:
    /// one per box in force, with its lines and where its arrows lead.
    pub fn as_text(&self) -> Vec<String> {
        self.nodes
            .iter()
            .filter(|n| n.in_force)
            .map(|n| {
                let mut text = n.title.clone();
                let lines: Vec<&str> = n
                    .lines
                    .iter()
                    .filter(|l| l.in_force)
                    .map(|l| l.text.as_str())
                    .collect();
                if !lines.is_empty() {
                    text.push_str(&format!(" ({})", lines.join("; ")));
                }
                if let Some(count) = n.count {
                    text.push_str(&format!(": {count} in the last import"));
                }
                if let Some(problem) = &n.problem {
                    text.push_str(&format!(" — {problem}"));
                }
                let next: Vec<String> = self
                    .edges
                    .iter()
                    .filter(|e| e.from == n.id && e.in_force)
                    .filter_map(|e| {
                        let to = self.node(&e.to)?;
                        let how = e.problem.as_deref().unwrap_or(&e.label);
                        Some(if how.is_empty() {
                            format!("then {}", to.title)
                        } else {
                            format!("{how} → {}", to.title)
                        })
                    })
                    .collect();
                if !next.is_empty() {
                    text.push_str(&format!(". {}", next.join("; ")));
                }
                text.push('.');
                text
            })
            .collect()
    }
}
