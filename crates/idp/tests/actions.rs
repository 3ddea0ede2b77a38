//! The admin's actions as data: each row is one `Action` performed on a small org against the
//! SCIM engine in process, with the requests it must send, the System Log events it must add and
//! what the activity line says (or why it fails). The page's job queue calls exactly this.

mod support;

use std::cell::Cell;
use std::collections::BTreeMap;

use idp::action::{Action, ActionError};
use idp::client::ClientProfile;
use idp::clock::SimClock;
use idp::directory::Lifecycle;
use idp::transport::block_on;
use support::{add_user, lines, org, InProcess};

struct Row {
    what: &'static str,
    /// Prepares the org (ids of Jane and of the group are passed to `action`).
    setup: fn(&mut idp::org::Org, &InProcess, &SimClock, &str, &str),
    action: fn(&str, &str) -> Action,
    /// The requests, as (method, path after the base URL, query dropped).
    requests: &'static [(&'static str, &'static str)],
    /// System Log event types added by the action, in order.
    events: &'static [&'static str],
    /// The activity line's text, or the error's.
    says: Result<&'static str, &'static str>,
}

fn assign(org: &mut idp::org::Org, t: &InProcess, c: &SimClock, jane: &str, _: &str) {
    let _ = block_on(org.perform(Action::AssignUser(jane.into()), t, c, &|_, _| {}));
}

fn nothing(_: &mut idp::org::Org, _: &InProcess, _: &SimClock, _: &str, _: &str) {}

/// To App's Sync Password on, sending Okta's password; then Jane is assigned.
fn assign_syncing_passwords(
    org: &mut idp::org::Org,
    t: &InProcess,
    c: &SimClock,
    jane: &str,
    g: &str,
) {
    org.app.settings.to_app.sync_password = true;
    org.app.settings.to_app.password_seed = idp::settings::PasswordSeed::Okta;
    assign(org, t, c, jane, g);
}

const ROWS: &[Row] = &[
    Row {
        what: "a password change is pushed with a PATCH when Sync Password sends Okta's",
        setup: assign_syncing_passwords,
        action: |jane, _| Action::ChangePassword {
            id: jane.into(),
            password: "New-pw-9".into(),
        },
        requests: &[("PATCH", "/Users/")],
        events: &["application.provision.user.push_password"],
        says: Ok("Changed the password of jane@example.com and pushed it to the app (Sync Password)"),
    },
    Row {
        what: "without Sync Password a password change stays in Okta, and says so",
        setup: assign,
        action: |jane, _| Action::ChangePassword {
            id: jane.into(),
            password: "New-pw-9".into(),
        },
        requests: &[],
        events: &[],
        says: Ok("Changed the password of jane@example.com (not pushed: To App's Sync Password does not send Okta's password to an app account here)"),
    },
    Row {
        what: "an empty password is refused",
        setup: assign,
        action: |jane, _| Action::ChangePassword {
            id: jane.into(),
            password: String::new(),
        },
        requests: &[],
        events: &[],
        says: Err("the attribute password is required"),
    },
    Row {
        what: "assigning a person checks for them, then creates them",
        setup: nothing,
        action: |jane, _| Action::AssignUser(jane.into()),
        requests: &[("GET", "/Users"), ("POST", "/Users")],
        events: &[
            "application.provision.user.verify_exists",
            "application.provision.user.push",
        ],
        says: Ok("Assigned jane@example.com"),
    },
    Row {
        what: "a profile change of an assigned person is a GET then a PUT",
        setup: assign,
        action: |jane, _| Action::UpdateUser {
            id: jane.into(),
            changes: BTreeMap::from([("firstName".into(), Some("Janet".into()))]),
        },
        requests: &[("GET", "/Users/"), ("PUT", "/Users/")],
        // One event per exchange of the update, as the simulator has always logged them.
        events: &[
            "application.provision.user.push_profile",
            "application.provision.user.push_profile",
        ],
        says: Ok("Saved jane@example.com"),
    },
    Row {
        what: "unassigning deactivates in the app with a path-less PATCH",
        setup: assign,
        action: |jane, _| Action::UnassignUser(jane.into()),
        requests: &[("PATCH", "/Users/")],
        events: &["application.provision.user.deactivate"],
        says: Ok("Unassigned jane@example.com"),
    },
    Row {
        what: "deactivating a person in Okta deactivates them in the app",
        setup: assign,
        action: |jane, _| Action::Lifecycle {
            id: jane.into(),
            action: Lifecycle::Deactivate,
        },
        requests: &[("PATCH", "/Users/")],
        events: &["application.provision.user.deactivate"],
        says: Ok("Deactivate jane@example.com"),
    },
    Row {
        what: "pushing a group creates it in the app",
        setup: nothing,
        action: |_, group| Action::PushGroup(group.into()),
        requests: &[("GET", "/Groups"), ("POST", "/Groups")],
        // One event per exchange, as the simulator has always logged them.
        events: &[
            "application.provision.group_push.pushed",
            "application.provision.group_push.pushed",
        ],
        says: Ok("Pushed Engineering"),
    },
    Row {
        what: "creating a person sends nothing",
        setup: nothing,
        action: |_, _| Action::CreateUser {
            profile: BTreeMap::from([
                ("login".into(), "max@example.com".into()),
                ("email".into(), "max@example.com".into()),
                ("firstName".into(), "Max".into()),
                ("lastName".into(), "Muster".into()),
            ]),
            password: None,
            activate: true,
        },
        requests: &[],
        events: &[],
        says: Ok("Created max@example.com."),
    },
    Row {
        what: "a person the directory refuses (no email) is an error in words, and sends nothing",
        setup: nothing,
        action: |_, _| Action::CreateUser {
            profile: BTreeMap::from([("login".into(), "jane@example.com".into())]),
            password: None,
            activate: false,
        },
        requests: &[],
        events: &[],
        says: Err("the attribute email is required"),
    },
    Row {
        what: "generating assigned people pushes each",
        setup: nothing,
        action: |_, _| Action::Generate {
            count: 2,
            domain: "gen.example".into(),
            assign: true,
        },
        requests: &[
            ("GET", "/Users"),
            ("POST", "/Users"),
            ("GET", "/Users"),
            ("POST", "/Users"),
        ],
        events: &[
            "application.provision.user.verify_exists",
            "application.provision.user.push",
            "application.provision.user.verify_exists",
            "application.provision.user.push",
        ],
        says: Ok("Generated 2 people and assigned the app to them."),
    },
    Row {
        what: "Test API Credentials lists users and groups as Okta does, each request logged under the playground's own event type",
        setup: nothing,
        action: |_, _| {
            Action::TestCredentials(Box::new(org(ClientProfile::OktaCustom).app.settings))
        },
        requests: &[("GET", "/Users"), ("GET", "/Groups")],
        events: &[
            "playground.api_credentials.test",
            "playground.api_credentials.test",
        ],
        says: Ok("SCIM Playground was verified successfully!"),
    },
    Row {
        what: "an import with nothing to import downloads the app's users",
        setup: nothing,
        action: |_, _| Action::Import,
        requests: &[("GET", "/Users")],
        events: &[
            "system.import.start",
            "system.import.download.start",
            "system.import.download.complete",
            "system.import.complete",
        ],
        says: Ok("Import finished: 0 users scanned"),
    },
    Row {
        what: "resuming an import that is not paused is refused in words",
        setup: nothing,
        action: |_, _| Action::ResumeImport,
        requests: &[],
        events: &[],
        says: Err("no import is paused"),
    },
];

