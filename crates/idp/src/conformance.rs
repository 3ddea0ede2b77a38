//! The in-browser test runner's suites: Okta's pre-submission SPEC test (docs/okta-model.md
//! §7), the lifecycle CRUD flow, and a discovery and schema check — against any SCIM base URL,
//! through the [`Transport`] (a real `fetch` in the app).
//!
//! Every step records the request it sent, the response, and each assertion with a sentence
//! that says what was expected and what came back, so a failure explains itself. A request that
//! gets no response at all stops the suite there: every later step would only repeat it, so the
//! report ends with that step and [`unreachable_causes`] says what usually causes it.

use serde_json::{json, Value};

use crate::clock::Clock;
use crate::transport::{encode_query_value, HttpRequest, Transport};

/// Where the suites send their requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The SCIM base URL, without a trailing slash.
    pub base_url: String,
    /// The `Authorization` header value, if the server needs one.
    pub authorization: Option<String>,
}

/// One assertion of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What is checked, e.g. "status is 404".
    pub expectation: String,
    pub passed: bool,
    /// What was seen, e.g. "got 200".
    pub detail: String,
}

/// One step: the request, the response, the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    pub method: String,
    pub url: String,
    /// The headers sent, with the credential masked (the step is shown on screen and may be
    /// captured or shared, so it never shows a secret, as the traffic log does not).
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    /// The status, or `None` when no response came.
    pub status: Option<u16>,
    /// The headers that came back, in their order.
    pub response_headers: Vec<(String, String)>,
    pub response_body: String,
    pub duration_ms: i64,
    pub checks: Vec<Check>,
}

impl Step {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
}

/// One suite's steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub suite: Suite,
    pub steps: Vec<Step>,
}

impl Report {
    /// The step whose request got no response, which ended the run early.
    pub fn stopped_at(&self) -> Option<&Step> {
        self.steps.last().filter(|step| step.status.is_none())
    }

    /// How many steps passed, and how many ran.
    pub fn score(&self) -> (usize, usize) {
        (
            self.steps.iter().filter(|s| s.passed()).count(),
            self.steps.len(),
        )
    }
}

/// The suites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    /// Okta's pre-submission SPEC test.
    Spec,
    /// Create, find, rename, deactivate, reactivate, deprovision.
    Crud,
    /// ServiceProviderConfig, Schemas, ResourceTypes.
    Discovery,
}

impl Suite {
    pub const ALL: [Suite; 3] = [Suite::Spec, Suite::Crud, Suite::Discovery];

    /// The name the UI shows.
    pub fn title(self) -> &'static str {
        match self {
            Suite::Spec => "Okta SPEC test",
            Suite::Crud => "Lifecycle CRUD flow",
            Suite::Discovery => "Discovery and schema",
        }
    }
}

use wire::urn::{LIST_RESPONSE, PATCH_OP, USER};
const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// Sends requests and keeps the steps.
struct Runner<'a> {
    transport: &'a dyn Transport,
    clock: &'a dyn Clock,
    target: &'a Target,
    /// A suffix that makes the names this run creates unique.
    tag: String,
    steps: Vec<Step>,
    /// Set once a request got no response: nothing more is sent.
    stopped: bool,
}

/// The response of the step just run, parsed.
struct Seen {
    status: Option<u16>,
    json: Value,
    duration_ms: i64,
}

