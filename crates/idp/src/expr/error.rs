//! The one error type of the expression language, its caret rendering and "did you mean".

use std::fmt;

use thiserror::Error;

use super::ast::{Object, Span};
use super::value::Type;

/// Everything that can go wrong while parsing, validating or evaluating an expression.
///
/// Each variant's documentation shows an input that produces it. Every variant except
/// [`ExprError::UnsupportedJson`] carries the span of the offending source text; see
/// [`ExprError::span`] and [`ExprError::render`].
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum ExprError {
    /// A source text longer than [`MAX_SOURCE_BYTES`](super::MAX_SOURCE_BYTES).
    #[error("the expression is {len} bytes long; the limit is {limit}")]
    TooLong {
        /// The source's length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
        /// The part beyond the limit.
        span: Span,
    },

    /// A character that starts no token: `user.email # 1`, or `=` in `user.a = 1`.
    #[error("unexpected character {found:?}{hint}")]
    UnexpectedChar {
        /// The character.
        found: char,
        /// Advice for characters that look like a familiar operator, such as `=`.
        hint: &'static str,
        /// Where it is.
        span: Span,
    },

    /// A string literal with no closing quote: `'abc`.
    #[error("the string starting here never ends: expected a closing {quote}")]
    UnterminatedString {
        /// The quote character that opened it.
        quote: char,
        /// From the opening quote to the end of the source.
        span: Span,
    },

    /// A number literal that does not fit: `99999999999999999999` or `1e999`.
    #[error("the number {text} is out of range")]
    NumberOutOfRange {
        /// The literal as written.
        text: String,
        /// Where it is.
        span: Span,
    },

    /// A token where another was needed: `1 +` or `String.len(,)`.
    #[error("expected {expected}, found {found}")]
    UnexpectedToken {
        /// What the parser needed, e.g. `an expression`.
        expected: String,
        /// What it found, e.g. `end of input`.
        found: String,
        /// Where it found it.
        span: Span,
    },

    /// A bracket or call that is not closed: `String.append("a", "b"`.
    #[error("expected {expected} to close {what} opened at column {opened_at}, found {found}")]
    Unclosed {
        /// The token that would close it, e.g. `")"`.
        expected: &'static str,
        /// What is open, e.g. `the call to String.append`.
        what: String,
        /// The column of the opening bracket, counted in characters from 1, as an editor shows
        /// it (the parser finds a byte offset; [`parse`](super::parse) turns it into this).
        opened_at: usize,
        /// What came instead.
        found: String,
        /// Where it came.
        span: Span,
    },

    /// Two comparisons in a row without parentheses: `1 < user.age < 9`.
    #[error("comparisons do not chain; write a < b AND b < c, or add parentheses")]
    ChainedComparison {
        /// The second comparison operator.
        span: Span,
    },

    /// A name that is neither an object nor a function: `usr.firstName` or `firstName`.
    #[error(
        "unknown name \"{name}\": attributes are read from user, appuser, app or org{}",
        did_you_mean(suggestion)
    )]
    UnknownName {
        /// The name as written.
        name: String,
        /// The closest known name, if one is close.
        suggestion: Option<String>,
        /// Where it is.
        span: Span,
    },

    /// A property or method on a value: `user.email.length` or `user.email.substring(0, 1)`.
    #[error("{target} has no member \"{member}\"{}", match suggestion { Some(function) => format!("; use {function} with {target} as its first argument"), None => String::new() })]
    MemberAccess {
        /// The value's source, e.g. `user.email`.
        target: String,
        /// The member asked for.
        member: String,
        /// The built-in function that does the same, when there is one.
        suggestion: Option<String>,
        /// The member.
        span: Span,
    },

    /// A function that does not exist: `String.substrngBefore(user.email, "@")`.
    #[error("unknown function \"{name}\"{}", match suggestion { Some(close) => format!(" — did you mean {close}?"), None => String::new() })]
    UnknownFunction {
        /// The name as written.
        name: String,
        /// The closest known function, if one is close.
        suggestion: Option<String>,
        /// The name.
        span: Span,
    },

    /// An Okta function the playground deliberately does not simulate: `Time.now()`.
    #[error("{name} is an Okta function the playground does not simulate ({reason})")]
    UnsupportedFunction {
        /// The function's name.
        name: String,
        /// Why it is left out.
        reason: &'static str,
        /// The name.
        span: Span,
    },

    /// A call with the wrong number of arguments: `String.append("a")`.
    #[error("{function} takes {expected}, found {found}: {function}{signature}")]
    WrongArity {
        /// The function's name as written.
        function: String,
        /// How many it takes, in words, e.g. `2 arguments`.
        expected: String,
        /// How many were given.
        found: usize,
        /// The parameter list, e.g. `(String str, String suffix)`.
        signature: String,
        /// The whole call.
        span: Span,
    },

    /// An argument of the wrong type: `String.substring("abc", "1", 2)`.
    #[error("{function} expects {} for argument {position} ({param}), found {found}", expected.with_article())]
    WrongArgumentType {
        /// The function's name as written.
        function: String,
        /// The argument's 1-based position.
        position: usize,
        /// The parameter's name.
        param: &'static str,
        /// The parameter's type.
        expected: Type,
        /// The argument's type.
        found: Type,
        /// The argument.
        span: Span,
    },

    /// An argument of the right type with a value the function cannot use:
    /// `Convert.toInt("12a")` or `String.stringSwitch("a", "d", "key")`.
    #[error("{function}: {message}")]
    InvalidArgument {
        /// The function's name as written.
        function: String,
        /// What is wrong with it.
        message: String,
        /// The argument, or the whole call when no single argument is to blame.
        span: Span,
    },

    /// A pattern that is not a regular expression the playground supports:
    /// `String.replace(user.login, "(", "")`.
    #[error("{function}: {pattern:?} is not a supported regular expression ({reason})")]
    InvalidRegex {
        /// The function's name as written.
        function: String,
        /// The pattern.
        pattern: String,
        /// The regex engine's explanation, on one line.
        reason: String,
        /// The pattern argument.
        span: Span,
    },

    /// An attribute the object does not have: `user.firstname` when the profile has
    /// `firstName`.
    #[error("{object}.{name} is not an attribute of {object}{}", match suggestion { Some(close) => format!(" (did you mean {object}.{close}?)"), None => String::new() })]
    UnknownAttribute {
        /// The object.
        object: Object,
        /// The attribute name as written.
        name: String,
        /// The closest attribute the object has, if one is close.
        suggestion: Option<String>,
        /// The reference.
        span: Span,
    },

    /// An operator applied to values it does not work on: `1 < "a"` or `true + 1`.
    #[error("cannot apply \"{op}\" to {left} and {right}")]
    TypeMismatch {
        /// The operator.
        op: &'static str,
        /// The left operand's type.
        left: Type,
        /// The right operand's type.
        right: Type,
        /// The whole operation.
        span: Span,
    },

    /// A non-Boolean where a condition is needed: `user.middleName AND true` when
    /// `middleName` is unset, `!"yes"`, or `1 ? "a" : "b"`.
    #[error("{what} needs a Boolean, found {found}")]
    NotABoolean {
        /// The operator that needs it, e.g. `the condition of ?:`.
        what: &'static str,
        /// The type found.
        found: Type,
        /// The operand.
        span: Span,
    },

    /// A negation of a non-number: `-"a"`.
    #[error("\"-\" needs an Integer or a Number, found {found}")]
    NotANumber {
        /// The type found.
        found: Type,
        /// The operand.
        span: Span,
    },

    /// A division or remainder by zero: `1 / 0`.
    #[error("division by zero")]
    DivisionByZero {
        /// The operation.
        span: Span,
    },

    /// Arithmetic whose result does not fit: `9223372036854775807 + 1`.
    #[error("the result of \"{op}\" is out of range")]
    Overflow {
        /// The operator.
        op: &'static str,
        /// The operation.
        span: Span,
    },

    /// Nesting beyond [`MAX_DEPTH`](super::MAX_DEPTH): `((((…1…))))` with 100 parentheses.
    #[error("the expression is nested more than {limit} levels deep")]
    TooDeep {
        /// The limit.
        limit: usize,
        /// The construct that went one level too deep.
        span: Span,
    },

    /// A string result longer than [`MAX_VALUE_BYTES`](super::MAX_VALUE_BYTES):
    /// `String.replace(s, "", s)` on a long `s`.
    #[error("the result would be longer than {limit} bytes")]
    ValueTooLarge {
        /// The limit.
        limit: usize,
        /// The operation.
        span: Span,
    },

    /// A JSON object where an attribute value was expected, in
    /// [`MapContext::with_json`](super::MapContext::with_json):
    /// `{"address": {"city": "Paris"}}`.
    #[error("{object}.{key} is a JSON object; attributes hold strings, numbers, booleans, arrays or null")]
    UnsupportedJson {
        /// The object being filled.
        object: Object,
        /// The attribute whose value is an object.
        key: String,
    },
}

