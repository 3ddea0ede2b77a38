//! "What if" beside the sourcing diagram: pick a person and an event, and the simulator plays it
//! on a copy of the org (`idp::what_if`) under the sourcing settings as the form shows them,
//! saved or not. The diagram lights the path it takes; the card shows what happens, the
//! requests Okta would send and the System Log events, and nothing changes anywhere.

use idp::clock::SimClock;
use idp::import::ImportConfig;
use idp::transport::block_on;
use idp::what_if::{status_label, what_if, WhatIfEvent};
use leptos::prelude::*;

use crate::components::requests::RequestList;
use crate::okta::use_org;

/// The card; `lit` receives the path to light in the sourcing diagram.
#[component]
pub fn WhatIf(draft: RwSignal<ImportConfig>, lit: RwSignal<Vec<&'static str>>) -> impl IntoView {
    let host = use_org();
    // The first person with a linked app account, whom every event applies to; else the first.
    let first_linked = host.with_untracked(|org| {
        org.directory
            .app_users(&org.app.id)
            .find(|a| a.is_assigned() && a.external_id.is_some())
            .map(|a| a.user_id.clone())
            .or_else(|| org.directory.users().next().map(|u| u.id.clone()))
            .unwrap_or_default()
    });
    let person = RwSignal::new(first_linked);
    let event = RwSignal::new(WhatIfEvent::DeactivatedInApp);
    let people = move || {
        host.with(|org| {
            org.directory
                .users()
                .take(300)
                .map(|u| {
                    (
                        u.id.clone(),
                        format!("{} — {}", u.login(), u.status.as_str()),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    // The dry run's futures are all ready at once (its transport answers in place and the
    // simulated clock never waits), so it runs in place, and again whenever its inputs change.
    let outcome = Memo::new(move |_| {
        let (person, event) = (person.get(), event.get());
        if person.is_empty() {
            return None;
        }
        let sourcing = draft.with(|d| d.sourcing.clone());
        Some(host.with(|org| {
            let clock = SimClock::new(js_sys::Date::now() as i64);
            block_on(what_if(org, &sourcing, &person, event, &clock)).map_err(|e| e.to_string())
        }))
    });
    Effect::new(move |_| {
        let path = outcome.with(|o| {
            o.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|w| w.transition)
                .map(|t| {
                    let (from, to) = idp::diagram::sourcing::node_ids(t);
                    vec![from, to]
                })
                .unwrap_or_default()
        });
        lit.set(path);
    });

    view! {
        <section class="card what-if" aria-labelledby="what-if-title" data-testid="what-if">
            <h2 id="what-if-title" class="section-title">"What if…"</h2>
            <p class="muted">"Play an event for one person: the simulator runs it on a copy of the org with the settings above (saved or not), lights its path in the diagram, and lists the requests Okta would send and the System Log events. Nothing is sent and nothing changes. An app-side change is what the next import finds, assuming the app's account otherwise holds what Okta last knew."</p>
            <div class="toolbar">
                <label class="field"><span>"Person"</span>
                    <select name="whatIfPerson" prop:value=move || person.get() on:change=move |ev| person.set(event_target_value(&ev))>
                        <option value="">"Choose a person"</option>
                        {move || people().into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Event"</span>
                    <select name="whatIfEvent" prop:value=move || event.get().slug()
                        on:change=move |ev| if let Some(e) = WhatIfEvent::from_slug(&event_target_value(&ev)) { event.set(e); }>
                        {WhatIfEvent::ALL.into_iter().map(|e| view! { <option value=e.slug()>{e.label()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <div aria-live="polite">
                {move || outcome.get().map(|result| match result {
                    Err(e) => view! { <p class="field-error" data-testid="what-if-summary">{format!("Cannot play it: {e}.")}</p> }.into_any(),
                    Ok(w) => {
                        let (before, after) = w.status;
                        let status = if before == after {
                            format!("Okta status: {} (unchanged)", status_label(before))
                        } else {
                            format!("Okta status: {} → {}", status_label(before), status_label(after))
                        };
                        let requests = w.requests.len();
                        let events = w.events.clone();
                        view! {
                            <p data-testid="what-if-summary"><strong>{w.summary.clone()}</strong></p>
                            <p class="muted" data-testid="what-if-status">{status}</p>
                            <h3 class="section-title">{format!("Requests Okta would send ({requests})")}</h3>
                            {if requests == 0 {
                                view! { <p class="muted">"None."</p> }.into_any()
                            } else {
                                view! { <RequestList requests=w.requests.clone() testid="what-if-request"/> }.into_any()
                            }}
                            <h3 class="section-title">{format!("System Log events ({})", events.len())}</h3>
                            <ul class="what-if__events">
                                {events.into_iter().map(|e| view! {
                                    <li data-testid="what-if-event"><code>{e.event_type.clone()}</code>" "
                                        {if e.outcome == idp::syslog::Outcome::Success { "SUCCESS" } else { "FAILURE" }}
                                        {e.reason.map(|r| format!(" — {r}"))}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </div>
        </section>
    }
}
