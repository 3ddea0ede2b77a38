//! The shareable configuration: everything a user configures, in one versioned type, encoded
//! for a URL fragment (JSON → raw DEFLATE → base64url) and decoded defensively.
//!
//! It never holds user data (the directory, app users, the System Log, import results) and
//! never a secret: the authentication *method* travels, its credentials do not, and neither
//! does the base URL (which may name a private host) or an inline hook's `Authorization`.
//!
//! Decoding treats the fragment as hostile: the text and the inflated JSON have size limits
//! (a small fragment can inflate to gigabytes), the version is checked and older versions are
//! migrated step by step, the shape is checked by serde, and then every expression is parsed
//! and every mapping checked against the attributes, each failure with its own error.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::ClientProfile;
use crate::expr::{self, MapContext, Object};
use crate::hook::ImportHook;
use crate::import::{Interval, UsernameFormat};
use crate::mapping::Mappings;
use crate::matching::MatchRules;
use crate::org::Org;
use crate::profile::{AppAttribute, AppProfile, OktaAttribute, OktaProfile};
use crate::safeguard::Safeguards;
use crate::settings::{ApiAuth, ToAppSettings};
use crate::sourcing::Sourcing;

/// The version [`encode`] writes.
pub const CURRENT_VERSION: u64 = 2;

/// The longest encoded text [`decode`] reads, in bytes. Browsers keep URLs of a few hundred
/// kilobytes; a configuration needs a few kilobytes.
pub const MAX_ENCODED_BYTES: usize = 64 * 1024;

/// The most bytes the inflated JSON may have. DEFLATE can shrink repetitive input about a
/// thousandfold, so without this a 64 KB fragment could ask for 64 MB or more.
pub const MAX_INFLATED_BYTES: usize = 1024 * 1024;

/// How the API integration authenticates, without the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AuthMethod {
    /// No `Authorization` header.
    None,
    /// HTTP Basic.
    Basic,
    /// A raw header value.
    Header,
    /// An OAuth 2.0 bearer token.
    #[serde(rename = "oauth")]
    OAuthBearer,
}

impl AuthMethod {
    /// The method of `auth`.
    pub fn of(auth: &ApiAuth) -> AuthMethod {
        match auth {
            ApiAuth::None => AuthMethod::None,
            ApiAuth::Basic { .. } => AuthMethod::Basic,
            ApiAuth::Header { .. } => AuthMethod::Header,
            ApiAuth::OAuthBearer { .. } => AuthMethod::OAuthBearer,
        }
    }

    /// An [`ApiAuth`] of this method with empty credentials, for the receiver to fill in.
    pub fn empty(self) -> ApiAuth {
        match self {
            AuthMethod::None => ApiAuth::None,
            AuthMethod::Basic => ApiAuth::Basic {
                username: String::new(),
                password: String::new(),
            },
            AuthMethod::Header => ApiAuth::Header {
                value: String::new(),
            },
            AuthMethod::OAuthBearer => ApiAuth::OAuthBearer {
                token: String::new(),
            },
        }
    }
}

/// The To Okta settings that travel (the schedule's interval, not its next due time).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SharedImport {
    /// The username format.
    pub username_format: UsernameFormat,
    /// User Creation & Matching.
    pub matching: MatchRules,
    /// Profile & Lifecycle Sourcing.
    pub sourcing: Sourcing,
    /// Import Safeguards.
    pub safeguards: Safeguards,
    /// The import inline hook, never with its `Authorization`.
    pub hook: Option<ImportHook>,
    /// How often full imports run.
    pub schedule: Interval,
}

/// Everything a user configures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SharedConfig {
    /// Always [`CURRENT_VERSION`] once decoded.
    pub version: u64,
    /// The app's label.
    pub app_label: String,
    /// Which client the simulator talks like.
    pub client: ClientProfile,
    /// The authentication method.
    pub auth_method: AuthMethod,
    /// The To App toggles.
    pub to_app: ToAppSettings,
    /// The Profile Editor's app attributes.
    pub app_attributes: Vec<AppAttribute>,
    /// The Profile Editor's custom Okta attributes.
    #[serde(default)]
    pub okta_attributes: Vec<OktaAttribute>,
    /// Both mapping tables.
    pub mappings: Mappings,
    /// The To Okta settings.
    pub import: SharedImport,
}

