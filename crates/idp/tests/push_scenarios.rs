//! Whole To App scenarios against the SCIM engine in process, asserting the exact requests
//! Okta would send (docs/okta-model.md §3).

mod support;

use std::collections::BTreeMap;

use idp::client::ClientProfile;
use idp::clock::{Clock, SimClock};
use idp::directory::{Directory, Lifecycle, SyncState};
use idp::push::{App, Provisioner, PushError};
use idp::rng::Entropy;
use idp::settings::{ApiAuth, ProvisioningSettings};
use idp::syslog::{event_type, Outcome, SystemLog};
use idp::transport::{block_on, HttpRequest, TransportError};
use serde_json::{json, Value};
use support::{json_response, InProcess, BASE_URL};

const APP: &str = "0oaSCIMAPP";

struct World {
    transport: InProcess,
    clock: SimClock,
    log: SystemLog,
    entropy: Entropy,
    dir: Directory,
    app: App,
    jane: String,
}

impl World {
    fn new(client: ClientProfile) -> World {
        let mut dir = Directory::new(9);
        let profile = [
            ("login", "jane@x.com"),
            ("email", "jane@x.com"),
            ("firstName", "Jane"),
            ("lastName", "Doe"),
            ("displayName", "Jane Doe"),
            ("locale", "en_US"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let jane = dir
            .create_user(profile, BTreeMap::new())
            .expect("a valid user");
        dir.set_password(&jane, "Okta-pw-1").expect("jane exists");
        dir.transition(&jane, Lifecycle::Activate)
            .expect("staged users activate");
        let mut settings = ProvisioningSettings::new(
            BASE_URL,
            ApiAuth::Header {
                value: "Bearer playground".into(),
            },
        );
        settings.client = client;
        World {
            transport: InProcess::new(),
            clock: SimClock::new(1_700_000_000_000),
            log: SystemLog::new(),
            entropy: Entropy::default(),
            dir,
            app: App::scim_template(APP, "SCIM Playground", settings),
            jane,
        }
    }

    fn run<T>(
        &mut self,
        step: impl for<'a> FnOnce(
            &'a mut Provisioner<'_>,
            &'a mut Directory,
            &'a str,
        )
            -> std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>,
    ) -> T {
        let clock = std::mem::take(&mut self.clock);
        let out = self.run_with(&clock, step);
        self.clock = clock;
        out
    }

    /// Runs `step` on `clock` instead of the world's.
    fn run_with<T>(
        &mut self,
        clock: &dyn idp::clock::Clock,
        step: impl for<'a> FnOnce(
            &'a mut Provisioner<'_>,
            &'a mut Directory,
            &'a str,
        )
            -> std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>,
    ) -> T {
        let okta_profile = idp::profile::OktaProfile::default();
        let mut provisioner = Provisioner {
            app: &self.app,
            okta_profile: &okta_profile,
            transport: &self.transport,
            clock,
            log: &mut self.log,
            entropy: self.entropy,
        };
        let jane = self.jane.clone();
        block_on(step(&mut provisioner, &mut self.dir, &jane))
    }

    fn assign(&mut self) -> Result<(), PushError> {
        self.run(|p, dir, jane| Box::pin(p.assign_user(dir, jane)))
    }

    fn rename(&mut self, first: &str) -> Result<(), PushError> {
        let changes = BTreeMap::from([("firstName".to_string(), Some(first.to_string()))]);
        self.run(move |p, dir, jane| Box::pin(p.update_user(dir, jane, changes)))
    }

    fn scim_id(&self) -> Option<String> {
        self.dir
            .app_user(APP, &self.jane)
            .and_then(|a| a.external_id.clone())
    }

    fn server_user(&self) -> Value {
        let id = self.scim_id().unwrap_or_default();
        self.transport.direct("GET", &format!("/Users/{id}"), "").1
    }
}

fn body(req: &HttpRequest) -> Value {
    req.body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null)
}

