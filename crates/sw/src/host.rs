//! Hosts the SCIM engine over IndexedDB: one engine instance per worker, loaded from the
//! database on the first request after a (cold) start, and every request served one at a time.
//!
//! The order of a write is: the engine applies the request in memory and reports its changes;
//! those changes are written in ONE IndexedDB transaction; only after that transaction has
//! committed is the response released. If the commit fails the engine undoes the changes and the
//! client gets a 500, so memory and disk never disagree and nothing acknowledged is lost.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use indexed_db_futures::database::Database;
use js_sys::{Array, Promise};
use scim::{Change, Env, ResourceKind, Server, Settings, StoredResource};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::WorkerGlobalScope;

use crate::http;
use crate::store::{self, StoreError, Write};

/// The meta-store key of the server settings.
pub const SETTINGS_KEY: &str = "settings";
/// How long opening the database may take before the request fails instead of hanging (an old
/// tab holding the database open at an older version blocks an upgrade indefinitely).
const OPEN_TIMEOUT_MS: i32 = 5000;

/// The engine and the database it persists to.
pub struct Host {
    pub db: Database,
    pub server: RefCell<Server>,
    /// Where the cold start spent its time (shown by `/_playground/status` and the benchmark).
    pub cold_start: ColdStart,
}

pub use protocol::admin::ColdStart;

thread_local! {
    static HOST: RefCell<Option<Rc<Host>>> = const { RefCell::new(None) };
    /// The tail of the request queue: each request waits for the one before it.
    static TAIL: RefCell<Promise> = RefCell::new(Promise::resolve(&JsValue::UNDEFINED));
}

/// Runs `work` after every earlier call's work has finished, so requests from several pages
/// never interleave half-applied changes across an `await`.
pub async fn exclusive<T>(work: impl Future<Output = T>) -> T {
    let mut release: Option<js_sys::Function> = None;
    let mine = Promise::new(&mut |resolve, _| release = Some(resolve));
    let previous = TAIL.with(|tail| tail.replace(mine));
    let _ = JsFuture::from(previous).await;
    let out = work.await;
    if let Some(release) = release {
        let _ = release.call0(&JsValue::NULL);
    }
    out
}

/// A fresh resource id from the browser's UUID generator.
pub fn new_id() -> String {
    js_sys::global()
        .dyn_into::<WorkerGlobalScope>()
        .ok()
        .and_then(|scope| scope.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| format!("{:016x}", (js_sys::Math::random() * 1e16) as u64))
}

/// Milliseconds since the Unix epoch, from the JS clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A promise resolved after `ms` milliseconds.
pub(crate) fn timeout(ms: i32) -> Promise {
    Promise::new(&mut |resolve, _| {
        if let Ok(scope) = js_sys::global().dyn_into::<WorkerGlobalScope>() {
            let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    })
}

/// Opens the database, failing after [`OPEN_TIMEOUT_MS`] instead of waiting forever.
async fn open_with_timeout() -> Result<Database, StoreError> {
    let (done, resolve) = {
        let mut resolve = None;
        let promise = Promise::new(&mut |r, _| resolve = Some(r));
        (promise, resolve)
    };
    let slot: Rc<RefCell<Option<Result<Database, StoreError>>>> = Rc::default();
    let filled = slot.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = store::open().await;
        *filled.borrow_mut() = Some(result);
        if let Some(resolve) = resolve {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(Promise::race(&Array::of2(&done, &timeout(OPEN_TIMEOUT_MS)))).await;
    let result = slot.borrow_mut().take();
    result.unwrap_or_else(|| {
        Err(StoreError(format!(
            "the database did not open within {} s; another tab may be holding an older \
             version of it open — close other playground tabs and reload",
            OPEN_TIMEOUT_MS / 1000
        )))
    })
}

/// Reads every stored resource of every type back into engine rows. A row that no longer parses
/// is skipped with a console warning rather than making the whole server unavailable.
pub async fn load_rows(db: &Database) -> Result<Vec<StoredResource>, StoreError> {
    let mut rows = Vec::new();
    for kind in ResourceKind::ALL {
        for text in store::load_resources(db, kind.name()).await? {
            let parsed = crate::from_json::<Value>(&text).ok().and_then(|data| {
                let id = data.get("id")?.as_str()?.to_string();
                Some(StoredResource {
                    resource_type: kind,
                    id,
                    data,
                })
            });
            match parsed {
                Some(row) => rows.push(row),
                None => warn(&format!("skipping an unreadable stored {}", kind.name())),
            }
        }
    }
    Ok(rows)
}

/// Builds an engine from stored settings and rows. Rows the engine rejects are skipped with a
/// warning, one by one, so one bad row cannot hide the others.
pub fn build_server(settings: Settings, rows: Vec<StoredResource>) -> Server {
    let mut server = Server::new(settings);
    for row in rows {
        let (kind, id) = (row.resource_type, row.id.clone());
        if let Err(e) = server.load([row]) {
            warn(&format!("skipping stored {} {id}: {e}", kind.name()));
        }
    }
    server
}

pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("scim-sw: {message}")));
}

