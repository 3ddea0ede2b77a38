//! Ready-made requests for the Console: every SCIM operation, and the requests Okta and Entra ID
//! typically send (docs/okta-model.md §3). `{id}` in a path is replaced with the id of the
//! last resource the Console created, when there is one.

/// One template.
pub struct Template {
    pub group: &'static str,
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub body: &'static str,
}

const fn t(
    group: &'static str,
    name: &'static str,
    method: &'static str,
    path: &'static str,
    body: &'static str,
) -> Template {
    Template {
        group,
        name,
        method,
        path,
        body,
    }
}

pub const TEMPLATES: &[Template] = &[
    t(
        "Discovery",
        "ServiceProviderConfig",
        "GET",
        "/ServiceProviderConfig",
        "",
    ),
    t("Discovery", "ResourceTypes", "GET", "/ResourceTypes", ""),
    t("Discovery", "Schemas", "GET", "/Schemas", ""),
    t(
        "Users",
        "List users (page of 10)",
        "GET",
        "/Users?startIndex=1&count=10",
        "",
    ),
    t(
        "Users",
        "List users with a cursor (RFC 9865; follow nextCursor)",
        "GET",
        "/Users?cursor&count=10&sortBy=userName",
        "",
    ),
    t(
        "Users",
        "Users carrying the enterprise extension (filter on schemas)",
        "GET",
        "/Users?filter=schemas%20eq%20%22urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Aextension%3Aenterprise%3A2.0%3AUser%22",
        "",
    ),
    t(
        "Users",
        "Filter by userName",
        "GET",
        "/Users?filter=userName%20eq%20%22jane.doe%40example.com%22",
        "",
    ),
    t(
        "Users",
        "Sorted, selected attributes",
        "GET",
        "/Users?sortBy=name.familyName&sortOrder=ascending&attributes=userName,name",
        "",
    ),
    t(
        "Users",
        "Create a user",
        "POST",
        "/Users",
        r#"{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
  "userName": "jane.doe@example.com",
  "name": {"givenName": "Jane", "familyName": "Doe"},
  "emails": [{"value": "jane.doe@example.com", "type": "work", "primary": true}],
  "active": true
}"#,
    ),
    t("Users", "Get a user", "GET", "/Users/{id}", ""),
    t(
        "Users",
        "Replace a user (PUT)",
        "PUT",
        "/Users/{id}",
        r#"{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
  "userName": "jane.doe@example.com",
  "name": {"givenName": "Janet", "familyName": "Doe"},
  "active": true
}"#,
    ),
    t(
        "Users",
        "PATCH: replace title",
        "PATCH",
        "/Users/{id}",
        r#"{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations": [{"op": "replace", "path": "title", "value": "Engineer"}]
}"#,
    ),
    t("Users", "Delete a user", "DELETE", "/Users/{id}", ""),
    t(
        "Users",
        "Search (POST /.search)",
        "POST",
        "/Users/.search",
        r#"{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
  "filter": "emails[type eq \"work\" and value co \"@example.com\"]",
  "startIndex": 1,
  "count": 10
}"#,
    ),
    t(
        "Groups",
        "List groups",
        "GET",
        "/Groups?startIndex=1&count=100",
        "",
    ),
    t(
        "Groups",
        "Members of group {id}, asked from the user side (groups.value)",
        "GET",
        "/Users?filter=groups.value%20eq%20%22{id}%22",
        "",
    ),
    t(
        "Groups",
        "Create a group",
        "POST",
        "/Groups",
        r#"{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
  "displayName": "Engineering",
  "members": []
}"#,
    ),
    t(
        "Bulk",
        "Bulk: user and group referring to it",
        "POST",
        "/Bulk",
        r#"{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
  "failOnErrors": 1,
  "Operations": [
    {"method": "POST", "path": "/Users", "bulkId": "u1",
     "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bulk.user@example.com"}},
    {"method": "POST", "path": "/Groups", "bulkId": "g1",
     "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Bulk group",
              "members": [{"value": "bulkId:u1"}]}}
  ]
}"#,
    ),
    t(
        "Okta",
        "Existence check",
        "GET",
        "/Users?filter=userName%20eq%20%22jane.doe%40example.com%22&startIndex=1&count=100",
        "",
    ),
    t(
        "Okta",
        "Deactivate (path-less PATCH)",
        "PATCH",
        "/Users/{id}",
        r#"{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations": [{"op": "replace", "value": {"active": false}}]
}"#,
    ),
    t(
        "Okta",
        "Reactivate (path-less PATCH)",
        "PATCH",
        "/Users/{id}",
        r#"{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations": [{"op": "replace", "value": {"active": true}}]
}"#,
    ),
    t(
        "Okta",
        "Test API Credentials",
        "GET",
        "/Users?startIndex=1&count=2",
        "",
    ),
    t(
        "Entra ID",
        "Existence check by externalId",
        "GET",
        "/Users?filter=externalId%20eq%20%2200u123%22",
        "",
    ),
    t(
        "Entra ID",
        "Disable (capitalised op, string boolean)",
        "PATCH",
        "/Users/{id}",
        r#"{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations": [{"op": "Replace", "path": "active", "value": "False"}]
}"#,
    ),
    t(
        "Entra ID",
        "Write through an empty filter",
        "PATCH",
        "/Users/{id}",
        r#"{
  "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations": [{"op": "Add", "path": "emails[type eq \"work\"].value", "value": "jane@work.example"}]
}"#,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn every_template_body_is_json_and_every_path_is_under_the_server() {
        for template in TEMPLATES {
            assert!(template.path.starts_with('/'), "{}", template.name);
            if !template.body.is_empty() {
                let parsed: Result<serde_json::Value, _> = serde_json::from_str(template.body);
                assert!(parsed.is_ok(), "{}: {parsed:?}", template.name);
            }
            let needs_body = matches!(template.method, "POST" | "PUT" | "PATCH");
            assert_eq!(needs_body, !template.body.is_empty(), "{}", template.name);
        }
    }
}
