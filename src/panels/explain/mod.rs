//! Explain: a SCIM filter, PATCH or cursor, typed in or picked from the traffic, explained by
//! the built-in server's own engine (`POST /_playground/explain`): the filter's parse tree,
//! which resources it matches and why (every node's result and the values it saw), a PATCH
//! taken one operation at a time with the RFC 7644 rule each follows, and the position, page
//! size and expiry an RFC 9865 cursor names. Errors are underlined at their span.

use leptos::prelude::*;
use protocol::admin::{Endpoint, TrafficPage};
use protocol::explain::{
    CursorExplanation, ExplainError, ExplainRequest, Explanation, FilterExplanation, FilterTree,
    PatchExplanation, PathTree,
};
use serde_json::Value;

use crate::api;
use crate::components::worker_badge::WorkerBanner;
use crate::panels::traffic::model::Record;

const CLIENT: &str = "explain";

const EXAMPLE_PATCH: &str = r#"{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations": [
    { "op": "replace", "path": "displayName", "value": "New Name" },
    { "op": "add", "path": "emails[type eq \"work\"].display", "value": "Work" },
    { "op": "remove", "path": "nickName" }
  ]
}"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Filter,
    Patch,
    Cursor,
}

/// What the engine answered, by the question asked.
#[derive(Debug, Clone)]
enum Answer {
    Filter(FilterExplanation),
    Patch(PatchExplanation),
    Cursor(CursorExplanation),
}

async fn ask(request: &ExplainRequest) -> Result<Answer, String> {
    let body = serde_json::to_string(request).map_err(|e| e.to_string())?;
    let reply = api::admin(Endpoint::Explain, "", Some(&body), CLIENT).await?;
    match request {
        ExplainRequest::Filter { .. } => reply.parse().map(Answer::Filter),
        ExplainRequest::Patch { .. } => reply.parse().map(Answer::Patch),
        ExplainRequest::Cursor { .. } => reply.parse().map(Answer::Cursor),
    }
}

/// The text with the span `[start, end)` (bytes) underlined.
fn underlined(text: &str, span: Option<[usize; 2]>) -> AnyView {
    let Some([start, end]) = span else {
        return ().into_any();
    };
    let (before, middle, after) = crate::components::split_at_span(text, start, end);
    view! {
        <code class="mapping__source" data-testid="error-source">
            {before}<span class="expr-error">{middle}</span>{after}
        </code>
    }
    .into_any()
}

fn error_view(text: &str, error: Option<&ExplainError>) -> AnyView {
    let fallback = ExplainError {
        message: "error".into(),
        ..ExplainError::default()
    };
    let error = error.unwrap_or(&fallback);
    let scim_type = error
        .scim_type
        .as_ref()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    view! {
        <div class="banner banner--error" role="alert" data-testid="explain-error">
            {underlined(text, error.span)}
            <p>{error.message.clone()}{scim_type}</p>
        </div>
    }
    .into_any()
}

/// One node of the filter's parse tree.
fn tree(node: &FilterTree) -> AnyView {
    let (kind, label, children): (&str, String, Vec<&FilterTree>) = match node {
        FilterTree::Compare { attr, op, value } => (
            "compare",
            format!("compare: {attr} {op} {value}"),
            Vec::new(),
        ),
        FilterTree::Present { attr } => ("present", format!("present: {attr} pr"), Vec::new()),
        FilterTree::And { operands } => ("and", "AND".into(), operands.iter().collect()),
        FilterTree::Or { operands } => ("or", "OR".into(), operands.iter().collect()),
        FilterTree::Not { filter } => ("not", "NOT".into(), vec![filter.as_ref()]),
        FilterTree::ValuePath { attr, filter } => (
            "valuePath",
            format!("value filter on {attr}[…]"),
            vec![filter.as_ref()],
        ),
    };
    view! {
        <li data-kind=kind>
            <code>{label}</code>
            {(!children.is_empty()).then(|| view! { <ul class="tree">{children.into_iter().map(tree).collect_view()}</ul> })}
        </li>
    }
    .into_any()
}

