//! `POST /Users`, `POST /Groups` (RFC 7644 §3.3).

use crate::error::ScimError;
use crate::http::{Env, Response};
use crate::resource::{check_required, normalize_body};
use crate::schema::ResourceKind;
use crate::server::Server;
use crate::store::Change;

use super::{assemble, check_references, new_meta, resource_response, Call};

/// Creates a resource: 201 with the resource, `Location` and `ETag`.
pub(crate) fn create(
    server: &mut Server,
    call: &Call<'_>,
    kind: ResourceKind,
    env: &mut Env<'_>,
    changes: &mut Vec<Change>,
) -> Result<Response, ScimError> {
    let body = call.json()?;
    let mut attributes = normalize_body(server.ctx(kind), &body)?;
    check_required(server.ctx(kind), &attributes)?;
    let id = fresh_id(server, kind, env)?;
    check_references(server, kind, &id, &mut attributes)?;
    let data = assemble(&id, attributes, new_meta(kind, env));
    server.commit(changes, kind, &id, Some(data.clone()));
    Ok(resource_response(server, call, 201, kind, &data))
}

/// Asks the environment for an id no resource has; a generator that keeps repeating itself is
/// a bug in the host, reported rather than looped on forever.
fn fresh_id(server: &Server, kind: ResourceKind, env: &mut Env<'_>) -> Result<String, ScimError> {
    for _ in 0..8 {
        let id = env.new_id();
        let taken = ResourceKind::ALL
            .into_iter()
            .any(|k| server.store.get(k, &id).is_some());
        if !id.is_empty() && !taken {
            return Ok(id);
        }
    }
    Err(ScimError::Uniqueness(format!(
        "the id generator keeps returning ids that are taken; cannot create the {}",
        kind.name()
    )))
}
