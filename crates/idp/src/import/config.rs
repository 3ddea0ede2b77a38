//! The "To Okta" settings: the username format, the schedule, everything on the page.

use super::*;

/// How the Okta username of an imported user is made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UsernameFormat {
    /// The (mapped) email becomes the username.
    #[default]
    Email,
    /// An expression over `appuser.*`, e.g.
    /// `String.substringBefore(appuser.email, "@") + "@corp.example"`.
    Custom {
        /// The expression.
        expression: String,
    },
}

/// How often imports run by themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Interval {
    /// Never: imports run when the admin asks.
    #[default]
    Never,
    /// Every hour.
    Hourly,
    /// Every day.
    Daily,
    /// Every week.
    Weekly,
}

impl Interval {
    /// The interval in milliseconds, or `None` for [`Interval::Never`].
    pub fn ms(self) -> Option<i64> {
        match self {
            Interval::Never => None,
            Interval::Hourly => Some(3_600_000),
            Interval::Daily => Some(86_400_000),
            Interval::Weekly => Some(7 * 86_400_000),
        }
    }
}

/// The import schedule on the injected clock.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Schedule {
    /// How often full imports run.
    pub full: Interval,
    /// When the next one is due; set when the schedule first ticks.
    pub next_run_ms: Option<i64>,
}

/// Everything on the "To Okta" page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ImportConfig {
    /// The username format.
    pub username_format: UsernameFormat,
    /// User Creation & Matching.
    pub matching: MatchRules,
    /// Profile & Lifecycle Sourcing.
    pub sourcing: Sourcing,
    /// Import Safeguards.
    pub safeguards: Safeguards,
    /// The import inline hook, if any.
    pub hook: Option<ImportHook>,
    /// The schedule.
    pub schedule: Schedule,
}
