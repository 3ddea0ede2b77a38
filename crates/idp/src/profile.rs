//! The app's side of Okta's Profile Editor: the app user attributes, each with the SCIM path
//! (external name) and schema URN (external namespace) it is sent as.

use serde::{Deserialize, Serialize};

use crate::directory::{is_base_attribute, BASE_ATTRIBUTES};
use crate::mapping::Mappings;

/// The SCIM core User schema.
pub use wire::urn::USER as CORE_USER_URN;

/// The SCIM enterprise User extension.
pub const ENTERPRISE_USER_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// An attribute's data type, named as the Profile Editor names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AttributeType {
    /// Text.
    String,
    /// `true` or `false`.
    Boolean,
    /// A whole number.
    Integer,
    /// A floating-point number.
    Number,
    /// An array of strings.
    StringArray,
}

/// Where an attribute's value may come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AttributeScope {
    /// "User personal": set per user only.
    Personal,
    /// Can also be set on a group assignment, for every member.
    Group,
}

/// One attribute of the app user profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppAttribute {
    /// The variable name mappings refer to, e.g. `givenName` (`appuser.givenName`).
    pub name: String,
    /// The label the UI shows.
    pub display_name: String,
    /// The data type.
    #[serde(rename = "type")]
    pub attr_type: AttributeType,
    /// The SCIM path it is sent as, e.g. `name.givenName` or `emails[primary eq true].value`.
    pub external_name: String,
    /// The schema URN the path belongs to, e.g. [`CORE_USER_URN`].
    pub external_namespace: String,
    /// Personal or group-assignable.
    pub scope: AttributeScope,
}

impl AppAttribute {
    /// The value an admin typed for this attribute, as its type holds it: a number, `true` or
    /// `false`, a comma-separated list, or the text itself.
    ///
    /// # Errors
    ///
    /// Why the text is not a value of this type, in words.
    pub fn value_from_text(&self, text: &str) -> Result<serde_json::Value, String> {
        let text = text.trim();
        match self.attr_type {
            AttributeType::String => Ok(serde_json::Value::from(text)),
            AttributeType::Boolean => match text {
                "true" => Ok(true.into()),
                "false" => Ok(false.into()),
                _ => Err(format!("{} is true or false, not {text:?}", self.name)),
            },
            AttributeType::Integer => text
                .parse::<i64>()
                .map(serde_json::Value::from)
                .map_err(|_| format!("{} is a whole number, not {text:?}", self.name)),
            AttributeType::Number => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(serde_json::Value::Number)
                .ok_or_else(|| format!("{} is a number, not {text:?}", self.name)),
            AttributeType::StringArray => Ok(text
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .collect::<Vec<_>>()
                .into()),
        }
    }

    /// A personal string attribute in the core schema.
    pub fn core(name: &str, display_name: &str, external_name: &str) -> AppAttribute {
        AppAttribute {
            name: name.into(),
            display_name: display_name.into(),
            attr_type: AttributeType::String,
            external_name: external_name.into(),
            external_namespace: CORE_USER_URN.into(),
            scope: AttributeScope::Personal,
        }
    }

    /// A personal string attribute in the enterprise extension.
    pub fn enterprise(name: &str, display_name: &str, external_name: &str) -> AppAttribute {
        AppAttribute {
            external_namespace: ENTERPRISE_USER_URN.into(),
            ..AppAttribute::core(name, display_name, external_name)
        }
    }
}

