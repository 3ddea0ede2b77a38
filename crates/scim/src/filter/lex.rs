//! The lexer: turns filter or path text into tokens with byte spans, one token at a time.
//!
//! Tokens are produced on demand so that the parser reports the earliest problem in the input
//! (a missing operator before an unterminated string is reported as the missing operator).
//! Every position the lexer stores is a char boundary, because it only ever advances by whole
//! characters; slicing uses `str::get` anyway so that no input can make it panic.

use std::ops::Range;

use super::error::ErrorKind;

/// What a token is. Words, numbers and punctuation carry no text: the parser reads it back from
/// the input through the span; only strings carry their decoded value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// An attribute path, operator or keyword: starts with a letter, `$` or `_`, continues with
    /// letters, digits and `_ - . : $`.
    Word,
    /// Something that starts with a digit or `-`; the parser checks it is a JSON number.
    Number,
    /// A double-quoted string, with JSON escapes decoded.
    Str(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    /// A `.` that does not continue a word, as in `emails[type eq "work"].value`.
    Dot,
    Eof,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Range<usize>,
}

/// A lexing failure: what and where.
pub(crate) type Located = (ErrorKind, Range<usize>);

pub(crate) struct Lexer<'a> {
    input: &'a str,
    pos: usize,
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '$' || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '$')
}

/// Characters that may continue a number-like run; the parser decides whether it is a number.
fn is_number_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_')
}

impl<'a> Lexer<'a> {
    pub fn new(input: &'a str) -> Self {
        Lexer { input, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        self.input.get(self.pos..).unwrap_or("")
    }

    fn peek_char(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Advances past the longest run of characters satisfying `keep`.
    fn eat_while(&mut self, keep: impl Fn(char) -> bool) {
        let run: usize = self
            .rest()
            .chars()
            .take_while(|&c| keep(c))
            .map(char::len_utf8)
            .sum();
        self.pos += run;
    }

    pub fn next_token(&mut self) -> Result<Token, Located> {
        self.eat_while(char::is_whitespace);
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Ok(Token {
                kind: TokenKind::Eof,
                span: start..start,
            });
        };
        let single = |kind| {
            Ok(Token {
                kind,
                span: start..start + 1,
            })
        };
        let token = match c {
            '(' => single(TokenKind::LParen),
            ')' => single(TokenKind::RParen),
            '[' => single(TokenKind::LBracket),
            ']' => single(TokenKind::RBracket),
            '.' => single(TokenKind::Dot),
            '"' => return self.string(),
            c if is_word_start(c) => {
                self.eat_while(is_word_char);
                return Ok(Token {
                    kind: TokenKind::Word,
                    span: start..self.pos,
                });
            }
            c if c.is_ascii_digit() || c == '-' => {
                self.eat_while(is_number_char);
                return Ok(Token {
                    kind: TokenKind::Number,
                    span: start..self.pos,
                });
            }
            found => Err((
                ErrorKind::UnexpectedChar { found },
                start..start + found.len_utf8(),
            )),
        };
        // Only the single-character punctuation arms fall through to here.
        self.pos += 1;
        token
    }

    /// Reads a string literal; `self.pos` is at the opening quote.
    fn string(&mut self) -> Result<Token, Located> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                return Err((
                    ErrorKind::UnterminatedString { start },
                    start..self.input.len(),
                ));
            };
            let at = self.pos;
            self.pos += c.len_utf8();
            match c {
                '"' => {
                    return Ok(Token {
                        kind: TokenKind::Str(value),
                        span: start..self.pos,
                    })
                }
                '\\' => value.push(self.escape(at)?),
                c => value.push(c),
            }
        }
    }

    /// Decodes the escape whose backslash is at byte `at`; `self.pos` is just after it.
    fn escape(&mut self, at: usize) -> Result<char, Located> {
        let Some(c) = self.peek_char() else {
            return Err((
                ErrorKind::UnterminatedString { start: at },
                at..self.input.len(),
            ));
        };
        self.pos += c.len_utf8();
        let simple = match c {
            '"' => Some('"'),
            '\\' => Some('\\'),
            '/' => Some('/'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'u' => None,
            _ => {
                return Err((
                    ErrorKind::InvalidEscape {
                        escape: format!("\\{c}"),
                    },
                    at..self.pos,
                ))
            }
        };
        if let Some(decoded) = simple {
            return Ok(decoded);
        }
        let high = self.hex4(at)?;
        let code = match high {
            0xD800..=0xDBFF => {
                // A high surrogate must be followed by `\u` and a low surrogate.
                let low_at = self.pos;
                if !self.rest().starts_with("\\u") {
                    return Err(self.lone_surrogate(at));
                }
                self.pos += 2;
                let low = self.hex4(low_at)?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.lone_surrogate(at));
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.lone_surrogate(at)),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.lone_surrogate(at))
    }

    /// Reads the four hex digits of a `\u` escape that started at byte `at`.
    fn hex4(&mut self, at: usize) -> Result<u32, Located> {
        let digits: String = self
            .rest()
            .chars()
            .take(4)
            .take_while(char::is_ascii_hexdigit)
            .collect();
        // Hex digits are ASCII, so the byte length is the character count.
        self.pos += digits.len();
        match u32::from_str_radix(&digits, 16) {
            Ok(code) if digits.len() == 4 => Ok(code),
            _ => Err((
                ErrorKind::InvalidEscape {
                    escape: format!("\\u{digits}"),
                },
                at..self.pos,
            )),
        }
    }

    fn lone_surrogate(&self, at: usize) -> Located {
        let escape = self.input.get(at..self.pos).unwrap_or_default().to_owned();
        (ErrorKind::LoneSurrogate { escape }, at..self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<TokenKind> {
        let mut lexer = Lexer::new(input);
        let mut out = Vec::new();
        loop {
            match lexer.next_token() {
                Ok(Token {
                    kind: TokenKind::Eof,
                    ..
                }) => return out,
                Ok(token) => out.push(token.kind),
                Err((kind, _)) => panic!("unexpected lex error {kind}"),
            }
        }
    }

    #[test]
    fn urn_with_version_dot_is_one_word() {
        assert_eq!(
            kinds("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName"),
            vec![TokenKind::Word]
        );
    }

    #[test]
    fn dot_after_bracket_is_its_own_token() {
        assert_eq!(
            kinds("a[b pr].c"),
            vec![
                TokenKind::Word,
                TokenKind::LBracket,
                TokenKind::Word,
                TokenKind::Word,
                TokenKind::RBracket,
                TokenKind::Dot,
                TokenKind::Word
            ]
        );
    }

    #[test]
    fn surrogate_pair_decodes() {
        assert_eq!(
            kinds(r#""\ud83d\ude00 \u00e9""#),
            vec![TokenKind::Str("\u{1F600} é".into())]
        );
    }

    #[test]
    fn multibyte_hex_digits_do_not_panic() {
        let mut lexer = Lexer::new("\"\\u00é\"");
        assert!(lexer.next_token().is_err());
    }
}