fn okta_headers(req: &HttpRequest) {
    assert_eq!(req.header("User-Agent"), Some("Okta SCIM Client 1.0.0"));
    assert_eq!(
        req.header("Accept"),
        Some("application/scim+json; charset=utf-8")
    );
    assert_eq!(req.header("Authorization"), Some("Bearer playground"));
    let content_type = req.header("Content-Type");
    match req.body {
        Some(_) => assert_eq!(content_type, Some("application/scim+json; charset=utf-8")),
        None => assert_eq!(content_type, None),
    }
}

#[test]
fn assigning_a_user_checks_existence_then_posts_okta_s_create_body() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world.assign().expect("the push succeeds");
    let sent = world.transport.take_sent();
    assert_eq!(sent.len(), 2);
    let (check, post) = (&sent[0], &sent[1]);
    okta_headers(check);
    okta_headers(post);
    assert_eq!(check.method, "GET");
    assert_eq!(
        check.url,
        format!(
            "{BASE_URL}/Users?filter=userName%20eq%20%22jane%40x.com%22&startIndex=1&count=100"
        )
    );
    assert_eq!(post.method, "POST");
    assert_eq!(post.url, format!("{BASE_URL}/Users"));
    let created = body(post);
    let password = created["password"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        password.len(),
        16,
        "a random placeholder when Sync Password is off"
    );
    assert_ne!(password, "Okta-pw-1");
    assert_eq!(
        created,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "jane@x.com",
            "name": {"givenName": "Jane", "familyName": "Doe"},
            "emails": [{"primary": true, "value": "jane@x.com", "type": "work"}],
            "displayName": "Jane Doe",
            "locale": "en_US",
            "externalId": world.jane,
            "groups": [],
            "password": password,
            "active": true,
        })
    );
    let app_user = world.dir.app_user(APP, &world.jane).expect("assigned");
    assert_eq!(app_user.sync, SyncState::Synced);
    assert!(app_user.active);
    assert_eq!(world.server_user()["userName"], "jane@x.com");
    let types: Vec<_> = world
        .log
        .events()
        .iter()
        .map(|e| (e.event_type.as_str(), e.outcome))
        .collect();
    assert_eq!(
        types,
        vec![
            (event_type::VERIFY_EXISTS, Outcome::Success),
            (event_type::PUSH, Outcome::Success)
        ]
    );
}

#[test]
fn sync_password_with_the_okta_seed_sends_the_okta_password() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world.app.settings.to_app.sync_password = true;
    world.app.settings.to_app.password_seed = idp::settings::PasswordSeed::Okta;
    world.assign().expect("the push succeeds");
    let sent = world.transport.take_sent();
    assert_eq!(
        sent.get(1).map(body).map(|b| b["password"].clone()),
        Some(json!("Okta-pw-1"))
    );
}

#[test]
fn renaming_in_an_aiw_app_gets_then_puts_the_whole_resource() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world.assign().expect("created");
    world.transport.take_sent();
    world.rename("Janet").expect("pushed");
    let sent = world.transport.take_sent();
    let id = world.scim_id().expect("linked");
    let url = format!("{BASE_URL}/Users/{id}");
    assert_eq!(sent.len(), 2);
    assert_eq!(
        (sent[0].method.as_str(), sent[0].url.as_str()),
        ("GET", url.as_str())
    );
    assert_eq!(
        (sent[1].method.as_str(), sent[1].url.as_str()),
        ("PUT", url.as_str())
    );
    okta_headers(&sent[1]);
    let put = body(&sent[1]);
    assert_eq!(put["id"], json!(id));
    assert_eq!(put["active"], json!(true));
    assert_eq!(put["name"]["givenName"], "Janet");
    assert_eq!(put["userName"], "jane@x.com");
    assert_eq!(world.server_user()["name"]["givenName"], "Janet");
    assert_eq!(
        world.log.events().last().map(|e| e.event_type.as_str()),
        Some(event_type::PUSH_PROFILE)
    );
}

