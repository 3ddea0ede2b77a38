//! The built-in functions: one registry of typed closures.
//!
//! Each function is registered once, by a line that names it (canonical name first, then any
//! deprecated aliases), names its parameters and passes a closure whose argument types *are*
//! the signature: an adapter ([`f1`], [`f2`], …) reads the parameter types from the closure's
//! type, checks every argument against them and reports a mismatch with the argument's
//! position. The same registry answers the parser (does this function exist, how many
//! arguments does it take) and the UI ([`builtins`] lists every signature).
//!
//! Null handling follows Apache Commons Lang's `StringUtils`, which Okta's string functions
//! mirror: a null input gives a null output, `String.len(null)` is 0 and the predicates are
//! false. `String.append` and `String.join` render null as `null`, like `+` and Java's
//! `String.join`.

use std::sync::OnceLock;

use regex_lite::{Regex, RegexBuilder};

use super::value::{Type, Value};
use super::MAX_VALUE_BYTES;

/// Why a built-in refused its arguments; the evaluator adds the function name and span.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Fault {
    /// Argument `index` (0-based) has the wrong type.
    ArgType {
        index: usize,
        expected: Type,
        found: Type,
    },
    /// Argument `index` (or the call as a whole) has a value the function cannot use.
    Invalid {
        index: Option<usize>,
        message: String,
    },
    /// Argument `index` is not a supported regular expression.
    Regex {
        index: usize,
        pattern: String,
        reason: String,
    },
    /// The result would exceed [`MAX_VALUE_BYTES`].
    TooLarge,
}

/// One parameter of a built-in function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// The parameter's name, as Okta's documentation gives it.
    pub name: &'static str,
    /// The type it accepts. String and Array parameters also accept null.
    pub ty: Type,
}

impl Param {
    /// Whether an argument of type `found` fits: the parameter's own type, null where the
    /// parameter is a String or an Array, anything where it is Any.
    pub fn accepts(&self, found: Type) -> bool {
        match self.ty {
            Type::Any => true,
            Type::String | Type::Array => found == self.ty || found == Type::Null,
            ty => found == ty,
        }
    }
}

type Call = Box<dyn Fn(Vec<Value>) -> Result<Value, Fault> + Send + Sync>;

/// A built-in function: its names, signature and implementation.
pub struct Builtin {
    names: &'static [&'static str],
    params: Vec<Param>,
    variadic: Option<Param>,
    returns: Type,
    summary: &'static str,
    call: Call,
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{} -> {}", self.name(), self.signature(), self.returns)
    }
}

impl Builtin {
    /// The canonical name, e.g. `String.toUpperCase`.
    pub fn name(&self) -> &'static str {
        self.names.first().copied().unwrap_or_default()
    }

    /// Deprecated names that call the same function, e.g. `toUpperCase`.
    pub fn aliases(&self) -> &'static [&'static str] {
        self.names.get(1..).unwrap_or_default()
    }

    /// The fixed parameters.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The parameter that may repeat after the fixed ones, if any.
    pub fn variadic(&self) -> Option<Param> {
        self.variadic
    }

    /// The type of the result (null aside).
    pub fn returns(&self) -> Type {
        self.returns
    }

    /// One sentence on what the function does.
    pub fn summary(&self) -> &'static str {
        self.summary
    }

    /// The parameter list as documentation writes it: `(String input, String... strings)`.
    pub fn signature(&self) -> String {
        let mut parts: Vec<String> = self
            .params
            .iter()
            .map(|param| format!("{} {}", param.ty, param.name))
            .collect();
        if let Some(param) = self.variadic {
            parts.push(format!("{}... {}", param.ty, param.name));
        }
        format!("({})", parts.join(", "))
    }

    /// Whether a call with `n_args` arguments has the right arity.
    pub fn accepts(&self, n_args: usize) -> bool {
        if self.variadic.is_some() {
            n_args >= self.params.len()
        } else {
            n_args == self.params.len()
        }
    }

    /// The arity in words, e.g. `2 arguments` or `at least 1 argument`.
    pub fn arity(&self) -> String {
        let n = self.params.len();
        let noun = if n == 1 { "argument" } else { "arguments" };
        if self.variadic.is_some() {
            format!("at least {n} {noun}")
        } else {
            format!("{n} {noun}")
        }
    }

    pub(crate) fn call(&self, args: Vec<Value>) -> Result<Value, Fault> {
        (self.call)(args)
    }
}

