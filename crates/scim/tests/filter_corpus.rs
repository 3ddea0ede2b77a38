//! Data-driven tests of the filter language and PATCH path grammar.
//!
//! Each file under `tests/corpus/{filter,path}/` holds one case per line, `input => expected`,
//! checked by [`run`]. Blank lines and lines starting with `#` are comments. An input written
//! `json:"…"` is a JSON string, for inputs with leading spaces, control characters or ` => `.
//! Run with `BLESS=1` to rewrite the expectations from the current behaviour (then review the
//! diff: the files are the specification).
//!
//! Every filter that parses is also checked to round-trip through its canonical `Display`, and
//! every evaluation is checked against `explain`.

use std::fmt::Write as _;
use std::path::PathBuf;

use proptest::prelude::*;
use scim::filter::{
    self, AttrPath, CompValue, CompareOp, ErrorKind, Filter, FilterError, PatchPath, MAX_DEPTH,
    MAX_INPUT_LEN,
};
use serde_json::{json, Value};

#[path = "corpus/filter/lookup.rs"]
mod lookup;

use lookup::TestLookup;

// ---------------------------------------------------------------------------------------------
// The harness.

fn corpus_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(file)
}

/// Decodes a case's input: `json:"…"` is a JSON string, anything else is taken literally.
fn decode_input(raw: &str) -> String {
    match raw.strip_prefix("json:") {
        Some(literal) => serde_json::from_str(literal)
            .unwrap_or_else(|e| panic!("bad json: input {literal}: {e}")),
        None => raw.to_owned(),
    }
}

