//! Profile mappings in both directions: Okta → app (app attribute ← expression over `user.*`,
//! applied on create only or on create and update) and app → Okta (Okta attribute ← expression
//! over `appuser.*`).
//!
//! Expressions are stored as source text, because that is what the admin typed and what the
//! app persists; they are parsed when set (so a stored mapping always parses) and again when
//! evaluated.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::directory::User;
use crate::expr::{self, Expr, ExprKind, MapContext, Object, Value};
use crate::profile::{AppProfile, OktaProfile};

/// When an Okta → app mapping applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplyOn {
    /// "Apply mapping on user create and update".
    #[serde(rename = "PUSH")]
    CreateAndUpdate,
    /// "Apply mapping on user create only".
    #[serde(rename = "DONT_PUSH")]
    CreateOnly,
}

/// Whether a push creates the app account or updates it, which decides which mappings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Phase {
    /// The app account is being created (or linked): every mapping applies.
    Create,
    /// The app account exists: only [`ApplyOn::CreateAndUpdate`] mappings apply.
    Update,
}

/// One Okta → app mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToAppMapping {
    /// The app attribute's variable name.
    pub target: String,
    /// The expression over `user.*` (and `app.*`, `org.*`).
    pub expression: String,
    /// Create only, or create and update.
    pub apply_on: ApplyOn,
}

/// One app → Okta mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToOktaMapping {
    /// The Okta attribute's name.
    pub target: String,
    /// The expression over `appuser.*`.
    pub expression: String,
}

/// Everything that can go wrong setting or evaluating a mapping.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum MappingError {
    /// The target is not an attribute of the app (or of Okta), e.g. mapping to `givenNmae`.
    #[error("there is no attribute {0} to map to")]
    UnknownTarget(String),
    /// The expression does not parse, or refers to attributes that do not exist, e.g.
    /// `user.firstName +`.
    #[error("the mapping to {target} is invalid: {message}")]
    InvalidExpression {
        /// The mapping's target.
        target: String,
        /// The expression language's message.
        message: String,
    },
    /// The expression failed on this user's data, e.g. `Convert.toInt(user.title)` on a
    /// title that is not a number.
    #[error("the mapping to {target} failed: {message}")]
    Evaluation {
        /// The mapping's target.
        target: String,
        /// The expression language's message.
        message: String,
    },
}

/// Both mapping tables of one app.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mappings {
    /// Okta → app, in the order the UI lists them.
    pub to_app: Vec<ToAppMapping>,
    /// App → Okta.
    pub to_okta: Vec<ToOktaMapping>,
}

impl Mappings {
    /// The mappings of Okta's SCIM 2.0 template app (docs/okta-model.md §5), for
    /// [`AppProfile::scim_default`].
    pub fn scim_default() -> Mappings {
        let push = |target: &str, expression: &str| ToAppMapping {
            target: target.into(),
            expression: expression.into(),
            apply_on: ApplyOn::CreateAndUpdate,
        };
        let to_app = vec![
            push("userName", "user.login"),
            push("givenName", "user.firstName"),
            push("familyName", "user.lastName"),
            push("middleName", "user.middleName"),
            push("honorificPrefix", "user.honorificPrefix"),
            push("honorificSuffix", "user.honorificSuffix"),
            push("email", "user.email"),
            push(
                "primaryEmailType",
                "(user.email != null && user.email != '') ? 'work' : ''",
            ),
            push("secondEmail", "user.secondEmail"),
            push("title", "user.title"),
            push("displayName", "user.displayName"),
            push("nickName", "user.nickName"),
            push("profileUrl", "user.profileUrl"),
            push("primaryPhone", "user.primaryPhone"),
            push("mobilePhone", "user.mobilePhone"),
            push("streetAddress", "user.streetAddress"),
            push("locality", "user.city"),
            push("region", "user.state"),
            push("postalCode", "user.zipCode"),
            push("country", "user.countryCode"),
            push("formattedAddress", "user.postalAddress"),
            push("userType", "user.userType"),
            push("locale", "user.locale"),
            push("timezone", "user.timezone"),
            push("preferredLanguage", "user.preferredLanguage"),
            push("employeeNumber", "user.employeeNumber"),
            push("costCenter", "user.costCenter"),
            push("organization", "user.organization"),
            push("division", "user.division"),
            push("department", "user.department"),
            push("manager", "user.managerId"),
        ];
        let pull = |target: &str, expression: &str| ToOktaMapping {
            target: target.into(),
            expression: expression.into(),
        };
        let to_okta = vec![
            pull("login", "appuser.userName"),
            pull("firstName", "appuser.givenName"),
            pull("lastName", "appuser.familyName"),
            pull("email", "appuser.email"),
            pull("displayName", "appuser.displayName"),
            pull("title", "appuser.title"),
            pull("department", "appuser.department"),
        ];
        Mappings { to_app, to_okta }
    }

