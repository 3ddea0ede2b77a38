//! [`Server`]: the registry, the store and the settings, and the request dispatcher.

use serde_json::{Map, Value};

use crate::auth;
use crate::error::ScimError;
use crate::http::{Env, Request, Response};
use crate::ops::{self, Call};
use crate::render::{Projection, RenderCtx};
use crate::resource::Ctx;
use crate::schema::{CustomAttribute, Registry, ResourceKind};
use crate::settings::{Auth, IssuedToken, Profile, Settings};
use crate::store::{Change, Store, StoredResource};

/// What one request produced: the response, and every durable change it made, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The response to send.
    pub response: Response,
    /// The changes to persist in one transaction; empty for reads and for failed requests.
    pub changes: Vec<Change>,
}

/// A SCIM 2.0 service provider over an in-memory store.
#[derive(Debug, Clone)]
pub struct Server {
    pub(crate) settings: Settings,
    pub(crate) registry: Registry,
    pub(crate) store: Store,
}

impl Server {
    /// A server with no resources.
    ///
    /// Custom attributes that do not fit the registry (for example a persisted attribute whose
    /// name a newer core schema now defines) are dropped from the settings, so the server
    /// always starts.
    pub fn new(settings: Settings) -> Self {
        let mut settings = settings;
        let mut registry = Registry::core();
        settings
            .custom_attributes
            .retain(|custom| registry.add_custom(custom).is_ok());
        Server {
            settings,
            registry,
            store: Store::default(),
        }
    }

    /// The current settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The schema registry (core schemas plus custom attributes).
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// How many resources of a type the server holds.
    pub fn count(&self, kind: ResourceKind) -> usize {
        self.store.len(kind)
    }

