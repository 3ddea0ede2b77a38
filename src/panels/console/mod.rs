//! The Console: send any request to the built-in server or an external SCIM base URL, from
//! ready-made templates, with the body checked as JSON before it goes, and a history.

mod paging;
pub mod templates;

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api;
use crate::components::worker_badge::WorkerBanner;
use crate::panels::traffic::highlight;
use templates::TEMPLATES;

const HISTORY_KEY: &str = "scim-playground.console.history";
const HISTORY_LEN: usize = 30;
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// A request as the Console sends it (also what the history keeps).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Draft {
    method: String,
    path: String,
    headers: String,
    body: String,
    #[serde(default)]
    status: Option<u16>,
}

impl Draft {
    /// The draft as the history keeps it: credential headers and secret body members masked
    /// (crates/secrets), since the history lives in localStorage, readable long after and by
    /// anything on this origin. Picking it again shows where a credential must be re-entered.
    fn without_secrets(&self) -> Draft {
        let headers = self
            .headers
            .lines()
            .map(|line| match line.split_once(':') {
                Some((name, value)) if secrets::is_secret_header(name.trim()) => {
                    format!("{}: {}", name.trim(), secrets::mask_credential(value))
                }
                _ => line.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        Draft {
            headers,
            body: secrets::body(&self.body),
            ..self.clone()
        }
    }
}

struct Outcome {
    status: u16,
    millis: f64,
    headers: Vec<(String, String)>,
    body: String,
    /// The RFC 9865 cursors of a list response, for the "next page" buttons.
    cursors: paging::Cursors,
}

/// Parses the headers box: one `Name: value` per line; blank lines are skipped.
fn parse_headers(text: &str) -> Result<Vec<(String, String)>, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_string(), value.trim().to_string()))
            }
            _ => Err(format!(
                "\"{line}\" is not a header: write it as Name: value"
            )),
        })
        .collect()
}

