//! "Back up everything": the Okta org, the built-in server's export document (its resources
//! and settings) and the scenario progress in one versioned JSON file, and the reader that
//! refuses a damaged, truncated, future or hostile file with its reason before anything is
//! replaced.
//!
//! Credentials travel only when the user asks (`secrets: true`). Without them the file holds
//! no API Integration credential, no inline hook `Authorization`, no Okta password, no server
//! credential and no SCIM `password`; restoring such a file keeps the credentials this browser
//! has ([`Restore::keep_credentials`]).

use serde_json::{json, Map, Value};

use crate::hook::ImportHook;
use crate::org::Org;
use crate::settings::ApiAuth;

/// What the file says it is.
pub const FORMAT: &str = "scim-playground-backup";

/// The version this build writes and the newest it reads.
pub const VERSION: u64 = 1;

/// The largest file read: an org of 15,000 people after an import of 10,000 is about 14 MB,
/// and its server about as much; anything far beyond is not a backup of this app.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

/// The export document's own format name (`/_playground/export`).
const SERVER_FORMAT: &str = protocol::admin::EXPORT_FORMAT;

/// Why a file cannot be restored. Nothing has been changed when one of these is returned.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BackupError {
    #[error("the file is larger than {MAX_BYTES} bytes, so it is not a backup of this app")]
    TooLarge,
    #[error("the file is not JSON, or it is cut short ({0})")]
    NotJson(String),
    #[error("the file is not a SCIM Playground backup (it has no \"format\": \"{FORMAT}\")")]
    NotABackup,
    #[error("the backup is version {0}, made by a newer SCIM Playground than this one (which reads version {VERSION} and older): open it with the newer version")]
    FutureVersion(u64),
    #[error("the backup's {part} is not valid: {reason}")]
    Part { part: &'static str, reason: String },
}

/// A backup read and checked: every part valid, ready to be restored.
#[derive(Debug, Clone)]
pub struct Restore {
    /// When it was made (as written in the file, for the preview).
    pub created_at: String,
    /// Whether the file carries credentials.
    pub secrets: bool,
    pub org: Org,
    /// The server's export document, checked for its shape; the worker checks the rest, all
    /// or nothing, when it is imported.
    pub server: Value,
    /// The scenario progress: lesson id → step.
    pub scenarios: Map<String, Value>,
}

/// What a backup, or this browser, holds: the preview's two columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub people: usize,
    pub groups: usize,
    pub assignments: usize,
    pub log_events: usize,
    pub server_users: usize,
    pub server_groups: usize,
}

impl Summary {
    /// Counts `org` and the server's export document.
    pub fn of(org: &Org, server: &Value) -> Summary {
        let count = |kind: &str| {
            server["resources"].as_array().map_or(0, |rows| {
                rows.iter()
                    .filter(|row| row["resourceType"] == kind)
                    .count()
            })
        };
        Summary {
            people: org.directory.users.len(),
            groups: org.directory.groups.len(),
            assignments: org
                .directory
                .app_users
                .values()
                .map(|users| users.len())
                .sum(),
            log_events: org.log.events().len(),
            server_users: count("User"),
            server_groups: count("Group"),
        }
    }
}

/// Writes a backup of `org`, the server's `export` document and the scenario progress.
/// Without `secrets`, every credential and password is left out.
pub fn write(
    org: &Org,
    server: &Value,
    scenarios: &Map<String, Value>,
    secrets: bool,
    created_at: &str,
) -> String {
    let mut org = org.clone();
    let mut server = server.clone();
    if !secrets {
        without_org_secrets(&mut org);
        without_server_secrets(&mut server);
    }
    // The org is written as the app saves it (`serde_json::to_string`), and the file around it
    // by hand: serialising it through a JSON value instead compiles a second serialiser of
    // every org type into the page (7 KB gzipped, measured).
    let org = serde_json::to_string(&org).unwrap_or_else(|_| "null".into());
    let head = json!({
        "format": FORMAT,
        "version": VERSION,
        "createdAt": created_at,
        "secrets": secrets,
    })
    .to_string();
    format!(
        "{},\"okta\":{org},\"server\":{server},\"scenarios\":{}}}",
        head.trim_end_matches('}'),
        Value::Object(scenarios.clone())
    )
}

/// Reads a backup, checking every part before anything may be replaced.
///
/// # Errors
///
/// Why the file cannot be restored.
pub fn read(text: &str) -> Result<Restore, BackupError> {
    if text.len() > MAX_BYTES {
        return Err(BackupError::TooLarge);
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| BackupError::NotJson(e.to_string()))?;
    let Value::Object(mut file) = value else {
        return Err(BackupError::NotABackup);
    };
    if file.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(BackupError::NotABackup);
    }
    let version = file
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| part("version", "it must be a whole number".to_string()))?;
    if version > VERSION {
        return Err(BackupError::FutureVersion(version));
    }
    if version == 0 {
        return Err(part("version", "0 was never written".to_string()));
    }
    let created_at = match file.remove("createdAt") {
        Some(Value::String(at)) if at.len() <= 64 => at,
        _ => return Err(part("creation time", "it must be a short text".into())),
    };
    let secrets = file
        .get("secrets")
        .and_then(Value::as_bool)
        .ok_or_else(|| part("secrets flag", "it must be true or false".into()))?;
    let org_value = file
        .remove("okta")
        .ok_or_else(|| part("Okta org", "it is missing".into()))?;
    let org: Org =
        serde_json::from_value(org_value).map_err(|e| part("Okta org", e.to_string()))?;
    check_org(&org).map_err(|reason| part("Okta org", reason))?;
    let server = file
        .remove("server")
        .ok_or_else(|| part("server data", "it is missing".into()))?;
    check_server(&server)?;
    let scenarios = match file.remove("scenarios") {
        None => Map::new(),
        Some(Value::Object(steps)) => {
            if steps.len() > 1000 || !steps.values().all(|step| step.as_u64().is_some()) {
                return Err(part(
                    "scenario progress",
                    "it must map each lesson to a step number".into(),
                ));
            }
            steps
        }
        Some(_) => {
            return Err(part(
                "scenario progress",
                "it must map each lesson to a step number".into(),
            ))
        }
    };
    Ok(Restore {
        created_at,
        secrets,
        org,
        server,
        scenarios,
    })
}