/// One node of a resource's explanation: its part of the filter, matched or not, and why.
fn explanation(node: &Explanation) -> AnyView {
    let matched = node.matched;
    view! {
        <li class=if matched { "explain-node explain-node--yes" } else { "explain-node explain-node--no" }>
            <span aria-hidden="true">{if matched { "✓ " } else { "✗ " }}</span>
            <span class="visually-hidden">{if matched { "matches: " } else { "does not match: " }}</span>
            <code>{node.filter.clone()}</code>
            {(!node.values.is_empty()).then(|| view! { <span class="muted">{format!(" saw {}", Value::Array(node.values.clone()))}</span> })}
            {(!node.notes.is_empty()).then(|| view! { <span class="muted">{format!(" — {}", node.notes.join("; "))}</span> })}
            {(!node.children.is_empty()).then(|| view! { <ul class="tree">{node.children.iter().map(explanation).collect_view()}</ul> })}
        </li>
    }
    .into_any()
}

/// A query parameter of a traffic record's URL, decoded; `None` when absent or empty.
fn param_of(record: &Record, name: &str) -> Option<String> {
    let query = record.url.split_once('?')?.1;
    let prefix = format!("{name}=");
    query.split('&').find_map(|pair| {
        let value = pair.strip_prefix(&prefix).filter(|v| !v.is_empty())?;
        js_sys::decode_uri_component(&value.replace('+', " "))
            .ok()
            .map(String::from)
    })
}

/// The filter query parameter of a traffic record's URL, decoded.
fn filter_of(record: &Record) -> Option<String> {
    param_of(record, "filter")
}

/// The cursor a traffic record's request sent back, decoded.
fn cursor_of(record: &Record) -> Option<String> {
    param_of(record, "cursor")
}

