//! "To App" provisioning: what Okta sends to a SCIM app when users are assigned, changed,
//! unassigned, deactivated or reactivated (docs/okta-model.md §3).
//!
//! Every attempt is written to the [`SystemLog`]. A failure (an HTTP error, a network error, a
//! rate limit that outlasts Okta's retries) is logged and marks the assignment with a
//! provisioning error, but never changes what the directory knows about the app account: the
//! app user profile, its SCIM id and its active flag change only after the app accepted them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::client::UpdateStyle;
use crate::clock::Clock;
use crate::directory::{
    AppUser, AssignmentChange, Directory, DirectoryError, Lifecycle, SyncState,
};
use crate::mapping::{MappingError, Mappings, Phase};
use crate::profile::{AppProfile, AttributeScope, OktaProfile, CORE_USER_URN};
use crate::rng::Entropy;
use crate::scim_json;
use crate::settings::{
    PasswordSeed, ProvisioningSettings, DEFAULT_RETRY_WAIT_MS, MAX_TRIES, UNREADABLE_RETRY_WAIT_MS,
};
use crate::syslog::{event_type, Event, LoggedRequest, Outcome, SystemLog};
use crate::transport::{encode_query_value, HttpRequest, HttpResponse, Transport, TransportError};

/// The PATCH message schema.
pub use wire::urn::PATCH_OP as PATCH_OP_URN;

/// One app as Okta provisions it: its settings, its app user profile and its mappings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct App {
    /// Okta's app instance id.
    pub id: String,
    /// The label the admin gave it.
    pub label: String,
    /// Base URL, authentication, app type, To App toggles.
    pub settings: ProvisioningSettings,
    /// The app user attributes.
    pub profile: AppProfile,
    /// Both mapping tables.
    pub mappings: Mappings,
}

impl App {
    /// An app from Okta's SCIM 2.0 template with its default attributes and mappings.
    pub fn scim_template(id: &str, label: &str, settings: ProvisioningSettings) -> App {
        App {
            id: id.into(),
            label: label.into(),
            settings,
            profile: AppProfile::scim_default(),
            mappings: Mappings::scim_default(),
        }
    }
}

/// Everything that can make a push fail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum PushError {
    /// The directory refused the change that would have triggered the push, e.g. assigning
    /// a deactivated user.
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    /// A mapping could not be evaluated for this user.
    #[error(transparent)]
    Mapping(#[from] MappingError),
    /// The app answered with an error status, e.g. 409 on a duplicate `userName` or 500.
    #[error("the app answered {status}: {detail}")]
    Http {
        /// The status code.
        status: u16,
        /// The SCIM error's `detail`, or the start of the body.
        detail: String,
    },
    /// The app kept answering 429 for all of Okta's tries.
    #[error("the app is still rate limiting after {0} tries")]
    RateLimited(u32),
    /// The admin cancelled the wait before a rate-limited request was tried again.
    #[error("the retry after the app's 429 was cancelled")]
    RetryCancelled,
    /// No response at all.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The group is not pushed to the app, e.g. pushing memberships of a group that was
    /// never linked.
    #[error("the group {0} is not pushed to the app")]
    NotPushed(String),
    /// "Enable API Integration" is off, so nothing was sent.
    #[error("API integration is not enabled, so nothing was sent to the app")]
    Disabled,
    /// No secure random source to generate the password sent on create; nothing was sent.
    #[error("no secure random source for the generated password, so nothing was sent")]
    NoEntropy,
    /// A success response Okta could not use, e.g. a 201 without an `id`.
    #[error("the app's response is unusable: {0}")]
    InvalidResponse(String),
}

/// Drives the pushes of one app: borrows the app's configuration, the transport, the
/// injected clock, the log and the secure random source for the passwords it generates.
pub struct Provisioner<'a> {
    /// The app being provisioned.
    pub app: &'a App,
    /// The Okta user profile's schema, which the mappings read.
    pub okta_profile: &'a OktaProfile,
    /// How requests reach it.
    pub transport: &'a dyn Transport,
    /// Time, for log stamps and rate-limit waits.
    pub clock: &'a dyn Clock,
    /// Where attempts are recorded.
    pub log: &'a mut SystemLog,
    /// Generated passwords.
    pub entropy: Entropy,
}

