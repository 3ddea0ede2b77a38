//! Routing, and one module per SCIM operation (RFC 7644 §3).
//!
//! Each operation takes the [`Server`], the parsed [`Call`], the injected [`Env`] and the list
//! of [`Change`]s it appends to; it returns a response or a [`ScimError`].

mod bulk;
mod create;
mod delete;
mod discovery;
mod get;
pub(crate) mod list;
mod patch;
mod replace;
mod search;

use serde_json::{Map, Value};

use crate::error::ScimError;
use crate::http::{parse_query, percent_decode, Env, Request, Response};
use crate::render::Projection;
use crate::schema::ResourceKind;
use crate::server::Server;
use crate::store::Change;

/// A request with its query decoded.
pub(crate) struct Call<'r> {
    pub req: &'r Request,
    query: Vec<(String, String)>,
    method: String,
}

impl<'r> Call<'r> {
    /// Decodes the query and checks the request's media type.
    pub(crate) fn new(req: &'r Request) -> Result<Self, ScimError> {
        let method = req.method.trim().to_ascii_uppercase();
        if matches!(method.as_str(), "POST" | "PUT" | "PATCH") && !req.body.is_empty() {
            if let Some(content_type) = req.header("Content-Type") {
                let media = content_type.split(';').next().unwrap_or("").trim();
                let json = media.eq_ignore_ascii_case("application/scim+json")
                    || media.eq_ignore_ascii_case("application/json");
                if !json {
                    return Err(ScimError::UnsupportedMediaType(format!(
                        "the body is '{media}'; send application/scim+json or application/json"
                    )));
                }
            }
        }
        Ok(Call {
            req,
            query: parse_query(&req.query),
            method,
        })
    }

    /// A query parameter by name; SCIM's parameter names are matched case-insensitively.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub(crate) fn json(&self) -> Result<Value, ScimError> {
        parse_json(&self.req.body)
    }

    /// The projection requested with `attributes`/`excludedAttributes`.
    pub(crate) fn projection(&self, server: &Server, kind: ResourceKind) -> Projection {
        Projection::new(
            &server.registry,
            kind,
            self.param("attributes"),
            self.param("excludedAttributes"),
        )
    }
}

/// Parses a request body, with errors that say where the JSON broke.
pub(crate) fn parse_json(body: &[u8]) -> Result<Value, ScimError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ScimError::InvalidSyntax("the request body is empty".into()));
    }
    serde_json::from_slice(body)
        .map_err(|e| ScimError::InvalidSyntax(format!("the request body is not valid JSON: {e}")))
}

/// Where a path leads.
#[derive(Debug, PartialEq, Eq)]
enum Route {
    Root,
    RootSearch,
    Collection(ResourceKind),
    CollectionSearch(ResourceKind),
    Resource(ResourceKind, String),
    Bulk,
    ServiceProviderConfig,
    ResourceTypes(Option<String>),
    Schemas(Option<String>),
    Me,
}

fn parse_route(path: &str) -> Result<Route, ScimError> {
    let trimmed = path.trim_matches('/');
    let segments: Vec<String> = if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed
            .split('/')
            .map(|s| percent_decode(s, false))
            .collect()
    };
    let kind_of = |s: &str| {
        ResourceKind::ALL
            .into_iter()
            .find(|k| k.endpoint()[1..].eq_ignore_ascii_case(s))
    };
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let route = match segs.as_slice() {
        [] => Route::Root,
        [".search"] => Route::RootSearch,
        [s] if s.eq_ignore_ascii_case("Bulk") => Route::Bulk,
        [s] if s.eq_ignore_ascii_case("ServiceProviderConfig") => Route::ServiceProviderConfig,
        [s] if s.eq_ignore_ascii_case("ResourceTypes") => Route::ResourceTypes(None),
        [s, name] if s.eq_ignore_ascii_case("ResourceTypes") => {
            Route::ResourceTypes(Some((*name).to_string()))
        }
        [s] if s.eq_ignore_ascii_case("Schemas") => Route::Schemas(None),
        [s, urn] if s.eq_ignore_ascii_case("Schemas") => Route::Schemas(Some((*urn).to_string())),
        [s, ..] if s.eq_ignore_ascii_case("Me") => Route::Me,
        [s] => match kind_of(s) {
            Some(kind) => Route::Collection(kind),
            None => return Err(no_endpoint(path)),
        },
        [s, ".search"] => match kind_of(s) {
            Some(kind) => Route::CollectionSearch(kind),
            None => return Err(no_endpoint(path)),
        },
        [s, id] => match kind_of(s) {
            Some(kind) if !id.is_empty() => Route::Resource(kind, (*id).to_string()),
            _ => return Err(no_endpoint(path)),
        },
        _ => return Err(no_endpoint(path)),
    };
    Ok(route)
}