impl Runner<'_> {
    async fn send(
        &mut self,
        name: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
        content_type: &str,
        authorization: Option<&str>,
    ) -> Seen {
        if self.stopped {
            return Seen {
                status: None,
                json: Value::Null,
                duration_ms: 0,
            };
        }
        let url = format!("{}{path}", self.target.base_url);
        let mut headers = vec![("Accept".to_string(), "application/scim+json".to_string())];
        if let Some(auth) = authorization.or(self.target.authorization.as_deref()) {
            headers.push(("Authorization".into(), auth.into()));
        }
        let request_body = body.map(|b| b.to_string());
        if request_body.is_some() {
            headers.push(("Content-Type".into(), content_type.into()));
        }
        // A step shows its credential masked, as the worker's traffic log does (one rule).
        let request_headers = secrets::headers(&headers);
        let started = self.clock.now_ms();
        let answer = self
            .transport
            .send(HttpRequest {
                method: method.into(),
                url: url.clone(),
                headers,
                body: request_body.clone(),
                exchange_id: None,
            })
            .await;
        let duration_ms = self.clock.now_ms().saturating_sub(started);
        let (status, response_headers, response_body, checks) = match answer {
            Ok(res) => (Some(res.status), res.headers, res.body, Vec::new()),
            Err(e) => {
                self.stopped = true;
                (
                    None,
                    Vec::new(),
                    String::new(),
                    vec![Check {
                        expectation: "the server answers".into(),
                        passed: false,
                        detail: format!("no response: {e}"),
                    }],
                )
            }
        };
        let json = serde_json::from_str(&response_body).unwrap_or(Value::Null);
        self.steps.push(Step {
            name: name.into(),
            method: method.into(),
            url,
            request_headers,
            request_body: request_body.as_deref().map(secrets::body),
            status,
            response_headers: secrets::headers(&response_headers),
            response_body: secrets::body(&response_body),
            duration_ms,
            checks,
        });
        Seen {
            status,
            json,
            duration_ms,
        }
    }

    /// A plain `GET` with the target's credential.
    async fn get(&mut self, name: &str, path: &str) -> Seen {
        self.send(name, "GET", path, None, SCIM, None).await
    }

    /// Filters users by `userName` and checks how many come back.
    async fn count_user_name(&mut self, name: &str, user_name: &str, expected: u64, why: &str) {
        let path = self.filter_path(&format!("userName eq \"{user_name}\""));
        let seen = self.get(name, &path).await;
        self.status_is(&seen, 200);
        self.check(
            why,
            seen.json["totalResults"] == expected,
            format!("totalResults: {}", seen.json["totalResults"]),
        );
    }

    /// Asks for an id nobody has: a 404 with the RFC 7644 §3.12 error shape.
    async fn unknown_id(&mut self, name: &str, id: &str) {
        let missing = self.get(name, &format!("/Users/{id}")).await;
        self.status_is(&missing, 404);
        self.is_error(&missing, 404);
    }

    /// Adds a check to the step just run. A step that got no response keeps its one check,
    /// which says so: nothing else about it can be known, and a check of missing data would
    /// only repeat the failure (or, comparing two missing values, pass).
    fn check(&mut self, expectation: impl Into<String>, passed: bool, detail: impl Into<String>) {
        if self.stopped {
            return;
        }
        if let Some(step) = self.steps.last_mut() {
            step.checks.push(Check {
                expectation: expectation.into(),
                passed,
                detail: detail.into(),
            });
        }
    }

    fn status_is(&mut self, seen: &Seen, expected: u16) -> bool {
        let passed = seen.status == Some(expected);
        let detail = match seen.status {
            Some(s) => format!("got {s}"),
            None => "no response".into(),
        };
        self.check(format!("status is {expected}"), passed, detail);
        passed
    }

    fn has_schema(&mut self, seen: &Seen, urn: &str) {
        let listed = seen.json["schemas"]
            .as_array()
            .is_some_and(|s| s.iter().any(|u| u == urn));
        self.check(
            format!("\"schemas\" lists {urn}"),
            listed,
            format!("schemas: {}", seen.json["schemas"]),
        );
    }

    /// The RFC 7644 §3.12 error shape: the Error schema, `status` as a string, a detail.
    fn is_error(&mut self, seen: &Seen, status: u16) {
        self.has_schema(seen, ERROR);
        let as_string = seen.json["status"] == Value::String(status.to_string());
        self.check(
            format!("\"status\" is the string \"{status}\""),
            as_string,
            format!("status: {}", seen.json["status"]),
        );
        let detail = seen.json["detail"].as_str().is_some_and(|d| !d.is_empty());
        self.check(
            "the error has a \"detail\"",
            detail,
            format!("detail: {}", seen.json["detail"]),
        );
    }

    fn integer(&mut self, seen: &Seen, field: &str) {
        let ok = seen.json[field].is_u64();
        self.check(
            format!("\"{field}\" is an integer"),
            ok,
            format!("{field}: {}", seen.json[field]),
        );
    }

    fn filter_path(&self, filter: &str) -> String {
        format!("/Users?filter={}", encode_query_value(filter))
    }

    /// A user like the ones Okta creates; `suite` keeps each suite's user apart.
    fn realistic_user(&self, suite: &str) -> Value {
        let user_name = format!("{suite}.test.{}@example.com", self.tag);
        json!({
            "schemas": [USER],
            "userName": user_name,
            "name": {"givenName": "Spec", "familyName": format!("Tester {}", self.tag)},
            "emails": [{"primary": true, "value": user_name, "type": "work"}],
            "displayName": "Spec Tester",
            "locale": "en-US",
            "externalId": format!("00u{suite}{}", self.tag),
            "groups": [],
            "password": format!("Spec-{}-pw!", self.tag),
            "active": true
        })
    }
}

