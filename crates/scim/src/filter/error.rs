//! The one error type of the filter and PATCH path languages.
//!
//! A [`FilterError`] says what went wrong ([`ErrorKind`]), where (a byte span into the input, for
//! syntax errors), and which RFC 7644 §3.12 `scimType` a server should answer with
//! ([`ScimType`]). Its `Display` prints the message and, when there is a span, the input with a
//! caret line under the offending part:
//!
//! ```text
//! expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "userName", found "equals"
//!   userName equals "x"
//!            ^^^^^^
//! ```

use std::fmt::{self, Display, Formatter};
use std::ops::Range;

/// The RFC 7644 §3.12 `scimType` that a failure maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimType {
    /// The filter syntax was invalid, or the attribute and comparison do not go together. Also
    /// used for the value filter inside a PATCH path's brackets (RFC 7644 §3.12, Table 9).
    InvalidFilter,
    /// The PATCH `path` was malformed outside its value filter.
    InvalidPath,
}

impl ScimType {
    /// The `scimType` keyword as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ScimType::InvalidFilter => "invalidFilter",
            ScimType::InvalidPath => "invalidPath",
        }
    }
}

/// What went wrong. The message of each variant is written for the person who typed the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is empty or only whitespace.
    ///
    /// `""`
    #[error("the input is empty")]
    Empty,

    /// The input is longer than [`MAX_INPUT_LEN`](super::MAX_INPUT_LEN) bytes.
    ///
    /// A filter of 5000 `a`s.
    #[error("the input is {len} bytes long; the limit is {max} bytes")]
    TooLong { len: usize, max: usize },

    /// Parentheses, `not (…)` and `[…]` nest deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    ///
    /// `((((…(userName pr)…))))` with 33 opening parentheses.
    #[error(
        "the filter nests deeper than {max} levels (each \"(\", \"not (\" and \"[\" opens one)"
    )]
    TooDeep { max: usize },

    /// A character that has no meaning in the language.
    ///
    /// `userName eq 'x'` (strings use double quotes).
    #[error("unexpected character {}{}", quote_char(*.found), char_hint(*.found))]
    UnexpectedChar { found: char },

    /// A string literal is missing its closing quote.
    ///
    /// `userName eq "bjensen`
    #[error("unterminated string starting at byte {start}")]
    UnterminatedString { start: usize },

    /// A backslash in a string is followed by something JSON does not allow.
    ///
    /// `userName eq "a\qb"`
    #[error(
        "invalid escape \"{escape}\" in a string (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
    )]
    InvalidEscape { escape: String },

    /// A `\u` escape names half of a UTF-16 surrogate pair without the other half.
    ///
    /// `userName eq "\ud83d"`
    #[error(
        "\"{escape}\" is half of a UTF-16 surrogate pair; write both halves, e.g. \"\\ud83d\\ude00\""
    )]
    LoneSurrogate { escape: String },

    /// Something that starts like a number is not a JSON number.
    ///
    /// `age gt 01` or `age gt 1.2.3`
    #[error(
        "\"{text}\" is not a valid number (numbers are written as in JSON, e.g. 42, -1.5, 2e3)"
    )]
    InvalidNumber { text: String },

    /// An attribute name, `(` or `not (` was expected.
    ///
    /// `eq "x"` or `userName eq "x" and`
    #[error("expected an attribute name, \"(\" or \"not (\", found {found}")]
    ExpectedAttribute { found: String },

    /// `not` is followed by something other than `(` (or an operator, which would make it an
    /// attribute named "not").
    ///
    /// `not title pr`
    #[error("expected \"(\" after \"not\" (write not (…)), found {found}")]
    NotWithoutParen { found: String },

    /// A word in attribute position does not have the shape `[urn:]name[.sub]`.
    ///
    /// `name.givenName.first eq "x"`, or `emails[emails.type eq "work"]` (inside brackets, name
    /// the sub-attribute alone).
    #[error("invalid attribute path \"{path}\": {reason}")]
    InvalidAttrPath { path: String, reason: String },

    /// An attribute is not followed by an operator.
    ///
    /// `userName equals "x"`
    #[error(
        "expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after \"{attr}\", found {found}"
    )]
    ExpectedOperator { attr: String, found: String },

    /// An operator is not followed by a literal.
    ///
    /// `userName eq bjensen` (strings need double quotes).
    #[error(
        "expected a value after \"{op}\" (a \"double-quoted\" string, a number, true, false or null), found {found}"
    )]
    ExpectedValue { op: String, found: String },

    /// A complete expression is followed by something other than `and`, `or` or the end.
    ///
    /// `userName eq "a" title pr`
    #[error("expected \"and\", \"or\" or the end of the filter, found {found}")]
    ExpectedLogical { found: String },

    /// A `(` is never closed.
    ///
    /// `(userName eq "a"`
    #[error("expected \"and\", \"or\" or \")\" to close the \"(\" at byte {open}, found {found}")]
    UnclosedParen { open: usize, found: String },

    /// A `[` is never closed.
    ///
    /// `emails[type eq "work"`
    #[error("expected \"and\", \"or\" or \"]\" to close the \"[\" at byte {open}, found {found}")]
    UnclosedBracket { open: usize, found: String },

    /// A `)` or `]` closes something that was never opened.
    ///
    /// `userName pr)`
    #[error("\"{close}\" has no matching \"{}\"", opener(*.close))]
    Unmatched { close: char },

    /// A value filter appears inside another value filter.
    ///
    /// `emails[type[value eq "x"]]`
    #[error("value filters \"[…]\" cannot be nested")]
    NestedValuePath,

    /// A filter continues a value path with `.sub`, which only PATCH paths allow.
    ///
    /// `emails[type eq "work"].value eq "x"`
    #[error(
        "\".{sub}\" after \"]\" is only allowed in PATCH paths; in a filter, write the condition inside the brackets, e.g. {attr}[type eq \"work\" and {sub} …]"
    )]
    SubAttributeAfterFilter { attr: String, sub: String },

    /// A PATCH path has `.` after `]` without a sub-attribute name.
    ///
    /// `emails[type eq "work"].`
    #[error("expected a sub-attribute name after \".\", found {found}")]
    ExpectedSubAttribute { found: String },

    /// A PATCH path continues after its end.
    ///
    /// `members[value eq "1"] extra`
    #[error("expected the end of the path, found {found}")]
    ExpectedEnd { found: String },

    /// The schema has no such attribute (reported by validation, not by parsing).
    ///
    /// `shoeSize gt 9` against the User schema.
    #[error("unknown attribute \"{path}\"")]
    UnknownAttribute { path: String },

    /// The attribute's type cannot be compared with this operator (reported by validation).
    ///
    /// `active gt true` (booleans are not ordered) or `name eq "x"` (compare a sub-attribute).
    #[error("\"{path} {op}\" is not supported: {reason}")]
    UnsupportedComparison {
        path: String,
        op: String,
        reason: String,
    },

    /// The attribute exists but cannot be filtered on (reported by the engine).
    ///
    /// `password eq "x"`: its `returned` is `never`, so a filter would reveal it.
    #[error("\"{path}\" cannot be filtered on: {reason}")]
    NotFilterable { path: String, reason: String },

    /// The literal has the wrong type for the attribute (reported by validation).
    ///
    /// `active eq "yes"` or `meta.lastModified gt "yesterday"`.
    #[error("\"{path}\" is {expected}, so it cannot be compared with {found}")]
    TypeMismatch {
        path: String,
        expected: String,
        found: String,
    },
}

