//! The Explain panel's engine: how a filter parses and which stored resources it matches (and
//! why, node by node), a PATCH taken one operation at a time with the RFC 7644 rule each one
//! follows, and what an RFC 9865 cursor names. It reads the server's data and changes nothing.
//!
//! Both answers are `protocol::explain` types, served by the worker at
//! `POST /_playground/explain` and read by the page with the same types.

use protocol::explain::{
    AttrName, CursorExplanation, ExplainError, ExplainedResource, FilterExplanation, FilterTree,
    PatchExplanation, PatchStep, PathTree,
};
use serde_json::{json, Map, Value};

use crate::error::ScimError;
use crate::filter::{self, AttrPath, CompValue, Filter, FilterError, PatchPath};
use crate::patch::{self, PATCH_OP};
use crate::schema::{KindLookup, QueryLookup, ResourceKind};
use crate::server::Server;

fn attr_name(attr: &AttrPath) -> AttrName {
    AttrName {
        urn: attr.urn.clone(),
        name: attr.name.clone(),
        sub: attr.sub.clone(),
    }
}

/// The parse tree as the Explain panel shows it.
pub fn filter_tree(filter: &Filter) -> FilterTree {
    let all = |operands: &[Filter]| operands.iter().map(filter_tree).collect();
    match filter {
        Filter::Compare { attr, op, value } => FilterTree::Compare {
            attr: attr_name(attr),
            op: op.as_str().into(),
            value: match value {
                CompValue::Null => Value::Null,
                CompValue::Bool(b) => Value::Bool(*b),
                CompValue::Number(n) => Value::Number(n.clone()),
                CompValue::String(s) => Value::String(s.clone()),
            },
        },
        Filter::Present { attr } => FilterTree::Present {
            attr: attr_name(attr),
        },
        Filter::And { operands } => FilterTree::And {
            operands: all(operands),
        },
        Filter::Or { operands } => FilterTree::Or {
            operands: all(operands),
        },
        Filter::Not { filter } => FilterTree::Not {
            filter: Box::new(filter_tree(filter)),
        },
        Filter::ValuePath { attr, filter } => FilterTree::ValuePath {
            attr: attr_name(attr),
            filter: Box::new(filter_tree(filter)),
        },
    }
}

fn path_tree(path: &PatchPath) -> PathTree {
    PathTree {
        urn: path.urn.clone(),
        attribute: path.attribute.clone(),
        filter: path.filter.as_ref().map(filter_tree),
        sub_attribute: path.sub_attribute.clone(),
    }
}

/// A filter or path error with the byte span it points at and the caret lines under it.
fn filter_error(error: &FilterError) -> ExplainError {
    ExplainError {
        message: error.message(),
        scim_type: Some(error.scim_type().as_str().into()),
        status: None,
        span: error.span().map(|span| [span.start, span.end]),
        caret: error.caret_lines(),
    }
}

fn scim_error(error: &ScimError) -> ExplainError {
    ExplainError {
        message: error.to_string(),
        scim_type: error.scim_type().map(str::to_string),
        status: Some(error.status().to_string()),
        span: None,
        caret: None,
    }
}

fn message(text: String) -> ExplainError {
    ExplainError {
        message: text,
        ..ExplainError::default()
    }
}
/// A resource as the panel may show it: never with its password.
fn shown(resource: &Value) -> Value {
    let mut resource = resource.clone();
    if let Some(object) = resource.as_object_mut() {
        object.remove("password");
    }
    resource
}

/// The name a resource is listed by: `userName` or `displayName`, else its id.
fn label(resource: &Value, id: &str) -> String {
    ["userName", "displayName"]
        .iter()
        .find_map(|k| resource.get(*k).and_then(Value::as_str))
        .unwrap_or(id)
        .to_string()
}

