//! A small OAuth 2.0 authorization server (RFC 6749) for the playground's app, so the "OAuth"
//! authentication option is real: Okta's "Authenticate with the app" step sends the admin to
//! [`authorize`] (a consent page), trades the code for tokens at the token endpoint, refreshes
//! them, and the SCIM engine accepts only unexpired, unrevoked access tokens.
//!
//! Endpoints (under `/_playground/oauth`):
//! - `GET /authorize?response_type=code&client_id&redirect_uri&state` — the consent page;
//!   `POST /authorize` (the page's form) redirects back with `code` or `error=access_denied`.
//! - `POST /token` — grants `authorization_code`, `refresh_token` and `client_credentials`;
//!   the client authenticates with HTTP Basic or `client_id`/`client_secret` fields. A
//!   playground extension, `expires_in`, asks for a shorter lifetime to demonstrate expiry.
//! - `POST /revoke` — RFC 7009: revokes an access or refresh token.
//!
//! Access tokens live in the engine's settings (it checks them); codes and refresh tokens live
//! in the meta store row [`STATE_KEY`]. Both are written in one transaction.

use scim::{Auth, Env, Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::form;
use crate::host::{self, Host};
use crate::store::{self, Write};

/// The meta-store key of the authorization server's state.
pub const STATE_KEY: &str = "oauth";
const CODE_LIFETIME_MS: i64 = 10 * 60 * 1000;
/// How long a consent page may stay open before its form is refused.
const CONSENT_LIFETIME_MS: i64 = 30 * 60 * 1000;
const REFRESH_LIFETIME_MS: i64 = 30 * 24 * 3600 * 1000;
const DEFAULT_ACCESS_LIFETIME_S: i64 = 3600;
const MAX_ACCESS_LIFETIME_S: i64 = 24 * 3600;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct State {
    codes: Vec<Grant>,
    refresh_tokens: Vec<Grant>,
    /// One-time nonces of consent pages shown and not yet answered: the consent form must
    /// carry one, which a form on another site cannot (it cannot read the page).
    #[serde(default)]
    consents: Vec<Grant>,
}

/// An authorization code or a refresh token: who it was issued to and until when.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Grant {
    value: String,
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    expires_at_ms: i64,
}

/// Issues a new grant (a code or a consent nonce, from the browser's secure generator) for
/// `client_id` and `redirect_uri`, valid `lifetime_ms`, dropping the expired ones; returns its
/// value.
fn issue(grants: &mut Vec<Grant>, client_id: &str, redirect_uri: &str, lifetime_ms: i64) -> String {
    let now = host::now_ms();
    let value = host::new_id();
    grants.retain(|g| g.expires_at_ms > now);
    grants.push(Grant {
        value: value.clone(),
        client_id: client_id.into(),
        redirect_uri: redirect_uri.into(),
        expires_at_ms: now + lifetime_ms,
    });
    value
}

/// An OAuth error response (RFC 6749 §5.2).
fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    let mut response = Response::json(
        status,
        &json!({"error": error, "error_description": description}),
    );
    response.set_header("Content-Type", "application/json");
    response.set_header("Cache-Control", "no-store");
    response
}

fn redirect(location: &str) -> Response {
    let mut response = Response::empty(302);
    response.set_header("Location", location);
    response
}

