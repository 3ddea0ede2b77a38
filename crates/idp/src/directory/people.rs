//! People: creating them, their profiles and passwords, and their lifecycle.

use super::*;

impl Directory {
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

    /// Profile sourcing's reactivation of a suspended user whose profile is not an exact match:
    /// like a reactivated deactivated user, they wait in Pending Activation (PROVISIONED)
    /// instead of becoming active (docs/okta-model.md, "Okta's rules").
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownUser`], or [`DirectoryError::InvalidTransition`] unless the
    /// user is suspended; the user is unchanged on error.
    pub fn unsuspend_pending(
        &mut self,
        user_id: &str,
    ) -> Result<Option<UserStatus>, DirectoryError> {
        let user = self
            .users
            .get_mut(user_id)
            .ok_or_else(|| DirectoryError::UnknownUser(user_id.into()))?;
        if user.status != UserStatus::Suspended {
            return Err(DirectoryError::InvalidTransition {
                from: user.status,
                action: Lifecycle::Unsuspend,
            });
        }
        user.status = UserStatus::Provisioned;
        Ok(Some(UserStatus::Provisioned))
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

    pub(super) fn delete_user(&mut self, user_id: &str) {
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
}
