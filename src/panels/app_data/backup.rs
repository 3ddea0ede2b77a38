//! "Back up everything" and "Restore from backup": the Okta org, the built-in server's data and
//! settings, and the scenario progress in one file (`idp::backup`), and a restore that shows what
//! it will replace and applies only when confirmed. Beside them, what the browser says about
//! keeping this data (`crate::storage`).

use std::collections::BTreeMap;

use idp::backup::{Restore, Summary};
use leptos::prelude::*;
use protocol::admin::Endpoint;
use serde_json::{Map, Value};

use crate::api;
use crate::okta::use_org;
use crate::panels::scenarios::progress;
use crate::storage;

/// How this card names itself in the traffic log.
const CLIENT: &str = "backup";

/// The server's export document, read now.
async fn server_export() -> Result<Value, String> {
    let reply = api::admin(Endpoint::Export, "", None, CLIENT).await?;
    if reply.status != 200 {
        return Err(format!(
            "the server's data could not be read (status {})",
            reply.status
        ));
    }
    reply
        .json()
        .ok_or_else(|| "the server's data could not be read".to_string())
}

/// A backup read from a file, waiting for the user to confirm.
#[derive(Clone)]
struct Pending {
    restore: Restore,
    now: Summary,
    then: Summary,
    server_auth: Value,
}

