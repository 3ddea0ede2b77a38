//! `POST /.search`, `POST /Users/.search`, `POST /Groups/.search` (RFC 7644 §3.4.3).

use serde_json::Value;

use crate::error::ScimError;
use crate::http::Response;
use crate::resource::describe;
use crate::schema::ResourceKind;
use crate::server::Server;
use crate::settings::Profile;

use super::list::{run, Query};
use super::Call;

const SEARCH_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// Runs the query a SearchRequest body describes.
pub(crate) fn search(
    server: &Server,
    call: &Call<'_>,
    kind: Option<ResourceKind>,
    now_ms: i64,
) -> Result<Response, ScimError> {
    let body = call.json()?;
    let Some(obj) = body.as_object() else {
        return Err(ScimError::InvalidSyntax(format!(
            "a SearchRequest must be a JSON object, not {}",
            describe(&body)
        )));
    };
    let strict = server.settings.profile == Profile::StrictRfc;
    let mut query = Query::default();
    let mut saw_schema = false;
    for (key, value) in obj {
        match key.as_str() {
            "schemas" => {
                saw_schema = value
                    .as_array()
                    .is_some_and(|a| a.iter().any(|s| s.as_str() == Some(SEARCH_REQUEST)));
            }
            "filter" => query.filter = Some(string(key, value)?),
            "sortBy" => query.sort_by = Some(string(key, value)?),
            "sortOrder" => query.sort_order = Some(string(key, value)?),
            "startIndex" => query.start_index = Some(integer(key, value)?),
            "count" => query.count = Some(integer(key, value)?),
            "attributes" => query.attributes = Some(names(key, value)?),
            "excludedAttributes" => query.excluded_attributes = Some(names(key, value)?),
            "cursor" => query.cursor = Some(string(key, value)?),
            other if strict => {
                return Err(ScimError::InvalidSyntax(format!(
                    "\"{other}\" is not a SearchRequest parameter"
                )))
            }
            _ => {}
        }
    }
    if strict && !saw_schema {
        return Err(ScimError::InvalidSyntax(format!(
            "a SearchRequest must list \"{SEARCH_REQUEST}\" in \"schemas\""
        )));
    }
    run(server, &call.req.base_url, kind, &query, now_ms)
}

fn string(key: &str, value: &Value) -> Result<String, ScimError> {
    value.as_str().map(str::to_string).ok_or_else(|| {
        ScimError::InvalidValue(format!(
            "\"{key}\" must be a string, not {}",
            describe(value)
        ))
    })
}

fn integer(key: &str, value: &Value) -> Result<i64, ScimError> {
    value.as_i64().ok_or_else(|| {
        ScimError::InvalidValue(format!(
            "\"{key}\" must be an integer, not {}",
            describe(value)
        ))
    })
}

/// `attributes` is an array of names in RFC 7644 §3.4.3; a comma-separated string (the query
/// parameter form) is accepted too.
fn names(key: &str, value: &Value) -> Result<String, ScimError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Array(items) => items
            .iter()
            .map(|i| string(key, i))
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(",")),
        other => Err(ScimError::InvalidValue(format!(
            "\"{key}\" must be an array of attribute names, not {}",
            describe(other)
        ))),
    }
}