/// The rule of RFC 7644 §3.5.2 an operation follows, by its op and the form of its path.
fn rule(op: &str, path: Option<&filter::PatchPath>) -> &'static str {
    let filtered = path.is_some_and(|p| p.filter.is_some());
    match (op, path, filtered) {
        ("add", None, _) => "RFC 7644 §3.5.2.1 (Add): without a path, the value is a complex value whose attributes are added to the resource",
        ("add", Some(_), true) => "RFC 7644 §3.5.2.1 (Add) with a value filter (§3.5.2): the value is added to each element the filter matches",
        ("add", Some(_), false) => "RFC 7644 §3.5.2.1 (Add): a missing attribute is added; values are appended to a multi-valued attribute; a single value is replaced",
        ("remove", None, _) => "RFC 7644 §3.5.2.2 (Remove): a remove without a path has no target (400 noTarget)",
        ("remove", Some(_), true) => "RFC 7644 §3.5.2.2 (Remove) with a value filter: only the matching elements are removed",
        ("remove", Some(_), false) => "RFC 7644 §3.5.2.2 (Remove): the attribute (or the sub-attribute) is removed",
        ("replace", None, _) => "RFC 7644 §3.5.2.3 (Replace): without a path, each attribute of the value replaces the resource's",
        ("replace", Some(_), true) => "RFC 7644 §3.5.2.3 (Replace) with a value filter: the matching elements (or their sub-attribute) are replaced",
        ("replace", Some(_), false) => "RFC 7644 §3.5.2.3 (Replace): the value replaces the attribute's; a missing attribute is added",
        _ => "RFC 7644 §3.5.2: \"op\" must be \"add\", \"remove\" or \"replace\" (400 invalidSyntax)",
    }
}

/// Where the first `"quoted"` name of `message` occurs in `text`, ignoring case.
fn quoted_name_span(message: &str, text: &str) -> Option<[usize; 2]> {
    let name = message.split('"').nth(1).filter(|n| !n.is_empty())?;
    let start = text.to_ascii_lowercase().find(&name.to_ascii_lowercase())?;
    Some([start, start + name.len()])
}

/// The top-level attributes whose values differ between two versions of a resource.
fn changed(before: &Value, after: &Value) -> Vec<String> {
    let empty = Map::new();
    let (b, a) = (
        before.as_object().unwrap_or(&empty),
        after.as_object().unwrap_or(&empty),
    );
    let mut names: Vec<String> = b
        .keys()
        .chain(a.keys())
        .filter(|k| k.as_str() != "meta" && b.get(*k) != a.get(*k))
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    names
}

impl Server {
    /// How `text` parses as a filter on `kind`, and how it evaluates against up to `limit`
    /// stored resources (matches first), with every node's result.
    pub fn explain_filter(
        &self,
        kind: ResourceKind,
        text: &str,
        base_url: &str,
        limit: usize,
    ) -> FilterExplanation {
        let lookup = QueryLookup(KindLookup {
            registry: self.registry(),
            kind,
        });
        let ctx = self.render_ctx(base_url);
        let failed = |error: ExplainError| FilterExplanation {
            ok: false,
            input: text.into(),
            error: Some(error),
            ..FilterExplanation::default()
        };
        let filter = match filter::parse(text) {
            Ok(filter) => filter,
            Err(error) => return failed(filter_error(&error)),
        };
        if let Err(error) = filter::validate(&filter, &lookup) {
            let mut error = filter_error(&error);
            // Validation works on the parsed tree, which has no positions; the attribute it
            // names is found in the text instead, so the panel can still underline it.
            if error.span.is_none() {
                error.span = quoted_name_span(&error.message, text);
            }
            return failed(error);
        }
        let mut matched = Vec::new();
        let mut unmatched = Vec::new();
        for (id, resource) in self.store.iter(kind) {
            // Computed attributes (`groups`, `meta.location`) are explained on the resource as
            // a client sees it, which is what the list endpoint filters too.
            let explanation = filter::explain(&filter, &ctx.with_computed(kind, resource), &lookup);
            let entry = ExplainedResource {
                id: id.clone(),
                label: label(resource, id),
                matched: explanation.matched,
                explanation,
            };
            if entry.matched {
                matched.push(entry);
            } else if unmatched.len() < limit {
                unmatched.push(entry);
            }
        }
        let total_matched = matched.len();
        FilterExplanation {
            ok: true,
            input: text.into(),
            error: None,
            canonical: Some(filter.to_string()),
            tree: Some(filter_tree(&filter)),
            scanned: self.store.len(kind),
            matched: total_matched,
            resources: matched.into_iter().chain(unmatched).take(limit).collect(),
        }
    }

