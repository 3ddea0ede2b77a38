//! Turning recorded exchanges into things people take elsewhere: a curl command line that replays
//! the request against the bridge, and a HAR 1.2 document of the whole session.

use serde_json::{json, Value};

use super::model::Record;

/// Quotes a string for a POSIX shell: single quotes, with each `'` written as `'\''`.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// A curl command replaying `record` against `base` (the bridge, e.g. `http://127.0.0.1:8787`).
/// The recorded `Authorization` is masked, so the caller passes the real one (from the server's
/// settings) when it has it.
pub fn curl(record: &Record, base: &str, authorization: Option<&str>) -> String {
    let path_start = record.url.find("/scim/v2").unwrap_or(0);
    let url = format!(
        "{}{}",
        base.trim_end_matches('/'),
        record.url.get(path_start..).unwrap_or_default()
    );
    let mut parts = vec!["curl".to_string(), "-i".to_string()];
    if record.method != "GET" {
        parts.push(format!("-X {}", record.method));
    }
    parts.push(shell_quote(&url));
    for (name, value) in &record.request_headers {
        let lower = name.to_ascii_lowercase();
        if lower == "authorization" {
            if let Some(real) = authorization {
                parts.push(format!(
                    "-H {}",
                    shell_quote(&format!("Authorization: {real}"))
                ));
            }
        } else if !matches!(lower.as_str(), "x-playground-client" | "content-length") {
            parts.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
        }
    }
    if authorization.is_some()
        && !record
            .request_headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
    {
        parts.push(format!(
            "-H {}",
            shell_quote(&format!(
                "Authorization: {}",
                authorization.unwrap_or_default()
            ))
        ));
    }
    if !record.request_body.is_empty() {
        parts.push(format!("--data-raw {}", shell_quote(&record.request_body)));
    }
    parts.join(" \\\n  ")
}

fn headers(pairs: &[(String, String)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(name, value)| json!({"name": name, "value": value}))
            .collect(),
    )
}

fn header<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn query(url: &str) -> Value {
    let Some((_, query)) = url.split_once('?') else {
        return json!([]);
    };
    Value::Array(
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                json!({"name": name, "value": value})
            })
            .collect(),
    )
}

/// A HAR 1.2 log of the records (credentials stay masked, as recorded).
pub fn har(records: &[Record]) -> Value {
    let entries: Vec<Value> = records
        .iter()
        .map(|r| {
            let mut request = json!({
                "method": r.method,
                "url": r.url,
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": headers(&r.request_headers),
                "queryString": query(&r.url),
                "headersSize": -1,
                "bodySize": r.request_body.len(),
            });
            if !r.request_body.is_empty() {
                request["postData"] = json!({
                    "mimeType": header(&r.request_headers, "content-type").unwrap_or("application/scim+json"),
                    "text": r.request_body,
                });
            }
            json!({
                "startedDateTime": r.at,
                "time": r.duration_ms,
                "request": request,
                "response": {
                    "status": r.status,
                    "statusText": "",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": headers(&r.response_headers),
                    "content": {
                        "size": r.response_body.len(),
                        "mimeType": header(&r.response_headers, "content-type").unwrap_or(""),
                        "text": r.response_body,
                    },
                    "redirectURL": header(&r.response_headers, "location").unwrap_or(""),
                    "headersSize": -1,
                    "bodySize": r.response_body.len(),
                },
                "cache": {},
                "timings": {"send": 0, "wait": r.duration_ms, "receive": 0},
                "comment": format!("client: {}, profile: {}", r.client, r.profile),
            })
        })
        .collect();
    json!({"log": {
        "version": "1.2",
        "creator": {"name": "SCIM Playground", "version": env!("CARGO_PKG_VERSION")},
        "entries": entries,
    }})
}
