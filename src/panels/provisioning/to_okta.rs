//! To Okta: how imports from the app behave — General (schedule, username format), User
//! Creation & Matching, Profile & Lifecycle Sourcing, Import Safeguards and the import Inline
//! Hook (local rules or an HTTP endpoint).

use idp::hook::{Command, HookRule, ImportHook};
use idp::import::{ImportConfig, Interval, UsernameFormat};
use idp::sourcing::OnDeactivated;
use leptos::prelude::*;

use crate::components::diagram::DiagramView;

use super::EditBar;
use crate::components::reveal::{secret_type, Reveal};
use crate::okta::use_org;

fn interval_slug(interval: Interval) -> &'static str {
    match interval {
        Interval::Never => "never",
        Interval::Hourly => "hourly",
        Interval::Daily => "daily",
        Interval::Weekly => "weekly",
    }
}

fn interval_of(slug: &str) -> Interval {
    match slug {
        "hourly" => Interval::Hourly,
        "daily" => Interval::Daily,
        "weekly" => Interval::Weekly,
        _ => Interval::Never,
    }
}

/// The hook as the form edits it: rules keep their commands as text until saved, so a
/// half-typed command is not lost.
#[derive(Debug, Clone, PartialEq, Default)]
struct RuleDraft {
    condition: String,
    commands: String,
    error: String,
}

/// Which import inline hook the form edits (the `hookKind` select's values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HookKind {
    None,
    Local,
    Http,
}

impl HookKind {
    fn slug(self) -> &'static str {
        match self {
            HookKind::None => "none",
            HookKind::Local => "local",
            HookKind::Http => "http",
        }
    }

    fn from_slug(slug: &str) -> HookKind {
        match slug {
            "local" => HookKind::Local,
            "http" => HookKind::Http,
            _ => HookKind::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct HookDraft {
    kind: HookKind,
    url: String,
    authorization: String,
    rules: Vec<RuleDraft>,
}

impl HookDraft {
    fn of(hook: Option<&ImportHook>) -> HookDraft {
        match hook {
            None => HookDraft {
                kind: HookKind::None,
                url: String::new(),
                authorization: String::new(),
                rules: Vec::new(),
            },
            Some(ImportHook::Http { url, authorization }) => HookDraft {
                kind: HookKind::Http,
                url: url.clone(),
                authorization: authorization.clone().unwrap_or_default(),
                rules: Vec::new(),
            },
            Some(ImportHook::Local { rules }) => HookDraft {
                kind: HookKind::Local,
                url: String::new(),
                authorization: String::new(),
                rules: rules
                    .iter()
                    .map(|r| RuleDraft {
                        condition: r.condition.clone(),
                        // Through a JSON value, which prints the same text: the commands'
                        // writer for values is already in the page (the shared configuration
                        // holds them), a pretty-printing one of their own would be compiled
                        // only for this.
                        commands: serde_json::to_value(&r.commands)
                            .and_then(|v| serde_json::to_string_pretty(&v))
                            .unwrap_or_default(),
                        error: r.error.clone().unwrap_or_default(),
                    })
                    .collect(),
            },
        }
    }

    /// The hook the form describes, or what is wrong with it.
    fn build(&self) -> Result<Option<ImportHook>, String> {
        match self.kind {
            HookKind::Http => {
                let url = self.url.trim();
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err("The inline hook's URL must be absolute (https://…).".into());
                }
                Ok(Some(ImportHook::Http {
                    url: url.to_string(),
                    authorization: Some(self.authorization.trim().to_string())
                        .filter(|a| !a.is_empty()),
                }))
            }
            HookKind::Local => {
                let mut rules = Vec::new();
                for (i, rule) in self.rules.iter().enumerate() {
                    let n = i + 1;
                    if !rule.condition.trim().is_empty() {
                        idp::expr::parse(&rule.condition)
                            .map_err(|e| format!("Rule {n}: the condition does not parse: {e}"))?;
                    }
                    let commands: Vec<Command> = if rule.commands.trim().is_empty() {
                        Vec::new()
                    } else {
                        serde_json::from_str(&rule.commands).map_err(|e| {
                            format!(
                                "Rule {n}: the commands are not a list of Okta hook commands: {e}"
                            )
                        })?
                    };
                    rules.push(HookRule {
                        condition: rule.condition.trim().to_string(),
                        commands,
                        error: Some(rule.error.trim().to_string()).filter(|e| !e.is_empty()),
                    });
                }
                Ok(Some(ImportHook::Local { rules }))
            }
            HookKind::None => Ok(None),
        }
    }
}

/// A rule to start from: the one the import scenario uses, linking by employee number.
const EXAMPLE_COMMANDS: &str = r#"[
  { "type": "com.okta.appUser.profile.update", "value": { "title": "Imported" } }
]"#;

