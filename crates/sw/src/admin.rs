//! The playground's own endpoints under `/_playground/`, for the app's panels and for tests:
//! reset, export and import of everything, demo data, settings, and the traffic log.
//!
//! Each endpoint changes memory and disk together or not at all: a new engine state is built
//! and validated first, committed in one IndexedDB transaction, and only then swapped in.

use protocol::admin::{
    self, Counts, Endpoint, Imported, Reset, SeedRequest, Seeded, Status, Usage,
};
use protocol::explain::ExplainRequest;
use scim::{Env, Request, Response, Server, Settings, StoredResource};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::host::{self, Host};
use crate::http;
use crate::seed;
use crate::store::{self, Write};

/// The export document's marks, shared with the page's backup (`protocol::admin`).
use protocol::admin::{EXPORT_FORMAT, EXPORT_VERSION};
/// The largest body a `/_playground` endpoint reads (an import of a large export), refused
/// with a 413 before it is copied into the worker's memory.
pub const MAX_BODY: usize = 64 * 1024 * 1024;
/// The most demo users one seed request may create.
const MAX_SEED: usize = 50_000;

/// Answers one `/_playground/...` request.
pub async fn handle(host: &Host, request: &Request) -> Response {
    let path = request.path.trim_end_matches('/');
    if let Some(rest) = path.strip_prefix("/oauth") {
        return crate::oauth::handle(host, request, rest).await;
    }
    let Some(endpoint) = Endpoint::find(&request.method, path) else {
        return http::error(
            404,
            None,
            &format!(
                "{} {}{path} is not an endpoint of the playground",
                request.method,
                admin::PREFIX
            ),
        );
    };
    match endpoint {
        Endpoint::Reset => reset(host).await,
        Endpoint::Export => export(host),
        Endpoint::Import => import(host, &request.body).await,
        Endpoint::Seed => seed_data(host, &request.body).await,
        Endpoint::Settings => json_ok(&settings_json(host.server.borrow().settings())),
        Endpoint::SaveSettings => put_settings(host, &request.body).await,
        Endpoint::Traffic => traffic(host, &request.query).await,
        Endpoint::Explain => explain(host, &request.base_url, &request.body),
        Endpoint::ClearTraffic => match crate::traffic::clear(&host.db).await {
            Ok(()) => Response::empty(204),
            Err(e) => http::error(500, None, &e.to_string()),
        },
        Endpoint::Usage => usage(host).await,
        Endpoint::Status => {
            let server = host.server.borrow();
            typed_ok(&Status {
                users: server.count(scim::ResourceKind::User),
                groups: server.count(scim::ResourceKind::Group),
                profile: server.settings().profile.header_value().into(),
                cold_start: host.cold_start,
            })
        }
    }
}

/// The Explain panel's question (`protocol::explain::ExplainRequest`), answered from the
/// engine's data without changing it (see `scim::Server::explain_filter` / `explain_patch`).
fn explain(host: &Host, base_url: &str, body: &[u8]) -> Response {
    let request = match serde_json::from_slice::<ExplainRequest>(body) {
        Ok(request) => request,
        Err(e) => {
            return bad_request(&format!(
                "an explain request is {{\"kind\": \"filter\", \"patch\" or \"cursor\", …}}: {e}"
            ))
        }
    };
    let kind_of =
        |name: &str| scim::ResourceKind::from_name(name).unwrap_or(scim::ResourceKind::User);
    let server = host.server.borrow();
    match request {
        ExplainRequest::Filter {
            resource_type,
            filter,
        } => typed_ok(&server.explain_filter(
            kind_of(&resource_type),
            &filter,
            base_url,
            EXPLAIN_LIMIT,
        )),
        ExplainRequest::Patch {
            resource_type,
            id,
            body,
        } => typed_ok(&server.explain_patch(kind_of(&resource_type), &id, &body)),
        ExplainRequest::Cursor { cursor } => {
            // The engine keeps no clock; the worker's is the one its cursors were issued by.
            typed_ok(&server.explain_cursor(&cursor, host::now_ms()))
        }
    }
}

/// The most resources one filter explanation lists (the matches first).
const EXPLAIN_LIMIT: usize = 25;

fn json_ok(value: &Value) -> Response {
    let mut response = Response::json(200, value);
    response.set_header("Content-Type", "application/json");
    response
}

