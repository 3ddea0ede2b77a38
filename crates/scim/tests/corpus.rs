//! Data-driven request → response cases, one checker for all of them.
//!
//! Each file under `tests/corpus/{crud,list,patch,errors,bulk,discovery,auth}/` holds an array
//! of cases. A case runs against a fresh server loaded with `tests/corpus/fixture.json`:
//!
//! ```json
//! {"name": "…", "settings": {…}, "setup": [{"method": "POST", "path": "/Users", "body": {…}}],
//!  "method": "PATCH", "path": "/Users/2819c223?attributes=userName",
//!  "headers": {"If-Match": "W/\"1\""}, "body": {…} or "raw": "not json",
//!  "status": 200, "headers_out": {"ETag": "W/\"2\""}, "expect": {…subset of the body…},
//!  "absent": ["password", "name.middleName"], "changes": 1}
//! ```
//!
//! `expect` is a subset match (see `common::subset`); `absent` lists dotted paths that must not
//! exist in the body; `changes` is the exact number of `Change`s.

mod common;

use std::path::Path;

use common::{subset, Harness, BASE};
use scim::{Request, Settings};
use serde_json::Value;

fn run_case(case: &Value) -> Result<(), String> {
    let settings: Settings = match case.get("settings") {
        Some(s) => serde_json::from_value(s.clone()).map_err(|e| format!("bad settings: {e}"))?,
        None => Settings::default(),
    };
    let mut h = Harness::with_fixture(settings);
    for (i, step) in case
        .get("setup")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let outcome = h.raw(&request(step)?);
        if !(200..300).contains(&outcome.response.status) {
            return Err(format!(
                "setup[{i}] answered {}: {}",
                outcome.response.status,
                String::from_utf8_lossy(&outcome.response.body)
            ));
        }
    }
    let outcome = h.raw(&request(case)?);
    let response = &outcome.response;
    let body = response.json_body();
    let shown = || String::from_utf8_lossy(&response.body).into_owned();
    let status = case
        .get("status")
        .and_then(Value::as_u64)
        .ok_or("case has no status")?;
    if u64::from(response.status) != status {
        return Err(format!(
            "status {} (expected {status}); body {}",
            response.status,
            shown()
        ));
    }
    if let Some(expected) = case.get("expect") {
        subset(expected, &body, "body").map_err(|e| format!("{e}\nbody {}", shown()))?;
    }
    for (name, value) in case
        .get("headers_out")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let actual = response.header(name);
        if actual != value.as_str() {
            return Err(format!("header {name}: expected {value}, found {actual:?}"));
        }
    }
    for path in case
        .get("absent")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let path = path.as_str().unwrap_or_default();
        let mut at = Some(&body);
        for part in path.split('.') {
            at = at.and_then(|v| v.get(part));
        }
        if at.is_some() {
            return Err(format!("'{path}' should be absent; body {}", shown()));
        }
    }
    if let Some(n) = case.get("changes").and_then(Value::as_u64) {
        if outcome.changes.len() as u64 != n {
            return Err(format!(
                "{} changes (expected {n}): {:?}",
                outcome.changes.len(),
                outcome.changes
            ));
        }
    }
    if response.status >= 400 && !outcome.changes.is_empty() {
        return Err("a failed request reported changes".into());
    }
    Ok(())
}

fn request(case: &Value) -> Result<Request, String> {
    let method = case
        .get("method")
        .and_then(Value::as_str)
        .ok_or("no method")?;
    let path = case.get("path").and_then(Value::as_str).ok_or("no path")?;
    let mut req = Request::new(method, path);
    req.base_url = BASE.into();
    for (name, value) in case
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        req.headers
            .push((name.clone(), value.as_str().unwrap_or_default().into()));
    }
    if let Some(raw) = case.get("raw").and_then(Value::as_str) {
        req.body = raw.as_bytes().to_vec();
    } else if let Some(body) = case.get("body") {
        req.body = serde_json::to_vec(body).map_err(|e| e.to_string())?;
    }
    if !req.body.is_empty() && req.header("Content-Type").is_none() {
        req.headers
            .push(("Content-Type".into(), "application/scim+json".into()));
    }
    Ok(req)
}

fn run_dir(area: &str) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(area);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable corpus file");
        let cases: Vec<Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in &cases {
            count += 1;
            let name = case
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("(unnamed)");
            if let Err(e) = run_case(case) {
                let file_name = file.file_name().unwrap_or_default().to_string_lossy();
                failures.push(format!("{file_name} :: {name}\n    {e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count > 0, "no cases in {}", dir.display());
    count
}

#[test]
fn crud() {
    run_dir("crud");
}

#[test]
fn list() {
    run_dir("list");
}

#[test]
fn patch() {
    run_dir("patch");
}

#[test]
fn errors() {
    run_dir("errors");
}

#[test]
fn bulk() {
    run_dir("bulk");
}

#[test]
fn discovery() {
    run_dir("discovery");
}

#[test]
fn auth() {
    run_dir("auth");
}
