//! The page's host for the Okta simulator (`crates/idp`).
//!
//! The simulated org lives here, in the page: the admin panels read it and ask for changes, and
//! every change that Okta would provision is sent to the SCIM server with a real `fetch`
//! ([`FetchTransport`]), so the worker, DevTools and the traffic panel see Okta's requests
//! exactly as they go over the wire.
//!
//! Changes run one at a time, in the order they were asked for (a queue of [`Job`]s). Each job
//! works on a copy of the org and swaps it in when it is done, so the panels keep showing a
//! consistent org while a job waits on the network, and two jobs can never interleave across
//! an `await`. After the queue drains, the org is saved to IndexedDB ([`store`]) in steps
//! (`saving.rs`), and the other tabs are told (`sharing.rs`). `transport.rs` is how requests
//! reach the server; `demo.rs` is the first visit's org.

pub mod store;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use idp::org::Org;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{BroadcastChannel, MessageEvent};

/// Something the admin asked for that may send SCIM requests: the simulator's own
/// [`idp::action::Action`], named apart from Leptos's `Action`, which the prelude brings into
/// every panel.
pub use idp::action::Action as OrgAction;

/// A change to the org's configuration that sends nothing (settings, mappings, attributes):
/// it returns what to tell the admin, or why it was refused (and then the org is unchanged).
pub type Edit = Box<dyn FnOnce(&mut Org) -> Result<String, String>>;

enum Job {
    Act(OrgAction),
    Edit(&'static str, Edit),
}

/// The outcome of the last job, for the activity line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub ok: bool,
    pub text: String,
}

/// One request the simulator sent during the last job, as the panels list it (never with its
/// credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub method: String,
    pub url: String,
    /// The status, or why there was no response.
    pub outcome: Result<u16, String>,
}

/// Where loading the saved org stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    Loading,
    Ready,
    Failed(String),
}

/// The simulated org and its job queue, shared by every admin panel (see [`use_org`]).
#[derive(Clone, Copy)]
pub struct OrgHost {
    /// The org, behind a shared handle so a save can keep reading one state in steps while a
    /// job swaps in the next.
    org: StoredValue<Rc<Org>, LocalStorage>,
    /// Bumped after every job, so views that read the org re-render.
    version: RwSignal<u64>,
    pub loaded: RwSignal<Loaded>,
    /// The label of the job running now, if any.
    pub busy: RwSignal<Option<&'static str>>,
    /// Progress of a long job: done and total.
    pub progress: RwSignal<Option<(usize, usize)>>,
    pub notice: RwSignal<Option<Notice>>,
    /// A wait before Okta tries a rate-limited request again (see [`Backoff`]).
    pub backoff: RwSignal<Option<Backoff>>,
    /// The requests the last job sent, in order.
    pub exchanges: RwSignal<Vec<Exchange>>,
    /// How far the simulated clock runs ahead of the browser's.
    pub clock_offset_ms: RwSignal<i64>,
    queue: StoredValue<VecDeque<Job>, LocalStorage>,
    running: StoredValue<bool, LocalStorage>,
    saving: StoredValue<bool, LocalStorage>,
    save_again: StoredValue<bool, LocalStorage>,
    /// Another tab saved the org since this tab last read or saved it.
    stale: StoredValue<bool, LocalStorage>,
}

/// A wait before Okta tries a rate-limited request again: what the activity line counts down,
/// with a cancel.
#[derive(Debug, Clone, PartialEq)]
pub struct Backoff {
    /// Whole seconds left.
    pub remaining_s: u64,
    /// How the wait was chosen (`idp`'s sentence).
    pub why: String,
    /// Set by the activity line's Cancel: the wait ends and nothing more is sent.
    pub cancelled: bool,
}

/// What the shell shows of the simulator's work (the activity line above every panel). It is
/// kept apart from [`OrgHost`] so that the shell's code, which the page loads first, does not
/// carry the simulator: the host and everything in `idp` arrive with the first panel that asks
/// for the org (see `scripts/build-split.sh`).
#[derive(Clone, Copy)]
pub struct OrgStatus {
    pub loaded: RwSignal<Loaded>,
    /// The label of the job running now, if any.
    pub busy: RwSignal<Option<&'static str>>,
    /// Progress of a long job: done and total.
    pub progress: RwSignal<Option<(usize, usize)>>,
    pub notice: RwSignal<Option<Notice>>,
    /// A wait before Okta tries a rate-limited request again, with its countdown.
    pub backoff: RwSignal<Option<Backoff>>,
}

