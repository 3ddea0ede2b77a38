//! Groups and their members (a member joins and leaves the apps assigned to the group).

use super::*;

impl Directory {
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
                app_values: BTreeMap::new(),
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
}
