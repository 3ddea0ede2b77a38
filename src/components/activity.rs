//! The activity line above every panel: what the Okta simulator is doing now (with a progress
//! bar for long jobs), or how the last thing it did ended. It is a live region, so a screen
//! reader hears "Assigned jane@example.com" without moving focus. A message belongs to the
//! panel it was said on: moving to another panel clears it.

use leptos::prelude::*;

use crate::okta::{use_status, Loaded};

#[component]
pub fn Activity() -> impl IntoView {
    let host = use_status();
    let dismiss = move |_| host.notice.set(None);
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            host.notice.set(None);
        }
        path
    });
    let body = move || {
        if let Loaded::Failed(reason) = host.loaded.get() {
            return view! {
                <p class="activity__text activity__text--error">
                    "The Okta org could not be opened: " {reason}
                </p>
            }
            .into_any();
        }
        if let Some(wait) = host.backoff.get() {
            let cancel = move |_| {
                host.backoff
                    .update(|b| b.iter_mut().for_each(|b| b.cancelled = true))
            };
            return view! {
                <p class="activity__text activity__text--wait" data-testid="backoff">
                    <span class="status status--busy">{format!("Rate limited: trying again in {} s", wait.remaining_s)}</span>
                    <span class="muted">{format!("({}).", wait.why)}</span>
                    <button class="button button--ghost" type="button" on:click=cancel>"Cancel the retry"</button>
                </p>
            }
            .into_any();
        }
        if let Some(label) = host.busy.get() {
            let progress = host.progress.get();
            return view! {
                <p class="activity__text">
                    <span class="status status--busy">{label} "…"</span>
                    // A job that has not counted its work yet shows no "0 / 0".
                    {progress
                        .filter(|(_, total)| *total > 0)
                        .map(|(done, total)| {
                            view! {
                                <progress
                                    class="activity__progress"
                                    max=total.max(1)
                                    value=done
                                    aria-label=format!("{label}: {done} of {total}")
                                ></progress>
                                <span class="muted">{format!("{done} / {total}")}</span>
                            }
                        })}
                </p>
            }
            .into_any();
        }
        match host.notice.get() {
            Some(notice) => {
                let class = if notice.ok {
                    "activity__text activity__text--ok"
                } else {
                    "activity__text activity__text--error"
                };
                view! {
                    <p class=class>
                        <span>{notice.text}</span>
                        <button class="link-button" on:click=dismiss aria-label="Dismiss the message">
                            "×"
                        </button>
                    </p>
                }
                .into_any()
            }
            None => ().into_any(),
        }
    };
    view! {
        <div class="activity" role="status" aria-live="polite" data-testid="activity">
            {body}
        </div>
    }
}
