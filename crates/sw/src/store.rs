//! The worker's IndexedDB database: a versioned schema, its upgrade path, and the few reads and
//! writes the server needs.
//!
//! Resources are stored as JSON text under the key `"<ResourceType>/<id>"`. Text is cheaper to
//! move across the wasm boundary than a JS object graph, and serde_json parses it faster than a
//! structured-clone conversion, which matters when a cold worker loads every resource at once.

use indexed_db_futures::database::{Database, VersionChangeEvent};
use indexed_db_futures::error::OpenDbError;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;
use std::collections::VecDeque;

use wasm_bindgen::JsCast;

/// The database every page and the worker share.
pub const DB_NAME: &str = "scim-playground";

/// The schema version this build writes. Raise it together with a new arm in [`upgrade`].
pub const DB_VERSION: u32 = 3;

/// Object store of SCIM resources, keyed by `"<ResourceType>/<id>"`, values are JSON text.
pub const RESOURCES: &str = "resources";
/// Object store of server-wide records (settings), keyed by name, values are JSON text.
pub const META: &str = "meta";
/// Object store of recorded SCIM exchanges, keyed by an increasing sequence number (schema v2).
pub const TRAFFIC: &str = "traffic";
/// Object store of each recorded exchange's size in bytes, under the same key as the exchange
/// (schema v3), so the log can be kept within a byte bound without reading the records back.
pub const TRAFFIC_SIZES: &str = "trafficSizes";

/// Why the store could not do what was asked; the server turns it into a 500 SCIM Error.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IndexedDB: {}", self.0)
    }
}

impl From<indexed_db_futures::error::Error> for StoreError {
    fn from(e: indexed_db_futures::error::Error) -> Self {
        StoreError(e.to_string())
    }
}

impl From<OpenDbError> for StoreError {
    fn from(e: OpenDbError) -> Self {
        StoreError(e.to_string())
    }
}