/// Everything that can be wrong with a shared configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShareError {
    /// The text is longer than [`MAX_ENCODED_BYTES`], e.g. a pasted 100 KB fragment.
    #[error("the shared configuration is longer than {MAX_ENCODED_BYTES} bytes")]
    TooLong,
    /// The text is not base64url, e.g. `cfg=!!`.
    #[error("the shared configuration is not base64url: {0}")]
    InvalidBase64(String),
    /// The bytes are not raw DEFLATE data, e.g. base64url of plain text.
    #[error("the shared configuration is not compressed data: {0}")]
    InvalidDeflate(String),
    /// The data inflates past [`MAX_INFLATED_BYTES`]: a compression bomb.
    #[error("the shared configuration inflates past {MAX_INFLATED_BYTES} bytes")]
    TooLarge,
    /// The inflated data is not JSON, e.g. `{"version":`.
    #[error("the shared configuration is not JSON: {0}")]
    InvalidJson(String),
    /// There is no integer `version`, e.g. `{}` or `{"version":"2"}`.
    #[error("the shared configuration has no version")]
    MissingVersion,
    /// The version is newer than this playground knows, e.g. `{"version":99}`.
    #[error("the shared configuration is version {0}, newer than this playground ({CURRENT_VERSION}); reload to update")]
    NewerVersion(u64),
    /// The version is one no playground ever wrote, e.g. `{"version":0}`.
    #[error("the shared configuration's version {0} is not supported")]
    UnsupportedVersion(u64),
    /// An older version could not be migrated, e.g. version 1 with `"appType":"XYZ"`.
    #[error("the version {from} configuration could not be migrated: {reason}")]
    Migration {
        /// The version migrated from.
        from: u64,
        /// Why.
        reason: String,
    },
    /// The JSON does not have the configuration's shape, e.g. a missing `mappings` or an
    /// unknown field.
    #[error("the shared configuration is malformed: {0}")]
    InvalidShape(String),
    /// An expression does not parse, e.g. a mapping of `user.firstName +`.
    #[error("the expression of {place} is invalid: {message}")]
    InvalidExpression {
        /// Where, e.g. `the mapping to givenName`.
        place: String,
        /// The expression language's message.
        message: String,
    },
    /// An app or Okta attribute is invalid or duplicated, e.g. two `userName` attributes.
    #[error("the app attribute {name} is invalid: {reason}")]
    InvalidAttribute {
        /// The attribute's variable name.
        name: String,
        /// Why.
        reason: String,
    },
    /// A mapping targets an attribute that does not exist, e.g. a To App mapping to an
    /// attribute the configuration does not define.
    #[error("the mapping to {0} has no attribute to map to")]
    UnknownTarget(String),
    /// A safeguard percentage above 100.
    #[error("the {0}-level safeguard must be between 1 and 100 percent")]
    OutOfRange(&'static str),
    /// A text field holds markup, control characters or too much text, e.g. an app label of
    /// `<script>…</script>`: the page would show it escaped, but a configuration anyone can
    /// send in a link is held to plain text.
    #[error("{0} is not plain text (no markup or control characters, at most {MAX_TEXT_CHARS} characters)")]
    NotPlainText(String),
    /// The inline hook's URL is not an absolute `http(s)` URL, e.g. `javascript:…`.
    #[error("the inline hook's URL must be an absolute http or https URL")]
    InvalidHookUrl,
    /// A secret is present, e.g. an inline hook with an `authorization`.
    #[error("the shared configuration contains a secret ({0}); it was not loaded")]
    ContainsSecret(&'static str),
    /// The inline hook's URL is on the playground's own origin, where a POST would reach its
    /// own endpoints (`/_playground/import` replaces every resource).
    #[error("the inline hook's URL points at the playground itself ({0}); a hook must be another server")]
    HookOnAppOrigin(String),
}

/// What applying an incoming configuration does to where imports send people's profiles: said
/// in words by the Share panel before anything is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookDestination {
    /// The inline hook's new URL: every import will POST the people it reads there.
    pub url: String,
    /// Whether the current hook's credential is dropped because the destination's origin
    /// changes (it is never sent to another server).
    pub credential_dropped: bool,
}

/// The new destination of the import hook if `incoming` changes it, `None` when imports keep
/// going where they go now (or to no external hook).
pub fn hook_destination(org: &Org, incoming: &SharedConfig) -> Option<HookDestination> {
    let Some(ImportHook::Http { url: new, .. }) = &incoming.import.hook else {
        return None;
    };
    let (current, authorization) = match &org.import.hook {
        Some(ImportHook::Http { url, authorization }) => (Some(url.as_str()), authorization),
        _ => (None, &None),
    };
    if current == Some(new.as_str()) {
        return None;
    }
    Some(HookDestination {
        url: new.clone(),
        credential_dropped: authorization.is_some()
            && !current.is_some_and(|old| crate::origin::same(old, new)),
    })
}