/// A 200 whose body is one of the contract's answers (`protocol::admin`, `protocol::explain`).
fn typed_ok<T: Serialize>(answer: &T) -> Response {
    text_ok(serde_json::to_vec(answer).unwrap_or_default())
}

fn text_ok(body: Vec<u8>) -> Response {
    Response {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body,
    }
}

/// The settings as a JSON value, made with the serializer that also stores them.
///
/// `json!(settings)` would compile a second serializer (`serde_json::to_value`) for the whole
/// settings tree into the worker's wasm. Writing the text and reading it back gives the same
/// value: settings hold only strings, integers, booleans, arrays and objects.
fn settings_json(settings: &Settings) -> Value {
    serde_json::to_vec(settings)
        .ok()
        .and_then(|text| serde_json::from_slice(&text).ok())
        .unwrap_or_default()
}

/// A stored row as an export lists it: the same members `StoredResource`'s `Serialize` writes.
fn row_json(row: &StoredResource) -> Value {
    json!({
        "resourceType": row.resource_type.name(),
        "id": row.id,
        "data": row.data,
    })
}

fn bad_request(detail: &str) -> Response {
    http::error(400, Some("invalidValue"), detail)
}

/// Writes a whole new state (every resource and the settings) in one transaction that first
/// clears the old resources, then swaps the engine in.
async fn replace_state(host: &Host, server: Server) -> Result<(), Response> {
    let mut writes: Vec<Write> = server
        .resources()
        .map(|row| {
            Write::resource(
                store::resource_key(row.resource_type.name(), &row.id),
                Some(row.data.to_string()),
            )
        })
        .collect();
    writes.push(Write {
        store: store::META,
        key: host::SETTINGS_KEY.into(),
        json: serde_json::to_string(server.settings()).ok(),
    });
    if let Err(e) = store::commit_all(&host.db, true, &writes).await {
        return Err(host::failed_write(&e).await);
    }
    *host.server.borrow_mut() = server;
    host::schedule_snapshot();
    Ok(())
}

async fn reset(host: &Host) -> Response {
    if let Err(failure) = replace_state(host, Server::new(Settings::default())).await {
        return failure;
    }
    let _ = crate::traffic::clear(&host.db).await;
    typed_ok(&Reset { reset: true })
}

