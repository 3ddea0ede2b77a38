//! What serde cannot check in a shared configuration: plain text, expressions, attribute
//! names, mapping targets, ranges and secrets.

use super::{ShareError, SharedConfig};
use crate::expr::{self, MapContext, Object};
use crate::hook::ImportHook;
use crate::import::UsernameFormat;
use crate::profile::{AppProfile, OktaProfile};

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

/// Everything serde cannot check: expressions, attribute names, mapping targets, ranges and
/// secrets.
pub(super) fn validate(config: &SharedConfig) -> Result<(), ShareError> {
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
