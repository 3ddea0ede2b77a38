//! To Okta scenarios against the SCIM engine in process: paged download, matching, manual and
//! automatic confirmation, sourcing, safeguards, the inline hook and the schedule.

mod support;

use idp::client::ClientProfile;
use idp::clock::{Clock, SimClock};
use idp::directory::UserStatus;
use idp::hook::{Command, HookRule, ImportAction, ImportHook};
use idp::import::{
    AttrChange, Decision, ImportError, Interval, RowKind, RowState, RunStatus, UsernameFormat,
};
use idp::org::Org;
use idp::safeguard::Level;
use idp::sourcing::{OnDeactivated, Sourcing};
use idp::syslog::event_type;
use idp::transport::block_on;
use serde_json::{json, Value};
use support::{add_user, body, lines, org, HookBehaviour, InProcess, HOOK_URL};

struct World {
    org: Org,
    transport: InProcess,
    clock: SimClock,
}

impl World {
    fn new() -> World {
        World {
            org: org(ClientProfile::OktaOin),
            transport: InProcess::new(),
            clock: SimClock::new(1_700_000_000_000),
        }
    }

    /// Creates an app user in the server (not through the simulator) and returns its id.
    fn app_user(&self, user_name: &str, given: &str, family: &str, email: &str) -> String {
        let (status, created) = self.transport.direct(
            "POST",
            "/Users",
            &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": user_name,
                "name": {"givenName": given, "familyName": family},
                "emails": [{"primary": true, "value": email, "type": "work"}],
                "active": true,
            })
            .to_string(),
        );
        assert_eq!(status, 201, "{created}");
        created["id"].as_str().unwrap_or_default().to_string()
    }

    /// Replaces one attribute of an app user inside the app, as someone editing it there.
    fn edit_in_app(&self, scim_id: &str, path: &str, value: &str) {
        let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": path, "value": value}]});
        let (status, body) =
            self.transport
                .direct("PATCH", &format!("/Users/{scim_id}"), &patch.to_string());
        assert_eq!(status, 200, "{body}");
    }

    /// Lets the app source Okta users, reactivating both kinds, with `on_deactivated`.
    fn source_lifecycle(&mut self, on_deactivated: OnDeactivated) {
        self.org.import.sourcing = Sourcing {
            enabled: true,
            on_deactivated,
            reactivate_suspended: true,
            reactivate_deactivated: true,
        };
    }

    fn set_active(&self, scim_id: &str, active: bool) {
        let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "value": {"active": active}}]});
        let (status, _) =
            self.transport
                .direct("PATCH", &format!("/Users/{scim_id}"), &patch.to_string());
        assert_eq!(status, 200);
    }

    fn import(&mut self) -> Result<(), ImportError> {
        block_on(self.org.importer(&self.clock).run(&self.transport)).map(|_| ())
    }

    fn rows(&self) -> Vec<(RowKind, RowState)> {
        self.org
            .last_import
            .as_ref()
            .map(|r| r.rows.iter().map(|r| (r.kind, r.state.clone())).collect())
            .unwrap_or_default()
    }

    fn row_of(&self, scim_id: &str) -> usize {
        self.org
            .last_import
            .as_ref()
            .and_then(|r| r.rows.iter().position(|r| r.scim_id == scim_id))
            .unwrap_or(usize::MAX)
    }

    fn linked_to(&self, user_id: &str) -> Option<String> {
        self.org
            .directory
            .app_user(support::APP, user_id)
            .filter(|a| a.is_assigned())
            .and_then(|a| a.external_id.clone())
    }

    fn status(&self, user_id: &str) -> Option<UserStatus> {
        self.org.directory.user(user_id).map(|u| u.status)
    }

    /// Imports `n` new app users with every row confirmed and activated, returning the
    /// (Okta user id, SCIM id) pairs.
    fn linked_population(&mut self, n: usize) -> Vec<(String, String)> {
        let scim_ids: Vec<String> = (0..n)
            .map(|i| {
                let email = format!("user{i}@x.com");
                self.app_user(&email, "User", &format!("Number{i}"), &email)
            })
            .collect();
        self.org.import.matching.auto_confirm_new = true;
        self.org.import.matching.auto_activate_new = true;
        self.import().expect("imported");
        self.org.import.matching.auto_confirm_new = false;
        let pairs: Vec<(String, String)> = scim_ids
            .into_iter()
            .map(|scim| {
                let row = self.row_of(&scim);
                let user = self
                    .org
                    .last_import
                    .as_ref()
                    .and_then(|r| r.rows.get(row))
                    .and_then(|r| r.linked_user.clone())
                    .unwrap_or_default();
                (user, scim)
            })
            .collect();
        // Users who set a password are ACTIVE, as most real users are.
        for (user, _) in &pairs {
            self.org
                .directory
                .set_password(user, "pw")
                .expect("the user exists");
            self.org
                .directory
                .transition(user, idp::directory::Lifecycle::Activate)
                .expect("provisioned users with a password activate");
        }
        pairs
    }
}