fn opener(close: char) -> char {
    if close == ')' {
        '('
    } else {
        '['
    }
}

fn quote_char(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("\"{c}\"")
    }
}

fn char_hint(c: char) -> &'static str {
    match c {
        '\'' | '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}' => {
            " (strings use straight double quotes: \"…\")"
        }
        '=' | '!' | '<' | '>' => " (operators are words: eq, ne, gt, ge, lt, le)",
        '&' | '|' => " (logical operators are words: and, or)",
        '+' | '%' => " (URL-decode the filter first)",
        _ => "",
    }
}

/// A failed parse or validation: the kind, where it happened and which `scimType` applies.
///
/// The details are boxed so that `Result<_, FilterError>` stays one pointer wide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(Box<Details>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    kind: ErrorKind,
    span: Option<Range<usize>>,
    input: String,
    scim_type: ScimType,
}

impl FilterError {
    pub(crate) fn new(
        kind: ErrorKind,
        span: Option<Range<usize>>,
        input: &str,
        scim_type: ScimType,
    ) -> Self {
        FilterError(Box::new(Details {
            kind,
            span,
            input: input.to_owned(),
            scim_type,
        }))
    }

    /// Gives a validation error (which has no span, because the parsed tree has no positions)
    /// the span of the attribute it names in `input`, the filter text it came from, so that
    /// its message can point at it. Errors that already have a span are returned unchanged.
    pub fn located_in(mut self, input: &str) -> Self {
        if self.0.span.is_some() {
            return self;
        }
        let path = match &self.0.kind {
            ErrorKind::UnknownAttribute { path }
            | ErrorKind::UnsupportedComparison { path, .. }
            | ErrorKind::TypeMismatch { path, .. }
            | ErrorKind::NotFilterable { path, .. } => path,
            _ => return self,
        };
        // Names keep the case the client wrote, but look for them ignoring case anyway: the
        // path shown for a value filter (`emails.type`) is rebuilt from its parts.
        let found = input.to_ascii_lowercase().find(&path.to_ascii_lowercase());
        if let Some(start) = found.filter(|_| !path.is_empty()) {
            self.0.span = Some(start..start + path.len());
            self.0.input = input.to_owned();
        }
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The byte range of the input that is wrong; `None` for validation errors and for input
    /// that is too long to look at.
    pub fn span(&self) -> Option<Range<usize>> {
        self.0.span.clone()
    }

    /// The `scimType` a server should answer with (HTTP 400).
    pub fn scim_type(&self) -> ScimType {
        self.0.scim_type
    }

    /// The one-line message, without the caret picture.
    pub fn message(&self) -> String {
        self.0.kind.to_string()
    }

    /// The input line and a caret line under the span, or `None` when there is no span.
    pub fn caret_lines(&self) -> Option<String> {
        let span = self.0.span.as_ref()?;
        Some(render_caret(&self.0.input, span))
    }
}

impl Display for FilterError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.kind)?;
        if let Some(lines) = self.caret_lines() {
            write!(f, "\n{lines}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FilterError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0.kind)
    }
}

