//! The schema registry: every resource type, schema and attribute the server knows.
//!
//! The registry is rebuilt from [`CustomAttribute`]s whenever the settings change, so `/Schemas`,
//! `/ResourceTypes`, validation, filtering and PATCH always agree on what exists.

pub mod attribute;
pub mod core;

use serde::{Deserialize, Serialize};

pub use self::core::{ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};
pub use attribute::{AttrType, Attribute, Mutability, Returned, Uniqueness};

use crate::error::ScimError;

/// The resource types this server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ResourceKind {
    User,
    Group,
}

impl ResourceKind {
    /// Both resource types, in the order discovery lists them.
    pub const ALL: [ResourceKind; 2] = [ResourceKind::User, ResourceKind::Group];

    /// The resource type's name, as in `meta.resourceType`.
    pub fn name(self) -> &'static str {
        match self {
            ResourceKind::User => "User",
            ResourceKind::Group => "Group",
        }
    }

    /// The endpoint below the base URL, e.g. `/Users`.
    pub fn endpoint(self) -> &'static str {
        match self {
            ResourceKind::User => "/Users",
            ResourceKind::Group => "/Groups",
        }
    }

    /// The core schema URN.
    pub fn core_schema(self) -> &'static str {
        match self {
            ResourceKind::User => USER_SCHEMA,
            ResourceKind::Group => GROUP_SCHEMA,
        }
    }

    /// Looks a resource type up by its name (`User`), case-insensitively.
    pub fn from_name(name: &str) -> Option<ResourceKind> {
        ResourceKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name))
    }
}

/// An attribute added at run time (the UI's Profile Editor), persisted in the settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomAttribute {
    /// The schema URN the attribute lives in: the core or Enterprise schema, or a new extension.
    pub schema: String,
    /// The resource type the attribute belongs to.
    pub resource_type: ResourceKind,
    /// The attribute's definition.
    pub attribute: Attribute,
}

/// One schema as `/Schemas` publishes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// The schema URN.
    pub id: String,
    /// A short name, e.g. `User`.
    pub name: String,
    /// What the schema is for.
    pub description: String,
    /// Its top-level attributes, in publication order.
    pub attributes: Vec<Attribute>,
}

impl Schema {
    /// Finds a top-level attribute by name, case-insensitively (RFC 7643 §2.1).
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

/// Where a resolved top-level attribute lives in a resource.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    /// The attribute's definition.
    pub attribute: &'a Attribute,
    /// `Some(urn)` when the value lives under `resource[urn]` (an extension attribute).
    pub extension: Option<&'a str>,
}

/// The schemas of both resource types, core and extensions, plus the common attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Registry {
    common: Vec<Attribute>,
    user: Schema,
    group: Schema,
    user_extensions: Vec<Schema>,
    group_extensions: Vec<Schema>,
}

impl Registry {
    /// Builds the registry: the RFC schemas plus the custom attributes, which are validated here.
    ///
    /// # Errors
    /// `invalidValue` when a custom attribute has an invalid name or shape, clashes with an
    /// existing attribute, or targets the other resource type's core schema.
    pub fn build(custom: &[CustomAttribute]) -> Result<Registry, ScimError> {
        let mut registry = Registry::core();
        for custom_attribute in custom {
            registry.add_custom(custom_attribute)?;
        }
        Ok(registry)
    }

    /// The registry of RFC 7643 alone: User, Group, Enterprise User, no custom attributes.
    pub fn core() -> Registry {
        Registry {
            common: core::common_attributes(),
            user: Schema {
                id: USER_SCHEMA.into(),
                name: "User".into(),
                description: "User Account".into(),
                attributes: core::user_attributes(),
            },
            group: Schema {
                id: GROUP_SCHEMA.into(),
                name: "Group".into(),
                description: "Group".into(),
                attributes: core::group_attributes(),
            },
            user_extensions: vec![Schema {
                id: ENTERPRISE_SCHEMA.into(),
                name: "EnterpriseUser".into(),
                description: "Enterprise User".into(),
                attributes: core::enterprise_attributes(),
            }],
            group_extensions: Vec::new(),
        }
    }

