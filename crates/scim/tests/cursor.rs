//! Cursor pagination (RFC 9865) across several requests: walking a list, paging back, and the
//! promise index paging cannot keep — no row skipped or repeated while rows are created and
//! deleted between pages.

mod common;

use common::{Harness, USER};
use scim::Settings;
use serde_json::{json, Value};

/// A server with users `a01`…`a{n}` (ids `new-1`…).
fn users(n: usize) -> Harness {
    let mut h = Harness::new(Settings::default());
    for i in 1..=n {
        let reply = h.post(
            "/Users",
            &json!({"schemas": [USER], "userName": format!("a{i:02}")}),
        );
        assert_eq!(reply.status, 201);
    }
    h
}

fn names(body: &Value) -> Vec<String> {
    body["Resources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["userName"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn cursor(body: &Value, which: &str) -> Option<String> {
    body.get(which).and_then(Value::as_str).map(str::to_string)
}

fn id_of(h: &mut Harness, name: &str) -> String {
    let body = h
        .get(&format!("/Users?filter=userName%20eq%20%22{name}%22"))
        .body;
    body["Resources"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

const SORTED: &str = "sortBy=userName&attributes=userName";

#[test]
fn walking_next_cursors_visits_every_row_once_and_previous_cursors_walk_back() {
    let mut h = users(7);
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    let mut reply = h.get(&format!("/Users?cursor&count=3&{SORTED}")).body;
    assert!(
        reply.get("previousCursor").is_none(),
        "the first page has no previousCursor"
    );
    loop {
        assert_eq!(reply["totalResults"], 7);
        assert!(
            reply.get("startIndex").is_none(),
            "cursor pages carry no startIndex"
        );
        seen.extend(names(&reply));
        pages.push(names(&reply));
        let Some(next) = cursor(&reply, "nextCursor") else {
            break;
        };
        reply = h.get(&format!("/Users?cursor={next}&{SORTED}")).body;
    }
    let all: Vec<String> = (1..=7).map(|i| format!("a{i:02}")).collect();
    assert_eq!(seen, all);
    assert_eq!(pages.len(), 3);
    // From the last page, previousCursor gives the pages before it, in order.
    let back = cursor(&reply, "previousCursor").expect("the last page has a previousCursor");
    let middle = h
        .get(&format!("/Users?cursor={back}&count=3&{SORTED}"))
        .body;
    assert_eq!(names(&middle), pages[1]);
    let back = cursor(&middle, "previousCursor").expect("the middle page has a previousCursor");
    let first = h.get(&format!("/Users?cursor={back}&{SORTED}")).body;
    assert_eq!(names(&first), pages[0]);
    assert!(first.get("previousCursor").is_none());
}

#[test]
fn rows_deleted_and_created_between_pages_are_neither_skipped_nor_repeated() {
    // Index paging, the RFC 7644 way: a02 deleted after page 1 shifts a04 onto page 1's end,
    // so page 2 (startIndex 4) starts at a05 and a04 is never seen.
    let mut h = users(9);
    let page1 = names(&h.get(&format!("/Users?startIndex=1&count=3&{SORTED}")).body);
    let a02 = id_of(&mut h, "a02");
    assert_eq!(h.delete(&format!("/Users/{a02}")).status, 204);
    let page2 = names(&h.get(&format!("/Users?startIndex=4&count=3&{SORTED}")).body);
    assert_eq!(page1, ["a01", "a02", "a03"]);
    assert_eq!(page2, ["a05", "a06", "a07"], "index paging skips a04");

    // Cursor paging over the same changes: nothing skipped.
    let mut h = users(9);
    let first = h.get(&format!("/Users?cursor&count=3&{SORTED}")).body;
    let a02 = id_of(&mut h, "a02");
    assert_eq!(h.delete(&format!("/Users/{a02}")).status, 204);
    let next = cursor(&first, "nextCursor").unwrap();
    let second = h.get(&format!("/Users?cursor={next}&{SORTED}")).body;
    assert_eq!(names(&second), ["a04", "a05", "a06"]);

    // A row created before the boundary is not repeated; one created after it is seen.
    assert_eq!(
        h.post("/Users", &json!({"schemas": [USER], "userName": "a00"}))
            .status,
        201
    );
    assert_eq!(
        h.post("/Users", &json!({"schemas": [USER], "userName": "a065"}))
            .status,
        201
    );
    let next = cursor(&second, "nextCursor").unwrap();
    let third = h.get(&format!("/Users?cursor={next}&{SORTED}")).body;
    assert_eq!(names(&third), ["a065", "a07", "a08"]);
    assert_eq!(third["totalResults"], 10);
}

#[test]
fn a_page_emptied_by_deletes_still_leads_back() {
    let mut h = users(4);
    let first = h.get(&format!("/Users?cursor&count=2&{SORTED}")).body;
    for name in ["a03", "a04"] {
        let id = id_of(&mut h, name);
        assert_eq!(h.delete(&format!("/Users/{id}")).status, 204);
    }
    let next = cursor(&first, "nextCursor").unwrap();
    let empty = h.get(&format!("/Users?cursor={next}&{SORTED}")).body;
    assert_eq!(empty["itemsPerPage"], 0);
    assert!(empty.get("nextCursor").is_none());
    let back = cursor(&empty, "previousCursor").expect("an empty page still has a way back");
    let again = h.get(&format!("/Users?cursor={back}&{SORTED}")).body;
    assert_eq!(names(&again), ["a01", "a02"]);
}

#[test]
fn descending_and_root_queries_page_in_their_own_order() {
    let mut h = users(5);
    let mut seen = Vec::new();
    let mut path = "/Users?cursor&count=2&sortBy=userName&sortOrder=descending&attributes=userName"
        .to_string();
    loop {
        let body = h.get(&path).body;
        seen.extend(names(&body));
        let Some(next) = cursor(&body, "nextCursor") else {
            break;
        };
        path = format!(
            "/Users?cursor={next}&sortBy=userName&sortOrder=descending&attributes=userName"
        );
    }
    assert_eq!(seen, ["a05", "a04", "a03", "a02", "a01"]);

    // At the root, users come before groups, as without a cursor.
    assert_eq!(
        h.post(
            "/Groups",
            &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "G"})
        )
        .status,
        201
    );
    let first = h.get("/?cursor&count=5&attributes=id").body;
    let next = cursor(&first, "nextCursor").unwrap();
    let last = h.get(&format!("/?cursor={next}&attributes=id")).body;
    assert_eq!(last["totalResults"], 6);
    assert_eq!(last["itemsPerPage"], 1);
    assert_eq!(
        last["Resources"][0]["schemas"][0], "urn:ietf:params:scim:schemas:core:2.0:Group",
        "the group comes last"
    );
}

#[test]
fn a_cursor_is_refused_for_another_query_another_count_or_after_its_timeout() {
    let mut h = users(5);
    let first = h.get(&format!("/Users?cursor&count=2&{SORTED}")).body;
    let next = cursor(&first, "nextCursor").unwrap();
    let scim_type = |reply: &common::Reply| {
        (
            reply.status,
            reply.body["scimType"].as_str().map(str::to_string),
        )
    };

    let other_sort = h.get(&format!("/Users?cursor={next}&sortBy=id"));
    assert_eq!(scim_type(&other_sort), (400, Some("invalidCursor".into())));
    let plain = h.get("/Users?cursor&count=2").body;
    let plain_next = cursor(&plain, "nextCursor").unwrap();
    let other_endpoint = h.get(&format!("/Groups?cursor={plain_next}"));
    assert_eq!(
        scim_type(&other_endpoint),
        (400, Some("invalidCursor".into()))
    );
    let other_filter = h.get(&format!(
        "/Users?cursor={next}&{SORTED}&filter=userName%20pr"
    ));
    assert_eq!(
        scim_type(&other_filter),
        (400, Some("invalidCursor".into()))
    );
    let other_count = h.get(&format!("/Users?cursor={next}&count=3&{SORTED}"));
    assert_eq!(scim_type(&other_count), (400, Some("invalidCount".into())));
    // The same count, said again, is fine; so is another projection.
    let same = h.get(&format!(
        "/Users?cursor={next}&count=2&sortBy=userName&attributes=id"
    ));
    assert_eq!(same.status, 200);

    // An hour later (the default cursorTimeout), the cursor has expired.
    h.now_ms += 3_600_000;
    let stale = h.get(&format!("/Users?cursor={next}&{SORTED}"));
    assert_eq!(scim_type(&stale), (400, Some("expiredCursor".into())));
    let detail = stale.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("3600 s"), "{detail}");
}

#[test]
fn the_timeout_follows_the_settings() {
    let mut settings = Settings::default();
    settings.limits.cursor_timeout_seconds = 5;
    let mut h = Harness::new(settings);
    let spc = h.get("/ServiceProviderConfig").body;
    assert_eq!(spc["pagination"]["cursorTimeout"], 5);
    let first = h.get("/Users?cursor&count=1").body;
    assert!(first.get("nextCursor").is_none(), "no users, no next page");
    for i in 0..2 {
        h.post(
            "/Users",
            &json!({"schemas": [USER], "userName": format!("u{i}")}),
        );
    }
    let first = h.get("/Users?cursor&count=1").body;
    let next = cursor(&first, "nextCursor").unwrap();
    h.now_ms += 10_000;
    assert_eq!(h.get(&format!("/Users?cursor={next}")).status, 400);
}
