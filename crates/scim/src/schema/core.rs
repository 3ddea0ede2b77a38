//! The schemas RFC 7643 defines: core User (§4.1, §8.7.1), Group (§4.2), the Enterprise User
//! extension (§4.3), and the common attributes every resource has (§3.1).
//!
//! Characteristics follow the §8.7.1 schema representation. Where the RFC's prose and its JSON
//! disagree, the comment on the attribute says which one we follow and why.

use super::attribute::{AttrType as T, Attribute as A, Mutability as M, Returned as R, Uniqueness};

/// The core User schema URN.
pub use wire::urn::USER as USER_SCHEMA;
/// The core Group schema URN.
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The Enterprise User extension URN.
pub const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn string(name: &str, description: &str) -> A {
    A::new(name, T::String).describe(description)
}

/// The `value`/`display`/`type`/`primary` sub-attributes shared by most multi-valued attributes.
fn multi_valued_subs(value_description: &str, value_type: T, types: &[&str]) -> Vec<A> {
    let mut value = A::new("value", value_type).describe(value_description);
    if value_type == T::Reference {
        value = value.references(&["external"]);
    }
    vec![
        value,
        string("display", "A human-readable name, primarily used for display purposes."),
        string("type", "A label indicating the attribute's function.").canonical(types),
        A::new("primary", T::Boolean).describe(
            "A Boolean value indicating the 'primary' or preferred attribute value for this attribute.",
        ),
    ]
}

/// The common attributes of every resource (RFC 7643 §3.1), which no schema lists.
pub fn common_attributes() -> Vec<A> {
    vec![
        string("id", "A unique identifier for a SCIM resource as defined by the service provider.")
            .case_exact()
            .mutability(M::ReadOnly)
            .returned(R::Always)
            .uniqueness(Uniqueness::Server),
        string("externalId", "An identifier for the resource as defined by the provisioning client.")
            .case_exact(),
        A::new("meta", T::Complex)
            .describe("A complex attribute containing resource metadata.")
            .mutability(M::ReadOnly)
            .subs(vec![
                string("resourceType", "The name of the resource type of the resource.")
                    .case_exact()
                    .mutability(M::ReadOnly),
                A::new("created", T::DateTime)
                    .describe("The date and time the resource was added to the service provider.")
                    .mutability(M::ReadOnly),
                A::new("lastModified", T::DateTime)
                    .describe("The most recent date and time that the details of this resource were updated.")
                    .mutability(M::ReadOnly),
                A::new("location", T::Reference)
                    .describe("The URI of the resource being returned.")
                    .case_exact()
                    .mutability(M::ReadOnly)
                    .references(&["uri"]),
                string("version", "The version of the resource being returned (a weak entity tag).")
                    .case_exact()
                    .mutability(M::ReadOnly),
            ]),
    ]
}

