//! The parser: tokens to a syntax tree, by precedence climbing.
//!
//! From loosest to tightest: `c ? a : b` and `a ?: b` (right-associative), `OR`, `AND`, the
//! comparisons (which do not chain, as in SpEL), `+ -`, `* / %`, prefix `!` and `-`, and
//! primaries (literals, `{…}` arrays, attributes, calls, parentheses). Function names are
//! resolved against the registry here, so an unknown function or a wrong argument count is a
//! syntax error with the span of the name or the call.

use super::ast::{BinaryOp, Expr, ExprKind, Object, Span, UnaryOp, PREC_COMPARISON, PREC_OR};
use super::error::{closest, ExprError};
use super::functions;
use super::lex::{lex, Tok, Token};
use super::{MAX_DEPTH, MAX_SOURCE_BYTES};

/// Parses one expression; see the [module documentation](super).
pub(crate) fn parse(src: &str) -> Result<Expr, ExprError> {
    if src.len() > MAX_SOURCE_BYTES {
        return Err(ExprError::TooLong {
            len: src.len(),
            limit: MAX_SOURCE_BYTES,
            span: Span::new(MAX_SOURCE_BYTES, src.len()),
        });
    }
    let tokens = lex(src)?;
    let eof = Token {
        tok: Tok::Eof,
        span: Span::new(src.len(), src.len()),
    };
    let mut parser = Parser {
        tokens,
        pos: 0,
        nesting: 0,
        eof,
    };
    let expr = parser.expression().map_err(|e| match e {
        // People read columns, not byte offsets: "opened at column 19".
        ExprError::Unclosed {
            expected,
            what,
            opened_at,
            found,
            span,
        } => ExprError::Unclosed {
            expected,
            what,
            opened_at: src
                .get(..opened_at)
                .map_or(opened_at, |s| s.chars().count())
                + 1,
            found,
            span,
        },
        other => other,
    })?;
    let next = parser.peek();
    if next.tok != Tok::Eof {
        return Err(ExprError::UnexpectedToken {
            expected: "an operator or the end of the expression".to_owned(),
            found: next.tok.describe(),
            span: next.span,
        });
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// How many `expression` and prefix-operator calls are active, so that deeply nested
    /// input fails with [`ExprError::TooDeep`] instead of exhausting the stack.
    nesting: usize,
    eof: Token,
}

impl Parser {
    fn peek(&self) -> &Token {
        self.tokens.get(self.pos).unwrap_or(&self.eof)
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if token.tok != Tok::Eof {
            self.pos += 1;
        }
        token
    }

    /// Builds a node, refusing trees deeper than [`MAX_DEPTH`]: long operator chains deepen
    /// the tree without nesting, and evaluation recurses once per level.
    fn make(&self, kind: ExprKind, span: Span) -> Result<Expr, ExprError> {
        let expr = Expr::new(kind, span);
        if expr.depth() > MAX_DEPTH {
            return Err(ExprError::TooDeep {
                limit: MAX_DEPTH,
                span,
            });
        }
        Ok(expr)
    }

    fn nested<T>(
        &mut self,
        parse: impl FnOnce(&mut Parser) -> Result<T, ExprError>,
    ) -> Result<T, ExprError> {
        if self.nesting >= MAX_DEPTH {
            return Err(ExprError::TooDeep {
                limit: MAX_DEPTH,
                span: self.peek().span,
            });
        }
        self.nesting += 1;
        let result = parse(self);
        self.nesting -= 1;
        result
    }

    fn expression(&mut self) -> Result<Expr, ExprError> {
        self.nested(Parser::conditional)
    }

    fn conditional(&mut self) -> Result<Expr, ExprError> {
        let condition = self.binary(PREC_OR)?;
        match self.peek().tok {
            Tok::Question => {
                let question = self.bump();
                let then = self.expression()?;
                let colon = self.bump();
                if colon.tok != Tok::Colon {
                    return Err(ExprError::Unclosed {
                        expected: "\":\"",
                        what: "the conditional \"?\"".to_owned(),
                        opened_at: question.span.start,
                        found: colon.tok.describe(),
                        span: colon.span,
                    });
                }
                let otherwise = self.expression()?;
                let span = condition.span().to(otherwise.span());
                self.make(
                    ExprKind::Ternary {
                        condition: Box::new(condition),
                        then: Box::new(then),
                        otherwise: Box::new(otherwise),
                    },
                    span,
                )
            }
            Tok::Elvis => {
                self.bump();
                let fallback = self.expression()?;
                let span = condition.span().to(fallback.span());
                self.make(
                    ExprKind::Elvis {
                        value: Box::new(condition),
                        fallback: Box::new(fallback),
                    },
                    span,
                )
            }
            _ => Ok(condition),
        }
    }

    /// Precedence climbing over the binary operators that bind at least as tightly as
    /// `min_prec`.
    fn binary(&mut self, min_prec: u8) -> Result<Expr, ExprError> {
        let mut left = self.unary()?;
        let mut after_comparison = false;
        while let Some(op) = binary_op(&self.peek().tok) {
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            let op_token = self.bump();
            let is_comparison = prec == PREC_COMPARISON;
            if is_comparison && after_comparison {
                return Err(ExprError::ChainedComparison {
                    span: op_token.span,
                });
            }
            after_comparison = is_comparison;
            let right = self.binary(prec + 1)?;
            let span = left.span().to(right.span());
            left = self.make(
                ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                span,
            )?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        let op = match self.peek().tok {
            Tok::Bang => UnaryOp::Not,
            Tok::Minus => UnaryOp::Neg,
            _ => return self.postfix(),
        };
        let op_token = self.bump();
        let operand = self.nested(Parser::unary)?;
        let span = op_token.span.to(operand.span());
        self.make(
            ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
            span,
        )
    }

    /// A primary, refusing the `.member` that SpEL would allow after it: the language reads
    /// values through functions, not methods.
    fn postfix(&mut self) -> Result<Expr, ExprError> {
        let primary = self.primary()?;
        if self.peek().tok != Tok::Dot {
            return Ok(primary);
        }
        let dot = self.bump();
        let member = self.bump();
        let member_name = match &member.tok {
            Tok::Ident(name) => name.clone(),
            other => other.describe(),
        };
        let is_call = self.peek().tok == Tok::LParen;
        Err(ExprError::MemberAccess {
            target: primary.to_string(),
            suggestion: functions::method_equivalent(&member_name)
                .filter(|_| is_call)
                .map(str::to_owned),
            member: member_name,
            span: dot.span.to(member.span),
        })
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let token = self.bump();
        let span = token.span;
        match token.tok {
            Tok::Int(value) => self.make(ExprKind::Integer { value }, span),
            Tok::Num(value) => self.make(ExprKind::Number { value }, span),
            Tok::Str(value) => self.make(ExprKind::String { value }, span),
            Tok::LParen => {
                let inner = self.expression()?;
                let close = self.bump();
                if close.tok != Tok::RParen {
                    return Err(ExprError::Unclosed {
                        expected: "\")\"",
                        what: "the parenthesis".to_owned(),
                        opened_at: span.start,
                        found: close.tok.describe(),
                        span: close.span,
                    });
                }
                Ok(inner)
            }
            Tok::LBrace => {
                let (items, close) = self.list(Tok::RBrace, "the array", span.start)?;
                self.make(ExprKind::Array { items }, span.to(close))
            }
            Tok::Ident(name) => self.name(name, span),
            other => Err(ExprError::UnexpectedToken {
                expected: "an expression".to_owned(),
                found: other.describe(),
                span,
            }),
        }
    }

    /// What a name starts: a keyword literal, an attribute, or a function call.
    fn name(&mut self, name: String, span: Span) -> Result<Expr, ExprError> {
        match self.peek().tok {
            Tok::LParen => return self.call(name, span),
            Tok::Dot => {}
            _ => return self.keyword_or_bare_name(name, span),
        }
        self.bump();
        let member = self.bump();
        let Tok::Ident(member_name) = member.tok else {
            return Err(ExprError::UnexpectedToken {
                expected: format!("a name after \"{name}.\""),
                found: member.tok.describe(),
                span: member.span,
            });
        };
        let full_name = format!("{name}.{member_name}");
        let full_span = span.to(member.span);
        if self.peek().tok == Tok::LParen {
            return self.call(full_name, full_span);
        }
        if let Some(object) = Object::from_name(&name) {
            return self.make(
                ExprKind::Attribute {
                    object,
                    name: member_name,
                },
                full_span,
            );
        }
        if functions::builtin(&full_name).is_some() {
            let next = self.peek();
            return Err(ExprError::UnexpectedToken {
                expected: format!("\"(\" to call {full_name}"),
                found: next.tok.describe(),
                span: next.span,
            });
        }
        Err(ExprError::UnknownName {
            suggestion: closest(&name, Object::ALL.map(Object::as_str)),
            name,
            span,
        })
    }

    fn keyword_or_bare_name(&mut self, name: String, span: Span) -> Result<Expr, ExprError> {
        // SpEL reads these keywords in any case; Okta's documentation writes `NULL` too.
        let kind = match name.to_ascii_lowercase().as_str() {
            "null" => ExprKind::Null,
            "true" => ExprKind::Bool { value: true },
            "false" => ExprKind::Bool { value: false },
            "and" | "or" => {
                return Err(ExprError::UnexpectedToken {
                    expected: "an expression".to_owned(),
                    found: format!("\"{name}\""),
                    span,
                })
            }
            _ => {
                // A bare name is most often an attribute written without its object.
                let suggestion = Some(format!("user.{name}"));
                return Err(ExprError::UnknownName {
                    name,
                    suggestion,
                    span,
                });
            }
        };
        self.make(kind, span)
    }

    fn call(&mut self, function: String, name_span: Span) -> Result<Expr, ExprError> {
        let Some(builtin) = functions::builtin(&function) else {
            return Err(match functions::unsupported(&function) {
                Some(reason) => ExprError::UnsupportedFunction {
                    name: function,
                    reason,
                    span: name_span,
                },
                None => ExprError::UnknownFunction {
                    suggestion: closest(&function, functions::all_names()),
                    name: function,
                    span: name_span,
                },
            });
        };
        let open = self.bump();
        let (args, close) = self.list(
            Tok::RParen,
            &format!("the call to {function}"),
            open.span.start,
        )?;
        let span = name_span.to(close);
        if !builtin.accepts(args.len()) {
            return Err(ExprError::WrongArity {
                expected: builtin.arity(),
                found: args.len(),
                signature: builtin.signature(),
                function,
                span,
            });
        }
        self.make(ExprKind::Call { function, args }, span)
    }

    /// Comma-separated expressions up to `close`, after the opening bracket at `opened_at`.
    /// Returns them and the closing bracket's span.
    fn list(
        &mut self,
        close: Tok,
        what: &str,
        opened_at: usize,
    ) -> Result<(Vec<Expr>, Span), ExprError> {
        let mut items = Vec::new();
        if self.peek().tok == close {
            return Ok((items, self.bump().span));
        }
        loop {
            items.push(self.expression()?);
            let next = self.bump();
            if next.tok == Tok::Comma {
                continue;
            }
            if next.tok == close {
                return Ok((items, next.span));
            }
            let close_symbol = if close == Tok::RParen {
                "\")\""
            } else {
                "\"}\""
            };
            let expected = if next.tok == Tok::Eof {
                close_symbol
            } else if close == Tok::RParen {
                "\",\" or \")\""
            } else {
                "\",\" or \"}\""
            };
            return Err(ExprError::Unclosed {
                expected,
                what: what.to_owned(),
                opened_at,
                found: next.tok.describe(),
                span: next.span,
            });
        }
    }
}

/// The binary operator a token stands for, if any. `AND` and `OR` are words in any case, as
/// SpEL reads them, or `&&` and `||`.
fn binary_op(tok: &Tok) -> Option<BinaryOp> {
    Some(match tok {
        Tok::OrOr => BinaryOp::Or,
        Tok::AndAnd => BinaryOp::And,
        Tok::Ident(word) if word.eq_ignore_ascii_case("or") => BinaryOp::Or,
        Tok::Ident(word) if word.eq_ignore_ascii_case("and") => BinaryOp::And,
        Tok::EqEq => BinaryOp::Eq,
        Tok::NotEq => BinaryOp::Ne,
        Tok::Lt => BinaryOp::Lt,
        Tok::Le => BinaryOp::Le,
        Tok::Gt => BinaryOp::Gt,
        Tok::Ge => BinaryOp::Ge,
        Tok::Plus => BinaryOp::Add,
        Tok::Minus => BinaryOp::Sub,
        Tok::Star => BinaryOp::Mul,
        Tok::Slash => BinaryOp::Div,
        Tok::Percent => BinaryOp::Rem,
        _ => return None,
    })
}