/// Refuses a configuration whose inline hook would POST to the playground's own origin
/// (`app_origin`, e.g. `https://user.github.io`): the page's requests there reach its own
/// endpoints, so a link could make an import reset or replace the user's data.
///
/// # Errors
///
/// [`ShareError::HookOnAppOrigin`] naming the URL.
pub fn check_hook_destination(config: &SharedConfig, app_origin: &str) -> Result<(), ShareError> {
    match &config.import.hook {
        Some(ImportHook::Http { url, .. })
            if crate::origin::of(url).is_some()
                && crate::origin::of(url) == crate::origin::of(app_origin) =>
        {
            Err(ShareError::HookOnAppOrigin(url.clone()))
        }
        _ => Ok(()),
    }
}

impl SharedConfig {
    /// The configuration of `org`, without data or secrets.
    pub fn from_org(org: &Org) -> SharedConfig {
        let hook = org.import.hook.clone().map(|hook| match hook {
            ImportHook::Http { url, .. } => ImportHook::Http {
                url,
                authorization: None,
            },
            local @ ImportHook::Local { .. } => local,
        });
        SharedConfig {
            version: CURRENT_VERSION,
            app_label: org.app.label.clone(),
            client: org.app.settings.client,
            auth_method: AuthMethod::of(&org.app.settings.auth),
            to_app: org.app.settings.to_app.clone(),
            app_attributes: org.app.profile.attributes().to_vec(),
            okta_attributes: org.okta_profile.custom().to_vec(),
            mappings: org.app.mappings.clone(),
            import: SharedImport {
                username_format: org.import.username_format.clone(),
                matching: org.import.matching.clone(),
                sourcing: org.import.sourcing.clone(),
                safeguards: org.import.safeguards,
                hook,
                schedule: org.import.schedule.full,
            },
        }
    }

    /// Applies the configuration to `org`, keeping its data, its base URL and, when the
    /// method is unchanged, its credentials; the inline hook keeps its credential only when
    /// its URL keeps its origin.
    pub fn apply_to(&self, org: &mut Org) {
        let mut profile = AppProfile::empty();
        for attribute in &self.app_attributes {
            // Decoding already refused invalid attributes.
            let _ = profile.add(attribute.clone());
        }
        org.app.label = self.app_label.clone();
        org.app.settings.client = self.client;
        if AuthMethod::of(&org.app.settings.auth) != self.auth_method {
            org.app.settings.auth = self.auth_method.empty();
        }
        org.app.settings.to_app = self.to_app.clone();
        org.app.profile = profile;
        let mut okta = OktaProfile::default();
        for attribute in &self.okta_attributes {
            // Decoding already refused invalid attributes.
            let _ = okta.add(attribute.clone());
        }
        org.okta_profile = okta;
        org.app.mappings = self.mappings.clone();
        // The hook's credential stays only while its destination's origin does: a link that
        // changes the URL alone must not make the next import send it to another server.
        let kept_authorization = match (&org.import.hook, &self.import.hook) {
            (
                Some(ImportHook::Http {
                    url: old,
                    authorization,
                }),
                Some(ImportHook::Http { url: new, .. }),
            ) if crate::origin::same(old, new) => authorization.clone(),
            _ => None,
        };
        org.import.username_format = self.import.username_format.clone();
        org.import.matching = self.import.matching.clone();
        org.import.sourcing = self.import.sourcing.clone();
        org.import.safeguards = self.import.safeguards;
        org.import.hook = self.import.hook.clone().map(|hook| match hook {
            ImportHook::Http { url, .. } => ImportHook::Http {
                url,
                authorization: kept_authorization.clone(),
            },
            local @ ImportHook::Local { .. } => local,
        });
        if org.import.schedule.full != self.import.schedule {
            org.import.schedule.full = self.import.schedule;
            org.import.schedule.next_run_ms = None;
        }
    }
}

/// The base64url engine: no padding written, padding accepted on input.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Encodes a configuration for a URL fragment.
pub fn encode(config: &SharedConfig) -> String {
    let json = serde_json::to_vec(config).unwrap_or_default();
    let compressed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    BASE64URL.encode(compressed)
}

