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
    // Every part that comes from the exchange is quoted, the method too: a record is data, and
    // pasting it into a shell must never run any of it.
    if record.method != "GET" {
        parts.push(format!("-X {}", shell_quote(&record.method)));
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
        } else if !secrets::is_secret_header(&lower)
            && !matches!(lower.as_str(), "x-playground-client" | "content-length")
        {
            // Other credential headers are masked in the record; a mask is never replayed.
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

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn record() -> Record {
        Record {
            at: "2026-11-28T10:00:00.000Z".into(),
            client: "console".into(),
            profile: "okta".into(),
            method: "POST".into(),
            url: "http://127.0.0.1:8080/scim/v2/Users?x=1".into(),
            request_headers: vec![
                ("content-type".into(), "application/scim+json".into()),
                ("authorization".into(), "Bearer ••••••••".into()),
                ("x-playground-client".into(), "console".into()),
            ],
            request_body: r#"{"userName":"o'brien@x.com"}"#.into(),
            status: 201,
            response_headers: vec![("Location".into(), "http://x/Users/1".into())],
            response_body: "{}".into(),
            duration_ms: 3.5,
        }
    }

    #[wasm_bindgen_test]
    fn curl_targets_the_bridge_with_the_real_credential_and_a_safely_quoted_body() {
        let text = curl(&record(), "http://127.0.0.1:8787/", Some("Bearer real"));
        assert!(
            text.contains("'http://127.0.0.1:8787/scim/v2/Users?x=1'"),
            "{text}"
        );
        assert!(text.contains("-X 'POST'"));
        assert!(text.contains("'Authorization: Bearer real'"));
        assert!(!text.contains("••••"), "the mask is never sent");
        assert!(!text.contains("x-playground-client"));
        assert!(
            text.contains(r#"--data-raw '{"userName":"o'\''brien@x.com"}'"#),
            "{text}"
        );
    }

    #[wasm_bindgen_test]
    fn curl_quotes_every_part_and_never_replays_a_mask() {
        let mut hostile = record();
        hostile.method = "GET;touch /tmp/owned".into();
        hostile
            .request_headers
            .push(("Cookie".into(), "••••••••".into()));
        let text = curl(&hostile, "http://127.0.0.1:8787", None);
        assert!(text.contains("-X 'GET;touch /tmp/owned'"), "{text}");
        assert!(!text.contains("••••"), "{text}");
    }

    #[wasm_bindgen_test]
    fn curl_without_a_known_credential_leaves_authorization_out() {
        let text = curl(&record(), "http://127.0.0.1:8787", None);
        assert!(!text.to_lowercase().contains("authorization"), "{text}");
    }

    #[wasm_bindgen_test]
    fn har_has_one_entry_per_exchange_with_query_and_post_data() {
        let har = har(&[record()]);
        let entry = &har["log"]["entries"][0];
        assert_eq!(har["log"]["version"], "1.2");
        assert_eq!(entry["response"]["status"], 201);
        assert_eq!(entry["request"]["queryString"][0]["name"], "x");
        assert_eq!(
            entry["request"]["postData"]["mimeType"],
            "application/scim+json"
        );
        assert_eq!(entry["response"]["redirectURL"], "http://x/Users/1");
        assert_eq!(entry["time"], 3.5);
    }
}
