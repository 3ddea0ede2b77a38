//! The traffic records (their type is the worker's, from `crates/protocol`) and the panel's
//! filters.

pub use protocol::traffic::{Message, Record, CHANNEL};

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
