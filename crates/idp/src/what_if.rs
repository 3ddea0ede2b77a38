//! "What if": one event for one person — the app deactivates, removes or reactivates their
//! account, or Okta unassigns or deactivates them — run by the simulator's own code on a copy of
//! the org, through a transport that sends nothing ([`crate::dry_run`]). The To Okta tab shows
//! the path it takes through the sourcing diagram, the requests Okta would send and the System
//! Log events, and nothing in the org or the app changes.

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::directory::{Lifecycle, UserStatus};
use crate::dry_run::DryRun;
use crate::import::{AppChange, ImportError, RowKind};
use crate::org::Org;
use crate::push::PushError;
use crate::sourcing::{OnDeactivated, Sourcing};
use crate::syslog::{event_type, Event, LoggedRequest};

/// The event a "what if" plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WhatIfEvent {
    /// The app deactivates the person's account; Okta finds out at the next import.
    DeactivatedInApp,
    /// The app deletes the account; the next import does not find it.
    RemovedInApp,
    /// The app activates the account again; Okta finds out at the next import.
    ReactivatedInApp,
    /// An admin removes the person's direct assignment in Okta (To App).
    UnassignedInOkta,
    /// An admin deactivates the person in Okta (To App).
    DeactivatedInOkta,
}

impl WhatIfEvent {
    /// Every event, in the order the form lists them.
    pub const ALL: [WhatIfEvent; 5] = [
        WhatIfEvent::DeactivatedInApp,
        WhatIfEvent::RemovedInApp,
        WhatIfEvent::ReactivatedInApp,
        WhatIfEvent::UnassignedInOkta,
        WhatIfEvent::DeactivatedInOkta,
    ];

    /// A short stable name, for a form's values.
    pub fn slug(self) -> &'static str {
        match self {
            WhatIfEvent::DeactivatedInApp => "deactivated-in-app",
            WhatIfEvent::RemovedInApp => "removed-in-app",
            WhatIfEvent::ReactivatedInApp => "reactivated-in-app",
            WhatIfEvent::UnassignedInOkta => "unassigned-in-okta",
            WhatIfEvent::DeactivatedInOkta => "deactivated-in-okta",
        }
    }

    /// The event named by [`WhatIfEvent::slug`].
    pub fn from_slug(slug: &str) -> Option<WhatIfEvent> {
        WhatIfEvent::ALL.into_iter().find(|e| e.slug() == slug)
    }

    /// The event as the form says it.
    pub fn label(self) -> &'static str {
        match self {
            WhatIfEvent::DeactivatedInApp => "The app deactivates their account",
            WhatIfEvent::RemovedInApp => "The app deletes their account",
            WhatIfEvent::ReactivatedInApp => "The app reactivates their account",
            WhatIfEvent::UnassignedInOkta => "Okta unassigns them from the app",
            WhatIfEvent::DeactivatedInOkta => "Okta deactivates them",
        }
    }

    fn app_change(self) -> Option<AppChange> {
        match self {
            WhatIfEvent::DeactivatedInApp => Some(AppChange::Deactivated),
            WhatIfEvent::RemovedInApp => Some(AppChange::Removed),
            WhatIfEvent::ReactivatedInApp => Some(AppChange::Reactivated),
            WhatIfEvent::UnassignedInOkta | WhatIfEvent::DeactivatedInOkta => None,
        }
    }
}

/// What the event would do.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    /// The person's Okta status before and after.
    pub status: (UserStatus, UserStatus),
    /// Whether the person is assigned the app before and after.
    pub assigned: (bool, bool),
    /// The sourcing diagram's transition it takes (`crate::diagram::sourcing`), if any.
    pub transition: Option<&'static str>,
    /// The requests Okta would send, credentials and secrets masked as the System Log keeps
    /// them.
    pub requests: Vec<LoggedRequest>,
    /// The System Log events it would write about this person (and the import's download,
    /// which carries its request).
    pub events: Vec<Event>,
    /// One sentence: what happens, or why nothing does.
    pub summary: String,
}

/// Why a "what if" has no answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WhatIfError {
    /// No such person.
    #[error("there is no person {0}")]
    UnknownUser(String),
    /// An app-side event needs an app account Okta has linked to the person.
    #[error("{0} has no app account linked in Okta: assign them (or import and link their account) first")]
    NotLinked(String),
    /// The simulator refused the Okta-side event, e.g. unassigning someone who has the app
    /// through a group only; the reason is the simulator's own.
    #[error("{0}")]
    Refused(String),
}

