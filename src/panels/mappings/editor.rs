//! The pieces of the Mappings panel: one expression field (with the error underlined at its
//! span and a live preview), adding an app → Okta mapping, and the Profile Editor.

use idp::expr::{self, MapContext, Object};
use idp::mapping::{user_context, ApplyOn};
use idp::org::Org;
use idp::profile::{
    AppAttribute, AttributeScope, AttributeType, OktaAttribute, CORE_USER_URN, ENTERPRISE_USER_URN,
};
use leptos::prelude::*;

use crate::okta::use_org;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    ToApp,
    ToOkta,
}

/// The id of the expression field for `target` in `direction`, which the mappings graph
/// focuses when one of its lines is chosen.
pub fn field_id(direction: Direction, target: &str) -> String {
    match direction {
        Direction::ToApp => format!("expression-to-app-{target}"),
        Direction::ToOkta => format!("expression-to-okta-{target}"),
    }
}

/// What an expression gives for the preview person, or where it goes wrong.
#[derive(Debug, Clone, PartialEq)]
enum Check {
    Value(String),
    Problem {
        message: String,
        span: Option<(usize, usize)>,
    },
}

/// The context an expression is evaluated in: the person's Okta profile (To App), or their
/// app user profile (To Okta).
fn context(org: &Org, direction: Direction, user_id: &str) -> Option<MapContext> {
    let user = org.directory.user(user_id)?;
    Some(match direction {
        Direction::ToApp => user_context(&org.okta_profile, user),
        Direction::ToOkta => {
            let mut ctx = MapContext::new()
                .with_schema(Object::AppUser, org.app.profile.names().map(str::to_string));
            if let Some(app_user) = org.directory.app_user(&org.app.id, user_id) {
                for (key, json) in &app_user.profile {
                    if let Some(value) = expr::Value::from_json(json) {
                        ctx.set(Object::AppUser, key.clone(), value);
                    }
                }
            }
            ctx
        }
    })
}

fn check(org: &Org, direction: Direction, user_id: &str, text: &str) -> Check {
    let problem = |e: expr::ExprError| Check::Problem {
        message: e.to_string(),
        span: e.span().map(|s| (s.start, s.end)),
    };
    if text.trim().is_empty() {
        return Check::Value("(not mapped)".into());
    }
    let parsed = match expr::parse(text) {
        Ok(parsed) => parsed,
        Err(e) => return problem(e),
    };
    let Some(ctx) = context(org, direction, user_id) else {
        return Check::Value("(choose a person to preview)".into());
    };
    if let Some(e) = expr::validate(&parsed, &ctx).into_iter().next() {
        return problem(e);
    }
    match expr::eval(&parsed, &ctx) {
        Ok(value) => Check::Value(value.to_json().to_string()),
        Err(e) => problem(e),
    }
}

