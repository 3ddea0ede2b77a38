//! What an import produces: a row per app user, the statistics line, the run and its errors.

use super::*;

/// What an import found for one app user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RowKind {
    /// Unlinked, and every matching criterion holds for an Okta user.
    Exact,
    /// Unlinked, and first and last name equal an Okta user's.
    Partial,
    /// Unlinked and unmatched: a new Okta user.
    New,
    /// Linked, and nothing changed.
    Unchanged,
    /// Linked, and the app's profile changed the Okta user (profile sourcing).
    Updated,
    /// Linked, and deactivated in the app since the last import.
    DeactivatedInApp,
    /// Linked, and active again in the app since the last import.
    ReactivatedInApp,
    /// Linked, and no longer in the app at all.
    RemovedInApp,
}

/// What an admin decides for an unlinked row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", content = "userId", rename_all = "camelCase")]
pub enum Decision {
    /// Link to the matched Okta user (the proposal for exact and partial matches alike).
    Exact(String),
    /// Create a new Okta user.
    New,
    /// Link to an Okta user the admin names.
    Existing(String),
    /// Leave the app user unlinked.
    Ignore,
}

/// Where a row stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum RowState {
    /// Waiting for an admin's confirmation.
    Pending,
    /// Found while a safeguard holds the import: nothing is applied until it is resumed.
    Held,
    /// Held, and the import was cancelled: it was never applied.
    Cancelled,
    /// Done: linked, created, updated, or nothing to do.
    Done,
    /// The admin (or the hook) chose to leave it.
    Ignored {
        /// Why, e.g. the hook's error summary.
        reason: Option<String>,
    },
    /// It could not be applied.
    Failed {
        /// Why, e.g. "the login jane@x.com is already taken".
        reason: String,
    },
}

/// One app user in an import's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRow {
    /// The app user's SCIM `id`.
    pub scim_id: String,
    /// The app user profile as read (after any hook changes).
    pub app_profile: BTreeMap<String, Value>,
    /// The Okta username made by the username format.
    pub username: String,
    /// The Okta profile the mappings give (with `login` set to the username).
    pub okta_profile: BTreeMap<String, Value>,
    /// What the import found.
    pub kind: RowKind,
    /// The matched Okta users, for exact and partial matches.
    pub matches: Vec<String>,
    /// The linked Okta user, for linked rows.
    pub linked_user: Option<String>,
    /// The proposed (or chosen) decision, for unlinked rows.
    pub decision: Option<Decision>,
    /// Where it stands.
    pub state: RowState,
    /// Whether the inline hook changed something, for the UI.
    #[serde(default)]
    pub hook_applied: bool,
    /// For an updated row, what profile sourcing changes in the Okta user, attribute by
    /// attribute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<AttrChange>,
}

/// One attribute an import changes in an Okta user: before → after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttrChange {
    pub name: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl fmt::Display for AttrChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |v: &Option<String>| {
            v.clone()
                .map_or("(empty)".to_string(), |v| format!("\"{v}\""))
        };
        write!(
            f,
            "{}: {} → {}",
            self.name,
            shown(&self.before),
            shown(&self.after)
        )
    }
}

/// A row's changes as one line: `lastName: "Doe" → "DOE"; login: …`.
pub fn describe_changes(changes: &[AttrChange]) -> String {
    changes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The statistics line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportStats {
    /// App users read.
    pub scanned: usize,
    /// Of those, inactive app users nobody in Okta is linked to: not imported.
    #[serde(default)]
    pub inactive_skipped: usize,
    /// New users.
    pub new: usize,
    /// Exact and partial matches.
    pub matched: usize,
    /// Linked users updated.
    pub updated: usize,
    /// Linked users unchanged.
    pub unchanged: usize,
    /// Linked users removed or deactivated in the app.
    pub removed: usize,
}

impl fmt::Display for ImportStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} users scanned", self.scanned)?;
        if self.inactive_skipped > 0 {
            write!(f, " ({} inactive, not imported)", self.inactive_skipped)?;
        }
        write!(
            f,
            " / {} new / {} matched / {} existing updated / {} unchanged / {} removed",
            self.new, self.matched, self.updated, self.unchanged, self.removed
        )
    }
}

/// Where an import stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum RunStatus {
    /// A safeguard tripped; nothing was applied. Resume or cancel.
    Paused {
        /// Which safeguard and why.
        tripped: Tripped,
    },
    /// Applied; some rows wait for confirmation.
    AwaitingConfirmation,
    /// Applied and every row settled.
    Complete,
    /// Cancelled while paused; nothing was applied.
    Cancelled,
}

/// One import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRun {
    /// The job id, e.g. `ij0abc…`.
    pub job_id: String,
    /// When it started.
    pub started_ms: i64,
    /// Where it stands.
    pub status: RunStatus,
    /// The result rows.
    pub rows: Vec<ImportRow>,
    /// The statistics.
    pub stats: ImportStats,
}

/// Everything that can go wrong with an import.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ImportError {
    /// A page could not be read: an error status, a network error, a rate limit that never
    /// ended. Nothing was changed.
    #[error("the download failed: {0}")]
    Download(#[from] PushError),
    /// A page is not a SCIM ListResponse, e.g. `{"Resources": 5}`.
    #[error("page {page} is not a ListResponse: {reason}")]
    InvalidPage {
        /// The page number, from 1.
        page: usize,
        /// What is wrong.
        reason: String,
    },
    /// An import is paused by a safeguard: resume or cancel it before starting another.
    #[error("an import is paused by a safeguard; resume or cancel it first")]
    Paused,
    /// Resume or cancel was asked with no paused import.
    #[error("no import is paused")]
    NotPaused,
    /// A confirmation was asked with no import.
    #[error("there is no import to confirm")]
    NoImport,
    /// No row has this index, e.g. confirming row 7 of 5.
    #[error("the import has no row {0}")]
    UnknownRow(usize),
    /// The row is not waiting for a confirmation, e.g. confirming it twice.
    #[error("row {0} is not waiting for confirmation")]
    NotPending(usize),
    /// A decision names an Okta user that does not exist or is linked to another app user.
    #[error("the Okta user {0} cannot be linked")]
    CannotLink(String),
}

/// The statistics line of `rows` after `scanned` app users were read.
pub(super) fn statistics(scanned: usize, rows: &[ImportRow]) -> ImportStats {
    // Removed rows were not read (they are gone from the app); every other row was.
    let read = rows
        .iter()
        .filter(|r| r.kind != RowKind::RemovedInApp)
        .count();
    let mut stats = ImportStats {
        scanned,
        inactive_skipped: scanned.saturating_sub(read),
        ..ImportStats::default()
    };
    for row in rows {
        match row.kind {
            RowKind::New => stats.new += 1,
            RowKind::Exact | RowKind::Partial => stats.matched += 1,
            RowKind::Updated | RowKind::ReactivatedInApp => stats.updated += 1,
            RowKind::Unchanged => stats.unchanged += 1,
            RowKind::DeactivatedInApp | RowKind::RemovedInApp => stats.removed += 1,
        }
    }
    stats
}
