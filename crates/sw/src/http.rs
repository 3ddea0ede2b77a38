//! The seam between the browser's `Request`/`Response` and the server's plain Rust exchange.
//!
//! Everything the server sees is copied out of the `web_sys::Request` here, and everything it
//! answers is turned into a `web_sys::Response` here, so the rest of the crate deals only in
//! bytes, strings and status codes.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, Response, ResponseInit, Url};

/// The path prefix the worker answers; everything else goes to the network.
pub const SCIM_PREFIX: &str = "/scim/v2";

/// The SCIM media type of every response body (RFC 7644 §3.1).
pub const SCIM_CONTENT_TYPE: &str = "application/scim+json";

/// A request as the server sees it.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    /// The origin plus the SCIM prefix, e.g. `http://127.0.0.1:8080/scim/v2`, for `Location`s.
    pub base_url: String,
    /// The path after the prefix, e.g. `/Users/abc` (empty for the prefix itself).
    pub path: String,
    /// The raw query string without its `?`.
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// An answer as the server produces it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// A SCIM JSON answer with the SCIM content type.
    pub fn json(status: u16, value: &serde_json::Value) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), SCIM_CONTENT_TYPE.into())],
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    /// An RFC 7644 §3.12 error: `status` is a JSON string, `scimType` only where one applies.
    pub fn error(status: u16, scim_type: Option<&str>, detail: &str) -> Answer {
        let mut body = serde_json::json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": status.to_string(),
            "detail": detail,
        });
        if let (Some(kind), Some(map)) = (scim_type, body.as_object_mut()) {
            map.insert("scimType".into(), kind.into());
        }
        Answer::json(status, &body)
    }
}

fn js_error(context: &str, value: JsValue) -> String {
    let text = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"));
    format!("{context}: {text}")
}

/// Copies a browser request into an [`Exchange`]. Fails only if the browser refuses to hand over
/// the URL or the body, which the caller reports as a 400.
pub async fn read_request(request: &Request) -> Result<Exchange, String> {
    let url = Url::new(&request.url()).map_err(|e| js_error("bad URL", e))?;
    let pathname = url.pathname();
    let path = pathname
        .strip_prefix(SCIM_PREFIX)
        .unwrap_or(&pathname)
        .to_string();
    let query = url.search().trim_start_matches('?').to_string();
    let base_url = format!("{}{}", url.origin(), SCIM_PREFIX);

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

    let method = request.method();
    let body = if method == "GET" || method == "HEAD" {
        Vec::new()
    } else {
        let promise = request
            .array_buffer()
            .map_err(|e| js_error("unreadable body", e))?;
        let buffer = JsFuture::from(promise)
            .await
            .map_err(|e| js_error("unreadable body", e))?;
        Uint8Array::new(&buffer).to_vec()
    };

    Ok(Exchange {
        method,
        base_url,
        path,
        query,
        headers,
        body,
    })
}

/// Turns an [`Answer`] into the browser's `Response`.
pub fn write_response(answer: &Answer) -> Result<Response, JsValue> {
    let headers = Headers::new()?;
    for (name, value) in &answer.headers {
        headers.append(name, value)?;
    }
    let init = ResponseInit::new();
    init.set_status(answer.status);
    init.set_headers(&headers);
    // 204 and 304 must not carry a body; the Response constructor throws if given one.
    if answer.body.is_empty() || answer.status == 204 || answer.status == 304 {
        Response::new_with_opt_str_and_init(None, &init)
    } else {
        let mut body = answer.body.clone();
        Response::new_with_opt_u8_array_and_init(Some(&mut body), &init)
    }
}
