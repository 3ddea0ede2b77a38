//! `PATCH /Users/{id}`, `PATCH /Groups/{id}` (RFC 7644 §3.5.2). The applier itself is
//! [`crate::patch::apply`]; this file adds preconditions, reference checks and the response.

use crate::error::ScimError;
use crate::http::{Env, Response};
use crate::resource::check_required;
use crate::schema::ResourceKind;
use crate::server::Server;
use crate::store::Change;

use super::get::find;
use super::{
    check_if_match, check_references, resource_response, same_content, touched_meta, Call,
};

pub(crate) use crate::patch::apply as apply_patch;

/// Applies all operations atomically; 200 with the resource, or 204 when the client asked for
/// no attributes (`attributes=` empty, or `Prefer: return=minimal`).
pub(crate) fn patch(
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
    let patched = apply_patch(&server.registry, kind, server.settings.profile, &old, &body)?;
    let serde_json::Value::Object(mut attributes) = patched else {
        return Err(ScimError::InvalidValue(
            "the patched resource is not an object".into(),
        ));
    };
    check_required(server.ctx(kind), &attributes)?;
    check_references(server, kind, id, &mut attributes)?;
    let mut data = serde_json::Value::Object(attributes);
    let data = if same_content(&data, &old) {
        old
    } else {
        if let Some(obj) = data.as_object_mut() {
            obj.insert("meta".into(), touched_meta(kind, &old, env));
        }
        server.commit(changes, kind, id, Some(data.clone()));
        data
    };
    let minimal = crate::render::Projection::wants_nothing(call.param("attributes"))
        || call
            .req
            .header("Prefer")
            .is_some_and(|p| p.to_ascii_lowercase().contains("return=minimal"));
    if minimal {
        let mut response = Response::empty(204);
        response.set_header("ETag", super::version_of(&data));
        return Ok(response);
    }
    Ok(resource_response(server, call, 200, kind, &data))
}
