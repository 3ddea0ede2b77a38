//! How fast the simulator is against the SCIM engine in process:
//! `cargo run --release -p idp --example bench`.
//!
//! Two workloads, each beside a baseline measured in the same run: the same HTTP requests sent
//! straight to the engine with no simulator in between. The difference is what the simulator
//! itself costs (mapping, matching, bookkeeping, the System Log).
//!
//! - Import of 10,000 app users into an org of 10,000 Okta users, half of whom match by
//!   username and email; then every row confirmed.
//! - Push of 1,000 assignments (existence check + POST each).
//! - Saving and loading the org after that import as JSON (items = bytes), which the app does
//!   after every job and when it opens.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::time::Instant;

use idp::clock::SimClock;
use idp::org::Org;
use idp::push::App;
use idp::settings::{ApiAuth, ProvisioningSettings};
use idp::transport::{block_on, HttpRequest, HttpResponse, SendFuture, Transport};
use serde_json::json;

const BASE_URL: &str = "https://scim.bench/scim/v2";
const N_IMPORT: usize = 10_000;
const N_PUSH: usize = 1_000;

/// The engine in process, counting requests.
struct Engine {
    server: RefCell<scim::Server>,
    next_id: Cell<u64>,
    requests: Cell<usize>,
}

impl Engine {
    fn new() -> Engine {
        let mut settings = scim::Settings::default();
        settings.limits.max_results = 100;
        Engine {
            server: RefCell::new(scim::Server::new(settings)),
            next_id: Cell::new(0),
            requests: Cell::new(0),
        }
    }

    fn handle(&self, req: &HttpRequest) -> HttpResponse {
        self.requests.set(self.requests.get() + 1);
        let rest = req.url.strip_prefix(BASE_URL).unwrap_or(&req.url);
        let mut scim_req = scim::Request::new(&req.method, rest);
        scim_req.base_url = BASE_URL.into();
        scim_req.headers = req.headers.clone();
        scim_req.body = req.body.clone().unwrap_or_default().into_bytes();
        let counter = &self.next_id;
        let mut next_id = || {
            counter.set(counter.get() + 1);
            format!("{:08x}", counter.get())
        };
        let mut env = scim::Env::from_unix_ms(1_700_000_000_000, &mut next_id);
        let outcome = self.server.borrow_mut().handle(&scim_req, &mut env);
        HttpResponse {
            status: outcome.response.status,
            headers: outcome.response.headers,
            body: String::from_utf8_lossy(&outcome.response.body).into_owned(),
            cross_origin: false,
        }
    }

    fn raw(&self, method: &str, path: &str, body: Option<String>) -> HttpResponse {
        self.handle(&HttpRequest {
            method: method.into(),
            url: format!("{BASE_URL}{path}"),
            headers: vec![(
                "Content-Type".into(),
                "application/scim+json; charset=utf-8".into(),
            )],
            body,
            exchange_id: None,
        })
    }
}

impl Transport for Engine {
    fn send(&self, req: HttpRequest) -> SendFuture<'_> {
        let res = self.handle(&req);
        Box::pin(std::future::ready(Ok(res)))
    }
}

fn new_org() -> Org {
    let settings = ProvisioningSettings::new(BASE_URL, ApiAuth::None);
    Org::new(App::scim_template("0oaBENCH", "Bench", settings), 7)
}

fn user_json(i: usize) -> String {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": format!("user{i}@bench.example"),
        "name": {"givenName": "User", "familyName": format!("Number{i}")},
        "emails": [{"primary": true, "value": format!("user{i}@bench.example"), "type": "work"}],
        "active": true,
    })
    .to_string()
}

