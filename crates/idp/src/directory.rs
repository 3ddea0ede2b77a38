//! Okta's universal directory as the simulator models it: users with their base profile and
//! custom attributes, lifecycle statuses, groups, and app assignments with their app user
//! profiles.
//!
//! The directory is plain data with checked operations. It sends nothing: the push code reads
//! what an operation changed and decides what, if anything, goes over the wire.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::rng::Rng;

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

    /// Creates a STAGED user from a base profile (unknown names are refused as missing from
    /// the base profile would be: they go to `custom`) and returns its id.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::MissingAttribute`] or [`DirectoryError::LoginTaken`].
    pub fn create_user(
        &mut self,
        profile: BTreeMap<String, String>,
        custom: BTreeMap<String, serde_json::Value>,
    ) -> Result<String, DirectoryError> {
        for name in REQUIRED_ATTRIBUTES {
            if profile.get(name).is_none_or(|v| v.is_empty()) {
                return Err(DirectoryError::MissingAttribute(name.into()));
            }
        }
        let login = profile.get("login").cloned().unwrap_or_default();
        if self.user_by_login(&login).is_some() {
            return Err(DirectoryError::LoginTaken(login));
        }
        let id = self.fresh_id("00u");
        let (profile, extra): (BTreeMap<_, _>, BTreeMap<_, _>) = profile
            .into_iter()
            .partition(|(name, _)| is_base_attribute(name));
        let mut custom = custom;
        for (name, value) in extra {
            custom.insert(name, serde_json::Value::String(value));
        }
        self.by_login.insert(login.to_ascii_lowercase(), id.clone());
        self.users.insert(
            id.clone(),
            User {
                id: id.clone(),
                status: UserStatus::Staged,
                profile,
                custom,
                password: None,
            },
        );
        Ok(id)
    }

    /// Changes base attributes: `Some(v)` sets, `None` unsets (back to null). Custom
    /// attributes go through [`Directory::set_custom`].
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownUser`], [`DirectoryError::MissingAttribute`] when a required
    /// attribute would be emptied, [`DirectoryError::LoginTaken`] when renaming onto another
    /// user's login. Nothing changes on error.
    pub fn update_profile(
        &mut self,
        user_id: &str,
        changes: BTreeMap<String, Option<String>>,
    ) -> Result<(), DirectoryError> {
        let user = self
            .users
            .get(user_id)
            .ok_or_else(|| DirectoryError::UnknownUser(user_id.into()))?;
        let mut profile = user.profile.clone();
        let mut custom = user.custom.clone();
        for (name, value) in changes {
            match (is_base_attribute(&name), value) {
                (true, Some(v)) => {
                    profile.insert(name, v);
                }
                (true, None) => {
                    profile.remove(&name);
                }
                (false, Some(v)) => {
                    custom.insert(name, serde_json::Value::String(v));
                }
                (false, None) => {
                    custom.remove(&name);
                }
            }
        }
        for name in REQUIRED_ATTRIBUTES {
            if profile.get(name).is_none_or(|v| v.is_empty()) {
                return Err(DirectoryError::MissingAttribute(name.into()));
            }
        }
        let login = profile.get("login").cloned().unwrap_or_default();
        if let Some(other) = self.user_by_login(&login) {
            if other.id != user_id {
                return Err(DirectoryError::LoginTaken(login));
            }
        }
        if let Some(user) = self.users.get_mut(user_id) {
            self.by_login.remove(&user.login().to_ascii_lowercase());
            self.by_login
                .insert(login.to_ascii_lowercase(), user_id.to_string());
            user.profile = profile;
            user.custom = custom;
        }
        Ok(())
    }

    /// Sets a custom attribute to any JSON value.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownUser`].
    pub fn set_custom(
        &mut self,
        user_id: &str,
        name: &str,
        value: serde_json::Value,
    ) -> Result<(), DirectoryError> {
        let user = self
            .users
            .get_mut(user_id)
            .ok_or_else(|| DirectoryError::UnknownUser(user_id.into()))?;
        user.custom.insert(name.into(), value);
        Ok(())
    }

    /// Sets the user's Okta password.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownUser`].
    pub fn set_password(&mut self, user_id: &str, password: &str) -> Result<(), DirectoryError> {
        let user = self
            .users
            .get_mut(user_id)
            .ok_or_else(|| DirectoryError::UnknownUser(user_id.into()))?;
        user.password = Some(password.into());
        Ok(())
    }

    /// Applies a lifecycle operation and returns the new status (`None` after a delete).
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownUser`] or [`DirectoryError::InvalidTransition`]; the user is
    /// unchanged on error.
    pub fn transition(
        &mut self,
        user_id: &str,
        action: Lifecycle,
    ) -> Result<Option<UserStatus>, DirectoryError> {
        let user = self
            .users
            .get(user_id)
            .ok_or_else(|| DirectoryError::UnknownUser(user_id.into()))?;
        let from = user.status;
        let refused = DirectoryError::InvalidTransition { from, action };
        let has_password = user.password.is_some();
        use UserStatus as S;
        let to = match (action, from) {
            (Lifecycle::Activate, S::Staged) if !has_password => S::Provisioned,
            (Lifecycle::Activate, S::Staged | S::Provisioned) => S::Active,
            (Lifecycle::Suspend, S::Active | S::Recovery | S::LockedOut | S::PasswordExpired) => {
                S::Suspended
            }
            (Lifecycle::Unsuspend, S::Suspended) => S::Active,
            (Lifecycle::Deactivate, from) if from != S::Deprovisioned => S::Deprovisioned,
            (Lifecycle::Reactivate, S::Deprovisioned) => S::Provisioned,
            (Lifecycle::Delete, S::Deprovisioned) => {
                self.delete_user(user_id);
                return Ok(None);
            }
            _ => return Err(refused),
        };
        if let Some(user) = self.users.get_mut(user_id) {
            user.status = to;
        }
        Ok(Some(to))
    }

    fn delete_user(&mut self, user_id: &str) {
        if let Some(user) = self.users.remove(user_id) {
            self.by_login.remove(&user.login().to_ascii_lowercase());
        }
        for group in self.groups.values_mut() {
            group.members.remove(user_id);
        }
        for app_users in self.app_users.values_mut() {
            app_users.remove(user_id);
        }
    }

    /// Creates a group and returns its id.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::GroupNameTaken`].
    pub fn create_group(
        &mut self,
        name: &str,
        description: &str,
    ) -> Result<String, DirectoryError> {
        if self.groups.values().any(|g| g.name == name) {
            return Err(DirectoryError::GroupNameTaken(name.into()));
        }
        let id = self.fresh_id("00g");
        self.groups.insert(
            id.clone(),
            Group {
                id: id.clone(),
                name: name.into(),
                description: description.into(),
                members: BTreeSet::new(),
                apps: BTreeSet::new(),
            },
        );
        Ok(id)
    }

    /// Renames a group.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownGroup`] or [`DirectoryError::GroupNameTaken`].
    pub fn rename_group(&mut self, group_id: &str, name: &str) -> Result<(), DirectoryError> {
        if self
            .groups
            .values()
            .any(|g| g.name == name && g.id != group_id)
        {
            return Err(DirectoryError::GroupNameTaken(name.into()));
        }
        let group = self
            .groups
            .get_mut(group_id)
            .ok_or_else(|| DirectoryError::UnknownGroup(group_id.into()))?;
        group.name = name.into();
        Ok(())
    }

    /// Adds a user to a group, which assigns them every app of the group. Returns the
    /// assignment change for each of those apps.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownUser`] or [`DirectoryError::UnknownGroup`].
    pub fn add_member(
        &mut self,
        group_id: &str,
        user_id: &str,
    ) -> Result<Vec<(String, AssignmentChange)>, DirectoryError> {
        let user = self.require_user(user_id)?;
        let assignable = user.status != UserStatus::Deprovisioned;
        let group = self
            .groups
            .get_mut(group_id)
            .ok_or_else(|| DirectoryError::UnknownGroup(group_id.into()))?;
        group.members.insert(user_id.into());
        let apps: Vec<String> = group.apps.iter().cloned().collect();
        let mut changes = Vec::new();
        if assignable {
            for app_id in apps {
                let change = self.add_route(&app_id, user_id, Route::Group(group_id));
                changes.push((app_id, change));
            }
        }
        Ok(changes)
    }

    /// Removes a user from a group, which removes the group's route to each of its apps.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownUser`] or [`DirectoryError::UnknownGroup`].
    pub fn remove_member(
        &mut self,
        group_id: &str,
        user_id: &str,
    ) -> Result<Vec<(String, AssignmentChange)>, DirectoryError> {
        self.require_user(user_id)?;
        let group = self
            .groups
            .get_mut(group_id)
            .ok_or_else(|| DirectoryError::UnknownGroup(group_id.into()))?;
        group.members.remove(user_id);
        let apps: Vec<String> = group.apps.iter().cloned().collect();
        Ok(apps
            .into_iter()
            .map(|app_id| {
                let change = self.remove_route(&app_id, user_id, Route::Group(group_id));
                (app_id, change)
            })
            .collect())
    }

    /// Assigns an app to a group: every member not deactivated gets it. Returns the users
    /// whose assignment changed.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownGroup`].
    pub fn assign_group(
        &mut self,
        app_id: &str,
        group_id: &str,
    ) -> Result<Vec<(String, AssignmentChange)>, DirectoryError> {
        let group = self
            .groups
            .get_mut(group_id)
            .ok_or_else(|| DirectoryError::UnknownGroup(group_id.into()))?;
        group.apps.insert(app_id.into());
        let members: Vec<String> = group.members.iter().cloned().collect();
        let mut changes = Vec::new();
        for user_id in members {
            let assignable = self
                .users
                .get(&user_id)
                .is_some_and(|u| u.status != UserStatus::Deprovisioned);
            if assignable {
                let change = self.add_route(app_id, &user_id, Route::Group(group_id));
                changes.push((user_id, change));
            }
        }
        Ok(changes)
    }

    /// Removes an app from a group: members lose that route to it.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownGroup`].
    pub fn unassign_group(
        &mut self,
        app_id: &str,
        group_id: &str,
    ) -> Result<Vec<(String, AssignmentChange)>, DirectoryError> {
        let group = self
            .groups
            .get_mut(group_id)
            .ok_or_else(|| DirectoryError::UnknownGroup(group_id.into()))?;
        group.apps.remove(app_id);
        let members: Vec<String> = group.members.iter().cloned().collect();
        Ok(members
            .into_iter()
            .map(|user_id| {
                let change = self.remove_route(app_id, &user_id, Route::Group(group_id));
                (user_id, change)
            })
            .collect())
    }

    /// Assigns an app to a user directly.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownUser`] or [`DirectoryError::UserDeactivated`].
    pub fn assign_user(
        &mut self,
        app_id: &str,
        user_id: &str,
    ) -> Result<AssignmentChange, DirectoryError> {
        if self.require_user(user_id)?.status == UserStatus::Deprovisioned {
            return Err(DirectoryError::UserDeactivated);
        }
        Ok(self.add_route(app_id, user_id, Route::Direct))
    }

    /// Removes a user's direct assignment.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownUser`], [`DirectoryError::NotAssigned`], or
    /// [`DirectoryError::AssignedViaGroup`] when the user has the app only through a group.
    pub fn unassign_user(
        &mut self,
        app_id: &str,
        user_id: &str,
    ) -> Result<AssignmentChange, DirectoryError> {
        self.require_user(user_id)?;
        let app_user = self
            .app_user(app_id, user_id)
            .filter(|a| a.is_assigned())
            .ok_or_else(|| DirectoryError::NotAssigned(app_id.into()))?;
        if !app_user.direct {
            let group = app_user
                .via_groups
                .iter()
                .next()
                .cloned()
                .unwrap_or_default();
            return Err(DirectoryError::AssignedViaGroup(group));
        }
        Ok(self.remove_route(app_id, user_id, Route::Direct))
    }

    /// The app user record of `user_id` in `app_id`, assigned or not.
    pub fn app_user(&self, app_id: &str, user_id: &str) -> Option<&AppUser> {
        self.app_users.get(app_id)?.get(user_id)
    }

    /// The app user record, for the push code to record what it did.
    pub fn app_user_mut(&mut self, app_id: &str, user_id: &str) -> Option<&mut AppUser> {
        self.app_users.get_mut(app_id)?.get_mut(user_id)
    }

    /// Every app user record of an app, assigned or not.
    pub fn app_users(&self, app_id: &str) -> impl Iterator<Item = &AppUser> {
        self.app_users
            .get(app_id)
            .into_iter()
            .flat_map(|m| m.values())
    }

    /// How many assignments the org has, across every app (the org-level import safeguard
    /// measures against this).
    pub fn assignment_count(&self) -> usize {
        self.app_users
            .values()
            .map(|users| users.values().filter(|a| a.is_assigned()).count())
            .sum()
    }

    /// The apps a user is currently assigned to.
    pub fn apps_of(&self, user_id: &str) -> Vec<String> {
        self.app_users
            .iter()
            .filter(|(_, users)| users.get(user_id).is_some_and(AppUser::is_assigned))
            .map(|(app_id, _)| app_id.clone())
            .collect()
    }

    fn require_user(&self, user_id: &str) -> Result<&User, DirectoryError> {
        self.users
            .get(user_id)
            .ok_or_else(|| DirectoryError::UnknownUser(user_id.into()))
    }

    fn add_route(&mut self, app_id: &str, user_id: &str, route: Route<'_>) -> AssignmentChange {
        let app_user = self
            .app_users
            .entry(app_id.into())
            .or_default()
            .entry(user_id.into())
            .or_insert_with(|| AppUser {
                user_id: user_id.into(),
                direct: false,
                via_groups: BTreeSet::new(),
                profile: BTreeMap::new(),
                external_id: None,
                active: false,
                sync: SyncState::Pending,
            });
        let was_assigned = app_user.is_assigned();
        match route {
            Route::Direct => app_user.direct = true,
            Route::Group(group_id) => {
                app_user.via_groups.insert(group_id.into());
            }
        }
        match (was_assigned, app_user.external_id.is_some()) {
            (true, _) => AssignmentChange::Unchanged,
            (false, true) => AssignmentChange::Reassigned,
            (false, false) => AssignmentChange::Assigned,
        }
    }

    fn remove_route(&mut self, app_id: &str, user_id: &str, route: Route<'_>) -> AssignmentChange {
        let Some(app_user) = self.app_user_mut(app_id, user_id) else {
            return AssignmentChange::Unchanged;
        };
        let was_assigned = app_user.is_assigned();
        match route {
            Route::Direct => app_user.direct = false,
            Route::Group(group_id) => {
                app_user.via_groups.remove(group_id);
            }
        }
        if was_assigned && !app_user.is_assigned() {
            AssignmentChange::Unassigned
        } else {
            AssignmentChange::Unchanged
        }
    }

    fn fresh_id(&mut self, prefix: &str) -> String {
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
enum Route<'a> {
    Direct,
    Group(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jane(dir: &mut Directory) -> String {
        let profile = [
            ("login", "jane@x.com"),
            ("email", "jane@x.com"),
            ("firstName", "Jane"),
            ("lastName", "Doe"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        dir.create_user(profile, BTreeMap::new())
            .expect("jane is valid")
    }

    #[test]
    fn the_lifecycle_follows_oktas_transitions() {
        let mut dir = Directory::new(1);
        let id = jane(&mut dir);
        assert_eq!(
            dir.transition(&id, Lifecycle::Suspend),
            Err(DirectoryError::InvalidTransition {
                from: UserStatus::Staged,
                action: Lifecycle::Suspend
            })
        );
        assert_eq!(
            dir.transition(&id, Lifecycle::Activate),
            Ok(Some(UserStatus::Provisioned))
        );
        dir.set_password(&id, "pw").expect("jane exists");
        assert_eq!(
            dir.transition(&id, Lifecycle::Activate),
            Ok(Some(UserStatus::Active))
        );
        assert_eq!(
            dir.transition(&id, Lifecycle::Suspend),
            Ok(Some(UserStatus::Suspended))
        );
        assert_eq!(
            dir.transition(&id, Lifecycle::Unsuspend),
            Ok(Some(UserStatus::Active))
        );
        assert!(dir.transition(&id, Lifecycle::Delete).is_err());
        assert_eq!(
            dir.transition(&id, Lifecycle::Deactivate),
            Ok(Some(UserStatus::Deprovisioned))
        );
        assert!(dir.transition(&id, Lifecycle::Deactivate).is_err());
        assert_eq!(
            dir.transition(&id, Lifecycle::Reactivate),
            Ok(Some(UserStatus::Provisioned))
        );
        dir.transition(&id, Lifecycle::Deactivate)
            .expect("provisioned users deactivate");
        assert_eq!(dir.transition(&id, Lifecycle::Delete), Ok(None));
        assert!(dir.user(&id).is_none());
        assert!(dir.user_by_login("jane@x.com").is_none());
        assert_eq!(
            dir.transition(&id, Lifecycle::Activate),
            Err(DirectoryError::UnknownUser(id))
        );
    }

    #[test]
    fn the_login_index_survives_renames_and_a_round_trip_through_json() {
        let mut dir = Directory::new(1);
        let id = jane(&mut dir);
        let rename = BTreeMap::from([("login".to_string(), Some("Janet@X.com".to_string()))]);
        dir.update_profile(&id, rename).expect("a free login");
        assert!(dir.user_by_login("jane@x.com").is_none());
        assert_eq!(
            dir.user_by_login("janet@x.com").map(|u| u.id.clone()),
            Some(id)
        );
        let json = serde_json::to_string(&dir).expect("serialisable");
        assert!(!json.contains("byLogin"));
        let back: Directory = serde_json::from_str(&json).expect("readable");
        assert_eq!(back, dir);
    }

    #[test]
    fn required_attributes_and_unique_logins_are_enforced() {
        let mut dir = Directory::new(1);
        let id = jane(&mut dir);
        let again = dir.user(&id).map(|u| u.profile.clone()).unwrap_or_default();
        let mut shouted = again.clone();
        shouted.insert("login".into(), "JANE@X.COM".into());
        assert!(matches!(
            dir.create_user(shouted, BTreeMap::new()),
            Err(DirectoryError::LoginTaken(_))
        ));
        let mut missing = again;
        missing.remove("email");
        assert_eq!(
            dir.create_user(missing, BTreeMap::new()),
            Err(DirectoryError::MissingAttribute("email".into()))
        );
        let clear = BTreeMap::from([("lastName".to_string(), None)]);
        assert!(dir.update_profile(&id, clear).is_err());
        assert_eq!(dir.user(&id).and_then(|u| u.attr("lastName")), Some("Doe"));
    }

    #[test]
    fn assignments_through_groups_and_directly_are_counted_separately() {
        let mut dir = Directory::new(1);
        let id = jane(&mut dir);
        let group = dir.create_group("Engineering", "").expect("a new name");
        assert_eq!(dir.assign_group("app", &group), Ok(Vec::new()));
        assert_eq!(
            dir.add_member(&group, &id),
            Ok(vec![("app".to_string(), AssignmentChange::Assigned)])
        );
        assert_eq!(dir.assign_user("app", &id), Ok(AssignmentChange::Unchanged));
        assert_eq!(
            dir.unassign_user("app", &id),
            Ok(AssignmentChange::Unchanged)
        );
        assert_eq!(
            dir.unassign_user("app", &id),
            Err(DirectoryError::AssignedViaGroup(group.clone()))
        );
        if let Some(app_user) = dir.app_user_mut("app", &id) {
            app_user.external_id = Some("scim-1".into());
        }
        assert_eq!(
            dir.remove_member(&group, &id),
            Ok(vec![("app".to_string(), AssignmentChange::Unassigned)])
        );
        assert_eq!(
            dir.assign_user("app", &id),
            Ok(AssignmentChange::Reassigned)
        );
        assert_eq!(dir.apps_of(&id), vec!["app".to_string()]);
    }
}
