//! What the relay lets through, decided without any I/O: which callers it answers, which
//! headers go on to the target and back, and what a CORS preflight is told. Each rule is a
//! function, so each can be tested as a table.

use http::header::{self, HeaderMap, HeaderName, HeaderValue};

/// The header that carries the `User-Agent` the page wants sent: a browser will not let a page
/// set `User-Agent` itself, so the page names it here and the relay puts it in place.
pub use idp::relay::USER_AGENT_HEADER;

/// Set on the answers the relay makes itself, so the page can tell them from the target's.
pub use idp::relay::ERROR_HEADER;

/// Whether a request's `Host` names this relay: `127.0.0.1`, `localhost` or `[::1]` with its
/// port. Anything else is a page on another site that had its own name resolve to 127.0.0.1
/// (DNS rebinding), which the relay must not serve.
pub fn host_is_local(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return false };
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host.eq_ignore_ascii_case(&format!("{name}:{port}")))
}

/// Who is calling, as far as the relay can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A page of an allowed origin: answers carry CORS headers for it.
    Page(String),
    /// Not a browser page (curl, a test suite): no `Origin`, no fetch metadata.
    Tool,
    /// Refused, with the reason the relay gives and logs.
    Refused(String),
}

/// Decides who may call: a page whose `Origin` is allowed, or a tool that sent neither an
/// `Origin` nor fetch metadata. A browser sends `Sec-Fetch-Site` with every request, so a page of
/// another site that manages to send no `Origin` (a plain GET) is still refused.
pub fn caller(origin: Option<&str>, sec_fetch_site: Option<&str>, allowed: &[String]) -> Caller {
    match origin {
        Some(origin) => {
            let normalised = origin.trim().to_ascii_lowercase();
            if allowed.contains(&normalised) {
                Caller::Page(origin.to_string())
            } else {
                Caller::Refused(format!(
                    "the origin {origin} may not use this relay (start it with --allow-origin {origin} to allow it)"
                ))
            }
        }
        None => match sec_fetch_site {
            Some(site) if !site.eq_ignore_ascii_case("none") => Caller::Refused(format!(
                "a browser request without an Origin (Sec-Fetch-Site: {site}) is refused"
            )),
            _ => Caller::Tool,
        },
    }
}

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1), so they are never
/// forwarded; `Host` is the target's own, set by the client.
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// Whether `name` is hop-by-hop, by the fixed list or because `Connection` names it.
fn hop_by_hop(name: &HeaderName, connection: &[String]) -> bool {
    HOP_BY_HOP.contains(&name.as_str()) || connection.iter().any(|c| c == name.as_str())
}

/// The header names listed in `Connection` (lower case).
fn connection_names(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect()
}

/// The headers sent on to the target: the page's own, unchanged and in order, without what
/// describes the connection to the relay (hop-by-hop, `Host`, `Content-Length`, which the client
/// sets for the body it sends) and without what the browser added that a client calling from
/// its servers never sends (`idp::client::added_by_a_browser`), except `Accept-Encoding`, which
/// says what the relay's caller can decode. [`USER_AGENT_HEADER`] becomes the `User-Agent`.
pub fn to_target(incoming: &HeaderMap) -> HeaderMap {
    let connection = connection_names(incoming);
    let mut out = HeaderMap::new();
    let wanted_agent = incoming.get(USER_AGENT_HEADER).cloned();
    for (name, value) in incoming {
        let drop = hop_by_hop(name, &connection)
            || name == header::HOST
            || name == header::CONTENT_LENGTH
            || name.as_str() == USER_AGENT_HEADER
            || name.as_str().starts_with("sec-")
            || (idp::client::added_by_a_browser(name.as_str())
                && name != header::ACCEPT_ENCODING
                && !(name == header::USER_AGENT && wanted_agent.is_none()));
        if !drop {
            out.append(name.clone(), value.clone());
        }
    }
    if let Some(agent) = wanted_agent {
        out.insert(header::USER_AGENT, agent);
    }
    out
}

/// The target's headers sent back to the caller: all of them, unchanged and in order, but the
/// hop-by-hop ones, its own CORS headers (the relay answers CORS, not the target) and
/// `Content-Length` (set again for the body as relayed); then, for a page, the CORS headers that
/// let it read the answer — every header exposed, so `Retry-After`, `ETag` and `Location` too.
pub fn to_caller(incoming: &HeaderMap, caller: &Caller) -> HeaderMap {
    let connection = connection_names(incoming);
    let mut out = HeaderMap::new();
    for (name, value) in incoming {
        let drop = hop_by_hop(name, &connection)
            || name == header::CONTENT_LENGTH
            || name.as_str().starts_with("access-control-");
        if !drop {
            out.append(name.clone(), value.clone());
        }
    }
    allow(&mut out, caller);
    out
}

