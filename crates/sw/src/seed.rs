//! Demo data for the built-in server: realistic, reproducible users and groups.
//!
//! The same `n` always yields the same people, so a demo or a benchmark can be repeated.

use serde_json::{json, Value};

const GIVEN: &[&str] = &[
    "Ada",
    "Grace",
    "Alan",
    "Katherine",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Tim",
    "Radia",
    "Edsger",
    "Hedy",
    "Donald",
    "Annie",
    "John",
    "Sophie",
    "Niklaus",
    "Jean",
    "Guido",
    "Mary",
    "Bjarne",
    "Karen",
    "Vint",
    "Shafi",
    "Leslie",
    "Joan",
    "Claude",
    "Ida",
];
const FAMILY: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Johnson",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Berners-Lee",
    "Perlman",
    "Dijkstra",
    "Lamarr",
    "Knuth",
    "Easley",
    "McCarthy",
    "Wilson",
    "Wirth",
    "Sammet",
    "Rossum",
    "Keller",
    "Stroustrup",
    "Jones",
    "Cerf",
    "Goldwasser",
    "Lamport",
    "Clarke",
    "Shannon",
    "Rhodes",
];
const DEPARTMENTS: &[(&str, &str)] = &[
    ("Engineering", "Software Engineer"),
    ("Sales", "Account Executive"),
    ("Marketing", "Marketing Manager"),
    ("Finance", "Financial Analyst"),
    ("Support", "Support Specialist"),
    ("People", "HR Partner"),
];

/// The `index`-th demo user as a SCIM User body.
pub fn user(index: usize) -> Value {
    let given = GIVEN[index % GIVEN.len()];
    let family = FAMILY[(index / GIVEN.len()) % FAMILY.len()];
    let (department, title) = DEPARTMENTS[index % DEPARTMENTS.len()];
    // Past the 900 distinct name pairs a number keeps userNames unique.
    let round = index / (GIVEN.len() * FAMILY.len());
    let local = if round == 0 {
        format!("{}.{}", given.to_lowercase(), family.to_lowercase())
    } else {
        format!(
            "{}.{}{}",
            given.to_lowercase(),
            family.to_lowercase(),
            round
        )
    };
    let email = format!("{local}@example.com");
    json!({
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ],
        "userName": email,
        "externalId": format!("00u{index:017}"),
        "name": {"givenName": given, "familyName": family, "formatted": format!("{given} {family}")},
        "displayName": format!("{given} {family}"),
        "title": title,
        "emails": [{"value": email, "type": "work", "primary": true}],
        "active": true,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": format!("{}", 10000 + index),
            "department": department
        }
    })
}

/// The `index`-th demo group as a SCIM Group body, without members.
pub fn group(index: usize) -> Value {
    let (department, _) = DEPARTMENTS[index % DEPARTMENTS.len()];
    let round = index / DEPARTMENTS.len();
    let name = if round == 0 {
        department.to_string()
    } else {
        format!("{department} {}", round + 1)
    };
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": name,
        "members": []
    })
}
