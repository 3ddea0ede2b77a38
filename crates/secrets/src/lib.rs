//! What counts as a secret in an HTTP exchange, and how it is masked before anything keeps or
//! shows the exchange: the worker's traffic log (and so HAR files and "copy as curl"), the
//! simulator's System Log and Tests panel, the Console's history. One rule, so that no place
//! masks less than another (SECURITY.md, "Secrets").
//!
//! Masking keeps what a learner needs to read an exchange — the header's name, an
//! `Authorization` scheme (`Basic`, `Bearer`), the member's name and the body's layout — and
//! replaces only the secret itself with [`MASK`].

/// What a secret is replaced with.
pub const MASK: &str = "••••••••";

/// Header names that carry credentials, and fragments of names that do (`X-Auth-Token`,
/// `X-Api-Key`, `X-Session-Id`…): a custom header is as secret as `Authorization`.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];
const SECRET_HEADER_PARTS: &[&str] = &[
    "token", "secret", "password", "api-key", "apikey", "session", "auth",
];

/// Body members and form fields that hold secrets: SCIM's `password`, OAuth 2.0's client
/// secret, tokens and codes.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "client_secret",
    "clientsecret",
    "secret",
    "token",
    "access_token",
    "accesstoken",
    "refresh_token",
    "refreshtoken",
    "id_token",
    "code",
    "api_key",
    "apikey",
];

/// Whether a header with this name carries a credential.
pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    // Our own traffic tag names who sent a request; it is no credential.
    if name == "x-playground-client" {
        return false;
    }
    SECRET_HEADERS.contains(&name.as_str())
        || SECRET_HEADER_PARTS.iter().any(|part| name.contains(part))
}

/// Whether a body member or form field with this name holds a secret.
pub fn is_secret_field(name: &str) -> bool {
    SECRET_FIELDS.contains(&name.to_ascii_lowercase().as_str())
}

/// A credential header's value with the secret masked: `Bearer abc` → `Bearer ••••••••`, the
/// scheme kept when there is one.
pub fn mask_credential(value: &str) -> String {
    match value.trim().split_once(' ') {
        Some((scheme, _))
            if scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            format!("{scheme} {MASK}")
        }
        _ => MASK.to_string(),
    }
}

/// The value to keep for header `name`: masked when it is a credential, else as it is.
pub fn header_value(name: &str, value: &str) -> String {
    if is_secret_header(name) {
        mask_credential(value)
    } else {
        value.to_string()
    }
}

/// Headers with every credential masked.
pub fn headers(list: &[(String, String)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(name, value)| (name.clone(), header_value(name, value)))
        .collect()
}

/// A body with its secrets masked: in JSON, the string value of every secret member at any
/// depth (the text is otherwise left byte for byte, so the log still shows what went over the
/// wire); in a form (`a=b&client_secret=…`), every secret field. Other text is returned as is.
pub fn body(text: &str) -> String {
    match text.trim_start().chars().next() {
        Some('{') | Some('[') => json_body(text),
        Some(_) if text.contains('=') && !text.contains(char::is_whitespace) => form_body(text),
        _ => text.to_string(),
    }
}

fn form_body(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_field(name) => format!("{name}={MASK}"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Walks JSON text token by token: a string followed by `:` is a member name, and when it is a
/// secret and its value is a string, that string's content is replaced. Malformed JSON is
/// walked the same way, so a broken body still loses its secrets.
fn json_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut secret_value_next = false;
    while let Some(start) = rest.find('"') {
        let (before, from_quote) = rest.split_at(start);
        out.push_str(before);
        if !before.trim().is_empty() && !before.trim().ends_with(':') {
            secret_value_next = false;
        }
        let end = string_end(from_quote);
        let (string, after) = from_quote.split_at(end);
        let is_name = after.trim_start().starts_with(':');
        if secret_value_next && !is_name {
            out.push('"');
            out.push_str(MASK);
            out.push('"');
            secret_value_next = false;
        } else {
            out.push_str(string);
            secret_value_next = is_name && is_secret_field(unquote(string));
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The byte length of the JSON string at the start of `text` (which starts with `"`), closing
/// quote included; all of `text` when it never closes.
fn string_end(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i + 1,
            _ => {}
        }
    }
    text.len()
}

fn unquote(string: &str) -> &str {
    string
        .strip_prefix('"')
        .map(|s| s.strip_suffix('"').unwrap_or(s))
        .unwrap_or(string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_that_carry_credentials() {
        for name in [
            "Authorization",
            "authorization",
            "Proxy-Authorization",
            "Cookie",
            "Set-Cookie",
            "X-Api-Key",
            "X-API-KEY",
            "Api-Key",
            "X-Auth-Token",
            "X-Access-Token",
            "X-Session-Id",
            "X-Client-Secret",
        ] {
            assert!(is_secret_header(name), "{name}");
        }
        for name in [
            "Content-Type",
            "Accept",
            "X-Playground-Client",
            "If-Match",
            "User-Agent",
            "Location",
        ] {
            assert!(!is_secret_header(name), "{name}");
        }
    }

    #[test]
    fn credentials_keep_their_scheme_only() {
        for (value, masked) in [
            ("Bearer abc.def", "Bearer ••••••••"),
            ("Basic YWRtaW46aHVudGVyMg==", "Basic ••••••••"),
            ("SSWS 00abc", "SSWS ••••••••"),
            ("raw-token-without-scheme", "••••••••"),
            ("  Bearer   spaced  ", "Bearer ••••••••"),
            ("a=b; session=xyz", "••••••••"),
        ] {
            assert_eq!(mask_credential(value), masked, "{value}");
        }
        assert_eq!(
            header_value("Content-Type", "application/json"),
            "application/json"
        );
        assert_eq!(header_value("X-Api-Key", "k123"), MASK);
    }

    #[test]
    fn bodies_lose_their_secrets_and_keep_their_layout() {
        for (text, masked) in [
            (
                r#"{"schemas":["u"],"userName":"ada","password":"hunter2","active":true}"#,
                r#"{"schemas":["u"],"userName":"ada","password":"••••••••","active":true}"#,
            ),
            (
                "{\n  \"password\" : \"p w\\\"d\",\n  \"name\": {\"givenName\": \"Ada\"}\n}",
                "{\n  \"password\" : \"••••••••\",\n  \"name\": {\"givenName\": \"Ada\"}\n}",
            ),
            (
                r#"{"Operations":[{"op":"replace","value":{"password":"x"}},{"path":"password","value":"y"}]}"#,
                r#"{"Operations":[{"op":"replace","value":{"password":"••••••••"}},{"path":"password","value":"y"}]}"#,
            ),
            (
                r#"{"access_token":"a","token_type":"Bearer","refresh_token":"r","expires_in":3600}"#,
                r#"{"access_token":"••••••••","token_type":"Bearer","refresh_token":"••••••••","expires_in":3600}"#,
            ),
            (
                r#"{"password":12,"note":"password"}"#,
                r#"{"password":12,"note":"password"}"#,
            ),
            (r#"{"password":"unterminated"#, r#"{"password":"••••••••""#),
            (
                "grant_type=authorization_code&code=abc&client_id=c&client_secret=s",
                "grant_type=authorization_code&code=••••••••&client_id=c&client_secret=••••••••",
            ),
            (
                "plain text with password=x in it",
                "plain text with password=x in it",
            ),
            ("", ""),
        ] {
            assert_eq!(body(text), masked, "{text}");
        }
    }
}
