//! The seam between the browser's `Request`/`Response` and the engine's plain Rust ones.
//!
//! Everything the server sees is copied out of the `web_sys::Request` here, and everything it
//! answers is turned into a `web_sys::Response` here, so the rest of the crate deals only in
//! bytes, strings and status codes.

use js_sys::{Array, Uint8Array};
use scim::{Request, Response};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, ResponseInit, Url};

/// The path prefix of the SCIM server, under the base ([`crate::base`]).
pub const SCIM_PREFIX: &str = "/scim/v2";
/// The path prefix of the playground's own endpoints (admin and OAuth).
pub const ADMIN_PREFIX: &str = protocol::admin::PREFIX;

pub use scim::SCIM_CONTENT_TYPE;

/// The header every answer of the worker carries, and its value.
pub const SERVER_HEADER: &str = "X-Playground-Server";
pub const SERVER_NAME: &str = concat!("scim-sw/", env!("CARGO_PKG_VERSION"));

/// Which of the worker's two servers a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `/scim/v2/...`: the SCIM engine.
    Scim,
    /// `/_playground/...`: admin and OAuth endpoints.
    Admin,
}

/// Builds a SCIM Error response (RFC 7644 §3.12: `status` is a JSON string, `scimType` only
/// where one applies) for failures the engine cannot report itself: an unreadable request, a
/// storage failure, an admin request that makes no sense. The engine's own errors come from
/// `scim::ScimError::to_response`.
pub fn error(status: u16, scim_type: Option<&str>, detail: &str) -> Response {
    let mut body = serde_json::json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": status.to_string(),
        "detail": detail,
    });
    if let (Some(kind), Some(map)) = (scim_type, body.as_object_mut()) {
        map.insert("scimType".into(), kind.into());
    }
    Response::json(status, &body)
}

fn js_error(context: &str, value: JsValue) -> String {
    let text = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"));
    format!("{context}: {text}")
}

/// Copies a browser request into the engine's [`Request`], body included, with no size limit.
/// The worker itself reads the head and the body apart ([`read_head`], [`read_body`]), so that
/// a body over its limit is refused before it is copied into wasm memory.
pub async fn read_request(request: &web_sys::Request) -> Result<(Route, Request), String> {
    let (route, mut head) = read_head(request)?;
    head.body = read_body(request, &head.method, usize::MAX)
        .await
        .map_err(|refusal| String::from_utf8_lossy(&refusal.body).into_owned())?;
    Ok((route, head))
}

/// What the worker knows of how a request was made (its mode: a navigation, the app's fetch…),
/// which `guard` uses to tell the app's own requests from another site's navigations.
pub fn fetch_of(request: &web_sys::Request) -> crate::guard::Fetch {
    crate::guard::Fetch {
        mode: js_sys::Reflect::get(request, &"mode".into())
            .ok()
            .and_then(|mode| mode.as_string())
            .unwrap_or_default(),
    }
}

/// Copies a browser request's URL, method and headers into the engine's [`Request`], with the
/// path relative to its prefix and an empty body. Fails only if the browser refuses to hand
/// over the URL, which the caller reports as a 400.
pub fn read_head(request: &web_sys::Request) -> Result<(Route, Request), String> {
    let url = Url::new(&request.url()).map_err(|e| js_error("bad URL", e))?;
    let full = url.pathname();
    // sw.js hands over only requests under the base; the routes below are relative to it.
    let pathname = protocol::base::strip(crate::base::path(), &full)
        .unwrap_or(&full)
        .to_string();
    let (route, prefix) = if pathname.starts_with(ADMIN_PREFIX) {
        (Route::Admin, ADMIN_PREFIX)
    } else {
        (Route::Scim, SCIM_PREFIX)
    };
    let path = pathname
        .strip_prefix(prefix)
        .unwrap_or(&pathname)
        .to_string();
    let query = url.search().trim_start_matches('?').to_string();
    let base_url = format!(
        "{}{}",
        url.origin(),
        protocol::base::join(crate::base::path(), SCIM_PREFIX)
    );

    let mut headers = Vec::new();
    let entries = request.headers().entries();
    while let Ok(step) = entries.next() {
        if step.done() {
            break;
        }
        let pair = Array::from(&step.value());
        if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            headers.push((name, value));
        }
    }

    Ok((
        route,
        Request {
            method: request.method(),
            base_url,
            path,
            query,
            headers,
            body: Vec::new(),
        },
    ))
}

/// Reads a request's body, refusing one longer than `limit` bytes with a 413 before it is
/// copied into wasm memory: the browser holds the bytes until then, so a huge body cannot make
/// the worker's memory grow until it traps.
///
/// # Errors
///
/// 413 over the limit, 400 when the browser cannot hand the body over.
pub async fn read_body(
    request: &web_sys::Request,
    method: &str,
    limit: usize,
) -> Result<Vec<u8>, Response> {
    if method == "GET" || method == "HEAD" {
        return Ok(Vec::new());
    }
    let unreadable = |e| error(400, Some("invalidSyntax"), &js_error("unreadable body", e));
    let promise = request.array_buffer().map_err(unreadable)?;
    let buffer: js_sys::ArrayBuffer = JsFuture::from(promise)
        .await
        .map_err(unreadable)?
        .unchecked_into();
    let length = buffer.byte_length() as usize;
    if length > limit {
        return Err(error(
            413,
            None,
            &format!("the body is {length} bytes; this endpoint accepts at most {limit}, so it was not read"),
        ));
    }
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Turns the engine's [`Response`] into the browser's.
pub fn write_response(answer: &Response) -> Result<web_sys::Response, JsValue> {
    let headers = Headers::new()?;
    for (name, value) in &answer.headers {
        headers.append(name, value)?;
    }
    // Says the answer came from this worker, not from the network (the page's probe checks it).
    headers.set(SERVER_HEADER, SERVER_NAME)?;
    // Defence in depth (SECURITY.md): no answer is ever sniffed into another type, and none
    // (the OAuth consent page above all) may be framed by another site to trick a click.
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("X-Frame-Options", "DENY")?;
    if !headers.has("Content-Security-Policy")? {
        headers.set("Content-Security-Policy", "frame-ancestors 'none'")?;
    }
    let init = ResponseInit::new();
    init.set_status(answer.status);
    init.set_headers(&headers);
    // 204 and 304 must not carry a body; the Response constructor throws if given one.
    if answer.body.is_empty() || answer.status == 204 || answer.status == 304 {
        web_sys::Response::new_with_opt_str_and_init(None, &init)
    } else {
        // An owned copy in JavaScript's memory, never a view into wasm memory: WebKit (Safari's
        // engine) does not copy a body at construction, as the Fetch standard asks, but reads it
        // when the page consumes it; by then the allocator has reused that memory and the page
        // got garbage in place of the first bytes. `Uint8Array::from` copies once.
        let body = Uint8Array::from(answer.body.as_slice());
        web_sys::Response::new_with_opt_buffer_source_and_init(Some(&body), &init)
    }
}
