//! The syntax tree of an expression and its canonical source text.
//!
//! `Display` prints the canonical form: double-quoted strings, `AND`/`OR`, single spaces around
//! binary operators and only the parentheses that precedence needs. Parsing that text gives
//! back an equal tree, which is what lets the UI pretty-print a mapping without changing it.

use std::fmt;

use serde::Serialize;

use super::value::format_number;

/// A byte range `start..end` in the expression's source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span that covers both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// The object an attribute reference starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Object {
    /// `user.x`: the Okta user profile.
    User,
    /// `appuser.x`: the in-context app user profile (Okta also spells it `appUser`).
    AppUser,
    /// `app.x`: the in-context app instance's properties.
    App,
    /// `org.x`: the Okta org's properties.
    Org,
}

impl Object {
    /// Every object, in the order error messages list them.
    pub const ALL: [Object; 4] = [Object::User, Object::AppUser, Object::App, Object::Org];

    /// The canonical name, as written before the dot.
    pub fn as_str(self) -> &'static str {
        match self {
            Object::User => "user",
            Object::AppUser => "appuser",
            Object::App => "app",
            Object::Org => "org",
        }
    }

    /// The object a name before a dot refers to. `appUser` is accepted because Okta's own help
    /// pages write it that way; it prints back as `appuser`.
    pub fn from_name(name: &str) -> Option<Object> {
        match name {
            "user" => Some(Object::User),
            "appuser" | "appUser" => Some(Object::AppUser),
            "app" => Some(Object::App),
            "org" => Some(Object::Org),
            _ => None,
        }
    }
}

impl fmt::Display for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A prefix operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum UnaryOp {
    /// `!x`: Boolean negation.
    Not,
    /// `-x`: numeric negation.
    Neg,
}

/// An infix operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BinaryOp {
    /// `OR`, also written `or` or `||`.
    Or,
    /// `AND`, also written `and` or `&&`.
    And,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `+`: string concatenation when either side is a string, otherwise addition.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Rem,
}

impl BinaryOp {
    /// The operator's canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Or => "OR",
            BinaryOp::And => "AND",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
        }
    }

    /// How tightly the operator binds; higher binds tighter. Ternary and elvis sit below all of
    /// these at [`PREC_CONDITIONAL`], prefix operators above at [`PREC_UNARY`].
    pub(crate) fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 2,
            BinaryOp::And => 3,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => PREC_COMPARISON,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => 6,
        }
    }
}

pub(crate) const PREC_CONDITIONAL: u8 = 1;
pub(crate) const PREC_OR: u8 = 2;
pub(crate) const PREC_COMPARISON: u8 = 4;
pub(crate) const PREC_UNARY: u8 = 7;
const PREC_PRIMARY: u8 = 8;

/// An expression node: what it is, where it was written, and how deep the tree below it goes.
///
/// Two expressions are equal when they have the same structure; where they were written is not
/// part of what they mean, so spans are ignored by `==`. That is what makes
/// `parse(&expr.to_string()) == Ok(expr)` hold.
#[derive(Clone, Debug, Serialize)]
pub struct Expr {
    kind: ExprKind,
    span: Span,
    #[serde(skip)]
    depth: usize,
}

/// What an expression node is.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ExprKind {
    /// `null` (any case).
    Null,
    /// `true` or `false` (any case).
    Bool {
        /// The literal's value.
        value: bool,
    },
    /// An integer literal such as `1234`.
    Integer {
        /// The literal's value.
        value: i64,
    },
    /// A number literal with a fraction or exponent, such as `3.141` or `1e3`.
    Number {
        /// The literal's value.
        value: f64,
    },
    /// A string literal in `'…'` or `"…"`.
    String {
        /// The literal's value, with doubled quotes already undoubled.
        value: String,
    },
    /// An inline array `{a, b, c}`, as in Okta's `Arrays.contains({10, 20, 30}, 10)`.
    Array {
        /// The elements.
        items: Vec<Expr>,
    },
    /// An attribute reference such as `user.firstName`.
    Attribute {
        /// The object before the dot.
        object: Object,
        /// The attribute name after the dot.
        name: String,
    },
    /// A call of a built-in function, such as `String.len(user.login)`.
    Call {
        /// The function's name as written (a deprecated alias stays an alias).
        function: String,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// A prefix operator applied to an operand.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// An infix operator applied to two operands.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// The left operand.
        left: Box<Expr>,
        /// The right operand.
        right: Box<Expr>,
    },
    /// `condition ? then : otherwise`.
    Ternary {
        /// Must evaluate to a Boolean.
        condition: Box<Expr>,
        /// The value when the condition is true.
        then: Box<Expr>,
        /// The value when the condition is false.
        otherwise: Box<Expr>,
    },
    /// `value ?: fallback`: `fallback` when `value` is null or the empty string.
    Elvis {
        /// The value to test.
        value: Box<Expr>,
        /// The value used instead when `value` is null or "".
        fallback: Box<Expr>,
    },
}

