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
    // On a phone the navigation is a menu: open while choosing, closed once a panel opens.
    let menu = RwSignal::new(false);

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
                        <button class="button button--ghost shell__menu" type="button" aria-controls="panels-nav"
                            aria-expanded=move || menu.get().to_string() on:click=move |_| menu.update(|open| *open = !*open)>
                            "☰ Panels"
                        </button>
                        <WorkerBadge/>
                        <ThemeToggle/>
                    </div>
                </header>
                <MenuCloser menu=menu/>
                <nav id="panels-nav" class="shell__nav" class:shell__nav--open=move || menu.get() aria-label="Panels">
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

/// Closes the phone menu whenever the route changes (a panel was picked).
#[component]
fn MenuCloser(menu: RwSignal<bool>) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            menu.set(false);
        }
        path
    });
}
