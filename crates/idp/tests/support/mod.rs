//! The test transport: the SCIM engine in process, recording every request it is sent and
//! able to answer with scripted failures first.

#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use idp::transport::{HttpRequest, HttpResponse, SendFuture, Transport, TransportError};

/// The base URL every scenario configures.
pub const BASE_URL: &str = "https://scim.test/scim/v2";

/// A transport that hands each request to a [`scim::Server`] held in process.
pub struct InProcess {
    pub server: RefCell<scim::Server>,
    /// Every request received, in order, including those answered by a scripted failure.
    pub sent: RefCell<Vec<HttpRequest>>,
    /// Answers given before the server is consulted: `Err` for a network failure.
    pub scripted: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    /// How requests to [`HOOK_URL`] are answered.
    pub hook: RefCell<HookBehaviour>,
    next_id: Cell<u64>,
}

/// Where the scenarios' HTTP inline hook lives.
pub const HOOK_URL: &str = "https://hook.test/import";

/// What the test hook endpoint does.
pub enum HookBehaviour {
    /// Answers 200 with this JSON.
    Answer(serde_json::Value),
    /// Never answers.
    Hang,
}

impl InProcess {
    pub fn new() -> InProcess {
        InProcess::with_settings(scim::Settings::default())
    }

    pub fn with_settings(settings: scim::Settings) -> InProcess {
        InProcess {
            server: RefCell::new(scim::Server::new(settings)),
            sent: RefCell::new(Vec::new()),
            scripted: RefCell::new(VecDeque::new()),
            hook: RefCell::new(HookBehaviour::Answer(serde_json::json!({"commands": []}))),
            next_id: Cell::new(0),
        }
    }

    /// Queues an answer to give instead of asking the server.
    pub fn script(&self, answer: Result<HttpResponse, TransportError>) {
        self.scripted.borrow_mut().push_back(answer);
    }

    /// The requests sent so far, then forgets them.
    pub fn take_sent(&self) -> Vec<HttpRequest> {
        std::mem::take(&mut *self.sent.borrow_mut())
    }

    /// Sends a request straight to the server, bypassing the record, to set up data.
    pub fn direct(&self, method: &str, path: &str, body: &str) -> (u16, serde_json::Value) {
        let res = self.handle(&HttpRequest {
            method: method.into(),
            url: format!("{BASE_URL}{path}"),
            headers: vec![("Content-Type".into(), "application/scim+json".into())],
            body: (!body.is_empty()).then(|| body.to_string()),
            exchange_id: None,
        });
        let json = serde_json::from_str(&res.body).unwrap_or(serde_json::Value::Null);
        (res.status, json)
    }

    fn handle(&self, req: &HttpRequest) -> HttpResponse {
        let rest = req.url.strip_prefix(BASE_URL).unwrap_or(&req.url);
        let mut scim_req = scim::Request::new(&req.method, rest);
        scim_req.base_url = BASE_URL.into();
        scim_req.headers = req.headers.clone();
        scim_req.body = req.body.clone().unwrap_or_default().into_bytes();
        let counter = &self.next_id;
        let mut next_id = || {
            counter.set(counter.get() + 1);
            format!("scim-{}", counter.get())
        };
        let mut env = scim::Env::from_unix_ms(1_700_000_000_000, &mut next_id);
        let outcome = self.server.borrow_mut().handle(&scim_req, &mut env);
        HttpResponse {
            status: outcome.response.status,
            headers: outcome.response.headers,
            body: String::from_utf8_lossy(&outcome.response.body).into_owned(),
            cross_origin: false,
        }
    }
}

impl Transport for InProcess {
    fn send(&self, req: HttpRequest) -> SendFuture<'_> {
        self.sent.borrow_mut().push(req.clone());
        if req.url == HOOK_URL {
            return match &*self.hook.borrow() {
                HookBehaviour::Answer(json) => {
                    Box::pin(std::future::ready(Ok(json_response(200, json.clone()))))
                }
                HookBehaviour::Hang => Box::pin(std::future::pending()),
            };
        }
        let answer = match self.scripted.borrow_mut().pop_front() {
            Some(answer) => answer,
            None => Ok(self.handle(&req)),
        };
        Box::pin(std::future::ready(answer))
    }
}

/// A response with a JSON body, for scripting failures.
pub fn json_response(status: u16, body: serde_json::Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/scim+json".into())],
        body: body.to_string(),
        cross_origin: false,
    }
}

/// The app id every scenario configures.
pub const APP: &str = "0oaSCIMAPP";

/// An org with the SCIM 2.0 template app talking like `client` to [`BASE_URL`].
pub fn org(client: idp::client::ClientProfile) -> idp::org::Org {
    let mut settings = idp::settings::ProvisioningSettings::new(
        BASE_URL,
        idp::settings::ApiAuth::Header {
            value: "Bearer playground".into(),
        },
    );
    settings.client = client;
    idp::org::Org::new(
        idp::push::App::scim_template(APP, "SCIM Playground", settings),
        9,
    )
}

/// Adds an ACTIVE user with the given login and names and returns the id.
pub fn add_user(org: &mut idp::org::Org, login: &str, first: &str, last: &str) -> String {
    let profile = [
        ("login", login),
        ("email", login),
        ("firstName", first),
        ("lastName", last),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let id = org
        .directory
        .create_user(profile, std::collections::BTreeMap::new())
        .expect("a valid user");
    org.directory
        .set_password(&id, "Okta-pw-1")
        .expect("the user exists");
    org.directory
        .transition(&id, idp::directory::Lifecycle::Activate)
        .expect("staged users activate");
    id
}

/// The JSON body of a request, or null.
pub fn body(req: &HttpRequest) -> serde_json::Value {
    req.body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// `(method, url after the base URL)` of each request.
pub fn lines(sent: &[HttpRequest]) -> Vec<(String, String)> {
    sent.iter()
        .map(|r| {
            (
                r.method.clone(),
                r.url.strip_prefix(BASE_URL).unwrap_or(&r.url).to_string(),
            )
        })
        .collect()
}

/// `(method, URL, body)` of each request as the System Log keeps it (secrets masked), so a dry
/// run's requests and those really sent compare alike.
pub fn logged_lines(
    requests: &[idp::syslog::LoggedRequest],
) -> Vec<(String, String, Option<String>)> {
    requests
        .iter()
        .map(|r| (r.method.clone(), r.url.clone(), r.body.clone()))
        .collect()
}

/// [`logged_lines`] of requests as sent.
pub fn sent_lines(sent: &[HttpRequest]) -> Vec<(String, String, Option<String>)> {
    let logged: Vec<idp::syslog::LoggedRequest> =
        sent.iter().map(idp::syslog::LoggedRequest::from).collect();
    logged_lines(&logged)
}
