//! Which resources a filter selects, with the shortcuts that keep the common filters fast.
//!
//! The general path evaluates the filter on each stored resource. Attributes the server computes
//! when it renders a resource (`User.groups`, `meta.location`, `Group.members.$ref`) are not in
//! the stored JSON, so a filter that names one is evaluated on the resource with those values
//! added ([`RenderCtx::with_computed`]), and `groups.value eq "<group id>"`, the usual way to
//! list a group's members from the user side, is answered from the group's member list.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::filter::{self, AttributeLookup, CompValue, CompareOp, Filter};
use crate::render::RenderCtx;
use crate::schema::{AttrType, Attribute, QueryLookup, Registry, ResourceKind};
use crate::server::Server;

/// Every resource of `kind` that `filter` selects (all of them without one), in id order.
pub(super) fn matching<'s>(
    server: &'s Server,
    ctx: &RenderCtx<'_>,
    kind: ResourceKind,
    filter: Option<&Filter>,
    lookup: &QueryLookup<'_>,
) -> Vec<(&'s str, &'s Value)> {
    let all = || server.store.iter(kind).map(|(id, v)| (id.as_str(), v));
    let Some(f) = filter else {
        return all().collect();
    };
    if let Some(found) = indexed_lookup(server, kind, f) {
        return found.into_iter().collect();
    }
    if let Some(members) = members_of_groups(server, kind, f) {
        return members;
    }
    if uses_computed(f, kind, lookup) {
        return all()
            .filter(|(_, v)| filter::matches(f, &ctx.with_computed(kind, v), lookup))
            .collect();
    }
    match StringTest::compile(&server.registry, kind, f) {
        Some(test) => all().filter(|(_, v)| test.matches(v)).collect(),
        None => all()
            .filter(|(_, v)| filter::matches(f, v, lookup))
            .collect(),
    }
}

/// Whether an attribute's value is computed at render time rather than stored.
pub(super) fn computed(kind: ResourceKind, extension: bool, name: &str, sub: Option<&str>) -> bool {
    if extension {
        return false;
    }
    let sub_is = |want: &str| sub.is_none_or(|s| s.eq_ignore_ascii_case(want));
    (kind == ResourceKind::User && name.eq_ignore_ascii_case("groups"))
        || (name.eq_ignore_ascii_case("meta") && sub_is("location"))
        || (kind == ResourceKind::Group && name.eq_ignore_ascii_case("members") && sub_is("$ref"))
}

/// Whether any attribute the filter names is computed.
fn uses_computed(filter: &Filter, kind: ResourceKind, lookup: &QueryLookup<'_>) -> bool {
    let names = |attr: &filter::AttrPath, sub: Option<&str>| {
        let extension = lookup.resolve(attr).is_some_and(|r| r.extension.is_some());
        computed(kind, extension, &attr.name, sub)
    };
    match filter {
        Filter::Compare { attr, .. } | Filter::Present { attr } => names(attr, attr.sub.as_deref()),
        Filter::ValuePath { attr, .. } => names(attr, None),
        Filter::And { operands } | Filter::Or { operands } => {
            operands.iter().any(|f| uses_computed(f, kind, lookup))
        }
        Filter::Not { filter } => uses_computed(filter, kind, lookup),
    }
}