/// Runs `suite` against `target`. `tag` makes the names it creates unique (e.g. the time).
pub async fn run(
    suite: Suite,
    transport: &dyn Transport,
    clock: &dyn Clock,
    target: &Target,
    tag: &str,
) -> Report {
    let mut runner = Runner {
        transport,
        clock,
        target,
        tag: tag.chars().filter(char::is_ascii_alphanumeric).collect(),
        steps: Vec::new(),
        stopped: false,
    };
    match suite {
        Suite::Spec => spec(&mut runner).await,
        Suite::Crud => crud(&mut runner).await,
        Suite::Discovery => discovery(&mut runner).await,
    }
    Report {
        suite,
        steps: runner.steps,
    }
}

/// What usually keeps a browser page at `page_origin` from getting any response from the SCIM
/// server at `base_url`, most likely first: one sentence each, for the run that stopped.
pub fn unreachable_causes(base_url: &str, page_origin: &str) -> Vec<String> {
    let scheme = |url: &str| url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    let origin_of = |url: &str| {
        url.split_once("://")
            .map(|(scheme, rest)| {
                let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
                format!(
                    "{}://{}",
                    scheme.to_ascii_lowercase(),
                    host.to_ascii_lowercase()
                )
            })
            .unwrap_or_default()
    };
    let host = origin_of(base_url)
        .split_once("://")
        .map(|(_, host)| host.to_string())
        .unwrap_or_default();
    let local = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|name| host == *name || host.starts_with(&format!("{name}:")));
    let mut causes = Vec::new();
    if scheme(base_url).is_none() {
        causes.push(format!(
            "{base_url:?} is not a full URL: it needs http:// or https:// and the server's host."
        ));
        return causes;
    }
    if scheme(page_origin).as_deref() == Some("https")
        && scheme(base_url).as_deref() == Some("http")
        && !local
    {
        causes.push(
            "Mixed content: this page is served over https, and browsers block its requests to \
             an http:// address. Use the server's https:// URL."
                .into(),
        );
    }
    causes.push(format!(
        "The server is not running, or not at this address: check that {base_url}/ServiceProviderConfig \
         answers (e.g. with curl)."
    ));
    if origin_of(base_url) != origin_of(page_origin) {
        causes.push(format!(
            "The server does not allow this page's origin (CORS): a browser sends a request from \
             {page_origin} to another origin only when the server answers its preflight (OPTIONS) \
             with Access-Control-Allow-Origin for {page_origin}, and most SCIM servers do not. \
             The local relay does it for them, without changing the server: run {} in the \
             repository and tick \"Send through the local relay\".",
            crate::relay::command(base_url, &crate::relay::default_address(), page_origin)
        ));
    }
    match scheme(base_url).as_deref() {
        Some("https") if local => causes.push(
            "A server on this machine often speaks plain http: try http:// instead of https://."
                .into(),
        ),
        Some("https") => causes.push(
            "The server's TLS certificate is not trusted by this browser (open the URL in a tab to see)."
                .into(),
        ),
        _ => causes.push(
            "The server accepts only https: try https:// instead of http://.".into(),
        ),
    }
    causes
}

const JSON: &str = "application/json";
const SCIM: &str = "application/scim+json";