    /// Adds or replaces the Okta → app mapping of `target`.
    ///
    /// # Errors
    ///
    /// [`MappingError::UnknownTarget`] when the app has no such attribute;
    /// [`MappingError::InvalidExpression`] when the expression does not parse or names a
    /// `user` attribute that does not exist.
    pub fn set_to_app(
        &mut self,
        profile: &AppProfile,
        okta: &OktaProfile,
        target: &str,
        expression: &str,
        apply_on: ApplyOn,
    ) -> Result<(), MappingError> {
        if profile.get(target).is_none() {
            return Err(MappingError::UnknownTarget(target.into()));
        }
        let scope = MapContext::new().with_schema(Object::User, okta.names());
        check(target, expression, &scope)?;
        let mapping = ToAppMapping {
            target: target.into(),
            expression: expression.into(),
            apply_on,
        };
        match self.to_app.iter_mut().find(|m| m.target == target) {
            Some(existing) => *existing = mapping,
            None => self.to_app.push(mapping),
        }
        Ok(())
    }

    /// Removes the Okta → app mapping of `target`; whether there was one.
    pub fn remove_to_app(&mut self, target: &str) -> bool {
        let before = self.to_app.len();
        self.to_app.retain(|m| m.target != target);
        self.to_app.len() != before
    }

    /// Adds or replaces the app → Okta mapping of `target`.
    ///
    /// # Errors
    ///
    /// [`MappingError::UnknownTarget`] when `target` is not an Okta attribute;
    /// [`MappingError::InvalidExpression`] when the expression does not parse or names an
    /// `appuser` attribute the app does not have.
    pub fn set_to_okta(
        &mut self,
        profile: &AppProfile,
        okta: &OktaProfile,
        target: &str,
        expression: &str,
    ) -> Result<(), MappingError> {
        if !okta.has(target) {
            return Err(MappingError::UnknownTarget(target.into()));
        }
        let scope = MapContext::new().with_schema(Object::AppUser, profile.names());
        check(target, expression, &scope)?;
        let mapping = ToOktaMapping {
            target: target.into(),
            expression: expression.into(),
        };
        match self.to_okta.iter_mut().find(|m| m.target == target) {
            Some(existing) => *existing = mapping,
            None => self.to_okta.push(mapping),
        }
        Ok(())
    }

    /// The Okta → app mapping that fills app attribute `name`, shown as the UI shows it.
    pub fn mapping_to_app_attribute(&self, name: &str) -> Option<String> {
        self.to_app
            .iter()
            .find(|m| m.target == name)
            .map(|m| format!("{} → {}", m.expression, m.target))
    }

    /// The first mapping that uses app attribute `name` (as an Okta → app target or as
    /// `appuser.name` in an app → Okta expression), shown as the UI shows it.
    pub fn mapping_using_app_attribute(&self, name: &str) -> Option<String> {
        if let Some(shown) = self.mapping_to_app_attribute(name) {
            return Some(shown);
        }
        self.to_okta
            .iter()
            .find(|m| {
                expr::parse(&m.expression).is_ok_and(|e| references(&e, Object::AppUser, name))
            })
            .map(|m| format!("{} → {}", m.expression, m.target))
    }

