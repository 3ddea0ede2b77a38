//! Tests: Okta's pre-submission SPEC test, the lifecycle CRUD flow and a discovery and schema
//! check (`idp::conformance`), run in the browser against the built-in server or any SCIM base
//! URL. Each step shows its request, the response, every assertion and the verdict; a failure
//! says what was expected and what came back.

use idp::conformance::{self, Report, Step, Suite, Target};
use idp::transport::{HttpRequest, HttpResponse, SendFuture, Transport, TransportError};
use leptos::prelude::*;

mod precheck;

use crate::api;
use crate::components::relay::RelayOption;
use crate::components::worker_badge::WorkerBanner;
use crate::okta::{builtin_base_url, BrowserClock};
use precheck::PreCheck;

/// How the runner's requests are tagged in the traffic log.
const CLIENT: &str = "tests";

/// The runner's requests as real `fetch`es.
struct PageTransport;

impl Transport for PageTransport {
    fn send(&self, req: HttpRequest) -> SendFuture<'_> {
        Box::pin(async move {
            let reply = api::send(
                &req.method,
                &req.url,
                &req.headers,
                req.body.as_deref(),
                CLIENT,
            )
            .await
            .map_err(TransportError::Network)?;
            Ok(HttpResponse {
                status: reply.status,
                headers: reply.headers,
                body: reply.body,
                cross_origin: reply.cross_origin,
            })
        })
    }
}

fn slug(suite: Suite) -> &'static str {
    match suite {
        Suite::Spec => "spec",
        Suite::Crud => "crud",
        Suite::Discovery => "discovery",
    }
}

/// The step's request as it went over the wire: request line, headers (the credential masked
/// by `idp::conformance`), then the body, so it reads like the traffic log and like curl -v.
fn request_text(step: &Step) -> String {
    let mut text = format!("{} {}\n", step.method, step.url);
    for (name, value) in &step.request_headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    if let Some(body) = &step.request_body {
        text.push('\n');
        text.push_str(&crate::components::pretty_json(body));
    }
    text
}

/// The response the same way: status line, headers, body; or why there was none.
fn response_text(step: &Step) -> String {
    let Some(status) = step.status else {
        return "No response came back (see the first check for why).".to_string();
    };
    let mut text = format!("{status}\n");
    for (name, value) in &step.response_headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    if !step.response_body.is_empty() {
        text.push('\n');
        text.push_str(&crate::components::pretty_json(&step.response_body));
    }
    text
}

