//! The sourcing diagram's "what if": for each sourcing option, starting status and event, the
//! dry run says what really happens — the same end status, assignment, System Log events and
//! requests as doing it for real against the SCIM engine in process — and sends nothing.

mod support;

use idp::client::ClientProfile;
use idp::clock::SimClock;
use idp::directory::UserStatus;
use idp::org::Org;
use idp::sourcing::{OnDeactivated, Sourcing};
use idp::syslog::event_type;
use idp::transport::block_on;
use idp::what_if::{what_if, WhatIf, WhatIfError, WhatIfEvent};
use serde_json::json;
use support::{add_user, logged_lines, org, sent_lines, InProcess, BASE_URL};

/// Where the person starts: active with an active app account, or moved by an earlier import
/// after the app deactivated their account.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Start {
    Active,
    SuspendedByTheApp,
    DeactivatedByTheApp,
}

struct World {
    org: Org,
    server: InProcess,
    clock: SimClock,
    ada: String,
}

impl World {
    /// Ada and Grace, both assigned and provisioned (so the app holds what Okta pushed), Ada
    /// in `start`, the org sourcing as `sourcing` says.
    fn new(start: Start, sourcing: &Sourcing, deactivate_users: bool) -> World {
        let mut org = org(ClientProfile::OktaCustom);
        let ada = add_user(&mut org, "ada@x.com", "Ada", "Lovelace");
        let grace = add_user(&mut org, "grace@x.com", "Grace", "Hopper");
        let mut world = World {
            org,
            server: InProcess::new(),
            clock: SimClock::new(1_700_000_000_000),
            ada,
        };
        for id in [world.ada.clone(), grace] {
            block_on(world.org.assign_user(&world.server, &world.clock, &id)).expect("assigned");
        }
        let moved_by = match start {
            Start::Active => None,
            Start::SuspendedByTheApp => Some(OnDeactivated::Suspend),
            Start::DeactivatedByTheApp => Some(OnDeactivated::Deactivate),
        };
        if let Some(on_deactivated) = moved_by {
            world.org.import.sourcing = Sourcing {
                enabled: true,
                on_deactivated,
                ..Sourcing::default()
            };
            world.app_sets_active(false);
            world.import();
        }
        world.org.import.sourcing = sourcing.clone();
        world.org.app.settings.to_app.deactivate_users = deactivate_users;
        world.server.take_sent();
        world
    }

    fn ada_scim_id(&self) -> String {
        self.org
            .directory
            .app_user(support::APP, &self.ada)
            .and_then(|a| a.external_id.clone())
            .unwrap_or_default()
    }

