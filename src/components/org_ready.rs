//! Shows its children once the Okta org is open, and says what is happening until then.

use leptos::prelude::*;

use crate::okta::{use_org, Loaded};

/// The children when the org has loaded; "opening" while it loads; a pointer to the reason
/// (shown by the activity line) when it could not be opened.
#[component]
pub fn OrgReady(children: ChildrenFn) -> impl IntoView {
    let host = use_org();
    move || match host.loaded.get() {
        Loaded::Ready => children().into_any(),
        Loaded::Loading => view! { <p class="muted">"Opening the Okta org…"</p> }.into_any(),
        Loaded::Failed(_) => view! {
            <div class="empty-state">
                <p class="empty-state__title">"The Okta org is not available"</p>
                <p>"The message above says why."</p>
            </div>
        }
        .into_any(),
    }
}
