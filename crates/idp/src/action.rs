//! What an admin asks the simulator to do, and doing it: [`Action`] and [`Org::perform`]. The
//! page's job queue runs one at a time on a copy of the org; everything between the click and
//! the requests on the wire is here, natively testable, with typed errors that say in words
//! what happened (the panels show them as they are).

use std::collections::BTreeMap;

use crate::clock::Clock;
use crate::directory::{DirectoryError, Lifecycle, SyncState};
use crate::import::{Decision, ImportError, RowState, RunStatus};
use crate::org::Org;
use crate::push::PushError;
use crate::settings::ProvisioningSettings;
use crate::transport::Transport;

/// The seed of the demo people (the page's first-visit org and "Generate people"), so every
/// browser starts from the same names.
pub const DEMO_SEED: u64 = 2026;

/// People are generated in steps of this many, with a pause between steps, so generating
/// thousands never blocks the page for long.
const GENERATE_STEP: usize = 250;

/// Something the admin asked for that may send SCIM requests.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    CreateUser {
        profile: BTreeMap<String, String>,
        password: Option<String>,
        activate: bool,
    },
    UpdateUser {
        id: String,
        changes: BTreeMap<String, Option<String>>,
    },
    Lifecycle {
        id: String,
        action: Lifecycle,
    },
    /// An admin sets a person's Okta password; it is pushed when To App's Sync Password sends
    /// Okta's password to an app account that exists.
    ChangePassword {
        id: String,
        password: String,
    },
    AssignUser(String),
    UnassignUser(String),
    CreateGroup {
        name: String,
        description: String,
    },
    AddMember {
        group: String,
        user: String,
    },
    RemoveMember {
        group: String,
        user: String,
    },
    AssignGroup(String),
    UnassignGroup(String),
    /// The values a group's assignment gives its members' Group-scoped app attributes, as typed
    /// (an empty text unsets one).
    SetGroupValues {
        group: String,
        values: BTreeMap<String, String>,
    },
    RenameGroup {
        group: String,
        name: String,
    },
    PushGroup(String),
    UnlinkGroup {
        group: String,
        delete_in_app: bool,
    },
    /// Generates `count` active people, and assigns the app to each when `assign` is set
    /// (which provisions them, one existence check and one POST each).
    Generate {
        count: usize,
        domain: String,
        assign: bool,
    },
    /// "Test API Credentials" with settings that may not be saved yet.
    TestCredentials(Box<ProvisioningSettings>),
    Import,
    Decide {
        row: usize,
        decision: Decision,
    },
    Confirm {
        rows: Vec<usize>,
        activate: bool,
    },
    /// Confirms every row still pending when the action runs.
    ConfirmAll {
        activate: bool,
    },
    ResumeImport,
    CancelImport,
    /// The host has moved its clock on by `ms`; a scheduled import runs if one is now due.
    AdvanceClock {
        ms: i64,
    },
}

impl Action {
    /// What the activity line says while the action runs.
    pub fn label(&self) -> &'static str {
        match self {
            Action::CreateUser { .. } => "Creating the user",
            Action::UpdateUser { .. } => "Saving the profile",
            Action::Lifecycle { .. } => "Changing the user's status",
            Action::ChangePassword { .. } => "Changing the password",
            Action::AssignUser(_) | Action::AssignGroup(_) => "Assigning the app",
            Action::SetGroupValues { .. } => "Saving the group's attribute values",
            Action::UnassignUser(_) | Action::UnassignGroup(_) => "Unassigning the app",
            Action::CreateGroup { .. } => "Creating the group",
            Action::AddMember { .. } | Action::RemoveMember { .. } => "Changing the membership",
            Action::RenameGroup { .. } => "Renaming the group",
            Action::PushGroup(_) => "Pushing the group",
            Action::UnlinkGroup { .. } => "Unlinking the pushed group",
            Action::Generate { .. } => "Generating users",
            Action::TestCredentials(_) => "Testing the API credentials",
            Action::Import => "Importing users from the app",
            Action::Decide { .. } => "Recording the decision",
            Action::Confirm { .. } | Action::ConfirmAll { .. } => "Confirming assignments",
            Action::ResumeImport => "Resuming the import",
            Action::CancelImport => "Cancelling the import",
            Action::AdvanceClock { .. } => "Advancing the clock",
        }
    }
}