/// Every built-in function, in the order Okta's documentation lists them.
pub fn builtins() -> &'static [Builtin] {
    static REGISTRY: OnceLock<Vec<Builtin>> = OnceLock::new();
    REGISTRY.get_or_init(registry)
}

/// The built-in called `name` (canonical or alias).
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    builtins()
        .iter()
        .find(|builtin| builtin.names.contains(&name))
}

/// Every name a function can be called by.
pub(crate) fn all_names() -> impl Iterator<Item = &'static str> {
    builtins()
        .iter()
        .flat_map(|builtin| builtin.names.iter().copied())
}

/// Okta functions the playground knows of but deliberately leaves out, and why.
pub(crate) fn unsupported(name: &str) -> Option<&'static str> {
    const GROUPS: &str = "group functions belong to group rules and token claims";
    const DIRECTORY: &str = "it reads Active Directory or Workday, which the playground has not";
    Some(match name {
        "Arrays.add" | "Arrays.remove" | "Arrays.clear" | "Arrays.get" | "Arrays.flatten" => {
            "array editing is outside the simulated subset"
        }
        "Iso3166Convert.toAlpha2"
        | "Iso3166Convert.toAlpha3"
        | "Iso3166Convert.toNumeric"
        | "Iso3166Convert.toName" => "it needs the ISO 3166 country table",
        "Time.now"
        | "Time.fromWindowsToIso8601"
        | "Time.fromUnixToIso8601"
        | "Time.fromStringToIso8601"
        | "Time.fromIso8601ToWindows"
        | "Time.fromIso8601ToUnix"
        | "Time.fromIso8601ToString" => "the simulator has no clock, so results stay reproducible",
        "getFilteredGroups"
        | "Groups.contains"
        | "Groups.startsWith"
        | "Groups.endsWith"
        | "isMemberOfGroupName"
        | "isMemberOfGroup"
        | "isMemberOfAnyGroup"
        | "isMemberOfGroupNameStartsWith"
        | "isMemberOfGroupNameContains"
        | "isMemberOfGroupNameRegex"
        | "user.isMemberOf"
        | "user.getGroups" => GROUPS,
        "getManagerUser"
        | "getManagerAppUser"
        | "getAssistantUser"
        | "getAssistantAppUser"
        | "hasDirectoryUser"
        | "hasWorkdayUser"
        | "findDirectoryUser"
        | "findWorkdayUser" => DIRECTORY,
        "user.getLinkedObject" => "linked objects are outside the simulated subset",
        _ => return None,
    })
}

/// The built-in that does what a Java string method written as `value.method(…)` does.
pub(crate) fn method_equivalent(method: &str) -> Option<&'static str> {
    Some(match method {
        "substring" => "String.substring",
        "toUpperCase" => "String.toUpperCase",
        "toLowerCase" => "String.toLowerCase",
        "length" => "String.len",
        "replace" | "replaceAll" => "String.replace",
        "replaceFirst" => "String.replaceFirst",
        "contains" => "String.stringContains",
        "startsWith" => "String.startsWith",
        "concat" => "String.append",
        _ => return None,
    })
}

