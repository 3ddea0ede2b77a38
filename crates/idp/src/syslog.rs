//! The System Log: one event per provisioning attempt, with Okta's event type names, the
//! outcome, the reason, and the request that was sent (never its credentials).

use serde::{Deserialize, Serialize};

use crate::transport::HttpRequest;

/// Okta's event type names (okta-provisioning.md §6).
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

/// A request as the log keeps it: everything but the headers, which carry the credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// The method.
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// The body, if any.
    pub body: Option<String>,
}

impl From<&HttpRequest> for LoggedRequest {
    fn from(req: &HttpRequest) -> Self {
        LoggedRequest {
            method: req.method.clone(),
            url: req.url.clone(),
            body: req.body.clone(),
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
    /// The app concerned.
    pub app_id: String,
    /// The request sent, if one was.
    pub request: Option<LoggedRequest>,
    /// The response status, if a response came.
    pub status: Option<u16>,
}

/// The log, oldest event first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SystemLog {
    events: Vec<Event>,
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

    /// Forgets every event.
    pub fn clear(&mut self) {
        self.events.clear();
    }
}
