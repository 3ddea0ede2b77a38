//! The import inline hook (docs/okta-model.md §4): for each imported user, after mapping and
//! matching and before the Okta user is created or linked, Okta POSTs a
//! `com.okta.import.transform` event and applies the commands it gets back.
//!
//! The hook is either a set of local rules the playground's user writes (a condition in the
//! expression language → commands), or an HTTP URL reached through the transport. Both end in
//! the same [`HookResponse`], so commands are applied by one piece of code. An HTTP hook that
//! does not answer within three seconds (on the injected clock) is skipped and the import
//! continues with the default action, as Okta does.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::clock::{rfc3339, Clock};
use crate::expr::{self, MapContext, Object};
use crate::transport::{HttpRequest, Transport};

/// Okta's import hook timeout, in milliseconds.
pub const TIMEOUT_MS: u64 = 3000;

/// The largest hook response read, in bytes; anything longer is refused.
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// What Okta will do with an imported user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImportAction {
    /// Create a new Okta user.
    CreateUser,
    /// Link the app user to an existing Okta user.
    LinkUser,
}

/// One command of a hook response, in Okta's wire form `{"type": …, "value": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value")]
pub enum Command {
    /// Changes attributes of the app user profile.
    #[serde(rename = "com.okta.appUser.profile.update")]
    AppUserProfileUpdate(Map<String, Value>),
    /// Changes attributes of the Okta user profile being created or linked.
    #[serde(rename = "com.okta.user.profile.update")]
    UserProfileUpdate(Map<String, Value>),
    /// Changes the action: create a user, or link to one.
    #[serde(rename = "com.okta.action.update")]
    ActionUpdate {
        /// The new action.
        result: ImportAction,
    },
    /// Names the Okta user to link to (with `LINK_USER`).
    #[serde(rename = "com.okta.user.update")]
    UserUpdate {
        /// The Okta user's id.
        id: String,
    },
}

/// A hook's answer: commands, or an error that keeps the user out of this import.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HookResponse {
    /// The commands, applied in order.
    #[serde(default)]
    pub commands: Vec<Command>,
    /// `error.errorSummary`, when the hook refused the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A local rule: when `condition` holds for the hook request, answer with `commands` (or
/// refuse the user with `error`).
///
/// The condition is an expression over `appuser.*` (the app user profile), `user.*` (the Okta
/// profile about to be created or linked) and `app.*` (`id`, `name`, `label`, and `action`,
/// the default action: `CREATE_USER` or `LINK_USER`). An empty condition always holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HookRule {
    /// The condition.
    pub condition: String,
    /// The commands to answer with.
    #[serde(default)]
    pub commands: Vec<Command>,
    /// An error summary to answer with instead, keeping the user out of the import.
    #[serde(default)]
    pub error: Option<String>,
}

/// Where the hook runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ImportHook {
    /// Rules evaluated in the simulator; every rule whose condition holds contributes its
    /// commands, in order, and the first error wins.
    Local {
        /// The rules.
        rules: Vec<HookRule>,
    },
    /// An HTTP endpoint, POSTed through the transport.
    Http {
        /// The hook's URL.
        url: String,
        /// The `Authorization` header value. A secret: never part of a shared configuration.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authorization: Option<String>,
    },
}

/// Everything that can go wrong calling a hook. None of them stops the import: the user is
/// imported with the default action, and the System Log says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum HookError {
    /// No answer within three seconds.
    #[error("the hook did not answer within 3 seconds")]
    Timeout,
    /// The request failed before any answer, e.g. a refused connection.
    #[error("the hook could not be reached: {0}")]
    Unreachable(String),
    /// The hook answered with an error status, e.g. 500.
    #[error("the hook answered {0}")]
    Status(u16),
    /// The answer is not a valid hook response, e.g. `{"commands": 1}` or an unknown command
    /// type.
    #[error("the hook's response is invalid: {0}")]
    InvalidResponse(String),
    /// A local rule's condition does not evaluate to a boolean, e.g. `appuser.userName`.
    #[error("the rule {index} is invalid: {message}")]
    InvalidRule {
        /// The rule's position, from 0.
        index: usize,
        /// Why.
        message: String,
    },
}

/// What the import tells the hook about one user.
#[derive(Debug, Clone, PartialEq)]
pub struct HookInput<'a> {
    /// The app's id, name and label.
    pub app_id: &'a str,
    /// The app's name (Okta's app key).
    pub app_name: &'a str,
    /// The app's label.
    pub app_label: &'a str,
    /// The import job's id.
    pub job_id: &'a str,
    /// The event's id.
    pub event_id: &'a str,
    /// When, in ms since the epoch.
    pub now_ms: i64,
    /// The matching policy names.
    pub policy: &'a [String],
    /// The matched Okta users.
    pub matches: &'a [String],
    /// Attributes on which the matched user and the import disagree.
    pub conflicts: &'a [String],
    /// The default action.
    pub action: ImportAction,
    /// The app user profile.
    pub app_user: &'a BTreeMap<String, Value>,
    /// The Okta profile about to be created or linked.
    pub user: &'a BTreeMap<String, Value>,
    /// The Okta user to link to, for `LINK_USER`.
    pub user_id: Option<&'a str>,
}