thread_local! {
    /// The shell's reactive owner, under which the host is made: a host made under the panel
    /// that first asked for it would be disposed of when that panel closes.
    static SHELL_OWNER: RefCell<Option<(Owner, OrgStatus)>> = const { RefCell::new(None) };
    /// The page's one host, once a panel has asked for it.
    static HOST: Cell<Option<OrgHost>> = const { Cell::new(None) };
}

impl OrgStatus {
    /// Called once by the shell: provides the status as context and remembers the shell's owner.
    pub fn provide() -> OrgStatus {
        let status = OrgStatus {
            loaded: RwSignal::new(Loaded::Loading),
            busy: RwSignal::new(None),
            progress: RwSignal::new(None),
            notice: RwSignal::new(None),
            backoff: RwSignal::new(None),
        };
        provide_context(status);
        if let Some(owner) = Owner::current() {
            SHELL_OWNER.with(|cell| *cell.borrow_mut() = Some((owner, status)));
        }
        status
    }
}

/// The status the shell provides.
pub fn use_status() -> OrgStatus {
    expect_context::<OrgStatus>()
}

/// The host of the page: made, and the saved org read, the first time a panel asks for it.
pub fn use_org() -> OrgHost {
    if let Some(host) = HOST.get() {
        return host;
    }
    let shell = SHELL_OWNER.with(|cell| cell.borrow().clone());
    let host = match shell {
        Some((owner, status)) => owner.with(|| OrgHost::start(status)),
        // Only a test that renders a panel without the shell gets here.
        None => OrgHost::start(OrgStatus::provide()),
    };
    HOST.set(Some(host));
    host
}

impl OrgHost {
    /// Creates the host on the shell's status signals, and loads the saved org (or seeds the
    /// demo).
    fn start(status: OrgStatus) -> OrgHost {
        let host = OrgHost {
            org: StoredValue::new_local(Rc::new(Org::new(demo_app(), DEMO_SEED))),
            version: RwSignal::new(0),
            loaded: status.loaded,
            busy: status.busy,
            progress: status.progress,
            notice: status.notice,
            backoff: status.backoff,
            exchanges: RwSignal::new(Vec::new()),
            clock_offset_ms: RwSignal::new(0),
            queue: StoredValue::new_local(VecDeque::new()),
            running: StoredValue::new_local(false),
            saving: StoredValue::new_local(false),
            save_again: StoredValue::new_local(false),
            stale: StoredValue::new_local(false),
        };
        leptos::task::spawn_local(async move { host.load().await });
        host
    }

    /// Reads the org and tracks it, so the calling view re-renders after each job.
    pub fn with<R>(&self, f: impl FnOnce(&Org) -> R) -> R {
        self.version.track();
        self.org.with_value(|org| f(org))
    }