#[test]
fn a_full_import_pages_by_100_until_total_results() {
    let mut world = World::new();
    for i in 0..250 {
        let email = format!("u{i}@x.com");
        world.app_user(&email, "U", &format!("N{i}"), &email);
    }
    world.transport.take_sent();
    world.import().expect("imported");
    let sent = world.transport.take_sent();
    assert_eq!(
        lines(&sent).into_iter().map(|l| l.1).collect::<Vec<_>>(),
        vec![
            "/Users?startIndex=1&count=100",
            "/Users?startIndex=101&count=100",
            "/Users?startIndex=201&count=100",
        ]
    );
    assert!(sent
        .iter()
        .all(|r| r.header("User-Agent") == Some("Okta SCIM Client 1.0.0")));
    // The System Log names the download as Okta does: its start (with the first page's request)
    // and its completion, nothing per page.
    let events: Vec<(&str, Option<&str>)> = world
        .org
        .log
        .events()
        .iter()
        .map(|e| (e.event_type.as_str(), e.reason.as_deref()))
        .collect();
    assert!(events.contains(&(event_type::IMPORT_DOWNLOAD_START, None)));
    assert!(events.contains(&(
        event_type::IMPORT_DOWNLOAD_COMPLETE,
        Some("250 app users in 3 pages")
    )));
    assert!(!events
        .iter()
        .any(|(t, _)| *t == event_type::IMPORT_PROFILE || t.starts_with("application.")));
    let run = world.org.last_import.as_ref().expect("a run");
    assert_eq!(run.rows.len(), 250);
    assert_eq!(run.status, RunStatus::AwaitingConfirmation);
    assert_eq!(
        run.stats.to_string(),
        "250 users scanned / 250 new / 0 matched / 0 existing updated / 0 unchanged / 0 removed"
    );
    assert_eq!(
        world.org.directory.users().count(),
        0,
        "nothing is created before confirmation"
    );
}

/// A later page that fails is logged as the download's failed completion, with that page's
/// request, and the import stops with nothing changed.
#[test]
fn a_failed_later_page_is_logged_with_its_request() {
    let mut world = World::new();
    let users: Vec<Value> = (0..100)
        .map(|i| json!({"id": format!("id{i}"), "userName": format!("u{i}@x.com"), "active": true}))
        .collect();
    world.transport.script(Ok(support::json_response(
        200,
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 150, "startIndex": 1, "itemsPerPage": 100, "Resources": users}),
    )));
    world.transport.script(Ok(support::json_response(
        500,
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "500", "detail": "down"}),
    )));
    assert!(world.import().is_err());
    let failed: Vec<_> = world
        .org
        .log
        .events()
        .iter()
        .filter(|e| e.event_type == event_type::IMPORT_DOWNLOAD_COMPLETE)
        .collect();
    assert_eq!(failed.len(), 1, "one event for the download's end");
    assert_eq!(failed[0].outcome, idp::syslog::Outcome::Failure);
    assert_eq!(failed[0].status, Some(500));
    let url = failed[0]
        .request
        .as_ref()
        .map(|r| r.url.as_str())
        .unwrap_or_default();
    assert!(url.ends_with("/Users?startIndex=101&count=100"), "{url}");
    assert_eq!(world.org.directory.users().count(), 0);
}

