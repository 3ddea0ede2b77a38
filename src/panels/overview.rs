//! The landing page: what the playground is, a live look at the server in this tab, and every
//! panel with one sentence on what it is for.

use leptos::prelude::*;

use crate::components::worker_badge::WorkerBanner;
use crate::worker::WorkerState;

/// The overview: the SCIM base URL of this tab and the worker's state.
#[component]
pub fn Overview() -> impl IntoView {
    let state = expect_context::<RwSignal<WorkerState>>();
    let base_url = crate::okta::builtin_base_url();
    view! {
        <WorkerBanner/>
        <section class="panel" aria-labelledby="panel-title">
            <h1 id="panel-title" class="panel__title">"SCIM Playground"</h1>
            <p class="panel__purpose">
                "A SCIM 2.0 server and an Okta-like identity provider, both running in this browser tab. "
                "Nothing leaves your browser."
            </p>
            <dl class="facts">
                <div class="facts__row">
                    <dt>"SCIM base URL"</dt>
                    <dd><code data-testid="base-url">{base_url}</code></dd>
                </div>
                <div class="facts__row">
                    <dt>"Server"</dt>
                    <dd>
                        {move || match state.get() {
                            WorkerState::Ready { server } => format!("answering from the service worker ({server})"),
                            WorkerState::Starting => "starting…".to_string(),
                            WorkerState::Recovering(_) => "recovering…".to_string(),
                            WorkerState::Failed(reason) => format!("unavailable: {reason}"),
                            WorkerState::Unsupported => "unavailable in this context".to_string(),
                        }}
                    </dd>
                </div>
            </dl>
            {crate::panels::GROUPS.iter().map(|group| view! {
                <h2 class="section-title">{group.title}</h2>
                <dl class="facts">
                    {group.panels.iter().map(|panel| view! {
                        <div class="facts__row">
                            <dt><a href=crate::base::join(panel.slug)>{panel.title}</a></dt>
                            <dd>{panel.purpose}</dd>
                        </div>
                    }).collect_view()}
                </dl>
            }).collect_view()}
        </section>
    }
}
