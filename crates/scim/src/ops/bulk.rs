//! `POST /Bulk` (RFC 7644 §3.7): many operations in one request, with `bulkId` references
//! between them (a group can list a user created in the same request), `failOnErrors`, and
//! the `maxOperations`/`maxPayloadSize` limits of `/ServiceProviderConfig`.
//!
//! Each operation runs through the same dispatcher as a standalone request, so it is validated
//! exactly the same way. Bulk is not atomic (RFC 7644 §3.7): operations that succeeded stay.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error::ScimError;
use crate::http::{Env, Request, Response};
use crate::resource::describe;
use crate::server::Server;
use crate::settings::Profile;
use crate::store::Change;

use super::Call;

const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const BULK_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
const BULK_PREFIX: &str = "bulkId:";

/// One operation of the request, checked for shape.
struct Operation<'a> {
    method: String,
    bulk_id: Option<&'a str>,
    version: Option<&'a str>,
    path: &'a str,
    data: Option<&'a Value>,
}

/// Runs a bulk request and reports each operation's outcome.
pub(crate) fn bulk(
    server: &mut Server,
    call: &Call<'_>,
    env: &mut Env<'_>,
    changes: &mut Vec<Change>,
) -> Result<Response, ScimError> {
    let body = call.json()?;
    let Some(obj) = body.as_object() else {
        return Err(ScimError::InvalidSyntax(format!(
            "a BulkRequest must be a JSON object, not {}",
            describe(&body)
        )));
    };
    if server.settings.profile == Profile::StrictRfc {
        let listed = obj
            .get("schemas")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(BULK_REQUEST)));
        if !listed {
            return Err(ScimError::InvalidSyntax(format!(
                "a BulkRequest must list \"{BULK_REQUEST}\" in \"schemas\""
            )));
        }
    }
    let Some(raw_ops) = obj.get("Operations").and_then(Value::as_array) else {
        return Err(ScimError::InvalidSyntax(
            "a BulkRequest needs \"Operations\": an array of operations".into(),
        ));
    };
    let max = server.settings.limits.bulk_max_operations;
    if raw_ops.len() > max {
        return Err(ScimError::PayloadTooLarge(format!(
            "the request has {} operations; this server accepts at most {max} (maxOperations)",
            raw_ops.len()
        )));
    }
    let fail_on_errors = match obj.get("failOnErrors") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 => Some(n),
            _ => {
                return Err(ScimError::InvalidValue(format!(
                    "\"failOnErrors\" must be a positive integer, not {}",
                    describe(v)
                )))
            }
        },
    };
    let ops: Vec<Operation<'_>> = raw_ops
        .iter()
        .enumerate()
        .map(|(i, op)| parse_operation(op).map_err(|e| prefix(e, i)))
        .collect::<Result<_, _>>()?;
    let mut declared: HashMap<&str, usize> = HashMap::new();
    for (i, op) in ops.iter().enumerate() {
        if let Some(bulk_id) = op.bulk_id {
            if declared.insert(bulk_id, i).is_some() {
                return Err(ScimError::InvalidValue(format!(
                    "Operations[{i}]: bulkId \"{bulk_id}\" is used by two operations"
                )));
            }
        }
    }

    let mut created: HashMap<String, String> = HashMap::new();
    let mut results: Vec<Option<Value>> = vec![None; ops.len()];
    let mut pending: Vec<usize> = (0..ops.len()).collect();
    // Whether each operation has run (or failed); a flag per operation keeps each pass linear.
    let mut finished = vec![false; ops.len()];
    // Each operation's references, collected once rather than on every pass.
    let refs: Vec<Vec<&str>> = ops
        .iter()
        .map(|op| {
            let mut refs = Vec::new();
            collect_refs(op.path, op.data, &mut refs);
            refs
        })
        .collect();
    let mut errors = 0u64;
    // Operations may refer to bulkIds defined later (RFC 7644 §3.7.2), so run in passes: each
    // pass runs every operation whose references are resolved. A pass that makes no progress
    // means the remaining references are circular or dangling.
    'passes: while !pending.is_empty() {
        let mut deferred = Vec::new();
        for &i in &pending {
            let Some(op) = ops.get(i) else { continue };
            let unresolved = refs
                .get(i)
                .into_iter()
                .flatten()
                .find(|r| !created.contains_key(**r));
            let outcome = match unresolved {
                Some(r)
                    if declared
                        .get(*r)
                        .is_some_and(|&j| j != i && !finished.get(j).copied().unwrap_or(true)) =>
                {
                    deferred.push(i);
                    continue;
                }
                Some(r) => Err(ScimError::InvalidValue(format!(
                    "bulkId:{r} does not refer to an operation of this request that created a \
                     resource"
                ))),
                None => run_operation(server, call, env, changes, op, &created),
            };
            let result = match outcome {
                Ok((response, id)) => {
                    if let (Some(bulk_id), Some(id)) = (op.bulk_id, id) {
                        created.insert(bulk_id.to_string(), id);
                    }
                    success_result(op, &response)
                }
                Err(error) => {
                    errors += 1;
                    error_result(op, &error)
                }
            };
            if let Some(slot) = results.get_mut(i) {
                *slot = Some(result);
            }
            if let Some(flag) = finished.get_mut(i) {
                *flag = true;
            }
            if fail_on_errors.is_some_and(|limit| errors >= limit) {
                break 'passes;
            }
        }
        if deferred.len() == pending.len() {
            for &i in &deferred {
                let Some(op) = ops.get(i) else { continue };
                let error = ScimError::InvalidValue(
                    "the bulkId references of this operation form a cycle and cannot be resolved"
                        .into(),
                );
                errors += 1;
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some(error_result(op, &error));
                }
                if fail_on_errors.is_some_and(|limit| errors >= limit) {
                    break;
                }
            }
            break;
        }
        pending = deferred;
    }

    let mut out = Map::new();
    out.insert(
        "schemas".into(),
        Value::Array(vec![Value::String(BULK_RESPONSE.into())]),
    );
    out.insert(
        "Operations".into(),
        Value::Array(results.into_iter().flatten().collect()),
    );
    Ok(Response::json(200, &Value::Object(out)))
}

