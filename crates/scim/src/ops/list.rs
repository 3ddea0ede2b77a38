//! `GET /Users`, `GET /Groups` and `GET /` with `filter`, `sortBy`/`sortOrder`,
//! `startIndex`/`count` and `attributes`/`excludedAttributes` (RFC 7644 §3.4.2).
//!
//! [`run`] is shared with `POST /.search`, which sends the same parameters in a body.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::error::ScimError;
use crate::filter::{self, CompValue, CompareOp, Filter};
use crate::http::Response;
use crate::render::Projection;
use crate::resource::parse_datetime;
use crate::schema::{AttrType, Attribute, KindLookup, Registry, ResourceKind};
use crate::server::Server;

use super::Call;

/// The schema URN of a list response.
pub(crate) use wire::urn::LIST_RESPONSE;

/// A query, whether it came from a URL or a SearchRequest body.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pub filter: Option<String>,
    pub sort_by: Option<String>,
    pub sort_order: Option<String>,
    pub start_index: Option<i64>,
    pub count: Option<i64>,
    pub attributes: Option<String>,
    pub excluded_attributes: Option<String>,
}

/// `GET` on a collection (or the root, with `kind` `None`).
pub(crate) fn list(
    server: &Server,
    call: &Call<'_>,
    kind: Option<ResourceKind>,
) -> Result<Response, ScimError> {
    let number = |name: &str| -> Result<Option<i64>, ScimError> {
        call.param(name)
            .map(|v| {
                v.trim().parse::<i64>().map_err(|_| {
                    ScimError::InvalidValue(format!("{name} must be an integer, not \"{v}\""))
                })
            })
            .transpose()
    };
    let query = Query {
        filter: call.param("filter").map(str::to_string),
        sort_by: call.param("sortBy").map(str::to_string),
        sort_order: call.param("sortOrder").map(str::to_string),
        start_index: number("startIndex")?,
        count: number("count")?,
        attributes: call.param("attributes").map(str::to_string),
        excluded_attributes: call.param("excludedAttributes").map(str::to_string),
    };
    run(server, &call.req.base_url, kind, &query)
}

/// One resource type's share of a query: its lookup and (validated) filter.
struct Scope<'a> {
    kind: ResourceKind,
    lookup: KindLookup<'a>,
}

