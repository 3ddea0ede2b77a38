//! The local relay (`make relay TARGET=…`, `crates/relay`) as the simulator and the page use it:
//! its defaults, the header that carries Okta's `User-Agent` past the browser, which requests
//! it carries, and the command that starts one. The relay itself reads the same definitions.

/// The port `make relay` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8788;

/// The origins a relay allows when started without `ALLOW_ORIGIN`: `make serve`'s, by address
/// and by name.
pub const DEFAULT_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];

/// A browser does not let a page set `User-Agent`, so the page sends the one Okta would send
/// in this header, and the relay puts it in place before forwarding.
pub const USER_AGENT_HEADER: &str = "x-relay-user-agent";

/// Set on the answers the relay makes itself (a refusal, a timeout, an unreachable target), so
/// the page can tell them from the target's.
pub const ERROR_HEADER: &str = "x-scim-relay-error";

/// The relay's address unless told otherwise.
pub fn default_address() -> String {
    format!("http://127.0.0.1:{DEFAULT_PORT}")
}

/// The part of `url` after the base URL `target` (`/Users?x=1`), when `url` lies under it;
/// scheme and host compare in any case, a trailing slash of `target` is ignored, and a URL
/// that merely starts with the same characters (`/v20` under `/v2`) is not under it.
pub fn under(url: &str, target: &str) -> Option<String> {
    let target = target.trim_end_matches('/');
    let head = url.get(..target.len())?;
    let rest = &url[target.len()..];
    (head.eq_ignore_ascii_case(target)
        && (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')))
    .then(|| rest.to_string())
}

/// The command, run in the repository, that starts a relay to `base_url` listening at
/// `address` that a page of `page_origin` may use.
pub fn command(base_url: &str, address: &str, page_origin: &str) -> String {
    let base_url = base_url.trim().trim_end_matches('/');
    let target = if base_url.is_empty() {
        "<your SCIM base URL>"
    } else {
        base_url
    };
    let mut command = format!("make relay TARGET={target}");
    let port = address
        .trim()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|p| p.parse::<u16>().ok());
    if let Some(port) = port.filter(|p| *p != DEFAULT_PORT) {
        command.push_str(&format!(" PORT={port}"));
    }
    if !DEFAULT_ORIGINS.contains(&page_origin) {
        command.push_str(&format!(" ALLOW_ORIGIN={page_origin}"));
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_urls_under_the_target_go_through_the_relay() {
        let target = "http://127.0.0.1:8000/v2";
        for (url, rest) in [
            ("http://127.0.0.1:8000/v2/Users", Some("/Users")),
            (
                "HTTP://127.0.0.1:8000/v2/Users?filter=x",
                Some("/Users?filter=x"),
            ),
            ("http://127.0.0.1:8000/v2", Some("")),
            ("http://127.0.0.1:8000/v2?x", Some("?x")),
            ("http://127.0.0.1:8000/v20/Users", None),
            ("http://127.0.0.1:8001/v2/Users", None),
            ("https://127.0.0.1:8000/v2/Users", None),
            ("http://hook.example/import", None),
            ("http", None),
        ] {
            assert_eq!(under(url, target).as_deref(), rest, "{url}");
        }
        assert_eq!(
            under("http://a/v2/Users", "http://a/v2/").as_deref(),
            Some("/Users")
        );
    }

    #[test]
    fn the_command_names_only_what_differs_from_the_defaults() {
        assert_eq!(
            command(
                "http://127.0.0.1:8000/v2/",
                "http://127.0.0.1:8788",
                "http://127.0.0.1:8080"
            ),
            "make relay TARGET=http://127.0.0.1:8000/v2"
        );
        assert_eq!(
            command("http://localhost:3000/scim", "http://127.0.0.1:9000", "https://me.github.io"),
            "make relay TARGET=http://localhost:3000/scim PORT=9000 ALLOW_ORIGIN=https://me.github.io"
        );
        assert_eq!(
            command(" ", &default_address(), "http://localhost:8080"),
            "make relay TARGET=<your SCIM base URL>"
        );
    }
}