impl ExprError {
    /// The source text the error is about, when it is about source text.
    pub fn span(&self) -> Option<Span> {
        match self {
            ExprError::TooLong { span, .. }
            | ExprError::UnexpectedChar { span, .. }
            | ExprError::UnterminatedString { span, .. }
            | ExprError::NumberOutOfRange { span, .. }
            | ExprError::UnexpectedToken { span, .. }
            | ExprError::Unclosed { span, .. }
            | ExprError::ChainedComparison { span }
            | ExprError::UnknownName { span, .. }
            | ExprError::MemberAccess { span, .. }
            | ExprError::UnknownFunction { span, .. }
            | ExprError::UnsupportedFunction { span, .. }
            | ExprError::WrongArity { span, .. }
            | ExprError::WrongArgumentType { span, .. }
            | ExprError::InvalidArgument { span, .. }
            | ExprError::InvalidRegex { span, .. }
            | ExprError::UnknownAttribute { span, .. }
            | ExprError::TypeMismatch { span, .. }
            | ExprError::NotABoolean { span, .. }
            | ExprError::NotANumber { span, .. }
            | ExprError::DivisionByZero { span }
            | ExprError::Overflow { span, .. }
            | ExprError::TooDeep { span, .. }
            | ExprError::ValueTooLarge { span, .. } => Some(*span),
            ExprError::UnsupportedJson { .. } => None,
        }
    }

