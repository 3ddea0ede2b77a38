//! Realistic demo users from a seed, so demos and benchmarks are reproducible: the same seed
//! always gives the same people, departments and managers.

use std::collections::BTreeMap;

use crate::directory::{Directory, DirectoryError};
use crate::rng::Rng;

const FIRST_NAMES: &[&str] = &[
    "Amara", "Ben", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kavya",
    "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe",
];

const LAST_NAMES: &[&str] = &[
    "Adeyemi", "Berg", "Chen", "Dubois", "Eriksen", "Fischer", "García", "Hughes", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Müller", "Nakamura", "O'Brien", "Patel", "Quispe", "Rossi",
    "Silva", "Tanaka", "Umarov", "Varga", "Williams", "Xu", "Yilmaz", "Zhang",
];

/// Departments with the titles people in them hold; the first title is the manager's.
const DEPARTMENTS: &[(&str, &[&str])] = &[
    (
        "Engineering",
        &[
            "Engineering Manager",
            "Software Engineer",
            "Site Reliability Engineer",
        ],
    ),
    (
        "Sales",
        &["Sales Director", "Account Executive", "Sales Engineer"],
    ),
    (
        "Finance",
        &["Finance Director", "Accountant", "Financial Analyst"],
    ),
    ("People", &["Head of People", "HR Partner", "Recruiter"]),
    (
        "Support",
        &[
            "Support Manager",
            "Support Engineer",
            "Customer Success Manager",
        ],
    ),
];

const CITIES: &[(&str, &str, &str, &str)] = &[
    ("San Francisco", "CA", "US", "America/Los_Angeles"),
    ("New York", "NY", "US", "America/New_York"),
    ("London", "", "GB", "Europe/London"),
    ("Berlin", "", "DE", "Europe/Berlin"),
    ("Tokyo", "", "JP", "Asia/Tokyo"),
];

/// Adds `n_users` generated users to `directory` (STAGED, like users created in the admin
/// console) and returns their ids. Logins are `first.last@<domain>`, with a number added when
/// two people share a name. Each department's first user manages the others.
///
/// # Errors
///
/// Only what [`Directory::create_user`] reports; generated profiles are always complete, so
/// in practice none.
pub fn generate_users(
    directory: &mut Directory,
    seed: u64,
    n_users: usize,
    domain: &str,
) -> Result<Vec<String>, DirectoryError> {
    let mut rng = Rng::new(seed);
    let mut managers: BTreeMap<&str, (String, String)> = BTreeMap::new();
    let mut ids = Vec::with_capacity(n_users);
    for user_idx in 0..n_users {
        let first = rng.pick(FIRST_NAMES).copied().unwrap_or("Alex");
        let last = rng.pick(LAST_NAMES).copied().unwrap_or("Smith");
        let &(department, titles) = rng.pick(DEPARTMENTS).unwrap_or(&("Engineering", &[]));
        let &(city, state, country, timezone) =
            rng.pick(CITIES)
                .unwrap_or(&("London", "", "GB", "Europe/London"));
        let local = mailbox(first, last);
        let mut login = format!("{local}@{domain}");
        let mut suffix = 2;
        while directory.user_by_login(&login).is_some() {
            login = format!("{local}{suffix}@{domain}");
            suffix += 1;
        }
        let manager = managers.get(department).cloned();
        let title = match manager {
            None => titles.first(),
            Some(_) => titles.get(1 + rng.below(titles.len().saturating_sub(1))),
        }
        .copied()
        .unwrap_or("Specialist");
        let mut profile: BTreeMap<String, String> = [
            ("login", login.clone()),
            ("email", login.clone()),
            ("firstName", first.to_string()),
            ("lastName", last.to_string()),
            ("displayName", format!("{first} {last}")),
            ("title", title.to_string()),
            ("department", department.to_string()),
            ("organization", "Example Corp".to_string()),
            ("employeeNumber", format!("{:05}", 10_000 + user_idx)),
            ("city", city.to_string()),
            ("countryCode", country.to_string()),
            ("timezone", timezone.to_string()),
            ("locale", "en_US".to_string()),
            ("preferredLanguage", "en".to_string()),
            ("userType", "Employee".to_string()),
            ("primaryPhone", format!("+1 555 01{:02}", rng.below(100))),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        if !state.is_empty() {
            profile.insert("state".into(), state.into());
        }
        if let Some((manager_id, manager_name)) = &manager {
            profile.insert("managerId".into(), manager_id.clone());
            profile.insert("manager".into(), manager_name.clone());
        }
        let id = directory.create_user(profile, BTreeMap::new())?;
        if manager.is_none() {
            managers.insert(department, (id.clone(), format!("{first} {last}")));
        }
        ids.push(id);
    }
    Ok(ids)
}

/// The mailbox part of an address: lower case, ASCII letters only, `first.last`.
fn mailbox(first: &str, last: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'é' => 'e',
                'í' => 'i',
                'ü' => 'u',
                other => other,
            })
            .filter(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    format!("{}.{}", clean(first), clean(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_people_with_unique_logins_and_managers() {
        let mut a = Directory::new(3);
        let mut b = Directory::new(3);
        let ids =
            generate_users(&mut a, 42, 200, "example.com").expect("generated users are valid");
        generate_users(&mut b, 42, 200, "example.com").expect("generated users are valid");
        assert_eq!(a, b);
        assert_eq!(ids.len(), 200);
        let managed = a.users().filter(|u| u.attr("managerId").is_some()).count();
        assert!(managed > 150, "most people have a manager: {managed}");
        assert!(a.users().all(|u| u.login().is_ascii()));
        assert_eq!(mailbox("Chloé", "O'Brien"), "chloe.obrien");
    }
}