#[test]
fn exact_partial_and_new_rows_are_confirmed_by_hand() {
    let mut world = World::new();
    let jane = add_user(&mut world.org, "jane@x.com", "Jane", "Doe");
    let john = add_user(&mut world.org, "john@x.com", "John", "Roe");
    world.org.import.matching.allow_partial = true;
    let exact = world.app_user("jane", "Jane", "Doe", "jane@x.com");
    let partial = world.app_user("jroe", "John", "Roe", "jroe@other.com");
    let new = world.app_user("ann", "Ann", "Lee", "ann@x.com");
    let ignored = world.app_user("bob", "Bob", "Kay", "bob@x.com");
    world.import().expect("imported");
    let kind = |scim: &str| world.rows()[world.row_of(scim)].0;
    assert_eq!(
        [kind(&exact), kind(&partial), kind(&new), kind(&ignored)],
        [RowKind::Exact, RowKind::Partial, RowKind::New, RowKind::New]
    );
    let (r_exact, r_partial, r_new, r_ignored) = (
        world.row_of(&exact),
        world.row_of(&partial),
        world.row_of(&new),
        world.row_of(&ignored),
    );
    world
        .org
        .importer(&world.clock)
        .decide(r_ignored, Decision::Ignore)
        .expect("pending");
    block_on(
        world
            .org
            .importer(&world.clock)
            .confirm(&[r_exact, r_partial, r_new, r_ignored], true),
    )
    .expect("confirmed");
    assert_eq!(world.linked_to(&jane), Some(exact));
    assert_eq!(world.linked_to(&john), Some(partial));
    let ann = world
        .org
        .directory
        .user_by_login("ann@x.com")
        .expect("created");
    assert_eq!(ann.status, UserStatus::Provisioned, "activated on confirm");
    assert_eq!(ann.attr("lastName"), Some("Lee"));
    assert!(world.org.directory.user_by_login("bob@x.com").is_none());
    assert_eq!(
        world.rows()[r_ignored].1,
        RowState::Ignored { reason: None }
    );
    let run = world.org.last_import.as_ref().expect("a run");
    assert_eq!(run.status, RunStatus::Complete);
    assert_eq!(
        block_on(world.org.importer(&world.clock).confirm(&[r_exact], false)),
        Err(ImportError::NotPending(r_exact))
    );
    // Confirming links and creates in Okta only: nothing is sent back to the app.
    let sent = world.transport.take_sent();
    assert!(sent.iter().all(|r| r.method == "GET"), "{:?}", lines(&sent));
    let events: Vec<&str> = world
        .org
        .log
        .events()
        .iter()
        .map(|e| e.event_type.as_str())
        .collect();
    assert!(events.contains(&event_type::IMPORT_USER_MATCH));
    assert!(events.contains(&event_type::IMPORT_USER_CREATE));
    assert_eq!(events.last(), Some(&event_type::IMPORT_COMPLETE));
}

#[test]
fn automatic_confirmation_links_exact_matches_and_creates_new_users_but_not_taken_logins() {
    let mut world = World::new();
    let jane = add_user(&mut world.org, "jane@x.com", "Jane", "Doe");
    add_user(&mut world.org, "taken@x.com", "Tak", "En");
    world.org.import.matching.email = true;
    world.org.import.matching.auto_confirm_exact = true;
    world.org.import.matching.auto_confirm_new = true;
    world.org.import.matching.auto_activate_new = true;
    let exact = world.app_user("jane", "Jane", "Doe", "jane@x.com");
    let new = world.app_user("ann", "Ann", "Lee", "ann@x.com");
    // Username matches but the email does not, so it is not an exact match; the login exists.
    let clash = world.app_user("taken", "Tak", "En", "taken@x.com");
    world.edit_in_app(&clash, "emails[primary eq true].value", "other@x.com");
    world.org.import.username_format = UsernameFormat::Custom {
        expression: r#"appuser.userName + "@x.com""#.into(),
    };
    world.import().expect("imported");
    assert_eq!(world.linked_to(&jane), Some(exact));
    let ann = world
        .org
        .directory
        .user_by_login("ann@x.com")
        .expect("created");
    assert_eq!(ann.status, UserStatus::Provisioned);
    assert_eq!(world.rows()[world.row_of(&new)].1, RowState::Done);
    assert_eq!(world.rows()[world.row_of(&clash)].1, RowState::Pending);
    assert_eq!(
        world.org.last_import.as_ref().map(|r| r.status.clone()),
        Some(RunStatus::AwaitingConfirmation)
    );
}

