//! Mappings: both directions side by side. Okta → app: each app attribute with its expression,
//! "create and update" or "create only", and a live preview for a chosen person; app → Okta:
//! each Okta attribute with its expression over `appuser.*`. Errors are underlined at their
//! span as the expression is typed. Below, the Profile Editor for both sides.

mod editor;
mod push_preview;

use gloo_storage::{LocalStorage, Storage};
use idp::mapping::ApplyOn;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::diagram::DiagramView;
use crate::components::org_ready::OrgReady;
use crate::components::worker_badge::WorkerBanner;
use crate::okta::use_org;
use editor::{ExpressionField, ProfileEditor};

/// The person previews are computed for, remembered across visits.
const PREVIEW_KEY: &str = "scim-playground.mapping-preview-user";

#[component]
pub fn MappingsPanel() -> impl IntoView {
    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="mappings">
            <h1 id="panel-title" class="panel__title">"Mappings"</h1>
            <p class="panel__purpose">"How Okta's profile becomes the app's (To App) and the app's becomes Okta's (To Okta), in Okta's Expression Language."</p>
            <OrgReady><MappingsBody/></OrgReady>
        </section>
    }
}

#[component]
fn MappingsBody() -> impl IntoView {
    let host = use_org();
    let saved: String = LocalStorage::get(crate::base::scoped(PREVIEW_KEY)).unwrap_or_default();
    let first_user = host.with_untracked(|org| {
        org.directory
            .user(&saved)
            .or_else(|| org.directory.users().next())
            .map(|u| u.id.clone())
            .unwrap_or_default()
    });
    let preview_user = RwSignal::new(first_user);
    let people = move || {
        host.with(|org| {
            org.directory
                .users()
                .take(200)
                .map(|u| (u.id.clone(), u.login().to_string()))
                .collect::<Vec<_>>()
        })
    };
    let to_app = move || {
        host.with(|org| {
            org.app
                .profile
                .attributes()
                .iter()
                .map(|a| {
                    let mapping = org.app.mappings.to_app.iter().find(|m| m.target == a.name);
                    (
                        a.name.clone(),
                        a.external_name.clone(),
                        mapping.map(|m| m.expression.clone()).unwrap_or_default(),
                        mapping.map_or(ApplyOn::CreateAndUpdate, |m| m.apply_on),
                        mapping.is_some(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let to_okta = move || {
        host.with(|org| {
            org.app
                .mappings
                .to_okta
                .iter()
                .map(|m| (m.target.clone(), m.expression.clone()))
                .collect::<Vec<_>>()
        })
    };

    // The graph follows the saved mappings and the person chosen for the previews.
    let graph = Memo::new(move |_| {
        let person = preview_user.get();
        host.with(|org| {
            idp::diagram::mappings::diagram(
                &org.app.mappings,
                &org.app.profile,
                &org.okta_profile,
                org.directory.user(&person),
            )
        })
    });

    // Choosing a box or a line of the graph (a click, or Enter on a focused box) brings its
    // mapping's expression field into view, focused for editing.
    let edit_mapping = Callback::new(move |id: String| {
        let field = match id.split_once(':') {
            Some(("app" | "okta", target)) => editor::field_id(editor::Direction::ToApp, target),
            Some(("to-okta" | "from-app", target)) => {
                editor::field_id(editor::Direction::ToOkta, target)
            }
            _ => return,
        };
        if let Some(input) = document().get_element_by_id(&field) {
            input.scroll_into_view_with_bool(false);
            if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                let _ = input.focus();
            }
        }
    });

    view! {
        <div class="toolbar">
            <label class="field">
                <span>"Preview for"</span>
                <select prop:value=move || preview_user.get() on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let _ = LocalStorage::set(crate::base::scoped(PREVIEW_KEY), &v);
                    preview_user.set(v);
                }>
                    {move || people().into_iter().map(|(id, login)| view! { <option value=id>{login}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <section class="card" aria-labelledby="mapping-graph-title">
            <h2 id="mapping-graph-title" class="section-title">"The mappings as a graph"</h2>
            <p class="muted">"Each line is a mapping: Okta's attribute (or the expression that computes it) on the left, the app's on the right, dashed when it applies on create only, with the value it sends for the person chosen above; a red line is one that fails for them. Lines back to the left are the app → Okta mappings. Point at a line or focus a box to light it; click either (or press Enter on a box) to edit that mapping below."</p>
            <DiagramView diagram=graph lit=Signal::derive(Vec::new) name="mappings" on_select=edit_mapping/>
        </section>
        <push_preview::PushPreviewCard person=preview_user/>
        <div class="mapping-columns">
            <section aria-labelledby="to-app-title">
                <h2 id="to-app-title" class="section-title">"Okta user → app user (To App)"</h2>
                <table class="table mapping-table" data-testid="to-app-mappings">
                    <thead><tr><th scope="col">"App attribute"</th><th scope="col">"Expression and preview"</th></tr></thead>
                    <tbody>
                        {move || to_app().into_iter().map(|(target, external, expression, apply_on, mapped)| view! {
                            <tr data-target=target.clone()>
                                <th scope="row"><code>{target.clone()}</code><br/><small class="muted">{external}</small></th>
                                <td><ExpressionField target=target.clone() direction=editor::Direction::ToApp initial=expression apply_on=apply_on mapped=mapped preview_user=preview_user/></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="to-okta-title">
                <h2 id="to-okta-title" class="section-title">"App user → Okta user (To Okta)"</h2>
                <table class="table mapping-table" data-testid="to-okta-mappings">
                    <thead><tr><th scope="col">"Okta attribute"</th><th scope="col">"Expression and preview"</th></tr></thead>
                    <tbody>
                        {move || to_okta().into_iter().map(|(target, expression)| view! {
                            <tr data-target=target.clone()>
                                <th scope="row"><code>{target.clone()}</code></th>
                                <td><ExpressionField target=target.clone() direction=editor::Direction::ToOkta initial=expression apply_on=ApplyOn::CreateAndUpdate mapped=true preview_user=preview_user/></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <editor::AddToOkta/>
            </section>
        </div>
        <ProfileEditor/>
    }
}
