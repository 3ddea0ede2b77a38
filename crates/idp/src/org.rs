//! The simulated Okta org: the directory, one SCIM app with its configuration, group pushes,
//! the System Log and the random source, in one serialisable value the app persists.
//!
//! Every operation that may send requests is an async method taking the transport and the
//! clock, which the host injects (a `fetch` and the browser's time in the app; the engine in
//! process and a [`SimClock`](crate::clock::SimClock) in tests). Directory changes happen
//! first; the pushes they imply follow, and a failed push is reported without undoing the
//! change, as in Okta (the assignment shows a provisioning error).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::directory::{AssignmentChange, Directory, Lifecycle};
use crate::group_push::GroupPushes;
use crate::import::{ImportConfig, ImportRun};
use crate::profile::OktaProfile;
use crate::push::{App, Provisioner, PushError, Subject};
use crate::rng::{Entropy, Rng};
use crate::syslog::{event_type, SystemLog};
use crate::transport::Transport;

/// The whole simulated org.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    /// Users, groups, assignments and app users.
    pub directory: Directory,
    /// The Okta user profile's custom attributes (Profile Editor).
    #[serde(default)]
    pub okta_profile: OktaProfile,
    /// The SCIM app and its To App configuration.
    pub app: App,
    /// The To Okta configuration.
    #[serde(default)]
    pub import: ImportConfig,
    /// The last (or the paused) import, with its result rows.
    #[serde(default)]
    pub last_import: Option<ImportRun>,
    /// Groups pushed to the app.
    #[serde(default)]
    pub group_pushes: GroupPushes,
    /// The System Log.
    #[serde(default)]
    pub log: SystemLog,
    /// Ids (and demo data): seeded, reproducible.
    pub rng: Rng,
    /// Passwords sent on create: the host's secure generator, never saved (the page sets
    /// `crypto.getRandomValues` before each job).
    #[serde(skip)]
    pub entropy: Entropy,
}

impl Org {
    /// An org with an empty directory and `app`, whose randomness comes from `seed`.
    pub fn new(app: App, seed: u64) -> Org {
        Org {
            directory: Directory::new(seed),
            okta_profile: OktaProfile::default(),
            app,
            import: ImportConfig::default(),
            last_import: None,
            group_pushes: GroupPushes::default(),
            log: SystemLog::new(),
            rng: Rng::new(seed.wrapping_add(1)),
            entropy: Entropy::default(),
        }
    }

