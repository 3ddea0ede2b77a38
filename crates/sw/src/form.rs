//! `application/x-www-form-urlencoded` decoding (the OAuth endpoints' bodies and query strings)
//! and HTML escaping for the consent page.

/// Decodes `a=1&b=x%20y+z` into pairs. Malformed escapes are kept literally rather than
/// rejected: a form field the OAuth server does not understand fails later with a clear error.
pub fn parse(input: &str) -> Vec<(String, String)> {
    input
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The first value of a field.
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes one component, with `+` as a space.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let pair = bytes
                    .get(i + 1)
                    .copied()
                    .and_then(hex)
                    .zip(bytes.get(i + 2).copied().and_then(hex));
                match pair {
                    Some((high, low)) => {
                        out.push(high * 16 + low);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes one component for a URL query.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Escapes text for an HTML text node or a double-quoted attribute.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn form_fields_are_decoded_with_plus_and_percent() {
        let pairs = parse("grant_type=client_credentials&scope=a+b%20c&bad=%zz&empty=");
        assert_eq!(field(&pairs, "scope"), Some("a b c"));
        assert_eq!(field(&pairs, "bad"), Some("%zz"));
        assert_eq!(field(&pairs, "empty"), Some(""));
        assert_eq!(field(&pairs, "missing"), None);
    }

    #[wasm_bindgen_test]
    fn encoding_round_trips_through_decoding() {
        let text = "https://x.example/cb?a=1&b=é ü";
        assert_eq!(decode(&encode(text)), text);
    }

    #[wasm_bindgen_test]
    fn html_escaping_neutralises_markup() {
        assert_eq!(
            html(r#"<script>alert("x")</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        );
    }
}