fn registry() -> Vec<Builtin> {
    let mut reg = Registry(Vec::new());
    reg.add(
        &["String.append"],
        Type::String,
        "Appends suffix to str; null renders as \"null\".",
        f2(["str", "suffix"], |str: Text, suffix: Text| {
            let (head, tail) = (render(str), render(suffix));
            check_len(head.len() + tail.len())?;
            Ok(head + &tail)
        }),
    );
    reg.add(
        &["String.join"],
        Type::String,
        "Joins strings with separator between them; null renders as \"null\".",
        f1_rest(
            ["separator"],
            "strings",
            |separator: Text, strings: Vec<Text>| {
                let separator = render(separator);
                let mut joined = String::new();
                for (string_idx, string) in strings.into_iter().enumerate() {
                    if string_idx > 0 {
                        push_checked(&mut joined, &separator)?;
                    }
                    push_checked(&mut joined, &render(string))?;
                }
                Ok(joined)
            },
        ),
    );
    reg.add(
        &["String.len"],
        Type::Integer,
        "The number of characters in input; 0 for null.",
        f1(["input"], |input: Text| {
            let n_chars = input.map_or(0, |text| text.chars().count());
            Ok(Value::Integer(i64::try_from(n_chars).unwrap_or(i64::MAX)))
        }),
    );
    reg.add(
        &["String.removeSpaces"],
        Type::String,
        "Removes every whitespace character from input.",
        f1(["input"], |input: Text| {
            Ok(input.map(|text| {
                text.chars()
                    .filter(|ch| !ch.is_whitespace())
                    .collect::<String>()
            }))
        }),
    );
    reg.add(
        &["String.replace"],
        Type::String,
        "Replaces every match of the regular expression match with replacement.",
        f3(
            ["input", "match", "replacement"],
            |input: Text, pattern: Text, replacement: Text| {
                regex_replace(input, pattern, replacement, usize::MAX)
            },
        ),
    );
    reg.add(
        &["String.replaceFirst"],
        Type::String,
        "Replaces the first match of the regular expression match with replacement.",
        f3(
            ["input", "match", "replacement"],
            |input: Text, pattern: Text, replacement: Text| {
                regex_replace(input, pattern, replacement, 1)
            },
        ),
    );
    reg.add(
        &["String.startsWith"],
        Type::Boolean,
        "Whether input begins with prefix; false when either is null.",
        f2(["input", "prefix"], |input: Text, prefix: Text| {
            Ok(matches!((input, prefix), (Some(text), Some(prefix)) if text.starts_with(&prefix)))
        }),
    );
    reg.add(
        &["String.stringContains"],
        Type::Boolean,
        "Whether searchString occurs in input; false when either is null.",
        f2(["input", "searchString"], |input: Text, search: Text| {
            Ok(matches!((input, search), (Some(text), Some(search)) if text.contains(&search)))
        }),
    );
    reg.add(
        &["String.stringSwitch"],
        Type::String,
        "The value of the first key that occurs in input, else defaultString.",
        f2_rest(
            ["input", "defaultString"],
            "keyValuePairs",
            |input: Text, default: Text, pairs: Vec<Text>| {
                if pairs.len() % 2 == 1 {
                    return Err(Fault::Invalid {
                        index: Some(pairs.len() + 1),
                        message: "keys and values come in pairs, and the last key has no value"
                            .to_owned(),
                    });
                }
                let Some(input) = input else {
                    return Ok(default);
                };
                let mut pairs = pairs.into_iter();
                while let (Some(key), Some(value)) = (pairs.next(), pairs.next()) {
                    if key.is_some_and(|key| input.contains(&key)) {
                        return Ok(value);
                    }
                }
                Ok(default)
            },
        ),
    );
    reg.add(
        &["String.substring", "substring"],
        Type::String,
        "The characters from startIndex (inclusive) to endIndex (exclusive), with indices \
         clamped to the string.",
        f3(
            ["input", "startIndex", "endIndex"],
            |input: Text, start: i64, end: i64| Ok(input.map(|text| substring(&text, start, end))),
        ),
    );
    reg.add(
        &["String.substringAfter", "substringAfter"],
        Type::String,
        "The part of input after the first searchString; \"\" when it does not occur.",
        f2(["input", "searchString"], |input: Text, search: Text| {
            Ok(input.map(|text| match search {
                None => String::new(),
                Some(search) => text
                    .find(&search)
                    .and_then(|pos| text.get(pos + search.len()..))
                    .unwrap_or_default()
                    .to_owned(),
            }))
        }),
    );
    reg.add(
        &["String.substringBefore", "substringBefore"],
        Type::String,
        "The part of input before the first searchString; all of input when it does not occur.",
        f2(["input", "searchString"], |input: Text, search: Text| {
            Ok(input.map(|text| match search {
                None => text,
                Some(search) => match text.find(&search) {
                    Some(pos) => text.get(..pos).unwrap_or_default().to_owned(),
                    None => text,
                },
            }))
        }),
    );
    reg.add(
        &["String.toUpperCase", "toUpperCase"],
        Type::String,
        "input in upper case.",
        f1(["input"], |input: Text| {
            let upper = input.map(|text| text.to_uppercase());
            check_len(upper.as_ref().map_or(0, String::len))?;
            Ok(upper)
        }),
    );
    reg.add(
        &["String.toLowerCase", "toLowerCase"],
        Type::String,
        "input in lower case.",
        f1(["input"], |input: Text| {
            let lower = input.map(|text| text.to_lowercase());
            check_len(lower.as_ref().map_or(0, String::len))?;
            Ok(lower)
        }),
    );
    reg.add(
        &["Arrays.contains"],
        Type::Boolean,
        "Whether array has an element equal (as by ==) to value; false for null.",
        f2(["array", "value"], |array: List, value: Value| {
            Ok(array
                .is_some_and(|items| items.iter().any(|item| super::eval::equals(item, &value))))
        }),
    );
    reg.add(
        &["Arrays.size"],
        Type::Integer,
        "The number of elements in array; 0 for null.",
        f1(["array"], |array: List| {
            let n_items = array.map_or(0, |items| items.len());
            Ok(Value::Integer(i64::try_from(n_items).unwrap_or(i64::MAX)))
        }),
    );
    reg.add(
        &["Arrays.isEmpty"],
        Type::Boolean,
        "Whether array has no elements; true for null.",
        f1(["array"], |array: List| {
            Ok(array.is_none_or(|items| items.is_empty()))
        }),
    );
    reg.add(
        &["Arrays.toCsvString"],
        Type::String,
        "The elements of array joined by commas.",
        f1(["array"], |array: List| {
            let Some(items) = array else {
                return Ok(Value::Null);
            };
            let mut csv = String::new();
            for (item_idx, item) in items.iter().enumerate() {
                if item_idx > 0 {
                    push_checked(&mut csv, ",")?;
                }
                push_checked(&mut csv, &item.to_string())?;
            }
            Ok(Value::String(csv))
        }),
    );
    reg.add(
        &["Convert.toInt"],
        Type::Integer,
        "A String parsed as an Integer, or a Number rounded half up to the nearest Integer; \
         the result must fit in 32 bits.",
        f1(["value"], convert_to_int),
    );
    reg.add(
        &["Convert.toNum"],
        Type::Number,
        "A String parsed as a Number, or an Integer widened to one.",
        f1(["value"], convert_to_num),
    );
    reg.0
}

