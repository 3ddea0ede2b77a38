//! The in-memory resource store, its indexes, and the [`Change`] log that mirrors every mutation.
//!
//! Resources are kept in `BTreeMap`s keyed by id, so the default listing order is a pure function
//! of the data: stable across pages, across a cold start from IndexedDB and across an undo.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::schema::ResourceKind;
use crate::settings::Settings;

/// One resource as the worker persists it: one IndexedDB row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredResource {
    /// `User` or `Group`.
    pub resource_type: ResourceKind,
    /// The resource id (the row key together with the resource type).
    pub id: String,
    /// The stored JSON: the resource without computed attributes (`groups`, `meta.location`,
    /// member `$ref`s), with `password` and `meta.{created,lastModified,version}`.
    pub data: Value,
}

/// One durable change a request made, in the order it was made.
///
/// The worker writes all changes of one request in one IndexedDB transaction (`after: None`
/// deletes the row) and, if that transaction fails, hands them back to [`crate::Server::undo`],
/// which restores the exact previous state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Change {
    /// A resource was created (`before: None`), replaced, or deleted (`after: None`).
    #[serde(rename_all = "camelCase")]
    Resource {
        resource_type: ResourceKind,
        id: String,
        before: Option<Value>,
        after: Option<Value>,
    },
    /// The settings changed.
    Settings {
        before: Box<Settings>,
        after: Box<Settings>,
    },
}

/// Both resource collections and the indexes that make lookups fast.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    users: BTreeMap<String, Value>,
    groups: BTreeMap<String, Value>,
    /// Lower-cased `userName` → user id: uniqueness checks and the `userName eq` fast path.
    user_names: HashMap<String, String>,
    /// Member id → ids of the groups that list it: computes `User.groups` without a scan.
    memberships: HashMap<String, BTreeSet<String>>,
}

impl Store {
    fn map(&self, kind: ResourceKind) -> &BTreeMap<String, Value> {
        match kind {
            ResourceKind::User => &self.users,
            ResourceKind::Group => &self.groups,
        }
    }

    /// The resource with this id.
    pub(crate) fn get(&self, kind: ResourceKind, id: &str) -> Option<&Value> {
        self.map(kind).get(id)
    }

    /// The resource with this id, with the id as the store holds it.
    pub(crate) fn get_entry(&self, kind: ResourceKind, id: &str) -> Option<(&str, &Value)> {
        self.map(kind)
            .get_key_value(id)
            .map(|(id, v)| (id.as_str(), v))
    }

    /// Every resource of a kind, ordered by id.
    pub(crate) fn iter(&self, kind: ResourceKind) -> impl Iterator<Item = (&String, &Value)> {
        self.map(kind).iter()
    }

    /// How many resources of a kind there are.
    pub(crate) fn len(&self, kind: ResourceKind) -> usize {
        self.map(kind).len()
    }

    /// The id of the user whose `userName` equals `name`, ignoring case.
    pub(crate) fn user_id_by_name(&self, name: &str) -> Option<&str> {
        self.user_names
            .get(&name.to_lowercase())
            .map(String::as_str)
    }

    /// The ids of the groups that have `member_id` as a member, ordered by id.
    pub(crate) fn groups_of(&self, member_id: &str) -> impl Iterator<Item = &String> {
        self.memberships.get(member_id).into_iter().flatten()
    }

    /// Stores `data` under `id` (or deletes it when `None`) and keeps the indexes in step.
    pub(crate) fn set(&mut self, kind: ResourceKind, id: &str, data: Option<Value>) {
        let old = match kind {
            ResourceKind::User => self.users.remove(id),
            ResourceKind::Group => self.groups.remove(id),
        };
        if let Some(old) = &old {
            self.unindex(kind, id, old);
        }
        if let Some(new) = data {
            self.index(kind, id, &new);
            match kind {
                ResourceKind::User => self.users.insert(id.to_string(), new),
                ResourceKind::Group => self.groups.insert(id.to_string(), new),
            };
        }
    }

    fn index(&mut self, kind: ResourceKind, id: &str, data: &Value) {
        match kind {
            ResourceKind::User => {
                if let Some(name) = data.get("userName").and_then(Value::as_str) {
                    self.user_names.insert(name.to_lowercase(), id.to_string());
                }
            }
            ResourceKind::Group => {
                for member in member_ids(data) {
                    self.memberships
                        .entry(member.to_string())
                        .or_default()
                        .insert(id.to_string());
                }
            }
        }
    }

    fn unindex(&mut self, kind: ResourceKind, id: &str, data: &Value) {
        match kind {
            ResourceKind::User => {
                if let Some(name) = data.get("userName").and_then(Value::as_str) {
                    let key = name.to_lowercase();
                    if self.user_names.get(&key).is_some_and(|owner| owner == id) {
                        self.user_names.remove(&key);
                    }
                }
            }
            ResourceKind::Group => {
                for member in member_ids(data) {
                    if let Some(groups) = self.memberships.get_mut(member) {
                        groups.remove(id);
                        if groups.is_empty() {
                            self.memberships.remove(member);
                        }
                    }
                }
            }
        }
    }
}

/// The `value` of every member of a stored group.
pub(crate) fn member_ids(group: &Value) -> impl Iterator<Item = &str> {
    group
        .get("members")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("value").and_then(Value::as_str))
}
