//! `PUT /Users/{id}`, `PUT /Groups/{id}` (RFC 7644 §3.5.1).

use crate::error::ScimError;
use crate::http::{Env, Response};
use crate::resource::{carry_over, check_required, normalize_body};
use crate::schema::ResourceKind;
use crate::server::Server;
use crate::store::Change;

use super::get::find;
use super::{
    assemble, check_if_match, check_references, resource_response, same_content, touched_meta, Call,
};

/// Replaces a resource: readOnly values in the body are ignored, omitted writable attributes
/// are cleared (except the never-returned `password` and set immutable values).
pub(crate) fn replace(
    server: &mut Server,
    call: &Call<'_>,
    kind: ResourceKind,
    id: &str,
    env: &mut Env<'_>,
    changes: &mut Vec<Change>,
) -> Result<Response, ScimError> {
    let old = find(server, kind, id)?.clone();
    check_if_match(call, &old)?;
    let body = call.json()?;
    let mut attributes = normalize_body(server.ctx(kind), &body)?;
    if let Some(old_obj) = old.as_object() {
        carry_over(server.ctx(kind), old_obj, &mut attributes)?;
    }
    check_required(server.ctx(kind), &attributes)?;
    check_references(server, kind, id, &mut attributes)?;
    let unchanged = assemble(id, attributes.clone(), serde_json::Value::Null);
    if same_content(&unchanged, &old) {
        // Nothing changed, so neither do the version nor lastModified: no Change to persist.
        return Ok(resource_response(server, call, 200, kind, &old));
    }
    let data = assemble(id, attributes, touched_meta(kind, &old, env));
    server.commit(changes, kind, id, Some(data.clone()));
    Ok(resource_response(server, call, 200, kind, &data))
}