/// A draft field read or written through a plain function. Every checkbox below binds through
/// these, so they all share one compiled closure type: written inline, each checkbox's
/// `move || draft.with(|d| d.x)` and `on:change` were their own types, and Leptos's reactive
/// rendering was compiled again for every one of them (most of this form's size in the page).
type Reads = fn(&ImportConfig) -> bool;
type Writes = fn(&mut ImportConfig, bool);

/// One checkbox of the form: `name`, bound to the field `get`/`set` reach, disabled while
/// `disabled` (if any) holds, labelled `label` with an optional muted explanation.
fn check(
    draft: RwSignal<ImportConfig>,
    name: &'static str,
    (get, set): (Reads, Writes),
    disabled: Option<Reads>,
    label: &'static str,
    help: Option<&'static str>,
) -> AnyView {
    view! {
        <label class="check"><input type="checkbox" name=name disabled=move || disabled.is_some_and(|off| draft.with(off))
            prop:checked=move || draft.with(get) on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| set(d, v)); }/>
            <span>{label}{help.map(|help| view! { <small class="muted">{help}</small> })}</span></label>
    }
    .into_any()
}

/// A safeguard's percent field, bound like [`check`]'s checkboxes.
fn percent(
    draft: RwSignal<ImportConfig>,
    name: &'static str,
    label: &'static str,
    get: fn(&ImportConfig) -> u8,
    set: fn(&mut ImportConfig, u8),
) -> AnyView {
    view! {
        <label class="field"><span>{label}</span>
            <input name=name type="number" min="1" max="100" prop:value=move || draft.with(get).to_string()
                on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(0); draft.update(|d| set(d, v)); }/></label>
    }
    .into_any()
}

/// Whether an attribute decides exact matches (which disables the username and email options).
fn matches_by_attribute(d: &ImportConfig) -> bool {
    d.matching.attribute.is_some()
}

fn sourcing_off(d: &ImportConfig) -> bool {
    !d.sourcing.enabled
}

