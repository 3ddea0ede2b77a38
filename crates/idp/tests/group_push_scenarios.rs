//! Group Push scenarios against the SCIM engine in process: create or link by name, renames,
//! membership changes, Push Now and unlinking, in each client's wire shapes.

mod support;

use idp::client::ClientProfile;
use idp::clock::SimClock;
use idp::group_push::GroupPushStatus;
use idp::org::Org;
use idp::syslog::event_type;
use idp::transport::block_on;
use serde_json::{json, Value};
use support::{add_user, body, json_response, lines, org, InProcess};

struct World {
    org: Org,
    transport: InProcess,
    clock: SimClock,
    jane: String,
    john: String,
    group: String,
}

impl World {
    /// Jane and John, both assigned (and created in the app), and an "Engineering" group
    /// holding Jane.
    fn new(client: ClientProfile) -> World {
        let mut org = org(client);
        let jane = add_user(&mut org, "jane@x.com", "Jane", "Doe");
        let john = add_user(&mut org, "john@x.com", "John", "Roe");
        let group = org
            .directory
            .create_group("Engineering", "")
            .expect("a new group");
        org.directory.add_member(&group, &jane).expect("exists");
        let mut world = World {
            org,
            transport: InProcess::new(),
            clock: SimClock::new(1_700_000_000_000),
            jane,
            john,
            group,
        };
        for user in [world.jane.clone(), world.john.clone()] {
            block_on(world.org.assign_user(&world.transport, &world.clock, &user))
                .expect("created");
        }
        world.transport.take_sent();
        world
    }

    fn scim_id(&self, user: &str) -> String {
        self.org
            .directory
            .app_user(support::APP, user)
            .and_then(|a| a.external_id.clone())
            .unwrap_or_default()
    }

    fn app_group_id(&self) -> String {
        self.org
            .group_pushes
            .get(&self.group)
            .and_then(|p| p.app_group_id.clone())
            .unwrap_or_default()
    }

    fn server_group(&self) -> Value {
        let id = self.app_group_id();
        self.transport.direct("GET", &format!("/Groups/{id}"), "").1
    }