    fn app_sets_active(&self, active: bool) {
        let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"active": active}}]});
        let (status, body) = self.server.direct(
            "PATCH",
            &format!("/Users/{}", self.ada_scim_id()),
            &patch.to_string(),
        );
        assert_eq!(status, 200, "{body}");
    }

    fn import(&mut self) {
        block_on(self.org.importer(&self.clock).run(&self.server)).expect("imported");
    }

    fn status(&self) -> UserStatus {
        self.org
            .directory
            .user(&self.ada)
            .map(|u| u.status)
            .expect("ada")
    }

    fn assigned(&self) -> bool {
        self.org
            .directory
            .app_user(support::APP, &self.ada)
            .is_some_and(|a| a.is_assigned())
    }

    fn dry_run(&self, event: WhatIfEvent) -> Result<WhatIf, WhatIfError> {
        block_on(what_if(
            &self.org,
            &self.org.import.sourcing,
            &self.ada,
            event,
            &self.clock,
        ))
    }

    /// Does `event` for real; returns Ada's events' types and the requests Okta sent.
    #[allow(clippy::type_complexity)]
    fn for_real(
        &mut self,
        event: WhatIfEvent,
    ) -> Result<(Vec<String>, Vec<(String, String, Option<String>)>), String> {
        let logged = self.org.log.events().len();
        match event {
            WhatIfEvent::DeactivatedInApp => self.app_sets_active(false),
            WhatIfEvent::ReactivatedInApp => self.app_sets_active(true),
            WhatIfEvent::RemovedInApp => {
                let (status, _) =
                    self.server
                        .direct("DELETE", &format!("/Users/{}", self.ada_scim_id()), "");
                assert_eq!(status, 204);
            }
            WhatIfEvent::UnassignedInOkta => {
                block_on(self.org.unassign_user(&self.server, &self.clock, &self.ada))
                    .map_err(|e| e.to_string())?;
            }
            WhatIfEvent::DeactivatedInOkta => {
                block_on(self.org.user_lifecycle(
                    &self.server,
                    &self.clock,
                    &self.ada,
                    idp::directory::Lifecycle::Deactivate,
                ))
                .map_err(|e| e.to_string())?;
            }
        }
        if matches!(
            event,
            WhatIfEvent::DeactivatedInApp
                | WhatIfEvent::ReactivatedInApp
                | WhatIfEvent::RemovedInApp
        ) {
            self.import();
        }
        let types = self.org.log.events()[logged..]
            .iter()
            .filter(|e| e.user_id.as_deref() == Some(self.ada.as_str()))
            .map(|e| e.event_type.clone())
            .collect();
        Ok((types, sent_lines(&self.server.take_sent())))
    }
}

fn sourcing(on_deactivated: OnDeactivated, reactivate: bool) -> Sourcing {
    Sourcing {
        enabled: true,
        on_deactivated,
        reactivate_suspended: reactivate,
        reactivate_deactivated: reactivate,
    }
}

/// Every sourcing option × start × event: the dry run matches reality and sends nothing.
#[test]
fn the_dry_run_says_what_really_happens() {
    let settings = [
        Sourcing::default(),
        sourcing(OnDeactivated::DoNothing, true),
        sourcing(OnDeactivated::Deactivate, false),
        sourcing(OnDeactivated::Deactivate, true),
        sourcing(OnDeactivated::Suspend, true),
    ];
    let mut played = 0;
    for sourcing in &settings {
        for start in [
            Start::Active,
            Start::SuspendedByTheApp,
            Start::DeactivatedByTheApp,
        ] {
            for deactivate_users in [true, false] {
                for event in WhatIfEvent::ALL {
                    let case = format!(
                        "{sourcing:?} {start:?} deactivate_users={deactivate_users} {event:?}"
                    );
                    let mut world = World::new(start, sourcing, deactivate_users);
                    let before = world.org.clone();
                    let dry = world.dry_run(event);
                    assert_eq!(world.org, before, "{case}: the dry run changed the org");
                    assert!(
                        world.server.take_sent().is_empty(),
                        "{case}: the dry run sent a request"
                    );
                    let real = world.for_real(event);
                    let (dry, (types, sent)) = match (dry, real) {
                        (Ok(dry), Ok(real)) => (dry, real),
                        // Refused both ways, for the same reason (deactivating a deactivated
                        // person, unassigning someone a removal already unassigned).
                        (Err(WhatIfError::Refused(dry)), Err(real)) => {
                            assert_eq!(dry, real, "{case}");
                            played += 1;
                            continue;
                        }
                        (dry, real) => panic!("{case}: {dry:?} but for real {real:?}"),
                    };
                    assert_eq!(
                        dry.status,
                        (
                            before
                                .directory
                                .user(&world.ada)
                                .map(|u| u.status)
                                .expect("ada"),
                            world.status()
                        ),
                        "{case}: {}",
                        dry.summary
                    );
                    assert_eq!(dry.assigned.1, world.assigned(), "{case}");
                    let dry_types: Vec<String> = dry
                        .events
                        .iter()
                        .filter(|e| e.user_id.as_deref() == Some(world.ada.as_str()))
                        .map(|e| e.event_type.clone())
                        .collect();
                    assert_eq!(dry_types, types, "{case}");
                    let dry_sent = logged_lines(&dry.requests);
                    match event {
                        // An import reads every page; the dry run's list is one page long.
                        WhatIfEvent::DeactivatedInApp
                        | WhatIfEvent::ReactivatedInApp
                        | WhatIfEvent::RemovedInApp => {
                            assert_eq!(dry_sent.first(), sent.first(), "{case}")
                        }
                        _ => assert_eq!(dry_sent, sent, "{case}"),
                    }
                    played += 1;
                }
            }
        }
    }
    assert_eq!(played, settings.len() * 3 * 2 * WhatIfEvent::ALL.len());
}