/// Okta's SCIM 2.0 reference: for OIN and AIW integrations alike "all updates to a User object
/// are handled using a PUT method request"; PATCH is for lifecycle and password only. So an
/// edit made inside the app to a mapped attribute does not survive Okta's next push.
#[test]
fn renaming_in_an_oin_app_gets_then_puts_and_overwrites_app_side_edits() {
    let mut world = World::new(ClientProfile::OktaOin);
    world.assign().expect("created");
    let id = world.scim_id().expect("linked");
    let edited = world.transport.direct(
        "PATCH",
        &format!("/Users/{id}"),
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations":[{"op":"replace","path":"name.familyName","value":"Edited in the app"},
                          {"op":"replace","path":"nickName","value":"JJ"}]}"#,
    );
    assert_eq!(edited.0, 200);
    world.transport.take_sent();
    world.rename("Janet").expect("pushed");
    let sent = world.transport.take_sent();
    let url = format!("{BASE_URL}/Users/{id}");
    let lines: Vec<(&str, &str)> = sent
        .iter()
        .map(|r| (r.method.as_str(), r.url.as_str()))
        .collect();
    assert_eq!(lines, [("GET", url.as_str()), ("PUT", url.as_str())]);
    okta_headers(&sent[1]);
    let put = body(&sent[1]);
    assert_eq!(put["name"]["givenName"], "Janet");
    assert_eq!(
        put["name"]["familyName"], "Doe",
        "Okta's mapped value, not the app's edit"
    );
    assert_eq!(
        put["nickName"], "JJ",
        "an unmapped attribute comes back as the app has it"
    );
    let user = world.server_user();
    assert_eq!(user["name"]["familyName"], "Doe");
    assert_eq!(user["name"]["givenName"], "Janet");
}

#[test]
fn exclude_username_updates_keeps_the_app_username() {
    let mut world = World::new(ClientProfile::OktaOin);
    world.app.settings.to_app.exclude_username_updates = true;
    world.assign().expect("created");
    world.transport.take_sent();
    let changes = BTreeMap::from([("login".to_string(), Some("janet@x.com".to_string()))]);
    world
        .run(move |p, dir, jane| Box::pin(p.update_user(dir, jane, changes)))
        .expect("nothing to push is not an error");
    assert!(world.transport.take_sent().is_empty());
    assert_eq!(world.server_user()["userName"], "jane@x.com");
}

#[test]
fn unassigning_deactivates_and_reassigning_reactivates_with_pathless_patches() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world.assign().expect("created");
    world.transport.take_sent();
    world
        .run(|p, dir, jane| Box::pin(p.unassign_user(dir, jane)))
        .expect("deactivated");
    world.assign().expect("reactivated");
    let sent = world.transport.take_sent();
    let url = format!("{BASE_URL}/Users/{}", world.scim_id().expect("kept"));
    assert_eq!(
        sent.len(),
        2,
        "a reassignment does not check existence again"
    );
    for (req, active) in sent.iter().zip([false, true]) {
        okta_headers(req);
        assert_eq!(
            (req.method.as_str(), req.url.as_str()),
            ("PATCH", url.as_str())
        );
        assert_eq!(
            body(req),
            json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "value": {"active": active}}],
            })
        );
    }
    assert_eq!(world.server_user()["active"], json!(true));
    let events: Vec<_> = world
        .log
        .events()
        .iter()
        .map(|e| e.event_type.as_str())
        .collect();
    assert!(events.ends_with(&[event_type::DEACTIVATE, event_type::REACTIVATE]));
}

