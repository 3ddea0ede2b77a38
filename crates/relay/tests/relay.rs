//! The relay against a local target: what reaches the target and what comes back, byte for
//! byte, and every refusal (a foreign origin or Host, a path out of the base, a body too large,
//! a target too slow or gone), each with the target never reached where it must not be.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use scim_relay::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PAGE: &str = "http://127.0.0.1:8080";

/// A request as the target saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A body with every byte value, so nothing can pass as text by accident.
fn binary() -> Vec<u8> {
    (0..=255u8).chain([b'{', b'}', 0, 0xff]).collect()
}

/// A target on a free port that records what it gets. `/v2/slow` answers after 3 s,
/// `/v2/big` answers 2 MB, anything else 201 with a fixed set of headers and [`binary`].
async fn target() -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.expect("accept");
            let log = log.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<Incoming>| {
                    let log = log.clone();
                    async move {
                        let (parts, body) = request.into_parts();
                        let body = body.collect().await.expect("body").to_bytes().to_vec();
                        let path = parts.uri.path_and_query().expect("path").to_string();
                        log.lock().expect("log").push(Seen {
                            method: parts.method.to_string(),
                            path: path.clone(),
                            headers: parts
                                .headers
                                .iter()
                                .map(|(n, v)| {
                                    (n.to_string(), v.to_str().unwrap_or("?").to_string())
                                })
                                .collect(),
                            body,
                        });
                        let response = if path.starts_with("/v2/slow") {
                            tokio::time::sleep(Duration::from_secs(3)).await;
                            Response::new(Full::new(Bytes::from_static(b"late")))
                        } else if path.starts_with("/v2/big") {
                            Response::new(Full::new(Bytes::from(vec![b'x'; 2_000_000])))
                        } else {
                            Response::builder()
                                .status(201)
                                .header("Content-Type", "application/scim+json")
                                .header("Location", "http://upstream.example/v2/Users/1")
                                .header("ETag", "W/\"3\"")
                                .header("Retry-After", "7")
                                .header("Set-Cookie", "a=1")
                                .header("Set-Cookie", "b=2")
                                .header("Access-Control-Allow-Origin", "*")
                                .body(Full::new(Bytes::from(binary())))
                                .expect("response")
                        };
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (format!("http://{address}/v2/"), seen)
}

/// Starts a relay to `target` on a free port, changed by `adjust`; returns its port.
async fn relay(target: &str, adjust: impl FnOnce(&mut Config)) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let mut config = Config::new(target, port).expect("config");
    adjust(&mut config);
    tokio::spawn(scim_relay::serve(listener, config));
    port
}

/// An answer as it came over the wire.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn detail(&self) -> String {
        let json: serde_json::Value = serde_json::from_slice(&self.body).expect("a SCIM error");
        assert_eq!(
            json["schemas"][0],
            "urn:ietf:params:scim:api:messages:2.0:Error"
        );
        assert_eq!(json["status"], self.status.to_string());
        json["detail"].as_str().expect("detail").to_string()
    }
}