    /// The error with the source line it points into and carets under the span:
    ///
    /// ```text
    /// unknown function "String.substrngBefore" — did you mean String.substringBefore?
    ///   String.substrngBefore(user.email, "@")
    ///   ^^^^^^^^^^^^^^^^^^^^^
    /// ```
    pub fn render<'a>(&'a self, source: &'a str) -> Rendered<'a> {
        Rendered {
            error: self,
            source,
        }
    }
}

/// An error shown against its source text; see [`ExprError::render`].
#[derive(Clone, Copy, Debug)]
pub struct Rendered<'a> {
    error: &'a ExprError,
    source: &'a str,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        let Some(span) = self.error.span() else {
            return Ok(());
        };
        // Spans come from this source in practice, but an error may be rendered against other
        // text; clamp to a char boundary so slicing cannot fail.
        let start = floor_char_boundary(self.source, span.start);
        let end = floor_char_boundary(self.source, span.end.max(start));
        let line_start = self
            .source
            .get(..start)
            .and_then(|before| before.rfind('\n'))
            .map_or(0, |newline| newline + 1);
        let line_end = self
            .source
            .get(start..)
            .and_then(|after| after.find('\n'))
            .map_or(self.source.len(), |newline| start + newline);
        let line = self.source.get(line_start..line_end).unwrap_or("");
        let before = self.source.get(line_start..start).unwrap_or("");
        let marked = self.source.get(start..end.min(line_end)).unwrap_or("");
        // Tabs are copied into the padding so the carets line up whatever the tab width.
        let padding: String = before
            .chars()
            .map(|ch| if ch == '\t' { '\t' } else { ' ' })
            .collect();
        let carets = "^".repeat(marked.chars().count().max(1));
        write!(f, "\n  {line}\n  {padding}{carets}")
    }
}

fn floor_char_boundary(text: &str, mut idx: usize) -> usize {
    idx = idx.min(text.len());
    while idx > 0 && !text.is_char_boundary(idx) {
        idx -= 1;
    }
    idx
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(close) => format!(" (did you mean {close}?)"),
        None => String::new(),
    }
}

/// The candidate closest to `wanted`, if it is close enough to be what was meant: a
/// different capitalisation, or an edit distance of at most a third of the name (at least 1,
/// at most 3).
pub(crate) fn closest<'c>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    // Long names are typing accidents or fuzz input, not typos; comparing them would only
    // cost time.
    if wanted.len() > 64 {
        return None;
    }
    let wanted_lower = wanted.to_lowercase();
    let budget = (wanted.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = if candidate.to_lowercase() == wanted_lower {
            0
        } else {
            edit_distance(wanted, candidate)
        };
        if distance <= budget && best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate.to_owned())
}

/// The optimal-string-alignment distance over chars: insertions, deletions, substitutions
/// and transpositions of neighbours each cost 1, so `emial` is one edit from `email`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j] is the distance between the first i chars of a and the first j of b.
    let mut rows: Vec<Vec<usize>> = (0..=a.len())
        .map(|i| {
            (0..=b.len())
                .map(|j| {
                    if i == 0 {
                        j
                    } else if j == 0 {
                        i
                    } else {
                        0
                    }
                })
                .collect()
        })
        .collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cell = |rows: &Vec<Vec<usize>>, i: usize, j: usize| {
                rows.get(i)
                    .and_then(|row| row.get(j))
                    .copied()
                    .unwrap_or(usize::MAX - 1)
            };
            let (a_char, b_char) = (a.get(i - 1), b.get(j - 1));
            let cost = usize::from(a_char != b_char);
            let mut best = (cell(&rows, i - 1, j) + 1)
                .min(cell(&rows, i, j - 1) + 1)
                .min(cell(&rows, i - 1, j - 1) + cost);
            let transposed = i > 1 && j > 1 && a_char == b.get(j - 2) && a.get(i - 2) == b_char;
            if transposed {
                best = best.min(cell(&rows, i - 2, j - 2) + 1);
            }
            if let Some(slot) = rows.get_mut(i).and_then(|row| row.get_mut(j)) {
                *slot = best;
            }
        }
    }
    rows.last().and_then(|row| row.last()).copied().unwrap_or(0)
}
