//! Writes response JSON with object members in the order RFC 7643 and RFC 7644 show them
//! (`schemas`, `id`, `externalId`, `userName`, …, extensions, `meta`), whatever order the map
//! holds them in.
//!
//! The engine keeps JSON in `serde_json::Value`, whose maps are sorted by key unless some crate
//! in the build enables serde_json's `preserve_order`. That feature costs an `IndexMap` with a
//! SipHash lookup per member access on the hot list scan, and wasm size, so the engine does not
//! ask for it; people still read responses in the traffic panel, so the order is decided here,
//! once, when the body is written. Members this table does not know (custom attributes) follow
//! the known ones in the map's order, extension URNs come after them, and `meta` is always last.

use serde_json::{Map, Value};

/// Known member names and their rank, sorted by name for a binary search. The ranks merge the
/// member orders of every object the engine writes: resources and their complex values, list,
/// bulk and error messages, and the discovery documents. Schema attribute definitions have their
/// own order ([`ATTRIBUTE_DEFINITION`]).
const RANKS: &[(&str, u16)] = &[
    ("$ref", 14),
    ("Operations", 19),
    ("Resources", 36),
    ("active", 71),
    ("addresses", 80),
    ("attributes", 57),
    ("authenticationSchemes", 76),
    ("bulk", 66),
    ("bulkId", 10),
    ("changePassword", 70),
    ("costCenter", 15),
    ("country", 44),
    ("created", 16),
    ("cursor", 85),
    ("cursorTimeout", 90),
    ("data", 31),
    ("defaultPageSize", 88),
    ("defaultPaginationMethod", 87),
    ("department", 40),
    ("description", 53),
    ("detail", 46),
    ("display", 25),
    ("displayName", 49),
    ("division", 35),
    ("documentationUri", 59),
    ("emails", 75),
    ("employeeNumber", 5),
    ("endpoint", 50),
    ("entitlements", 82),
    ("etag", 74),
    ("externalId", 17),
    ("failOnErrors", 9),
    ("familyName", 12),
    ("filter", 68),
    ("formatted", 3),
    ("givenName", 23),
    ("groups", 81),
    ("honorificPrefix", 38),
    ("honorificSuffix", 43),
    ("id", 7),
    ("ims", 78),
    ("index", 86),
    ("itemsPerPage", 18),
    ("lastModified", 27),
    ("locale", 67),
    ("locality", 24),
    ("location", 30),
    ("manager", 45),
    ("maxOperations", 11),
    ("maxPageSize", 89),
    ("maxPayloadSize", 22),
    ("maxResults", 32),
    ("members", 52),
    ("method", 1),
    ("middleName", 33),
    ("name", 48),
    ("nextCursor", 31),
    ("nickName", 51),
    ("organization", 26),
    ("pagination", 73),
    ("password", 73),
    ("patch", 63),
    ("path", 21),
    ("phoneNumbers", 77),
    ("photos", 79),
    ("postalCode", 39),
    ("preferredLanguage", 65),
    ("previousCursor", 30),
    ("primary", 64),
    ("profileUrl", 54),
    ("region", 34),
    ("required", 61),
    ("resourceType", 6),
    ("response", 41),
    ("roles", 83),
    ("schema", 56),
    ("schemaExtensions", 60),
    ("scimType", 42),
    ("sort", 72),
    ("specUri", 55),
    ("startIndex", 29),
    ("status", 37),
    ("streetAddress", 13),
    ("supported", 2),
    ("timezone", 69),
    ("title", 58),
    ("totalResults", 8),
    ("type", 47),
    ("userName", 28),
    ("userType", 62),
    ("value", 4),
    ("version", 20),
    ("x509Certificates", 84),
];

/// The members of an attribute definition (`GET /Schemas`), in RFC 7643 §7's order.
const ATTRIBUTE_DEFINITION: &[&str] = &[
    "name",
    "type",
    "multiValued",
    "description",
    "required",
    "caseExact",
    "mutability",
    "returned",
    "uniqueness",
    "canonicalValues",
    "referenceTypes",
    "subAttributes",
];

