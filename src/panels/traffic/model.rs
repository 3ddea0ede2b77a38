//! The traffic records as the worker stores and broadcasts them, and the panel's filters.

use serde::{Deserialize, Serialize};

/// One SCIM exchange (the worker's `traffic::Record`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub at: String,
    pub client: String,
    #[serde(default)]
    pub profile: String,
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub request_headers: Vec<(String, String)>,
    #[serde(default)]
    pub request_body: String,
    pub status: u16,
    #[serde(default)]
    pub response_headers: Vec<(String, String)>,
    #[serde(default)]
    pub response_body: String,
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

/// A message on the `scim-playground` BroadcastChannel.
#[derive(Debug, Deserialize)]
pub struct Message {
    #[serde(rename = "type")]
    pub kind: String,
    pub record: Option<Record>,
}

/// What the list shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// `2`, `3`, `4` or `5` for a status class; `None` for all.
    pub status_class: Option<u16>,
    pub method: Option<String>,
    pub client: Option<String>,
    /// A case-insensitive substring of the path.
    pub path: String,
}

impl Filter {
    pub fn accepts(&self, record: &Record) -> bool {
        self.status_class
            .is_none_or(|class| record.status / 100 == class)
            && self.method.as_ref().is_none_or(|m| &record.method == m)
            && self.client.as_ref().is_none_or(|c| &record.client == c)
            && (self.path.is_empty()
                || record
                    .path()
                    .to_lowercase()
                    .contains(&self.path.to_lowercase()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    fn record(method: &str, url: &str, status: u16, client: &str) -> Record {
        Record {
            at: String::new(),
            client: client.into(),
            profile: String::new(),
            method: method.into(),
            url: url.into(),
            request_headers: vec![],
            request_body: String::new(),
            status,
            response_headers: vec![],
            response_body: String::new(),
            duration_ms: 1.0,
        }
    }

    #[wasm_bindgen_test]
    fn every_filter_narrows_and_they_combine() {
        let r = record("PATCH", "http://h/scim/v2/Users/1", 412, "simulator");
        assert_eq!(r.path(), "/Users/1");
        assert!(Filter::default().accepts(&r));
        let by = |f: Filter| f.accepts(&r);
        assert!(by(Filter {
            status_class: Some(4),
            ..Default::default()
        }));
        assert!(!by(Filter {
            status_class: Some(2),
            ..Default::default()
        }));
        assert!(!by(Filter {
            method: Some("GET".into()),
            ..Default::default()
        }));
        assert!(by(Filter {
            client: Some("simulator".into()),
            path: "users".into(),
            ..Default::default()
        }));
        assert!(!by(Filter {
            client: Some("simulator".into()),
            path: "groups".into(),
            ..Default::default()
        }));
    }
}