/// Executes a query and renders the ListResponse.
pub(crate) fn run(
    server: &Server,
    base_url: &str,
    kind: Option<ResourceKind>,
    query: &Query,
) -> Result<Response, ScimError> {
    let registry = &server.registry;
    let kinds: Vec<ResourceKind> = match kind {
        Some(kind) => vec![kind],
        None => ResourceKind::ALL.to_vec(),
    };
    let parsed = match query.filter.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Some(filter::parse(text)?),
        _ => None,
    };
    // Validate the filter per resource type. At the root a filter only needs to make sense for
    // one type (`userName eq "x"` says nothing about groups); those it does not fit are skipped.
    let mut scopes = Vec::with_capacity(kinds.len());
    let mut first_error = None;
    for kind in kinds {
        let lookup = KindLookup { registry, kind };
        if let Some(f) = &parsed {
            if let Err(e) = filter::validate(f, &lookup) {
                first_error.get_or_insert(e.into());
                continue;
            }
            if let Some(name) = never_returned(f, &lookup) {
                first_error.get_or_insert(ScimError::InvalidFilter(format!(
                    "'{name}' is never returned, so it cannot be filtered on either (that \
                     would reveal it one comparison at a time)"
                )));
                continue;
            }
        }
        scopes.push(Scope { kind, lookup });
    }
    if scopes.is_empty() {
        if let Some(e) = first_error {
            return Err(e);
        }
    }

    let descending = match query.sort_order.as_deref().map(str::trim) {
        None | Some("") => false,
        Some(o) if o.eq_ignore_ascii_case("ascending") => false,
        Some(o) if o.eq_ignore_ascii_case("descending") => true,
        Some(o) => {
            return Err(ScimError::InvalidValue(format!(
                "sortOrder must be \"ascending\" or \"descending\", not \"{o}\""
            )))
        }
    };

    let mut hits: Vec<(ResourceKind, &Value)> = Vec::new();
    for scope in &scopes {
        match &parsed {
            None => hits.extend(server.store.iter(scope.kind).map(|(_, v)| (scope.kind, v))),
            Some(f) => match indexed_lookup(server, scope.kind, f) {
                Some(found) => hits.extend(found.map(|v| (scope.kind, v))),
                None => match StringTest::compile(registry, scope.kind, f) {
                    Some(test) => hits.extend(
                        server
                            .store
                            .iter(scope.kind)
                            .filter(|(_, v)| test.matches(v))
                            .map(|(_, v)| (scope.kind, v)),
                    ),
                    None => hits.extend(
                        server
                            .store
                            .iter(scope.kind)
                            .filter(|(_, v)| filter::matches(f, v, &scope.lookup))
                            .map(|(_, v)| (scope.kind, v)),
                    ),
                },
            },
        }
    }

    if let Some(sort_by) = query
        .sort_by
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let targets: Vec<(ResourceKind, Option<SortTarget>)> = scopes
            .iter()
            .map(|s| (s.kind, SortTarget::resolve(registry, s.kind, sort_by)))
            .collect();
        if targets.iter().all(|(_, t)| t.is_none()) {
            return Err(ScimError::InvalidValue(format!(
                "sortBy \"{sort_by}\" is not an attribute of the resources searched"
            )));
        }
        let mut keyed: Vec<(SortKey, (ResourceKind, &Value))> = hits
            .into_iter()
            .map(|(kind, v)| {
                let target = targets
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .and_then(|(_, t)| t.as_ref());
                (target.map_or(SortKey::Missing, |t| t.key(v)), (kind, v))
            })
            .collect();
        // Stable sort: equal keys keep the id order, so paging stays deterministic. Missing
        // values sort last when ascending and first when descending (RFC 7644 §3.4.2.3).
        keyed.sort_by(|(a, _), (b, _)| {
            let ord = a.cmp_values(b);
            if descending {
                ord.reverse()
            } else {
                ord
            }
        });
        hits = keyed.into_iter().map(|(_, hit)| hit).collect();
    }

    let total = hits.len();
    let max = server.settings.limits.max_results;
    // RFC 7644 §3.4.2.4: startIndex < 1 is 1; a negative count is 0; count above the server's
    // maximum is that maximum.
    let start_index = usize::try_from(query.start_index.unwrap_or(1).max(1)).unwrap_or(usize::MAX);
    let count = match query.count {
        None => max,
        Some(c) => usize::try_from(c.max(0)).unwrap_or(usize::MAX).min(max),
    };
    let page: Vec<Value> = hits
        .iter()
        .skip(start_index.saturating_sub(1))
        .take(count)
        .map(|(kind, data)| {
            let projection = Projection::new(
                registry,
                *kind,
                query.attributes.as_deref(),
                query.excluded_attributes.as_deref(),
            );
            server.render(base_url, *kind, data, &projection)
        })
        .collect();

    let mut body = Map::new();
    body.insert(
        "schemas".into(),
        Value::Array(vec![Value::String(LIST_RESPONSE.into())]),
    );
    body.insert("totalResults".into(), Value::from(total));
    body.insert("itemsPerPage".into(), Value::from(page.len()));
    body.insert("startIndex".into(), Value::from(start_index));
    // `count=0` asks only for totalResults (RFC 7644 §3.4.2.4), so no Resources at all then.
    if count > 0 {
        body.insert("Resources".into(), Value::Array(page));
    }
    Ok(Response::json(200, &Value::Object(body)))
}

/// The first attribute in the filter whose `returned` is `never` (such as `password`).
fn never_returned(filter: &Filter, lookup: &KindLookup<'_>) -> Option<String> {
    use crate::filter::{AttrPath, AttributeLookup};
    let check = |attr: &AttrPath| {
        let resolved = lookup.resolve(attr)?;
        let leaf = resolved.sub.unwrap_or(resolved.attribute);
        let hidden = resolved.attribute.returned == crate::schema::Returned::Never
            || leaf.returned == crate::schema::Returned::Never;
        hidden.then(|| attr.to_string())
    };
    match filter {
        Filter::Compare { attr, .. } | Filter::Present { attr } => check(attr),
        Filter::And { operands } | Filter::Or { operands } => {
            operands.iter().find_map(|f| never_returned(f, lookup))
        }
        Filter::Not { filter } => never_returned(filter, lookup),
        Filter::ValuePath { attr, .. } => check(attr),
    }
}

