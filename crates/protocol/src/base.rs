//! The base path: where on its origin a build of the app is served (`/` by default,
//! `/scim-playground/` for `trunk build --public-url /scim-playground/`). Every URL the page or
//! the worker makes starts with it, and every name the two store data under on the origin
//! (IndexedDB databases, broadcast channels, local storage keys, caches) carries it, so two
//! copies deployed under `/a/` and `/b/` of one origin never read or wipe each other's data.
//!
//! The page reads the base from its `<meta name="scim-playground-base">` (written by
//! `scripts/build-split.sh`), the worker from where its own script is served; both then go
//! through [`normalise`], so a base written without its slashes means the same.

/// The name of the page's `<meta>` that carries the base it was built for.
pub const META_NAME: &str = "scim-playground-base";

/// The base as a path that starts and ends with `/`: `scim-playground` → `/scim-playground/`,
/// `` → `/`. A full URL (trunk accepts `https://cdn.example/app/`) gives its path; a query or
/// fragment is dropped, since a base is a folder.
pub fn normalise(raw: &str) -> String {
    let raw = raw.trim();
    let path = match raw.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |at| &rest[at..]),
        None => raw,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let inner = path.trim_matches('/');
    if inner.is_empty() {
        "/".to_string()
    } else {
        format!("/{inner}/")
    }
}

/// A root-absolute path of the app (`/scim/v2/Users`, `/traffic?client=x`) under `base`
/// (`/scim-playground/scim/v2/Users`). `base` is a normalised base.
pub fn join(base: &str, path: &str) -> String {
    format!("{base}{}", path.strip_prefix('/').unwrap_or(path))
}

/// `path` without `base`, as the app's own routes see it (`/scim-playground/scim/v2/Users` →
/// `/scim/v2/Users`); `None` when `path` is not under `base`. `base` is a normalised base.
pub fn strip<'a>(base: &str, path: &'a str) -> Option<&'a str> {
    let inner = base.strip_suffix('/').unwrap_or(base);
    let rest = path.strip_prefix(inner)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// The name to store `name` under for the copy at `base`. The copy at the root keeps the bare
/// name (so data stored before bases existed is still found); any other copy appends its base.
pub fn scoped(base: &str, name: &str) -> String {
    if base == "/" {
        name.to_string()
    } else {
        format!("{name}@{base}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_is_a_folder_path_whatever_way_it_was_written() {
        let table = [
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("scim-playground", "/scim-playground/"),
            ("/scim-playground", "/scim-playground/"),
            ("/scim-playground/", "/scim-playground/"),
            (" /tools/scim/ ", "/tools/scim/"),
            ("https://cdn.example/app/", "/app/"),
            ("https://cdn.example", "/"),
            ("/app/?v=1#x", "/app/"),
        ];
        for (raw, want) in table {
            assert_eq!(normalise(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn paths_join_and_strip_under_a_base() {
        assert_eq!(join("/", "/scim/v2/Users"), "/scim/v2/Users");
        assert_eq!(join("/a/", "/scim/v2/Users"), "/a/scim/v2/Users");
        assert_eq!(join("/a/", "traffic?x=1"), "/a/traffic?x=1");
        assert_eq!(join("/a/", "/"), "/a/");
        assert_eq!(strip("/a/", "/a/scim/v2/Users"), Some("/scim/v2/Users"));
        assert_eq!(strip("/a/", "/a"), Some(""));
        assert_eq!(strip("/a/", "/ab/scim/v2"), None);
        assert_eq!(strip("/a/", "/scim/v2"), None);
        assert_eq!(strip("/", "/scim/v2"), Some("/scim/v2"));
    }

    #[test]
    fn each_copy_stores_under_its_own_names_and_the_root_keeps_the_old_ones() {
        assert_eq!(scoped("/", "scim-playground"), "scim-playground");
        assert_eq!(scoped("/a/", "scim-playground"), "scim-playground@/a/");
        assert_ne!(scoped("/a/", "x"), scoped("/b/", "x"));
    }
}
