//! Changes, undo, cold start and settings: every mutation is reported and can be reverted
//! exactly.

mod common;

use std::collections::BTreeMap;

use common::{Harness, ENTERPRISE, GROUP, PATCH_OP, USER};
use scim::schema::{AttrType, Attribute};
use scim::{
    Auth, Change, CustomAttribute, Env, Profile, ResourceKind, Server, Settings, StoredResource,
};
use serde_json::{json, Value};

/// What the worker's IndexedDB would hold after persisting `changes`.
fn persist(
    rows: &mut BTreeMap<(ResourceKind, String), Value>,
    settings: &mut Settings,
    changes: &[Change],
) {
    for change in changes {
        match change {
            Change::Resource {
                resource_type,
                id,
                after,
                ..
            } => match after {
                Some(data) => {
                    rows.insert((*resource_type, id.clone()), data.clone());
                }
                None => {
                    rows.remove(&(*resource_type, id.clone()));
                }
            },
            Change::Settings { after, .. } => *settings = (**after).clone(),
        }
    }
}

fn writes() -> Vec<(&'static str, &'static str, Option<Value>)> {
    vec![
        (
            "POST",
            "/Users",
            Some(
                json!({"schemas": [USER], "userName": "new@x", "emails": [{"value": "n@x", "primary": true}]}),
            ),
        ),
        (
            "PUT",
            "/Users/u-jsmith",
            Some(json!({"schemas": [USER], "userName": "jsmith2", "active": true})),
        ),
        (
            "PATCH",
            "/Users/2819c223",
            Some(json!({"schemas": [PATCH_OP], "Operations": [
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "w@x"},
            {"op": "add", "path": format!("{ENTERPRISE}:costCenter"), "value": "CC"}]})),
        ),
        ("DELETE", "/Users/2819c223", None),
        (
            "PATCH",
            "/Groups/g-admins",
            Some(
                json!({"schemas": [PATCH_OP], "Operations": [{"op": "add", "path": "members", "value": [{"value": "u-alice"}]}]}),
            ),
        ),
        (
            "POST",
            "/Bulk",
            Some(json!({"Operations": [
            {"method": "POST", "path": "/Users", "bulkId": "a", "data": {"userName": "bulk-a"}},
            {"method": "POST", "path": "/Groups", "bulkId": "g", "data": {"schemas": [GROUP], "displayName": "BG", "members": [{"value": "bulkId:a"}]}},
            {"method": "DELETE", "path": "/Groups/g-empty"}]})),
        ),
        ("DELETE", "/Groups/g-admins", None),
    ]
}

#[test]
fn undo_restores_the_exact_previous_state_for_every_kind_of_write() {
    for (method, path, body) in writes() {
        let mut h = Harness::with_fixture(Settings::default());
        let before = h.snapshot();
        let listing_before = h.get("/Users?sortBy=userName").body;
        let reply = h.send(method, path, body.as_ref(), &[]);
        assert!(
            reply.status < 300,
            "{method} {path} answered {}: {}",
            reply.status,
            reply.body
        );
        assert!(
            !reply.changes.is_empty(),
            "{method} {path} reported no changes"
        );
        assert_ne!(h.snapshot(), before, "{method} {path} changed nothing");
        h.server.undo(&reply.changes);
        assert_eq!(
            h.snapshot(),
            before,
            "undo of {method} {path} did not restore the rows"
        );
        // The indexes are restored too: lists, groups and userName uniqueness behave as before.
        assert_eq!(
            h.get("/Users?sortBy=userName").body,
            listing_before,
            "{method} {path}"
        );
        let dup = h.post("/Users", &json!({"schemas": [USER], "userName": "JSMITH"}));
        assert_eq!(
            dup.status, 409,
            "userName index after undo of {method} {path}"
        );
    }
}

#[test]
fn persisted_changes_reload_into_the_same_state() {
    let mut h = Harness::with_fixture(Settings::default());
    let mut rows: BTreeMap<(ResourceKind, String), Value> = h
        .snapshot()
        .into_iter()
        .map(|r| ((r.resource_type, r.id), r.data))
        .collect();
    let mut settings = h.server.settings().clone();
    for (method, path, body) in writes() {
        let reply = h.send(method, path, body.as_ref(), &[]);
        persist(&mut rows, &mut settings, &reply.changes);
    }
    let mut cold = Server::new(settings);
    cold.load(
        rows.into_iter()
            .map(|((resource_type, id), data)| StoredResource {
                resource_type,
                id,
                data,
            }),
    )
    .expect("rows load");
    let warm: Vec<StoredResource> = h.server.resources().collect();
    let reloaded: Vec<StoredResource> = cold.resources().collect();
    assert_eq!(warm, reloaded);
}

#[test]
fn failed_requests_change_nothing() {
    let mut h = Harness::with_fixture(Settings::default());
    let before = h.snapshot();
    let bad = [
        (
            "PATCH",
            "/Users/u-alice",
            json!({"schemas": [PATCH_OP], "Operations": [
            {"op": "replace", "path": "displayName", "value": "Changed"},
            {"op": "remove", "path": "userName"}]}),
        ),
        (
            "PUT",
            "/Users/u-alice",
            json!({"schemas": [USER], "userName": "jsmith"}),
        ),
        (
            "POST",
            "/Groups",
            json!({"schemas": [GROUP], "displayName": "X", "members": [{"value": "ghost"}]}),
        ),
    ];
    for (method, path, body) in bad {
        let reply = h.send(method, path, Some(&body), &[]);
        assert!(reply.status >= 400, "{method} {path} should fail");
        assert!(reply.changes.is_empty());
        assert_eq!(h.snapshot(), before, "{method} {path} left a trace");
    }
}

