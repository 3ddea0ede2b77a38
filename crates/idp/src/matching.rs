//! Import matching: whether an imported app user is an existing Okta user (docs/okta-model.md
//! §4, "User Creation & Matching").
//!
//! An exact match needs every selected criterion to hold; "the following attribute matches"
//! replaces the other two. A partial match is an equal first and last name when the exact
//! criteria fail and partial matches are allowed. Comparisons are case-sensitive, as the brief
//! for the playground asks, so `Jane@x.com` does not match `jane@x.com`.
//!
//! The directory is indexed once per import, so matching ten thousand app users costs ten
//! thousand map lookups, not ten thousand scans.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::directory::Directory;

/// The matching rules (`importRules.userCreateAndMatch`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MatchRules {
    /// "Okta username format matches".
    pub username: bool,
    /// "Email matches".
    pub email: bool,
    /// "The following attribute matches": an Okta attribute name. When set, the other two
    /// criteria are ignored, as the UI disables them.
    pub attribute: Option<String>,
    /// "Allow partial matches" on first and last name.
    pub allow_partial: bool,
    /// "Confirm matched users": exact matches are confirmed without an admin.
    pub auto_confirm_exact: bool,
    /// Partial matches are confirmed without an admin too (`autoConfirmPartialMatch`).
    pub auto_confirm_partial: bool,
    /// "Confirm new users": unmatched users are created without an admin.
    pub auto_confirm_new: bool,
    /// New users are activated when confirmed.
    pub auto_activate_new: bool,
}

impl Default for MatchRules {
    fn default() -> Self {
        MatchRules {
            username: true,
            email: false,
            attribute: None,
            allow_partial: false,
            auto_confirm_exact: false,
            auto_confirm_partial: false,
            auto_confirm_new: false,
            auto_activate_new: false,
        }
    }
}

impl MatchRules {
    /// The policy names the import inline hook receives in `data.context.policy`.
    pub fn policy(&self) -> Vec<String> {
        let mut policy = Vec::new();
        match &self.attribute {
            Some(attribute) => policy.push(format!("ATTRIBUTE:{attribute}")),
            None => {
                if self.username {
                    policy.push("USERNAME".to_string());
                }
                if self.email {
                    policy.push("EMAIL".to_string());
                }
            }
        }
        if self.allow_partial {
            policy.push("FIRST_AND_LAST_NAME".to_string());
        }
        policy
    }

    /// The rule in force, in three sentences an admin can check at a glance (the Import page
    /// shows them): what makes an exact match, whether partial matches count, and what is
    /// confirmed without the admin.
    pub fn summary(&self) -> [String; 3] {
        let exact = match &self.attribute {
            Some(attribute) => vec![format!(
                "the Okta attribute {attribute} equals the app user's"
            )],
            None => [
                (
                    self.username,
                    "the app user's username, in the Okta username format, is an Okta username",
                ),
                (self.email, "the app user's email is an Okta user's email"),
            ]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, text)| text.to_string())
            .collect(),
        };
        let exact = if exact.is_empty() {
            "Exact match: no criterion is chosen, so no app user is an exact match.".to_string()
        } else {
            format!("Exact match when {}.", exact.join(" and "))
        };
        let partial = if self.allow_partial {
            "Partial match when first and last name are equal (and no exact match holds)."
                .to_string()
        } else {
            "Partial matches are off.".to_string()
        };
        let who = |auto: bool| {
            if auto {
                "are linked automatically"
            } else {
                "wait for your confirmation"
            }
        };
        let mut confirmed = vec![format!("exact matches {}", who(self.auto_confirm_exact))];
        if self.allow_partial {
            confirmed.push(format!(
                "partial matches {}",
                who(self.auto_confirm_partial)
            ));
        }
        confirmed.push(if self.auto_confirm_new {
            format!(
                "new users are created automatically, {}",
                if self.auto_activate_new {
                    "and activated"
                } else {
                    "staged"
                }
            )
        } else {
            "new users wait for your confirmation".to_string()
        });
        let confirmed = format!("Then {}.", confirmed.join("; "));
        [exact, partial, confirmed]
    }
}

/// What an imported user matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "userIds", rename_all = "camelCase")]
pub enum MatchOutcome {
    /// Every selected criterion holds for these Okta users (normally one).
    Exact(Vec<String>),
    /// First and last name are equal for these Okta users.
    Partial(Vec<String>),
    /// Nobody matched: a new user.
    None,
}

