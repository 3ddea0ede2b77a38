//! Explain: a SCIM filter or PATCH, typed in or picked from the traffic, explained by the
//! built-in server's own engine (`POST /_playground/explain`): the filter's parse tree, which
//! resources it matches and why (every node's result and the values it saw), and a PATCH taken
//! one operation at a time with the RFC 7644 rule each follows. Errors are underlined at their
//! span.

use leptos::prelude::*;
use serde_json::{json, Value};

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
}

async fn ask(request: Value) -> Result<Value, String> {
    let reply = api::send(
        "POST",
        "/_playground/explain",
        &[("Content-Type".into(), "application/json".into())],
        Some(&request.to_string()),
        CLIENT,
    )
    .await?;
    reply
        .json()
        .ok_or_else(|| format!("the server answered {} without JSON", reply.status))
}

/// The text with the span `[start, end]` (bytes) underlined.
fn underlined(text: &str, span: &Value) -> AnyView {
    let bounds = span
        .as_array()
        .and_then(|s| Some((s.first()?.as_u64()? as usize, s.get(1)?.as_u64()? as usize)));
    let Some((start, end)) = bounds else {
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

fn error_view(text: &str, error: &Value) -> AnyView {
    let message = error["message"].as_str().unwrap_or("error").to_string();
    let scim_type = error["scimType"]
        .as_str()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    view! {
        <div class="banner banner--error" role="alert" data-testid="explain-error">
            {underlined(text, &error["span"])}
            <p>{message}{scim_type}</p>
        </div>
    }
    .into_any()
}

/// One node of the filter's parse tree (the engine's AST as JSON).
fn tree(node: &Value) -> AnyView {
    let kind = node["kind"].as_str().unwrap_or_default();
    let attr = |a: &Value| {
        let name = a["name"].as_str().unwrap_or_default();
        let sub = a["sub"]
            .as_str()
            .map(|s| format!(".{s}"))
            .unwrap_or_default();
        let urn = a["urn"]
            .as_str()
            .map(|u| format!("{u}:"))
            .unwrap_or_default();
        format!("{urn}{name}{sub}")
    };
    let (label, children): (String, Vec<Value>) = match kind {
        "compare" => (
            format!(
                "compare: {} {} {}",
                attr(&node["attr"]),
                node["op"].as_str().unwrap_or_default(),
                node["value"]
            ),
            Vec::new(),
        ),
        "present" => (format!("present: {} pr", attr(&node["attr"])), Vec::new()),
        "and" | "or" => (
            kind.to_uppercase(),
            node["operands"].as_array().cloned().unwrap_or_default(),
        ),
        "not" => ("NOT".into(), vec![node["filter"].clone()]),
        "valuePath" => (
            format!("value filter on {}[…]", attr(&node["attr"])),
            vec![node["filter"].clone()],
        ),
        _ => (node.to_string(), Vec::new()),
    };
    view! {
        <li data-kind=kind.to_string()>
            <code>{label}</code>
            {(!children.is_empty()).then(|| view! { <ul class="tree">{children.iter().map(tree).collect_view()}</ul> })}
        </li>
    }
    .into_any()
}

/// One node of a resource's explanation: its part of the filter, matched or not, and why.
fn explanation(node: &Value) -> AnyView {
    let matched = node["matched"].as_bool().unwrap_or(false);
    let values = node["values"].as_array().cloned().unwrap_or_default();
    let notes = node["notes"].as_array().cloned().unwrap_or_default();
    let children = node["children"].as_array().cloned().unwrap_or_default();
    view! {
        <li class=if matched { "explain-node explain-node--yes" } else { "explain-node explain-node--no" }>
            <span aria-hidden="true">{if matched { "✓ " } else { "✗ " }}</span>
            <span class="visually-hidden">{if matched { "matches: " } else { "does not match: " }}</span>
            <code>{node["filter"].as_str().unwrap_or_default().to_string()}</code>
            {(!values.is_empty()).then(|| view! { <span class="muted">{format!(" saw {}", Value::Array(values.clone()))}</span> })}
            {(!notes.is_empty()).then(|| view! { <span class="muted">{format!(" — {}", notes.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("; "))}</span> })}
            {(!children.is_empty()).then(|| view! { <ul class="tree">{children.iter().map(explanation).collect_view()}</ul> })}
        </li>
    }
    .into_any()
}

/// The filter query parameter of a traffic record's URL, decoded.
fn filter_of(record: &Record) -> Option<String> {
    let query = record.url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let value = pair.strip_prefix("filter=")?;
        js_sys::decode_uri_component(&value.replace('+', " "))
            .ok()
            .map(String::from)
    })
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
    let result = RwSignal::new(None::<Result<Value, String>>);
    let explained_text = RwSignal::new(String::new());
    let picks = RwSignal::new(Vec::<Record>::new());

    let run_filter = move || {
        let text = filter_text.get_untracked();
        explained_text.set(text.clone());
        let request =
            json!({"kind": "filter", "resourceType": kind.get_untracked(), "filter": text});
        leptos::task::spawn_local(async move { result.set(Some(ask(request).await)) });
    };
    let run_patch = move || {
        let body = match serde_json::from_str::<Value>(&patch_body.get_untracked()) {
            Ok(body) => body,
            Err(e) => {
                result.set(Some(Err(format!("The PATCH body is not JSON: {e}"))));
                return;
            }
        };
        let request = json!({"kind": "patch", "resourceType": kind.get_untracked(), "id": patch_id.get_untracked().trim(), "body": body});
        leptos::task::spawn_local(async move { result.set(Some(ask(request).await)) });
    };
    let load_traffic = move |_| {
        leptos::task::spawn_local(async move {
            let Ok(reply) =
                api::send("GET", "/_playground/traffic?limit=200", &[], None, CLIENT).await
            else {
                return;
            };
            let records: Vec<Record> = reply
                .json()
                .and_then(|v| serde_json::from_value(v.get("records")?.clone()).ok())
                .unwrap_or_default();
            picks.set(
                records
                    .into_iter()
                    .rev()
                    .filter(|r| {
                        (r.method == "GET" && filter_of(r).is_some()) || r.method == "PATCH"
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
            <p class="panel__purpose">"How the server reads a filter or a PATCH: the parse tree, what matches and why, and each operation with the RFC rule it follows."</p>
            <div class="tabs" role="tablist" aria-label="What to explain">
                <button type="button" role="tab" class="tab" aria-selected=move || (mode.get() == Mode::Filter).to_string() on:click=move |_| { mode.set(Mode::Filter); result.set(None); }>"Filter"</button>
                <button type="button" role="tab" class="tab" aria-selected=move || (mode.get() == Mode::Patch).to_string() on:click=move |_| { mode.set(Mode::Patch); result.set(None); }>"PATCH"</button>
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
                    <label class="field field--grow"><span>"Recent filters and PATCHes"</span>
                        <select on:change=move |ev| if let Ok(i) = event_target_value(&ev).parse() { pick(i) }>
                            <option value="">"Choose an exchange…"</option>
                            {picks.get().into_iter().enumerate().map(|(i, r)| {
                                let label = match filter_of(&r) { Some(f) if r.method == "GET" => format!("GET filter {f}"), _ => format!("{} {}", r.method, r.path()) };
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
            }}
            <div data-testid="explain-result">
                {move || match result.get() {
                    None => ().into_any(),
                    Some(Err(e)) => view! { <p class="banner banner--error" role="alert">{e}</p> }.into_any(),
                    Some(Ok(out)) if out.get("steps").is_some() || out.get("before").is_some() || mode.get() == Mode::Patch => patch_view(&out),
                    Some(Ok(out)) => filter_view(&out, &explained_text.get_untracked()),
                }}
            </div>
        </section>
    }
}

fn filter_view(out: &Value, text: &str) -> AnyView {
    if out["ok"] != true {
        return error_view(text, &out["error"]);
    }
    let resources = out["resources"].as_array().cloned().unwrap_or_default();
    view! {
        <p><strong>"Canonical: "</strong><code data-testid="canonical">{out["canonical"].as_str().unwrap_or_default().to_string()}</code></p>
        <h2 class="section-title">"Parse tree"</h2>
        <ul class="tree" data-testid="parse-tree">{tree(&out["tree"])}</ul>
        <h2 class="section-title" data-testid="match-count">{format!("{} of {} match", out["matched"], out["scanned"])}</h2>
        <ul class="plain-list" data-testid="explained-resources">
            {resources.into_iter().map(|r| {
                let matched = r["matched"] == true;
                view! {
                    <li data-matched=matched.to_string()>
                        <details>
                            <summary>{if matched { "✓ " } else { "✗ " }}<strong>{r["label"].as_str().unwrap_or_default().to_string()}</strong> " " <code class="muted">{r["id"].as_str().unwrap_or_default().to_string()}</code></summary>
                            <ul class="tree">{explanation(&r["explanation"])}</ul>
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
fn path_view(path: &Value) -> AnyView {
    let filter = path.get("filter").cloned();
    let words = [
        ("schema ", "urn"),
        ("attribute ", "attribute"),
        ("", "filter"),
        ("sub-attribute ", "subAttribute"),
    ]
    .iter()
    .filter_map(|&(label, key)| match &path[key] {
        Value::String(v) => Some(format!("{label}{v}")),
        Value::Null => None,
        _ => Some("the elements that match the filter below".into()),
    })
    .collect::<Vec<_>>()
    .join(", ");
    view! {
        <div class="muted" data-testid="path">
            {format!("Path: {words}")}
            {filter.map(|f| view! { <ul class="tree">{tree(&f)}</ul> })}
        </div>
    }
    .into_any()
}

fn patch_view(out: &Value) -> AnyView {
    if out["ok"] != true && out.get("steps").is_none() {
        return error_view("", &out["error"]);
    }
    let steps = out["steps"].as_array().cloned().unwrap_or_default();
    view! {
        <p>{if out["ok"] == true { "Every operation applies (nothing was stored: this is a dry run)." } else { "An operation fails, so the server would apply none of them (a PATCH is atomic)." }}</p>
        <ol class="scenario-steps" data-testid="patch-steps">
            {steps.into_iter().map(|step| {
                let ok = step["ok"] == true;
                let path = step["path"].as_str().unwrap_or("").to_string();
                view! {
                    <li class="scenario-step" data-state=if ok { "done" } else { "failed" }>
                        <p><code>{format!("{} {}", step["op"].as_str().unwrap_or_default(), if path.is_empty() { "(no path)".to_string() } else { path.clone() })}</code></p>
                        <p class="muted" data-testid="rule">{step["rule"].as_str().unwrap_or_default().to_string()}</p>
                        {step.get("pathTree").map(path_view)}
                        {if ok {
                            let changed = step["changed"].as_array().map(|c| c.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")).unwrap_or_default();
                            view! {
                                <p>{if changed.is_empty() { "Changes nothing.".to_string() } else { format!("Changes: {changed}") }}</p>
                                <details><summary>"The resource after this step"</summary><pre class="code">{serde_json::to_string_pretty(&step["after"]).unwrap_or_default()}</pre></details>
                            }.into_any()
                        } else {
                            error_view(&path, &step["error"])
                        }}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