/// How many characters of context the caret picture shows on each side of a span.
const CONTEXT_CHARS: usize = 40;

/// Draws `input` (or a window of it around the span) with `^` under the span's characters.
///
/// Columns count characters, not bytes, and control characters print as spaces so the carets
/// line up; a span of zero width (the end of the input) still gets one caret.
fn render_caret(input: &str, span: &Range<usize>) -> String {
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let char_at_byte = |byte: usize| {
        chars
            .iter()
            .position(|&(offset, _)| offset >= byte)
            .unwrap_or(chars.len())
    };
    let first = char_at_byte(span.start);
    let last = char_at_byte(span.end).max(first + 1);
    let window_start = first.saturating_sub(CONTEXT_CHARS);
    let window_end = (last + CONTEXT_CHARS).min(chars.len());

    let mut line = String::from("  ");
    let mut carets = String::from("  ");
    if window_start > 0 {
        line.push('…');
        carets.push(' ');
    }
    for (char_idx, &(_, c)) in chars.iter().enumerate().take(window_end).skip(window_start) {
        line.push(if c.is_control() { ' ' } else { c });
        carets.push(if (first..last).contains(&char_idx) {
            '^'
        } else {
            ' '
        });
    }
    if window_end < chars.len() {
        line.push('…');
    }
    // A span at the very end points just past the last character.
    for char_idx in window_end.max(window_start)..last {
        if char_idx >= first {
            carets.push('^');
        }
    }
    format!("{line}\n{}", carets.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_span() {
        let err = FilterError::new(
            ErrorKind::Empty,
            Some(9..15),
            "userName equals \"x\"",
            ScimType::InvalidFilter,
        );
        assert_eq!(
            err.caret_lines().as_deref(),
            Some("  userName equals \"x\"\n           ^^^^^^")
        );
    }

    #[test]
    fn caret_at_end_of_input() {
        let err = FilterError::new(
            ErrorKind::Empty,
            Some(11..11),
            "userName eq",
            ScimType::InvalidFilter,
        );
        assert_eq!(
            err.caret_lines().as_deref(),
            Some("  userName eq\n             ^")
        );
    }

    #[test]
    fn caret_counts_characters_not_bytes() {
        let err = FilterError::new(
            ErrorKind::Empty,
            Some(9..10),
            "\"é\" eq ü '",
            ScimType::InvalidFilter,
        );
        assert_eq!(
            err.caret_lines().as_deref(),
            Some("  \"é\" eq ü '\n          ^")
        );
    }

    #[test]
    fn long_input_is_windowed() {
        let input = format!("{} pr and x eq 'y'", "a".repeat(200));
        let start = input.len() - 3;
        let err = FilterError::new(
            ErrorKind::Empty,
            Some(start..start + 1),
            &input,
            ScimType::InvalidFilter,
        );
        let lines = err.caret_lines().unwrap_or_default();
        let (line, carets) = lines.split_once('\n').unwrap_or_default();
        assert!(line.starts_with("  …"));
        assert_eq!(carets.chars().count(), line.chars().count() - 2);
        assert!(carets.ends_with('^'));
    }
}
