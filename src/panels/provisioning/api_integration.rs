//! API Integration: where Okta sends requests (the built-in server or any SCIM base URL), how
//! it authenticates (Basic, HTTP Header, OAuth bearer token), which client it talks like, and
//! "Test API Credentials" with the exact requests it sent. Beside it, the built-in server's own
//! side: the credential it requires and its compatibility profile.

use idp::client::ClientProfile;
use idp::settings::{ApiAuth, ProvisioningSettings};
use leptos::prelude::*;
use protocol::admin::Endpoint;
use protocol::settings::{Auth, Profile, SettingsDocument};

use super::EditBar;
use crate::api;
use crate::components::relay::RelayOption;
use crate::components::reveal::{secret_type, Reveal};
use crate::okta::{builtin_base_url, is_builtin, use_org, OrgAction};

fn auth_method(auth: &ApiAuth) -> &'static str {
    match auth {
        ApiAuth::None => "none",
        ApiAuth::Basic { .. } => "basic",
        ApiAuth::Header { .. } => "header",
        ApiAuth::OAuthBearer { .. } => "oauth",
    }
}

fn client_slug(profile: ClientProfile) -> &'static str {
    match profile {
        ClientProfile::OktaOin => "oin",
        ClientProfile::OktaCustom => "custom",
        ClientProfile::EntraId => "entra",
    }
}

/// The form's fields as the admin typed them.
#[derive(Clone, Copy)]
struct Draft {
    enabled: RwSignal<bool>,
    builtin: RwSignal<bool>,
    base_url: RwSignal<String>,
    method: RwSignal<String>,
    username: RwSignal<String>,
    password: RwSignal<String>,
    header: RwSignal<String>,
    token: RwSignal<String>,
    client: RwSignal<ClientProfile>,
}

impl Draft {
    fn load(&self, settings: &ProvisioningSettings) {
        self.enabled.set(settings.enabled);
        self.builtin.set(is_builtin(&settings.base_url));
        self.base_url.set(settings.base_url.clone());
        self.method.set(auth_method(&settings.auth).into());
        let (mut user, mut pass, mut header, mut token) = Default::default();
        match &settings.auth {
            ApiAuth::Basic { username, password } => {
                user = username.clone();
                pass = password.clone();
            }
            ApiAuth::Header { value } => header = value.clone(),
            ApiAuth::OAuthBearer { token: t } => token = t.clone(),
            ApiAuth::None => {}
        }
        self.username.set(user);
        self.password.set(pass);
        self.header.set(header);
        self.token.set(token);
        self.client.set(settings.client);
    }

    /// The settings the form describes, or why they cannot be saved.
    fn settings(
        &self,
        to_app: idp::settings::ToAppSettings,
    ) -> Result<ProvisioningSettings, String> {
        let base_url = if self.builtin.get_untracked() {
            builtin_base_url()
        } else {
            let url = self
                .base_url
                .get_untracked()
                .trim()
                .trim_end_matches('/')
                .to_string();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(
                    "The base URL must be absolute, e.g. https://app.example.com/scim/v2.".into(),
                );
            }
            url
        };
        let required = |value: String, what: &str| {
            if value.trim().is_empty() {
                Err(format!(
                    "{what} is required for this authentication method."
                ))
            } else {
                Ok(value)
            }
        };
        let auth = match self.method.get_untracked().as_str() {
            "basic" => ApiAuth::Basic {
                username: required(self.username.get_untracked(), "The username")?,
                password: required(self.password.get_untracked(), "The password")?,
            },
            "header" => ApiAuth::Header {
                value: required(self.header.get_untracked(), "The header value")?,
            },
            "oauth" => ApiAuth::OAuthBearer {
                token: required(self.token.get_untracked(), "The token")?,
            },
            _ => ApiAuth::None,
        };
        Ok(ProvisioningSettings {
            enabled: self.enabled.get_untracked(),
            base_url,
            auth,
            client: self.client.get_untracked(),
            to_app,
        })
    }
}