/// Checks every case of `file` with `check`, reporting all mismatches at once. With `BLESS=1`
/// it rewrites the file's expectations instead. Returns the number of cases.
fn run(file: &str, check: impl Fn(&str) -> String) -> usize {
    let path = corpus_path(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let bless = std::env::var_os("BLESS").is_some();
    let mut blessed = String::new();
    let mut failures = Vec::new();
    let mut n_cases = 0;
    for (line_idx, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            blessed.push_str(line);
            blessed.push('\n');
            continue;
        }
        n_cases += 1;
        let (raw_input, expected) = line.split_once(" => ").unwrap_or((line, ""));
        let actual = check(&decode_input(raw_input));
        if actual != expected {
            failures.push(format!(
                "{file}:{}: {raw_input}\n    expected: {expected}\n    actual:   {actual}",
                line_idx + 1
            ));
        }
        let _ = writeln!(blessed, "{raw_input} => {actual}");
    }
    if bless {
        std::fs::write(&path, blessed).unwrap_or_else(|e| panic!("{file}: {e}"));
    } else if !failures.is_empty() {
        panic!(
            "{} of {n_cases} cases failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    assert!(n_cases > 0, "{file} has no cases");
    n_cases
}

fn load(file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(corpus_path(file)).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The vocabulary of expectations.

/// A path as the corpus writes it: `{urn}name.sub`, so the URN split is visible.
fn path_text(attr: &AttrPath) -> String {
    let mut out = String::new();
    if let Some(urn) = &attr.urn {
        let _ = write!(out, "{{{urn}}}");
    }
    out.push_str(&attr.name);
    if let Some(sub) = &attr.sub {
        let _ = write!(out, ".{sub}");
    }
    out
}

/// The tree as an S-expression: `(and (eq userName "x") (pr title))`.
fn sexpr(filter: &Filter) -> String {
    let list = |head: &str, operands: &[Filter]| {
        let inner: Vec<_> = operands.iter().map(sexpr).collect();
        format!("({head} {})", inner.join(" "))
    };
    match filter {
        Filter::Compare { attr, op, value } => {
            let value = match value {
                CompValue::Number(n) => format!("{n}#"),
                other => other.to_string(),
            };
            format!("({op} {} {value})", path_text(attr))
        }
        Filter::Present { attr } => format!("(pr {})", path_text(attr)),
        Filter::And { operands } => list("and", operands),
        Filter::Or { operands } => list("or", operands),
        Filter::Not { filter } => format!("(not {})", sexpr(filter)),
        Filter::ValuePath { attr, filter } => {
            format!("({}[] {})", path_text(attr), sexpr(filter))
        }
    }
}

fn patch_path_text(path: &PatchPath) -> String {
    let mut out = path_text(&AttrPath {
        urn: path.urn.clone(),
        name: path.attribute.clone(),
        sub: None,
    });
    if let Some(filter) = &path.filter {
        let _ = write!(out, " [{}]", sexpr(filter));
    }
    if let Some(sub) = &path.sub_attribute {
        let _ = write!(out, " .{sub}");
    }
    out
}

fn error_text(err: &FilterError) -> String {
    let span = match err.span() {
        Some(span) => format!("{}..{}", span.start, span.end),
        None => "-".to_owned(),
    };
    format!("{span} {}: {}", err.scim_type().as_str(), err.message())
}

/// Checks that the canonical text parses back to the same tree and is a fixed point, unless
/// escaping made it longer than the input limit.
fn round_trip(filter: &Filter) -> Result<(), String> {
    let text = filter.to_string();
    match filter::parse(&text) {
        Err(e) if text.len() > MAX_INPUT_LEN && matches!(e.kind(), ErrorKind::TooLong { .. }) => {
            Ok(())
        }
        Ok(again) if &again == filter && again.to_string() == text => Ok(()),
        Ok(again) => Err(format!(
            "round trip changed the tree: {text} -> {}",
            sexpr(&again)
        )),
        Err(e) => Err(format!(
            "canonical text {text:?} does not parse: {}",
            e.message()
        )),
    }
}

fn parse_checked(input: &str) -> Result<Filter, String> {
    let filter = filter::parse(input).map_err(|e| format!("error: {}", error_text(&e)))?;
    round_trip(&filter)?;
    Ok(filter)
}

/// The ids of the resources `input` matches, checking `explain` agrees with `matches`.
fn matching_ids(input: &str, resources: &[Value], lookup: &TestLookup) -> String {
    let filter = match parse_checked(input) {
        Ok(filter) => filter,
        Err(e) => return e,
    };
    let mut ids = Vec::new();
    for resource in resources {
        let matched = filter::matches(&filter, resource, lookup);
        let explained = filter::explain(&filter, resource, lookup);
        if explained.matched != matched {
            return format!("explain disagrees with matches on {}", resource["id"]);
        }
        if matched {
            ids.push(resource["id"].as_str().unwrap_or("?").to_owned());
        }
    }
    if ids.is_empty() {
        "-".to_owned()
    } else {
        ids.join(" ")
    }
}

// ---------------------------------------------------------------------------------------------
// The corpora.

#[test]
fn filter_parse_corpus() {
    run("filter/parse.txt", |input| match parse_checked(input) {
        Ok(filter) => sexpr(&filter),
        Err(e) => e,
    });
}

#[test]
fn filter_error_corpus() {
    run("filter/errors.txt", |input| match filter::parse(input) {
        Ok(filter) => format!("parsed: {}", sexpr(&filter)),
        Err(e) => error_text(&e),
    });
}

#[test]
fn filter_validation_corpus() {
    let users = TestLookup::users();
    run("filter/invalid.txt", |input| match parse_checked(input) {
        Ok(filter) => match filter::validate(&filter, &users) {
            Ok(()) => "ok".to_owned(),
            Err(e) => error_text(&e),
        },
        Err(e) => e,
    });
}

#[test]
fn filter_eval_corpus_users() {
    let users = load("filter/users.json");
    let lookup = TestLookup::users();
    run("filter/eval.txt", |input| {
        matching_ids(input, &users, &lookup)
    });
}

#[test]
fn filter_eval_corpus_groups() {
    let groups = load("filter/groups.json");
    let lookup = TestLookup::groups();
    run("filter/eval_groups.txt", |input| {
        matching_ids(input, &groups, &lookup)
    });
}

#[test]
fn path_parse_corpus() {
    run("path/parse.txt", |input| match filter::parse_path(input) {
        Ok(path) => {
            let text = path.to_string();
            match filter::parse_path(&text) {
                Ok(again) if again == path => patch_path_text(&path),
                _ => format!("round trip failed through {text:?}"),
            }
        }
        Err(e) => format!("error: {}", error_text(&e)),
    });
}

#[test]
fn path_error_corpus() {
    run("path/errors.txt", |input| match filter::parse_path(input) {
        Ok(path) => format!("parsed: {}", patch_path_text(&path)),
        Err(e) => error_text(&e),
    });
}

#[test]
fn path_validation_corpus() {
    let users = TestLookup::users();
    run("path/invalid.txt", |input| {
        match filter::parse_path(input) {
            Ok(path) => match filter::validate_path(&path, &users) {
                Ok(()) => "ok".to_owned(),
                Err(e) => error_text(&e),
            },
            Err(e) => format!("error: {}", error_text(&e)),
        }
    });
}

/// `uN path => indexes`: which elements of user uN's attribute the path's filter selects.
#[test]
fn path_element_corpus() {
    let users = load("filter/users.json");
    let lookup = TestLookup::users();
    run("path/elements.txt", |input| {
        let Some((id, path)) = input.split_once(' ') else {
            return "bad case: expected `id path`".to_owned();
        };
        let Some(user) = users.iter().find(|u| u["id"] == id) else {
            return format!("no user {id}");
        };
        let path = match filter::parse_path(path) {
            Ok(path) => path,
            Err(e) => return format!("error: {}", error_text(&e)),
        };
        let elements = match user.get(&path.attribute) {
            Some(Value::Array(items)) => items.clone(),
            Some(single) => vec![single.clone()],
            None => Vec::new(),
        };
        let selected: Vec<String> = elements
            .iter()
            .enumerate()
            .filter(|(_, element)| filter::element_matches(&path, element, &lookup))
            .map(|(element_idx, _)| element_idx.to_string())
            .collect();
        if selected.is_empty() {
            "-".to_owned()
        } else {
            selected.join(" ")
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Shapes the UI depends on.

#[test]
fn ast_serialises_with_kind_tags() {
    let filter = filter::parse(r#"userName eq "bjensen" and not (emails[type eq "work"]) or meta.lastModified gt "2011-05-13T04:42:34Z""#)
        .unwrap_or_else(|e| panic!("{e}"));
    let shape = serde_json::to_value(scim::explain::filter_tree(&filter)).unwrap_or_default();
    assert_eq!(
        shape,
        json!({
            "kind": "or",
            "operands": [
                {
                    "kind": "and",
                    "operands": [
                        { "kind": "compare", "attr": { "name": "userName" }, "op": "eq", "value": "bjensen" },
                        {
                            "kind": "not",
                            "filter": {
                                "kind": "valuePath",
                                "attr": { "name": "emails" },
                                "filter": { "kind": "compare", "attr": { "name": "type" }, "op": "eq", "value": "work" }
                            }
                        }
                    ]
                },
                {
                    "kind": "compare",
                    "attr": { "name": "meta", "sub": "lastModified" },
                    "op": "gt",
                    "value": "2011-05-13T04:42:34Z"
                }
            ]
        })
    );
}

#[test]
fn explanation_shows_each_node_and_the_values_it_saw() {
    let users = load("filter/users.json");
    let lookup = TestLookup::users();
    let filter = filter::parse(r#"userName eq "BJENSEN" and emails[type eq "work"]"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let explanation = filter::explain(&filter, &users[0], &lookup);
    let shape = serde_json::to_value(&explanation).unwrap_or_default();
    assert_eq!(
        shape,
        json!({
            "filter": "userName eq \"BJENSEN\" and emails[type eq \"work\"]",
            "matched": true,
            "children": [
                {
                    "filter": "userName eq \"BJENSEN\"",
                    "matched": true,
                    "values": ["bjensen"],
                    "notes": ["caseExact is false: case is ignored"]
                },
                {
                    "filter": "emails[type eq \"work\"]",
                    "matched": true,
                    "children": [
                        {
                            "filter": "emails[0]",
                            "matched": true,
                            "values": [{ "value": "bjensen@example.com", "type": "work", "primary": true }],
                            "children": [{
                                "filter": "type eq \"work\"",
                                "matched": true,
                                "values": ["work"],
                                "notes": ["caseExact is false: case is ignored"]
                            }]
                        },
                        {
                            "filter": "emails[1]",
                            "matched": false,
                            "values": [{ "value": "babs@jensen.org", "type": "home" }],
                            "children": [{
                                "filter": "type eq \"work\"",
                                "matched": false,
                                "values": ["home"],
                                "notes": ["caseExact is false: case is ignored"]
                            }]
                        }
                    ]
                }
            ]
        })
    );
}

#[test]
fn error_display_draws_a_caret_under_the_span() {
    let err = filter::parse(r#"userName equals "x""#)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(concat!(
            "expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after \"userName\", found \"equals\"\n",
            "  userName equals \"x\"\n",
            "           ^^^^^^"
        ))
    );
}

// ---------------------------------------------------------------------------------------------
// Limits: regression tests named after what they guard against.

#[test]
fn input_over_the_length_limit_is_rejected_without_a_span() {
    let input = format!("userName eq \"{}\"", "a".repeat(MAX_INPUT_LEN));
    let err = filter::parse(&input).err();
    assert!(matches!(
        err.as_ref().map(FilterError::kind),
        Some(ErrorKind::TooLong { .. })
    ));
    assert_eq!(err.and_then(|e| e.span()), None);
    let err = filter::parse_path(&input).err();
    assert_eq!(
        err.map(|e| e.scim_type()),
        Some(filter::ScimType::InvalidPath)
    );
}

/// Found by the `filter` fuzz target: raw control characters are one byte in the input but six
/// (`\u0004`) in the canonical text, which can push it past the length limit.
#[test]
fn canonical_text_over_the_limit_is_too_long_rather_than_wrong() {
    let input = format!("title eq \"{}\"", "\u{4}".repeat(MAX_INPUT_LEN - 11));
    let parsed = filter::parse(&input).unwrap_or_else(|e| panic!("{e}"));
    let text = parsed.to_string();
    assert!(text.len() > MAX_INPUT_LEN);
    assert!(matches!(
        filter::parse(&text).err().as_ref().map(FilterError::kind),
        Some(ErrorKind::TooLong { .. })
    ));
    assert_eq!(round_trip(&parsed), Ok(()));
}

#[test]
fn deep_parentheses_do_not_overflow_the_stack() {
    for input in [
        format!("{}userName pr", "(".repeat(MAX_INPUT_LEN - 12)),
        format!("{}userName pr", "not (".repeat(800)),
        "emails[".repeat(580),
    ] {
        let kind = filter::parse(&input).err().map(|e| e.kind().clone());
        assert!(
            matches!(
                kind,
                Some(ErrorKind::TooDeep { .. } | ErrorKind::NestedValuePath)
            ),
            "{kind:?}"
        );
    }
}

#[test]
fn nesting_exactly_at_the_limit_parses() {
    let input = format!(
        "{}userName pr{}",
        "(".repeat(MAX_DEPTH),
        ")".repeat(MAX_DEPTH)
    );
    assert!(filter::parse(&input).is_ok());
    let input = format!(
        "{}userName pr{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert_eq!(
        filter::parse(&input).err().and_then(|e| e.span()),
        Some(MAX_DEPTH..MAX_DEPTH + 1)
    );
}

#[test]
fn a_long_and_chain_stays_flat_and_evaluates() {
    let input = vec!["title pr"; 300].join(" and ");
    assert!(input.len() <= MAX_INPUT_LEN);
    let parsed = filter::parse(&input).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(&parsed, Filter::And { operands } if operands.len() == 300));
    let users = load("filter/users.json");
    let lookup = TestLookup::users();
    assert!(filter::matches(&parsed, &users[0], &lookup));
    assert_eq!(parsed.to_string(), input);
}

// ---------------------------------------------------------------------------------------------
// Properties.

/// Strings built from the language's own pieces reach much deeper into the parser than
/// uniformly random text.
fn filterish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("userName".to_owned()),
        Just("emails".to_owned()),
        Just("name.familyName".to_owned()),
        Just("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value".to_owned()),
        Just("meta.lastModified".to_owned()),
        Just("active".to_owned()),
        Just("loginCount".to_owned()),
        Just("type".to_owned()),
        Just("value".to_owned()),
        prop::sample::select(vec![
            "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "and", "or", "not", "EQ",
            "Not", "true", "false", "null", "(", ")", "[", "]", ".", " ", "\"", "\\", "\\u", ":",
        ])
        .prop_map(str::to_owned),
        "\"[^\"\\\\]{0,6}\"",
        "-?[0-9]{1,3}(\\.[0-9]{1,2})?(e[0-9])?",
        "\"20[0-9]{2}-0[1-9]-1[0-9]T0[0-9]:00:00Z\"",
        "\\PC{0,3}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.join(" "))
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9_-]{0,6}",
        // Keywords are legal attribute names; the parser must tell them apart by position.
        prop::sample::select(vec!["not", "and", "or", "pr", "eq", "true", "null", "$ref"])
            .prop_map(str::to_owned),
    ]
}

fn attr_path() -> impl Strategy<Value = AttrPath> {
    (
        prop::option::of("urn:[a-z]{1,4}(:[a-zA-Z0-9.]{1,4}){0,3}"),
        name(),
        prop::option::of(name()),
    )
        .prop_map(|(urn, name, sub)| AttrPath { urn, name, sub })
}

fn comp_value() -> impl Strategy<Value = CompValue> {
    prop_oneof![
        Just(CompValue::Null),
        any::<bool>().prop_map(CompValue::Bool),
        any::<i64>().prop_map(|n| CompValue::Number(n.into())),
        any::<u64>().prop_map(|n| CompValue::Number(n.into())),
        (-1e12f64..1e12).prop_filter_map("finite", |x| {
            serde_json::Number::from_f64(x).map(CompValue::Number)
        }),
        any::<String>().prop_map(CompValue::String),
    ]
}

fn comparison(path: BoxedStrategy<AttrPath>) -> impl Strategy<Value = Filter> {
    let op = prop::sample::select(CompareOp::ALL.to_vec());
    prop_oneof![
        (path.clone(), op, comp_value()).prop_map(|(attr, op, value)| Filter::Compare {
            attr,
            op,
            value
        }),
        path.prop_map(|attr| Filter::Present { attr }),
    ]
}

/// Combines `leaf` filters with `and`, `or` and `not`, normalising chains the way the parser
/// builds them (flat, no operand of the same kind).
fn combine(leaf: BoxedStrategy<Filter>) -> impl Strategy<Value = Filter> {
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|operands| chain(operands, true)),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|operands| chain(operands, false)),
            inner.prop_map(|filter| Filter::Not {
                filter: Box::new(filter)
            }),
        ]
    })
}

