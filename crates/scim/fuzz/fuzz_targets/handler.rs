//! Sends arbitrary requests through `Server::handle` on a server holding the test fixture, then
//! undoes whatever changed. Any panic is a bug. Every response must be a valid status, every
//! error a well-formed RFC 7644 §3.12 body with no changes, and undo must restore the state.
//!
//! Input layout: byte 0 picks the method, byte 1 the path (or, above the list, the text up to
//! the first newline is the path), then the query up to the next newline, then the body.

#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use scim::{Env, Request, Server, Settings, StoredResource};
use serde_json::Value;

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "patch"];
const PATHS: [&str; 14] = [
    "/Users", "/Groups", "/Users/2819c223", "/Users/u-alice", "/Groups/g-admins", "/Groups/g-empty",
    "/Bulk", "/.search", "/Users/.search", "/Groups/.search", "/Schemas", "/ResourceTypes",
    "/ServiceProviderConfig", "/",
];

thread_local! {
    static SERVER: RefCell<Server> = RefCell::new(fixture_server());
}

fn fixture_server() -> Server {
    let rows: Vec<StoredResource> = serde_json::from_str(include_str!("../../tests/corpus/fixture.json"))
        .expect("fixture.json is valid");
    let mut server = Server::new(Settings::default());
    server.load(rows).expect("fixture loads");
    server
}

fn split_line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

fuzz_target!(|data: &[u8]| {
    let [m, p, rest @ ..] = data else {
        return;
    };
    let method = METHODS[usize::from(*m) % METHODS.len()];
    let (path, rest) = match PATHS.get(usize::from(*p)) {
        Some(path) => ((*path).to_string(), rest),
        None => {
            let (path, rest) = split_line(rest);
            (String::from_utf8_lossy(path).into_owned(), rest)
        }
    };
    let (query, body) = split_line(rest);
    let req = Request {
        method: method.into(),
        base_url: "http://127.0.0.1:8080/scim/v2".into(),
        path,
        query: String::from_utf8_lossy(query).into_owned(),
        headers: vec![("Content-Type".into(), "application/scim+json".into())],
        body: body.to_vec(),
    };
    SERVER.with(|cell| {
        let mut server = cell.borrow_mut();
        let users_before = server.count(scim::ResourceKind::User);
        let groups_before = server.count(scim::ResourceKind::Group);
        let mut n = 0u32;
        let mut ids = || {
            n += 1;
            format!("fuzz-{n}")
        };
        let mut env = Env::from_unix_ms(1_704_067_200_000, &mut ids);
        let outcome = server.handle(&req, &mut env);
        let status = outcome.response.status;
        assert!((200..600).contains(&status), "status {status}");
        if status >= 400 {
            assert!(outcome.changes.is_empty(), "a failed request reported changes");
            let body: Value = serde_json::from_slice(&outcome.response.body).expect("error body is JSON");
            assert_eq!(body["status"], Value::String(status.to_string()));
        }
        server.undo(&outcome.changes);
        assert_eq!(server.count(scim::ResourceKind::User), users_before);
        assert_eq!(server.count(scim::ResourceKind::Group), groups_before);
    });
});
