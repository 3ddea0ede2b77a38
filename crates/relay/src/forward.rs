//! The relay's HTTP side: accepts the page's requests on 127.0.0.1, applies [`crate::rules`],
//! and forwards what they let through to the target, with a timeout and a body limit.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http::{header, HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;

use crate::rules::{self, Caller};
use crate::Config;

type Upstream = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// An answer the relay makes itself: its status and why, for the caller and the log.
struct Refusal {
    status: StatusCode,
    detail: String,
}

impl Refusal {
    fn new(status: StatusCode, detail: impl Into<String>) -> Refusal {
        Refusal {
            status,
            detail: detail.into(),
        }
    }
}

struct Relay {
    config: Config,
    client: Upstream,
}

/// Serves the relay on `listener` until the process ends. Each connection is served on its
/// own task, so a slow target holds up only its own exchange.
///
/// # Errors
///
/// When the listener itself fails.
pub async fn serve(listener: TcpListener, config: Config) -> std::io::Result<()> {
    let relay = Arc::new(Relay::new(config));
    loop {
        let (stream, _) = listener.accept().await?;
        let relay = relay.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let relay = relay.clone();
                async move { Ok::<_, Infallible>(relay.handle(request).await) }
            });
            // A connection the caller drops mid-way ends here; the relay goes on.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

impl Relay {
    fn new(config: Config) -> Relay {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(config.timeout));
        // The system's roots, or none if it has none: an http target needs none, and an https
        // one then fails with the TLS error in its answer, which says what is missing.
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        let builder = match builder.with_native_roots() {
            Ok(builder) => builder,
            Err(error) => {
                eprintln!("scim-relay: no root certificates ({error}); an https target will fail");
                hyper_rustls::HttpsConnectorBuilder::new()
                    .with_tls_config(rustls_config_without_roots())
            }
        };
        let connector = builder.https_or_http().enable_http1().wrap_connector(http);
        Relay {
            client: Client::builder(TokioExecutor::new()).build(connector),
            config,
        }
    }

    /// Answers one request and logs one line: method, path (never the query, headers or
    /// body, which may hold personal data or a credential), status, time, and why when the
    /// relay answered itself.
    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let started = Instant::now();
        let method = request.method().clone();
        let path = request.uri().path().to_string();
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let caller = rules::caller(
            header("origin").as_deref(),
            header("sec-fetch-site").as_deref(),
            &self.config.allowed_origins,
        );
        let (response, why) = match self.answer(request, &caller).await {
            Ok(response) => (response, String::new()),
            Err(refusal) => {
                let why = format!(": {}", refusal.detail);
                (self.refusal_response(refusal, &caller), why)
            }
        };
        eprintln!(
            "{method} {path} → {} ({} ms){why}",
            response.status().as_u16(),
            started.elapsed().as_millis()
        );
        response
    }

    async fn answer(
        &self,
        request: Request<Incoming>,
        caller: &Caller,
    ) -> Result<Response<Full<Bytes>>, Refusal> {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok());
        if !rules::host_is_local(host, self.config.port) {
            return Err(Refusal::new(
                StatusCode::FORBIDDEN,
                format!(
                    "the Host {} is not this relay's (127.0.0.1:{}); a page of another site that has its own name point at 127.0.0.1 (DNS rebinding) is refused",
                    host.unwrap_or("(none)"),
                    self.config.port
                ),
            ));
        }
        if let Caller::Refused(reason) = caller {
            return Err(Refusal::new(StatusCode::FORBIDDEN, reason.clone()));
        }
        let preflight = request.method() == Method::OPTIONS
            && request
                .headers()
                .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
        if preflight {
            let mut response = Response::new(Full::new(Bytes::new()));
            *response.status_mut() = StatusCode::NO_CONTENT;
            if let Caller::Page(origin) = caller {
                *response.headers_mut() = rules::preflight(request.headers(), origin);
            }
            return Ok(response);
        }
        if request.uri().path() == "/health" && request.method() == Method::GET {
            return Ok(self.health(caller));
        }
        let path_and_query = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        if rules::leaves_the_base(&path_and_query) {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "a path with a '.' or '..' segment could leave the target's base URL, so it is refused",
            ));
        }
        let max = self.config.max_body;
        let too_large = || {
            Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request's body is larger than the relay's limit of {max} bytes (--max-body)"),
            )
        };
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|length| length > max as u64) {
            return Err(too_large());
        }
        let (parts, body) = request.into_parts();
        let body = Limited::new(body, max)
            .collect()
            .await
            .map_err(|_| too_large())?
            .to_bytes();

        let url = format!("{}{}", self.config.target, path_and_query);
        let mut forwarded = Request::builder()
            .method(parts.method.clone())
            .uri(&url)
            .body(Full::new(body))
            .map_err(|e| {
                Refusal::new(
                    StatusCode::BAD_REQUEST,
                    format!("the request cannot be forwarded: {e}"),
                )
            })?;
        *forwarded.headers_mut() = rules::to_target(&parts.headers);

        let timeout = self.config.timeout;
        let exchange = async {
            let answer = self.client.request(forwarded).await.map_err(|error| {
                Refusal::new(
                    StatusCode::BAD_GATEWAY,
                    format!(
                        "could not reach the target {}: {}",
                        self.config.target,
                        chain(&error)
                    ),
                )
            })?;
            let (parts, body) = answer.into_parts();
            let body = Limited::new(body, max).collect().await.map_err(|_| {
                Refusal::new(
                    StatusCode::BAD_GATEWAY,
                    format!("the target's answer is larger than the relay's limit of {max} bytes (--max-body), or was cut off"),
                )
            })?;
            Ok::<_, Refusal>((parts, body.to_bytes()))
        };
        let (answer, body) = tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| {
                Refusal::new(
                    StatusCode::GATEWAY_TIMEOUT,
                    format!(
                        "the target did not answer within {} s (--timeout)",
                        timeout.as_secs()
                    ),
                )
            })??;
        let mut response = Response::new(Full::new(body));
        *response.status_mut() = answer.status;
        *response.headers_mut() = rules::to_caller(&answer.headers, caller);
        Ok(response)
    }

    /// What the page probes: that this is the relay, where it forwards, and to whom.
    fn health(&self, caller: &Caller) -> Response<Full<Bytes>> {
        let body = serde_json::json!({
            "relay": "scim-relay",
            "version": env!("CARGO_PKG_VERSION"),
            "target": self.config.target,
            "allowedOrigins": self.config.allowed_origins,
        });
        let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        rules::allow(response.headers_mut(), caller);
        response
    }

    /// The relay's own answer as an RFC 7644 §3.12 error, readable by an allowed page.
    fn refusal_response(&self, refusal: Refusal, caller: &Caller) -> Response<Full<Bytes>> {
        let body = serde_json::json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": refusal.status.as_u16().to_string(),
            "detail": format!("scim-relay: {}", refusal.detail),
        });
        let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
        *response.status_mut() = refusal.status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/scim+json"),
        );
        headers.insert(rules::ERROR_HEADER, HeaderValue::from_static("true"));
        rules::allow(headers, caller);
        response
    }
}

/// An error and its causes in one line ("client error (Connect): tcp connect error: Connection
/// refused"), since the outermost alone rarely says what happened.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A TLS client configuration that trusts nothing, for a machine without root certificates.
fn rustls_config_without_roots() -> rustls::ClientConfig {
    rustls::ClientConfig::builder()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth()
}
