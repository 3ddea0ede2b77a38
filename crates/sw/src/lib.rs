//! The service worker: answers same-origin `fetch`es under `<base>scim/v2/` with the SCIM engine
//! (`crates/scim`) over IndexedDB, and the playground's own endpoints under `<base>_playground/`
//! (the base is where this copy is served, `/` by default; see [`base`]).
//!
//! `public/sw.js` is the tiny JavaScript shim that registers the worker's listeners during the
//! script's first evaluation (a listener added later, after the wasm has loaded, never receives
//! events) and hands each such request to [`handle`].

// Nothing on a request path may panic (ARCHITECTURE.md, "Invariants"): on wasm32 a panic traps
// the worker's instance, and every request after it would hang. Tests may.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod admin;
pub mod base;
pub mod form;
pub mod guard;
pub mod host;
pub mod http;
pub mod oauth;
pub mod seed;
pub mod store;
pub mod traffic;

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::Request;

use http::Route;

/// Milliseconds from an arbitrary origin, precise enough for request durations.
pub(crate) fn clock_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|performance| performance.dyn_into::<web_sys::Performance>().ok())
        .map_or_else(js_sys::Date::now, |performance| performance.now())
}

/// Parses JSON text with the same reader as request bodies (`from_slice`).
///
/// serde_json compiles its parser, and every derived `Deserialize`, once per reader type, so
/// reading text with `from_str` and bytes with `from_slice` would carry two copies of all of it
/// in the worker's wasm. Both readers give the same result and the same errors for valid UTF-8,
/// which a `&str` always is.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    serde_json::from_slice(text.as_bytes())
}

/// Answers one request. Called by `sw.js` for every same-origin request under the base's
/// `scim/v2` or `_playground`.
///
/// It always resolves to a `Response`: a request the worker cannot read gets a SCIM 400, and an
/// unavailable database a SCIM 503, so the page never sees the worker die or hang.
#[wasm_bindgen]
pub async fn handle(request: Request) -> Result<web_sys::Response, JsValue> {
    let started = clock_ms();
    let at = js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    let fetch = http::fetch_of(&request);
    let (route, head) = match http::read_head(&request) {
        Ok(read) => read,
        Err(reason) => {
            return http::write_response(&http::error(400, Some("invalidSyntax"), &reason))
        }
    };
    let (response, db, head) = host::exclusive(async {
        let mut head = head;
        match host::host().await {
            Ok(host) => {
                // The body is read only now, against the limit that applies: the engine's
                // maxPayloadSize for SCIM, the playground's own for its endpoints.
                let limit = match route {
                    Route::Scim => host.server.borrow().settings().limits.max_payload_size,
                    Route::Admin => admin::MAX_BODY,
                };
                let response = match http::read_body(&request, &head.method, limit).await {
                    Err(refused) => refused,
                    Ok(body) => {
                        head.body = body;
                        match route {
                            Route::Scim => host.serve_scim(&head).await,
                            Route::Admin => match guard::admin(
                                &fetch,
                                &head.method,
                                &head.path,
                                head.header("content-type"),
                                head.body.len(),
                            ) {
                                Err(refused) => refused,
                                Ok(()) => admin(host.clone(), head.clone()).await,
                            },
                        }
                    }
                };
                (response, Some(host), head)
            }
            Err(e) => (
                http::error(
                    503,
                    None,
                    &format!("the SCIM server's storage is unavailable: {e}"),
                ),
                None,
                head,
            ),
        }
    })
    .await;
    let probe = head.header(protocol::traffic::PROBE_HEADER).is_some();
    if let (Route::Scim, Some(host), false) = (route, db, probe) {
        let record = traffic::new_record(at, &head, &response, clock_ms() - started);
        traffic::record(&host.db, record);
    }
    http::write_response(&response)
}

/// The playground's own endpoints (`/_playground/...`: reset, export, import, seed, settings,
/// traffic, Explain and the OAuth server) in a module of their own, fetched by the worker the
/// first time one is asked for. SCIM requests never need it, so the worker that starts for them
/// is smaller (issue #2's 200 KB budget); see scripts/build-split.sh.
///
/// A module that cannot be fetched (the cache evicted and the network gone) is a 503 for that
/// request, not a panic: a panic would stop the worker and leave the request unanswered.
async fn admin(host: Rc<host::Host>, request: scim::Request) -> scim::Response {
    match admin_entry(host, request).await {
        Ok(answer) => answer.await,
        Err(_) => http::error(
            503,
            None,
            "the playground's endpoints could not be loaded (their module could not be fetched); try again when online",
        ),
    }
}

/// The answer of an endpoint of the playground, still to be awaited.
type Answer = Pin<Box<dyn Future<Output = scim::Response>>>;

fn answer(host: Rc<host::Host>, request: scim::Request) -> Answer {
    Box::pin(async move { admin::handle(&host, &request).await })
}

#[cfg(playground_split)]
#[wasm_split_helpers::wasm_split(playground_admin, fallible)]
fn admin_entry(
    host: Rc<host::Host>,
    request: scim::Request,
) -> Result<Answer, wasm_split_helpers::SplitLoaderError> {
    Ok(answer(host, request))
}

/// The same entry point in a build that is not split (tests).
#[cfg(not(playground_split))]
async fn admin_entry(
    host: Rc<host::Host>,
    request: scim::Request,
) -> Result<Answer, std::convert::Infallible> {
    Ok(answer(host, request))
}
