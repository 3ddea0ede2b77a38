//! Why a filter did or did not match a resource: the result of every node of the tree, with the
//! values each attribute expression saw. The Explain panel renders this as a tree.

use serde_json::Value;

use super::ast::{CompValue, CompareOp, Filter};
use super::eval::{attribute_expression, locate, Outcome, Scope};
use super::AttributeLookup;
use crate::schema::AttrType;

// The node type is the Explain panel's (`protocol::explain`), so the page reads what this builds.
pub use protocol::explain::Explanation;

/// Explains how `filter` evaluates against `resource`; the root's `matched` always equals
/// [`matches()`](super::matches()).
pub fn explain(filter: &Filter, resource: &Value, lookup: &dyn AttributeLookup) -> Explanation {
    explain_in(filter, Scope::Resource(resource), lookup)
}

fn node(filter: &Filter, matched: bool, children: Vec<Explanation>) -> Explanation {
    Explanation {
        filter: filter.to_string(),
        matched,
        values: Vec::new(),
        notes: Vec::new(),
        children,
    }
}

fn explain_in<'l>(
    filter: &Filter,
    scope: Scope<'l, '_>,
    lookup: &'l dyn AttributeLookup,
) -> Explanation {
    match filter {
        Filter::Compare { attr, op, value } => {
            let outcome = attribute_expression(attr, Some((*op, value)), scope, lookup);
            leaf(filter, &outcome, Some((*op, value)))
        }
        Filter::Present { attr } => {
            let outcome = attribute_expression(attr, None, scope, lookup);
            leaf(filter, &outcome, None)
        }
        Filter::And { operands } => {
            let children: Vec<_> = operands
                .iter()
                .map(|f| explain_in(f, scope, lookup))
                .collect();
            node(filter, children.iter().all(|c| c.matched), children)
        }
        Filter::Or { operands } => {
            let children: Vec<_> = operands
                .iter()
                .map(|f| explain_in(f, scope, lookup))
                .collect();
            node(filter, children.iter().any(|c| c.matched), children)
        }
        Filter::Not { filter: inner } => {
            let child = explain_in(inner, scope, lookup);
            node(filter, !child.matched, vec![child])
        }
        Filter::ValuePath {
            attr,
            filter: inner,
        } => {
            let Some(found) = locate(attr, scope, lookup) else {
                let mut unknown = node(filter, false, Vec::new());
                unknown.notes.push(UNKNOWN.into());
                return unknown;
            };
            let children: Vec<_> = found
                .values
                .iter()
                .enumerate()
                .map(|(element_idx, element)| {
                    let scope = Scope::Element {
                        parent: found.attribute,
                        element,
                    };
                    let child = explain_in(inner, scope, lookup);
                    Explanation {
                        filter: format!("{attr}[{element_idx}]"),
                        matched: child.matched,
                        values: vec![(*element).clone()],
                        notes: Vec::new(),
                        children: vec![child],
                    }
                })
                .collect();
            let mut explanation = node(filter, children.iter().any(|c| c.matched), children);
            if explanation.children.is_empty() {
                explanation
                    .notes
                    .push("the attribute has no values to filter".into());
            }
            explanation
        }
    }
}

const UNKNOWN: &str = "unknown attribute: it never matches";

fn leaf(
    filter: &Filter,
    outcome: &Outcome,
    comparison: Option<(CompareOp, &CompValue)>,
) -> Explanation {
    let mut explanation = node(filter, outcome.matched, Vec::new());
    let Some(found) = &outcome.found else {
        explanation.notes.push(UNKNOWN.into());
        return explanation;
    };
    explanation.values = found.values.iter().map(|v| (*v).clone()).collect();
    let notes = &mut explanation.notes;
    if outcome.via_value {
        notes.push("a complex attribute compares its \"value\" sub-attribute".into());
    }
    if found.values.len() > 1 {
        notes.push("several values: matches if any value matches".into());
    }
    match comparison {
        None => notes.push("pr: present means not null, \"\", [] or {}".into()),
        Some((_, CompValue::Null)) => notes.push("null: compared with being absent".into()),
        Some((CompareOp::Ne, _)) => notes.push("ne: matches when no value is equal".into()),
        Some(_) => {}
    }
    if let Some((op, CompValue::String(_))) = comparison {
        match found.attribute.ty {
            AttrType::DateTime if !op.is_substring() => {
                notes.push("dateTime: compared as instants".into())
            }
            AttrType::String | AttrType::Reference if !found.attribute.case_exact => {
                notes.push("caseExact is false: case is ignored".into())
            }
            AttrType::String | AttrType::Reference => {
                notes.push("caseExact is true: case matters".into())
            }
            _ => {}
        }
    }
    explanation
}
