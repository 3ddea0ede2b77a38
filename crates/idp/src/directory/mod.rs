//! Okta's universal directory as the simulator models it: users with their base profile and
//! custom attributes, lifecycle statuses, groups, and app assignments with their app user
//! profiles.
//!
//! The directory is plain data with checked operations. It sends nothing: the push code reads
//! what an operation changed and decides what, if anything, goes over the wire.
//!
//! The parts: the types, lookups and ids (here), people and their lifecycle (`people`), groups
//! and their members (`groups`), and app assignments, direct or through groups
//! (`assignments`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::rng::Rng;

mod assignments;
mod groups;
mod people;
#[cfg(test)]
mod tests;

/// The attributes of Okta's base user profile, in the Profile Editor's order.
pub const BASE_ATTRIBUTES: [&str; 31] = [
    "login",
    "email",
    "secondEmail",
    "firstName",
    "lastName",
    "middleName",
    "honorificPrefix",
    "honorificSuffix",
    "title",
    "displayName",
    "nickName",
    "profileUrl",
    "primaryPhone",
    "mobilePhone",
    "streetAddress",
    "city",
    "state",
    "zipCode",
    "countryCode",
    "postalAddress",
    "preferredLanguage",
    "locale",
    "timezone",
    "userType",
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "department",
    "managerId",
    "manager",
];

/// The base attributes Okta requires on every user.
pub const REQUIRED_ATTRIBUTES: [&str; 4] = ["login", "email", "firstName", "lastName"];

/// Whether `name` is one of [`BASE_ATTRIBUTES`].
pub fn is_base_attribute(name: &str) -> bool {
    BASE_ATTRIBUTES.contains(&name)
}

/// An Okta user's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    /// Created but never activated.
    Staged,
    /// Activated but the user has not set a password yet ("Pending activation").
    Provisioned,
    /// Signed in or able to.
    Active,
    /// Temporarily barred from signing in; app assignments stay as they are.
    Suspended,
    /// Deactivated: every app account is deactivated too.
    Deprovisioned,
    /// A password reset is in progress.
    Recovery,
    /// Locked after too many failed sign-ins.
    LockedOut,
    /// Must change the password at the next sign-in.
    PasswordExpired,
}

impl UserStatus {
    /// Okta's name for the status, e.g. `DEPROVISIONED`.
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Staged => "STAGED",
            UserStatus::Provisioned => "PROVISIONED",
            UserStatus::Active => "ACTIVE",
            UserStatus::Suspended => "SUSPENDED",
            UserStatus::Deprovisioned => "DEPROVISIONED",
            UserStatus::Recovery => "RECOVERY",
            UserStatus::LockedOut => "LOCKED_OUT",
            UserStatus::PasswordExpired => "PASSWORD_EXPIRED",
        }
    }
}

/// A lifecycle operation, named as Okta's Users API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Lifecycle {
    /// STAGED → PROVISIONED (no password yet) or ACTIVE; PROVISIONED → ACTIVE once a password
    /// is set.
    Activate,
    /// ACTIVE (or RECOVERY, LOCKED_OUT, PASSWORD_EXPIRED) → SUSPENDED.
    Suspend,
    /// SUSPENDED → ACTIVE.
    Unsuspend,
    /// Any status but DEPROVISIONED → DEPROVISIONED.
    Deactivate,
    /// DEPROVISIONED → PROVISIONED (the user must activate again).
    Reactivate,
    /// DEPROVISIONED → gone. Okta deletes only deactivated users.
    Delete,
}

impl Lifecycle {
    /// The operation's name as the UI and errors show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Activate => "activate",
            Lifecycle::Suspend => "suspend",
            Lifecycle::Unsuspend => "unsuspend",
            Lifecycle::Deactivate => "deactivate",
            Lifecycle::Reactivate => "reactivate",
            Lifecycle::Delete => "delete",
        }
    }
}

