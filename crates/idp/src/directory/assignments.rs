//! App assignments, direct or through a group, and the app user each one creates.

use super::*;

impl Directory {
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

    /// The values a user's groups give the app's attributes: from each group that assigns the
    /// app and has the user as a member, in the order of the groups' names, the first group
    /// that sets an attribute giving its value. (Okta lets an admin order the groups by
    /// priority; without that setting here, name order is our choice: docs/okta-model.md §8.)
    pub fn group_values(&self, app_id: &str, user_id: &str) -> BTreeMap<String, serde_json::Value> {
        let mut groups: Vec<&Group> = self
            .groups
            .values()
            .filter(|g| g.apps.contains(app_id) && g.members.contains(user_id))
            .collect();
        groups.sort_by(|a, b| a.name.cmp(&b.name));
        let mut out = BTreeMap::new();
        for group in groups {
            for (name, value) in group.app_values.get(app_id).into_iter().flatten() {
                out.entry(name.clone()).or_insert_with(|| value.clone());
            }
        }
        out
    }

    /// Replaces the values a group's assignment of an app gives its members (checked by the
    /// caller against the app's attributes). Returns the members assigned through the group.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownGroup`], or [`DirectoryError::NotAssigned`] when the group does
    /// not have the app.
    pub fn set_group_values(
        &mut self,
        app_id: &str,
        group_id: &str,
        values: BTreeMap<String, serde_json::Value>,
    ) -> Result<Vec<String>, DirectoryError> {
        let group = self
            .groups
            .get_mut(group_id)
            .ok_or_else(|| DirectoryError::UnknownGroup(group_id.into()))?;
        if !group.apps.contains(app_id) {
            return Err(DirectoryError::NotAssigned(app_id.into()));
        }
        if values.is_empty() {
            group.app_values.remove(app_id);
        } else {
            group.app_values.insert(app_id.into(), values);
        }
        Ok(group.members.iter().cloned().collect())
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

    pub(super) fn add_route(
        &mut self,
        app_id: &str,
        user_id: &str,
        route: Route<'_>,
    ) -> AssignmentChange {
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

    pub(super) fn remove_route(
        &mut self,
        app_id: &str,
        user_id: &str,
        route: Route<'_>,
    ) -> AssignmentChange {
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
}