/// Answers `groups.value eq "<id>"` (also written `groups eq "<id>"` or
/// `groups[value eq "<id>"]`) from the members of the groups with that id, which is what the
/// computed `User.groups` is made of. `groups.value` is not `caseExact` (RFC 7643 §8.7.1), so
/// group ids are matched ignoring ASCII case; a non-ASCII id takes the general path.
fn members_of_groups<'s>(
    server: &'s Server,
    kind: ResourceKind,
    filter: &Filter,
) -> Option<Vec<(&'s str, &'s Value)>> {
    if kind != ResourceKind::User {
        return None;
    }
    let (attr, sub, inner) = match filter {
        Filter::Compare { attr, op, value } => (attr, attr.sub.as_deref(), (op, value)),
        Filter::ValuePath { attr, filter } => match filter.as_ref() {
            Filter::Compare { attr: a, op, value } if a.urn.is_none() && a.sub.is_none() => {
                (attr, Some(a.name.as_str()), (op, value))
            }
            _ => return None,
        },
        _ => return None,
    };
    let (CompareOp::Eq, CompValue::String(wanted)) = inner else {
        return None;
    };
    let core = attr
        .urn
        .as_deref()
        .is_none_or(|u| u.eq_ignore_ascii_case(kind.core_schema()));
    let on_value = sub.is_none_or(|s| s.eq_ignore_ascii_case("value"));
    if !core || !on_value || !attr.name.eq_ignore_ascii_case("groups") || !wanted.is_ascii() {
        return None;
    }
    if matches!(filter, Filter::ValuePath { attr, .. } if attr.sub.is_some()) {
        return None;
    }
    // A `BTreeSet<String>`, like the store's membership index, keeps the ids in list order
    // without compiling another set or sort into the worker.
    let mut users = BTreeSet::new();
    for (gid, group) in server.store.iter(ResourceKind::Group) {
        if gid.eq_ignore_ascii_case(wanted) {
            users.extend(crate::store::member_ids(group).map(str::to_string));
        }
    }
    Some(
        users
            .iter()
            .filter_map(|id| server.store.get_entry(ResourceKind::User, id))
            .collect(),
    )
}

/// Answers `userName eq "…"` and `id eq "…"` from the indexes instead of a scan.
fn indexed_lookup<'s>(
    server: &'s Server,
    kind: ResourceKind,
    filter: &Filter,
) -> Option<Option<(&'s str, &'s Value)>> {
    let Filter::Compare {
        attr,
        op: CompareOp::Eq,
        value: CompValue::String(wanted),
    } = filter
    else {
        return None;
    };
    let core_urn = attr
        .urn
        .as_deref()
        .is_none_or(|u| u.eq_ignore_ascii_case(kind.core_schema()));
    if attr.sub.is_some() || !core_urn {
        return None;
    }
    let id = if attr.name.eq_ignore_ascii_case("id") {
        Some(wanted.as_str())
    } else if kind == ResourceKind::User && attr.name.eq_ignore_ascii_case("userName") {
        server.store.user_id_by_name(wanted)
    } else {
        return None;
    };
    Some(id.and_then(|id| server.store.get_entry(kind, id)))
}

/// A single string comparison (`emails.value co "@corp"`, `displayName sw "A"`) compiled for
/// the list scan: the attribute is resolved and the literal lower-cased once, and ASCII values
/// are compared without allocating. It gives exactly the answers of [`filter::matches`] (a unit
/// test checks that) and exists because the scan is the hot path of a `co` search.
struct StringTest<'a> {
    extension: Option<&'a str>,
    attribute: &'a Attribute,
    sub: Option<&'a Attribute>,
    op: CompareOp,
    needle: String,
    case_exact: bool,
}

