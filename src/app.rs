//! The shell: navigation, the worker status, the theme, and one route per panel.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use crate::components::activity::Activity;
use crate::components::worker_badge::WorkerBadge;
use crate::panels::{self, PanelPage};
use crate::theme::ThemeToggle;
use crate::worker::{self, WorkerState};

#[component]
pub fn App() -> impl IntoView {
    let worker_state = RwSignal::new(WorkerState::Starting);
    provide_context(worker_state);
    worker::start(worker_state);
    crate::okta::OrgStatus::provide();

    view! {
        <Router base=crate::base::router()>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <div class="shell">
                <header class="shell__header">
                    <A href=crate::base::join("/") attr:class="shell__brand">
                        <span class="shell__logo" aria-hidden="true">"⟳"</span>
                        <span>"SCIM Playground"</span>
                    </A>
                    <div class="shell__tools">
                        <WorkerBadge/>
                        <ThemeToggle/>
                    </div>
                </header>
                <nav class="shell__nav" aria-label="Panels">
                    {panels::GROUPS
                        .iter()
                        .map(|group| {
                            view! {
                                <div class="nav-group">
                                    <h2 class="nav-group__title">{group.title}</h2>
                                    <ul class="nav-group__list">
                                        {group
                                            .panels
                                            .iter()
                                            .map(|panel| {
                                                view! {
                                                    <li>
                                                        <A href=crate::base::join(panel.slug) attr:class="nav-link">
                                                            {panel.title}
                                                        </A>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </div>
                            }
                        })
                        .collect_view()}
                </nav>
                <main id="main" class="shell__main" tabindex="-1">
                    <Activity/>
                    <Routes fallback=|| view! { <panels::NotFound/> }>
                        <Route path=path!("/") view=panels::overview::Overview/>
                        <Route path=path!("/:panel") view=PanelPage/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
