//! Cursor pagination (RFC 9865): `?cursor` asks for a first page, and each page's `nextCursor`
//! and `previousCursor` name the next and previous pages of the same query.
//!
//! A cursor is a position in the list's total order (`sort.rs`): the entry a page starts after
//! or ends before, written as its sort key, resource type and id. Unlike `startIndex`, a
//! position does not move when resources before it are created or deleted, so no row is skipped
//! or repeated while the data changes between pages; a resource deleted after it named a
//! boundary still marks the place it held. The cursor also records the page size, when it was
//! issued (it expires after the advertised `cursorTimeout`) and a fingerprint of the query, so
//! a cursor sent with another filter, sort or endpoint is refused rather than misread.
//!
//! The text is the hex form of a small JSON array: opaque to clients as RFC 9865 asks, safe in a
//! URL without escaping, and not a secret (it only names a place in the client's own results).

use std::cmp::Ordering;
use std::ops::Range;

use serde_json::{json, Value};

use super::sort::{Entry, Order, SortKey};
use crate::error::ScimError;
use crate::schema::ResourceKind;

/// The cursor format's version; cursors of another version are refused as invalid.
const VERSION: u64 = 1;

/// The longest cursor read, in characters; real ones are a few hundred.
const MAX_LEN: usize = 4096;

/// A clock this far ahead of the server's means the cursor was not issued here.
const FUTURE_SLACK_MS: i64 = 60_000;

/// Where the page lies relative to the cursor's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// The `count` entries after the position.
    After,
    /// The `count` entries from the position on (the position included).
    From,
    /// The `count` entries before the position.
    Before,
    /// The `count` entries up to the position (included).
    Through,
}

impl Edge {
    const ALL: [(Edge, &'static str); 4] = [
        (Edge::After, "a"),
        (Edge::From, "f"),
        (Edge::Before, "b"),
        (Edge::Through, "t"),
    ];

    fn code(self) -> &'static str {
        Edge::ALL
            .iter()
            .find(|(e, _)| *e == self)
            .map_or("a", |(_, c)| c)
    }

    fn forward(self) -> bool {
        matches!(self, Edge::After | Edge::From)
    }
}

/// A decoded cursor.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cursor {
    /// The fingerprint of the query it was issued for.
    query: u64,
    /// The page size it was issued with.
    pub count: usize,
    /// When it was issued, in milliseconds since the Unix epoch.
    pub issued_ms: i64,
    edge: Edge,
    key: SortKey,
    kind: ResourceKind,
    id: String,
}

impl Cursor {
    /// The text a client sends back.
    fn encode(&self) -> String {
        let array = json!([
            VERSION,
            format!("{:016x}", self.query),
            self.count,
            self.issued_ms,
            self.edge.code(),
            self.key.to_json(),
            self.kind.name(),
            self.id,
        ]);
        // The engine's own writer: serde_json's serializer would add its code to the worker.
        let text = crate::json::to_vec(&array);
        let mut out = String::with_capacity(text.len() * 2);
        for &byte in &text {
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
        out
    }

    /// Reads a cursor's text without checking it against a query or the clock.
    pub fn parse(text: &str) -> Result<Cursor, ScimError> {
        if text.len() > MAX_LEN {
            return Err(invalid("it is too long"));
        }
        let format = || invalid("it is not in the server's format");
        let bytes = unhex(text.trim()).ok_or_else(format)?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|_| format())?;
        Cursor::from_json(&value).ok_or_else(format)
    }

