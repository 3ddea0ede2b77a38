//! The playground's own endpoints under [`PREFIX`], for the app's panels and for tests: reset,
//! export and import of the server, demo data, settings, the traffic log, Explain and status.
//! The worker routes with [`Endpoint::find`]; the page calls [`Endpoint::url`], so an endpoint
//! renamed on one side is renamed on both.

use serde::{Deserialize, Serialize};

use crate::traffic::Record;

/// Where the playground's own endpoints live, beside `/scim/v2`.
pub const PREFIX: &str = "/_playground";

/// The `format` field that marks an export document (`GET /_playground/export`), which a
/// backup of everything carries as its server part.
pub const EXPORT_FORMAT: &str = "scim-playground/server";
/// The version of the export document this build writes and reads.
pub const EXPORT_VERSION: u32 = 1;

/// One `/_playground` endpoint (the OAuth endpoints under `/_playground/oauth` are the
/// authorization server's, not the panels', and are routed on their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `POST /reset`: an empty server with default settings, and no traffic. Answers [`Reset`].
    Reset,
    /// `GET /export`: every resource and the settings, as an export document.
    Export,
    /// `POST /import`: replaces everything with an export document. Answers [`Imported`].
    Import,
    /// `POST /seed` with a [`SeedRequest`]: demo users and groups. Answers [`Seeded`].
    Seed,
    /// `GET /settings`: a [`crate::settings::SettingsDocument`].
    Settings,
    /// `PUT /settings` with the whole settings document; answers the settings now in force.
    SaveSettings,
    /// `GET /traffic?limit=N`: the newest N records, oldest first. Answers [`TrafficPage`].
    Traffic,
    /// `DELETE /traffic`: forgets every record (204).
    ClearTraffic,
    /// `POST /explain` with a [`crate::explain::ExplainRequest`].
    Explain,
    /// `GET /status`: counts, the profile and whether the worker started cold. Answers
    /// [`Status`].
    Status,
    /// `GET /usage`: the space the server's data and the traffic log take. Answers [`Usage`].
    Usage,
}

/// Every endpoint with its method and path under [`PREFIX`].
const ROUTES: [(Endpoint, &str, &str); 11] = [
    (Endpoint::Reset, "POST", "/reset"),
    (Endpoint::Export, "GET", "/export"),
    (Endpoint::Import, "POST", "/import"),
    (Endpoint::Seed, "POST", "/seed"),
    (Endpoint::Settings, "GET", "/settings"),
    (Endpoint::SaveSettings, "PUT", "/settings"),
    (Endpoint::Traffic, "GET", "/traffic"),
    (Endpoint::ClearTraffic, "DELETE", "/traffic"),
    (Endpoint::Explain, "POST", "/explain"),
    (Endpoint::Status, "GET", "/status"),
    (Endpoint::Usage, "GET", "/usage"),
];

impl Endpoint {
    fn route(self) -> (&'static str, &'static str) {
        ROUTES
            .iter()
            .find(|(endpoint, _, _)| *endpoint == self)
            .map(|&(_, method, path)| (method, path))
            .unwrap_or(("GET", "/"))
    }

    /// The HTTP method.
    pub fn method(self) -> &'static str {
        self.route().0
    }

    /// The path under [`PREFIX`] (`/reset`).
    pub fn path(self) -> &'static str {
        self.route().1
    }

    /// The URL the page fetches (`/_playground/reset`).
    pub fn url(self) -> String {
        format!("{PREFIX}{}", self.path())
    }

    /// The endpoint a request names: `path` is what follows [`PREFIX`], without the query; a
    /// trailing slash is ignored.
    pub fn find(method: &str, path: &str) -> Option<Endpoint> {
        let path = path.trim_end_matches('/');
        ROUTES
            .iter()
            .find(|(_, m, p)| *m == method && *p == path)
            .map(|&(endpoint, _, _)| endpoint)
    }
}

/// The body of [`Endpoint::Seed`]: a member left out is 0, and an empty body means
/// [`SeedRequest::DEMO`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SeedRequest {
    pub users: usize,
    pub groups: usize,
}

impl SeedRequest {
    /// What "Add demo data" adds: a class's worth of people in a few groups.
    pub const DEMO: SeedRequest = SeedRequest {
        users: 25,
        groups: 4,
    };
}

/// The answer of [`Endpoint::Seed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seeded {
    /// How many resources were created (those whose names were taken are skipped).
    pub added: usize,
    /// How many resources there were before.
    pub before: usize,
}

/// How many users and groups the server holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub users: usize,
    pub groups: usize,
}

/// The answer of [`Endpoint::Import`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    pub imported: Counts,
}

/// The answer of [`Endpoint::Reset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reset {
    pub reset: bool,
}

/// The answer of [`Endpoint::Status`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub users: usize,
    pub groups: usize,
    /// The compatibility profile's header name (`okta`, `strict-rfc`, `entra-id`).
    pub profile: String,
    /// How this worker instance loaded its state when it started.
    pub cold_start: ColdStart,
}

/// The answer of [`Endpoint::Usage`]: bytes of stored text, as the worker wrote it (the
/// browser's own bookkeeping and compression make its figure differ somewhat).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// The resources and the server's settings (and its start-up snapshot of the resources).
    pub server_bytes: u64,
    /// The traffic log's records.
    pub traffic_bytes: u64,
    /// How many exchanges the traffic log holds.
    pub traffic_records: u64,
}

/// Milliseconds spent in each step of the worker's cold start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColdStart {
    pub open_ms: f64,
    pub read_ms: f64,
    pub load_ms: f64,
    pub resources: usize,
    /// Whether the resources came from a current snapshot rather than row by row.
    pub from_snapshot: bool,
}

/// The answer of [`Endpoint::Traffic`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrafficPage {
    pub records: Vec<Record>,
}

/// The text of a [`TrafficPage`] around records the worker stored as JSON text (it never
/// parses them back, so no `Record` deserializer is compiled into it).
pub fn traffic_page<'a>(records_json: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from(r#"{"records":["#);
    for (i, record) in records_json.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(record);
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_is_found_by_its_method_and_path() {
        for (endpoint, method, path) in ROUTES {
            assert_eq!(endpoint.method(), method);
            assert_eq!(Endpoint::find(method, path), Some(endpoint));
            assert_eq!(Endpoint::find(method, &format!("{path}/")), Some(endpoint));
            assert_eq!(endpoint.url(), format!("/_playground{path}"));
        }
        assert_eq!(Endpoint::find("GET", "/reset"), None);
        assert_eq!(Endpoint::find("POST", "/nope"), None);
    }

    #[test]
    fn a_traffic_page_reads_back_as_its_records() {
        let record = r#"{"at":"t","client":"page","method":"GET","url":"/scim/v2/Users","status":200,"durationMs":2}"#;
        let page: TrafficPage =
            serde_json::from_str(&traffic_page([record, record])).expect("a page");
        assert_eq!(page.records.len(), 2);
        let empty: TrafficPage = serde_json::from_str(&traffic_page([])).expect("a page");
        assert!(empty.records.is_empty());
    }

    #[test]
    fn a_seed_request_refuses_unknown_members_and_defaults_the_rest() {
        let read: SeedRequest = serde_json::from_str(r#"{"users":3}"#).expect("a request");
        assert_eq!(read.users, 3);
        assert_eq!(read.groups, 0);
        assert!(serde_json::from_str::<SeedRequest>(r#"{"user":3}"#).is_err());
    }
}