#[component]
pub fn ExpressionField(
    target: String,
    direction: Direction,
    initial: String,
    apply_on: ApplyOn,
    mapped: bool,
    preview_user: RwSignal<String>,
) -> impl IntoView {
    let host = use_org();
    let text = RwSignal::new(initial.clone());
    let apply = RwSignal::new(apply_on);
    let target = StoredValue::new(target);
    let initial = StoredValue::new(initial);
    let result = Memo::new(move |_| {
        let user = preview_user.get();
        text.with(|t| host.with(|org| check(org, direction, &user, t)))
    });
    let changed = move || text.with(|t| *t != initial.get_value()) || apply.get() != apply_on;
    let save = move |_| {
        let expression = text.get_untracked().trim().to_string();
        let apply_on = apply.get_untracked();
        let target = target.get_value();
        host.edit("Saving the mapping", move |org| {
            let (profile, okta) = (org.app.profile.clone(), org.okta_profile.clone());
            let mappings = &mut org.app.mappings;
            match direction {
                Direction::ToApp if expression.is_empty() => {
                    mappings.remove_to_app(&target);
                    Ok(format!("{target} is no longer mapped."))
                }
                Direction::ToApp => mappings
                    .set_to_app(&profile, &okta, &target, &expression, apply_on)
                    .map(|()| format!("appuser.{target} = {expression}"))
                    .map_err(|e| e.to_string()),
                Direction::ToOkta => mappings
                    .set_to_okta(&profile, &okta, &target, &expression)
                    .map(|()| format!("user.{target} = {expression}"))
                    .map_err(|e| e.to_string()),
            }
        });
    };
    let label = move || match direction {
        Direction::ToApp => format!("Expression for appuser.{}", target.get_value()),
        Direction::ToOkta => format!("Expression for user.{}", target.get_value()),
    };
    view! {
        <div class="mapping">
            <input class="code-input" id=field_id(direction, &target.get_value()) aria-label=label prop:value=move || text.get()
                aria-invalid=move || matches!(result.get(), Check::Problem { .. }).to_string()
                on:input=move |ev| text.set(event_target_value(&ev))/>
            {(direction == Direction::ToApp).then(|| view! {
                <select aria-label=move || format!("When to apply {}", target.get_value()) prop:value=move || if apply.get() == ApplyOn::CreateOnly { "create" } else { "both" }
                    on:change=move |ev| apply.set(if event_target_value(&ev) == "create" { ApplyOn::CreateOnly } else { ApplyOn::CreateAndUpdate })>
                    <option value="both">"Apply on create and update"</option>
                    <option value="create">"Apply on create only"</option>
                </select>
            })}
            {move || match result.get() {
                Check::Value(v) => view! { <output class="mapping__preview" data-testid="preview">"→ " {v}</output> }.into_any(),
                Check::Problem { message, span } => {
                    let shown = span.map(|s| text.with(|t| crate::components::split_at_span(t, s.0, s.1)));
                    view! {
                        <div class="mapping__error" role="alert">
                            {shown.map(|(before, middle, after)| view! {
                                <code class="mapping__source">{before}<span class="expr-error">{middle}</span>{after}</code>
                            })}
                            <span class="field-error">{message}</span>
                        </div>
                    }.into_any()
                }
            }}
            <Show when=move || changed() || (!mapped && !text.with(String::is_empty))>
                <div class="toolbar">
                    <button class="button" type="button" on:click=save>"Save mapping"</button>
                    <button class="button button--ghost" type="button" on:click=move |_| { text.set(initial.get_value()); apply.set(apply_on); }>"Cancel"</button>
                </div>
            </Show>
        </div>
    }
}

