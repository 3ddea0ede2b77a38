//! Strict checks of a parsed filter or PATCH path against a schema: every attribute exists, and
//! every comparison makes sense for its attribute's type (RFC 7644 §3.4.2.2: `gt`/`ge`/`lt`/`le`
//! on booleans, binary or complex attributes is `invalidFilter`).
//!
//! Evaluation never needs this (an unknown attribute just does not match); the engine calls it to
//! answer HTTP 400 instead of an empty list.

use super::ast::{AttrPath, CompValue, CompareOp, Filter, PatchPath};
use super::compare::parse_datetime;
use super::error::{ErrorKind, FilterError, ScimType};
use super::AttributeLookup;
use crate::schema::{AttrType, Attribute};

/// Checks every attribute and comparison of `filter` against `lookup`.
pub fn validate(filter: &Filter, lookup: &dyn AttributeLookup) -> Result<(), FilterError> {
    // Validation errors have no span, so the error needs no copy of the input.
    check(filter, None, lookup)
        .map_err(|kind| FilterError::new(kind, None, "", ScimType::InvalidFilter))
}

/// Checks that a PATCH path names a known attribute and sub-attribute, and validates its value
/// filter against the attribute's sub-attributes. Unknown attributes are `invalidPath`; problems
/// inside the brackets are `invalidFilter`.
pub fn validate_path(path: &PatchPath, lookup: &dyn AttributeLookup) -> Result<(), FilterError> {
    let fail = |kind, scim_type| FilterError::new(kind, None, "", scim_type);
    let unknown = |shown: String| {
        fail(
            ErrorKind::UnknownAttribute { path: shown },
            ScimType::InvalidPath,
        )
    };
    let Some(filter) = &path.filter else {
        let attr = path.attr_path();
        return match lookup.resolve(&attr) {
            Some(resolved) if attr.sub.is_none() || resolved.sub.is_some() => Ok(()),
            _ => Err(unknown(attr.to_string())),
        };
    };
    let attr = AttrPath {
        urn: path.urn.clone(),
        name: path.attribute.clone(),
        sub: None,
    };
    let resolved = lookup
        .resolve(&attr)
        .ok_or_else(|| unknown(attr.to_string()))?;
    let attribute = resolved.attribute;
    if let Some(sub) = &path.sub_attribute {
        if attribute.sub_attribute(sub).is_none() {
            return Err(unknown(format!("{attr}.{sub}")));
        }
    }
    check_value_path(&attr, attribute, filter, lookup)
        .map_err(|kind| fail(kind, ScimType::InvalidFilter))
}

/// The attribute a value filter is about, for resolving its relative paths.
type Parent<'p, 'l> = Option<(&'p AttrPath, &'l Attribute)>;

fn check(
    filter: &Filter,
    parent: Parent<'_, '_>,
    lookup: &dyn AttributeLookup,
) -> Result<(), ErrorKind> {
    match filter {
        Filter::Compare { attr, op, value } => {
            let (attribute, shown) = resolve(attr, parent, lookup)?;
            check_comparison(attribute, &shown, *op, value)
        }
        Filter::Present { attr } => resolve(attr, parent, lookup).map(|_| ()),
        Filter::And { operands } | Filter::Or { operands } => operands
            .iter()
            .try_for_each(|operand| check(operand, parent, lookup)),
        Filter::Not { filter } => check(filter, parent, lookup),
        Filter::ValuePath { attr, filter } => {
            if parent.is_some() {
                return Err(ErrorKind::NestedValuePath);
            }
            let (attribute, _) = resolve(attr, None, lookup)?;
            check_value_path(attr, attribute, filter, lookup)
        }
    }
}

fn check_value_path(
    attr: &AttrPath,
    attribute: &Attribute,
    filter: &Filter,
    lookup: &dyn AttributeLookup,
) -> Result<(), ErrorKind> {
    if attribute.ty != AttrType::Complex {
        return Err(ErrorKind::UnsupportedComparison {
            path: attr.to_string(),
            op: "[…]".to_owned(),
            reason: "only complex attributes have sub-attributes to filter on".to_owned(),
        });
    }
    check(filter, Some((attr, attribute)), lookup)
}

