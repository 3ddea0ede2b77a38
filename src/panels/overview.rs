//! The landing page: what the playground is, the two ways in (teaching a lesson, testing one's
//! own SCIM server), a live look at the server in this tab, and every panel with one sentence on
//! what it is for.

use leptos::prelude::*;

use crate::components::worker_badge::WorkerBanner;
use crate::worker::WorkerState;

/// The overview: the SCIM base URL of this tab and the worker's state.
#[component]
pub fn Overview() -> impl IntoView {
    let state = expect_context::<RwSignal<WorkerState>>();
    let base_url = crate::okta::builtin_base_url();
    // Whether the browser keeps this app's data: a teacher's prepared org lives only here.
    let kept = RwSignal::new(None::<crate::storage::State>);
    leptos::task::spawn_local(async move { kept.set(Some(crate::storage::state().await)) });
    view! {
        <WorkerBanner/>
        <section class="panel" aria-labelledby="panel-title">
            <h1 id="panel-title" class="panel__title">"SCIM Playground"</h1>
            <p class="panel__purpose">
                "A SCIM 2.0 server and an Okta-like identity provider, both running in this browser tab. "
                "Nothing leaves your browser."
            </p>
            <div class="paths" data-testid="paths">
                <section class="card path" aria-labelledby="path-teach">
                    <h2 id="path-teach" class="section-title">"Teach a lesson"</h2>
                    <p>"Seven guided lessons: assign a person in Okta and watch each request it sends arrive — first push, PUT vs PATCH, deprovisioning, imports, safeguards, Okta vs Entra ID, paging."</p>
                    <p class="toolbar">
                        <a class="button" href=crate::base::join("/scenarios?s=first-push")>"Start the first lesson"</a>
                        <a class="button button--ghost" href=crate::base::join("/scenarios")>"All lessons"</a>
                    </p>
                </section>
                <section class="card path" aria-labelledby="path-test">
                    <h2 id="path-test" class="section-title">"Test my SCIM server"</h2>
                    <p>"Point Okta's simulator at your server's base URL and run Okta's own SPEC test against it, step by step, with every request and response shown."</p>
                    <p class="toolbar">
                        <a class="button" href=crate::base::join("/tests?target=external")>"Run Okta's SPEC test"</a>
                        <a class="button button--ghost" href=crate::base::join("/provisioning?tab=api")>"Set up API Integration"</a>
                    </p>
                </section>
            </div>
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
                <div class="facts__row">
                    <dt>"Your data"</dt>
                    <dd data-testid="overview-storage">
                        {move || kept.get().map(|state| crate::storage::describe(&state))}
                        " " <a href=crate::base::join("/app-data")>"Back up everything (App data)"</a>
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
