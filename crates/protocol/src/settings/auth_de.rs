//! `Deserialize` for [`Auth`], written by hand to behave exactly like
//! `#[derive(Deserialize)] #[serde(tag = "method", rename_all = "camelCase")]`.
//!
//! The derive buffers an internally tagged enum in serde's private `Content` type and reads the
//! variant back through `ContentDeserializer`, which compiles a second deserializer for every
//! type inside `Auth`; in the service worker's wasm that cost about 8 KB gzipped. This reads the
//! tagged object into [`Raw`] (a plain tree that keeps member order and repeated names, as
//! `Content` does) and then makes, in the same order, the same checks the derived code makes,
//! through the same `serde::de::Error` constructors, so results and error messages are
//! identical. The test module compares both on many documents.

use std::fmt;

use serde::de::{
    self, Deserialize, Deserializer, Error, MapAccess, SeqAccess, Unexpected, Visitor,
};

use super::{Auth, IssuedToken};

/// The variant names, as the derive lists them in an "unknown variant" error.
const VARIANTS: &[&str] = &["none", "basic", "header", "bearer", "oauth"];

/// A JSON value as it was read: member order and repeated member names are kept, because the
/// derived code reports the first problem in document order and rejects duplicate fields.
enum Raw {
    Unit,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
    Seq(Vec<Raw>),
    Map(Vec<(String, Raw)>),
}

