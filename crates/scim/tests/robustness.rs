//! Property tests: no input makes the engine panic, every error is a well-formed SCIM error,
//! and a failed request leaves the state untouched.

mod common;

use common::{Harness, PATCH_OP};
use proptest::prelude::*;
use scim::{Request, Settings};
use serde_json::{json, Value};

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z0-9@. \"\\[\\]]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "work", "home", "True", "members", "emails", "2819c223", "u-alice", "bulkId:a"
        ])
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((attr_name(), inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn attr_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "userName",
        "name",
        "givenName",
        "emails",
        "value",
        "type",
        "primary",
        "active",
        "members",
        "displayName",
        "id",
        "schemas",
        "password",
        "groups",
        "meta",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "manager",
        "x",
    ])
    .prop_map(str::to_string)
}

fn patch_path() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "active",
        "name.givenName",
        "emails",
        "emails[type eq \"work\"]",
        "emails[type eq \"work\"].value",
        "emails[primary eq true].primary",
        "members",
        "members[value eq \"2819c223\"]",
        "members[value eq \"x\"].display",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "userName",
        "id",
        "groups",
        "emails[",
        "name..x",
        "members[value co",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ])
    .prop_map(str::to_string)
}

fn patch_body() -> impl Strategy<Value = Value> {
    let op = (
        prop::sample::select(vec![
            "add", "remove", "replace", "Replace", "Remove", "bogus",
        ]),
        patch_path(),
        prop::option::of(any_json()),
    )
        .prop_map(|(op, path, value)| {
            let mut o = json!({"op": op});
            if !path.is_empty() {
                o["path"] = json!(path);
            }
            if let Some(v) = value {
                o["value"] = v;
            }
            o
        });
    prop::collection::vec(op, 1..4)
        .prop_map(|ops| json!({"schemas": [PATCH_OP], "Operations": ops}))
}

fn check_reply(status: u16, body: &[u8], changes: usize) -> Result<(), TestCaseError> {
    prop_assert!((200..600).contains(&status));
    if status >= 400 {
        let v: Value =
            serde_json::from_slice(body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(
            &v["schemas"],
            &json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
        );
        prop_assert_eq!(&v["status"], &json!(status.to_string()));
        prop_assert_eq!(changes, 0);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_patches_never_panic_and_fail_cleanly(
        body in patch_body(),
        target in prop::sample::select(vec!["/Users/2819c223", "/Groups/g-admins"]),
        profile in prop::sample::select(vec!["strict", "okta", "entra"]),
    ) {
        let settings: Settings = serde_json::from_value(json!({"profile": profile})).expect("settings");
        let mut h = Harness::with_fixture(settings);
        let before = h.snapshot();
        let reply = h.send("PATCH", target, Some(&body), &[]);
        check_reply(reply.status, &serde_json::to_vec(&reply.body).unwrap_or_default(), reply.changes.len())?;
        if reply.status >= 400 {
            prop_assert_eq!(h.snapshot(), before);
        } else {
            h.server.undo(&reply.changes);
            prop_assert_eq!(h.snapshot(), before);
        }
    }

    #[test]
    fn random_requests_never_panic(
        method in prop::sample::select(vec!["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "get"]),
        path in prop::sample::select(vec!["/Users", "/Groups", "/Users/2819c223", "/Groups/g-admins", "/Bulk", "/.search",
                                          "/Users/.search", "/Schemas", "/ResourceTypes/User", "/ServiceProviderConfig", "/%ff/..", ""]),
        query in "[a-zA-Z=&%+ \"0-9]{0,30}",
        body in prop_oneof![any_json().prop_map(|v| serde_json::to_vec(&v).unwrap_or_default()), prop::collection::vec(any::<u8>(), 0..64)],
    ) {
        let mut h = Harness::with_fixture(Settings::default());
        let mut req = Request::new(method, path);
        req.query = query;
        req.body = body;
        let outcome = h.raw(&req);
        check_reply(outcome.response.status, &outcome.response.body, outcome.changes.len())?;
    }

    #[test]
    fn random_filters_never_panic(filter in "[a-zA-Z.\\[\\]()\" ]{0,40}") {
        let mut h = Harness::with_fixture(Settings::default());
        let mut req = Request::new("GET", "/Users");
        req.query = format!("filter={}", filter.replace(' ', "%20"));
        let outcome = h.raw(&req);
        prop_assert!(outcome.response.status == 200 || outcome.response.status == 400);
    }
}

/// Regression: each pass over pending bulk operations used to look membership up in a list,
/// making a chain of forward references cubic in the number of operations.
#[test]
fn a_long_chain_of_forward_bulk_references_resolves() {
    let n = 1000;
    let mut ops: Vec<Value> = (0..n - 1)
        .map(|k| {
            json!({"method": "POST", "path": "/Groups", "bulkId": format!("g{k}"),
                   "data": {"displayName": format!("G{k}"), "members": [{"value": format!("bulkId:g{}", k + 1)}]}})
        })
        .collect();
    ops.push(json!({"method": "POST", "path": "/Users", "bulkId": format!("g{}", n - 1), "data": {"userName": "end"}}));
    let mut h = Harness::new(Settings::default());
    let start = std::time::Instant::now();
    let reply = h.post("/Bulk", &json!({"Operations": ops}));
    assert_eq!(reply.status, 200);
    let statuses: Vec<&Value> = reply.body["Operations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| &o["status"])
        .collect();
    assert_eq!(statuses.len(), n);
    assert!(statuses.iter().all(|s| **s == json!("201")), "{statuses:?}");
    assert_eq!(reply.changes.len(), n);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}
