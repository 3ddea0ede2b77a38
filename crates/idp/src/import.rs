//! "To Okta": importing the app's users (docs/okta-model.md §4).
//!
//! An import reads every page of `GET /Users?startIndex=…&count=100`, maps each app user to an
//! Okta profile (the app → Okta mappings and the username format), sorts it into a result row
//! (linked and unchanged or updated, deactivated, reactivated or removed in the app; or
//! unlinked and an exact match, a partial match or new), asks the inline hook, and checks the
//! safeguards. Nothing in the directory changes until the whole download succeeded and no
//! safeguard tripped; then the automatic changes are applied (profile sourcing, lifecycle
//! sourcing, unassigning removed users, the automatic confirmations) and the remaining rows
//! wait for an admin's confirmation.
//!
//! Imports send nothing back to the app: linking or creating a user here never pushes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::clock::Clock;
use crate::directory::{is_base_attribute, DirectoryError, Lifecycle, SyncState, UserStatus};
use crate::expr::{self, MapContext, Object};
use crate::hook::{self, Command, HookInput, ImportAction, ImportHook};
use crate::mapping::MappingError;
use crate::matching::{MatchIndex, MatchOutcome, MatchRules};
use crate::org::Org;
use crate::push::{Provisioner, PushError, Subject};
use crate::safeguard::{Safeguards, Tripped};
use crate::sourcing::Sourcing;
use crate::syslog::{event_type, Event, Outcome};
use crate::transport::Transport;

/// Users per page, as Okta asks for them.
pub const PAGE_SIZE: usize = 100;

/// The most pages one import reads, so a server reporting an absurd `totalResults` cannot keep
/// an import going forever (a million users).
pub const MAX_PAGES: usize = 10_000;

/// How many app users an import sorts between pauses that let a browser tab stay responsive.
const YIELD_EVERY: usize = 250;

/// How the Okta username of an imported user is made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UsernameFormat {
    /// The (mapped) email becomes the username.
    #[default]
    Email,
    /// An expression over `appuser.*`, e.g.
    /// `String.substringBefore(appuser.email, "@") + "@corp.example"`.
    Custom {
        /// The expression.
        expression: String,
    },
}

/// How often imports run by themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Interval {
    /// Never: imports run when the admin asks.
    #[default]
    Never,
    /// Every hour.
    Hourly,
    /// Every day.
    Daily,
    /// Every week.
    Weekly,
}

impl Interval {
    /// The interval in milliseconds, or `None` for [`Interval::Never`].
    pub fn ms(self) -> Option<i64> {
        match self {
            Interval::Never => None,
            Interval::Hourly => Some(3_600_000),
            Interval::Daily => Some(86_400_000),
            Interval::Weekly => Some(7 * 86_400_000),
        }
    }
}

/// The import schedule on the injected clock.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Schedule {
    /// How often full imports run.
    pub full: Interval,
    /// When the next one is due; set when the schedule first ticks.
    pub next_run_ms: Option<i64>,
}

/// Everything on the "To Okta" page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ImportConfig {
    /// The username format.
    pub username_format: UsernameFormat,
    /// User Creation & Matching.
    pub matching: MatchRules,
    /// Profile & Lifecycle Sourcing.
    pub sourcing: Sourcing,
    /// Import Safeguards.
    pub safeguards: Safeguards,
    /// The import inline hook, if any.
    pub hook: Option<ImportHook>,
    /// The schedule.
    pub schedule: Schedule,
}

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
    /// Link to the exactly matched Okta user.
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
}

