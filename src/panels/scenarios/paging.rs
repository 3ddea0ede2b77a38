//! The paging lesson's actions, done "inside the app" with requests of the scenario's own:
//! twelve users, read four at a time by index (RFC 7644) and by cursor (RFC 9865) while rows
//! are deleted between pages. After each page the learner is told what it held and which rows,
//! still on the server, the walk has passed without ever showing; that list is worked out from
//! the server's answers, so it shows the difference rather than asserting it.

use serde_json::{json, Value};

use crate::api;

/// How the lesson's users are named: `paging-01` … `paging-12`.
const PREFIX: &str = "paging-";
/// How many users the lesson creates.
const USERS: usize = 12;
/// The page size.
const PAGE: usize = 4;
/// The query both walks share: the lesson's users, in userName order.
const QUERY: &str = "sortBy=userName&filter=userName%20sw%20%22paging-%22&attributes=userName";
/// How the scenarios' own requests are tagged in the traffic log.
const CLIENT: &str = super::CLIENT;

/// What the learner has read so far in the current walk.
#[derive(Debug, Default, Clone)]
pub struct Walk {
    seen: Vec<String>,
    next_cursor: Option<String>,
}

fn name(number: usize) -> String {
    format!("{PREFIX}{number:02}")
}

async fn get(path: &str) -> Result<Value, String> {
    let headers = api::builtin_headers().await;
    let reply = api::send("GET", &format!("/scim/v2{path}"), &headers, None, CLIENT).await?;
    match reply.json() {
        Some(body) if reply.status == 200 => Ok(body),
        _ => Err(format!("The app answered {} to GET {path}.", reply.status)),
    }
}

fn user_names(body: &Value) -> Vec<String> {
    body.get("Resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| {
            r.get("userName")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect()
}

/// Creates `paging-01` … `paging-12` inside the app (those already there are kept).
pub async fn seed() -> Result<String, String> {
    let headers = api::builtin_headers().await;
    for number in 1..=USERS {
        let body = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": name(number),
            "active": true,
        });
        super::create_in_app(&headers, &name(number), &body).await?;
    }
    Ok(format!("The app holds {} … {}.", name(1), name(USERS)))
}

/// Deletes `paging-<number>` inside the app, as another admin would between two pages.
pub async fn delete(number: usize) -> Result<String, String> {
    let wanted = name(number);
    let found = get(&format!("/Users?filter=userName%20eq%20%22{wanted}%22")).await?;
    let id = found
        .pointer("/Resources/0/id")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{wanted} is not in the app; reset the scenario."))?
        .to_string();
    let headers = api::builtin_headers().await;
    let reply = api::send(
        "DELETE",
        &format!("/scim/v2/Users/{id}"),
        &headers,
        None,
        CLIENT,
    )
    .await?;
    if reply.status != 204 {
        return Err(format!("The app answered {} to the delete.", reply.status));
    }
    Ok(format!("{wanted} was deleted."))
}

/// Reads page `page` (from 1) by `startIndex`.
pub async fn index_page(walk: &mut Walk, page: usize) -> Result<String, String> {
    if page == 1 {
        *walk = Walk::default();
    }
    let start = (page - 1) * PAGE + 1;
    let body = get(&format!("/Users?startIndex={start}&count={PAGE}&{QUERY}")).await?;
    let names = user_names(&body);
    walk.seen.extend(names.iter().cloned());
    let passed = passed_over(walk).await?;
    Ok(report(
        &format!("Page {page} (startIndex={start})"),
        &names,
        &passed,
    ))
}

/// Reads the first cursor page (`first`), or the page `nextCursor` names.
pub async fn cursor_page(walk: &mut Walk, first: bool) -> Result<String, String> {
    let path = if first {
        *walk = Walk::default();
        format!("/Users?cursor&count={PAGE}&{QUERY}")
    } else {
        let cursor = walk
            .next_cursor
            .clone()
            .ok_or("There is no next page: read the first cursor page again.")?;
        format!("/Users?cursor={cursor}&{QUERY}")
    };
    let body = get(&path).await?;
    let names = user_names(&body);
    walk.seen.extend(names.iter().cloned());
    walk.next_cursor = body
        .get("nextCursor")
        .and_then(Value::as_str)
        .map(str::to_string);
    let passed = passed_over(walk).await?;
    let label = if first {
        "First cursor page"
    } else {
        "Page at nextCursor"
    };
    Ok(report(label, &names, &passed))
}

/// The rows still on the server that sort before the last row read but were never shown.
async fn passed_over(walk: &Walk) -> Result<Vec<String>, String> {
    let Some(last) = walk.seen.last() else {
        return Ok(Vec::new());
    };
    let all = get(&format!("/Users?count=100&{QUERY}")).await?;
    Ok(user_names(&all)
        .into_iter()
        .filter(|n| n.as_str() < last.as_str() && !walk.seen.contains(n))
        .collect())
}

fn report(label: &str, names: &[String], passed: &[String]) -> String {
    let shown = if names.is_empty() {
        "no rows".to_string()
    } else {
        names.join(", ")
    };
    let missed = if passed.is_empty() {
        "No row was skipped.".to_string()
    } else {
        format!(
            "Never shown, though still in the app: {}.",
            passed.join(", ")
        )
    };
    format!("{label}: {shown}. {missed}")
}