#[test]
fn suspending_sends_nothing_and_deactivating_the_okta_user_deactivates_the_account() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world.assign().expect("created");
    world.transport.take_sent();
    world
        .run(|p, dir, jane| Box::pin(p.user_lifecycle(dir, jane, Lifecycle::Suspend)))
        .expect("suspended");
    world
        .run(|p, dir, jane| Box::pin(p.user_lifecycle(dir, jane, Lifecycle::Unsuspend)))
        .expect("unsuspended");
    assert!(world.transport.take_sent().is_empty());
    world
        .run(|p, dir, jane| Box::pin(p.user_lifecycle(dir, jane, Lifecycle::Deactivate)))
        .expect("deactivated");
    assert_eq!(world.server_user()["active"], json!(false));
}

#[test]
fn an_existing_app_user_is_linked_not_duplicated() {
    let mut world = World::new(ClientProfile::OktaCustom);
    let (status, existing) = world.transport.direct(
        "POST",
        "/Users",
        r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane@x.com","name":{"givenName":"J"}}"#,
    );
    assert_eq!(status, 201);
    world.assign().expect("linked");
    let sent = world.transport.take_sent();
    let methods: Vec<_> = sent.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, vec!["GET", "GET", "PUT"]);
    assert_eq!(world.scim_id().as_deref(), existing["id"].as_str());
    let (_, list) = world.transport.direct("GET", "/Users", "");
    assert_eq!(list["totalResults"], 1);
    assert_eq!(world.server_user()["name"]["givenName"], "Jane");
}

/// Linking an account that exists, deactivated, in the app leaves it active with the IdP's
/// profile. Okta's requests are accepted by the built-in server in every server profile, the
/// strict one included; Entra ID's capitalised operations need the Entra profile.
#[test]
fn linking_a_deactivated_existing_account_leaves_it_active_in_every_client_profile() {
    use scim::Profile as Server;
    let pairs = [
        (ClientProfile::OktaCustom, Server::StrictRfc),
        (ClientProfile::OktaOin, Server::StrictRfc),
        (ClientProfile::OktaOin, Server::Okta),
        (ClientProfile::OktaOin, Server::EntraId),
        (ClientProfile::EntraId, Server::EntraId),
    ];
    for (client, server) in pairs {
        let mut world = World::new(client);
        world.transport = support::InProcess::with_settings(scim::Settings {
            profile: server,
            ..scim::Settings::default()
        });
        // Entra ID looks the account up by externalId (the Okta user id), Okta by userName.
        let existing = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "jane@x.com", "externalId": world.jane, "active": false,
            "addresses": [{"type": "work", "country": "FR"}]});
        let (status, _) = world
            .transport
            .direct("POST", "/Users", &existing.to_string());
        assert_eq!(status, 201);
        world
            .assign()
            .unwrap_or_else(|e| panic!("{client:?} on {server:?}: {e}"));
        let user = world.server_user();
        assert_eq!(user["active"], json!(true), "{client:?}: {user}");
        assert_eq!(user["name"]["givenName"], "Jane", "{client:?}");
        assert_eq!(
            world.transport.direct("GET", "/Users", "").1["totalResults"],
            1
        );
    }
}

#[test]
fn a_conflict_is_logged_as_failure_and_leaves_the_directory_consistent() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world
        .transport
        .script(Ok(json_response(200, json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0, "Resources": []}))));
    world.transport.script(Ok(json_response(
        409,
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "scimType": "uniqueness", "detail": "userName exists"}),
    )));
    let result = world.assign();
    assert_eq!(
        result,
        Err(PushError::Http {
            status: 409,
            detail: "userName exists".into()
        })
    );
    let app_user = world
        .dir
        .app_user(APP, &world.jane)
        .expect("the assignment stays");
    assert!(app_user.is_assigned());
    assert_eq!(app_user.external_id, None);
    assert!(app_user.profile.is_empty());
    assert!(matches!(app_user.sync, SyncState::Error { .. }));
    let last = world.log.events().last().expect("logged");
    assert_eq!(
        (last.event_type.as_str(), last.outcome),
        (event_type::PUSH, Outcome::Failure)
    );
    assert_eq!(last.status, Some(409));
    assert!(last.request.as_ref().is_some_and(|r| r.method == "POST"));
}