/// Sends `head` (request line and headers, without the blank line) and `body` as raw bytes,
/// so a test can send any `Host` at all, and reads the answer to the end.
async fn raw(port: u16, head: &str, body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let mut request = head.replace('\n', "\r\n").into_bytes();
    request.extend_from_slice(
        format!(
            "\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    request.extend_from_slice(body);
    stream.write_all(&request).await.expect("write");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await.expect("read");
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8(bytes[..split].to_vec()).expect("ascii head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .expect("status line")
        .split(' ')
        .nth(1)
        .expect("status")
        .parse()
        .expect("number");
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("a header");
            (name.to_ascii_lowercase(), value.trim().to_string())
        })
        .collect();
    Answer {
        status,
        headers,
        body: bytes[split + 4..].to_vec(),
    }
}

#[tokio::test]
async fn a_request_goes_through_byte_for_byte_as_okta_would_send_it() {
    let (target, seen) = target().await;
    let port = relay(&target, |_| {}).await;
    let head = format!(
        "POST /Users?attributes=userName&x=%2F HTTP/1.1
Host: 127.0.0.1:{port}
Origin: {PAGE}
Referer: {PAGE}/tests
Sec-Fetch-Site: same-site
Sec-Fetch-Mode: cors
sec-ch-ua: \"Chromium\"
User-Agent: Mozilla/5.0 (X11) Chrome/156
X-Relay-User-Agent: Okta SCIM Client 1.0.0
Accept: application/scim+json; charset=utf-8
Content-Type: application/scim+json; charset=utf-8
Authorization: Bearer secret-token
X-Custom: one
X-Custom: two"
    );
    let answer = raw(port, &head, &binary()).await;

    let seen = seen.lock().expect("log").clone();
    assert_eq!(seen.len(), 1);
    let sent = &seen[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v2/Users?attributes=userName&x=%2F");
    assert_eq!(sent.body, binary());
    let names: Vec<&str> = sent.headers.iter().map(|(n, _)| n.as_str()).collect();
    for absent in [
        "origin",
        "referer",
        "sec-fetch-site",
        "sec-fetch-mode",
        "sec-ch-ua",
        "x-relay-user-agent",
    ] {
        assert!(
            !names.contains(&absent),
            "{absent} is not sent on: {names:?}"
        );
    }
    let value = |name: &str| {
        sent.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(value("user-agent"), ["Okta SCIM Client 1.0.0"]);
    assert_eq!(value("authorization"), ["Bearer secret-token"]);
    assert_eq!(value("accept"), ["application/scim+json; charset=utf-8"]);
    assert_eq!(value("x-custom"), ["one", "two"]);
    assert_eq!(
        value("host"),
        [target
            .trim_start_matches("http://")
            .split('/')
            .next()
            .expect("host")]
    );

    assert_eq!(answer.status, 201);
    assert_eq!(answer.body, binary());
    assert_eq!(
        answer.header("location"),
        Some("http://upstream.example/v2/Users/1")
    );
    assert_eq!(answer.header("etag"), Some("W/\"3\""));
    assert_eq!(
        answer
            .headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .count(),
        2
    );
    // The relay answers CORS, for this page only, and lets it read every header.
    assert_eq!(answer.header("access-control-allow-origin"), Some(PAGE));
    let exposed = answer
        .header("access-control-expose-headers")
        .expect("exposed");
    for name in ["retry-after", "etag", "location"] {
        assert!(exposed.contains(name), "{name} in {exposed}");
    }
}

#[tokio::test]
async fn a_preflight_is_answered_for_allowed_origins_only() {
    let (target, seen) = target().await;
    let port = relay(&target, |c| {
        c.allowed_origins.push("https://me.github.io".into())
    })
    .await;
    let preflight = |origin: &str| {
        format!(
            "OPTIONS /Users HTTP/1.1
Host: localhost:{port}
Origin: {origin}
Access-Control-Request-Method: PATCH
Access-Control-Request-Headers: authorization, content-type
Access-Control-Request-Private-Network: true"
        )
    };
    let allowed = raw(port, &preflight("https://me.github.io"), b"").await;
    assert_eq!(allowed.status, 204);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://me.github.io")
    );
    assert_eq!(
        allowed.header("access-control-allow-headers"),
        Some("authorization, content-type")
    );
    assert_eq!(
        allowed.header("access-control-allow-private-network"),
        Some("true")
    );

    let refused = raw(port, &preflight("https://evil.example"), b"").await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.header("access-control-allow-origin"), None);
    assert!(refused
        .detail()
        .contains("https://evil.example may not use this relay"));
    // A real request from that origin is refused the same way.
    let request = raw(
        port,
        &format!("DELETE /Users/1 HTTP/1.1\nHost: 127.0.0.1:{port}\nOrigin: https://evil.example"),
        b"",
    )
    .await;
    assert_eq!(request.status, 403);
    // And a browser's request that carries no Origin at all.
    let no_origin = raw(port, &format!("GET /Users HTTP/1.1\nHost: 127.0.0.1:{port}\nSec-Fetch-Site: cross-site\nSec-Fetch-Mode: no-cors"), b"").await;
    assert_eq!(no_origin.status, 403);
    assert!(
        seen.lock().expect("log").is_empty(),
        "the target was never reached"
    );
}

#[tokio::test]
async fn a_foreign_host_and_a_path_out_of_the_base_are_refused() {
    let (target, seen) = target().await;
    let port = relay(&target, |_| {}).await;
    let rebound = raw(
        port,
        "GET /Users HTTP/1.1\nHost: attacker.example:8788",
        b"",
    )
    .await;
    assert_eq!(rebound.status, 403);
    assert!(
        rebound.detail().contains("DNS rebinding"),
        "{}",
        rebound.detail()
    );
    for path in ["/../admin", "/Users/%2e%2e/%2e%2e/admin"] {
        let climbing = raw(
            port,
            &format!("GET {path} HTTP/1.1\nHost: 127.0.0.1:{port}"),
            b"",
        )
        .await;
        assert_eq!(climbing.status, 400, "{path}");
    }
    assert!(
        seen.lock().expect("log").is_empty(),
        "the target was never reached"
    );
    // A tool without an Origin (curl) is served.
    let curl = raw(
        port,
        &format!("GET /Users HTTP/1.1\nHost: 127.0.0.1:{port}\nUser-Agent: curl/8"),
        b"",
    )
    .await;
    assert_eq!(curl.status, 201);
    assert_eq!(curl.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn limits_answer_with_scim_errors_and_the_relay_goes_on() {
    let (target, seen) = target().await;
    let port = relay(&target, |c| {
        c.timeout = Duration::from_secs(1);
        c.max_body = 1_000_000;
    })
    .await;
    let host = format!("Host: 127.0.0.1:{port}\nOrigin: {PAGE}");
    let slow = raw(port, &format!("GET /slow HTTP/1.1\n{host}"), b"").await;
    assert_eq!(slow.status, 504);
    assert!(
        slow.detail().contains("did not answer within 1 s"),
        "{}",
        slow.detail()
    );
    // The page can read the relay's own errors, and tell them from the target's.
    assert_eq!(slow.header("access-control-allow-origin"), Some(PAGE));
    assert_eq!(slow.header("x-scim-relay-error"), Some("true"));

    let oversize = raw(
        port,
        &format!("POST /Users HTTP/1.1\n{host}"),
        &vec![b'a'; 1_000_001],
    )
    .await;
    assert_eq!(oversize.status, 413);
    assert!(
        !seen.lock().expect("log").iter().any(|s| s.method == "POST"),
        "the oversize body was not sent on"
    );

    let big = raw(port, &format!("GET /big HTTP/1.1\n{host}"), b"").await;
    assert_eq!(big.status, 502);
    assert!(
        big.detail().contains("larger than the relay's limit"),
        "{}",
        big.detail()
    );

    let fine = raw(port, &format!("GET /Users HTTP/1.1\n{host}"), b"").await;
    assert_eq!(fine.status, 201, "the relay still serves");
}

#[tokio::test]
async fn a_target_that_is_not_running_is_named() {
    // A port that was free a moment ago, so nothing listens on it.
    let free = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("address")
        .port();
    let port = relay(&format!("http://127.0.0.1:{free}/scim"), |_| {}).await;
    let answer = raw(
        port,
        &format!("GET /Users HTTP/1.1\nHost: 127.0.0.1:{port}\nOrigin: {PAGE}"),
        b"",
    )
    .await;
    assert_eq!(answer.status, 502);
    let detail = answer.detail();
    assert!(
        detail.contains(&format!(
            "could not reach the target http://127.0.0.1:{free}/scim"
        )),
        "{detail}"
    );
}

#[tokio::test]
async fn health_says_where_the_relay_forwards() {
    let (target, seen) = target().await;
    let port = relay(&target, |_| {}).await;
    let answer = raw(
        port,
        &format!("GET /health HTTP/1.1\nHost: 127.0.0.1:{port}\nOrigin: {PAGE}"),
        b"",
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("access-control-allow-origin"), Some(PAGE));
    let json: serde_json::Value = serde_json::from_slice(&answer.body).expect("json");
    assert_eq!(json["relay"], "scim-relay");
    assert_eq!(json["target"], target.trim_end_matches('/'));
    assert_eq!(json["allowedOrigins"][0], PAGE);
    assert!(seen.lock().expect("log").is_empty());
}
