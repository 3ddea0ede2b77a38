//! One import's work before anything changes: downloading every page, mapping each app user,
//! sorting it into a row (matching), and asking the inline hook.

use super::*;

impl Org {
    /// Sorts the downloaded app users into rows.
    pub(super) async fn sort_into_rows(
        &self,
        mapper: &Mapper,
        resources: &[Map<String, Value>],
        clock: &dyn Clock,
    ) -> Vec<ImportRow> {
        let app_id = &self.app.id;
        let linked: HashMap<String, String> = self
            .directory
            .app_users(app_id)
            .filter(|a| a.is_assigned())
            .filter_map(|a| Some((a.external_id.clone()?, a.user_id.clone())))
            .collect();
        let linked_users: BTreeSet<&String> = linked.values().collect();
        let rules = &self.import.matching;
        let index = MatchIndex::build(&self.directory, rules, |id| {
            !linked_users.contains(&id.to_string())
        });
        // Indexing ten thousand people is a step of its own, so it never adds to the first
        // rows' step.
        clock.sleep(0).await;
        let mut seen = BTreeSet::new();
        let mut rows = Vec::with_capacity(resources.len());
        for (position, resource) in resources.iter().enumerate() {
            // Mapping and matching ten thousand users takes a few hundred milliseconds; in a
            // browser tab that would freeze the page, so the work pauses every few hundred
            // rows (a zero-length sleep on the injected clock lets the page paint).
            if position % YIELD_EVERY == YIELD_EVERY - 1 {
                clock.sleep(0).await;
            }
            let Some(scim_id) = resource.get("id").and_then(Value::as_str) else {
                continue;
            };
            if !seen.insert(scim_id.to_string()) {
                continue;
            }
            let active = is_active(resource);
            let app_profile = self.read_app_profile(resource);
            let (username, okta_profile, problem) = mapper.map(&app_profile);
            let mut row = ImportRow {
                scim_id: scim_id.to_string(),
                app_profile,
                username,
                okta_profile,
                kind: RowKind::New,
                matches: Vec::new(),
                linked_user: None,
                decision: None,
                state: RowState::Done,
                hook_applied: false,
                changes: Vec::new(),
            };
            if let Some(user_id) = linked.get(scim_id) {
                row.linked_user = Some(user_id.clone());
                let was_active = self
                    .directory
                    .app_user(app_id, user_id)
                    .is_some_and(|a| a.active);
                row.kind = match (active, was_active) {
                    (false, true) => RowKind::DeactivatedInApp,
                    (false, false) => RowKind::Unchanged,
                    (true, false) => RowKind::ReactivatedInApp,
                    (true, true) if self.sourced_changes(&row).is_empty() => RowKind::Unchanged,
                    (true, true) => RowKind::Updated,
                };
                if row.kind == RowKind::Updated {
                    row.changes = self.sourced_diff(&row);
                }
                rows.push(row);
                continue;
            }
            // Only active app users are imported.
            if !active {
                continue;
            }
            if let Some(reason) = problem {
                row.state = RowState::Failed { reason };
                rows.push(row);
                continue;
            }
            let okta = &row.okta_profile;
            let outcome = index.find(rules, &row.username, |name| {
                okta.get(name).and_then(Value::as_str)
            });
            (row.kind, row.matches, row.decision) = match outcome {
                MatchOutcome::Exact(ids) => {
                    let first = ids.first().cloned().unwrap_or_default();
                    (RowKind::Exact, ids, Some(Decision::Exact(first)))
                }
                // A partial match proposes linking the person it matched, as Okta's "Link to"
                // does; the admin can still choose someone else.
                MatchOutcome::Partial(ids) => {
                    let first = ids.first().cloned().unwrap_or_default();
                    (RowKind::Partial, ids, Some(Decision::Exact(first)))
                }
                MatchOutcome::None => (RowKind::New, Vec::new(), Some(Decision::New)),
            };
            row.state = RowState::Pending;
            rows.push(row);
        }
        for (scim_id, user_id) in &linked {
            if !seen.contains(scim_id) {
                // The app user is gone; the row names the person it was linked to and keeps the
                // last profile Okta knew for it.
                let app_profile = self
                    .directory
                    .app_user(app_id, user_id)
                    .map(|a| a.profile.clone())
                    .unwrap_or_default();
                let username = self
                    .directory
                    .user(user_id)
                    .map(|u| u.login().to_string())
                    .unwrap_or_default();
                rows.push(ImportRow {
                    scim_id: scim_id.clone(),
                    app_profile,
                    username,
                    okta_profile: BTreeMap::new(),
                    kind: RowKind::RemovedInApp,
                    matches: Vec::new(),
                    linked_user: Some(user_id.clone()),
                    decision: None,
                    state: RowState::Done,
                    hook_applied: false,
                    changes: Vec::new(),
                });
            }
        }
        rows
    }

