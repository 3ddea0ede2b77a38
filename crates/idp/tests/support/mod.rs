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
    next_id: Cell<u64>,
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
        }
    }
}

impl Transport for InProcess {
    fn send(&self, req: HttpRequest) -> SendFuture<'_> {
        self.sent.borrow_mut().push(req.clone());
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
    }
}