fn chain(operands: Vec<Filter>, and: bool) -> Filter {
    let mut flat = Vec::new();
    for operand in operands {
        match operand {
            Filter::And { operands } if and => flat.extend(operands),
            Filter::Or { operands } if !and => flat.extend(operands),
            other => flat.push(other),
        }
    }
    if and {
        Filter::And { operands: flat }
    } else {
        Filter::Or { operands: flat }
    }
}

fn any_filter() -> impl Strategy<Value = Filter> {
    let relative = name().prop_map(|name| AttrPath::simple(&name)).boxed();
    let value_path = (
        (prop::option::of("urn:[a-z]{1,4}"), name()),
        combine(comparison(relative).boxed()),
    )
        .prop_map(|((urn, name), filter)| Filter::ValuePath {
            attr: AttrPath {
                urn,
                name,
                sub: None,
            },
            filter: Box::new(filter),
        });
    let leaf = prop_oneof![3 => comparison(attr_path().boxed()), 1 => value_path].boxed();
    combine(leaf)
}

proptest! {
    // Failures are kept as named corpus cases instead of a persistence file.
    #![proptest_config(ProptestConfig {
        cases: 1500,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_text_never_panics_and_round_trips(input in filterish()) {
        let users = load_users_once();
        let lookup = TestLookup::users();
        if let Ok(parsed) = filter::parse(&input) {
            prop_assert_eq!(round_trip(&parsed), Ok(()));
            let _ = filter::validate(&parsed, &lookup);
            for user in users {
                let matched = filter::matches(&parsed, user, &lookup);
                prop_assert_eq!(filter::explain(&parsed, user, &lookup).matched, matched);
            }
        }
        if let Ok(path) = filter::parse_path(&input) {
            prop_assert_eq!(filter::parse_path(&path.to_string()).ok(), Some(path));
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(input in "\\PC{0,64}") {
        let _ = filter::parse(&input).map_err(|e| e.to_string());
        let _ = filter::parse_path(&input).map_err(|e| e.to_string());
    }

    #[test]
    fn display_then_parse_gives_the_same_tree(tree in any_filter()) {
        let text = tree.to_string();
        let parsed = filter::parse(&text);
        prop_assert_eq!(parsed.as_ref().map_err(|e| e.to_string()), Ok(&tree), "text: {}", text);
    }
}

fn load_users_once() -> &'static [Value] {
    static USERS: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    USERS.get_or_init(|| load("filter/users.json"))
}
