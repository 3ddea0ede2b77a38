//! The attribute values a group's assignment gives its members: Okta's group assignment
//! dialog. Only the app's Group-scoped attributes can be set here ("User personal" ones are set
//! per person), and one a mapping fills shows the mapping instead, since the mapping wins.

use std::collections::BTreeMap;

use idp::action::Action as OrgAction;
use idp::profile::AttributeScope;
use leptos::prelude::*;
use serde_json::Value;

use crate::okta::use_org;

/// A stored value as the admin typed it: text as it is, a list joined with commas.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map_or_else(|| item.to_string(), str::to_string)
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

#[component]
pub fn GroupValues(group_id: String) -> impl IntoView {
    let host = use_org();
    let group = StoredValue::new(group_id);
    // (name, display name, the mapping that fills it, the group's value now)
    let fields = Memo::new(move |_| {
        host.with(|org| {
            let stored = org
                .directory
                .group(&group.get_value())
                .and_then(|g| g.app_values.get(&org.app.id).cloned())
                .unwrap_or_default();
            org.app
                .profile
                .attributes()
                .iter()
                .filter(|a| a.scope == AttributeScope::Group)
                .map(|a| {
                    (
                        a.name.clone(),
                        a.display_name.clone(),
                        org.app.mappings.mapping_to_app_attribute(&a.name),
                        stored.get(&a.name).map(as_text).unwrap_or_default(),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let typed = RwSignal::new(BTreeMap::<String, String>::new());
    Effect::new(move |_| {
        typed.set(
            fields
                .get()
                .into_iter()
                .filter(|(_, _, mapped, _)| mapped.is_none())
                .map(|(name, _, _, value)| (name, value))
                .collect(),
        );
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        host.act(OrgAction::SetGroupValues {
            group: group.get_value(),
            values: typed.get_untracked(),
        });
    };

    view! {
        <h3 class="section-title">"Attribute values for this group's members"</h3>
        {move || {
            let list = fields.get();
            if list.is_empty() {
                return view! {
                    <p class="muted" data-testid="group-values-none">"No app attribute can be set on a group: in Mappings → Profile Editor, make one \"Group\" (attributes are \"User personal\" by default, set per person only)."</p>
                }.into_any();
            }
            view! {
                <p class="muted">"Members assigned through this group get these values in the app, unless another group first in name order sets the same attribute; a mapping always wins. Saving pushes the members' changed profiles."</p>
                <form class="form-grid" aria-label="Attribute values for this group's members" data-testid="group-values" on:submit=save>
                    {list.into_iter().map(|(name, display, mapped, _)| match mapped {
                        Some(mapping) => view! {
                            <label class="field"><span>{display}</span>
                                <input disabled value=format!("Mapped from Okta: {mapping}")/></label>
                        }.into_any(),
                        None => {
                            let key = name.clone();
                            let key2 = name.clone();
                            view! {
                                <label class="field"><span>{display}</span>
                                    <input name=name.clone()
                                        prop:value=move || typed.with(|t| t.get(&key).cloned().unwrap_or_default())
                                        on:input=move |ev| { let v = event_target_value(&ev); typed.update(|t| { t.insert(key2.clone(), v); }); }/></label>
                            }.into_any()
                        }
                    }).collect_view()}
                    <div class="toolbar"><button class="button button--ghost" type="submit">"Save values"</button></div>
                </form>
            }.into_any()
        }}
    }
}