fn no_endpoint(path: &str) -> ScimError {
    ScimError::NotFound(format!(
        "there is no endpoint '{path}'; this server serves /Users, /Groups, /Bulk, /.search, \
         /ServiceProviderConfig, /ResourceTypes and /Schemas"
    ))
}

fn not_allowed(method: &str, what: &str, allow: &'static str) -> ScimError {
    ScimError::MethodNotAllowed {
        detail: format!("{method} is not supported on {what}; use {allow}"),
        allow,
    }
}

/// Sends a call to the operation its method and path select.
pub(crate) fn route(
    server: &mut Server,
    call: &Call<'_>,
    env: &mut Env<'_>,
    changes: &mut Vec<Change>,
) -> Result<Response, ScimError> {
    let route = parse_route(&call.req.path)?;
    let method = call.method.as_str();
    match (route, method) {
        (Route::Collection(kind), "GET") => list::list(server, call, Some(kind), env.now_ms),
        (Route::Collection(kind), "POST") => create::create(server, call, kind, env, changes),
        (Route::Collection(_), m) => Err(not_allowed(m, "a resource collection", "GET, POST")),
        (Route::Resource(kind, id), "GET") => get::get(server, call, kind, &id),
        (Route::Resource(kind, id), "PUT") => {
            replace::replace(server, call, kind, &id, env, changes)
        }
        (Route::Resource(kind, id), "PATCH") => patch::patch(server, call, kind, &id, env, changes),
        (Route::Resource(kind, id), "DELETE") => {
            delete::delete(server, call, kind, &id, env, changes)
        }
        (Route::Resource(..), m) => Err(not_allowed(m, "a resource", "GET, PUT, PATCH, DELETE")),
        (Route::CollectionSearch(kind), "POST") => {
            search::search(server, call, Some(kind), env.now_ms)
        }
        (Route::RootSearch, "POST") => search::search(server, call, None, env.now_ms),
        (Route::CollectionSearch(_) | Route::RootSearch, m) => {
            Err(not_allowed(m, "a search endpoint", "POST"))
        }
        (Route::Root, "GET") => list::list(server, call, None, env.now_ms),
        (Route::Root, m) => Err(not_allowed(m, "the service root", "GET")),
        (Route::Bulk, "POST") => bulk::bulk(server, call, env, changes),
        (Route::Bulk, m) => Err(not_allowed(m, "/Bulk", "POST")),
        (Route::ServiceProviderConfig, "GET") => {
            Ok(discovery::service_provider_config(server, call))
        }
        (Route::ResourceTypes(name), "GET") => {
            discovery::resource_types(server, call, name.as_deref())
        }
        (Route::Schemas(urn), "GET") => discovery::schemas(server, call, urn.as_deref()),
        (Route::ServiceProviderConfig | Route::ResourceTypes(_) | Route::Schemas(_), m) => Err(
            not_allowed(m, "a discovery endpoint (they are read-only)", "GET"),
        ),
        (Route::Me, _) => Err(ScimError::NotImplemented(
            "/Me is not supported: this server does not map credentials to a User (RFC 7644 §3.11)"
                .into(),
        )),
    }
}

