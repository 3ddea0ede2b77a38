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

/// Percent-decodes one component, with `+` as a space.
pub fn decode(text: &str) -> String {
    wire::percent::decode(text, true)
}

/// Percent-encodes one component for a URL query.
pub use wire::percent::encode;

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