fn export(host: &Host) -> Response {
    let server = host.server.borrow();
    let resources: Vec<StoredResource> = server.resources().collect();
    json_ok(&json!({
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exportedAt": js_sys::Date::new_0().to_iso_string().as_string(),
        "settings": settings_json(server.settings()),
        "resources": resources.iter().map(row_json).collect::<Vec<_>>(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportDocument {
    format: String,
    version: u32,
    #[serde(rename = "exportedAt", default)]
    _exported_at: Option<String>,
    settings: Settings,
    resources: Vec<StoredResource>,
}

/// Replaces everything with an export document, after checking all of it; a bad document
/// changes nothing and the answer says what is wrong.
async fn import(host: &Host, body: &[u8]) -> Response {
    let document: ExportDocument = match serde_json::from_slice(body) {
        Ok(document) => document,
        Err(e) => return bad_request(&format!("not a playground export document: {e}")),
    };
    if document.format != EXPORT_FORMAT {
        return bad_request(&format!(
            "format is \"{}\"; expected \"{EXPORT_FORMAT}\"",
            document.format
        ));
    }
    if document.version != EXPORT_VERSION {
        return bad_request(&format!(
            "export version {} is not supported; this build reads version {EXPORT_VERSION}",
            document.version
        ));
    }
    let mut server = Server::new(Settings::default());
    if let Err(e) = server.update_settings(document.settings) {
        return bad_request(&format!("the settings are invalid: {e}"));
    }
    if let Err(e) = server.load(document.resources) {
        return bad_request(&format!("a resource is invalid: {e}"));
    }
    let imported = Imported {
        imported: Counts {
            users: server.count(scim::ResourceKind::User),
            groups: server.count(scim::ResourceKind::Group),
        },
    };
    match replace_state(host, server).await {
        Ok(()) => typed_ok(&imported),
        Err(failure) => failure,
    }
}

/// Adds demo users and groups through the engine (so they are validated and get their `meta`
/// like any created resource), skipping any whose userName or displayName is already taken.
async fn seed_data(host: &Host, body: &[u8]) -> Response {
    let wanted: SeedRequest = if body.is_empty() {
        SeedRequest::DEMO
    } else {
        match serde_json::from_slice(body) {
            Ok(wanted) => wanted,
            Err(e) => {
                return bad_request(&format!("expected {{\"users\": n, \"groups\": n}}: {e}"))
            }
        }
    };
    if wanted.users > MAX_SEED || wanted.groups > MAX_SEED {
        return bad_request(&format!("at most {MAX_SEED} users or groups per request"));
    }
    // The copy has authentication off, so seeding works whatever the server requires; only the
    // rows it creates are persisted and loaded into the real engine.
    let (mut scratch, existing) = {
        let server = host.server.borrow();
        let mut settings = server.settings().clone();
        settings.auth = scim::Auth::None;
        let existing: Vec<StoredResource> = server.resources().collect();
        let mut scratch = Server::new(settings);
        if let Err(e) = scratch.load(existing.iter().cloned()) {
            return http::error(500, None, &format!("could not copy the server: {e}"));
        }
        (scratch, existing.len())
    };
    let mut next_id = host::new_id;
    let mut env = Env::from_unix_ms(host::now_ms(), &mut next_id);
    let mut created = Vec::new();
    let bodies = (0..wanted.users)
        .map(|i| ("/Users", seed::user(i)))
        .chain((0..wanted.groups).map(|i| ("/Groups", seed::group(i))));
    for (path, body) in bodies {
        let mut request = Request::new("POST", path);
        request
            .headers
            .push(("Content-Type".into(), http::SCIM_CONTENT_TYPE.into()));
        request.body = body.to_string().into_bytes();
        let outcome = scratch.handle(&request, &mut env);
        created.extend(outcome.changes);
    }
    let rows: Vec<StoredResource> = created
        .iter()
        .filter_map(|change| match change {
            scim::Change::Resource {
                resource_type,
                id,
                after: Some(data),
                ..
            } => Some(StoredResource {
                resource_type: *resource_type,
                id: id.clone(),
                data: data.clone(),
            }),
            _ => None,
        })
        .collect();
    if let Err(e) = store::commit(&host.db, &host::writes_for(&created)).await {
        return http::error(500, None, &format!("nothing was added: {e}"));
    }
    host::schedule_snapshot();
    let added = rows.len();
    if let Err(e) = host.server.borrow_mut().load(rows) {
        return http::error(500, None, &format!("seeded rows did not load: {e}"));
    }
    typed_ok(&Seeded {
        added,
        before: existing,
    })
}

async fn put_settings(host: &Host, body: &[u8]) -> Response {
    let settings: Settings = match serde_json::from_slice(body) {
        Ok(settings) => settings,
        Err(e) => return bad_request(&format!("not valid settings: {e}")),
    };
    let changes = match host.server.borrow_mut().update_settings(settings) {
        Ok(changes) => changes,
        Err(e) => return e.to_response(),
    };
    if let Err(failure) = host.persist(&changes).await {
        return failure;
    }
    json_ok(&settings_json(host.server.borrow().settings()))
}

async fn usage(host: &Host) -> Response {
    let measured = async {
        let server_bytes = store::server_usage(&host.db).await?;
        let (traffic_records, traffic_bytes) = crate::traffic::usage(&host.db).await?;
        Ok::<_, store::StoreError>(Usage {
            server_bytes,
            traffic_bytes,
            traffic_records,
        })
    };
    match measured.await {
        Ok(usage) => typed_ok(&usage),
        Err(e) => http::error(500, None, &e.to_string()),
    }
}

async fn traffic(host: &Host, query: &str) -> Response {
    let limit = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("limit="))
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(crate::traffic::KEEP as u32);
    match store::load_traffic(&host.db, limit).await {
        // The rows are the records' JSON as the worker wrote them, passed on as text; a row that
        // is not JSON (storage damaged outside the app) is left out rather than breaking the page.
        Ok(rows) => {
            let valid = rows
                .iter()
                .filter(|row| crate::from_json::<serde::de::IgnoredAny>(row).is_ok())
                .map(String::as_str);
            text_ok(admin::traffic_page(valid).into_bytes())
        }
        Err(e) => http::error(500, None, &e.to_string()),
    }
}
