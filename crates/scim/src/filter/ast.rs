//! The parse tree of a filter and of a PATCH path, and its canonical text form.
//!
//! The tree keeps attribute names exactly as the client wrote them (SCIM names are
//! case-insensitive, so the evaluator folds case when it looks them up) and normalises
//! everything else: operators and literals print in lower case, `and`/`or` chains are flat, and
//! parentheses appear only where precedence needs them. `Display` prints that canonical text, and
//! parsing it again gives back an equal tree, as long as the text stays within
//! [`MAX_INPUT_LEN`](super::MAX_INPUT_LEN): control characters in strings print as escapes
//! (`\u0004`), which can make the canonical text longer than the input it came from.

use std::fmt::{self, Display, Formatter, Write};

use serde_json::Number;

/// An attribute path: `userName`, `name.familyName` or
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// The schema URN the client wrote before the attribute name, without the final `:`.
    pub urn: Option<String>,
    /// The attribute name, as written.
    pub name: String,
    /// The sub-attribute name after the `.`, as written.
    pub sub: Option<String>,
}

impl AttrPath {
    /// A path with no URN and no sub-attribute.
    pub fn simple(name: &str) -> Self {
        AttrPath {
            urn: None,
            name: name.to_owned(),
            sub: None,
        }
    }
}

impl Display for AttrPath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            write!(f, "{urn}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// A comparison operator of RFC 7644 §3.4.2.2 (`pr` is [`Filter::Present`] instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    /// Every operator, in the order error messages list them.
    pub const ALL: [CompareOp; 9] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Co,
        CompareOp::Sw,
        CompareOp::Ew,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Lt,
        CompareOp::Le,
    ];

    /// The operator's canonical (lower-case) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "eq",
            CompareOp::Ne => "ne",
            CompareOp::Co => "co",
            CompareOp::Sw => "sw",
            CompareOp::Ew => "ew",
            CompareOp::Gt => "gt",
            CompareOp::Ge => "ge",
            CompareOp::Lt => "lt",
            CompareOp::Le => "le",
        }
    }

    /// Reads an operator in any case, as RFC 7644 §3.4.2.2 requires.
    pub fn from_keyword(word: &str) -> Option<CompareOp> {
        CompareOp::ALL
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(word))
    }

    /// Whether the operator orders values (`gt`, `ge`, `lt`, `le`).
    pub fn is_ordering(self) -> bool {
        matches!(
            self,
            CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
        )
    }

    /// Whether the operator looks inside strings (`co`, `sw`, `ew`).
    pub fn is_substring(self) -> bool {
        matches!(self, CompareOp::Co | CompareOp::Sw | CompareOp::Ew)
    }
}

impl Display for CompareOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The literal on the right of a comparison (`compValue` in RFC 7644).
///
/// It serialises as the JSON value it stands for, so the Explain panel shows `"bjensen"`, `42`,
/// `true` or `null`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompValue {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
}

impl Display for CompValue {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            CompValue::Null => f.write_str("null"),
            CompValue::Bool(b) => write!(f, "{b}"),
            CompValue::Number(n) => write!(f, "{n}"),
            CompValue::String(s) => write_json_string(f, s),
        }
    }
}

/// Writes a string as a JSON string literal, which is also how the filter grammar quotes it.
fn write_json_string(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            '\u{8}' => f.write_str("\\b")?,
            '\u{c}' => f.write_str("\\f")?,
            c if u32::from(c) < 0x20 => write!(f, "\\u{:04x}", u32::from(c))?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

/// A parsed filter expression (RFC 7644 §3.4.2.2, Figure 1).
///
/// The Explain panel receives it as a `protocol::explain::FilterTree`
/// (`scim::explain::filter_tree`), for example
/// `{"kind":"compare","attr":{"name":"userName"},"op":"eq","value":"bjensen"}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attr op value`, e.g. `userName eq "bjensen"`.
    Compare {
        attr: AttrPath,
        op: CompareOp,
        value: CompValue,
    },
    /// `attr pr`: the attribute has a non-empty value.
    Present { attr: AttrPath },
    /// Every operand matches. The parser flattens chains, so no operand is itself an `And`.
    And { operands: Vec<Filter> },
    /// Some operand matches. The parser flattens chains, so no operand is itself an `Or`.
    Or { operands: Vec<Filter> },
    /// `not (filter)`.
    Not { filter: Box<Filter> },
    /// `attr[filter]`: some element of a complex attribute matches `filter`, whose attribute
    /// names are sub-attributes of `attr`.
    ValuePath { attr: AttrPath, filter: Box<Filter> },
}

/// How tightly an expression binds, to decide where `Display` needs parentheses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precedence {
    Or,
    And,
    Atom,
}

impl Filter {
    fn precedence(&self) -> Precedence {
        match self {
            Filter::Or { .. } => Precedence::Or,
            Filter::And { .. } => Precedence::And,
            _ => Precedence::Atom,
        }
    }

    /// Writes the operands of a chain, parenthesising any operand that binds no tighter than the
    /// chain itself (a hand-built nested chain prints with parentheses rather than wrongly).
    fn fmt_chain(
        f: &mut Formatter<'_>,
        operands: &[Filter],
        keyword: &str,
        own: Precedence,
    ) -> fmt::Result {
        for (operand_idx, operand) in operands.iter().enumerate() {
            if operand_idx > 0 {
                write!(f, " {keyword} ")?;
            }
            if operand.precedence() <= own {
                write!(f, "({operand})")?;
            } else {
                write!(f, "{operand}")?;
            }
        }
        Ok(())
    }
}

impl Display for Filter {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Compare { attr, op, value } => write!(f, "{attr} {op} {value}"),
            Filter::Present { attr } => write!(f, "{attr} pr"),
            Filter::And { operands } => Filter::fmt_chain(f, operands, "and", Precedence::And),
            Filter::Or { operands } => Filter::fmt_chain(f, operands, "or", Precedence::Or),
            Filter::Not { filter } => write!(f, "not ({filter})"),
            Filter::ValuePath { attr, filter } => write!(f, "{attr}[{filter}]"),
        }
    }
}

/// A parsed PATCH `path` (RFC 7644 §3.5.2: `attrPath / valuePath [subAttr]`).
///
/// `emails[type eq "work"].value` has `attribute` `emails`, a `filter` and `sub_attribute`
/// `value`; `name.familyName` has `attribute` `name` and `sub_attribute` `familyName`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    /// The schema URN written before the attribute name, without the final `:`.
    pub urn: Option<String>,
    /// The attribute name, as written.
    pub attribute: String,
    /// The value filter between `[` and `]`; its attribute names are sub-attributes of
    /// `attribute`.
    pub filter: Option<Filter>,
    /// The sub-attribute, whether written `name.familyName` or `emails[…].value`.
    pub sub_attribute: Option<String>,
}

impl PatchPath {
    /// The attribute (and sub-attribute) the path targets, without its filter.
    pub fn attr_path(&self) -> AttrPath {
        AttrPath {
            urn: self.urn.clone(),
            name: self.attribute.clone(),
            sub: self.sub_attribute.clone(),
        }
    }
}

impl Display for PatchPath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            write!(f, "{urn}:")?;
        }
        f.write_str(&self.attribute)?;
        if let Some(filter) = &self.filter {
            write!(f, "[{filter}]")?;
        }
        if let Some(sub) = &self.sub_attribute {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}