fn prefix(error: ScimError, i: usize) -> ScimError {
    match error {
        ScimError::InvalidSyntax(d) => ScimError::InvalidSyntax(format!("Operations[{i}]: {d}")),
        ScimError::InvalidVersion(d) => ScimError::InvalidVersion(format!("Operations[{i}]: {d}")),
        other => other,
    }
}

fn parse_operation(op: &Value) -> Result<Operation<'_>, ScimError> {
    let Some(obj) = op.as_object() else {
        return Err(ScimError::InvalidSyntax(format!(
            "an operation must be an object, not {}",
            describe(op)
        )));
    };
    let text = |key: &str| -> Result<Option<&str>, ScimError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(ScimError::InvalidSyntax(format!(
                "\"{key}\" must be a string, not {}",
                describe(other)
            ))),
        }
    };
    let method = text("method")?
        .ok_or_else(|| ScimError::InvalidSyntax("an operation needs a \"method\"".into()))?
        .to_ascii_uppercase();
    if !matches!(method.as_str(), "POST" | "PUT" | "PATCH" | "DELETE") {
        return Err(ScimError::InvalidSyntax(format!(
            "\"method\" must be POST, PUT, PATCH or DELETE, not \"{method}\""
        )));
    }
    let path = text("path")?
        .ok_or_else(|| ScimError::InvalidSyntax("an operation needs a \"path\"".into()))?;
    let top = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if !(top.eq_ignore_ascii_case("Users") || top.eq_ignore_ascii_case("Groups")) {
        return Err(ScimError::InvalidSyntax(format!(
            "\"path\" must start with /Users or /Groups, not \"{path}\""
        )));
    }
    let version = text("version")?;
    if let Some(v) = version {
        let bare = v.trim_start_matches("W/");
        if !(bare.len() >= 2 && bare.starts_with('"') && bare.ends_with('"')) {
            return Err(ScimError::InvalidVersion(format!(
                "\"version\" must be an entity tag such as W/\"3\", not {v}"
            )));
        }
    }
    let data = obj.get("data").filter(|d| !d.is_null());
    if matches!(method.as_str(), "POST" | "PUT" | "PATCH") && data.is_none() {
        return Err(ScimError::InvalidSyntax(format!(
            "a {method} operation needs \"data\""
        )));
    }
    Ok(Operation {
        method,
        bulk_id: text("bulkId")?,
        version,
        path,
        data,
    })
}

