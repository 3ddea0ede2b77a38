//! The filter parser: recursive descent over the lexer's tokens, one function per precedence
//! level (`or` < `and` < `not`/atoms), with an explicit depth budget so that no input can
//! exhaust the stack.
//!
//! Grammar (RFC 7644 §3.4.2.2, Figure 1, with case-insensitive keywords and free whitespace):
//!
//! ```text
//! filter    = and *("or" and)
//! and       = unary *("and" unary)
//! unary     = "not" "(" filter ")" / "(" filter ")" / attrPath "[" filter "]"
//!           / attrPath "pr" / attrPath compareOp compValue
//! compValue = "false" / "null" / "true" / number / string
//! attrPath  = [URN ":"] ATTRNAME ["." ATTRNAME]
//! ```

use std::ops::Range;

use serde_json::Number;

use super::ast::{AttrPath, CompValue, CompareOp, Filter};
use super::error::ErrorKind;
use super::lex::{Lexer, Located, Token, TokenKind};
use super::MAX_DEPTH;

/// Where an expression sits, which changes what its attribute paths mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// At the top of a filter: paths name attributes of the resource.
    Resource,
    /// Inside `attr[…]`: paths name sub-attributes of `attr`.
    ValueFilter,
}

pub(crate) struct Parser<'a> {
    input: &'a str,
    lexer: Lexer<'a>,
    peeked: Option<Token>,
    /// How the end of input is described in messages: "the end of the filter" or "… path".
    end_name: &'static str,
}

impl<'a> Parser<'a> {
    pub fn new(input: &'a str, end_name: &'static str) -> Self {
        Parser {
            input,
            lexer: Lexer::new(input),
            peeked: None,
            end_name,
        }
    }

    pub fn peek(&mut self) -> Result<&Token, Located> {
        let token = match self.peeked.take() {
            Some(token) => token,
            None => self.lexer.next_token()?,
        };
        Ok(self.peeked.insert(token))
    }

    pub fn next(&mut self) -> Result<Token, Located> {
        match self.peeked.take() {
            Some(token) => Ok(token),
            None => self.lexer.next_token(),
        }
    }