    /// Adds one custom attribute; on error the registry is unchanged.
    pub(crate) fn add_custom(&mut self, custom: &CustomAttribute) -> Result<(), ScimError> {
        check_custom_attribute(&custom.attribute)?;
        let urn = custom.schema.trim();
        if !urn.starts_with("urn:") || urn.contains(char::is_whitespace) || urn.ends_with(':') {
            return Err(ScimError::InvalidValue(format!(
                "custom attribute schema '{urn}' is not a URN such as \
                 'urn:ietf:params:scim:schemas:extension:acme:2.0:User'"
            )));
        }
        let kind = custom.resource_type;
        let other = match kind {
            ResourceKind::User => ResourceKind::Group,
            ResourceKind::Group => ResourceKind::User,
        };
        if self.owns_schema(other, urn) {
            return Err(ScimError::InvalidValue(format!(
                "schema '{urn}' belongs to the {} resource type, not {}",
                other.name(),
                kind.name()
            )));
        }
        let name = &custom.attribute.name;
        if self.core_schema(kind).id.eq_ignore_ascii_case(urn)
            && self
                .common
                .iter()
                .any(|a| a.name.eq_ignore_ascii_case(name))
        {
            return Err(ScimError::InvalidValue(format!(
                "'{name}' is a common attribute of every resource and cannot be redefined"
            )));
        }
        let schema = match self.schema_mut(kind, urn) {
            Some(schema) => schema,
            None => {
                let short = urn.rsplit(':').next().unwrap_or(urn).to_string();
                let extensions = match kind {
                    ResourceKind::User => &mut self.user_extensions,
                    ResourceKind::Group => &mut self.group_extensions,
                };
                extensions.push(Schema {
                    id: urn.to_string(),
                    name: format!("{short} extension"),
                    description: "Custom attributes added in the Profile Editor.".into(),
                    attributes: Vec::new(),
                });
                let last = extensions.len() - 1;
                &mut extensions[last]
            }
        };
        if schema.attribute(name).is_some() {
            return Err(ScimError::InvalidValue(format!(
                "schema '{}' already has an attribute named '{name}'",
                schema.id
            )));
        }
        schema.attributes.push(custom.attribute.clone());
        Ok(())
    }

    fn owns_schema(&self, kind: ResourceKind, urn: &str) -> bool {
        self.core_schema(kind).id.eq_ignore_ascii_case(urn)
            || self
                .extensions(kind)
                .iter()
                .any(|s| s.id.eq_ignore_ascii_case(urn))
    }

    fn schema_mut(&mut self, kind: ResourceKind, urn: &str) -> Option<&mut Schema> {
        let (core, extensions) = match kind {
            ResourceKind::User => (&mut self.user, &mut self.user_extensions),
            ResourceKind::Group => (&mut self.group, &mut self.group_extensions),
        };
        if core.id.eq_ignore_ascii_case(urn) {
            return Some(core);
        }
        extensions
            .iter_mut()
            .find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// The common attributes (`id`, `externalId`, `meta`).
    pub fn common(&self) -> &[Attribute] {
        &self.common
    }

    /// The core schema of a resource type.
    pub fn core_schema(&self, kind: ResourceKind) -> &Schema {
        match kind {
            ResourceKind::User => &self.user,
            ResourceKind::Group => &self.group,
        }
    }

    /// The extension schemas of a resource type.
    pub fn extensions(&self, kind: ResourceKind) -> &[Schema] {
        match kind {
            ResourceKind::User => &self.user_extensions,
            ResourceKind::Group => &self.group_extensions,
        }
    }

    /// Every schema, core ones first, as `/Schemas` lists them.
    pub fn schemas(&self) -> impl Iterator<Item = &Schema> {
        [&self.user, &self.group]
            .into_iter()
            .chain(self.user_extensions.iter())
            .chain(self.group_extensions.iter())
    }

    /// Finds a schema by URN, case-insensitively.
    pub fn schema(&self, urn: &str) -> Option<&Schema> {
        self.schemas().find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// Finds an extension schema of `kind` by URN and returns its canonical spelling.
    pub fn extension(&self, kind: ResourceKind, urn: &str) -> Option<&Schema> {
        self.extensions(kind)
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// Resolves a top-level attribute name of `kind`: a bare name (`userName`, `id`) or a
    /// URN-qualified one (`urn:…:enterprise:2.0:User:department`, `urn:…:core:2.0:User:name`).
    pub fn resolve(&self, kind: ResourceKind, name: &str) -> Option<Located<'_>> {
        if name.contains(':') {
            let (urn, attr) = name.rsplit_once(':')?;
            let core = self.core_schema(kind);
            if core.id.eq_ignore_ascii_case(urn) {
                return core.attribute(attr).map(|attribute| Located {
                    attribute,
                    extension: None,
                });
            }
            let ext = self.extension(kind, urn)?;
            return ext.attribute(attr).map(|attribute| Located {
                attribute,
                extension: Some(ext.id.as_str()),
            });
        }
        self.common
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .or_else(|| self.core_schema(kind).attribute(name))
            .map(|attribute| Located {
                attribute,
                extension: None,
            })
    }

    /// Resolves an attribute inside a given schema (core or extension) of `kind`.
    pub fn resolve_in(
        &self,
        kind: ResourceKind,
        urn: Option<&str>,
        name: &str,
    ) -> Option<Located<'_>> {
        match urn {
            None => self.resolve(kind, name),
            Some(urn) if self.core_schema(kind).id.eq_ignore_ascii_case(urn) => self
                .core_schema(kind)
                .attribute(name)
                .map(|attribute| Located {
                    attribute,
                    extension: None,
                }),
            Some(urn) => {
                let ext = self.extension(kind, urn)?;
                ext.attribute(name).map(|attribute| Located {
                    attribute,
                    extension: Some(ext.id.as_str()),
                })
            }
        }
    }
}

/// The registry seen from one resource type: what the filter and PATCH path code resolve
/// attribute paths against.
#[derive(Clone, Copy)]
pub struct KindLookup<'a> {
    /// The registry.
    pub registry: &'a Registry,
    /// The resource type whose attributes paths name.
    pub kind: ResourceKind,
}

