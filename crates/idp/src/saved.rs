//! The org in the form the app stores it: a small head and pieces of at most [`PIECE_LEN`] items.
//!
//! As one JSON text, an org of 15,000 people after an import of 10,000 app users is 13.6 MB.
//! Reading that back blocked the page's main thread for 300 to 550 ms in Chromium, and writing
//! it took about 100 ms after every job, because each was one step that cannot be interrupted.
//! Here the large collections (users, groups, app users, import rows and System Log events) are
//! written and read in pieces of a few milliseconds each, so the page can let the browser paint
//! and answer input between them. The head is the org itself with those collections empty, so
//! every other field keeps the serde form it has always had.
//!
//! A piece is `{"kind": "users", "items": [...]}`; app users also name their app
//! (`"app": "0oa..."`). Pieces are read through a JSON value, like the head and the shared
//! configuration, so serde's typed readers are compiled into the page only once.

use serde::Serialize;
use serde_json::Value;

use crate::directory::{AppUser, Group, User};
use crate::import::{ImportRow, ImportRun};
use crate::org::Org;
use crate::syslog::{Event, SystemLog};

/// The most items in one piece: about 180 KB of JSON for users with full profiles, and 250
/// import rows (each with its app and Okta profiles) at most twice that, so reading any one
/// piece in Chromium stays a small part of the page's 100 ms limit for a step.
pub const PIECE_LEN: usize = 250;

/// Why a saved org could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SavedError {
    /// The head (or an org saved as one text by an earlier version) is not a valid org.
    #[error("the saved org is not valid: {0}")]
    Head(serde_json::Error),
    /// A piece is not valid JSON, has an unknown kind, or its items are not of that kind.
    #[error("piece {index} of the saved org is not valid: {reason}")]
    Piece {
        /// The piece's position, from 0.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
}

/// Reads an org saved as one JSON text (the head, or the whole org as earlier versions saved
/// it). The text becomes a JSON value first and the org is read from the value, so the typed
/// readers are the same ones the pieces and the shared configuration use.
pub fn read_org(json: &str) -> Result<Org, SavedError> {
    serde_json::from_str::<Value>(json)
        .and_then(serde_json::from_value)
        .map_err(SavedError::Head)
}

/// The head: the org without the collections that travel in pieces.
pub fn head_json(org: &Org) -> String {
    let head = Org {
        directory: org.directory.without_entries(),
        okta_profile: org.okta_profile.clone(),
        app: org.app.clone(),
        import: org.import.clone(),
        last_import: org.last_import.as_ref().map(|run| ImportRun {
            job_id: run.job_id.clone(),
            started_ms: run.started_ms,
            status: run.status.clone(),
            rows: Vec::new(),
            stats: run.stats,
        }),
        group_pushes: org.group_pushes.clone(),
        log: SystemLog {
            events: Vec::new(),
            last_exchange_id: org.log.last_exchange_id,
        },
        rng: org.rng.clone(),
        entropy: org.entropy,
    };
    serde_json::to_string(&head).unwrap_or_default()
}