/// Everything that can go wrong editing the app user profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ProfileError {
    /// An attribute with this variable name exists already, e.g. adding `userName` again.
    #[error("the app already has an attribute called {0}")]
    Duplicate(String),
    /// No attribute has this variable name, e.g. deleting `nope`.
    #[error("the app has no attribute called {0}")]
    Unknown(String),
    /// The variable name is not an identifier (letters, digits, `_`, starting with a letter),
    /// e.g. `given name` or `1st`.
    #[error(
        "{0:?} is not a valid variable name: use letters, digits and _, starting with a letter"
    )]
    InvalidName(String),
    /// The external name is empty, so the attribute could never be sent.
    #[error("the attribute {0} needs an external name")]
    MissingExternalName(String),
    /// Okta's base attributes cannot be deleted, e.g. deleting `firstName` from the Okta
    /// user profile.
    #[error("{0} is a base attribute of the Okta user profile and cannot be deleted")]
    BaseAttribute(String),
    /// The attribute is used by a mapping, which must be removed first, e.g. deleting
    /// `givenName` while `user.firstName → givenName` exists.
    #[error(
        "the attribute {attribute} is used by the mapping {mapping}; remove the mapping first"
    )]
    InUse {
        /// The attribute that was to be deleted.
        attribute: String,
        /// The mapping that uses it, as the UI shows it (`user.firstName → givenName`).
        mapping: String,
    },
}

/// The app user profile's attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppProfile {
    attributes: Vec<AppAttribute>,
}

impl AppProfile {
    /// The attributes of Okta's SCIM 2.0 template app (docs/okta-model.md §5).
    pub fn scim_default() -> AppProfile {
        let core = AppAttribute::core;
        let enterprise = AppAttribute::enterprise;
        AppProfile {
            attributes: vec![
                core("userName", "Username", "userName"),
                core("givenName", "Given name", "name.givenName"),
                core("familyName", "Family name", "name.familyName"),
                core("middleName", "Middle name", "name.middleName"),
                core(
                    "honorificPrefix",
                    "Honorific prefix",
                    "name.honorificPrefix",
                ),
                core(
                    "honorificSuffix",
                    "Honorific suffix",
                    "name.honorificSuffix",
                ),
                core("email", "Primary email", "emails[primary eq true].value"),
                core(
                    "primaryEmailType",
                    "Primary email type",
                    "emails[primary eq true].type",
                ),
                core(
                    "secondEmail",
                    "Secondary email",
                    r#"emails[type eq "other"].value"#,
                ),
                core("title", "Title", "title"),
                core("displayName", "Display name", "displayName"),
                core("nickName", "Nickname", "nickName"),
                core("profileUrl", "Profile URL", "profileUrl"),
                core(
                    "primaryPhone",
                    "Primary phone",
                    r#"phoneNumbers[type eq "work"].value"#,
                ),
                core(
                    "mobilePhone",
                    "Mobile phone",
                    r#"phoneNumbers[type eq "mobile"].value"#,
                ),
                core(
                    "streetAddress",
                    "Street address",
                    "addresses[primary eq true].streetAddress",
                ),
                core(
                    "locality",
                    "Locality",
                    "addresses[primary eq true].locality",
                ),
                core("region", "Region", "addresses[primary eq true].region"),
                core(
                    "postalCode",
                    "Postal code",
                    "addresses[primary eq true].postalCode",
                ),
                core("country", "Country", "addresses[primary eq true].country"),
                core(
                    "formattedAddress",
                    "Formatted address",
                    "addresses[primary eq true].formatted",
                ),
                core("userType", "User type", "userType"),
                core("locale", "Locale", "locale"),
                core("timezone", "Time zone", "timezone"),
                core(
                    "preferredLanguage",
                    "Preferred language",
                    "preferredLanguage",
                ),
                enterprise("employeeNumber", "Employee number", "employeeNumber"),
                enterprise("costCenter", "Cost center", "costCenter"),
                enterprise("organization", "Organization", "organization"),
                enterprise("division", "Division", "division"),
                enterprise("department", "Department", "department"),
                enterprise("manager", "Manager", "manager.value"),
            ],
        }
    }

    /// A profile without attributes, to add them one by one.
    pub fn empty() -> AppProfile {
        AppProfile {
            attributes: Vec::new(),
        }
    }