#[test]
fn every_action_sends_logs_and_says_what_okta_would() {
    for row in ROWS {
        let transport = InProcess::new();
        let clock = SimClock::default();
        let mut org = org(ClientProfile::OktaCustom);
        let jane = add_user(&mut org, "jane@example.com", "Jane", "Doe");
        let group = org
            .directory
            .create_group("Engineering", "")
            .expect("a new group");
        (row.setup)(&mut org, &transport, &clock, &jane, &group);
        transport.take_sent();
        let events_before = org.log.events().len();
        let steps = Cell::new(0);
        let result = block_on(org.perform(
            (row.action)(&jane, &group),
            &transport,
            &clock,
            &|_, _| steps.set(steps.get() + 1),
        ));
        let sent: Vec<(String, String)> = lines(&transport.take_sent())
            .into_iter()
            .map(|(method, path)| {
                let path = path.split('?').next().unwrap_or_default();
                // An id after the collection is the one created: compare up to the slash.
                let path = match path.match_indices('/').nth(1) {
                    Some((i, _)) => path[..=i].to_string(),
                    None => path.to_string(),
                };
                (method, path)
            })
            .collect();
        let expected: Vec<(String, String)> = row
            .requests
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        assert_eq!(sent, expected, "{}: requests", row.what);
        let events: Vec<&str> = org.log.events()[events_before..]
            .iter()
            .map(|e| e.event_type.as_str())
            .collect();
        assert_eq!(events, row.events, "{}: System Log", row.what);
        match (&result, row.says) {
            (Ok(said), Ok(expected)) => assert!(said.starts_with(expected), "{}: {said}", row.what),
            (Err(error), Err(expected)) => {
                assert!(
                    error.to_string().contains(expected),
                    "{}: {error}",
                    row.what
                )
            }
            _ => panic!("{}: {result:?}, expected {:?}", row.what, row.says),
        }
    }
}

/// A push that fails keeps what was done in Okta and says both, as a typed error.
#[test]
fn a_failed_push_is_a_provisioning_error_that_names_what_was_done() {
    let transport = InProcess::new();
    let clock = SimClock::default();
    let mut org = org(ClientProfile::OktaCustom);
    let jane = add_user(&mut org, "jane@example.com", "Jane", "Doe");
    transport.script(Err(idp::transport::TransportError::Network(
        "refused".into(),
    )));
    let result = block_on(org.perform(
        Action::AssignUser(jane.clone()),
        &transport,
        &clock,
        &|_, _| {},
    ));
    match result {
        Err(ActionError::Provisioning { done, .. }) => {
            assert_eq!(done, "Assigned jane@example.com")
        }
        other => panic!("expected a provisioning error, got {other:?}"),
    }
    assert!(
        org.directory
            .app_users(&org.app.id)
            .any(|a| a.user_id == jane),
        "the assignment stays, with its error"
    );
}
