//! Prints how long the engine takes for common requests at 1k and 10k stored users, next to a
//! baseline (a raw `HashMap` lookup and a raw `Vec<Value>` scan) measured in the same run.
//!
//! ```text
//! cargo run --release -p scim --example bench
//! ```
//!
//! Every engine figure is a whole `Server::handle` call: routing, auth, the operation and the
//! serialised response body. It is a measurement, not a test: nothing fails if it is slow.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use scim::{Env, Request, Server, Settings};
use serde_json::{json, Value};

const BASE: &str = "http://127.0.0.1:8080/scim/v2";
const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

struct Bench {
    server: Server,
    next_id: u64,
}

impl Bench {
    fn handle(&mut self, req: &Request) -> u16 {
        let mut n = self.next_id;
        let mut gen = || {
            n += 1;
            format!("{n:08x}-0000-4000-8000-000000000000")
        };
        let mut env = Env::from_unix_ms(1_704_067_200_000, &mut gen);
        let status = self.server.handle(req, &mut env).response.status;
        self.next_id = n;
        status
    }
}

fn request(method: &str, path: &str, body: Option<&Value>) -> Request {
    let mut req = Request::new(method, path);
    req.base_url = BASE.into();
    if let Some(body) = body {
        req.body = serde_json::to_vec(body).unwrap_or_default();
        req.headers
            .push(("Content-Type".into(), "application/scim+json".into()));
    }
    req
}

fn user(i: usize) -> Value {
    json!({
        "schemas": [USER],
        "userName": format!("user{i}@example.com"),
        "name": {"givenName": format!("Given{i}"), "familyName": format!("Family{}", i % 997)},
        "displayName": format!("User {i}"),
        "emails": [{"value": format!("user{i}@corp{}.example", i % 50), "type": "work", "primary": true}],
        "active": !i.is_multiple_of(3),
    })
}