impl crate::filter::AttributeLookup for KindLookup<'_> {
    fn resolve(&self, path: &crate::filter::AttrPath) -> Option<crate::filter::Resolved<'_>> {
        let located = self
            .registry
            .resolve_in(self.kind, path.urn.as_deref(), &path.name)?;
        let sub = match &path.sub {
            Some(sub) => Some(located.attribute.sub_attribute(sub)?),
            None => None,
        };
        Some(crate::filter::Resolved {
            attribute: located.attribute,
            sub,
            extension: located.extension,
        })
    }
}

/// The registry seen from one resource type by a query (`filter`, Explain): [`KindLookup`]
/// plus `schemas`, which every resource carries (RFC 7643 §3) but no schema defines, so that
/// `schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"` finds the resources
/// carrying an extension. PATCH paths keep [`KindLookup`]: `schemas` is not an attribute a
/// client edits by path.
#[derive(Clone, Copy)]
pub struct QueryLookup<'a>(pub KindLookup<'a>);

impl crate::filter::AttributeLookup for QueryLookup<'_> {
    fn resolve(&self, path: &crate::filter::AttrPath) -> Option<crate::filter::Resolved<'_>> {
        let schemas = path.urn.is_none() && path.name.eq_ignore_ascii_case("schemas");
        if !schemas {
            return crate::filter::AttributeLookup::resolve(&self.0, path);
        }
        if path.sub.is_some() {
            return None;
        }
        Some(crate::filter::Resolved {
            attribute: schemas_attribute(),
            sub: None,
            extension: None,
        })
    }
}

/// `schemas` as an attribute definition: multi-valued URI strings, compared ignoring case as
/// schema URNs are everywhere else in SCIM.
fn schemas_attribute() -> &'static Attribute {
    static SCHEMAS: std::sync::OnceLock<Attribute> = std::sync::OnceLock::new();
    SCHEMAS.get_or_init(|| {
        Attribute::new("schemas", AttrType::String)
            .describe("The schema URIs the resource's attributes are defined by.")
            .multi()
            .mutability(Mutability::ReadOnly)
    })
}

/// RFC 7643 §2.1: `ATTRNAME = ALPHA *(nameChar)`, `nameChar = "-" / "_" / DIGIT / ALPHA`.
fn valid_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.len() <= 128
}

