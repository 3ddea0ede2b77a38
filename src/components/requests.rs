//! Requests Okta would send, as a dry run computed them (the sourcing "what if", the push
//! preview): each with its method and URL, its headers on demand, and its body pretty-printed.
//! Credentials and secrets arrive masked (`idp::syslog::LoggedRequest`).

use idp::syslog::LoggedRequest;
use leptos::prelude::*;

/// A JSON body indented for reading; any other text as it is.
fn pretty(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| body.to_string())
}

/// The list; `testid` names each item for tests.
#[component]
pub fn RequestList(requests: Vec<LoggedRequest>, testid: &'static str) -> impl IntoView {
    view! {
        <ol class="request-list">
            {requests.into_iter().map(|r| {
                let line = format!("{} {}", r.method, r.url);
                let headers = r.headers.iter().map(|(n, v)| format!("{n}: {v}")).collect::<Vec<_>>().join("\n");
                view! {
                    <li class="request-list__item" data-testid=testid data-method=r.method.clone()>
                        <code class="request-list__line">{line}</code>
                        {(!headers.is_empty()).then(|| view! {
                            <details><summary>"Headers"</summary><pre class="request-list__body">{headers}</pre></details>
                        })}
                        {r.body.as_deref().map(|b| view! { <pre class="request-list__body" data-testid="request-body">{pretty(b)}</pre> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