    /// What an RFC 9865 cursor names, as of `now_ms`: the position its page starts after (or
    /// ends before), the page size, and when it expires.
    pub fn explain_cursor(&self, text: &str, now_ms: i64) -> CursorExplanation {
        let cursor = match crate::ops::list::cursor::Cursor::parse(text) {
            Ok(cursor) => cursor,
            Err(e) => {
                return CursorExplanation {
                    error: Some(message(e.to_string())),
                    ..CursorExplanation::default()
                }
            }
        };
        let (edge, sort_value, kind, id) = cursor.describe();
        let timeout_ms = i64::try_from(self.settings().limits.cursor_timeout_seconds)
            .unwrap_or(i64::MAX / 1000)
            .saturating_mul(1000);
        let expires_ms = cursor.issued_ms.saturating_add(timeout_ms);
        CursorExplanation {
            ok: true,
            error: None,
            edge: edge.into(),
            resource_type: kind.name().into(),
            id: id.into(),
            sort_value,
            still_there: self.store.get(kind, id).is_some(),
            count: cursor.count,
            issued_at: crate::datetime::format_ms(cursor.issued_ms),
            expires_at: crate::datetime::format_ms(expires_ms),
            expired: now_ms > expires_ms,
        }
    }

    /// Applies the PATCH `body` to the stored resource `id` one operation at a time, without
    /// storing anything: each step shows its path's parse, the RFC rule it follows, what it
    /// changed, or why it failed (a PATCH is atomic, so a failed step means nothing applies).
    pub fn explain_patch(&self, kind: ResourceKind, id: &str, body: &Value) -> PatchExplanation {
        let failed = |text: String| PatchExplanation {
            ok: false,
            error: Some(message(text)),
            ..PatchExplanation::default()
        };
        let Some(resource) = self.store.get(kind, id) else {
            return failed(format!("there is no {} with id {id}", kind.name()));
        };
        let operations = body
            .as_object()
            .and_then(|o| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("Operations"))
                    .map(|(_, v)| v)
            })
            .and_then(Value::as_array);
        let Some(operations) = operations else {
            return failed("a PATCH body needs \"Operations\": an array of {\"op\", \"path\", \"value\"} objects (RFC 7644 §3.5.2)".into());
        };
        let lookup = KindLookup {
            registry: self.registry(),
            kind,
        };
        let profile = self.settings().profile;
        let mut working = resource.clone();
        let mut steps = Vec::new();
        let mut ok = true;
        for (index, operation) in operations.iter().enumerate() {
            let op = operation
                .get("op")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_ascii_lowercase();
            let path_text = operation.get("path").and_then(Value::as_str);
            let mut step = PatchStep {
                index,
                op,
                path: path_text.map(str::to_string),
                ..PatchStep::default()
            };
            let parsed_path = match path_text.map(filter::parse_path) {
                Some(Ok(path)) => {
                    step.path_tree = Some(path_tree(&path));
                    if let Err(error) = filter::validate_path(&path, &lookup) {
                        step.error = Some(filter_error(&error));
                    }
                    Some(path)
                }
                Some(Err(error)) => {
                    step.error = Some(filter_error(&error));
                    None
                }
                None => None,
            };
            step.rule = rule(&step.op, parsed_path.as_ref()).into();
            if step.error.is_none() {
                let single = json!({"schemas": [PATCH_OP], "Operations": [operation]});
                match patch::apply(self.registry(), kind, profile, &working, &single) {
                    Ok(after) => {
                        step.changed = Some(changed(&working, &after));
                        step.after = Some(shown(&after));
                        working = after;
                    }
                    Err(error) => step.error = Some(scim_error(&error)),
                }
            }
            step.ok = step.error.is_none();
            let failed = !step.ok;
            steps.push(step);
            if failed {
                ok = false;
                break;
            }
        }
        PatchExplanation {
            ok,
            error: None,
            id: Some(id.into()),
            before: Some(shown(resource)),
            steps,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Env, Request};

    /// The answers as the page receives them: these tests check the wire shape.
    fn filter_json(server: &Server, kind: ResourceKind, text: &str, limit: usize) -> Value {
        serde_json::to_value(server.explain_filter(kind, text, "http://app.example/scim/v2", limit))
            .unwrap_or_default()
    }

    fn patch_json(server: &Server, kind: ResourceKind, id: &str, body: &Value) -> Value {
        serde_json::to_value(server.explain_patch(kind, id, body)).unwrap_or_default()
    }

    fn server_with_users() -> Server {
        let mut server = Server::new(crate::Settings::default());
        let mut counter = 0;
        let mut ids = move || {
            counter += 1;
            format!("id-{counter}")
        };
        let mut env = Env::from_unix_ms(1_767_225_600_000, &mut ids);
        for (name, work) in [
            ("bjensen", "bjensen@example.com"),
            ("jsmith", "jsmith@other.test"),
        ] {
            let body = json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": name,
                "password": "secret-pw",
                "emails": [{"value": work, "type": "work", "primary": true}],
            });
            let mut request = Request::new("POST", "/Users");
            request.body = body.to_string().into_bytes();
            request.headers = vec![("Content-Type".into(), "application/scim+json".into())];
            let outcome = server.handle(&request, &mut env);
            assert_eq!(outcome.response.status, 201);
        }
        server
    }

    fn user_id(server: &Server, name: &str) -> String {
        server
            .store
            .iter(ResourceKind::User)
            .find(|(_, v)| v["userName"] == name)
            .map(|(id, _)| id.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_filter_lists_its_matches_first_with_each_node_explained() {
        let server = server_with_users();
        let out = filter_json(
            &server,
            ResourceKind::User,
            r#"userName eq "bjensen" or emails[value ew "other.test"]"#,
            10,
        );
        assert_eq!(out["ok"], true);
        assert_eq!(out["tree"]["kind"], "or");
        assert_eq!(out["matched"], 2);
        assert_eq!(out["scanned"], 2);
        let first = &out["resources"][0];
        assert_eq!(first["matched"], true);
        assert_eq!(
            first["explanation"]["children"].as_array().map(Vec::len),
            Some(2)
        );
        let none = filter_json(&server, ResourceKind::User, r#"userName eq "nobody""#, 10);
        assert_eq!(none["matched"], 0);
        assert_eq!(
            none["resources"][0]["matched"], false,
            "non-matches are shown too"
        );
    }

    #[test]
    fn a_bad_filter_points_at_its_span() {
        let server = server_with_users();
        let out = filter_json(&server, ResourceKind::User, r#"userName eq "x" and"#, 10);
        assert_eq!(out["ok"], false);
        assert_eq!(out["error"]["scimType"], "invalidFilter");
        assert!(out["error"]["span"].is_array(), "{out}");
        let unknown = filter_json(&server, ResourceKind::User, r#"nickNam eq "x""#, 10);
        assert_eq!(unknown["ok"], false);
        assert_eq!(unknown["error"]["span"], json!([0, 7]), "{unknown}");
    }

    #[test]
    fn a_patch_steps_through_each_operation_with_its_rule_and_never_shows_the_password() {
        let server = server_with_users();
        let id = user_id(&server, "bjensen");
        let body = json!({"schemas": [PATCH_OP], "Operations": [
            {"op": "replace", "path": "displayName", "value": "Babs"},
            {"op": "add", "path": "emails[type eq \"work\"].display", "value": "Work"},
            {"op": "remove", "path": "nickName"},
        ]});
        let out = patch_json(&server, ResourceKind::User, &id, &body);
        assert_eq!(out["ok"], true, "{out}");
        let steps = out["steps"].as_array().cloned().unwrap_or_default();
        assert_eq!(steps.len(), 3);
        assert!(steps[0]["rule"]
            .as_str()
            .unwrap_or_default()
            .contains("§3.5.2.3"));
        assert_eq!(steps[0]["changed"], json!(["displayName"]));
        assert!(steps[1]["rule"]
            .as_str()
            .unwrap_or_default()
            .contains("value filter"));
        assert!(steps[1]["pathTree"]["filter"].is_object());
        assert!(
            !out.to_string().contains("secret-pw"),
            "passwords never leave"
        );
        assert_eq!(
            server
                .store
                .get(ResourceKind::User, &id)
                .map(|u| u["displayName"].clone()),
            Some(Value::Null),
            "nothing is stored"
        );
    }

    #[test]
    fn a_patch_stops_at_the_failing_step_and_says_why() {
        let server = server_with_users();
        let id = user_id(&server, "bjensen");
        let body = json!({"Operations": [
            {"op": "replace", "path": "title", "value": "Boss"},
            {"op": "remove"},
            {"op": "replace", "path": "title", "value": "never reached"},
        ]});
        let out = patch_json(&server, ResourceKind::User, &id, &body);
        assert_eq!(out["ok"], false);
        let steps = out["steps"].as_array().cloned().unwrap_or_default();
        assert_eq!(steps.len(), 2, "it stops at the failure");
        assert_eq!(steps[1]["error"]["scimType"], "noTarget", "{out}");
        let bad_path =
            json!({"Operations": [{"op": "add", "path": "emails[type eq", "value": "x"}]});
        let out = patch_json(&server, ResourceKind::User, &id, &bad_path);
        assert!(out["steps"][0]["error"]["span"].is_array(), "{out}");
        assert_eq!(
            patch_json(&server, ResourceKind::User, "nope", &bad_path)["ok"],
            false
        );
    }
}
