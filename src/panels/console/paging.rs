//! Following a list's RFC 9865 cursors from the Console: the next request is the one just sent
//! with its `cursor` parameter set to the response's `nextCursor` or `previousCursor`, so the
//! count, filter and sort (which a cursor must be sent with unchanged) stay as they were.

use serde_json::Value;

/// The cursors a list response offers.
#[derive(Debug, Default, PartialEq)]
pub struct Cursors {
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// Reads `previousCursor` and `nextCursor` from a response body (none when it is not JSON).
pub fn cursors(body: &str) -> Cursors {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return Cursors::default();
    };
    let read = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
    };
    Cursors {
        previous: read("previousCursor"),
        next: read("nextCursor"),
    }
}

/// `path` with its `cursor` query parameter set to `cursor`, in place when the path has one
/// (`?cursor&count=10` included) and appended otherwise. The cursor is percent-encoded: this
/// server's are plain hex, but another server's may hold `+`, `/` or `=`.
pub fn with_cursor(path: &str, cursor: &str) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let wanted = format!("cursor={}", wire::percent::encode(cursor));
    let mut replaced = false;
    let mut parts: Vec<String> = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let name = part.split_once('=').map_or(part, |(n, _)| n);
        if name.eq_ignore_ascii_case("cursor") {
            if !replaced {
                parts.push(wanted.clone());
                replaced = true;
            }
        } else {
            parts.push(part.to_string());
        }
    }
    if !replaced {
        parts.push(wanted);
    }
    format!("{base}?{}", parts.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn the_cursor_parameter_is_replaced_in_place_or_added() {
        let cases = [
            (
                "/Users?cursor&count=10",
                "ab12",
                "/Users?cursor=ab12&count=10",
            ),
            (
                "/Users?count=10&cursor=old&sortBy=userName",
                "ab12",
                "/Users?count=10&cursor=ab12&sortBy=userName",
            ),
            ("/Users?count=10", "ab12", "/Users?count=10&cursor=ab12"),
            ("/Users", "ab12", "/Users?cursor=ab12"),
            ("/Users?Cursor=x&cursor=y", "z", "/Users?cursor=z"),
            ("/Users?cursor", "a+b/c=", "/Users?cursor=a%2Bb%2Fc%3D"),
        ];
        for (path, cursor, expected) in cases {
            assert_eq!(with_cursor(path, cursor), expected, "{path}");
        }
    }

    #[wasm_bindgen_test]
    fn cursors_are_read_from_list_responses_only() {
        let page = r#"{"totalResults":5,"previousCursor":"p1","nextCursor":"n1","Resources":[]}"#;
        assert_eq!(
            cursors(page),
            Cursors {
                previous: Some("p1".into()),
                next: Some("n1".into())
            }
        );
        assert_eq!(cursors(r#"{"nextCursor":""}"#), Cursors::default());
        assert_eq!(cursors("<html>"), Cursors::default());
    }
}