    fn server_member_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.server_group()["members"]
            .as_array()
            .map(|m| {
                m.iter()
                    .filter_map(|m| m["value"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        ids
    }

    fn push(&mut self) {
        block_on(
            self.org
                .push_group(&self.transport, &self.clock, &self.group.clone()),
        )
        .expect("pushed");
    }
}

fn pair(method: &str, path: &str) -> (String, String) {
    (method.to_string(), path.to_string())
}

#[test]
fn pushing_a_new_group_looks_it_up_creates_it_then_adds_the_members() {
    let mut world = World::new(ClientProfile::OktaOin);
    world.push();
    let sent = world.transport.take_sent();
    let id = world.app_group_id();
    assert_eq!(
        lines(&sent),
        vec![
            pair(
                "GET",
                "/Groups?filter=displayName%20eq%20%22Engineering%22&startIndex=1&count=100"
            ),
            pair("POST", "/Groups"),
            pair("PATCH", &format!("/Groups/{id}")),
        ]
    );
    assert_eq!(
        body(&sent[1]),
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Engineering", "members": []})
    );
    let jane = world.scim_id(&world.jane);
    assert_eq!(
        body(&sent[2]),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [
                {"op": "replace", "value": {"id": id, "displayName": "Engineering"}},
                {"op": "add", "path": "members", "value": [{"value": jane, "display": "jane@x.com"}]},
            ],
        })
    );
    assert_eq!(world.server_member_ids(), vec![jane]);
    let events: Vec<_> = world
        .org
        .log
        .events()
        .iter()
        .rev()
        .take(3)
        .map(|e| e.event_type.as_str())
        .collect();
    assert_eq!(
        events,
        vec![
            event_type::GROUP_PUSH_MEMBERSHIPS,
            event_type::GROUP_PUSHED,
            event_type::GROUP_PUSHED
        ]
    );
    assert!(world
        .org
        .log
        .events()
        .iter()
        .all(|e| e.exchange_id.is_some()));
}

#[test]
fn renames_and_membership_changes_send_the_difference_with_the_name_repeated() {
    let mut world = World::new(ClientProfile::OktaOin);
    world.push();
    world.transport.take_sent();
    let (t, c) = (&world.transport, &world.clock);
    let group = world.group.clone();
    block_on(world.org.rename_group(t, c, &group, "Platform")).expect("renamed");
    block_on(world.org.add_member(t, c, &group, &world.john.clone())).expect("added");
    block_on(world.org.remove_member(t, c, &group, &world.jane.clone())).expect("removed");
    let sent = world.transport.take_sent();
    let id = world.app_group_id();
    let (jane, john) = (world.scim_id(&world.jane), world.scim_id(&world.john));
    let ops: Vec<Value> = sent.iter().map(|r| body(r)["Operations"].clone()).collect();
    let rename = json!({"op": "replace", "value": {"id": id, "displayName": "Platform"}});
    assert_eq!(
        ops,
        vec![
            json!([rename]),
            json!([rename, {"op": "add", "path": "members", "value": [{"value": john, "display": "john@x.com"}]}]),
            json!([rename, {"op": "remove", "path": format!("members[value eq \"{jane}\"]")}]),
        ]
    );
    assert_eq!(world.server_group()["displayName"], "Platform");
    assert_eq!(world.server_member_ids(), vec![john]);
    assert_eq!(
        world.org.log.events()[world.org.log.events().len() - 3].event_type,
        event_type::GROUP_UPDATED
    );
}

#[test]
fn a_custom_app_gets_the_whole_group_with_put() {
    let mut world = World::new(ClientProfile::OktaCustom);
    world.push();
    let group = world.group.clone();
    block_on(
        world
            .org
            .add_member(&world.transport, &world.clock, &group, &world.john.clone()),
    )
    .expect("added");
    let sent = world.transport.take_sent();
    let id = world.app_group_id();
    let last = sent.last().expect("sent");
    assert_eq!(
        (
            last.method.as_str(),
            lines(&sent).last().map(|l| l.1.clone())
        ),
        ("PUT", Some(format!("/Groups/{id}")))
    );
    let (jane, john) = (world.scim_id(&world.jane), world.scim_id(&world.john));
    let mut expected = vec![
        json!({"value": jane, "display": "jane@x.com"}),
        json!({"value": john, "display": "john@x.com"}),
    ];
    expected.sort_by_key(|m| m["value"].as_str().unwrap_or_default().to_string());
    assert_eq!(
        body(last),
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": id, "displayName": "Engineering", "members": expected})
    );
    assert_eq!(world.server_member_ids().len(), 2);
}

#[test]
fn an_existing_app_group_is_linked_and_its_members_replaced() {
    let mut world = World::new(ClientProfile::OktaOin);
    let john = world.scim_id(&world.john);
    let (status, existing) = world.transport.direct(
        "POST",
        "/Groups",
        &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Engineering", "members": [{"value": john}]}).to_string(),
    );
    assert_eq!(status, 201);
    world.push();
    let sent = world.transport.take_sent();
    assert_eq!(
        sent.iter().map(|r| r.method.as_str()).collect::<Vec<_>>(),
        vec!["GET", "PATCH"]
    );
    assert_eq!(Some(world.app_group_id().as_str()), existing["id"].as_str());
    let jane = world.scim_id(&world.jane);
    assert_eq!(
        body(&sent[1])["Operations"][1],
        json!({"op": "replace", "path": "members", "value": [{"value": jane, "display": "jane@x.com"}]})
    );
    assert_eq!(world.server_member_ids(), vec![jane]);
}

#[test]
fn push_now_replaces_members_and_unassigned_members_leave_the_app_group() {
    let mut world = World::new(ClientProfile::OktaOin);
    world.push();
    let group = world.group.clone();
    let (t, c) = (&world.transport, &world.clock);
    block_on(world.org.add_member(t, c, &group, &world.john.clone())).expect("added");
    block_on(world.org.unassign_user(t, c, &world.john.clone())).expect("unassigned");
    world.transport.take_sent();
    let john = world.scim_id(&world.john);
    assert!(!world.server_member_ids().contains(&john));
    block_on(world.org.push_group_now(t, c, &group)).expect("pushed");
    let sent = world.transport.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(body(&sent[0])["Operations"][1]["path"], "members");
}

#[test]
fn unlinking_deletes_the_app_group_or_leaves_it() {
    let mut world = World::new(ClientProfile::OktaOin);
    world.push();
    let id = world.app_group_id();
    world.transport.take_sent();
    let group = world.group.clone();
    block_on(
        world
            .org
            .unlink_group(&world.transport, &world.clock, &group, true),
    )
    .expect("deleted");
    assert_eq!(
        lines(&world.transport.take_sent()),
        vec![pair("DELETE", &format!("/Groups/{id}"))]
    );
    assert_eq!(
        world
            .transport
            .direct("GET", &format!("/Groups/{id}"), "")
            .0,
        404
    );
    assert!(world.org.group_pushes.get(&group).is_none());
    world.push();
    block_on(
        world
            .org
            .unlink_group(&world.transport, &world.clock, &group, false),
    )
    .expect("left");
    assert!(world
        .transport
        .take_sent()
        .iter()
        .all(|r| r.method != "DELETE"));
}

#[test]
fn a_failed_membership_push_marks_the_push_and_the_next_sync_retries() {
    let mut world = World::new(ClientProfile::OktaOin);
    world.push();
    world
        .transport
        .script(Ok(json_response(500, json!({"detail": "boom"}))));
    let group = world.group.clone();
    let (t, c) = (&world.transport, &world.clock);
    assert!(block_on(world.org.add_member(t, c, &group, &world.john.clone())).is_err());
    let push = world.org.group_pushes.get(&group).expect("pushed");
    assert!(matches!(push.status, GroupPushStatus::Error { .. }));
    assert_eq!(push.pushed_members.len(), 1);
    block_on(world.org.push_group(t, c, &group)).expect("retried");
    assert_eq!(world.server_member_ids().len(), 2);
}

#[test]
fn entra_removes_members_by_value_with_capitalised_ops() {
    let mut world = World::new(ClientProfile::EntraId);
    world
        .transport
        .server
        .borrow_mut()
        .set_profile(scim::Profile::EntraId);
    world.push();
    let group = world.group.clone();
    let (t, c) = (&world.transport, &world.clock);
    block_on(world.org.remove_member(t, c, &group, &world.jane.clone())).expect("removed");
    let sent = world.transport.take_sent();
    let jane = world.scim_id(&world.jane);
    assert!(sent[0]
        .url
        .ends_with("/Groups?filter=displayName%20eq%20%22Engineering%22"));
    assert_eq!(body(&sent[1])["externalId"], json!(group));
    assert_eq!(
        body(&sent[2])["Operations"],
        json!([{"op": "Add", "path": "members", "value": [{"value": jane}]}])
    );
    assert_eq!(
        body(sent.last().expect("sent"))["Operations"],
        json!([{"op": "Remove", "path": "members", "value": [{"value": jane}]}])
    );
    assert!(world.server_member_ids().is_empty());
}
