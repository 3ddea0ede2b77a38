//! The traffic log: every SCIM exchange the worker answers, recorded for the Traffic panel.
//!
//! Records are kept in IndexedDB (a ring of the newest: at most [`KEEP`] exchanges holding at
//! most [`MAX_BYTES`], `protocol::traffic`) and pushed live to every open page on the
//! `scim-playground` BroadcastChannel. Credentials never reach the log: the
//! `Authorization` header is masked before the record is built.

use protocol::traffic::{traffic_message, CLIENT_HEADER};
pub use protocol::traffic::{Record, CHANNEL, KEEP, MAX_BYTES};
use wasm_bindgen::JsValue;
use web_sys::BroadcastChannel;

use std::collections::VecDeque;

use crate::store;
use indexed_db_futures::database::Database;

/// Bodies longer than this are cut in the record (the exchange itself is not affected).
const MAX_BODY: usize = 256 * 1024;

fn body_text(body: &[u8]) -> String {
    let cut = body.len().min(MAX_BODY);
    let mut text = String::from_utf8_lossy(body.get(..cut).unwrap_or_default()).into_owned();
    if body.len() > MAX_BODY {
        text.push_str(&format!("\n… ({} bytes in all)", body.len()));
    }
    text
}

/// Builds the record of one exchange.
pub fn new_record(
    at: String,
    request: &scim::Request,
    response: &scim::Response,
    duration_ms: f64,
) -> Record {
    // Nothing secret is ever part of a record (SECURITY.md): credential headers of either
    // side and secret members of either body are masked before the record exists, so the
    // broadcast, the stored log, HAR files and "copy as curl" never see them.
    let request_headers = secrets::headers(&request.headers);
    let query = if request.query.is_empty() {
        String::new()
    } else {
        format!("?{}", request.query)
    };
    Record {
        at,
        client: request.header(CLIENT_HEADER).unwrap_or("page").to_string(),
        profile: response
            .header("x-scim-profile")
            .unwrap_or_default()
            .to_string(),
        method: request.method.clone(),
        url: format!("{}{}{}", request.base_url, request.path, query),
        request_headers,
        request_body: secrets::body(&body_text(&request.body)),
        status: response.status,
        response_headers: secrets::headers(&response.headers),
        response_body: secrets::body(&body_text(&response.body)),
        duration_ms,
    }
}

/// How long records wait before they are stored together. One transaction per burst instead of
/// one per exchange keeps the log from competing with the requests it records; a worker stopped
/// inside this window loses at most these last records of the log (never any SCIM data).
const FLUSH_AFTER_MS: i32 = 100;

thread_local! {
    static PENDING: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    static FLUSH_SCHEDULED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The stored log's keys and sizes, oldest first, once read (`store::load_traffic_sizes`):
    /// the flush follows its own appends instead of reading them back each time.
    static SIZES: std::cell::RefCell<Option<VecDeque<(u32, u32)>>> = const { std::cell::RefCell::new(None) };
    /// Moves on at every clear, so a flush that was running meanwhile does not put back what
    /// it knew of the log before.
    static CLEARS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Announces a record to open pages at once and queues it for storage. Storage failures are
/// reported on the console only: the exchange itself has already been answered, and the log is
/// an observation of it.
pub fn record(db: &Database, record: Record) {
    let Ok(json) = serde_json::to_string(&record) else {
        return;
    };
    broadcast(&traffic_message(&json));
    PENDING.with(|p| p.borrow_mut().push(json));
    if FLUSH_SCHEDULED.with(|f| f.replace(true)) {
        return;
    }
    let db = db.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(crate::host::timeout(FLUSH_AFTER_MS)).await;
        // One flush at a time: records that arrive while a batch is being stored wait for the
        // next turn of this loop, so two appends never work from the same sizes.
        loop {
            let batch = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
            if batch.is_empty() {
                FLUSH_SCHEDULED.with(|f| f.set(false));
                break;
            }
            if let Err(e) = flush(&db, &batch).await {
                web_sys::console::warn_1(&JsValue::from_str(&format!(
                    "scim-sw: could not record {} exchanges: {e}",
                    batch.len()
                )));
            }
        }
    });
}

/// Stores one batch, within the log's bounds.
async fn flush(db: &Database, batch: &[String]) -> Result<(), store::StoreError> {
    let clears = CLEARS.with(|c| c.get());
    let mut sizes = match SIZES.with(|s| s.borrow_mut().take()) {
        Some(sizes) => sizes,
        None => store::load_traffic_sizes(db).await?,
    };
    // On a failure the sizes are left unknown, to be read again at the next flush.
    store::append_traffic(db, &mut sizes, batch, KEEP, MAX_BYTES).await?;
    if CLEARS.with(|c| c.get()) == clears {
        SIZES.with(|s| *s.borrow_mut() = Some(sizes));
    }
    Ok(())
}

/// Empties the stored log.
pub async fn clear(db: &Database) -> Result<(), store::StoreError> {
    CLEARS.with(|c| c.set(c.get().wrapping_add(1)));
    SIZES.with(|s| *s.borrow_mut() = None);
    store::clear_traffic(db).await
}

/// How many records the stored log holds, and their bytes.
pub async fn usage(db: &Database) -> Result<(u64, u64), store::StoreError> {
    let known = SIZES.with(|s| s.borrow().as_ref().map(sum));
    match known {
        Some(usage) => Ok(usage),
        None => Ok(sum(&store::load_traffic_sizes(db).await?)),
    }
}

fn sum(sizes: &VecDeque<(u32, u32)>) -> (u64, u64) {
    let bytes = sizes.iter().map(|&(_, size)| u64::from(size)).sum();
    (sizes.len() as u64, bytes)
}

/// Posts a message (JSON text) to every page listening on [`CHANNEL`].
pub fn broadcast(message: &str) {
    if let Ok(channel) = BroadcastChannel::new(&crate::base::scoped(CHANNEL)) {
        let _ = channel.post_message(&JsValue::from_str(message));
        channel.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// A record holds no secret of either side: credential headers (Authorization with its
    /// scheme kept, Cookie, a custom key header) and a user's password are masked.
    #[wasm_bindgen_test]
    fn a_record_holds_no_secret() {
        let header = |name: &str, value: &str| (name.to_string(), value.to_string());
        let request = scim::Request {
            method: "POST".into(),
            base_url: "http://app.example/scim/v2".into(),
            path: "/Users".into(),
            query: String::new(),
            headers: vec![
                header("Authorization", "Bearer abc.def"),
                header("Cookie", "session=s3cr3t"),
                header("X-Api-Key", "k-123"),
                header("Content-Type", "application/scim+json"),
            ],
            body: br#"{"userName":"ada","password":"hunter2"}"#.to_vec(),
        };
        let mut response = scim::Response::empty(201);
        response.set_header("Set-Cookie", "session=s3cr3t");
        response.body = br#"{"id":"1","userName":"ada","password":"hunter2"}"#.to_vec();
        let record = new_record(String::new(), &request, &response, 1.0);
        let text = serde_json::to_string(&record).unwrap_or_default();
        for secret in ["abc.def", "s3cr3t", "k-123", "hunter2"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("Bearer ••••••••"), "{text}");
        assert!(text.contains(r#"\"userName\":\"ada\""#), "{text}");
    }

    #[wasm_bindgen_test]
    fn long_bodies_are_cut_and_say_how_long_they_were() {
        let body = vec![b'a'; MAX_BODY + 10];
        let text = body_text(&body);
        assert!(text.ends_with(&format!("({} bytes in all)", MAX_BODY + 10)));
    }
}