#[test]
fn a_second_import_finds_linked_users_unchanged_or_updated_by_sourcing() {
    let mut world = World::new();
    let linked = world.linked_population(2);
    world.org.import.sourcing.enabled = true;
    let (user, scim) = linked[0].clone();
    world.edit_in_app(&scim, "name.familyName", "Renamed");
    world.import().expect("imported");
    let rows = world.rows();
    assert_eq!(rows[world.row_of(&scim)].0, RowKind::Updated);
    assert_eq!(rows[world.row_of(&linked[1].1)].0, RowKind::Unchanged);
    assert_eq!(
        world
            .org
            .directory
            .user(&user)
            .and_then(|u| u.attr("lastName")),
        Some("Renamed")
    );
    let stats = world.org.last_import.as_ref().map(|r| r.stats.to_string());
    assert_eq!(
        stats.as_deref(),
        Some("2 users scanned / 0 new / 0 matched / 1 existing updated / 1 unchanged / 0 removed")
    );
}

#[test]
fn lifecycle_sourcing_deactivates_suspends_and_reactivates() {
    let mut world = World::new();
    let linked = world.linked_population(3);
    world.source_lifecycle(OnDeactivated::Deactivate);
    let (deactivated, d_scim) = linked[0].clone();
    world.set_active(&d_scim, false);
    world.import().expect("imported");
    assert_eq!(
        world.rows()[world.row_of(&d_scim)].0,
        RowKind::DeactivatedInApp
    );
    assert_eq!(world.status(&deactivated), Some(UserStatus::Deprovisioned));
    assert!(
        world
            .org
            .log
            .of_type(event_type::USER_DEACTIVATE)
            .any(|e| e.user_id.as_deref() == Some(deactivated.as_str())),
        "a sourcing deactivation is logged as Okta's lifecycle event"
    );

    world.org.import.sourcing.on_deactivated = OnDeactivated::Suspend;
    let (suspended, s_scim) = linked[1].clone();
    world.set_active(&s_scim, false);
    world.import().expect("imported");
    assert_eq!(world.status(&suspended), Some(UserStatus::Suspended));
    assert!(world
        .org
        .log
        .of_type(event_type::IMPORT_USER_SUSPEND)
        .any(|e| e.user_id.as_deref() == Some(suspended.as_str())));

    // Reactivated in the app: the suspended user is unsuspended; the deactivated one, whose
    // profile also changed, lands in Pending Activation.
    world.set_active(&s_scim, true);
    world.set_active(&d_scim, true);
    world.edit_in_app(&d_scim, "name.givenName", "Changed");
    world.import().expect("imported");
    assert_eq!(
        world.rows()[world.row_of(&s_scim)].0,
        RowKind::ReactivatedInApp
    );
    assert_eq!(world.status(&suspended), Some(UserStatus::Active));
    assert_eq!(world.status(&deactivated), Some(UserStatus::Provisioned));
    for (user, event) in [
        (&suspended, event_type::USER_UNSUSPEND),
        (&deactivated, event_type::USER_REACTIVATE),
    ] {
        assert!(
            world
                .org
                .log
                .of_type(event)
                .any(|e| e.user_id.as_deref() == Some(user.as_str())),
            "{event}"
        );
    }
}

