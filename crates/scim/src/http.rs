//! The transport-neutral request and response, the injected environment, and query decoding.

use serde_json::Value;

/// The media type of every SCIM response body (RFC 7644 §8.1).
pub const SCIM_CONTENT_TYPE: &str = "application/scim+json";

/// One HTTP request, as the service worker (or a test) hands it to the engine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The HTTP method, e.g. `GET`; compared case-insensitively.
    pub method: String,
    /// The absolute base URL of the SCIM service, e.g. `http://127.0.0.1:8080/scim/v2`; used for
    /// `meta.location`, `Location` headers and member `$ref`s.
    pub base_url: String,
    /// The path after the base, e.g. `/Users/abc`, still percent-encoded.
    pub path: String,
    /// The raw query string without `?`, percent-encoded; `+` and `%20` both mean a space.
    pub query: String,
    /// The request headers; names are compared case-insensitively.
    pub headers: Vec<(String, String)>,
    /// The raw request body.
    pub body: Vec<u8>,
}

impl Request {
    /// A request without headers or body, mostly for tests and the bulk endpoint.
    pub fn new(method: &str, path: &str) -> Self {
        let (path, query) = match path.split_once('?') {
            Some((path, query)) => (path, query),
            None => (path, ""),
        };
        Request {
            method: method.into(),
            base_url: String::new(),
            path: path.into(),
            query: query.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP response produced by the engine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers in the order they were set.
    pub headers: Vec<(String, String)>,
    /// The response body; empty for 204 and 304.
    pub body: Vec<u8>,
}

impl Response {
    /// A response whose body is `value`, serialised as `application/scim+json`.
    pub fn json(status: u16, value: &Value) -> Self {
        // Members in RFC order, whatever order the maps hold them in (see `json.rs`).
        let body = crate::json::to_vec(value);
        Response {
            status,
            headers: vec![("Content-Type".into(), SCIM_CONTENT_TYPE.into())],
            body,
        }
    }

    /// A response without a body, such as 204 No Content or 304 Not Modified.
    pub fn empty(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets a header, replacing any earlier value with the same name.
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
    }

    /// The body parsed as JSON, or `Value::Null` when it is empty or not JSON.
    pub fn json_body(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// What the engine needs from the outside world: the current time and fresh ids.
///
/// Injecting both keeps the engine deterministic: tests pass a fixed clock and a counter, the
/// service worker passes `Date.now()` and `crypto.randomUUID()`.
pub struct Env<'a> {
    /// The current time, in milliseconds since the Unix epoch.
    pub now_ms: i64,
    /// Returns a new, never-used resource id on each call.
    pub next_id: &'a mut dyn FnMut() -> String,
}

impl<'a> Env<'a> {
    /// An environment at `now_unix_ms` milliseconds after the Unix epoch.
    pub fn from_unix_ms(now_unix_ms: i64, next_id: &'a mut dyn FnMut() -> String) -> Self {
        Env {
            now_ms: now_unix_ms,
            next_id,
        }
    }

    /// A fresh resource id.
    pub fn new_id(&mut self) -> String {
        (self.next_id)()
    }

    /// The current time as an RFC 3339 timestamp with millisecond precision, e.g.
    /// `2024-05-01T12:00:00.123Z`.
    pub fn timestamp(&self) -> String {
        crate::datetime::format_ms(self.now_ms)
    }
}

/// Decodes a percent-encoded query component; `+` means a space (HTML form encoding, which older
/// Okta clients use). Invalid escapes are kept literally rather than rejected.
pub(crate) use wire::percent::decode as percent_decode;

/// Splits a raw query string into decoded `(name, value)` pairs.
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(name, true), percent_decode(value, true))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_and_percent_20_both_decode_to_spaces() {
        let q = parse_query("filter=userName+eq+%22a%40b%22&x=userName%20eq%20%22c%22");
        assert_eq!(q[0], ("filter".into(), "userName eq \"a@b\"".into()));
        assert_eq!(q[1], ("x".into(), "userName eq \"c\"".into()));
    }

    #[test]
    fn broken_escapes_are_kept_literally() {
        assert_eq!(percent_decode("100%", true), "100%");
        assert_eq!(percent_decode("%zz%4", true), "%zz%4");
        assert_eq!(percent_decode("%e2%9c%93", true), "✓");
    }

    #[test]
    fn timestamps_have_millisecond_precision() {
        let mut ids = || String::from("x");
        let env = Env::from_unix_ms(1_700_000_000_123, &mut ids);
        assert_eq!(env.timestamp(), "2023-11-14T22:13:20.123Z");
    }
}