/// Creates whatever a database at `old_version` lacks to reach `new_version`, one step at a time,
/// so a database left by any earlier build upgrades without losing what it holds.
fn upgrade(db: &Database, old_version: u32, new_version: u32) -> indexed_db_futures::Result<()> {
    for step in (old_version + 1)..=new_version {
        match step {
            // Version 1: the resources and the server settings.
            1 => {
                db.create_object_store(RESOURCES).build()?;
                db.create_object_store(META).build()?;
            }
            // Version 2: the traffic log, a ring of recorded exchanges with an increasing key.
            2 => {
                db.create_object_store(TRAFFIC)
                    .with_auto_increment(true)
                    .build()?;
            }
            // Version 3: the sizes of the traffic log's records. The records a version 2 log
            // already holds get theirs at the next append (`sizes_of_traffic`).
            3 => {
                db.create_object_store(TRAFFIC_SIZES).build()?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Opens `name` at `version`, upgrading it from whatever version it has.
///
/// Tests open older versions on purpose; the worker always opens [`DB_VERSION`].
pub async fn open_version(name: &str, version: u32) -> Result<Database, StoreError> {
    let db = Database::open(name)
        .with_version(version)
        .with_on_upgrade_needed(move |event: VersionChangeEvent, db: Database| {
            // Versions are small integers stored as f64 by the browser; the cast is exact.
            let old = event.old_version() as u32;
            let new = event.new_version().map_or(version, |v| v as u32);
            upgrade(&db, old, new)
        })
        .await?;
    Ok(db)
}

/// Opens the playground's database at the current schema version.
pub async fn open() -> Result<Database, StoreError> {
    open_version(&crate::base::scoped(DB_NAME), DB_VERSION).await
}

/// The key a resource is stored under.
pub fn resource_key(resource_type: &str, id: &str) -> String {
    format!("{resource_type}/{id}")
}

/// Reads every stored resource of one type, in key order, as JSON text.
pub async fn load_resources(db: &Database, resource_type: &str) -> Result<Vec<String>, StoreError> {
    let tx = db.transaction(RESOURCES).build()?;
    let store = tx.object_store(RESOURCES)?;
    // Keys of one type share the prefix "<type>/"; "0" is the character after "/", so the range
    // ["<type>/", "<type>0") holds exactly that type's keys.
    let range = KeyRange::Bound(
        format!("{resource_type}/"),
        false,
        format!("{resource_type}0"),
        true,
    );
    let rows = store
        .get_all::<String>()
        .with_query::<String, _>(range)
        .primitive()?
        .await?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}

/// Reads one resource's JSON text.
pub async fn get_resource(
    db: &Database,
    resource_type: &str,
    id: &str,
) -> Result<Option<String>, StoreError> {
    let tx = db.transaction(RESOURCES).build()?;
    let store = tx.object_store(RESOURCES)?;
    let value: Option<String> = store
        .get(resource_key(resource_type, id))
        .primitive()?
        .await?;
    Ok(value)
}

/// One durable write: a row stored (`Some`) or removed (`None`) in one object store.
pub struct Write {
    /// [`RESOURCES`] or [`META`].
    pub store: &'static str,
    pub key: String,
    pub json: Option<String>,
}

impl Write {
    /// A resource row written or deleted.
    pub fn resource(key: String, json: Option<String>) -> Write {
        Write {
            store: RESOURCES,
            key,
            json,
        }
    }
}

/// Applies every write in ONE readwrite transaction over the resources and the meta store, and
/// resolves only once it has committed, so the caller can acknowledge the request knowing the
/// change is on disk. Clearing first (`clear_resources`) makes a reset or an import atomic too.
pub async fn commit_all(
    db: &Database,
    clear_resources: bool,
    writes: &[Write],
) -> Result<(), StoreError> {
    let tx = db
        .transaction([RESOURCES, META])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let resources = tx.object_store(RESOURCES)?;
    let meta = tx.object_store(META)?;
    if clear_resources {
        resources.clear()?;
    }
    // Every commit moves the generation on, so a snapshot knows whether it is still current.
    let generation: Option<u32> = meta.get(GENERATION_KEY).primitive()?.await?;
    meta.put(generation.unwrap_or(0).wrapping_add(1))
        .with_key(GENERATION_KEY)
        .primitive()?;
    for write in writes {
        let store = if write.store == META {
            &meta
        } else {
            &resources
        };
        match &write.json {
            Some(json) => {
                store
                    .put(json.as_str())
                    .with_key(write.key.as_str())
                    .primitive()?;
            }
            None => {
                store.delete(write.key.as_str()).primitive()?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The meta-store key of the commit counter.
pub const GENERATION_KEY: &str = "generation";
/// The meta-store keys of the snapshot of every resource, and of the generation it was taken at.
pub const SNAPSHOT_KEY: &str = "snapshot";
pub const SNAPSHOT_GENERATION_KEY: &str = "snapshotGeneration";

/// Stores a snapshot of every resource (one JSON text), stamped with the current generation, in
/// one transaction: reading thousands of separate rows costs a cold start far more than reading
/// one large value, so a cold worker reads this instead when it is still current.
pub async fn write_snapshot(db: &Database, json: &str) -> Result<(), StoreError> {
    let tx = db
        .transaction(META)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let meta = tx.object_store(META)?;
    let generation: Option<u32> = meta.get(GENERATION_KEY).primitive()?.await?;
    meta.put(json).with_key(SNAPSHOT_KEY).primitive()?;
    meta.put(generation.unwrap_or(0))
        .with_key(SNAPSHOT_GENERATION_KEY)
        .primitive()?;
    tx.commit().await?;
    Ok(())
}

/// The snapshot, if it was taken at the current generation (nothing was committed since).
pub async fn read_current_snapshot(db: &Database) -> Result<Option<String>, StoreError> {
    let tx = db.transaction(META).build()?;
    let meta = tx.object_store(META)?;
    let generation: Option<u32> = meta.get(GENERATION_KEY).primitive()?.await?;
    let taken_at: Option<u32> = meta.get(SNAPSHOT_GENERATION_KEY).primitive()?.await?;
    if taken_at.is_none() || taken_at != generation.or(Some(0)) {
        return Ok(None);
    }
    let snapshot: Option<String> = meta.get(SNAPSHOT_KEY).primitive()?.await?;
    Ok(snapshot)
}

/// [`commit_all`] without clearing: the common case of one request's changes.
pub async fn commit(db: &Database, writes: &[Write]) -> Result<(), StoreError> {
    commit_all(db, false, writes).await
}

/// Reads one row of the meta store (JSON text).
pub async fn get_meta(db: &Database, key: &str) -> Result<Option<String>, StoreError> {
    let tx = db.transaction(META).build()?;
    let store = tx.object_store(META)?;
    let value: Option<String> = store.get(key).primitive()?.await?;
    Ok(value)
}

/// The traffic log's keys and sizes, oldest first, read inside `tx` (over [`TRAFFIC`] and
/// [`TRAFFIC_SIZES`]). Records without a size (written by a schema version 2 worker) are
/// measured and given one here, once.
async fn sizes_of_traffic(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
) -> Result<VecDeque<(u32, u32)>, StoreError> {
    let records = tx.object_store(TRAFFIC)?;
    let sizes = tx.object_store(TRAFFIC_SIZES)?;
    let keys = sizes.get_all_keys::<u32>().primitive()?.await?;
    let values = sizes.get_all::<u32>().primitive()?.await?;
    let mut out = VecDeque::new();
    for (key, value) in keys.zip(values) {
        out.push_back((key?, value?));
    }
    let count = records.count().await?;
    if count as usize != out.len() {
        let keys = records.get_all_keys::<u32>().primitive()?.await?;
        let texts = records.get_all::<String>().primitive()?.await?;
        out.clear();
        sizes.clear()?;
        for (key, text) in keys.zip(texts) {
            let (key, size) = (key?, text?.len() as u32);
            sizes.put(size).with_key(key).primitive()?;
            out.push_back((key, size));
        }
    }
    Ok(out)
}

/// The traffic log's keys and sizes, oldest first: what [`append_traffic`] keeps up to date.
/// The worker reads it once and then follows its own appends, because reading it back at every
/// append cost each request several milliseconds (measured with `make bench`).
pub async fn load_traffic_sizes(db: &Database) -> Result<VecDeque<(u32, u32)>, StoreError> {
    let tx = db
        .transaction([TRAFFIC, TRAFFIC_SIZES])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let log = sizes_of_traffic(&tx).await?;
    tx.commit().await?;
    Ok(log)
}

/// Appends records to the traffic log in one transaction, each with its size, and drops the
/// oldest so the log is within its bounds (`protocol::traffic::excess_within`: at most `keep`
/// records holding at most `max_bytes`). `log` is the log's keys and sizes before
/// ([`load_traffic_sizes`]); it is brought up to date only when the transaction commits.
pub async fn append_traffic(
    db: &Database,
    log: &mut VecDeque<(u32, u32)>,
    records: &[String],
    keep: usize,
    max_bytes: u64,
) -> Result<(), StoreError> {
    let tx = db
        .transaction([TRAFFIC, TRAFFIC_SIZES])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let store = tx.object_store(TRAFFIC)?;
    let sizes = tx.object_store(TRAFFIC_SIZES)?;
    let mut added = Vec::new();
    for json in records {
        let key = store
            .add(json.as_str())
            .with_key_type::<u32>()
            .primitive()?
            .await?;
        let size = json.len() as u32;
        sizes.put(size).with_key(key).primitive()?;
        added.push((key, size));
    }
    let after: Vec<u32> = log.iter().chain(&added).map(|&(_, size)| size).collect();
    let drop = protocol::traffic::excess_within(&after, keep, max_bytes);
    let newest_dropped = log
        .iter()
        .chain(&added)
        .nth(drop.wrapping_sub(1))
        .map(|&(key, _)| key);
    if let Some(newest_dropped) = newest_dropped.filter(|_| drop > 0) {
        store
            .delete::<u32, _>(KeyRange::UpperBound(newest_dropped, false))
            .primitive()?;
        sizes
            .delete::<u32, _>(KeyRange::UpperBound(newest_dropped, false))
            .primitive()?;
    }
    tx.commit().await?;
    log.extend(added);
    log.drain(..drop.min(log.len()));
    Ok(())
}

/// The bytes of everything the server stores: its resources and its meta store (settings, the
/// start-up snapshot).
pub async fn server_usage(db: &Database) -> Result<u64, StoreError> {
    let tx = db.transaction([RESOURCES, META]).build()?;
    let mut bytes = 0u64;
    for name in [RESOURCES, META] {
        // The meta store holds a few numbers beside the texts; only texts take space worth
        // counting, so the rows are read as JS values and only strings are measured.
        let rows = tx
            .object_store(name)?
            .get_all::<wasm_bindgen::JsValue>()
            .primitive()?
            .await?;
        for row in rows {
            if let Some(text) = row?.dyn_ref::<js_sys::JsString>() {
                bytes += u64::from(text.length());
            }
        }
    }
    Ok(bytes)
}

/// Reads the newest `limit` traffic records, oldest first, as `(sequence, JSON text)`.
pub async fn load_traffic(db: &Database, limit: u32) -> Result<Vec<String>, StoreError> {
    let tx = db.transaction(TRAFFIC).build()?;
    let store = tx.object_store(TRAFFIC)?;
    let rows = store.get_all::<String>().primitive()?.await?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row?);
    }
    let skip = out.len().saturating_sub(limit as usize);
    Ok(out.split_off(skip))
}

/// Empties the traffic log.
pub async fn clear_traffic(db: &Database) -> Result<(), StoreError> {
    let tx = db
        .transaction([TRAFFIC, TRAFFIC_SIZES])
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    tx.object_store(TRAFFIC)?.clear()?;
    tx.object_store(TRAFFIC_SIZES)?.clear()?;
    tx.commit().await?;
    Ok(())
}

/// Reads every stored resource as `(key, JSON text)` pairs in key order, walking a cursor so the
/// keys come with the values (the export document and the cold start both need them).
pub async fn load_all(db: &Database) -> Result<Vec<(String, String)>, StoreError> {
    let tx = db.transaction(RESOURCES).build()?;
    let store = tx.object_store(RESOURCES)?;
    let mut out = Vec::new();
    let Some(mut cursor) = store.open_cursor().await? else {
        return Ok(out);
    };
    // Each `next_record` yields the record under the cursor and leaves the cursor on it, so the
    // key read right after belongs to that record.
    while let Some(value) = cursor.next_record::<String>().await? {
        let key: Option<String> = cursor.key()?;
        if let Some(key) = key {
            out.push((key, value));
        }
    }
    Ok(out)
}
