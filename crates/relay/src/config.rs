//! The relay's settings, read from its command line: one fixed target, the origins allowed to
//! call it, and its limits.

use std::time::Duration;

/// The port and the origins when none are given: the page shows the command that starts a
/// relay, so both read them from one place.
pub use idp::relay::{DEFAULT_ORIGINS, DEFAULT_PORT};

/// How long one exchange with the target may take, connection included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest request or response body relayed, in bytes: a page of 1,000 full users is
/// about 1 MB, so this leaves a wide margin and still refuses a runaway answer.
pub const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;

const USAGE: &str = "usage: scim-relay --target <base URL> [--port <n>] [--allow-origin <origin>]... [--timeout <seconds>] [--max-body <bytes>]

Forwards http://127.0.0.1:<port>/<rest> to <base URL>/<rest>, and nowhere else.
  --target        the SCIM server's base URL, http or https (e.g. http://127.0.0.1:8000/v2)
  --port          the port to listen on, on 127.0.0.1 only (default 8788)
  --allow-origin  an origin whose pages may call the relay; repeat for several
                  (default: make serve's, http://127.0.0.1:8080 and http://localhost:8080)
  --timeout       seconds one exchange with the target may take (default 30)
  --max-body      the largest request or response body, in bytes (default 16777216)";

/// Everything the relay needs to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The target's base URL, normalised: scheme and host in lower case, no trailing slash.
    pub target: String,
    /// The port on 127.0.0.1.
    pub port: u16,
    /// The origins whose pages may call the relay, normalised as [`origin`] does.
    pub allowed_origins: Vec<String>,
    pub timeout: Duration,
    pub max_body: usize,
}

impl Config {
    /// A relay to `target` on `port`, with the default origins and limits.
    ///
    /// # Errors
    ///
    /// Why `target` is not an http or https base URL.
    pub fn new(target: &str, port: u16) -> Result<Config, String> {
        Ok(Config {
            target: base_url(target)?,
            port,
            allowed_origins: DEFAULT_ORIGINS.iter().map(|o| o.to_string()).collect(),
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
        })
    }

    /// Reads the command line (without the program's name).
    ///
    /// # Errors
    ///
    /// What is wrong, followed by the usage, or the usage alone for `--help`.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut target = None;
        let mut port = DEFAULT_PORT;
        let mut origins = Vec::new();
        let mut timeout = DEFAULT_TIMEOUT;
        let mut max_body = DEFAULT_MAX_BODY;
        let mut args = args.into_iter();
        let wrong = |what: String| format!("scim-relay: {what}\n\n{USAGE}");
        while let Some(flag) = args.next() {
            // Both `--flag value` and `--flag=value`.
            let (flag, inline) = match flag.split_once('=') {
                Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
                None => (flag, None),
            };
            if flag == "--help" || flag == "-h" {
                return Err(USAGE.to_string());
            }
            let value = inline
                .or_else(|| args.next())
                .ok_or_else(|| wrong(format!("{flag} needs a value")))?;
            match flag.as_str() {
                "--target" => target = Some(base_url(&value).map_err(wrong)?),
                "--port" => {
                    port = value
                        .parse()
                        .ok()
                        .filter(|p| *p != 0)
                        .ok_or_else(|| wrong(format!("--port {value} is not a port")))?;
                }
                "--allow-origin" => origins.push(origin(&value).map_err(wrong)?),
                "--timeout" => {
                    let seconds: u64 = value.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
                        wrong(format!("--timeout {value} is not a number of seconds"))
                    })?;
                    timeout = Duration::from_secs(seconds);
                }
                "--max-body" => {
                    max_body = value.parse().ok().filter(|b| *b > 0).ok_or_else(|| {
                        wrong(format!("--max-body {value} is not a number of bytes"))
                    })?;
                }
                other => return Err(wrong(format!("unknown option {other}"))),
            }
        }
        let target = target.ok_or_else(|| wrong("--target is required".to_string()))?;
        if origins.is_empty() {
            origins = DEFAULT_ORIGINS.iter().map(|o| o.to_string()).collect();
        }
        Ok(Config {
            target,
            port,
            allowed_origins: origins,
            timeout,
            max_body,
        })
    }
}

