//! "Back up everything" (`idp::backup`): a backup reads back into the same org and server
//! document, holds no credential unless asked, keeps this browser's credentials on restore when
//! it has none, and every damaged, truncated, future or hostile file is refused with its reason
//! (a corpus, then a fuzz run over mutations of a real backup that must never panic).

mod support;

use idp::backup::{read, write, BackupError, Summary, FORMAT};
use idp::client::ClientProfile;
use idp::clock::SimClock;
use idp::hook::ImportHook;
use idp::org::Org;
use idp::settings::ApiAuth;
use idp::transport::block_on;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use support::{org, InProcess};

const SECRETS: [&str; 5] = [
    "api-s3cret",
    "hook-s3cret",
    "Okta-pw-1",
    "server-s3cret",
    "Scim-pw-1",
];

/// An org with people, a group, pushed assignments, credentials everywhere, and the server's
/// export document with a credential and a user holding a SCIM password.
fn world() -> (Org, Value, Map<String, Value>) {
    let transport = InProcess::new();
    let clock = SimClock::new(1_700_000_000_000);
    let mut org = org(ClientProfile::OktaCustom);
    let ids =
        idp::generator::generate_users(&mut org.directory, 3, 40, "example.com").expect("made");
    let group = org.directory.create_group("Team", "A team").expect("group");
    for id in ids.iter().step_by(3) {
        org.directory.add_member(&group, id).expect("member");
    }
    org.directory
        .set_password(&ids[0], "Okta-pw-1")
        .expect("a person");
    for id in ids.iter().take(5) {
        block_on(org.assign_user(&transport, &clock, id)).expect("pushed");
    }
    org.app.settings.auth = ApiAuth::Header {
        value: "Bearer api-s3cret".into(),
    };
    org.import.hook = Some(ImportHook::Http {
        url: "https://hook.example/import".into(),
        authorization: Some("Bearer hook-s3cret".into()),
    });
    let server = json!({
        "format": "scim-playground/server",
        "version": 1,
        "exportedAt": "2026-12-03T12:00:00Z",
        "settings": { "auth": { "method": "bearer", "token": "server-s3cret" }, "profile": "okta" },
        "resources": [
            { "resourceType": "User", "id": "u1", "data": { "userName": "a@example.com", "password": "Scim-pw-1", "emails": [{ "value": "a@example.com" }] } },
            { "resourceType": "Group", "id": "g1", "data": { "displayName": "Team" } }
        ]
    });
    let mut scenarios = Map::new();
    scenarios.insert("first-push".into(), json!(3));
    (org, server, scenarios)
}

fn org_json(org: &Org) -> String {
    serde_json::to_string(org).expect("serialises")
}

#[test]
fn a_backup_with_secrets_reads_back_byte_equal() {
    let (org, server, scenarios) = world();
    let text = write(&org, &server, &scenarios, true, "2026-12-03T12:00:00Z");
    let restored = read(&text).expect("a valid backup");
    assert!(restored.secrets);
    assert_eq!(org_json(&restored.org), org_json(&org));
    assert_eq!(restored.server, server);
    assert_eq!(restored.scenarios, scenarios);
    assert_eq!(
        Summary::of(&restored.org, &restored.server),
        Summary::of(&org, &server)
    );
    // Written again, it is the same file.
    assert_eq!(
        write(
            &restored.org,
            &restored.server,
            &restored.scenarios,
            true,
            &restored.created_at
        ),
        text
    );
    assert!(
        restored
            .org
            .directory
            .user_by_login(org.directory.users().next().expect("a person").login())
            .is_some(),
        "the login index is rebuilt"
    );
}

#[test]
fn a_backup_without_secrets_holds_none_and_keeps_this_browser_s_on_restore() {
    let (org, server, scenarios) = world();
    let text = write(&org, &server, &scenarios, false, "2026-12-03T12:00:00Z");
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} is not in the file");
    }
    let mut restored = read(&text).expect("a valid backup");
    assert!(!restored.secrets);
    assert_eq!(restored.org.app.settings.auth, ApiAuth::None);
    assert_eq!(
        restored.server["settings"]["auth"],
        json!({ "method": "none" })
    );
    assert_eq!(
        restored.server["resources"][0]["data"]["emails"][0]["value"], "a@example.com",
        "only passwords go"
    );
    // Restored into this browser, the credentials it has stay.
    restored.keep_credentials(&org, &server["settings"]["auth"]);
    assert_eq!(restored.org.app.settings.auth, org.app.settings.auth);
    assert_eq!(
        restored.server["settings"]["auth"],
        server["settings"]["auth"]
    );
    let Some(ImportHook::Http { authorization, .. }) = &restored.org.import.hook else {
        panic!("the hook")
    };
    assert_eq!(authorization.as_deref(), Some("Bearer hook-s3cret"));

    // A hook on another origin in this browser does not lend it its credential.
    let mut elsewhere = org.clone();
    elsewhere.import.hook = Some(ImportHook::Http {
        url: "https://other.example/import".into(),
        authorization: Some("Bearer other".into()),
    });
    let mut restored = read(&text).expect("a valid backup");
    restored.keep_credentials(&elsewhere, &json!({ "method": "none" }));
    let Some(ImportHook::Http { authorization, .. }) = &restored.org.import.hook else {
        panic!("the hook")
    };
    assert_eq!(*authorization, None);
}

/// Edits a valid backup's JSON.
fn edited(edit: impl FnOnce(&mut Value)) -> String {
    let (org, server, scenarios) = world();
    let mut value: Value =
        serde_json::from_str(&write(&org, &server, &scenarios, true, "t")).expect("json");
    edit(&mut value);
    value.to_string()
}

