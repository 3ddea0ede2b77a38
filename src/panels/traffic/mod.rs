//! The Traffic panel: every SCIM exchange the worker answers, live, with request and response
//! side by side, filters, copy as curl (for the bridge), HAR export, a latency chart, and clear.

pub mod export;
pub mod highlight;
pub mod model;

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

use protocol::admin::{Endpoint, TrafficPage};

use crate::api;
use crate::components::worker_badge::WorkerBanner;
use model::{Filter, Message, Record};

/// How many records the panel keeps in memory: as many as the stored log holds at most.
const KEEP: usize = protocol::traffic::KEEP;
/// How many rows the list renders at once; the newest first.
const SHOWN: usize = 300;
/// Where `make bridge` listens by default.
const DEFAULT_BRIDGE: &str = "http://127.0.0.1:8787";

/// An open channel and the listener that must live as long as it.
type Subscription = (BroadcastChannel, Closure<dyn FnMut(MessageEvent)>);

thread_local! {
    /// Open channels and their listeners, by panel instance, so cleanup can close them.
    static CHANNELS: RefCell<HashMap<u32, Subscription>> = RefCell::new(HashMap::new());
    static NEXT_CHANNEL: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Listens on the worker's channel for new records, until the panel unmounts.
pub fn subscribe(on_record: impl Fn(Record) + 'static) {
    let Ok(channel) = BroadcastChannel::new(&crate::base::scoped(model::CHANNEL)) else {
        return;
    };
    let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let message = event
            .data()
            .as_string()
            // Through a JSON value, like the records the list loads: the record's typed reader
            // is then compiled once, for values, instead of once more for text.
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|value| serde_json::from_value::<Message>(value).ok());
        if let Some(Message::Traffic { record }) = message {
            on_record(record);
        }
    });
    channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
    let id = NEXT_CHANNEL.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    CHANNELS.with(|c| c.borrow_mut().insert(id, (channel, listener)));
    on_cleanup(move || {
        if let Some((channel, _)) = CHANNELS.with(|c| c.borrow_mut().remove(&id)) {
            channel.close();
        }
    });
}