/// Answers `userName eq "…"` and `id eq "…"` from the indexes instead of a scan.
fn indexed_lookup<'s>(
    server: &'s Server,
    kind: ResourceKind,
    filter: &Filter,
) -> Option<impl Iterator<Item = &'s Value>> {
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
    Some(id.and_then(|id| server.store.get(kind, id)).into_iter())
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

/// A resolved `sortBy`.
struct SortTarget<'a> {
    extension: Option<&'a str>,
    attribute: &'a Attribute,
    sub: Option<&'a Attribute>,
}

/// A comparable sort value.
#[derive(Debug, PartialEq)]
enum SortKey {
    Text(String),
    Number(f64),
    Bool(bool),
    Time(i128),
    Missing,
}

impl SortKey {
    /// Orders values of one type; missing values after present ones.
    fn cmp_values(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Missing, SortKey::Missing) => Ordering::Equal,
            (SortKey::Missing, _) => Ordering::Greater,
            (_, SortKey::Missing) => Ordering::Less,
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            (SortKey::Number(a), SortKey::Number(b)) => a.total_cmp(b),
            (SortKey::Bool(a), SortKey::Bool(b)) => a.cmp(b),
            (SortKey::Time(a), SortKey::Time(b)) => a.cmp(b),
            _ => Ordering::Equal,
        }
    }
}

impl<'a> SortTarget<'a> {
    fn resolve(registry: &'a Registry, kind: ResourceKind, text: &str) -> Option<SortTarget<'a>> {
        let path = filter::parse_path(text).ok()?;
        if path.filter.is_some() {
            return None;
        }
        let located = registry.resolve_in(kind, path.urn.as_deref(), &path.attribute)?;
        let sub = match &path.sub_attribute {
            Some(s) => Some(located.attribute.sub_attribute(s)?),
            None => None,
        };
        Some(SortTarget {
            extension: located.extension,
            attribute: located.attribute,
            sub,
        })
    }

    /// The value to sort by: for a multi-valued attribute the primary value, else the first
    /// (RFC 7644 §3.4.2.3); a complex attribute without a sub-attribute sorts by its `value`.
    fn key(&self, resource: &Value) -> SortKey {
        let container = match self.extension {
            Some(urn) => resource.get(urn),
            None => Some(resource),
        };
        let Some(value) = container.and_then(|c| c.get(&self.attribute.name)) else {
            return SortKey::Missing;
        };
        let value = match value {
            Value::Array(items) => items
                .iter()
                .find(|i| i.get("primary") == Some(&Value::Bool(true)))
                .or_else(|| items.first()),
            other => Some(other),
        };
        let (leaf, attr) = match (self.sub, self.attribute.ty) {
            (Some(sub), _) => (value.and_then(|v| v.get(&sub.name)), sub),
            (None, AttrType::Complex) => match self.attribute.sub_attribute("value") {
                Some(sub) => (value.and_then(|v| v.get(&sub.name)), sub),
                None => (None, self.attribute),
            },
            (None, _) => (value, self.attribute),
        };
        let Some(leaf) = leaf else {
            return SortKey::Missing;
        };
        match (attr.ty, leaf) {
            (AttrType::DateTime, Value::String(s)) => {
                parse_datetime(s).map_or(SortKey::Missing, SortKey::Time)
            }
            (_, Value::String(s)) if attr.case_exact => SortKey::Text(s.clone()),
            (_, Value::String(s)) => SortKey::Text(s.to_lowercase()),
            (_, Value::Number(n)) => n.as_f64().map_or(SortKey::Missing, SortKey::Number),
            (_, Value::Bool(b)) => SortKey::Bool(*b),
            _ => SortKey::Missing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
