//! The service worker: answers same-origin `fetch`es under `/scim/v2/` from IndexedDB.
//!
//! `public/sw.js` is the tiny JavaScript shim that registers the worker's listeners during the
//! script's first evaluation (a listener added later, after the wasm has loaded, never receives
//! events) and hands each SCIM request to [`handle`].

pub mod http;
pub mod server;
pub mod store;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Request, Response, WorkerGlobalScope};

/// A fresh resource id from the browser's UUID generator.
fn new_id() -> String {
    js_sys::global()
        .dyn_into::<WorkerGlobalScope>()
        .ok()
        .and_then(|scope| scope.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| format!("{:x}", (js_sys::Math::random() * 1e16) as u64))
}

/// The current time as RFC 3339 with milliseconds, from the JS clock.
fn now() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// Answers one SCIM request. Called by `sw.js` for every same-origin request under `/scim/v2`.
///
/// It always resolves to a `Response`: a request the worker cannot even read gets a SCIM 400, and
/// a storage failure a SCIM 500, so the page never sees the worker die.
#[wasm_bindgen]
pub async fn handle(request: Request) -> Result<Response, JsValue> {
    let answer = match http::read_request(&request).await {
        Ok(exchange) => server::handle(&exchange, new_id, now()).await,
        Err(reason) => http::Answer::error(400, Some("invalidSyntax"), &reason),
    };
    http::write_response(&answer)
}
