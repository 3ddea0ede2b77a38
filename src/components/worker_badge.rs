//! The worker's status: a badge in the header and, when something is wrong, a banner that says
//! what and offers to try again.

use leptos::prelude::*;

use crate::worker::{self, WorkerState};

/// A small pill showing whether the SCIM server's worker controls the page.
#[component]
pub fn WorkerBadge() -> impl IntoView {
    let state = expect_context::<RwSignal<WorkerState>>();
    let label = move || match state.get() {
        WorkerState::Starting => ("status status--busy", "Server starting…"),
        WorkerState::Recovering(_) => ("status status--busy", "Server recovering…"),
        WorkerState::Ready { .. } => ("status status--ok", "SCIM server ready"),
        WorkerState::Failed(_) => ("status status--error", "SCIM server unavailable"),
        WorkerState::Unsupported => ("status status--error", "No service workers here"),
    };
    view! {
        <span class=move || label().0 role="status" aria-live="polite" data-testid="worker-status">
            {move || label().1}
        </span>
    }
}

/// Shown above every panel while the worker is not ready, with the reason and a retry button.
#[component]
pub fn WorkerBanner() -> impl IntoView {
    let state = expect_context::<RwSignal<WorkerState>>();
    move || {
        match state.get() {
        WorkerState::Recovering(reason) => Some(view! {
            <div class="banner banner--warn" role="alert">
                <strong>"The SCIM server did not start; registering it again. "</strong>
                <span>{reason}</span>
            </div>
        }.into_any()),
        WorkerState::Failed(reason) => Some(view! {
            <div class="banner banner--error" role="alert">
                <strong>"The SCIM server is not available. "</strong>
                <span>{reason}</span>
                " "
                <button class="button" type="button" on:click=move |_| worker::start(state)>
                    "Try again"
                </button>
            </div>
        }.into_any()),
        WorkerState::Unsupported => Some(view! {
            <div class="banner banner--error" role="alert">
                <strong>"This page cannot run the SCIM server. "</strong>
                "Service workers need a secure context: open the playground on http://127.0.0.1 or https."
            </div>
        }.into_any()),
        WorkerState::Starting | WorkerState::Ready { .. } => None,
    }
    }
}
