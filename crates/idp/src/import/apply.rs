//! Applying an import: what needs no confirmation (sourcing, automatic confirmations) and an
//! admin's decisions, row by row.

use super::run::value_text;
use super::*;

impl Org {
    /// Applies what needs no confirmation (sourcing of linked users, and the automatic
    /// confirmations), in steps of [`YIELD_EVERY`] rows.
    pub(super) async fn apply(&mut self, run: &mut ImportRun, clock: &dyn Clock) {
        let rules = self.import.matching.clone();
        for (position, row) in run.rows.iter_mut().enumerate() {
            if position % YIELD_EVERY == YIELD_EVERY - 1 {
                clock.sleep(0).await;
            }
            if row.state == RowState::Held {
                row.state = RowState::Done;
            }
            match row.kind {
                RowKind::Unchanged | RowKind::Updated => self.apply_linked(row, clock),
                RowKind::DeactivatedInApp => self.apply_deactivated(row, clock, false),
                RowKind::RemovedInApp => self.apply_deactivated(row, clock, true),
                RowKind::ReactivatedInApp => self.apply_reactivated(row, clock),
                RowKind::Exact if rules.auto_confirm_exact && row.state == RowState::Pending => {
                    self.confirm_row(row, false, clock)
                }
                RowKind::Partial
                    if rules.auto_confirm_partial && row.state == RowState::Pending =>
                {
                    self.confirm_row(row, false, clock)
                }
                // "Confirm new users" never applies to users who already exist in Okta: a
                // login that is taken stays pending for the admin.
                RowKind::New
                    if rules.auto_confirm_new
                        && row.state == RowState::Pending
                        && self.directory.user_by_login(&row.username).is_none() =>
                {
                    self.confirm_row(row, rules.auto_activate_new, clock)
                }
                _ => {}
            }
        }
        self.finish(run, clock);
    }

    pub(super) fn finish(&mut self, run: &mut ImportRun, clock: &dyn Clock) {
        let pending = run.rows.iter().any(|r| r.state == RowState::Pending);
        let was_complete = run.status == RunStatus::Complete;
        run.status = if pending {
            RunStatus::AwaitingConfirmation
        } else {
            RunStatus::Complete
        };
        if run.status == RunStatus::Complete && !was_complete {
            self.note(
                clock,
                event_type::IMPORT_COMPLETE,
                Outcome::Success,
                Some(run.stats.to_string()),
            );
        }
    }

    pub(super) fn apply_linked(&mut self, row: &mut ImportRow, clock: &dyn Clock) {
        let Some(user_id) = row.linked_user.clone() else {
            return;
        };
        if row.kind == RowKind::Updated {
            let changes = self.sourced_changes(row);
            if let Err(e) = self.directory.update_profile(&user_id, changes) {
                row.state = RowState::Failed {
                    reason: e.to_string(),
                };
                self.note_user(
                    clock,
                    event_type::IMPORT_USER_UPDATE,
                    Outcome::Failure,
                    Some(e.to_string()),
                    Some(user_id),
                );
                return;
            }
            self.note_user(
                clock,
                event_type::IMPORT_USER_UPDATE,
                Outcome::Success,
                Some(describe_changes(&row.changes)),
                Some(user_id.clone()),
            );
        }
        if let Some(app_user) = self.directory.app_user_mut(&self.app.id, &user_id) {
            app_user.profile = row.app_profile.clone();
        }
    }

    pub(super) fn apply_deactivated(
        &mut self,
        row: &mut ImportRow,
        clock: &dyn Clock,
        removed: bool,
    ) {
        let Some(user_id) = row.linked_user.clone() else {
            return;
        };
        let app_id = self.app.id.clone();
        if let Some(app_user) = self.directory.app_user_mut(&app_id, &user_id) {
            app_user.active = false;
            if removed {
                // The app account is gone: a later assignment creates a new one.
                app_user.external_id = None;
                app_user.sync = SyncState::Pending;
            }
        }
        if removed {
            // A user who also has the app through a group keeps that route.
            match self.directory.unassign_user(&app_id, &user_id) {
                Ok(_)
                | Err(DirectoryError::AssignedViaGroup(_) | DirectoryError::NotAssigned(_)) => {}
                Err(e) => {
                    row.state = RowState::Failed {
                        reason: e.to_string(),
                    }
                }
            }
        }
        if let Some(action) = self.lifecycle_on_deactivation(row) {
            let event = event_type::of_sourcing(action);
            let result = self.directory.transition(&user_id, action);
            self.note_user(
                clock,
                event,
                if result.is_ok() {
                    Outcome::Success
                } else {
                    Outcome::Failure
                },
                Some(match &result {
                    Ok(_) => format!("{} by profile sourcing", action.as_str()),
                    Err(e) => e.to_string(),
                }),
                Some(user_id),
            );
        }
    }

