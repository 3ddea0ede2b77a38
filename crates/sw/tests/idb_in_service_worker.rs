//! The worker's IndexedDB store, exercised inside a real service worker in headless Chromium.
//!
//! Run with `cargo test -p scim-sw --target wasm32-unknown-unknown` (the Makefile sets the
//! runner); a native `cargo test` has nothing to run here.
#![cfg(target_arch = "wasm32")]

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use scim_sw::store::{self, Write};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_service_worker);

/// A database name no other test uses, so tests never see each other's data.
fn fresh_name(label: &str) -> String {
    format!("test-{label}-{}", js_sys::Math::random())
}

fn put(key: &str, json: &str) -> Write {
    Write::resource(key.into(), Some(json.into()))
}

#[wasm_bindgen_test]
async fn a_committed_write_is_read_back() {
    let db = store::open_version(&fresh_name("rw"), store::DB_VERSION)
        .await
        .expect("open");
    store::commit(&db, &[put("Users/u1", r#"{"id":"u1","userName":"ada"}"#)])
        .await
        .expect("commit");
    let read = store::get_resource(&db, "Users", "u1").await.expect("get");
    assert_eq!(read.as_deref(), Some(r#"{"id":"u1","userName":"ada"}"#));
    let missing = store::get_resource(&db, "Users", "nope")
        .await
        .expect("get");
    assert_eq!(missing, None);
}

#[wasm_bindgen_test]
async fn a_delete_in_the_same_commit_removes_the_record() {
    let db = store::open_version(&fresh_name("del"), store::DB_VERSION)
        .await
        .expect("open");
    store::commit(&db, &[put("Users/u1", "{}"), put("Users/u2", "{}")])
        .await
        .expect("commit");
    store::commit(&db, &[Write::resource("Users/u1".into(), None)])
        .await
        .expect("commit");
    let users = store::load_resources(&db, "Users").await.expect("load");
    assert_eq!(users.len(), 1);
}

#[wasm_bindgen_test]
async fn the_cursor_walks_every_record_in_key_order_with_its_key() {
    let db = store::open_version(&fresh_name("cursor"), store::DB_VERSION)
        .await
        .expect("open");
    store::commit(
        &db,
        &[
            put("Users/b", r#"{"n":2}"#),
            put("Groups/g", r#"{"n":3}"#),
            put("Users/a", r#"{"n":1}"#),
        ],
    )
    .await
    .expect("commit");
    let all = store::load_all(&db).await.expect("cursor");
    let keys: Vec<&str> = all.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["Groups/g", "Users/a", "Users/b"]);
    assert_eq!(all[1].1, r#"{"n":1}"#);
}

#[wasm_bindgen_test]
async fn a_type_range_read_sees_only_that_type() {
    let db = store::open_version(&fresh_name("range"), store::DB_VERSION)
        .await
        .expect("open");
    store::commit(
        &db,
        &[
            put("Users/a", "1"),
            put("Groups/a", "2"),
            put("UsersX/a", "3"),
        ],
    )
    .await
    .expect("commit");
    let users = store::load_resources(&db, "Users").await.expect("load");
    assert_eq!(users, ["1"]);
}

#[wasm_bindgen_test]
async fn a_version_1_database_upgrades_without_losing_data() {
    let name = fresh_name("upgrade");
    let v1 = store::open_version(&name, 1).await.expect("open v1");
    let stores_v1: Vec<String> = v1.object_store_names().collect();
    assert!(!stores_v1.iter().any(|s| s == store::TRAFFIC));
    store::commit(&v1, &[put("Users/kept", r#"{"userName":"kept"}"#)])
        .await
        .expect("commit v1");
    v1.close();

    let current: Database = store::open_version(&name, store::DB_VERSION)
        .await
        .expect("open current");
    assert_eq!(current.version() as u32, store::DB_VERSION);
    let stores: Vec<String> = current.object_store_names().collect();
    assert!(stores.iter().any(|s| s == store::TRAFFIC), "{stores:?}");
    let kept = store::get_resource(&current, "Users", "kept")
        .await
        .expect("get");
    assert_eq!(kept.as_deref(), Some(r#"{"userName":"kept"}"#));
}

#[wasm_bindgen_test]
fn these_tests_really_run_inside_a_service_worker() {
    let global = js_sys::global();
    let constructor = js_sys::Reflect::get(&global, &"constructor".into()).expect("constructor");
    let name = js_sys::Reflect::get(&constructor, &"name".into()).expect("name");
    assert_eq!(
        name.as_string().as_deref(),
        Some("ServiceWorkerGlobalScope")
    );
}

#[wasm_bindgen_test]
async fn the_traffic_ring_keeps_only_the_newest_records() {
    let db = store::open_version(&fresh_name("traffic"), store::DB_VERSION)
        .await
        .expect("open");
    for n in 1..=5 {
        append(&db, &[format!("{{\"n\":{n}}}")], 3, 1000).await;
    }
    // A batch goes in one transaction and still trims the ring.
    append(
        &db,
        &["{\"n\":6}".to_string(), "{\"n\":7}".to_string()],
        3,
        1000,
    )
    .await;
    let kept = store::load_traffic(&db, 100).await.expect("load");
    assert_eq!(kept, [r#"{"n":5}"#, r#"{"n":6}"#, r#"{"n":7}"#]);
    let newest = store::load_traffic(&db, 1).await.expect("load");
    assert_eq!(newest, [r#"{"n":7}"#]);
}

/// What the stored log holds, read back from storage: (records, bytes).
async fn usage(db: &Database) -> (u64, u64) {
    let sizes = store::load_traffic_sizes(db).await.expect("sizes");
    let bytes = sizes.iter().map(|&(_, size)| u64::from(size)).sum();
    (sizes.len() as u64, bytes)
}

/// Appends as the worker does: from the sizes it knows, which follow its appends.
async fn append(db: &Database, records: &[String], keep: usize, max_bytes: u64) {
    let mut sizes = store::load_traffic_sizes(db).await.expect("sizes");
    store::append_traffic(db, &mut sizes, records, keep, max_bytes)
        .await
        .expect("append");
    assert_eq!(
        sizes,
        store::load_traffic_sizes(db).await.expect("sizes"),
        "the sizes it follows are the stored ones"
    );
}

/// The byte bound: records go, oldest first, until the rest fit; the usage figures follow.
#[wasm_bindgen_test]
async fn the_traffic_ring_keeps_within_its_bytes_and_counts_them() {
    let db = store::open_version(&fresh_name("traffic-bytes"), store::DB_VERSION)
        .await
        .expect("open");
    let record = |n: usize, size: usize| format!("{n}{}", "x".repeat(size - 1));
    for n in 1..=4 {
        append(&db, &[record(n, 30)], 100, 100).await;
    }
    // Four of 30 bytes are 120: the oldest went, three remain.
    let kept = store::load_traffic(&db, 100).await.expect("load");
    assert_eq!(kept, [record(2, 30), record(3, 30), record(4, 30)]);
    assert_eq!(usage(&db).await, (3, 90));
    // One of 80 bytes leaves room for none of the others.
    append(&db, &[record(5, 80)], 100, 100).await;
    assert_eq!(usage(&db).await, (1, 80));
    store::clear_traffic(&db).await.expect("clear");
    assert_eq!(usage(&db).await, (0, 0));
}

/// Sizes read once and followed over many appends stay those in storage.
#[wasm_bindgen_test]
async fn the_followed_sizes_stay_the_stored_ones() {
    let db = store::open_version(&fresh_name("traffic-follow"), store::DB_VERSION)
        .await
        .expect("open");
    let mut sizes = store::load_traffic_sizes(&db).await.expect("sizes");
    for n in 1..=20 {
        let batch: Vec<String> = (0..n % 4 + 1).map(|i| "y".repeat(10 * (n + i))).collect();
        store::append_traffic(&db, &mut sizes, &batch, 7, 900)
            .await
            .expect("append");
    }
    assert_eq!(sizes, store::load_traffic_sizes(&db).await.expect("sizes"));
    assert!(sizes.len() <= 7 && sizes.iter().map(|&(_, s)| s).sum::<u32>() <= 900);
}

/// A log written by a version 2 worker (records without sizes) is measured at the first append
/// after the upgrade, so its old records count towards the bound and go in order.
#[wasm_bindgen_test]
async fn a_version_2_traffic_log_gets_its_sizes_after_the_upgrade() {
    let name = fresh_name("traffic-upgrade");
    let v2 = store::open_version(&name, 2).await.expect("open v2");
    let tx = v2
        .transaction(store::TRAFFIC)
        .with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite)
        .build()
        .expect("tx");
    let log = tx.object_store(store::TRAFFIC).expect("store");
    for n in 1..=3 {
        log.add(format!("{n}{}", "x".repeat(39)))
            .primitive()
            .expect("add")
            .await
            .expect("added");
    }
    tx.commit().await.expect("commit v2");
    v2.close();

    let db = store::open_version(&name, store::DB_VERSION)
        .await
        .expect("open current");
    assert_eq!(usage(&db).await, (3, 120));
    append(&db, &["4".repeat(40)], 100, 100).await;
    let kept = store::load_traffic(&db, 100).await.expect("load");
    assert_eq!(kept.len(), 2);
    assert!(
        kept[0].starts_with('3') && kept[1].starts_with('4'),
        "{kept:?}"
    );
}

/// The server's usage counts the stored texts of its resources and settings.
#[wasm_bindgen_test]
async fn the_server_usage_counts_its_stored_text() {
    let db = store::open_version(&fresh_name("usage"), store::DB_VERSION)
        .await
        .expect("open");
    let before = store::server_usage(&db).await.expect("usage");
    store::commit(&db, &[put("Users/a", &"a".repeat(1000))])
        .await
        .expect("commit");
    let after = store::server_usage(&db).await.expect("usage");
    assert_eq!(after - before, 1000);
}

#[wasm_bindgen_test]
async fn a_commit_that_clears_replaces_every_resource_and_writes_meta_atomically() {
    let db = store::open_version(&fresh_name("clear"), store::DB_VERSION)
        .await
        .expect("open");
    store::commit(&db, &[put("User/old", "{}")])
        .await
        .expect("commit");
    store::commit_all(
        &db,
        true,
        &[
            put("User/new", "{}"),
            Write {
                store: store::META,
                key: "settings".into(),
                json: Some("{\"x\":1}".into()),
            },
        ],
    )
    .await
    .expect("commit");
    let all = store::load_all(&db).await.expect("all");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].0, "User/new");
    assert_eq!(
        store::get_meta(&db, "settings")
            .await
            .expect("meta")
            .as_deref(),
        Some("{\"x\":1}")
    );
}

#[wasm_bindgen_test]
async fn a_snapshot_is_used_only_until_the_next_commit() {
    let db = store::open_version(&fresh_name("snapshot"), store::DB_VERSION)
        .await
        .expect("open");
    assert_eq!(store::read_current_snapshot(&db).await.expect("read"), None);
    store::commit(&db, &[put("User/a", "{}")])
        .await
        .expect("commit");
    store::write_snapshot(&db, "[1]").await.expect("snapshot");
    assert_eq!(
        store::read_current_snapshot(&db)
            .await
            .expect("read")
            .as_deref(),
        Some("[1]")
    );
    store::commit(&db, &[put("User/b", "{}")])
        .await
        .expect("commit");
    assert_eq!(
        store::read_current_snapshot(&db).await.expect("read"),
        None,
        "a commit after the snapshot makes it stale"
    );
}

/// A write whose IndexedDB commit fails is answered with a 500 and leaves the engine exactly as
/// it was, so memory never runs ahead of disk.
#[wasm_bindgen_test]
async fn a_failed_commit_answers_500_and_undoes_the_change() {
    use scim_sw::host::{ColdStart, Host};
    use std::cell::RefCell;

    let db = store::open_version(&fresh_name("undo"), store::DB_VERSION)
        .await
        .expect("open");
    let host = Host {
        db: db.clone(),
        server: RefCell::new(scim::Server::new(scim::Settings::default())),
        cold_start: ColdStart::default(),
    };
    // A closed connection refuses every transaction: the commit of the next write fails.
    db.close();
    let mut request = scim::Request::new("POST", "/Users");
    request
        .headers
        .push(("Content-Type".into(), "application/scim+json".into()));
    request.body = br#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"lost@example.com"}"#.to_vec();
    let response = host.serve_scim(&request).await;
    assert_eq!(response.status, 500);
    let body = response.json_body();
    assert_eq!(body["status"], "500");
    assert!(body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("nothing changed"));
    assert_eq!(host.server.borrow().count(scim::ResourceKind::User), 0);
}