const UNKNOWN: u16 = 1000;
const EXTENSION: u16 = 2000;
const LAST: u16 = 3000;

/// Serialises `value` as compact JSON with members in RFC order. The service worker can use it
/// for its own SCIM-shaped bodies (errors, admin answers), which would otherwise come out in
/// alphabetical order now that nothing in its build enables `preserve_order`.
///
/// ```
/// let error = serde_json::json!({"detail": "d", "status": "500",
///     "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"]});
/// assert_eq!(
///     scim::json::to_vec(&error),
///     br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"d"}"#
/// );
/// ```
pub fn to_vec(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write(&mut out, value);
    out
}

fn write(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => write_object(out, map),
    }
}

fn write_object(out: &mut Vec<u8>, map: &Map<String, Value>) {
    let mut members: Vec<(u16, &String, &Value)> = if map.contains_key("multiValued") {
        map.iter()
            .map(|(k, v)| {
                let rank = ATTRIBUTE_DEFINITION.iter().position(|n| n == k);
                (rank.map_or(UNKNOWN, |r| r as u16), k, v)
            })
            .collect()
    } else {
        // `meta` lists `location` before `version`; a bulk operation result the other way round.
        let meta = map.contains_key("resourceType");
        map.iter().map(|(k, v)| (rank(k, meta), k, v)).collect()
    };
    // An insertion sort: objects have a few dozen members at most, it is stable (members of
    // equal rank keep the map's order), and it keeps the standard library's sorts, which are
    // large, out of the worker's wasm.
    for i in 1..members.len() {
        let mut j = i;
        while j > 0 && members[j - 1].0 > members[j].0 {
            members.swap(j - 1, j);
            j -= 1;
        }
    }
    out.push(b'{');
    for (i, (_, key, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, key);
        out.push(b':');
        write(out, value);
    }
    out.push(b'}');
}

fn rank(key: &str, in_meta: bool) -> u16 {
    match key {
        "schemas" => 0,
        "meta" => LAST,
        "version" if in_meta => LAST - 1,
        _ if key.starts_with("urn:") => EXTENSION,
        _ => RANKS
            .binary_search_by(|(name, _)| (*name).cmp(key))
            .map_or(UNKNOWN, |i| RANKS[i].1),
    }
}

/// Writes a JSON string literal (RFC 8259 §7), escaping only what must be escaped, as
/// serde_json does.
fn write_str(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_rank_table_is_sorted_for_binary_search() {
        assert!(RANKS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn a_user_is_written_in_rfc_order() {
        let user = json!({
            "meta": {"version": "W/\"1\"", "location": "l", "created": "c", "resourceType": "User"},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "m"}, "department": "d"},
            "emails": [{"primary": true, "type": "work", "value": "a@x"}],
            "active": true,
            "name": {"givenName": "B", "familyName": "J"},
            "userName": "bj",
            "id": "1",
            "schemas": ["u"],
        });
        let text = String::from_utf8(to_vec(&user)).unwrap();
        assert_eq!(
            text,
            r#"{"schemas":["u"],"id":"1","userName":"bj","name":{"familyName":"J","givenName":"B"},"active":true,"emails":[{"value":"a@x","type":"work","primary":true}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"d","manager":{"value":"m"}},"meta":{"resourceType":"User","created":"c","location":"l","version":"W/\"1\""}}"#
        );
    }

    #[test]
    fn a_bulk_result_keeps_version_before_location() {
        let op = json!({"status": "200", "location": "l", "version": "v", "method": "PATCH"});
        let text = String::from_utf8(to_vec(&op)).unwrap();
        assert_eq!(
            text,
            r#"{"method":"PATCH","version":"v","location":"l","status":"200"}"#
        );
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        let value = json!(["a\"b\\c\n\t\u{1}\u{7f}é€😀", 1.5, -3, null, {}]);
        assert_eq!(to_vec(&value), serde_json::to_vec(&value).unwrap());
    }
}