#[component]
pub fn BackupCard() -> impl IntoView {
    let host = use_org();
    let secrets = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let pending = RwSignal::new(None::<Pending>);
    let working = RwSignal::new(false);
    let storage_state = RwSignal::new(None::<storage::State>);
    leptos::task::spawn_local(async move { storage_state.set(Some(storage::state().await)) });

    let back_up = move |_| {
        working.set(true);
        leptos::task::spawn_local(async move {
            let result = async {
                let server = server_export().await?;
                let scenarios: Map<String, Value> = progress::steps()
                    .into_iter()
                    .map(|(lesson, step)| (lesson, Value::from(step)))
                    .collect();
                let created_at = String::from(js_sys::Date::new_0().to_iso_string());
                let text = host.with_untracked(|org| {
                    idp::backup::write(
                        org,
                        &server,
                        &scenarios,
                        secrets.get_untracked(),
                        &created_at,
                    )
                });
                let name = format!("scim-playground-backup-{}.json", &created_at[..10]);
                crate::download(&name, &text, "application/json")
                    .map_err(|_| "the browser refused the download".to_string())?;
                Ok::<_, String>(format!(
                    "Backed up to {name} ({}{}).",
                    storage::size(text.len() as f64),
                    if secrets.get_untracked() {
                        ", with credentials: keep it safe"
                    } else {
                        ", without credentials"
                    }
                ))
            }
            .await;
            message.set(Some(match result {
                Ok(text) => (true, text),
                Err(e) => (false, format!("Not backed up: {e}.")),
            }));
            working.set(false);
        });
    };

    let choose = move |ev: leptos::ev::Event| {
        pending.set(None);
        leptos::task::spawn_local(async move {
            let Some(text) = crate::chosen_file_text(&ev).await else {
                return;
            };
            let checked = async {
                let restore = idp::backup::read(&text).map_err(|e| e.to_string())?;
                let server = server_export().await?;
                let now = host.with_untracked(|org| Summary::of(org, &server));
                let then = Summary::of(&restore.org, &restore.server);
                Ok::<_, String>(Pending {
                    restore,
                    now,
                    then,
                    server_auth: server["settings"]["auth"].clone(),
                })
            }
            .await;
            match checked {
                Ok(found) => {
                    message.set(None);
                    pending.set(Some(found));
                }
                Err(e) => message.set(Some((
                    false,
                    format!("This file cannot be restored, and nothing was changed: {e}."),
                ))),
            }
        });
    };

    let apply = move |_| {
        let Some(mut found) = pending.get_untracked() else {
            return;
        };
        working.set(true);
        leptos::task::spawn_local(async move {
            host.with_untracked(|org| found.restore.keep_credentials(org, &found.server_auth));
            let Restore {
                org,
                server,
                scenarios,
                ..
            } = found.restore;
            // The server first: the worker checks the whole document and changes nothing if any
            // of it is wrong, so a refusal here leaves everything as it was.
            let body = server.to_string();
            let imported = api::admin(Endpoint::Import, "", Some(&body), CLIENT).await;
            match imported {
                Ok(reply) if reply.status == 200 => {
                    let steps: BTreeMap<String, usize> = scenarios
                        .into_iter()
                        .filter_map(|(lesson, step)| {
                            Some((lesson, usize::try_from(step.as_u64()?).ok()?))
                        })
                        .collect();
                    progress::replace_steps(&steps);
                    host.edit("Restoring the backup", move |current| {
                        *current = org;
                        Ok("The backup was restored: the Okta org, the server's data and settings, and the lessons' progress.".into())
                    });
                    pending.set(None);
                    message.set(Some((true, "Restoring the backup…".into())));
                }
                Ok(reply) => message.set(Some((
                    false,
                    format!(
                        "The server refused the backup's data, and nothing was changed: {}.",
                        reply.parse::<Value>().err().unwrap_or_default()
                    ),
                ))),
                Err(e) => message.set(Some((
                    false,
                    format!("The backup could not be restored, and nothing was changed: {e}."),
                ))),
            }
            working.set(false);
        });
    };

    let rows = |now: &Summary, then: &Summary| {
        [
            ("People", now.people, then.people),
            ("Groups", now.groups, then.groups),
            ("Assignments", now.assignments, then.assignments),
            ("System Log events", now.log_events, then.log_events),
            ("Users in the server", now.server_users, then.server_users),
            ("Groups in the server", now.server_groups, then.server_groups),
        ]
        .into_iter()
        .map(|(what, now, then)| view! { <tr><th scope="row">{what}</th><td>{now}</td><td>{then}</td></tr> })
        .collect_view()
    };

    view! {
        <section class="card backup" aria-labelledby="backup-title" data-testid="backup">
            <h2 id="backup-title" class="section-title">"Back up everything"</h2>
            <p class="muted">"One file with the Okta org (people, groups, assignments, the last import, the System Log and every setting), the built-in server's data and settings, and each lesson's step. Restoring it replaces all of that in this browser."</p>
            <label class="check">
                <input type="checkbox" name="includeSecrets" prop:checked=move || secrets.get() on:change=move |ev| secrets.set(event_target_checked(&ev))/>
                <span>"Include credentials and passwords"<small class="muted">" — off: the file holds none (API Integration, inline hook, the server's credential, passwords), and restoring it keeps this browser's"</small></span>
            </label>
            <div class="toolbar">
                <button class="button" type="button" on:click=back_up disabled=move || working.get()>"Back up everything"</button>
                <label class="button button--ghost file-button">
                    "Restore from backup…"
                    <input type="file" name="restore" accept="application/json,.json" class="visually-hidden" on:change=choose/>
                </label>
            </div>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "notice" } else { "field-error" } role=if ok { "status" } else { "alert" } data-testid="backup-message">{text}</p>
            })}
            {move || pending.get().map(|found| view! {
                <div class="banner banner--warn" data-testid="restore-preview">
                    <p><strong>{format!("Replace everything in this browser with the backup made {}?", when(&found.restore.created_at))}</strong></p>
                    <table class="table">
                        <thead><tr><th scope="col"></th><th scope="col">"Now"</th><th scope="col">"In the backup"</th></tr></thead>
                        <tbody>{rows(&found.now, &found.then)}</tbody>
                    </table>
                    <p class="muted">{if found.restore.secrets {
                        "The backup carries its own credentials: they replace this browser's."
                    } else {
                        "The backup carries no credentials: this browser's are kept."
                    }}</p>
                    <div class="toolbar">
                        <button class="button" type="button" on:click=apply disabled=move || working.get()>"Replace everything"</button>
                        <button class="button button--ghost" type="button" on:click=move |_| pending.set(None)>"Cancel"</button>
                    </div>
                </div>
            })}
            <p class="muted" data-testid="storage-state">{move || storage_state.get().map(|s| storage::describe(&s))}</p>
            <super::space::SpaceTable/>
        </section>
    }
}

/// A backup's ISO time as people read it ("2026-12-03 12:48 UTC"); other text as it is.
fn when(iso: &str) -> String {
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(time)) if iso.as_bytes().get(10) == Some(&b'T') && iso.ends_with('Z') => {
            format!("{day} {time} UTC")
        }
        _ => iso.to_string(),
    }
}
