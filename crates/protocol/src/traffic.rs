//! The traffic log: the record of one SCIM exchange, as the worker stores it and broadcasts it
//! and as the Traffic panel, Scenarios and Explain read it.

use serde::{Deserialize, Serialize};

/// The BroadcastChannel the worker announces each record on.
pub const CHANNEL: &str = "scim-playground";

/// The header a caller sets to say who it is (`okta #12`, `console`, `tests`…); the worker
/// records it as [`Record::client`] (`page` when absent). Sent only to this origin: on an
/// external server it would force a CORS preflight.
pub const CLIENT_HEADER: &str = "x-playground-client";

/// The header of the page's own health check (is the worker answering `/scim/v2`?): the
/// worker answers it like any request but does not record it, so a server that requires a
/// credential does not show the page's uncredentialed probe as a 401 in Traffic.
pub const PROBE_HEADER: &str = "x-playground-probe";

/// One recorded exchange. Secrets are masked before a record exists (`crates/secrets`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// When the request arrived (RFC 3339).
    pub at: String,
    /// Who sent it (see [`CLIENT_HEADER`]).
    pub client: String,
    /// The compatibility profile the server answered with (`X-SCIM-Profile`).
    #[serde(default)]
    pub profile: String,
    pub method: String,
    /// The absolute URL, query included.
    pub url: String,
    #[serde(default)]
    pub request_headers: Vec<(String, String)>,
    /// The body as text, cut after the worker's limit (it says how long it was).
    #[serde(default)]
    pub request_body: String,
    pub status: u16,
    #[serde(default)]
    pub response_headers: Vec<(String, String)>,
    #[serde(default)]
    pub response_body: String,
    /// Time from the worker receiving the request to the response being ready.
    pub duration_ms: f64,
}

impl Record {
    /// The URL's path and query after the SCIM prefix (`/Users?count=1`).
    pub fn path(&self) -> &str {
        self.url
            .find("/scim/v2")
            .and_then(|i| self.url.get(i + "/scim/v2".len()..))
            .unwrap_or(&self.url)
    }
}

/// How many exchanges the log keeps at most: the newest.
pub const KEEP: usize = 5000;

/// How many bytes of records the log keeps at most (16 MB): the newest that fit. Without it,
/// 5,000 exchanges that each carry a page of a large import would hold over a gigabyte of the
/// browser's storage, crowding out the user's own data; 16 MB keeps a few thousand ordinary
/// exchanges, or at least 30 of the largest (bodies are cut at 256 KiB each).
pub const MAX_BYTES: u64 = 16_000_000;

/// The two bounds in words, for the panels that tell the user what the log keeps.
pub const BOUNDS: &str = "the newest 5,000 exchanges, at most 16 MB of them";

/// How many of the oldest records to drop so the log is within both bounds: at most [`KEEP`]
/// records, holding at most [`MAX_BYTES`]. `sizes` are the records' sizes in bytes, oldest
/// first. The newest record is always kept, whatever its size.
pub fn excess(sizes: &[u32]) -> usize {
    excess_within(sizes, KEEP, MAX_BYTES)
}

/// [`excess`] for other bounds (the worker's storage tests use small ones).
pub fn excess_within(sizes: &[u32], keep: usize, max_bytes: u64) -> usize {
    let mut drop = sizes.len().saturating_sub(keep);
    let mut total: u64 = sizes[drop..].iter().map(|&size| u64::from(size)).sum();
    while total > max_bytes && drop + 1 < sizes.len() {
        total -= u64::from(sizes[drop]);
        drop += 1;
    }
    drop
}

/// A message on [`CHANNEL`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Message {
    /// A new exchange.
    Traffic { record: Record },
}

/// The text of [`Message::Traffic`] around a record the caller has already serialized (the
/// worker writes each record's JSON once, for the broadcast and for storage).
pub fn traffic_message(record_json: &str) -> String {
    format!(r#"{{"type":"traffic","record":{record_json}}}"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            at: "2026-12-02T10:00:00.000Z".into(),
            client: "okta #3".into(),
            profile: "okta".into(),
            method: "POST".into(),
            url: "http://127.0.0.1:8080/scim/v2/Users?x=1".into(),
            request_headers: vec![("content-type".into(), "application/scim+json".into())],
            request_body: "{}".into(),
            status: 201,
            response_headers: Vec::new(),
            response_body: "{}".into(),
            duration_ms: 1.5,
        }
    }

    /// What the worker sends is what the page reads: the message built around pre-serialized
    /// JSON parses back into the same record.
    #[test]
    fn a_broadcast_reads_back_as_the_record_it_carries() {
        let json = serde_json::to_string(&record()).unwrap_or_default();
        let message: Message = serde_json::from_str(&traffic_message(&json)).expect("a message");
        assert_eq!(message, Message::Traffic { record: record() });
        assert_eq!(record().path(), "/Users?x=1");
    }

    /// The log's two bounds, in a table: (sizes oldest first, how many are dropped).
    #[test]
    fn the_oldest_records_go_until_both_bounds_hold() {
        let mb = 1_000_000;
        let cases: Vec<(Vec<u32>, usize)> = vec![
            (vec![], 0),
            (vec![100; 10], 0),
            // Exactly at the count bound: nothing goes; one more: the oldest goes.
            (vec![100; KEEP], 0),
            (vec![100; KEEP + 1], 1),
            (vec![100; KEEP + 7], 7),
            // Exactly at the byte bound: nothing goes; one byte more: the oldest goes.
            (vec![8 * mb, 8 * mb], 0),
            (vec![1, 8 * mb, 8 * mb], 1),
            (vec![8 * mb, 8 * mb, 1], 1),
            // Several old records go to make room for a large new one.
            (vec![4 * mb, 4 * mb, 4 * mb, 4 * mb, 6 * mb], 2),
            // A record larger than the whole bound is kept when it is the newest…
            (vec![1, 2, 20 * mb], 2),
            // …and goes as soon as a newer one arrives.
            (vec![20 * mb, 1], 1),
        ];
        for (sizes, dropped) in cases {
            assert_eq!(
                excess(&sizes),
                dropped,
                "sizes {:?}",
                &sizes[..sizes.len().min(6)]
            );
        }
        // Both bounds at once: 5,001 records of 4 KiB are 20 MB, so the byte bound decides.
        let many = vec![4096; KEEP + 1];
        let kept = KEEP + 1 - excess(&many);
        assert_eq!(kept as u64, MAX_BYTES / 4096);
    }

    /// The words agree with the numbers.
    #[test]
    fn the_bounds_in_words_are_the_bounds() {
        assert_eq!(
            (KEEP, MAX_BYTES),
            (5000, 16_000_000),
            "update BOUNDS with the bounds"
        );
        assert!(BOUNDS.contains("5,000") && BOUNDS.contains("16 MB"));
    }

    /// A record an older worker stored without the optional members still reads.
    #[test]
    fn older_records_read_with_defaults() {
        let old = r#"{"at":"t","client":"page","method":"GET","url":"/scim/v2/Users","status":200,"durationMs":2}"#;
        let read: Record = serde_json::from_str(old).expect("an old record");
        assert_eq!(read.profile, "");
        assert!(read.request_headers.is_empty());
    }
}
