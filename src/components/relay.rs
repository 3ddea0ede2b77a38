//! "Send through the local relay", beside a form's external base URL (API Integration, Tests):
//! the choice, what the relay at its address says (running and where it forwards, refusing this
//! page, or not there), and the exact command that starts the right one.

use leptos::prelude::*;

use crate::relay::{self, Choice, Probe};

#[component]
pub fn RelayOption(
    /// The base URL typed in the form: the relay must forward there.
    #[prop(into)]
    base_url: Signal<String>,
) -> impl IntoView {
    let choice = RwSignal::new(relay::load());
    let found = RwSignal::new(None::<Probe>);
    let check = move || {
        let address = choice.get_untracked().address;
        found.set(None);
        leptos::task::spawn_local(async move { found.set(Some(relay::probe(&address).await)) });
    };
    if choice.get_untracked().enabled {
        check();
    }
    let change = move |edit: &dyn Fn(&mut Choice)| {
        choice.update(|c| edit(c));
        relay::save(&choice.get_untracked());
        if choice.get_untracked().enabled {
            check();
        }
    };
    let command = move || relay::command(&base_url.get(), &choice.get().address);
    let status = move || {
        let address = choice.get().address;
        let base = base_url.get();
        let base = base.trim().trim_end_matches('/');
        match found.get() {
            None => view! { <p class="muted">{format!("Looking for the relay at {address}…")}</p> }.into_any(),
            Some(Probe::Running(health)) if base.is_empty() || idp::relay::under(base, &health.target).is_some() => view! {
                <p data-state="running">
                    <span class="status status--ok">"Relay running"</span>
                    {format!(" {address} forwards to {}: requests for it go through the relay, with Okta's own headers.", health.target)}
                </p>
            }.into_any(),
            Some(Probe::Running(health)) => view! {
                <p data-state="elsewhere">
                    <span class="status status--error">"Another target"</span>
                    {format!(" The relay at {address} forwards to {}, not to {base}, so these requests would not go through it. Stop it (Ctrl-C) and start: ", health.target)}
                    <code>{command()}</code>
                </p>
            }.into_any(),
            Some(Probe::Refuses) => view! {
                <p data-state="refuses">
                    <span class="status status--error">"Not allowed"</span>
                    {format!(" Something answers at {address} but does not let this page in: a relay allows only the pages it was started for. Start it with this page's origin: ")}
                    <code>{command()}</code>
                </p>
            }.into_any(),
            Some(Probe::Silent) => view! {
                <p data-state="silent">
                    <span class="status status--error">"Not running"</span>
                    {format!(" No relay answers at {address}. In a terminal, in the repository, run ")}
                    <code>{command()}</code>
                    " and check again."
                </p>
            }.into_any(),
        }
    };
    view! {
        <div class="relay-option" data-testid="relay-option">
            <label class="check">
                <input type="checkbox" name="viaRelay" prop:checked=move || choice.get().enabled
                    on:change=move |ev| { let on = event_target_checked(&ev); change(&|c| c.enabled = on) }/>
                <span>"Send through the local relay"
                    <small class="muted">" — for a server that does not allow this page's origin (CORS), such as one on your own machine: the relay, run in a terminal, answers CORS for this page and forwards to the server unchanged."</small></span>
            </label>
            <Show when=move || choice.get().enabled>
                <div class="relay-option__state" role="status" aria-live="polite" data-testid="relay-status">{status}</div>
                <div class="toolbar">
                    <label class="field"><span>"Relay address"</span>
                        <input name="relayAddress" type="url" prop:value=move || choice.get().address
                            on:change=move |ev| { let address = event_target_value(&ev); change(&|c| c.address = address.trim().trim_end_matches('/').to_string()) }/></label>
                    <button class="button button--ghost" type="button" on:click=move |_| check()>"Check again"</button>
                </div>
            </Show>
        </div>
    }
}
