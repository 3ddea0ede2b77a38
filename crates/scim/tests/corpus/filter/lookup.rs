//! A small, test-only [`AttributeLookup`] over the User and Group attributes the filter corpus
//! needs. The engine's schema registry is the real implementation; this one exists so the filter
//! tests and fuzz targets do not depend on it. Included with `#[path]` by
//! `tests/filter_corpus.rs` and by the fuzz targets.

use scim::filter::{AttrPath, AttributeLookup, Resolved};
use scim::schema::{AttrType, Attribute, Mutability, Returned, Uniqueness};

pub const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const CORE_GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// A made-up extension that gives the corpus integer, decimal, binary and boolean attributes,
/// which the core User schema lacks.
pub const PLAYGROUND: &str = "urn:example:params:scim:schemas:extension:playground:1.0:User";

pub struct TestLookup {
    core_urn: &'static str,
    core: Vec<Attribute>,
    extensions: Vec<(&'static str, Vec<Attribute>)>,
}

fn attr(name: &str, ty: AttrType) -> Attribute {
    Attribute {
        name: name.to_owned(),
        ty,
        multi_valued: false,
        description: String::new(),
        required: false,
        case_exact: false,
        mutability: Mutability::ReadWrite,
        returned: Returned::Default,
        uniqueness: Uniqueness::None,
        canonical_values: Vec::new(),
        reference_types: Vec::new(),
        sub_attributes: Vec::new(),
    }
}

fn string(name: &str) -> Attribute {
    attr(name, AttrType::String)
}

fn exact(mut attribute: Attribute) -> Attribute {
    attribute.case_exact = true;
    attribute
}

fn complex(name: &str, subs: Vec<Attribute>) -> Attribute {
    let mut attribute = attr(name, AttrType::Complex);
    attribute.sub_attributes = subs;
    attribute
}

fn multi(mut attribute: Attribute) -> Attribute {
    attribute.multi_valued = true;
    attribute
}

/// The attributes every resource has (RFC 7643 §3.1).
fn common() -> Vec<Attribute> {
    vec![
        exact(string("id")),
        exact(string("externalId")),
        multi(exact(attr("schemas", AttrType::Reference))),
        complex(
            "meta",
            vec![
                exact(string("resourceType")),
                attr("created", AttrType::DateTime),
                attr("lastModified", AttrType::DateTime),
                exact(attr("location", AttrType::Reference)),
                exact(string("version")),
            ],
        ),
    ]
}

/// The sub-attributes of `emails`, `phoneNumbers`, `ims` and friends (RFC 7643 §4.1.2).
fn multi_valued_subs(value: Attribute) -> Vec<Attribute> {
    vec![
        value,
        string("display"),
        string("type"),
        attr("primary", AttrType::Boolean),
    ]
}

impl TestLookup {
    pub fn users() -> Self {
        let mut core = common();
        core.extend([
            string("userName"),
            complex(
                "name",
                ["formatted", "familyName", "givenName", "middleName"]
                    .into_iter()
                    .map(string)
                    .collect(),
            ),
            string("displayName"),
            string("nickName"),
            string("title"),
            string("userType"),
            attr("active", AttrType::Boolean),
            multi(complex("emails", multi_valued_subs(string("value")))),
            multi(complex("phoneNumbers", multi_valued_subs(string("value")))),
            multi(complex("ims", multi_valued_subs(string("value")))),
            multi(complex(
                "x509Certificates",
                multi_valued_subs(attr("value", AttrType::Binary)),
            )),
            multi(complex(
                "addresses",
                [
                    "formatted",
                    "streetAddress",
                    "locality",
                    "region",
                    "postalCode",
                    "country",
                    "type",
                ]
                .into_iter()
                .map(string)
                .chain([attr("primary", AttrType::Boolean)])
                .collect(),
            )),
            multi(complex(
                "groups",
                vec![
                    exact(string("value")),
                    exact(attr("$ref", AttrType::Reference)),
                    string("display"),
                    string("type"),
                ],
            )),
        ]);
        let enterprise = vec![
            string("employeeNumber"),
            string("costCenter"),
            string("organization"),
            string("division"),
            string("department"),
            complex(
                "manager",
                vec![
                    exact(string("value")),
                    exact(attr("$ref", AttrType::Reference)),
                    string("displayName"),
                ],
            ),
        ];
        let playground = vec![
            attr("loginCount", AttrType::Integer),
            attr("score", AttrType::Decimal),
            attr("lastLogin", AttrType::DateTime),
            attr("badge", AttrType::Binary),
            attr("verified", AttrType::Boolean),
        ];
        TestLookup {
            core_urn: CORE_USER,
            core,
            extensions: vec![(ENTERPRISE, enterprise), (PLAYGROUND, playground)],
        }
    }

    pub fn groups() -> Self {
        let mut core = common();
        core.extend([
            string("displayName"),
            multi(complex(
                "members",
                vec![
                    exact(string("value")),
                    exact(attr("$ref", AttrType::Reference)),
                    string("display"),
                    string("type"),
                ],
            )),
        ]);
        TestLookup {
            core_urn: CORE_GROUP,
            core,
            extensions: Vec::new(),
        }
    }

    fn find<'a>(attributes: &'a [Attribute], name: &str) -> Option<&'a Attribute> {
        attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

impl AttributeLookup for TestLookup {
    /// A URN picks the schema; without one, the core schema is searched first and then the
    /// extensions (a lenient registry; RFC 7644 §3.10 asks clients to qualify extension names).
    fn resolve(&self, path: &AttrPath) -> Option<Resolved<'_>> {
        let (attribute, extension) = match &path.urn {
            Some(urn) if urn.eq_ignore_ascii_case(self.core_urn) => {
                (Self::find(&self.core, &path.name)?, None)
            }
            Some(urn) => {
                let (ext_urn, attributes) = self
                    .extensions
                    .iter()
                    .find(|(ext_urn, _)| ext_urn.eq_ignore_ascii_case(urn))?;
                (Self::find(attributes, &path.name)?, Some(*ext_urn))
            }
            None => match Self::find(&self.core, &path.name) {
                Some(attribute) => (attribute, None),
                None => self.extensions.iter().find_map(|(ext_urn, attributes)| {
                    Self::find(attributes, &path.name).map(|a| (a, Some(*ext_urn)))
                })?,
            },
        };
        let sub = match &path.sub {
            Some(sub) => Some(attribute.sub_attribute(sub)?),
            None => None,
        };
        Some(Resolved {
            attribute,
            sub,
            extension,
        })
    }
}
