//! Scenarios: guided lessons beside the live traffic. Each step says what to do (or does it:
//! "Do it") and which request comes next; when that request goes by on the worker's channel
//! the step is ticked off and the request is highlighted in the traffic beside it. A scenario
//! can be reset (the app's server and the Okta org both start over) and replayed, and is
//! linked by URL: `/scenarios?s=<slug>`.
//!
//! For a classroom: the step reached is remembered per lesson (a step's link to the panel it
//! names can be followed and the lesson picked up again), each live request opens to show its
//! bodies, presenter mode shows one step at a time in large type, and the settings a lesson
//! changed (the client profile, matching, sourcing) can be put back at its end.

mod catalog;
mod paging;
pub mod progress;

use idp::directory::UserStatus;
use idp::import::{Decision, RowKind, RowState};
use leptos::prelude::*;
use serde_json::json;

use crate::api;
use crate::components::worker_badge::WorkerBanner;
use crate::okta::{use_org, Notice, OrgAction, OrgHost};
use crate::panels::traffic::model::Record;
use catalog::{Do, Scenario, SCENARIOS};

/// How the scenarios' own changes "inside the app" are tagged in the traffic log.
const CLIENT: &str = "scenario";
/// How many live records the side list keeps.
const LIVE: usize = 40;

#[component]
pub fn ScenariosPanel() -> impl IntoView {
    let host = use_org();
    let linked = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("s")
        .and_then(|s| catalog::find(&s))
        .map_or(SCENARIOS[0].slug, |s| s.slug);
    let chosen = RwSignal::new(linked);
    // The step the learner is on (remembered per lesson), and for each finished step the
    // traffic record that ended it.
    let current = RwSignal::new(progress::step(linked));
    Effect::new(move |_| progress::remember(chosen.get(), current.get()));
    let presenting = RwSignal::new(false);
    // The settings as they were before the lesson's first action changed any.
    let before = StoredValue::new(None::<progress::Settings>);
    let matched = RwSignal::new(Vec::<Option<u64>>::new());
    let live = RwSignal::new(Vec::<(u64, Record)>::new());
    let next_id = StoredValue::new(0u64);
    let subject = StoredValue::new(None::<String>);
    let walk = StoredValue::new(paging::Walk::default());

    let scenario = move || catalog::find(chosen.get()).unwrap_or(&SCENARIOS[0]);
    let restart_steps = move || {
        current.set(0);
        matched.set(Vec::new());
    };

    crate::panels::traffic::subscribe(move |record| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        let step = current.get_untracked();
        let expect = scenario_untracked(chosen)
            .steps
            .get(step)
            .and_then(|s| s.expect);
        if expect.is_some_and(|e| e.matches(&record)) {
            matched.update(|m| m.push(Some(id)));
            current.set(step + 1);
        }
        live.update(|list| {
            list.push((id, record));
            if list.len() > LIVE {
                list.remove(0);
            }
        });
    });

    let choose = move |slug: &'static str| {
        chosen.set(slug);
        current.set(progress::step(slug));
        matched.set(Vec::new());
        before.set_value(None);
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&crate::base::join(&format!("/scenarios?s={slug}"))),
            );
        }
    };
    let reset = move |_| {
        let confirmed = window()
            .confirm_with_message("Start over? The built-in server is emptied and the Okta org goes back to the demo org.")
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::admin(protocol::admin::Endpoint::Reset, "", None, CLIENT).await {
                Ok(reply) if reply.status < 300 => {
                    host.reset_to_demo();
                    subject.set_value(None);
                    live.set(Vec::new());
                    restart_steps();
                }
                Ok(reply) => host.notice.set(Some(Notice {
                    ok: false,
                    text: format!("The server could not be reset ({}).", reply.status),
                })),
                Err(e) => host.notice.set(Some(Notice {
                    ok: false,
                    text: format!("The server could not be reset: {e}"),
                })),
            }
        });
    };
    let do_step = move |index: usize| {
        let actions = scenario_untracked(chosen)
            .steps
            .get(index)
            .map_or(&[][..], |s| s.actions);
        let expects = scenario_untracked(chosen)
            .steps
            .get(index)
            .and_then(|s| s.expect)
            .is_some();
        if before.with_value(Option::is_none) && actions.iter().any(|a| a.changes_settings()) {
            before.set_value(Some(host.with_untracked(progress::Settings::of)));
        }
        leptos::task::spawn_local(async move {
            for action in actions {
                if let Err(e) = perform(host, subject, walk, *action).await {
                    host.notice.set(Some(Notice { ok: false, text: e }));
                    return;
                }
            }
            // A step without a request to wait for is done once its actions are queued.
            if !expects && current.get_untracked() == index {
                matched.update(|m| m.push(None));
                current.set(index + 1);
            }
        });
    };
    // Named, because a bare `>=` inside the view macro would end the tag.
    let complete = move || current.get() >= scenario().steps.len();
    // What the lesson changed that it can put back, in words (empty when nothing differs).
    let changed = move || {
        host.with(|org| {
            before.with_value(|b| {
                b.as_ref()
                    .map(|b| b.differences(&progress::Settings::of(org)))
            })
        })
        .unwrap_or_default()
    };
    let put_back = move |_| {
        if let Some(saved) = before.get_value() {
            host.edit("Putting back the lesson's settings", move |org| {
                saved.restore(org);
                Ok("The settings the lesson changed are back as they were.".into())
            });
            before.set_value(None);
        }
    };
    let highlighted = move |id: u64| matched.with(|m| m.contains(&Some(id)));

    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" class:scenarios--presenting=move || presenting.get() aria-labelledby="panel-title" data-panel="scenarios">
            <h1 id="panel-title" class="panel__title">"Scenarios"</h1>
            <p class="panel__purpose">"Guided lessons in Okta provisioning: follow the steps, and watch each expected request arrive."</p>
            <div class="toolbar">
                <button class="button button--ghost" type="button" aria-pressed=move || presenting.get().to_string()
                    on:click=move |_| presenting.update(|p| *p = !*p)>
                    {move || if presenting.get() { "Leave presenter mode" } else { "Presenter mode" }}
                </button>
            </div>
            <div class="tabs scenarios__chooser" role="tablist" aria-label="Scenarios">
                {SCENARIOS.iter().map(|s| view! {
                    <button type="button" role="tab" class="tab" data-scenario=s.slug aria-selected=move || (chosen.get() == s.slug).to_string()
                        on:click=move |_| choose(s.slug)>{s.title}</button>
                }).collect_view()}
            </div>
            <div class="traffic">
                <div>
                    {move || {
                        let s: &'static Scenario = scenario();
                        view! {
                            <h2 class="section-title">{s.title}</h2>
                            <p>{s.lesson}</p>
                            <div class="toolbar">
                                <button class="button button--ghost" type="button" on:click=reset>"Reset and start over"</button>
                                <button class="button button--ghost" type="button" on:click=move |_| restart_steps()>"Replay steps"</button>
                            </div>
                            <p class="muted scenarios__count" aria-hidden="true">{move || format!("Step {} of {}", (current.get() + 1).min(s.steps.len()), s.steps.len())}</p>
                            <ol class="scenario-steps" data-testid="scenario-steps">
                                {s.steps.iter().enumerate().map(|(i, st)| {
                                    let state = move || {
                                        let now = current.get();
                                        if i < now { "done" } else if i == now { "current" } else { "todo" }
                                    };
                                    view! {
                                        <li class="scenario-step" value=(i + 1).to_string() data-state=state aria-current=move || (state() == "current").then_some("step")>
                                            <p>{st.text}</p>
                                            {st.expect.map(|e| view! { <p class="muted">"Expected: " <code>{e.describe()}</code></p> })}
                                            {progress::panels_named(st.text).into_iter().map(|panel| view! {
                                                <p><a href=crate::base::join(panel.slug)>{format!("Open {} ›", panel.title)}</a></p>
                                            }).collect_view()}
                                            <Show when=move || state() == "current">
                                                <div class="toolbar">
                                                    {(!st.actions.is_empty()).then(|| view! {
                                                        <button class="button" type="button" disabled=move || host.busy.get().is_some() on:click=move |_| do_step(i)>"Do it"</button>
                                                    })}
                                                    {st.expect.is_some().then(|| view! { <span class="muted">"Waiting for the request…"</span> })}
                                                    {(st.expect.is_none() && st.actions.is_empty()).then(|| view! {
                                                        <button class="button" type="button" on:click=move |_| { matched.update(|m| m.push(None)); current.set(i + 1); }>"Next"</button>
                                                    })}
                                                </div>
                                            </Show>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            <Show when=complete>
                                <p class="banner banner--ok" role="status" data-testid="scenario-complete">"Scenario complete. Reset to replay it, or pick another."</p>
                                {move || {
                                    let changed = changed();
                                    (!changed.is_empty()).then(|| view! {
                                        <div class="banner banner--warn" data-testid="scenario-changed">
                                            <p>{format!("This lesson changed {}.", changed.join(", "))}</p>
                                            <button class="button" type="button" on:click=put_back>"Put them back"</button>
                                        </div>
                                    })
                                }}
                            </Show>
                        }
                    }}
                </div>
                <div>
                    <h2 class="section-title">"Live traffic"</h2>
                    <ol class="plain-list exchange-list" data-testid="scenario-traffic" aria-live="off">
                        {move || live.get().into_iter().rev().map(|(id, r)| view! {
                            <li class:scenario-hit=move || highlighted(id)>
                                <details>
                                    <summary><span class="pill">{r.client.clone()}</span> " " {r.method.clone()} " " {r.path().to_string()} " → " {r.status}</summary>
                                    {(!r.request_body.is_empty()).then(|| view! { <p class="muted">"Request body"</p><pre class="code">{crate::components::pretty_json(&r.request_body)}</pre> })}
                                    <p class="muted">"Response body"</p>
                                    <pre class="code">{if r.response_body.is_empty() { "(none)".to_string() } else { crate::components::pretty_json(&r.response_body) }}</pre>
                                </details>
                            </li>
                        }).collect_view()}
                    </ol>
                    {move || live.with(Vec::is_empty).then(|| view! { <p class="muted">"Requests appear here as they happen."</p> })}
                </div>
            </div>
        </section>
    }
}

fn scenario_untracked(chosen: RwSignal<&'static str>) -> &'static Scenario {
    catalog::find(chosen.get_untracked()).unwrap_or(&SCENARIOS[0])
}

/// Creates a user inside the app (`body` is a SCIM User), as the scenario's own client; one that
/// exists already (409) is fine, so a step can be done twice.
async fn create_in_app(
    headers: &[(String, String)],
    user_name: &str,
    body: &serde_json::Value,
) -> Result<(), String> {
    let reply = api::send(
        "POST",
        "/scim/v2/Users",
        headers,
        Some(&body.to_string()),
        CLIENT,
    )
    .await?;
    if reply.status != 201 && reply.status != 409 {
        return Err(format!("The app refused {user_name} ({}).", reply.status));
    }
    Ok(())
}

/// Does one thing for the learner: Okta's side through the host's queue, the app's side with
/// requests of its own.
async fn perform(
    host: OrgHost,
    subject: StoredValue<Option<String>>,
    walk: StoredValue<paging::Walk>,
    action: Do,
) -> Result<(), String> {
    let told = |text: String| host.notice.set(Some(Notice { ok: true, text }));
    let subject_id = || {
        subject
            .get_value()
            .ok_or_else(|| "Assign the app to someone first.".to_string())
    };
    match action {
        Do::SetClient(profile) => host.edit("Switching the client profile", move |org| {
            org.app.settings.client = profile;
            Ok(format!("Okta now talks like {}.", profile.label()))
        }),
        Do::AssignSomeone => {
            let id = host.with_untracked(|org| {
                org.directory
                    .users()
                    .find(|u| {
                        u.status == UserStatus::Active
                            && org.directory.app_user(&org.app.id, &u.id).is_none()
                    })
                    .map(|u| u.id.clone())
            });
            let id = id.ok_or("Nobody active is left to assign; reset the scenario.")?;
            subject.set_value(Some(id.clone()));
            host.act(OrgAction::AssignUser(id));
        }
        Do::Rename(first) => {
            let id = subject_id()?;
            let changes = [("firstName".to_string(), Some(first.to_string()))]
                .into_iter()
                .collect();
            host.act(OrgAction::UpdateUser { id, changes });
        }
        Do::Unassign => host.act(OrgAction::UnassignUser(subject_id()?)),
        Do::Reassign => host.act(OrgAction::AssignUser(subject_id()?)),
        Do::Deactivate => host.act(OrgAction::Lifecycle {
            id: subject_id()?,
            action: idp::directory::Lifecycle::Deactivate,
        }),
        Do::SeedImport => {
            let people = host.with_untracked(|org| {
                org.directory
                    .users()
                    .filter(|u| org.directory.app_user(&org.app.id, &u.id).is_none())
                    .take(2)
                    .map(|u| {
                        (
                            u.login().to_string(),
                            u.attr("firstName").unwrap_or_default().to_string(),
                            u.attr("lastName").unwrap_or_default().to_string(),
                        )
                    })
                    .collect::<Vec<_>>()
            });
            let [(exact, _, _), (_, first, last)] = <[_; 2]>::try_from(people).map_err(|_| {
                "The org needs two unassigned people; reset the scenario.".to_string()
            })?;
            let headers = api::builtin_headers().await;
            for (user_name, given, family) in [
                (exact.as_str(), "Exact", "Match"),
                ("someone.else@elsewhere.test", first.as_str(), last.as_str()),
                ("new.person@example.org", "New", "Person"),
            ] {
                let body = json!({
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": user_name,
                    "name": {"givenName": given, "familyName": family},
                    "emails": [{"value": user_name, "primary": true}],
                    "active": true,
                });
                create_in_app(&headers, user_name, &body).await?;
            }
            host.edit("Allowing partial matches", |org| {
                org.import.matching.allow_partial = true;
                Ok("Partial matches are allowed.".into())
            });
        }
        Do::Import => host.act(OrgAction::Import),
        Do::ConfirmAll => {
            host.edit("Deciding the import's rows", |org| {
                let Some(run) = org.last_import.clone() else {
                    return Err("Import first.".into());
                };
                let mut rows = Vec::new();
                for (i, row) in run
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.state == RowState::Pending)
                {
                    let decision = match (row.kind, row.matches.first()) {
                        (RowKind::Exact | RowKind::Partial, Some(id)) => {
                            Decision::Exact(id.clone())
                        }
                        _ => Decision::New,
                    };
                    // Deciding reads no time; the importer is made with the real clock.
                    org.importer(&crate::okta::BrowserClock::real())
                        .decide(i, decision)
                        .map_err(|e| e.to_string())?;
                    rows.push(i);
                }
                Ok(format!(
                    "Decided {} row(s): link each match, create the others.",
                    rows.len()
                ))
            });
            // A job of its own, after the decisions: confirming runs in steps on the page's
            // clock, like the Import panel's Confirm Assignments.
            host.act(OrgAction::ConfirmAll { activate: true });
        }
        Do::GenerateAssigned(count) => host.act(OrgAction::Generate {
            count,
            domain: "example.com".into(),
            assign: true,
        }),
        Do::DeleteInApp(count) => {
            let headers = api::builtin_headers().await;
            let list = api::send(
                "GET",
                &format!("/scim/v2/Users?startIndex=1&count={count}"),
                &headers,
                None,
                CLIENT,
            )
            .await?;
            let ids: Vec<String> = list
                .json()
                .and_then(|v| v.get("Resources").and_then(|r| r.as_array()).cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|r| r.get("id").and_then(|i| i.as_str()).map(str::to_string))
                .collect();
            for id in ids {
                api::send(
                    "DELETE",
                    &format!("/scim/v2/Users/{id}"),
                    &headers,
                    None,
                    CLIENT,
                )
                .await?;
            }
        }
        Do::EnableSourcing => host.edit("Enabling sourcing", |org| {
            org.import.sourcing.enabled = true;
            Ok("The app now sources Okta users.".into())
        }),
        Do::Resume => host.act(OrgAction::ResumeImport),
        Do::SeedPaging => told(paging::seed().await?),
        Do::DeletePaging(number) => told(paging::delete(number).await?),
        Do::IndexPage(page) => {
            let mut state = walk.get_value();
            let text = paging::index_page(&mut state, page).await?;
            walk.set_value(state);
            told(text);
        }
        Do::CursorPage(first) => {
            let mut state = walk.get_value();
            let text = paging::cursor_page(&mut state, first).await?;
            walk.set_value(state);
            told(text);
        }
    }
    Ok(())
}
