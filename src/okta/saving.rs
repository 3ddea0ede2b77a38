//! Saving and reading the org: in pieces, in steps that let the browser paint (a 10k org is
//! 13.6 MB of JSON), one save at a time, and a save asked for during a save run once after it.

use super::*;

/// How long the page works on saving or reading the org before it lets the browser paint and
/// answer input: well under the 100 ms the panels promise, since one step may run past it.
const STEP_MS: f64 = 20.0;

/// Splits long work into steps: [`Steps::pause`] yields to the browser once the current step has
/// run for [`STEP_MS`].
struct Steps {
    since: f64,
}

impl Steps {
    fn new() -> Steps {
        Steps {
            since: js_sys::Date::now(),
        }
    }

    async fn pause(&mut self) {
        if js_sys::Date::now() - self.since >= STEP_MS {
            yield_to_browser().await;
            self.since = js_sys::Date::now();
        }
    }
}

/// Lets the browser paint and answer input before the work goes on (a zero-length timeout).
pub(super) async fn yield_to_browser() {
    let _ = JsFuture::from(crate::worker::sleep(0)).await;
}

/// Reads the saved org, a few pieces per step.
pub(super) async fn read_saved(
    saved: store::SavedOrg,
) -> Result<Option<Org>, idp::saved::SavedError> {
    let mut steps = Steps::new();
    match saved {
        store::SavedOrg::None => Ok(None),
        store::SavedOrg::Whole(json) => idp::saved::read_org(&json).map(Some),
        store::SavedOrg::Pieces { head, pieces } => {
            let mut reader = idp::saved::Reader::new(&head)?;
            for piece in &pieces {
                steps.pause().await;
                reader.add(piece)?;
            }
            // Rebuilding the login index is a step of its own, and the panels' first drawing
            // of the org comes in the next.
            yield_to_browser().await;
            let org = reader.finish();
            yield_to_browser().await;
            Ok(Some(org))
        }
    }
}

impl OrgHost {
    pub(super) async fn load(self) {
        // Listening starts before reading, so a save by another tab while this one reads (in
        // steps, for a large org) is not missed.
        self.listen_to_other_tabs();
        match store::load().await {
            Ok(saved) => {
                // A first visit saves the demo org, and an org saved whole by an earlier
                // version is saved again in pieces; an org that was read as it is stays as it is.
                let whole = !matches!(saved.org, store::SavedOrg::Pieces { .. });
                let org = match read_saved(saved.org).await {
                    Ok(Some(org)) => org,
                    Ok(None) => demo_org(),
                    Err(e) => {
                        // The admin is told, and works with the demo org from here; the saved
                        // org is replaced only by the first change they make.
                        self.notice.set(Some(Notice {
                            ok: false,
                            text: format!("The saved Okta org could not be read ({e}); the demo org was started in its place."),
                        }));
                        demo_org()
                    }
                };
                self.org.set_value(Rc::new(org));
                self.clock_offset_ms.set(saved.clock_offset_ms);
                self.version.update(|v| *v += 1);
                self.loaded.set(Loaded::Ready);
                // If another tab saved meanwhile, its org is read next instead.
                if whole && self.notice.with_untracked(Option::is_none) && !self.stale.get_value() {
                    self.persist().await;
                }
                // Jobs asked for while loading, and a save by another tab meanwhile.
                self.pump();
            }
            Err(e) => self.loaded.set(Loaded::Failed(e)),
        }
    }

    /// Saves the org to IndexedDB in steps. The org saved is the one current when the save
    /// starts (a shared handle, not a copy); if a job changes it during the save, one more save
    /// follows, so the last state is always the one stored and two saves never overlap.
    pub(super) async fn persist(self) {
        if self.saving.get_value() {
            self.save_again.set_value(true);
            return;
        }
        self.saving.set_value(true);
        loop {
            self.save_again.set_value(false);
            // Another tab saved while this one had unsaved changes: there is no merging two
            // orgs, so this tab's is saved over the other's, and the admin is told.
            if self.stale.get_value() {
                self.stale.set_value(false);
                self.notice.set(Some(Notice {
                    ok: false,
                    text: "Another tab changed the Okta org while this tab was working; this tab's org was saved over it.".into(),
                }));
            }
            let org = self.org.get_value();
            let mut steps = Steps::new();
            let head = idp::saved::head_json(&org);
            let mut pieces = Vec::new();
            for piece in idp::saved::pieces(&org) {
                steps.pause().await;
                pieces.push(piece.to_json());
            }
            drop(org);
            match store::save(&head, &pieces, self.clock_offset_ms.get_untracked()).await {
                Ok(()) => super::sharing::announce_save(),
                Err(e) => self.notice.set(Some(Notice {
                    ok: false,
                    text: format!("The Okta org could not be saved: {e}"),
                })),
            }
            if !self.save_again.get_value() {
                break;
            }
        }
        self.saving.set_value(false);
        // Another tab saved while this one did: read its org now that this save is done.
        if self.stale.get_value() {
            self.pump();
        }
    }
}