#[test]
fn every_damaged_or_hostile_file_is_refused_with_its_reason() {
    let (org, server, scenarios) = world();
    let valid = write(&org, &server, &scenarios, true, "t");
    let cut = &valid[..valid.len() / 2];
    let corpus: Vec<(String, &str)> = vec![
        (String::new(), "not JSON, or it is cut short"),
        (cut.to_string(), "not JSON, or it is cut short"),
        ("[]".into(), "not a SCIM Playground backup"),
        (
            "{\"format\":\"scim-playground/server\"}".into(),
            "not a SCIM Playground backup",
        ),
        (server.to_string(), "not a SCIM Playground backup"),
        (
            edited(|v| v["version"] = json!(2)),
            "version 2, made by a newer SCIM Playground",
        ),
        (
            edited(|v| v["version"] = json!("1")),
            "version is not valid",
        ),
        (edited(|v| v["version"] = json!(0)), "version is not valid"),
        (
            edited(|v| v["createdAt"] = json!("x".repeat(100))),
            "creation time is not valid",
        ),
        (
            edited(|v| v["secrets"] = json!("no")),
            "secrets flag is not valid",
        ),
        (
            edited(|v| {
                v.as_object_mut().expect("object").remove("okta");
            }),
            "Okta org is not valid: it is missing",
        ),
        (edited(|v| v["okta"] = json!([])), "Okta org is not valid"),
        (
            edited(|v| v["okta"]["directory"]["users"] = json!("everyone")),
            "Okta org is not valid",
        ),
        (
            edited(|v| {
                let users = v["okta"]["directory"]["users"]
                    .as_object_mut()
                    .expect("users");
                let (_, first) = users
                    .iter()
                    .next()
                    .map(|(k, u)| (k.clone(), u.clone()))
                    .expect("a person");
                let mut twin = first.clone();
                twin["id"] = json!("00uTWIN");
                users.insert("00uTWIN".into(), twin);
            }),
            "belongs to two people",
        ),
        (
            edited(|v| {
                let groups = v["okta"]["directory"]["groups"]
                    .as_object_mut()
                    .expect("groups");
                let group = groups.values_mut().next().expect("a group");
                group["members"]
                    .as_array_mut()
                    .expect("members")
                    .push(json!("00uNOBODY"));
            }),
            "who is not in the org",
        ),
        (
            edited(|v| {
                let apps = v["okta"]["directory"]["appUsers"]
                    .as_object_mut()
                    .expect("app users");
                let users = apps
                    .values_mut()
                    .next()
                    .expect("an app")
                    .as_object_mut()
                    .expect("users");
                let mut ghost = users.values().next().expect("an assignment").clone();
                ghost["userId"] = json!("00uGHOST");
                users.insert("00uGHOST".into(), ghost);
            }),
            "an assignment names 00uGHOST",
        ),
        (
            edited(|v| v["server"]["format"] = json!("other")),
            "not the server's export document",
        ),
        (
            edited(|v| {
                v["server"]
                    .as_object_mut()
                    .expect("object")
                    .remove("settings");
            }),
            "it has no settings",
        ),
        (
            edited(|v| v["server"]["resources"] = json!({})),
            "no list of resources",
        ),
        (
            edited(|v| v["server"]["resources"][1]["resourceType"] = json!("Printer")),
            "resource 2 is not a User or Group",
        ),
        (
            edited(|v| v["server"]["resources"][0]["id"] = json!("")),
            "resource 1 is not a User or Group",
        ),
        (
            edited(|v| v["scenarios"] = json!({ "first-push": "three" })),
            "scenario progress is not valid",
        ),
        (
            edited(|v| v["scenarios"] = json!([1])),
            "scenario progress is not valid",
        ),
        // Nested a thousand deep: serde_json's recursion limit refuses it, nothing overflows.
        (
            format!("{}{}", "[".repeat(1000), "]".repeat(1000)),
            "not JSON, or it is cut short",
        ),
    ];
    for (text, says) in corpus {
        let error = read(&text).expect_err(says).to_string();
        assert!(error.contains(says), "{says:?} — got {error:?}");
    }
    assert_eq!(read("{}").expect_err("no format"), BackupError::NotABackup);
    assert!(valid.contains(FORMAT));
}

/// One real backup, made once for the whole fuzz run.
fn valid() -> &'static str {
    static VALID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VALID.get_or_init(|| {
        let (org, server, scenarios) = world();
        write(&org, &server, &scenarios, true, "t")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A backup cut anywhere, or with any byte changed, is read or refused, never a panic; and
    /// what is read is a whole, consistent backup.
    #[test]
    fn a_mutated_backup_never_panics(cut in 0.0f64..1.0, at in 0.0f64..1.0, byte in any::<u8>()) {
        let valid = valid().as_bytes();
        let end = ((valid.len() as f64) * cut) as usize;
        let _ = read(&String::from_utf8_lossy(&valid[..end]));
        let mut changed = valid.to_vec();
        let index = ((changed.len() - 1) as f64 * at) as usize;
        changed[index] = byte;
        if let Ok(restored) = read(&String::from_utf8_lossy(&changed)) {
            let summary = Summary::of(&restored.org, &restored.server);
            prop_assert!(summary.people <= 41);
        }
    }

    #[test]
    fn any_text_is_read_or_refused(text in ".{0,400}") {
        let _ = read(&text);
    }
}