    /// The source text of a token.
    pub fn text(&self, span: &Range<usize>) -> &'a str {
        self.input.get(span.clone()).unwrap_or_default()
    }

    /// Consumes the next token if it is the keyword `word` (in any case).
    fn eat_keyword(&mut self, word: &str) -> Result<bool, Located> {
        let token = self.peek()?.clone();
        let is_keyword =
            token.kind == TokenKind::Word && self.text(&token.span).eq_ignore_ascii_case(word);
        if is_keyword {
            self.peeked = None;
        }
        Ok(is_keyword)
    }

    /// Describes a token for a "found …" message, quoting at most a few dozen characters.
    pub fn describe(&self, token: &Token) -> String {
        let text = shorten(self.text(&token.span));
        match token.kind {
            TokenKind::Eof => self.end_name.to_owned(),
            TokenKind::Str(_) => format!("the string {text}"),
            TokenKind::Number => format!("the number {text}"),
            _ => format!("\"{text}\""),
        }
    }

    /// Parses `filter` (an `or` chain). `depth` counts the enclosing `(`, `not (` and `[`.
    pub fn filter(&mut self, depth: usize, scope: Scope) -> Result<Filter, Located> {
        let first = self.and(depth, scope)?;
        if !self.eat_keyword("or")? {
            return Ok(first);
        }
        let mut operands = Vec::new();
        push_flat(&mut operands, first, is_or);
        loop {
            push_flat(&mut operands, self.and(depth, scope)?, is_or);
            if !self.eat_keyword("or")? {
                return Ok(Filter::Or { operands });
            }
        }
    }

    fn and(&mut self, depth: usize, scope: Scope) -> Result<Filter, Located> {
        let first = self.unary(depth, scope)?;
        if !self.eat_keyword("and")? {
            return Ok(first);
        }
        let mut operands = Vec::new();
        push_flat(&mut operands, first, is_and);
        loop {
            push_flat(&mut operands, self.unary(depth, scope)?, is_and);
            if !self.eat_keyword("and")? {
                return Ok(Filter::And { operands });
            }
        }
    }

    fn unary(&mut self, depth: usize, scope: Scope) -> Result<Filter, Located> {
        let token = self.next()?;
        match token.kind {
            TokenKind::LParen => {
                let depth = enter(depth, &token)?;
                let inner = self.filter(depth, scope)?;
                self.close_paren(&token)?;
                Ok(inner)
            }
            TokenKind::Word => {
                let word = self.text(&token.span);
                if word.eq_ignore_ascii_case("not") && self.peek()?.kind == TokenKind::LParen {
                    let open = self.next()?;
                    let depth = enter(depth, &open)?;
                    let inner = self.filter(depth, scope)?;
                    self.close_paren(&open)?;
                    return Ok(Filter::Not {
                        filter: Box::new(inner),
                    });
                }
                if word.eq_ignore_ascii_case("not") {
                    self.check_not_is_attribute()?;
                }
                let attr = attr_path(word, &token.span)?;
                if self.peek()?.kind == TokenKind::LBracket {
                    return self.value_path(attr, &token, depth, scope);
                }
                if scope == Scope::ValueFilter {
                    check_relative(&attr, &token.span)?;
                }
                self.attr_expression(attr, &token)
            }
            _ => Err((
                ErrorKind::ExpectedAttribute {
                    found: self.describe(&token),
                },
                token.span,
            )),
        }
    }

    /// `not` not followed by `(` is an attribute named "not" only if an operator or `[` follows;
    /// otherwise it is the common mistake `not title pr`.
    fn check_not_is_attribute(&mut self) -> Result<(), Located> {
        let next = self.peek()?.clone();
        let text = self.text(&next.span);
        let attribute_follows = match next.kind {
            TokenKind::Word => is_operator_keyword(text),
            TokenKind::LBracket => true,
            _ => false,
        };
        if attribute_follows {
            return Ok(());
        }
        Err((
            ErrorKind::NotWithoutParen {
                found: self.describe(&next),
            },
            next.span,
        ))
    }

    /// Parses `[filter]` after `attr`, whose token is `attr_token`.
    fn value_path(
        &mut self,
        attr: AttrPath,
        attr_token: &Token,
        depth: usize,
        scope: Scope,
    ) -> Result<Filter, Located> {
        let open = self.next()?;
        if scope == Scope::ValueFilter {
            return Err((ErrorKind::NestedValuePath, open.span));
        }
        let filter = self.bracket_filter(&attr, attr_token, &open, depth)?;
        if self.peek()?.kind == TokenKind::Dot {
            let dot = self.next()?;
            let after = self.peek()?.clone();
            if after.kind != TokenKind::Word {
                let found = self.describe(&dot);
                return Err((ErrorKind::ExpectedLogical { found }, dot.span));
            }
            return Err((
                ErrorKind::SubAttributeAfterFilter {
                    attr: attr.to_string(),
                    sub: self.text(&after.span).to_owned(),
                },
                dot.span.start..after.span.end,
            ));
        }
        Ok(Filter::ValuePath {
            attr,
            filter: Box::new(filter),
        })
    }

    /// Parses the filter between `open` (a `[` already consumed) and its `]`, for the attribute
    /// `attr`. Shared by filters and PATCH paths.
    pub fn bracket_filter(
        &mut self,
        attr: &AttrPath,
        attr_token: &Token,
        open: &Token,
        depth: usize,
    ) -> Result<Filter, Located> {
        if attr.sub.is_some() {
            return Err((
                ErrorKind::InvalidAttrPath {
                    path: attr.to_string(),
                    reason: "a value filter \"[…]\" follows an attribute, not a sub-attribute"
                        .to_owned(),
                },
                attr_token.span.clone(),
            ));
        }
        let depth = enter(depth, open)?;
        let filter = self.filter(depth, Scope::ValueFilter)?;
        let close = self.next()?;
        if close.kind != TokenKind::RBracket {
            return Err((
                ErrorKind::UnclosedBracket {
                    open: open.span.start,
                    found: self.describe(&close),
                },
                close.span,
            ));
        }
        Ok(filter)
    }

    fn close_paren(&mut self, open: &Token) -> Result<(), Located> {
        let close = self.next()?;
        if close.kind == TokenKind::RParen {
            return Ok(());
        }
        Err((
            ErrorKind::UnclosedParen {
                open: open.span.start,
                found: self.describe(&close),
            },
            close.span,
        ))
    }

    /// Parses what follows an attribute path: `pr`, or an operator and a value.
    fn attr_expression(&mut self, attr: AttrPath, attr_token: &Token) -> Result<Filter, Located> {
        let op_token = self.next()?;
        let op_text = self.text(&op_token.span);
        let op = match op_token.kind {
            TokenKind::Word if op_text.eq_ignore_ascii_case("pr") => {
                return Ok(Filter::Present { attr });
            }
            TokenKind::Word => CompareOp::from_keyword(op_text),
            _ => None,
        };
        let Some(op) = op else {
            // `eq "x"` reads `eq` as an attribute name; the real mistake is the missing attribute.
            if is_operator_keyword(self.text(&attr_token.span)) {
                return Err((
                    ErrorKind::ExpectedAttribute {
                        found: self.describe(attr_token),
                    },
                    attr_token.span.clone(),
                ));
            }
            return Err((
                ErrorKind::ExpectedOperator {
                    attr: shorten(self.text(&attr_token.span)),
                    found: self.describe(&op_token),
                },
                op_token.span,
            ));
        };
        let value_token = self.next()?;
        let value = self.comp_value(&value_token).ok_or_else(|| {
            (
                ErrorKind::ExpectedValue {
                    op: op_text.to_owned(),
                    found: self.describe(&value_token),
                },
                value_token.span.clone(),
            )
        })??;
        Ok(Filter::Compare { attr, op, value })
    }

    /// Reads a literal; `None` when the token cannot be one, `Some(Err)` for a malformed number.
    fn comp_value(&self, token: &Token) -> Option<Result<CompValue, Located>> {
        let text = self.text(&token.span);
        match &token.kind {
            TokenKind::Str(value) => Some(Ok(CompValue::String(value.clone()))),
            TokenKind::Number => Some(parse_number(text).ok_or_else(|| {
                (
                    ErrorKind::InvalidNumber {
                        text: shorten(text),
                    },
                    token.span.clone(),
                )
            })),
            TokenKind::Word if text.eq_ignore_ascii_case("true") => Some(Ok(CompValue::Bool(true))),
            TokenKind::Word if text.eq_ignore_ascii_case("false") => {
                Some(Ok(CompValue::Bool(false)))
            }
            TokenKind::Word if text.eq_ignore_ascii_case("null") => Some(Ok(CompValue::Null)),
            _ => None,
        }
    }
}