    /// Every attribute, in the Profile Editor's order.
    pub fn attributes(&self) -> &[AppAttribute] {
        &self.attributes
    }

    /// The attribute with this variable name.
    pub fn get(&self, name: &str) -> Option<&AppAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The variable names, for the expression language's `appuser` scope.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.attributes.iter().map(|a| a.name.as_str())
    }

    /// Changes whether an attribute can also be set on a group assignment ("Group") or only
    /// per user ("User personal"), as the Profile Editor does. Values groups gave it stay
    /// stored and count again if it becomes Group once more.
    ///
    /// # Errors
    ///
    /// [`ProfileError::Unknown`].
    pub fn set_scope(&mut self, name: &str, scope: AttributeScope) -> Result<(), ProfileError> {
        let attribute = self
            .attributes
            .iter_mut()
            .find(|a| a.name == name)
            .ok_or_else(|| ProfileError::Unknown(name.into()))?;
        attribute.scope = scope;
        Ok(())
    }

    /// Adds an attribute.
    ///
    /// # Errors
    ///
    /// [`ProfileError::InvalidName`], [`ProfileError::MissingExternalName`] or
    /// [`ProfileError::Duplicate`].
    pub fn add(&mut self, attribute: AppAttribute) -> Result<(), ProfileError> {
        if !is_identifier(&attribute.name) {
            return Err(ProfileError::InvalidName(attribute.name));
        }
        if attribute.external_name.trim().is_empty() {
            return Err(ProfileError::MissingExternalName(attribute.name));
        }
        if self.get(&attribute.name).is_some() {
            return Err(ProfileError::Duplicate(attribute.name));
        }
        self.attributes.push(attribute);
        Ok(())
    }

    /// Deletes an attribute, refusing while any mapping (either direction) uses it.
    ///
    /// # Errors
    ///
    /// [`ProfileError::Unknown`] or [`ProfileError::InUse`] naming the mapping.
    pub fn remove(
        &mut self,
        name: &str,
        mappings: &Mappings,
    ) -> Result<AppAttribute, ProfileError> {
        let idx = self
            .attributes
            .iter()
            .position(|a| a.name == name)
            .ok_or_else(|| ProfileError::Unknown(name.into()))?;
        if let Some(mapping) = mappings.mapping_using_app_attribute(name) {
            return Err(ProfileError::InUse {
                attribute: name.into(),
                mapping,
            });
        }
        Ok(self.attributes.remove(idx))
    }
}

/// A custom attribute of the Okta user profile (the base attributes are fixed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OktaAttribute {
    /// The variable name expressions use (`user.costCode`).
    pub name: String,
    /// The label the UI shows.
    pub display_name: String,
    /// The data type.
    #[serde(rename = "type")]
    pub attr_type: AttributeType,
}

/// The Okta user profile's schema: the base attributes and the custom ones added in the
/// Profile Editor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OktaProfile {
    custom: Vec<OktaAttribute>,
}

impl OktaProfile {
    /// The custom attributes, in the order they were added.
    pub fn custom(&self) -> &[OktaAttribute] {
        &self.custom
    }

