//! Provisioning: the app's Provisioning tab as Okta shows it, with its three settings pages —
//! To App, To Okta and API Integration. Each section is read-only until Edit, validated on
//! Save, and Cancel puts back what was saved.

mod api_integration;
mod to_app;
mod to_okta;
mod what_if;

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use crate::components::org_ready::OrgReady;
use crate::components::worker_badge::WorkerBanner;

/// The tab last open, remembered across visits (a UI preference, so gloo-storage).
const TAB_KEY: &str = "scim-playground.provisioning-tab";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    ToApp,
    ToOkta,
    Api,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::ToApp, Tab::ToOkta, Tab::Api];

    fn slug(self) -> &'static str {
        match self {
            Tab::ToApp => "to-app",
            Tab::ToOkta => "to-okta",
            Tab::Api => "api",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::ToApp => "To App",
            Tab::ToOkta => "To Okta",
            Tab::Api => "API Integration",
        }
    }
}

#[component]
pub fn ProvisioningPanel() -> impl IntoView {
    // A link may name the tab (`?tab=api`, from the overview); otherwise the one last open.
    let asked = leptos_router::hooks::use_query_map().with_untracked(|query| query.get("tab"));
    let saved: String = asked
        .unwrap_or_else(|| LocalStorage::get(crate::base::scoped(TAB_KEY)).unwrap_or_default());
    let tab = RwSignal::new(
        Tab::ALL
            .into_iter()
            .find(|t| t.slug() == saved)
            .unwrap_or(Tab::Api),
    );
    let choose = move |t: Tab| {
        tab.set(t);
        let _ = LocalStorage::set(crate::base::scoped(TAB_KEY), t.slug());
    };
    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="provisioning">
            <h1 id="panel-title" class="panel__title">"Provisioning"</h1>
            <p class="panel__purpose">"The app's Provisioning tab: how Okta talks to the SCIM server and what it sends each way."</p>
            <div class="tabs" role="tablist" aria-label="Provisioning settings">
                {Tab::ALL.into_iter().map(|t| view! {
                    <button type="button" role="tab" class="tab" data-tab=t.slug()
                        aria-selected=move || (tab.get() == t).to_string() on:click=move |_| choose(t)>
                        {t.label()}
                    </button>
                }).collect_view()}
            </div>
            <OrgReady>
            {move || match tab.get() {
                    Tab::ToApp => view! { <to_app::ToApp/> }.into_any(),
                    Tab::ToOkta => view! { <to_okta::ToOkta/> }.into_any(),
                    Tab::Api => view! { <api_integration::ApiIntegration/> }.into_any(),
            }}
            </OrgReady>
        </section>
    }
}

/// The Edit / Save / Cancel bar every settings section has, at the top of its form and sticky,
/// so it is in reach however long the form (To Okta's is several screens).
#[component]
pub fn EditBar(
    editing: RwSignal<bool>,
    #[prop(into)] on_save: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
    #[prop(into)] section: String,
) -> impl IntoView {
    let section_edit = format!("Edit {section}");
    let section_save = format!("Save {section}");
    view! {
        <div class="toolbar edit-bar">
            {move || if editing.get() {
                view! {
                    <button class="button" type="button" aria-label=section_save.clone() on:click=move |_| on_save.run(())>"Save"</button>
                    <button class="button button--ghost" type="button" on:click=move |_| { on_cancel.run(()); editing.set(false); }>"Cancel"</button>
                    <span class="muted">"Editing — Save applies every change below."</span>
                }.into_any()
            } else {
                view! {
                    <button class="button" type="button" aria-label=section_edit.clone() on:click=move |_| editing.set(true)>"Edit"</button>
                    <span class="muted">"Read-only until you press Edit."</span>
                }.into_any()
            }}
        </div>
    }
}

/// A checkbox with its label and a one-line explanation, disabled unless editing.
#[component]
pub fn Toggle(
    #[prop(into)] label: String,
    #[prop(into)] help: String,
    checked: RwSignal<bool>,
    #[prop(into)] enabled: Signal<bool>,
    #[prop(optional, into)] name: String,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" name=name prop:checked=move || checked.get() disabled=move || !enabled.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))/>
            <span>{label}<small class="muted">{help}</small></span>
        </label>
    }
}
