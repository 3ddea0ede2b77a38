//! App data: what the SCIM server holds, seen "inside the app". Users and groups page by page
//! with a search, each as raw JSON that can be edited and saved (PUT with If-Match),
//! deactivated or reactivated, or deleted — the changes an app makes on its side that imports
//! and sourcing then pick up. Also demo data, reset, export/import of the server's data, and a
//! backup of everything in this browser (`backup.rs`).

use leptos::prelude::*;
use protocol::admin::{Endpoint, SeedRequest};
use serde_json::{json, Value};

use crate::api;
use crate::components::worker_badge::WorkerBanner;

mod backup;
mod space;

const PAGE: usize = 25;
/// How this panel names itself in the traffic log.
const CLIENT: &str = "app-data";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Users,
    Groups,
}

impl Kind {
    fn endpoint(self) -> &'static str {
        match self {
            Kind::Users => "Users",
            Kind::Groups => "Groups",
        }
    }

    /// The attribute the list sorts by and searches in.
    fn key(self) -> &'static str {
        match self {
            Kind::Users => "userName",
            Kind::Groups => "displayName",
        }
    }
}

/// Escapes a search term for a SCIM filter string literal and URL-encodes the filter.
fn search_query(kind: Kind, term: &str) -> String {
    if term.trim().is_empty() {
        return String::new();
    }
    let literal = serde_json::to_string(term.trim()).unwrap_or_default();
    let filter = format!("{} co {literal}", kind.key());
    format!(
        "&filter={}",
        String::from(js_sys::encode_uri_component(&filter))
    )
}

fn error_of(reply: &api::Reply) -> String {
    reply
        .json()
        .and_then(|v| v.get("detail").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| reply.body.chars().take(200).collect())
}

#[derive(Debug, Clone, Default)]
struct Listing {
    total: usize,
    rows: Vec<Value>,
}