    /// Reads a cursor a client sent, for a query with fingerprint `query`, at `now_ms`.
    pub fn decode(
        text: &str,
        query: u64,
        now_ms: i64,
        timeout_seconds: u64,
    ) -> Result<Cursor, ScimError> {
        let cursor = Cursor::parse(text)?;
        if cursor.query != query {
            return Err(invalid(
                "it was issued for another query: the endpoint, filter, sortBy and sortOrder must \
                 stay the same from page to page",
            ));
        }
        if cursor.issued_ms > now_ms.saturating_add(FUTURE_SLACK_MS) {
            return Err(invalid("it was issued in the future"));
        }
        let age_ms = now_ms.saturating_sub(cursor.issued_ms);
        let timeout_ms = i64::try_from(timeout_seconds.saturating_mul(1000)).unwrap_or(i64::MAX);
        if age_ms > timeout_ms {
            return Err(ScimError::ExpiredCursor(format!(
                "the cursor was issued {} s ago and cursors expire after {timeout_seconds} s \
                 (cursorTimeout in /ServiceProviderConfig); send cursor with no value to start \
                 again from the first page",
                age_ms / 1000
            )));
        }
        Ok(cursor)
    }

    /// What the cursor names, for the Explain panel.
    pub fn describe(&self) -> (&'static str, Option<Value>, ResourceKind, &str) {
        let edge = match self.edge {
            Edge::After => "after",
            Edge::From => "from",
            Edge::Before => "before",
            Edge::Through => "through",
        };
        let value = match &self.key {
            SortKey::Text(s) => Some(Value::String(s.clone())),
            SortKey::Number(n) => serde_json::Number::from_f64(*n).map(Value::Number),
            SortKey::Bool(b) => Some(Value::Bool(*b)),
            // Nanoseconds fit an i64 until 2262; dividing as i64 keeps 128-bit division out.
            SortKey::Time(t) => i64::try_from(*t)
                .ok()
                .map(|ns| Value::String(crate::datetime::format_ms(ns / 1_000_000))),
            SortKey::Missing => None,
        };
        (edge, value, self.kind, &self.id)
    }

    fn from_json(value: &Value) -> Option<Cursor> {
        let items = value.as_array()?;
        let [version, query, count, issued, edge, key, kind, id] = items.as_slice() else {
            return None;
        };
        if version.as_u64()? != VERSION {
            return None;
        }
        let edge = Edge::ALL
            .iter()
            .find(|(_, c)| Some(*c) == edge.as_str())
            .map(|(e, _)| *e)?;
        Some(Cursor {
            query: u64::from_str_radix(query.as_str()?, 16).ok()?,
            count: usize::try_from(count.as_u64()?).ok()?,
            issued_ms: issued.as_i64()?,
            edge,
            key: SortKey::from_json(key)?,
            kind: ResourceKind::from_name(kind.as_str()?)?,
            id: id.as_str()?.to_string(),
        })
    }

    fn position(&self) -> (&SortKey, ResourceKind, &str) {
        (&self.key, self.kind, &self.id)
    }
}

