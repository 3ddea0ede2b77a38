//! The People tab: a searchable, paged list; a form to add a person; a person's profile with
//! their lifecycle actions and app assignment; and a generator for many people at once.

use std::collections::BTreeMap;

use idp::directory::{Lifecycle, UserStatus, BASE_ATTRIBUTES, REQUIRED_ATTRIBUTES};
use leptos::prelude::*;

use super::assignment_text;
use crate::okta::{use_org, OrgAction};

const PAGE: usize = 25;

/// The attributes the profile form shows first; the rest follow in Okta's order.
const FIRST_ATTRIBUTES: [&str; 8] = [
    "firstName",
    "lastName",
    "displayName",
    "login",
    "email",
    "title",
    "department",
    "mobilePhone",
];

/// One row of the list, copied out of the org so the list can render without holding it.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    id: String,
    name: String,
    login: String,
    status: UserStatus,
    assignment: String,
}

/// The lifecycle actions that make sense from `status`, as Okta's admin console offers them.
fn lifecycle_actions(status: UserStatus) -> &'static [Lifecycle] {
    match status {
        UserStatus::Staged | UserStatus::Provisioned => {
            &[Lifecycle::Activate, Lifecycle::Deactivate]
        }
        UserStatus::Suspended => &[Lifecycle::Unsuspend, Lifecycle::Deactivate],
        UserStatus::Deprovisioned => &[Lifecycle::Reactivate, Lifecycle::Delete],
        _ => &[Lifecycle::Suspend, Lifecycle::Deactivate],
    }
}

fn label(action: Lifecycle) -> &'static str {
    match action {
        Lifecycle::Activate => "Activate",
        Lifecycle::Suspend => "Suspend",
        Lifecycle::Unsuspend => "Unsuspend",
        Lifecycle::Deactivate => "Deactivate",
        Lifecycle::Reactivate => "Reactivate",
        Lifecycle::Delete => "Delete",
    }
}