/// Decodes a configuration from a URL fragment.
///
/// # Errors
///
/// Every [`ShareError`], each for its own way of being wrong.
pub fn decode(text: &str) -> Result<SharedConfig, ShareError> {
    if text.len() > MAX_ENCODED_BYTES {
        return Err(ShareError::TooLong);
    }
    let compressed = BASE64URL
        .decode(text.trim())
        .map_err(|e| ShareError::InvalidBase64(e.to_string()))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_INFLATED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            status => ShareError::InvalidDeflate(format!("{status:?}")),
        })?;
    decode_json(&json)
}

/// Decodes a configuration from its JSON (an exported configuration file), with every check
/// [`decode`] makes after inflating.
///
/// # Errors
///
/// [`ShareError::TooLarge`] past [`MAX_INFLATED_BYTES`], and every error after inflating.
pub fn decode_json(json: &[u8]) -> Result<SharedConfig, ShareError> {
    if json.len() > MAX_INFLATED_BYTES {
        return Err(ShareError::TooLarge);
    }
    let value: Value =
        serde_json::from_slice(json).map_err(|e| ShareError::InvalidJson(e.to_string()))?;
    let value = migrate(value)?;
    let config: SharedConfig =
        serde_json::from_value(value).map_err(|e| ShareError::InvalidShape(e.to_string()))?;
    validate(&config)?;
    Ok(config)
}

/// One setting that differs between two configurations, as the Share panel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Where, e.g. `toApp.createUsers` or `mappings.toApp.displayName.expression`.
    pub path: String,
    /// The value now, as JSON text; `None` when it is added.
    pub current: Option<String>,
    /// The value the other configuration brings; `None` when it is removed.
    pub incoming: Option<String>,
}

/// Every setting that differs between `current` and `incoming`, in a stable order. Lists of
/// named things (mappings by target, attributes by name) are compared by name, so adding one
/// mapping reads as one added line rather than every later index changing.
pub fn diff(current: &SharedConfig, incoming: &SharedConfig) -> Vec<Difference> {
    let mut left = std::collections::BTreeMap::new();
    let mut right = std::collections::BTreeMap::new();
    flatten("", &keyed(current), &mut left);
    flatten("", &keyed(incoming), &mut right);
    let mut paths: Vec<&String> = left.keys().chain(right.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| left.get(*p) != right.get(*p))
        .map(|p| Difference {
            path: p.clone(),
            current: left.get(p).cloned(),
            incoming: right.get(p).cloned(),
        })
        .collect()
}

/// The configuration as JSON with its named lists turned into objects keyed by name.
fn keyed(config: &SharedConfig) -> Value {
    let mut value = serde_json::to_value(config).unwrap_or(Value::Null);
    let by = |list: Option<&mut Value>, key: &str| {
        if let Some(list) = list {
            if let Value::Array(items) = list.take() {
                let mut object = serde_json::Map::new();
                for item in items {
                    let name = item
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_string();
                    object.insert(name, item);
                }
                *list = Value::Object(object);
            }
        }
    };
    by(value.pointer_mut("/mappings/toApp"), "target");
    by(value.pointer_mut("/mappings/toOkta"), "target");
    by(value.get_mut("appAttributes"), "name");
    by(value.get_mut("oktaAttributes"), "name");
    value
}

fn flatten(prefix: &str, value: &Value, out: &mut std::collections::BTreeMap<String, String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, item) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, item, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// Brings an older version's JSON up to [`CURRENT_VERSION`], one version at a time.
fn migrate(mut value: Value) -> Result<Value, ShareError> {
    let version = value
        .get("version")
        .and_then(Value::as_u64)
        .ok_or(ShareError::MissingVersion)?;
    if version > CURRENT_VERSION {
        return Err(ShareError::NewerVersion(version));
    }
    if version == 0 {
        return Err(ShareError::UnsupportedVersion(version));
    }
    if version == 1 {
        value = v1_to_v2(value)?;
    }
    Ok(value)
}

/// Version 1 named only Okta's two app types (`"appType": "AIW" | "OIN"`) and had no import
/// inline hook; version 2 has a `client` profile and `import.hook`.
fn v1_to_v2(mut value: Value) -> Result<Value, ShareError> {
    let failed = |reason: &str| ShareError::Migration {
        from: 1,
        reason: reason.into(),
    };
    let obj = value
        .as_object_mut()
        .ok_or_else(|| failed("not an object"))?;
    let client = match obj.remove("appType").as_ref().and_then(Value::as_str) {
        Some("AIW") => "OKTA_AIW",
        Some("OIN") => "OKTA_OIN",
        Some(other) => return Err(failed(&format!("unknown appType {other:?}"))),
        None => return Err(failed("appType is missing")),
    };
    obj.insert("client".into(), Value::String(client.into()));
    if let Some(Value::Object(import)) = obj.get_mut("import") {
        import.insert("hook".into(), Value::Null);
    }
    obj.insert("version".into(), Value::from(2u64));
    Ok(value)
}

