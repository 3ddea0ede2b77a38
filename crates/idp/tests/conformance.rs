//! The test runner's suites against the SCIM engine in process: everything passes against the
//! built-in server, and a wrong credential or a server that breaks the RFC fails with reasons.

mod support;

use idp::clock::SimClock;
use idp::conformance::{run, Report, Suite, Target};
use idp::transport::{block_on, HttpRequest, HttpResponse, SendFuture, Transport};
use serde_json::json;
use support::{InProcess, BASE_URL};

fn target(authorization: Option<&str>) -> Target {
    Target {
        base_url: BASE_URL.into(),
        authorization: authorization.map(str::to_string),
    }
}

/// A server that requires `Bearer good` and already holds one user, as Okta's test expects.
fn server() -> InProcess {
    let settings = scim::Settings {
        auth: scim::Auth::Bearer {
            token: "good".into(),
        },
        ..scim::Settings::default()
    };
    let transport = InProcess::with_settings(settings);
    // Set up through the engine directly, with the credential.
    let mut req = scim::Request::new("POST", "/Users");
    req.headers = vec![
        ("Authorization".into(), "Bearer good".into()),
        ("Content-Type".into(), "application/scim+json".into()),
    ];
    req.body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "existing@example.com",
        "name": {"givenName": "Existing", "familyName": "User"},
        "emails": [{"value": "existing@example.com", "primary": true}],
        "active": true
    })
    .to_string()
    .into_bytes();
    let mut ids = || "u-existing".to_string();
    let mut env = scim::Env::from_unix_ms(1_700_000_000_000, &mut ids);
    assert_eq!(
        transport
            .server
            .borrow_mut()
            .handle(&req, &mut env)
            .response
            .status,
        201
    );
    transport
}

/// Runs `suite` against `transport` with `authorization`, on a clock at 0; `tag` keeps the
/// users each run creates apart.
fn run_suite(
    suite: Suite,
    transport: &dyn Transport,
    authorization: Option<&str>,
    tag: &str,
) -> Report {
    block_on(run(
        suite,
        transport,
        &SimClock::new(0),
        &target(authorization),
        tag,
    ))
}

fn failures(report: &Report) -> Vec<String> {
    report
        .steps
        .iter()
        .flat_map(|s| {
            s.checks
                .iter()
                .filter(|c| !c.passed)
                .map(move |c| format!("{}: {} ({})", s.name, c.expectation, c.detail))
        })
        .collect()
}

#[test]
fn every_suite_passes_against_the_built_in_engine() {
    let transport = server();
    let clock = SimClock::new(1_700_000_000_000);
    for suite in Suite::ALL {
        let report = block_on(run(
            suite,
            &transport,
            &clock,
            &target(Some("Bearer good")),
            "t1",
        ));
        assert_eq!(failures(&report), Vec::<String>::new(), "{}", suite.title());
        assert!(!report.steps.is_empty());
    }
    let spec = block_on(run(
        Suite::Spec,
        &transport,
        &clock,
        &target(Some("Bearer good")),
        "t2",
    ));
    assert_eq!(spec.score(), (12, 12), "Okta's test has twelve steps");
    let create = &spec.steps[4];
    assert_eq!(create.method, "POST");
    assert!(create
        .request_body
        .as_deref()
        .is_some_and(|b| b.contains("spec.test.t2@example.com")));
}

#[test]
fn a_wrong_credential_fails_with_the_status_it_got() {
    let transport = server();
    let report = run_suite(Suite::Spec, &transport, Some("Bearer bad"), "t");
    let failed = failures(&report);
    assert!(
        failed
            .iter()
            .any(|f| f.starts_with("List users (count=1): status is 200 (got 401)")),
        "{failed:#?}"
    );
    // The step that sends a wrong credential on purpose still passes.
    let refused = report
        .steps
        .iter()
        .find(|s| s.name == "List users with a wrong Authorization")
        .expect("the step runs");
    assert!(refused.passed());
}

/// A server that writes error statuses as numbers and forgets paging fields, as some do.
struct Sloppy(InProcess);

impl Transport for Sloppy {
    fn send(&self, req: HttpRequest) -> SendFuture<'_> {
        Box::pin(async move {
            let mut res: HttpResponse = self.0.send(req).await?;
            if let Ok(mut body) = serde_json::from_str::<serde_json::Value>(&res.body) {
                if let Some(status) = body
                    .get("status")
                    .and_then(|s| s.as_str())
                    .and_then(|s| s.parse::<u64>().ok())
                {
                    body["status"] = json!(status);
                }
                if let Some(object) = body.as_object_mut() {
                    object.remove("itemsPerPage");
                }
                res.body = body.to_string();
            }
            Ok(res)
        })
    }
}

#[test]
fn a_server_that_breaks_the_rfc_fails_with_explanations() {
    let transport = Sloppy(server());
    let report = run_suite(Suite::Spec, &transport, Some("Bearer good"), "t");
    let failed = failures(&report);
    assert!(
        failed.contains(
            &"List users (count=1): \"itemsPerPage\" is an integer (itemsPerPage: null)"
                .to_string()
        ),
        "{failed:#?}"
    );
    assert!(
        failed.contains(
            &"Get an unknown id: \"status\" is the string \"404\" (status: 404)".to_string()
        ),
        "{failed:#?}"
    );
    assert!(report.score().0 < 12);
}