fn badge() -> CustomAttribute {
    CustomAttribute {
        schema: "urn:ietf:params:scim:schemas:extension:acme:2.0:User".into(),
        resource_type: ResourceKind::User,
        attribute: Attribute::new("badge", AttrType::Integer),
    }
}

#[test]
fn custom_attributes_can_be_added_used_removed_and_undone() {
    let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
    let mut h = Harness::with_fixture(Settings::default());
    let changes = h
        .server
        .add_custom_attribute(badge())
        .expect("valid attribute");
    assert!(matches!(changes.as_slice(), [Change::Settings { .. }]));

    let r = h.post(
        "/Users",
        &json!({"schemas": [USER, acme], "userName": "b", acme: {"badge": 7}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body[acme]["badge"], json!(7));
    let bad = h.post(
        "/Users",
        &json!({"schemas": [USER, acme], "userName": "c", acme: {"badge": "seven"}}),
    );
    assert_eq!(
        (bad.status, bad.body["scimType"].clone()),
        (400, json!("invalidValue"))
    );
    let filtered = h.get(&format!("/Users?filter={acme}:badge%20gt%205"));
    assert_eq!(filtered.body["totalResults"], json!(1));
    assert_eq!(h.get(&format!("/Schemas/{acme}")).status, 200);

    let changes = h
        .server
        .remove_custom_attribute(ResourceKind::User, acme, "BADGE")
        .expect("exists");
    // One settings change plus the one user whose value and schema URN were stripped.
    assert_eq!(changes.len(), 2, "{changes:?}");
    let user = h.get("/Users/new-1").body;
    assert!(user.get(acme).is_none());
    assert_eq!(user["schemas"], json!([USER]));
    assert_eq!(h.get(&format!("/Schemas/{acme}")).status, 404);
    // The stripped user is still valid: a GET-then-PUT round trip succeeds.
    assert_eq!(h.put("/Users/new-1", &user).status, 200);

    let mut h2 = Harness::with_fixture(Settings::default());
    h2.server.add_custom_attribute(badge()).expect("valid");
    let r = h2.post(
        "/Users",
        &json!({"schemas": [USER, acme], "userName": "b", acme: {"badge": 7}}),
    );
    assert_eq!(r.status, 201);
    let snapshot = h2.snapshot();
    let changes = h2
        .server
        .remove_custom_attribute(ResourceKind::User, acme, "badge")
        .expect("exists");
    h2.server.undo(&changes);
    assert_eq!(h2.snapshot(), snapshot);
    assert_eq!(h2.get("/Users/new-1").body[acme]["badge"], json!(7));

    assert!(h
        .server
        .remove_custom_attribute(ResourceKind::User, acme, "badge")
        .is_err());
    let mut clash = badge();
    clash.schema = USER.into();
    clash.attribute.name = "userName".into();
    assert!(h.server.add_custom_attribute(clash).is_err());
}

#[test]
fn auth_and_profile_changes_are_changes_and_undoable() {
    let mut h = Harness::with_fixture(Settings::default());
    let changes = h.server.set_profile(Profile::StrictRfc);
    assert_eq!(h.get("/Users").header("X-Scim-Profile"), Some("strict-rfc"));
    h.server.undo(&changes);
    assert_eq!(h.get("/Users").header("X-Scim-Profile"), Some("okta"));

    let changes = h.server.set_auth(Auth::Bearer { token: "t".into() });
    assert_eq!(changes.len(), 1);
    assert_eq!(h.get("/Users").status, 401);
    h.server.undo(&changes);
    assert_eq!(h.get("/Users").status, 200);
}

#[test]
fn oauth_tokens_are_issued_checked_and_expire() {
    let mut h = Harness::with_fixture(Settings::default());
    h.server.set_auth(Auth::OAuth {
        client_id: "okta".into(),
        client_secret: "s3cret".into(),
        tokens: Vec::new(),
    });
    let mut ids = || "access-1".to_string();
    let mut env = Env::from_unix_ms(h.now_ms, &mut ids);
    assert!(h.server.issue_token("okta", "wrong", 60, &mut env).is_err());
    let (token, changes) = h
        .server
        .issue_token("okta", "s3cret", 60, &mut env)
        .expect("issued");
    assert_eq!(changes.len(), 1);
    assert_eq!(token.token, "access-1");
    let bearer = format!("Bearer {}", token.token);
    assert_eq!(
        h.send("GET", "/Users", None, &[("Authorization", &bearer)])
            .status,
        200
    );
    h.now_ms += 61_000;
    let expired = h.send("GET", "/Users", None, &[("Authorization", &bearer)]);
    assert_eq!(expired.status, 401);
    assert!(expired.body["detail"]
        .as_str()
        .is_some_and(|d| d.contains("expired")));
}

#[test]
fn settings_round_trip_through_json() {
    let settings = Settings {
        auth: Auth::OAuth {
            client_id: "c".into(),
            client_secret: "s".into(),
            tokens: Vec::new(),
        },
        profile: Profile::EntraId,
        custom_attributes: vec![badge()],
        ..Settings::default()
    };
    let text = serde_json::to_string(&settings).expect("serialises");
    let back: Settings = serde_json::from_str(&text).expect("deserialises");
    assert_eq!(back, settings);
    // Older or partial settings documents fill in defaults.
    let partial: Settings = serde_json::from_str(r#"{"profile":"strict"}"#).expect("partial");
    assert_eq!(partial.profile, Profile::StrictRfc);
    assert_eq!(partial.auth, Auth::None);
}
