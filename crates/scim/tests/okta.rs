//! Okta's request shapes (docs/okta-model.md §3) and its 12-step SPEC test (§7), end to end
//! against one server, in the order Okta sends them.

mod common;

use common::{Harness, GROUP, PATCH_OP, USER};
use scim::{Auth, Settings};
use serde_json::json;

const AUTH: &str = "Bearer okta-spec-token";

fn okta() -> Harness {
    let settings = Settings {
        auth: Auth::Header { value: AUTH.into() },
        ..Settings::default()
    };
    let mut h = Harness::new(settings);
    // The SPEC test needs one user already on the server.
    let seed = json!({"schemas": [USER], "userName": "seed@example.com", "name": {"givenName": "Seed", "familyName": "User"},
                      "emails": [{"value": "seed@example.com", "type": "work", "primary": true}], "active": true});
    let reply = h.send("POST", "/Users", Some(&seed), &[("Authorization", AUTH)]);
    assert_eq!(reply.status, 201);
    h
}

fn okta_send(
    h: &mut Harness,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> common::Reply {
    h.send(
        method,
        path,
        body,
        &[
            ("Authorization", AUTH),
            ("User-Agent", "Okta SCIM Client 1.0.0"),
            ("Accept", "application/scim+json"),
        ],
    )
}

#[test]
fn okta_spec_test_suite() {
    let mut h = okta();

    // 1. List with count=1&startIndex=1: ListResponse, integer paging, a full user.
    let r = okta_send(&mut h, "GET", "/Users?count=1&startIndex=1", None);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
    );
    assert!(
        r.body["totalResults"].is_u64()
            && r.body["itemsPerPage"].is_u64()
            && r.body["startIndex"].is_u64()
    );
    let first = &r.body["Resources"][0];
    for key in ["id", "name", "userName", "active", "emails"] {
        assert!(!first[key].is_null(), "listed user lacks {key}: {first}");
    }
    let first_id = first["id"].as_str().expect("id").to_string();

    // 2. Get that user.
    let r = okta_send(&mut h, "GET", &format!("/Users/{first_id}"), None);
    assert_eq!(r.status, 200);
    assert_eq!(r.body["id"], json!(first_id));

    // 3. Filter a non-existent userName: zero results.
    let r = okta_send(
        &mut h,
        "GET",
        "/Users?filter=userName%20eq%20%22nobody%40example.com%22",
        None,
    );
    assert_eq!(
        (
            r.status,
            r.body["totalResults"].clone(),
            r.body["Resources"].clone()
        ),
        (200, json!(0), json!([]))
    );

    // 4. Unknown id: 404 Error with detail.
    let r = okta_send(&mut h, "GET", "/Users/010101010101", None);
    assert_eq!(r.status, 404);
    assert_eq!(
        r.body["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
    );
    assert!(r.body["detail"].as_str().is_some_and(|d| !d.is_empty()));

    // 5. POST a realistic user with Content-Type application/json: 201 echoing fields.
    let user = json!({"schemas": [USER], "userName": "Runscope.User@example.com", "name": {"givenName": "Runscope", "familyName": "User"},
                      "emails": [{"primary": true, "value": "Runscope.User@example.com", "type": "work"}],
                      "displayName": "Runscope User", "locale": "en-US", "externalId": "00u1dhhb1fkIGP7RL1d8",
                      "groups": [], "password": "1mz050nq", "active": true});
    let mut req = scim::Request::new("POST", "/Users");
    req.base_url = common::BASE.into();
    req.headers = vec![
        ("Authorization".into(), AUTH.into()),
        ("Content-Type".into(), "application/json".into()),
    ];
    req.body = serde_json::to_vec(&user).expect("json");
    let outcome = h.raw(&req);
    assert_eq!(outcome.response.status, 201);
    let created = outcome.response.json_body();
    for key in [
        "userName",
        "name",
        "emails",
        "displayName",
        "locale",
        "externalId",
        "active",
    ] {
        assert_eq!(created[key], user[key], "POST did not echo {key}");
    }
    assert!(created.get("password").is_none());
    let id = created["id"].as_str().expect("id").to_string();

    // 6. GET it.
    let r = okta_send(&mut h, "GET", &format!("/Users/{id}"), None);
    assert_eq!(
        (r.status, r.body["userName"].clone()),
        (200, json!("Runscope.User@example.com"))
    );

    // 7. POST again: 409.
    let r = okta_send(&mut h, "POST", "/Users", Some(&user));
    assert_eq!(
        (r.status, r.body["scimType"].clone()),
        (409, json!("uniqueness"))
    );

    // 8. Filter by the upper-cased userName: found (userName is caseExact=false).
    let r = okta_send(
        &mut h,
        "GET",
        "/Users?filter=userName%20eq%20%22RUNSCOPE.USER%40EXAMPLE.COM%22",
        None,
    );
    assert_eq!((r.status, r.body["totalResults"].clone()), (200, json!(1)));
    assert_eq!(r.body["Resources"][0]["id"], json!(id));

    // 9. GET /Groups: 200.
    let r = okta_send(&mut h, "GET", "/Groups", None);
    assert_eq!(r.status, 200);

    // 10. A bad Authorization: 401 with status "401" as a string and the Error schema.
    let r = h.send("GET", "/Users", None, &[("Authorization", "Bearer wrong")]);
    assert_eq!(r.status, 401);
    assert_eq!(r.body["status"], json!("401"));
    assert_eq!(
        r.body["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
    );
    assert!(r.header("WWW-Authenticate").is_some());

    // 11. Another unknown id: 404 with status "404".
    let r = okta_send(&mut h, "GET", "/Users/9999999999", None);
    assert_eq!((r.status, r.body["status"].clone()), (404, json!("404")));
}

#[test]
fn okta_user_lifecycle_request_shapes() {
    let mut h = okta();

    // Existence check, older clients with '+', newer with %20: both find nothing, then the user.
    for query in [
        "userName+eq+%22jane%40x.com%22",
        "userName%20eq%20%22jane%40x.com%22",
    ] {
        let r = okta_send(
            &mut h,
            "GET",
            &format!("/Users?filter={query}&startIndex=1&count=100"),
            None,
        );
        assert_eq!((r.status, r.body["totalResults"].clone()), (200, json!(0)));
    }
    let new_user = json!({"schemas": [USER], "userName": "jane@x.com", "name": {"givenName": "Jane", "familyName": "Doe"},
                          "emails": [{"primary": true, "value": "jane@x.com", "type": "work"}], "displayName": "Jane Doe",
                          "locale": "en-US", "externalId": "00ujane", "groups": [], "password": "random-placeholder", "active": true});
    let r = okta_send(&mut h, "POST", "/Users", Some(&new_user));
    assert_eq!(r.status, 201);
    let id = r.body["id"].as_str().expect("id").to_string();
    for query in [
        "userName+eq+%22jane%40x.com%22",
        "userName%20eq%20%22jane%40x.com%22",
    ] {
        let r = okta_send(
            &mut h,
            "GET",
            &format!("/Users?filter={query}&startIndex=1&count=100"),
            None,
        );
        assert_eq!(r.body["Resources"][0]["id"], json!(id));
    }

    // Profile update: GET, change the mapped attribute, PUT the whole body back.
    let mut body = okta_send(&mut h, "GET", &format!("/Users/{id}"), None).body;
    body["name"]["givenName"] = json!("Janet");
    let r = okta_send(&mut h, "PUT", &format!("/Users/{id}"), Some(&body));
    assert_eq!(
        (r.status, r.body["name"]["givenName"].clone()),
        (200, json!("Janet"))
    );
    assert_eq!(r.body["meta"]["version"], json!("W/\"2\""));

    // Deactivate and reactivate with path-less PATCH.
    for active in [false, true] {
        let patch = json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"active": active}}]});
        let r = okta_send(&mut h, "PATCH", &format!("/Users/{id}"), Some(&patch));
        assert_eq!((r.status, r.body["active"].clone()), (200, json!(active)));
    }

    // Password sync.
    let patch = json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"password": "n3w-secret"}}]});
    let r = okta_send(&mut h, "PATCH", &format!("/Users/{id}"), Some(&patch));
    assert_eq!(r.status, 200);
    assert!(r.body.get("password").is_none());
}