#[component]
pub fn TestsPanel() -> impl IntoView {
    // `?target=external` (the overview's "Test my SCIM server") starts on an external server.
    let external = leptos_router::hooks::use_query_map()
        .with_untracked(|query| query.get("target").is_some_and(|t| t == "external"));
    let builtin = RwSignal::new(!external);
    let base_url = RwSignal::new(String::new());
    let authorization = RwSignal::new(String::new());
    let use_server_credential = RwSignal::new(true);
    let reports = RwSignal::new(Vec::<Report>::new());
    let running = RwSignal::new(None::<Suite>);
    let found = RwSignal::new(None::<Result<precheck::Found, String>>);
    // Whether the built-in server requires a credential at all: only then can the runner use it.
    let server_requires = move || {
        found
            .get()
            .and_then(Result::ok)
            .is_some_and(|f| f.credential.is_some())
    };

    let run = move |suites: Vec<Suite>| {
        if running.get_untracked().is_some() {
            return;
        }
        reports.set(Vec::new());
        leptos::task::spawn_local(async move {
            let target = if builtin.get_untracked() {
                let credential = if use_server_credential.get_untracked() {
                    api::server_authorization().await
                } else {
                    Some(authorization.get_untracked()).filter(|a| !a.trim().is_empty())
                };
                Target {
                    base_url: builtin_base_url(),
                    authorization: credential,
                }
            } else {
                Target {
                    base_url: base_url
                        .get_untracked()
                        .trim()
                        .trim_end_matches('/')
                        .to_string(),
                    authorization: Some(authorization.get_untracked())
                        .filter(|a| !a.trim().is_empty()),
                }
            };
            let clock = BrowserClock::real();
            let tag = format!("{}", js_sys::Date::now() as u64);
            for suite in suites {
                running.set(Some(suite));
                let report = conformance::run(suite, &PageTransport, &clock, &target, &tag).await;
                let stopped = report.stopped_at().is_some();
                reports.update(|r| r.push(report));
                // The next suite would meet the same silence.
                if stopped {
                    break;
                }
            }
            running.set(None);
            // A run adds users to the server it tests.
            found.set(Some(precheck::read().await));
        });
    };
    let summary = move || {
        reports.with(|reports| {
            reports
                .iter()
                .map(|r| {
                    let (passed, total) = r.score();
                    format!("{}: {passed}/{total} steps passed", r.suite.title())
                })
                .collect::<Vec<_>>()
                .join(" · ")
        })
    };

    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="tests">
            <h1 id="panel-title" class="panel__title">"Tests"</h1>
            <p class="panel__purpose">"Okta's pre-submission SPEC test, the lifecycle CRUD flow, and a discovery check — step by step, against any SCIM server."</p>
            <form class="card form-grid" aria-label="Test target" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); run(Suite::ALL.to_vec()); }>
                <fieldset class="settings-section check">
                    <legend>"Server"</legend>
                    <label class="check"><input type="radio" name="target" prop:checked=move || builtin.get() on:change=move |_| builtin.set(true)/>
                        <span>"Built-in server"<small class="muted">{format!(" — {}", builtin_base_url())}</small></span></label>
                    <label class="check"><input type="radio" name="target" prop:checked=move || !builtin.get() on:change=move |_| builtin.set(false)/>
                        <span>"External SCIM server"<small class="muted">" — one that allows this origin (CORS), or any other through the local relay"</small></span></label>
                </fieldset>
                <Show when=move || !builtin.get()>
                    <label class="field field--grow"><span>"Base URL"</span>
                        <input type="url" name="baseUrl" placeholder="https://app.example.com/scim/v2" prop:value=move || base_url.get() on:input=move |ev| base_url.set(event_target_value(&ev))/></label>
                    <RelayOption base_url=base_url/>
                </Show>
                <Show when=move || builtin.get() && server_requires()>
                    <label class="check"><input type="checkbox" name="serverCredential" prop:checked=move || use_server_credential.get() on:change=move |ev| use_server_credential.set(event_target_checked(&ev))/>
                        <span>"Use the credential the built-in server requires"<small class="muted">" — untick to type one (e.g. a wrong one, to see the failures)"</small></span></label>
                </Show>
                <Show when=move || builtin.get() && !server_requires()>
                    <p class="muted" data-testid="no-credential">"The built-in server requires no credential, so the runner sends none."</p>
                </Show>
                <Show when=move || !builtin.get() || (server_requires() && !use_server_credential.get())>
                    <label class="field field--grow"><span>"Authorization header"</span>
                        <input name="authorization" autocomplete="off" placeholder="Bearer …" prop:value=move || authorization.get() on:input=move |ev| authorization.set(event_target_value(&ev))/></label>
                </Show>
                <div class="toolbar">
                    <button class="button" type="submit" disabled=move || running.get().is_some()>"Run all"</button>
                    {Suite::ALL.into_iter().map(|suite| view! {
                        <button class="button button--ghost" type="button" disabled=move || running.get().is_some()
                            on:click=move |_| run(vec![suite])>{format!("Run {}", suite.title())}</button>
                    }).collect_view()}
                </div>
            </form>
            <Show when=move || builtin.get()>
                <PreCheck found=found/>
            </Show>
            <p role="status" aria-live="polite" data-testid="tests-summary">
                {move || match running.get() {
                    Some(suite) => format!("Running {}…", suite.title()),
                    None => summary(),
                }}
            </p>
            {move || reports.get().into_iter().map(|report| {
                let (passed, total) = report.score();
                let stopped = report.stopped_at().map(|step| view! { <Unreachable step=step.clone()/> });
                view! {
                    <section class="card" data-suite=slug(report.suite) aria-label=report.suite.title()>
                        <h2 class="section-title">{format!("{} — {passed}/{total}", report.suite.title())}</h2>
                        {stopped}
                        <ol class="plain-list">
                            {report.steps.into_iter().map(|step| {
                                let ok = step.passed();
                                view! {
                                    <li class="test-step" data-passed=ok.to_string()>
                                        <details open=!ok>
                                            <summary>
                                                <span class=if ok { "status status--ok" } else { "status status--error" }>{if ok { "PASS" } else { "FAIL" }}</span>
                                                " " {step.name.clone()} " "
                                                <code class="muted">{format!("{} {} → {} ({} ms)", step.method, step.url, step.status.map_or("no response".into(), |s| s.to_string()), step.duration_ms)}</code>
                                            </summary>
                                            <ul class="plain-list">
                                                {step.checks.iter().map(|c| view! {
                                                    <li class=if c.passed { "explain-node explain-node--yes" } else { "explain-node explain-node--no" } data-check-passed=c.passed.to_string()>
                                                        <code>{if c.passed { "✓ " } else { "✗ " }}{c.expectation.clone()}</code>
                                                        <span class="muted">{format!(" — {}", c.detail)}</span>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                            <details><summary>"Request"</summary><pre class="code" data-testid="step-request">{request_text(&step)}</pre></details>
                                            <details><summary>"Response"</summary><pre class="code" data-testid="step-response">{response_text(&step)}</pre></details>
                                        </details>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    </section>
                }
            }).collect_view()}
        </section>
    }
}

/// Why a run stopped: the request that got no response, and what usually causes that.
#[component]
fn Unreachable(step: Step) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let base = step
        .url
        .find("/Users")
        .or_else(|| step.url.find("/ServiceProviderConfig"))
        .map_or(step.url.as_str(), |at| &step.url[..at])
        .to_string();
    let reason = step
        .checks
        .first()
        .map(|check| check.detail.clone())
        .unwrap_or_default();
    view! {
        <div class="banner banner--error" role="alert" data-testid="tests-unreachable">
            <p>
                <strong>{format!("The run stopped: {} {} got no response", step.method, step.url)}</strong>
                {format!(" ({reason}). Every later step would fail the same way. Likely causes:")}
            </p>
            <ul>
                {conformance::unreachable_causes(&base, &origin).into_iter().map(|cause| view! { <li>{cause}</li> }).collect_view()}
            </ul>
        </div>
    }
}
