//! The PATCH path grammar (RFC 7644 §3.5.2, Figure 7):
//!
//! ```text
//! PATH      = attrPath / valuePath [subAttr]
//! valuePath = attrPath "[" valFilter "]"
//! ```
//!
//! It reuses the filter lexer and parser for the part between the brackets. Errors inside the
//! brackets are `invalidFilter` and everything else is `invalidPath`, as RFC 7644 §3.12 assigns
//! them.

use super::ast::PatchPath;
use super::check_length;
use super::error::{ErrorKind, FilterError, ScimType};
use super::lex::{Located, TokenKind};
use super::parse::{attr_path, check_name, Parser};

/// Parses a PATCH operation's `path`.
pub fn parse_path(input: &str) -> Result<PatchPath, FilterError> {
    check_length(input, ScimType::InvalidPath)?;
    let path_error =
        |(kind, span): Located| FilterError::new(kind, Some(span), input, ScimType::InvalidPath);
    let filter_error =
        |(kind, span): Located| FilterError::new(kind, Some(span), input, ScimType::InvalidFilter);

    let mut parser = Parser::new(input, "the end of the path");
    let attr_token = parser.next().map_err(path_error)?;
    match attr_token.kind {
        TokenKind::Word => {}
        TokenKind::Eof => {
            return Err(FilterError::new(
                ErrorKind::Empty,
                Some(attr_token.span),
                input,
                ScimType::InvalidPath,
            ))
        }
        _ => {
            let found = parser.describe(&attr_token);
            return Err(path_error((
                ErrorKind::ExpectedAttribute { found },
                attr_token.span,
            )));
        }
    }
    let attr = attr_path(parser.text(&attr_token.span), &attr_token.span).map_err(path_error)?;

    let mut filter = None;
    let mut sub_attribute = attr.sub.clone();
    if parser.peek().map_err(path_error)?.kind == TokenKind::LBracket {
        let open = parser.next().map_err(path_error)?;
        // The brackets open the first nesting level, as they do in a filter's value path.
        let depth = 0;
        filter = Some(
            parser
                .bracket_filter(&attr, &attr_token, &open, depth)
                .map_err(|located| {
                    // A sub-attribute before `[` is a path mistake, not a filter mistake.
                    if matches!(located.0, ErrorKind::InvalidAttrPath { .. })
                        && located.1 == attr_token.span
                    {
                        path_error(located)
                    } else {
                        filter_error(located)
                    }
                })?,
        );
        if parser.peek().map_err(path_error)?.kind == TokenKind::Dot {
            let dot = parser.next().map_err(path_error)?;
            let sub_token = parser.next().map_err(path_error)?;
            let sub = parser.text(&sub_token.span);
            if sub_token.kind != TokenKind::Word {
                let found = parser.describe(&sub_token);
                return Err(path_error((
                    ErrorKind::ExpectedSubAttribute { found },
                    sub_token.span,
                )));
            }
            if let Err(reason) = check_name(sub) {
                return Err(path_error((
                    ErrorKind::InvalidAttrPath {
                        path: format!("{attr}[…].{sub}"),
                        reason,
                    },
                    dot.span.start..sub_token.span.end,
                )));
            }
            sub_attribute = Some(sub.to_owned());
        }
    }

    let end = parser.next().map_err(path_error)?;
    if end.kind != TokenKind::Eof {
        let found = parser.describe(&end);
        return Err(path_error((ErrorKind::ExpectedEnd { found }, end.span)));
    }
    Ok(PatchPath {
        urn: attr.urn,
        attribute: attr.name,
        filter,
        sub_attribute,
    })
}
