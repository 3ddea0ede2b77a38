//! Group Push: Okta groups mirrored as SCIM groups in the app (docs/okta-model.md §3).
//!
//! A pushed group is created in the app (or linked to an app group of the same name), and from
//! then on renames and membership changes are sent as differences from what was last pushed.
//! Only members who have an app account (assigned and created or linked) can be members of the
//! app group, since the app knows nobody else.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::directory::{Directory, DirectoryError};
use crate::push::{Provisioner, PushError, Subject, PATCH_OP_URN};
use crate::syslog::event_type;
use crate::transport::encode_query_value;

/// The SCIM core Group schema.
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";

/// How a pushed group stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum GroupPushStatus {
    /// The last push succeeded.
    Active,
    /// The last push failed; Okta shows the group push as errored until the next success.
    Error {
        /// The System Log reason.
        reason: String,
    },
}

/// One Okta group pushed to the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupPush {
    /// The Okta group.
    pub group_id: String,
    /// The app group's SCIM `id`, once created or linked.
    pub app_group_id: Option<String>,
    /// The name last accepted by the app.
    pub pushed_name: Option<String>,
    /// The members last accepted by the app: SCIM user id → `display`.
    pub pushed_members: BTreeMap<String, String>,
    /// The outcome of the last push.
    pub status: GroupPushStatus,
}

/// Every group push of one app.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GroupPushes {
    pushes: BTreeMap<String, GroupPush>,
}

impl GroupPushes {
    /// The push of an Okta group.
    pub fn get(&self, group_id: &str) -> Option<&GroupPush> {
        self.pushes.get(group_id)
    }

    /// Every push, by Okta group id.
    pub fn iter(&self) -> impl Iterator<Item = &GroupPush> {
        self.pushes.values()
    }

    /// The pushed groups that have `user_id` as a member, for pushing membership changes after
    /// an assignment changed.
    pub fn containing(&self, dir: &Directory, user_id: &str) -> Vec<String> {
        self.pushes
            .keys()
            .filter(|g| dir.group(g).is_some_and(|g| g.members.contains(user_id)))
            .cloned()
            .collect()
    }
}

