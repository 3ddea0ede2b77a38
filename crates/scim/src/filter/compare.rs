//! How one JSON value compares with one filter literal, under its attribute's rules.
//!
//! The attribute definition decides the meaning: strings fold case unless the attribute is
//! `caseExact` (binary values never fold), dateTimes compare as instants (`…T05:00:00+01:00` equals `…T04:00:00Z`), numbers
//! compare numerically whether written as integers or decimals. A value of the wrong JSON type
//! never matches.

use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::ast::{CompValue, CompareOp};
use crate::schema::{AttrType, Attribute};

/// Whether `actual` satisfies `actual op literal` for attribute `attr`.
///
/// `ne` and `null` are not handled here: they are about the whole set of values of an attribute,
/// so the evaluator derives them from `eq` and presence.
pub(crate) fn compare(
    attr: &Attribute,
    op: CompareOp,
    actual: &Value,
    literal: &CompValue,
) -> bool {
    match literal {
        CompValue::Null => false,
        CompValue::Bool(expected) => {
            attr.ty == AttrType::Boolean
                && op == CompareOp::Eq
                && actual.as_bool() == Some(*expected)
        }
        CompValue::Number(expected) => match (attr.ty, actual) {
            (AttrType::Integer | AttrType::Decimal, Value::Number(actual)) => {
                compare_numbers(actual, expected).is_some_and(|ordering| satisfies(op, ordering))
            }
            _ => false,
        },
        CompValue::String(expected) => {
            let Some(actual) = actual.as_str() else {
                return false;
            };
            match attr.ty {
                AttrType::DateTime if !op.is_substring() => {
                    match (parse_datetime(actual), parse_datetime(expected)) {
                        (Some(actual), Some(expected)) => satisfies(op, actual.cmp(&expected)),
                        // Text that is not a dateTime can still be equal to the same text.
                        _ => op == CompareOp::Eq && actual == expected,
                    }
                }
                AttrType::DateTime => compare_strings(op, actual, expected, true),
                // Base64 text is case-significant whatever the schema says.
                AttrType::Binary if op.is_ordering() => false,
                AttrType::Binary => compare_strings(op, actual, expected, true),
                AttrType::String | AttrType::Reference => {
                    compare_strings(op, actual, expected, attr.case_exact)
                }
                _ => false,
            }
        }
    }
}

/// Whether an ordering between an actual value and a literal satisfies `op`.
fn satisfies(op: CompareOp, ordering: Ordering) -> bool {
    match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

fn compare_strings(op: CompareOp, actual: &str, expected: &str, case_exact: bool) -> bool {
    if case_exact {
        return string_op(op, actual, expected);
    }
    string_op(op, &actual.to_lowercase(), &expected.to_lowercase())
}

fn string_op(op: CompareOp, actual: &str, expected: &str) -> bool {
    match op {
        CompareOp::Co => actual.contains(expected),
        CompareOp::Sw => actual.starts_with(expected),
        CompareOp::Ew => actual.ends_with(expected),
        // RFC 7644 §3.4.2.2: strings order lexicographically.
        _ => satisfies(op, actual.cmp(expected)),
    }
}

/// Compares two JSON numbers exactly when both are integers, as `f64` otherwise.
fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return Some(a.cmp(&b));
    }
    if a.is_f64() || b.is_f64() {
        return a.as_f64()?.partial_cmp(&b.as_f64()?);
    }
    // One is a negative i64 and the other a u64 above i64::MAX.
    Some(if a.as_i64().is_some() {
        Ordering::Less
    } else {
        Ordering::Greater
    })
}

/// Parses an RFC 3339 dateTime. A value without an offset is read as UTC, because
/// `xsd:dateTime` (which RFC 7643 §2.3.5 refers to) allows one and clients do send it.
pub(crate) fn parse_datetime(text: &str) -> Option<i128> {
    crate::datetime::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_across_representations() {
        let n =
            |text: &str| serde_json::from_str::<Number>(text).unwrap_or_else(|_| Number::from(0));
        assert_eq!(compare_numbers(&n("1"), &n("1.0")), Some(Ordering::Equal));
        assert_eq!(
            compare_numbers(&n("-1"), &n("18446744073709551615")),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare_numbers(&n("18446744073709551615"), &n("-1")),
            Some(Ordering::Greater)
        );
        assert_eq!(compare_numbers(&n("2.5"), &n("2")), Some(Ordering::Greater));
    }

    #[test]
    fn datetimes_compare_as_instants() {
        let a = parse_datetime("2024-01-01T05:00:00+01:00");
        let b = parse_datetime("2024-01-01T04:00:00Z");
        assert!(a.is_some());
        assert_eq!(a, b);
        assert_eq!(parse_datetime("2024-01-01T04:00:00"), b);
        assert_eq!(parse_datetime("yesterday"), None);
    }
}
