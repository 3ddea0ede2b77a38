//! Parses arbitrary text as a filter and, when it parses, checks the canonical text round-trips
//! and evaluates, explains and validates it against the corpus users and groups. Any panic is a bug: on
//! wasm32 a panic kills the service worker.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scim::filter;
use serde_json::Value;

#[path = "../../tests/corpus/filter/lookup.rs"]
mod lookup;

/// The corpus resources of one type, with the lookup for that type.
struct Resources {
    resources: Vec<Value>,
    lookup: lookup::TestLookup,
}

fn resources() -> &'static [Resources; 2] {
    static RESOURCES: OnceLock<[Resources; 2]> = OnceLock::new();
    RESOURCES.get_or_init(|| {
        let load = |json: &str| serde_json::from_str(json).expect("corpus JSON is valid");
        [
            Resources {
                resources: load(include_str!("../../tests/corpus/filter/users.json")),
                lookup: lookup::TestLookup::users(),
            },
            Resources {
                resources: load(include_str!("../../tests/corpus/filter/groups.json")),
                lookup: lookup::TestLookup::groups(),
            },
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = match filter::parse(input) {
        Ok(parsed) => parsed,
        Err(error) => {
            // Rendering the caret picture slices the input by the span, so exercise it too.
            let _ = error.to_string();
            return;
        }
    };
    // Escaping control characters can make the canonical text longer than the input, and
    // longer than the limit; only then may it fail to parse.
    let text = parsed.to_string();
    match filter::parse(&text) {
        Ok(again) => assert_eq!(again, parsed, "round trip changed the tree of {text:?}"),
        Err(error) if text.len() > filter::MAX_INPUT_LEN => {
            assert!(matches!(error.kind(), filter::ErrorKind::TooLong { .. }));
        }
        Err(error) => panic!("canonical text {text:?} does not parse: {error}"),
    }
    for Resources { resources, lookup } in resources() {
        let _ = filter::validate(&parsed, lookup);
        for resource in resources {
            let matched = filter::matches(&parsed, resource, lookup);
            assert_eq!(filter::explain(&parsed, resource, lookup).matched, matched);
        }
    }
});