#[component]
pub fn ApiIntegration() -> impl IntoView {
    let host = use_org();
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let tested = RwSignal::new(false);
    let draft = Draft {
        enabled: RwSignal::new(false),
        builtin: RwSignal::new(true),
        base_url: RwSignal::new(String::new()),
        method: RwSignal::new("none".into()),
        username: RwSignal::new(String::new()),
        password: RwSignal::new(String::new()),
        header: RwSignal::new(String::new()),
        token: RwSignal::new(String::new()),
        client: RwSignal::new(ClientProfile::OktaCustom),
    };
    let load = move || {
        host.with_untracked(|org| draft.load(&org.app.settings));
        error.set(None);
    };
    load();
    let to_app = move || host.with_untracked(|org| org.app.settings.to_app.clone());
    let save = move |()| match draft.settings(to_app()) {
        Ok(settings) => {
            error.set(None);
            host.edit("Saving API Integration", move |org| {
                org.app.settings = settings;
                Ok("API Integration saved.".into())
            });
            editing.set(false);
        }
        Err(e) => error.set(Some(e)),
    };
    let test = move |_| match draft.settings(to_app()) {
        Ok(settings) => {
            error.set(None);
            tested.set(true);
            host.act(OrgAction::TestCredentials(Box::new(settings)));
        }
        Err(e) => error.set(Some(e)),
    };
    // The first request of the test that got no response from an external server, when it was
    // not sent through the relay: most often CORS, which the relay answers.
    let unanswered = move || {
        host.exchanges
            .with(|list| {
                list.iter()
                    .find(|x| x.outcome.is_err() && !api::is_same_origin(&x.url))
                    .map(|x| x.url.clone())
            })
            .filter(|_| !crate::relay::load().enabled)
    };
    let on = move || editing.get();
    let method_is = move |m: &'static str| move || draft.method.get() == m;
    let shown = RwSignal::new(false);

    view! {
        <form class="card form-grid" aria-label="API Integration" on:submit=|ev| ev.prevent_default()>
            <EditBar editing=editing section="API Integration" on_save=save on_cancel=move |()| load()/>
            <h2 class="section-title">"API Integration"</h2>
            <label class="check">
                <input type="checkbox" name="enabled" prop:checked=move || draft.enabled.get() disabled=move || !on()
                    on:change=move |ev| draft.enabled.set(event_target_checked(&ev))/>
                <span>"Enable API Integration"<small class="muted">" — without it Okta sends the app nothing: no creates, updates or deactivations."</small></span>
            </label>
            <fieldset class="settings-section check" disabled=move || !on()>
                <legend>"SCIM server"</legend>
                <label class="check"><input type="radio" name="target" prop:checked=move || draft.builtin.get() on:change=move |_| draft.builtin.set(true)/>
                    <span>"Built-in server (this tab)"<small class="muted">{format!(" — {}", builtin_base_url())}</small></span></label>
                <label class="check"><input type="radio" name="target" prop:checked=move || !draft.builtin.get() on:change=move |_| draft.builtin.set(false)/>
                    <span>"External SCIM server"<small class="muted">" — any base URL: one that allows this origin (CORS), or any other through the local relay."</small></span></label>
            </fieldset>
            <label class="field field--grow">
                <span>"Base URL"</span>
                <input name="baseUrl" type="url" prop:value=move || if draft.builtin.get() { builtin_base_url() } else { draft.base_url.get() }
                    disabled=move || !on() || draft.builtin.get() on:input=move |ev| draft.base_url.set(event_target_value(&ev))/>
            </label>
            <Show when=move || !draft.builtin.get()>
                <RelayOption base_url=draft.base_url/>
            </Show>
            <label class="field">
                <span>"Authentication Mode"</span>
                <select name="authMethod" disabled=move || !on() on:change=move |ev| draft.method.set(event_target_value(&ev)) prop:value=move || draft.method.get()>
                    <option value="none">"None"</option>
                    <option value="basic">"Basic Auth"</option>
                    <option value="header">"HTTP Header"</option>
                    <option value="oauth">"OAuth 2 (bearer token)"</option>
                </select>
            </label>
            <Show when=method_is("basic")>
                <label class="field"><span>"Username"</span><input name="username" autocomplete="off" disabled=move || !on() prop:value=move || draft.username.get() on:input=move |ev| draft.username.set(event_target_value(&ev))/></label>
                <label class="field"><span>"Password"</span><input name="password" type=secret_type(shown) autocomplete="off" disabled=move || !on() prop:value=move || draft.password.get() on:input=move |ev| draft.password.set(event_target_value(&ev))/></label>
            </Show>
            <Show when=method_is("header")>
                <label class="field field--grow"><span>"Authorization header value"</span><input name="headerValue" type=secret_type(shown) autocomplete="off" placeholder="Bearer …" disabled=move || !on() prop:value=move || draft.header.get() on:input=move |ev| draft.header.set(event_target_value(&ev))/></label>
            </Show>
            <Show when=method_is("oauth")>
                <label class="field field--grow"><span>"Access token"</span><input name="token" type=secret_type(shown) autocomplete="off" disabled=move || !on() prop:value=move || draft.token.get() on:input=move |ev| draft.token.set(event_target_value(&ev))/></label>
            </Show>
            <Show when=move || draft.method.get() != "none"><Reveal shown/></Show>
            <label class="field">
                <span>"Client profile (how Okta talks)"</span>
                <select name="client" disabled=move || !on() prop:value=move || client_slug(draft.client.get())
                    on:change=move |ev| { let v = event_target_value(&ev); if let Some(p) = ClientProfile::ALL.into_iter().find(|p| client_slug(*p) == v) { draft.client.set(p); } }>
                    {ClientProfile::ALL.into_iter().map(|p| view! { <option value=client_slug(p)>{p.label()}</option> }).collect_view()}
                </select>
            </label>
            <p class="muted">{move || match draft.client.get() {
                ClientProfile::OktaCustom => "Custom (AIW) app: updates are GET then PUT of the whole user.",
                ClientProfile::OktaOin => "Catalog (OIN) app: updates are GET then PUT of the whole user, like a custom app; PATCH carries activation, deactivation and password only. Groups are pushed with PATCH.",
                ClientProfile::EntraId => "Entra ID: capitalised PATCH ops, \"True\"/\"False\" strings, externalId existence checks.",
            }}</p>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <div class="toolbar">
                <button class="button button--ghost" type="button" on:click=test disabled=move || host.busy.get().is_some()>"Test API Credentials"</button>
            </div>
        </form>
        {move || (tested.get() && host.busy.get().is_none()).then(|| view! {
            <div class="card" data-testid="test-exchanges">
                <h3 class="section-title">"Requests sent by the test"</h3>
                <ul class="plain-list exchange-list">
                    {host.exchanges.get().into_iter().map(|x| view! {
                        <li>{x.method} " " {x.url} " → " {match x.outcome { Ok(status) => status.to_string(), Err(e) => format!("no response: {e}") }}</li>
                    }).collect_view()}
                </ul>
                {move || unanswered().map(|url| view! {
                    <p class="field-error" role="alert" data-testid="test-cors">
                        {format!("No answer reached this page from {url}. Most often the server does not allow this page's origin (CORS): a browser sends a request to another origin only when the server allows it, and most SCIM servers do not. Tick \"Send through the local relay\" above, and run ")}
                        <code>{crate::relay::command(&draft.base_url.get_untracked(), &crate::relay::load().address)}</code>
                        " in the repository."
                    </p>
                })}
            </div>
        })}
        <BuiltinServer draft=draft editing=editing/>
    }
}