/// `url` as a target: http or https, a host, an optional path, no query or fragment; the
/// scheme and host in lower case and the path without its trailing slash.
///
/// # Errors
///
/// What is wrong with it, in words.
pub fn base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(format!(
            "the target {url:?} must start with http:// or https://"
        ));
    }
    let uri: http::Uri = url
        .parse()
        .map_err(|_| format!("the target {url:?} is not a URL"))?;
    let scheme = uri.scheme_str().map(str::to_ascii_lowercase);
    if !matches!(scheme.as_deref(), Some("http" | "https")) {
        return Err(format!(
            "the target {url:?} must start with http:// or https://"
        ));
    }
    let Some(authority) = uri.authority() else {
        return Err(format!("the target {url:?} has no host"));
    };
    if authority.as_str().contains('@') {
        return Err(format!(
            "the target {url:?} holds a user name or password: give the credential to the page, not the relay"
        ));
    }
    if uri.query().is_some() || url.contains('#') {
        return Err(format!(
            "the target {url:?} must be a base URL, without a query or fragment"
        ));
    }
    Ok(format!(
        "{}://{}{}",
        scheme.unwrap_or_default(),
        authority.as_str().to_ascii_lowercase(),
        uri.path().trim_end_matches('/')
    ))
}

/// `text` as an origin (`scheme://host[:port]`, as a browser sends it): lower case, no path.
///
/// # Errors
///
/// What is wrong with it, in words.
pub fn origin(text: &str) -> Result<String, String> {
    let text = text.trim().trim_end_matches('/');
    let uri: http::Uri = text
        .parse()
        .map_err(|_| format!("the origin {text:?} is not a URL"))?;
    match (uri.scheme_str(), uri.authority()) {
        (Some(scheme), Some(authority))
            if (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
                && uri.path().trim_end_matches('/').is_empty()
                && uri.query().is_none()
                && !authority.as_str().contains('@') =>
        {
            Ok(format!("{}://{}", scheme, authority).to_ascii_lowercase())
        }
        _ => Err(format!(
            "the origin {text:?} must be scheme://host[:port], e.g. https://me.github.io"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Result<Config, String> {
        Config::from_args(line.split_whitespace().map(str::to_string))
    }

    #[test]
    fn targets_are_normalised_or_refused_with_a_reason() {
        let table = [
            ("http://127.0.0.1:8000/v2/", Ok("http://127.0.0.1:8000/v2")),
            (
                "HTTPS://App.Example.COM/scim/v2",
                Ok("https://app.example.com/scim/v2"),
            ),
            ("http://localhost:8000", Ok("http://localhost:8000")),
            ("ftp://example.com/", Err("must start with http")),
            ("example.com/scim", Err("must start with http")),
            ("http://user:pw@example.com/", Err("user name or password")),
            ("http://example.com/v2?x=1", Err("without a query")),
            ("http://example.com/v2#top", Err("without a query")),
            ("not a url", Err("must start with http")),
            ("http://exa mple.com/", Err("not a URL")),
        ];
        for (input, expected) in table {
            match (base_url(input), expected) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{input}"),
                (Err(got), Err(want)) => assert!(got.contains(want), "{input}: {got}"),
                (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(
            origin("https://Me.GitHub.io/").as_deref(),
            Ok("https://me.github.io")
        );
        assert_eq!(
            origin("http://127.0.0.1:8080").as_deref(),
            Ok("http://127.0.0.1:8080")
        );
        assert!(origin("https://me.github.io/scim-playground/").is_err());
        assert!(origin("me.github.io").is_err());
        assert!(origin("*").is_err());
    }

    #[test]
    fn the_command_line_has_defaults_and_names_what_is_wrong() {
        let config = args("--target http://127.0.0.1:8000/v2").expect("valid");
        assert_eq!(config.port, DEFAULT_PORT);
        assert_eq!(config.allowed_origins, DEFAULT_ORIGINS);
        let config = args(
            "--target=http://127.0.0.1:8000 --port 9000 --allow-origin https://a.example --allow-origin http://localhost:3000 --timeout 5 --max-body 1024",
        )
        .expect("valid");
        assert_eq!(config.port, 9000);
        assert_eq!(
            config.allowed_origins,
            ["https://a.example", "http://localhost:3000"]
        );
        assert_eq!(config.timeout, Duration::from_secs(5));
        assert_eq!(config.max_body, 1024);
        for (line, says) in [
            ("", "--target is required"),
            ("--target", "--target needs a value"),
            ("--target http://x --port 0", "is not a port"),
            ("--target http://x --port 70000", "is not a port"),
            ("--target http://x --bogus 1", "unknown option --bogus"),
            (
                "--target http://x --allow-origin *",
                "must be scheme://host",
            ),
        ] {
            let error = args(line).expect_err(line);
            assert!(error.contains(says), "{line}: {error}");
            assert!(error.contains("usage:"), "{line}: the usage follows");
        }
    }
}
