//! Import: "Import now" reads every user of the app page by page, matches each against Okta's
//! people with the To Okta rules, and lists the result — a status and a reason per user, a
//! decision per unconfirmed row (exact, new, an existing person, ignore), Confirm Assignments,
//! the statistics line, a chart, and the safeguard roadblock with Resume or Cancel. The clock
//! can be advanced to run scheduled imports.

use std::collections::BTreeSet;

use idp::import::{Decision, ImportRow, RowKind, RowState, RunStatus};
use idp::safeguard::Level;
use leptos::prelude::*;

use crate::components::diagram::DiagramView;
use crate::components::org_ready::OrgReady;
use crate::components::worker_badge::WorkerBanner;
use crate::okta::{use_org, OrgAction};

const PAGE: usize = 50;

fn kind_label(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Exact => "Exact match",
        RowKind::Partial => "Partial match",
        RowKind::New => "New",
        RowKind::Unchanged => "Unchanged",
        RowKind::Updated => "Updated",
        RowKind::DeactivatedInApp => "Deactivated in app",
        RowKind::ReactivatedInApp => "Reactivated in app",
        RowKind::RemovedInApp => "Removed from app",
    }
}

fn state_label(state: &RowState) -> String {
    match state {
        RowState::Pending => "Awaiting confirmation".into(),
        RowState::Done => "Done".into(),
        RowState::Held => "Held: not applied".into(),
        RowState::Cancelled => "Cancelled: not applied".into(),
        RowState::Ignored { reason: None } => "Ignored".into(),
        RowState::Ignored { reason: Some(r) } => format!("Ignored: {r}"),
        RowState::Failed { reason } => format!("Failed: {reason}"),
    }
}

/// A row as the table shows it, with the reason spelled out.
#[derive(Debug, Clone, PartialEq)]
struct View {
    index: usize,
    username: String,
    scim_id: String,
    kind: RowKind,
    reason: String,
    decision: Option<Decision>,
    state: RowState,
    hook: bool,
}

fn describe(org: &idp::org::Org, index: usize, row: &ImportRow) -> View {
    let login = |id: &String| {
        org.directory
            .user(id)
            .map_or_else(|| id.clone(), |u| u.login().to_string())
    };
    let matched = row.matches.iter().map(login).collect::<Vec<_>>().join(", ");
    let reason = match row.kind {
        RowKind::Exact => {
            // The exact-match criteria in words; the partial-match policy is not one of them.
            let criteria: Vec<String> = org
                .import
                .matching
                .policy()
                .into_iter()
                .filter_map(|p| match p.as_str() {
                    "USERNAME" => Some("Okta username".to_string()),
                    "EMAIL" => Some("email".to_string()),
                    "FIRST_AND_LAST_NAME" => None,
                    other => other.strip_prefix("ATTRIBUTE:").map(str::to_string),
                })
                .collect();
            format!("{} matches {matched}", criteria.join(" and "))
        }
        RowKind::Partial => format!("first and last name match {matched}"),
        RowKind::New => "no Okta person matches".into(),
        RowKind::Updated if !row.changes.is_empty() => {
            let linked = row.linked_user.as_ref().map(login).unwrap_or_default();
            format!(
                "linked to {linked}; {}",
                idp::import::describe_changes(&row.changes)
            )
        }
        RowKind::RemovedInApp => row
            .linked_user
            .as_ref()
            .map(|u| format!("linked to {}, gone from the app", login(u)))
            .unwrap_or_default(),
        _ => row
            .linked_user
            .as_ref()
            .map(|u| format!("linked to {}", login(u)))
            .unwrap_or_default(),
    };
    View {
        index,
        username: row.username.clone(),
        scim_id: row.scim_id.clone(),
        kind: row.kind,
        reason,
        decision: row.decision.clone(),
        state: row.state.clone(),
        hook: row.hook_applied,
    }
}

#[component]
pub fn ImportPanel() -> impl IntoView {
    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="import">
            <h1 id="panel-title" class="panel__title">"Import"</h1>
            <p class="panel__purpose">"Bring the app's users into Okta: match them to people, review, and confirm."</p>
            <OrgReady><ImportBody/></OrgReady>
        </section>
    }
}