/// The built-in server's side: what credential it requires and how strictly it reads
/// requests, from `/_playground/settings`.
#[component]
fn BuiltinServer(draft: Draft, editing: RwSignal<bool>) -> impl IntoView {
    let settings = RwSignal::new(None::<Result<SettingsDocument, String>>);
    let method = RwSignal::new("none".to_string());
    let first = RwSignal::new(String::new());
    let second = RwSignal::new(String::new());
    let profile = RwSignal::new("okta".to_string());
    let message = RwSignal::new(None::<String>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            let result = api::server_settings().await;
            if let Ok(document) = &result {
                let name = match &document.auth {
                    Auth::None => "none",
                    Auth::Basic { username, password } => {
                        first.set(username.clone());
                        second.set(password.clone());
                        "basic"
                    }
                    Auth::Header { value } => {
                        first.set(value.clone());
                        "header"
                    }
                    Auth::Bearer { token } => {
                        first.set(token.clone());
                        "bearer"
                    }
                    Auth::OAuth { .. } => "oauth",
                };
                method.set(name.into());
                profile.set(document.profile.setting_name().into());
            }
            settings.set(Some(result));
        });
    };
    reload();
    let save = move |_| {
        let Some(Ok(mut document)) = settings.get_untracked() else {
            return;
        };
        document.auth = match method.get_untracked().as_str() {
            "basic" => Auth::Basic {
                username: first.get_untracked(),
                password: second.get_untracked(),
            },
            "header" => Auth::Header {
                value: first.get_untracked(),
            },
            "bearer" => Auth::Bearer {
                token: first.get_untracked(),
            },
            // OAuth is set up from the Console; saving here keeps its client and tokens.
            "oauth" => document.auth,
            _ => Auth::None,
        };
        document.profile = Profile::from_setting_name(&profile.get_untracked()).unwrap_or_default();
        leptos::task::spawn_local(async move {
            let body = serde_json::to_string(&document).unwrap_or_default();
            let saved = api::admin(Endpoint::SaveSettings, "", Some(&body), "page").await;
            match saved.and_then(|reply| reply.parse::<SettingsDocument>()) {
                Ok(_) => message.set(Some("The built-in server's settings were saved.".into())),
                Err(e) => message.set(Some(format!("Not saved ({e})"))),
            }
            reload();
        });
    };
    // Fills Okta's form with what the built-in server expects, as an admin would paste it.
    let copy_to_okta = move |_| {
        editing.set(true);
        draft.builtin.set(true);
        match method.get_untracked().as_str() {
            "basic" => {
                draft.method.set("basic".into());
                draft.username.set(first.get_untracked());
                draft.password.set(second.get_untracked());
            }
            "header" => {
                draft.method.set("header".into());
                draft.header.set(first.get_untracked());
            }
            "bearer" => {
                draft.method.set("header".into());
                draft
                    .header
                    .set(format!("Bearer {}", first.get_untracked()));
            }
            _ => draft.method.set("none".into()),
        }
    };
    let is = move |m: &'static str| move || method.get() == m;
    let server_shown = RwSignal::new(false);
    view! {
        <form class="card form-grid" aria-label="Built-in server" on:submit=|ev| ev.prevent_default()>
            <h2 class="section-title">"Built-in server (the app's side)"</h2>
            {move || match settings.get() {
                None => view! { <p class="muted">"Reading the server's settings…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="field-error" role="alert">{format!("The server's settings could not be read: {e}")}</p> }.into_any(),
                Some(Ok(_)) => ().into_any(),
            }}
            <label class="field">
                <span>"Credential the server requires"</span>
                <select name="serverAuth" prop:value=move || method.get() on:change=move |ev| method.set(event_target_value(&ev))>
                    <option value="none">"None (accept every request)"</option>
                    <option value="basic">"Basic"</option>
                    <option value="header">"Exact Authorization header"</option>
                    <option value="bearer">"Bearer token"</option>
                    <option value="oauth" disabled=true>"OAuth 2.0 (set up from the Console)"</option>
                </select>
            </label>
            <Show when=is("basic")>
                <label class="field"><span>"Server username"</span><input name="serverUsername" prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev))/></label>
                <label class="field"><span>"Server password"</span><input name="serverPassword" type=secret_type(server_shown) autocomplete="off" prop:value=move || second.get() on:input=move |ev| second.set(event_target_value(&ev))/></label>
            </Show>
            <Show when=is("header")>
                <label class="field field--grow"><span>"Required Authorization value"</span><input name="serverHeader" type=secret_type(server_shown) autocomplete="off" prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev))/></label>
            </Show>
            <Show when=move || method.get() != "none"><Reveal shown=server_shown/></Show>
            <Show when=is("bearer")>
                <label class="field field--grow"><span>"Server bearer token"</span><input name="serverToken" type=secret_type(server_shown) autocomplete="off" prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev))/></label>
            </Show>
            <label class="field">
                <span>"Server compatibility profile"</span>
                <select name="serverProfile" prop:value=move || profile.get() on:change=move |ev| profile.set(event_target_value(&ev))>
                    <option value="strict">"Strict RFC 7643/7644"</option>
                    <option value="okta">"Okta-tolerant"</option>
                    <option value="entra">"Entra ID-tolerant"</option>
                </select>
            </label>
            <ul class="muted profile-rules" data-testid="profile-rules">
                {move || Profile::from_setting_name(&profile.get()).unwrap_or_default().rules().iter().map(|rule| view! { <li>{*rule}</li> }).collect_view()}
            </ul>
            {move || message.get().map(|m| view! { <p class="muted" role="status">{m}</p> })}
            <div class="toolbar">
                <button class="button" type="button" on:click=save>"Save server settings"</button>
                <button class="button button--ghost" type="button" on:click=copy_to_okta>"Use these credentials in Okta"</button>
            </div>
        </form>
    }
}