/// Parses a JSON number. serde_json checks the grammar (rejecting `01`, `1.`, `+1`, `1e999`)
/// and reads integers exactly; decimals are read again with the standard library, whose
/// correctly rounded parse makes `Display` (shortest round-trip digits) and parse inverses.
///
/// It reads through `from_slice`, like every other parse in the engine and the worker: a second
/// reader type (`from_str`) would compile serde_json's whole parser again for the service
/// worker's wasm, and both read valid UTF-8 identically.
fn parse_number(text: &str) -> Option<CompValue> {
    let number = serde_json::from_slice::<Number>(text.as_bytes()).ok()?;
    if !number.is_f64() {
        return Some(CompValue::Number(number));
    }
    let exact = text.parse::<f64>().ok()?;
    Number::from_f64(exact).map(CompValue::Number)
}

/// Whether a word is an operator or logical keyword, which is legal as an attribute name but
/// more likely a misplaced keyword when no operator follows it.
fn is_operator_keyword(word: &str) -> bool {
    CompareOp::from_keyword(word).is_some()
        || ["pr", "and", "or"]
            .iter()
            .any(|keyword| keyword.eq_ignore_ascii_case(word))
}

fn is_or(filter: &Filter) -> bool {
    matches!(filter, Filter::Or { .. })
}

fn is_and(filter: &Filter) -> bool {
    matches!(filter, Filter::And { .. })
}

