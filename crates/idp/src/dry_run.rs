//! A transport for dry runs: the simulator's real code decides what it would send, and nothing
//! that could change the app leaves.
//!
//! Every request is recorded. Reads (`GET`) go to the real app when the host gives a transport
//! for them, since what Okta writes next can depend on what it reads (an update `PUT`s back the
//! account `GET` returned) and reading changes nothing; writes never leave, and are answered as
//! a SCIM server that accepts them would answer. Without a transport for reads, reads are
//! answered from the app accounts as Okta last knew them ([`DryRun::accounts`]).

use std::cell::RefCell;

use serde_json::{json, Map, Value};

use crate::transport::{HttpRequest, HttpResponse, SendFuture, Transport};

/// Records what the simulator sends; see the module's description for what it answers.
pub struct DryRun<'a> {
    reads: Option<&'a dyn Transport>,
    accounts: Vec<Map<String, Value>>,
    sent: RefCell<Vec<HttpRequest>>,
}

impl<'a> DryRun<'a> {
    /// A dry run whose reads go to `reads`.
    pub fn reading_from(reads: &'a dyn Transport) -> DryRun<'a> {
        DryRun {
            reads: Some(reads),
            accounts: Vec::new(),
            sent: RefCell::new(Vec::new()),
        }
    }

    /// A dry run that sends nothing at all: a list read answers `accounts` (a filtered one
    /// answers none of them), a read of one account answers it, or 404.
    pub fn accounts(accounts: Vec<Map<String, Value>>) -> DryRun<'static> {
        DryRun {
            reads: None,
            accounts,
            sent: RefCell::new(Vec::new()),
        }
    }

    /// Every request the simulator sent, in order.
    pub fn sent(&self) -> Vec<HttpRequest> {
        self.sent.borrow().clone()
    }

    fn answer(&self, req: &HttpRequest) -> HttpResponse {
        let path = req.url.split('?').next().unwrap_or_default();
        let query = req.url.split_once('?').map(|(_, q)| q);
        let last = path.rsplit('/').next().unwrap_or_default();
        let account = |id: &str| {
            self.accounts
                .iter()
                .find(|a| a.get("id").and_then(Value::as_str) == Some(id))
                .cloned()
        };
        let body: Option<Value> = req
            .body
            .as_deref()
            .and_then(|b| serde_json::from_str(b).ok());
        match req.method.as_str() {
            "GET" if last == "Users" || last == "Groups" => {
                let filtered = query.is_some_and(|q| q.contains("filter="));
                let items: Vec<Value> = if filtered || last == "Groups" {
                    Vec::new()
                } else {
                    self.accounts.iter().cloned().map(Value::Object).collect()
                };
                response(
                    200,
                    json!({
                        "schemas": [wire::urn::LIST_RESPONSE],
                        "totalResults": items.len(),
                        "startIndex": 1,
                        "itemsPerPage": items.len(),
                        "Resources": items,
                    }),
                )
            }
            "GET" => match account(last) {
                Some(found) => response(200, Value::Object(found)),
                None => response(404, json!({"status": "404"})),
            },
            "POST" => {
                let mut created = body.unwrap_or_else(|| json!({}));
                if let Some(obj) = created.as_object_mut() {
                    obj.insert("id".into(), json!("dry-run"));
                }
                response(201, created)
            }
            "PUT" => response(200, body.unwrap_or_else(|| json!({}))),
            "DELETE" => HttpResponse {
                status: 204,
                headers: Vec::new(),
                body: String::new(),
                cross_origin: false,
            },
            _ => response(
                200,
                account(last).map_or_else(|| json!({"id": last}), Value::Object),
            ),
        }
    }
}

fn response(status: u16, body: Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/scim+json".into())],
        body: body.to_string(),
        cross_origin: false,
    }
}

impl Transport for DryRun<'_> {
    fn send(&self, req: HttpRequest) -> SendFuture<'_> {
        Box::pin(async move {
            self.sent.borrow_mut().push(req.clone());
            match self.reads {
                // The exchange id is the dry run's own, not the org's: a real read carries
                // none, so Traffic never links it to a System Log event that did not happen.
                Some(reads) if req.method == "GET" => {
                    reads
                        .send(HttpRequest {
                            exchange_id: None,
                            ..req
                        })
                        .await
                }
                _ => Ok(self.answer(&req)),
            }
        })
    }
}