#[component]
pub fn ExplainPanel() -> impl IntoView {
    let mode = RwSignal::new(Mode::Filter);
    let kind = RwSignal::new("User".to_string());
    let filter_text = RwSignal::new(
        r#"userName sw "a" or emails[type eq "work" and value co "example"]"#.to_string(),
    );
    let patch_id = RwSignal::new(String::new());
    let patch_body = RwSignal::new(EXAMPLE_PATCH.to_string());
    let cursor_text = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<Answer, String>>);
    let explained_text = RwSignal::new(String::new());
    let picks = RwSignal::new(Vec::<Record>::new());

    let run_filter = move || {
        let text = filter_text.get_untracked();
        explained_text.set(text.clone());
        let request = ExplainRequest::Filter {
            resource_type: kind.get_untracked(),
            filter: text,
        };
        leptos::task::spawn_local(async move { result.set(Some(ask(&request).await)) });
    };
    let run_patch = move || {
        let body = match serde_json::from_str::<Value>(&patch_body.get_untracked()) {
            Ok(body) => body,
            Err(e) => {
                result.set(Some(Err(format!("The PATCH body is not JSON: {e}"))));
                return;
            }
        };
        let request = ExplainRequest::Patch {
            resource_type: kind.get_untracked(),
            id: patch_id.get_untracked().trim().to_string(),
            body,
        };
        leptos::task::spawn_local(async move { result.set(Some(ask(&request).await)) });
    };
    let run_cursor = move || {
        let request = ExplainRequest::Cursor {
            cursor: cursor_text.get_untracked().trim().to_string(),
        };
        leptos::task::spawn_local(async move { result.set(Some(ask(&request).await)) });
    };
    let load_traffic = move |_| {
        leptos::task::spawn_local(async move {
            let Ok(TrafficPage { records }) =
                api::admin(Endpoint::Traffic, "limit=200", None, CLIENT)
                    .await
                    .and_then(|reply| reply.parse::<TrafficPage>())
            else {
                return;
            };
            picks.set(
                records
                    .into_iter()
                    .rev()
                    .filter(|r| {
                        let get = r.method == "GET";
                        (get && (filter_of(r).is_some() || cursor_of(r).is_some()))
                            || r.method == "PATCH"
                    })
                    .take(30)
                    .collect(),
            );
        });
    };
    let pick = move |index: usize| {
        let Some(record) = picks.with_untracked(|p| p.get(index).cloned()) else {
            return;
        };
        let path = record.path().to_string();
        kind.set(if path.starts_with("/Groups") {
            "Group".into()
        } else {
            "User".into()
        });
        if record.method == "PATCH" {
            mode.set(Mode::Patch);
            patch_id.set(
                path.trim_start_matches("/Users/")
                    .trim_start_matches("/Groups/")
                    .to_string(),
            );
            let pretty = serde_json::from_str::<Value>(&record.request_body)
                .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
                .unwrap_or(record.request_body.clone());
            patch_body.set(pretty);
            run_patch();
        } else if let Some(cursor) = cursor_of(&record) {
            mode.set(Mode::Cursor);
            cursor_text.set(cursor);
            run_cursor();
        } else if let Some(filter) = filter_of(&record) {
            mode.set(Mode::Filter);
            filter_text.set(filter);
            run_filter();
        }
    };

    view! {
        <WorkerBanner/>
        <section class="panel panel--wide" aria-labelledby="panel-title" data-panel="explain">
            <h1 id="panel-title" class="panel__title">"Explain"</h1>
            <p class="panel__purpose">"How the server reads a filter, a PATCH or a cursor: the parse tree, what matches and why, each operation with the RFC rule it follows, and where a cursor's page starts."</p>
            <div class="tabs" role="tablist" aria-label="What to explain">
                <button type="button" role="tab" class="tab" aria-selected=move || (mode.get() == Mode::Filter).to_string() on:click=move |_| { mode.set(Mode::Filter); result.set(None); }>"Filter"</button>
                <button type="button" role="tab" class="tab" aria-selected=move || (mode.get() == Mode::Patch).to_string() on:click=move |_| { mode.set(Mode::Patch); result.set(None); }>"PATCH"</button>
                <button type="button" role="tab" class="tab" aria-selected=move || (mode.get() == Mode::Cursor).to_string() on:click=move |_| { mode.set(Mode::Cursor); result.set(None); }>"Cursor"</button>
            </div>
            <div class="toolbar">
                <label class="field"><span>"Resource type"</span>
                    <select prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="User">"Users"</option>
                        <option value="Group">"Groups"</option>
                    </select>
                </label>
                <button class="button button--ghost" type="button" on:click=load_traffic>"Pick from the traffic…"</button>
                {move || (!picks.with(Vec::is_empty)).then(|| view! {
                    <label class="field field--grow"><span>"Recent filters, PATCHes and cursors"</span>
                        <select on:change=move |ev| if let Ok(i) = event_target_value(&ev).parse() { pick(i) }>
                            <option value="">"Choose an exchange…"</option>
                            {picks.get().into_iter().enumerate().map(|(i, r)| {
                                let label = match (filter_of(&r), cursor_of(&r)) {
                                    (_, Some(_)) if r.method == "GET" => format!("GET cursor {}", r.path()),
                                    (Some(f), _) if r.method == "GET" => format!("GET filter {f}"),
                                    _ => format!("{} {}", r.method, r.path()),
                                };
                                view! { <option value=i.to_string()>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                })}
            </div>
            {move || match mode.get() {
                Mode::Filter => view! {
                    <form class="toolbar" aria-label="Filter" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); run_filter(); }>
                        <label class="field field--grow"><span>"Filter"</span>
                            <input class="code-input" name="filter" prop:value=move || filter_text.get() on:input=move |ev| filter_text.set(event_target_value(&ev))/>
                        </label>
                        <button class="button" type="submit">"Explain filter"</button>
                    </form>
                }.into_any(),
                Mode::Patch => view! {
                    <form class="form-grid" aria-label="PATCH" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); run_patch(); }>
                        <label class="field"><span>"Resource id"</span>
                            <input class="code-input" name="id" prop:value=move || patch_id.get() on:input=move |ev| patch_id.set(event_target_value(&ev))/>
                        </label>
                        <label class="field field--grow"><span>"PATCH body"</span>
                            <textarea class="code-input" name="body" rows="10" prop:value=move || patch_body.get() on:input=move |ev| patch_body.set(event_target_value(&ev))></textarea>
                        </label>
                        <div class="toolbar"><button class="button" type="submit">"Step through"</button></div>
                    </form>
                }.into_any(),
                Mode::Cursor => view! {
                    <form class="toolbar" aria-label="Cursor" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); run_cursor(); }>
                        <label class="field field--grow"><span>"Cursor (a list answer's nextCursor or previousCursor)"</span>
                            <input class="code-input" name="cursor" prop:value=move || cursor_text.get() on:input=move |ev| cursor_text.set(event_target_value(&ev))/>
                        </label>
                        <button class="button" type="submit">"Explain cursor"</button>
                    </form>
                }.into_any(),
            }}
            <div data-testid="explain-result">
                {move || match result.get() {
                    None => ().into_any(),
                    Some(Err(e)) => view! { <p class="banner banner--error" role="alert">{e}</p> }.into_any(),
                    Some(Ok(Answer::Patch(out))) => patch_view(&out),
                    Some(Ok(Answer::Filter(out))) => filter_view(&out, &explained_text.get_untracked()),
                    Some(Ok(Answer::Cursor(out))) => cursor_view(&out),
                }}
            </div>
        </section>
    }
}

