//! Parses arbitrary text as a PATCH path and, when it parses, checks its text round-trips,
//! validates it and selects elements of a corpus user and group with it. Any panic is a bug.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scim::filter;
use serde_json::Value;

#[path = "../../tests/corpus/filter/lookup.rs"]
mod lookup;

/// One corpus resource with the lookup for its type.
struct Target {
    resource: Value,
    lookup: lookup::TestLookup,
}

fn targets() -> &'static [Target; 2] {
    static TARGETS: OnceLock<[Target; 2]> = OnceLock::new();
    TARGETS.get_or_init(|| {
        let first_with_id = |json: &str, id: &str| {
            let resources: Vec<Value> = serde_json::from_str(json).expect("corpus JSON is valid");
            resources
                .into_iter()
                .find(|r| r["id"] == id)
                .expect("the resource exists")
        };
        [
            // u7 has the most multi-valued attributes (emails, addresses, groups).
            Target {
                resource: first_with_id(include_str!("../../tests/corpus/filter/users.json"), "u7"),
                lookup: lookup::TestLookup::users(),
            },
            Target {
                resource: first_with_id(
                    include_str!("../../tests/corpus/filter/groups.json"),
                    "g1",
                ),
                lookup: lookup::TestLookup::groups(),
            },
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let path = match filter::parse_path(input) {
        Ok(path) => path,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    // Escaping control characters can make the canonical text longer than the limit.
    let text = path.to_string();
    match filter::parse_path(&text) {
        Ok(again) => assert_eq!(again, path, "round trip changed the path {text:?}"),
        Err(error) if text.len() > filter::MAX_INPUT_LEN => {
            assert!(matches!(error.kind(), filter::ErrorKind::TooLong { .. }));
        }
        Err(error) => panic!("canonical text {text:?} does not parse: {error}"),
    }
    for Target { resource, lookup } in targets() {
        let _ = filter::validate_path(&path, lookup);
        let elements = match resource.get(&path.attribute) {
            Some(Value::Array(items)) => items.as_slice(),
            Some(single) => std::slice::from_ref(single),
            None => &[],
        };
        for element in elements {
            let _ = filter::element_matches(&path, element, lookup);
        }
    }
});