/// Plays `event` for `user_id` on a copy of `org` whose sourcing settings are `sourcing` (the
/// form's, saved or not), and says what it would do.
///
/// # Errors
///
/// [`WhatIfError`].
pub async fn what_if(
    org: &Org,
    sourcing: &Sourcing,
    user_id: &str,
    event: WhatIfEvent,
    clock: &dyn Clock,
) -> Result<WhatIf, WhatIfError> {
    let person = org
        .directory
        .user(user_id)
        .ok_or_else(|| WhatIfError::UnknownUser(user_id.into()))?;
    let login = person.login().to_string();
    let before = person.status;
    let mut copy = org.clone();
    copy.import.sourcing = sourcing.clone();
    copy.log.clear();
    let assigned_before = is_assigned(&copy, user_id);
    let linked = copy.known_account(user_id).is_some();
    let (requests, kind) = match event.app_change() {
        Some(change) => {
            let (kind, sent) = copy
                .import_one_change(user_id, change, clock)
                .await
                .map_err(|e: ImportError| WhatIfError::Refused(e.to_string()))?;
            let Some(kind) = kind else {
                return Err(WhatIfError::NotLinked(login));
            };
            (sent, Some(kind))
        }
        None => {
            let accounts = copy.known_account(user_id).into_iter().collect();
            let transport = DryRun::accounts(accounts);
            let result = match event {
                WhatIfEvent::UnassignedInOkta => {
                    copy.unassign_user(&transport, clock, user_id).await
                }
                _ => {
                    copy.user_lifecycle(&transport, clock, user_id, Lifecycle::Deactivate)
                        .await
                }
            };
            result.map_err(|e: PushError| WhatIfError::Refused(e.to_string()))?;
            (transport.sent(), None)
        }
    };
    let after = copy.directory.user(user_id).map_or(before, |u| u.status);
    let assigned = (assigned_before, is_assigned(&copy, user_id));
    let requests: Vec<LoggedRequest> = requests.iter().map(LoggedRequest::from).collect();
    let transition = match event.app_change() {
        None => requests
            .iter()
            .any(|r| r.method == "PATCH")
            .then_some("to-app"),
        Some(_) => transition(before, after),
    };
    let events = copy
        .log
        .events()
        .iter()
        .filter(|e| {
            e.user_id.as_deref() == Some(user_id)
                || e.event_type == event_type::IMPORT_DOWNLOAD_START
        })
        .cloned()
        .collect();
    let summary = summary(&Said {
        login: &login,
        event,
        kind,
        sourcing,
        status: (before, after),
        assigned,
        linked,
        requests: &requests,
    });
    Ok(WhatIf {
        status: (before, after),
        assigned,
        transition,
        requests,
        events,
        summary,
    })
}

fn is_assigned(org: &Org, user_id: &str) -> bool {
    org.directory
        .app_user(&org.app.id, user_id)
        .is_some_and(|a| a.is_assigned())
}

/// The sourcing diagram's transition from `before` to `after`.
fn transition(before: UserStatus, after: UserStatus) -> Option<&'static str> {
    match (before, after) {
        (b, a) if b == a => None,
        (_, UserStatus::Deprovisioned) => Some("deactivate"),
        (_, UserStatus::Suspended) => Some("suspend"),
        (UserStatus::Suspended, _) => Some("unsuspend"),
        (UserStatus::Deprovisioned, _) => Some("reactivate"),
        _ => None,
    }
}

/// A status as Okta's admin pages name it, with its API name.
pub fn status_label(status: UserStatus) -> String {
    let label = match status {
        UserStatus::Staged => "Staged",
        UserStatus::Provisioned => "Pending Activation",
        UserStatus::Active => "Active",
        UserStatus::Suspended => "Suspended",
        UserStatus::Deprovisioned => "Deactivated",
        UserStatus::Recovery => "Password Reset",
        UserStatus::LockedOut => "Locked Out",
        UserStatus::PasswordExpired => "Password Expired",
    };
    format!("{label} ({})", status.as_str())
}

/// What the summary is made from.
struct Said<'a> {
    login: &'a str,
    event: WhatIfEvent,
    kind: Option<RowKind>,
    sourcing: &'a Sourcing,
    status: (UserStatus, UserStatus),
    assigned: (bool, bool),
    linked: bool,
    requests: &'a [LoggedRequest],
}

fn summary(s: &Said) -> String {
    let (before, after) = s.status;
    let who = s.login;
    let lost = if s.assigned.0 && !s.assigned.1 {
        " and loses the app's assignment"
    } else {
        ""
    };
    if s.event.app_change().is_none() {
        let writes = s.requests.iter().filter(|r| r.method != "GET").count();
        let status = if before == after {
            String::new()
        } else {
            format!(
                "{who} goes from {} to {}. ",
                status_label(before),
                status_label(after)
            )
        };
        return if !s.linked {
            format!("{status}Okta sends the app nothing: {who} has no app account linked.")
        } else if writes > 0 {
            format!("{status}Okta tells the app at once: it deactivates the app account with the request below.")
        } else {
            format!("{status}Okta sends the app nothing: To App's Deactivate Users is off (or provisioning is disabled), so the app account stays active.")
        };
    }
    if before != after {
        return format!(
            "At the next import {who} goes from {} to {}{lost}. Imports send nothing back to the app.",
            status_label(before),
            status_label(after)
        );
    }
    let why = match (s.event, s.kind) {
        (WhatIfEvent::DeactivatedInApp, Some(RowKind::Unchanged)) => {
            "Okta already knows this app account as inactive: the import finds nothing new".into()
        }
        (WhatIfEvent::ReactivatedInApp, Some(RowKind::Unchanged | RowKind::Updated)) => {
            "Okta already knows this app account as active: there is nothing to reactivate".into()
        }
        _ if !s.sourcing.enabled => {
            "app sourcing is off, so imports never change a person's status".into()
        }
        (WhatIfEvent::ReactivatedInApp, _) => match before {
            UserStatus::Suspended => "“Reactivate suspended Okta users” is off".into(),
            UserStatus::Deprovisioned => "“Reactivate deactivated Okta users” is off".into(),
            _ => format!("{who} is {} in Okta already", status_label(before)),
        },
        _ => match s.sourcing.on_deactivated {
            OnDeactivated::DoNothing => {
                "“When a user is deactivated in the app” is Do nothing".into()
            }
            OnDeactivated::Suspend => format!(
                "Suspend applies to an active person only, and {who} is {}",
                status_label(before)
            ),
            OnDeactivated::Deactivate => {
                format!("{who} is {} already", status_label(before))
            }
        },
    };
    format!(
        "At the next import {who} stays {}{lost}: {why}.",
        status_label(before)
    )
}