/// The seed: a reactivated user whose profile is not an exact match lands in Pending
/// Activation — for a suspended user as for a deactivated one.
#[test]
fn a_suspended_user_reactivated_with_a_changed_profile_waits_in_pending_activation() {
    let mut world = World::new();
    let linked = world.linked_population(2);
    world.source_lifecycle(OnDeactivated::Suspend);
    let (changed, c_scim) = linked[0].clone();
    let (same, s_scim) = linked[1].clone();
    world.set_active(&c_scim, false);
    world.set_active(&s_scim, false);
    world.import().expect("imported");
    assert_eq!(world.status(&changed), Some(UserStatus::Suspended));
    assert_eq!(world.status(&same), Some(UserStatus::Suspended));

    world.set_active(&c_scim, true);
    world.set_active(&s_scim, true);
    world.edit_in_app(&c_scim, "name.givenName", "Changed");
    world.import().expect("imported");
    assert_eq!(world.status(&changed), Some(UserStatus::Provisioned));
    assert_eq!(world.status(&same), Some(UserStatus::Active));
}

#[test]
fn without_sourcing_a_deactivation_in_the_app_changes_no_okta_user() {
    let mut world = World::new();
    let linked = world.linked_population(1);
    let (user, scim) = linked[0].clone();
    world.set_active(&scim, false);
    world.import().expect("imported");
    assert_eq!(
        world.rows()[world.row_of(&scim)].0,
        RowKind::DeactivatedInApp
    );
    assert_eq!(world.status(&user), Some(UserStatus::Active));
}

#[test]
fn users_removed_in_the_app_are_unassigned() {
    let mut world = World::new();
    let linked = world.linked_population(2);
    let (user, scim) = linked[0].clone();
    assert_eq!(
        world
            .transport
            .direct("DELETE", &format!("/Users/{scim}"), "")
            .0,
        204
    );
    world.import().expect("imported");
    assert_eq!(world.rows()[world.row_of(&scim)].0, RowKind::RemovedInApp);
    assert_eq!(world.linked_to(&user), None);
    assert!(world.org.directory.apps_of(&user).is_empty());
}

#[test]
fn a_safeguard_trip_pauses_the_import_until_resumed() {
    let mut world = World::new();
    let linked = world.linked_population(120);
    for (_, scim) in linked.iter().take(30) {
        world
            .transport
            .direct("DELETE", &format!("/Users/{scim}"), "");
    }
    world.import().expect("downloaded");
    let run = world.org.last_import.as_ref().expect("a run");
    let RunStatus::Paused { tripped } = run.status else {
        panic!("expected a pause, got {:?}", run.status);
    };
    assert_eq!(
        (tripped.level, tripped.would_unassign, tripped.assigned),
        (Level::App, 30, 120)
    );
    assert!(world.linked_to(&linked[0].0).is_some(), "nothing applied");
    assert_eq!(world.import(), Err(ImportError::Paused));
    assert!(world
        .org
        .log
        .of_type(event_type::IMPORT_ROADBLOCK)
        .next()
        .is_some());
    block_on(world.org.importer(&world.clock).resume()).expect("resumed");
    assert_eq!(world.linked_to(&linked[0].0), None);
    assert!(world.linked_to(&linked[31].0).is_some());
    assert!(world
        .org
        .log
        .of_type(event_type::IMPORT_RESUME)
        .next()
        .is_some());
    assert_eq!(
        block_on(world.org.importer(&world.clock).resume()).map(|_| ()),
        Err(ImportError::NotPaused)
    );
}

#[test]
fn a_cancelled_safeguard_applies_nothing() {
    let mut world = World::new();
    let linked = world.linked_population(110);
    for (_, scim) in linked.iter().take(25) {
        world
            .transport
            .direct("DELETE", &format!("/Users/{scim}"), "");
    }
    world.import().expect("downloaded");
    world
        .org
        .importer(&world.clock)
        .cancel()
        .expect("cancelled");
    assert!(world.linked_to(&linked[0].0).is_some());
    assert_eq!(
        world.org.last_import.as_ref().map(|r| r.status.clone()),
        Some(RunStatus::Cancelled)
    );
    let removed = world.row_of(&linked[0].1);
    assert_eq!(
        world.rows()[removed],
        (RowKind::RemovedInApp, RowState::Cancelled),
        "a cancelled import's rows say so, not Done"
    );
    world.import().expect("a new import may start");
}