#[test]
fn a_server_error_on_update_keeps_the_last_pushed_profile() {
    let mut world = World::new(ClientProfile::OktaOin);
    world.assign().expect("created");
    world
        .transport
        .script(Ok(json_response(500, json!({"detail": "boom"}))));
    assert!(matches!(
        world.rename("Janet"),
        Err(PushError::Http { status: 500, .. })
    ));
    let app_user = world.dir.app_user(APP, &world.jane).expect("assigned");
    assert_eq!(app_user.profile.get("givenName"), Some(&json!("Jane")));
    assert!(matches!(app_user.sync, SyncState::Error { .. }));
    assert_eq!(
        world
            .dir
            .user(&world.jane)
            .and_then(|u| u.attr("firstName")),
        Some("Janet")
    );
    // The next change pushes the whole difference and clears the error.
    world.rename("Jay").expect("pushed");
    assert_eq!(world.server_user()["name"]["givenName"], "Jay");
    assert_eq!(
        world.dir.app_user(APP, &world.jane).map(|a| a.sync.clone()),
        Some(SyncState::Synced)
    );
}

#[test]
fn the_system_log_keeps_each_request_s_headers_as_okta_sends_them() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world.assign().expect("the push succeeds");
    for event in world.log.events() {
        let request = event.request.as_ref().expect("the event sent a request");
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(
            header("User-Agent"),
            Some("Okta SCIM Client 1.0.0"),
            "{}",
            event.event_type
        );
        assert!(
            header("Authorization").is_none_or(|v| v.ends_with("••••••••")),
            "the credential is masked: {:?}",
            request.headers
        );
    }
}

#[test]
fn a_network_failure_is_logged_without_a_status() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world
        .transport
        .script(Err(TransportError::Network("refused".into())));
    assert!(matches!(world.assign(), Err(PushError::Transport(_))));
    let last = world.log.events().last().expect("logged");
    assert_eq!(last.event_type, event_type::VERIFY_EXISTS);
    assert_eq!((last.outcome, last.status), (Outcome::Failure, None));
    assert_eq!(world.scim_id(), None);
}

#[test]
fn a_rate_limit_is_retried_after_retry_after_on_the_simulated_clock() {
    let mut world = World::new(ClientProfile::OktaCustom);
    let mut limited = json_response(429, json!({"detail": "slow down"}));
    limited.headers.push(("Retry-After".into(), "7".into()));
    world.transport.script(Ok(limited.clone()));
    world.transport.script(Ok(limited));
    let before = world.clock.now_ms();
    world.assign().expect("succeeds after the waits");
    assert_eq!(world.clock.now_ms() - before, 14_000);
    assert_eq!(world.transport.take_sent().len(), 4);
    assert_eq!(world.log.events().len(), 2, "one event per logical request");
}

/// A clock that records each backoff and its reason, and cancels them when told to.
struct Watching<'a> {
    inner: &'a SimClock,
    waits: std::cell::RefCell<Vec<(u64, String)>>,
    cancel: bool,
}

impl idp::clock::Clock for Watching<'_> {
    fn now_ms(&self) -> i64 {
        self.inner.now_ms()
    }

    fn sleep(&self, ms: u64) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>> {
        self.inner.sleep(ms)
    }

    fn backoff(
        &self,
        ms: u64,
        why: &str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = bool> + '_>> {
        self.waits.borrow_mut().push((ms, why.to_string()));
        if !self.cancel {
            self.inner.advance(ms);
        }
        Box::pin(std::future::ready(!self.cancel))
    }
}

