//! The Groups tab: create groups, change their members, assign the app to a group (every member
//! is then assigned through it), and Group Push: create or link the group in the app, push its
//! members now, rename it, or unlink it (deleting it in the app or leaving it there).

use idp::group_push::GroupPushStatus;
use leptos::prelude::*;

use crate::okta::{use_org, OrgAction};

#[derive(Debug, Clone, PartialEq)]
struct Row {
    id: String,
    name: String,
    members: usize,
    assigned: bool,
    push: String,
}

#[component]
pub fn Groups() -> impl IntoView {
    let host = use_org();
    let selected = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());

    let rows = Memo::new(move |_| {
        host.with(|org| {
            org.directory
                .groups()
                .map(|g| Row {
                    id: g.id.clone(),
                    name: g.name.clone(),
                    members: g.members.len(),
                    assigned: g.apps.contains(&org.app.id),
                    push: match org.group_pushes.get(&g.id) {
                        None => "Not pushed".into(),
                        Some(p) => match &p.status {
                            GroupPushStatus::Active if p.app_group_id.is_some() => {
                                "Pushed · active".into()
                            }
                            GroupPushStatus::Active => "Push pending".into(),
                            GroupPushStatus::Error { reason } => format!("Push error: {reason}"),
                        },
                    },
                })
                .collect::<Vec<_>>()
        })
    });
    let shown = Memo::new(move |_| {
        selected
            .get()
            .filter(|id| host.with(|org| org.directory.group(id).is_some()))
    });
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let group_name = name.get_untracked().trim().to_string();
        if group_name.is_empty() {
            host.notice.set(Some(crate::okta::Notice {
                ok: false,
                text: "A group needs a name.".into(),
            }));
            return;
        }
        host.act(OrgAction::CreateGroup {
            name: group_name,
            description: description.get_untracked().trim().to_string(),
        });
        name.set(String::new());
        description.set(String::new());
    };

    view! {
        <form class="toolbar" on:submit=create aria-label="Add group">
            <label class="field"><span>"New group name"</span><input prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
            <label class="field field--grow"><span>"Description"</span><input prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/></label>
            <button class="button" type="submit">"Add group"</button>
        </form>
        <div class="traffic">
            <div class="traffic__list" tabindex="0" role="region" aria-label="Groups">
                {move || if rows.with(Vec::is_empty) {
                    view! { <div class="empty-state"><p class="empty-state__title">"No groups yet"</p><p>"Add one above."</p></div> }.into_any()
                } else {
                    view! {
                        <table class="table table--wrap" data-testid="groups">
                            <caption class="visually-hidden">"Groups in the Okta org"</caption>
                            <thead><tr><th scope="col">"Group"</th><th scope="col">"Members"</th><th scope="col">"App"</th><th scope="col">"Group Push"</th></tr></thead>
                            <tbody>
                                {rows.get().into_iter().map(|row| {
                                    let id = row.id.clone();
                                    let id_key = row.id.clone();
                                        let data_name = row.name.clone();
                                    let is_selected = move || selected.get().as_deref() == Some(id.as_str());
                                    view! {
                                        <tr class="table__row" class:table__row--selected=is_selected tabindex="0" data-group=data_name
                                            on:click={ let id = id_key.clone(); move |_| selected.set(Some(id.clone())) }
                                            on:keydown=move |ev| if ev.key() == "Enter" { selected.set(Some(id_key.clone())) }>
                                            <td>{row.name}</td>
                                            <td class="table__num">{row.members}</td>
                                            <td>{if row.assigned { "Assigned" } else { "—" }}</td>
                                            <td>{row.push}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </div>
            <div>
                {move || match shown.get() {
                    Some(id) => view! { <GroupDetail id=id/> }.into_any(),
                    None => view! { <p class="muted">"Select a group to manage its members, assignment and push."</p> }.into_any(),
                }}
            </div>
        </div>
    }
}

#[component]
fn GroupDetail(id: String) -> impl IntoView {
    let host = use_org();
    let id = StoredValue::new(id);
    let new_member = RwSignal::new(String::new());
    let rename = RwSignal::new(host.with_untracked(|org| {
        org.directory
            .group(&id.get_value())
            .map(|g| g.name.clone())
            .unwrap_or_default()
    }));

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let login = new_member.get_untracked().trim().to_string();
        match host.with_untracked(|org| org.directory.user_by_login(&login).map(|u| u.id.clone())) {
            Some(user) => {
                host.act(OrgAction::AddMember {
                    group: id.get_value(),
                    user,
                });
                new_member.set(String::new());
            }
            None => host.notice.set(Some(crate::okta::Notice {
                ok: false,
                text: format!("Nobody has the username {login:?}."),
            })),
        }
    };
    let details = move || {
        host.with(|org| {
            let group = org.directory.group(&id.get_value())?.clone();
            let members: Vec<(String, String)> = group
                .members
                .iter()
                .filter_map(|m| {
                    org.directory
                        .user(m)
                        .map(|u| (u.id.clone(), u.login().to_string()))
                })
                .collect();
            let push = org.group_pushes.get(&group.id).cloned();
            let assigned = group.apps.contains(&org.app.id);
            Some((group, members, push, assigned))
        })
    };
    let logins = move || {
        host.with(|org| {
            org.directory
                .users()
                .take(500)
                .map(|u| u.login().to_string())
                .collect::<Vec<_>>()
        })
    };

    view! {
        {move || details().map(|(group, members, push, assigned)| {
            let group_id = group.id.clone();
            let pushed = push.as_ref().is_some_and(|p| p.app_group_id.is_some());
            view! {
                <h2 class="section-title">{group.name.clone()}</h2>
                <p class="muted">{group.description.clone()}</p>
                <div class="toolbar" role="group" aria-label="Assignment and Group Push">
                    {if assigned {
                        let g = group_id.clone();
                        view! { <button class="button" type="button" on:click=move |_| host.act(OrgAction::UnassignGroup(g.clone()))>"Unassign app from group"</button> }.into_any()
                    } else {
                        let g = group_id.clone();
                        view! { <button class="button" type="button" on:click=move |_| host.act(OrgAction::AssignGroup(g.clone()))>"Assign app to group"</button> }.into_any()
                    }}
                    {let g = group_id.clone(); view! {
                        <button class="button button--ghost" type="button" on:click=move |_| host.act(OrgAction::PushGroup(g.clone()))>
                            {if pushed { "Push now" } else { "Push group" }}
                        </button>
                    }}
                    {pushed.then(|| { let g = group_id.clone(); let g2 = group_id.clone(); view! {
                        <button class="button button--ghost" type="button" on:click=move |_| host.act(OrgAction::UnlinkGroup { group: g.clone(), delete_in_app: false })>"Unlink (leave in app)"</button>
                        <button class="button button--ghost" type="button" on:click=move |_| {
                            if window().confirm_with_message("Unlink the pushed group and delete it in the app?").unwrap_or(false) {
                                host.act(OrgAction::UnlinkGroup { group: g2.clone(), delete_in_app: true });
                            }
                        }>"Unlink and delete in app"</button>
                    }})}
                </div>
                {push.and_then(|p| p.app_group_id).map(|scim| view! { <p class="muted">"App group id: " <code>{scim}</code></p> })}
                {assigned.then(|| view! { <super::group_values::GroupValues group_id=group_id.clone()/> })}
                <form class="toolbar" aria-label="Rename group" on:submit={ let g = group_id.clone(); move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let name = rename.get_untracked().trim().to_string();
                    if !name.is_empty() { host.act(OrgAction::RenameGroup { group: g.clone(), name }); }
                }}>
                    <label class="field field--grow"><span>"Group name"</span><input prop:value=move || rename.get() on:input=move |ev| rename.set(event_target_value(&ev))/></label>
                    <button class="button button--ghost" type="submit">"Rename"</button>
                </form>
                <h3 class="section-title">{format!("Members ({})", members.len())}</h3>
                <ul class="plain-list" data-testid="group-members">
                    {members.into_iter().map(|(user, login)| {
                        let g = group_id.clone();
                        view! {
                            <li>{login.clone()} " "
                                <button class="link-button" type="button" aria-label=format!("Remove {login} from the group")
                                    on:click=move |_| host.act(OrgAction::RemoveMember { group: g.clone(), user: user.clone() })>"Remove"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })}
        <form class="toolbar" on:submit=add aria-label="Add member">
            <label class="field field--grow"><span>"Add member (username)"</span>
                <input list="member-logins" prop:value=move || new_member.get() on:input=move |ev| new_member.set(event_target_value(&ev))/>
            </label>
            <datalist id="member-logins">{move || logins().into_iter().map(|l| view! { <option value=l></option> }).collect_view()}</datalist>
            <button class="button button--ghost" type="submit">"Add"</button>
        </form>
    }
}