/// Held rows say "held", never "done", and name the person; resuming applies them.
#[test]
fn a_held_import_marks_its_rows_held_and_names_the_removed_people() {
    let mut world = World::new();
    let linked = world.linked_population(110);
    for (_, scim) in linked.iter().take(25) {
        world
            .transport
            .direct("DELETE", &format!("/Users/{scim}"), "");
    }
    world.import().expect("downloaded");
    let run = world.org.last_import.as_ref().expect("a run");
    let removed = &run.rows[world.row_of(&linked[0].1)];
    assert_eq!(
        (removed.kind, removed.state.clone()),
        (RowKind::RemovedInApp, RowState::Held)
    );
    let login = world
        .org
        .directory
        .user(&linked[0].0)
        .map(|u| u.login().to_string());
    assert_eq!(
        Some(removed.username.clone()),
        login,
        "a removed row names its person"
    );
    assert!(
        run.rows.iter().all(|r| r.state != RowState::Done),
        "nothing is done while held"
    );
    block_on(world.org.importer(&world.clock).resume()).expect("resumed");
    assert_eq!(world.rows()[world.row_of(&linked[0].1)].1, RowState::Done);
}

/// An update says what it changes, in the row and in the System Log.
#[test]
fn a_sourced_update_shows_each_change_before_and_after() {
    let mut world = World::new();
    let linked = world.linked_population(1);
    world.org.import.sourcing.enabled = true;
    let (user, scim) = linked[0].clone();
    let before = world
        .org
        .directory
        .user(&user)
        .and_then(|u| u.attr("lastName"))
        .map(str::to_string);
    world.edit_in_app(&scim, "name.familyName", "RENAMED");
    world.import().expect("imported");
    let run = world.org.last_import.as_ref().expect("a run");
    let row = &run.rows[world.row_of(&scim)];
    assert_eq!(row.kind, RowKind::Updated);
    assert_eq!(
        row.changes,
        vec![AttrChange {
            name: "lastName".into(),
            before: before.clone(),
            after: Some("RENAMED".into()),
        }]
    );
    let event = world
        .org
        .log
        .of_type(event_type::IMPORT_USER_UPDATE)
        .last()
        .and_then(|e| e.reason.clone());
    assert_eq!(
        event,
        Some(format!(
            "lastName: \"{}\" → \"RENAMED\"",
            before.unwrap_or_default()
        ))
    );
}

/// The statistics add up: an inactive, unlinked app user is read but not imported, and says so.
#[test]
fn inactive_app_users_are_counted_as_not_imported() {
    let mut world = World::new();
    world.app_user("active", "Ann", "Lee", "ann@x.com");
    let inactive = world.app_user("inactive", "Ina", "Ctive", "ina@x.com");
    world.set_active(&inactive, false);
    world.import().expect("imported");
    let run = world.org.last_import.as_ref().expect("a run");
    assert_eq!(run.rows.len(), 1);
    assert_eq!(
        run.stats.to_string(),
        "2 users scanned (1 inactive, not imported) / 1 new / 0 matched / 0 existing updated / 0 unchanged / 0 removed"
    );
}

/// A partial match proposes linking the person it matched, not an empty "existing user".
#[test]
fn a_partial_match_proposes_the_matched_person() {
    let mut world = World::new();
    world.org.import.matching.allow_partial = true;
    let jane = add_user(&mut world.org, "jane@x.com", "Jane", "Doe");
    let scim = world.app_user("someone@else.test", "Jane", "Doe", "other@else.test");
    world.import().expect("imported");
    let run = world.org.last_import.as_ref().expect("a run");
    let row = &run.rows[world.row_of(&scim)];
    assert_eq!(row.kind, RowKind::Partial);
    assert_eq!(row.decision, Some(Decision::Exact(jane)));
}