    /// The provisioner for this org's app, borrowing the pieces it needs, and the directory
    /// and group pushes beside it.
    pub fn provisioner<'a>(
        &'a mut self,
        transport: &'a dyn Transport,
        clock: &'a dyn Clock,
    ) -> (Provisioner<'a>, &'a mut Directory, &'a mut GroupPushes) {
        (
            Provisioner {
                app: &self.app,
                okta_profile: &self.okta_profile,
                transport,
                clock,
                log: &mut self.log,
                entropy: self.entropy,
            },
            &mut self.directory,
            &mut self.group_pushes,
        )
    }

    /// "Test API Credentials": `GET /Users?startIndex=1&count=2`, then
    /// `GET /Groups?startIndex=1&count=100`, as Okta sends them. Nothing is changed; each request
    /// is logged as [`event_type::TEST_API_CREDENTIALS`], the playground's own event type (Okta's
    /// documentation names none: docs/okta-model.md §8), so its headers can be read in the
    /// System Log like any other request's.
    ///
    /// # Errors
    ///
    /// The first request that failed: an error status (401 for bad credentials) or no
    /// response at all.
    pub async fn test_credentials(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
    ) -> Result<(), PushError> {
        let (mut p, _, _) = self.provisioner(transport, clock);
        let base = p.app.settings.base_url.clone();
        for path in [
            "/Users?startIndex=1&count=2",
            "/Groups?startIndex=1&count=100",
        ] {
            let req = p.request("GET", format!("{base}{path}"), None);
            p.exchange(req, event_type::TEST_API_CREDENTIALS, Subject::App)
                .await?;
        }
        Ok(())
    }

    /// Assigns the app to a user directly.
    ///
    /// # Errors
    ///
    /// The directory's refusal (nothing sent) or the first failed push.
    pub async fn assign_user(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        user_id: &str,
    ) -> Result<(), PushError> {
        let change = self.directory.assign_user(&self.app.id, user_id)?;
        self.after_change(transport, clock, user_id, change).await
    }

    /// Removes a user's direct assignment.
    ///
    /// # Errors
    ///
    /// As [`Org::assign_user`].
    pub async fn unassign_user(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        user_id: &str,
    ) -> Result<(), PushError> {
        let change = self.directory.unassign_user(&self.app.id, user_id)?;
        self.after_change(transport, clock, user_id, change).await
    }

    /// Changes a user's Okta profile and pushes it (Update User Attributes).
    ///
    /// # Errors
    ///
    /// As [`Org::assign_user`].
    pub async fn update_user(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        user_id: &str,
        changes: BTreeMap<String, Option<String>>,
    ) -> Result<(), PushError> {
        let (mut p, dir, _) = self.provisioner(transport, clock);
        p.update_user(dir, user_id, changes).await
    }

    /// Sets a user's Okta password and pushes it when Sync Password sends Okta's password.
    ///
    /// # Errors
    ///
    /// As [`Org::assign_user`].
    pub async fn change_password(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        user_id: &str,
        password: &str,
    ) -> Result<(), PushError> {
        let (mut p, dir, _) = self.provisioner(transport, clock);
        p.change_password(dir, user_id, password).await
    }

    /// Applies a lifecycle operation (activate, suspend, deactivate…) and pushes what it
    /// implies.
    ///
    /// # Errors
    ///
    /// As [`Org::assign_user`].
    pub async fn user_lifecycle(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        user_id: &str,
        action: Lifecycle,
    ) -> Result<(), PushError> {
        let (mut p, dir, _) = self.provisioner(transport, clock);
        p.user_lifecycle(dir, user_id, action).await
    }

    /// Assigns the app to a group: each member is provisioned.
    ///
    /// # Errors
    ///
    /// [`crate::directory::DirectoryError::UnknownGroup`], or the first failed push (the
    /// others are still attempted).
    pub async fn assign_group(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        group_id: &str,
    ) -> Result<(), PushError> {
        let changes = self.directory.assign_group(&self.app.id, group_id)?;
        self.after_changes(transport, clock, changes).await
    }

    /// The values typed for a group's assignment of the app, checked against the app's
    /// attributes and typed: an empty text leaves the attribute unset.
    ///
    /// # Errors
    ///
    /// Why one cannot be set, in words: an unknown attribute, a "User personal" one (set per
    /// user only), one a mapping fills (the mapping always wins), or a value of the wrong type.
    pub fn group_values_from_text(
        &self,
        texts: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, serde_json::Value>, String> {
        let mut values = BTreeMap::new();
        for (name, text) in texts {
            if text.trim().is_empty() {
                continue;
            }
            let attribute = self
                .app
                .profile
                .get(name)
                .ok_or_else(|| format!("the app has no attribute {name}"))?;
            if attribute.scope == crate::profile::AttributeScope::Personal {
                return Err(format!(
                    "{name} is User personal: it is set per user, never on a group"
                ));
            }
            if let Some(mapping) = self.app.mappings.mapping_to_app_attribute(name) {
                return Err(format!(
                    "{name} is filled by the mapping {mapping}, which always wins"
                ));
            }
            values.insert(name.clone(), attribute.value_from_text(text)?);
        }
        Ok(values)
    }

    /// Replaces the values a group's assignment of the app gives its members, then pushes each
    /// member's app profile where it changed (Okta updates the app accounts of a group's members
    /// when the group's attribute values change).
    ///
    /// # Errors
    ///
    /// As [`Org::assign_group`]: the first failed push (the others are still sent).
    pub async fn set_group_values(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        group_id: &str,
        values: BTreeMap<String, serde_json::Value>,
    ) -> Result<(), PushError> {
        let members = self
            .directory
            .set_group_values(&self.app.id, group_id, values)?;
        let (mut p, dir, _) = self.provisioner(transport, clock);
        let mut first_error = None;
        for user_id in members {
            let created = dir
                .app_user(&p.app.id, &user_id)
                .is_some_and(|a| a.is_assigned() && a.external_id.is_some());
            if created {
                if let Err(e) = p.push_profile(dir, &user_id, false).await {
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Removes the app from a group: members who lose their last route are deactivated.
    ///
    /// # Errors
    ///
    /// As [`Org::assign_group`].
    pub async fn unassign_group(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        group_id: &str,
    ) -> Result<(), PushError> {
        let changes = self.directory.unassign_group(&self.app.id, group_id)?;
        self.after_changes(transport, clock, changes).await
    }

    /// Adds a user to a group: the group's app assignment follows, then the pushed group's
    /// membership.
    ///
    /// # Errors
    ///
    /// As [`Org::assign_group`].
    pub async fn add_member(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        group_id: &str,
        user_id: &str,
    ) -> Result<(), PushError> {
        let changes = self.directory.add_member(group_id, user_id)?;
        self.after_membership(transport, clock, group_id, user_id, changes)
            .await
    }

    /// Removes a user from a group.
    ///
    /// # Errors
    ///
    /// As [`Org::assign_group`].
    pub async fn remove_member(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        group_id: &str,
        user_id: &str,
    ) -> Result<(), PushError> {
        let changes = self.directory.remove_member(group_id, user_id)?;
        self.after_membership(transport, clock, group_id, user_id, changes)
            .await
    }

    /// Renames a group, and the pushed group with it.
    ///
    /// # Errors
    ///
    /// [`crate::directory::DirectoryError::GroupNameTaken`] or the failed push.
    pub async fn rename_group(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        group_id: &str,
        name: &str,
    ) -> Result<(), PushError> {
        self.directory.rename_group(group_id, name)?;
        if self.group_pushes.get(group_id).is_none() {
            return Ok(());
        }
        let (mut p, dir, pushes) = self.provisioner(transport, clock);
        p.sync_group(dir, pushes, group_id).await
    }

    /// Starts pushing a group to the app (create or link by name, then members).
    ///
    /// # Errors
    ///
    /// The failed request.
    pub async fn push_group(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        group_id: &str,
    ) -> Result<(), PushError> {
        let (mut p, dir, pushes) = self.provisioner(transport, clock);
        p.push_group(dir, pushes, group_id).await
    }

    /// "Push Now": the pushed group's members are replaced wholesale.
    ///
    /// # Errors
    ///
    /// The failed request.
    pub async fn push_group_now(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        group_id: &str,
    ) -> Result<(), PushError> {
        let (mut p, dir, pushes) = self.provisioner(transport, clock);
        p.push_group_now(dir, pushes, group_id).await
    }

    /// Stops pushing a group, deleting it in the app or leaving it there.
    ///
    /// # Errors
    ///
    /// The failed `DELETE`.
    pub async fn unlink_group(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        group_id: &str,
        delete_in_app: bool,
    ) -> Result<(), PushError> {
        let (mut p, _, pushes) = self.provisioner(transport, clock);
        p.unlink_group(pushes, group_id, delete_in_app).await
    }

    async fn after_change(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        user_id: &str,
        change: AssignmentChange,
    ) -> Result<(), PushError> {
        let (mut p, dir, pushes) = self.provisioner(transport, clock);
        let pushed = p.after_assignment_change(dir, user_id, change).await;
        // A user who gained or lost an app account changes the pushed groups they are in.
        let mut groups = Ok(());
        if change != AssignmentChange::Unchanged {
            for group_id in pushes.containing(dir, user_id) {
                let synced = p.sync_group(dir, pushes, &group_id).await;
                groups = groups.and(synced);
            }
        }
        pushed.and(groups)
    }

    async fn after_changes(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        changes: Vec<(String, AssignmentChange)>,
    ) -> Result<(), PushError> {
        let mut first_error = Ok(());
        for (user_id, change) in changes {
            let result = self.after_change(transport, clock, &user_id, change).await;
            first_error = first_error.and(result);
        }
        first_error
    }

    async fn after_membership(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        group_id: &str,
        user_id: &str,
        changes: Vec<(String, AssignmentChange)>,
    ) -> Result<(), PushError> {
        let mut result = Ok(());
        for (app_id, change) in changes {
            if app_id == self.app.id {
                let (mut p, dir, _) = self.provisioner(transport, clock);
                result = result.and(p.after_assignment_change(dir, user_id, change).await);
            }
        }
        let (mut p, dir, pushes) = self.provisioner(transport, clock);
        for pushed in pushes.containing(dir, user_id) {
            if pushed != group_id {
                result = result.and(p.sync_group(dir, pushes, &pushed).await);
            }
        }
        if pushes.get(group_id).is_some() {
            result = result.and(p.sync_group(dir, pushes, group_id).await);
        }
        result
    }
}
