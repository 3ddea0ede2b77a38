//! The lexer: source text to tokens with byte spans.
//!
//! String literals follow SpEL, which Okta's language is built on: `'…'` or `"…"`, with the
//! quote character doubled to include it (`'It''s'`). A backslash is an ordinary character,
//! which is why Okta's documented `"XDOMAIN\" + …` works.

use super::ast::Span;
use super::error::ExprError;

/// A token's kind and payload.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Ident(String),
    Str(String),
    Int(i64),
    Num(f64),
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    Dot,
    Question,
    Colon,
    Elvis,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    Bang,
    AndAnd,
    OrOr,
    Eof,
}

impl Tok {
    /// How an error message names the token.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("\"{}\"", shorten(name)),
            Tok::Str(text) => format!("the string \"{}\"", shorten(text)),
            Tok::Int(int) => format!("the number {int}"),
            Tok::Num(num) => format!("the number {}", super::value::format_number(*num)),
            Tok::Eof => "end of input".to_owned(),
            punct => format!("\"{}\"", punct.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::Comma => ",",
            Tok::Dot => ".",
            Tok::Question => "?",
            Tok::Colon => ":",
            Tok::Elvis => "?:",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            Tok::Percent => "%",
            Tok::EqEq => "==",
            Tok::NotEq => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Bang => "!",
            Tok::AndAnd => "&&",
            Tok::OrOr => "||",
            Tok::Ident(_) | Tok::Str(_) | Tok::Int(_) | Tok::Num(_) | Tok::Eof => "",
        }
    }
}

/// Keeps error messages readable when the offending token is long.
fn shorten(text: &str) -> String {
    const KEEP: usize = 40;
    if text.chars().count() <= KEEP {
        text.to_owned()
    } else {
        let head: String = text.chars().take(KEEP).collect();
        head + "…"
    }
}

/// A token and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) span: Span,
}

/// Splits `src` into tokens, ending with [`Tok::Eof`].
pub(crate) fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let mut tokens = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some((start, ch)) = chars.next() {
        if ch.is_whitespace() {
            continue;
        }
        let mut next_is = |wanted: char| chars.next_if(|&(_, next)| next == wanted).is_some();
        let tok = match ch {
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '{' => Tok::LBrace,
            '}' => Tok::RBrace,
            ',' => Tok::Comma,
            '.' => Tok::Dot,
            ':' => Tok::Colon,
            '+' => Tok::Plus,
            '-' => Tok::Minus,
            '*' => Tok::Star,
            '/' => Tok::Slash,
            '%' => Tok::Percent,
            '?' if next_is(':') => Tok::Elvis,
            '?' => Tok::Question,
            '=' if next_is('=') => Tok::EqEq,
            '!' if next_is('=') => Tok::NotEq,
            '!' => Tok::Bang,
            '<' if next_is('=') => Tok::Le,
            '<' => Tok::Lt,
            '>' if next_is('=') => Tok::Ge,
            '>' => Tok::Gt,
            '&' if next_is('&') => Tok::AndAnd,
            '|' if next_is('|') => Tok::OrOr,
            '\'' | '"' => lex_string(src, start, ch, &mut chars)?,
            '0'..='9' => lex_number(src, start, &mut chars)?,
            _ if is_ident_start(ch) => {
                let mut end = start + ch.len_utf8();
                while let Some((idx, next)) = chars.next_if(|&(_, next)| is_ident_continue(next)) {
                    end = idx + next.len_utf8();
                }
                Tok::Ident(src.get(start..end).unwrap_or_default().to_owned())
            }
            _ => {
                let hint = match ch {
                    '=' => " (use \"==\" to compare)",
                    '&' => " (use AND or &&)",
                    '|' => " (use OR or ||)",
                    _ => "",
                };
                return Err(ExprError::UnexpectedChar {
                    found: ch,
                    hint,
                    span: Span::new(start, start + ch.len_utf8()),
                });
            }
        };
        let end = chars.peek().map_or(src.len(), |&(idx, _)| idx);
        tokens.push(Token {
            tok,
            span: Span::new(start, end),
        });
    }
    tokens.push(Token {
        tok: Tok::Eof,
        span: Span::new(src.len(), src.len()),
    });
    Ok(tokens)
}

fn is_ident_start(ch: char) -> bool {
    ch.is_ascii_alphabetic() || ch == '_' || ch == '$'
}

fn is_ident_continue(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || ch == '_' || ch == '$'
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

fn lex_string(
    src: &str,
    start: usize,
    quote: char,
    chars: &mut Chars<'_>,
) -> Result<Tok, ExprError> {
    let mut text = String::new();
    loop {
        match chars.next() {
            Some((_, ch)) if ch == quote => {
                if chars.next_if(|&(_, next)| next == quote).is_some() {
                    text.push(quote);
                } else {
                    return Ok(Tok::Str(text));
                }
            }
            Some((_, ch)) => text.push(ch),
            None => {
                return Err(ExprError::UnterminatedString {
                    quote,
                    span: Span::new(start, src.len()),
                })
            }
        }
    }
}

/// Reads `digits [. digits] [(e|E) [+|-] digits]`. Without a fraction or exponent the literal
/// is an Integer, otherwise a Number.
fn lex_number(src: &str, start: usize, chars: &mut Chars<'_>) -> Result<Tok, ExprError> {
    let mut end = start + 1;
    let mut is_integer = true;
    let take_digits = |chars: &mut Chars<'_>, end: &mut usize| {
        while let Some((idx, _)) = chars.next_if(|&(_, next)| next.is_ascii_digit()) {
            *end = idx + 1;
        }
    };
    take_digits(chars, &mut end);
    // A dot belongs to the number only when a digit follows it.
    let rest = src.get(end..).unwrap_or_default();
    let fraction_follows = rest
        .strip_prefix('.')
        .is_some_and(|after| after.starts_with(|next: char| next.is_ascii_digit()));
    if fraction_follows {
        chars.next();
        is_integer = false;
        end += 1;
        take_digits(chars, &mut end);
    }
    let rest = src.get(end..).unwrap_or_default();
    let exponent_digits = rest
        .strip_prefix(['e', 'E'])
        .map(|after| after.strip_prefix(['+', '-']).unwrap_or(after));
    if let Some(after) = exponent_digits {
        if after.starts_with(|next: char| next.is_ascii_digit()) {
            let sign_len = rest.len() - 1 - after.len();
            for _ in 0..1 + sign_len {
                chars.next();
            }
            is_integer = false;
            end += 1 + sign_len;
            take_digits(chars, &mut end);
        }
    }
    let text = src.get(start..end).unwrap_or_default();
    let out_of_range = || ExprError::NumberOutOfRange {
        text: text.to_owned(),
        span: Span::new(start, end),
    };
    if is_integer {
        text.parse::<i64>()
            .map(Tok::Int)
            .map_err(|_| out_of_range())
    } else {
        match text.parse::<f64>() {
            Ok(num) if num.is_finite() => Ok(Tok::Num(num)),
            _ => Err(out_of_range()),
        }
    }
}
