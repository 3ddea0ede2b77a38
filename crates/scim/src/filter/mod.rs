//! The SCIM 2.0 filter language (RFC 7644 §3.4.2.2) and PATCH path grammar (§3.5.2).
//!
//! A hand-written lexer feeds a recursive-descent parser that builds a [`Filter`] tree; the evaluator runs it against a resource's JSON, asking an
//! [`AttributeLookup`] (the schema registry) how each attribute compares.
//!
//! ```text
//! parse(text) ──► Filter ──► validate(&filter, lookup)          strict: unknown attributes, gt on booleans
//!                       ├──► matches(&filter, &resource, lookup)  does this resource match?
//!                       └──► explain(&filter, &resource, lookup)  … and why (for the Explain panel)
//! parse_path(text) ──► PatchPath ──► validate_path / element_matches
//! ```
//!
//! - [`parse`] and [`parse_path`] never panic. Input longer than [`MAX_INPUT_LEN`] bytes, or
//!   nesting deeper than [`MAX_DEPTH`], is an error rather than a risk to the stack. Syntax
//!   errors carry a byte span, and [`FilterError`]'s `Display` draws a caret under it.
//! - Keywords and operators are case-insensitive (`userName EQ "x"`, `NOT (…)`), and so are
//!   attribute names when they are looked up. Whitespace between tokens is free; the input is
//!   already URL-decoded (that is the engine's job).
//! - [`Filter`]'s `Display` prints canonical text: `parse(&filter.to_string())` gives `filter`
//!   back (unless escaping pushed the text past [`MAX_INPUT_LEN`]). The tree serialises (serde)
//!   with a `kind` tag for the Explain panel.
//! - Evaluation rules (multi-valued "any", `ne`, `null`, `pr`, case and dateTime handling) are
//!   listed on [`matches()`]; [`validate`] rejects the comparisons RFC 7644 calls `invalidFilter`.
//!
//! ```
//! use scim::filter::{self, AttrPath, AttributeLookup, Resolved};
//! use scim::schema::{AttrType, Attribute};
//!
//! struct Users(Vec<Attribute>);
//! impl AttributeLookup for Users {
//!     fn resolve(&self, path: &AttrPath) -> Option<Resolved<'_>> {
//!         let attribute = self.0.iter().find(|a| a.name.eq_ignore_ascii_case(&path.name))?;
//!         let sub = match &path.sub {
//!             Some(sub) => Some(attribute.sub_attribute(sub)?),
//!             None => None,
//!         };
//!         Some(Resolved { attribute, sub, extension: None })
//!     }
//! }
//!
//! let users = Users(vec![Attribute::new("userName", AttrType::String)]);
//! let filter = filter::parse(r#"USERNAME Eq "BJensen""#).unwrap();
//! assert_eq!(filter.to_string(), r#"USERNAME eq "BJensen""#);
//! assert!(filter::matches(&filter, &serde_json::json!({"userName": "bjensen"}), &users));
//!
//! let err = filter::parse(r#"userName equals "x""#).unwrap_err();
//! assert_eq!(err.span(), Some(9..15));
//! assert_eq!(err.scim_type().as_str(), "invalidFilter");
//! ```

mod ast;
mod compare;
mod error;
mod eval;
mod explain;
mod lex;
mod parse;
mod path;
mod validate;

pub use ast::{AttrPath, CompValue, CompareOp, Filter, PatchPath};
pub use error::{ErrorKind, FilterError, ScimType};
pub use eval::{element_matches, matches};
pub use explain::{explain, Explanation};
pub use path::parse_path;
pub use validate::{validate, validate_path};

use crate::schema::Attribute;
use parse::{Parser, Scope};

/// The longest filter or path accepted, in bytes. Real filters are far shorter; the limit keeps
/// a hostile query string from costing much.
pub const MAX_INPUT_LEN: usize = 4096;

/// How deeply `(`, `not (` and `[` may nest. Recursion in the parser, evaluator and `Display`
/// is bounded by this, because `and`/`or` chains are flat lists rather than nested nodes.
pub const MAX_DEPTH: usize = 32;

/// How the engine's schema registry tells the filter code what an attribute path means, for
/// one resource type (or for a search across all of them).
pub trait AttributeLookup {
    /// Resolves a path, ignoring case in names and URNs. Returns `None` for an unknown attribute,
    /// and also when `path.sub` names a sub-attribute the attribute does not have.
    fn resolve(&self, path: &AttrPath) -> Option<Resolved<'_>>;
}

/// What an attribute path resolved to.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    /// The attribute named by `path.name`.
    pub attribute: &'a Attribute,
    /// The sub-attribute named by `path.sub`, when there is one.
    pub sub: Option<&'a Attribute>,
    /// `Some(urn)` when the value lives under `resource[urn]` (an extension schema); `None` when
    /// it is top-level (the core schema, with or without its URN prefix).
    pub extension: Option<&'a str>,
}

/// Parses a filter (the `filter` query parameter, URL-decoded, or a `/.search` body's filter).
pub fn parse(input: &str) -> Result<Filter, FilterError> {
    check_length(input, ScimType::InvalidFilter)?;
    let located = |(kind, span)| FilterError::new(kind, Some(span), input, ScimType::InvalidFilter);
    let mut parser = Parser::new(input, "the end of the filter");
    let first = parser.peek().map_err(located)?;
    if first.kind == lex::TokenKind::Eof {
        let span = first.span.clone();
        return Err(located((ErrorKind::Empty, span)));
    }
    let filter = parser.filter(0, Scope::Resource).map_err(located)?;
    let end = parser.next().map_err(located)?;
    let kind = match end.kind {
        lex::TokenKind::Eof => return Ok(filter),
        lex::TokenKind::RParen => ErrorKind::Unmatched { close: ')' },
        lex::TokenKind::RBracket => ErrorKind::Unmatched { close: ']' },
        _ => ErrorKind::ExpectedLogical {
            found: parser.describe(&end),
        },
    };
    Err(located((kind, end.span)))
}

/// Rejects input over [`MAX_INPUT_LEN`] before looking at it.
fn check_length(input: &str, scim_type: ScimType) -> Result<(), FilterError> {
    if input.len() <= MAX_INPUT_LEN {
        return Ok(());
    }
    let kind = ErrorKind::TooLong {
        len: input.len(),
        max: MAX_INPUT_LEN,
    };
    Err(FilterError::new(kind, None, "", scim_type))
}