    pub(super) fn read_app_profile(
        &self,
        resource: &Map<String, Value>,
    ) -> BTreeMap<String, Value> {
        self.app
            .profile
            .attributes()
            .iter()
            .filter_map(|attribute| {
                Some((
                    attribute.name.clone(),
                    crate::scim_json::get(resource, attribute)?,
                ))
            })
            .collect()
    }

    /// The Okta attributes a linked row would change (profile sourcing), empty when sourcing
    /// is off.
    pub(super) fn sourced_changes(&self, row: &ImportRow) -> BTreeMap<String, Option<String>> {
        self.sourced_diff(row)
            .into_iter()
            .map(|c| (c.name, c.after))
            .collect()
    }

    /// What profile sourcing would change in the linked Okta user: each attribute whose
    /// mapped value differs, with the value it has now.
    pub(super) fn sourced_diff(&self, row: &ImportRow) -> Vec<AttrChange> {
        let mut changes = Vec::new();
        if !self.import.sourcing.enabled {
            return changes;
        }
        let Some(user) = row
            .linked_user
            .as_ref()
            .and_then(|id| self.directory.user(id))
        else {
            return changes;
        };
        for (name, value) in &row.okta_profile {
            let text = value_text(value);
            let current = if is_base_attribute(name) {
                user.attr(name).map(str::to_string)
            } else {
                user.custom.get(name).map(value_text)
            };
            if current.as_deref() != Some(text.as_str()) {
                changes.push(AttrChange {
                    name: name.clone(),
                    before: current,
                    after: Some(text),
                });
            }
        }
        changes
    }

    pub(super) fn lifecycle_on_deactivation(&self, row: &ImportRow) -> Option<Lifecycle> {
        let user = self.directory.user(row.linked_user.as_deref()?)?;
        self.import.sourcing.on_app_deactivation(user.status)
    }

    /// Calls the inline hook for each pending row and applies its commands.
    pub(super) async fn ask_hook(
        &mut self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        mapper: &Mapper,
        job_id: &str,
        rows: &mut [ImportRow],
    ) {
        let Some(hook_config) = self.import.hook.clone() else {
            return;
        };
        let policy = self.import.matching.policy();
        for row in rows.iter_mut().filter(|r| r.state == RowState::Pending) {
            let action = match row.decision {
                Some(Decision::Exact(_) | Decision::Existing(_)) => ImportAction::LinkUser,
                _ => ImportAction::CreateUser,
            };
            let link_target = match &row.decision {
                Some(Decision::Exact(id) | Decision::Existing(id)) => Some(id.clone()),
                _ => None,
            };
            let conflicts = link_target
                .as_deref()
                .map(|id| self.conflicts(id, &row.okta_profile))
                .unwrap_or_default();
            let event_id = self.rng.okta_id("evt");
            let input = HookInput {
                app_id: &self.app.id,
                // Okta's app key for its SCIM 2.0 template apps; every playground app is one.
                app_name: "scim2testapp",
                app_label: &self.app.label,
                job_id,
                event_id: &event_id,
                now_ms: clock.now_ms(),
                policy: &policy,
                matches: &row.matches,
                conflicts: &conflicts,
                action,
                app_user: &row.app_profile,
                user: &row.okta_profile,
                user_id: link_target.as_deref(),
            };
            let exchange_id = self.log.next_exchange_id();
            let (answer, request) = match &hook_config {
                ImportHook::Local { rules } => (hook::run_rules(rules, &input), None),
                ImportHook::Http { url, authorization } => {
                    let body = hook::request_body(&input);
                    let answer = hook::call_http(
                        transport,
                        clock,
                        url,
                        authorization.as_deref(),
                        &body,
                        exchange_id,
                    )
                    .await;
                    let logged = crate::syslog::LoggedRequest::from(&hook::http_request(
                        url,
                        authorization.as_deref(),
                        &body,
                        exchange_id,
                    ));
                    (answer, Some(logged))
                }
            };
            self.log.record(Event {
                published_ms: clock.now_ms(),
                event_type: event_type::INLINE_HOOK_EXECUTED.into(),
                outcome: if answer.is_ok() {
                    Outcome::Success
                } else {
                    Outcome::Failure
                },
                reason: answer.as_ref().err().map(ToString::to_string),
                user_id: link_target.clone(),
                group_id: None,
                app_id: self.app.id.clone(),
                exchange_id: request.is_some().then_some(exchange_id),
                request,
                status: None,
            });
            // A failed hook leaves the row as it was: the import continues with the default.
            let Ok(response) = answer else { continue };
            apply_hook_response(mapper, row, response, action);
        }
    }

