//! Runtime values and their conversions to and from JSON.

use std::fmt;

use serde::Serialize;

/// The value of an expression. The variants mirror the attribute types of Okta's Profile
/// Editor: string, integer, number, boolean and arrays of those.
///
/// Numbers are always finite: every operation that would produce infinity or NaN fails
/// instead, so a value always converts to JSON without loss.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// An attribute that was never set, or the literal `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number (Okta's "integer").
    Integer(i64),
    /// A floating-point number (Okta's "number").
    Number(f64),
    /// Text. The empty string is a value of its own, distinct from null.
    String(String),
    /// An array of values.
    Array(Vec<Value>),
}

/// The type of a value, named as Okta's Profile Editor names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Type {
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A whole number.
    Integer,
    /// A floating-point number.
    Number,
    /// Text.
    String,
    /// An array.
    Array,
    /// Any value at all (used in function signatures).
    Any,
}

impl Type {
    /// The type's name, as error messages print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Type::Null => "Null",
            Type::Boolean => "Boolean",
            Type::Integer => "Integer",
            Type::Number => "Number",
            Type::String => "String",
            Type::Array => "Array",
            Type::Any => "Any",
        }
    }

    /// The name with an indefinite article, for sentences such as "expects an Integer".
    pub fn with_article(self) -> &'static str {
        match self {
            Type::Null => "null",
            Type::Boolean => "a Boolean",
            Type::Integer => "an Integer",
            Type::Number => "a Number",
            Type::String => "a String",
            Type::Array => "an Array",
            Type::Any => "any value",
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Value {
    /// The value's type.
    pub fn type_of(&self) -> Type {
        match self {
            Value::Null => Type::Null,
            Value::Bool(_) => Type::Boolean,
            Value::Integer(_) => Type::Integer,
            Value::Number(_) => Type::Number,
            Value::String(_) => Type::String,
            Value::Array(_) => Type::Array,
        }
    }

    /// The value as JSON. Numbers are finite, so nothing is lost.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(flag) => serde_json::Value::Bool(*flag),
            Value::Integer(int) => serde_json::Value::from(*int),
            Value::Number(num) => serde_json::Number::from_f64(*num)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(text) => serde_json::Value::String(text.clone()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
        }
    }

    /// The value of a JSON document, or `None` when it contains an object: profile attributes
    /// are never objects, and the language has no way to read into one.
    pub fn from_json(json: &serde_json::Value) -> Option<Value> {
        Some(match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(flag) => Value::Bool(*flag),
            serde_json::Value::Number(num) => match num.as_i64() {
                Some(int) => Value::Integer(int),
                None => Value::Number(num.as_f64()?),
            },
            serde_json::Value::String(text) => Value::String(text.clone()),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from_json).collect::<Option<_>>()?)
            }
            serde_json::Value::Object(_) => return None,
        })
    }
}

impl From<Value> for serde_json::Value {
    fn from(value: Value) -> serde_json::Value {
        value.to_json()
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::String(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::String(text)
    }
}

impl From<bool> for Value {
    fn from(flag: bool) -> Value {
        Value::Bool(flag)
    }
}

impl From<i64> for Value {
    fn from(int: i64) -> Value {
        Value::Integer(int)
    }
}

/// Prints the value the way `+` renders it inside a string, which is Java's `toString`: null
/// is `null`, numbers look like `12` or `1.5` or `1.0E10`, arrays like `[a, b]`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(flag) => write!(f, "{flag}"),
            Value::Integer(int) => write!(f, "{int}"),
            Value::Number(num) => f.write_str(&format_number(*num)),
            Value::String(text) => f.write_str(text),
            Value::Array(items) => {
                f.write_str("[")?;
                for (item_idx, item) in items.iter().enumerate() {
                    if item_idx > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Formats a double as Java's `Double.toString` does, since Okta's `+` is Java's: plain
/// notation with at least one fractional digit between 10⁻³ and 10⁷ (`3.0`, `0.001`), otherwise
/// scientific notation with a capital `E` (`1.0E7`, `1.0E-4`). Both use the shortest digits
/// that read back to the same double. The output is also valid number-literal syntax.
pub fn format_number(num: f64) -> String {
    if !num.is_finite() {
        // Values are kept finite; this branch only makes the function total.
        return if num.is_nan() {
            "NaN".to_owned()
        } else if num > 0.0 {
            "Infinity".to_owned()
        } else {
            "-Infinity".to_owned()
        };
    }
    let magnitude = num.abs();
    if magnitude == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let plain = format!("{num}");
        if plain.contains('.') {
            plain
        } else {
            plain + ".0"
        }
    } else {
        let scientific = format!("{num:e}");
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        if mantissa.contains('.') {
            format!("{mantissa}E{exponent}")
        } else {
            format!("{mantissa}.0E{exponent}")
        }
    }
}
