//! Where the simulated org lives between visits: its own IndexedDB database, written from the
//! page. The worker's database holds the *app's* data; this one holds *Okta's*, so resetting
//! one never touches the other, exactly as an app and an IdP are separate systems.

use indexed_db_futures::database::{Database, VersionChangeEvent};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

const DB_NAME: &str = "scim-playground-okta";
const DB_VERSION: u32 = 1;
const STATE: &str = "state";
/// The org as JSON text.
const ORG_KEY: &str = "org";
/// How far the simulated clock runs ahead of the browser's, in milliseconds.
const CLOCK_KEY: &str = "clockOffsetMs";

fn describe(e: impl std::fmt::Display) -> String {
    format!("IndexedDB: {e}")
}

async fn open() -> Result<Database, String> {
    Database::open(DB_NAME)
        .with_version(DB_VERSION)
        .with_on_upgrade_needed(|event: VersionChangeEvent, db: Database| {
            // Version 1 is the first schema; later versions add their steps after it.
            if event.old_version() < 1.0 {
                db.create_object_store(STATE).build()?;
            }
            Ok(())
        })
        .await
        .map_err(describe)
}

/// What was saved: the org's JSON (if any) and the clock offset.
pub struct Saved {
    pub org_json: Option<String>,
    pub clock_offset_ms: i64,
}

/// Reads the saved org and clock offset.
pub async fn load() -> Result<Saved, String> {
    let db = open().await?;
    let tx = db.transaction(STATE).build().map_err(describe)?;
    let store = tx.object_store(STATE).map_err(describe)?;
    let org_json: Option<String> = store
        .get(ORG_KEY)
        .primitive()
        .map_err(describe)?
        .await
        .map_err(describe)?;
    let offset: Option<f64> = store
        .get(CLOCK_KEY)
        .primitive()
        .map_err(describe)?
        .await
        .map_err(describe)?;
    Ok(Saved {
        org_json,
        clock_offset_ms: offset.unwrap_or(0.0) as i64,
    })
}

/// Writes the org and the clock offset in one transaction, so a reload never sees one without
/// the other.
pub async fn save(org_json: &str, clock_offset_ms: i64) -> Result<(), String> {
    let db = open().await?;
    let tx = db
        .transaction(STATE)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(describe)?;
    let store = tx.object_store(STATE).map_err(describe)?;
    store
        .put(org_json)
        .with_key(ORG_KEY)
        .primitive()
        .map_err(describe)?;
    store
        .put(clock_offset_ms as f64)
        .with_key(CLOCK_KEY)
        .primitive()
        .map_err(describe)?;
    tx.commit().await.map_err(describe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn the_org_and_the_clock_offset_survive_a_save_and_a_load() {
        save("{\"saved\":1}", 3_600_000).await.expect("saved");
        let saved = load().await.expect("loaded");
        assert_eq!(saved.org_json.as_deref(), Some("{\"saved\":1}"));
        assert_eq!(saved.clock_offset_ms, 3_600_000);
        save("{\"saved\":2}", 0).await.expect("saved again");
        assert_eq!(
            load().await.expect("loaded").org_json.as_deref(),
            Some("{\"saved\":2}"),
            "a later save replaces the earlier one"
        );
    }
}