#[component]
pub fn People() -> impl IntoView {
    let host = use_org();
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let selected = RwSignal::new(None::<String>);
    let detail = NodeRef::<leptos::html::Div>::new();
    let adding = RwSignal::new(false);
    let generate_count = RwSignal::new("100".to_string());
    let generate_assign = RwSignal::new(false);

    // The ids that match the search; only the page on screen is turned into rows, so a
    // directory of ten thousand people costs one pass of string matching per change.
    let matching = Memo::new(move |_| {
        let term = search.get().trim().to_lowercase();
        host.with(|org| {
            org.directory
                .users()
                .filter(|u| {
                    term.is_empty()
                        || u.login().to_lowercase().contains(&term)
                        || format!(
                            "{} {}",
                            u.attr("firstName").unwrap_or_default(),
                            u.attr("lastName").unwrap_or_default()
                        )
                        .to_lowercase()
                        .contains(&term)
                })
                .map(|u| u.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let page_rows = move || {
        let start = page.get() * PAGE;
        matching.with(|ids| {
            host.with(|org| {
                ids.iter()
                    .skip(start)
                    .take(PAGE)
                    .filter_map(|id| org.directory.user(id))
                    .map(|u| Row {
                        id: u.id.clone(),
                        name: format!(
                            "{} {}",
                            u.attr("firstName").unwrap_or_default(),
                            u.attr("lastName").unwrap_or_default()
                        ),
                        login: u.login().to_string(),
                        status: u.status,
                        assignment: assignment_text(org, &u.id),
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    // A memo, so the person's form is rebuilt only when another person is chosen (or this
    // one is deleted), not after every job: an edit in progress survives other changes.
    let shown = Memo::new(move |_| {
        selected
            .get()
            .filter(|id| host.with(|org| org.directory.user(id).is_some()))
    });
    let total = move || matching.with(Vec::len);
    let at_start = move || page.get() == 0;
    let at_end = move || (page.get() + 1) * PAGE >= total();

    let generate = move |_| {
        let count = generate_count
            .get_untracked()
            .trim()
            .parse::<usize>()
            .unwrap_or(0);
        if (1..=10_000).contains(&count) {
            host.act(OrgAction::Generate {
                count,
                domain: "example.com".into(),
                assign: generate_assign.get_untracked(),
            });
        } else {
            host.notice.set(Some(crate::okta::Notice {
                ok: false,
                text: "Generate between 1 and 10,000 people at a time.".into(),
            }));
        }
    };

    view! {
        <div class="toolbar" role="group" aria-label="People">
            <label class="field field--grow">
                <span>"Search people (name or username)"</span>
                <input type="search" data-testid="people-search" on:input=move |ev| { search.set(event_target_value(&ev)); page.set(0); }/>
            </label>
            <button class="button" type="button" on:click=move |_| adding.update(|a| *a = !*a)
                aria-expanded=move || adding.get().to_string()>"Add person"</button>
            <label class="field">
                <span>"How many"</span>
                <input type="number" min="1" max="10000" prop:value=move || generate_count.get()
                    on:input=move |ev| generate_count.set(event_target_value(&ev))/>
            </label>
            <label class="check"><input type="checkbox" prop:checked=move || generate_assign.get() on:change=move |ev| generate_assign.set(event_target_checked(&ev))/>
                <span>"and assign the app"</span></label>
            <button class="button button--ghost" type="button" on:click=generate disabled=move || host.busy.get().is_some()>
                "Generate people"
            </button>
            <button class="button button--ghost" type="button" on:click=move |_| {
                if window().confirm_with_message("Reset the Okta org to the demo org? People, groups, settings, mappings and the System Log are replaced; the app's data is not touched.").unwrap_or(false) {
                    host.reset_to_demo();
                }
            }>"Reset Okta org"</button>
        </div>
        {move || adding.get().then(|| view! { <AddPerson done=move || adding.set(false)/> })}
        <div class="traffic">
            <div>
                {move || if total() == 0 {
                    view! {
                        <div class="empty-state">
                            <p class="empty-state__title">"Nobody found"</p>
                            <p>"Change the search, add a person, or generate some."</p>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <div class="traffic__list" tabindex="0" role="region" aria-label="People">
                            <table class="table table--wrap" data-testid="people">
                                <caption class="visually-hidden">"People in the Okta org"</caption>
                                <thead><tr><th scope="col">"Person"</th><th scope="col">"Status"</th><th scope="col">"App"</th></tr></thead>
                                <tbody>
                                    {move || page_rows().into_iter().map(|row| {
                                        let id = row.id.clone();
                                        let id_key = row.id.clone();
                                        let data_login = row.login.clone();
                                        let is_selected = move || selected.get().as_deref() == Some(id.as_str());
                                        view! {
                                            <tr class="table__row" class:table__row--selected=is_selected tabindex="0" data-login=data_login
                                                on:click={ let id = id_key.clone(); move |_| { selected.set(Some(id.clone())); crate::components::bring_into_view(detail); } }
                                                on:keydown=move |ev| if ev.key() == "Enter" { selected.set(Some(id_key.clone())); crate::components::bring_into_view(detail); }>
                                                <td><strong>{row.name}</strong><br/><span class="muted">{crate::components::email(row.login)}</span></td>
                                                <td><span class="pill">{row.status.as_str()}</span></td>
                                                <td>{row.assignment}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <div class="pager">
                            <button class="button button--ghost" type="button" disabled=at_start on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
                            <span>{move || format!("{}–{} of {}", page.get() * PAGE + 1, ((page.get() + 1) * PAGE).min(total()), total())}</span>
                            <button class="button button--ghost" type="button" disabled=at_end on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
                        </div>
                    }.into_any()
                }}
            </div>
            <div node_ref=detail>
                {move || match shown.get() {
                    Some(id) => view! { <Person id=id/> }.into_any(),
                    None => view! { <p class="muted">"Select a person to see their profile, status and assignment."</p> }.into_any(),
                }}
            </div>
        </div>
    }
}

/// The "Add person" form.
#[component]
fn AddPerson(done: impl Fn() + Copy + 'static) -> impl IntoView {
    let host = use_org();
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let activate = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let login_value = login.get_untracked().trim().to_string();
        if first.get_untracked().trim().is_empty() || last.get_untracked().trim().is_empty() {
            error.set(Some("First and last name are required.".into()));
            return;
        }
        if !login_value.contains('@') {
            error.set(Some(
                "The username must be an email address, e.g. jane@example.com.".into(),
            ));
            return;
        }
        if host.with_untracked(|org| org.directory.user_by_login(&login_value).is_some()) {
            error.set(Some(format!(
                "{login_value} is already someone's username."
            )));
            return;
        }
        let profile: BTreeMap<String, String> = [
            ("firstName", first.get_untracked().trim().to_string()),
            ("lastName", last.get_untracked().trim().to_string()),
            (
                "displayName",
                format!(
                    "{} {}",
                    first.get_untracked().trim(),
                    last.get_untracked().trim()
                ),
            ),
            ("login", login_value.clone()),
            ("email", login_value),
            ("locale", "en_US".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        host.act(OrgAction::CreateUser {
            profile,
            password: Some(password.get_untracked()),
            activate: activate.get_untracked(),
        });
        done();
    };
    view! {
        <form class="card form-grid" on:submit=submit aria-label="Add person">
            <label class="field"><span>"First name"</span><input required on:input=move |ev| first.set(event_target_value(&ev))/></label>
            <label class="field"><span>"Last name"</span><input required on:input=move |ev| last.set(event_target_value(&ev))/></label>
            <label class="field"><span>"Username (email)"</span><input type="email" required on:input=move |ev| login.set(event_target_value(&ev))/></label>
            <label class="field"><span>"Password (optional)"</span><input type="password" autocomplete="new-password" on:input=move |ev| password.set(event_target_value(&ev))/></label>
            <label class="check"><input type="checkbox" prop:checked=move || activate.get() on:change=move |ev| activate.set(event_target_checked(&ev))/>
                <span>"Activate now"<small class="muted">" — staged people cannot be provisioned until activated"</small></span></label>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <div class="toolbar">
                <button class="button" type="submit">"Save"</button>
                <button class="button button--ghost" type="button" on:click=move |_| done()>"Cancel"</button>
            </div>
        </form>
    }
}

/// One person: profile form, lifecycle, assignment, and the app user profile Okta keeps.
#[component]
fn Person(id: String) -> impl IntoView {
    let host = use_org();
    let id = StoredValue::new(id);
    let draft = RwSignal::new(BTreeMap::<String, String>::new());
    let load_draft = move || {
        let profile = host.with_untracked(|org| {
            org.directory
                .user(&id.get_value())
                .map(|u| u.profile.clone())
                .unwrap_or_default()
        });
        draft.set(profile);
    };
    load_draft();
    let error = RwSignal::new(None::<String>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let current = host.with_untracked(|org| {
            org.directory
                .user(&id.get_value())
                .map(|u| u.profile.clone())
                .unwrap_or_default()
        });
        let draft = draft.get_untracked();
        for name in REQUIRED_ATTRIBUTES {
            if draft.get(name).is_none_or(|v| v.trim().is_empty()) {
                error.set(Some(format!("{name} is required.")));
                return;
            }
        }
        let mut changes = BTreeMap::new();
        for name in BASE_ATTRIBUTES {
            let new = draft
                .get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            if new.as_deref() != current.get(name).map(String::as_str) {
                changes.insert(name.to_string(), new);
            }
        }
        error.set(None);
        if changes.is_empty() {
            error.set(Some("Nothing changed.".into()));
            return;
        }
        host.act(OrgAction::UpdateUser {
            id: id.get_value(),
            changes,
        });
    };

    let new_password = RwSignal::new(String::new());
    let facts = move || {
        host.with(|org| {
            let user = org.directory.user(&id.get_value())?;
            let app_user = org.directory.app_user(&org.app.id, &user.id).cloned();
            Some((
                user.status,
                user.login().to_string(),
                assignment_text(org, &user.id),
                app_user,
            ))
        })
    };
    let ordered: Vec<&'static str> = FIRST_ATTRIBUTES
        .into_iter()
        .chain(
            BASE_ATTRIBUTES
                .into_iter()
                .filter(|n| !FIRST_ATTRIBUTES.contains(n)),
        )
        .collect();

    view! {
        {move || facts().map(|(status, login, assignment, app_user)| {
            let assigned_directly = app_user.as_ref().is_some_and(|a| a.direct);
            let user_id = id.get_value();
            view! {
                <h2 class="section-title" data-testid="person-title">{login}</h2>
                <dl class="facts">
                    <div class="facts__row"><dt>"Status"</dt><dd data-testid="person-status">{status.as_str()}</dd></div>
                    <div class="facts__row"><dt>"App"</dt><dd data-testid="person-assignment">{assignment}</dd></div>
                    {app_user.as_ref().and_then(|a| a.external_id.clone()).map(|scim| view! {
                        <div class="facts__row"><dt>"SCIM id in the app"</dt><dd><code>{scim}</code></dd></div>
                    })}
                </dl>
                <div class="toolbar" role="group" aria-label="Lifecycle and assignment">
                    {lifecycle_actions(status).iter().map(|&action| {
                        let user_id = user_id.clone();
                        view! {
                            <button class="button button--ghost" type="button" on:click=move |_| {
                                let go = action != Lifecycle::Delete
                                    || window().confirm_with_message("Delete this person from Okta for good?").unwrap_or(false);
                                if go { host.act(OrgAction::Lifecycle { id: user_id.clone(), action }); }
                            }>{label(action)}</button>
                        }
                    }).collect_view()}
                    {if assigned_directly {
                        let user_id = user_id.clone();
                        // Unassigning deactivates the person's app account: asked, not primary.
                        view! { <button class="button button--ghost" type="button" on:click=move |_| {
                            let sure = window()
                                .confirm_with_message("Unassign the app? Okta deactivates this person's account in the app (a PATCH setting active to false).")
                                .unwrap_or(false);
                            if sure { host.act(OrgAction::UnassignUser(user_id.clone())); }
                        }>"Unassign app"</button> }.into_any()
                    } else {
                        let user_id = user_id.clone();
                        view! { <button class="button" type="button" disabled=status == UserStatus::Deprovisioned
                            on:click=move |_| host.act(OrgAction::AssignUser(user_id.clone()))>"Assign app"</button> }.into_any()
                    }}
                </div>
                <form class="toolbar" aria-label="Password" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let password = new_password.get_untracked();
                    // The field is cleared at once: the password lives only in the queued action.
                    new_password.set(String::new());
                    host.act(OrgAction::ChangePassword { id: id.get_value(), password });
                }>
                    <label class="field"><span>"New password"</span>
                        <input type="password" name="newPassword" autocomplete="new-password" prop:value=move || new_password.get()
                            on:input=move |ev| new_password.set(event_target_value(&ev))/>
                    </label>
                    <button class="button button--ghost" type="submit" disabled=move || new_password.with(String::is_empty)>"Set password"</button>
                    <p class="muted">"Pushed to the app when To App's Sync Password sends the Okta password."</p>
                </form>
                {app_user.filter(|a| !a.profile.is_empty()).map(|a| view! {
                    <details class="card">
                        <summary>"App user profile (what the mappings give the app)"</summary>
                        <pre class="code">{serde_json::to_string_pretty(&a.profile).unwrap_or_default()}</pre>
                    </details>
                })}
            }
        })}
        <form class="card form-grid" on:submit=save aria-label="Profile">
            <h3 class="section-title">"Profile"</h3>
            {ordered.into_iter().map(|name| {
                let required = REQUIRED_ATTRIBUTES.contains(&name);
                view! {
                    <label class="field">
                        <span>{name}{required.then_some(" *")}</span>
                        <input name=name prop:value=move || draft.with(|d| d.get(name).cloned().unwrap_or_default())
                            on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| { d.insert(name.to_string(), v); }); }/>
                    </label>
                }
            }).collect_view()}
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <div class="toolbar">
                <button class="button" type="submit">"Save profile"</button>
                <button class="button button--ghost" type="button" on:click=move |_| { load_draft(); error.set(None); }>"Cancel"</button>
            </div>
        </form>
    }
}