fn add_okta_user(org: &mut Org, i: usize, domain: &str) -> String {
    let login = format!("user{i}@{domain}");
    let profile = [
        ("login", login.as_str()),
        ("email", login.as_str()),
        ("firstName", "User"),
        ("lastName", &format!("Number{i}")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    org.directory
        .create_user(profile, BTreeMap::new())
        .unwrap_or_default()
}

struct Row {
    name: &'static str,
    items: usize,
    requests: usize,
    ms: f64,
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64() * 1000.0)
}

fn bench_import(rows: &mut Vec<Row>) {
    let engine = Engine::new();
    for i in 0..N_IMPORT {
        engine.raw("POST", "/Users", Some(user_json(i)));
    }
    // Baseline: the same 100 pages read straight from the engine.
    let before = engine.requests.get();
    let (_, ms) = timed(|| {
        let mut start = 1;
        while start <= N_IMPORT {
            engine.raw("GET", &format!("/Users?startIndex={start}&count=100"), None);
            start += 100;
        }
    });
    rows.push(Row {
        name: "baseline: 10k users, 100 pages, engine only",
        items: N_IMPORT,
        requests: engine.requests.get() - before,
        ms,
    });

    let mut org = new_org();
    // Half the app users exist in Okta already (exact matches); the other half are new.
    for i in 0..N_IMPORT {
        let domain = if i % 2 == 0 {
            "bench.example"
        } else {
            "elsewhere.example"
        };
        add_okta_user(&mut org, i, domain);
    }
    org.import.matching.email = true;
    let clock = SimClock::new(1_700_000_000_000);
    let before = engine.requests.get();
    let (result, ms) = timed(|| block_on(org.importer(&clock).run(&engine)).map(|r| r.stats));
    match result {
        Ok(stats) => println!("import: {stats}"),
        Err(e) => println!("import failed: {e}"),
    }
    rows.push(Row {
        name: "import: 10k users, download + map + match",
        items: N_IMPORT,
        requests: engine.requests.get() - before,
        ms,
    });
    let (_, ms) = timed(|| block_on(org.importer(&clock).confirm_all(false)));
    rows.push(Row {
        name: "import: confirm 10k rows (5k link, 5k create)",
        items: N_IMPORT,
        requests: 0,
        ms,
    });
    // What the app saves to IndexedDB after each job and reads back when it opens.
    let (json, ms) = timed(|| serde_json::to_string(&org).unwrap_or_default());
    rows.push(Row {
        name: "save: the org (15k people, 10k rows) as JSON",
        items: json.len(),
        requests: 0,
        ms,
    });
    let (_, ms) = timed(|| serde_json::from_str::<Org>(&json).map(|_| ()));
    rows.push(Row {
        name: "load: the same JSON back into an org",
        items: json.len(),
        requests: 0,
        ms,
    });
}

fn bench_push(rows: &mut Vec<Row>) {
    // Baseline: the existence check and the POST of each user, straight to the engine.
    let engine = Engine::new();
    let (_, ms) = timed(|| {
        for i in 0..N_PUSH {
            let filter = format!(
                "/Users?filter=userName%20eq%20%22user{i}%40bench.example%22&startIndex=1&count=100"
            );
            engine.raw("GET", &filter, None);
            engine.raw("POST", "/Users", Some(user_json(i)));
        }
    });
    rows.push(Row {
        name: "baseline: 1k check + POST, engine only",
        items: N_PUSH,
        requests: engine.requests.get(),
        ms,
    });

    let engine = Engine::new();
    let mut org = new_org();
    let ids: Vec<String> = (0..N_PUSH)
        .map(|i| add_okta_user(&mut org, i, "bench.example"))
        .collect();
    let clock = SimClock::new(1_700_000_000_000);
    let (failures, ms) = timed(|| {
        ids.iter()
            .filter(|id| block_on(org.assign_user(&engine, &clock, id)).is_err())
            .count()
    });
    if failures > 0 {
        println!("push: {failures} assignments failed");
    }
    rows.push(Row {
        name: "push: 1k assignments (check + POST)",
        items: N_PUSH,
        requests: engine.requests.get(),
        ms,
    });
}

fn main() {
    let mut rows = Vec::new();
    bench_import(&mut rows);
    bench_push(&mut rows);
    println!();
    println!(
        "| {:<46} | {:>6} | {:>8} | {:>9} | {:>10} |",
        "workload", "items", "requests", "total ms", "µs / item"
    );
    println!(
        "|{:-<48}|{:->8}|{:->10}|{:->11}|{:->12}|",
        "", "", "", "", ""
    );
    for row in &rows {
        let per_item = row.ms * 1000.0 / row.items.max(1) as f64;
        println!(
            "| {:<46} | {:>6} | {:>8} | {:>9.1} | {:>10.1} |",
            row.name, row.items, row.requests, row.ms, per_item
        );
    }
}