/// Adds what lets `caller`, if it is a page, read this answer and all its headers.
pub fn allow(headers: &mut HeaderMap, caller: &Caller) {
    let Caller::Page(origin) = caller else { return };
    if let Ok(origin) = HeaderValue::from_str(origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    let mut names: Vec<&str> = headers.keys().map(HeaderName::as_str).collect();
    names.dedup();
    names.retain(|n| !n.starts_with("access-control-"));
    if let Ok(exposed) = HeaderValue::from_str(&names.join(", ")) {
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, exposed);
    }
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

/// The answer to an allowed page's CORS preflight: the method and headers it asked for, for
/// ten minutes, and Private Network Access when it asked (a page on a public host calling
/// 127.0.0.1).
pub fn preflight(request: &HeaderMap, origin: &str) -> HeaderMap {
    let mut out = HeaderMap::new();
    if let Ok(origin) = HeaderValue::from_str(origin) {
        out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    out.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"),
    );
    if let Some(asked) = request.get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        out.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
    }
    out.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    if request
        .get("access-control-request-private-network")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"))
    {
        out.insert(
            "access-control-allow-private-network",
            HeaderValue::from_static("true"),
        );
    }
    out.insert(
        header::VARY,
        HeaderValue::from_static(
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        ),
    );
    out
}