    /// The first mapping that uses Okta attribute `name` (as an app → Okta target or as
    /// `user.name` in an Okta → app expression), shown as the UI shows it.
    pub fn mapping_using_okta_attribute(&self, name: &str) -> Option<String> {
        if let Some(m) = self.to_okta.iter().find(|m| m.target == name) {
            return Some(format!("{} → {}", m.expression, m.target));
        }
        self.to_app
            .iter()
            .find(|m| expr::parse(&m.expression).is_ok_and(|e| references(&e, Object::User, name)))
            .map(|m| format!("{} → {}", m.expression, m.target))
    }

    /// Evaluates the Okta → app mappings for `user` into an app user profile. Null results
    /// are left out (Okta sends nothing for them). In [`Phase::Update`], create-only mappings
    /// are skipped and `previous` keeps their values.
    ///
    /// # Errors
    ///
    /// [`MappingError::Evaluation`] (or [`MappingError::InvalidExpression`] for a stored
    /// mapping that no longer parses) naming the first mapping that failed.
    pub fn app_profile_for(
        &self,
        okta: &OktaProfile,
        user: &User,
        phase: Phase,
        previous: &BTreeMap<String, serde_json::Value>,
    ) -> Result<BTreeMap<String, serde_json::Value>, MappingError> {
        let ctx = user_context(okta, user);
        let mut out = BTreeMap::new();
        for mapping in &self.to_app {
            if phase == Phase::Update && mapping.apply_on == ApplyOn::CreateOnly {
                if let Some(kept) = previous.get(&mapping.target) {
                    out.insert(mapping.target.clone(), kept.clone());
                }
                continue;
            }
            let value = evaluate(&mapping.target, &mapping.expression, &ctx)?;
            if value != Value::Null {
                out.insert(mapping.target.clone(), value.to_json());
            }
        }
        Ok(out)
    }