/// The core User schema's attributes, in the order of RFC 7643 §8.7.1.
pub fn user_attributes() -> Vec<A> {
    vec![
        string("userName", "Unique identifier for the User, typically used by the user to directly authenticate to the service provider.")
            .required()
            .uniqueness(Uniqueness::Server),
        A::new("name", T::Complex)
            .describe("The components of the user's real name.")
            .subs(vec![
                string("formatted", "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display."),
                string("familyName", "The family name of the User, or last name in most Western languages."),
                string("givenName", "The given name of the User, or first name in most Western languages."),
                string("middleName", "The middle name(s) of the User."),
                string("honorificPrefix", "The honorific prefix(es) of the User, or title in most Western languages."),
                string("honorificSuffix", "The honorific suffix(es) of the User, or suffix in most Western languages."),
            ]),
        string("displayName", "The name of the User, suitable for display to end-users."),
        string("nickName", "The casual way to address the user in real life."),
        A::new("profileUrl", T::Reference)
            .describe("A fully qualified URL pointing to a page representing the User's online profile.")
            .references(&["external"]),
        string("title", "The user's title, such as \"Vice President\"."),
        string("userType", "Used to identify the relationship between the organization and the user."),
        string("preferredLanguage", "Indicates the User's preferred written or spoken language."),
        string("locale", "Used to indicate the User's default location for purposes of localizing items."),
        string("timezone", "The User's time zone in the 'Olson' time zone database format."),
        A::new("active", T::Boolean).describe("A Boolean value indicating the User's administrative status."),
        string("password", "The User's cleartext password, used to set or compare a password; never returned.")
            .mutability(M::WriteOnly)
            .returned(R::Never),
        A::new("emails", T::Complex)
            .describe("Email addresses for the user.")
            .multi()
            .subs(multi_valued_subs("Email addresses for the user.", T::String, &["work", "home", "other"])),
        A::new("phoneNumbers", T::Complex)
            .describe("Phone numbers for the User.")
            .multi()
            .subs(multi_valued_subs(
                "Phone number of the User.",
                T::String,
                &["work", "home", "mobile", "fax", "pager", "other"],
            )),
        A::new("ims", T::Complex)
            .describe("Instant messaging addresses for the User.")
            .multi()
            .subs(multi_valued_subs(
                "Instant messaging address for the User.",
                T::String,
                &["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"],
            )),
        A::new("photos", T::Complex)
            .describe("URLs of photos of the User.")
            .multi()
            .subs(multi_valued_subs("URL of a photo of the User.", T::Reference, &["photo", "thumbnail"])),
        // RFC 7643 §8.7.1 omits `primary` from addresses although §4.1.2 describes it and every
        // IdP (Okta maps `addresses[primary eq true]`) sends it, so we define it.
        A::new("addresses", T::Complex)
            .describe("A physical mailing address for this User.")
            .multi()
            .subs(vec![
                string("formatted", "The full mailing address, formatted for display or use with a mailing label."),
                string("streetAddress", "The full street address component."),
                string("locality", "The city or locality component."),
                string("region", "The state or region component."),
                string("postalCode", "The zip code or postal code component."),
                string("country", "The country name component."),
                string("type", "A label indicating the attribute's function.").canonical(&["work", "home", "other"]),
                A::new("primary", T::Boolean).describe("A Boolean value indicating the primary address."),
            ]),
        A::new("groups", T::Complex)
            .describe("A list of groups to which the user belongs, computed from group membership.")
            .multi()
            .mutability(M::ReadOnly)
            .subs(vec![
                string("value", "The identifier of the User's group.").mutability(M::ReadOnly),
                A::new("$ref", T::Reference)
                    .describe("The URI of the corresponding 'Group' resource to which the user belongs.")
                    .mutability(M::ReadOnly)
                    .references(&["User", "Group"]),
                string("display", "A human-readable name, primarily used for display purposes.")
                    .mutability(M::ReadOnly),
                string("type", "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.")
                    .mutability(M::ReadOnly)
                    .canonical(&["direct", "indirect"]),
            ]),
        A::new("entitlements", T::Complex)
            .describe("A list of entitlements for the User that represent a thing the User has.")
            .multi()
            .subs(multi_valued_subs("The value of an entitlement.", T::String, &[])),
        A::new("roles", T::Complex)
            .describe("A list of roles for the User that collectively represent who the User is.")
            .multi()
            .subs(multi_valued_subs("The value of a role.", T::String, &[])),
        A::new("x509Certificates", T::Complex)
            .describe("A list of certificates issued to the User.")
            .multi()
            .subs(multi_valued_subs("The value of an X.509 certificate.", T::Binary, &[])),
    ]
}

/// The core Group schema's attributes.
pub fn group_attributes() -> Vec<A> {
    vec![
        // §8.7.1 publishes `required: false`, but §4.2 says displayName is REQUIRED and a group
        // without a name cannot be pushed or found by Okta; we follow the prose.
        string("displayName", "A human-readable name for the Group.").required(),
        // §8.7.1 lists value, $ref and type; §4.2 adds `display`, which Okta and Entra ID send.
        A::new("members", T::Complex)
            .describe("A list of members of the Group.")
            .multi()
            .subs(vec![
                string("value", "Identifier of the member of this Group.")
                    .case_exact()
                    .mutability(M::Immutable),
                A::new("$ref", T::Reference)
                    .describe(
                        "The URI corresponding to a SCIM resource that is a member of this Group.",
                    )
                    .mutability(M::Immutable)
                    .references(&["User", "Group"]),
                string("display", "A human-readable name for the member."),
                string(
                    "type",
                    "A label indicating the type of resource, e.g., 'User' or 'Group'.",
                )
                .mutability(M::Immutable)
                .canonical(&["User", "Group"]),
            ]),
    ]
}

/// The Enterprise User extension's attributes (RFC 7643 §4.3).
pub fn enterprise_attributes() -> Vec<A> {
    vec![
        string(
            "employeeNumber",
            "Numeric or alphanumeric identifier assigned to a person.",
        ),
        string("costCenter", "Identifies the name of a cost center."),
        string("organization", "Identifies the name of an organization."),
        string("division", "Identifies the name of a division."),
        string("department", "Identifies the name of a department."),
        A::new("manager", T::Complex)
            .describe("The User's manager.")
            .subs(vec![
                string(
                    "value",
                    "The id of the SCIM resource representing the User's manager.",
                ),
                A::new("$ref", T::Reference)
                    .describe("The URI of the SCIM resource representing the User's manager.")
                    .references(&["User"]),
                string("displayName", "The displayName of the User's manager.")
                    .mutability(M::ReadOnly),
            ]),
    ]
}
