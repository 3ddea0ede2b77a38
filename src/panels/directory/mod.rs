//! Directory: the Okta org's people and groups. Create and edit people, move them through
//! Okta's lifecycle, assign the app to them directly or through a group, push groups, and
//! generate many people at once. Every change that Okta would provision goes to the SCIM
//! server through the simulator (`crate::okta`), so its requests show up in Traffic.

mod group_values;
mod groups;
mod people;

use leptos::prelude::*;

use crate::components::org_ready::OrgReady;
use crate::components::worker_badge::WorkerBanner;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    People,
    Groups,
}

#[component]
pub fn DirectoryPanel() -> impl IntoView {
    let tab = RwSignal::new(Tab::People);
    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="directory">
            <h1 id="panel-title" class="panel__title">"Directory"</h1>
            <p class="panel__purpose">"Okta's people and groups. Assign the app to someone and Okta provisions them to the SCIM server."</p>
            <div class="tabs" role="tablist" aria-label="Directory">
                {[(Tab::People, "People"), (Tab::Groups, "Groups")].into_iter().map(|(t, label)| view! {
                    <button type="button" role="tab" class="tab" id=format!("dir-tab-{}", label.to_lowercase())
                        aria-selected=move || (tab.get() == t).to_string() on:click=move |_| tab.set(t)>
                        {label}
                    </button>
                }).collect_view()}
            </div>
            <OrgReady>
                {move || match tab.get() {
                    Tab::People => view! { <people::People/> }.into_any(),
                    Tab::Groups => view! { <groups::Groups/> }.into_any(),
                }}
            </OrgReady>
        </section>
    }
}

/// How a user's assignment to the app reads in the lists.
pub fn assignment_text(org: &idp::org::Org, user_id: &str) -> String {
    use idp::directory::SyncState;
    match org.directory.app_user(&org.app.id, user_id) {
        Some(app_user) if app_user.is_assigned() => {
            let route = match (app_user.direct, app_user.via_groups.len()) {
                (true, 0) => "Assigned".to_string(),
                (true, _) => "Assigned (and via group)".to_string(),
                (false, _) => "Assigned via group".to_string(),
            };
            match &app_user.sync {
                // The account exists but is inactive in the app (deactivated there, or by Okta).
                SyncState::Synced if !app_user.active => format!("{route} · app account inactive"),
                SyncState::Synced => format!("{route} · synced"),
                SyncState::Pending => format!("{route} · not sent"),
                SyncState::Error { reason } => format!("{route} · error: {reason}"),
            }
        }
        Some(_) => "Unassigned (app account known)".to_string(),
        None => "Not assigned".to_string(),
    }
}
