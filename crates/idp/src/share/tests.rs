//! The shared configuration's tests: round trips, hostile input, migrations and the diff.

use base64::Engine as _;
use serde_json::Value;

use super::codec::BASE64URL;
use super::*;
use crate::hook::{Command, HookRule, ImportAction};
use crate::push::App;
use crate::settings::ProvisioningSettings;
use serde_json::json;

fn org() -> Org {
    let settings = ProvisioningSettings::new(
        "https://private.example/scim/v2",
        ApiAuth::Basic {
            username: "admin".into(),
            password: "hunter2".into(),
        },
    );
    let mut org = Org::new(App::scim_template("0oa1", "My app", settings), 1);
    org.import.username_format = UsernameFormat::Custom {
        expression: r#"String.substringBefore(appuser.email, "@") + "@corp.example""#.into(),
    };
    org.import.hook = Some(ImportHook::Http {
        url: "https://hook.example/import".into(),
        authorization: Some("hook-secret".into()),
    });
    org.okta_profile
        .add(OktaAttribute {
            name: "costCode".into(),
            display_name: "Cost code".into(),
            attr_type: crate::profile::AttributeType::String,
        })
        .expect("a new attribute");
    org.app
        .mappings
        .set_to_okta(
            &org.app.profile,
            &org.okta_profile,
            "costCode",
            "appuser.costCenter",
        )
        .expect("a valid mapping");
    org
}

fn deflate_b64(json: &str) -> String {
    BASE64URL.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6))
}

fn current_json() -> Value {
    serde_json::to_value(SharedConfig::from_org(&org())).unwrap_or(Value::Null)
}

fn with_hook_url(url: &str) -> SharedConfig {
    let mut config = SharedConfig::from_org(&org());
    config.import.hook = Some(ImportHook::Http {
        url: url.into(),
        authorization: None,
    });
    config
}

fn hook_authorization(org: &Org) -> Option<String> {
    match &org.import.hook {
        Some(ImportHook::Http { authorization, .. }) => authorization.clone(),
        _ => None,
    }
}

/// A link that changes only the hook's URL must not send the hook's credential to the
/// link author's server; one that keeps the origin (another path) keeps it.
#[test]
fn the_hook_credential_stays_only_with_its_origin() {
    for (url, kept) in [
        ("https://hook.example/import", true),
        ("https://HOOK.example:443/other/path", true),
        ("https://attacker.example/collect", false),
        ("https://hook.example.attacker.example/import", false),
        ("http://hook.example/import", false),
        ("https://hook.example:8443/import", false),
        ("https://hook.example@attacker.example/import", false),
    ] {
        let mut target = org();
        let incoming = with_hook_url(url);
        let notice = hook_destination(&target, &incoming);
        incoming.apply_to(&mut target);
        assert_eq!(
            hook_authorization(&target).is_some(),
            kept,
            "{url}: the credential kept?"
        );
        if url == "https://hook.example/import" {
            assert_eq!(notice, None, "same URL: nothing to say");
        } else {
            assert_eq!(
                notice,
                Some(HookDestination {
                    url: url.into(),
                    credential_dropped: !kept
                }),
                "{url}"
            );
        }
    }
}

#[test]
fn a_hook_on_the_apps_own_origin_is_refused() {
    let app = "https://user.github.io";
    for url in [
        "https://user.github.io/_playground/import",
        "https://USER.github.io:443/scim-playground/_playground/reset",
    ] {
        assert_eq!(
            check_hook_destination(&with_hook_url(url), app),
            Err(ShareError::HookOnAppOrigin(url.into())),
            "{url}"
        );
    }
    for url in ["https://hook.example/import", "http://user.github.io/x"] {
        assert_eq!(
            check_hook_destination(&with_hook_url(url), app),
            Ok(()),
            "{url}"
        );
    }
}