#[component]
pub fn ToOkta() -> impl IntoView {
    let host = use_org();
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(ImportConfig::default());
    let custom_format = RwSignal::new(String::new());
    let hook = RwSignal::new(HookDraft::of(None));
    let hook_shown = RwSignal::new(false);
    let load = move || {
        let config = host.with_untracked(|org| org.import.clone());
        custom_format.set(match &config.username_format {
            UsernameFormat::Custom { expression } => expression.clone(),
            UsernameFormat::Email => String::new(),
        });
        hook.set(HookDraft::of(config.hook.as_ref()));
        draft.set(config);
        error.set(None);
    };
    load();
    let okta_attributes = move || {
        host.with(|org| {
            org.okta_profile
                .names()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
    };
    let app_label = move || host.with(|org| org.app.label.clone());

    let save = move |()| {
        let mut config = draft.get_untracked();
        if let UsernameFormat::Custom { .. } = config.username_format {
            let expression = custom_format.get_untracked().trim().to_string();
            if let Err(e) = idp::expr::parse(&expression) {
                error.set(Some(format!("The username format does not parse: {e}")));
                return;
            }
            config.username_format = UsernameFormat::Custom { expression };
        }
        if let Err(level) = config.safeguards.validate() {
            let level = match level {
                idp::safeguard::Level::App => "App",
                idp::safeguard::Level::Org => "Org",
            };
            error.set(Some(format!(
                "The {level}-level safeguard must be between 1 and 100 percent."
            )));
            return;
        }
        match hook.get_untracked().build() {
            Ok(h) => config.hook = h,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        }
        error.set(None);
        host.edit("Saving To Okta", move |org| {
            org.import = config;
            Ok("To Okta settings saved.".into())
        });
        editing.set(false);
    };
    let off = move || !editing.get();
    let matching_attribute = move || draft.with(matches_by_attribute);
    // Sourcing's transitions as they stand in the draft (with To App's Deactivate Users), and
    // the last import's deactivations while it ran with these settings.
    let lifecycle = Memo::new(move |_| {
        draft.with(|d| {
            host.with(|org| {
                let run = org
                    .last_import
                    .as_ref()
                    .filter(|_| org.import.sourcing == d.sourcing);
                idp::diagram::sourcing::diagram(
                    &d.sourcing,
                    org.app.settings.to_app.deactivate_users,
                    run,
                )
            })
        })
    });
    // The path the "what if" below the sourcing diagram takes through it.
    let path = RwSignal::new(Vec::<&'static str>::new());
    // The rule being edited, drawn as it stands; the last import's counts only while it is the
    // rule that import ran with.
    let flow = Memo::new(move |_| {
        draft.with(|d| {
            host.with(|org| {
                let run = org
                    .last_import
                    .as_ref()
                    .filter(|_| org.import.matching == d.matching);
                idp::diagram::matching::diagram(&d.matching, run)
            })
        })
    });

    view! {
        <form class="card form-grid" aria-label="Provisioning to Okta" on:submit=|ev| ev.prevent_default()>
            <EditBar editing=editing section="To Okta" on_save=save on_cancel=move |()| load()/>
            <fieldset class="settings-section form-grid check" disabled=off>
                <legend>"General"</legend>
                <label class="field">
                    <span>"Full import schedule"</span>
                    <select name="schedule" prop:value=move || interval_slug(draft.with(|d| d.schedule.full))
                        on:change=move |ev| { let v = interval_of(&event_target_value(&ev)); draft.update(|d| { d.schedule.full = v; d.schedule.next_run_ms = None; }); }>
                        <option value="never">"Never"</option>
                        <option value="hourly">"Every hour"</option>
                        <option value="daily">"Every day"</option>
                        <option value="weekly">"Every week"</option>
                    </select>
                </label>
                <label class="field">
                    <span>"Okta username format"</span>
                    <select name="usernameFormat" prop:value=move || if draft.with(|d| d.username_format == UsernameFormat::Email) { "email" } else { "custom" }
                        on:change=move |ev| {
                            let custom = event_target_value(&ev) == "custom";
                            draft.update(|d| d.username_format = if custom { UsernameFormat::Custom { expression: custom_format.get_untracked() } } else { UsernameFormat::Email });
                        }>
                        <option value="email">"Email address"</option>
                        <option value="custom">"Custom (an expression)"</option>
                    </select>
                </label>
                <Show when=move || draft.with(|d| d.username_format != UsernameFormat::Email)>
                    <label class="field field--grow">
                        <span>"Username expression"</span>
                        <input name="usernameExpression" class="code-input" placeholder="String.substringBefore(appuser.email, \"@\") + \"@corp.example\""
                            prop:value=move || custom_format.get() on:input=move |ev| custom_format.set(event_target_value(&ev))/>
                    </label>
                </Show>
            </fieldset>

            <fieldset class="settings-section" disabled=off>
                <legend>"User Creation & Matching"</legend>
                <p class="muted">"Imported user is an exact match to Okta user if (every option chosen must hold):"</p>
                {check(draft, "matchUsername", (|d| d.matching.username, |d, v| d.matching.username = v), Some(matches_by_attribute),
                    "Okta username format matches", None)}
                {check(draft, "matchEmail", (|d| d.matching.email, |d, v| d.matching.email = v), Some(matches_by_attribute),
                    "Email matches", None)}
                <label class="check"><input type="checkbox" name="matchAttribute"
                    prop:checked=matching_attribute on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.matching.attribute = v.then(|| "employeeNumber".to_string())); }/>
                    <span>"The following attribute matches"<small class="muted">" — choosing this disables the two options above."</small></span></label>
                <Show when=matching_attribute>
                    <label class="field">
                        <span>"Attribute to match"</span>
                        <select name="matchAttributeName" prop:value=move || draft.with(|d| d.matching.attribute.clone().unwrap_or_default())
                            on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.matching.attribute = Some(v)); }>
                            {move || okta_attributes().into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                {check(draft, "allowPartial", (|d| d.matching.allow_partial, |d, v| d.matching.allow_partial = v), None,
                    "Allow partial matches", Some(" — first and last name equal an Okta user's, but not the username or email."))}
                {check(draft, "confirmMatched", (|d| d.matching.auto_confirm_exact, |d, v| d.matching.auto_confirm_exact = v), None,
                    "Confirm matched users", Some(" — ticked, an import links exact matches itself; unticked, each waits for you on the Import page."))}
                {check(draft, "confirmPartial", (|d| d.matching.auto_confirm_partial, |d, v| d.matching.auto_confirm_partial = v), None,
                    "Confirm partial matches too", Some(" — ticked, partial matches are linked without you as well."))}
                {check(draft, "confirmNew", (|d| d.matching.auto_confirm_new, |d, v| d.matching.auto_confirm_new = v), None,
                    "Confirm new users", Some(" — ticked, an import creates Okta users for unmatched app users itself; unticked, each waits for you."))}
                {check(draft, "activateNew", (|d| d.matching.auto_activate_new, |d, v| d.matching.auto_activate_new = v), None,
                    "Auto-activate new users", Some(" — ticked, new users are activated when confirmed; unticked, they stay staged."))}
            </fieldset>
            // Outside the fieldset, which a saved form disables: the diagram's buttons always work.
            <DiagramView diagram=flow lit=Signal::derive(Vec::new) name="matching-settings"/>

            <fieldset class="settings-section" disabled=off>
                <legend>"Profile & Lifecycle Sourcing"</legend>
                <label class="check"><input type="checkbox" name="sourcing"
                    prop:checked=move || draft.with(|d| d.sourcing.enabled) on:change=move |ev| { let v = event_target_checked(&ev); draft.update(|d| d.sourcing.enabled = v); }/>
                    <span>{move || format!("Allow {} to source Okta users", app_label())}<small class="muted">" — imports update linked people's profiles and may change their status."</small></span></label>
                <label class="field">
                    <span>"When a user is deactivated in the app"</span>
                    <select name="onDeactivated" disabled=move || draft.with(sourcing_off)
                        prop:value=move || match draft.with(|d| d.sourcing.on_deactivated) { OnDeactivated::DoNothing => "nothing", OnDeactivated::Deactivate => "deactivate", OnDeactivated::Suspend => "suspend" }
                        on:change=move |ev| { let v = match event_target_value(&ev).as_str() { "nothing" => OnDeactivated::DoNothing, "suspend" => OnDeactivated::Suspend, _ => OnDeactivated::Deactivate }; draft.update(|d| d.sourcing.on_deactivated = v); }>
                        <option value="nothing">"Do nothing"</option>
                        <option value="deactivate">"Deactivate"</option>
                        <option value="suspend">"Suspend"</option>
                    </select>
                </label>
                <p class="muted">"When a user is reactivated in the app (an inexact profile lands in Pending Activation):"</p>
                {check(draft, "reactivateSuspended", (|d| d.sourcing.reactivate_suspended, |d, v| d.sourcing.reactivate_suspended = v), Some(sourcing_off),
                    "Reactivate suspended Okta users", None)}
                {check(draft, "reactivateDeactivated", (|d| d.sourcing.reactivate_deactivated, |d, v| d.sourcing.reactivate_deactivated = v), Some(sourcing_off),
                    "Reactivate deactivated Okta users", None)}
            </fieldset>
            <DiagramView diagram=lifecycle lit=path name="sourcing"/>
            <super::what_if::WhatIf draft=draft lit=path/>

            <fieldset class="settings-section form-grid check" disabled=off>
                <legend>"Import Safeguards"</legend>
                <p class="muted">{idp::safeguard::RULE}</p>
                {check(draft, "appSafeguard", (|d| d.safeguards.app.enabled, |d, v| d.safeguards.app.enabled = v), None,
                    "App-level safeguard", None)}
                {percent(draft, "appPercent", "App-level percent", |d| d.safeguards.app.percent, |d, v| d.safeguards.app.percent = v)}
                {check(draft, "orgSafeguard", (|d| d.safeguards.org.enabled, |d, v| d.safeguards.org.enabled = v), None,
                    "Org-level safeguard", None)}
                {percent(draft, "orgPercent", "Org-level percent", |d| d.safeguards.org.percent, |d, v| d.safeguards.org.percent = v)}
            </fieldset>

            <fieldset class="settings-section" disabled=off>
                <legend>"Inline Hooks"</legend>
                <label class="field">
                    <span>"Import inline hook"</span>
                    <select name="hookKind" prop:value=move || hook.with(|h| h.kind.slug()) on:change=move |ev| { let v = HookKind::from_slug(&event_target_value(&ev)); hook.update(|h| h.kind = v); }>
                        <option value="none">"None"</option>
                        <option value="local">"Local rules (run in the simulator)"</option>
                        <option value="http">"HTTP endpoint"</option>
                    </select>
                </label>
                <Show when=move || hook.with(|h| h.kind == HookKind::Http)>
                    <label class="field field--grow"><span>"Hook URL"</span><input name="hookUrl" type="url" prop:value=move || hook.with(|h| h.url.clone()) on:input=move |ev| { let v = event_target_value(&ev); hook.update(|h| h.url = v); }/></label>
                    <label class="field field--grow"><span>"Authorization header (optional)"</span><input name="hookAuthorization" type=secret_type(hook_shown) autocomplete="off" prop:value=move || hook.with(|h| h.authorization.clone()) on:input=move |ev| { let v = event_target_value(&ev); hook.update(|h| h.authorization = v); }/></label>
                    <Reveal shown=hook_shown/>
                </Show>
                <Show when=move || hook.with(|h| h.kind == HookKind::Local)>
                    <p class="muted">"Each rule whose condition holds for the hook request (appuser.*, user.*, app.action) adds its commands; an error summary keeps the user out of the import."</p>
                    {move || (0..hook.with(|h| h.rules.len())).map(|i| {
                        let field = move |get: fn(&RuleDraft) -> String| move || hook.with(|h| h.rules.get(i).map(get).unwrap_or_default());
                        view! {
                            <div class="card form-grid" data-testid="hook-rule">
                                <label class="field field--grow"><span>{format!("Rule {} condition", i + 1)}</span>
                                    <input class="code-input" placeholder="appuser.title == \"Contractor\"" prop:value=field(|r| r.condition.clone())
                                        on:input=move |ev| { let v = event_target_value(&ev); hook.update(|h| if let Some(r) = h.rules.get_mut(i) { r.condition = v; }); }/></label>
                                <label class="field field--grow"><span>{format!("Rule {} commands (JSON)", i + 1)}</span>
                                    <textarea class="code-input" rows="4" prop:value=field(|r| r.commands.clone())
                                        on:input=move |ev| { let v = event_target_value(&ev); hook.update(|h| if let Some(r) = h.rules.get_mut(i) { r.commands = v; }); }></textarea></label>
                                <label class="field field--grow"><span>{format!("Rule {} error summary (optional)", i + 1)}</span>
                                    <input prop:value=field(|r| r.error.clone())
                                        on:input=move |ev| { let v = event_target_value(&ev); hook.update(|h| if let Some(r) = h.rules.get_mut(i) { r.error = v; }); }/></label>
                                <div class="toolbar"><button class="button button--ghost" type="button" on:click=move |_| hook.update(|h| { if i < h.rules.len() { h.rules.remove(i); } })>"Remove rule"</button></div>
                            </div>
                        }
                    }).collect_view()}
                    <button class="button button--ghost" type="button" on:click=move |_| hook.update(|h| h.rules.push(RuleDraft { condition: String::new(), commands: EXAMPLE_COMMANDS.into(), error: String::new() }))>"Add rule"</button>
                </Show>
            </fieldset>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </form>
    }
}