/// Runs `f` `iterations` times and returns the mean time per call.
fn time(iterations: u32, mut f: impl FnMut(u32)) -> Duration {
    let start = Instant::now();
    for i in 0..iterations {
        f(i);
    }
    start.elapsed() / iterations.max(1)
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn measure(n_users: usize) -> Vec<(&'static str, Duration)> {
    let mut bench = Bench {
        server: Server::new(Settings::default()),
        next_id: 0,
    };
    let mut ids = Vec::with_capacity(n_users);
    for i in 0..n_users {
        let req = request("POST", "/Users", Some(&user(i)));
        let mut n = bench.next_id;
        let mut gen = || {
            n += 1;
            format!("{n:08x}-0000-4000-8000-000000000000")
        };
        let mut env = Env::from_unix_ms(1_704_067_200_000, &mut gen);
        let outcome = bench.server.handle(&req, &mut env);
        bench.next_id = n;
        let body = outcome.response.json_body();
        ids.push(body["id"].as_str().unwrap_or_default().to_string());
    }
    let mut rows = Vec::new();
    let pick = |i: u32| (i as usize * 7919) % n_users;

    let gets: Vec<Request> = (0..1000)
        .map(|i| request("GET", &format!("/Users/{}", ids[pick(i)]), None))
        .collect();
    rows.push((
        "get by id",
        time(1000, |i| {
            assert_eq!(bench.handle(&gets[i as usize]), 200);
        }),
    ));

    let filters: Vec<Request> = (0..1000)
        .map(|i| {
            request(
                "GET",
                &format!(
                    "/Users?filter=userName%20eq%20%22USER{}@example.com%22",
                    pick(i)
                ),
                None,
            )
        })
        .collect();
    rows.push((
        "filter userName eq",
        time(1000, |i| {
            assert_eq!(bench.handle(&filters[i as usize]), 200);
        }),
    ));

    let co = request(
        "GET",
        "/Users?filter=emails.value%20co%20%22%40corp7.%22&count=100",
        None,
    );
    rows.push((
        "filter emails.value co (100 of n/50 hits)",
        time(20, |_| {
            assert_eq!(bench.handle(&co), 200);
        }),
    ));

    let co_count = request(
        "GET",
        "/Users?filter=emails.value%20co%20%22%40corp7.%22&count=0",
        None,
    );
    rows.push((
        "filter emails.value co, count=0 (scan only)",
        time(20, |_| {
            assert_eq!(bench.handle(&co_count), 200);
        }),
    ));

    let sorted: Vec<Request> = (0..10)
        .map(|i| {
            request(
                "GET",
                &format!(
                    "/Users?sortBy=name.familyName&sortOrder=descending&startIndex={}&count=100",
                    1 + (i * 100) % n_users
                ),
                None,
            )
        })
        .collect();
    rows.push((
        "sorted page of 100 (sortBy name.familyName)",
        time(10, |i| {
            assert_eq!(bench.handle(&sorted[i as usize]), 200);
        }),
    ));

    // Twenty groups of 25 members each: `groups.value eq` answers from the group's member
    // list; `groups.display eq` has to evaluate the computed attribute on every user.
    let mut group_ids = Vec::new();
    for g in 0..20 {
        let members: Vec<Value> = (0..25)
            .map(|j| json!({"value": ids[(g * 25 + j) * 7 % n_users]}))
            .collect();
        let body = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                          "displayName": format!("Group {g}"), "members": members});
        let mut n = bench.next_id;
        let mut gen = || {
            n += 1;
            format!("{n:08x}-0000-4000-8000-000000000000")
        };
        let mut env = Env::from_unix_ms(1_704_067_200_000, &mut gen);
        let outcome = bench
            .server
            .handle(&request("POST", "/Groups", Some(&body)), &mut env);
        bench.next_id = n;
        group_ids.push(
            outcome.response.json_body()["id"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    let by_group: Vec<Request> = (0..20)
        .map(|g| {
            let path = format!("/Users?filter=groups.value%20eq%20%22{}%22", group_ids[g]);
            request("GET", &path, None)
        })
        .collect();
    rows.push((
        "filter groups.value eq (a group of 25)",
        time(200, |i| {
            assert_eq!(bench.handle(&by_group[i as usize % 20]), 200);
        }),
    ));
    let by_display = request(
        "GET",
        "/Users?filter=groups.display%20eq%20%22Group%203%22",
        None,
    );
    rows.push((
        "filter groups.display eq (computed, scan)",
        time(5, |_| {
            assert_eq!(bench.handle(&by_display), 200);
        }),
    ));

    // The second page of a sorted cursor walk, next to the index page above.
    let first = request(
        "GET",
        "/Users?cursor&count=100&sortBy=name.familyName&sortOrder=descending",
        None,
    );
    let mut n = bench.next_id;
    let mut gen = || {
        n += 1;
        n.to_string()
    };
    let mut env = Env::from_unix_ms(1_704_067_200_000, &mut gen);
    let body = bench.server.handle(&first, &mut env).response.json_body();
    let next = body["nextCursor"].as_str().unwrap_or_default().to_string();
    let page = request(
        "GET",
        &format!("/Users?cursor={next}&sortBy=name.familyName&sortOrder=descending"),
        None,
    );
    rows.push((
        "sorted cursor page of 100 (nextCursor)",
        time(10, |_| {
            assert_eq!(bench.handle(&page), 200);
        }),
    ));

    let creates: Vec<Request> = (0..1000)
        .map(|i| request("POST", "/Users", Some(&user(n_users + i))))
        .collect();
    rows.push((
        "create (POST /Users)",
        time(1000, |i| {
            assert_eq!(bench.handle(&creates[i as usize]), 201);
        }),
    ));

    let patches: Vec<Request> = (0..1000u32)
        .map(|i| {
            let body = json!({"schemas": [PATCH_OP], "Operations": [
                {"op": "replace", "value": {"active": i % 2 == 0}},
                {"op": "replace", "path": "emails[type eq \"work\"].value", "value": format!("changed{i}@x.example")}]});
            request("PATCH", &format!("/Users/{}", ids[pick(i)]), Some(&body))
        })
        .collect();
    rows.push((
        "PATCH (2 ops, one with a value filter)",
        time(1000, |i| {
            assert_eq!(bench.handle(&patches[i as usize]), 200);
        }),
    ));

    // Baselines over the same shape of data, without the engine.
    let raw: HashMap<String, Value> = (0..n_users).map(|i| (ids[i].clone(), user(i))).collect();
    let keys: Vec<&String> = (0..1000).map(|i| &ids[pick(i)]).collect();
    rows.push((
        "baseline: HashMap get + serialise",
        time(1000, |i| {
            let v = raw.get(keys[i as usize]);
            black_box(serde_json::to_vec(&v).map(|b| b.len()).unwrap_or(0));
        }),
    ));
    let list: Vec<Value> = (0..n_users).map(user).collect();
    rows.push((
        "baseline: Vec<Value> scan emails[0].value contains",
        time(20, |_| {
            let hits = list
                .iter()
                .filter(|u| {
                    u["emails"][0]["value"]
                        .as_str()
                        .is_some_and(|s| s.contains("@corp7."))
                })
                .count();
            black_box(hits);
        }),
    ));
    rows
}

fn main() {
    let small = measure(1_000);
    let large = measure(10_000);
    println!(
        "{:<48} {:>12} {:>12}",
        "operation (mean per call)", "1k users", "10k users"
    );
    println!("{}", "-".repeat(74));
    for ((name, a), (_, b)) in small.iter().zip(&large) {
        println!("{name:<48} {:>12} {:>12}", micros(*a), micros(*b));
    }
}