    pub(super) fn apply_reactivated(&mut self, row: &mut ImportRow, clock: &dyn Clock) {
        let Some(user_id) = row.linked_user.clone() else {
            return;
        };
        let exact = self.sourced_changes(row).is_empty();
        if let Some(app_user) = self.directory.app_user_mut(&self.app.id, &user_id) {
            app_user.active = true;
            app_user.profile = row.app_profile.clone();
        }
        let Some(status) = self.directory.user(&user_id).map(|u| u.status) else {
            return;
        };
        let Some(action) = self.import.sourcing.on_app_reactivation(status) else {
            return;
        };
        // A reactivated user whose profile is an exact match is active again; otherwise they
        // wait in Pending Activation, whether they were deactivated or suspended.
        let mut result = if !exact && action == Lifecycle::Unsuspend {
            self.directory.unsuspend_pending(&user_id)
        } else {
            self.directory.transition(&user_id, action)
        };
        if exact && result == Ok(Some(UserStatus::Provisioned)) {
            let has_password = self
                .directory
                .user(&user_id)
                .is_some_and(|u| u.password.is_some());
            if has_password {
                result = self.directory.transition(&user_id, Lifecycle::Activate);
            }
        }
        self.note_user(
            clock,
            event_type::of_sourcing(action),
            if result.is_ok() {
                Outcome::Success
            } else {
                Outcome::Failure
            },
            Some(match &result {
                Ok(Some(to)) => format!("reactivated by profile sourcing: {}", to.as_str()),
                Ok(None) => "reactivated by profile sourcing".to_string(),
                Err(e) => e.to_string(),
            }),
            Some(user_id),
        );
    }

    pub(super) fn confirm_row(&mut self, row: &mut ImportRow, activate: bool, clock: &dyn Clock) {
        let decision = row.decision.clone().unwrap_or(Decision::New);
        let result = match decision {
            Decision::Ignore => {
                row.state = RowState::Ignored { reason: None };
                return;
            }
            Decision::Exact(user_id) | Decision::Existing(user_id) => self
                .link(row, &user_id)
                .map(|()| (user_id, event_type::IMPORT_USER_MATCH)),
            Decision::New => self
                .create(row, activate)
                .map(|user_id| (user_id, event_type::IMPORT_USER_CREATE)),
        };
        match result {
            Ok((user_id, event)) => {
                row.state = RowState::Done;
                row.linked_user = Some(user_id.clone());
                self.note_user(clock, event, Outcome::Success, None, Some(user_id));
            }
            Err(reason) => {
                self.note_user(
                    clock,
                    event_type::IMPORT_USER_CREATE,
                    Outcome::Failure,
                    Some(reason.clone()),
                    None,
                );
                row.state = RowState::Failed { reason };
            }
        }
    }

    pub(super) fn create(&mut self, row: &ImportRow, activate: bool) -> Result<String, String> {
        let mut profile = BTreeMap::new();
        let mut custom = BTreeMap::new();
        for (name, value) in &row.okta_profile {
            if is_base_attribute(name) {
                profile.insert(name.clone(), value_text(value));
            } else {
                custom.insert(name.clone(), value.clone());
            }
        }
        profile.insert("login".into(), row.username.clone());
        let user_id = self
            .directory
            .create_user(profile, custom)
            .map_err(|e| e.to_string())?;
        if activate {
            self.directory
                .transition(&user_id, Lifecycle::Activate)
                .map_err(|e| e.to_string())?;
        }
        self.link(row, &user_id)?;
        Ok(user_id)
    }

    pub(super) fn link(&mut self, row: &ImportRow, user_id: &str) -> Result<(), String> {
        let app_id = self.app.id.clone();
        let taken = self
            .directory
            .app_user(&app_id, user_id)
            .is_some_and(|a| a.is_assigned() && a.external_id.is_some());
        if taken {
            return Err(ImportError::CannotLink(user_id.into()).to_string());
        }
        self.directory
            .assign_user(&app_id, user_id)
            .map_err(|e| e.to_string())?;
        if let Some(app_user) = self.directory.app_user_mut(&app_id, user_id) {
            app_user.external_id = Some(row.scim_id.clone());
            app_user.active = true;
            app_user.profile = row.app_profile.clone();
            app_user.sync = SyncState::Synced;
        }
        Ok(())
    }
}