/// The documented transitions, requests and events, one row per case (docs/okta-model.md §4).
#[test]
fn each_option_and_event_gives_the_documented_path() {
    let deactivate = sourcing(OnDeactivated::Deactivate, true);
    let suspend = sourcing(OnDeactivated::Suspend, true);
    let no_reactivation = sourcing(OnDeactivated::Suspend, false);
    let nothing = sourcing(OnDeactivated::DoNothing, true);
    let off = Sourcing::default();
    let page = format!("{BASE_URL}/Users?startIndex=1&count=100");
    #[allow(clippy::type_complexity)]
    let table: [(
        &str,
        &Sourcing,
        Start,
        bool,
        WhatIfEvent,
        Option<&str>,
        UserStatus,
        &[&str],
        &[&str],
        &str,
    ); 11] = [
        (
            "app deactivates, Deactivate chosen",
            &deactivate,
            Start::Active,
            true,
            WhatIfEvent::DeactivatedInApp,
            Some("deactivate"),
            UserStatus::Deprovisioned,
            &["GET"],
            &[event_type::USER_DEACTIVATE],
            "goes from Active (ACTIVE) to Deactivated (DEPROVISIONED)",
        ),
        (
            "app deactivates, Suspend chosen",
            &suspend,
            Start::Active,
            true,
            WhatIfEvent::DeactivatedInApp,
            Some("suspend"),
            UserStatus::Suspended,
            &["GET"],
            &[event_type::IMPORT_USER_SUSPEND],
            "to Suspended (SUSPENDED)",
        ),
        (
            "app deactivates, Do nothing",
            &nothing,
            Start::Active,
            true,
            WhatIfEvent::DeactivatedInApp,
            None,
            UserStatus::Active,
            &["GET"],
            &[],
            "is Do nothing",
        ),
        (
            "app deactivates, sourcing off",
            &off,
            Start::Active,
            true,
            WhatIfEvent::DeactivatedInApp,
            None,
            UserStatus::Active,
            &["GET"],
            &[],
            "app sourcing is off",
        ),
        (
            "app deletes, Deactivate chosen",
            &deactivate,
            Start::Active,
            true,
            WhatIfEvent::RemovedInApp,
            Some("deactivate"),
            UserStatus::Deprovisioned,
            &["GET"],
            &[event_type::USER_DEACTIVATE],
            "loses the app's assignment",
        ),
        (
            "app reactivates a suspended person",
            &suspend,
            Start::SuspendedByTheApp,
            true,
            WhatIfEvent::ReactivatedInApp,
            Some("unsuspend"),
            UserStatus::Active,
            &["GET"],
            &[event_type::USER_UNSUSPEND],
            "to Active (ACTIVE)",
        ),
        (
            "app reactivates a deactivated person",
            &deactivate,
            Start::DeactivatedByTheApp,
            true,
            WhatIfEvent::ReactivatedInApp,
            Some("reactivate"),
            UserStatus::Active,
            &["GET"],
            &[event_type::USER_REACTIVATE],
            "from Deactivated (DEPROVISIONED)",
        ),
        (
            "Reactivate suspended is off",
            &no_reactivation,
            Start::SuspendedByTheApp,
            true,
            WhatIfEvent::ReactivatedInApp,
            None,
            UserStatus::Suspended,
            &["GET"],
            &[],
            "“Reactivate suspended Okta users” is off",
        ),
        (
            "app reactivates an account Okta knows as active",
            &suspend,
            Start::Active,
            true,
            WhatIfEvent::ReactivatedInApp,
            None,
            UserStatus::Active,
            &["GET"],
            &[],
            "nothing to reactivate",
        ),
        (
            "Okta unassigns",
            &off,
            Start::Active,
            true,
            WhatIfEvent::UnassignedInOkta,
            Some("to-app"),
            UserStatus::Active,
            &["PATCH"],
            &[event_type::DEACTIVATE],
            "deactivates the app account",
        ),
        (
            "Okta unassigns, Deactivate Users off",
            &off,
            Start::Active,
            false,
            WhatIfEvent::UnassignedInOkta,
            None,
            UserStatus::Active,
            &[],
            &[],
            "Deactivate Users is off",
        ),
    ];
    for (
        case,
        sourcing,
        start,
        deactivate_users,
        event,
        transition,
        after,
        methods,
        events,
        said,
    ) in table
    {
        let world = World::new(start, sourcing, deactivate_users);
        let dry = world
            .dry_run(event)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(dry.transition, transition, "{case}: {}", dry.summary);
        assert_eq!(dry.status.1, after, "{case}");
        let sent: Vec<&str> = dry.requests.iter().map(|r| r.method.as_str()).collect();
        assert_eq!(sent, methods, "{case}");
        if methods == ["GET"] {
            assert_eq!(dry.requests[0].url, page, "{case}: the import's first page");
        }
        if methods == ["PATCH"] {
            let body: serde_json::Value =
                serde_json::from_str(dry.requests[0].body.as_deref().unwrap_or_default())
                    .unwrap_or_default();
            assert_eq!(
                body["Operations"][0]["value"]["active"],
                json!(false),
                "{case}: {body}"
            );
            assert!(
                dry.requests[0]
                    .headers
                    .iter()
                    .all(|(n, v)| n != "Authorization" || !v.contains("playground")),
                "{case}: the credential is masked"
            );
        }
        let types: Vec<&str> = dry
            .events
            .iter()
            .filter(|e| e.user_id.as_deref() == Some(world.ada.as_str()))
            .map(|e| e.event_type.as_str())
            .collect();
        assert_eq!(types, events, "{case}");
        assert!(dry.summary.contains(said), "{case}: {}", dry.summary);
    }
}