/// Why an action failed, in words an admin reads as they are. What an action did before it
/// failed stays done, as in Okta (an assignment stays, with its provisioning error).
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// The directory refused the change; nothing was sent.
    #[error("{0}")]
    Refused(#[from] DirectoryError),
    /// The change was made in Okta, and pushing it to the app failed.
    #[error("{done}, but provisioning failed: {error}")]
    Provisioning { done: String, error: PushError },
    /// People were generated and assigned, and some of the pushes failed.
    #[error("Generated {count} people and assigned the app; {failed} assignment(s) show a provisioning error (see the System Log).")]
    SomePushesFailed { count: usize, failed: usize },
    /// "Test API Credentials" failed.
    #[error("Test API Credentials failed: {0}")]
    Credentials(PushError),
    /// An import could not run.
    #[error("Import failed: {0}")]
    Import(ImportError),
    /// A decision, confirmation, resumption or cancellation was refused.
    #[error("{0}")]
    Refusal(#[from] ImportError),
    /// A value the admin typed cannot be set; nothing changed.
    #[error("{0}; nothing was changed")]
    Invalid(String),
    /// The scheduled import that came due failed.
    #[error("The scheduled import failed: {0}")]
    Scheduled(ImportError),
}

/// Gives a generated person a password and activates them, as an admin making demo people
/// would: generated people are staged otherwise, and staged people cannot be provisioned.
pub fn activate_demo_user(org: &mut Org, id: &str) {
    let password = format!(
        "Demo-{}!",
        id.get(id.len().saturating_sub(6)..).unwrap_or(id)
    );
    let _ = org.directory.set_password(id, &password);
    let _ = org.directory.transition(id, Lifecycle::Activate);
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl Org {
    fn login_of(&self, id: &str) -> String {
        self.directory
            .user(id)
            .map_or_else(|| id.to_string(), |u| u.login().to_string())
    }

    fn group_name_of(&self, id: &str) -> String {
        self.directory
            .group(id)
            .map_or_else(|| id.to_string(), |g| g.name.clone())
    }

    /// Does what the admin asked and says what happened (the activity line's text).
    ///
    /// `progress(done, of)` is told how far a long action ([`Action::Generate`]) has come;
    /// between its steps the action sleeps on `clock` for 0 ms, which lets a browser host paint.
    /// For [`Action::AdvanceClock`] the host has already moved `clock` on.
    ///
    /// # Errors
    ///
    /// [`ActionError`], saying in words what was refused or failed.
    pub async fn perform(
        &mut self,
        action: Action,
        transport: &dyn Transport,
        clock: &dyn Clock,
        progress: &dyn Fn(usize, usize),
    ) -> Result<String, ActionError> {
        let (t, c) = (transport, clock);
        let pushed = |done: String, result: Result<(), PushError>| match result {
            Ok(()) => Ok(done),
            Err(error) => Err(ActionError::Provisioning { done, error }),
        };
        match action {
            Action::CreateUser {
                profile,
                password,
                activate,
            } => {
                let id = self.directory.create_user(profile, BTreeMap::new())?;
                if let Some(password) = password.filter(|p| !p.is_empty()) {
                    self.directory.set_password(&id, &password)?;
                }
                if activate {
                    self.directory.transition(&id, Lifecycle::Activate)?;
                }
                Ok(format!("Created {}.", self.login_of(&id)))
            }
            Action::UpdateUser { id, changes } => {
                let done = format!("Saved {}", self.login_of(&id));
                pushed(done, self.update_user(t, c, &id, changes).await)
            }
            Action::Lifecycle { id, action } => {
                let done = format!("{} {}", capitalise(action.as_str()), self.login_of(&id));
                pushed(done, self.user_lifecycle(t, c, &id, action).await)
            }
            Action::ChangePassword { id, password } => {
                if password.is_empty() {
                    return Err(ActionError::Refused(DirectoryError::MissingAttribute(
                        "password".into(),
                    )));
                }
                let to_app = &self.app.settings.to_app;
                let sent = self.app.settings.enabled
                    && to_app.sync_password
                    && to_app.password_seed == crate::settings::PasswordSeed::Okta
                    && self
                        .directory
                        .app_user(&self.app.id, &id)
                        .is_some_and(|a| a.is_assigned() && a.external_id.is_some());
                let done = format!(
                    "Changed the password of {}{}",
                    self.login_of(&id),
                    if sent {
                        " and pushed it to the app (Sync Password)"
                    } else {
                        " (not pushed: To App's Sync Password does not send Okta's password to an app account here)"
                    }
                );
                pushed(done, self.change_password(t, c, &id, &password).await)
            }
            Action::AssignUser(id) => {
                let done = format!("Assigned {}", self.login_of(&id));
                pushed(done, self.assign_user(t, c, &id).await)
            }
            Action::UnassignUser(id) => {
                let done = format!("Unassigned {}", self.login_of(&id));
                pushed(done, self.unassign_user(t, c, &id).await)
            }
            Action::CreateGroup { name, description } => {
                self.directory.create_group(&name, &description)?;
                Ok(format!("Created the group {name}."))
            }
            Action::AddMember { group, user } => {
                let done = format!(
                    "Added {} to {}",
                    self.login_of(&user),
                    self.group_name_of(&group)
                );
                pushed(done, self.add_member(t, c, &group, &user).await)
            }
            Action::RemoveMember { group, user } => {
                let done = format!(
                    "Removed {} from {}",
                    self.login_of(&user),
                    self.group_name_of(&group)
                );
                pushed(done, self.remove_member(t, c, &group, &user).await)
            }
            Action::AssignGroup(group) => {
                let done = format!("Assigned the app to {}", self.group_name_of(&group));
                pushed(done, self.assign_group(t, c, &group).await)
            }
            Action::SetGroupValues { group, values } => {
                let values = self
                    .group_values_from_text(&values)
                    .map_err(ActionError::Invalid)?;
                let done = format!(
                    "Saved the attribute values of the group {}",
                    self.group_name_of(&group)
                );
                pushed(done, self.set_group_values(t, c, &group, values).await)
            }
            Action::UnassignGroup(group) => {
                let done = format!("Unassigned the app from {}", self.group_name_of(&group));
                pushed(done, self.unassign_group(t, c, &group).await)
            }
            Action::RenameGroup { group, name } => {
                let done = format!("Renamed {} to {name}", self.group_name_of(&group));
                pushed(done, self.rename_group(t, c, &group, &name).await)
            }
            Action::PushGroup(group) => {
                let done = format!("Pushed {}", self.group_name_of(&group));
                let result = if self.group_pushes.get(&group).is_some() {
                    self.push_group_now(t, c, &group).await
                } else {
                    self.push_group(t, c, &group).await
                };
                pushed(done, result)
            }
            Action::UnlinkGroup {
                group,
                delete_in_app,
            } => {
                let done = format!("Unlinked {}", self.group_name_of(&group));
                pushed(done, self.unlink_group(t, c, &group, delete_in_app).await)
            }
            Action::Generate {
                count,
                domain,
                assign,
            } => self.generate(count, &domain, assign, t, c, progress).await,
            Action::TestCredentials(settings) => {
                // Okta tests what is typed in the form, before Save: the test runs on a small
                // org holding only the app with those settings, and is then dropped.
                // The probe writes to this org's System Log (taken in and given back), so its
                // events and exchange numbers follow the org's own.
                let mut probe = Org::new(self.app.clone(), 0);
                probe.app.settings = *settings;
                probe.log = std::mem::take(&mut self.log);
                let tested = probe.test_credentials(t, c).await;
                self.log = std::mem::take(&mut probe.log);
                tested.map_err(ActionError::Credentials)?;
                Ok(format!("{} was verified successfully!", self.app.label))
            }
            Action::Import => match self.importer(c).run(t).await {
                Ok(run) => Ok(match &run.status {
                    RunStatus::Paused { tripped } => format!(
                        "Import held by the {} safeguard, nothing applied: {}. Resume or cancel it on the Import page.",
                        match tripped.level {
                            crate::safeguard::Level::App => "app-level",
                            crate::safeguard::Level::Org => "org-level",
                        },
                        tripped.describe()
                    ),
                    _ => format!("Import finished: {}.", run.stats),
                }),
                Err(e) => Err(ActionError::Import(e)),
            },
            Action::Decide { row, decision } => {
                self.importer(c).decide(row, decision)?;
                Ok("Decision recorded.".into())
            }
            Action::Confirm { rows, activate } => {
                self.importer(c).confirm(&rows, activate).await?;
                Ok(format!("Confirmed {} assignment(s).", rows.len()))
            }
            Action::ConfirmAll { activate } => {
                let pending = self.last_import.as_ref().map_or(0, |run| {
                    run.rows
                        .iter()
                        .filter(|r| r.state == RowState::Pending)
                        .count()
                });
                self.importer(c).confirm_all(activate).await?;
                Ok(format!("Confirmed {pending} assignment(s)."))
            }
            Action::ResumeImport => {
                let run = self.importer(c).resume().await?;
                Ok(format!("Import resumed: {}.", run.stats))
            }
            Action::CancelImport => {
                self.importer(c).cancel()?;
                Ok("Import cancelled; nothing was applied.".into())
            }
            Action::AdvanceClock { .. } => match self.importer(c).tick(t).await {
                Ok(true) => Ok("The clock moved on and a scheduled import ran.".into()),
                Ok(false) => Ok("The clock moved on; no import was due.".into()),
                Err(e) => Err(ActionError::Scheduled(e)),
            },
        }
    }

    /// "Generate people": `count` active demo people in steps, each assigned when `assign` is
    /// set. A failed push is recorded on its assignment and in the System Log, and the others
    /// still go ahead, as in Okta.
    async fn generate(
        &mut self,
        count: usize,
        domain: &str,
        assign: bool,
        t: &dyn Transport,
        c: &dyn Clock,
        progress: &dyn Fn(usize, usize),
    ) -> Result<String, ActionError> {
        let before = self.directory.users().count();
        let mut made = 0;
        while made < count {
            let step = GENERATE_STEP.min(count - made);
            let seed = DEMO_SEED
                .wrapping_add(before as u64)
                .wrapping_add(made as u64);
            let ids = crate::generator::generate_users(&mut self.directory, seed, step, domain)?;
            for id in &ids {
                activate_demo_user(self, id);
            }
            made += step;
            progress(made, count);
            // Let a browser host paint the progress bar before the next step.
            c.sleep(0).await;
            if assign {
                for id in &ids {
                    let _ = self.assign_user(t, c, id).await;
                }
            }
        }
        let failed = if assign {
            self.directory
                .app_users(&self.app.id)
                .filter(|a| matches!(a.sync, SyncState::Error { .. }))
                .count()
        } else {
            0
        };
        match (assign, failed) {
            (false, _) => Ok(format!("Generated {count} people (activated).")),
            (true, 0) => Ok(format!(
                "Generated {count} people and assigned the app to them."
            )),
            (true, failed) => Err(ActionError::SomePushesFailed { count, failed }),
        }
    }
}