#[test]
fn a_local_hook_rule_links_a_user_the_matching_missed() {
    let mut world = World::new();
    let jane = add_user(&mut world.org, "jane@x.com", "Jane", "Doe");
    world.org.import.hook = Some(ImportHook::Local {
        rules: vec![HookRule {
            condition: r#"appuser.userName == "jdoe""#.into(),
            commands: vec![
                Command::ActionUpdate {
                    result: ImportAction::LinkUser,
                },
                Command::UserUpdate { id: jane.clone() },
            ],
            error: None,
        }],
    });
    let scim = world.app_user("jdoe", "Janet", "Doe", "janet@mail.com");
    let other = world.app_user("ann", "Ann", "Lee", "ann@x.com");
    world.import().expect("imported");
    let row = world.row_of(&scim);
    let run = world.org.last_import.as_ref().expect("a run");
    assert_eq!(run.rows[row].kind, RowKind::New);
    assert_eq!(
        run.rows[row].decision,
        Some(Decision::Existing(jane.clone()))
    );
    assert!(run.rows[row].hook_applied);
    assert_eq!(run.rows[world.row_of(&other)].decision, Some(Decision::New));
    block_on(world.org.importer(&world.clock).confirm(&[row], false)).expect("confirmed");
    assert_eq!(world.linked_to(&jane), Some(scim));
    assert_eq!(
        world
            .org
            .log
            .of_type(event_type::INLINE_HOOK_EXECUTED)
            .count(),
        2
    );
}

#[test]
fn an_http_hook_gets_okta_s_request_and_its_commands_apply() {
    let mut world = World::new();
    world.org.import.hook = Some(ImportHook::Http {
        url: HOOK_URL.into(),
        authorization: Some("secret".into()),
    });
    *world.transport.hook.borrow_mut() = HookBehaviour::Answer(json!({"commands": [
        {"type": "com.okta.user.profile.update", "value": {"title": "Imported", "login": "ann.lee@corp.example"}},
        {"type": "com.okta.appUser.profile.update", "value": {"nickName": "A"}},
    ]}));
    let scim = world.app_user("ann", "Ann", "Lee", "ann@x.com");
    world.import().expect("imported");
    let sent = world.transport.take_sent();
    let hook = sent
        .iter()
        .find(|r| r.url == HOOK_URL)
        .expect("the hook was called");
    assert_eq!(hook.method, "POST");
    assert_eq!(hook.header("Authorization"), Some("secret"));
    let request = body(hook);
    assert_eq!(request["eventType"], "com.okta.import.transform");
    assert_eq!(request["eventTypeVersion"], "1.0");
    assert_eq!(request["cloudEventVersion"], "0.1");
    assert_eq!(request["contentType"], "application/json");
    assert_eq!(request["eventTime"], "2023-11-14T22:13:20.000Z");
    assert_eq!(request["data"]["action"], json!({"result": "CREATE_USER"}));
    assert_eq!(request["data"]["context"]["job"]["type"], "import:users");
    assert_eq!(
        request["data"]["context"]["application"]["id"],
        support::APP
    );
    assert_eq!(request["data"]["appUser"]["profile"]["userName"], "ann");
    assert_eq!(request["data"]["user"]["profile"]["login"], "ann@x.com");
    let row = world.row_of(&scim);
    block_on(world.org.importer(&world.clock).confirm(&[row], false)).expect("confirmed");
    let ann = world
        .org
        .directory
        .user_by_login("ann.lee@corp.example")
        .expect("created with the hook's login");
    assert_eq!(ann.attr("title"), Some("Imported"));
    let run = world.org.last_import.as_ref().expect("a run");
    assert_eq!(
        run.rows[row].app_profile.get("nickName"),
        Some(&Value::from("A"))
    );
}

#[test]
fn a_hook_that_does_not_answer_in_3_seconds_is_skipped() {
    let mut world = World::new();
    world.org.import.hook = Some(ImportHook::Http {
        url: HOOK_URL.into(),
        authorization: None,
    });
    *world.transport.hook.borrow_mut() = HookBehaviour::Hang;
    let scim = world.app_user("ann", "Ann", "Lee", "ann@x.com");
    let before = world.clock.now_ms();
    world.import().expect("the import goes on");
    assert_eq!(world.clock.now_ms() - before, 3000);
    let run = world.org.last_import.as_ref().expect("a run");
    assert_eq!(run.rows[world.row_of(&scim)].decision, Some(Decision::New));
    let event = world
        .org
        .log
        .of_type(event_type::INLINE_HOOK_EXECUTED)
        .last()
        .expect("logged");
    assert_eq!(
        event.reason.as_deref(),
        Some("the hook did not answer within 3 seconds")
    );
}