struct Registry(Vec<Builtin>);

impl Registry {
    fn add(
        &mut self,
        names: &'static [&'static str],
        returns: Type,
        summary: &'static str,
        typed: Typed,
    ) {
        self.0.push(Builtin {
            names,
            params: typed.params,
            variadic: typed.variadic,
            returns,
            summary,
            call: typed.call,
        });
    }
}

/// A closure wrapped with the signature read from its argument types.
struct Typed {
    params: Vec<Param>,
    variadic: Option<Param>,
    call: Call,
}

/// A String parameter; `None` is null.
type Text = Option<String>;
/// An Array parameter; `None` is null.
type List = Option<Vec<Value>>;

/// A Rust type that a parameter can be declared as.
trait Arg: Sized + 'static {
    const TYPE: Type;
    /// The argument as this type, or the type it actually has.
    fn from_value(value: Value) -> Result<Self, Type>;
}

impl Arg for Text {
    const TYPE: Type = Type::String;
    fn from_value(value: Value) -> Result<Self, Type> {
        match value {
            Value::String(text) => Ok(Some(text)),
            Value::Null => Ok(None),
            other => Err(other.type_of()),
        }
    }
}

impl Arg for i64 {
    const TYPE: Type = Type::Integer;
    fn from_value(value: Value) -> Result<Self, Type> {
        match value {
            Value::Integer(int) => Ok(int),
            other => Err(other.type_of()),
        }
    }
}

impl Arg for List {
    const TYPE: Type = Type::Array;
    fn from_value(value: Value) -> Result<Self, Type> {
        match value {
            Value::Array(items) => Ok(Some(items)),
            Value::Null => Ok(None),
            other => Err(other.type_of()),
        }
    }
}