/// Everything that can go wrong with a directory operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum DirectoryError {
    /// No user has this id, e.g. `suspend("00uNOPE")`.
    #[error("no user has the id {0}")]
    UnknownUser(String),
    /// No group has this id, e.g. `add_member("00gNOPE", …)`.
    #[error("no group has the id {0}")]
    UnknownGroup(String),
    /// Another user already has this login (Okta logins are unique, compared
    /// case-insensitively), e.g. creating `jane@x.com` twice.
    #[error("the login {0} is already taken")]
    LoginTaken(String),
    /// A required base attribute (`login`, `email`, `firstName`, `lastName`) is missing or
    /// empty, e.g. creating a user without `email`.
    #[error("the attribute {0} is required")]
    MissingAttribute(String),
    /// The operation is not allowed from the user's status, e.g. suspending a STAGED user or
    /// deleting an ACTIVE one.
    #[error("cannot {action} a user whose status is {from}", action = .action.as_str(), from = .from.as_str())]
    InvalidTransition {
        /// The status the user is in.
        from: UserStatus,
        /// The refused operation.
        action: Lifecycle,
    },
    /// A group with this name exists already (Okta group names are unique).
    #[error("a group called {0} exists already")]
    GroupNameTaken(String),
    /// Apps cannot be assigned to a deactivated user.
    #[error("cannot assign an app to a deactivated user")]
    UserDeactivated,
    /// The user is not assigned to the app, e.g. unassigning twice.
    #[error("the user is not assigned to the app {0}")]
    NotAssigned(String),
    /// The user has the app only through groups, so removing the direct assignment would do
    /// nothing; Okta asks to remove the user from the group instead.
    #[error(
        "the user is assigned to the app through the group {0}; remove them from the group instead"
    )]
    AssignedViaGroup(String),
}

/// An Okta user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Okta's id, e.g. `00u1ab2cd3EF4gh5i6j7`.
    pub id: String,
    /// The lifecycle status.
    pub status: UserStatus,
    /// The base profile: absent means never set (null in expressions), `""` means cleared.
    pub profile: BTreeMap<String, String>,
    /// Attributes added in the Profile Editor, of any JSON type.
    #[serde(default)]
    pub custom: BTreeMap<String, serde_json::Value>,
    /// The Okta password, when one is set (Sync Password can send it to apps).
    #[serde(default)]
    pub password: Option<String>,
}

impl User {
    /// The value of a base attribute, or `None` when it was never set.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.profile.get(name).map(String::as_str)
    }

    /// The login, or `""` for a user somehow without one.
    pub fn login(&self) -> &str {
        self.attr("login").unwrap_or_default()
    }
}

/// An Okta group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Okta's id, e.g. `00g1ab2cd3EF4gh5i6j7`.
    pub id: String,
    /// The unique name.
    pub name: String,
    /// A free-text description.
    #[serde(default)]
    pub description: String,
    /// The member user ids.
    #[serde(default)]
    pub members: BTreeSet<String>,
    /// The apps assigned to the group: each member is assigned to each of them.
    #[serde(default)]
    pub apps: BTreeSet<String>,
    /// Values this group's assignment gives its members' app user attributes, by app id: only
    /// attributes whose scope is Group (not "User personal") and that no mapping fills.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub app_values: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
}

/// How the app account of an assigned user stands, as far as Okta knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum SyncState {
    /// Nothing has been sent yet (or provisioning is off).
    Pending,
    /// The app account exists and matched the app user profile at the last push.
    Synced,
    /// The last push failed; Okta shows this as a provisioning error on the assignment.
    Error {
        /// What went wrong, as the System Log reason says it.
        reason: String,
    },
}

/// One user's account in one app: the assignment and the app user profile.
///
/// The record outlives the assignment: after an unassignment Okta still remembers the app
/// account's id, which is how a reassignment reactivates the same account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppUser {
    /// The Okta user.
    pub user_id: String,
    /// Whether the user is assigned directly.
    pub direct: bool,
    /// The groups through which the user is assigned.
    #[serde(default)]
    pub via_groups: BTreeSet<String>,
    /// The app user profile (app attribute → value), filled by the mappings.
    #[serde(default)]
    pub profile: BTreeMap<String, serde_json::Value>,
    /// The SCIM `id` of the app account, once created or linked.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Whether the app account is active, as last pushed.
    #[serde(default)]
    pub active: bool,
    /// The outcome of the last push.
    pub sync: SyncState,
}