async fn spec(r: &mut Runner<'_>) {
    // 1. The first user, with the ListResponse shape.
    let list = r
        .get("List users (count=1)", "/Users?count=1&startIndex=1")
        .await;
    r.status_is(&list, 200);
    r.has_schema(&list, LIST_RESPONSE);
    for field in ["totalResults", "itemsPerPage", "startIndex"] {
        r.integer(&list, field);
    }
    let first = list.json["Resources"][0].clone();
    r.check(
        "the server already holds a user (Okta's test needs one)",
        first.is_object(),
        format!("Resources: {}", list.json["Resources"]),
    );
    for field in ["id", "name", "userName", "active", "emails"] {
        r.check(
            format!("the user has \"{field}\""),
            !first[field].is_null(),
            format!("{field}: {}", first[field]),
        );
    }
    let first_id = first["id"].as_str().unwrap_or("missing").to_string();

    // 2. That user by id.
    let got = r.get("Get that user", &format!("/Users/{first_id}")).await;
    r.status_is(&got, 200);
    r.check(
        "it is the same user",
        first["id"].is_string()
            && got.json["id"] == first["id"]
            && got.json["userName"] == first["userName"],
        format!("id {}, userName {}", got.json["id"], got.json["userName"]),
    );

    // 3. A userName nobody has.
    let nobody = format!("nobody.{}@example.com", r.tag);
    r.count_user_name(
        "Filter a non-existent userName",
        &nobody,
        0,
        "totalResults is 0",
    )
    .await;

    // 4. An unknown id.
    let unknown = format!("missing-{}", r.tag);
    r.unknown_id("Get an unknown id", &unknown).await;

    // 5. Create a realistic user, sent as plain application/json like Okta's test.
    let user = r.realistic_user("spec");
    let created = r
        .send(
            "Create a user",
            "POST",
            "/Users",
            Some(user.clone()),
            JSON,
            None,
        )
        .await;
    r.status_is(&created, 201);
    for (field, pointer) in [
        ("userName", "/userName"),
        ("name.givenName", "/name/givenName"),
        ("name.familyName", "/name/familyName"),
        ("active", "/active"),
    ] {
        r.check(
            format!("the response echoes {field}"),
            created.json.pointer(pointer) == user.pointer(pointer),
            format!(
                "{field}: {}",
                created.json.pointer(pointer).unwrap_or(&Value::Null)
            ),
        );
    }
    r.check(
        "the response has an id",
        created.json["id"].as_str().is_some_and(|s| !s.is_empty()),
        format!("id: {}", created.json["id"]),
    );
    let new_id = created.json["id"].as_str().unwrap_or("missing").to_string();

    // 6. Read it back.
    let back = r.get("Get the new user", &format!("/Users/{new_id}")).await;
    r.status_is(&back, 200);
    r.check(
        "it has the userName sent",
        back.json["userName"] == user["userName"],
        format!("userName: {}", back.json["userName"]),
    );

    // 7. The same user again.
    let again = r
        .send(
            "Create the same user again",
            "POST",
            "/Users",
            Some(user.clone()),
            JSON,
            None,
        )
        .await;
    r.status_is(&again, 409);

    // 8. userName is caseExact=false: the upper-cased name finds the user.
    let upper = user["userName"].as_str().unwrap_or_default().to_uppercase();
    r.count_user_name(
        "Filter the upper-cased userName",
        &upper,
        1,
        "the user is found (userName is not case-exact)",
    )
    .await;

    // 9. Groups, quickly.
    let groups = r.get("List groups", "/Groups").await;
    r.status_is(&groups, 200);
    let quick = groups.duration_ms <= 600;
    r.check(
        "it answers within 600 ms",
        quick,
        format!("took {} ms", groups.duration_ms),
    );

    // 10. A wrong credential.
    let refused = r
        .send(
            "List users with a wrong Authorization",
            "GET",
            "/Users?count=1&startIndex=1",
            None,
            SCIM,
            Some("Bearer spec-test-wrong-credential"),
        )
        .await;
    r.status_is(&refused, 401);
    r.is_error(&refused, 401);

    // 11. Another unknown id.
    let unknown = format!("unknown-{}-2", r.tag);
    r.unknown_id("Get another unknown id", &unknown).await;

    // 12. Paging holds to the count asked for.
    let page = r
        .get("List users (count=2)", "/Users?startIndex=1&count=2")
        .await;
    r.status_is(&page, 200);
    let shown = page.json["Resources"].as_array().map_or(0, Vec::len);
    r.check(
        "at most 2 users come back, and itemsPerPage says how many",
        shown <= 2 && page.json["itemsPerPage"] == shown,
        format!("{shown} users, itemsPerPage {}", page.json["itemsPerPage"]),
    );
}