/// Everything serde cannot check: expressions, attribute names, mapping targets, ranges and
/// secrets.
/// The longest label or display name a shared configuration may carry.
pub const MAX_TEXT_CHARS: usize = 200;

/// Refuses text that is not plain: markup characters, control characters, or too long.
fn plain_text(place: impl FnOnce() -> String, text: &str) -> Result<(), ShareError> {
    let plain = text.chars().count() <= MAX_TEXT_CHARS
        && !text
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>'));
    if plain {
        Ok(())
    } else {
        Err(ShareError::NotPlainText(place()))
    }
}

fn validate(config: &SharedConfig) -> Result<(), ShareError> {
    plain_text(|| "the app label".into(), &config.app_label)?;
    for attribute in &config.app_attributes {
        plain_text(
            || format!("the display name of {}", attribute.name),
            &attribute.display_name,
        )?;
        plain_text(
            || format!("the external name of {}", attribute.name),
            &attribute.external_name,
        )?;
        plain_text(
            || format!("the namespace of {}", attribute.name),
            &attribute.external_namespace,
        )?;
    }
    for attribute in &config.okta_attributes {
        plain_text(
            || format!("the display name of {}", attribute.name),
            &attribute.display_name,
        )?;
    }
    let mut profile = AppProfile::empty();
    for attribute in &config.app_attributes {
        profile
            .add(attribute.clone())
            .map_err(|e| ShareError::InvalidAttribute {
                name: attribute.name.clone(),
                reason: e.to_string(),
            })?;
    }
    let mut okta = OktaProfile::default();
    for attribute in &config.okta_attributes {
        okta.add(attribute.clone())
            .map_err(|e| ShareError::InvalidAttribute {
                name: attribute.name.clone(),
                reason: e.to_string(),
            })?;
    }
    let parse = |place: String, source: &str| {
        expr::parse(source)
            .map(|_| ())
            .map_err(|e| ShareError::InvalidExpression {
                place,
                message: e.to_string(),
            })
    };
    for mapping in &config.mappings.to_app {
        if profile.get(&mapping.target).is_none() {
            return Err(ShareError::UnknownTarget(mapping.target.clone()));
        }
        parse(
            format!("the mapping to {}", mapping.target),
            &mapping.expression,
        )?;
    }
    for mapping in &config.mappings.to_okta {
        if !okta.has(&mapping.target) {
            return Err(ShareError::UnknownTarget(mapping.target.clone()));
        }
        parse(
            format!("the mapping to {}", mapping.target),
            &mapping.expression,
        )?;
    }
    if let UsernameFormat::Custom { expression } = &config.import.username_format {
        parse("the username format".into(), expression)?;
        // The format reads only app user attributes that exist.
        let scope = MapContext::new().with_schema(Object::AppUser, profile.names());
        if let Some(problem) = expr::parse(expression)
            .ok()
            .and_then(|e| expr::validate(&e, &scope).into_iter().next())
        {
            return Err(ShareError::InvalidExpression {
                place: "the username format".into(),
                message: problem.to_string(),
            });
        }
    }
    match &config.import.hook {
        Some(ImportHook::Local { rules }) => {
            for (idx, rule) in rules.iter().enumerate() {
                if !rule.condition.trim().is_empty() {
                    parse(format!("hook rule {}", idx + 1), &rule.condition)?;
                }
            }
        }
        Some(ImportHook::Http {
            authorization: Some(_),
            ..
        }) => {
            return Err(ShareError::ContainsSecret(
                "the inline hook's authorization",
            ))
        }
        Some(ImportHook::Http { url, .. }) => {
            let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
            if !scheme_ok || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
                return Err(ShareError::InvalidHookUrl);
            }
        }
        None => {}
    }
    if let Err(level) = config.import.safeguards.validate() {
        return Err(ShareError::OutOfRange(match level {
            crate::safeguard::Level::App => "app",
            crate::safeguard::Level::Org => "org",
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hook::{Command, HookRule, ImportAction};
    use crate::push::App;
    use crate::settings::ProvisioningSettings;
    use serde_json::json;

    fn org() -> Org {
        let settings = ProvisioningSettings::new(
            "https://private.example/scim/v2",
            ApiAuth::Basic {
                username: "admin".into(),
                password: "hunter2".into(),
            },
        );
        let mut org = Org::new(App::scim_template("0oa1", "My app", settings), 1);
        org.import.username_format = UsernameFormat::Custom {
            expression: r#"String.substringBefore(appuser.email, "@") + "@corp.example""#.into(),
        };
        org.import.hook = Some(ImportHook::Http {
            url: "https://hook.example/import".into(),
            authorization: Some("hook-secret".into()),
        });
        org.okta_profile
            .add(OktaAttribute {
                name: "costCode".into(),
                display_name: "Cost code".into(),
                attr_type: crate::profile::AttributeType::String,
            })
            .expect("a new attribute");
        org.app
            .mappings
            .set_to_okta(
                &org.app.profile,
                &org.okta_profile,
                "costCode",
                "appuser.costCenter",
            )
            .expect("a valid mapping");
        org
    }

    fn deflate_b64(json: &str) -> String {
        BASE64URL.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6))
    }

    fn current_json() -> Value {
        serde_json::to_value(SharedConfig::from_org(&org())).unwrap_or(Value::Null)
    }

    fn with_hook_url(url: &str) -> SharedConfig {
        let mut config = SharedConfig::from_org(&org());
        config.import.hook = Some(ImportHook::Http {
            url: url.into(),
            authorization: None,
        });
        config
    }

    fn hook_authorization(org: &Org) -> Option<String> {
        match &org.import.hook {
            Some(ImportHook::Http { authorization, .. }) => authorization.clone(),
            _ => None,
        }
    }

    /// A link that changes only the hook's URL must not send the hook's credential to the
    /// link author's server; one that keeps the origin (another path) keeps it.
    #[test]
    fn the_hook_credential_stays_only_with_its_origin() {
        for (url, kept) in [
            ("https://hook.example/import", true),
            ("https://HOOK.example:443/other/path", true),
            ("https://attacker.example/collect", false),
            ("https://hook.example.attacker.example/import", false),
            ("http://hook.example/import", false),
            ("https://hook.example:8443/import", false),
            ("https://hook.example@attacker.example/import", false),
        ] {
            let mut target = org();
            let incoming = with_hook_url(url);
            let notice = hook_destination(&target, &incoming);
            incoming.apply_to(&mut target);
            assert_eq!(
                hook_authorization(&target).is_some(),
                kept,
                "{url}: the credential kept?"
            );
            if url == "https://hook.example/import" {
                assert_eq!(notice, None, "same URL: nothing to say");
            } else {
                assert_eq!(
                    notice,
                    Some(HookDestination {
                        url: url.into(),
                        credential_dropped: !kept
                    }),
                    "{url}"
                );
            }
        }
    }

    #[test]
    fn a_hook_on_the_apps_own_origin_is_refused() {
        let app = "https://user.github.io";
        for url in [
            "https://user.github.io/_playground/import",
            "https://USER.github.io:443/scim-playground/_playground/reset",
        ] {
            assert_eq!(
                check_hook_destination(&with_hook_url(url), app),
                Err(ShareError::HookOnAppOrigin(url.into())),
                "{url}"
            );
        }
        for url in ["https://hook.example/import", "http://user.github.io/x"] {
            assert_eq!(
                check_hook_destination(&with_hook_url(url), app),
                Ok(()),
                "{url}"
            );
        }
    }

    #[test]
    fn a_configuration_round_trips_without_data_or_secrets() {
        let org = org();
        let config = SharedConfig::from_org(&org);
        let text = encode(&config);
        assert!(text.len() < 3000, "compact: {} bytes", text.len());
        assert!(text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&text), Ok(config.clone()));
        let json = String::from_utf8(
            miniz_oxide::inflate::decompress_to_vec(&BASE64URL.decode(&text).unwrap_or_default())
                .unwrap_or_default(),
        )
        .unwrap_or_default();
        for secret in ["hunter2", "admin", "hook-secret", "private.example"] {
            assert!(!json.contains(secret), "{secret} leaked");
        }
        let mut other = Org::new(
            App::scim_template(
                "0oa2",
                "Other",
                ProvisioningSettings::new("https://mine.example", ApiAuth::None),
            ),
            2,
        );
        config.apply_to(&mut other);
        assert_eq!(other.app.label, "My app");
        assert!(other.okta_profile.has("costCode"));
        assert_eq!(
            other.app.settings.auth,
            ApiAuth::Basic {
                username: String::new(),
                password: String::new()
            }
        );
        assert_eq!(other.app.settings.base_url, "https://mine.example");
        assert_eq!(SharedConfig::from_org(&other), config);
    }

    #[test]
    fn local_hook_rules_round_trip() {
        let mut org = org();
        org.import.hook = Some(ImportHook::Local {
            rules: vec![HookRule {
                condition: r#"appuser.userType == "Contractor""#.into(),
                commands: vec![Command::ActionUpdate {
                    result: ImportAction::LinkUser,
                }],
                error: None,
            }],
        });
        let config = SharedConfig::from_org(&org);
        assert_eq!(decode(&encode(&config)), Ok(config));
    }

    #[test]
    fn version_1_migrates_to_version_2() {
        let mut v1 = current_json();
        if let Some(obj) = v1.as_object_mut() {
            obj.insert("version".into(), json!(1));
            obj.remove("client");
            obj.insert("appType".into(), json!("OIN"));
            if let Some(Value::Object(import)) = obj.get_mut("import") {
                import.remove("hook");
            }
        }
        let decoded = decode(&deflate_b64(&v1.to_string())).expect("migrated");
        assert_eq!(decoded.version, CURRENT_VERSION);
        assert_eq!(decoded.client, ClientProfile::OktaOin);
        assert_eq!(decoded.import.hook, None);
        if let Some(obj) = v1.as_object_mut() {
            obj.insert("appType".into(), json!("XYZ"));
        }
        assert!(matches!(
            decode(&deflate_b64(&v1.to_string())),
            Err(ShareError::Migration { from: 1, .. })
        ));
    }

    /// The current configuration with one change made to its JSON.
    fn tampered(change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
        let mut value = current_json();
        if let Some(obj) = value.as_object_mut() {
            change(obj);
        }
        deflate_b64(&value.to_string())
    }

    /// Whether an error is the one a case expects.
    type Expected = fn(&ShareError) -> bool;

    #[test]
    fn the_diff_names_each_changed_setting_and_keys_mappings_by_target() {
        let current = SharedConfig::from_org(&org());
        assert_eq!(diff(&current, &current), Vec::new());
        let mut incoming = current.clone();
        incoming.to_app.create_users = false;
        incoming.mappings.to_app[0].expression = "user.email".into();
        incoming.mappings.to_app.remove(1);
        let target0 = current.mappings.to_app[0].target.clone();
        let target1 = current.mappings.to_app[1].target.clone();
        let paths: Vec<String> = diff(&current, &incoming)
            .into_iter()
            .map(|d| d.path)
            .collect();
        assert!(
            paths.contains(&"toApp.createUsers".to_string()),
            "{paths:?}"
        );
        assert!(paths.contains(&format!("mappings.toApp.{target0}.expression")));
        assert!(paths.contains(&format!("mappings.toApp.{target1}.target")));
        let removed = diff(&current, &incoming)
            .into_iter()
            .find(|d| d.path == format!("mappings.toApp.{target1}.target"))
            .expect("the removed mapping is listed");
        assert_eq!(removed.incoming, None);
        assert!(
            paths.len() <= 6,
            "only the changed settings are listed, not every later index: {paths:?}"
        );
    }

    #[test]
    fn an_exported_file_decodes_with_the_same_checks() {
        let config = SharedConfig::from_org(&org());
        let json = serde_json::to_vec_pretty(&config).expect("serialises");
        assert_eq!(decode_json(&json), Ok(config));
        assert!(matches!(
            decode_json(br#"{"version":99}"#),
            Err(ShareError::NewerVersion(99))
        ));
        assert_eq!(
            decode_json(&vec![b' '; MAX_INFLATED_BYTES + 1]),
            Err(ShareError::TooLarge)
        );
    }

    #[test]
    fn each_way_of_being_wrong_has_its_error() {
        let bomb = {
            let zeros = vec![b' '; MAX_INFLATED_BYTES + 1];
            BASE64URL.encode(miniz_oxide::deflate::compress_to_vec(&zeros, 9))
        };
        assert!(bomb.len() < MAX_ENCODED_BYTES, "a small fragment");
        let cases: Vec<(String, Expected)> = vec![
            ("a".repeat(MAX_ENCODED_BYTES + 1), |e| {
                matches!(e, ShareError::TooLong)
            }),
            ("!!".into(), |e| matches!(e, ShareError::InvalidBase64(_))),
            (BASE64URL.encode(b"\xff\xff\xff\xff"), |e| {
                matches!(e, ShareError::InvalidDeflate(_))
            }),
            (bomb, |e| matches!(e, ShareError::TooLarge)),
            (deflate_b64("{\"version\":"), |e| {
                matches!(e, ShareError::InvalidJson(_))
            }),
            (deflate_b64("{}"), |e| {
                matches!(e, ShareError::MissingVersion)
            }),
            (deflate_b64(r#"{"version":"2"}"#), |e| {
                matches!(e, ShareError::MissingVersion)
            }),
            (deflate_b64(r#"{"version":99}"#), |e| {
                matches!(e, ShareError::NewerVersion(99))
            }),
            (deflate_b64(r#"{"version":0}"#), |e| {
                matches!(e, ShareError::UnsupportedVersion(0))
            }),
            (deflate_b64(r#"{"version":2}"#), |e| {
                matches!(e, ShareError::InvalidShape(_))
            }),
            (
                tampered(|o| {
                    o.insert("users".into(), json!([]));
                }),
                |e| matches!(e, ShareError::InvalidShape(_)),
            ),
            (
                tampered(|o| {
                    o["mappings"]["toApp"][0]["expression"] = json!("user.firstName +");
                }),
                |e| matches!(e, ShareError::InvalidExpression { .. }),
            ),
            (
                tampered(|o| {
                    o["import"]["usernameFormat"]["expression"] = json!("appuser.nope");
                }),
                |e| matches!(e, ShareError::InvalidExpression { .. }),
            ),
            (
                tampered(|o| {
                    o["mappings"]["toApp"][0]["target"] = json!("nope");
                }),
                |e| matches!(e, ShareError::UnknownTarget(_)),
            ),
            (
                tampered(|o| {
                    o["mappings"]["toOkta"][0]["target"] = json!("nope");
                }),
                |e| matches!(e, ShareError::UnknownTarget(_)),
            ),
            (
                tampered(|o| {
                    o["appAttributes"][1]["name"] = json!("userName");
                }),
                |e| matches!(e, ShareError::InvalidAttribute { .. }),
            ),
            (
                tampered(|o| {
                    o.insert("oktaAttributes".into(), json!([]));
                }),
                |e| matches!(e, ShareError::UnknownTarget(t) if t == "costCode"),
            ),
            (
                tampered(|o| {
                    o["oktaAttributes"][0]["name"] = json!("login");
                }),
                |e| matches!(e, ShareError::InvalidAttribute { .. }),
            ),
            (
                tampered(|o| {
                    o["import"]["safeguards"]["app"]["percent"] = json!(101);
                }),
                |e| matches!(e, ShareError::OutOfRange("app")),
            ),
            // The form refuses 0 % too: one validation for both (Safeguards::validate).
            (
                tampered(|o| {
                    o["import"]["safeguards"]["org"]["percent"] = json!(0);
                }),
                |e| matches!(e, ShareError::OutOfRange("org")),
            ),
            (
                tampered(|o| {
                    o["import"]["hook"]["authorization"] = json!("secret");
                }),
                |e| matches!(e, ShareError::ContainsSecret(_)),
            ),
            (
                tampered(|o| {
                    o["import"]["hook"] = json!({"kind": "local", "rules": [{"condition": "(("}]});
                }),
                |e| matches!(e, ShareError::InvalidExpression { .. }),
            ),
            (
                tampered(|o| {
                    o["appLabel"] = json!("<script>alert(1)</script>");
                }),
                |e| matches!(e, ShareError::NotPlainText(p) if p == "the app label"),
            ),
            (
                tampered(|o| {
                    o["appLabel"] = json!("x".repeat(MAX_TEXT_CHARS + 1));
                }),
                |e| matches!(e, ShareError::NotPlainText(_)),
            ),
            (
                tampered(|o| {
                    o["appAttributes"][0]["displayName"] = json!("a\u{7}b");
                }),
                |e| matches!(e, ShareError::NotPlainText(_)),
            ),
            (
                tampered(|o| {
                    o["import"]["hook"] = json!({"kind": "http", "url": "javascript:alert(1)"});
                }),
                |e| matches!(e, ShareError::InvalidHookUrl),
            ),
        ];
        for (idx, (text, expected)) in cases.iter().enumerate() {
            match decode(text) {
                Err(e) if expected(&e) => {}
                other => panic!("case {idx}: unexpected {other:?}"),
            }
        }
    }
}