#[component]
pub fn TrafficPanel() -> impl IntoView {
    let records = RwSignal::new(Vec::<(u64, Record)>::new());
    let next_id = StoredValue::new(0u64);
    let loaded = RwSignal::new(None::<Result<(), String>>);
    let selected = RwSignal::new(None::<u64>);
    // A link may name a client (the System Log links to `?client=okta%20%2312`, the client tag
    // of the exchange an event caused), so the list opens filtered to it.
    let linked_client = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("client")
        .filter(|c| !c.is_empty());
    let filter = RwSignal::new(Filter {
        client: linked_client.clone(),
        ..Filter::default()
    });
    let bridge = RwSignal::new(DEFAULT_BRIDGE.to_string());
    let curl_text = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let add = move |record: Record| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        records.update(|list| {
            list.push((id, record));
            if list.len() > KEEP {
                let excess = list.len() - KEEP;
                list.drain(..excess);
            }
        });
    };
    subscribe(add);
    wasm_bindgen_futures::spawn_local(async move {
        let result = match api::admin(Endpoint::Traffic, "limit=1000", None, "traffic")
            .await
            .and_then(|reply| reply.parse::<TrafficPage>())
        {
            Ok(TrafficPage { records: stored }) => {
                // Records that arrived live while loading are newer; keep them after these.
                let live = records.get_untracked();
                records.set(Vec::new());
                for record in stored {
                    if !live.iter().any(|(_, r)| r == &record) {
                        add(record);
                    }
                }
                for (_, record) in live {
                    add(record);
                }
                // A link to one exchange (an `okta #N` tag names exactly one) opens it, not
                // just the list filtered to it.
                if let Some(client) = &linked_client {
                    let matching: Vec<u64> = records.with_untracked(|list| {
                        list.iter()
                            .filter(|(_, r)| &r.client == client)
                            .map(|(id, _)| *id)
                            .collect()
                    });
                    if let [only] = matching.as_slice() {
                        selected.set(Some(*only));
                    }
                }
                Ok(())
            }
            Err(e) => Err(format!("the traffic log could not be read: {e}")),
        };
        loaded.set(Some(result));
    });

    let visible = Memo::new(move |_| {
        let f = filter.get();
        records.with(|list| {
            list.iter()
                .rev()
                .filter(|(_, r)| f.accepts(r))
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let methods = Memo::new(move |_| distinct(records, |r| r.method.clone()));
    let clients = Memo::new(move |_| distinct(records, |r| r.client.clone()));
    let current = Memo::new(move |_| {
        let id = selected.get()?;
        records.with(|list| list.iter().find(|(i, _)| *i == id).map(|(_, r)| r.clone()))
    });

    let clear = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            match api::admin(Endpoint::ClearTraffic, "", None, "traffic").await {
                Ok(reply) if reply.status < 300 => {
                    records.set(Vec::new());
                    selected.set(None);
                    notice.set(Some("Traffic cleared.".into()));
                }
                Ok(reply) => notice.set(Some(format!("Could not clear: {}", reply.status))),
                Err(e) => notice.set(Some(format!("Could not clear: {e}"))),
            }
        });
    };
    let export_har = move |_| {
        let list: Vec<Record> = records.with(|l| l.iter().map(|(_, r)| r.clone()).collect());
        let text = serde_json::to_string_pretty(&export::har(&list)).unwrap_or_default();
        match crate::download("scim-playground.har", &text, "application/json") {
            Ok(()) => notice.set(Some(format!("Exported {} exchanges as HAR.", list.len()))),
            Err(_) => notice.set(Some("The browser refused the download.".into())),
        }
    };
    let copy_curl = move |_| {
        let Some(record) = current.get_untracked() else {
            return;
        };
        let base = bridge.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            let authorization = api::server_authorization().await;
            let text = export::curl(&record, &base, authorization.as_deref());
            curl_text.set(Some(text.clone()));
            let clipboard = window().navigator().clipboard();
            let copied = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text)).await;
            notice.set(Some(if copied.is_ok() {
                "Copied the curl command.".into()
            } else {
                "The browser refused the clipboard; the command is shown below.".into()
            }));
        });
    };

    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="traffic">
            <h1 id="panel-title" class="panel__title">"Traffic"</h1>
            <p class="panel__purpose">
                "Every SCIM exchange the server in this tab answers, live. Credentials are masked in the log. "
                {format!("It keeps {}, so it never crowds out your data (App data shows the space it takes).", protocol::traffic::BOUNDS)}
            </p>
            <div class="toolbar" role="group" aria-label="Traffic filters and actions">
                <label class="field">
                    <span>"Status"</span>
                    <select on:change=move |ev| {
                        let v = event_target_value(&ev);
                        filter.update(|f| f.status_class = v.parse().ok());
                    }>
                        <option value="">"All"</option>
                        <option value="2">"2xx"</option>
                        <option value="3">"3xx"</option>
                        <option value="4">"4xx"</option>
                        <option value="5">"5xx"</option>
                    </select>
                </label>
                <label class="field">
                    <span>"Method"</span>
                    <select on:change=move |ev| {
                        let v = event_target_value(&ev);
                        filter.update(|f| f.method = (!v.is_empty()).then_some(v));
                    }>
                        <option value="">"All"</option>
                        {move || methods.get().into_iter().map(|m| view! { <option value=m.clone()>{m.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>"Client"</span>
                    <select on:change=move |ev| {
                        let v = event_target_value(&ev);
                        filter.update(|f| f.client = (!v.is_empty()).then_some(v));
                    }>
                        <option value="">"All"</option>
                        {move || clients.get().into_iter().map(|c| {
                            let chosen = filter.with_untracked(|f| f.client.as_deref() == Some(c.as_str()));
                            view! { <option value=c.clone() selected=chosen>{c.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field field--grow">
                    <span>"Path contains"</span>
                    <input type="search" placeholder="/Users" on:input=move |ev| {
                        let v = event_target_value(&ev);
                        filter.update(|f| f.path = v);
                    }/>
                </label>
                <button class="button button--ghost" type="button" on:click=export_har>"Export HAR"</button>
                <button class="button button--ghost" type="button" on:click=clear>"Clear"</button>
            </div>
            <p class="notice" role="status" aria-live="polite">{move || notice.get()}</p>
            <LatencyChart records=visible/>
            {move || match loaded.get() {
                None => view! { <p class="muted">"Loading the traffic log…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="banner banner--error" role="alert">{format!("Could not load the traffic log: {e}")}</p> }.into_any(),
                Some(Ok(())) if visible.with(Vec::is_empty) => view! {
                    <div class="empty-state">
                        <p class="empty-state__title">"No exchanges yet"</p>
                        <p>"Requests to /scim/v2 from this page, the Console, the simulator or the bridge appear here as they happen."</p>
                    </div>
                }.into_any(),
                Some(Ok(())) => view! {
                    <div class="traffic">
                        <div class="traffic__list" tabindex="0" role="region" aria-label="Exchanges">
                            <table class="table">
                                <caption class="visually-hidden">"Recorded exchanges, newest first"</caption>
                                <thead><tr>
                                    <th scope="col">"Time"</th><th scope="col">"Client"</th><th scope="col">"Method"</th>
                                    <th scope="col">"Path"</th><th scope="col">"Status"</th><th scope="col">"ms"</th>
                                </tr></thead>
                                <tbody>
                                    <For each=move || visible.get() key=|(id, _)| *id let:item>
                                        <TrafficRow id=item.0 record=item.1 selected=selected/>
                                    </For>
                                </tbody>
                            </table>
                        </div>
                        <div class="traffic__detail">
                            {move || match current.get() {
                                None => view! { <p class="muted">"Select an exchange to see its request and response."</p> }.into_any(),
                                Some(record) => view! {
                                    <div class="toolbar">
                                        <label class="field field--grow">
                                            <span>"Bridge URL (start it with make bridge; curl reaches the server through it)"</span>
                                            <input type="url" prop:value=move || bridge.get() on:input=move |ev| bridge.set(event_target_value(&ev))/>
                                        </label>
                                        <button class="button" type="button" on:click=copy_curl>"Copy as curl"</button>
                                    </div>
                                    {move || curl_text.get().map(|t| view! {
                                        <p class="muted">"It replays the request through the bridge: run `make bridge` in the project first."</p>
                                        <pre class="code" data-testid="curl">{t}</pre>
                                    })}
                                    <Exchange record=record/>
                                }.into_any(),
                            }}
                        </div>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

fn distinct(records: RwSignal<Vec<(u64, Record)>>, key: impl Fn(&Record) -> String) -> Vec<String> {
    let mut values: Vec<String> = records.with(|list| list.iter().map(|(_, r)| key(r)).collect());
    values.sort();
    values.dedup();
    values
}

#[component]
fn TrafficRow(id: u64, record: Record, selected: RwSignal<Option<u64>>) -> impl IntoView {
    let time = record.at.get(11..23).unwrap_or(&record.at).to_string();
    let status_class = format!("status-code status-code--{}xx", record.status / 100);
    view! {
        <tr
            class="table__row"
            class:table__row--selected=move || selected.get() == Some(id)
            tabindex="0"
            aria-selected=move || (selected.get() == Some(id)).to_string()
            on:click=move |_| selected.set(Some(id))
            on:keydown=move |ev| if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); selected.set(Some(id)) }
        >
            <td>{time}</td>
            <td>{record.client.clone()}</td>
            <td><code>{record.method.clone()}</code></td>
            <td class="table__path"><code>{record.path().to_string()}</code></td>
            <td><span class=status_class>{record.status}</span></td>
            <td class="table__num">{format!("{:.1}", record.duration_ms)}</td>
        </tr>
    }
}

#[component]
fn Exchange(record: Record) -> impl IntoView {
    // The simulator's requests went through the browser, which added headers Okta never sends.
    let simulated = record.client.starts_with("okta");
    view! {
        <div class="exchange">
            <Side title="Request" line=format!("{} {}", record.method, record.url) headers=record.request_headers.clone() body=record.request_body.clone() simulated=simulated/>
            <Side title="Response" line=format!("{} · {:.1} ms · profile {}", record.status, record.duration_ms, record.profile) headers=record.response_headers.clone() body=record.response_body.clone()/>
        </div>
    }
}

#[component]
fn Side(
    title: &'static str,
    line: String,
    headers: Vec<(String, String)>,
    body: String,
    /// A request of the Okta simulator: the headers the browser added are marked.
    #[prop(optional)]
    simulated: bool,
) -> impl IntoView {
    view! {
        <section class="exchange__side" aria-label=title>
            <h2 class="exchange__title">{title}</h2>
            <p class="exchange__line"><code>{line}</code></p>
            {simulated.then(|| view! {
                <p class="muted" data-testid="browser-headers-note">
                    "Okta sends this from its servers with " <code>"User-Agent: Okta SCIM Client 1.0.0"</code>
                    " and none of the headers marked browser (nor a CORS preflight to another origin): the browser added those. The System Log shows the request as Okta sends it."
                </p>
            })}
            <dl class="headers">
                {headers.into_iter().map(|(n, v)| {
                    let browser = simulated && idp::client::added_by_a_browser(&n);
                    view! {
                        <dt class:headers__browser=browser data-browser=browser.to_string()>{n}</dt>
                        <dd class:headers__browser=browser>{v}{browser.then(|| view! { " " <span class="pill">"browser"</span> })}</dd>
                    }
                }).collect_view()}
            </dl>
            {(!body.is_empty()).then(|| view! {
                <pre class="code json">
                    {highlight::highlight(&body).into_iter().map(|(token, text)| view! { <span class=token.class()>{text}</span> }).collect_view()}
                </pre>
            })}
        </section>
    }
}

/// Durations of the shown exchanges over time, oldest on the left.
#[component]
fn LatencyChart(records: Memo<Vec<(u64, Record)>>) -> impl IntoView {
    const WIDTH: f64 = 600.0;
    const HEIGHT: f64 = 80.0;
    let points = move || {
        let list = records.get();
        let max = list
            .iter()
            .map(|(_, r)| r.duration_ms)
            .fold(1.0_f64, f64::max);
        let n = list.len().max(2) as f64 - 1.0;
        let y = |r: &Record| HEIGHT - r.duration_ms / max * (HEIGHT - 4.0);
        let mut coords: Vec<String> = list
            .iter()
            .rev()
            .enumerate()
            .map(|(i, (_, r))| format!("{:.1},{:.1}", i as f64 / n * WIDTH, y(r)))
            .collect();
        // A line needs two points: one exchange is drawn as a level line across the chart.
        if let [(_, only)] = list.as_slice() {
            coords.push(format!("{WIDTH:.1},{:.1}", y(only)));
        }
        (coords.join(" "), max, list.len())
    };
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img"
                aria-label=move || format!("Latency of the last {} exchanges, up to {:.1} ms", points().2, points().1)>
                <polyline points=move || points().0 fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke"/>
            </svg>
            <figcaption class="muted">{move || format!("Latency, last {} exchanges (max {:.1} ms)", points().2, points().1)}</figcaption>
        </figure>
    }
}
