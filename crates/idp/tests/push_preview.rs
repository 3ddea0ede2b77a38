//! The Mappings panel's push preview: the requests it shows are the ones the next push sends,
//! byte for byte (the password masked), and making it writes nothing to the app.

mod support;

use idp::client::ClientProfile;
use idp::clock::SimClock;
use idp::mapping::ApplyOn;
use idp::preview::push_preview;
use idp::transport::block_on;
use support::{add_user, logged_lines, org, sent_lines, InProcess};

#[test]
fn the_preview_is_what_the_next_push_sends() {
    // Entra ID's capitalised operations need the server's Entra profile.
    for (client, profile) in [
        (ClientProfile::OktaCustom, scim::Profile::StrictRfc),
        (ClientProfile::OktaOin, scim::Profile::Okta),
        (ClientProfile::EntraId, scim::Profile::EntraId),
    ] {
        let mut org = org(client);
        let ada = add_user(&mut org, "ada@x.com", "Ada", "Lovelace");
        let server = InProcess::with_settings(scim::Settings {
            profile,
            ..scim::Settings::default()
        });
        let clock = SimClock::new(1_700_000_000_000);

        // Not assigned: the existence check, then the POST, its password masked.
        let preview = block_on(push_preview(&org, &ada, &server, &clock)).expect("a preview");
        let reads = server.take_sent();
        assert!(
            reads.iter().all(|r| r.method == "GET"),
            "{client:?}: only reads reach the app"
        );
        let methods: Vec<&str> = preview.requests.iter().map(|r| r.method.as_str()).collect();
        assert_eq!(methods, ["GET", "POST"], "{client:?}");
        let post = preview.requests[1].body.clone().unwrap_or_default();
        if client.sends_password_on_create() {
            assert!(
                post.contains(&format!("\"password\":\"{}\"", secrets::MASK)),
                "{client:?}: {post}"
            );
        }
        block_on(org.assign_user(&server, &clock, &ada)).expect("assigned");
        assert_eq!(
            logged_lines(&preview.requests),
            sent_lines(&server.take_sent()),
            "{client:?}: the assignment sent what the preview showed"
        );

        // Assigned: nothing to send until a mapped value changes; then the update.
        let preview = block_on(push_preview(&org, &ada, &server, &clock)).expect("a preview");
        assert!(
            preview.requests.is_empty(),
            "{client:?}: {:?}",
            preview.requests
        );
        assert!(preview.summary.contains("nothing"), "{}", preview.summary);
        let (profile, okta) = (org.app.profile.clone(), org.okta_profile.clone());
        org.app
            .mappings
            .set_to_app(
                &profile,
                &okta,
                "title",
                "\"Analyst \" + user.lastName",
                ApplyOn::CreateAndUpdate,
            )
            .expect("a valid mapping");
        let preview = block_on(push_preview(&org, &ada, &server, &clock)).expect("a preview");
        assert!(
            server.take_sent().iter().all(|r| r.method == "GET"),
            "{client:?}"
        );
        assert!(
            preview.requests.iter().any(|r| r
                .body
                .as_deref()
                .is_some_and(|b| b.contains("Analyst Lovelace"))),
            "{client:?}: {:?}",
            preview.requests
        );
        let push = {
            let (mut p, dir, _) = org.provisioner(&server, &clock);
            block_on(p.push_profile(dir, &ada, false))
        };
        push.expect("pushed");
        assert_eq!(
            logged_lines(&preview.requests),
            sent_lines(&server.take_sent()),
            "{client:?}: the update sent what the preview showed"
        );
    }
}
