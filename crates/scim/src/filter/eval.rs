//! Evaluating a filter against one resource, or one element of a multi-valued attribute.

use serde_json::Value;

use super::ast::{AttrPath, CompValue, CompareOp, Filter, PatchPath};
use super::compare::compare;
use super::AttributeLookup;
use crate::schema::{AttrType, Attribute};

/// Where attribute paths are resolved.
#[derive(Clone, Copy)]
pub(crate) enum Scope<'l, 'v> {
    /// Paths name attributes of this resource.
    Resource(&'v Value),
    /// Inside `attr[…]`: paths name sub-attributes of `parent`, read from `element`.
    Element {
        parent: &'l Attribute,
        element: &'v Value,
    },
}

/// Whether `filter` matches `resource`.
///
/// Rules beyond RFC 7644 §3.4.2.2's wording, chosen so that the operators stay consistent:
///
/// - An attribute with several values (a multi-valued attribute, or `emails.value`) matches when
///   ANY value matches.
/// - `pr` is true when some value is not `null`, `""`, `[]` or `{}`; `eq null` is its negation
///   and `ne null` its synonym.
/// - `ne x` is `not (eq x)`: it matches when no value equals `x`, including when there is none.
/// - Strings fold case unless the attribute is `caseExact`; dateTimes compare as instants;
///   integers and decimals compare numerically; a value of the wrong JSON type never matches.
/// - A complex attribute compared without a sub-attribute (`emails co "example.com"`) compares
///   its `value` sub-attribute, as in RFC 7644's own examples.
/// - An attribute the lookup does not know never matches (even `eq null`); [`validate`] is the
///   strict check that rejects it.
///
/// [`validate`]: super::validate
pub fn matches(filter: &Filter, resource: &Value, lookup: &dyn AttributeLookup) -> bool {
    eval(filter, Scope::Resource(resource), lookup)
}

/// Whether one element of the multi-valued attribute a PATCH path targets satisfies the path's
/// value filter (`members[value eq "2819c223"]`); always true for a path without a filter.
pub fn element_matches(path: &PatchPath, element: &Value, lookup: &dyn AttributeLookup) -> bool {
    let Some(filter) = &path.filter else {
        return true;
    };
    let attr = AttrPath {
        urn: path.urn.clone(),
        name: path.attribute.clone(),
        sub: None,
    };
    let Some(resolved) = lookup.resolve(&attr) else {
        return false;
    };
    eval(
        filter,
        Scope::Element {
            parent: resolved.attribute,
            element,
        },
        lookup,
    )
}

pub(crate) fn eval<'l>(
    filter: &Filter,
    scope: Scope<'l, '_>,
    lookup: &'l dyn AttributeLookup,
) -> bool {
    match filter {
        Filter::Compare { attr, op, value } => {
            attribute_expression(attr, Some((*op, value)), scope, lookup).matched
        }
        Filter::Present { attr } => attribute_expression(attr, None, scope, lookup).matched,
        Filter::And { operands } => operands.iter().all(|f| eval(f, scope, lookup)),
        Filter::Or { operands } => operands.iter().any(|f| eval(f, scope, lookup)),
        Filter::Not { filter } => !eval(filter, scope, lookup),
        Filter::ValuePath { attr, filter } => {
            let Some(found) = locate(attr, scope, lookup) else {
                return false;
            };
            found.values.into_iter().any(|element| {
                let scope = Scope::Element {
                    parent: found.attribute,
                    element,
                };
                eval(filter, scope, lookup)
            })
        }
    }
}

/// The attribute a path resolved to and the values found there.
pub(crate) struct Found<'l, 'v> {
    /// The definition of the last segment (the sub-attribute when there is one).
    pub attribute: &'l Attribute,
    /// Every non-null value, with arrays flattened.
    pub values: Vec<&'v Value>,
}

