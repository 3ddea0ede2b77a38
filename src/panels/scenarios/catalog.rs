//! The guided scenarios: each a lesson in numbered steps. A step may do something for the
//! learner ("Do it") and usually names the request Okta (or the app) sends next; the runner
//! watches the live traffic and ticks the step off when that request goes by.

use idp::client::ClientProfile;

/// Something a step can do for the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Do {
    /// Switch the client profile Okta talks like.
    SetClient(ClientProfile),
    /// Assign the app to the first active person who has no assignment, and remember them.
    AssignSomeone,
    /// Change the remembered person's first name.
    Rename(&'static str),
    /// Unassign the app from the remembered person.
    Unassign,
    /// Assign the app to the remembered person again.
    Reassign,
    /// Deactivate the remembered person in Okta.
    Deactivate,
    /// Create three users inside the app: one matching an Okta person exactly, one only by
    /// first and last name, one unknown; and allow partial matches.
    SeedImport,
    /// Import Now.
    Import,
    /// Decide every waiting row (link matches, create new users) and confirm them.
    ConfirmAll,
    /// Generate this many active people and assign the app to each.
    GenerateAssigned(usize),
    /// Delete this many users inside the app.
    DeleteInApp(usize),
    /// Let the app source Okta users (deactivation deactivates).
    EnableSourcing,
    /// Resume a paused import.
    Resume,
    /// Create `paging-01` … `paging-12` inside the app.
    SeedPaging,
    /// Read this page (from 1) of the lesson's users by startIndex, four at a time.
    IndexPage(usize),
    /// Read the first cursor page (`true`) or the one the last nextCursor names.
    CursorPage(bool),
    /// Delete `paging-<n>` inside the app.
    DeletePaging(usize),
}

impl Do {
    /// Whether doing it changes the org's settings (which the lesson offers to put back).
    pub fn changes_settings(self) -> bool {
        matches!(self, Do::SetClient(_) | Do::SeedImport | Do::EnableSourcing)
    }
}

/// The request a step waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// The traffic log's client tag starts with this: `okta` for the simulator, `scenario`
    /// for changes made inside the app.
    pub client: &'static str,
    pub method: &'static str,
    /// The path after `/scim/v2` starts with this.
    pub path: &'static str,
    /// The request body contains this, when set.
    pub body: Option<&'static str>,
}

impl Expect {
    const fn okta(method: &'static str, path: &'static str) -> Expect {
        Expect {
            client: "okta",
            method,
            path,
            body: None,
        }
    }

    const fn with_body(self, body: &'static str) -> Expect {
        Expect {
            body: Some(body),
            ..self
        }
    }

    /// Whether `record` is the request this step waits for.
    pub fn matches(&self, record: &crate::panels::traffic::model::Record) -> bool {
        record.client.starts_with(self.client)
            && record.method == self.method
            && record.path().starts_with(self.path)
            && self.body.is_none_or(|b| record.request_body.contains(b))
    }

    /// How the step names the request, e.g. `PATCH /Users/…`.
    pub fn describe(&self) -> String {
        let body = self.body.map(|b| format!(" with {b}")).unwrap_or_default();
        format!("{} {}…{body}", self.method, self.path)
    }
}

pub struct Step {
    pub text: &'static str,
    pub actions: &'static [Do],
    pub expect: Option<Expect>,
}

pub struct Scenario {
    pub slug: &'static str,
    pub title: &'static str,
    pub lesson: &'static str,
    pub steps: &'static [Step],
}

