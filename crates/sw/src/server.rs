//! The SCIM routes the worker answers, over the IndexedDB store.
//!
//! This is the foundation's deliberately small server: discovery of the service provider, and
//! creating, reading and listing users durably. The full engine in `crates/scim` takes over these
//! routes when it is hosted here (see ARCHITECTURE.md).

use serde_json::{json, Value};

use crate::http::{Answer, Exchange};
use crate::store::{self, StoreError, Write};

const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// Answers one exchange. Never panics: every failure becomes a SCIM Error answer.
pub async fn handle(exchange: &Exchange, new_id: impl FnOnce() -> String, now: String) -> Answer {
    let path = exchange.path.trim_end_matches('/');
    let result = match (exchange.method.as_str(), path) {
        ("GET", "/ServiceProviderConfig") => Ok(service_provider_config(exchange)),
        (_, "/ServiceProviderConfig") => Ok(method_not_allowed(exchange)),
        ("GET", "/Users") => list_users(exchange).await,
        ("POST", "/Users") => create_user(exchange, new_id, now).await,
        ("GET", p) if p.starts_with("/Users/") => get_user(&p["/Users/".len()..]).await,
        _ => Ok(Answer::error(
            404,
            None,
            &format!(
                "{} {} is not a SCIM endpoint of this server",
                exchange.method,
                if path.is_empty() { "/" } else { path }
            ),
        )),
    };
    result.unwrap_or_else(|e| Answer::error(500, None, &e.to_string()))
}

fn method_not_allowed(exchange: &Exchange) -> Answer {
    let mut answer = Answer::error(
        405,
        None,
        &format!("{} is not allowed on {}", exchange.method, exchange.path),
    );
    answer.headers.push(("Allow".into(), "GET".into()));
    answer
}

fn service_provider_config(exchange: &Exchange) -> Answer {
    Answer::json(
        200,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": "https://www.rfc-editor.org/rfc/rfc7644",
            "patch": {"supported": false},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": false, "maxResults": 0},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": false},
            "authenticationSchemes": [],
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": format!("{}/ServiceProviderConfig", exchange.base_url),
            },
            // Lets tests and the page tell a Rust-built answer from anything else.
            "x-playground": {"server": "scim-sw", "version": env!("CARGO_PKG_VERSION")},
        }),
    )
}

async fn list_users(_exchange: &Exchange) -> Result<Answer, StoreError> {
    let db = store::open().await?;
    let rows = store::load_resources(&db, "Users").await?;
    db.close();
    let users: Vec<Value> = rows
        .iter()
        .filter_map(|row| serde_json::from_str(row).ok())
        .collect();
    Ok(Answer::json(
        200,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": users.len(),
            "startIndex": 1,
            "itemsPerPage": users.len(),
            "Resources": users,
        }),
    ))
}

async fn get_user(id: &str) -> Result<Answer, StoreError> {
    let db = store::open().await?;
    let row = store::get_resource(&db, "Users", id).await?;
    db.close();
    match row.and_then(|text| serde_json::from_str::<Value>(&text).ok()) {
        Some(user) => Ok(Answer::json(200, &user)),
        None => Ok(Answer::error(
            404,
            None,
            &format!("no User with id \"{id}\""),
        )),
    }
}

async fn create_user(
    exchange: &Exchange,
    new_id: impl FnOnce() -> String,
    now: String,
) -> Result<Answer, StoreError> {
    let mut user: Value = match serde_json::from_slice(&exchange.body) {
        Ok(Value::Object(map)) => Value::Object(map),
        Ok(_) => {
            return Ok(Answer::error(
                400,
                Some("invalidSyntax"),
                "the body must be a JSON object",
            ))
        }
        Err(e) => {
            return Ok(Answer::error(
                400,
                Some("invalidSyntax"),
                &format!("the body is not valid JSON: {e}"),
            ))
        }
    };
    let Some(user_name) = user
        .get("userName")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return Ok(Answer::error(
            400,
            Some("invalidValue"),
            "userName is required and must be a string",
        ));
    };

    let db = store::open().await?;
    let existing = store::load_resources(&db, "Users").await?;
    let taken = existing.iter().any(|row| {
        serde_json::from_str::<Value>(row)
            .ok()
            .and_then(|u| {
                u.get("userName")
                    .and_then(Value::as_str)
                    .map(str::to_lowercase)
            })
            .is_some_and(|name| name == user_name.to_lowercase())
    });
    if taken {
        db.close();
        return Ok(Answer::error(
            409,
            Some("uniqueness"),
            &format!("userName \"{user_name}\" is already taken"),
        ));
    }

    let id = new_id();
    let location = format!("{}/Users/{id}", exchange.base_url);
    if let Some(map) = user.as_object_mut() {
        map.insert("id".into(), id.clone().into());
        map.insert("schemas".into(), json!([USER_SCHEMA]));
        map.insert(
            "meta".into(),
            json!({"resourceType": "User", "created": now, "lastModified": now, "location": location}),
        );
    }
    let json = serde_json::to_string(&user).unwrap_or_default();
    store::commit(
        &db,
        &[Write {
            key: store::resource_key("Users", &id),
            json: Some(json),
        }],
    )
    .await?;
    db.close();

    let mut answer = Answer::json(201, &user);
    answer.headers.push(("Location".into(), location));
    Ok(answer)
}
