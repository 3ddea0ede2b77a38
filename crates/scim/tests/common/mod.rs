//! A tiny vocabulary for driving the engine in tests: a server with a fixed clock and counting
//! ids, and one-line requests.

#![allow(dead_code)] // Each test binary uses a different part of this shared vocabulary.

use scim::{Change, Env, Outcome, Request, Server, Settings, StoredResource};
use serde_json::Value;

pub const BASE: &str = "https://scim.example/v2";
pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A server plus the injected environment: the clock starts at 2024-01-01T00:00:00Z and moves
/// one second per request; ids are `new-1`, `new-2`, ….
pub struct Harness {
    pub server: Server,
    pub next_id: u64,
    pub now_ms: i64,
}

/// What a request produced, with the body parsed.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    pub changes: Vec<Change>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Harness {
    pub fn new(settings: Settings) -> Self {
        Harness {
            server: Server::new(settings),
            next_id: 0,
            now_ms: 1_704_067_200_000,
        }
    }

    /// A server holding the shared fixture (`tests/corpus/fixture.json`).
    pub fn with_fixture(settings: Settings) -> Self {
        let mut h = Harness::new(settings);
        let text = include_str!("../corpus/fixture.json");
        let rows: Vec<StoredResource> = serde_json::from_str(text).expect("fixture.json parses");
        h.server.load(rows).expect("fixture loads");
        h
    }

    /// Sends a raw request.
    pub fn raw(&mut self, req: &Request) -> Outcome {
        let mut n = self.next_id;
        let mut gen = || {
            n += 1;
            format!("new-{n}")
        };
        self.now_ms += 1000;
        let mut env = Env::from_unix_ms(self.now_ms, &mut gen);
        let outcome = self.server.handle(req, &mut env);
        self.next_id = n;
        outcome
    }

    /// Sends `method path?query` with an optional JSON body and extra headers.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::new(method, path);
        req.base_url = BASE.into();
        if let Some(body) = body {
            req.body = serde_json::to_vec(body).expect("serialisable");
            req.headers
                .push(("Content-Type".into(), "application/scim+json".into()));
        }
        for (n, v) in headers {
            req.headers.push(((*n).into(), (*v).into()));
        }
        let outcome = self.raw(&req);
        Reply {
            status: outcome.response.status,
            headers: outcome.response.headers.clone(),
            body: outcome.response.json_body(),
            changes: outcome.changes,
        }
    }

    pub fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, None, &[])
    }

    pub fn post(&mut self, path: &str, body: &Value) -> Reply {
        self.send("POST", path, Some(body), &[])
    }

    pub fn put(&mut self, path: &str, body: &Value) -> Reply {
        self.send("PUT", path, Some(body), &[])
    }

    pub fn patch(&mut self, path: &str, body: &Value) -> Reply {
        self.send("PATCH", path, Some(body), &[])
    }

    pub fn delete(&mut self, path: &str) -> Reply {
        self.send("DELETE", path, None, &[])
    }

    /// Every stored row, for comparing whole states.
    pub fn snapshot(&self) -> Vec<StoredResource> {
        self.server.resources().collect()
    }
}

/// Whether `actual` contains `expected`: objects by key (recursively), arrays element-wise with
/// equal length, the string `"<any>"` matches any present value. Returns the first mismatch.
pub fn subset(expected: &Value, actual: &Value, at: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::String(s), a) if s == "<any>" => {
            if a.is_null() {
                Err(format!("{at}: expected a value, found nothing"))
            } else {
                Ok(())
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or(&Value::Null);
                subset(ev, av, &format!("{at}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{at}: expected {} elements, found {}: {}",
                    e.len(),
                    a.len(),
                    Value::Array(a.clone())
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(ev, av, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{at}: expected {e}, found {a}")),
    }
}