/// The current `meta.version` of a stored resource.
pub(crate) fn version_of(data: &Value) -> &str {
    data.get("meta")
        .and_then(|m| m.get("version"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Compares entity tags weakly (RFC 7232 §2.3.2): `W/"3"` matches `"3"`.
fn etag_matches(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.trim()
            .trim_start_matches("W/")
            .trim_start_matches("w/")
            .to_string()
    };
    strip(a) == strip(b)
}

/// Enforces `If-Match` on a write (RFC 7644 §3.14): a stale version is 412.
pub(crate) fn check_if_match(call: &Call<'_>, data: &Value) -> Result<(), ScimError> {
    let Some(header) = call.req.header("If-Match") else {
        return Ok(());
    };
    let current = version_of(data);
    let ok = header
        .split(',')
        .any(|tag| tag.trim() == "*" || etag_matches(tag, current));
    if ok {
        Ok(())
    } else {
        Err(ScimError::PreconditionFailed(format!(
            "If-Match {header} does not match the current version {current}; GET the resource \
             again and retry"
        )))
    }
}

/// Whether `If-None-Match` names the current version (a GET then answers 304).
pub(crate) fn if_none_match_hits(call: &Call<'_>, data: &Value) -> bool {
    let current = version_of(data);
    call.req.header("If-None-Match").is_some_and(|header| {
        header
            .split(',')
            .any(|tag| tag.trim() == "*" || etag_matches(tag, current))
    })
}

/// A response carrying one resource, with its `ETag` (and `Location` for 201).
pub(crate) fn resource_response(
    server: &Server,
    call: &Call<'_>,
    status: u16,
    kind: ResourceKind,
    data: &Value,
) -> Response {
    let projection = call.projection(server, kind);
    let body = server.render(&call.req.base_url, kind, data, &projection);
    let mut response = Response::json(status, &body);
    let id = data.get("id").and_then(Value::as_str).unwrap_or_default();
    let location = server.render_ctx(&call.req.base_url).location(kind, id);
    response.set_header("Location", &location);
    response.set_header("ETag", version_of(data));
    response
}

/// Builds a stored resource from canonical attributes: `schemas`, `id`, attributes, `meta`.
pub(crate) fn assemble(id: &str, attributes: Map<String, Value>, meta: Value) -> Value {
    let mut out = Map::with_capacity(attributes.len() + 2);
    let mut attributes = attributes;
    if let Some(schemas) = attributes.remove("schemas") {
        out.insert("schemas".into(), schemas);
    }
    out.insert("id".into(), Value::String(id.to_string()));
    for (k, v) in attributes {
        if k != "id" && k != "meta" {
            out.insert(k, v);
        }
    }
    out.insert("meta".into(), meta);
    Value::Object(out)
}

/// `meta` for a new resource.
pub(crate) fn new_meta(kind: ResourceKind, env: &Env<'_>) -> Value {
    let now = env.timestamp();
    let mut meta = Map::new();
    meta.insert("resourceType".into(), Value::String(kind.name().into()));
    meta.insert("created".into(), Value::String(now.clone()));
    meta.insert("lastModified".into(), Value::String(now));
    meta.insert("version".into(), Value::String("W/\"1\"".into()));
    Value::Object(meta)
}

/// `meta` after a modification: same creation time, new `lastModified`, next version.
pub(crate) fn touched_meta(kind: ResourceKind, old: &Value, env: &Env<'_>) -> Value {
    let mut meta = new_meta(kind, env);
    let old_meta = old.get("meta");
    if let (Some(created), Some(m)) = (
        old_meta.and_then(|m| m.get("created")).cloned(),
        meta.as_object_mut(),
    ) {
        m.insert("created".into(), created);
    }
    let n: u64 = version_of(old)
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .unwrap_or(0);
    if let Some(m) = meta.as_object_mut() {
        m.insert(
            "version".into(),
            Value::String(format!("W/\"{}\"", n.saturating_add(1))),
        );
    }
    meta
}

/// Stored content without `meta`, to tell whether a write changed anything.
pub(crate) fn same_content(a: &Value, b: &Value) -> bool {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return a == b;
    };
    let strip = |m: &Map<String, Value>| {
        m.iter()
            .filter(|(k, _)| *k != "meta")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    strip(a) == strip(b)
}

/// Resource-type checks that go beyond the schema: `userName` uniqueness (case-insensitive)
/// and group members that must exist (or, in the Entra profile, are dropped when they do not;
/// see `Profile::drops_unknown_members`), with their `type` filled in.
pub(crate) fn check_references(
    server: &Server,
    kind: ResourceKind,
    id: &str,
    data: &mut Map<String, Value>,
) -> Result<(), ScimError> {
    match kind {
        ResourceKind::User => {
            if let Some(name) = data.get("userName").and_then(Value::as_str) {
                if let Some(owner) = server.store.user_id_by_name(name) {
                    if owner != id {
                        return Err(ScimError::Uniqueness(format!(
                            "userName \"{name}\" is already taken by user {owner} (userNames are \
                             compared case-insensitively)"
                        )));
                    }
                }
            }
        }
        ResourceKind::Group => {
            let Some(members) = data.get_mut("members").and_then(Value::as_array_mut) else {
                return Ok(());
            };
            let mut seen: Vec<String> = Vec::with_capacity(members.len());
            let mut kept = Vec::with_capacity(members.len());
            for member in members.drain(..) {
                let Some(obj) = member.as_object() else {
                    continue;
                };
                let Some(value) = obj.get("value").and_then(Value::as_str) else {
                    return Err(ScimError::InvalidValue(
                        "every member needs a \"value\": the id of a User or Group".into(),
                    ));
                };
                if value == id {
                    return Err(ScimError::InvalidValue(
                        "a group cannot be a member of itself".into(),
                    ));
                }
                let actual = if server.store.get(ResourceKind::User, value).is_some() {
                    ResourceKind::User
                } else if server.store.get(ResourceKind::Group, value).is_some() {
                    ResourceKind::Group
                } else if server.settings.profile.drops_unknown_members() {
                    continue;
                } else {
                    return Err(ScimError::InvalidValue(format!(
                        "member \"{value}\" is neither a User nor a Group on this server"
                    )));
                };
                if let Some(claimed) = obj.get("type").and_then(Value::as_str) {
                    if !claimed.eq_ignore_ascii_case(actual.name()) {
                        return Err(ScimError::InvalidValue(format!(
                            "member \"{value}\" is a {}, not a {claimed}",
                            actual.name()
                        )));
                    }
                }
                // The same member listed twice is one membership; keep the first.
                if seen.iter().any(|s| s == value) {
                    continue;
                }
                seen.push(value.to_string());
                let mut m = obj.clone();
                m.insert("type".into(), Value::String(actual.name().into()));
                kept.push(Value::Object(m));
            }
            if kept.is_empty() {
                data.remove("members");
            } else {
                *members = kept;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_paths_case_insensitively_and_rejects_unknown_ones() {
        assert_eq!(
            parse_route("/Users").unwrap(),
            Route::Collection(ResourceKind::User)
        );
        assert_eq!(
            parse_route("/users/").unwrap(),
            Route::Collection(ResourceKind::User)
        );
        assert_eq!(
            parse_route("/Groups/a%20b").unwrap(),
            Route::Resource(ResourceKind::Group, "a b".into())
        );
        assert_eq!(
            parse_route("/Users/.search").unwrap(),
            Route::CollectionSearch(ResourceKind::User)
        );
        assert_eq!(parse_route("").unwrap(), Route::Root);
        assert_eq!(
            parse_route("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User").unwrap(),
            Route::Schemas(Some("urn:ietf:params:scim:schemas:core:2.0:User".into()))
        );
        assert!(matches!(
            parse_route("/Widgets"),
            Err(ScimError::NotFound(_))
        ));
        assert!(matches!(
            parse_route("/Users/a/b"),
            Err(ScimError::NotFound(_))
        ));
    }

    #[test]
    fn weak_and_strong_etags_compare_equal() {
        assert!(etag_matches("W/\"3\"", "W/\"3\""));
        assert!(etag_matches("\"3\"", "W/\"3\""));
        assert!(!etag_matches("W/\"2\"", "W/\"3\""));
    }
}