    /// Reads the org without tracking it (in event handlers).
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Org) -> R) -> R {
        self.org.with_value(|org| f(org))
    }

    /// Queues an action.
    pub fn act(self, action: OrgAction) {
        self.queue
            .update_value(|queue| queue.push_back(Job::Act(action)));
        self.pump();
    }

    /// Queues a configuration change.
    pub fn edit(
        self,
        label: &'static str,
        edit: impl FnOnce(&mut Org) -> Result<String, String> + 'static,
    ) {
        self.queue
            .update_value(|queue| queue.push_back(Job::Edit(label, Box::new(edit))));
        self.pump();
    }

    /// Replaces the whole org (a reset to the demo, or an applied shared configuration).
    pub fn reset_to_demo(self) {
        self.edit("Resetting the Okta org", |org| {
            *org = demo_org();
            Ok("The Okta org was reset to the demo org.".into())
        });
    }

    fn pump(self) {
        // Nothing runs before the saved org is read: a job on the placeholder org would be
        // saved over the real one. `load` pumps once the org is ready.
        if self.running.get_value() || self.loaded.get_untracked() != Loaded::Ready {
            return;
        }
        self.running.set_value(true);
        leptos::task::spawn_local(async move {
            // Whether this run changed the org, which then has to be saved.
            let mut changed = false;
            loop {
                // A job starts from the org another tab saved, not from this tab's older copy;
                // but once this run has changed the org, reading another tab's would throw
                // this tab's unsaved work away: it is saved instead (see `persist`).
                if self.stale.get_value() && !changed {
                    self.stale.set_value(false);
                    self.take_saved_by_other_tab().await;
                }
                let job = self.queue.try_update_value(VecDeque::pop_front).flatten();
                let Some(job) = job else {
                    // Another tab saved while its org was being read: read again.
                    if self.stale.get_value() && !changed {
                        continue;
                    }
                    break;
                };
                changed = true;
                let mut work = self.org.with_value(|org| Org::clone(org));
                let (result, keep) = match job {
                    Job::Edit(label, edit) => {
                        self.busy.set(Some(label));
                        // A refused edit leaves the org as it was: its copy is dropped.
                        let result = edit(&mut work);
                        let keep = result.is_ok();
                        (result, keep)
                    }
                    Job::Act(action) => {
                        self.busy.set(Some(action.label()));
                        self.exchanges.set(Vec::new());
                        // Passwords Okta generates come from the browser's secure generator
                        // (never saved with the org, so set for every job).
                        work.entropy = secure_entropy();
                        // A failed action keeps what it did before failing, as in Okta (an
                        // assignment stays, with its provisioning error).
                        (self.apply(&mut work, action).await, true)
                    }
                };
                let previous = keep.then(|| {
                    self.org
                        .try_update_value(|org| std::mem::replace(org, Rc::new(work)))
                });
                if keep {
                    self.version.update(|v| *v += 1);
                }
                self.progress.set(None);
                self.notice.set(Some(match result {
                    Ok(text) => Notice { ok: true, text },
                    Err(text) => Notice { ok: false, text },
                }));
                // The panels redraw in this step; freeing the previous org (with ten thousand
                // people, tens of milliseconds) and the next job or the save come after a pause.
                yield_to_browser().await;
                drop(previous);
            }
            self.busy.set(None);
            self.running.set_value(false);
            if changed {
                // Something worth keeping now exists: ask the browser to keep it.
                crate::storage::ask_to_persist();
                self.persist().await;
            }
        });
    }

    fn clock(&self) -> BrowserClock {
        BrowserClock {
            offset_ms: Cell::new(self.clock_offset_ms.get_untracked()),
            backoff: Some(self.backoff),
        }
    }

    /// Runs one action of the simulator (`Org::perform`) over the browser's transport and
    /// clock, showing its progress on the activity line.
    async fn apply(self, org: &mut Org, action: OrgAction) -> Result<String, String> {
        let transport = FetchTransport {
            progress: self.progress,
            exchanges: self.exchanges,
        };
        // The simulated clock is the page's: it moves before the action looks at it.
        if let OrgAction::AdvanceClock { ms } = &action {
            let ms = *ms;
            self.clock_offset_ms.update(|o| *o = o.saturating_add(ms));
        }
        let clock = self.clock();
        let progress = self.progress;
        let report = move |done: usize, of: usize| progress.set(Some((done, of)));
        org.perform(action, &transport, &clock, &report)
            .await
            .map_err(|e| e.to_string())
    }
}

mod demo;
mod saving;
mod sharing;
mod transport;

use saving::yield_to_browser;

/// The browser's secure random source, for the passwords Okta sends on create; the org keeps
/// none of its own (it is not saved), so each copy that may create accounts is given this.
pub(crate) fn secure_entropy() -> idp::rng::Entropy {
    idp::rng::Entropy::new(crypto_random)
}

use demo::demo_app;
pub use demo::{builtin_base_url, demo_org, is_builtin};
use idp::action::DEMO_SEED;
use transport::{crypto_random, FetchTransport};
pub(crate) use transport::{secret_token, BrowserClock, PreviewReads};

#[cfg(test)]
mod tests {
    use super::demo::DEMO_USERS;
    use super::*;
    use crate::api;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn the_demo_org_is_active_grouped_unassigned_and_survives_serde() {
        let org = demo_org();
        assert_eq!(org.directory.users().count(), DEMO_USERS);
        assert!(org
            .directory
            .users()
            .all(|u| u.status == idp::directory::UserStatus::Active));
        assert!(org.directory.groups().count() >= 1);
        assert_eq!(org.directory.assignment_count(), 0, "nothing assigned yet");
        assert!(is_builtin(&org.app.settings.base_url));
        let json = serde_json::to_string(&org).expect("serialises");
        assert_eq!(idp::saved::read_org(&json).ok(), Some(org));
    }

    #[wasm_bindgen_test]
    fn only_this_origin_is_the_built_in_server() {
        assert!(is_builtin(&format!("{}/", builtin_base_url())));
        assert!(!is_builtin("https://app.example.com/scim/v2"));
        assert!(api::is_same_origin("/scim/v2/Users"));
        assert!(!api::is_same_origin("https://app.example.com/scim/v2"));
    }
}