#[component]
pub fn AppDataPanel() -> impl IntoView {
    let kind = RwSignal::new(Kind::Users);
    let search = RwSignal::new(String::new());
    let start = RwSignal::new(1usize);
    let refresh = RwSignal::new(0u32);
    let listing = RwSignal::new(None::<Result<Listing, String>>);
    let selected = RwSignal::new(None::<Value>);
    let editor = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let seed_count = RwSignal::new("25".to_string());

    Effect::new(move |_| {
        let (kind, term, start, _) = (kind.get(), search.get(), start.get(), refresh.get());
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!(
                "/scim/v2/{}?startIndex={start}&count={PAGE}&sortBy={}{}",
                kind.endpoint(),
                kind.key(),
                search_query(kind, &term)
            );
            let headers = api::builtin_headers().await;
            let result = match api::send("GET", &url, &headers, None, CLIENT).await {
                Ok(reply) if reply.status == 200 => {
                    let body = reply.json().unwrap_or_default();
                    Ok(Listing {
                        total: body
                            .get("totalResults")
                            .and_then(Value::as_u64)
                            .unwrap_or(0) as usize,
                        rows: body
                            .get("Resources")
                            .and_then(Value::as_array)
                            .cloned()
                            .unwrap_or_default(),
                    })
                }
                Ok(reply) => Err(format!("{}: {}", reply.status, error_of(&reply))),
                Err(e) => Err(e),
            };
            listing.set(Some(result));
        });
    });

    let select = move |resource: Value| {
        editor.set(serde_json::to_string_pretty(&resource).unwrap_or_default());
        selected.set(Some(resource));
    };
    // Whether the editor holds a resource not yet in the app (no id).
    let creating = move || {
        selected.with(|s| {
            s.as_ref()
                .is_some_and(|r| r.get("id").and_then(Value::as_str).is_none())
        })
    };
    // A new resource inside the app, as the app's own admin would add one.
    let new_resource = move |_| {
        let template = match kind.get_untracked() {
            Kind::Users => json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "new.user@example.com",
                "name": {"givenName": "New", "familyName": "User"},
                "emails": [{"value": "new.user@example.com", "type": "work", "primary": true}],
                "active": true,
            }),
            Kind::Groups => json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "New group",
                "members": [],
            }),
        };
        select(template);
    };
    // Runs one write against the selected resource and reports the outcome.
    let write = move |method: &'static str, body: Option<String>, done: &'static str| {
        let Some(resource) = selected.get_untracked() else {
            return;
        };
        let id = resource
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let version = resource
            .pointer("/meta/version")
            .and_then(Value::as_str)
            .map(str::to_string);
        // A resource without an id is a new one, made with "New user" / "New group": POSTed.
        let (method, url) = if id.is_empty() {
            (
                "POST",
                format!("/scim/v2/{}", kind.get_untracked().endpoint()),
            )
        } else {
            (
                method,
                format!("/scim/v2/{}/{id}", kind.get_untracked().endpoint()),
            )
        };
        wasm_bindgen_futures::spawn_local(async move {
            let mut headers = api::builtin_headers().await;
            if let Some(version) = version {
                headers.push(("If-Match".to_string(), version));
            }
            match api::send(method, &url, &headers, body.as_deref(), CLIENT).await {
                Ok(reply) if reply.status < 300 => {
                    notice.set(Some(done.to_string()));
                    match reply.json() {
                        Some(updated) if method != "DELETE" => select(updated),
                        _ => selected.set(None),
                    }
                    refresh.update(|n| *n += 1);
                }
                Ok(reply) => notice.set(Some(format!(
                    "{} failed ({}): {}",
                    method,
                    reply.status,
                    error_of(&reply)
                ))),
                Err(e) => notice.set(Some(format!("{method} failed: {e}"))),
            }
        });
    };
    let save = move |_| match serde_json::from_str::<Value>(&editor.get_untracked()) {
        Ok(value) if creating() => write("POST", Some(value.to_string()), "Created in the app."),
        Ok(value) => write("PUT", Some(value.to_string()), "Saved."),
        Err(e) => notice.set(Some(format!("Not saved: the JSON is invalid ({e})."))),
    };
    let set_active = move |active: bool| {
        let body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": active}],
        });
        write(
            "PATCH",
            Some(body.to_string()),
            if active {
                "Reactivated in the app."
            } else {
                "Deactivated in the app."
            },
        );
    };
    let admin = move |endpoint: Endpoint, body: Option<String>, done: String| {
        wasm_bindgen_futures::spawn_local(async move {
            match api::admin(endpoint, "", body.as_deref(), CLIENT).await {
                Ok(reply) if reply.status < 300 => {
                    notice.set(Some(done));
                    selected.set(None);
                    start.set(1);
                    refresh.update(|n| *n += 1);
                }
                Ok(reply) => notice.set(Some(format!(
                    "Failed ({}): {}",
                    reply.status,
                    error_of(&reply)
                ))),
                Err(e) => notice.set(Some(format!("Failed: {e}"))),
            }
        });
    };
    let seed = move |_| {
        let n: usize = seed_count.get_untracked().parse().unwrap_or(0);
        let wanted = SeedRequest {
            users: n,
            groups: (n / 10).max(1),
        };
        admin(
            Endpoint::Seed,
            serde_json::to_string(&wanted).ok(),
            format!("Added up to {n} demo users."),
        );
    };
    let reset = move |_| {
        let confirmed = window()
            .confirm_with_message("Delete every user, group and setting of the built-in server?")
            .unwrap_or(false);
        if confirmed {
            admin(Endpoint::Reset, None, "The server is empty again.".into());
        }
    };
    let export = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            match api::admin(Endpoint::Export, "", None, CLIENT).await {
                Ok(reply) if reply.status == 200 => match crate::download(
                    "scim-playground-server.json",
                    &reply.body,
                    "application/json",
                ) {
                    Ok(()) => notice.set(Some("Exported.".into())),
                    Err(_) => notice.set(Some("The browser refused the download.".into())),
                },
                Ok(reply) => notice.set(Some(format!("Export failed: {}", reply.status))),
                Err(e) => notice.set(Some(format!("Export failed: {e}"))),
            }
        });
    };
    let import = move |ev: leptos::ev::Event| {
        wasm_bindgen_futures::spawn_local(async move {
            let Some(text) = crate::chosen_file_text(&ev).await else {
                return;
            };
            admin(Endpoint::Import, Some(text), "Imported.".into());
        });
    };

    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="app-data">
            <h1 id="panel-title" class="panel__title">"App data"</h1>
            <p class="panel__purpose">"What the SCIM server holds, as the app sees it. Changes here happen \"inside the app\": the next import notices them."</p>
            <div class="toolbar" role="group" aria-label="Server data">
                <label class="field">
                    <span>"Demo users"</span>
                    <input type="number" min="1" max="50000" prop:value=move || seed_count.get() on:input=move |ev| seed_count.set(event_target_value(&ev))/>
                </label>
                <button class="button button--ghost" type="button" on:click=seed>"Add demo data"</button>
                <button class="button button--ghost" type="button" on:click=export>"Export"</button>
                <label class="button button--ghost file-button">
                    "Import…"
                    <input type="file" accept="application/json,.json" class="visually-hidden" on:change=import/>
                </label>
                <button class="button button--ghost" type="button" on:click=reset>"Reset"</button>
            </div>
            <p class="notice" role="status" aria-live="polite">{move || notice.get()}</p>
            <div class="toolbar">
                <div class="tabs" role="tablist" aria-label="Resource type">
                    {[Kind::Users, Kind::Groups].into_iter().map(|k| view! {
                        <button type="button" role="tab" class="tab" aria-selected=move || (kind.get() == k).to_string()
                            on:click=move |_| { kind.set(k); start.set(1); selected.set(None); }>
                            {k.endpoint()}
                        </button>
                    }).collect_view()}
                </div>
                <button class="button button--ghost" type="button" on:click=new_resource>
                    {move || match kind.get() { Kind::Users => "New user", Kind::Groups => "New group" }}
                </button>
                <label class="field field--grow">
                    <span>{move || format!("Search {} (contains)", kind.get().key())}</span>
                    <input type="search" on:input=move |ev| { search.set(event_target_value(&ev)); start.set(1); }/>
                </label>
            </div>
            <div class="traffic">
                <div>
                    {move || match listing.get() {
                        None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                        Some(Err(e)) => view! { <p class="banner banner--error" role="alert">{format!("Could not list: {e}")}</p> }.into_any(),
                        Some(Ok(list)) if list.rows.is_empty() => view! {
                            <div class="empty-state">
                                <p class="empty-state__title">{format!("No {}", kind.get().endpoint().to_lowercase())}</p>
                                <p>"Add demo data, send a request from the Console, or provision from Okta."</p>
                            </div>
                        }.into_any(),
                        Some(Ok(list)) => {
                            let total = list.total;
                            // Named, because a bare `>` inside the view macro would end the tag.
                            let at_start = move || start.get() <= 1;
                            let at_end = move || start.get() + PAGE > total;
                            view! {
                                <div class="traffic__list" tabindex="0" role="region" aria-label="Resources in the app">
                                    <table class="table" data-testid="app-data-rows">
                                        <caption class="visually-hidden">{format!("{} in the app", kind.get().endpoint())}</caption>
                                        <thead><tr><th scope="col">{kind.get().key()}</th><th scope="col">"Active"</th><th scope="col">"id"</th></tr></thead>
                                        <tbody>
                                            {list.rows.into_iter().map(|row| {
                                                let key = row.get(kind.get_untracked().key()).and_then(Value::as_str).unwrap_or_default().to_string();
                                                let active = match row.get("active").and_then(Value::as_bool) { Some(true) => "yes", Some(false) => "no", None => "" };
                                                let id = row.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
                                                let chosen = row.clone();
                                                let is_selected = { let id = id.clone(); move || selected.with(|s| s.as_ref().and_then(|v| v.get("id")).and_then(Value::as_str) == Some(id.as_str())) };
                                                view! {
                                                    <tr class="table__row" class:table__row--selected=is_selected tabindex="0"
                                                        on:click={ let c = chosen.clone(); move |_| select(c.clone()) }
                                                        on:keydown=move |ev| if ev.key() == "Enter" { select(chosen.clone()) }>
                                                        <td>{key}</td><td>{active}</td><td><code>{id}</code></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <div class="pager">
                                    <button class="button button--ghost" type="button" disabled=at_start
                                        on:click=move |_| start.update(|s| *s = s.saturating_sub(PAGE).max(1))>"Previous"</button>
                                    <span>{move || format!("{}–{} of {total}", start.get(), (start.get() + PAGE - 1).min(total))}</span>
                                    <button class="button button--ghost" type="button" disabled=at_end
                                        on:click=move |_| start.update(|s| *s += PAGE)>"Next"</button>
                                </div>
                            }.into_any()
                        }
                    }}
                </div>
                <div>
                    {move || match selected.get() {
                        None => view! { <p class="muted">"Select a resource to see and edit its JSON."</p> }.into_any(),
                        Some(resource) => {
                            let active = resource.get("active").and_then(Value::as_bool);
                            view! {
                                <div class="toolbar">
                                    <button class="button" type="button" on:click=save>{if creating() { "Create (POST)" } else { "Save (PUT)" }}</button>
                                    {(active == Some(true)).then(|| view! { <button class="button button--ghost" type="button" on:click=move |_| set_active(false)>"Deactivate in the app"</button> })}
                                    {(active == Some(false)).then(|| view! { <button class="button button--ghost" type="button" on:click=move |_| set_active(true)>"Reactivate in the app"</button> })}
                                    {(!creating()).then(|| view! {
                                        <button class="button button--ghost" type="button" on:click=move |_| {
                                            if window().confirm_with_message("Delete this resource from the app?").unwrap_or(false) {
                                                write("DELETE", None, "Deleted.");
                                            }
                                        }>"Delete"</button>
                                    })}
                                </div>
                                <label class="field">
                                    <span>"Resource JSON"</span>
                                    <textarea rows="24" class="code-input" prop:value=move || editor.get() on:input=move |ev| editor.set(event_target_value(&ev))></textarea>
                                </label>
                            }.into_any()
                        }
                    }}
                </div>
            </div>
            <backup::BackupCard/>
        </section>
    }
}