fn invalid(why: &str) -> ScimError {
    ScimError::InvalidCursor(format!(
        "the cursor is not one this server issued ({why}); send cursor with no value to start \
         again from the first page"
    ))
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn unhex(text: &str) -> Option<Vec<u8>> {
    let digit = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// The fingerprint of a query: FNV-1a over its parts, each followed by a separator.
pub(super) fn fingerprint(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// One page of a cursor-paginated list.
pub(super) struct Page {
    /// The entries the page holds.
    pub range: Range<usize>,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// Everything a page is cut with.
pub(super) struct Paging<'c> {
    pub order: Order,
    /// `None` for the first page.
    pub from: Option<&'c Cursor>,
    pub count: usize,
    pub query: u64,
    pub now_ms: i64,
}

impl Paging<'_> {
    /// Cuts the page out of `entries` (in list order) and makes the cursors around it.
    pub fn cut(&self, entries: &[Entry<'_>]) -> Page {
        let len = entries.len();
        let (count, order) = (self.count, self.order);
        let range = match self.from {
            None => 0..count.min(len),
            Some(cursor) => {
                let at = cursor.position();
                let before = |e: &Entry<'_>| order.cmp_entry(e, at) == Ordering::Less;
                let up_to = |e: &Entry<'_>| order.cmp_entry(e, at) != Ordering::Greater;
                match cursor.edge {
                    Edge::After | Edge::From => {
                        let start = if cursor.edge == Edge::After {
                            entries.partition_point(up_to)
                        } else {
                            entries.partition_point(before)
                        };
                        start..start.saturating_add(count).min(len)
                    }
                    Edge::Before | Edge::Through => {
                        let end = if cursor.edge == Edge::Through {
                            entries.partition_point(up_to)
                        } else {
                            entries.partition_point(before)
                        };
                        end.saturating_sub(count)..end
                    }
                }
            }
        };
        let at = |edge: Edge, entry: &Entry<'_>| {
            self.issue(edge, entry.key.clone(), entry.kind, entry.id)
        };
        let (mut previous, mut next) = (None, None);
        if count == 0 {
            // `count=0` asks for totalResults only (RFC 7644 §3.4.2.4): there is no page to move
            // from.
        } else if let (false, Some(first), Some(last)) = (
            range.is_empty(),
            entries.get(range.start),
            entries.get(range.end.wrapping_sub(1)),
        ) {
            previous = (range.start > 0).then(|| at(Edge::Before, first));
            next = (range.end < len).then(|| at(Edge::After, last));
        } else if let Some(cursor) = self.from.filter(|_| len > 0) {
            // An empty page: everything on the server lies on the other side of the position
            // (the rows that were there have been deleted). The way back includes the position.
            let (key, kind, id) = cursor.position();
            let back = match cursor.edge {
                Edge::After => Edge::Through,
                Edge::From => Edge::Before,
                Edge::Before => Edge::From,
                Edge::Through => Edge::After,
            };
            let turned = Some(self.issue(back, key.clone(), kind, id));
            if cursor.edge.forward() {
                previous = turned;
            } else {
                next = turned;
            }
        }
        Page {
            range,
            previous,
            next,
        }
    }

    fn issue(&self, edge: Edge, key: SortKey, kind: ResourceKind, id: &str) -> String {
        Cursor {
            query: self.query,
            count: self.count,
            issued_ms: self.now_ms,
            edge,
            key,
            kind,
            id: id.to_string(),
        }
        .encode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(edge: Edge) -> Cursor {
        Cursor {
            query: 0xfeed,
            count: 3,
            issued_ms: 1_000_000,
            edge,
            key: SortKey::Text("b\"é".into()),
            kind: ResourceKind::Group,
            id: "g-1".into(),
        }
    }

    #[test]
    fn a_cursor_reads_back_as_issued() {
        for (edge, _) in Edge::ALL {
            let c = cursor(edge);
            let text = c.encode();
            assert!(text.bytes().all(|b| b.is_ascii_hexdigit()), "{text}");
            assert_eq!(Cursor::decode(&text, 0xfeed, 1_000_500, 60).unwrap(), c);
        }
    }

    #[test]
    fn foreign_stale_and_damaged_cursors_are_refused_with_their_rfc_9865_type() {
        let text = cursor(Edge::After).encode();
        let kind = |r: Result<Cursor, ScimError>| r.unwrap_err().scim_type();
        assert_eq!(
            kind(Cursor::decode(&text, 0xbeef, 1_000_000, 60)),
            Some("invalidCursor")
        );
        assert_eq!(
            kind(Cursor::decode(&text, 0xfeed, 1_061_000, 60)),
            Some("expiredCursor")
        );
        assert_eq!(
            kind(Cursor::decode(&text, 0xfeed, 900_000, 60)),
            Some("invalidCursor")
        );
        for junk in [
            "xyz",
            "abc",
            "",
            "7b7d",
            &text[..text.len() - 2],
            &"00".repeat(3000),
        ] {
            assert_eq!(
                kind(Cursor::decode(junk, 0xfeed, 1_000_000, 60)),
                Some("invalidCursor"),
                "{junk}"
            );
        }
    }

    #[test]
    fn fingerprints_separate_their_parts() {
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["User", "x"]), fingerprint(&["User", "x"]));
    }
}