const fn step(text: &'static str, actions: &'static [Do], expect: Option<Expect>) -> Step {
    Step {
        text,
        actions,
        expect,
    }
}

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        slug: "first-push",
        title: "First push of a user",
        lesson: "When a person is assigned the app, Okta first asks whether the account exists (by userName), and creates it only if it does not.",
        steps: &[
            step("Assign the app to a person (Directory › person › Assign app). Okta checks for an existing account: GET /Users?filter=userName eq \"…\".", &[Do::SetClient(ClientProfile::OktaCustom), Do::AssignSomeone], Some(Expect::okta("GET", "/Users?filter=userName"))),
            step("Nothing matched, so Okta creates the account with POST /Users, sending a password and active: true.", &[], Some(Expect::okta("POST", "/Users"))),
            step("Open the System Log: the attempt is logged as application.provision.user.push, linked to this exchange.", &[], None),
        ],
    },
    Scenario {
        slug: "put-vs-patch",
        title: "PUT vs PATCH updates",
        lesson: "Okta sends every profile change as GET then PUT of the whole user, for custom (AIW) and catalog (OIN) apps alike, so a change made inside the app to a mapped attribute is overwritten; PATCH carries lifecycle only. Entra ID sends a PATCH of just the changed attributes.",
        steps: &[
            step("As a custom app, assign the app to a person: POST /Users.", &[Do::SetClient(ClientProfile::OktaCustom), Do::AssignSomeone], Some(Expect::okta("POST", "/Users"))),
            step("Change their first name. Okta reads the account first: GET /Users/{id}.", &[Do::Rename("Ada")], Some(Expect::okta("GET", "/Users/"))),
            step("…then replaces it whole: PUT /Users/{id}.", &[], Some(Expect::okta("PUT", "/Users/"))),
            step("Switch to the catalog (OIN) profile and rename again: still GET, then PUT of the whole user.", &[Do::SetClient(ClientProfile::OktaOin), Do::Rename("Grace")], Some(Expect::okta("PUT", "/Users/").with_body("Grace"))),
            step("Switch to Entra ID and rename again: one PATCH /Users/{id} with just the changed attribute.", &[Do::SetClient(ClientProfile::EntraId), Do::Rename("Hedy")], Some(Expect::okta("PATCH", "/Users/").with_body("Hedy"))),
        ],
    },
    Scenario {
        slug: "deprovisioning",
        title: "Deprovisioning",
        lesson: "Okta never deletes an app account: unassigning or deactivating a person sends a path-less PATCH setting active to false, and reassigning sets it back to true.",
        steps: &[
            step("Assign the app to a person: POST /Users.", &[Do::SetClient(ClientProfile::OktaCustom), Do::AssignSomeone], Some(Expect::okta("POST", "/Users"))),
            step("Unassign it: PATCH /Users/{id} with active: false.", &[Do::Unassign], Some(Expect::okta("PATCH", "/Users/").with_body("false"))),
            step("Assign it again: the same account comes back with active: true.", &[Do::Reassign], Some(Expect::okta("PATCH", "/Users/").with_body("true"))),
            step("Deactivate the person in Okta: their account is deactivated again.", &[Do::Deactivate], Some(Expect::okta("PATCH", "/Users/").with_body("false"))),
        ],
    },
    Scenario {
        slug: "import-matching",
        title: "Import with exact, partial and new matches",
        lesson: "An import reads the app's users 100 at a time and matches each to Okta's people: exactly (username), partially (first and last name), or not at all (a new person).",
        steps: &[
            step("Inside the app, create three users: one with an Okta person's username, one with only their name, one unknown.", &[Do::SeedImport], Some(Expect { client: "scenario", method: "POST", path: "/Users", body: Some("new.person") })),
            step("Import Now: Okta pages through GET /Users?startIndex=1&count=100.", &[Do::Import], Some(Expect::okta("GET", "/Users?startIndex=1&count=100"))),
            step("Review the Import panel: an exact match, a partial match and a new user. Confirm them (Do it links the matches and creates the new person).", &[Do::ConfirmAll], None),
        ],
    },
    Scenario {
        slug: "safeguard",
        title: "A safeguard trip",
        lesson: "If an import would unassign more than 20 % of an app's users (in apps with more than 100 users; exactly 20 % proceeds), Okta pauses it before changing anything and waits for an admin.",
        steps: &[
            step("Generate 110 people and assign them all: 110 POST /Users.", &[Do::GenerateAssigned(110)], Some(Expect::okta("POST", "/Users"))),
            step("Inside the app, delete 30 users.", &[Do::DeleteInApp(30)], Some(Expect { client: "scenario", method: "DELETE", path: "/Users/", body: None })),
            step("Let the app source users and import: the import reads the app…", &[Do::EnableSourcing, Do::Import], Some(Expect::okta("GET", "/Users?startIndex=1"))),
            step("…and stops at the app-level safeguard (see the Import panel's banner). Resume it to apply the 30 removals.", &[Do::Resume], None),
        ],
    },
    Scenario {
        slug: "okta-vs-entra",
        title: "The same change from Okta and from Entra ID",
        lesson: "Clients differ: Entra ID checks existence by externalId and sends a profile change as a PATCH with capitalised operations (\"Replace\") and booleans as strings; Okta checks by userName and sends the whole user back with PUT.",
        steps: &[
            step("As Entra ID, assign the app to a person: the existence check filters on externalId.", &[Do::SetClient(ClientProfile::EntraId), Do::AssignSomeone], Some(Expect::okta("GET", "/Users?filter=externalId"))),
            step("Rename them: Entra ID sends PATCH with \"op\": \"Replace\".", &[Do::Rename("Linus")], Some(Expect::okta("PATCH", "/Users/").with_body("\"Replace\""))),
            step("Switch to Okta (OIN app) and rename again: Okta reads the user and PUTs it back whole, for catalog apps as for custom ones.", &[Do::SetClient(ClientProfile::OktaOin), Do::Rename("Margaret")], Some(Expect::okta("PUT", "/Users/").with_body("Margaret"))),
        ],
    },
    Scenario {
        slug: "paging",
        title: "Paging while rows change: index vs cursor",
        lesson: "RFC 7644 pages by position (startIndex): delete a row you have already read and every later row moves up one, so one row is never shown. RFC 9865 cursors page by place in the order: the next page starts right after the last row you saw, whatever changed before it.",
        steps: &[
            step("Inside the app, create twelve users, paging-01 … paging-12.", &[Do::SeedPaging], Some(Expect { client: "scenario", method: "POST", path: "/Users", body: Some("paging-12") })),
            step("Read page 1 the RFC 7644 way, sorted by userName: GET /Users?startIndex=1&count=4.", &[Do::IndexPage(1)], Some(Expect { client: "scenario", method: "GET", path: "/Users?startIndex=1&count=4", body: None })),
            step("Someone deletes paging-02, a row you have already read.", &[Do::DeletePaging(2)], Some(Expect { client: "scenario", method: "DELETE", path: "/Users/", body: None })),
            step("Read page 2: GET /Users?startIndex=5&count=4. Every row after paging-02 moved up one place, so the row that was fifth is now fourth, on the page you already read.", &[Do::IndexPage(2)], Some(Expect { client: "scenario", method: "GET", path: "/Users?startIndex=5&count=4", body: None })),
            step("Now with a cursor: GET /Users?cursor&count=4. The answer carries nextCursor instead of startIndex.", &[Do::CursorPage(true)], Some(Expect { client: "scenario", method: "GET", path: "/Users?cursor&count=4", body: None })),
            step("Someone deletes paging-03, on the page you just read.", &[Do::DeletePaging(3)], Some(Expect { client: "scenario", method: "DELETE", path: "/Users/", body: None })),
            step("Follow nextCursor: GET /Users?cursor=…. The page starts right after the last row you saw, so nothing is skipped.", &[Do::CursorPage(false)], Some(Expect { client: "scenario", method: "GET", path: "/Users?cursor=", body: None })),
        ],
    },
];

/// The scenario with `slug`.
pub fn find(slug: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.slug == slug)
}