/// Resolves a path in a scope; `None` when the lookup does not know the attribute.
pub(crate) fn locate<'l, 'v>(
    path: &AttrPath,
    scope: Scope<'l, 'v>,
    lookup: &'l dyn AttributeLookup,
) -> Option<Found<'l, 'v>> {
    match scope {
        Scope::Resource(resource) => {
            let resolved = lookup.resolve(path)?;
            if path.sub.is_some() && resolved.sub.is_none() {
                return None;
            }
            let base = match resolved.extension {
                Some(urn) => get_ci(resource, urn),
                None => Some(resource),
            };
            let value = base.and_then(|base| get_ci(base, &resolved.attribute.name));
            let mut values = Vec::new();
            match resolved.sub {
                Some(sub) => {
                    for element in flatten(value) {
                        values.extend(flatten(get_ci(element, &sub.name)));
                    }
                }
                None => values.extend(flatten(value)),
            }
            Some(Found {
                attribute: resolved.sub.unwrap_or(resolved.attribute),
                values,
            })
        }
        Scope::Element { parent, element } => {
            if path.urn.is_some() || path.sub.is_some() {
                return None;
            }
            let attribute = parent.sub_attribute(&path.name)?;
            Some(Found {
                attribute,
                values: flatten(get_ci(element, &attribute.name)).collect(),
            })
        }
    }
}

/// The result of a comparison or `pr`, with what the explanation shows.
pub(crate) struct Outcome<'l, 'v> {
    pub matched: bool,
    /// `None` when the attribute is unknown.
    pub found: Option<Found<'l, 'v>>,
    /// Whether a complex attribute was compared through its `value` sub-attribute.
    pub via_value: bool,
}

/// Evaluates `attr pr` (`comparison` is `None`) or `attr op value`.
pub(crate) fn attribute_expression<'l, 'v>(
    attr: &AttrPath,
    comparison: Option<(CompareOp, &CompValue)>,
    scope: Scope<'l, 'v>,
    lookup: &'l dyn AttributeLookup,
) -> Outcome<'l, 'v> {
    let Some(mut found) = locate(attr, scope, lookup) else {
        return Outcome {
            matched: false,
            found: None,
            via_value: false,
        };
    };
    let present = found.values.iter().any(|v| is_non_empty(v));
    let mut via_value = false;
    let matched = match comparison {
        None | Some((CompareOp::Ne, CompValue::Null)) => present,
        Some((CompareOp::Eq, CompValue::Null)) => !present,
        Some((op, literal)) => {
            if found.attribute.ty == AttrType::Complex && !op.is_ordering() {
                if let Some(value_attr) = found.attribute.sub_attribute("value") {
                    let values = found
                        .values
                        .iter()
                        .flat_map(|element| flatten(get_ci(element, &value_attr.name)))
                        .collect();
                    found = Found {
                        attribute: value_attr,
                        values,
                    };
                    via_value = true;
                }
            }
            let any_equal = |op| {
                found
                    .values
                    .iter()
                    .any(|v| compare(found.attribute, op, v, literal))
            };
            match op {
                CompareOp::Ne => !any_equal(CompareOp::Eq),
                op => any_equal(op),
            }
        }
    };
    Outcome {
        matched,
        found: Some(found),
        via_value,
    }
}

/// Looks up an object member by name, ignoring case as SCIM names require (RFC 7643 §2.1).
pub(crate) fn get_ci<'v>(object: &'v Value, key: &str) -> Option<&'v Value> {
    let object = object.as_object()?;
    object.get(key).or_else(|| {
        object
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .map(|(_, value)| value)
    })
}

/// The values of an attribute: nothing for absent or null, the elements of an array (without
/// nulls), or the value itself.
fn flatten(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    let items: &[Value] = match value {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => items,
        Some(single) => std::slice::from_ref(single),
    };
    items.iter().filter(|v| !v.is_null())
}

/// Whether a value counts as present for `pr` (RFC 7644: "a non-empty value, or … a non-empty
/// node for complex attributes").
fn is_non_empty(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => items.iter().any(is_non_empty),
        Value::Object(members) => members.values().any(is_non_empty),
        Value::Bool(_) | Value::Number(_) => true,
    }
}