    /// Attributes whose mapped value differs from the Okta user's.
    pub(super) fn conflicts(
        &self,
        user_id: &str,
        okta_profile: &BTreeMap<String, Value>,
    ) -> Vec<String> {
        let Some(user) = self.directory.user(user_id) else {
            return Vec::new();
        };
        okta_profile
            .iter()
            .filter(|(name, value)| {
                is_base_attribute(name) && user.attr(name) != Some(value_text(value).as_str())
            })
            .map(|(name, _)| name.clone())
            .collect()
    }
}

/// What [`download`] read: the app's users, and in how many pages.
pub(super) struct Downloaded {
    pub resources: Vec<Map<String, Value>>,
    pub pages: usize,
}

/// Reads every page: `startIndex=1&count=100`, then 101, … until `totalResults` is reached or
/// a page comes back empty.
///
/// The System Log records the download as Okta names it: `system.import.download.start` with
/// the first page's request, and `system.import.download.complete` once every page is read
/// (the caller). Okta's documentation names no event per page, so the later pages are logged
/// only when one fails — as `system.import.download.complete`, failed, with that page's request
/// (our choice: docs/okta-model.md §8). Every page is in Traffic either way.
pub(super) async fn download(p: &mut Provisioner<'_>) -> Result<Downloaded, ImportError> {
    let mut resources = Vec::new();
    let mut start_index = 1usize;
    let mut pages = 0;
    for page in 1..=MAX_PAGES {
        let url = format!(
            "{}/Users?startIndex={start_index}&count={PAGE_SIZE}",
            p.app.settings.base_url
        );
        let req = p.request("GET", url, None);
        let res = if page == 1 {
            p.exchange(req, event_type::IMPORT_DOWNLOAD_START, Subject::App)
                .await?
        } else {
            p.exchange_logging_failures(req, event_type::IMPORT_DOWNLOAD_COMPLETE, Subject::App)
                .await?
        };
        pages = page;
        let invalid = |reason: &str| ImportError::InvalidPage {
            page,
            reason: reason.into(),
        };
        let Some(Value::Object(mut body)) = res.json() else {
            return Err(invalid("the body is not a JSON object"));
        };
        let total = body
            .get("totalResults")
            .and_then(Value::as_u64)
            .ok_or_else(|| invalid("totalResults is not a non-negative integer"))?;
        let items = match body.remove("Resources") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => return Err(invalid("Resources is not an array")),
        };
        let n_items = items.len();
        resources.extend(items.into_iter().filter_map(|item| match item {
            Value::Object(obj) => Some(obj),
            _ => None,
        }));
        start_index = start_index.saturating_add(n_items);
        let total = usize::try_from(total).unwrap_or(usize::MAX);
        if n_items == 0 || start_index > total {
            break;
        }
    }
    Ok(Downloaded { resources, pages })
}

/// Whether a SCIM user is active: `active` missing counts as active, and Entra-style string
/// booleans are understood.
pub(super) fn is_active(resource: &Map<String, Value>) -> bool {
    match resource.get("active") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.eq_ignore_ascii_case("false"),
        _ => true,
    }
}