/// What serde cannot see: the org's references hold together (a hand-edited or hostile file could
/// name a member or an assignee that does not exist, which the panels were never written to
/// meet), and each login is one person's.
fn check_org(org: &Org) -> Result<(), String> {
    let directory = &org.directory;
    let mut logins = std::collections::HashSet::new();
    for (id, user) in &directory.users {
        if *id != user.id {
            return Err(format!(
                "person {id} is filed under another id ({})",
                user.id
            ));
        }
        if !logins.insert(user.login().to_ascii_lowercase()) {
            return Err(format!("the login {} belongs to two people", user.login()));
        }
    }
    for (id, group) in &directory.groups {
        if *id != group.id {
            return Err(format!(
                "group {id} is filed under another id ({})",
                group.id
            ));
        }
        if let Some(member) = group
            .members
            .iter()
            .find(|m| !directory.users.contains_key(*m))
        {
            return Err(format!(
                "group {} has a member {member} who is not in the org",
                group.name
            ));
        }
    }
    for users in directory.app_users.values() {
        for (id, assigned) in users {
            if *id != assigned.user_id || !directory.users.contains_key(id) {
                return Err(format!("an assignment names {id}, who is not in the org"));
            }
            if let Some(group) = assigned
                .via_groups
                .iter()
                .find(|g| !directory.groups.contains_key(*g))
            {
                return Err(format!(
                    "an assignment comes through group {group}, which is not in the org"
                ));
            }
        }
    }
    Ok(())
}

fn part(part: &'static str, reason: String) -> BackupError {
    BackupError::Part { part, reason }
}

/// The export document's shape: its format, settings and a list of resources, each with a type,
/// an id and its data. The worker checks each resource against its schema on import.
fn check_server(server: &Value) -> Result<(), BackupError> {
    let wrong = |reason: &str| part("server data", reason.to_string());
    if server["format"] != SERVER_FORMAT {
        return Err(wrong("it is not the server's export document"));
    }
    if !server["settings"].is_object() {
        return Err(wrong("it has no settings"));
    }
    let rows = server["resources"]
        .as_array()
        .ok_or_else(|| wrong("it has no list of resources"))?;
    for (index, row) in rows.iter().enumerate() {
        let fine = matches!(row["resourceType"].as_str(), Some("User" | "Group"))
            && row["id"].as_str().is_some_and(|id| !id.is_empty())
            && row["data"].is_object();
        if !fine {
            return Err(wrong(&format!(
                "resource {} is not a User or Group with an id and data",
                index + 1
            )));
        }
    }
    Ok(())
}

/// Leaves out the org's credentials and passwords.
fn without_org_secrets(org: &mut Org) {
    for user in org.directory.users.values_mut() {
        user.password = None;
    }
    org.app.settings.auth = ApiAuth::None;
    if let Some(ImportHook::Http { authorization, .. }) = &mut org.import.hook {
        *authorization = None;
    }
}

/// Leaves out the server's credential (its auth becomes `none` in the file) and every SCIM
/// `password` its resources hold.
fn without_server_secrets(server: &mut Value) {
    if let Some(settings) = server.get_mut("settings").and_then(Value::as_object_mut) {
        settings.insert("auth".into(), json!({ "method": "none" }));
    }
    if let Some(rows) = server.get_mut("resources").and_then(Value::as_array_mut) {
        for row in rows {
            if let Some(data) = row.get_mut("data") {
                remove_passwords(data);
            }
        }
    }
}

fn remove_passwords(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|name, _| !name.eq_ignore_ascii_case("password"));
            members.values_mut().for_each(remove_passwords);
        }
        Value::Array(items) => items.iter_mut().for_each(remove_passwords),
        _ => {}
    }
}

impl Restore {
    /// For a backup made without credentials: keeps the ones this browser has — the API
    /// Integration's, the inline hook's when the hook is on the same origin (a credential stays
    /// with its origin, as in a shared configuration), and the server's.
    pub fn keep_credentials(&mut self, current: &Org, current_server_auth: &Value) {
        if self.secrets {
            return;
        }
        self.org.app.settings.auth = current.app.settings.auth.clone();
        if let (
            Some(ImportHook::Http { url, authorization }),
            Some(ImportHook::Http {
                url: kept_url,
                authorization: kept,
            }),
        ) = (&mut self.org.import.hook, &current.import.hook)
        {
            if crate::origin::same(url, kept_url) {
                authorization.clone_from(kept);
            }
        }
        if let Some(settings) = self
            .server
            .get_mut("settings")
            .and_then(Value::as_object_mut)
        {
            settings.insert("auth".into(), current_server_auth.clone());
        }
    }
}