impl AppUser {
    /// Whether the user is assigned at all (directly or through a group).
    pub fn is_assigned(&self) -> bool {
        self.direct || !self.via_groups.is_empty()
    }
}

/// What an assignment operation changed, which is what decides the push that follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AssignmentChange {
    /// The user was not assigned and now is, for the first time.
    Assigned,
    /// The user was assigned before, unassigned, and now is again (the app account is known).
    Reassigned,
    /// The user lost their last route to the app.
    Unassigned,
    /// Only the route changed (e.g. direct as well as through a group); nothing to push.
    Unchanged,
}

/// Users, groups and assignments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "DirectoryData")]
pub struct Directory {
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) groups: BTreeMap<String, Group>,
    /// App id → user id → the app user.
    pub(crate) app_users: BTreeMap<String, BTreeMap<String, AppUser>>,
    /// Makes the ids, so a directory built from the same seed always has the same ids.
    rng: Rng,
    /// Lower-cased login → user id. Derived from `users`, so it is never stored: it is
    /// rebuilt when a directory is read back. Without it every create would scan every user,
    /// and importing ten thousand users would take seconds.
    #[serde(skip)]
    by_login: HashMap<String, String>,
}

/// The stored form of a [`Directory`]: everything but the derived index.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DirectoryData {
    users: BTreeMap<String, User>,
    groups: BTreeMap<String, Group>,
    app_users: BTreeMap<String, BTreeMap<String, AppUser>>,
    rng: Rng,
}

impl From<DirectoryData> for Directory {
    fn from(data: DirectoryData) -> Directory {
        let mut directory = Directory {
            users: data.users,
            groups: data.groups,
            app_users: data.app_users,
            rng: data.rng,
            by_login: HashMap::new(),
        };
        directory.reindex();
        directory
    }
}

impl Default for Directory {
    fn default() -> Self {
        Directory::new(0)
    }
}

impl Directory {
    /// Rebuilds the derived login index from the users, after they were read back.
    pub(crate) fn reindex(&mut self) {
        self.by_login = self
            .users
            .values()
            .map(|u| (u.login().to_ascii_lowercase(), u.id.clone()))
            .collect();
    }

    /// The same directory without its users, groups and app users: what
    /// [`crate::saved`] writes as the head, the rest going in pieces.
    pub(crate) fn without_entries(&self) -> Directory {
        Directory {
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            app_users: BTreeMap::new(),
            rng: self.rng.clone(),
            by_login: HashMap::new(),
        }
    }

    /// An empty directory whose ids come from `seed`.
    pub fn new(seed: u64) -> Directory {
        Directory {
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            app_users: BTreeMap::new(),
            rng: Rng::new(seed),
            by_login: HashMap::new(),
        }
    }

    /// Every user, by id.
    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.users.values()
    }

    /// The user with this id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.get(id)
    }

    /// The user with this login, compared case-insensitively as Okta does.
    pub fn user_by_login(&self, login: &str) -> Option<&User> {
        self.users
            .get(self.by_login.get(&login.to_ascii_lowercase())?)
    }

    /// Every group, by id.
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.get(id)
    }

    pub(super) fn require_user(&self, user_id: &str) -> Result<&User, DirectoryError> {
        self.users
            .get(user_id)
            .ok_or_else(|| DirectoryError::UnknownUser(user_id.into()))
    }

    pub(super) fn fresh_id(&mut self, prefix: &str) -> String {
        loop {
            let id = self.rng.okta_id(prefix);
            if !self.users.contains_key(&id) && !self.groups.contains_key(&id) {
                return id;
            }
        }
    }
}

/// How a user reaches an app.
#[derive(Clone, Copy)]
pub(super) enum Route<'a> {
    Direct,
    Group(&'a str),
}
