//! Share: a link that carries the current configuration (idp::share::SharedConfig — settings,
//! mappings, Profile Editor attributes, matching, sourcing, safeguards, hook rules, the client
//! profile; never people or secrets) in the URL fragment, and the same as a JSON file.
//!
//! Opening such a link lands here: the link is decoded defensively, and either shown as a
//! readable diff against the current settings with Apply / Discard, or as an error. Nothing
//! changes until the admin presses Apply.

use idp::share::{self, Difference, ShareError, SharedConfig};
use leptos::prelude::*;

use crate::components::org_ready::OrgReady;
use crate::components::worker_badge::WorkerBanner;
use crate::okta::{use_org, Notice};

/// The fragment key a share link carries its configuration in: `/share#config=…`.
const FRAGMENT_KEY: &str = "config=";

/// What arrived with the page, if anything.
#[derive(Debug, Clone, PartialEq)]
enum Incoming {
    None,
    Valid(Box<SharedConfig>),
    Invalid(String),
}

fn read_fragment() -> Incoming {
    let hash = window().location().hash().unwrap_or_default();
    match hash.trim_start_matches('#').strip_prefix(FRAGMENT_KEY) {
        None => Incoming::None,
        Some(text) => accept(share::decode(text)),
    }
}

/// A decoded configuration, held to this page's own rule too: its inline hook may not point at
/// the playground's origin, where an import's POST would reach the playground's own endpoints.
fn accept(decoded: Result<SharedConfig, ShareError>) -> Incoming {
    let origin = window().location().origin().unwrap_or_default();
    match decoded
        .and_then(|config| share::check_hook_destination(&config, &origin).map(|()| config))
    {
        Ok(config) => Incoming::Valid(Box::new(config)),
        Err(e) => Incoming::Invalid(e.to_string()),
    }
}