/// Maps one more Okta attribute from the app.
#[component]
pub fn AddToOkta() -> impl IntoView {
    let host = use_org();
    let target = RwSignal::new(String::new());
    let expression = RwSignal::new(String::new());
    let unmapped = move || {
        host.with(|org| {
            org.okta_profile
                .names()
                .filter(|n| !org.app.mappings.to_okta.iter().any(|m| m.target == *n))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (t, e) = (
            target.get_untracked(),
            expression.get_untracked().trim().to_string(),
        );
        host.edit("Adding the mapping", move |org| {
            let (profile, okta) = (org.app.profile.clone(), org.okta_profile.clone());
            org.app
                .mappings
                .set_to_okta(&profile, &okta, &t, &e)
                .map(|()| format!("user.{t} = {e}"))
                .map_err(|err| err.to_string())
        });
        expression.set(String::new());
    };
    view! {
        <form class="toolbar" on:submit=add aria-label="Add a To Okta mapping">
            <label class="field"><span>"Okta attribute"</span>
                <select on:change=move |ev| target.set(event_target_value(&ev))>
                    <option value="">"Choose…"</option>
                    {move || unmapped().into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class="field field--grow"><span>"Expression"</span>
                <input class="code-input" placeholder="appuser.title" prop:value=move || expression.get() on:input=move |ev| expression.set(event_target_value(&ev))/>
            </label>
            <button class="button button--ghost" type="submit">"Add mapping"</button>
        </form>
    }
}

fn type_label(t: AttributeType) -> &'static str {
    match t {
        AttributeType::String => "string",
        AttributeType::Boolean => "boolean",
        AttributeType::Integer => "integer",
        AttributeType::Number => "number",
        AttributeType::StringArray => "string array",
    }
}

fn type_of(slug: &str) -> AttributeType {
    match slug {
        "boolean" => AttributeType::Boolean,
        "integer" => AttributeType::Integer,
        "number" => AttributeType::Number,
        "string array" => AttributeType::StringArray,
        _ => AttributeType::String,
    }
}

const TYPES: [&str; 5] = ["string", "boolean", "integer", "number", "string array"];

/// The Profile Editor: the app user profile's attributes (add, delete unless mapped) and the
/// Okta profile's custom attributes.
#[component]
pub fn ProfileEditor() -> impl IntoView {
    let host = use_org();
    let app_attributes = move || host.with(|org| org.app.profile.attributes().to_vec());
    let okta_custom = move || host.with(|org| org.okta_profile.custom().to_vec());
    let name = RwSignal::new(String::new());
    let display = RwSignal::new(String::new());
    let kind = RwSignal::new("string".to_string());
    let external = RwSignal::new(String::new());
    let namespace = RwSignal::new(CORE_USER_URN.to_string());
    let group_scope = RwSignal::new(false);
    let okta_name = RwSignal::new(String::new());
    let okta_kind = RwSignal::new("string".to_string());

    let add_app = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let attribute = AppAttribute {
            name: name.get_untracked().trim().to_string(),
            display_name: Some(display.get_untracked().trim().to_string())
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| name.get_untracked().trim().to_string()),
            attr_type: type_of(&kind.get_untracked()),
            external_name: external.get_untracked().trim().to_string(),
            external_namespace: namespace.get_untracked().trim().to_string(),
            scope: if group_scope.get_untracked() {
                AttributeScope::Group
            } else {
                AttributeScope::Personal
            },
        };
        host.edit("Adding the attribute", move |org| {
            let n = attribute.name.clone();
            org.app
                .profile
                .add(attribute)
                .map(|()| format!("The app attribute {n} was added; map it above."))
                .map_err(|e| e.to_string())
        });
        name.set(String::new());
        display.set(String::new());
        external.set(String::new());
    };
    let add_okta = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = okta_name.get_untracked().trim().to_string();
        let attribute = OktaAttribute {
            name: n.clone(),
            display_name: n.clone(),
            attr_type: type_of(&okta_kind.get_untracked()),
        };
        host.edit("Adding the attribute", move |org| {
            org.okta_profile
                .add(attribute)
                .map(|()| format!("The Okta attribute {n} was added."))
                .map_err(|e| e.to_string())
        });
        okta_name.set(String::new());
    };

    view! {
        <section class="card" aria-labelledby="profile-editor-title">
            <h2 id="profile-editor-title" class="section-title">"Profile Editor"</h2>
            <h3 class="section-title">"App user attributes"</h3>
            <div class="traffic__list" tabindex="0" role="region" aria-label="App user attributes">
                <table class="table" data-testid="app-attributes">
                    <thead><tr><th scope="col">"Variable"</th><th scope="col">"Display name"</th><th scope="col">"Type"</th><th scope="col">"External name / namespace"</th><th scope="col">"Scope"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>
                        {move || app_attributes().into_iter().map(|a| {
                            let n = a.name.clone();
                            view! {
                                <tr data-attribute=a.name.clone()>
                                    <td><code>{a.name.clone()}</code></td>
                                    <td>{a.display_name.clone()}</td>
                                    <td>{type_label(a.attr_type)}</td>
                                    <td><code>{a.external_name.clone()}</code><br/><small class="muted">{a.external_namespace.clone()}</small></td>
                                    <td>{
                                        let (label, other) = match a.scope {
                                            AttributeScope::Personal => ("User personal", AttributeScope::Group),
                                            AttributeScope::Group => ("Group", AttributeScope::Personal),
                                        };
                                        let n = a.name.clone();
                                        view! {
                                            {label} " "
                                            <button class="link-button" type="button" aria-label=format!("Change the scope of {}", a.name)
                                                on:click=move |_| { let n = n.clone(); host.edit("Changing the scope", move |org| {
                                                    org.app.profile.set_scope(&n, other).map(|()| match other {
                                                        AttributeScope::Group => format!("{n} can now also be set on a group's assignment (Directory → Groups)."),
                                                        AttributeScope::Personal => format!("{n} is now User personal: set per person only."),
                                                    }).map_err(|e| e.to_string())
                                                }); }>"Change"</button>
                                        }
                                    }</td>
                                    <td><button class="link-button" type="button" aria-label=format!("Delete the app attribute {}", a.name)
                                        on:click=move |_| { let n = n.clone(); host.edit("Deleting the attribute", move |org| {
                                            let mappings = org.app.mappings.clone();
                                            org.app.profile.remove(&n, &mappings).map(|_| format!("The app attribute {n} was deleted.")).map_err(|e| e.to_string())
                                        }); }>"Delete"</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <form class="form-grid" on:submit=add_app aria-label="Add an app attribute">
                <label class="field"><span>"Variable name"</span><input required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label class="field"><span>"Display name"</span><input prop:value=move || display.get() on:input=move |ev| display.set(event_target_value(&ev))/></label>
                <label class="field"><span>"Data type"</span>
                    <select on:change=move |ev| kind.set(event_target_value(&ev))>{TYPES.map(|t| view! { <option value=t>{t}</option> }).collect_view()}</select></label>
                <label class="field"><span>"External name (SCIM path)"</span><input required placeholder="costCenter" prop:value=move || external.get() on:input=move |ev| external.set(event_target_value(&ev))/></label>
                <label class="field"><span>"External namespace"</span>
                    <input list="namespaces" prop:value=move || namespace.get() on:input=move |ev| namespace.set(event_target_value(&ev))/></label>
                <datalist id="namespaces"><option value=CORE_USER_URN></option><option value=ENTERPRISE_USER_URN></option></datalist>
                <label class="check"><input type="checkbox" prop:checked=move || group_scope.get() on:change=move |ev| group_scope.set(event_target_checked(&ev))/>
                    <span>"Group-assignable"<small class="muted">" — unchecked is \"User personal\": set per person only."</small></span></label>
                <div class="toolbar"><button class="button button--ghost" type="submit">"Add app attribute"</button></div>
            </form>
            <h3 class="section-title">"Okta user attributes (custom)"</h3>
            {move || {
                let custom = okta_custom();
                if custom.is_empty() {
                    view! { <p class="muted">"Only Okta's base attributes so far."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list" data-testid="okta-attributes">
                            {custom.into_iter().map(|a| {
                                let n = a.name.clone();
                                view! { <li><code>{a.name.clone()}</code> " " <span class="muted">{type_label(a.attr_type)}</span> " "
                                    <button class="link-button" type="button" aria-label=format!("Delete the Okta attribute {}", a.name)
                                        on:click=move |_| { let n = n.clone(); host.edit("Deleting the attribute", move |org| {
                                            let mappings = org.app.mappings.clone();
                                            org.okta_profile.remove(&n, &mappings).map(|_| format!("The Okta attribute {n} was deleted.")).map_err(|e| e.to_string())
                                        }); }>"Delete"</button></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <form class="toolbar" on:submit=add_okta aria-label="Add an Okta attribute">
                <label class="field"><span>"Okta variable name"</span><input required prop:value=move || okta_name.get() on:input=move |ev| okta_name.set(event_target_value(&ev))/></label>
                <label class="field"><span>"Data type"</span>
                    <select on:change=move |ev| okta_kind.set(event_target_value(&ev))>{TYPES.map(|t| view! { <option value=t>{t}</option> }).collect_view()}</select></label>
                <button class="button button--ghost" type="submit">"Add Okta attribute"</button>
            </form>
        </section>
    }
}
