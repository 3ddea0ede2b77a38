//! The org as the app stores it (`idp::saved`): a head and pieces that read back into the same
//! org, an org saved whole by an earlier version that still reads, and each damaged piece
//! refused with its reason.

mod support;

use idp::client::ClientProfile;
use idp::clock::SimClock;
use idp::org::Org;
use idp::saved::{head_json, pieces, read_org, Piece, Reader, PIECE_LEN};
use idp::transport::block_on;
use serde_json::json;
use support::{org, InProcess};

/// An org with every collection that travels in pieces: 1,234 people, groups with members,
/// 600 assignments pushed to the app (app users and System Log events), and an import of
/// 700 app users made in the server (import rows).
fn large_org() -> Org {
    let transport = InProcess::new();
    let clock = SimClock::new(1_700_000_000_000);
    let mut org = org(ClientProfile::OktaOin);
    let ids =
        idp::generator::generate_users(&mut org.directory, 5, 1_234, "example.com").expect("made");
    for g in 0..3 {
        let group = org
            .directory
            .create_group(&format!("Team {g}"), "A team")
            .expect("group");
        for id in ids.iter().skip(g).step_by(7) {
            org.directory.add_member(&group, id).expect("member");
        }
    }
    for id in ids.iter().take(600) {
        block_on(org.assign_user(&transport, &clock, id)).expect("pushed");
    }
    for i in 0..700 {
        let (status, _) = transport.direct(
            "POST",
            "/Users",
            &json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": format!("app{i}@elsewhere.example"),
                "name": {"givenName": "App", "familyName": format!("User{i}")},
                "emails": [{"primary": true, "value": format!("app{i}@elsewhere.example")}],
                "active": true,
            })
            .to_string(),
        );
        assert_eq!(status, 201);
    }
    block_on(org.importer(&clock).run(&transport)).expect("imported");
    org
}

fn round_trip(org: &Org) -> Org {
    let mut reader = Reader::new(&head_json(org)).expect("the head reads");
    for piece in pieces(org) {
        reader.add(&piece.to_json()).expect("each piece reads");
    }
    reader.finish()
}

#[test]
fn a_large_org_reads_back_equal_from_its_head_and_pieces() {
    let org = large_org();
    let rows = org.last_import.as_ref().map_or(0, |run| run.rows.len());
    assert!(rows >= 700, "the import has rows: {rows}");
    assert!(org.log.events().len() >= 600, "pushes were logged");
    let pieces = pieces(&org);
    let users = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Users(_)))
        .count();
    assert_eq!(users, 1_234_usize.div_ceil(PIECE_LEN));
    for kind in ["groups", "appUsers", "importRows", "events"] {
        assert!(
            pieces
                .iter()
                .any(|p| p.to_json().contains(&format!("\"kind\":\"{kind}\""))),
            "a piece of {kind}"
        );
    }
    let back = round_trip(&org);
    assert_eq!(back, org, "the same org, every collection in its order");
    let login = org
        .directory
        .users()
        .next()
        .expect("a user")
        .login()
        .to_string();
    assert!(
        back.directory
            .user_by_login(&login.to_uppercase())
            .is_some(),
        "the derived login index is rebuilt"
    );
}

#[test]
fn the_head_holds_none_of_the_collections() {
    let org = large_org();
    let head = head_json(&org);
    assert!(head.len() < 20_000, "the head is {} bytes", head.len());
    let back = Reader::new(&head).expect("reads").finish();
    assert_eq!(back.directory.users().count(), 0);
    assert_eq!(back.log.events().len(), 0);
    assert_eq!(back.app, org.app, "settings and mappings are in the head");
    assert_eq!(back.import, org.import);
}

#[test]
fn an_org_saved_whole_by_an_earlier_version_still_reads() {
    let org = large_org();
    let whole = serde_json::to_string(&org).expect("serialises");
    assert_eq!(read_org(&whole).expect("reads"), org);
    assert!(read_org("[]").is_err(), "a text that is not an org");
}

#[test]
fn each_damaged_piece_is_refused_with_its_reason() {
    let mut org = org(ClientProfile::OktaOin);
    let cases: &[(&str, &str)] = &[
        ("{", "piece 0 of the saved org is not valid: EOF"),
        ("{\"kind\":\"users\"}", "it has no items"),
        (
            "{\"kind\":\"robots\",\"items\":[]}",
            "its kind \"robots\" is unknown",
        ),
        (
            "{\"kind\":\"users\",\"items\":[1]}",
            "its users are not valid",
        ),
        (
            "{\"kind\":\"appUsers\",\"items\":[]}",
            "its app users name no app",
        ),
        (
            "{\"kind\":\"importRows\",\"items\":[]}",
            "the org has no import",
        ),
    ];
    for (piece, expected) in cases {
        let mut reader = Reader::new(&head_json(&org)).expect("the head reads");
        let error = reader.add(piece).expect_err(piece).to_string();
        assert!(error.contains(expected), "{piece}: {error}");
    }
    // The index in the message is the piece's position, so a report points at the right one.
    let user =
        idp::generator::generate_users(&mut org.directory, 1, 1, "example.com").expect("one");
    assert_eq!(user.len(), 1);
    let good = pieces(&org)[0].to_json();
    let mut reader = Reader::new(&head_json(&org)).expect("the head reads");
    reader.add(&good).expect("a good piece");
    let error = reader.add("{}").expect_err("no items").to_string();
    assert!(error.starts_with("piece 1 "), "{error}");
}
