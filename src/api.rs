//! The page's transport: real `fetch` requests to the worker, so DevTools and the traffic log see
//! every exchange exactly as it goes over the wire.

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

/// A response read in full.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The answer came from another origin (CORS): only the headers it exposes are here.
    pub cross_origin: bool,
}

impl Reply {
    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// A successful answer read as one of the contract's types (`protocol`); otherwise what
    /// went wrong, in words (the SCIM error's `detail` when there is one).
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        if self.status >= 300 {
            let detail = self
                .json()
                .and_then(|v| v.get("detail")?.as_str().map(str::to_string))
                .unwrap_or_else(|| self.body.chars().take(200).collect());
            return Err(format!("status {}: {detail}", self.status));
        }
        let content_type = self
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map_or("", |(_, value)| value.as_str());
        if !content_type.contains("json") {
            return Err(format!(
                "the page's host answered ({content_type:?}), not the server in this tab"
            ));
        }
        serde_json::from_str(&self.body)
            .map_err(|e| format!("the answer is not what this page expects: {e}"))
    }
}

/// Calls one of the playground's own endpoints (`protocol::admin`) with `query` (without its
/// `?`, may be empty) and, when given, a JSON body: the endpoints read a body only when it says
/// it is JSON. On a first visit it waits for the worker to control the page: before that the
/// host would answer (a single-page host with `index.html`).
pub async fn admin(
    endpoint: protocol::admin::Endpoint,
    query: &str,
    body: Option<&str>,
    client: &str,
) -> Result<Reply, String> {
    crate::worker::controlled().await;
    let mut url = endpoint.url();
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    let headers = match body {
        Some(_) => vec![("Content-Type".to_string(), "application/json".to_string())],
        None => Vec::new(),
    };
    send(endpoint.method(), &url, &headers, body, client).await
}

/// The built-in server's settings, as the page reads and edits them.
pub async fn server_settings() -> Result<protocol::settings::SettingsDocument, String> {
    admin(protocol::admin::Endpoint::Settings, "", None, "page")
        .await?
        .parse()
}

fn describe(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Whether `url` (relative, or absolute) points at this page's origin.
pub fn is_same_origin(url: &str) -> bool {
    if !url.contains("://") {
        return true;
    }
    let origin = leptos::prelude::window()
        .location()
        .origin()
        .unwrap_or_default();
    url.strip_prefix(&origin)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
}

/// Sends one request and reads the whole answer. `client` names the caller in the traffic log.
/// A root-absolute `url` (`/scim/v2/Users`) is a path of the app, sent under this copy's base
/// (`/scim-playground/scim/v2/Users`); a full URL goes where it says.
pub async fn send(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
    client: &str,
) -> Result<Reply, String> {
    let url = &if url.starts_with('/') && !url.starts_with("//") {
        crate::base::join(url)
    } else {
        url.to_string()
    };
    // An external server's requests go through the local relay when this browser chose it
    // and it forwards there (`crate::relay`); the caller still sees the server's own URL.
    let relayed = crate::relay::route(url).await;
    let url = relayed.as_ref().unwrap_or(url);
    let init = RequestInit::new();
    init.set_method(method);
    let request_headers = Headers::new().map_err(describe)?;
    for (name, value) in headers {
        // A browser sends its own User-Agent whatever the page sets; the relay puts this one
        // in its place.
        let name = if relayed.is_some() && name.eq_ignore_ascii_case("user-agent") {
            idp::relay::USER_AGENT_HEADER
        } else {
            name
        };
        request_headers.append(name, value).map_err(describe)?;
    }
    // The client tag tells the worker's traffic log who sent a request. It is only added for
    // this origin: on a request to an external server it would be a custom header that the
    // server never asked for and that forces a CORS preflight.
    if is_same_origin(url) {
        request_headers
            .set(protocol::traffic::CLIENT_HEADER, client)
            .map_err(describe)?;
    }
    init.set_headers(&request_headers);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let response: Response =
        JsFuture::from(leptos::prelude::window().fetch_with_str_and_init(url, &init))
            .await
            .map_err(describe)?
            .dyn_into()
            .map_err(describe)?;
    let mut reply_headers = Vec::new();
    if let Ok(Some(entries)) = js_sys::try_iter(&response.headers()) {
        for entry in entries.flatten() {
            let pair = js_sys::Array::from(&entry);
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                reply_headers.push((name, value));
            }
        }
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(describe)?)
        .await
        .map_err(describe)?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    // The relay could not reach the server, or it did not answer in time: to the caller that
    // is the same as no answer (Okta, calling directly, would have had none), said in the
    // relay's words.
    let relay_error = response
        .headers()
        .get(idp::relay::ERROR_HEADER)
        .ok()
        .flatten()
        .is_some();
    if relayed.is_some() && relay_error && matches!(response.status(), 502 | 504) {
        let detail = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v.get("detail")?.as_str().map(str::to_string))
            .unwrap_or_else(|| format!("the local relay answered {}", response.status()));
        return Err(detail);
    }
    // A change the built-in server kept is worth keeping: ask the browser to keep it.
    if method != "GET" && response.ok() && url.contains("/scim/v2/") && is_same_origin(url) {
        crate::storage::ask_to_persist();
    }
    Ok(Reply {
        status: response.status(),
        headers: reply_headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        cross_origin: response.type_() == web_sys::ResponseType::Cors,
    })
}

/// The headers a panel sends the built-in server "from inside the app": SCIM JSON, and the
/// credential the server requires, whatever auth is configured.
pub async fn builtin_headers() -> Vec<(String, String)> {
    let mut headers = vec![(
        "Content-Type".to_string(),
        "application/scim+json".to_string(),
    )];
    if let Some(auth) = server_authorization().await {
        headers.push(("Authorization".to_string(), auth));
    }
    headers
}

/// The built-in server's own credential as an `Authorization` value, from its settings: what a
/// client must send. `None` when the server needs none (or uses OAuth, whose tokens are issued
/// per client).
pub async fn server_authorization() -> Option<String> {
    server_settings().await.ok()?.auth.authorization()
}
