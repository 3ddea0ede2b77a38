//! The diagrams say what the settings do: the matching flow in a table of settings, and, for
//! random settings and people, the import's real decision for every row is the path the diagram
//! draws, ending in a box that says what happened to it.

mod support;

use idp::client::ClientProfile;
use idp::clock::SimClock;
use idp::diagram::matching::{diagram, path};
use idp::import::{RowKind, RowState};
use idp::matching::MatchRules;
use idp::transport::block_on;
use proptest::prelude::*;
use serde_json::json;
use support::{add_user, InProcess};

fn lines_in_force(rules: &MatchRules, id: &str) -> Vec<String> {
    diagram(rules, None)
        .node(id)
        .map(|n| {
            n.lines
                .iter()
                .filter(|l| l.in_force)
                .map(|l| l.text.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_flow_follows_the_settings() {
    let default = MatchRules::default();
    let d = diagram(&default, None);
    // Username only: email off, no partial branch, a row that does not match exactly is new.
    assert_eq!(
        lines_in_force(&default, "exact"),
        ["Okta username format matches"]
    );
    assert!(!d.node("partial").is_some_and(|n| n.in_force));
    assert!(d.edge("exact", "new-out").is_some_and(|e| e.in_force));
    assert!(!d.edge("exact", "partial").is_some_and(|e| e.in_force));
    assert_eq!(
        lines_in_force(&default, "exact-out"),
        ["waits for your confirmation"]
    );
    assert_eq!(
        lines_in_force(&default, "new-out"),
        ["waits for your confirmation"]
    );

    // "The following attribute matches" replaces the other two.
    let attribute = MatchRules {
        email: true,
        attribute: Some("employeeNumber".into()),
        ..MatchRules::default()
    };
    assert_eq!(
        lines_in_force(&attribute, "exact"),
        ["The attribute employeeNumber matches"]
    );
    let greyed: Vec<String> = diagram(&attribute, None)
        .node("exact")
        .map(|n| {
            n.lines
                .iter()
                .filter(|l| !l.in_force)
                .map(|l| l.text.clone())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        greyed,
        [
            "Username format — replaced by the attribute",
            "Email — replaced by the attribute"
        ]
    );

    // Both criteria: both must hold. Neither: nothing matches exactly.
    let both = MatchRules {
        email: true,
        ..MatchRules::default()
    };
    assert_eq!(
        lines_in_force(&both, "exact"),
        [
            "Okta username format matches",
            "Email matches",
            "Both must hold"
        ]
    );
    let neither = MatchRules {
        username: false,
        ..MatchRules::default()
    };
    assert_eq!(
        lines_in_force(&neither, "exact"),
        ["No criterion chosen: nothing matches exactly"]
    );

    // Partial matches allowed: the branch is in force, and the skip is not.
    let partial = MatchRules {
        allow_partial: true,
        auto_confirm_partial: true,
        auto_confirm_exact: true,
        auto_confirm_new: true,
        auto_activate_new: true,
        ..MatchRules::default()
    };
    let d = diagram(&partial, None);
    assert!(d.node("partial").is_some_and(|n| n.in_force));
    assert!(d.edge("exact", "partial").is_some_and(|e| e.in_force));
    assert!(!d.edge("exact", "new-out").is_some_and(|e| e.in_force));
    assert_eq!(
        lines_in_force(&partial, "partial-out"),
        ["linked automatically"]
    );
    assert_eq!(
        lines_in_force(&partial, "exact-out"),
        ["linked automatically"]
    );
    assert_eq!(
        lines_in_force(&partial, "new-out"),
        [
            "created and activated automatically",
            "a username taken in Okta waits for you"
        ]
    );
    let staged = MatchRules {
        auto_confirm_new: true,
        ..MatchRules::default()
    };
    assert_eq!(
        lines_in_force(&staged, "new-out")[0],
        "created automatically, staged"
    );

    // Every arrow starts and ends on a box's edge, and the text names every box in force.
    for rules in [&default, &attribute, &both, &neither, &partial] {
        let d = diagram(rules, None);
        for e in &d.edges {
            let (from, to) = (d.node(&e.from).expect("from"), d.node(&e.to).expect("to"));
            let on_edge = |n: &idp::diagram::Node, (x, y): (i32, i32)| {
                (x == n.x || x == n.x + n.width) && (n.y..=n.y + n.height).contains(&y)
                    || (y == n.y || y == n.y + n.height) && (n.x..=n.x + n.width).contains(&x)
            };
            assert!(on_edge(from, e.points[0]), "{} → {}", e.from, e.to);
            assert!(
                on_edge(to, *e.points.last().expect("a point")),
                "{} → {}",
                e.from,
                e.to
            );
        }
        let text = d.as_text().join(" ");
        for n in d.nodes.iter().filter(|n| n.in_force) {
            assert!(text.contains(&n.title), "{}", n.title);
        }
    }
}

/// Random settings, Okta people and app users from small pools (so that logins, emails and
/// names collide), one real import in process.
fn world() -> impl Strategy<Value = (MatchRules, Vec<usize>, Vec<(usize, usize, usize)>)> {
    let rules = (
        any::<[bool; 7]>(),
        prop_oneof![Just(None), Just(Some("email".to_string()))],
    )
        .prop_map(|(b, attribute)| MatchRules {
            username: b[0],
            email: b[1],
            attribute,
            allow_partial: b[2],
            auto_confirm_exact: b[3],
            auto_confirm_partial: b[4],
            auto_confirm_new: b[5],
            auto_activate_new: b[6],
        });
    // Okta people: distinct logins from the pool. App users: (login, email, name) indexes.
    let people = proptest::sample::subsequence((0..4).collect::<Vec<usize>>(), 0..=4);
    let app_users = proptest::collection::vec((0..4usize, 0..4usize, 0..2usize), 0..5);
    (rules, people, app_users)
}

const LOGINS: [&str; 4] = ["ann@x.com", "bob@x.com", "cy@x.com", "di@x.com"];
const NAMES: [(&str, &str); 2] = [("Ann", "Lee"), ("Bob", "Kay")];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_row_takes_the_path_the_diagram_draws((rules, people, app_users) in world()) {
        let transport = InProcess::new();
        let clock = SimClock::new(1_700_000_000_000);
        let mut org = support::org(ClientProfile::OktaCustom);
        org.import.matching = rules.clone();
        for (i, &login) in people.iter().enumerate() {
            let (first, last) = NAMES[i % 2];
            add_user(&mut org, LOGINS[login], first, last);
        }
        let mut taken = std::collections::BTreeSet::new();
        for (n, &(login, email, name)) in app_users.iter().enumerate() {
            // A login already taken in the app is made unique (the server refuses a duplicate).
            let user_name = if taken.insert(login) {
                LOGINS[login].to_string()
            } else {
                format!("{n}.{}", LOGINS[login])
            };
            let (given, family) = NAMES[name];
            let (status, _) = transport.direct("POST", "/Users", &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": user_name,
                "name": {"givenName": given, "familyName": family},
                "emails": [{"primary": true, "value": LOGINS[email], "type": "work"}],
                "active": true,
            }).to_string());
            prop_assert_eq!(status, 201);
        }
        let run = block_on(org.importer(&clock).run(&transport)).expect("imported").clone();
        let d = diagram(&rules, Some(&run));
        prop_assert_eq!(d.node("start").and_then(|n| n.count), Some(run.rows.len()));
        let mut reached = 0;
        for row in &run.rows {
            let steps = path(&rules, row.kind);
            // The path is drawn, in force, box by box.
            for pair in steps.windows(2) {
                let edge = d.edge(pair[0], pair[1]);
                prop_assert!(edge.is_some_and(|e| e.in_force), "{:?} under {:?}", steps, rules);
            }
            let end = d.node(steps[steps.len() - 1]).expect("the last box");
            prop_assert!(end.in_force);
            // The last box says what the import did with the row.
            let says = end.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ");
            let waiting = matches!(row.state, RowState::Pending);
            match row.kind {
                RowKind::New if rules.auto_confirm_new => {
                    reached += 1;
                    // Created, unless its username is taken in Okta: then it waits, as it says.
                    let taken = org.directory.user_by_login(&row.username).is_some();
                    prop_assert_eq!(waiting, taken && row.linked_user.is_none(), "{} / {:?}", says, row.state);
                    prop_assert!(says.contains("a username taken in Okta waits for you"));
                }
                RowKind::Exact | RowKind::Partial | RowKind::New => {
                    reached += 1;
                    prop_assert_eq!(says.contains("waits"), waiting, "{:?}: {} / {:?}", row.kind, says, row.state);
                }
                _ => {}
            }
            if row.kind == RowKind::Partial {
                prop_assert!(rules.allow_partial);
            }
        }
        let outcomes: usize = ["exact-out", "partial-out", "new-out"]
            .iter()
            .filter_map(|id| d.node(id).and_then(|n| n.count))
            .sum();
        prop_assert_eq!(outcomes, reached);
    }
}

/// Sourcing: each setting puts its own transition in force and leaves the others greyed with
/// why; with sourcing off nothing the app does changes Okta users.
#[test]
fn the_sourcing_transitions_follow_the_settings() {
    use idp::diagram::sourcing::diagram as sourcing_diagram;
    use idp::sourcing::{OnDeactivated, Sourcing};
    let in_force = |sourcing: &Sourcing, deactivate_in_app: bool| -> Vec<String> {
        sourcing_diagram(sourcing, deactivate_in_app, None)
            .edges
            .iter()
            .filter(|e| e.in_force)
            .map(|e| e.from.trim_end_matches("-from").to_string())
            .collect()
    };
    let off = Sourcing::default();
    assert_eq!(in_force(&off, false), Vec::<String>::new());
    assert_eq!(in_force(&off, true), ["to-app"]);
    let why = sourcing_diagram(&off, false, None)
        .node("deactivate-to")
        .map(|n| n.lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>())
        .unwrap_or_default();
    assert_eq!(why, ["DEPROVISIONED", "— app sourcing is off"]);

    let on = |on_deactivated, suspended, deactivated| Sourcing {
        enabled: true,
        on_deactivated,
        reactivate_suspended: suspended,
        reactivate_deactivated: deactivated,
    };
    let table = [
        (
            on(OnDeactivated::Deactivate, false, false),
            vec!["deactivate"],
        ),
        (on(OnDeactivated::Suspend, false, false), vec!["suspend"]),
        (on(OnDeactivated::DoNothing, false, false), vec![]),
        (
            on(OnDeactivated::Suspend, true, false),
            vec!["suspend", "unsuspend"],
        ),
        (
            on(OnDeactivated::Deactivate, true, true),
            vec!["deactivate", "unsuspend", "reactivate"],
        ),
    ];
    for (sourcing, expected) in table {
        assert_eq!(in_force(&sourcing, false), expected, "{sourcing:?}");
        let expected: Vec<&str> = expected;
        // Each in-force transition agrees with the sourcing decisions the import applies.
        use idp::directory::{Lifecycle, UserStatus};
        let applies = |status| sourcing.on_app_deactivation(status);
        assert_eq!(
            expected.contains(&"deactivate"),
            applies(UserStatus::Staged) == Some(Lifecycle::Deactivate)
        );
        assert_eq!(
            expected.contains(&"suspend"),
            applies(UserStatus::Active) == Some(Lifecycle::Suspend)
        );
        assert_eq!(
            expected.contains(&"unsuspend"),
            sourcing.on_app_reactivation(UserStatus::Suspended) == Some(Lifecycle::Unsuspend)
        );
        assert_eq!(
            expected.contains(&"reactivate"),
            sourcing.on_app_reactivation(UserStatus::Deprovisioned) == Some(Lifecycle::Reactivate)
        );
    }
}

/// The mappings graph: one row per app attribute Okta fills, direct or through an expression,
/// dashed when create-only, the pairing app → Okta line beneath; a required attribute nothing
/// fills is marked; for a person each line carries its value, or the error that stops it.
#[test]
fn the_mappings_graph_draws_each_mapping_and_its_value_for_a_person() {
    use idp::diagram::mappings::diagram as mappings_diagram;
    use idp::mapping::{ApplyOn, Mappings, ToAppMapping};
    use idp::profile::{AppProfile, OktaProfile};
    let app = AppProfile::scim_default();
    let okta = OktaProfile::default();
    let mut mappings = Mappings::scim_default();
    let d = mappings_diagram(&mappings, &app, &okta, None);
    let title = |d: &idp::diagram::Diagram, id: &str| d.node(id).map(|n| n.title.clone());
    assert_eq!(title(&d, "okta:userName").as_deref(), Some("login"));
    assert_eq!(
        title(&d, "okta:primaryEmailType").as_deref(),
        Some("expression")
    );
    assert!(d.edge("okta:givenName", "app:givenName").is_some());
    assert!(
        d.edge("app:givenName", "okta:givenName").is_some(),
        "appuser.givenName → firstName is drawn back beneath"
    );
    assert!(d.nodes.iter().all(|n| n.problem.is_none()));
    assert_eq!(
        d.edges
            .iter()
            .filter(|e| e.from.starts_with("okta:"))
            .count(),
        mappings.to_app.len()
    );

    // Create only: dashed. Nothing fills userName: marked.
    if let Some(m) = mappings.to_app.iter_mut().find(|m| m.target == "title") {
        m.apply_on = ApplyOn::CreateOnly;
    }
    mappings.remove_to_app("userName");
    let d = mappings_diagram(&mappings, &app, &okta, None);
    assert!(d.edge("okta:title", "app:title").is_some_and(|e| e.dashed));
    assert!(!d
        .edge("okta:givenName", "app:givenName")
        .is_some_and(|e| e.dashed));
    assert_eq!(
        d.node("app:userName")
            .and_then(|n| n.problem.clone())
            .as_deref(),
        Some("required, and no mapping fills it")
    );
    assert!(d.as_text().join(" ").contains("userName"));

    // A person: values on the lines, an error where a mapping fails for them.
    mappings.to_app.push(ToAppMapping {
        target: "employeeNumber".into(),
        expression: "Convert.toInt(user.firstName)".into(),
        apply_on: ApplyOn::CreateAndUpdate,
    });
    mappings
        .to_app
        .retain(|m| m.target != "employeeNumber" || m.expression.starts_with("Convert"));
    let mut dir = idp::directory::Directory::default();
    let profile = [
        ("login", "jane@x.com"),
        ("email", "jane@x.com"),
        ("firstName", "Jane"),
        ("lastName", "Doe"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let id = dir
        .create_user(profile, Default::default())
        .expect("a user");
    let jane = dir.user(&id).expect("jane").clone();
    let d = mappings_diagram(&mappings, &app, &okta, Some(&jane));
    let edge = |from: &str, to: &str| d.edge(from, to).cloned().expect("an edge");
    assert_eq!(edge("okta:givenName", "app:givenName").label, "\"Jane\"");
    assert_eq!(edge("okta:title", "app:title").label, "null: not sent");
    let failing = edge("okta:employeeNumber", "app:employeeNumber");
    assert!(failing.problem.is_some(), "{failing:?}");
}