/// The `com.okta.import.transform` request body, as Okta documents it.
pub fn request_body(input: &HookInput<'_>) -> Value {
    let mut user = json!({"profile": input.user});
    if let (Some(id), Some(obj)) = (input.user_id, user.as_object_mut()) {
        obj.insert("id".into(), json!(id));
    }
    json!({
        "eventType": "com.okta.import.transform",
        "eventTypeVersion": "1.0",
        "cloudEventVersion": "0.1",
        "contentType": "application/json",
        "eventId": input.event_id,
        "eventTime": rfc3339(input.now_ms),
        "source": format!("https://playground.okta.example/api/v1/apps/{}/import", input.app_id),
        "data": {
            "context": {
                "conflicts": input.conflicts,
                "application": {
                    "name": input.app_name,
                    "id": input.app_id,
                    "label": input.app_label,
                    "status": "ACTIVE",
                },
                "job": {"id": input.job_id, "type": "import:users"},
                "matches": input.matches,
                "policy": input.policy,
            },
            "action": {"result": input.action},
            "appUser": {"profile": input.app_user},
            "user": user,
        },
    })
}

/// Parses a hook's answer.
///
/// # Errors
///
/// [`HookError::InvalidResponse`] for anything but `{"commands": […]}` and/or
/// `{"error": {"errorSummary": …}}`.
pub fn parse_response(text: &str) -> Result<HookResponse, HookError> {
    if text.len() > MAX_RESPONSE_BYTES {
        return Err(HookError::InvalidResponse(format!(
            "longer than {MAX_RESPONSE_BYTES} bytes"
        )));
    }
    let json: Value =
        serde_json::from_str(text).map_err(|e| HookError::InvalidResponse(e.to_string()))?;
    let Value::Object(obj) = json else {
        return Err(HookError::InvalidResponse("not a JSON object".into()));
    };
    let commands = match obj.get("commands") {
        None | Some(Value::Null) => Vec::new(),
        Some(commands) => serde_json::from_value(commands.clone())
            .map_err(|e| HookError::InvalidResponse(e.to_string()))?,
    };
    let error = match obj.get("error") {
        None | Some(Value::Null) => None,
        Some(error) => Some(
            error
                .get("errorSummary")
                .and_then(Value::as_str)
                .unwrap_or("the hook refused the user")
                .to_string(),
        ),
    };
    Ok(HookResponse { commands, error })
}

/// Evaluates local rules against a hook input.
///
/// # Errors
///
/// [`HookError::InvalidRule`] for a condition that does not parse or is not a boolean.
pub fn run_rules(rules: &[HookRule], input: &HookInput<'_>) -> Result<HookResponse, HookError> {
    let mut ctx = MapContext::new();
    for (name, value) in input.app_user {
        if let Some(v) = expr::Value::from_json(value) {
            ctx.set(Object::AppUser, name.clone(), v);
        }
    }
    for (name, value) in input.user {
        if let Some(v) = expr::Value::from_json(value) {
            ctx.set(Object::User, name.clone(), v);
        }
    }
    let action = match input.action {
        ImportAction::CreateUser => "CREATE_USER",
        ImportAction::LinkUser => "LINK_USER",
    };
    ctx.set(Object::App, "id", input.app_id.into());
    ctx.set(Object::App, "name", input.app_name.into());
    ctx.set(Object::App, "label", input.app_label.into());
    ctx.set(Object::App, "action", action.into());
    let mut response = HookResponse::default();
    for (index, rule) in rules.iter().enumerate() {
        let holds = if rule.condition.trim().is_empty() {
            true
        } else {
            let invalid = |message: String| HookError::InvalidRule { index, message };
            match expr::evaluate(&rule.condition, &ctx).map_err(|e| invalid(e.to_string()))? {
                expr::Value::Bool(b) => b,
                other => {
                    return Err(invalid(format!(
                        "the condition is {}, not a Boolean",
                        other.type_of().with_article()
                    )))
                }
            }
        };
        if holds {
            if let Some(error) = &rule.error {
                response.error.get_or_insert_with(|| error.clone());
            }
            response.commands.extend(rule.commands.iter().cloned());
        }
    }
    Ok(response)
}

/// The request Okta sends the hook at `url` (what [`call_http`] sends, and the System Log shows).
pub fn http_request(
    url: &str,
    authorization: Option<&str>,
    body: &Value,
    exchange_id: u64,
) -> HttpRequest {
    let mut headers = vec![
        ("Accept".to_string(), "application/json".to_string()),
        ("Content-Type".to_string(), "application/json".to_string()),
    ];
    if let Some(auth) = authorization {
        headers.push(("Authorization".to_string(), auth.to_string()));
    }
    HttpRequest {
        method: "POST".into(),
        url: url.into(),
        headers,
        body: Some(body.to_string()),
        exchange_id: Some(exchange_id),
    }
}