/// Appends `filter` to a chain, splicing in its operands when it is the same kind of chain
/// (from parentheses), so `a or (b or c)` and `a or b or c` give the same tree.
fn push_flat(operands: &mut Vec<Filter>, filter: Filter, same_kind: fn(&Filter) -> bool) {
    if same_kind(&filter) {
        if let Filter::And { operands: inner } | Filter::Or { operands: inner } = filter {
            operands.extend(inner);
        }
    } else {
        operands.push(filter);
    }
}

/// Opens one nesting level at `token`, refusing to go past [`MAX_DEPTH`].
fn enter(depth: usize, token: &Token) -> Result<usize, Located> {
    if depth >= MAX_DEPTH {
        return Err((ErrorKind::TooDeep { max: MAX_DEPTH }, token.span.clone()));
    }
    Ok(depth + 1)
}

/// Inside `attr[…]`, paths are sub-attribute names of `attr`, so a URN or a `.` is a mistake.
fn check_relative(attr: &AttrPath, span: &Range<usize>) -> Result<(), Located> {
    if attr.urn.is_none() && attr.sub.is_none() {
        return Ok(());
    }
    Err((
        ErrorKind::InvalidAttrPath {
            path: attr.to_string(),
            reason: format!(
                "inside \"[…]\" name a sub-attribute on its own, e.g. \"{}\"",
                attr.sub.as_deref().unwrap_or(&attr.name)
            ),
        },
        span.clone(),
    ))
}

/// Splits a word into `[urn:]name[.sub]` and checks each part's shape.
///
/// The URN is everything before the last `:`, so the dot in a schema version (`…:2.0:User:…`)
/// stays in the URN while `manager.value` after the last colon is a name and sub-attribute.
pub(crate) fn attr_path(word: &str, span: &Range<usize>) -> Result<AttrPath, Located> {
    let invalid = |reason: &str| {
        (
            ErrorKind::InvalidAttrPath {
                path: shorten(word),
                reason: reason.to_owned(),
            },
            span.clone(),
        )
    };
    let (urn, rest) = match word.rfind(':') {
        Some(colon) => (
            Some(word.get(..colon).unwrap_or_default()),
            word.get(colon + 1..).unwrap_or_default(),
        ),
        None => (None, word),
    };
    if let Some(urn) = urn {
        let starts_with_letter = urn.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if !starts_with_letter || urn.split(':').any(str::is_empty) {
            return Err(invalid(
                "a schema URN is colon-separated parts, e.g. urn:ietf:params:scim:schemas:core:2.0:User",
            ));
        }
        if rest.is_empty() {
            return Err(invalid(
                "the attribute name after the schema URN is missing",
            ));
        }
    }
    let (name, sub) = match rest.split_once('.') {
        Some((name, sub)) => (name, Some(sub)),
        None => (rest, None),
    };
    if sub.is_some_and(|sub| sub.contains('.')) {
        return Err(invalid(
            "SCIM attributes have at most one sub-attribute level (attribute.subAttribute)",
        ));
    }
    for part in std::iter::once(name).chain(sub) {
        if let Err(reason) = check_name(part) {
            return Err(invalid(&reason));
        }
    }
    Ok(AttrPath {
        urn: urn.map(str::to_owned),
        name: name.to_owned(),
        sub: sub.map(str::to_owned),
    })
}

/// Checks `ATTRNAME = ALPHA *(ALPHA / DIGIT / "-" / "_")`, also allowing a leading `$` for
/// `$ref`, the one reserved name RFC 7643 gives a `$`.
pub(crate) fn check_name(name: &str) -> Result<(), String> {
    let body = name.strip_prefix('$').unwrap_or(name);
    let mut chars = body.chars();
    match chars.next() {
        None => Err("an attribute name is empty".to_owned()),
        Some(first) if !first.is_ascii_alphabetic() => {
            Err(format!("\"{}\" must start with a letter", shorten(name)))
        }
        Some(_) => match chars.find(|&c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')) {
            Some(bad) => Err(format!("\"{bad}\" cannot appear in an attribute name")),
            None => Ok(()),
        },
    }
}

/// How many characters of a token messages quote before eliding the rest.
const QUOTE_CHARS: usize = 40;

/// Shortens text for a message without splitting a character.
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}