    /// Every attribute name: the base profile, then the custom attributes.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        BASE_ATTRIBUTES
            .iter()
            .copied()
            .chain(self.custom.iter().map(|a| a.name.as_str()))
    }

    /// Whether the profile has an attribute called `name`.
    pub fn has(&self, name: &str) -> bool {
        is_base_attribute(name) || self.custom.iter().any(|a| a.name == name)
    }

    /// Adds a custom attribute.
    ///
    /// # Errors
    ///
    /// [`ProfileError::InvalidName`] or [`ProfileError::Duplicate`] (a base attribute's name
    /// included).
    pub fn add(&mut self, attribute: OktaAttribute) -> Result<(), ProfileError> {
        if !is_identifier(&attribute.name) {
            return Err(ProfileError::InvalidName(attribute.name));
        }
        if self.has(&attribute.name) {
            return Err(ProfileError::Duplicate(attribute.name));
        }
        self.custom.push(attribute);
        Ok(())
    }

    /// Deletes a custom attribute, refusing while a mapping uses it (as an app → Okta target
    /// or as `user.name` in an Okta → app expression).
    ///
    /// # Errors
    ///
    /// [`ProfileError::BaseAttribute`], [`ProfileError::Unknown`] or
    /// [`ProfileError::InUse`] naming the mapping.
    pub fn remove(
        &mut self,
        name: &str,
        mappings: &Mappings,
    ) -> Result<OktaAttribute, ProfileError> {
        if is_base_attribute(name) {
            return Err(ProfileError::BaseAttribute(name.into()));
        }
        let idx = self
            .custom
            .iter()
            .position(|a| a.name == name)
            .ok_or_else(|| ProfileError::Unknown(name.into()))?;
        if let Some(mapping) = mappings.mapping_using_okta_attribute(name) {
            return Err(ProfileError::InUse {
                attribute: name.into(),
                mapping,
            });
        }
        Ok(self.custom.remove(idx))
    }
}

/// Letters, digits and `_`, starting with a letter.
fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deleting_a_mapped_attribute_is_refused_naming_the_mapping() {
        let mut profile = AppProfile::scim_default();
        let mappings = Mappings::scim_default();
        assert_eq!(
            profile.remove("givenName", &mappings),
            Err(ProfileError::InUse {
                attribute: "givenName".into(),
                mapping: "user.firstName → givenName".into()
            })
        );
        assert!(profile.get("givenName").is_some());
        profile
            .add(AppAttribute::core("badge", "Badge", "urn:x:badge"))
            .expect("a new attribute");
        assert!(profile.remove("badge", &mappings).is_ok());
        assert_eq!(
            profile.remove("badge", &mappings),
            Err(ProfileError::Unknown("badge".into()))
        );
    }

    #[test]
    fn okta_custom_attributes_are_added_and_deleted_only_when_unmapped() {
        let mut okta = OktaProfile::default();
        let cost_code = OktaAttribute {
            name: "costCode".into(),
            display_name: "Cost code".into(),
            attr_type: AttributeType::String,
        };
        okta.add(cost_code.clone()).expect("a new attribute");
        assert!(matches!(
            okta.add(cost_code),
            Err(ProfileError::Duplicate(_))
        ));
        assert!(matches!(
            okta.add(OktaAttribute {
                name: "firstName".into(),
                display_name: "x".into(),
                attr_type: AttributeType::String
            }),
            Err(ProfileError::Duplicate(_))
        ));
        let app = AppProfile::scim_default();
        let mut mappings = Mappings::scim_default();
        mappings
            .set_to_app(
                &app,
                &okta,
                "costCenter",
                "user.costCode",
                crate::mapping::ApplyOn::CreateAndUpdate,
            )
            .expect("the custom attribute is in scope");
        assert_eq!(
            okta.remove("costCode", &mappings),
            Err(ProfileError::InUse {
                attribute: "costCode".into(),
                mapping: "user.costCode → costCenter".into()
            })
        );
        assert_eq!(
            okta.remove("firstName", &mappings),
            Err(ProfileError::BaseAttribute("firstName".into()))
        );
        mappings.remove_to_app("costCenter");
        assert!(okta.remove("costCode", &mappings).is_ok());
    }

    #[test]
    fn bad_and_duplicate_names_are_refused() {
        let mut profile = AppProfile::scim_default();
        assert!(matches!(
            profile.add(AppAttribute::core("1st", "x", "x")),
            Err(ProfileError::InvalidName(_))
        ));
        assert!(matches!(
            profile.add(AppAttribute::core("userName", "x", "x")),
            Err(ProfileError::Duplicate(_))
        ));
        assert!(matches!(
            profile.add(AppAttribute::core("blank", "x", " ")),
            Err(ProfileError::MissingExternalName(_))
        ));
    }
}