async fn crud(r: &mut Runner<'_>) {
    let user = r.realistic_user("crud");
    let created = r
        .send(
            "Create (assign)",
            "POST",
            "/Users",
            Some(user.clone()),
            SCIM,
            None,
        )
        .await;
    r.status_is(&created, 201);
    let id = created.json["id"].as_str().unwrap_or("missing").to_string();

    let path = r.filter_path(&format!(
        "userName eq \"{}\"",
        user["userName"].as_str().unwrap_or_default()
    ));
    let found = r.get("Find by userName", &path).await;
    r.status_is(&found, 200);
    r.check(
        "exactly the created user is found",
        found.json["totalResults"] == 1 && found.json["Resources"][0]["id"] == id.as_str(),
        format!(
            "totalResults {}, id {}",
            found.json["totalResults"], found.json["Resources"][0]["id"]
        ),
    );

    let mut renamed = found.json["Resources"][0].clone();
    renamed["name"]["givenName"] = json!("Renamed");
    if let Some(object) = renamed.as_object_mut() {
        object.remove("meta");
    }
    let put = r
        .send(
            "Rename (PUT)",
            "PUT",
            &format!("/Users/{id}"),
            Some(renamed),
            SCIM,
            None,
        )
        .await;
    r.status_is(&put, 200);
    r.check(
        "givenName is updated",
        put.json["name"]["givenName"] == "Renamed",
        format!("givenName: {}", put.json["name"]["givenName"]),
    );

    for (name, active) in [
        ("Deactivate (PATCH active:false)", false),
        ("Reactivate (PATCH active:true)", true),
        ("Unassign (PATCH active:false)", false),
    ] {
        let body = json!({
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "value": {"active": active}}]
        });
        let patched = r
            .send(
                name,
                "PATCH",
                &format!("/Users/{id}"),
                Some(body),
                SCIM,
                None,
            )
            .await;
        let ok = patched.status == Some(200) || patched.status == Some(204);
        r.check(
            "status is 200 (or 204)",
            ok,
            format!(
                "got {}",
                patched
                    .status
                    .map_or("no response".into(), |s| s.to_string())
            ),
        );
        let read = r.get("Read it back", &format!("/Users/{id}")).await;
        r.status_is(&read, 200);
        r.check(
            format!("active is {active}"),
            read.json["active"] == active,
            format!("active: {}", read.json["active"]),
        );
    }
}

async fn discovery(r: &mut Runner<'_>) {
    let config = r
        .get("ServiceProviderConfig", "/ServiceProviderConfig")
        .await;
    r.status_is(&config, 200);
    r.has_schema(
        &config,
        "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
    );
    for feature in ["patch", "bulk", "filter", "changePassword", "sort", "etag"] {
        r.check(
            format!("it says whether \"{feature}\" is supported"),
            config.json[feature]["supported"].is_boolean(),
            format!("{feature}: {}", config.json[feature]),
        );
    }
    r.check(
        "it lists authentication schemes",
        config.json["authenticationSchemes"].is_array(),
        format!(
            "authenticationSchemes: {}",
            config.json["authenticationSchemes"]
        ),
    );

    let schemas = r.get("Schemas", "/Schemas").await;
    r.status_is(&schemas, 200);
    let listed: Vec<&str> = schemas.json["Resources"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["id"].as_str()).collect())
        .unwrap_or_default();
    for urn in [USER, "urn:ietf:params:scim:schemas:core:2.0:Group"] {
        r.check(
            format!("{urn} is described"),
            listed.contains(&urn),
            format!("schemas: {listed:?}"),
        );
    }
    let user_schema = schemas.json["Resources"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["id"] == USER))
        .cloned()
        .unwrap_or(Value::Null);
    let user_name = user_schema["attributes"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["name"] == "userName"))
        .cloned()
        .unwrap_or(Value::Null);
    r.check(
        "userName is required, unique and not case-exact (what Okta relies on)",
        user_name["required"] == true
            && user_name["uniqueness"] == "server"
            && user_name["caseExact"] == false,
        format!(
            "required {}, uniqueness {}, caseExact {}",
            user_name["required"], user_name["uniqueness"], user_name["caseExact"]
        ),
    );

    let types = r.get("ResourceTypes", "/ResourceTypes").await;
    r.status_is(&types, 200);
    let endpoints: Vec<&str> = types.json["Resources"]
        .as_array()
        .map(|a| a.iter().filter_map(|t| t["endpoint"].as_str()).collect())
        .unwrap_or_default();
    for endpoint in ["/Users", "/Groups"] {
        r.check(
            format!("a resource type at {endpoint}"),
            endpoints.contains(&endpoint),
            format!("endpoints: {endpoints:?}"),
        );
    }
}