/// The directory indexed by every value the rules compare. Usernames and emails are indexed
/// and looked up in lower case: Okta logins are case-insensitive (an app user
/// `CHLOE@EXAMPLE.COM` is the Okta user `chloe@example.com`, whose login no other user could
/// take), and so is the domain of an email address; Okta's documentation does not say how the
/// email rule treats case, and comparing it like the login is our choice (docs/okta-model.md).
#[derive(Debug, Default)]
pub struct MatchIndex {
    by_login: HashMap<String, Vec<String>>,
    by_email: HashMap<String, Vec<String>>,
    by_name: HashMap<(String, String), Vec<String>>,
    by_attribute: HashMap<String, Vec<String>>,
}

impl MatchIndex {
    /// Indexes the users of `dir` that `eligible` accepts (the import leaves out users already
    /// linked to another app user).
    pub fn build(dir: &Directory, rules: &MatchRules, eligible: impl Fn(&str) -> bool) -> Self {
        let mut index = MatchIndex::default();
        for user in dir.users().filter(|u| eligible(&u.id)) {
            let id = user.id.clone();
            index
                .by_login
                .entry(user.login().to_lowercase())
                .or_default()
                .push(id.clone());
            if let Some(email) = user.attr("email") {
                index
                    .by_email
                    .entry(email.to_lowercase())
                    .or_default()
                    .push(id.clone());
            }
            if let (Some(first), Some(last)) = (user.attr("firstName"), user.attr("lastName")) {
                index
                    .by_name
                    .entry((first.to_string(), last.to_string()))
                    .or_default()
                    .push(id.clone());
            }
            if let Some(attribute) = &rules.attribute {
                let value = user.attr(attribute).map(str::to_string).or_else(|| {
                    user.custom.get(attribute).map(|v| match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                });
                if let Some(value) = value {
                    index.by_attribute.entry(value).or_default().push(id);
                }
            }
        }
        index
    }

    /// Matches one imported user: its formatted `username` and its mapped Okta profile
    /// (`lookup` reads an attribute of it).
    pub fn find<'p>(
        &self,
        rules: &MatchRules,
        username: &str,
        lookup: impl Fn(&str) -> Option<&'p str>,
    ) -> MatchOutcome {
        let exact = match &rules.attribute {
            Some(attribute) => lookup(attribute)
                .and_then(|v| self.by_attribute.get(v))
                .cloned()
                .unwrap_or_default(),
            None => {
                let mut sets: Vec<BTreeSet<&String>> = Vec::new();
                if rules.username {
                    let found = self.by_login.get(&username.to_lowercase());
                    sets.push(found.into_iter().flatten().collect());
                }
                if rules.email {
                    let found = lookup("email").and_then(|e| self.by_email.get(&e.to_lowercase()));
                    sets.push(found.into_iter().flatten().collect());
                }
                intersect(sets)
            }
        };
        if !exact.is_empty() {
            return MatchOutcome::Exact(exact);
        }
        if rules.allow_partial {
            if let (Some(first), Some(last)) = (lookup("firstName"), lookup("lastName")) {
                if let Some(ids) = self.by_name.get(&(first.to_string(), last.to_string())) {
                    return MatchOutcome::Partial(ids.clone());
                }
            }
        }
        MatchOutcome::None
    }
}

