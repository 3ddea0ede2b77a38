//! The push preview: for the person chosen for the previews, the requests Okta would send the
//! app now (`idp::preview`), bodies exact — an update's `PUT` carries the account the app
//! returns, so the preview reads it from the app (a `GET`, tagged `okta preview` in Traffic) —
//! and the password masked. Nothing is written to the app.

use gloo_storage::{LocalStorage, Storage};
use idp::preview::{push_preview, PushPreview};
use leptos::prelude::*;

use crate::components::requests::RequestList;
use crate::okta::{secure_entropy, use_org, BrowserClock, PreviewReads};

/// Whether the preview was last left open, remembered across visits (each preview reads from
/// the app, so it waits to be asked for once).
const SHOWN_KEY: &str = "scim-playground.push-preview-shown";

#[component]
pub fn PushPreviewCard(person: RwSignal<String>) -> impl IntoView {
    let host = use_org();
    let shown =
        RwSignal::new(LocalStorage::get::<bool>(crate::base::scoped(SHOWN_KEY)).unwrap_or(false));
    let preview = RwSignal::new(None::<Result<PushPreview, String>>);
    // Which computation's answer may land: a slower, older one never replaces a newer one.
    let generation = StoredValue::new(0u64);
    // Only a change to the mappings (or the app's profile or settings) asks the app again; the
    // org changes often (every job), and each preview is a real read.
    let app = Memo::new(move |_| host.with(|org| org.app.clone()));
    Effect::new(move |_| {
        let person = person.get();
        app.with(|_| ());
        if !shown.get() || person.is_empty() {
            return;
        }
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let mut org = host.with_untracked(Clone::clone);
        // A create's password is generated (and masked in the preview) as for a real one.
        org.entropy = secure_entropy();
        leptos::task::spawn_local(async move {
            let result = push_preview(&org, &person, &PreviewReads, &BrowserClock::real())
                .await
                .map_err(|e| e.to_string());
            if generation.get_value() == mine {
                preview.set(Some(result));
            }
        });
    });
    let who = move || {
        host.with(|org| {
            org.directory
                .user(&person.get())
                .map(|u| u.login().to_string())
                .unwrap_or_default()
        })
    };

    view! {
        <section class="card" aria-labelledby="push-preview-title" data-testid="push-preview">
            <h2 id="push-preview-title" class="section-title">{move || format!("What a push sends for {}", who())}</h2>
            <p class="muted">"The requests Okta would send the app for this person now, made by the simulator's own code: exact bodies (an update reads the account from the app first, as Okta does — that read shows in Traffic as okta preview), the password masked. Nothing is written to the app."</p>
            <Show when=move || !shown.get()>
                <button class="button" type="button" on:click=move |_| {
                    let _ = LocalStorage::set(crate::base::scoped(SHOWN_KEY), true);
                    shown.set(true);
                }>"Show the push"</button>
            </Show>
            <Show when=move || shown.get()>
                <button class="button button--ghost" type="button" on:click=move |_| {
                    let _ = LocalStorage::set(crate::base::scoped(SHOWN_KEY), false);
                    shown.set(false);
                }>"Hide the push"</button>
            </Show>
            <div aria-live="polite">
                {move || shown.get().then(|| match preview.get() {
                    None => view! { <p class="muted">"Reading from the app…"</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="field-error" data-testid="push-preview-summary">{format!("No preview: {e}.")}</p> }.into_any(),
                    Some(Ok(p)) => view! {
                        <p data-testid="push-preview-summary">{p.summary.clone()}</p>
                        <RequestList requests=p.requests testid="push-preview-request"/>
                    }.into_any(),
                })}
            </div>
        </section>
    }
}