fn check_custom_attribute(attribute: &Attribute) -> Result<(), ScimError> {
    if !valid_attribute_name(&attribute.name) {
        return Err(ScimError::InvalidValue(format!(
            "'{}' is not a valid attribute name: it must start with a letter and contain only \
             letters, digits, '-' and '_'",
            attribute.name
        )));
    }
    match attribute.ty {
        AttrType::Complex => {
            if attribute.sub_attributes.is_empty() {
                return Err(ScimError::InvalidValue(format!(
                    "complex attribute '{}' needs at least one sub-attribute",
                    attribute.name
                )));
            }
            for (i, sub) in attribute.sub_attributes.iter().enumerate() {
                if sub.ty == AttrType::Complex || !sub.sub_attributes.is_empty() {
                    return Err(ScimError::InvalidValue(format!(
                        "sub-attribute '{}.{}' cannot be complex (RFC 7643 §2.3.8)",
                        attribute.name, sub.name
                    )));
                }
                if !valid_attribute_name(&sub.name) {
                    return Err(ScimError::InvalidValue(format!(
                        "'{}' is not a valid sub-attribute name",
                        sub.name
                    )));
                }
                let duplicate = attribute.sub_attributes[..i]
                    .iter()
                    .any(|s| s.name.eq_ignore_ascii_case(&sub.name));
                if duplicate {
                    return Err(ScimError::InvalidValue(format!(
                        "'{}' has two sub-attributes named '{}'",
                        attribute.name, sub.name
                    )));
                }
            }
        }
        _ if !attribute.sub_attributes.is_empty() => {
            return Err(ScimError::InvalidValue(format!(
                "only complex attributes have sub-attributes, and '{}' is not complex",
                attribute.name
            )));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(schema: &str, kind: ResourceKind, attribute: Attribute) -> CustomAttribute {
        CustomAttribute {
            schema: schema.into(),
            resource_type: kind,
            attribute,
        }
    }

    #[test]
    fn resolves_bare_qualified_and_extension_names() {
        let r = Registry::build(&[]).unwrap();
        assert_eq!(
            r.resolve(ResourceKind::User, "USERNAME")
                .unwrap()
                .attribute
                .name,
            "userName"
        );
        let dept = r
            .resolve(
                ResourceKind::User,
                &format!("{ENTERPRISE_SCHEMA}:department"),
            )
            .unwrap();
        assert_eq!(dept.extension, Some(ENTERPRISE_SCHEMA));
        let name = r
            .resolve(ResourceKind::User, &format!("{USER_SCHEMA}:name"))
            .unwrap();
        assert_eq!(name.extension, None);
        assert!(r.resolve(ResourceKind::Group, "userName").is_none());
        assert!(r.resolve(ResourceKind::User, "id").is_some());
    }

    #[test]
    fn custom_attributes_extend_existing_or_new_schemas() {
        let acme = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";
        let r = Registry::build(&[
            custom(
                acme,
                ResourceKind::User,
                Attribute::new("badge", AttrType::Integer),
            ),
            custom(
                ENTERPRISE_SCHEMA,
                ResourceKind::User,
                Attribute::new("building", AttrType::String),
            ),
        ])
        .unwrap();
        assert_eq!(r.extensions(ResourceKind::User).len(), 2);
        assert!(r
            .resolve(ResourceKind::User, &format!("{acme}:badge"))
            .is_some());
        assert!(r
            .resolve(ResourceKind::User, &format!("{ENTERPRISE_SCHEMA}:building"))
            .is_some());
    }

    #[test]
    fn bad_custom_attributes_are_rejected() {
        let cases = [
            custom(
                USER_SCHEMA,
                ResourceKind::User,
                Attribute::new("userName", AttrType::String),
            ),
            custom(
                USER_SCHEMA,
                ResourceKind::User,
                Attribute::new("id", AttrType::String),
            ),
            custom(
                USER_SCHEMA,
                ResourceKind::User,
                Attribute::new("9lives", AttrType::String),
            ),
            custom(
                GROUP_SCHEMA,
                ResourceKind::User,
                Attribute::new("x", AttrType::String),
            ),
            custom(
                "acme",
                ResourceKind::User,
                Attribute::new("x", AttrType::String),
            ),
            custom(
                USER_SCHEMA,
                ResourceKind::User,
                Attribute::new("c", AttrType::Complex),
            ),
        ];
        for case in cases {
            assert!(
                matches!(
                    Registry::build(std::slice::from_ref(&case)),
                    Err(ScimError::InvalidValue(_))
                ),
                "{case:?} should be rejected"
            );
        }
    }
}
