//! The in-process test transport answers like the real server would over HTTP.

mod support;

use idp::transport::{block_on, HttpRequest, Transport};
use support::{InProcess, BASE_URL};

#[test]
fn an_empty_server_lists_no_users() {
    let transport = InProcess::new();
    let res = block_on(transport.send(HttpRequest {
        method: "GET".into(),
        url: format!(
            "{BASE_URL}/Users?filter=userName%20eq%20%22a%40b.c%22&startIndex=1&count=100"
        ),
        headers: Vec::new(),
        body: None,
        exchange_id: None,
    }))
    .expect("the in-process transport never fails on its own");
    assert_eq!(res.status, 200);
    let json = res.json().expect("a JSON body");
    assert_eq!(json["totalResults"], 0);
    assert_eq!(transport.take_sent().len(), 1);
}