impl Provisioner<'_> {
    /// Assigns the app to a user directly and pushes what that implies.
    ///
    /// # Errors
    ///
    /// The directory's refusal (nothing is sent), or the push's failure (the assignment
    /// stays, marked with the error, as in Okta).
    pub async fn assign_user(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
    ) -> Result<(), PushError> {
        let change = dir.assign_user(&self.app.id, user_id)?;
        self.after_assignment_change(dir, user_id, change).await
    }

    /// Removes a user's direct assignment and pushes what that implies.
    ///
    /// # Errors
    ///
    /// As [`Provisioner::assign_user`].
    pub async fn unassign_user(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
    ) -> Result<(), PushError> {
        let change = dir.unassign_user(&self.app.id, user_id)?;
        self.after_assignment_change(dir, user_id, change).await
    }

    /// Changes a user's Okta profile and pushes it if the user is assigned.
    ///
    /// # Errors
    ///
    /// As [`Provisioner::assign_user`].
    pub async fn update_user(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
        changes: BTreeMap<String, Option<String>>,
    ) -> Result<(), PushError> {
        dir.update_profile(user_id, changes)?;
        let assigned = dir
            .app_user(&self.app.id, user_id)
            .is_some_and(AppUser::is_assigned);
        if assigned {
            self.push_profile(dir, user_id, false).await?;
        }
        Ok(())
    }

    /// Applies a lifecycle operation to an Okta user and pushes what it implies: deactivating
    /// deactivates the app account, reactivating reactivates it, suspending (and everything
    /// else) sends nothing.
    ///
    /// # Errors
    ///
    /// As [`Provisioner::assign_user`].
    pub async fn user_lifecycle(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
        action: Lifecycle,
    ) -> Result<(), PushError> {
        dir.transition(user_id, action)?;
        let assigned = dir
            .app_user(&self.app.id, user_id)
            .is_some_and(|a| a.is_assigned() && a.external_id.is_some());
        match action {
            Lifecycle::Deactivate if assigned => self.set_active(dir, user_id, false).await,
            Lifecycle::Reactivate if assigned => self.set_active(dir, user_id, true).await,
            _ => Ok(()),
        }
    }

    /// Pushes what an assignment change implies: a first assignment creates or links the
    /// app account, a reassignment reactivates it, an unassignment deactivates it.
    ///
    /// # Errors
    ///
    /// The push's failure.
    pub async fn after_assignment_change(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
        change: AssignmentChange,
    ) -> Result<(), PushError> {
        match change {
            AssignmentChange::Assigned => self.provision(dir, user_id).await,
            AssignmentChange::Reassigned => self.set_active(dir, user_id, true).await,
            AssignmentChange::Unassigned => self.set_active(dir, user_id, false).await,
            AssignmentChange::Unchanged => Ok(()),
        }
    }

    /// Creates or links the app account of an assigned user: the existence check by
    /// `userName`, then a link and a profile push, or a `POST /Users`.
    ///
    /// # Errors
    ///
    /// The first failed request, or a mapping that cannot be evaluated.
    pub async fn provision(&mut self, dir: &mut Directory, user_id: &str) -> Result<(), PushError> {
        let result = self.provision_inner(dir, user_id).await;
        self.settle(dir, user_id, &result);
        result
    }

    /// Adds the values the user's groups give the app's attributes (`Directory::group_values`)
    /// to those whose scope is Group and that no mapping fills: a mapping always wins, and a
    /// "User personal" attribute is never set from a group.
    fn add_group_values(
        &self,
        dir: &Directory,
        user_id: &str,
        profile: &mut BTreeMap<String, serde_json::Value>,
    ) {
        for (name, value) in dir.group_values(&self.app.id, user_id) {
            let group_scoped = self
                .app
                .profile
                .get(&name)
                .is_some_and(|a| a.scope == AttributeScope::Group);
            if group_scoped && self.app.mappings.mapping_to_app_attribute(&name).is_none() {
                profile.entry(name).or_insert(value);
            }
        }
    }

    async fn provision_inner(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
    ) -> Result<(), PushError> {
        let user = dir
            .user(user_id)
            .cloned()
            .ok_or_else(|| DirectoryError::UnknownUser(user_id.into()))?;
        let mut profile = self.app.mappings.app_profile_for(
            self.okta_profile,
            &user,
            Phase::Create,
            &BTreeMap::new(),
        )?;
        self.add_group_values(dir, user_id, &mut profile);
        if !self.app.settings.enabled || !self.app.settings.to_app.create_users {
            // Okta still fills the app user profile; it just sends nothing.
            if let Some(app_user) = dir.app_user_mut(&self.app.id, user_id) {
                app_user.profile = profile;
            }
            return Ok(());
        }
        let user_name = profile
            .get("userName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let client = self.app.settings.client;
        let url = format!(
            "{}/Users?{}",
            self.app.settings.base_url,
            client.user_exists_query(&user_name, &user.id)
        );
        let check = self.request("GET", url, None);
        let res = self
            .exchange(check, event_type::VERIFY_EXISTS, Subject::User(user_id))
            .await?;
        // Okta tolerates a 404 as "no match"; 200 is the correct answer.
        let existing = if res.status == 404 {
            None
        } else {
            let json = res.json().unwrap_or(Value::Null);
            json.get("Resources")
                .and_then(Value::as_array)
                .and_then(|r| r.first())
                .and_then(|r| r.get("id"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        if let Some(id) = existing {
            if let Some(app_user) = dir.app_user_mut(&self.app.id, user_id) {
                app_user.external_id = Some(id);
                app_user.active = true;
            }
            return self.push_profile_inner(dir, user_id, true).await;
        }
        let mut body = Map::new();
        body.insert("schemas".into(), json!([CORE_USER_URN]));
        for (name, value) in &profile {
            if let Some(attribute) = self.app.profile.get(name) {
                scim_json::set(&mut body, attribute, value.clone());
            }
        }
        body.insert("externalId".into(), json!(user.id));
        if client.sends_password_on_create() {
            body.insert("groups".into(), json!([]));
            let to_app = &self.app.settings.to_app;
            let password = match (&user.password, to_app.sync_password, to_app.password_seed) {
                (Some(password), true, PasswordSeed::Okta) => password.clone(),
                _ => self.entropy.password(16).ok_or(PushError::NoEntropy)?,
            };
            body.insert("password".into(), json!(password));
        }
        body.insert("active".into(), json!(true));
        let url = format!("{}/Users", self.app.settings.base_url);
        let post = self.request("POST", url, Some(Value::Object(body)));
        let res = self
            .exchange(post, event_type::PUSH, Subject::User(user_id))
            .await?;
        let id = res
            .json()
            .and_then(|j| j.get("id").and_then(Value::as_str).map(str::to_string))
            .ok_or_else(|| PushError::InvalidResponse("the created user has no id".into()))?;
        if let Some(app_user) = dir.app_user_mut(&self.app.id, user_id) {
            app_user.external_id = Some(id);
            app_user.profile = profile;
            app_user.active = true;
        }
        Ok(())
    }

    /// Pushes an assigned user's changed profile: `GET` then `PUT` for Okta's apps (custom and
    /// catalog alike), a `PATCH` with the changed attributes for Entra ID. Create-only mappings and (with Exclude
    /// Username Updates) `userName` are left alone. `force` pushes even when nothing changed,
    /// as after linking an existing account.
    ///
    /// # Errors
    ///
    /// The failed request, or a mapping that cannot be evaluated.
    pub async fn push_profile(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
        force: bool,
    ) -> Result<(), PushError> {
        let result = self.push_profile_inner(dir, user_id, force).await;
        self.settle(dir, user_id, &result);
        result
    }

    async fn push_profile_inner(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
        force: bool,
    ) -> Result<(), PushError> {
        let to_app = &self.app.settings.to_app;
        if !self.app.settings.enabled || (!to_app.update_attributes && !force) {
            return Ok(());
        }
        let user = dir
            .user(user_id)
            .cloned()
            .ok_or_else(|| DirectoryError::UnknownUser(user_id.into()))?;
        let Some(app_user) = dir.app_user(&self.app.id, user_id).cloned() else {
            return Err(DirectoryError::NotAssigned(self.app.id.clone()).into());
        };
        let Some(scim_id) = app_user.external_id.clone() else {
            // Never created in the app (Create Users was off): nothing to update.
            return Ok(());
        };
        let previous = &app_user.profile;
        let phase = if force { Phase::Create } else { Phase::Update };
        let mut next =
            self.app
                .mappings
                .app_profile_for(self.okta_profile, &user, phase, previous)?;
        self.add_group_values(dir, user_id, &mut next);
        if to_app.exclude_username_updates && !force {
            match previous.get("userName") {
                Some(kept) => next.insert("userName".into(), kept.clone()),
                None => next.remove("userName"),
            };
        }
        if &next == previous && !force {
            return Ok(());
        }
        let user_url = format!(
            "{}/Users/{}",
            self.app.settings.base_url,
            encode_query_value(&scim_id)
        );
        match self.app.settings.client.update_style() {
            UpdateStyle::GetThenPut => {
                let get = self.request("GET", user_url.clone(), None);
                let res = self
                    .exchange(get, event_type::PUSH_PROFILE, Subject::User(user_id))
                    .await?;
                let Some(Value::Object(mut body)) = res.json() else {
                    return Err(PushError::InvalidResponse(
                        "the user is not a JSON object".into(),
                    ));
                };
                for name in previous.keys().filter(|k| !next.contains_key(*k)) {
                    if let Some(attribute) = self.app.profile.get(name) {
                        scim_json::remove(&mut body, attribute);
                    }
                }
                for (name, value) in &next {
                    if let Some(attribute) = self.app.profile.get(name) {
                        scim_json::set(&mut body, attribute, value.clone());
                    }
                }
                body.insert("id".into(), json!(scim_id));
                // Linking an existing account (`force`) leaves it active, as Okta shows the
                // person: an account found deactivated in the app comes back with `true`.
                if force || !body.contains_key("active") {
                    body.insert("active".into(), json!(app_user.active));
                }
                let put = self.request("PUT", user_url, Some(Value::Object(body)));
                self.exchange(put, event_type::PUSH_PROFILE, Subject::User(user_id))
                    .await?;
            }
            UpdateStyle::Patch => {
                let client = self.app.settings.client;
                let mut operations = Vec::new();
                for (name, value) in &next {
                    if previous.get(name) != Some(value) {
                        if let Some(attribute) = self.app.profile.get(name) {
                            operations.push(json!({
                                "op": client.op("replace"),
                                "path": scim_json::patch_path(attribute),
                                "value": value,
                            }));
                        }
                    }
                }
                for name in previous.keys().filter(|k| !next.contains_key(*k)) {
                    if let Some(attribute) = self.app.profile.get(name) {
                        operations.push(json!({
                            "op": client.op("remove"),
                            "path": scim_json::patch_path(attribute),
                        }));
                    }
                }
                if force {
                    // Linking leaves the account active, in the client's own spelling.
                    operations.extend(client.active_operations(app_user.active));
                }
                if !operations.is_empty() {
                    let body = json!({"schemas": [PATCH_OP_URN], "Operations": operations});
                    let patch = self.request("PATCH", user_url, Some(body));
                    self.exchange(patch, event_type::PUSH_PROFILE, Subject::User(user_id))
                        .await?;
                }
            }
        }
        if let Some(app_user) = dir.app_user_mut(&self.app.id, user_id) {
            app_user.profile = next;
        }
        Ok(())
    }

    /// Sets a user's Okta password and, when Sync Password sends Okta's password and the app
    /// account exists, pushes it with a PATCH.
    ///
    /// # Errors
    ///
    /// [`DirectoryError::UnknownUser`] or the failed request.
    pub async fn change_password(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
        password: &str,
    ) -> Result<(), PushError> {
        dir.set_password(user_id, password)?;
        let to_app = &self.app.settings.to_app;
        if !self.app.settings.enabled
            || !to_app.sync_password
            || to_app.password_seed != PasswordSeed::Okta
        {
            return Ok(());
        }
        let Some(scim_id) = dir
            .app_user(&self.app.id, user_id)
            .filter(|a| a.is_assigned())
            .and_then(|a| a.external_id.clone())
        else {
            return Ok(());
        };
        let url = format!(
            "{}/Users/{}",
            self.app.settings.base_url,
            encode_query_value(&scim_id)
        );
        let body = json!({
            "schemas": [PATCH_OP_URN],
            "Operations": self.app.settings.client.password_operations(password),
        });
        let patch = self.request("PATCH", url, Some(body));
        let result = self
            .exchange(patch, event_type::PUSH_PASSWORD, Subject::User(user_id))
            .await
            .map(|_| ());
        self.settle(dir, user_id, &result);
        result
    }

    /// Deactivates (`false`) or reactivates (`true`) the app account with Okta's path-less
    /// PATCH, when Deactivate Users is on and the account exists.
    ///
    /// # Errors
    ///
    /// The failed request.
    pub async fn set_active(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
        active: bool,
    ) -> Result<(), PushError> {
        let result = self.set_active_inner(dir, user_id, active).await;
        self.settle(dir, user_id, &result);
        result
    }

    async fn set_active_inner(
        &mut self,
        dir: &mut Directory,
        user_id: &str,
        active: bool,
    ) -> Result<(), PushError> {
        if !self.app.settings.enabled || !self.app.settings.to_app.deactivate_users {
            return Ok(());
        }
        let Some(scim_id) = dir
            .app_user(&self.app.id, user_id)
            .and_then(|a| a.external_id.clone())
        else {
            return Ok(());
        };
        let url = format!(
            "{}/Users/{}",
            self.app.settings.base_url,
            encode_query_value(&scim_id)
        );
        let body = json!({
            "schemas": [PATCH_OP_URN],
            "Operations": self.app.settings.client.active_operations(active),
        });
        let event = if active {
            event_type::REACTIVATE
        } else {
            event_type::DEACTIVATE
        };
        let patch = self.request("PATCH", url, Some(body));
        self.exchange(patch, event, Subject::User(user_id)).await?;
        if let Some(app_user) = dir.app_user_mut(&self.app.id, user_id) {
            app_user.active = active;
        }
        Ok(())
    }

    /// Records the end state of an attempt on the assignment: synced, or the error.
    fn settle(&self, dir: &mut Directory, user_id: &str, result: &Result<(), PushError>) {
        if let Some(app_user) = dir.app_user_mut(&self.app.id, user_id) {
            app_user.sync = match result {
                Ok(()) if app_user.external_id.is_some() => SyncState::Synced,
                Ok(()) => SyncState::Pending,
                Err(e) => SyncState::Error {
                    reason: e.to_string(),
                },
            };
        }
    }

    /// A request with the client's headers and the API integration's credentials.
    pub(crate) fn request(&self, method: &str, url: String, body: Option<Value>) -> HttpRequest {
        let client = self.app.settings.client;
        let mut headers = Vec::with_capacity(4);
        if let Some(agent) = client.user_agent() {
            headers.push(("User-Agent".to_string(), agent.to_string()));
        }
        headers.push(("Accept".to_string(), client.media_type().to_string()));
        if body.is_some() {
            headers.push(("Content-Type".to_string(), client.media_type().to_string()));
        }
        if let Some(auth) = self.app.settings.auth.header_value() {
            headers.push(("Authorization".to_string(), auth));
        }
        HttpRequest {
            method: method.into(),
            url,
            headers,
            body: body.map(|b| b.to_string()),
            exchange_id: None,
        }
    }

    /// Sends `req`, retrying 429s as Okta does, logs one event, and turns an error status
    /// into [`PushError::Http`].
    pub(crate) async fn exchange(
        &mut self,
        req: HttpRequest,
        event: &str,
        subject: Subject<'_>,
    ) -> Result<HttpResponse, PushError> {
        self.exchange_logging(req, event, subject, true).await
    }

    /// [`Self::exchange`] that logs only a failure: for requests that are steps of an operation
    /// the log records as a whole (the later pages of an import's download).
    pub(crate) async fn exchange_logging_failures(
        &mut self,
        req: HttpRequest,
        event: &str,
        subject: Subject<'_>,
    ) -> Result<HttpResponse, PushError> {
        self.exchange_logging(req, event, subject, false).await
    }

    async fn exchange_logging(
        &mut self,
        mut req: HttpRequest,
        event: &str,
        subject: Subject<'_>,
        log_success: bool,
    ) -> Result<HttpResponse, PushError> {
        let exchange_id = self.log.next_exchange_id();
        req.exchange_id = Some(exchange_id);
        let logged = LoggedRequest::from(&req);
        let result = self.send_with_retries(req).await;
        let result = match result {
            // A 404 to the existence check means "no such user", which Okta tolerates.
            Ok(res)
                if res.is_success()
                    || (res.status == 404 && event == event_type::VERIFY_EXISTS) =>
            {
                Ok(res)
            }
            Ok(res) => Err(PushError::Http {
                status: res.status,
                detail: error_detail(&res),
            }),
            Err(e) => Err(e),
        };
        let status = match &result {
            Ok(res) => Some(res.status),
            Err(PushError::Http { status, .. }) => Some(*status),
            Err(PushError::RateLimited(_) | PushError::RetryCancelled) => Some(429),
            Err(_) => None,
        };
        if result.is_ok() && !log_success {
            return result;
        }
        self.log.record(Event {
            published_ms: self.clock.now_ms(),
            event_type: event.into(),
            outcome: if result.is_ok() {
                Outcome::Success
            } else {
                Outcome::Failure
            },
            reason: result.as_ref().err().map(ToString::to_string),
            user_id: subject.user_id().map(str::to_string),
            group_id: subject.group_id().map(str::to_string),
            app_id: self.app.id.clone(),
            exchange_id: Some(exchange_id),
            request: Some(logged),
            status,
        });
        result
    }

    async fn send_with_retries(&mut self, req: HttpRequest) -> Result<HttpResponse, PushError> {
        let mut backoff = Backoff::default();
        for attempt in 1..MAX_TRIES {
            let res = self.transport.send(req.clone()).await?;
            if res.status != 429 {
                return Ok(res);
            }
            let (wait_ms, why) = backoff.after(&res, attempt);
            if !self.clock.backoff(wait_ms, &why).await {
                return Err(PushError::RetryCancelled);
            }
        }
        let res = self.transport.send(req).await?;
        if res.status == 429 {
            return Err(PushError::RateLimited(MAX_TRIES));
        }
        Ok(res)
    }
}

/// How long Okta waits before trying a rate-limited request again: an integer `Retry-After`
/// as the app asks; without one, five minutes, doubling each time. A header this browser could
/// not read (a cross-origin answer that does not expose it) is neither: Okta would have read
/// it, so the playground waits a few seconds, doubling, and says so.
#[derive(Debug, Clone, Copy)]
struct Backoff {
    absent_ms: u64,
    unreadable_ms: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            absent_ms: DEFAULT_RETRY_WAIT_MS,
            unreadable_ms: UNREADABLE_RETRY_WAIT_MS,
        }
    }
}

impl Backoff {
    /// The wait after the 429 `res` (the `attempt`th try), and why, in a sentence.
    fn after(&mut self, res: &HttpResponse, attempt: u32) -> (u64, String) {
        let tries = format!("try {attempt} of {MAX_TRIES} answered 429");
        if let Some(seconds) = res
            .header("Retry-After")
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            return (
                seconds.saturating_mul(1000),
                format!("{tries}; the app asks for {seconds} s (Retry-After)"),
            );
        }
        let doubled = |wait: &mut u64| std::mem::replace(wait, wait.saturating_mul(2));
        if res.cross_origin {
            let wait = doubled(&mut self.unreadable_ms);
            (
                wait,
                format!(
                    "{tries}; its Retry-After cannot be read here, because the server does not list \
                     it in Access-Control-Expose-Headers (Okta, calling from its servers, would \
                     read it), so the playground waits {} s, doubling",
                    wait / 1000
                ),
            )
        } else {
            let wait = doubled(&mut self.absent_ms);
            (
                wait,
                format!(
                    "{tries} without a Retry-After, so Okta waits {} min, doubling",
                    wait / 60_000
                ),
            )
        }
    }
}

/// Whom a System Log event is about.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Subject<'a> {
    /// An Okta user, by id.
    User(&'a str),
    /// An Okta group, by id.
    Group(&'a str),
    /// The app as a whole, e.g. an import page.
    App,
}

impl Subject<'_> {
    fn user_id(&self) -> Option<&str> {
        match self {
            Subject::User(id) => Some(id),
            Subject::Group(_) | Subject::App => None,
        }
    }

    fn group_id(&self) -> Option<&str> {
        match self {
            Subject::Group(id) => Some(id),
            Subject::User(_) | Subject::App => None,
        }
    }
}

/// The SCIM error's `detail`, or the start of the body when it is not a SCIM error.
pub(crate) fn error_detail(res: &HttpResponse) -> String {
    res.json()
        .and_then(|j| j.get("detail").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| res.body.chars().take(200).collect())
}
