//! `DELETE /Users/{id}`, `DELETE /Groups/{id}` (RFC 7644 §3.6).

use serde_json::Value;

use crate::error::ScimError;
use crate::http::{Env, Response};
use crate::schema::ResourceKind;
use crate::server::Server;
use crate::store::Change;

use super::get::find;
use super::{check_if_match, touched_meta, Call};

/// Deletes a resource (204) and removes it from every group that listed it as a member, so no
/// group is left pointing at nothing.
pub(crate) fn delete(
    server: &mut Server,
    call: &Call<'_>,
    kind: ResourceKind,
    id: &str,
    env: &mut Env<'_>,
    changes: &mut Vec<Change>,
) -> Result<Response, ScimError> {
    let old = find(server, kind, id)?;
    check_if_match(call, old)?;
    let groups: Vec<String> = server.store.groups_of(id).cloned().collect();
    for group_id in groups {
        let Some(group) = server.store.get(ResourceKind::Group, &group_id).cloned() else {
            continue;
        };
        let mut updated = group.clone();
        if let Some(obj) = updated.as_object_mut() {
            if let Some(members) = obj.get_mut("members").and_then(Value::as_array_mut) {
                members.retain(|m| m.get("value").and_then(Value::as_str) != Some(id));
                if members.is_empty() {
                    obj.remove("members");
                }
            }
            obj.insert(
                "meta".into(),
                touched_meta(ResourceKind::Group, &group, env),
            );
        }
        server.commit(changes, ResourceKind::Group, &group_id, Some(updated));
    }
    server.commit(changes, kind, id, None);
    Ok(Response::empty(204))
}
