//! The origin of an http(s) URL (RFC 6454: scheme, host and port), for deciding where a
//! credential may be sent: a credential set for one origin is never sent to another.

/// `scheme://host[:port]` of an absolute http or https URL, lowercased, with the scheme's
/// default port left out and any `user:password@` dropped; `None` for anything else.
pub fn of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    // An IPv6 literal keeps its brackets; the port follows the closing one.
    let (host, port) = match host_port.rfind(':') {
        Some(i) if !host_port[i..].contains(']') => (&host_port[..i], &host_port[i + 1..]),
        _ => (host_port.as_str(), ""),
    };
    if host.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(if port.is_empty() || port == default_port {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}:{port}")
    })
}

/// Whether two URLs have the same origin; two URLs without one (relative, other schemes) never
/// do.
pub fn same(a: &str, b: &str) -> bool {
    matches!((of(a), of(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        for (url, origin) in [
            ("https://hook.example/import", Some("https://hook.example")),
            (
                "HTTPS://Hook.Example:443/a?b#c",
                Some("https://hook.example"),
            ),
            ("http://hook.example:80", Some("http://hook.example")),
            (
                "http://hook.example:8080/x",
                Some("http://hook.example:8080"),
            ),
            (
                "https://user:pw@hook.example/x",
                Some("https://hook.example"),
            ),
            (
                "https://evil.example@hook.example/",
                Some("https://hook.example"),
            ),
            ("http://[::1]:8787/x", Some("http://[::1]:8787")),
            ("http://[::1]/x", Some("http://[::1]")),
            ("javascript:alert(1)", None),
            ("/relative/path", None),
            ("https:///nohost", None),
            ("https://host:port/", None),
        ] {
            assert_eq!(of(url).as_deref(), origin, "{url}");
        }
        assert!(same("https://a.example/x", "https://A.example:443/y"));
        assert!(!same(
            "https://a.example/x",
            "https://a.example.evil.example/x"
        ));
        assert!(!same("https://a.example/x", "http://a.example/x"));
        assert!(!same("/a", "/a"));
    }
}