fn watching(world: &mut World, cancel: bool) -> (Result<(), PushError>, Vec<(u64, String)>) {
    let clock = SimClock::new(world.clock.now_ms());
    let watch = Watching {
        inner: &clock,
        waits: std::cell::RefCell::new(Vec::new()),
        cancel,
    };
    let result = world.run_with(&watch, |p, dir, jane| Box::pin(p.assign_user(dir, jane)));
    (result, watch.waits.into_inner())
}

#[test]
fn a_429_whose_retry_after_this_browser_cannot_read_is_retried_within_seconds() {
    let mut world = World::new(ClientProfile::OktaCustom);
    // A server on another origin that does not expose Retry-After: the page sees none.
    let mut hidden = json_response(429, json!({"detail": "slow down"}));
    hidden.cross_origin = true;
    world.transport.script(Ok(hidden.clone()));
    world.transport.script(Ok(hidden));
    let (result, waits) = watching(&mut world, false);
    result.expect("succeeds after the waits");
    assert_eq!(
        waits.iter().map(|(ms, _)| *ms).collect::<Vec<_>>(),
        vec![5_000, 10_000]
    );
    assert!(
        waits[0].1.contains("Access-Control-Expose-Headers"),
        "{}",
        waits[0].1
    );
    assert!(
        waits[0].1.starts_with("try 1 of 10 answered 429"),
        "{}",
        waits[0].1
    );
}

#[test]
fn a_429_without_retry_after_that_okta_could_read_waits_five_minutes_doubling() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world.transport.script(Ok(json_response(429, json!({}))));
    world.transport.script(Ok(json_response(429, json!({}))));
    let (result, waits) = watching(&mut world, false);
    result.expect("succeeds after the waits");
    assert_eq!(
        waits.iter().map(|(ms, _)| *ms).collect::<Vec<_>>(),
        vec![300_000, 600_000]
    );
    assert!(waits[1].1.contains("Okta waits 10 min"), "{}", waits[1].1);
}

#[test]
fn a_cancelled_wait_sends_nothing_more_and_is_logged() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world.transport.script(Ok(json_response(429, json!({}))));
    let (result, waits) = watching(&mut world, true);
    assert_eq!(result, Err(PushError::RetryCancelled));
    assert_eq!(waits.len(), 1);
    assert_eq!(
        world.transport.take_sent().len(),
        1,
        "nothing is sent after the cancel"
    );
    let last = world.log.events().last().expect("logged");
    assert_eq!((last.outcome, last.status), (Outcome::Failure, Some(429)));
    assert_eq!(world.scim_id(), None);
}

#[test]
fn a_rate_limit_that_never_ends_gives_up_after_ten_tries() {
    let mut world = World::new(ClientProfile::OktaCustom);
    for _ in 0..10 {
        world.transport.script(Ok(json_response(429, json!({}))));
    }
    assert_eq!(world.assign(), Err(PushError::RateLimited(10)));
    assert_eq!(world.transport.take_sent().len(), 10);
    assert_eq!(world.scim_id(), None);
}

#[test]
fn test_api_credentials_lists_two_users_then_groups_and_reports_a_401() {
    let transport = InProcess::new();
    let clock = SimClock::new(0);
    let mut org = support::org(ClientProfile::OktaOin);
    block_on(org.test_credentials(&transport, &clock)).expect("the server answers");
    let sent = transport.take_sent();
    assert_eq!(
        support::lines(&sent),
        vec![
            ("GET".to_string(), "/Users?startIndex=1&count=2".to_string()),
            (
                "GET".to_string(),
                "/Groups?startIndex=1&count=100".to_string()
            ),
        ]
    );
    transport.script(Ok(json_response(
        401,
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "401", "detail": "bad token"}),
    )));
    assert_eq!(
        block_on(org.test_credentials(&transport, &clock)),
        Err(PushError::Http {
            status: 401,
            detail: "bad token".into()
        })
    );
    // Each request is in the System Log under the playground's own event type, the 401 failed.
    let events: Vec<_> = org
        .log
        .events()
        .iter()
        .map(|e| (e.event_type.as_str(), e.outcome, e.status))
        .collect();
    use idp::syslog::{event_type, Outcome};
    let test = event_type::TEST_API_CREDENTIALS;
    assert_eq!(
        events,
        vec![
            (test, Outcome::Success, Some(200)),
            (test, Outcome::Success, Some(200)),
            (test, Outcome::Failure, Some(401)),
        ]
    );
    assert!(!test.starts_with("application.") && !test.starts_with("system."));
}

