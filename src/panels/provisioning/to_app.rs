//! To App: what Okta sends the app — Create Users, Update User Attributes, Deactivate Users,
//! Exclude Username Updates and Sync Password (docs/okta-model.md §2).

use idp::settings::{PasswordSeed, ToAppSettings};
use leptos::prelude::*;

use super::{EditBar, Toggle};
use crate::okta::use_org;

#[component]
pub fn ToApp() -> impl IntoView {
    let host = use_org();
    let saved = move || host.with_untracked(|org| org.app.settings.to_app.clone());
    let editing = RwSignal::new(false);
    let create = RwSignal::new(false);
    let update = RwSignal::new(false);
    let deactivate = RwSignal::new(false);
    let exclude = RwSignal::new(false);
    let sync = RwSignal::new(false);
    let okta_seed = RwSignal::new(false);
    let load = move || {
        let s = saved();
        create.set(s.create_users);
        update.set(s.update_attributes);
        deactivate.set(s.deactivate_users);
        exclude.set(s.exclude_username_updates);
        sync.set(s.sync_password);
        okta_seed.set(s.password_seed == PasswordSeed::Okta);
    };
    load();
    let save = move |()| {
        let settings = ToAppSettings {
            create_users: create.get_untracked(),
            update_attributes: update.get_untracked(),
            deactivate_users: deactivate.get_untracked(),
            sync_password: sync.get_untracked(),
            password_seed: if okta_seed.get_untracked() {
                PasswordSeed::Okta
            } else {
                PasswordSeed::Random
            },
            exclude_username_updates: exclude.get_untracked(),
        };
        host.edit("Saving To App", move |org| {
            org.app.settings.to_app = settings;
            Ok("To App settings saved.".into())
        });
        editing.set(false);
    };
    let on = Signal::derive(move || editing.get());
    let disabled = move || host.with(|org| !org.app.settings.enabled);
    view! {
        {move || disabled().then(|| view! {
            <p class="banner banner--warn">"API integration is not enabled, so Okta sends nothing whatever these say. Enable it on the API Integration tab."</p>
        })}
        <form class="card" aria-label="Provisioning to App" on:submit=|ev| ev.prevent_default()>
            <EditBar editing=editing section="To App" on_save=save on_cancel=move |()| load()/>
            <h2 class="section-title">"Provisioning to App"</h2>
            <Toggle name="createUsers" label="Create Users" checked=create enabled=on
                help=" — assigning the app creates (or links, if the userName exists) an account in the app; Okta sends a password with it."/>
            <Toggle name="updateAttributes" label="Update User Attributes" checked=update enabled=on
                help=" — profile changes in Okta are pushed; the app's own changes to mapped attributes are overwritten."/>
            <Toggle name="deactivateUsers" label="Deactivate Users" checked=deactivate enabled=on
                help=" — unassigning or deactivating a person deactivates their app account (active: false); reassigning reactivates it."/>
            <Toggle name="excludeUsernameUpdates" label="Exclude Username Updates" checked=exclude enabled=on
                help=" — a changed username is never sent after the account was created."/>
            <Toggle name="syncPassword" label="Sync Password" checked=sync enabled=on
                help=" — the password sent on create is the person's Okta password or a random one Okta generates (below)."/>
            <fieldset class="settings-section" disabled=move || !editing.get() || !sync.get()>
                <legend>"Password to sync"</legend>
                <label class="check"><input type="radio" name="passwordSeed" prop:checked=move || okta_seed.get() on:change=move |_| okta_seed.set(true)/>
                    <span>"Sync Okta password"<small class="muted">" — the person's Okta password, also pushed when it changes."</small></span></label>
                <label class="check"><input type="radio" name="passwordSeed" prop:checked=move || !okta_seed.get() on:change=move |_| okta_seed.set(false)/>
                    <span>"Generate a random password"<small class="muted">" — a unique password the person never sees."</small></span></label>
            </fieldset>
        </form>
    }
}
