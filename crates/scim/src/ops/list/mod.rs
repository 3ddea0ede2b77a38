//! `GET /Users`, `GET /Groups` and `GET /` with `filter`, `sortBy`/`sortOrder`,
//! `startIndex`/`count`, `cursor` (RFC 9865) and `attributes`/`excludedAttributes`
//! (RFC 7644 §3.4.2).
//!
//! [`run`] is shared with `POST /.search`, which sends the same parameters in a body. The work
//! is split by step: `scan.rs` selects, `sort.rs` orders, `cursor.rs` cuts cursor pages.

pub(crate) mod cursor;
mod scan;
mod sort;

use serde_json::{Map, Value};

use crate::error::ScimError;
use crate::filter::{self, ErrorKind, Filter, FilterError, ScimType};
use crate::http::Response;
use crate::render::Projection;
use crate::schema::{KindLookup, QueryLookup, ResourceKind};
use crate::server::Server;

use super::Call;
use cursor::{Cursor, Paging};
use sort::{Entry, Order, SortKey, SortTarget};

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
    /// RFC 9865's `cursor`: `Some("")` asks for the first page of a cursor-paginated list.
    pub cursor: Option<String>,
}

/// `GET` on a collection (or the root, with `kind` `None`).
pub(crate) fn list(
    server: &Server,
    call: &Call<'_>,
    kind: Option<ResourceKind>,
    now_ms: i64,
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
        cursor: call.param("cursor").map(str::to_string),
    };
    run(server, &call.req.base_url, kind, &query, now_ms)
}

/// Executes a query and renders the ListResponse.
pub(crate) fn run(
    server: &Server,
    base_url: &str,
    kind: Option<ResourceKind>,
    query: &Query,
    now_ms: i64,
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
        let lookup = QueryLookup(KindLookup { registry, kind });
        if let (Some(f), Some(text)) = (&parsed, &query.filter) {
            let checked =
                filter::validate(f, &lookup).and_then(|()| match never_returned(f, &lookup) {
                    None => Ok(()),
                    Some(path) => Err(FilterError::new(
                        ErrorKind::NotFilterable {
                            path,
                            reason: "it is never returned, so a filter on it would reveal it one \
                                 comparison at a time"
                                .into(),
                        },
                        None,
                        "",
                        ScimType::InvalidFilter,
                    )),
                });
            if let Err(e) = checked {
                first_error.get_or_insert(e.located_in(text).into());
                continue;
            }
        }
        scopes.push((kind, lookup));
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
    let sort_by = query
        .sort_by
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let targets: Vec<Option<SortTarget>> = scopes
        .iter()
        .map(|(kind, _)| sort_by.and_then(|s| SortTarget::resolve(registry, *kind, s)))
        .collect();
    if let Some(sort_by) = sort_by {
        if targets.iter().all(Option::is_none) {
            return Err(ScimError::InvalidValue(format!(
                "sortBy \"{sort_by}\" is not an attribute of the resources searched"
            )));
        }
    }

    let ctx = server.render_ctx(base_url);
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for ((kind, lookup), target) in scopes.iter().zip(&targets) {
        let computed = target.as_ref().is_some_and(|t| t.is_computed(*kind));
        let found = scan::matching(server, &ctx, *kind, parsed.as_ref(), lookup);
        entries.extend(found.into_iter().map(|(id, data)| Entry {
            key: match target {
                Some(t) if computed => t.key(&ctx.with_computed(*kind, data)),
                Some(t) => t.key(data),
                None => SortKey::Missing,
            },
            kind: *kind,
            id,
            data,
        }));
    }
    let order = Order { descending };
    if sort_by.is_some() {
        // The scan yields each type's entries in id order, types in rank order: a stable sort
        // by key alone completes the order.
        entries.sort_by(|a, b| order.by_key(&a.key, &b.key));
    }

    let total = entries.len();
    let max = server.settings.limits.max_results;
    // RFC 7644 §3.4.2.4: a negative count is 0; count above the server's maximum is that maximum.
    let count = query
        .count
        .map(|c| usize::try_from(c.max(0)).unwrap_or(usize::MAX).min(max));
    let mut body = Map::new();
    body.insert(
        "schemas".into(),
        Value::Array(vec![Value::String(LIST_RESPONSE.into())]),
    );
    body.insert("totalResults".into(), Value::from(total));
    let (range, count) = match &query.cursor {
        None => {
            // RFC 7644 §3.4.2.4: startIndex < 1 is 1.
            let start =
                usize::try_from(query.start_index.unwrap_or(1).max(1)).unwrap_or(usize::MAX);
            let count = count.unwrap_or(max);
            let from = start.saturating_sub(1).min(total);
            body.insert("startIndex".into(), Value::from(start));
            (from..from.saturating_add(count).min(total), count)
        }
        Some(text) => {
            if query.start_index.is_some() {
                return Err(ScimError::InvalidValue(
                    "cursor and startIndex cannot be used together: page with one or the other \
                     (RFC 9865)"
                        .into(),
                ));
            }
            let kinds: Vec<&str> = scopes.iter().map(|(k, _)| k.name()).collect();
            let canonical = parsed.as_ref().map(Filter::to_string).unwrap_or_default();
            let sort = sort_by.unwrap_or_default().to_ascii_lowercase();
            let direction = if descending { "d" } else { "a" };
            let fingerprint =
                cursor::fingerprint(&[&kinds.join(","), &canonical, &sort, direction]);
            let limits = &server.settings.limits;
            let from = match text.trim() {
                "" => None,
                text => Some(Cursor::decode(
                    text,
                    fingerprint,
                    now_ms,
                    limits.cursor_timeout_seconds,
                )?),
            };
            let count = match (count, &from) {
                (Some(asked), Some(c)) if asked != c.count => {
                    return Err(ScimError::InvalidCount(format!(
                        "count is {asked} but this cursor was issued for pages of {}: keep the \
                         count from page to page, or start again with cursor and no value",
                        c.count
                    )))
                }
                (Some(asked), _) => asked,
                (None, Some(c)) => c.count,
                (None, None) => max,
            };
            let page = Paging {
                order,
                from: from.as_ref(),
                count,
                query: fingerprint,
                now_ms,
            }
            .cut(&entries);
            if let Some(previous) = page.previous {
                body.insert("previousCursor".into(), Value::String(previous));
            }
            if let Some(next) = page.next {
                body.insert("nextCursor".into(), Value::String(next));
            }
            (page.range, count)
        }
    };
    let page: Vec<Value> = entries[range]
        .iter()
        .map(|entry| {
            let projection = Projection::new(
                registry,
                entry.kind,
                query.attributes.as_deref(),
                query.excluded_attributes.as_deref(),
            );
            server.render(base_url, entry.kind, entry.data, &projection)
        })
        .collect();
    body.insert("itemsPerPage".into(), Value::from(page.len()));
    // `count=0` asks only for totalResults (RFC 7644 §3.4.2.4), so no Resources at all then.
    if count > 0 {
        body.insert("Resources".into(), Value::Array(page));
    }
    Ok(Response::json(200, &Value::Object(body)))
}

/// The first attribute in the filter whose `returned` is `never` (such as `password`).
fn never_returned(filter: &Filter, lookup: &QueryLookup<'_>) -> Option<String> {
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
