//! The IdP compatibility profiles: the same assign → rename → unassign → reassign story told
//! by each client, with the exact requests each one sends, against a server in the matching
//! compatibility profile.

mod support;

use std::collections::BTreeMap;

use idp::client::ClientProfile;
use idp::clock::SimClock;
use idp::transport::{block_on, HttpRequest};
use serde_json::{json, Value};
use support::{add_user, body, lines, org, InProcess};

/// `(method, path after the base URL, body)` of each request; `{id}` stands for the app
/// user's id and `{okta}` for the Okta user's id.
type Wire = Vec<(&'static str, String, Value)>;

fn story(client: ClientProfile) -> (Vec<HttpRequest>, String, String) {
    let mut org = org(client);
    let transport = InProcess::new();
    if client == ClientProfile::EntraId {
        transport
            .server
            .borrow_mut()
            .set_profile(scim::Profile::EntraId);
    }
    let clock = SimClock::new(1_700_000_000_000);
    let jane = add_user(&mut org, "jane@x.com", "Jane", "Doe");
    block_on(org.assign_user(&transport, &clock, &jane)).expect("created");
    let rename = BTreeMap::from([("firstName".to_string(), Some("Janet".to_string()))]);
    block_on(org.update_user(&transport, &clock, &jane, rename)).expect("renamed");
    block_on(org.unassign_user(&transport, &clock, &jane)).expect("deactivated");
    block_on(org.assign_user(&transport, &clock, &jane)).expect("reactivated");
    let scim_id = org
        .directory
        .app_user(support::APP, &jane)
        .and_then(|a| a.external_id.clone())
        .unwrap_or_default();
    let (_, user) = transport.direct("GET", &format!("/Users/{scim_id}"), "");
    assert_eq!(user["name"]["givenName"], "Janet", "{client:?}");
    assert_eq!(user["active"], json!(true), "{client:?}");
    (transport.take_sent(), scim_id, jane)
}

fn check(client: ClientProfile, expected: Wire) {
    let (sent, scim_id, okta_id) = story(client);
    let fill = |text: &str| text.replace("{id}", &scim_id).replace("{okta}", &okta_id);
    let got: Vec<(String, String)> = lines(&sent);
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(m, p, _)| (m.to_string(), fill(p)))
        .collect();
    assert_eq!(got, want, "{client:?}");
    for (req, (_, _, expected_body)) in sent.iter().zip(&expected) {
        if expected_body.is_null() {
            continue;
        }
        let mut actual = body(req);
        // The placeholder password is random; its presence is what matters.
        if let Some(obj) = actual.as_object_mut() {
            if obj.get("password").is_some_and(Value::is_string) {
                obj.insert("password".into(), json!("<random>"));
            }
        }
        let expected_body: Value =
            serde_json::from_str(&fill(&expected_body.to_string())).unwrap_or(Value::Null);
        assert_eq!(
            actual, expected_body,
            "{client:?} {} {}",
            req.method, req.url
        );
    }
}

fn okta_create() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "jane@x.com",
        "name": {"givenName": "Jane", "familyName": "Doe"},
        "emails": [{"primary": true, "value": "jane@x.com", "type": "work"}],
        "externalId": "{okta}",
        "groups": [],
        "password": "<random>",
        "active": true,
    })
}

fn active(active: bool) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"active": active}}],
    })
}

const OKTA_CHECK: &str = "/Users?filter=userName%20eq%20%22jane%40x.com%22&startIndex=1&count=100";

/// Okta's SCIM 2.0 reference: for OIN and AIW integrations alike "all updates to a User object
/// are handled using a PUT method request"; PATCH only activates and deactivates.
#[test]
fn okta_oin_gets_then_puts_profile_changes_and_patches_only_lifecycle() {
    check(
        ClientProfile::OktaOin,
        vec![
            ("GET", OKTA_CHECK.into(), Value::Null),
            ("POST", "/Users".into(), okta_create()),
            ("GET", "/Users/{id}".into(), Value::Null),
            ("PUT", "/Users/{id}".into(), Value::Null),
            ("PATCH", "/Users/{id}".into(), active(false)),
            ("PATCH", "/Users/{id}".into(), active(true)),
        ],
    );
}

#[test]
fn okta_custom_gets_then_puts_profile_changes() {
    check(
        ClientProfile::OktaCustom,
        vec![
            ("GET", OKTA_CHECK.into(), Value::Null),
            ("POST", "/Users".into(), okta_create()),
            ("GET", "/Users/{id}".into(), Value::Null),
            ("PUT", "/Users/{id}".into(), Value::Null),
            ("PATCH", "/Users/{id}".into(), active(false)),
            ("PATCH", "/Users/{id}".into(), active(true)),
        ],
    );
}

#[test]
fn entra_checks_external_id_capitalises_ops_and_stringifies_booleans() {
    let replace_active = |value: &str| {
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "Replace", "path": "active", "value": value}],
        })
    };
    check(
        ClientProfile::EntraId,
        vec![
            (
                "GET",
                "/Users?filter=externalId%20eq%20%22{okta}%22".into(),
                Value::Null,
            ),
            (
                "POST",
                "/Users".into(),
                json!({
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": "jane@x.com",
                    "name": {"givenName": "Jane", "familyName": "Doe"},
                    "emails": [{"primary": true, "value": "jane@x.com", "type": "work"}],
                    "externalId": "{okta}",
                    "active": true,
                }),
            ),
            (
                "PATCH",
                "/Users/{id}".into(),
                json!({
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "Replace", "path": "name.givenName", "value": "Janet"}],
                }),
            ),
            ("PATCH", "/Users/{id}".into(), replace_active("False")),
            ("PATCH", "/Users/{id}".into(), replace_active("True")),
        ],
    );
}

#[test]
fn entra_sends_no_okta_user_agent() {
    let (sent, _, _) = story(ClientProfile::EntraId);
    assert!(sent.iter().all(|r| r.header("User-Agent").is_none()));
    assert!(sent
        .iter()
        .all(|r| r.header("Accept") == Some("application/scim+json")));
    let (sent, _, _) = story(ClientProfile::OktaOin);
    assert!(sent
        .iter()
        .all(|r| r.header("User-Agent") == Some("Okta SCIM Client 1.0.0")));
}