impl Expr {
    /// A node of `kind` written at `span`.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        let below = kind.children().map(Expr::depth).max().unwrap_or(0);
        Expr {
            kind,
            span,
            depth: below + 1,
        }
    }

    /// What this node is.
    pub fn kind(&self) -> &ExprKind {
        &self.kind
    }

    /// Where this node was written.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The number of nodes on the longest path from this node down to a leaf (a leaf is 1).
    pub fn depth(&self) -> usize {
        self.depth
    }

    fn precedence(&self) -> u8 {
        match &self.kind {
            ExprKind::Ternary { .. } | ExprKind::Elvis { .. } => PREC_CONDITIONAL,
            ExprKind::Binary { op, .. } => op.precedence(),
            ExprKind::Unary { .. } => PREC_UNARY,
            _ => PREC_PRIMARY,
        }
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        self.kind == other.kind
    }
}

impl ExprKind {
    /// The direct children, left to right.
    pub fn children(&self) -> impl Iterator<Item = &Expr> {
        let (boxed, list): (Vec<&Expr>, &[Expr]) = match self {
            ExprKind::Array { items } => (Vec::new(), items),
            ExprKind::Call { args, .. } => (Vec::new(), args),
            ExprKind::Unary { operand, .. } => (vec![operand], &[]),
            ExprKind::Binary { left, right, .. } => (vec![left, right], &[]),
            ExprKind::Ternary {
                condition,
                then,
                otherwise,
            } => (vec![condition, then, otherwise], &[]),
            ExprKind::Elvis { value, fallback } => (vec![value, fallback], &[]),
            _ => (Vec::new(), &[]),
        };
        boxed.into_iter().chain(list.iter())
    }
}

/// Writes `expr`, wrapped in parentheses when it binds more loosely than `min_prec` requires.
fn write_operand(f: &mut fmt::Formatter<'_>, expr: &Expr, min_prec: u8) -> fmt::Result {
    if expr.precedence() < min_prec {
        write!(f, "({expr})")
    } else {
        write!(f, "{expr}")
    }
}

/// Writes a string literal in double quotes; a double quote inside is doubled, as SpEL reads it.
pub(crate) fn write_string_literal(f: &mut impl fmt::Write, value: &str) -> fmt::Result {
    f.write_char('"')?;
    for ch in value.chars() {
        if ch == '"' {
            f.write_str("\"\"")?;
        } else {
            f.write_char(ch)?;
        }
    }
    f.write_char('"')
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Null => f.write_str("null"),
            ExprKind::Bool { value } => write!(f, "{value}"),
            ExprKind::Integer { value } => write!(f, "{value}"),
            ExprKind::Number { value } => f.write_str(&format_number(*value)),
            ExprKind::String { value } => write_string_literal(f, value),
            ExprKind::Array { items } => {
                f.write_str("{")?;
                for (item_idx, item) in items.iter().enumerate() {
                    if item_idx > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("}")
            }
            ExprKind::Attribute { object, name } => write!(f, "{object}.{name}"),
            ExprKind::Call { function, args } => {
                write!(f, "{function}(")?;
                for (arg_idx, arg) in args.iter().enumerate() {
                    if arg_idx > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(")")
            }
            ExprKind::Unary { op, operand } => {
                f.write_str(match op {
                    UnaryOp::Not => "!",
                    UnaryOp::Neg => "-",
                })?;
                write_operand(f, operand, PREC_UNARY)
            }
            ExprKind::Binary { op, left, right } => {
                let prec = op.precedence();
                // Comparisons do not chain, so both sides need to bind tighter; the other
                // operators associate to the left, so only the right side does.
                let left_min = if prec == PREC_COMPARISON {
                    prec + 1
                } else {
                    prec
                };
                write_operand(f, left, left_min)?;
                write!(f, " {} ", op.as_str())?;
                write_operand(f, right, prec + 1)
            }
            ExprKind::Ternary {
                condition,
                then,
                otherwise,
            } => {
                write_operand(f, condition, PREC_OR)?;
                write!(f, " ? {then} : {otherwise}")
            }
            ExprKind::Elvis { value, fallback } => {
                write_operand(f, value, PREC_OR)?;
                write!(f, " ?: {fallback}")
            }
        }
    }
}
