//! Applies arbitrary bytes, read as a PatchOp body, to a user and a group from the test fixture
//! under every compatibility profile. Any panic is a bug; a success must yield a resource that
//! keeps its id and passes the same patch-free revalidation again.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use scim::{Profile, Registry, StoredResource};
use serde_json::Value;

fn fixture() -> &'static (Registry, Vec<StoredResource>) {
    static FIXTURE: OnceLock<(Registry, Vec<StoredResource>)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let rows = serde_json::from_str(include_str!("../../tests/corpus/fixture.json"))
            .expect("fixture.json is valid");
        (Registry::core(), rows)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let (registry, rows) = fixture();
    let profile = [Profile::StrictRfc, Profile::Okta, Profile::EntraId][usize::from(selector % 3)];
    let Some(row) = rows.get(usize::from(selector / 3) % rows.len()) else {
        return;
    };
    if let Ok(patched) = scim::patch::apply(registry, row.resource_type, profile, &row.data, &body) {
        assert_eq!(patched.get("id"), row.data.get("id"), "PATCH changed the id");
        // The result is canonical: an empty replace must accept it unchanged.
        let noop = serde_json::json!({"Operations": [{"op": "add", "value": {}}],
                                      "schemas": [scim::patch::PATCH_OP]});
        let again = scim::patch::apply(registry, row.resource_type, profile, &patched, &noop);
        assert_eq!(again.as_ref(), Ok(&patched), "a patched {:?} is not canonical", row.resource_type);
    }
});