    /// Every stored resource, users first, each type ordered by id (the rows to persist).
    pub fn resources(&self) -> impl Iterator<Item = StoredResource> + '_ {
        ResourceKind::ALL.into_iter().flat_map(move |kind| {
            self.store.iter(kind).map(move |(id, data)| StoredResource {
                resource_type: kind,
                id: id.clone(),
                data: data.clone(),
            })
        })
    }

    /// Loads persisted resources (a cold start from IndexedDB), replacing any with the same id.
    ///
    /// # Errors
    /// `invalidValue` if a row is not a JSON object whose `id` equals the row's id, or a user's
    /// `userName` is already taken by another user; the rows before it stay loaded.
    pub fn load(
        &mut self,
        resources: impl IntoIterator<Item = StoredResource>,
    ) -> Result<(), ScimError> {
        for resource in resources {
            let id_matches = resource.data.get("id").and_then(Value::as_str) == Some(&resource.id);
            if !resource.data.is_object() || !id_matches {
                return Err(ScimError::InvalidValue(format!(
                    "stored {} '{}' is not a resource object with a matching id",
                    resource.resource_type.name(),
                    resource.id
                )));
            }
            if resource.resource_type == ResourceKind::User {
                let name = resource.data.get("userName").and_then(Value::as_str);
                let owner = name.and_then(|n| self.store.user_id_by_name(n));
                if owner.is_some_and(|owner| owner != resource.id) {
                    return Err(ScimError::InvalidValue(format!(
                        "stored user '{}' has a userName another stored user already has",
                        resource.id
                    )));
                }
            }
            self.store
                .set(resource.resource_type, &resource.id, Some(resource.data));
        }
        Ok(())
    }

    /// Serves one request. Never panics; a failed request changes nothing.
    pub fn handle(&mut self, req: &Request, env: &mut Env<'_>) -> Outcome {
        let mut changes = Vec::new();
        let result = auth::check(&self.settings.auth, req, unix_ms(env))
            .and_then(|()| self.dispatch(req, env, &mut changes));
        let mut response = match result {
            Ok(response) => response,
            Err(error) => {
                self.undo(&changes);
                changes.clear();
                error.to_response()
            }
        };
        response.set_header("X-Scim-Profile", self.settings.profile.header_value());
        Outcome { response, changes }
    }

    /// Routes an authenticated request to its operation. Bulk calls this for each operation.
    pub(crate) fn dispatch(
        &mut self,
        req: &Request,
        env: &mut Env<'_>,
        changes: &mut Vec<Change>,
    ) -> Result<Response, ScimError> {
        if req.body.len() > self.settings.limits.max_payload_size {
            return Err(ScimError::PayloadTooLarge(format!(
                "the body is {} bytes; this server accepts at most {} (maxPayloadSize)",
                req.body.len(),
                self.settings.limits.max_payload_size
            )));
        }
        let call = Call::new(req)?;
        ops::route(self, &call, env, changes)
    }

    /// Reverts changes this server made, newest first, restoring the exact earlier state. The
    /// worker calls it when persisting an [`Outcome`]'s changes fails.
    pub fn undo(&mut self, changes: &[Change]) {
        for change in changes.iter().rev() {
            match change {
                Change::Resource {
                    resource_type,
                    id,
                    before,
                    ..
                } => self.store.set(*resource_type, id, before.clone()),
                Change::Settings { before, .. } => {
                    if let Ok(registry) = Registry::build(&before.custom_attributes) {
                        self.registry = registry;
                    }
                    self.settings = (**before).clone();
                }
            }
        }
    }

    /// Records a resource write (`None` deletes) as a [`Change`] and applies it.
    pub(crate) fn commit(
        &mut self,
        changes: &mut Vec<Change>,
        kind: ResourceKind,
        id: &str,
        after: Option<Value>,
    ) {
        let before = self.store.get(kind, id).cloned();
        self.store.set(kind, id, after.clone());
        changes.push(Change::Resource {
            resource_type: kind,
            id: id.to_string(),
            before,
            after,
        });
    }

    /// The validation context for a resource type under the active profile.
    pub(crate) fn ctx(&self, kind: ResourceKind) -> Ctx<'_> {
        Ctx {
            registry: &self.registry,
            kind,
            profile: self.settings.profile,
        }
    }

    /// The rendering context for a request.
    pub(crate) fn render_ctx<'a>(&'a self, base_url: &'a str) -> RenderCtx<'a> {
        RenderCtx {
            registry: &self.registry,
            store: &self.store,
            base_url: base_url.trim_end_matches('/'),
        }
    }

    /// Renders one stored resource for a response.
    pub(crate) fn render(
        &self,
        base_url: &str,
        kind: ResourceKind,
        data: &Value,
        projection: &Projection,
    ) -> Value {
        self.render_ctx(base_url).render(kind, data, projection)
    }

    // ----- Settings: every change goes through here and is reported as Changes. -----

    /// Replaces the settings. Attributes that no longer exist are removed from every stored
    /// resource (each such edit is a [`Change`]), so stored resources stay valid.
    ///
    /// # Errors
    /// `invalidValue` when a custom attribute is invalid; nothing changes then.
    pub fn update_settings(&mut self, new: Settings) -> Result<Vec<Change>, ScimError> {
        let registry = Registry::build(&new.custom_attributes)?;
        let mut changes = vec![Change::Settings {
            before: Box::new(self.settings.clone()),
            after: Box::new(new.clone()),
        }];
        self.settings = new;
        self.registry = registry;
        for kind in ResourceKind::ALL {
            let stale: Vec<(String, Value)> = self
                .store
                .iter(kind)
                .filter_map(|(id, data)| {
                    let pruned = prune_unknown(&self.registry, kind, data);
                    (pruned != *data).then(|| (id.clone(), pruned))
                })
                .collect();
            for (id, pruned) in stale {
                self.commit(&mut changes, kind, &id, Some(pruned));
            }
        }
        Ok(changes)
    }

    /// Adds a custom attribute (the Profile Editor's "Add attribute").
    ///
    /// # Errors
    /// `invalidValue` when the attribute is invalid or its name is taken in that schema.
    pub fn add_custom_attribute(
        &mut self,
        attribute: CustomAttribute,
    ) -> Result<Vec<Change>, ScimError> {
        let mut new = self.settings.clone();
        new.custom_attributes.push(attribute);
        self.update_settings(new)
    }

    /// Removes a custom attribute and its values from every stored resource.
    ///
    /// # Errors
    /// `notFound`-style 404 when no custom attribute has that schema and name.
    pub fn remove_custom_attribute(
        &mut self,
        kind: ResourceKind,
        schema: &str,
        name: &str,
    ) -> Result<Vec<Change>, ScimError> {
        let mut new = self.settings.clone();
        let before = new.custom_attributes.len();
        new.custom_attributes.retain(|c| {
            !(c.resource_type == kind
                && c.schema.eq_ignore_ascii_case(schema)
                && c.attribute.name.eq_ignore_ascii_case(name))
        });
        if new.custom_attributes.len() == before {
            return Err(ScimError::NotFound(format!(
                "there is no custom attribute '{name}' in schema '{schema}' of {}",
                kind.name()
            )));
        }
        self.update_settings(new)
    }

    /// Sets the authentication method.
    pub fn set_auth(&mut self, auth: Auth) -> Vec<Change> {
        let mut new = self.settings.clone();
        new.auth = auth;
        self.update_settings(new).unwrap_or_default()
    }

    /// Sets the compatibility profile.
    pub fn set_profile(&mut self, profile: Profile) -> Vec<Change> {
        let mut new = self.settings.clone();
        new.profile = profile;
        self.update_settings(new).unwrap_or_default()
    }

    /// Issues an OAuth 2.0 access token (the worker's token endpoint, client-credentials
    /// grant) valid for `lifetime_secs`, and forgets tokens that have expired.
    ///
    /// # Errors
    /// 401 when OAuth is not the configured method or the client credentials are wrong.
    pub fn issue_token(
        &mut self,
        client_id: &str,
        client_secret: &str,
        lifetime_secs: i64,
        env: &mut Env<'_>,
    ) -> Result<(IssuedToken, Vec<Change>), ScimError> {
        let now = unix_ms(env);
        let mut new = self.settings.clone();
        let Auth::OAuth {
            client_id: id,
            client_secret: secret,
            tokens,
        } = &mut new.auth
        else {
            return Err(ScimError::Unauthorized {
                detail: "the server is not configured for OAuth 2.0".into(),
                challenge: "Bearer realm=\"SCIM Playground\"".into(),
            });
        };
        if id != client_id || secret != client_secret {
            return Err(ScimError::Unauthorized {
                detail: "wrong client_id or client_secret".into(),
                challenge: "Bearer realm=\"SCIM Playground\", error=\"invalid_client\"".into(),
            });
        }
        let token = IssuedToken {
            token: env.new_id(),
            expires_at_ms: now.saturating_add(lifetime_secs.saturating_mul(1000)),
        };
        tokens.retain(|t| t.expires_at_ms > now);
        tokens.push(token.clone());
        let changes = self.update_settings(new)?;
        Ok((token, changes))
    }
}

/// The current time of an environment in Unix milliseconds.
pub(crate) fn unix_ms(env: &Env<'_>) -> i64 {
    env.now_ms
}

/// Removes from a stored resource every attribute, extension and schema URN the registry no
/// longer defines.
fn prune_unknown(registry: &Registry, kind: ResourceKind, data: &Value) -> Value {
    let Some(obj) = data.as_object() else {
        return data.clone();
    };
    let mut out = Map::new();
    for (key, value) in obj {
        if key == "schemas" {
            let kept: Vec<Value> = value
                .as_array()
                .into_iter()
                .flatten()
                .filter(|urn| {
                    urn.as_str().is_some_and(|u| {
                        u == kind.core_schema() || registry.extension(kind, u).is_some()
                    })
                })
                .cloned()
                .collect();
            out.insert(key.clone(), Value::Array(kept));
        } else if let Some(ext) = registry.extension(kind, key) {
            let kept: Map<String, Value> = value
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(name, _)| ext.attribute(name).is_some())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !kept.is_empty() {
                out.insert(key.clone(), Value::Object(kept));
            }
        } else if registry.resolve(kind, key).is_some() && !key.contains(':') {
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}