impl Raw {
    /// What an "invalid type" error calls this value (serde's `Content` says the same).
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Raw::Unit => Unexpected::Unit,
            Raw::Bool(b) => Unexpected::Bool(*b),
            Raw::U64(n) => Unexpected::Unsigned(*n),
            Raw::I64(n) => Unexpected::Signed(*n),
            Raw::F64(n) => Unexpected::Float(*n),
            Raw::Str(s) => Unexpected::Str(s),
            Raw::Seq(_) => Unexpected::Seq,
            Raw::Map(_) => Unexpected::Map,
        }
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Unit)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::U64(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::I64(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::F64(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key()? {
            members.push((key, map.next_value()?));
        }
        Ok(Raw::Map(members))
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Raw, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

/// The `method` tag: an index into [`VARIANTS`].
struct Method(usize);

struct MethodVisitor;

impl Visitor<'_> for MethodVisitor {
    type Value = Method;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<Method, E> {
        match usize::try_from(v) {
            Ok(i) if i < VARIANTS.len() => Ok(Method(i)),
            _ => Err(E::invalid_value(
                Unexpected::Unsigned(v),
                &"variant index 0 <= i < 5",
            )),
        }
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Method, E> {
        match VARIANTS.iter().position(|name| *name == v) {
            Some(i) => Ok(Method(i)),
            None => Err(E::unknown_variant(v, VARIANTS)),
        }
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Method, E> {
        match VARIANTS.iter().position(|name| name.as_bytes() == v) {
            Some(i) => Ok(Method(i)),
            None => Err(E::unknown_variant(&String::from_utf8_lossy(v), VARIANTS)),
        }
    }
}

impl<'de> Deserialize<'de> for Method {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Method, D::Error> {
        deserializer.deserialize_identifier(MethodVisitor)
    }
}

/// Reads `{"method": …, …}` (or the sequence form `[method, …]`, which the derive accepts too)
/// into the tag and the remaining members, like serde's `TaggedContentVisitor`.
struct TaggedVisitor;

impl<'de> Visitor<'de> for TaggedVisitor {
    type Value = (Method, Raw);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("internally tagged enum Auth")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let Some(method) = seq.next_element()? else {
            return Err(A::Error::missing_field("method"));
        };
        let mut rest = Vec::new();
        while let Some(item) = seq.next_element()? {
            rest.push(item);
        }
        Ok((method, Raw::Seq(rest)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut method = None;
        let mut rest = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "method" {
                if method.is_some() {
                    return Err(A::Error::duplicate_field("method"));
                }
                method = Some(map.next_value()?);
            } else {
                rest.push((key, map.next_value()?));
            }
        }
        match method {
            Some(method) => Ok((method, Raw::Map(rest))),
            None => Err(A::Error::missing_field("method")),
        }
    }
}

/// serde's wording for "this many elements were expected" after a sequence that was too long.
struct ExpectedInSeq(usize);

impl de::Expected for ExpectedInSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 1 {
            f.write_str("1 element in sequence")
        } else {
            write!(f, "{} elements in sequence", self.0)
        }
    }
}

/// Reads the fields of a struct (or struct variant) from buffered content the way a derived
/// visitor does: `names` in declaration order, the first `required` of them without a default,
/// `field` called with each value as it is met (so the first bad value in document order is the
/// one reported), unknown members ignored, a repeated member rejected, and a sequence read
/// positionally. `expecting` is the derive's description, e.g. `struct IssuedToken`.
fn read_fields<E: Error>(
    raw: Raw,
    expecting: &str,
    names: &[&'static str],
    required: usize,
    mut field: impl FnMut(usize, Raw) -> Result<(), E>,
) -> Result<(), E> {
    match raw {
        Raw::Map(members) => {
            let mut seen = [false; 3];
            for (key, value) in members {
                if let Some(i) = names.iter().position(|name| *name == key) {
                    if seen[i] {
                        return Err(E::duplicate_field(names[i]));
                    }
                    seen[i] = true;
                    field(i, value)?;
                }
            }
            match (0..required).find(|&i| !seen[i]) {
                Some(i) => Err(E::missing_field(names[i])),
                None => Ok(()),
            }
        }
        Raw::Seq(items) => {
            let len = items.len();
            let mut items = items.into_iter();
            for i in 0..names.len() {
                match items.next() {
                    Some(value) => field(i, value)?,
                    None if i < required => {
                        let s = if names.len() == 1 { "" } else { "s" };
                        let with = format!("{expecting} with {} element{s}", names.len());
                        return Err(E::invalid_length(i, &with.as_str()));
                    }
                    None => break,
                }
            }
            if len > names.len() {
                return Err(E::invalid_length(len, &ExpectedInSeq(names.len())));
            }
            Ok(())
        }
        other => Err(E::invalid_type(other.unexpected(), &expecting)),
    }
}

fn string<E: Error>(raw: Raw) -> Result<String, E> {
    match raw {
        Raw::Str(s) => Ok(s),
        other => Err(E::invalid_type(other.unexpected(), &"a string")),
    }
}

fn int<E: Error>(raw: Raw) -> Result<i64, E> {
    match raw {
        Raw::I64(n) => Ok(n),
        Raw::U64(n) => {
            i64::try_from(n).map_err(|_| E::invalid_value(Unexpected::Unsigned(n), &"i64"))
        }
        other => Err(E::invalid_type(other.unexpected(), &"i64")),
    }
}

fn token<E: Error>(raw: Raw) -> Result<IssuedToken, E> {
    let (mut token, mut expires_at_ms) = (String::new(), 0);
    read_fields(
        raw,
        "struct IssuedToken",
        &["token", "expiresAtMs"],
        2,
        |i, value| {
            match i {
                0 => token = string(value)?,
                _ => expires_at_ms = int(value)?,
            }
            Ok(())
        },
    )?;
    Ok(IssuedToken {
        token,
        expires_at_ms,
    })
}

fn tokens<E: Error>(raw: Raw) -> Result<Vec<IssuedToken>, E> {
    match raw {
        Raw::Seq(items) => items.into_iter().map(token).collect(),
        other => Err(E::invalid_type(other.unexpected(), &"a sequence")),
    }
}

impl<'de> Deserialize<'de> for Auth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Auth, D::Error> {
        let (Method(method), rest) = deserializer.deserialize_any(TaggedVisitor)?;
        if method == 0 {
            // A unit variant ignores other members, and a sequence form must have no more items.
            return match rest {
                Raw::Seq(items) if !items.is_empty() => {
                    Err(D::Error::invalid_length(items.len(), &ExpectedInSeq(0)))
                }
                _ => Ok(Auth::None),
            };
        }
        let (expecting, names, required): (&str, &[&'static str], usize) = match method {
            1 => ("struct variant Auth::Basic", &["username", "password"], 2),
            2 => ("struct variant Auth::Header", &["value"], 1),
            3 => ("struct variant Auth::Bearer", &["token"], 1),
            _ => (
                "struct variant Auth::OAuth",
                &["clientId", "clientSecret", "tokens"],
                2,
            ),
        };
        let mut strings = [String::new(), String::new()];
        let mut issued = Vec::new();
        read_fields(rest, expecting, names, required, |i, value| {
            match i {
                2 => issued = tokens(value)?,
                _ => strings[i] = string(value)?,
            }
            Ok(())
        })?;
        let [first, second] = strings;
        Ok(match method {
            1 => Auth::Basic {
                username: first,
                password: second,
            },
            2 => Auth::Header { value: first },
            3 => Auth::Bearer { token: first },
            _ => Auth::OAuth {
                client_id: first,
                client_secret: second,
                tokens: issued,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    //! Differential tests: the hand-written impl against the derive it replaces.

    use serde::Deserialize;

    use super::super::{Auth, IssuedToken};

    /// The derive `Auth` had before, kept as the reference (the type names appear in errors).
    mod reference {
        use serde::Deserialize;

        // The names must be the original ones: they appear in serde's error messages.
        #[allow(clippy::enum_variant_names)]
        #[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
        #[serde(tag = "method", rename_all = "camelCase")]
        pub enum Auth {
            None,
            Basic {
                username: String,
                password: String,
            },
            Header {
                value: String,
            },
            Bearer {
                token: String,
            },
            #[serde(rename = "oauth", rename_all = "camelCase")]
            OAuth {
                client_id: String,
                client_secret: String,
                #[serde(default)]
                tokens: Vec<IssuedToken>,
            },
        }

        #[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct IssuedToken {
            pub token: String,
            pub expires_at_ms: i64,
        }
    }

    use reference::Auth as Reference;

    impl From<Reference> for Auth {
        fn from(r: Reference) -> Auth {
            match r {
                Reference::None => Auth::None,
                Reference::Basic { username, password } => Auth::Basic { username, password },
                Reference::Header { value } => Auth::Header { value },
                Reference::Bearer { token } => Auth::Bearer { token },
                Reference::OAuth {
                    client_id,
                    client_secret,
                    tokens,
                } => Auth::OAuth {
                    client_id,
                    client_secret,
                    tokens: tokens
                        .into_iter()
                        .map(|t| IssuedToken {
                            token: t.token,
                            expires_at_ms: t.expires_at_ms,
                        })
                        .collect(),
                },
            }
        }
    }

    #[derive(Deserialize)]
    struct Ours {
        #[serde(default)]
        _before: Option<serde_json::Value>,
        auth: Auth,
    }

    #[derive(Deserialize)]
    struct Theirs {
        #[serde(default)]
        _before: Option<serde_json::Value>,
        auth: Reference,
    }

    fn both(auth: &str) -> (Result<Auth, String>, Result<Auth, String>) {
        let text = format!(r#"{{"_before": [1, {{"a": 2}}], "auth": {auth} }}"#);
        let ours = serde_json::from_slice::<Ours>(text.as_bytes())
            .map(|o| o.auth)
            .map_err(|e| e.to_string());
        let theirs = serde_json::from_slice::<Theirs>(text.as_bytes())
            .map(|t| t.auth.into())
            .map_err(|e| e.to_string());
        let value = serde_json::from_slice::<serde_json::Value>(auth.as_bytes());
        if let Ok(value) = value {
            // Also through a different deserializer (a `Value`), where errors have no position.
            let ours = serde_json::from_value::<Auth>(value.clone()).map_err(|e| e.to_string());
            let theirs = serde_json::from_value::<Reference>(value)
                .map(Auth::from)
                .map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "from_value of {auth}");
        }
        (ours, theirs)
    }

    const VALUES: &[&str] = &[
        r#""s""#,
        r#""""#,
        "1",
        "-1",
        "1.5",
        "18446744073709551615",
        "9223372036854775808",
        "true",
        "null",
        "[]",
        "{}",
        r#"["a"]"#,
        r#"{"x":1}"#,
    ];

    fn documents() -> Vec<String> {
        let mut docs: Vec<String> = vec![
            "null".into(),
            "1".into(),
            r#""none""#.into(),
            "[]".into(),
            "{}".into(),
            r#"["none"]"#.into(),
            r#"["none", 1]"#.into(),
            r#"["basic", "u", "p"]"#.into(),
            r#"["basic", "u"]"#.into(),
            r#"["basic"]"#.into(),
            r#"["basic", "u", "p", "x"]"#.into(),
            r#"["header", "v"]"#.into(),
            r#"["header"]"#.into(),
            r#"["header", "v", 2]"#.into(),
            r#"["bearer", 5]"#.into(),
            r#"["oauth", "i", "s"]"#.into(),
            r#"["oauth", "i", "s", [["t", 5]]]"#.into(),
            r#"["oauth", "i", "s", [["t"]]]"#.into(),
            r#"["oauth", "i", "s", [["t", 5, 6]]]"#.into(),
            r#"["oauth", "i", "s", [], 1]"#.into(),
            r#"["oauth", "i"]"#.into(),
            r#"[5]"#.into(),
            r#"["nope"]"#.into(),
            r#"{"method":"none"}"#.into(),
            r#"{"method":"none","x":[1,{"y":2}]}"#.into(),
            r#"{"method":"nope"}"#.into(),
            r#"{"method":"None"}"#.into(),
            r#"{"method":7}"#.into(),
            r#"{"method":2}"#.into(),
            r#"{"method":null}"#.into(),
            r#"{"method":"none","method":"none"}"#.into(),
            r#"{"x":1}"#.into(),
            r#"{"method":"basic","username":"u","password":"p"}"#.into(),
            r#"{"password":"p","method":"basic","username":"u"}"#.into(),
            r#"{"method":"basic","username":"u"}"#.into(),
            r#"{"method":"basic","password":"p"}"#.into(),
            r#"{"method":"basic"}"#.into(),
            r#"{"method":"basic","username":1,"password":2}"#.into(),
            r#"{"method":"basic","password":2,"username":1}"#.into(),
            r#"{"method":"basic","username":"u","username":"v","password":"p"}"#.into(),
            r#"{"method":"basic","username":1,"username":"v"}"#.into(),
            r#"{"method":"basic","username":"u","password":"p","extra":{"a":1}}"#.into(),
            r#"{"method":"header","value":"Bearer x"}"#.into(),
            r#"{"method":"bearer","token":"t"}"#.into(),
            r#"{"method":"bearer","value":"t"}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s"}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[]}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[{"token":"t","expiresAtMs":5}]}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[{"expiresAtMs":-5,"token":"t"},{"token":"u","expiresAtMs":6,"z":0}]}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[{"token":"t"}]}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[{"expiresAtMs":1}]}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[{"token":"t","token":"u","expiresAtMs":1}]}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[{"expiresAtMs":"x","token":2}]}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[["t",1],{"token":"u","expiresAtMs":2}]}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":{"token":"t"}}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":null}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[1]}"#.into(),
            r#"{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[], "tokens": []}"#.into(),
            r#"{"method":"oauth","client_id":"i","clientSecret":"s"}"#.into(),
            r#"{"method":"oauth","clientId":"i"}"#.into(),
            r#"{"method":"oauth"}"#.into(),
            r#"{"method":"basic","username":"u","password":"p""#.into(),
            r#"{"method":"basic","username":"u",}"#.into(),
            r#"{"method":"basic" "username":"u"}"#.into(),
            r#"{"method":"bas\u0069c","username":"\u00e9","password":"p"}"#.into(),
        ];
        // Every field of every variant with every kind of value.
        for (method, fields) in [
            ("basic", &["username", "password"][..]),
            ("header", &["value"][..]),
            ("bearer", &["token"][..]),
            ("oauth", &["clientId", "clientSecret", "tokens"][..]),
        ] {
            for value in VALUES {
                for (i, _) in fields.iter().enumerate() {
                    let members: Vec<String> = fields
                        .iter()
                        .enumerate()
                        .map(|(j, name)| {
                            let v = if i == j { value } else { r#""ok""# };
                            format!(r#""{name}":{v}"#)
                        })
                        .collect();
                    docs.push(format!(r#"{{"method":"{method}",{}}}"#, members.join(",")));
                    docs.push(format!(r#"{{{},"method":"{method}"}}"#, members.join(",")));
                }
            }
        }
        for value in VALUES {
            docs.push(format!(r#"{{"method":{value}}}"#));
            docs.push(format!(
                r#"{{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[{{"token":{value},"expiresAtMs":{value}}}]}}"#
            ));
            docs.push(format!(
                r#"{{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[{{"token":"t","expiresAtMs":{value}}}]}}"#
            ));
            docs.push(format!(
                r#"{{"method":"oauth","clientId":"i","clientSecret":"s","tokens":[{value}]}}"#
            ));
            docs.push(format!(r#"["oauth","i","s",[["t",{value}]]]"#));
            docs.push(value.to_string());
        }
        docs
    }

    #[test]
    fn the_hand_written_impl_matches_the_derive() {
        let docs = documents();
        for doc in &docs {
            let (ours, theirs) = both(doc);
            assert_eq!(ours, theirs, "{doc}");
        }
        assert!(docs.len() > 300);
    }

    #[test]
    fn settings_still_read_as_before() {
        let text = br#"{"auth":{"method":"oauth","clientId":"c","clientSecret":"s","tokens":[{"token":"t","expiresAtMs":1}]},"profile":"entra"}"#;
        let settings: crate::settings::SettingsDocument = serde_json::from_slice(text).unwrap();
        assert_eq!(settings.profile, crate::settings::Profile::EntraId);
        assert_eq!(
            settings.auth,
            Auth::OAuth {
                client_id: "c".into(),
                client_secret: "s".into(),
                tokens: vec![IssuedToken {
                    token: "t".into(),
                    expires_at_ms: 1
                }],
            }
        );
    }
}