/// The statistics line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportStats {
    /// App users read.
    pub scanned: usize,
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
        write!(
            f,
            "{} users scanned / {} new / {} matched / {} existing updated / {} unchanged / {} removed",
            self.scanned, self.new, self.matched, self.updated, self.unchanged, self.removed
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

impl Org {
    /// Runs a full import now.
    ///
    /// # Errors
    ///
    /// [`ImportError::Paused`], or a download failure (nothing changed).
    pub async fn import(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
    ) -> Result<&ImportRun, ImportError> {
        if matches!(
            self.last_import.as_ref().map(|r| &r.status),
            Some(RunStatus::Paused { .. })
        ) {
            return Err(ImportError::Paused);
        }
        let job_id = self.rng.okta_id("ij0");
        let started_ms = clock.now_ms();
        self.note(clock, event_type::IMPORT_START, Outcome::Success, None);
        let resources = {
            let (mut p, _, _) = self.provisioner(transport, clock);
            download(&mut p).await
        };
        let resources = match resources {
            Ok(resources) => resources,
            Err(e) => {
                self.note(
                    clock,
                    event_type::IMPORT_COMPLETE,
                    Outcome::Failure,
                    Some(e.to_string()),
                );
                return Err(e);
            }
        };
        self.note(
            clock,
            event_type::IMPORT_DOWNLOAD_COMPLETE,
            Outcome::Success,
            Some(format!("{} app users", resources.len())),
        );
        let mapper = Mapper::new(self);
        let mut rows = self.sort_into_rows(&mapper, &resources, clock).await;
        self.ask_hook(transport, clock, &mapper, &job_id, &mut rows)
            .await;
        let stats = statistics(resources.len(), &rows);
        let would_unassign = rows
            .iter()
            .filter(|r| {
                r.kind == RowKind::RemovedInApp
                    || (r.kind == RowKind::DeactivatedInApp
                        && self.lifecycle_on_deactivation(r) == Some(Lifecycle::Deactivate))
            })
            .count();
        let app_assigned = self
            .directory
            .app_users(&self.app.id)
            .filter(|a| a.is_assigned())
            .count();
        let org_assigned = self.directory.assignment_count();
        let tripped = self
            .import
            .safeguards
            .check(would_unassign, app_assigned, org_assigned);
        let mut run = ImportRun {
            job_id,
            started_ms,
            status: RunStatus::AwaitingConfirmation,
            rows,
            stats,
        };
        if let Some(tripped) = tripped {
            run.status = RunStatus::Paused { tripped };
            self.note(
                clock,
                event_type::IMPORT_ROADBLOCK,
                Outcome::Failure,
                Some(format!(
                    "the import would unassign {} of {} users, at least {} %",
                    tripped.would_unassign, tripped.assigned, tripped.percent
                )),
            );
        } else {
            self.apply(&mut run, clock).await;
        }
        Ok(self.last_import.insert(run))
    }

    /// Resumes an import paused by a safeguard: its changes are applied as they were found.
    ///
    /// # Errors
    ///
    /// [`ImportError::NotPaused`].
    pub async fn resume_import(&mut self, clock: &dyn Clock) -> Result<&ImportRun, ImportError> {
        let mut run = self.last_import.take().ok_or(ImportError::NotPaused)?;
        if !matches!(run.status, RunStatus::Paused { .. }) {
            self.last_import = Some(run);
            return Err(ImportError::NotPaused);
        }
        self.note(clock, event_type::IMPORT_RESUME, Outcome::Success, None);
        self.apply(&mut run, clock).await;
        Ok(self.last_import.insert(run))
    }

    /// Cancels an import paused by a safeguard: nothing is applied.
    ///
    /// # Errors
    ///
    /// [`ImportError::NotPaused`].
    pub fn cancel_import(&mut self, clock: &dyn Clock) -> Result<(), ImportError> {
        match self.last_import.as_mut() {
            Some(run) if matches!(run.status, RunStatus::Paused { .. }) => {
                run.status = RunStatus::Cancelled;
                self.note(
                    clock,
                    event_type::IMPORT_COMPLETE,
                    Outcome::Failure,
                    Some("cancelled at the safeguard".into()),
                );
                Ok(())
            }
            _ => Err(ImportError::NotPaused),
        }
    }

    /// Sets the decision of a pending row (exact / new / existing user / ignore).
    ///
    /// # Errors
    ///
    /// [`ImportError::NoImport`], [`ImportError::UnknownRow`], [`ImportError::NotPending`].
    pub fn decide(&mut self, row_idx: usize, decision: Decision) -> Result<(), ImportError> {
        let row = self.pending_row(row_idx)?;
        row.decision = Some(decision);
        Ok(())
    }

    /// "Confirm Assignments" for the given rows: each is linked, created (activated when
    /// `activate`), or ignored as decided. A row that cannot be applied is marked failed and
    /// the others go on.
    ///
    /// # Errors
    ///
    /// [`ImportError::NoImport`], [`ImportError::UnknownRow`] or [`ImportError::NotPending`]
    /// for the first bad index, before anything is applied.
    pub async fn confirm(
        &mut self,
        row_indices: &[usize],
        activate: bool,
        clock: &dyn Clock,
    ) -> Result<(), ImportError> {
        for &row_idx in row_indices {
            self.pending_row(row_idx)?;
        }
        let Some(mut run) = self.last_import.take() else {
            return Err(ImportError::NoImport);
        };
        for (position, &row_idx) in row_indices.iter().enumerate() {
            // Confirming ten thousand rows creates ten thousand people: in steps, like the
            // import itself, so the page can paint between them.
            if position % YIELD_EVERY == YIELD_EVERY - 1 {
                clock.sleep(0).await;
            }
            if let Some(row) = run.rows.get_mut(row_idx) {
                self.confirm_row(row, activate, clock);
            }
        }
        self.finish(&mut run, clock);
        self.last_import = Some(run);
        Ok(())
    }

    /// Confirms every pending row.
    ///
    /// # Errors
    ///
    /// [`ImportError::NoImport`].
    pub async fn confirm_all(
        &mut self,
        activate: bool,
        clock: &dyn Clock,
    ) -> Result<(), ImportError> {
        let run = self.last_import.as_ref().ok_or(ImportError::NoImport)?;
        let pending: Vec<usize> = run
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.state == RowState::Pending)
            .map(|(i, _)| i)
            .collect();
        self.confirm(&pending, activate, clock).await
    }

    /// Runs a scheduled import when one is due on `clock`; returns whether one ran. The first
    /// tick of a schedule only sets its due time.
    ///
    /// # Errors
    ///
    /// As [`Org::import`].
    pub async fn tick(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
    ) -> Result<bool, ImportError> {
        let Some(every) = self.import.schedule.full.ms() else {
            return Ok(false);
        };
        let now = clock.now_ms();
        let due = *self
            .import
            .schedule
            .next_run_ms
            .get_or_insert(now.saturating_add(every));
        if now < due {
            return Ok(false);
        }
        // Missed runs are not made up: the next one is one interval after the last due time
        // that has passed, i.e. `now` plus what is left of the current interval. Written from
        // `now`, so a stored due time from the distant past cannot overflow.
        let into_interval = now.saturating_sub(due) % every;
        self.import.schedule.next_run_ms = Some(now.saturating_add(every - into_interval));
        self.import(transport, clock).await?;
        Ok(true)
    }

    fn pending_row(&mut self, row_idx: usize) -> Result<&mut ImportRow, ImportError> {
        let run = self.last_import.as_mut().ok_or(ImportError::NoImport)?;
        let row = run
            .rows
            .get_mut(row_idx)
            .ok_or(ImportError::UnknownRow(row_idx))?;
        if row.state != RowState::Pending {
            return Err(ImportError::NotPending(row_idx));
        }
        Ok(row)
    }

    fn note(&mut self, clock: &dyn Clock, event: &str, outcome: Outcome, reason: Option<String>) {
        self.note_user(clock, event, outcome, reason, None);
    }

    fn note_user(
        &mut self,
        clock: &dyn Clock,
        event: &str,
        outcome: Outcome,
        reason: Option<String>,
        user_id: Option<String>,
    ) {
        self.log.record(Event {
            published_ms: clock.now_ms(),
            event_type: event.into(),
            outcome,
            reason,
            user_id,
            group_id: None,
            app_id: self.app.id.clone(),
            exchange_id: None,
            request: None,
            status: None,
        });
    }

    /// Sorts the downloaded app users into rows.
    async fn sort_into_rows(
        &self,
        mapper: &Mapper,
        resources: &[Map<String, Value>],
        clock: &dyn Clock,
    ) -> Vec<ImportRow> {
        let app_id = &self.app.id;
        let linked: HashMap<String, String> = self
            .directory
            .app_users(app_id)
            .filter(|a| a.is_assigned())
            .filter_map(|a| Some((a.external_id.clone()?, a.user_id.clone())))
            .collect();
        let linked_users: BTreeSet<&String> = linked.values().collect();
        let rules = &self.import.matching;
        let index = MatchIndex::build(&self.directory, rules, |id| {
            !linked_users.contains(&id.to_string())
        });
        // Indexing ten thousand people is a step of its own, so it never adds to the first
        // rows' step.
        clock.sleep(0).await;
        let mut seen = BTreeSet::new();
        let mut rows = Vec::with_capacity(resources.len());
        for (position, resource) in resources.iter().enumerate() {
            // Mapping and matching ten thousand users takes a few hundred milliseconds; in a
            // browser tab that would freeze the page, so the work pauses every few hundred
            // rows (a zero-length sleep on the injected clock lets the page paint).
            if position % YIELD_EVERY == YIELD_EVERY - 1 {
                clock.sleep(0).await;
            }
            let Some(scim_id) = resource.get("id").and_then(Value::as_str) else {
                continue;
            };
            if !seen.insert(scim_id.to_string()) {
                continue;
            }
            let active = is_active(resource);
            let app_profile = self.read_app_profile(resource);
            let (username, okta_profile, problem) = mapper.map(&app_profile);
            let mut row = ImportRow {
                scim_id: scim_id.to_string(),
                app_profile,
                username,
                okta_profile,
                kind: RowKind::New,
                matches: Vec::new(),
                linked_user: None,
                decision: None,
                state: RowState::Done,
                hook_applied: false,
            };
            if let Some(user_id) = linked.get(scim_id) {
                row.linked_user = Some(user_id.clone());
                let was_active = self
                    .directory
                    .app_user(app_id, user_id)
                    .is_some_and(|a| a.active);
                row.kind = match (active, was_active) {
                    (false, true) => RowKind::DeactivatedInApp,
                    (false, false) => RowKind::Unchanged,
                    (true, false) => RowKind::ReactivatedInApp,
                    (true, true) if self.sourced_changes(&row).is_empty() => RowKind::Unchanged,
                    (true, true) => RowKind::Updated,
                };
                rows.push(row);
                continue;
            }
            // Only active app users are imported.
            if !active {
                continue;
            }
            if let Some(reason) = problem {
                row.state = RowState::Failed { reason };
                rows.push(row);
                continue;
            }
            let okta = &row.okta_profile;
            let outcome = index.find(rules, &row.username, |name| {
                okta.get(name).and_then(Value::as_str)
            });
            (row.kind, row.matches, row.decision) = match outcome {
                MatchOutcome::Exact(ids) => {
                    let first = ids.first().cloned().unwrap_or_default();
                    (RowKind::Exact, ids, Some(Decision::Exact(first)))
                }
                MatchOutcome::Partial(ids) => {
                    let first = ids.first().cloned().unwrap_or_default();
                    (RowKind::Partial, ids, Some(Decision::Existing(first)))
                }
                MatchOutcome::None => (RowKind::New, Vec::new(), Some(Decision::New)),
            };
            row.state = RowState::Pending;
            rows.push(row);
        }
        for (scim_id, user_id) in &linked {
            if !seen.contains(scim_id) {
                rows.push(ImportRow {
                    scim_id: scim_id.clone(),
                    app_profile: BTreeMap::new(),
                    username: String::new(),
                    okta_profile: BTreeMap::new(),
                    kind: RowKind::RemovedInApp,
                    matches: Vec::new(),
                    linked_user: Some(user_id.clone()),
                    decision: None,
                    state: RowState::Done,
                    hook_applied: false,
                });
            }
        }
        rows
    }

    fn read_app_profile(&self, resource: &Map<String, Value>) -> BTreeMap<String, Value> {
        self.app
            .profile
            .attributes()
            .iter()
            .filter_map(|attribute| {
                Some((
                    attribute.name.clone(),
                    crate::scim_json::get(resource, attribute)?,
                ))
            })
            .collect()
    }

    /// The Okta attributes a linked row would change (profile sourcing), empty when sourcing
    /// is off.
    fn sourced_changes(&self, row: &ImportRow) -> BTreeMap<String, Option<String>> {
        let mut changes = BTreeMap::new();
        if !self.import.sourcing.enabled {
            return changes;
        }
        let Some(user) = row
            .linked_user
            .as_ref()
            .and_then(|id| self.directory.user(id))
        else {
            return changes;
        };
        for (name, value) in &row.okta_profile {
            let text = value_text(value);
            let current = if is_base_attribute(name) {
                user.attr(name).map(str::to_string)
            } else {
                user.custom.get(name).map(value_text)
            };
            if current.as_deref() != Some(text.as_str()) {
                changes.insert(name.clone(), Some(text));
            }
        }
        changes
    }

    fn lifecycle_on_deactivation(&self, row: &ImportRow) -> Option<Lifecycle> {
        let user = self.directory.user(row.linked_user.as_deref()?)?;
        self.import.sourcing.on_app_deactivation(user.status)
    }

    /// Calls the inline hook for each pending row and applies its commands.
    async fn ask_hook(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        mapper: &Mapper,
        job_id: &str,
        rows: &mut [ImportRow],
    ) {
        let Some(hook_config) = self.import.hook.clone() else {
            return;
        };
        let policy = self.import.matching.policy();
        for row in rows.iter_mut().filter(|r| r.state == RowState::Pending) {
            let action = match row.decision {
                Some(Decision::Exact(_) | Decision::Existing(_)) => ImportAction::LinkUser,
                _ => ImportAction::CreateUser,
            };
            let link_target = match &row.decision {
                Some(Decision::Exact(id) | Decision::Existing(id)) => Some(id.clone()),
                _ => None,
            };
            let conflicts = link_target
                .as_deref()
                .map(|id| self.conflicts(id, &row.okta_profile))
                .unwrap_or_default();
            let event_id = self.rng.okta_id("evt");
            let input = HookInput {
                app_id: &self.app.id,
                // Okta's app key for its SCIM 2.0 template apps; every playground app is one.
                app_name: "scim2testapp",
                app_label: &self.app.label,
                job_id,
                event_id: &event_id,
                now_ms: clock.now_ms(),
                policy: &policy,
                matches: &row.matches,
                conflicts: &conflicts,
                action,
                app_user: &row.app_profile,
                user: &row.okta_profile,
                user_id: link_target.as_deref(),
            };
            let exchange_id = self.log.next_exchange_id();
            let (answer, request) = match &hook_config {
                ImportHook::Local { rules } => (hook::run_rules(rules, &input), None),
                ImportHook::Http { url, authorization } => {
                    let body = hook::request_body(&input);
                    let answer = hook::call_http(
                        transport,
                        clock,
                        url,
                        authorization.as_deref(),
                        &body,
                        exchange_id,
                    )
                    .await;
                    let logged = crate::syslog::LoggedRequest {
                        method: "POST".into(),
                        url: url.clone(),
                        body: Some(secrets::body(&body.to_string())),
                    };
                    (answer, Some(logged))
                }
            };
            self.log.record(Event {
                published_ms: clock.now_ms(),
                event_type: event_type::INLINE_HOOK_EXECUTED.into(),
                outcome: if answer.is_ok() {
                    Outcome::Success
                } else {
                    Outcome::Failure
                },
                reason: answer.as_ref().err().map(ToString::to_string),
                user_id: link_target.clone(),
                group_id: None,
                app_id: self.app.id.clone(),
                exchange_id: request.is_some().then_some(exchange_id),
                request,
                status: None,
            });
            // A failed hook leaves the row as it was: the import continues with the default.
            let Ok(response) = answer else { continue };
            apply_hook_response(mapper, row, response, action);
        }
    }

    /// Attributes whose mapped value differs from the Okta user's.
    fn conflicts(&self, user_id: &str, okta_profile: &BTreeMap<String, Value>) -> Vec<String> {
        let Some(user) = self.directory.user(user_id) else {
            return Vec::new();
        };
        okta_profile
            .iter()
            .filter(|(name, value)| {
                is_base_attribute(name) && user.attr(name) != Some(value_text(value).as_str())
            })
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Applies an import that passed the safeguards.
    /// Applies what needs no confirmation (sourcing of linked users, and the automatic
    /// confirmations), in steps of [`YIELD_EVERY`] rows.
    async fn apply(&mut self, run: &mut ImportRun, clock: &dyn Clock) {
        let rules = self.import.matching.clone();
        for (position, row) in run.rows.iter_mut().enumerate() {
            if position % YIELD_EVERY == YIELD_EVERY - 1 {
                clock.sleep(0).await;
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

    fn finish(&mut self, run: &mut ImportRun, clock: &dyn Clock) {
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

    fn apply_linked(&mut self, row: &mut ImportRow, clock: &dyn Clock) {
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
                None,
                Some(user_id.clone()),
            );
        }
        if let Some(app_user) = self.directory.app_user_mut(&self.app.id, &user_id) {
            app_user.profile = row.app_profile.clone();
        }
    }

    fn apply_deactivated(&mut self, row: &mut ImportRow, clock: &dyn Clock, removed: bool) {
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
            let event = if action == Lifecycle::Suspend {
                event_type::IMPORT_USER_SUSPEND
            } else {
                event_type::IMPORT_USER_UPDATE
            };
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

    fn apply_reactivated(&mut self, row: &mut ImportRow, clock: &dyn Clock) {
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
        let mut result = self.directory.transition(&user_id, action);
        // A reactivated user whose profile is an exact match is active again; otherwise they
        // wait in Pending Activation.
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
            event_type::IMPORT_USER_UPDATE,
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

    fn confirm_row(&mut self, row: &mut ImportRow, activate: bool, clock: &dyn Clock) {
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

    fn create(&mut self, row: &ImportRow, activate: bool) -> Result<String, String> {
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

    fn link(&mut self, row: &ImportRow, user_id: &str) -> Result<(), String> {
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

/// Reads every page: `startIndex=1&count=100`, then 101, … until `totalResults` is reached or
/// a page comes back empty.
async fn download(p: &mut Provisioner<'_>) -> Result<Vec<Map<String, Value>>, ImportError> {
    let mut resources = Vec::new();
    let mut start_index = 1usize;
    for page in 1..=MAX_PAGES {
        let url = format!(
            "{}/Users?startIndex={start_index}&count={PAGE_SIZE}",
            p.app.settings.base_url
        );
        let req = p.request("GET", url, None);
        let event = if page == 1 {
            event_type::IMPORT_DOWNLOAD_START
        } else {
            event_type::IMPORT_PROFILE
        };
        let res = p.exchange(req, event, Subject::App).await?;
        let invalid = |reason: &str| ImportError::InvalidPage {
            page,
            reason: reason.into(),
        };
        let Some(Value::Object(mut body)) = res.json() else {
            return Err(invalid("the body is not a JSON object"));
        };
        let total = body
            .get("totalResults")
            .and_then(Value::as_u64)
            .ok_or_else(|| invalid("totalResults is not a non-negative integer"))?;
        let items = match body.remove("Resources") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => return Err(invalid("Resources is not an array")),
        };
        let n_items = items.len();
        resources.extend(items.into_iter().filter_map(|item| match item {
            Value::Object(obj) => Some(obj),
            _ => None,
        }));
        start_index = start_index.saturating_add(n_items);
        let total = usize::try_from(total).unwrap_or(usize::MAX);
        if n_items == 0 || start_index > total {
            break;
        }
    }
    Ok(resources)
}

/// Whether a SCIM user is active: `active` missing counts as active, and Entra-style string
/// booleans are understood.
fn is_active(resource: &Map<String, Value>) -> bool {
    match resource.get("active") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.eq_ignore_ascii_case("false"),
        _ => true,
    }
}

/// A JSON value as the text an Okta string attribute holds.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn statistics(scanned: usize, rows: &[ImportRow]) -> ImportStats {
    let mut stats = ImportStats {
        scanned,
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

/// Applies an inline hook's answer to a row.
fn apply_hook_response(
    mapper: &Mapper,
    row: &mut ImportRow,
    response: hook::HookResponse,
    default_action: ImportAction,
) {
    if let Some(reason) = response.error {
        row.state = RowState::Ignored {
            reason: Some(reason),
        };
        row.decision = Some(Decision::Ignore);
        row.hook_applied = true;
        return;
    }
    let mut action = default_action;
    let mut link_to = match &row.decision {
        Some(Decision::Exact(id) | Decision::Existing(id)) => Some(id.clone()),
        _ => None,
    };
    let mut app_user_changed = false;
    let mut user_updates = Map::new();
    for command in response.commands {
        row.hook_applied = true;
        match command {
            Command::AppUserProfileUpdate(changes) => {
                app_user_changed = true;
                row.app_profile.extend(changes);
            }
            Command::UserProfileUpdate(changes) => user_updates.extend(changes),
            Command::ActionUpdate { result } => action = result,
            Command::UserUpdate { id } => link_to = Some(id),
        }
    }
    // The Okta profile is mapped again from the changed app user, and the hook's own
    // changes to the Okta profile go on top, whatever order the commands came in.
    if app_user_changed {
        let (username, okta, problem) = mapper.map(&row.app_profile);
        if problem.is_none() {
            row.username = username;
            row.okta_profile = okta;
        }
    }
    for (name, value) in user_updates {
        if name == "login" {
            row.username = value_text(&value);
        }
        row.okta_profile.insert(name, value);
    }
    row.decision = Some(match (action, link_to) {
        (ImportAction::LinkUser, Some(id)) if row.matches.contains(&id) => {
            if row.kind == RowKind::Exact {
                Decision::Exact(id)
            } else {
                Decision::Existing(id)
            }
        }
        (ImportAction::LinkUser, Some(id)) => Decision::Existing(id),
        // LINK_USER without a user to link to cannot be honoured; Okta creates instead.
        (ImportAction::LinkUser, None) | (ImportAction::CreateUser, _) => Decision::New,
    });
}

/// The app → Okta mappings and the username format, parsed once per import instead of once
/// per user.
struct Mapper {
    /// Each mapping's target and its parsed expression (or why it does not parse).
    to_okta: Vec<(String, Result<expr::Expr, MappingError>)>,
    /// The custom username format, parsed; `None` for the EMAIL format.
    username: Option<Result<expr::Expr, String>>,
}

impl Mapper {
    fn new(org: &Org) -> Mapper {
        let to_okta = org
            .app
            .mappings
            .to_okta
            .iter()
            .map(|m| {
                let parsed =
                    expr::parse(&m.expression).map_err(|e| MappingError::InvalidExpression {
                        target: m.target.clone(),
                        message: e.to_string(),
                    });
                (m.target.clone(), parsed)
            })
            .collect();
        let username = match &org.import.username_format {
            UsernameFormat::Email => None,
            UsernameFormat::Custom { expression } => Some(
                expr::parse(expression)
                    .map_err(|e| format!("the username format does not parse: {e}")),
            ),
        };
        Mapper { to_okta, username }
    }

    /// The username and mapped Okta profile of an app user profile, and what went wrong if
    /// something did.
    fn map(
        &self,
        app_profile: &BTreeMap<String, Value>,
    ) -> (String, BTreeMap<String, Value>, Option<String>) {
        let mut ctx = MapContext::new();
        for (name, value) in app_profile {
            if let Some(v) = expr::Value::from_json(value) {
                ctx.set(Object::AppUser, name.clone(), v);
            }
        }
        let mut okta = BTreeMap::new();
        for (target, parsed) in &self.to_okta {
            let value = match parsed {
                Ok(parsed) => expr::eval(parsed, &ctx).map_err(|e| MappingError::Evaluation {
                    target: target.clone(),
                    message: e.to_string(),
                }),
                Err(e) => Err(e.clone()),
            };
            match value {
                Ok(expr::Value::Null) => {}
                Ok(value) => {
                    okta.insert(target.clone(), value.to_json());
                }
                Err(e) => return (String::new(), BTreeMap::new(), Some(e.to_string())),
            }
        }
        let username = match &self.username {
            None => okta
                .get("email")
                .or_else(|| app_profile.get("email"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| "the app user has no email for the username".to_string()),
            Some(Err(e)) => Err(e.clone()),
            Some(Ok(parsed)) => match expr::eval(parsed, &ctx) {
                Ok(expr::Value::String(s)) if !s.is_empty() => Ok(s),
                Ok(other) => Err(format!(
                    "the username format gave {}",
                    other.type_of().with_article()
                )),
                Err(e) => Err(format!("the username format failed: {e}")),
            },
        };
        match username {
            Ok(username) => {
                okta.insert("login".into(), Value::String(username.clone()));
                (username, okta, None)
            }
            Err(reason) => (String::new(), okta, Some(reason)),
        }
    }
}