#[test]
fn a_configuration_round_trips_without_data_or_secrets() {
    let org = org();
    let config = SharedConfig::from_org(&org);
    let text = encode(&config);
    assert!(text.len() < 3000, "compact: {} bytes", text.len());
    assert!(text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(decode(&text), Ok(config.clone()));
    let json = String::from_utf8(
        miniz_oxide::inflate::decompress_to_vec(&BASE64URL.decode(&text).unwrap_or_default())
            .unwrap_or_default(),
    )
    .unwrap_or_default();
    for secret in ["hunter2", "admin", "hook-secret", "private.example"] {
        assert!(!json.contains(secret), "{secret} leaked");
    }
    let mut other = Org::new(
        App::scim_template(
            "0oa2",
            "Other",
            ProvisioningSettings::new("https://mine.example", ApiAuth::None),
        ),
        2,
    );
    config.apply_to(&mut other);
    assert_eq!(other.app.label, "My app");
    assert!(other.okta_profile.has("costCode"));
    assert_eq!(
        other.app.settings.auth,
        ApiAuth::Basic {
            username: String::new(),
            password: String::new()
        }
    );
    assert_eq!(other.app.settings.base_url, "https://mine.example");
    assert_eq!(SharedConfig::from_org(&other), config);
}

#[test]
fn local_hook_rules_round_trip() {
    let mut org = org();
    org.import.hook = Some(ImportHook::Local {
        rules: vec![HookRule {
            condition: r#"appuser.userType == "Contractor""#.into(),
            commands: vec![Command::ActionUpdate {
                result: ImportAction::LinkUser,
            }],
            error: None,
        }],
    });
    let config = SharedConfig::from_org(&org);
    assert_eq!(decode(&encode(&config)), Ok(config));
}

#[test]
fn version_1_migrates_to_version_2() {
    let mut v1 = current_json();
    if let Some(obj) = v1.as_object_mut() {
        obj.insert("version".into(), json!(1));
        obj.remove("client");
        obj.insert("appType".into(), json!("OIN"));
        if let Some(Value::Object(import)) = obj.get_mut("import") {
            import.remove("hook");
        }
    }
    let decoded = decode(&deflate_b64(&v1.to_string())).expect("migrated");
    assert_eq!(decoded.version, CURRENT_VERSION);
    assert_eq!(decoded.client, ClientProfile::OktaOin);
    assert_eq!(decoded.import.hook, None);
    if let Some(obj) = v1.as_object_mut() {
        obj.insert("appType".into(), json!("XYZ"));
    }
    assert!(matches!(
        decode(&deflate_b64(&v1.to_string())),
        Err(ShareError::Migration { from: 1, .. })
    ));
}

/// The current configuration with one change made to its JSON.
fn tampered(change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut value = current_json();
    if let Some(obj) = value.as_object_mut() {
        change(obj);
    }
    deflate_b64(&value.to_string())
}

/// Whether an error is the one a case expects.
type Expected = fn(&ShareError) -> bool;

#[test]
fn the_diff_names_each_changed_setting_and_keys_mappings_by_target() {
    let current = SharedConfig::from_org(&org());
    assert_eq!(diff(&current, &current), Vec::new());
    let mut incoming = current.clone();
    incoming.to_app.create_users = false;
    incoming.mappings.to_app[0].expression = "user.email".into();
    incoming.mappings.to_app.remove(1);
    let target0 = current.mappings.to_app[0].target.clone();
    let target1 = current.mappings.to_app[1].target.clone();
    let paths: Vec<String> = diff(&current, &incoming)
        .into_iter()
        .map(|d| d.path)
        .collect();
    assert!(
        paths.contains(&"toApp.createUsers".to_string()),
        "{paths:?}"
    );
    assert!(paths.contains(&format!("mappings.toApp.{target0}.expression")));
    assert!(paths.contains(&format!("mappings.toApp.{target1}.target")));
    let removed = diff(&current, &incoming)
        .into_iter()
        .find(|d| d.path == format!("mappings.toApp.{target1}.target"))
        .expect("the removed mapping is listed");
    assert_eq!(removed.incoming, None);
    assert!(
        paths.len() <= 6,
        "only the changed settings are listed, not every later index: {paths:?}"
    );
}

#[test]
fn an_exported_file_decodes_with_the_same_checks() {
    let config = SharedConfig::from_org(&org());
    let json = serde_json::to_vec_pretty(&config).expect("serialises");
    assert_eq!(decode_json(&json), Ok(config));
    assert!(matches!(
        decode_json(br#"{"version":99}"#),
        Err(ShareError::NewerVersion(99))
    ));
    assert_eq!(
        decode_json(&vec![b' '; MAX_INFLATED_BYTES + 1]),
        Err(ShareError::TooLarge)
    );
}

#[test]
fn each_way_of_being_wrong_has_its_error() {
    let bomb = {
        let zeros = vec![b' '; MAX_INFLATED_BYTES + 1];
        BASE64URL.encode(miniz_oxide::deflate::compress_to_vec(&zeros, 9))
    };
    assert!(bomb.len() < MAX_ENCODED_BYTES, "a small fragment");
    let cases: Vec<(String, Expected)> = vec![
        ("a".repeat(MAX_ENCODED_BYTES + 1), |e| {
            matches!(e, ShareError::TooLong)
        }),
        ("!!".into(), |e| matches!(e, ShareError::InvalidBase64(_))),
        (BASE64URL.encode(b"\xff\xff\xff\xff"), |e| {
            matches!(e, ShareError::InvalidDeflate(_))
        }),
        (bomb, |e| matches!(e, ShareError::TooLarge)),
        (deflate_b64("{\"version\":"), |e| {
            matches!(e, ShareError::InvalidJson(_))
        }),
        (deflate_b64("{}"), |e| {
            matches!(e, ShareError::MissingVersion)
        }),
        (deflate_b64(r#"{"version":"2"}"#), |e| {
            matches!(e, ShareError::MissingVersion)
        }),
        (deflate_b64(r#"{"version":99}"#), |e| {
            matches!(e, ShareError::NewerVersion(99))
        }),
        (deflate_b64(r#"{"version":0}"#), |e| {
            matches!(e, ShareError::UnsupportedVersion(0))
        }),
        (deflate_b64(r#"{"version":2}"#), |e| {
            matches!(e, ShareError::InvalidShape(_))
        }),
        (
            tampered(|o| {
                o.insert("users".into(), json!([]));
            }),
            |e| matches!(e, ShareError::InvalidShape(_)),
        ),
        (
            tampered(|o| {
                o["mappings"]["toApp"][0]["expression"] = json!("user.firstName +");
            }),
            |e| matches!(e, ShareError::InvalidExpression { .. }),
        ),
        (
            tampered(|o| {
                o["import"]["usernameFormat"]["expression"] = json!("appuser.nope");
            }),
            |e| matches!(e, ShareError::InvalidExpression { .. }),
        ),
        (
            tampered(|o| {
                o["mappings"]["toApp"][0]["target"] = json!("nope");
            }),
            |e| matches!(e, ShareError::UnknownTarget(_)),
        ),
        (
            tampered(|o| {
                o["mappings"]["toOkta"][0]["target"] = json!("nope");
            }),
            |e| matches!(e, ShareError::UnknownTarget(_)),
        ),
        (
            tampered(|o| {
                o["appAttributes"][1]["name"] = json!("userName");
            }),
            |e| matches!(e, ShareError::InvalidAttribute { .. }),
        ),
        (
            tampered(|o| {
                o.insert("oktaAttributes".into(), json!([]));
            }),
            |e| matches!(e, ShareError::UnknownTarget(t) if t == "costCode"),
        ),
        (
            tampered(|o| {
                o["oktaAttributes"][0]["name"] = json!("login");
            }),
            |e| matches!(e, ShareError::InvalidAttribute { .. }),
        ),
        (
            tampered(|o| {
                o["import"]["safeguards"]["app"]["percent"] = json!(101);
            }),
            |e| matches!(e, ShareError::OutOfRange("app")),
        ),
        // The form refuses 0 % too: one validation for both (Safeguards::validate).
        (
            tampered(|o| {
                o["import"]["safeguards"]["org"]["percent"] = json!(0);
            }),
            |e| matches!(e, ShareError::OutOfRange("org")),
        ),
        (
            tampered(|o| {
                o["import"]["hook"]["authorization"] = json!("secret");
            }),
            |e| matches!(e, ShareError::ContainsSecret(_)),
        ),
        (
            tampered(|o| {
                o["import"]["hook"] = json!({"kind": "local", "rules": [{"condition": "(("}]});
            }),
            |e| matches!(e, ShareError::InvalidExpression { .. }),
        ),
        (
            tampered(|o| {
                o["appLabel"] = json!("<script>alert(1)</script>");
            }),
            |e| matches!(e, ShareError::NotPlainText(p) if p == "the app label"),
        ),
        (
            tampered(|o| {
                o["appLabel"] = json!("x".repeat(MAX_TEXT_CHARS + 1));
            }),
            |e| matches!(e, ShareError::NotPlainText(_)),
        ),
        (
            tampered(|o| {
                o["appAttributes"][0]["displayName"] = json!("a\u{7}b");
            }),
            |e| matches!(e, ShareError::NotPlainText(_)),
        ),
        (
            tampered(|o| {
                o["import"]["hook"] = json!({"kind": "http", "url": "javascript:alert(1)"});
            }),
            |e| matches!(e, ShareError::InvalidHookUrl),
        ),
    ];
    for (idx, (text, expected)) in cases.iter().enumerate() {
        match decode(text) {
            Err(e) if expected(&e) => {}
            other => panic!("case {idx}: unexpected {other:?}"),
        }
    }
}