#[test]
fn no_server_at_all_is_a_failure_that_says_so() {
    let report = run_suite(Suite::Discovery, &Down, None, "t");
    assert_eq!(report.steps[0].status, None);
    assert_eq!(
        report.steps[0].checks[0].detail,
        "no response: network error: Failed to fetch"
    );
}

#[test]
fn each_step_shows_its_headers_with_the_credential_masked() {
    let transport = server();
    let report = run_suite(Suite::Spec, &transport, Some("Bearer good"), "h");
    let create = report
        .steps
        .iter()
        .find(|s| s.name == "Create a user")
        .expect("the step runs");
    let sent = |name: &str| {
        create
            .request_headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    // The scheme is shown, the secret never is.
    assert_eq!(sent("Authorization"), Some("Bearer ••••••••"));
    assert!(!create
        .request_headers
        .iter()
        .any(|(_, v)| v.contains("good")));
    // Okta's test sends its create as plain JSON.
    assert_eq!(sent("Content-Type"), Some("application/json"));
    let received = |name: &str| {
        create
            .response_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(received("Content-Type"), Some("application/scim+json"));
    assert!(
        received("Location").is_some_and(|l| l.contains("/Users/")),
        "{:?}",
        create.response_headers
    );
    assert!(
        sent("Authorization").is_none_or(|v| v.ends_with("••••••••")),
        "the credential is masked: {:?}",
        create.request_headers
    );
}

/// A server that never answers.
struct Down;

impl Transport for Down {
    fn send(&self, _req: HttpRequest) -> SendFuture<'_> {
        Box::pin(std::future::ready(Err(
            idp::transport::TransportError::Network("Failed to fetch".into()),
        )))
    }
}

#[test]
fn a_run_stops_at_the_first_request_without_a_response_with_one_reason() {
    for suite in Suite::ALL {
        let report = run_suite(suite, &Down, Some("Bearer x"), "t");
        assert_eq!(
            report.steps.len(),
            1,
            "{}: only the first step ran",
            suite.title()
        );
        let step = report.stopped_at().expect("the run says where it stopped");
        assert_eq!(
            step.checks.len(),
            1,
            "one check says why: {:?}",
            step.checks
        );
        assert_eq!(step.checks[0].expectation, "the server answers");
        assert!(!step.checks[0].passed);
    }
}

#[test]
fn no_check_passes_on_data_that_is_missing() {
    // A server that holds no user: the SPEC test's "same user" check has nothing to compare.
    let transport = InProcess::with_settings(scim::Settings {
        auth: scim::Auth::Bearer {
            token: "good".into(),
        },
        ..scim::Settings::default()
    });
    let report = run_suite(Suite::Spec, &transport, Some("Bearer good"), "t");
    let same = report
        .steps
        .iter()
        .find(|s| s.name == "Get that user")
        .expect("the step runs");
    let check = same
        .checks
        .iter()
        .find(|c| c.expectation == "it is the same user")
        .expect("the check is made");
    assert!(
        !check.passed,
        "two missing ids are not the same user: {check:?}"
    );
}

#[test]
fn an_unreachable_server_gets_its_likely_causes() {
    use idp::conformance::unreachable_causes;
    let table: [(&str, &str, &[&str], &[&str]); 5] = [
        // An external https server from an http page: down, CORS, certificate.
        (
            "https://scim.example.com/scim/v2",
            "http://127.0.0.1:8080",
            &["not running", "CORS", "certificate"],
            &["Mixed content"],
        ),
        // An http server from an https page: mixed content first.
        (
            "http://scim.example.com/scim/v2",
            "https://playground.example",
            &["Mixed content", "CORS", "only https"],
            &[],
        ),
        // A local server over https: probably plain http.
        (
            "https://localhost:8000/scim/v2",
            "http://127.0.0.1:8080",
            &["plain http", "CORS"],
            &["Mixed content"],
        ),
        // A local http server from an https page is allowed (localhost is trustworthy).
        (
            "http://127.0.0.1:8000/scim/v2",
            "https://playground.example",
            &["CORS"],
            &["Mixed content"],
        ),
        // Not a URL at all.
        (
            "scim.example.com/scim/v2",
            "http://127.0.0.1:8080",
            &["not a full URL"],
            &["CORS"],
        ),
    ];
    for (base, origin, present, absent) in table {
        let causes = unreachable_causes(base, origin).join(" | ");
        for needle in present {
            assert!(
                causes.contains(needle),
                "{base} from {origin}: {needle:?} missing in {causes}"
            );
        }
        for needle in absent {
            assert!(
                !causes.contains(needle),
                "{base} from {origin}: {needle:?} present in {causes}"
            );
        }
    }
    let first = &unreachable_causes(
        "http://scim.example.com/scim/v2",
        "https://playground.example",
    )[0];
    assert!(first.starts_with("Mixed content"), "{first}");
    // The same origin needs no CORS.
    let same =
        unreachable_causes("http://127.0.0.1:8080/scim/v2", "http://127.0.0.1:8080").join(" ");
    assert!(!same.contains("CORS"), "{same}");
}
