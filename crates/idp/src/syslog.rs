//! The System Log: one event per provisioning attempt, with Okta's event type names, the
//! outcome, the reason, and the request that was sent (never its credentials).

use serde::{Deserialize, Serialize};

use crate::transport::HttpRequest;

/// Okta's event type names (docs/okta-model.md §6).
pub mod event_type {
    /// A new app account was created.
    pub const PUSH: &str = "application.provision.user.push";
    /// An app account's profile was updated.
    pub const PUSH_PROFILE: &str = "application.provision.user.push_profile";
    /// An app account was deactivated.
    pub const DEACTIVATE: &str = "application.provision.user.deactivate";
    /// An app account was reactivated.
    pub const REACTIVATE: &str = "application.provision.user.reactivate";
    /// A password was pushed.
    pub const PUSH_PASSWORD: &str = "application.provision.user.push_password";
    /// Okta checked whether the app account exists already.
    pub const VERIFY_EXISTS: &str = "application.provision.user.verify_exists";
    /// An app account was imported.
    pub const IMPORT_PROFILE: &str = "application.provision.user.import_profile";
    /// An app account was synchronised.
    pub const SYNC: &str = "application.provision.user.sync";
    /// A group was created in (or linked to) the app.
    pub const GROUP_PUSHED: &str = "application.provision.group_push.pushed";
    /// A pushed group's members were sent.
    pub const GROUP_PUSH_MEMBERSHIPS: &str = "application.provision.group_push.push_memberships";
    /// A pushed group was renamed.
    pub const GROUP_UPDATED: &str = "application.provision.group_push.updated";
    /// A pushed group was unlinked (and deleted in the app, if asked).
    pub const GROUP_REMOVED: &str = "application.provision.group_push.removed";
    /// An import started.
    pub const IMPORT_START: &str = "system.import.start";
    /// The import started reading the app's users.
    pub const IMPORT_DOWNLOAD_START: &str = "system.import.download.start";
    /// The import read every page.
    pub const IMPORT_DOWNLOAD_COMPLETE: &str = "system.import.download.complete";
    /// A confirmed import created an Okta user.
    pub const IMPORT_USER_CREATE: &str = "system.import.user.create";
    /// An import updated an Okta user's profile.
    pub const IMPORT_USER_UPDATE: &str = "system.import.user.update";
    /// A confirmed import linked an app user to an existing Okta user.
    pub const IMPORT_USER_MATCH: &str = "system.import.user.match";
    /// Lifecycle sourcing suspended an Okta user.
    pub const IMPORT_USER_SUSPEND: &str = "system.import.user.suspend";
    /// An import finished.
    pub const IMPORT_COMPLETE: &str = "system.import.complete";
    /// An import safeguard paused the import.
    pub const IMPORT_ROADBLOCK: &str = "system.import.roadblock";
    /// A paused import was resumed.
    pub const IMPORT_RESUME: &str = "system.import.resume";
    /// "Test API Credentials" sent one of its two requests. Not an Okta event type: Okta's
    /// documentation names none for the test, so the playground names its own, in its own
    /// namespace so it is never mistaken for one Okta would log (docs/okta-model.md §8).
    pub const TEST_API_CREDENTIALS: &str = "playground.api_credentials.test";
    /// An import inline hook was called.
    pub const INLINE_HOOK_EXECUTED: &str = "inline_hook.executed";
    /// Profile sourcing deactivated an Okta user (Okta's own lifecycle event type).
    pub const USER_DEACTIVATE: &str = "user.lifecycle.deactivate";
    /// Profile sourcing reactivated a deactivated Okta user.
    pub const USER_REACTIVATE: &str = "user.lifecycle.reactivate";
    /// Profile sourcing unsuspended a suspended Okta user.
    pub const USER_UNSUSPEND: &str = "user.lifecycle.unsuspend";

    /// The event a lifecycle change made by profile sourcing is logged as: Okta's lifecycle
    /// event types, and `system.import.user.suspend` for a suspension, as the import logs it.
    pub fn of_sourcing(action: crate::directory::Lifecycle) -> &'static str {
        use crate::directory::Lifecycle;
        match action {
            Lifecycle::Suspend => IMPORT_USER_SUSPEND,
            Lifecycle::Unsuspend => USER_UNSUSPEND,
            Lifecycle::Reactivate | Lifecycle::Activate => USER_REACTIVATE,
            Lifecycle::Deactivate | Lifecycle::Delete => USER_DEACTIVATE,
        }
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Outcome {
    /// It did what it set out to do.
    Success,
    /// It failed; the reason says why.
    Failure,
}

/// A request as the log keeps it: everything but the headers, which carry the credentials, and
/// with the secrets in its body (a created user's `password`) masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// The method.
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// The headers as the client sends them from its servers (Okta's `User-Agent` included,
    /// which a browser replaces), the credential masked. Events saved before headers were
    /// logged have none.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<String>,
}

impl From<&HttpRequest> for LoggedRequest {
    fn from(req: &HttpRequest) -> Self {
        LoggedRequest {
            method: req.method.clone(),
            url: req.url.clone(),
            headers: secrets::headers(&req.headers),
            body: req.body.as_deref().map(secrets::body),
        }
    }
}

/// One System Log event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// When it happened, in milliseconds since the Unix epoch (from the injected clock).
    pub published_ms: i64,
    /// Okta's event type, e.g. [`event_type::PUSH`].
    pub event_type: String,
    /// Success or failure.
    pub outcome: Outcome,
    /// Why, for a failure or a noteworthy success (e.g. "linked to an existing app user").
    pub reason: Option<String>,
    /// The Okta user concerned.
    pub user_id: Option<String>,
    /// The Okta group concerned (Group Push).
    #[serde(default)]
    pub group_id: Option<String>,
    /// The app concerned.
    pub app_id: String,
    /// The id of the HTTP exchange, also handed to the transport in
    /// [`HttpRequest::exchange_id`], so the UI can link the event to the traffic it caused.
    #[serde(default)]
    pub exchange_id: Option<u64>,
    /// The request sent, if one was.
    pub request: Option<LoggedRequest>,
    /// The response status, if a response came.
    pub status: Option<u16>,
}

/// The log, oldest event first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SystemLog {
    pub(crate) events: Vec<Event>,
    #[serde(default)]
    pub(crate) last_exchange_id: u64,
}

impl SystemLog {
    /// An empty log.
    pub fn new() -> SystemLog {
        SystemLog::default()
    }

    /// Appends an event.
    pub fn record(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Every event, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The events of one type.
    pub fn of_type<'a>(&'a self, event_type: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.events
            .iter()
            .filter(move |e| e.event_type == event_type)
    }

    /// A new exchange id: ids keep counting up even when the log is cleared, so a link from
    /// an old traffic record never lands on a new event.
    pub fn next_exchange_id(&mut self) -> u64 {
        self.last_exchange_id = self.last_exchange_id.saturating_add(1);
        self.last_exchange_id
    }

    /// Forgets every event.
    pub fn clear(&mut self) {
        self.events.clear();
    }
}
