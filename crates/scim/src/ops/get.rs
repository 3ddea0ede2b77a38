//! `GET /Users/{id}`, `GET /Groups/{id}` (RFC 7644 §3.4.1).

use crate::error::ScimError;
use crate::http::Response;
use crate::schema::ResourceKind;
use crate::server::Server;

use super::{if_none_match_hits, resource_response, version_of, Call};

/// Returns one resource, or 304 when `If-None-Match` names its current version.
pub(crate) fn get(
    server: &Server,
    call: &Call<'_>,
    kind: ResourceKind,
    id: &str,
) -> Result<Response, ScimError> {
    let data = find(server, kind, id)?;
    if if_none_match_hits(call, data) {
        let mut response = Response::empty(304);
        response.set_header("ETag", version_of(data));
        return Ok(response);
    }
    Ok(resource_response(server, call, 200, kind, data))
}

/// The stored resource, or a 404 that names what was looked for.
pub(crate) fn find<'s>(
    server: &'s Server,
    kind: ResourceKind,
    id: &str,
) -> Result<&'s serde_json::Value, ScimError> {
    server
        .store
        .get(kind, id)
        .ok_or_else(|| ScimError::NotFound(format!("{} {id} not found", kind.name())))
}
