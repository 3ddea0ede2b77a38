//! What the built-in server must hold before Okta's SPEC test can pass, checked before a run,
//! each with the one click that fixes it: Okta's test reads the first user the server lists (so
//! the server needs one), and sends a wrong credential expecting a 401 (so the server must
//! require one). Without them a fresh profile's run fails three steps for reasons that are not
//! the server's.

use idp::settings::ApiAuth;
use leptos::prelude::*;
use protocol::admin::{Endpoint, SeedRequest, Status};
use protocol::settings::{Auth, SettingsDocument};

use crate::api;
use crate::okta::{is_builtin, secret_token, use_org};

/// What the pre-check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub users: usize,
    /// The credential the server requires, as its settings name it (`None` when it needs none).
    pub credential: Option<&'static str>,
}

pub async fn read() -> Result<Found, String> {
    let status: Status = api::admin(Endpoint::Status, "", None, super::CLIENT)
        .await?
        .parse()?;
    let settings = api::server_settings().await?;
    let credential = match settings.auth {
        Auth::None => None,
        Auth::Basic { .. } => Some("Basic"),
        Auth::Header { .. } => Some("an exact Authorization header"),
        Auth::Bearer { .. } => Some("a bearer token"),
        Auth::OAuth { .. } => Some("OAuth 2.0 tokens"),
    };
    Ok(Found {
        users: status.users,
        credential,
    })
}

/// Adds one of the app's own users (as App data's demo data does).
async fn add_user() -> Result<String, String> {
    let body = serde_json::to_string(&SeedRequest {
        users: 1,
        groups: 0,
    })
    .map_err(|e| e.to_string())?;
    api::admin(Endpoint::Seed, "", Some(&body), super::CLIENT).await?;
    Ok("The built-in server now holds a user.".into())
}

/// Makes the built-in server require a new bearer token, and gives Okta's API Integration the
/// same one when it points at the built-in server, so Okta's pushes are not refused after it.
async fn require_token() -> Result<String, String> {
    let token = secret_token().ok_or("this browser has no secure random source")?;
    let mut settings: SettingsDocument = api::server_settings().await?;
    settings.auth = Auth::Bearer {
        token: token.clone(),
    };
    let body = serde_json::to_string(&settings).map_err(|e| e.to_string())?;
    api::admin(Endpoint::SaveSettings, "", Some(&body), super::CLIENT)
        .await?
        .parse::<SettingsDocument>()?;
    let header = format!("Bearer {token}");
    use_org().edit("Giving Okta the built-in server's token", move |org| {
        if !is_builtin(&org.app.settings.base_url) {
            return Ok(
                "Okta's API Integration points at another server; it was left as it is.".into(),
            );
        }
        org.app.settings.auth = ApiAuth::Header { value: header };
        Ok("Okta's API Integration now sends the built-in server's new bearer token.".into())
    });
    Ok("The built-in server now requires a bearer token.".into())
}

/// The pre-check card. `found` is shared with the panel, which reads it again after a run.
#[component]
pub fn PreCheck(found: RwSignal<Option<Result<Found, String>>>) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let refresh = move || {
        leptos::task::spawn_local(async move { found.set(Some(read().await)) });
    };
    refresh();
    let fix = move |which: &'static str| {
        if working.get_untracked() {
            return;
        }
        working.set(true);
        leptos::task::spawn_local(async move {
            let done = match which {
                "user" => add_user().await,
                _ => require_token().await,
            };
            message.set(Some(done.unwrap_or_else(|e| format!("Not fixed: {e}"))));
            found.set(Some(read().await));
            working.set(false);
        });
    };
    let item = move |key: &'static str,
                     ok: bool,
                     text: String,
                     why: &'static str,
                     button: &'static str| {
        view! {
            <li class=if ok { "precheck__item explain-node explain-node--yes" } else { "precheck__item explain-node explain-node--no" } data-check=key data-ok=ok.to_string()>
                <span>{if ok { "✓ " } else { "✗ " }}<strong>{text}</strong><span class="muted">{format!(" — {why}")}</span></span>
                {(!ok).then(|| view! {
                    <button class="button button--ghost" type="button" disabled=move || working.get() on:click=move |_| fix(key)>{button}</button>
                })}
            </li>
        }
    };
    view! {
        <section class="card precheck" aria-label="Before you run" data-testid="precheck">
            <h2 class="section-title">"Before you run Okta's SPEC test"</h2>
            {move || match found.get() {
                None => view! { <p class="muted">"Checking the built-in server…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error" role="alert">{format!("The built-in server could not be checked: {e}")}</p> }.into_any(),
                Some(Ok(f)) => view! {
                    <ul class="plain-list">
                        {item("user", f.users > 0,
                            if f.users > 0 { format!("The server holds {} user{}", f.users, if f.users == 1 { "" } else { "s" }) } else { "The server holds no user".into() },
                            "Okta's test lists the users and reads the first one.", "Add a user")}
                        {item("credential", f.credential.is_some(),
                            match f.credential { Some(what) => format!("The server requires {what}"), None => "The server requires no credential".into() },
                            "Okta's test sends a wrong one and expects 401.", "Require a bearer token")}
                    </ul>
                }.into_any(),
            }}
            {move || message.get().map(|m| view! { <p class="muted" role="status">{m}</p> })}
        </section>
    }
}