#[component]
fn ImportBody() -> impl IntoView {
    let host = use_org();
    let page = RwSignal::new(0usize);
    let chosen = RwSignal::new(BTreeSet::<usize>::new());
    let lit_kind = RwSignal::new(None::<RowKind>);
    let activate = RwSignal::new(false);
    let filter = RwSignal::new(String::from("all"));

    let status = move || {
        host.with(|org| {
            org.last_import
                .as_ref()
                .map(|r| (r.status.clone(), r.stats, r.job_id.clone()))
        })
    };
    // Indices of the rows the filter shows; only the page on screen is described (logins looked
    // up, reasons written), so an import of ten thousand users stays cheap to redraw.
    let shown = Memo::new(move |_| {
        let f = filter.get();
        host.with(|org| {
            org.last_import
                .as_ref()
                .map(|run| {
                    run.rows
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| match f.as_str() {
                            "pending" => r.state == RowState::Pending,
                            "exact" => r.kind == RowKind::Exact,
                            "partial" => r.kind == RowKind::Partial,
                            "new" => r.kind == RowKind::New,
                            "removed" => {
                                matches!(r.kind, RowKind::RemovedInApp | RowKind::DeactivatedInApp)
                            }
                            "updated" => {
                                matches!(r.kind, RowKind::Updated | RowKind::ReactivatedInApp)
                            }
                            _ => true,
                        })
                        .map(|(i, _)| i)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let has_rows =
        move || host.with(|org| org.last_import.as_ref().is_some_and(|r| !r.rows.is_empty()));
    let page_rows = move || {
        let start = page.get() * PAGE;
        shown.with(|indices| {
            host.with(|org| {
                let Some(run) = &org.last_import else {
                    return Vec::new();
                };
                indices
                    .iter()
                    .skip(start)
                    .take(PAGE)
                    .filter_map(|&i| run.rows.get(i).map(|r| describe(org, i, r)))
                    .collect::<Vec<_>>()
            })
        })
    };
    let total = move || shown.with(Vec::len);
    let pending = move || {
        host.with_untracked(|org| {
            org.last_import
                .as_ref()
                .map(|run| {
                    run.rows
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.state == RowState::Pending)
                        .map(|(i, _)| i)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let schedule =
        move || host.with(|org| (org.import.schedule.full, org.import.schedule.next_run_ms));
    let now = move || js_sys::Date::now() as i64 + host.clock_offset_ms.get();
    let confirm = move |rows: Vec<usize>| {
        if rows.is_empty() {
            return;
        }
        host.act(OrgAction::Confirm {
            rows,
            activate: activate.get_untracked(),
        });
        chosen.set(BTreeSet::new());
    };
    let at_start = move || page.get() == 0;
    let at_end = move || (page.get() + 1) * PAGE >= total();

    let rule = move || host.with(|org| org.import.matching.summary());
    // The matching flow with the last import's counts; a results row lights its own path.
    let flow = Memo::new(move |_| {
        host.with(|org| {
            idp::diagram::matching::diagram(&org.import.matching, org.last_import.as_ref())
        })
    });
    let lit = Signal::derive(move || {
        lit_kind
            .get()
            .map(|kind| host.with(|org| idp::diagram::matching::path(&org.import.matching, kind)))
            .unwrap_or_default()
    });

    view! {
        <section class="card rule-in-force" aria-labelledby="rule-title" data-testid="rule-in-force">
            <h2 id="rule-title" class="section-title">"Matching rule in force"</h2>
            <ul class="plain-list">{move || rule().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            <DiagramView diagram=flow lit=lit name="matching-rule"/>
            <a href=crate::base::join("/provisioning?tab=to-okta")>"Change it in Provisioning › To Okta"</a>
        </section>
        <div class="toolbar" role="group" aria-label="Import">
            <button class="button" type="button" disabled=move || host.busy.get().is_some() on:click=move |_| { page.set(0); chosen.set(BTreeSet::new()); host.act(OrgAction::Import); }>"Import Now"</button>
            <button class="button button--ghost" type="button" on:click=move |_| host.act(OrgAction::AdvanceClock { ms: 3_600_000 })>"Advance clock 1 hour"</button>
            <button class="button button--ghost" type="button" on:click=move |_| host.act(OrgAction::AdvanceClock { ms: 86_400_000 })>"Advance clock 1 day"</button>
            <span class="muted" data-testid="sim-clock">{move || {
                let (interval, next) = schedule();
                let next = match (interval.ms(), next) {
                    (None, _) => "no schedule (To Okta › General)".to_string(),
                    (Some(_), Some(at)) => format!("next import {}", idp::clock::rfc3339(at)),
                    (Some(_), None) => "next import: one interval after the clock next moves".to_string(),
                };
                format!("Simulated time {} · {next}", idp::clock::rfc3339(now()))
            }}</span>
        </div>
        {move || match status() {
            None => view! {
                <div class="empty-state">
                    <p class="empty-state__title">"No import yet"</p>
                    <p>"Import Now reads the app's users (GET /Users, 100 at a time) and matches them to Okta's people."</p>
                </div>
            }.into_any(),
            Some((run_status, stats, job)) => {
                let banner = match run_status {
                    RunStatus::Paused { tripped } => view! {
                        <div class="banner banner--warn" role="alert" data-testid="safeguard">
                            <p><strong>{match tripped.level { Level::App => "App-level import safeguard", Level::Org => "Org-level import safeguard" }}</strong>
                                {format!(" — {}. Nothing has been applied.", tripped.describe())}</p>
                            <div class="toolbar">
                                <button class="button" type="button" on:click=move |_| host.act(OrgAction::ResumeImport)>"Resume import"</button>
                                <button class="button button--ghost" type="button" on:click=move |_| host.act(OrgAction::CancelImport)>"Cancel import"</button>
                            </div>
                        </div>
                    }.into_any(),
                    RunStatus::Cancelled => view! { <p class="banner banner--warn">"This import was cancelled; nothing was applied."</p> }.into_any(),
                    RunStatus::AwaitingConfirmation => view! { <p class="muted">"Some users wait for confirmation below."</p> }.into_any(),
                    RunStatus::Complete => view! { <p class="muted">"Every user of this import is settled."</p> }.into_any(),
                };
                view! {
                    {banner}
                    <p class="stats-line" data-testid="import-stats"><strong>{stats.to_string()}</strong> <span class="muted">{format!(" · job {job}")}</span></p>
                    <Chart/>
                }.into_any()
            }
        }}
        <Show when=has_rows>
            <div class="toolbar" role="group" aria-label="Confirmation">
                <label class="field"><span>"Show"</span>
                    <select prop:value=move || filter.get() on:change=move |ev| { filter.set(event_target_value(&ev)); page.set(0); }>
                        <option value="all">"All users"</option>
                        <option value="pending">"Awaiting confirmation"</option>
                        <option value="exact">"Exact matches"</option>
                        <option value="partial">"Partial matches"</option>
                        <option value="new">"New users"</option>
                        <option value="updated">"Updated or reactivated"</option>
                        <option value="removed">"Removed or deactivated in the app"</option>
                    </select>
                </label>
                <button class="button button--ghost" type="button" on:click=move |_| chosen.set(pending().into_iter().collect())>"Select all awaiting"</button>
                <button class="button button--ghost" type="button" on:click=move |_| chosen.set(BTreeSet::new())>"Select none"</button>
                <label class="check"><input type="checkbox" prop:checked=move || activate.get() on:change=move |ev| activate.set(event_target_checked(&ev))/>
                    <span>"Auto-activate new users"</span></label>
                <button class="button" type="button" disabled=move || chosen.with(BTreeSet::is_empty)
                    on:click=move |_| confirm(chosen.get_untracked().into_iter().collect())>
                    {move || format!("Confirm Assignments ({})", chosen.with(BTreeSet::len))}
                </button>
            </div>
            <div class="traffic__list" tabindex="0" role="region" aria-label="Import results">
                <table class="table table--wrap table--cards" data-testid="import-rows">
                    <caption class="visually-hidden">"Import results"</caption>
                    <thead><tr>
                        <th scope="col"><span class="visually-hidden">"Select"</span></th>
                        <th scope="col">"App user"</th><th scope="col">"Status"</th><th scope="col">"Why"</th><th scope="col">"Decision"</th><th scope="col">"Result"</th>
                    </tr></thead>
                    <tbody>
                        {move || page_rows().into_iter().map(|row| view! { <RowView row=row chosen=chosen lit=lit_kind/> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="pager">
                <button class="button button--ghost" type="button" disabled=at_start on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
                <span>{move || format!("{}–{} of {}", (page.get() * PAGE + 1).min(total()), ((page.get() + 1) * PAGE).min(total()), total())}</span>
                <button class="button button--ghost" type="button" disabled=at_end on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
            </div>
        </Show>
    }
}

#[component]
fn RowView(
    row: View,
    chosen: RwSignal<BTreeSet<usize>>,
    lit: RwSignal<Option<RowKind>>,
) -> impl IntoView {
    let kind = row.kind;
    let host = use_org();
    let index = row.index;
    let pending = row.state == RowState::Pending;
    let existing = RwSignal::new(String::new());
    let decision_slug = match &row.decision {
        Some(Decision::Exact(_)) => "exact",
        Some(Decision::New) => "new",
        Some(Decision::Existing(_)) => "existing",
        Some(Decision::Ignore) => "ignore",
        None => "",
    };
    let exact_target = if row.kind == RowKind::Exact || row.kind == RowKind::Partial {
        host.with_untracked(|org| {
            org.last_import
                .as_ref()
                .and_then(|r| r.rows.get(index))
                .and_then(|r| r.matches.first().cloned())
        })
    } else {
        None
    };
    let has_exact = exact_target.is_some();
    let decide = move |slug: String| {
        let decision = match slug.as_str() {
            "exact" => match exact_target.clone() {
                Some(id) => Decision::Exact(id),
                None => return,
            },
            "new" => Decision::New,
            "ignore" => Decision::Ignore,
            _ => return,
        };
        host.act(OrgAction::Decide {
            row: index,
            decision,
        });
    };
    let link_existing = move |_| {
        let login = existing.get_untracked().trim().to_string();
        match host.with_untracked(|org| org.directory.user_by_login(&login).map(|u| u.id.clone())) {
            Some(id) => host.act(OrgAction::Decide {
                row: index,
                decision: Decision::Existing(id),
            }),
            None => host.notice.set(Some(crate::okta::Notice {
                ok: false,
                text: format!("Nobody in Okta has the username {login:?}."),
            })),
        }
    };
    let username = row.username.clone();
    view! {
        <tr data-username=row.username.clone() data-kind=kind_label(row.kind)
            on:mouseenter=move |_| lit.set(Some(kind)) on:mouseleave=move |_| lit.set(None)
            on:focusin=move |_| lit.set(Some(kind)) on:focusout=move |_| lit.set(None)>
            <td>{pending.then(|| view! {
                <input type="checkbox" aria-label=format!("Select {username}") prop:checked=move || chosen.with(|c| c.contains(&index))
                    on:change=move |ev| { let on = event_target_checked(&ev); chosen.update(|c| { if on { c.insert(index); } else { c.remove(&index); } }); }/>
            })}</td>
            <td data-label="App user"><strong>{crate::components::email(row.username.clone())}</strong><br/><code class="muted">{row.scim_id}</code>{row.hook.then_some(" · changed by the hook")}</td>
            <td data-label="Status"><span class="pill">{kind_label(row.kind)}</span></td>
            <td data-label="Why">{row.reason}</td>
            <td data-label="Decision">{if pending {
                view! {
                    <label class="visually-hidden" for=format!("decision-{index}")>{format!("Decision for {}", row.username)}</label>
                    <select id=format!("decision-{index}") prop:value=decision_slug on:change=move |ev| decide(event_target_value(&ev))>
                        <option value="" disabled=true>"Choose…"</option>
                        {has_exact.then(|| view! { <option value="exact">"Link to the match"</option> })}
                        <option value="new">"Create new user"</option>
                        <option value="existing">"Link to an existing user…"</option>
                        <option value="ignore">"Ignore"</option>
                    </select>
                    {(decision_slug == "existing" || decision_slug.is_empty()).then(|| view! {
                        <span class="inline-form">
                            <input aria-label=format!("Existing Okta username for row {}", index + 1) placeholder="username" prop:value=move || existing.get() on:input=move |ev| existing.set(event_target_value(&ev))/>
                            <button class="link-button" type="button" on:click=link_existing>"Link"</button>
                        </span>
                    })}
                }.into_any()
            } else {
                view! { <span>{match &row.decision { Some(Decision::Exact(_)) => "Linked", Some(Decision::New) => "Created", Some(Decision::Existing(_)) => "Linked (chosen)", Some(Decision::Ignore) => "Ignored", None => "—" }}</span> }.into_any()
            }}</td>
            <td data-label="Result">{state_label(&row.state)}</td>
        </tr>
    }
}

/// A bar per outcome of the last import.
#[component]
fn Chart() -> impl IntoView {
    let host = use_org();
    let bars = move || {
        host.with(|org| {
            let Some(run) = &org.last_import else {
                return Vec::new();
            };
            let kinds = [
                RowKind::Exact,
                RowKind::Partial,
                RowKind::New,
                RowKind::Updated,
                RowKind::Unchanged,
                RowKind::DeactivatedInApp,
                RowKind::ReactivatedInApp,
                RowKind::RemovedInApp,
            ];
            kinds
                .into_iter()
                .map(|k| {
                    (
                        kind_label(k),
                        run.rows.iter().filter(|r| r.kind == k).count(),
                    )
                })
                .filter(|(_, n)| *n > 0)
                .collect()
        })
    };
    // Named, because a `>` inside the view macro's attribute would end the tag.
    let summary = move || {
        bars()
            .iter()
            .map(|(l, n)| format!("{l}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <figure class="chart">
            <div class="bar-chart" role="img" aria-label=summary>
                {move || {
                    let bars = bars();
                    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
                    bars.into_iter().map(|(label, n)| view! {
                        <div class="bar-chart__row">
                            <span>{label}</span>
                            <span class="bar-chart__bar" style:width=format!("{}%", n * 100 / max)></span>
                            <span class="table__num">{n}</span>
                        </div>
                    }).collect_view()
                }}
            </div>
            <figcaption>"Outcome of the last import"</figcaption>
        </figure>
    }
}