/// Whether a path would leave the target's base: a `.` or `..` segment, written plainly or
/// percent-encoded (`%2e`, and `%2f` for the slash), which a server may resolve above the base
/// the relay is fixed to. The query is not a path and is not looked at.
pub fn leaves_the_base(path_and_query: &str) -> bool {
    let path = path_and_query.split('?').next().unwrap_or_default();
    let decoded = path
        .to_ascii_lowercase()
        .replace("%2f", "/")
        .replace("%5c", "/")
        .replace('\\', "/")
        .replace("%2e", ".");
    decoded
        .split('/')
        .any(|segment| segment == "." || segment == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in list {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).expect("name"),
                HeaderValue::from_str(value).expect("value"),
            );
        }
        map
    }

    fn names(map: &HeaderMap) -> Vec<String> {
        map.iter().map(|(n, _)| n.as_str().to_string()).collect()
    }

    #[test]
    fn only_the_relay_s_own_names_are_local_hosts() {
        for (host, local) in [
            (Some("127.0.0.1:8788"), true),
            (Some("localhost:8788"), true),
            (Some("LOCALHOST:8788"), true),
            (Some("[::1]:8788"), true),
            (Some("127.0.0.1:8789"), false),
            (Some("127.0.0.1"), false),
            (Some("evil.example:8788"), false),
            (Some("127.0.0.1.nip.io:8788"), false),
            (None, false),
        ] {
            assert_eq!(host_is_local(host, 8788), local, "{host:?}");
        }
    }

    #[test]
    fn callers_are_allowed_pages_or_tools() {
        let allowed = vec!["http://127.0.0.1:8080".to_string()];
        let table = [
            (Some("http://127.0.0.1:8080"), Some("cross-site"), "page"),
            (Some("HTTP://127.0.0.1:8080"), None, "page"),
            (Some("http://localhost:8080"), Some("cross-site"), "refused"),
            (Some("https://evil.example"), None, "refused"),
            (Some("null"), Some("cross-site"), "refused"),
            (None, None, "tool"),
            (None, Some("none"), "tool"),
            (None, Some("cross-site"), "refused"),
            (None, Some("same-site"), "refused"),
        ];
        for (origin, site, want) in table {
            let got = match caller(origin, site, &allowed) {
                Caller::Page(_) => "page",
                Caller::Tool => "tool",
                Caller::Refused(_) => "refused",
            };
            assert_eq!(got, want, "{origin:?} {site:?}");
        }
        let Caller::Refused(reason) = caller(Some("https://evil.example"), None, &allowed) else {
            panic!("refused")
        };
        assert!(
            reason.contains("--allow-origin https://evil.example"),
            "{reason}"
        );
    }

    #[test]
    fn the_target_gets_the_page_s_headers_as_a_server_would_send_them() {
        let incoming = headers(&[
            ("host", "127.0.0.1:8788"),
            ("connection", "keep-alive, x-hop"),
            ("x-hop", "1"),
            ("content-length", "12"),
            ("accept", "application/scim+json; charset=utf-8"),
            ("authorization", "Bearer t"),
            ("content-type", "application/scim+json; charset=utf-8"),
            ("user-agent", "Mozilla/5.0 Chrome"),
            ("sec-ch-ua", "\"Chromium\""),
            ("sec-fetch-mode", "cors"),
            ("origin", "http://127.0.0.1:8080"),
            ("referer", "http://127.0.0.1:8080/tests"),
            ("accept-encoding", "gzip, br"),
            ("x-relay-user-agent", "Okta SCIM Client 1.0.0"),
            ("x-custom", "a"),
            ("x-custom", "b"),
        ]);
        let out = to_target(&incoming);
        assert_eq!(
            names(&out),
            [
                "accept",
                "authorization",
                "content-type",
                "accept-encoding",
                "x-custom",
                "x-custom",
                "user-agent"
            ]
        );
        assert_eq!(out["user-agent"], "Okta SCIM Client 1.0.0");
        assert_eq!(out["authorization"], "Bearer t");
        // Without a wanted agent, a tool's own User-Agent (curl's) goes through.
        let out = to_target(&headers(&[("user-agent", "curl/8"), ("accept", "*/*")]));
        assert_eq!(out["user-agent"], "curl/8");
    }

    #[test]
    fn the_caller_gets_the_target_s_headers_and_may_read_them_all() {
        let incoming = headers(&[
            ("content-type", "application/scim+json"),
            ("etag", "W/\"1\""),
            ("retry-after", "2"),
            ("transfer-encoding", "chunked"),
            ("content-length", "10"),
            ("access-control-allow-origin", "*"),
            ("set-cookie", "a=1"),
            ("set-cookie", "b=2"),
        ]);
        let page = Caller::Page("http://127.0.0.1:8080".into());
        let out = to_caller(&incoming, &page);
        assert_eq!(out["access-control-allow-origin"], "http://127.0.0.1:8080");
        let exposed = out["access-control-expose-headers"]
            .to_str()
            .expect("ascii");
        assert_eq!(exposed, "content-type, etag, retry-after, set-cookie");
        assert_eq!(out.get_all("set-cookie").iter().count(), 2);
        assert!(out.get("transfer-encoding").is_none());
        assert_eq!(out["vary"], "Origin");
        // A tool gets no CORS headers at all.
        let out = to_caller(&incoming, &Caller::Tool);
        assert!(out.get("access-control-allow-origin").is_none());
        assert_eq!(
            names(&out),
            [
                "content-type",
                "etag",
                "retry-after",
                "set-cookie",
                "set-cookie"
            ]
        );
    }

    #[test]
    fn a_preflight_allows_what_was_asked_and_private_network_access() {
        let request = headers(&[
            ("access-control-request-method", "PATCH"),
            (
                "access-control-request-headers",
                "authorization, content-type, x-relay-user-agent",
            ),
            ("access-control-request-private-network", "true"),
        ]);
        let out = preflight(&request, "https://me.github.io");
        assert_eq!(out["access-control-allow-origin"], "https://me.github.io");
        assert!(out["access-control-allow-methods"]
            .to_str()
            .expect("ascii")
            .contains("PATCH"));
        assert_eq!(
            out["access-control-allow-headers"],
            "authorization, content-type, x-relay-user-agent"
        );
        assert_eq!(out["access-control-allow-private-network"], "true");
        let out = preflight(
            &headers(&[("access-control-request-method", "GET")]),
            "http://127.0.0.1:8080",
        );
        assert!(out.get("access-control-allow-private-network").is_none());
    }

    #[test]
    fn dot_segments_cannot_climb_out_of_the_base() {
        for (path, leaves) in [
            ("/Users", false),
            ("/Users/2819c223", false),
            ("/Users?filter=userName%20eq%20%22a.b%22", false),
            ("/..", true),
            ("/../admin", true),
            ("/Users/../../admin", true),
            ("/%2e%2e/admin", true),
            ("/%2E%2e/admin", true),
            ("/.%2e/admin", true),
            ("/Users/.", true),
            ("/Users%2f..%2fadmin", true),
            ("/a..b", false),
        ] {
            assert_eq!(leaves_the_base(path), leaves, "{path}");
        }
    }
}
