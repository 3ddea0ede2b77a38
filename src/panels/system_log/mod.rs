//! System Log: the simulator's events with Okta's event type names, newest first, filtered by
//! type, person, outcome and time; each event that sent a request shows it and links to the
//! exchange in Traffic (the worker's log tags Okta's requests with the event's exchange id).

use idp::syslog::Outcome;
use leptos::prelude::*;

use crate::components::worker_badge::WorkerBanner;
use crate::okta::{use_org, Loaded};

const PAGE: usize = 50;

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    published: String,
    published_ms: i64,
    event_type: String,
    ok: bool,
    person: String,
    target: String,
    reason: String,
    request: Option<String>,
    /// The request's headers as Okta sends them (credential masked).
    headers: Vec<(String, String)>,
    exchange: Option<u64>,
}

#[component]
pub fn SystemLogPanel() -> impl IntoView {
    let host = use_org();
    let event_type = RwSignal::new(String::new());
    let person = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let since = RwSignal::new(String::from("all"));
    let page = RwSignal::new(0usize);

    let entries = Memo::new(move |_| {
        host.with(|org| {
            org.log
                .events()
                .iter()
                .rev()
                .map(|e| {
                    let login = |id: &String| {
                        org.directory
                            .user(id)
                            .map_or_else(|| id.clone(), |u| u.login().to_string())
                    };
                    Entry {
                        published: idp::clock::rfc3339(e.published_ms),
                        published_ms: e.published_ms,
                        event_type: e.event_type.clone(),
                        ok: e.outcome == Outcome::Success,
                        person: e.user_id.as_ref().map(login).unwrap_or_default(),
                        target: e
                            .group_id
                            .as_ref()
                            .and_then(|g| {
                                org.directory.group(g).map(|g| format!("group {}", g.name))
                            })
                            .unwrap_or_default(),
                        reason: e.reason.clone().unwrap_or_default(),
                        request: e.request.as_ref().map(|r| {
                            let status = e
                                .status
                                .map_or_else(|| "no response".to_string(), |s| s.to_string());
                            format!("{} {} → {status}", r.method, r.url)
                        }),
                        headers: e
                            .request
                            .as_ref()
                            .map(|r| r.headers.clone())
                            .unwrap_or_default(),
                        exchange: e.exchange_id,
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let types = Memo::new(move |_| {
        let mut types: Vec<String> =
            entries.with(|list| list.iter().map(|e| e.event_type.clone()).collect());
        types.sort();
        types.dedup();
        types
    });
    let shown = Memo::new(move |_| {
        let (t, p, o, s) = (
            event_type.get(),
            person.get().to_lowercase(),
            outcome.get(),
            since.get(),
        );
        let now = js_sys::Date::now() as i64 + host.clock_offset_ms.get();
        let window_ms = match s.as_str() {
            "hour" => Some(3_600_000),
            "day" => Some(86_400_000),
            "week" => Some(7 * 86_400_000),
            _ => None,
        };
        entries.with(|list| {
            list.iter()
                .filter(|e| t.is_empty() || e.event_type == t)
                .filter(|e| p.is_empty() || e.person.to_lowercase().contains(&p))
                .filter(|e| match o.as_str() {
                    "SUCCESS" => e.ok,
                    "FAILURE" => !e.ok,
                    _ => true,
                })
                .filter(|e| window_ms.is_none_or(|w| now - e.published_ms <= w))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let total = move || shown.with(Vec::len);
    let at_start = move || page.get() == 0;
    let at_end = move || (page.get() + 1) * PAGE >= total();
    let reset_page = move || page.set(0);

    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="system-log">
            <h1 id="panel-title" class="panel__title">"System Log"</h1>
            <p class="panel__purpose">"Every provisioning attempt, with Okta's event type, the outcome and why, and the request it sent."</p>
            <div class="toolbar" role="group" aria-label="Filters">
                <label class="field"><span>"Event type"</span>
                    <select on:change=move |ev| { event_type.set(event_target_value(&ev)); reset_page(); }>
                        <option value="">"All"</option>
                        {move || types.get().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Outcome"</span>
                    <select on:change=move |ev| { outcome.set(event_target_value(&ev)); reset_page(); }>
                        <option value="">"All"</option>
                        <option value="SUCCESS">"Success"</option>
                        <option value="FAILURE">"Failure"</option>
                    </select>
                </label>
                <label class="field"><span>"Time"</span>
                    <select on:change=move |ev| { since.set(event_target_value(&ev)); reset_page(); }>
                        <option value="all">"Any time"</option>
                        <option value="hour">"Last hour"</option>
                        <option value="day">"Last 24 hours"</option>
                        <option value="week">"Last 7 days"</option>
                    </select>
                </label>
                <label class="field field--grow"><span>"Person (username contains)"</span>
                    <input type="search" on:input=move |ev| { person.set(event_target_value(&ev)); reset_page(); }/>
                </label>
                <button class="button button--ghost" type="button" on:click=move |_| {
                    if window().confirm_with_message("Clear the System Log?").unwrap_or(false) {
                        host.edit("Clearing the System Log", |org| { org.log.clear(); Ok("The System Log was cleared.".into()) });
                    }
                }>"Clear"</button>
            </div>
            {move || match host.loaded.get() {
                Loaded::Ready if total() == 0 => view! {
                    <div class="empty-state">
                        <p class="empty-state__title">"No events"</p>
                        <p>"Assign the app to someone in the Directory, or run an import: each attempt is logged here."</p>
                    </div>
                }.into_any(),
                Loaded::Ready => view! {
                    <ol class="plain-list log-list" data-testid="events">
                        {move || shown.with(|list| list.iter().skip(page.get() * PAGE).take(PAGE).cloned().collect::<Vec<_>>()).into_iter().map(|e| view! {
                            <li class="log-entry" data-type=e.event_type.clone()>
                                <div class="log-entry__head">
                                    <span class=if e.ok { "status status--ok" } else { "status status--error" }>{if e.ok { "SUCCESS" } else { "FAILURE" }}</span>
                                    <code>{e.event_type.clone()}</code>
                                    {e.event_type.starts_with("playground.").then(|| view! {
                                        <span class="pill" title="Okta's documentation names no event type for this; the playground logs it under its own name so you can read the request">"not an Okta event type"</span>
                                    })}
                                    <time class="muted" datetime=e.published.clone()>{e.published.clone()}</time>
                                </div>
                                <div>{e.person.clone()} {(!e.target.is_empty()).then(|| format!(" {}", e.target))} {(!e.reason.is_empty()).then(|| format!(" — {}", e.reason))}</div>
                                {e.request.clone().map(|r| view! { <div class="exchange-list">{r}</div> })}
                                {(!e.headers.is_empty()).then(|| view! {
                                    <details class="log-entry__headers">
                                        <summary>"Headers, as Okta sends them"</summary>
                                        <dl class="headers">{e.headers.iter().map(|(n, v)| view! { <dt>{n.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}</dl>
                                    </details>
                                })}
                                {e.exchange.map(|id| view! {
                                    <a class="link-button" href=crate::base::join(&format!("/traffic?client={}", String::from(js_sys::encode_uri_component(&format!("okta #{id}")))))>
                                        {format!("View exchange #{id} in Traffic")}
                                    </a>
                                })}
                            </li>
                        }).collect_view()}
                    </ol>
                    <div class="pager">
                        <button class="button button--ghost" type="button" disabled=at_start on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Newer"</button>
                        <span>{move || format!("{}–{} of {}", page.get() * PAGE + 1, ((page.get() + 1) * PAGE).min(total()), total())}</span>
                        <button class="button button--ghost" type="button" disabled=at_end on:click=move |_| page.update(|p| *p += 1)>"Older"</button>
                    </div>
                }.into_any(),
                _ => view! { <p class="muted">"Opening the Okta org…"</p> }.into_any(),
            }}
        </section>
    }
}