/// A JSON value as the text an Okta string attribute holds.
pub(super) fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Applies an inline hook's answer to a row.
pub(super) fn apply_hook_response(
    mapper: &Mapper,
    row: &mut ImportRow,
    response: hook::HookResponse,
    default_action: ImportAction,
) {
    if let Some(reason) = response.error {
        row.state = RowState::Ignored {
            reason: Some(reason),
        };
        row.decision = Some(Decision::Ignore);
        row.hook_applied = true;
        return;
    }
    let mut action = default_action;
    let mut link_to = match &row.decision {
        Some(Decision::Exact(id) | Decision::Existing(id)) => Some(id.clone()),
        _ => None,
    };
    let mut app_user_changed = false;
    let mut user_updates = Map::new();
    for command in response.commands {
        row.hook_applied = true;
        match command {
            Command::AppUserProfileUpdate(changes) => {
                app_user_changed = true;
                row.app_profile.extend(changes);
            }
            Command::UserProfileUpdate(changes) => user_updates.extend(changes),
            Command::ActionUpdate { result } => action = result,
            Command::UserUpdate { id } => link_to = Some(id),
        }
    }
    // The Okta profile is mapped again from the changed app user, and the hook's own
    // changes to the Okta profile go on top, whatever order the commands came in.
    if app_user_changed {
        let (username, okta, problem) = mapper.map(&row.app_profile);
        if problem.is_none() {
            row.username = username;
            row.okta_profile = okta;
        }
    }
    for (name, value) in user_updates {
        if name == "login" {
            row.username = value_text(&value);
        }
        row.okta_profile.insert(name, value);
    }
    row.decision = Some(match (action, link_to) {
        (ImportAction::LinkUser, Some(id)) if row.matches.contains(&id) => {
            if row.kind == RowKind::Exact {
                Decision::Exact(id)
            } else {
                Decision::Existing(id)
            }
        }
        (ImportAction::LinkUser, Some(id)) => Decision::Existing(id),
        // LINK_USER without a user to link to cannot be honoured; Okta creates instead.
        (ImportAction::LinkUser, None) | (ImportAction::CreateUser, _) => Decision::New,
    });
}

/// The app → Okta mappings and the username format, parsed once per import instead of once
/// per user.
pub(super) struct Mapper {
    /// Each mapping's target and its parsed expression (or why it does not parse).
    to_okta: Vec<(String, Result<expr::Expr, MappingError>)>,
    /// The custom username format, parsed; `None` for the EMAIL format.
    username: Option<Result<expr::Expr, String>>,
}

impl Mapper {
    pub(super) fn new(org: &Org) -> Mapper {
        let to_okta = org
            .app
            .mappings
            .to_okta
            .iter()
            .map(|m| {
                let parsed =
                    expr::parse(&m.expression).map_err(|e| MappingError::InvalidExpression {
                        target: m.target.clone(),
                        message: e.to_string(),
                    });
                (m.target.clone(), parsed)
            })
            .collect();
        let username = match &org.import.username_format {
            UsernameFormat::Email => None,
            UsernameFormat::Custom { expression } => Some(
                expr::parse(expression)
                    .map_err(|e| format!("the username format does not parse: {e}")),
            ),
        };
        Mapper { to_okta, username }
    }

    /// The username and mapped Okta profile of an app user profile, and what went wrong if
    /// something did.
    pub(super) fn map(
        &self,
        app_profile: &BTreeMap<String, Value>,
    ) -> (String, BTreeMap<String, Value>, Option<String>) {
        let mut ctx = MapContext::new();
        for (name, value) in app_profile {
            if let Some(v) = expr::Value::from_json(value) {
                ctx.set(Object::AppUser, name.clone(), v);
            }
        }
        let mut okta = BTreeMap::new();
        for (target, parsed) in &self.to_okta {
            let value = match parsed {
                Ok(parsed) => expr::eval(parsed, &ctx).map_err(|e| MappingError::Evaluation {
                    target: target.clone(),
                    message: e.to_string(),
                }),
                Err(e) => Err(e.clone()),
            };
            match value {
                Ok(expr::Value::Null) => {}
                Ok(value) => {
                    okta.insert(target.clone(), value.to_json());
                }
                Err(e) => return (String::new(), BTreeMap::new(), Some(e.to_string())),
            }
        }
        let username = match &self.username {
            None => okta
                .get("email")
                .or_else(|| app_profile.get("email"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| "the app user has no email for the username".to_string()),
            Some(Err(e)) => Err(e.clone()),
            Some(Ok(parsed)) => match expr::eval(parsed, &ctx) {
                Ok(expr::Value::String(s)) if !s.is_empty() => Ok(s),
                Ok(other) => Err(format!(
                    "the username format gave {}",
                    other.type_of().with_article()
                )),
                Err(e) => Err(format!("the username format failed: {e}")),
            },
        };
        match username {
            Ok(username) => {
                okta.insert("login".into(), Value::String(username.clone()));
                (username, okta, None)
            }
            Err(reason) => (String::new(), okta, Some(reason)),
        }
    }
}