impl Arg for Value {
    const TYPE: Type = Type::Any;
    fn from_value(value: Value) -> Result<Self, Type> {
        Ok(value)
    }
}

/// Takes argument `index` from `args` as an `A`. A missing argument reads as null: arity is
/// checked before any call, so this only keeps the adapter total.
fn take<A: Arg>(args: &mut std::vec::IntoIter<Value>, index: usize) -> Result<A, Fault> {
    A::from_value(args.next().unwrap_or(Value::Null)).map_err(|found| Fault::ArgType {
        index,
        expected: A::TYPE,
        found,
    })
}

fn take_rest<V: Arg>(args: std::vec::IntoIter<Value>, first_index: usize) -> Result<Vec<V>, Fault> {
    args.enumerate()
        .map(|(offset, value)| {
            V::from_value(value).map_err(|found| Fault::ArgType {
                index: first_index + offset,
                expected: V::TYPE,
                found,
            })
        })
        .collect()
}

fn params<const N: usize>(names: [&'static str; N], types: [Type; N]) -> Vec<Param> {
    names
        .into_iter()
        .zip(types)
        .map(|(name, ty)| Param { name, ty })
        .collect()
}

fn f1<A: Arg, R: Into<Value> + 'static>(
    names: [&'static str; 1],
    body: fn(A) -> Result<R, Fault>,
) -> Typed {
    Typed {
        params: params(names, [A::TYPE]),
        variadic: None,
        call: Box::new(move |args| {
            let mut args = args.into_iter();
            Ok(body(take(&mut args, 0)?)?.into())
        }),
    }
}

fn f2<A: Arg, B: Arg, R: Into<Value> + 'static>(
    names: [&'static str; 2],
    body: fn(A, B) -> Result<R, Fault>,
) -> Typed {
    Typed {
        params: params(names, [A::TYPE, B::TYPE]),
        variadic: None,
        call: Box::new(move |args| {
            let mut args = args.into_iter();
            let a = take(&mut args, 0)?;
            let b = take(&mut args, 1)?;
            Ok(body(a, b)?.into())
        }),
    }
}

fn f3<A: Arg, B: Arg, C: Arg, R: Into<Value> + 'static>(
    names: [&'static str; 3],
    body: fn(A, B, C) -> Result<R, Fault>,
) -> Typed {
    Typed {
        params: params(names, [A::TYPE, B::TYPE, C::TYPE]),
        variadic: None,
        call: Box::new(move |args| {
            let mut args = args.into_iter();
            let a = take(&mut args, 0)?;
            let b = take(&mut args, 1)?;
            let c = take(&mut args, 2)?;
            Ok(body(a, b, c)?.into())
        }),
    }
}

fn f1_rest<A: Arg, V: Arg, R: Into<Value> + 'static>(
    names: [&'static str; 1],
    rest: &'static str,
    body: fn(A, Vec<V>) -> Result<R, Fault>,
) -> Typed {
    Typed {
        params: params(names, [A::TYPE]),
        variadic: Some(Param {
            name: rest,
            ty: V::TYPE,
        }),
        call: Box::new(move |args| {
            let mut args = args.into_iter();
            let a = take(&mut args, 0)?;
            Ok(body(a, take_rest(args, 1)?)?.into())
        }),
    }
}

fn f2_rest<A: Arg, B: Arg, V: Arg, R: Into<Value> + 'static>(
    names: [&'static str; 2],
    rest: &'static str,
    body: fn(A, B, Vec<V>) -> Result<R, Fault>,
) -> Typed {
    Typed {
        params: params(names, [A::TYPE, B::TYPE]),
        variadic: Some(Param {
            name: rest,
            ty: V::TYPE,
        }),
        call: Box::new(move |args| {
            let mut args = args.into_iter();
            let a = take(&mut args, 0)?;
            let b = take(&mut args, 1)?;
            Ok(body(a, b, take_rest(args, 2)?)?.into())
        }),
    }
}

impl From<Option<String>> for Value {
    fn from(text: Option<String>) -> Value {
        text.map_or(Value::Null, Value::String)
    }
}

/// A nullable string as text, the way `+` renders it.
fn render(text: Text) -> String {
    text.unwrap_or_else(|| "null".to_owned())
}

fn check_len(len: usize) -> Result<(), Fault> {
    if len > MAX_VALUE_BYTES {
        Err(Fault::TooLarge)
    } else {
        Ok(())
    }
}

fn push_checked(out: &mut String, piece: &str) -> Result<(), Fault> {
    check_len(out.len() + piece.len())?;
    out.push_str(piece);
    Ok(())
}

/// Java's `substring` over chars, with indices clamped to the string instead of failing:
/// a negative index counts as 0 and one past the end as the end, and a start after the end
/// gives "". Clamping is what makes Okta's documented "last 20 characters" expression,
/// `substring(x, len(x) - 20, len(x))`, give all of a shorter `x`.
fn substring(text: &str, start: i64, end: i64) -> String {
    let n_chars = text.chars().count();
    let clamp = |idx: i64| {
        usize::try_from(idx.max(0))
            .unwrap_or(usize::MAX)
            .min(n_chars)
    };
    let (start, end) = (clamp(start), clamp(end));
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// The longest pattern accepted; patterns come from mappings, which are short.
const MAX_PATTERN_BYTES: usize = 1024;

/// Java's `String.replaceAll` (`limit` = `usize::MAX`) or `replaceFirst` (`limit` = 1), null-safe
/// like Commons Lang's `replacePattern`: a null input stays null, a null pattern or
/// replacement leaves the input as it is.
///
/// Patterns use the `regex-lite` dialect, which agrees with Java's for everything mappings
/// use (classes, anchors, quantifiers, groups, alternation); look-around and back-references
/// are refused. Replacements use Java's syntax: `$1`, `${name}`, and `\` to escape.
fn regex_replace(
    input: Text,
    pattern: Text,
    replacement: Text,
    limit: usize,
) -> Result<Text, Fault> {
    let Some(input) = input else {
        return Ok(None);
    };
    let (Some(pattern), Some(replacement)) = (pattern, replacement) else {
        return Ok(Some(input));
    };
    let regex = compile(&pattern)?;
    let parts = parse_replacement(&replacement, &regex)?;
    let mut out = String::new();
    let mut last_end = 0;
    for caps in regex.captures_iter(&input).take(limit) {
        let Some(whole) = caps.get(0) else { continue };
        push_checked(
            &mut out,
            input.get(last_end..whole.start()).unwrap_or_default(),
        )?;
        for part in &parts {
            let piece = match part {
                Piece::Literal(text) => text.as_str(),
                Piece::Group(idx) => caps.get(*idx).map_or("", |group| group.as_str()),
                Piece::Named(name) => caps.name(name).map_or("", |group| group.as_str()),
            };
            push_checked(&mut out, piece)?;
        }
        last_end = whole.end();
    }
    push_checked(&mut out, input.get(last_end..).unwrap_or_default())?;
    Ok(Some(out))
}

fn compile(pattern: &str) -> Result<Regex, Fault> {
    let refuse = |reason: String| Fault::Regex {
        index: 1,
        pattern: pattern.to_owned(),
        reason,
    };
    if pattern.len() > MAX_PATTERN_BYTES {
        return Err(refuse(format!("longer than {MAX_PATTERN_BYTES} bytes")));
    }
    RegexBuilder::new(pattern)
        .size_limit(64 * 1024)
        .nest_limit(32)
        .build()
        .map_err(|err| {
            refuse(
                err.to_string()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
}

/// A piece of a parsed replacement string.
enum Piece {
    Literal(String),
    Group(usize),
    Named(String),
}

/// Parses a replacement as Java's `Matcher.appendReplacement` does: `\x` is a literal `x`,
/// `$n` refers to group n (taking further digits while the group exists), `${name}` to a
/// named group; any other `$` is an error.
fn parse_replacement(replacement: &str, regex: &Regex) -> Result<Vec<Piece>, Fault> {
    let invalid = |message: String| Fault::Invalid {
        index: Some(2),
        message,
    };
    let n_groups = regex.captures_len().saturating_sub(1);
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = replacement.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => match chars.next() {
                Some(escaped) => literal.push(escaped),
                None => return Err(invalid("the replacement ends with a lone \\".to_owned())),
            },
            '$' => {
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                if chars.next_if_eq(&'{').is_some() {
                    let name: String = chars.by_ref().take_while(|&next| next != '}').collect();
                    if !regex.capture_names().flatten().any(|known| known == name) {
                        return Err(invalid(format!(
                            "the replacement names a group \"{name}\" the pattern does not have"
                        )));
                    }
                    pieces.push(Piece::Named(name));
                    continue;
                }
                let Some(first) = chars.next_if(char::is_ascii_digit) else {
                    return Err(invalid(
                        "a \"$\" in the replacement must be followed by a group number or {name}; write \\$ for a dollar sign"
                            .to_owned(),
                    ));
                };
                let mut group = first.to_digit(10).map_or(0, |digit| digit as usize);
                if group > n_groups {
                    return Err(invalid(format!(
                        "the replacement refers to group {group}, but the pattern has {n_groups}"
                    )));
                }
                while let Some(next) = chars.peek().and_then(|next| next.to_digit(10)) {
                    let longer = group.saturating_mul(10).saturating_add(next as usize);
                    if longer > n_groups {
                        break;
                    }
                    group = longer;
                    chars.next();
                }
                pieces.push(Piece::Group(group));
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

/// Java's `Integer.parseInt` for strings, `Math.round` for doubles; either must fit in an `int`.
fn convert_to_int(value: Value) -> Result<Value, Fault> {
    let out_of_range = |shown: String| Fault::Invalid {
        index: Some(0),
        message: format!("{shown} does not fit in a 32-bit Integer"),
    };
    let wide: i64 = match value {
        Value::Null => return Ok(Value::Null),
        Value::Integer(int) => int,
        Value::Number(num) => {
            let rounded = (num + 0.5).floor();
            if rounded < i32::MIN as f64 || rounded > i32::MAX as f64 {
                return Err(out_of_range(super::value::format_number(num)));
            }
            // The range check above makes this conversion exact.
            rounded as i64
        }
        Value::String(text) => {
            let is_java_int = text
                .strip_prefix(['+', '-'])
                .unwrap_or(&text)
                .chars()
                .all(|ch| ch.is_ascii_digit())
                && text.chars().any(|ch| ch.is_ascii_digit());
            if !is_java_int {
                return Err(Fault::Invalid {
                    index: Some(0),
                    message: format!("\"{text}\" is not an Integer"),
                });
            }
            text.parse::<i64>()
                .map_err(|_| out_of_range(format!("\"{text}\"")))?
        }
        other => return Err(not_convertible(&other, Type::Integer)),
    };
    i32::try_from(wide)
        .map(|narrow| Value::Integer(i64::from(narrow)))
        .map_err(|_| out_of_range(wide.to_string()))
}

/// Java's `Double.parseDouble` for strings (surrounding whitespace allowed), a widening for
/// Integers. Infinite and NaN results are refused, since values stay finite.
fn convert_to_num(value: Value) -> Result<Value, Fault> {
    match value {
        Value::Null => Ok(Value::Null),
        Value::Integer(int) => Ok(Value::Number(int as f64)),
        Value::Number(num) => Ok(Value::Number(num)),
        Value::String(text) => {
            let trimmed = text.trim();
            let looks_numeric = trimmed
                .chars()
                .all(|ch| ch.is_ascii_digit() || matches!(ch, '+' | '-' | '.' | 'e' | 'E'));
            match trimmed.parse::<f64>() {
                Ok(num) if looks_numeric && num.is_finite() => Ok(Value::Number(num)),
                _ => Err(Fault::Invalid {
                    index: Some(0),
                    message: format!("\"{text}\" is not a finite Number"),
                }),
            }
        }
        other => Err(not_convertible(&other, Type::Number)),
    }
}

fn not_convertible(value: &Value, target: Type) -> Fault {
    Fault::Invalid {
        index: Some(0),
        message: format!(
            "cannot convert {} to {}",
            value.type_of().with_article(),
            target.with_article()
        ),
    }
}