/// One piece to write, borrowing from the org: cheap to make, so the host can list them all at
/// once and turn them into text one step at a time with [`Piece::to_json`].
pub enum Piece<'a> {
    Users(Vec<&'a User>),
    Groups(Vec<&'a Group>),
    AppUsers(&'a str, Vec<&'a AppUser>),
    ImportRows(&'a [ImportRow]),
    Events(&'a [Event]),
}

/// `{"kind": kind, "items": [...]}`, with `"app"` for app users. Written by hand rather than
/// derived: a derived wrapper is one more serializer per kind of item compiled into the page.
fn to_json<T: Serialize + ?Sized>(kind: &str, app: Option<&str>, items: &T) -> String {
    let items = serde_json::to_string(items).unwrap_or_default();
    let app = app
        .map(|app| format!(",\"app\":{}", Value::from(app)))
        .unwrap_or_default();
    format!("{{\"kind\":\"{kind}\"{app},\"items\":{items}}}")
}

impl Piece<'_> {
    /// The piece's JSON text.
    pub fn to_json(&self) -> String {
        match self {
            Piece::Users(items) => to_json("users", None, items),
            Piece::Groups(items) => to_json("groups", None, items),
            Piece::AppUsers(app, items) => to_json("appUsers", Some(app), items),
            Piece::ImportRows(items) => to_json("importRows", None, *items),
            Piece::Events(items) => to_json("events", None, *items),
        }
    }
}

fn chunks<'a, T: 'a>(items: impl Iterator<Item = &'a T>) -> Vec<Vec<&'a T>> {
    let all: Vec<&T> = items.collect();
    all.chunks(PIECE_LEN).map(<[&T]>::to_vec).collect()
}

/// The pieces of the org, in the order [`Reader::add`] expects them (any order reads back the
/// same org, but import rows and events keep their order only if their pieces do).
pub fn pieces(org: &Org) -> Vec<Piece<'_>> {
    let directory = &org.directory;
    let mut out: Vec<Piece> = chunks(directory.users.values())
        .into_iter()
        .map(Piece::Users)
        .collect();
    out.extend(
        chunks(directory.groups.values())
            .into_iter()
            .map(Piece::Groups),
    );
    for (app, users) in &directory.app_users {
        out.extend(
            chunks(users.values())
                .into_iter()
                .map(|items| Piece::AppUsers(app, items)),
        );
    }
    if let Some(run) = &org.last_import {
        out.extend(run.rows.chunks(PIECE_LEN).map(Piece::ImportRows));
    }
    out.extend(org.log.events.chunks(PIECE_LEN).map(Piece::Events));
    out
}

/// Rebuilds an org from its head and its pieces, one piece per call.
pub struct Reader {
    org: Org,
    added: usize,
}

impl Reader {
    /// Starts from the head.
    pub fn new(head: &str) -> Result<Reader, SavedError> {
        Ok(Reader {
            org: read_org(head)?,
            added: 0,
        })
    }

    /// Adds the next piece.
    pub fn add(&mut self, piece: &str) -> Result<(), SavedError> {
        let index = self.added;
        self.added += 1;
        let invalid = |reason: String| SavedError::Piece { index, reason };
        let mut value: Value = serde_json::from_str(piece).map_err(|e| invalid(e.to_string()))?;
        let items = value
            .get_mut("items")
            .map(Value::take)
            .ok_or_else(|| invalid("it has no items".into()))?;
        let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
        let read = |e: serde_json::Error| {
            let what = match kind {
                "appUsers" => "app users",
                "importRows" => "import rows",
                other => other,
            };
            invalid(format!("its {what} are not valid: {e}"))
        };
        let directory = &mut self.org.directory;
        match kind {
            "users" => {
                for user in serde_json::from_value::<Vec<User>>(items).map_err(read)? {
                    directory.users.insert(user.id.clone(), user);
                }
            }
            "groups" => {
                for group in serde_json::from_value::<Vec<Group>>(items).map_err(read)? {
                    directory.groups.insert(group.id.clone(), group);
                }
            }
            "appUsers" => {
                let app = value
                    .get("app")
                    .and_then(Value::as_str)
                    .ok_or_else(|| invalid("its app users name no app".into()))?
                    .to_string();
                let users = directory.app_users.entry(app).or_default();
                for user in serde_json::from_value::<Vec<AppUser>>(items).map_err(read)? {
                    users.insert(user.user_id.clone(), user);
                }
            }
            "importRows" => {
                let rows = serde_json::from_value::<Vec<ImportRow>>(items).map_err(read)?;
                let run = self.org.last_import.as_mut().ok_or_else(|| {
                    invalid("it holds import rows but the org has no import".into())
                })?;
                run.rows.extend(rows);
            }
            "events" => {
                let events = serde_json::from_value::<Vec<Event>>(items).map_err(read)?;
                self.org.log.events.extend(events);
            }
            other => return Err(invalid(format!("its kind {other:?} is unknown"))),
        }
        Ok(())
    }

    /// The org, with its derived indexes rebuilt.
    pub fn finish(mut self) -> Org {
        self.org.directory.reindex();
        self.org
    }
}