#[test]
fn a_hook_error_keeps_the_user_out() {
    let mut world = World::new();
    world.org.import.hook = Some(ImportHook::Local {
        rules: vec![HookRule {
            condition: String::new(),
            commands: Vec::new(),
            error: Some("no contractors".into()),
        }],
    });
    let scim = world.app_user("ann", "Ann", "Lee", "ann@x.com");
    world.import().expect("imported");
    assert_eq!(
        world.rows()[world.row_of(&scim)].1,
        RowState::Ignored {
            reason: Some("no contractors".into())
        }
    );
}

#[test]
fn the_schedule_runs_imports_when_due_on_the_simulated_clock() {
    let mut world = World::new();
    world.app_user("ann", "Ann", "Lee", "ann@x.com");
    world.org.import.schedule.full = Interval::Hourly;
    let tick =
        |w: &mut World| block_on(w.org.importer(&w.clock).tick(&w.transport)).expect("ticks");
    assert!(!tick(&mut world), "the first tick sets the due time");
    world.clock.advance(3_599_999);
    assert!(!tick(&mut world));
    world.clock.advance(1);
    assert!(tick(&mut world));
    assert!(world.org.last_import.is_some());
    world.clock.advance(3 * 3_600_000 + 5);
    assert!(tick(&mut world));
    assert!(!tick(&mut world), "missed runs are not made up");
}

#[test]
fn a_failing_page_changes_nothing() {
    let mut world = World::new();
    world.app_user("ann", "Ann", "Lee", "ann@x.com");
    world
        .transport
        .script(Ok(support::json_response(500, json!({"detail": "down"}))));
    assert!(matches!(world.import(), Err(ImportError::Download(_))));
    assert!(world.org.last_import.is_none());
    world.transport.script(Ok(support::json_response(
        200,
        json!({"totalResults": "1"}),
    )));
    assert!(matches!(
        world.import(),
        Err(ImportError::InvalidPage { page: 1, .. })
    ));
}

#[test]
fn odd_pages_never_panic_and_never_change_the_directory_on_error() {
    let pages = [
        json!(null),
        json!([]),
        json!({"totalResults": -1}),
        json!({"totalResults": 1e300}),
        json!({"totalResults": 5, "Resources": {}}),
        json!({"totalResults": 5, "Resources": [1, "x", null, {"id": 7}, {"id": "a", "active": "False"}]}),
        json!({"totalResults": 1, "Resources": [{"id": "a", "userName": ["x"], "name": "flat", "emails": {"value": 1}}]}),
        json!({"totalResults": 18446744073709551615u64, "Resources": []}),
        json!({"totalResults": 2, "Resources": [{"id": "dup", "userName": "a@x.com", "emails": [{"primary": true, "value": "a@x.com"}]}, {"id": "dup"}]}),
    ];
    for page in pages {
        let mut world = World::new();
        let users_before = world.org.directory.users().count();
        world
            .transport
            .script(Ok(support::json_response(200, page.clone())));
        match world.import() {
            Ok(()) => {
                block_on(world.org.importer(&world.clock).confirm_all(true)).expect("a run");
            }
            Err(_) => assert_eq!(world.org.directory.users().count(), users_before, "{page}"),
        }
    }
}

#[test]
fn a_stored_due_time_from_the_distant_past_does_not_overflow() {
    let mut world = World::new();
    world.org.import.schedule.full = Interval::Weekly;
    world.org.import.schedule.next_run_ms = Some(i64::MIN);
    assert_eq!(
        block_on(world.org.importer(&world.clock).tick(&world.transport)),
        Ok(true)
    );
    let next = world.org.import.schedule.next_run_ms.unwrap_or_default();
    assert!(next > world.clock.now_ms(), "{next}");
}