impl Provisioner<'_> {
    /// Starts pushing an Okta group: finds an app group of the same name (`displayName eq`)
    /// and links it, replacing its members with Okta's, or creates it with `POST /Groups` and
    /// adds the members.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownGroup`], or the failed request (the push stays, marked with
    /// the error, and the next push retries).
    pub async fn push_group(
        &mut self,
        dir: &Directory,
        pushes: &mut GroupPushes,
        group_id: &str,
    ) -> Result<(), PushError> {
        if !self.app.settings.enabled {
            return Err(PushError::Disabled);
        }
        let group = dir
            .group(group_id)
            .ok_or_else(|| DirectoryError::UnknownGroup(group_id.into()))?;
        let push = pushes
            .pushes
            .entry(group_id.into())
            .or_insert_with(|| GroupPush {
                group_id: group_id.into(),
                app_group_id: None,
                pushed_name: None,
                pushed_members: BTreeMap::new(),
                status: GroupPushStatus::Active,
            });
        if push.app_group_id.is_some() {
            return self.sync_group(dir, pushes, group_id).await;
        }
        let name = group.name.clone();
        let result = self.link_or_create(dir, push, &name).await;
        settle(push, &result);
        result
    }

    async fn link_or_create(
        &mut self,
        dir: &Directory,
        push: &mut GroupPush,
        name: &str,
    ) -> Result<(), PushError> {
        let client = self.app.settings.client;
        let base = self.app.settings.base_url.clone();
        let url = format!("{base}/Groups?{}", client.group_exists_query(name));
        let lookup = self.request("GET", url, None);
        let res = self
            .exchange(
                lookup,
                event_type::GROUP_PUSHED,
                Subject::Group(&push.group_id),
            )
            .await?;
        let existing = res.json().and_then(|j| {
            j.get("Resources")?
                .as_array()?
                .first()?
                .get("id")?
                .as_str()
                .map(str::to_string)
        });
        match existing {
            Some(id) => {
                push.app_group_id = Some(id);
                // A linked group takes Okta's membership wholesale.
                self.replace_members(dir, push).await
            }
            None => {
                let mut body = Map::new();
                body.insert("schemas".into(), json!([GROUP_URN]));
                body.insert("displayName".into(), json!(name));
                if client == crate::client::ClientProfile::EntraId {
                    body.insert("externalId".into(), json!(push.group_id));
                }
                body.insert("members".into(), json!([]));
                let post =
                    self.request("POST", format!("{base}/Groups"), Some(Value::Object(body)));
                let res = self
                    .exchange(
                        post,
                        event_type::GROUP_PUSHED,
                        Subject::Group(&push.group_id),
                    )
                    .await?;
                let id = res
                    .json()
                    .and_then(|j| j.get("id").and_then(Value::as_str).map(str::to_string))
                    .ok_or_else(|| {
                        PushError::InvalidResponse("the created group has no id".into())
                    })?;
                push.app_group_id = Some(id);
                push.pushed_name = Some(name.to_string());
                push.pushed_members.clear();
                self.send_difference(dir, push).await
            }
        }
    }

    /// Sends what changed in a pushed group since the last push: the name and the members
    /// added or removed. Okta repeats the name (with the id) on every membership update; a
    /// custom app gets the whole group with `PUT`.
    ///
    /// # Errors
    ///
    /// [`PushError::NotPushed`], [`DirectoryError::UnknownGroup`] or the failed request.
    pub async fn sync_group(
        &mut self,
        dir: &Directory,
        pushes: &mut GroupPushes,
        group_id: &str,
    ) -> Result<(), PushError> {
        // Membership changes of a pushed group are not sent while the integration is off; the
        // next push after it is enabled sends the difference.
        if !self.app.settings.enabled {
            return Ok(());
        }
        let push = pushes
            .pushes
            .get_mut(group_id)
            .ok_or_else(|| PushError::NotPushed(group_id.into()))?;
        let result = match push.app_group_id {
            Some(_) => self.send_difference(dir, push).await,
            None => {
                let name = dir
                    .group(group_id)
                    .map(|g| g.name.clone())
                    .ok_or_else(|| DirectoryError::UnknownGroup(group_id.into()))?;
                self.link_or_create(dir, push, &name).await
            }
        };
        settle(push, &result);
        result
    }

    /// "Push Now": replaces the app group's members wholesale with Okta's.
    ///
    /// # Errors
    ///
    /// As [`Provisioner::sync_group`].
    pub async fn push_group_now(
        &mut self,
        dir: &Directory,
        pushes: &mut GroupPushes,
        group_id: &str,
    ) -> Result<(), PushError> {
        if !self.app.settings.enabled {
            return Err(PushError::Disabled);
        }
        let push = pushes
            .pushes
            .get_mut(group_id)
            .ok_or_else(|| PushError::NotPushed(group_id.into()))?;
        if push.app_group_id.is_none() {
            return self.sync_group(dir, pushes, group_id).await;
        }
        let result = self.replace_members(dir, push).await;
        settle(push, &result);
        result
    }

    /// Stops pushing a group; with `delete_in_app`, deletes the app group first
    /// (`DELETE /Groups/{id}`, expecting 204). The push is forgotten only once that succeeded.
    ///
    /// # Errors
    ///
    /// [`PushError::NotPushed`] or the failed `DELETE`.
    pub async fn unlink_group(
        &mut self,
        pushes: &mut GroupPushes,
        group_id: &str,
        delete_in_app: bool,
    ) -> Result<(), PushError> {
        let push = pushes
            .pushes
            .get_mut(group_id)
            .ok_or_else(|| PushError::NotPushed(group_id.into()))?;
        if let (true, Some(app_group_id)) = (delete_in_app, push.app_group_id.clone()) {
            let url = format!(
                "{}/Groups/{}",
                self.app.settings.base_url,
                encode_query_value(&app_group_id)
            );
            let delete = self.request("DELETE", url, None);
            let result = self
                .exchange(delete, event_type::GROUP_REMOVED, Subject::Group(group_id))
                .await
                .map(|_| ());
            if result.is_err() {
                settle(push, &result);
                return result;
            }
        }
        pushes.pushes.remove(group_id);
        Ok(())
    }

    /// The members the app group should have: members with an app account.
    fn desired_members(&self, dir: &Directory, group_id: &str) -> BTreeMap<String, String> {
        let Some(group) = dir.group(group_id) else {
            return BTreeMap::new();
        };
        group
            .members
            .iter()
            .filter_map(|user_id| {
                let app_user = dir
                    .app_user(&self.app.id, user_id)
                    .filter(|a| a.is_assigned())?;
                let scim_id = app_user.external_id.clone()?;
                let display = app_user
                    .profile
                    .get("userName")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| dir.user(user_id).map(|u| u.login().to_string()))
                    .unwrap_or_default();
                Some((scim_id, display))
            })
            .collect()
    }

    async fn send_difference(
        &mut self,
        dir: &Directory,
        push: &mut GroupPush,
    ) -> Result<(), PushError> {
        let Some(app_group_id) = push.app_group_id.clone() else {
            return Err(PushError::NotPushed(push.group_id.clone()));
        };
        let name = dir
            .group(&push.group_id)
            .map(|g| g.name.clone())
            .ok_or_else(|| DirectoryError::UnknownGroup(push.group_id.clone()))?;
        let desired = self.desired_members(dir, &push.group_id);
        let added: Vec<(String, String)> = desired
            .iter()
            .filter(|(id, _)| !push.pushed_members.contains_key(*id))
            .map(|(id, name)| (id.clone(), name.clone()))
            .collect();
        let removed: Vec<String> = push
            .pushed_members
            .keys()
            .filter(|id| !desired.contains_key(*id))
            .cloned()
            .collect();
        let renamed = push.pushed_name.as_deref() != Some(name.as_str());
        if !renamed && added.is_empty() && removed.is_empty() {
            return Ok(());
        }
        let event = if added.is_empty() && removed.is_empty() {
            event_type::GROUP_UPDATED
        } else {
            event_type::GROUP_PUSH_MEMBERSHIPS
        };
        let client = self.app.settings.client;
        if client.puts_groups() {
            self.put_group(push, &app_group_id, &name, &desired, event)
                .await?;
        } else {
            let mut operations = Vec::new();
            // Okta repeats the name with every membership update; Entra ID sends it only when
            // it changed.
            if renamed || client != crate::client::ClientProfile::EntraId {
                operations.extend(client.rename_group_operations(&app_group_id, &name));
            }
            if !added.is_empty() {
                operations.push(client.add_members_operation(&added));
            }
            operations.extend(client.remove_members_operations(&removed));
            self.patch_group(push, &app_group_id, operations, event)
                .await?;
        }
        push.pushed_name = Some(name);
        push.pushed_members = desired;
        Ok(())
    }

    async fn replace_members(
        &mut self,
        dir: &Directory,
        push: &mut GroupPush,
    ) -> Result<(), PushError> {
        let Some(app_group_id) = push.app_group_id.clone() else {
            return Err(PushError::NotPushed(push.group_id.clone()));
        };
        let name = dir
            .group(&push.group_id)
            .map(|g| g.name.clone())
            .ok_or_else(|| DirectoryError::UnknownGroup(push.group_id.clone()))?;
        let desired = self.desired_members(dir, &push.group_id);
        let client = self.app.settings.client;
        let event = event_type::GROUP_PUSH_MEMBERSHIPS;
        if client.puts_groups() {
            self.put_group(push, &app_group_id, &name, &desired, event)
                .await?;
        } else {
            let mut operations = client.rename_group_operations(&app_group_id, &name);
            let members: Vec<Value> = desired
                .iter()
                .map(|(id, display)| json!({"value": id, "display": display}))
                .collect();
            operations
                .push(json!({"op": client.op("replace"), "path": "members", "value": members}));
            self.patch_group(push, &app_group_id, operations, event)
                .await?;
        }
        push.pushed_name = Some(name);
        push.pushed_members = desired;
        Ok(())
    }

    async fn put_group(
        &mut self,
        push: &GroupPush,
        app_group_id: &str,
        name: &str,
        members: &BTreeMap<String, String>,
        event: &str,
    ) -> Result<(), PushError> {
        let members: Vec<Value> = members
            .iter()
            .map(|(id, display)| json!({"value": id, "display": display}))
            .collect();
        let body = json!({
            "schemas": [GROUP_URN],
            "id": app_group_id,
            "displayName": name,
            "members": members,
        });
        let url = format!(
            "{}/Groups/{}",
            self.app.settings.base_url,
            encode_query_value(app_group_id)
        );
        let put = self.request("PUT", url, Some(body));
        self.exchange(put, event, Subject::Group(&push.group_id))
            .await
            .map(|_| ())
    }

    async fn patch_group(
        &mut self,
        push: &GroupPush,
        app_group_id: &str,
        operations: Vec<Value>,
        event: &str,
    ) -> Result<(), PushError> {
        let body = json!({"schemas": [PATCH_OP_URN], "Operations": operations});
        let url = format!(
            "{}/Groups/{}",
            self.app.settings.base_url,
            encode_query_value(app_group_id)
        );
        let patch = self.request("PATCH", url, Some(body));
        self.exchange(patch, event, Subject::Group(&push.group_id))
            .await
            .map(|_| ())
    }
}

/// Records the end of an attempt on the push.
fn settle(push: &mut GroupPush, result: &Result<(), PushError>) {
    push.status = match result {
        Ok(()) => GroupPushStatus::Active,
        Err(e) => GroupPushStatus::Error {
            reason: e.to_string(),
        },
    };
}