#[test]
fn a_password_change_is_pushed_only_when_okta_s_password_is_synced() {
    let mut world = World::new(ClientProfile::OktaOin);
    world.assign().expect("created");
    world.transport.take_sent();
    world
        .run(|p, dir, jane| Box::pin(p.change_password(dir, jane, "New-pw-2")))
        .expect("nothing to push");
    assert!(world.transport.take_sent().is_empty());
    world.app.settings.to_app.sync_password = true;
    world.app.settings.to_app.password_seed = idp::settings::PasswordSeed::Okta;
    world
        .run(|p, dir, jane| Box::pin(p.change_password(dir, jane, "New-pw-3")))
        .expect("pushed");
    let sent = world.transport.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "PATCH");
    assert_eq!(
        body(&sent[0]),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"password": "New-pw-3"}}],
        })
    );
    assert_eq!(
        world.log.events().last().map(|e| e.event_type.as_str()),
        Some(event_type::PUSH_PASSWORD)
    );
}

#[test]
fn a_custom_okta_attribute_maps_to_the_app_and_an_unset_one_is_left_out() {
    let transport = InProcess::new();
    let clock = SimClock::new(0);
    let mut org = support::org(ClientProfile::OktaOin);
    org.okta_profile
        .add(idp::profile::OktaAttribute {
            name: "costCode".into(),
            display_name: "Cost code".into(),
            attr_type: idp::profile::AttributeType::String,
        })
        .expect("a new attribute");
    org.app
        .mappings
        .set_to_app(
            &org.app.profile,
            &org.okta_profile,
            "costCenter",
            "user.costCode",
            idp::mapping::ApplyOn::CreateAndUpdate,
        )
        .expect("a valid mapping");
    let jane = support::add_user(&mut org, "jane@x.com", "Jane", "Doe");
    let john = support::add_user(&mut org, "john@x.com", "John", "Roe");
    org.directory
        .set_custom(&john, "costCode", json!("CC-7"))
        .expect("john exists");
    for user in [&jane, &john] {
        block_on(org.assign_user(&transport, &clock, user)).expect("created");
    }
    let posts: Vec<Value> = transport
        .take_sent()
        .iter()
        .filter(|r| r.method == "POST")
        .map(body)
        .collect();
    let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    assert_eq!(posts[0].get(enterprise), None);
    assert_eq!(posts[1][enterprise]["costCenter"], "CC-7");
}

#[test]
fn with_api_integration_disabled_nothing_is_sent_and_enabling_it_later_pushes_the_next_change() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world.app.settings.enabled = false;
    world
        .assign()
        .expect("an assignment without API integration is fine");
    world.rename("Janet").expect("a rename too");
    assert!(world.transport.take_sent().is_empty(), "nothing is sent");
    assert_eq!(world.scim_id(), None);
    assert!(
        world
            .dir
            .app_user(APP, &world.jane)
            .is_some_and(|a| a.is_assigned()),
        "the assignment is recorded in Okta"
    );
    world.app.settings.enabled = true;
    world
        .run(|p, dir, jane| Box::pin(p.provision(dir, jane)))
        .expect("the first push after enabling creates the account");
    let sent = world.transport.take_sent();
    assert_eq!(
        sent.iter().map(|r| r.method.as_str()).collect::<Vec<_>>(),
        ["GET", "POST"]
    );
    assert_eq!(world.server_user()["name"]["givenName"], "Janet");
}