    /// Evaluates the app → Okta mappings over an app user profile, giving Okta attribute
    /// values (null results left out).
    ///
    /// # Errors
    ///
    /// As [`Mappings::app_profile_for`].
    pub fn okta_profile_for(
        &self,
        app_profile: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<BTreeMap<String, Value>, MappingError> {
        let mut ctx = MapContext::new();
        for (key, json) in app_profile {
            if let Some(value) = Value::from_json(json) {
                ctx.set(Object::AppUser, key.clone(), value);
            }
        }
        let mut out = BTreeMap::new();
        for mapping in &self.to_okta {
            let value = evaluate(&mapping.target, &mapping.expression, &ctx)?;
            if value != Value::Null {
                out.insert(mapping.target.clone(), value);
            }
        }
        Ok(out)
    }
}

/// The expression context of an Okta user: the profile's attributes (unset ones read as
/// null) and any custom values the user has.
pub fn user_context(okta: &OktaProfile, user: &User) -> MapContext {
    let names = okta
        .names()
        .map(str::to_string)
        .chain(user.custom.keys().cloned());
    let mut ctx = MapContext::new().with_schema(Object::User, names);
    for (name, value) in &user.profile {
        ctx.set(Object::User, name.clone(), Value::String(value.clone()));
    }
    for (name, json) in &user.custom {
        if let Some(value) = Value::from_json(json) {
            ctx.set(Object::User, name.clone(), value);
        }
    }
    ctx
}

fn check(target: &str, expression: &str, scope: &MapContext) -> Result<(), MappingError> {
    let invalid = |message: String| MappingError::InvalidExpression {
        target: target.into(),
        message,
    };
    let parsed = expr::parse(expression).map_err(|e| invalid(e.to_string()))?;
    match expr::validate(&parsed, scope).into_iter().next() {
        Some(problem) => Err(invalid(problem.to_string())),
        None => Ok(()),
    }
}

fn evaluate(target: &str, expression: &str, ctx: &MapContext) -> Result<Value, MappingError> {
    let parsed = expr::parse(expression).map_err(|e| MappingError::InvalidExpression {
        target: target.into(),
        message: e.to_string(),
    })?;
    expr::eval(&parsed, ctx).map_err(|e| MappingError::Evaluation {
        target: target.into(),
        message: e.to_string(),
    })
}

/// Whether `expr` reads `object.name` anywhere.
fn references(expr: &Expr, object: Object, name: &str) -> bool {
    if let ExprKind::Attribute { object: o, name: n } = expr.kind() {
        if *o == object && n == name {
            return true;
        }
    }
    expr.kind().children().any(|c| references(c, object, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::UserStatus;
    use serde_json::json;

    fn jane() -> User {
        User {
            id: "00ujane".into(),
            status: UserStatus::Active,
            profile: [
                ("login", "jane@x.com"),
                ("email", "jane@x.com"),
                ("firstName", "Jane"),
                ("lastName", "Doe"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            custom: BTreeMap::new(),
            password: None,
        }
    }

    #[test]
    fn the_default_template_fills_the_app_user_profile_and_leaves_nulls_out() {
        let profile = Mappings::scim_default()
            .app_profile_for(
                &OktaProfile::default(),
                &jane(),
                Phase::Create,
                &BTreeMap::new(),
            )
            .expect("the defaults evaluate");
        assert_eq!(profile.get("userName"), Some(&json!("jane@x.com")));
        assert_eq!(profile.get("givenName"), Some(&json!("Jane")));
        assert_eq!(profile.get("primaryEmailType"), Some(&json!("work")));
        assert_eq!(profile.get("title"), None);
    }

    #[test]
    fn create_only_mappings_keep_their_first_value_on_update() {
        let mut mappings = Mappings::scim_default();
        let app = AppProfile::scim_default();
        mappings
            .set_to_app(
                &app,
                &OktaProfile::default(),
                "nickName",
                "String.toUpperCase(user.firstName)",
                ApplyOn::CreateOnly,
            )
            .expect("a valid mapping");
        let created = mappings
            .app_profile_for(
                &OktaProfile::default(),
                &jane(),
                Phase::Create,
                &BTreeMap::new(),
            )
            .expect("evaluates");
        let mut renamed = jane();
        renamed.profile.insert("firstName".into(), "Janet".into());
        let updated = mappings
            .app_profile_for(&OktaProfile::default(), &renamed, Phase::Update, &created)
            .expect("evaluates");
        assert_eq!(updated.get("nickName"), Some(&json!("JANE")));
        assert_eq!(updated.get("givenName"), Some(&json!("Janet")));
    }

    #[test]
    fn invalid_mappings_are_refused_when_set() {
        let mut mappings = Mappings::default();
        let app = AppProfile::scim_default();
        let okta = OktaProfile::default();
        assert_eq!(
            mappings.set_to_app(&app, &okta, "nope", "user.login", ApplyOn::CreateAndUpdate),
            Err(MappingError::UnknownTarget("nope".into()))
        );
        assert!(matches!(
            mappings.set_to_app(&app, &okta, "title", "user.tilte", ApplyOn::CreateAndUpdate),
            Err(MappingError::InvalidExpression { .. })
        ));
        assert!(matches!(
            mappings.set_to_okta(&app, &okta, "login", "appuser.nope"),
            Err(MappingError::InvalidExpression { .. })
        ));
        mappings
            .set_to_okta(
                &app,
                &okta,
                "login",
                r#"String.substringBefore(appuser.email, "@") + "@corp""#,
            )
            .expect("valid");
        assert_eq!(
            mappings.mapping_using_app_attribute("email").as_deref(),
            Some(r#"String.substringBefore(appuser.email, "@") + "@corp" → login"#)
        );
    }

    #[test]
    fn app_to_okta_mappings_read_the_app_user() {
        let app_user = json!({"userName": "jdoe", "givenName": "Jane", "familyName": null});
        let okta = Mappings::scim_default()
            .okta_profile_for(app_user.as_object().expect("an object"))
            .expect("evaluates");
        assert_eq!(okta.get("login"), Some(&Value::from("jdoe")));
        assert_eq!(okta.get("lastName"), None);
    }
}
