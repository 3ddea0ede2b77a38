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
//!
//! The module's parts: `config` (the To Okta settings), `rows` (result rows, statistics,
//! errors), `run` (downloading, mapping, matching, the inline hook) and `apply` (applying what
//! needs no confirmation, and an admin's decisions); the run's public steps are here.

mod apply;
mod config;
mod dry_run;
mod rows;
mod run;

pub use config::*;
pub use dry_run::AppChange;
pub use rows::*;
use run::{download, Mapper};

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

/// "To Okta" for the org's app, as [`Provisioner`] is "To App": runs an import, resumes or
/// cancels one a safeguard paused, and takes the admin's decisions on its rows. Made by
/// [`Org::importer`]; it borrows the org and the clock for one step, which consumes it.
pub struct Importer<'a> {
    org: &'a mut Org,
    clock: &'a dyn Clock,
}

impl Org {
    /// The importer of this org's app, for one step on `clock`.
    pub fn importer<'a>(&'a mut self, clock: &'a dyn Clock) -> Importer<'a> {
        Importer { org: self, clock }
    }
}

impl<'a> Importer<'a> {
    /// Runs a full import now.
    ///
    /// # Errors
    ///
    /// [`ImportError::Paused`], or a download failure (nothing changed).
    pub async fn run(self, transport: &dyn Transport) -> Result<&'a ImportRun, ImportError> {
        let clock = self.clock;
        let org = self.org;
        if matches!(
            org.last_import.as_ref().map(|r| &r.status),
            Some(RunStatus::Paused { .. })
        ) {
            return Err(ImportError::Paused);
        }
        let job_id = org.rng.okta_id("ij0");
        let started_ms = clock.now_ms();
        org.note(clock, event_type::IMPORT_START, Outcome::Success, None);
        let resources = {
            let (mut p, _, _) = org.provisioner(transport, clock);
            download(&mut p).await
        };
        let resources = match resources {
            Ok(resources) => resources,
            Err(e) => {
                org.note(
                    clock,
                    event_type::IMPORT_COMPLETE,
                    Outcome::Failure,
                    Some(e.to_string()),
                );
                return Err(e);
            }
        };
        let run::Downloaded { resources, pages } = resources;
        org.note(
            clock,
            event_type::IMPORT_DOWNLOAD_COMPLETE,
            Outcome::Success,
            Some(format!(
                "{} app users in {pages} page{}",
                resources.len(),
                if pages == 1 { "" } else { "s" }
            )),
        );
        let mapper = Mapper::new(org);
        let mut rows = org.sort_into_rows(&mapper, &resources, clock).await;
        org.ask_hook(transport, clock, &mapper, &job_id, &mut rows)
            .await;
        let stats = statistics(resources.len(), &rows);
        let would_unassign = rows
            .iter()
            .filter(|r| {
                r.kind == RowKind::RemovedInApp
                    || (r.kind == RowKind::DeactivatedInApp
                        && org.lifecycle_on_deactivation(r) == Some(Lifecycle::Deactivate))
            })
            .count();
        let app_assigned = org
            .directory
            .app_users(&org.app.id)
            .filter(|a| a.is_assigned())
            .count();
        let org_assigned = org.directory.assignment_count();
        let tripped = org
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
            // What the import found for linked users is held, not done, until someone resumes.
            for row in &mut run.rows {
                if row.state == RowState::Done && row.linked_user.is_some() {
                    row.state = RowState::Held;
                }
            }
            org.note(
                clock,
                event_type::IMPORT_ROADBLOCK,
                Outcome::Failure,
                Some(tripped.describe()),
            );
        } else {
            org.apply(&mut run, clock).await;
        }
        Ok(org.last_import.insert(run))
    }

    /// Resumes an import paused by a safeguard: its changes are applied as they were found.
    ///
    /// # Errors
    ///
    /// [`ImportError::NotPaused`].
    pub async fn resume(self) -> Result<&'a ImportRun, ImportError> {
        let clock = self.clock;
        let org = self.org;
        let mut run = org.last_import.take().ok_or(ImportError::NotPaused)?;
        if !matches!(run.status, RunStatus::Paused { .. }) {
            org.last_import = Some(run);
            return Err(ImportError::NotPaused);
        }
        org.note(clock, event_type::IMPORT_RESUME, Outcome::Success, None);
        org.apply(&mut run, clock).await;
        Ok(org.last_import.insert(run))
    }

    /// Cancels an import paused by a safeguard: nothing is applied.
    ///
    /// # Errors
    ///
    /// [`ImportError::NotPaused`].
    pub fn cancel(self) -> Result<(), ImportError> {
        let clock = self.clock;
        let org = self.org;
        match org.last_import.as_mut() {
            Some(run) if matches!(run.status, RunStatus::Paused { .. }) => {
                run.status = RunStatus::Cancelled;
                for row in &mut run.rows {
                    if row.state == RowState::Held {
                        row.state = RowState::Cancelled;
                    }
                }
                org.note(
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
    pub fn decide(self, row_idx: usize, decision: Decision) -> Result<(), ImportError> {
        let org = self.org;
        let row = org.pending_row(row_idx)?;
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
    pub async fn confirm(self, row_indices: &[usize], activate: bool) -> Result<(), ImportError> {
        let clock = self.clock;
        let org = self.org;
        for &row_idx in row_indices {
            org.pending_row(row_idx)?;
        }
        let Some(mut run) = org.last_import.take() else {
            return Err(ImportError::NoImport);
        };
        for (position, &row_idx) in row_indices.iter().enumerate() {
            // Confirming ten thousand rows creates ten thousand people: in steps, like the
            // import itself, so the page can paint between them.
            if position % YIELD_EVERY == YIELD_EVERY - 1 {
                clock.sleep(0).await;
            }
            if let Some(row) = run.rows.get_mut(row_idx) {
                org.confirm_row(row, activate, clock);
            }
        }
        org.finish(&mut run, clock);
        org.last_import = Some(run);
        Ok(())
    }

    /// Confirms every pending row.
    ///
    /// # Errors
    ///
    /// [`ImportError::NoImport`].
    pub async fn confirm_all(self, activate: bool) -> Result<(), ImportError> {
        let run = self.org.last_import.as_ref().ok_or(ImportError::NoImport)?;
        let pending: Vec<usize> = run
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.state == RowState::Pending)
            .map(|(i, _)| i)
            .collect();
        self.confirm(&pending, activate).await
    }

    /// Runs a scheduled import when one is due on `clock`; returns whether one ran. The first
    /// tick of a schedule only sets its due time.
    ///
    /// # Errors
    ///
    /// As [`Importer::run`].
    pub async fn tick(self, transport: &dyn Transport) -> Result<bool, ImportError> {
        let clock = self.clock;
        let org = &mut *self.org;
        let Some(every) = org.import.schedule.full.ms() else {
            return Ok(false);
        };
        let now = clock.now_ms();
        let due = *org
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
        org.import.schedule.next_run_ms = Some(now.saturating_add(every - into_interval));
        self.run(transport).await?;
        Ok(true)
    }
}

impl Org {
    pub(super) fn pending_row(&mut self, row_idx: usize) -> Result<&mut ImportRow, ImportError> {
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

    pub(super) fn note(
        &mut self,
        clock: &dyn Clock,
        event: &str,
        outcome: Outcome,
        reason: Option<String>,
    ) {
        self.note_user(clock, event, outcome, reason, None);
    }

    pub(super) fn note_user(
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
}
