//! The Okta Expression Language subset used by profile mappings and username formats.
//!
//! Source text goes through a lexer, a precedence-climbing parser into an [`Expr`] tree, and
//! an evaluator that reads attributes from a [`Context`]. Built-in functions live in one
//! registry of typed closures ([`builtins`]).
//!
//! ```
//! use idp::expr::{evaluate, MapContext, Object, Value};
//!
//! let ctx = MapContext::new().with_value(Object::AppUser, "email", "jane@corp.example".into());
//! let login = evaluate(r#"String.substringBefore(appuser.email, "@") + "@acme.example""#, &ctx);
//! assert_eq!(login, Ok(Value::from("jane@acme.example")));
//! ```
//!
//! # API
//!
//! - [`parse`] turns source text into an [`Expr`], or the first syntax error. Unknown
//!   functions and wrong argument counts are syntax errors.
//! - [`validate`] checks a parsed expression against a [`Scope`] (the attribute schemas)
//!   without evaluating it, returning every problem, so an editor can underline them all.
//! - [`eval`] evaluates a parsed expression against a [`Context`]; [`evaluate`] parses and
//!   evaluates in one go.
//! - `Expr`'s `Display` prints canonical source, and `parse(&expr.to_string())` gives back an
//!   equal tree.
//! - [`ExprError::render`] shows an error under its source line with carets.
//!
//! # The language
//!
//! - Attributes: `user.x`, `appuser.x` (also `appUser.x`), `app.x`, `org.x`. An attribute
//!   that exists but was never set is `null`; one cleared to `""` is the empty string, and the
//!   two are different (`user.x == null` vs `user.x == ""`). An attribute the object does not
//!   have is an error, with a suggestion when the name is close to one it does have.
//! - Literals: `'text'` or `"text"` (double the quote to include it; backslash is an ordinary
//!   character, as in SpEL), integers, numbers (`3.141`, `1e3`), `true`, `false`, `null` (any
//!   case), arrays `{1, 2, 3}`.
//! - Operators, loosest first: `c ? a : b` and `a ?: b`; `OR`/`||`; `AND`/`&&`; `==`, `!=`,
//!   `<`, `<=`, `>`, `>=` (not chainable); `+`, `-`; `*`, `/`, `%`; prefix `!` and `-`. `AND`
//!   and `OR` are accepted in any case.
//! - Functions: every [`builtins`] entry, e.g. `String.substringBefore(user.email, "@")`,
//!   and the deprecated bare forms Okta documents (`toUpperCase`, `toLowerCase`,
//!   `substringBefore`, `substringAfter`, `substring`). `String.replace` and
//!   `String.replaceFirst` take regular expressions in the `regex-lite` dialect (Java's,
//!   without look-around or back-references) and Java's replacement syntax. Okta functions
//!   that need a clock, groups or other directories are refused with a reason.
//!
//! # Semantics
//!
//! Okta's language is a subset of Spring's SpEL, so where Okta's documentation is silent the
//! operators do what SpEL does:
//! - `+` concatenates when either side is a String, rendering the other side as Java's
//!   `toString` would (`null + "a"` is `"nulla"`, `"v" + 1.0` is `"v1.0"`), and otherwise adds
//!   numbers: Integer arithmetic when both sides are Integers (division truncates), Number
//!   arithmetic when either is a Number;
//! - `==` and `!=` compare numbers by value across Integer and Number, anything else by type
//!   and value, so `"1" == 1` is false and `null == ""` is false;
//! - `<`, `<=`, `>`, `>=` order numbers, strings (by code point) and booleans; null orders
//!   before everything; other mixes are an error;
//! - `AND`, `OR`, `!` and the ternary's condition need Booleans (null is an error), and `AND`
//!   and `OR` short-circuit;
//! - `a ?: b` gives `b` when `a` is null *or the empty string*, as SpEL's elvis does.
//!
//! The functions follow Apache Commons Lang's `StringUtils`, which Okta's string functions
//! mirror: a null input gives a null output, `String.len(null)` is 0 and the predicates are
//! false; `String.append` and `String.join` render null as `null`, like `+`.
//! `String.substring` counts characters and clamps its indices to the string.
//! `String.len` counts characters (Java would count UTF-16 units).
//!
//! # Limits
//!
//! No input makes anything here panic. Sources longer than [`MAX_SOURCE_BYTES`], trees
//! deeper than [`MAX_DEPTH`] and strings longer than [`MAX_VALUE_BYTES`] are errors, which
//! keeps the stack, memory and time of any evaluation small enough for a browser tab.

mod ast;
mod context;
mod error;
mod eval;
mod functions;
mod lex;
mod parse;
#[cfg(test)]
mod tests;
mod value;

pub use ast::{BinaryOp, Expr, ExprKind, Object, Span, UnaryOp};
pub use context::{Context, MapContext, Scope};
pub use error::{ExprError, Rendered};
pub use functions::{builtin, builtins, Builtin, Param};
pub use value::{format_number, Type, Value};

/// The longest source text [`parse`] accepts, in bytes.
pub const MAX_SOURCE_BYTES: usize = 16 * 1024;

/// The deepest tree (and the deepest nesting of parentheses, calls and prefix operators)
/// [`parse`] accepts. Evaluation recurses once per level, so this bounds its stack use.
pub const MAX_DEPTH: usize = 64;

/// The longest string an evaluation may build, in bytes.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

/// Parses `src` into an expression.
///
/// # Errors
///
/// The first syntax error: a bad token, a missing bracket, an unknown function, a call with
/// the wrong number of arguments, or a limit exceeded.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    parse::parse(src)
}

/// Every problem [`eval`] would be sure to meet, found without evaluating: attributes the
/// scope does not have and literal arguments of the wrong type. Empty when there are none.
pub fn validate(expr: &Expr, scope: &dyn Scope) -> Vec<ExprError> {
    eval::validate(expr, scope)
}

/// Evaluates `expr` against `ctx`.
///
/// # Errors
///
/// An unknown attribute, a type error, a function refusing its arguments, an arithmetic
/// error, or a limit exceeded.
pub fn eval(expr: &Expr, ctx: &dyn Context) -> Result<Value, ExprError> {
    eval::eval(expr, ctx)
}

/// Parses and evaluates `src` against `ctx`.
///
/// # Errors
///
/// Any error of [`parse`] or [`eval`].
pub fn evaluate(src: &str, ctx: &dyn Context) -> Result<Value, ExprError> {
    eval(&parse(src)?, ctx)
}