impl<'a> StringTest<'a> {
    fn compile(
        registry: &'a Registry,
        kind: ResourceKind,
        filter: &Filter,
    ) -> Option<StringTest<'a>> {
        let Filter::Compare {
            attr,
            op,
            value: CompValue::String(literal),
        } = filter
        else {
            return None;
        };
        if !matches!(
            op,
            CompareOp::Eq | CompareOp::Co | CompareOp::Sw | CompareOp::Ew
        ) {
            return None;
        }
        let located = registry.resolve_in(kind, attr.urn.as_deref(), &attr.name)?;
        let sub = match &attr.sub {
            Some(s) => Some(located.attribute.sub_attribute(s)?),
            None => None,
        };
        let leaf = sub.unwrap_or(located.attribute);
        // Only plain string leaves; complex-without-sub, references and binary keep the general
        // evaluator's rules. A non-ASCII literal would need Unicode case folding on both sides.
        if leaf.ty != AttrType::String || !leaf.sub_attributes.is_empty() || !literal.is_ascii() {
            return None;
        }
        Some(StringTest {
            extension: located.extension,
            attribute: located.attribute,
            sub,
            op: *op,
            needle: if leaf.case_exact {
                literal.clone()
            } else {
                literal.to_ascii_lowercase()
            },
            case_exact: leaf.case_exact,
        })
    }

    fn matches(&self, resource: &Value) -> bool {
        let container = match self.extension {
            Some(urn) => resource.get(urn),
            None => Some(resource),
        };
        let Some(value) = container.and_then(|c| c.get(&self.attribute.name)) else {
            return false;
        };
        let leaf = |v: &Value| -> bool {
            let v = match self.sub {
                Some(sub) => v.get(&sub.name),
                None => Some(v),
            };
            v.and_then(Value::as_str).is_some_and(|s| self.test(s))
        };
        match value {
            Value::Array(items) => items.iter().any(leaf),
            other => leaf(other),
        }
    }

    fn test(&self, haystack: &str) -> bool {
        let needle = self.needle.as_bytes();
        if self.case_exact {
            return string_op(self.op, haystack.as_bytes(), needle, <[u8]>::eq);
        }
        if haystack.is_ascii() {
            return string_op(
                self.op,
                haystack.as_bytes(),
                needle,
                <[u8]>::eq_ignore_ascii_case,
            );
        }
        let folded = haystack.to_lowercase();
        string_op(self.op, folded.as_bytes(), needle, <[u8]>::eq)
    }
}

fn string_op(op: CompareOp, hay: &[u8], needle: &[u8], eq: fn(&[u8], &[u8]) -> bool) -> bool {
    let n = needle.len();
    match op {
        CompareOp::Eq => hay.len() == n && eq(hay, needle),
        CompareOp::Sw => hay.get(..n).is_some_and(|h| eq(h, needle)),
        CompareOp::Ew => hay.len() >= n && hay.get(hay.len() - n..).is_some_and(|h| eq(h, needle)),
        CompareOp::Co => n == 0 || hay.windows(n).any(|w| eq(w, needle)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::KindLookup;
    use serde_json::json;

    /// The compiled string test must agree with the general evaluator on every input.
    #[test]
    fn string_fast_path_agrees_with_the_evaluator() {
        let registry = Registry::core();
        let lookup = KindLookup {
            registry: &registry,
            kind: ResourceKind::User,
        };
        let users = [
            json!({"userName": "Bjensen@Example.com", "displayName": "Babs", "externalId": "AbC",
                   "emails": [{"value": "b@Corp7.example", "type": "work"}, {"value": "x@home"}],
                   "name": {"givenName": "İlke"},
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "R&D"}}),
            json!({"userName": "ÄSTRÖM", "emails": [], "name": {}}),
            json!({"userName": "x"}),
        ];
        let filters = [
            "userName eq \"bjensen@example.com\"",
            "userName sw \"BJ\"",
            "userName ew \".COM\"",
            "userName co \"\"",
            "emails.value co \"@corp7.\"",
            "emails.value ew \"HOME\"",
            "emails.type eq \"WORK\"",
            "externalId eq \"abc\"",
            "externalId eq \"AbC\"",
            "name.givenName sw \"i\"",
            "name.givenName co \"lke\"",
            "userName co \"ström\"",
            "userName eq \"äström\"",
            "displayName co \"ABS\"",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"r&d\"",
        ];
        for text in filters {
            let f = filter::parse(text).unwrap();
            let compiled = StringTest::compile(&registry, ResourceKind::User, &f);
            for user in &users {
                let expected = filter::matches(&f, user, &lookup);
                if let Some(test) = &compiled {
                    assert_eq!(test.matches(user), expected, "{text} on {user}");
                }
            }
        }
    }
}
