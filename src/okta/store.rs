//! Where the simulated org lives between visits: its own IndexedDB database, written from the
//! page. The worker's database holds the *app's* data; this one holds *Okta's*, so resetting
//! one never touches the other, exactly as an app and an IdP are separate systems.

use indexed_db_futures::database::{Database, VersionChangeEvent};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

const DB_NAME: &str = "scim-playground-okta";
const DB_VERSION: u32 = 2;
const STATE: &str = "state";
/// The org's pieces (`idp::saved`), keyed by their position from 0.
const PIECES: &str = "pieces";
/// The org's head: everything but the collections that travel in pieces.
const HEAD_KEY: &str = "head";
/// The whole org as one JSON text, as version 1 saved it. Read when there is no head; removed
/// by the first save.
const ORG_KEY: &str = "org";
/// How far the simulated clock runs ahead of the browser's, in milliseconds.
const CLOCK_KEY: &str = "clockOffsetMs";

fn describe(e: impl std::fmt::Display) -> String {
    format!("IndexedDB: {e}")
}

async fn open_version(name: &str, version: u32) -> Result<Database, String> {
    Database::open(name)
        .with_version(version)
        .with_on_upgrade_needed(move |event: VersionChangeEvent, db: Database| {
            // Each version adds its steps after the earlier ones, so any older database upgrades.
            let old = event.old_version();
            if old < 1.0 {
                db.create_object_store(STATE).build()?;
            }
            if old < 2.0 && version >= 2 {
                db.create_object_store(PIECES).build()?;
            }
            Ok(())
        })
        .await
        .map_err(describe)
}

async fn open() -> Result<Database, String> {
    open_version(&crate::base::scoped(DB_NAME), DB_VERSION).await
}

/// How the org was saved.
pub enum SavedOrg {
    /// Nothing yet: a first visit.
    None,
    /// One JSON text, by version 1 of this database.
    Whole(String),
    /// A head and its pieces, in order.
    Pieces { head: String, pieces: Vec<String> },
}

/// What was saved: the org and the clock offset.
pub struct Saved {
    pub org: SavedOrg,
    pub clock_offset_ms: i64,
}

/// Reads the saved org and clock offset.
pub async fn load() -> Result<Saved, String> {
    let db = open().await?;
    let saved = load_from(&db).await;
    // Closed at once, so a newer version of the app opened in another tab can upgrade the
    // database without waiting for this connection to be collected.
    db.close();
    saved
}

async fn load_from(db: &Database) -> Result<Saved, String> {
    let tx = db.transaction([STATE, PIECES]).build().map_err(describe)?;
    let store = tx.object_store(STATE).map_err(describe)?;
    let head: Option<String> = store
        .get(HEAD_KEY)
        .primitive()
        .map_err(describe)?
        .await
        .map_err(describe)?;
    let org = match head {
        Some(head) => {
            let rows = tx
                .object_store(PIECES)
                .map_err(describe)?
                .get_all::<String>()
                .primitive()
                .map_err(describe)?
                .await
                .map_err(describe)?;
            let pieces = rows.collect::<Result<Vec<_>, _>>().map_err(describe)?;
            SavedOrg::Pieces { head, pieces }
        }
        None => match store
            .get(ORG_KEY)
            .primitive()
            .map_err(describe)?
            .await
            .map_err(describe)?
        {
            Some(whole) => SavedOrg::Whole(whole),
            None => SavedOrg::None,
        },
    };
    let offset: Option<f64> = store
        .get(CLOCK_KEY)
        .primitive()
        .map_err(describe)?
        .await
        .map_err(describe)?;
    Ok(Saved {
        org,
        clock_offset_ms: offset.unwrap_or(0.0) as i64,
    })
}

/// How many bytes the saved org takes (its head and pieces as stored text), for App data's
/// account of space.
pub async fn size() -> Result<u64, String> {
    let saved = load().await?;
    Ok(match saved.org {
        SavedOrg::None => 0,
        SavedOrg::Whole(text) => text.len() as u64,
        SavedOrg::Pieces { head, pieces } => {
            (head.len() + pieces.iter().map(String::len).sum::<usize>()) as u64
        }
    })
}