#[test]
fn okta_group_push_request_shapes() {
    let mut h = okta();
    let user_id = okta_send(
        &mut h,
        "GET",
        "/Users?filter=userName%20eq%20%22seed%40example.com%22",
        None,
    )
    .body["Resources"][0]["id"]
        .as_str()
        .expect("seed user")
        .to_string();

    // Create, then find by name.
    let r = okta_send(
        &mut h,
        "POST",
        "/Groups",
        Some(&json!({"schemas": [GROUP], "displayName": "Engineering", "members": []})),
    );
    assert_eq!(r.status, 201);
    let gid = r.body["id"].as_str().expect("id").to_string();
    let r = okta_send(
        &mut h,
        "GET",
        "/Groups?filter=displayName%20eq%20%22Engineering%22",
        None,
    );
    assert_eq!(r.body["Resources"][0]["id"], json!(gid));

    // Rename with the id in the value (sent again on every membership update).
    let rename = json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "value": {"id": gid, "displayName": "Eng"}}]});
    let r = okta_send(&mut h, "PATCH", &format!("/Groups/{gid}"), Some(&rename));
    assert_eq!(
        (r.status, r.body["displayName"].clone()),
        (200, json!("Eng"))
    );

    // Members add, visible from the user's side.
    let add = json!({"schemas": [PATCH_OP], "Operations": [{"op": "add", "path": "members", "value": [{"value": user_id, "display": "seed@example.com"}]}]});
    let r = okta_send(&mut h, "PATCH", &format!("/Groups/{gid}"), Some(&add));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["members"][0]["value"], json!(user_id));
    let r = okta_send(&mut h, "GET", &format!("/Users/{user_id}"), None);
    assert_eq!(r.body["groups"][0]["value"], json!(gid));
    assert_eq!(r.body["groups"][0]["display"], json!("Eng"));

    // Members remove by filter.
    let remove = json!({"schemas": [PATCH_OP], "Operations": [{"op": "remove", "path": format!("members[value eq \"{user_id}\"]")}]});
    let r = okta_send(&mut h, "PATCH", &format!("/Groups/{gid}"), Some(&remove));
    assert_eq!(r.status, 200);
    assert!(r.body.get("members").is_none());

    // Push Now replaces members wholesale; AIW apps PUT instead.
    let push = json!({"schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "members", "value": [{"value": user_id}]}]});
    assert_eq!(
        okta_send(&mut h, "PATCH", &format!("/Groups/{gid}"), Some(&push)).status,
        200
    );
    let put = json!({"schemas": [GROUP], "id": gid, "displayName": "Eng", "members": []});
    let r = okta_send(&mut h, "PUT", &format!("/Groups/{gid}"), Some(&put));
    assert_eq!(r.status, 200);
    assert!(r.body.get("members").is_none());

    // Unlink with delete: 204, then 404.
    assert_eq!(
        okta_send(&mut h, "DELETE", &format!("/Groups/{gid}"), None).status,
        204
    );
    assert_eq!(
        okta_send(&mut h, "GET", &format!("/Groups/{gid}"), None).status,
        404
    );
}