/// The host, started on first use (a cold worker loads everything from IndexedDB here).
pub async fn host() -> Result<Rc<Host>, StoreError> {
    if let Some(host) = HOST.with(|h| h.borrow().clone()) {
        return Ok(host);
    }
    let t0 = crate::clock_ms();
    let db = open_with_timeout().await?;
    let t1 = crate::clock_ms();
    let settings = match store::get_meta(&db, SETTINGS_KEY).await? {
        Some(text) => crate::from_json(&text).unwrap_or_else(|e| {
            warn(&format!("stored settings unreadable ({e}); using defaults"));
            Settings::default()
        }),
        None => Settings::default(),
    };
    let snapshot = store::read_current_snapshot(&db).await?;
    let (rows, from_snapshot) = match snapshot
        .as_deref()
        .and_then(|text| crate::from_json::<Vec<StoredResource>>(text).ok())
    {
        Some(rows) => (rows, true),
        None => (load_rows(&db).await?, false),
    };
    let t2 = crate::clock_ms();
    let resources = rows.len();
    let server = build_server(settings, rows);
    let cold_start = ColdStart {
        open_ms: t1 - t0,
        read_ms: t2 - t1,
        load_ms: crate::clock_ms() - t2,
        resources,
        from_snapshot,
    };
    let host = Rc::new(Host {
        db,
        server: RefCell::new(server),
        cold_start,
    });
    HOST.with(|h| *h.borrow_mut() = Some(host.clone()));
    if !from_snapshot && resources > 0 {
        schedule_snapshot();
    }
    Ok(host)
}

/// How long the server must be idle (no write) before a snapshot is taken.
const SNAPSHOT_IDLE_MS: i32 = 1500;

thread_local! {
    /// Bumped by every write; a scheduled snapshot runs only if no write came after it.
    static SNAPSHOT_TICKET: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Takes a snapshot of every resource once the server has been idle for a moment. A cold start
/// then reads one value instead of one row per resource (see [`store::write_snapshot`]).
pub fn schedule_snapshot() {
    let ticket = SNAPSHOT_TICKET.with(|t| {
        t.set(t.get() + 1);
        t.get()
    });
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(timeout(SNAPSHOT_IDLE_MS)).await;
        if SNAPSHOT_TICKET.with(|t| t.get()) != ticket {
            return;
        }
        exclusive(async {
            let Some(host) = HOST.with(|h| h.borrow().clone()) else {
                return;
            };
            let rows: Vec<StoredResource> = host.server.borrow().resources().collect();
            let written = match serde_json::to_string(&rows) {
                Ok(json) => store::write_snapshot(&host.db, &json).await,
                Err(e) => Err(StoreError(e.to_string())),
            };
            if let Err(e) = written {
                warn(&format!("could not write the snapshot: {e}"));
            }
        })
        .await;
    });
}

/// The IndexedDB writes that persist a set of engine changes.
pub fn writes_for(changes: &[Change]) -> Vec<Write> {
    changes
        .iter()
        .map(|change| match change {
            Change::Resource {
                resource_type,
                id,
                after,
                ..
            } => Write::resource(
                store::resource_key(resource_type.name(), id),
                after.as_ref().map(Value::to_string),
            ),
            Change::Settings { after, .. } => Write {
                store: store::META,
                key: SETTINGS_KEY.into(),
                json: serde_json::to_string(after).ok(),
            },
        })
        .collect()
}

/// This origin's storage use and quota in bytes, as the browser estimates them.
async fn storage_usage() -> Option<(f64, f64)> {
    let scope: WorkerGlobalScope = js_sys::global().dyn_into().ok()?;
    let promise = scope.navigator().storage().estimate().ok()?;
    let estimate = JsFuture::from(promise).await.ok()?;
    let number = |name: &str| js_sys::Reflect::get(&estimate, &name.into()).ok()?.as_f64();
    Some((number("usage")?, number("quota")?))
}

/// The 500 for a write the browser refused: when storage is full it says so, what was not saved
/// and what frees space (`protocol::storage`), instead of IndexedDB's words alone.
pub async fn failed_write(error: &StoreError) -> scim::Response {
    let usage = storage_usage().await;
    http::error(
        500,
        None,
        &protocol::storage::failed_write(&error.to_string(), usage),
    )
}

impl Host {
    /// Persists changes the engine already applied; on failure undoes them and says why.
    pub async fn persist(&self, changes: &[Change]) -> Result<(), scim::Response> {
        if changes.is_empty() {
            return Ok(());
        }
        match store::commit(&self.db, &writes_for(changes)).await {
            Ok(()) => {
                schedule_snapshot();
                Ok(())
            }
            Err(e) => {
                self.server.borrow_mut().undo(changes);
                Err(failed_write(&e).await)
            }
        }
    }

    /// Serves one SCIM request: the engine answers, and a change is acknowledged only once it
    /// is on disk.
    pub async fn serve_scim(&self, request: &scim::Request) -> scim::Response {
        let mut next_id = new_id;
        let mut env = Env::from_unix_ms(now_ms(), &mut next_id);
        let outcome = self.server.borrow_mut().handle(request, &mut env);
        match self.persist(&outcome.changes).await {
            Ok(()) => outcome.response,
            Err(failure) => failure,
        }
    }
}
