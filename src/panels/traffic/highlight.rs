//! Pretty-printed, highlighted JSON for the request and response panes.

/// The kind of a piece of JSON text, used as its CSS class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Key,
    String,
    Number,
    Literal,
    Punctuation,
}

impl Token {
    pub fn class(self) -> &'static str {
        match self {
            Token::Key => "json-key",
            Token::String => "json-string",
            Token::Number => "json-number",
            Token::Literal => "json-literal",
            Token::Punctuation => "json-punct",
        }
    }
}

/// Pretty-prints `text` if it is JSON; otherwise returns it as it is (one punctuation run), so
/// a non-JSON body is still shown faithfully.
pub fn highlight(text: &str) -> Vec<(Token, String)> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return vec![(Token::Punctuation, text.to_string())];
    };
    let pretty = serde_json::to_string_pretty(&value).unwrap_or_else(|_| text.to_string());
    tokenize(&pretty)
}

/// Splits well-formed JSON text into highlighted runs. A string followed by `:` is a key.
fn tokenize(pretty: &str) -> Vec<(Token, String)> {
    let chars: Vec<char> = pretty.chars().collect();
    let mut out: Vec<(Token, String)> = Vec::new();
    let mut push = |token: Token, text: String| match out.last_mut() {
        Some((last, run)) if *last == token && token == Token::Punctuation => run.push_str(&text),
        _ => out.push((token, text)),
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            let text: String = chars[start..i].iter().collect();
            let next = chars[i..].iter().find(|c| !c.is_whitespace());
            let token = if next == Some(&':') {
                Token::Key
            } else {
                Token::String
            };
            push(token, text);
        } else if c == '-' || c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || "+-.eE".contains(chars[i])) {
                i += 1;
            }
            push(Token::Number, chars[start..i].iter().collect());
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            push(Token::Literal, chars[start..i].iter().collect());
        } else {
            push(Token::Punctuation, c.to_string());
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn keys_strings_numbers_and_literals_are_told_apart() {
        let tokens = highlight(r#"{"a":"x:y","n":-1.5e3,"t":true,"z":null}"#);
        let of = |kind: Token| -> Vec<String> {
            tokens
                .iter()
                .filter(|(t, _)| *t == kind)
                .map(|(_, s)| s.clone())
                .collect()
        };
        assert_eq!(of(Token::Key), ["\"a\"", "\"n\"", "\"t\"", "\"z\""]);
        assert_eq!(of(Token::String), ["\"x:y\""]);
        assert_eq!(of(Token::Number), ["-1500.0"]);
        assert_eq!(of(Token::Literal), ["true", "null"]);
        let text: String = tokens.iter().map(|(_, s)| s.as_str()).collect();
        assert!(text.contains('\n'), "pretty-printed");
    }

    #[wasm_bindgen_test]
    fn a_body_that_is_not_json_is_shown_as_it_is() {
        assert_eq!(
            highlight("<html>"),
            [(Token::Punctuation, "<html>".to_string())]
        );
    }

    #[wasm_bindgen_test]
    fn escaped_quotes_stay_inside_their_string() {
        let tokens = highlight(r#"{"k":"say \"hi\""}"#);
        assert!(
            tokens.contains(&(Token::String, r#""say \"hi\"""#.to_string())),
            "{tokens:?}"
        );
    }
}