/// Calls an HTTP hook: POSTs the body, waits at most [`TIMEOUT_MS`] on `clock`.
///
/// # Errors
///
/// Every [`HookError`] but `InvalidRule`.
pub async fn call_http(
    transport: &dyn Transport,
    clock: &dyn Clock,
    url: &str,
    authorization: Option<&str>,
    body: &Value,
    exchange_id: u64,
) -> Result<HookResponse, HookError> {
    let req = http_request(url, authorization, body, exchange_id);
    let answer = with_timeout(transport.send(req), clock, TIMEOUT_MS)
        .await
        .ok_or(HookError::Timeout)?;
    let res = answer.map_err(|e| HookError::Unreachable(e.to_string()))?;
    if !res.is_success() {
        return Err(HookError::Status(res.status));
    }
    parse_response(&res.body)
}

/// Runs `future` until it completes or `clock` has waited `ms`. The timer is started only if
/// the future is not ready at its first poll, so a simulated clock does not move for a hook
/// that answers at once.
async fn with_timeout<T>(future: impl Future<Output = T>, clock: &dyn Clock, ms: u64) -> Option<T> {
    let mut future = std::pin::pin!(future);
    let mut timer: Option<Pin<Box<dyn Future<Output = ()> + '_>>> = None;
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(value) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(value));
        }
        let timer = timer.get_or_insert_with(|| clock.sleep(ms));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(
        app_user: &'a BTreeMap<String, Value>,
        user: &'a BTreeMap<String, Value>,
    ) -> HookInput<'a> {
        HookInput {
            app_id: "0oa1",
            app_name: "scim2",
            app_label: "SCIM",
            job_id: "ij1",
            event_id: "ev1",
            now_ms: 0,
            policy: &[],
            matches: &[],
            conflicts: &[],
            action: ImportAction::CreateUser,
            app_user,
            user,
            user_id: None,
        }
    }

    #[test]
    fn responses_parse_commands_and_errors_and_refuse_the_rest() {
        let ok = parse_response(
            r#"{"commands":[{"type":"com.okta.action.update","value":{"result":"LINK_USER"}},{"type":"com.okta.user.update","value":{"id":"00u1"}}]}"#,
        )
        .expect("valid");
        assert_eq!(
            ok.commands,
            vec![
                Command::ActionUpdate {
                    result: ImportAction::LinkUser
                },
                Command::UserUpdate { id: "00u1".into() }
            ]
        );
        let refused =
            parse_response(r#"{"error":{"errorSummary":"no contractors"}}"#).expect("valid");
        assert_eq!(refused.error.as_deref(), Some("no contractors"));
        for bad in [
            "",
            "[]",
            r#"{"commands":1}"#,
            r#"{"commands":[{"type":"com.okta.nope","value":{}}]}"#,
        ] {
            assert!(
                matches!(parse_response(bad), Err(HookError::InvalidResponse(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn local_rules_answer_when_their_condition_holds() {
        let app_user = BTreeMap::from([("userType".to_string(), json!("Contractor"))]);
        let user = BTreeMap::new();
        let rules = vec![
            HookRule {
                condition: r#"appuser.userType == "Contractor""#.into(),
                commands: vec![Command::UserProfileUpdate(
                    json!({"userType": "Vendor"})
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                )],
                error: None,
            },
            HookRule {
                condition: r#"app.action == "LINK_USER""#.into(),
                commands: Vec::new(),
                error: Some("never".into()),
            },
        ];
        let response = run_rules(&rules, &input(&app_user, &user)).expect("valid rules");
        assert_eq!(response.commands.len(), 1);
        assert_eq!(response.error, None);
        let bad = vec![HookRule {
            condition: "appuser.userType".into(),
            commands: Vec::new(),
            error: None,
        }];
        assert!(matches!(
            run_rules(&bad, &input(&app_user, &user)),
            Err(HookError::InvalidRule { index: 0, .. })
        ));
    }

    #[test]
    fn the_request_body_has_okta_s_shape() {
        let app_user = BTreeMap::from([("userName".to_string(), json!("jane"))]);
        let user = BTreeMap::from([("login".to_string(), json!("jane@x.com"))]);
        let body = request_body(&input(&app_user, &user));
        assert_eq!(body["eventType"], "com.okta.import.transform");
        assert_eq!(body["eventTime"], "1970-01-01T00:00:00.000Z");
        assert_eq!(body["data"]["context"]["job"]["type"], "import:users");
        assert_eq!(body["data"]["action"]["result"], "CREATE_USER");
        assert_eq!(body["data"]["appUser"]["profile"]["userName"], "jane");
        assert_eq!(
            body["data"]["user"],
            json!({"profile": {"login": "jane@x.com"}})
        );
    }
}