/// Why the body is not JSON, with its line and column; `None` when it is (or is empty).
fn body_problem(body: &str) -> Option<String> {
    if body.trim().is_empty() {
        return None;
    }
    serde_json::from_str::<serde_json::Value>(body)
        .err()
        .map(|e| format!("Not JSON: {e}"))
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[component]
pub fn ConsolePanel() -> impl IntoView {
    let method = RwSignal::new("GET".to_string());
    let path = RwSignal::new("/ServiceProviderConfig".to_string());
    let headers = RwSignal::new("Accept: application/scim+json".to_string());
    let body = RwSignal::new(String::new());
    let external = RwSignal::new(String::new());
    let last_id = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<Outcome, String>>);
    // A history an older version wrote may hold credentials: it is cleaned as it is read.
    let saved: Vec<Draft> = LocalStorage::get::<Vec<Draft>>(crate::base::scoped(HISTORY_KEY))
        .unwrap_or_default()
        .iter()
        .map(Draft::without_secrets)
        .collect();
    let _ = LocalStorage::set(crate::base::scoped(HISTORY_KEY), &saved);
    let history = RwSignal::new(saved);
    let problem = Memo::new(move |_| body.with(|b| body_problem(b)));

    let apply_template = move |index: usize| {
        if let Some(template) = TEMPLATES.get(index) {
            method.set(template.method.to_string());
            path.set(template.path.to_string());
            body.set(template.body.to_string());
            let mut lines = vec!["Accept: application/scim+json".to_string()];
            if !template.body.is_empty() {
                lines.push("Content-Type: application/scim+json".to_string());
            }
            // Keep an Authorization line the user already has.
            if let Some(auth) = headers
                .get_untracked()
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
            {
                lines.push(auth.to_string());
            }
            headers.set(lines.join("\n"));
        }
    };
    let use_credentials = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            let auth = api::server_authorization().await;
            headers.update(|text| {
                let mut lines: Vec<String> = text
                    .lines()
                    .filter(|l| !l.to_ascii_lowercase().starts_with("authorization:"))
                    .map(str::to_string)
                    .collect();
                if let Some(auth) = auth {
                    lines.push(format!("Authorization: {auth}"));
                }
                *text = lines.join("\n");
            });
        });
    };
    let send = move |_: ()| {
        if problem.get_untracked().is_some() || sending.get_untracked() {
            return;
        }
        let draft = Draft {
            method: method.get_untracked(),
            path: path.get_untracked(),
            headers: headers.get_untracked(),
            body: body.get_untracked(),
            status: None,
        };
        let header_list = match parse_headers(&draft.headers) {
            Ok(list) => list,
            Err(e) => {
                outcome.set(Some(Err(e)));
                return;
            }
        };
        let resolved = match last_id.get_untracked() {
            Some(id) => draft.path.replace("{id}", &id),
            None => draft.path.clone(),
        };
        let base = external.get_untracked();
        let url = if base.trim().is_empty() {
            format!("/scim/v2{resolved}")
        } else {
            format!("{}{resolved}", base.trim().trim_end_matches('/'))
        };
        sending.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let started = now_ms();
            let body_text = (!draft.body.trim().is_empty()).then_some(draft.body.as_str());
            let result = api::send(&draft.method, &url, &header_list, body_text, "console").await;
            let millis = now_ms() - started;
            sending.set(false);
            match result {
                Ok(reply) => {
                    if reply.status == 201 {
                        if let Some(id) = reply
                            .json()
                            .and_then(|v| v.get("id")?.as_str().map(str::to_string))
                        {
                            last_id.set(Some(id));
                        }
                    }
                    history.update(|list| {
                        let mut entry = draft.without_secrets();
                        entry.status = Some(reply.status);
                        list.retain(|d| {
                            !(d.method == entry.method
                                && d.path == entry.path
                                && d.body == entry.body)
                        });
                        list.insert(0, entry);
                        list.truncate(HISTORY_LEN);
                        let _ = LocalStorage::set(crate::base::scoped(HISTORY_KEY), &*list);
                    });
                    outcome.set(Some(Ok(Outcome {
                        status: reply.status,
                        millis,
                        headers: reply.headers,
                        cursors: paging::cursors(&reply.body),
                        body: reply.body,
                    })));
                }
                Err(e) => outcome.set(Some(Err(format!("The request did not complete: {e}")))),
            }
        });
    };

    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="console">
            <h1 id="panel-title" class="panel__title">"Console"</h1>
            <p class="panel__purpose">"Send any request to the built-in SCIM server or an external one. It shows up in Traffic as client \"console\"."</p>
            <div class="console">
                <div class="console__editor">
                    <div class="toolbar">
                        <label class="field field--grow">
                            <span>"Template"</span>
                            <select on:change=move |ev| {
                                if let Ok(index) = event_target_value(&ev).parse::<usize>() { apply_template(index) }
                            }>
                                <option value="">"Choose a ready-made request…"</option>
                                {TEMPLATES.iter().enumerate().map(|(i, t)| view! {
                                    <option value=i.to_string()>{format!("{} · {}", t.group, t.name)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label class="field field--grow">
                            <span>"External base URL (empty: the built-in server)"</span>
                            <input type="url" placeholder="https://scim.example.com/scim/v2" prop:value=move || external.get()
                                on:input=move |ev| external.set(event_target_value(&ev))/>
                        </label>
                    </div>
                    <div class="toolbar">
                        <label class="field">
                            <span>"Method"</span>
                            <select prop:value=move || method.get() on:change=move |ev| method.set(event_target_value(&ev))>
                                {METHODS.iter().map(|m| view! { <option value=*m>{*m}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="field field--grow">
                            <span>{move || match last_id.get() {
                                Some(id) => format!("Path ({{id}} = {id})"),
                                None => "Path ({id} = the id of the last resource created here)".to_string(),
                            }}</span>
                            <input type="text" prop:value=move || path.get() on:input=move |ev| path.set(event_target_value(&ev))/>
                        </label>
                    </div>
                    <label class="field">
                        <span>"Headers (one per line, Name: value)"</span>
                        <textarea rows="3" class="code-input" prop:value=move || headers.get()
                            on:input=move |ev| headers.set(event_target_value(&ev))></textarea>
                    </label>
                    <button class="button button--ghost" type="button" on:click=use_credentials>
                        "Use the built-in server's credentials"
                    </button>
                    <label class="field">
                        <span>"Body"</span>
                        <textarea rows="12" class="code-input" prop:value=move || body.get()
                            aria-invalid=move || problem.get().is_some().to_string()
                            aria-describedby="body-problem"
                            on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    </label>
                    <p id="body-problem" class="field-error" role="status">{move || problem.get()}</p>
                    <button class="button" type="button" on:click=move |_| send(())
                        disabled=move || problem.get().is_some() || sending.get()>
                        {move || if sending.get() { "Sending…" } else { "Send" }}
                    </button>
                </div>
                <div class="console__result" aria-live="polite">
                    {move || outcome.with(|o| match o {
                        None => view! { <p class="muted">"The response appears here."</p> }.into_any(),
                        Some(Err(e)) => view! { <p class="banner banner--error" role="alert">{e.clone()}</p> }.into_any(),
                        Some(Ok(o)) => view! {
                            <section class="exchange__side" aria-label="Response">
                                <h2 class="exchange__title">
                                    <span class=format!("status-code status-code--{}xx", o.status / 100) data-testid="console-status">{o.status}</span>
                                    {format!(" · {:.0} ms", o.millis)}
                                </h2>
                                <dl class="headers">
                                    {o.headers.iter().map(|(n, v)| view! { <dt>{n.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
                                </dl>
                                {(o.cursors.previous.is_some() || o.cursors.next.is_some()).then(|| {
                                    let follow = move |cursor: Option<String>| move |_| {
                                        if let Some(cursor) = &cursor {
                                            path.update(|p| *p = paging::with_cursor(p, cursor));
                                            send(());
                                        }
                                    };
                                    let (previous, next) = (o.cursors.previous.clone(), o.cursors.next.clone());
                                    view! {
                                        <div class="toolbar" data-testid="console-cursors">
                                            <button class="button button--ghost" type="button" disabled=previous.is_none()
                                                title="Send the same request with cursor = previousCursor (RFC 9865)"
                                                on:click=follow(previous.clone())>"← Previous page"</button>
                                            <button class="button button--ghost" type="button" disabled=next.is_none()
                                                title="Send the same request with cursor = nextCursor (RFC 9865)"
                                                on:click=follow(next.clone())>"Next page →"</button>
                                        </div>
                                    }
                                })}
                                {(!o.body.is_empty()).then(|| view! {
                                    <pre class="code json">
                                        {highlight::highlight(&o.body).into_iter().map(|(t, s)| view! { <span class=t.class()>{s}</span> }).collect_view()}
                                    </pre>
                                })}
                            </section>
                        }.into_any(),
                    })}
                    <h2 class="exchange__title">"History"</h2>
                    {move || if history.with(Vec::is_empty) {
                        view! { <p class="muted">"Requests you send are kept here (in this browser)."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="history">
                                {history.get().into_iter().map(|d| {
                                    let label = format!("{} {} → {}", d.method, d.path, d.status.map(|s| s.to_string()).unwrap_or_default());
                                    let restore = d.clone();
                                    view! { <li><button class="link-button" type="button" on:click=move |_| {
                                        method.set(restore.method.clone());
                                        path.set(restore.path.clone());
                                        headers.set(restore.headers.clone());
                                        body.set(restore.body.clone());
                                    }>{label}</button></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn headers_are_read_one_per_line_and_a_bad_line_is_named() {
        let parsed =
            parse_headers("Accept: a\n\n  Authorization: Bearer x:y  \n").expect("headers");
        assert_eq!(
            parsed,
            [
                ("Accept".to_string(), "a".to_string()),
                ("Authorization".to_string(), "Bearer x:y".to_string())
            ]
        );
        let error = parse_headers("no colon here").expect_err("bad line");
        assert!(error.contains("no colon here"), "{error}");
    }

    #[wasm_bindgen_test]
    fn a_body_that_is_not_json_says_where() {
        assert_eq!(body_problem(""), None);
        assert_eq!(body_problem("{\"a\": 1}"), None);
        let problem = body_problem("{\"a\": }").expect("a problem");
        assert!(problem.contains("line 1 column 7"), "{problem}");
    }
}
