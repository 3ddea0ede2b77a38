//! Who may call the playground's own endpoints (`/_playground/...`): the app itself, never
//! another website (SECURITY.md, "Cross-site requests").
//!
//! A service worker sees only two kinds of request for its origin: those of pages (and workers)
//! it controls — the app, on its own origin — and **navigations** into its scope, which any
//! website can start: a link, `window.open`, or a `<form>` (even a POST with a `text/plain` body
//! shaped as JSON) submitted to this origin. Requests another origin's scripts make with
//! `fetch` or `<img>` are not dispatched to this worker at all. So the rule is: a navigation
//! reaches an endpoint only where navigating is the point (the OAuth consent page and its form,
//! which carries a one-time nonce), and a body must have the content type the endpoint reads,
//! which no plain HTML form can send as JSON. A refused request changes nothing and is not
//! logged.

use scim::Response;

use crate::http;

/// What the worker knows of a request beyond its method, path, headers and body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fetch {
    /// The request's mode: `navigate` for a page navigation, `cors` or `same-origin` for the
    /// app's `fetch`, `no-cors` for an `<img>`, a `<script>` or a classic form in a frame.
    pub mode: String,
}

impl Fetch {
    pub fn is_navigation(&self) -> bool {
        self.mode == "navigate"
    }
}

/// The content types an endpoint reads its body as.
fn expected_body(path: &str) -> &'static [&'static str] {
    match path {
        // OAuth 2.0 (RFC 6749 §4.1.3, RFC 7009 §2.1): form-encoded.
        "/oauth/token" | "/oauth/revoke" | "/oauth/authorize" => {
            &["application/x-www-form-urlencoded"]
        }
        _ => &["application/json", "application/scim+json"],
    }
}

/// Whether `content_type` (a header value, parameters allowed) is one of `allowed`.
fn is_one_of(content_type: &str, allowed: &[&str]) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    allowed.contains(&essence.as_str())
}

/// Decides whether a `/_playground` request may proceed; `path` is relative to `/_playground`.
///
/// # Errors
///
/// The 403 or 415 to answer instead, in words a person who followed a link can read.
pub fn admin(
    fetch: &Fetch,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body_len: usize,
) -> Result<(), Response> {
    let path = path.trim_end_matches('/');
    if fetch.is_navigation() {
        // The consent page is opened by navigation, and its form posts back by navigation; the
        // form's one-time nonce (oauth.rs) is what another site cannot forge.
        let consent = path == "/oauth/authorize" && (method == "GET" || method == "POST");
        if !consent {
            return Err(refused_navigation(method, path));
        }
    } else if fetch.mode == "no-cors" {
        return Err(http::error(
            403,
            None,
            "the playground's endpoints answer only the app's own fetch requests, not no-cors ones",
        ));
    }
    if body_len > 0 || matches!(method, "POST" | "PUT" | "PATCH") && content_type.is_some() {
        let allowed = expected_body(path);
        if !content_type.is_some_and(|ct| is_one_of(ct, allowed)) {
            return Err(http::error(
                415,
                None,
                &format!(
                    "a body sent to {}_playground{path} must be {} (got {}); nothing was changed",
                    crate::base::path(),
                    allowed.join(" or "),
                    content_type.unwrap_or("no Content-Type")
                ),
            ));
        }
    }
    Ok(())
}

/// The page a person sees when a link or a form from elsewhere points at an endpoint.
fn refused_navigation(method: &str, path: &str) -> Response {
    let mut response = Response::empty(403);
    response.body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Refused — SCIM Playground</title></head><body style=\"font-family:system-ui,\
         sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem\">\
         <h1>Refused: nothing was changed</h1>\
         <p><code>{method} {base}_playground{path}</code> is one of the playground's own \
         endpoints. It answers only the SCIM Playground app itself, never a link or a form on a \
         web page, so another site cannot change or read your playground's data.</p>\
         <p><a href=\"{base}\">Open SCIM Playground</a></p></body></html>",
        method = crate::form::html(method),
        base = crate::form::html(crate::base::path()),
        path = crate::form::html(path)
    )
    .into_bytes();
    response.set_header("Content-Type", "text/html; charset=utf-8");
    response
}