fn filter_view(out: &FilterExplanation, text: &str) -> AnyView {
    if !out.ok {
        return error_view(text, out.error.as_ref());
    }
    view! {
        <p><strong>"Canonical: "</strong><code data-testid="canonical">{out.canonical.clone().unwrap_or_default()}</code></p>
        <h2 class="section-title">"Parse tree"</h2>
        <ul class="tree" data-testid="parse-tree">{out.tree.as_ref().map(tree)}</ul>
        <h2 class="section-title" data-testid="match-count">{format!("{} of {} match", out.matched, out.scanned)}</h2>
        <ul class="plain-list" data-testid="explained-resources">
            {out.resources.iter().map(|r| {
                view! {
                    <li data-matched=r.matched.to_string()>
                        <details>
                            <summary>{if r.matched { "✓ " } else { "✗ " }}<strong>{r.label.clone()}</strong> " " <code class="muted">{r.id.clone()}</code></summary>
                            <ul class="tree">{explanation(&r.explanation)}</ul>
                        </details>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A PATCH path as the server read it, in words: the attribute, the value filter as a tree
/// (like a filter's), and the sub-attribute.
fn path_view(path: &PathTree) -> AnyView {
    let words = [
        path.urn.as_ref().map(|u| format!("schema {u}")),
        Some(format!("attribute {}", path.attribute)),
        path.filter
            .as_ref()
            .map(|_| "the elements that match the filter below".to_string()),
        path.sub_attribute
            .as_ref()
            .map(|s| format!("sub-attribute {s}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    view! {
        <div class="muted" data-testid="path">
            {format!("Path: {words}")}
            {path.filter.as_ref().map(|f| view! { <ul class="tree">{tree(f)}</ul> })}
        </div>
    }
    .into_any()
}

fn patch_view(out: &PatchExplanation) -> AnyView {
    if !out.ok && out.steps.is_empty() {
        return error_view("", out.error.as_ref());
    }
    view! {
        <p>{if out.ok { "Every operation applies (nothing was stored: this is a dry run)." } else { "An operation fails, so the server would apply none of them (a PATCH is atomic)." }}</p>
        <ol class="scenario-steps" data-testid="patch-steps">
            {out.steps.iter().map(|step| {
                let path = step.path.clone().unwrap_or_default();
                view! {
                    <li class="scenario-step" data-state=if step.ok { "done" } else { "failed" }>
                        <p><code>{format!("{} {}", step.op, if path.is_empty() { "(no path)".to_string() } else { path.clone() })}</code></p>
                        <p class="muted" data-testid="rule">{step.rule.clone()}</p>
                        {step.path_tree.as_ref().map(path_view)}
                        {if step.ok {
                            let changed = step.changed.clone().unwrap_or_default().join(", ");
                            view! {
                                <p>{if changed.is_empty() { "Changes nothing.".to_string() } else { format!("Changes: {changed}") }}</p>
                                <details><summary>"The resource after this step"</summary><pre class="code">{serde_json::to_string_pretty(&step.after).unwrap_or_default()}</pre></details>
                            }.into_any()
                        } else {
                            error_view(&path, step.error.as_ref())
                        }}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// A cursor in words: which page it names, from where, and for how long.
fn cursor_view(out: &CursorExplanation) -> AnyView {
    if !out.ok {
        return error_view("", out.error.as_ref());
    }
    let side = match out.edge.as_str() {
        "after" => "right after",
        "from" => "starting at",
        "before" => "right before",
        _ => "up to and including",
    };
    let position = format!("{} {}", out.resource_type, out.id);
    let sorted = match &out.sort_value {
        Some(value) => format!(" (its sortBy value was {value})"),
        None => " (in id order: the query has no sortBy)".to_string(),
    };
    view! {
        <dl class="headers" data-testid="cursor-explanation">
            <dt>"Page"</dt>
            <dd>{format!("The {} entries {side} {position}{sorted}, in the list's order.", out.count)}</dd>
            <dt>"That resource"</dt>
            <dd>{if out.still_there { "is still on the server." } else { "has been deleted since; its place in the order still marks where the page starts, so no row is skipped." }}</dd>
            <dt>"Issued"</dt>
            <dd>{out.issued_at.clone()}</dd>
            <dt>"Expires"</dt>
            <dd>{format!("{}{}", out.expires_at, if out.expired { " — expired: the server answers 400 expiredCursor" } else { "" })}</dd>
            <dt>"Bound to"</dt>
            <dd>"the endpoint, filter, sortBy and sortOrder of the request that received it, and its count: another query gets 400 invalidCursor, another count 400 invalidCount."</dd>
        </dl>
    }
    .into_any()
}