/// Events that need an app account or an assignment the person lacks say so.
#[test]
fn an_event_that_cannot_happen_says_why() {
    let mut world = World::new(Start::Active, &Sourcing::default(), true);
    let nobody = add_user(&mut world.org, "alan@x.com", "Alan", "Turing");
    let ask = |event| {
        block_on(what_if(
            &world.org,
            &Sourcing::default(),
            &nobody,
            event,
            &world.clock,
        ))
    };
    assert!(
        matches!(ask(WhatIfEvent::DeactivatedInApp), Err(WhatIfError::NotLinked(login)) if login == "alan@x.com")
    );
    assert!(matches!(
        ask(WhatIfEvent::UnassignedInOkta),
        Err(WhatIfError::Refused(_))
    ));
    let deactivated =
        ask(WhatIfEvent::DeactivatedInOkta).expect("an unassigned person can be deactivated");
    assert!(deactivated.requests.is_empty());
    assert!(
        deactivated.summary.contains("no app account linked"),
        "{}",
        deactivated.summary
    );
    assert!(matches!(
        block_on(what_if(
            &world.org,
            &Sourcing::default(),
            "00u-none",
            WhatIfEvent::RemovedInApp,
            &world.clock
        )),
        Err(WhatIfError::UnknownUser(_))
    ));
}
