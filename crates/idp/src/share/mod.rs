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
//!
//! The parts: the types and moving a configuration in and out of an org (here), the URL codec
//! and the version migrations (`codec`), the rules serde cannot check (`rules`), the Share
//! panel's list of differences (`diff`), and where an incoming inline hook would send people's
//! profiles (`hook`).

mod codec;
mod diff;
mod hook;
mod rules;
#[cfg(test)]
mod tests;

pub use codec::{decode, decode_json, encode};
pub use diff::{diff, label as setting_label, Difference};
pub use hook::{check_hook_destination, hook_destination, HookDestination};
pub use rules::MAX_TEXT_CHARS;

use serde::{Deserialize, Serialize};

use crate::client::ClientProfile;
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