/// Writes the org's head and pieces and the clock offset in one transaction, so a reload never
/// sees a head without its pieces, or pieces of two different saves.
pub async fn save(head: &str, pieces: &[String], clock_offset_ms: i64) -> Result<(), String> {
    let db = open().await?;
    let saved = save_to(&db, head, pieces, clock_offset_ms).await;
    db.close();
    saved
}

async fn save_to(
    db: &Database,
    head: &str,
    pieces: &[String],
    clock_offset_ms: i64,
) -> Result<(), String> {
    let tx = db
        .transaction([STATE, PIECES])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(describe)?;
    let store = tx.object_store(STATE).map_err(describe)?;
    store
        .put(head)
        .with_key(HEAD_KEY)
        .primitive()
        .map_err(describe)?;
    store.delete(ORG_KEY).primitive().map_err(describe)?;
    store
        .put(clock_offset_ms as f64)
        .with_key(CLOCK_KEY)
        .primitive()
        .map_err(describe)?;
    let pieces_store = tx.object_store(PIECES).map_err(describe)?;
    pieces_store.clear().map_err(describe)?;
    for (index, piece) in pieces.iter().enumerate() {
        pieces_store
            .put(piece)
            .with_key(index as u32)
            .primitive()
            .map_err(describe)?;
    }
    tx.commit().await.map_err(describe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    fn pieces_of(saved: Saved) -> (String, Vec<String>) {
        match saved.org {
            SavedOrg::Pieces { head, pieces } => (head, pieces),
            _ => panic!("expected a head and pieces"),
        }
    }

    #[wasm_bindgen_test]
    async fn the_head_its_pieces_in_order_and_the_clock_offset_survive_a_save_and_a_load() {
        let pieces: Vec<String> = (0..12).map(|i| format!("{{\"piece\":{i}}}")).collect();
        save("{\"head\":1}", &pieces, 3_600_000)
            .await
            .expect("saved");
        let saved = load().await.expect("loaded");
        assert_eq!(saved.clock_offset_ms, 3_600_000);
        assert_eq!(pieces_of(saved), ("{\"head\":1}".to_string(), pieces));
        // A smaller org later: its save leaves none of the earlier pieces behind.
        save("{\"head\":2}", &["{\"piece\":\"only\"}".into()], 0)
            .await
            .expect("saved again");
        let (head, pieces) = pieces_of(load().await.expect("loaded"));
        assert_eq!(head, "{\"head\":2}");
        assert_eq!(pieces, vec!["{\"piece\":\"only\"}".to_string()]);
    }

    #[wasm_bindgen_test]
    async fn a_version_1_database_with_a_whole_org_upgrades_and_still_reads() {
        const NAME: &str = "scim-playground-okta-upgrade-test";
        // A run before this one left the database at the newest version: start again from none.
        if let Ok(request) = Database::delete_by_name(NAME) {
            request.await.expect("the earlier test database is deleted");
        }
        // Version 1: one store, the org as one text.
        let v1 = open_version(NAME, 1).await.expect("opens at version 1");
        let tx = v1
            .transaction(STATE)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .expect("tx");
        let store = tx.object_store(STATE).expect("store");
        store
            .put("{\"whole\":1}")
            .with_key(ORG_KEY)
            .primitive()
            .expect("put");
        store
            .put(60_000.0)
            .with_key(CLOCK_KEY)
            .primitive()
            .expect("put");
        tx.commit().await.expect("committed");
        v1.close();

        let v2 = open_version(NAME, DB_VERSION).await.expect("upgrades");
        let saved = load_from(&v2).await.expect("loads");
        assert_eq!(saved.clock_offset_ms, 60_000, "the clock offset is kept");
        match saved.org {
            SavedOrg::Whole(text) => assert_eq!(text, "{\"whole\":1}", "the org is kept"),
            _ => panic!("expected the whole org of version 1"),
        }
        // The first save in pieces replaces the whole text.
        save_to(&v2, "{\"head\":1}", &[], 60_000)
            .await
            .expect("saved");
        let (head, pieces) = pieces_of(load_from(&v2).await.expect("loads"));
        assert_eq!(head, "{\"head\":1}");
        assert!(pieces.is_empty());
        v2.close();
    }
}