/// Removes the fragment from the address bar, so a reload does not offer the link again.
fn clear_fragment() {
    if let Ok(history) = window().history() {
        let path = window().location().pathname().unwrap_or_default();
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

#[component]
pub fn SharePanel() -> impl IntoView {
    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="share">
            <h1 id="panel-title" class="panel__title">"Share"</h1>
            <p class="panel__purpose">"A link that carries your configuration — settings, mappings, attributes, matching, sourcing — and never people or secrets."</p>
            <OrgReady><ShareBody/></OrgReady>
        </section>
    }
}

#[component]
fn ShareBody() -> impl IntoView {
    let host = use_org();
    let incoming = RwSignal::new(read_fragment());
    let copied = RwSignal::new(false);
    let current = Memo::new(move |_| host.with(SharedConfig::from_org));
    let link = Memo::new(move |_| {
        crate::base::absolute(&format!(
            "/share#{FRAGMENT_KEY}{}",
            share::encode(&current.get())
        ))
    });
    let copy = move |_| {
        let text = link.get_untracked();
        let clipboard = window().navigator().clipboard();
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await;
            copied.set(done.is_ok());
            if done.is_err() {
                host.notice.set(Some(Notice {
                    ok: false,
                    text: "The browser refused the clipboard; select the link and copy it.".into(),
                }));
            }
        });
    };
    let apply = move |_| {
        if let Incoming::Valid(config) = incoming.get_untracked() {
            host.edit("Applying the shared configuration", move |org| {
                config.apply_to(org);
                Ok("The shared configuration was applied.".into())
            });
        }
        incoming.set(Incoming::None);
        clear_fragment();
    };
    let discard = move |_| {
        incoming.set(Incoming::None);
        clear_fragment();
    };
    let export = move |_| {
        let json = serde_json::to_string_pretty(&current.get_untracked()).unwrap_or_default();
        if crate::download("scim-playground-config.json", &json, "application/json").is_err() {
            host.notice.set(Some(Notice {
                ok: false,
                text: "The browser refused the download.".into(),
            }));
        }
    };
    let import = move |ev: leptos::ev::Event| {
        leptos::task::spawn_local(async move {
            let Some(text) = crate::chosen_file_text(&ev).await else {
                return;
            };
            incoming.set(accept(share::decode_json(text.as_bytes())));
        });
    };

    view! {
        {move || match incoming.get() {
            Incoming::None => ().into_any(),
            Incoming::Invalid(reason) => view! {
                <div class="banner banner--error" role="alert" data-testid="share-error">
                    <p><strong>"This configuration cannot be used: "</strong>{reason}</p>
                    <p>"Nothing was changed."</p>
                    <button class="button button--ghost" type="button" on:click=discard>"Dismiss"</button>
                </div>
            }.into_any(),
            Incoming::Valid(config) => {
                let changes = share::diff(&current.get_untracked(), &config);
                let hook = host.with_untracked(|org| share::hook_destination(org, &config));
                let method_changes = current.get_untracked().auth_method != config.auth_method;
                view! {
                    <div class="card" role="region" aria-label="Incoming configuration" data-testid="share-incoming">
                        <h2 class="section-title">"A shared configuration"</h2>
                        {if changes.is_empty() {
                            view! { <p>"It is the same as yours: applying it changes nothing."</p> }.into_any()
                        } else {
                            view! {
                                <p>{format!("Applying it changes {} setting(s). People, groups and the app's data stay as they are.", changes.len())}</p>
                                <p data-testid="share-credentials">{if method_changes {
                                    "The API Integration's credentials are cleared, since the link changes how it authenticates: enter new ones in Provisioning."
                                } else {
                                    "The API Integration keeps its credentials (the link carries only the method)."
                                }}</p>
                                <HookWarning hook=hook/>
                                <Diff changes=changes/>
                            }.into_any()
                        }}
                        <div class="toolbar">
                            <button class="button" type="button" on:click=apply>"Apply this configuration"</button>
                            <button class="button button--ghost" type="button" on:click=discard>"Discard"</button>
                        </div>
                    </div>
                }.into_any()
            }
        }}
        <div class="card">
            <h2 class="section-title">"Your configuration as a link"</h2>
            <label class="field field--grow">
                <span>"Share link"</span>
                <input readonly class="code-input" data-testid="share-link" prop:value=move || link.get()/>
            </label>
            <p class="muted" data-testid="share-length">{move || format!("{} characters", link.with(String::len))}</p>
            <div class="toolbar">
                <button class="button" type="button" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy link" }}</button>
                <button class="button button--ghost" type="button" on:click=export>"Export as JSON"</button>
                <label class="button button--ghost file-button">
                    "Import JSON…"
                    <input type="file" accept="application/json,.json" class="visually-hidden" on:change=import/>
                </label>
            </div>
        </div>
    }
}

/// Where imports would send people's profiles after applying, said before anything else in the
/// diff: a link can name any server, and the Inline Hook receives every imported person.
#[component]
fn HookWarning(hook: Option<share::HookDestination>) -> impl IntoView {
    hook.map(|hook| {
        view! {
            <div class="banner banner--warn" role="alert" data-testid="share-hook">
                <p><strong>"Imports will send people's profiles to "<code>{hook.url.clone()}</code>"."</strong>
                    " This link sets the import inline hook: after applying, every import POSTs the people it reads to that server."</p>
                {hook.credential_dropped.then(|| view! {
                    <p data-testid="share-hook-credential">"Your hook's credential is not sent there: it is removed, because the link moves the hook to another server. Enter one in Provisioning → To Okta if that server needs it."</p>
                })}
            </div>
        }
    })
}

#[component]
fn Diff(changes: Vec<Difference>) -> impl IntoView {
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    view! {
        <div class="traffic__list" tabindex="0" role="region" aria-label="Changes">
            <table class="table" data-testid="share-diff">
                <thead><tr><th scope="col">"Setting"</th><th scope="col">"Now"</th><th scope="col">"From the link"</th></tr></thead>
                <tbody>
                    {changes.into_iter().map(|d| view! {
                        <tr data-path=d.path.clone()>
                            <td title=d.path.clone()>{idp::share::setting_label(&d.path)}</td>
                            <td><code>{shown(&d.current)}</code></td>
                            <td><code>{shown(&d.incoming)}</code></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
