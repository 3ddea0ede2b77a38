//! Random sequences of admin operations, app-side changes and failures against the engine in
//! process. Nothing may panic, and what the directory believes about app accounts must stay
//! true: every app user Okta has linked and believes active exists in the app and is active
//! there, unless the last push failed; and a pushed group whose last push succeeded has in the
//! app exactly the members Okta last pushed.

mod support;

use std::collections::BTreeMap;

use idp::client::ClientProfile;
use idp::clock::SimClock;
use idp::directory::{Lifecycle, SyncState};
use idp::group_push::GroupPushStatus;
use idp::transport::{block_on, TransportError};
use proptest::prelude::*;
use serde_json::json;
use support::{add_user, json_response, org, InProcess};

#[derive(Debug, Clone)]
enum Op {
    Assign(usize),
    Unassign(usize),
    Rename(usize, String),
    Lifecycle(usize, usize),
    AddMember(usize),
    RemoveMember(usize),
    PushGroup,
    RenameGroup(String),
    Import,
    Fail(u16),
    NetworkDown,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize).prop_map(Op::Assign),
        (0..4usize).prop_map(Op::Unassign),
        (0..4usize, "[A-Za-z]{1,8}").prop_map(|(u, n)| Op::Rename(u, n)),
        (0..4usize, 0..6usize).prop_map(|(u, l)| Op::Lifecycle(u, l)),
        (0..4usize).prop_map(Op::AddMember),
        (0..4usize).prop_map(Op::RemoveMember),
        Just(Op::PushGroup),
        "[A-Za-z ]{1,12}".prop_map(Op::RenameGroup),
        Just(Op::Import),
        prop_oneof![Just(400u16), Just(404), Just(409), Just(429), Just(500)].prop_map(Op::Fail),
        Just(Op::NetworkDown),
    ]
}

const LIFECYCLE: [Lifecycle; 6] = [
    Lifecycle::Activate,
    Lifecycle::Suspend,
    Lifecycle::Unsuspend,
    Lifecycle::Deactivate,
    Lifecycle::Reactivate,
    Lifecycle::Delete,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_operations_never_panic_and_keep_app_accounts_true(
        client in prop_oneof![Just(ClientProfile::OktaOin), Just(ClientProfile::OktaCustom), Just(ClientProfile::EntraId)],
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let mut org = org(client);
        org.import.matching.auto_confirm_exact = true;
        let transport = InProcess::new();
        if client == ClientProfile::EntraId {
            transport.server.borrow_mut().set_profile(scim::Profile::EntraId);
        }
        let clock = SimClock::new(1_700_000_000_000);
        let users: Vec<String> = (0..4)
            .map(|i| add_user(&mut org, &format!("u{i}@x.com"), "U", &format!("N{i}")))
            .collect();
        let group = org.directory.create_group("Team", "").expect("a new group");
        org.directory.assign_group(&org.app.id.clone(), &group).expect("the group exists");
        for op in ops {
            let user = |i: usize| users[i % users.len()].clone();
            // Results are ignored: refusals and failed pushes are part of the game.
            let _ = match op {
                Op::Assign(i) => block_on(org.assign_user(&transport, &clock, &user(i))),
                Op::Unassign(i) => block_on(org.unassign_user(&transport, &clock, &user(i))),
                Op::Rename(i, name) => {
                    let changes = BTreeMap::from([("firstName".to_string(), Some(name))]);
                    block_on(org.update_user(&transport, &clock, &user(i), changes))
                }
                Op::Lifecycle(i, l) => block_on(org.user_lifecycle(&transport, &clock, &user(i), LIFECYCLE[l])),
                Op::AddMember(i) => block_on(org.add_member(&transport, &clock, &group, &user(i))),
                Op::RemoveMember(i) => block_on(org.remove_member(&transport, &clock, &group, &user(i))),
                Op::PushGroup => block_on(org.push_group(&transport, &clock, &group)),
                Op::RenameGroup(name) => block_on(org.rename_group(&transport, &clock, &group, &name)),
                Op::Import => {
                    let _ = block_on(org.importer(&clock).run(&transport));
                    let _ = block_on(org.importer(&clock).confirm_all(false));
                    Ok(())
                }
                Op::Fail(status) => {
                    transport.script(Ok(json_response(status, json!({"detail": "scripted"}))));
                    Ok(())
                }
                Op::NetworkDown => {
                    transport.script(Err(TransportError::Network("down".into())));
                    Ok(())
                }
            };
        }
        transport.scripted.borrow_mut().clear();
        for user_id in &users {
            let Some(app_user) = org.directory.app_user(&org.app.id, user_id) else { continue };
            let (Some(scim_id), true, SyncState::Synced) =
                (&app_user.external_id, app_user.active, &app_user.sync)
            else {
                continue;
            };
            let (status, server_user) = transport.direct("GET", &format!("/Users/{scim_id}"), "");
            prop_assert_eq!(status, 200, "{} is linked to {}", user_id, scim_id);
            prop_assert!(
                server_user["active"] == json!(true),
                "{} believed active: {}", user_id, server_user
            );
        }
        if let Some(push) = org.group_pushes.get(&group) {
            if let (Some(app_group_id), GroupPushStatus::Active) = (&push.app_group_id, &push.status) {
                let (status, server_group) =
                    transport.direct("GET", &format!("/Groups/{app_group_id}"), "");
                prop_assert_eq!(status, 200);
                let mut members: Vec<String> = server_group["members"]
                    .as_array()
                    .map(|m| m.iter().filter_map(|m| m["value"].as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                members.sort();
                let pushed: Vec<String> = push.pushed_members.keys().cloned().collect();
                prop_assert_eq!(members, pushed);
                prop_assert_eq!(server_group["displayName"].as_str(), push.pushed_name.as_deref());
            }
        }
    }
}