/// The Profile Editor's scope (#22): a group's assignment gives its members values for the
/// app's Group-scoped attributes that no mapping fills; "User personal" and mapped attributes
/// cannot be set on a group; a changed value is pushed to the members' app accounts.
#[test]
fn a_group_gives_its_members_values_for_group_scoped_attributes() {
    use idp::action::Action;
    use idp::profile::AttributeScope;
    let transport = InProcess::new();
    let clock = SimClock::new(0);
    let mut org = support::org(ClientProfile::OktaCustom);
    // userType, set by group as real deployments do ("Contractor"), not from the Okta profile.
    org.app.mappings.remove_to_app("userType");
    org.app
        .profile
        .set_scope("userType", AttributeScope::Group)
        .expect("an attribute");
    let jane = support::add_user(&mut org, "jane@x.com", "Jane", "Doe");
    let contractors = org
        .directory
        .create_group("Contractors", "")
        .expect("a group");
    let vendors = org.directory.create_group("Vendors", "").expect("a group");
    for group in [&contractors, &vendors] {
        org.directory.add_member(group, &jane).expect("a member");
    }
    let perform = |org: &mut idp::org::Org, action: Action| {
        block_on(org.perform(action, &transport, &clock, &|_, _| {})).map_err(|e| e.to_string())
    };
    let values = |group: &str, pairs: &[(&str, &str)]| Action::SetGroupValues {
        group: group.into(),
        values: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };

    // Refused, and nothing changes: a personal attribute, a mapped one, a wrong type.
    perform(&mut org, Action::AssignGroup(vendors.clone())).expect("assigned");
    transport.take_sent();
    let refused = perform(&mut org, values(&vendors, &[("title", "Boss")]));
    assert_eq!(
        refused,
        Err(
            "title is User personal: it is set per user, never on a group; nothing was changed"
                .into()
        )
    );
    org.app
        .profile
        .set_scope("title", AttributeScope::Group)
        .expect("an attribute");
    let refused = perform(&mut org, values(&vendors, &[("title", "Boss")]));
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.contains("filled by the mapping user.title → title")),
        "{refused:?}"
    );
    assert!(transport.take_sent().is_empty());

    // The group's value is pushed to its member's app account (GET then PUT, as Okta updates).
    perform(&mut org, values(&vendors, &[("userType", "Vendor")])).expect("saved");
    let sent = transport.take_sent();
    let put = sent.iter().find(|r| r.method == "PUT").expect("a PUT");
    assert_eq!(support::body(put)["userType"], "Vendor");
    assert_eq!(
        support::body(put)["title"],
        Value::Null,
        "personal values are not touched"
    );

    // Two groups: the first by name gives the value ("Contractors" before "Vendors").
    perform(&mut org, Action::AssignGroup(contractors.clone())).expect("assigned");
    perform(
        &mut org,
        values(&contractors, &[("userType", "Contractor")]),
    )
    .expect("saved");
    let sent = transport.take_sent();
    let put = sent.iter().rfind(|r| r.method == "PUT").expect("a PUT");
    assert_eq!(support::body(put)["userType"], "Contractor");

    // Unset on both: the attribute is no longer sent.
    perform(&mut org, values(&contractors, &[("userType", "")])).expect("saved");
    perform(&mut org, values(&vendors, &[])).expect("saved");
    let sent = transport.take_sent();
    let put = sent.iter().rfind(|r| r.method == "PUT").expect("a PUT");
    assert_eq!(support::body(put).get("userType"), None);

    // A typed attribute takes only values of its type.
    let mut attribute = idp::profile::AppAttribute::core("seats", "Seats", "seats");
    attribute.attr_type = idp::profile::AttributeType::Integer;
    attribute.scope = AttributeScope::Group;
    org.app.profile.add(attribute).expect("added");
    let refused = perform(&mut org, values(&vendors, &[("seats", "many")]));
    assert!(refused.is_err_and(|e| e.contains("seats is a whole number")));
}
