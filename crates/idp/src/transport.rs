//! How the simulator reaches a SCIM server: one object-safe async trait.
//!
//! In the app the transport is a real `fetch`, so the browser's DevTools and the playground's
//! traffic panel see every exchange; in native tests it is the SCIM engine in process. The
//! simulator never knows which, and it never needs a runtime: [`block_on`] is enough to drive a
//! transport whose futures are ready at once.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use serde::{Deserialize, Serialize};

/// One HTTP request as the simulator sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    /// The method, upper case, e.g. `GET`.
    pub method: String,
    /// The absolute URL, query included, e.g. `https://app.example/scim/v2/Users?count=1`.
    pub url: String,
    /// The headers in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The JSON body, when there is one.
    pub body: Option<String>,
    /// The System Log's id for this exchange. It is not sent as a header (Okta sends no such
    /// thing); a transport may record it beside the traffic so the UI can link the two.
    #[serde(default)]
    pub exchange_id: Option<u64>,
}

impl HttpRequest {
    /// The first header called `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// One HTTP response as the transport hands it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers in the order they were received.
    pub headers: Vec<(String, String)>,
    /// The body as text; empty for 204.
    pub body: String,
    /// The response came from another origin than the page's, where a browser shows only the
    /// headers the server lists in `Access-Control-Expose-Headers` (and a few safe ones): a
    /// header missing here may have been sent. Okta, calling from its servers, sees them all.
    #[serde(default)]
    pub cross_origin: bool,
}

impl HttpResponse {
    /// The first header called `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body parsed as JSON, or `None` when it is not JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why a request got no HTTP response at all. An HTTP error status is not a transport error:
/// it arrives as an [`HttpResponse`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TransportError {
    /// The server could not be reached: DNS failure, refused connection, CORS rejection, or a
    /// `fetch` that threw.
    #[error("network error: {0}")]
    Network(String),
    /// The server did not answer in time (Okta gives up after 60 seconds).
    #[error("the request timed out")]
    Timeout,
    /// The URL could not be used, e.g. a base URL that is not absolute.
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
}

/// The boxed future a [`Transport`] returns.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + 'a>>;

/// Sends one request and yields its response. Object-safe, so the simulator holds a
/// `&dyn Transport` and the host decides what is behind it.
pub trait Transport {
    /// Sends `req`.
    fn send(&self, req: HttpRequest) -> SendFuture<'_>;
}

/// Runs a future to completion on the current thread by polling it until it is ready.
///
/// This is meant for transports whose futures complete without waiting on anything outside
/// (the in-process SCIM engine, a simulated clock); it spins on a future that really waits, so
/// a host with real I/O drives the simulator's futures with its own executor instead.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut cx = Context::from_waker(Waker::noop());
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// Percent-encodes `text` for a URL query value: everything but RFC 3986's unreserved
/// characters is escaped, so a space is `%20` as Okta sends it, never `+`.
pub use wire::percent::encode as encode_query_value;

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;

    impl Transport for Echo {
        fn send(&self, req: HttpRequest) -> SendFuture<'_> {
            Box::pin(async move {
                Ok(HttpResponse {
                    status: 200,
                    headers: vec![("Content-Type".into(), "text/plain".into())],
                    body: req.url,
                    cross_origin: false,
                })
            })
        }
    }

    #[test]
    fn block_on_drives_a_ready_transport_through_a_trait_object() {
        let transport: &dyn Transport = &Echo;
        let req = HttpRequest {
            method: "GET".into(),
            url: "http://x/Users".into(),
            headers: Vec::new(),
            body: None,
            exchange_id: None,
        };
        let res = block_on(transport.send(req));
        assert_eq!(res.map(|r| r.body), Ok("http://x/Users".to_string()));
    }

    #[test]
    fn header_lookup_ignores_case() {
        let res = HttpResponse {
            status: 429,
            headers: vec![("Retry-After".into(), "3".into())],
            body: String::new(),
            cross_origin: false,
        };
        assert_eq!(res.header("retry-after"), Some("3"));
        assert!(!res.is_success());
    }

    #[test]
    fn query_values_encode_spaces_quotes_and_at_signs_like_okta() {
        assert_eq!(
            encode_query_value(r#"userName eq "jane@x.com""#),
            "userName%20eq%20%22jane%40x.com%22"
        );
    }
}