/// The ids in every set; none when no criterion is selected.
fn intersect(sets: Vec<BTreeSet<&String>>) -> Vec<String> {
    let mut sets = sets.into_iter();
    let Some(first) = sets.next() else {
        return Vec::new();
    };
    let common = sets.fold(first, |acc, set| acc.intersection(&set).copied().collect());
    common.into_iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn the_rule_in_force_reads_as_three_sentences() {
        let defaults = MatchRules::default().summary();
        assert_eq!(
            defaults,
            [
                "Exact match when the app user's username, in the Okta username format, is an Okta username.",
                "Partial matches are off.",
                "Then exact matches wait for your confirmation; new users wait for your confirmation.",
            ]
        );
        let both = MatchRules {
            email: true,
            allow_partial: true,
            auto_confirm_exact: true,
            auto_confirm_new: true,
            auto_activate_new: true,
            ..MatchRules::default()
        }
        .summary();
        assert!(
            both[0].contains("Okta username and the app user's email"),
            "{both:?}"
        );
        assert!(both[1].starts_with("Partial match when first and last name"));
        assert_eq!(
            both[2],
            "Then exact matches are linked automatically; partial matches wait for your confirmation; new users are created automatically, and activated."
        );
        // The attribute replaces the other two criteria, as the settings page disables them.
        let attribute = MatchRules {
            email: true,
            attribute: Some("employeeNumber".into()),
            ..MatchRules::default()
        }
        .summary();
        assert_eq!(
            attribute[0],
            "Exact match when the Okta attribute employeeNumber equals the app user's."
        );
        let none = MatchRules {
            username: false,
            ..MatchRules::default()
        }
        .summary();
        assert!(none[0].contains("no criterion is chosen"));
    }

    fn dir() -> (Directory, String, String) {
        let mut dir = Directory::new(1);
        let mut add = |login: &str, email: &str, first: &str, last: &str| {
            let profile = [
                ("login", login),
                ("email", email),
                ("firstName", first),
                ("lastName", last),
                ("employeeNumber", login),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            dir.create_user(profile, BTreeMap::new()).expect("valid")
        };
        let jane = add("jane@x.com", "jane@x.com", "Jane", "Doe");
        let john = add("john@x.com", "jd@mail.com", "John", "Roe");
        (dir, jane, john)
    }

    fn find(rules: &MatchRules, username: &str, profile: &[(&str, &str)]) -> MatchOutcome {
        let (dir, _, _) = dir();
        let index = MatchIndex::build(&dir, rules, |_| true);
        let map: BTreeMap<String, String> = profile
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let outcome = index.find(rules, username, |name| map.get(name).map(String::as_str));
        // Ids are random; the tests compare the shape and count.
        match outcome {
            MatchOutcome::Exact(ids) => MatchOutcome::Exact(vec![ids.len().to_string()]),
            MatchOutcome::Partial(ids) => MatchOutcome::Partial(vec![ids.len().to_string()]),
            MatchOutcome::None => MatchOutcome::None,
        }
    }

    /// Rules, username, mapped profile, expected outcome.
    type Case<'a> = (
        &'a MatchRules,
        &'a str,
        Vec<(&'a str, &'a str)>,
        MatchOutcome,
    );

    #[test]
    fn each_rule_matches_as_the_ui_describes() {
        let one = || vec!["1".to_string()];
        let username = MatchRules::default();
        let both = MatchRules {
            email: true,
            ..MatchRules::default()
        };
        let by_attr = MatchRules {
            attribute: Some("employeeNumber".into()),
            ..both.clone()
        };
        let partial = MatchRules {
            allow_partial: true,
            ..both.clone()
        };
        let cases: Vec<Case<'_>> = vec![
            (&username, "jane@x.com", vec![], MatchOutcome::Exact(one())),
            // Okta logins are case-insensitive, so is the match.
            (&username, "JANE@X.COM", vec![], MatchOutcome::Exact(one())),
            (&username, "jane@y.com", vec![], MatchOutcome::None),
            (
                &both,
                "John@X.com",
                vec![("email", "JD@Mail.com")],
                MatchOutcome::Exact(one()),
            ),
            (
                &both,
                "john@x.com",
                vec![("email", "jd@mail.com")],
                MatchOutcome::Exact(one()),
            ),
            (
                &both,
                "john@x.com",
                vec![("email", "other@mail.com")],
                MatchOutcome::None,
            ),
            (
                &by_attr,
                "nobody",
                vec![("employeeNumber", "john@x.com")],
                MatchOutcome::Exact(one()),
            ),
            (
                &partial,
                "j.doe",
                vec![("email", "x"), ("firstName", "Jane"), ("lastName", "Doe")],
                MatchOutcome::Partial(one()),
            ),
            (
                &both,
                "j.doe",
                vec![("email", "x"), ("firstName", "Jane"), ("lastName", "Doe")],
                MatchOutcome::None,
            ),
        ];
        for (rules, username, profile, expected) in cases {
            assert_eq!(
                find(rules, username, &profile),
                expected,
                "{username} {profile:?}"
            );
        }
        assert_eq!(
            partial.policy(),
            vec!["USERNAME", "EMAIL", "FIRST_AND_LAST_NAME"]
        );
    }
}