fn html_page(status: u16, body: &str) -> Response {
    let mut response = Response::empty(status);
    response.body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Authorize — SCIM Playground</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1d2430}}\
         .card{{border:1px solid #d5dae1;border-radius:8px;padding:1.5rem}}\
         button{{font:inherit;padding:.4rem 1rem;border-radius:4px;border:1px solid #1662dd;margin-right:.5rem;cursor:pointer}}\
         .allow{{background:#1662dd;color:#fff}} .deny{{background:#fff;color:#1662dd}} code{{overflow-wrap:anywhere}}\
         </style></head><body><div class=\"card\">{body}</div></body></html>"
    )
    .into_bytes();
    response.set_header("Content-Type", "text/html; charset=utf-8");
    response
}

/// A redirect URI must be an absolute http(s) URL; anything else (e.g. `javascript:`) is refused
/// before a redirect could be built from it.
fn valid_redirect(uri: &str) -> bool {
    (uri.starts_with("http://") || uri.starts_with("https://"))
        && !uri.contains(['<', '>', '"', ' '])
}

fn with_query(uri: &str, params: &[(&str, &str)]) -> String {
    let separator = if uri.contains('?') { '&' } else { '?' };
    let query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", form::encode(v)))
        .collect();
    format!("{uri}{separator}{}", query.join("&"))
}

fn configured_client(host: &Host) -> Option<(String, String)> {
    match &host.server.borrow().settings().auth {
        Auth::OAuth {
            client_id,
            client_secret,
            ..
        } => Some((client_id.clone(), client_secret.clone())),
        _ => None,
    }
}

async fn load_state(host: &Host) -> State {
    match store::get_meta(&host.db, STATE_KEY).await {
        Ok(Some(text)) => crate::from_json(&text).unwrap_or_default(),
        _ => State::default(),
    }
}

/// Routes `/_playground/oauth/...`.
pub async fn handle(host: &Host, request: &Request, path: &str) -> Response {
    match (request.method.as_str(), path) {
        ("GET", "/authorize") => consent_page(host, &form::parse(&request.query)).await,
        ("POST", "/authorize") => {
            decide(host, &form::parse(&String::from_utf8_lossy(&request.body))).await
        }
        ("POST", "/token") => token(host, request).await,
        ("POST", "/revoke") => revoke(host, request).await,
        _ => oauth_error(404, "invalid_request", "unknown OAuth endpoint"),
    }
}

async fn consent_page(host: &Host, query: &[(String, String)]) -> Response {
    let client_id = form::field(query, "client_id").unwrap_or_default();
    let redirect_uri = form::field(query, "redirect_uri").unwrap_or_default();
    let state = form::field(query, "state").unwrap_or_default();
    if form::field(query, "response_type") != Some("code") {
        return html_page(
            400,
            "<h1>Invalid request</h1><p>Only <code>response_type=code</code> is supported.</p>",
        );
    }
    if !valid_redirect(redirect_uri) {
        return html_page(400, "<h1>Invalid request</h1><p>The <code>redirect_uri</code> must be an absolute http(s) URL.</p>");
    }
    match configured_client(host) {
        None => html_page(400, "<h1>OAuth is off</h1><p>The SCIM server is not configured for OAuth 2.0: choose OAuth in its settings first.</p>"),
        Some((expected, _)) if expected != client_id => html_page(
            400,
            &format!("<h1>Unknown client</h1><p>No client <code>{}</code> is registered.</p>", form::html(client_id)),
        ),
        Some(_) => {
            // A nonce for this page's form, kept until it is answered or expires.
            let mut oauth = load_state(host).await;
            let nonce = issue(&mut oauth.consents, client_id, redirect_uri, CONSENT_LIFETIME_MS);
            if commit_with_state(host, &[], &oauth).await.is_err() {
                return html_page(500, "<h1>Could not open the consent page</h1><p>The browser's storage refused the write; try again.</p>");
            }
            html_page(
            200,
            &format!(
                "<h1>Authorize access</h1>\
                 <p><strong>{client}</strong> asks to provision users and groups in the SCIM Playground app.</p>\
                 <p>You will be sent back to <code>{redirect}</code>.</p>\
                 <form method=\"post\" action=\"{action}\">\
                 <input type=\"hidden\" name=\"client_id\" value=\"{client}\">\
                 <input type=\"hidden\" name=\"redirect_uri\" value=\"{redirect}\">\
                 <input type=\"hidden\" name=\"state\" value=\"{state}\">\
                 <input type=\"hidden\" name=\"nonce\" value=\"{nonce}\">\
                 <button class=\"allow\" name=\"decision\" value=\"allow\">Allow</button>\
                 <button class=\"deny\" name=\"decision\" value=\"deny\">Deny</button></form>",
                client = form::html(client_id),
                redirect = form::html(redirect_uri),
                state = form::html(state),
                nonce = form::html(&nonce),
                action = form::html(&protocol::base::join(
                    crate::base::path(),
                    "/_playground/oauth/authorize"
                )),
            ),
        )
        }
    }
}

async fn decide(host: &Host, fields: &[(String, String)]) -> Response {
    let client_id = form::field(fields, "client_id").unwrap_or_default();
    let redirect_uri = form::field(fields, "redirect_uri").unwrap_or_default();
    let state = form::field(fields, "state").unwrap_or_default();
    if !valid_redirect(redirect_uri) {
        return html_page(
            400,
            "<h1>Invalid request</h1><p>Bad <code>redirect_uri</code>.</p>",
        );
    }
    if configured_client(host).map(|(id, _)| id) != Some(client_id.to_string()) {
        return html_page(400, "<h1>Unknown client</h1>");
    }
    // The form must carry the nonce of a consent page this worker showed for the same client
    // and redirect; each is good once. A form posted from another site has none.
    let now = host::now_ms();
    let mut oauth = load_state(host).await;
    let nonce = form::field(fields, "nonce").unwrap_or_default();
    let shown = oauth.consents.iter().position(|c| {
        c.expires_at_ms > now
            && !nonce.is_empty()
            && c.value == nonce
            && c.client_id == client_id
            && c.redirect_uri == redirect_uri
    });
    let Some(shown) = shown else {
        return html_page(
            403,
            "<h1>Refused: nothing was granted</h1><p>This answer did not come from a consent \
             page the playground showed (or that page has expired). Start the authorization \
             again from the app that asked for it.</p>",
        );
    };
    oauth.consents.remove(shown);
    if form::field(fields, "decision") != Some("allow") {
        if commit_with_state(host, &[], &oauth).await.is_err() {
            return html_page(500, "<h1>Could not save the answer</h1><p>The browser's storage refused the write; try again.</p>");
        }
        return redirect(&with_query(
            redirect_uri,
            &[("error", "access_denied"), ("state", state)],
        ));
    }
    let code = issue(&mut oauth.codes, client_id, redirect_uri, CODE_LIFETIME_MS);
    if commit_with_state(host, &[], &oauth).await.is_err() {
        return html_page(500, "<h1>Could not save the grant</h1><p>The browser's storage refused the write; try again.</p>");
    }
    redirect(&with_query(
        redirect_uri,
        &[("code", &code), ("state", state)],
    ))
}

/// Persists the engine's changes (access tokens live in its settings) together with the
/// authorization server's state, in one transaction; on failure the engine's changes are undone.
async fn commit_with_state(
    host: &Host,
    changes: &[scim::Change],
    oauth: &State,
) -> Result<(), Response> {
    let mut writes = host::writes_for(changes);
    writes.push(Write {
        store: store::META,
        key: STATE_KEY.into(),
        json: serde_json::to_string(oauth).ok(),
    });
    store::commit(&host.db, &writes).await.map_err(|e| {
        host.server.borrow_mut().undo(changes);
        oauth_error(500, "server_error", &format!("nothing was saved: {e}"))
    })
}

/// The client's credentials from HTTP Basic or the form body (RFC 6749 §2.3.1).
fn client_credentials(request: &Request, fields: &[(String, String)]) -> Option<(String, String)> {
    if let Some(basic) = request.header("authorization").and_then(|h| {
        h.strip_prefix("Basic ")
            .or_else(|| h.strip_prefix("basic "))
    }) {
        let decoded = scim::b64::decode(basic.trim())?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        return Some((form::decode(id), form::decode(secret)));
    }
    Some((
        form::field(fields, "client_id")?.to_string(),
        form::field(fields, "client_secret")?.to_string(),
    ))
}

async fn token(host: &Host, request: &Request) -> Response {
    let fields = form::parse(&String::from_utf8_lossy(&request.body));
    let Some((client_id, client_secret)) = client_credentials(request, &fields) else {
        return oauth_error(401, "invalid_client", "client authentication is required");
    };
    let lifetime = form::field(&fields, "expires_in")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(DEFAULT_ACCESS_LIFETIME_S)
        .clamp(1, MAX_ACCESS_LIFETIME_S);
    let now = host::now_ms();
    let mut oauth = load_state(host).await;
    oauth.codes.retain(|c| c.expires_at_ms > now);
    oauth.refresh_tokens.retain(|r| r.expires_at_ms > now);

    let grant_type = form::field(&fields, "grant_type").unwrap_or_default();
    let issue_refresh = match grant_type {
        "client_credentials" => false,
        "authorization_code" => {
            let code = form::field(&fields, "code").unwrap_or_default();
            let redirect_uri = form::field(&fields, "redirect_uri").unwrap_or_default();
            let Some(index) = oauth.codes.iter().position(|c| c.value == code) else {
                return oauth_error(400, "invalid_grant", "the authorization code is unknown, used or expired");
            };
            let grant = oauth.codes.remove(index);
            if grant.client_id != client_id || grant.redirect_uri != redirect_uri {
                return oauth_error(400, "invalid_grant", "the code was issued to another client or redirect_uri");
            }
            true
        }
        "refresh_token" => {
            let refresh = form::field(&fields, "refresh_token").unwrap_or_default();
            let Some(index) = oauth.refresh_tokens.iter().position(|r| r.value == refresh) else {
                return oauth_error(400, "invalid_grant", "the refresh token is unknown, revoked or expired");
            };
            if oauth.refresh_tokens[index].client_id != client_id {
                return oauth_error(400, "invalid_grant", "the refresh token belongs to another client");
            }
            // Rotation: a refresh token is good for one use.
            oauth.refresh_tokens.remove(index);
            true
        }
        "" => return oauth_error(400, "invalid_request", "grant_type is required"),
        other => {
            return oauth_error(
                400,
                "unsupported_grant_type",
                &format!("grant_type \"{other}\" is not supported (authorization_code, refresh_token, client_credentials)"),
            )
        }
    };

    let mut next_id = host::new_id;
    let mut env = Env::from_unix_ms(now, &mut next_id);
    let issued =
        host.server
            .borrow_mut()
            .issue_token(&client_id, &client_secret, lifetime, &mut env);
    let (access, changes) = match issued {
        Ok(issued) => issued,
        Err(e) => return oauth_error(401, "invalid_client", &e.to_string()),
    };
    let refresh = issue_refresh.then(|| {
        let value = host::new_id();
        oauth.refresh_tokens.push(Grant {
            value: value.clone(),
            client_id: client_id.clone(),
            redirect_uri: String::new(),
            expires_at_ms: now + REFRESH_LIFETIME_MS,
        });
        value
    });
    if let Err(failure) = commit_with_state(host, &changes, &oauth).await {
        return failure;
    }
    let mut body = json!({
        "access_token": access.token,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "scope": "scim",
    });
    if let (Some(refresh), Some(map)) = (refresh, body.as_object_mut()) {
        map.insert("refresh_token".into(), refresh.into());
    }
    let mut response = Response::json(200, &body);
    response.set_header("Content-Type", "application/json");
    response.set_header("Cache-Control", "no-store");
    response
}

async fn revoke(host: &Host, request: &Request) -> Response {
    let fields = form::parse(&String::from_utf8_lossy(&request.body));
    let Some((client_id, client_secret)) = client_credentials(request, &fields) else {
        return oauth_error(401, "invalid_client", "client authentication is required");
    };
    if configured_client(host) != Some((client_id, client_secret)) {
        return oauth_error(401, "invalid_client", "wrong client_id or client_secret");
    }
    let token = form::field(&fields, "token")
        .unwrap_or_default()
        .to_string();
    let mut oauth = load_state(host).await;
    oauth.refresh_tokens.retain(|r| r.value != token);
    let mut settings = host.server.borrow().settings().clone();
    if let Auth::OAuth { tokens, .. } = &mut settings.auth {
        tokens.retain(|t| t.token != token);
    }
    let changes = match host.server.borrow_mut().update_settings(settings) {
        Ok(changes) => changes,
        Err(e) => return oauth_error(500, "server_error", &e.to_string()),
    };
    if let Err(failure) = commit_with_state(host, &changes, &oauth).await {
        return failure;
    }
    // RFC 7009 §2.2: the answer is 200 whether or not the token was known.
    Response::empty(200)
}