/// Every `bulkId:x` the operation refers to, in its path or anywhere in its data.
fn collect_refs<'a>(path: &'a str, data: Option<&'a Value>, out: &mut Vec<&'a str>) {
    for segment in path.split('/') {
        if let Some(r) = segment.strip_prefix(BULK_PREFIX) {
            out.push(r);
        }
    }
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a str>, depth: usize) {
        if depth > 64 {
            return;
        }
        match v {
            Value::String(s) => {
                if let Some(r) = s.strip_prefix(BULK_PREFIX) {
                    out.push(r);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out, depth + 1)),
            Value::Object(obj) => obj.values().for_each(|i| walk(i, out, depth + 1)),
            _ => {}
        }
    }
    if let Some(data) = data {
        walk(data, out, 0);
    }
}

/// Replaces `bulkId:x` strings with the ids they were resolved to.
fn substitute(v: &Value, created: &HashMap<String, String>) -> Value {
    match v {
        Value::String(s) => match s.strip_prefix(BULK_PREFIX).and_then(|r| created.get(r)) {
            Some(id) => Value::String(id.clone()),
            None => v.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(|i| substitute(i, created)).collect()),
        Value::Object(obj) => Value::Object(
            obj.iter()
                .map(|(k, i)| (k.clone(), substitute(i, created)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Runs one operation as a request of its own; returns the response and, for a POST, the new
/// resource's id.
fn run_operation(
    server: &mut Server,
    call: &Call<'_>,
    env: &mut Env<'_>,
    changes: &mut Vec<Change>,
    op: &Operation<'_>,
    created: &HashMap<String, String>,
) -> Result<(Response, Option<String>), ScimError> {
    let path: String = op
        .path
        .split('/')
        .map(|segment| {
            match segment
                .strip_prefix(BULK_PREFIX)
                .and_then(|r| created.get(r))
            {
                Some(id) => id.as_str(),
                None => segment,
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let body = match op.data {
        Some(data) => serde_json::to_vec(&substitute(data, created)).unwrap_or_default(),
        None => Vec::new(),
    };
    let mut headers = vec![(
        "Content-Type".to_string(),
        "application/scim+json".to_string(),
    )];
    if let Some(version) = op.version {
        headers.push(("If-Match".into(), version.into()));
    }
    let sub = Request {
        method: op.method.clone(),
        base_url: call.req.base_url.clone(),
        path,
        query: String::new(),
        headers,
        body,
    };
    let mut op_changes = Vec::new();
    match server.dispatch(&sub, env, &mut op_changes) {
        Ok(response) => {
            changes.extend(op_changes);
            let id = (op.method == "POST")
                .then(|| response.json_body())
                .and_then(|b| b.get("id").and_then(Value::as_str).map(str::to_string));
            Ok((response, id))
        }
        Err(error) => {
            server.undo(&op_changes);
            Err(error)
        }
    }
}

fn base_result(op: &Operation<'_>) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("method".into(), Value::String(op.method.clone()));
    if let Some(bulk_id) = op.bulk_id {
        out.insert("bulkId".into(), Value::String(bulk_id.into()));
    }
    out
}

fn success_result(op: &Operation<'_>, response: &Response) -> Value {
    let mut out = base_result(op);
    if let Some(version) = response.header("ETag") {
        out.insert("version".into(), Value::String(version.into()));
    }
    if let Some(location) = response.header("Location") {
        out.insert("location".into(), Value::String(location.into()));
    }
    out.insert("status".into(), Value::String(response.status.to_string()));
    Value::Object(out)
}

fn error_result(op: &Operation<'_>, error: &ScimError) -> Value {
    let mut out = base_result(op);
    out.insert("status".into(), Value::String(error.status().to_string()));
    out.insert("response".into(), error.to_json());
    Value::Object(out)
}
