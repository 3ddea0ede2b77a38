//! `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` (RFC 7644 §4), generated from the
//! registry and settings so they always describe what the server actually does.

use serde_json::{json, Value};

use crate::error::ScimError;
use crate::http::Response;
use crate::schema::{ResourceKind, Schema};
use crate::server::Server;
use crate::settings::Auth;

use super::Call;

use wire::urn::LIST_RESPONSE;

fn base(call: &Call<'_>) -> String {
    call.req.base_url.trim_end_matches('/').to_string()
}

/// `GET /ServiceProviderConfig`.
pub(crate) fn service_provider_config(server: &Server, call: &Call<'_>) -> Response {
    let limits = server.settings.limits;
    let scheme = match &server.settings.auth {
        Auth::None => None,
        Auth::Basic { .. } => Some(json!({
            "type": "httpbasic",
            "name": "HTTP Basic",
            "description": "Authentication with a username and password (RFC 7617).",
            "specUri": "https://www.rfc-editor.org/rfc/rfc7617",
            "primary": true,
        })),
        Auth::Header { .. } => Some(json!({
            "type": "httpheader",
            "name": "HTTP Header",
            "description": "A fixed Authorization header value.",
            "primary": true,
        })),
        Auth::Bearer { .. } => Some(json!({
            "type": "oauthbearertoken",
            "name": "Bearer Token",
            "description": "A fixed bearer token (RFC 6750).",
            "specUri": "https://www.rfc-editor.org/rfc/rfc6750",
            "primary": true,
        })),
        Auth::OAuth { .. } => Some(json!({
            "type": "oauth2",
            "name": "OAuth 2.0",
            "description": "Bearer tokens from the client-credentials grant (RFC 6749).",
            "specUri": "https://www.rfc-editor.org/rfc/rfc6749",
            "primary": true,
        })),
    };
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://www.rfc-editor.org/rfc/rfc7644",
        "patch": {"supported": true},
        "bulk": {
            "supported": true,
            "maxOperations": limits.bulk_max_operations,
            "maxPayloadSize": limits.max_payload_size,
        },
        "filter": {"supported": true, "maxResults": limits.max_results},
        "changePassword": {"supported": true},
        "sort": {"supported": true},
        // RFC 9865 §4: both kinds of paging; index stays the default so that clients that know
        // only RFC 7644 see no change.
        "pagination": {
            "cursor": true,
            "index": true,
            "defaultPaginationMethod": "index",
            "defaultPageSize": limits.max_results,
            "maxPageSize": limits.max_results,
            "cursorTimeout": limits.cursor_timeout_seconds,
        },
        "etag": {"supported": true},
        "authenticationSchemes": scheme.into_iter().collect::<Vec<_>>(),
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{}/ServiceProviderConfig", base(call)),
        },
    });
    Response::json(200, &body)
}

fn resource_type_json(server: &Server, call: &Call<'_>, kind: ResourceKind) -> Value {
    let extensions: Vec<Value> = server
        .registry
        .extensions(kind)
        .iter()
        .map(|s| json!({"schema": s.id, "required": false}))
        .collect();
    let mut body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": kind.name(),
        "name": kind.name(),
        "endpoint": kind.endpoint(),
        "description": match kind {
            ResourceKind::User => "User Account",
            ResourceKind::Group => "Group",
        },
        "schema": kind.core_schema(),
    });
    if let Some(obj) = body.as_object_mut() {
        if !extensions.is_empty() {
            obj.insert("schemaExtensions".into(), Value::Array(extensions));
        }
        obj.insert(
            "meta".into(),
            json!({
                "resourceType": "ResourceType",
                "location": format!("{}/ResourceTypes/{}", base(call), kind.name()),
            }),
        );
    }
    body
}

/// The attribute definitions as JSON, made with the streaming serializer that already writes
/// them into the stored settings (custom attributes), rather than `serde_json::to_value`, which
/// would compile a second serializer for them into the service worker. The value is the same.
fn attributes_json(attributes: &[crate::schema::Attribute]) -> Value {
    serde_json::to_vec(attributes)
        .ok()
        .and_then(|text| serde_json::from_slice(&text).ok())
        .unwrap_or_default()
}

fn schema_json(call: &Call<'_>, schema: &Schema) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": schema.id,
        "name": schema.name,
        "description": schema.description,
        "attributes": attributes_json(&schema.attributes),
        "meta": {
            "resourceType": "Schema",
            "location": format!("{}/Schemas/{}", base(call), schema.id),
        },
    })
}

fn list_response(resources: Vec<Value>) -> Response {
    Response::json(
        200,
        &json!({
            "schemas": [LIST_RESPONSE],
            "totalResults": resources.len(),
            "itemsPerPage": resources.len(),
            "startIndex": 1,
            "Resources": resources,
        }),
    )
}

/// `GET /ResourceTypes` and `GET /ResourceTypes/{name}`.
pub(crate) fn resource_types(
    server: &Server,
    call: &Call<'_>,
    name: Option<&str>,
) -> Result<Response, ScimError> {
    match name {
        None => Ok(list_response(
            ResourceKind::ALL
                .into_iter()
                .map(|k| resource_type_json(server, call, k))
                .collect(),
        )),
        Some(name) => {
            let kind = ResourceKind::from_name(name).ok_or_else(|| {
                ScimError::NotFound(format!(
                    "there is no resource type '{name}'; this server has User and Group"
                ))
            })?;
            Ok(Response::json(200, &resource_type_json(server, call, kind)))
        }
    }
}

/// `GET /Schemas` and `GET /Schemas/{urn}`.
pub(crate) fn schemas(
    server: &Server,
    call: &Call<'_>,
    urn: Option<&str>,
) -> Result<Response, ScimError> {
    match urn {
        None => Ok(list_response(
            server
                .registry
                .schemas()
                .map(|s| schema_json(call, s))
                .collect(),
        )),
        Some(urn) => {
            let schema = server.registry.schema(urn).ok_or_else(|| {
                ScimError::NotFound(format!("there is no schema '{urn}' on this server"))
            })?;
            Ok(Response::json(200, &schema_json(call, schema)))
        }
    }
}