/// Finds the definition a path names, and the path as messages should show it.
fn resolve<'l>(
    attr: &AttrPath,
    parent: Parent<'_, 'l>,
    lookup: &'l dyn AttributeLookup,
) -> Result<(&'l Attribute, String), ErrorKind> {
    match parent {
        None => {
            let shown = attr.to_string();
            match lookup.resolve(attr) {
                Some(resolved) if attr.sub.is_none() => Ok((resolved.attribute, shown)),
                Some(resolved) => match resolved.sub {
                    Some(sub) => Ok((sub, shown)),
                    None => Err(ErrorKind::UnknownAttribute { path: shown }),
                },
                None => Err(ErrorKind::UnknownAttribute { path: shown }),
            }
        }
        Some((parent_path, parent_attribute)) => {
            let shown = format!("{parent_path}.{attr}");
            if attr.urn.is_some() || attr.sub.is_some() {
                return Err(ErrorKind::UnknownAttribute { path: shown });
            }
            match parent_attribute.sub_attribute(&attr.name) {
                Some(sub) => Ok((sub, shown)),
                None => Err(ErrorKind::UnknownAttribute { path: shown }),
            }
        }
    }
}

fn unsupported(path: &str, op: CompareOp, reason: &str) -> ErrorKind {
    ErrorKind::UnsupportedComparison {
        path: path.to_owned(),
        op: op.to_string(),
        reason: reason.to_owned(),
    }
}

fn mismatch(path: &str, expected: &str, value: &CompValue) -> ErrorKind {
    let found = match value {
        CompValue::String(_) => format!("the string {value}"),
        CompValue::Number(_) => format!("the number {value}"),
        CompValue::Bool(_) | CompValue::Null => value.to_string(),
    };
    ErrorKind::TypeMismatch {
        path: path.to_owned(),
        expected: expected.to_owned(),
        found,
    }
}

fn check_comparison(
    attribute: &Attribute,
    path: &str,
    op: CompareOp,
    value: &CompValue,
) -> Result<(), ErrorKind> {
    if *value == CompValue::Null {
        return match op {
            CompareOp::Eq | CompareOp::Ne => Ok(()),
            _ => Err(unsupported(
                path,
                op,
                "null can only be compared with eq or ne",
            )),
        };
    }
    match (attribute.ty, value) {
        (AttrType::Complex, _) if op.is_ordering() => Err(unsupported(
            path,
            op,
            "a complex attribute has no order; compare one of its sub-attributes",
        )),
        (AttrType::Complex, _) => match attribute.sub_attribute("value") {
            Some(value_attr) if value_attr.ty != AttrType::Complex => {
                check_comparison(value_attr, path, op, value)
            }
            _ => Err(unsupported(
                path,
                op,
                "it is a complex attribute; compare one of its sub-attributes (e.g. name.familyName)",
            )),
        },
        (AttrType::Boolean, CompValue::Bool(_)) => match op {
            CompareOp::Eq | CompareOp::Ne => Ok(()),
            _ => Err(unsupported(path, op, "booleans can only be compared with eq or ne")),
        },
        (AttrType::Boolean, _) => Err(mismatch(path, "a boolean", value)),
        (AttrType::Integer | AttrType::Decimal, CompValue::Number(_)) if op.is_substring() => Err(
            unsupported(path, op, "numbers have no substrings; use eq, ne, gt, ge, lt or le"),
        ),
        (AttrType::Integer | AttrType::Decimal, CompValue::Number(_)) => Ok(()),
        (AttrType::Integer | AttrType::Decimal, _) => Err(mismatch(path, "a number", value)),
        (AttrType::Binary, CompValue::String(_)) if op.is_ordering() => Err(unsupported(
            path,
            op,
            "binary values have no order",
        )),
        (AttrType::DateTime, CompValue::String(text))
            if !op.is_substring() && parse_datetime(text).is_none() =>
        {
            Err(ErrorKind::TypeMismatch {
                path: path.to_owned(),
                expected: "a dateTime".to_owned(),
                found: format!(
                    "the string {value}, which is not an RFC 3339 dateTime like \"2011-05-13T04:42:34Z\""
                ),
            })
        }
        (
            AttrType::String | AttrType::Reference | AttrType::Binary | AttrType::DateTime,
            CompValue::String(_),
        ) => Ok(()),
        (AttrType::DateTime, _) => Err(mismatch(path, "a dateTime", value)),
        (AttrType::String | AttrType::Reference | AttrType::Binary, _) => {
            Err(mismatch(path, "a string", value))
        }
    }
}
