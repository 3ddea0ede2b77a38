//! The directory's tests: profiles, lifecycle, groups and assignments.

use super::*;

fn jane(dir: &mut Directory) -> String {
    let profile = [
        ("login", "jane@x.com"),
        ("email", "jane@x.com"),
        ("firstName", "Jane"),
        ("lastName", "Doe"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    dir.create_user(profile, BTreeMap::new())
        .expect("jane is valid")
}

#[test]
fn the_lifecycle_follows_oktas_transitions() {
    let mut dir = Directory::new(1);
    let id = jane(&mut dir);
    assert_eq!(
        dir.transition(&id, Lifecycle::Suspend),
        Err(DirectoryError::InvalidTransition {
            from: UserStatus::Staged,
            action: Lifecycle::Suspend
        })
    );
    assert_eq!(
        dir.transition(&id, Lifecycle::Activate),
        Ok(Some(UserStatus::Provisioned))
    );
    dir.set_password(&id, "pw").expect("jane exists");
    assert_eq!(
        dir.transition(&id, Lifecycle::Activate),
        Ok(Some(UserStatus::Active))
    );
    assert_eq!(
        dir.transition(&id, Lifecycle::Suspend),
        Ok(Some(UserStatus::Suspended))
    );
    assert_eq!(
        dir.transition(&id, Lifecycle::Unsuspend),
        Ok(Some(UserStatus::Active))
    );
    assert!(dir.transition(&id, Lifecycle::Delete).is_err());
    assert_eq!(
        dir.transition(&id, Lifecycle::Deactivate),
        Ok(Some(UserStatus::Deprovisioned))
    );
    assert!(dir.transition(&id, Lifecycle::Deactivate).is_err());
    assert_eq!(
        dir.transition(&id, Lifecycle::Reactivate),
        Ok(Some(UserStatus::Provisioned))
    );
    dir.transition(&id, Lifecycle::Deactivate)
        .expect("provisioned users deactivate");
    assert_eq!(dir.transition(&id, Lifecycle::Delete), Ok(None));
    assert!(dir.user(&id).is_none());
    assert!(dir.user_by_login("jane@x.com").is_none());
    assert_eq!(
        dir.transition(&id, Lifecycle::Activate),
        Err(DirectoryError::UnknownUser(id))
    );
}

#[test]
fn the_login_index_survives_renames_and_a_round_trip_through_json() {
    let mut dir = Directory::new(1);
    let id = jane(&mut dir);
    let rename = BTreeMap::from([("login".to_string(), Some("Janet@X.com".to_string()))]);
    dir.update_profile(&id, rename).expect("a free login");
    assert!(dir.user_by_login("jane@x.com").is_none());
    assert_eq!(
        dir.user_by_login("janet@x.com").map(|u| u.id.clone()),
        Some(id)
    );
    let json = serde_json::to_string(&dir).expect("serialisable");
    assert!(!json.contains("byLogin"));
    let back: Directory = serde_json::from_str(&json).expect("readable");
    assert_eq!(back, dir);
}

#[test]
fn required_attributes_and_unique_logins_are_enforced() {
    let mut dir = Directory::new(1);
    let id = jane(&mut dir);
    let again = dir.user(&id).map(|u| u.profile.clone()).unwrap_or_default();
    let mut shouted = again.clone();
    shouted.insert("login".into(), "JANE@X.COM".into());
    assert!(matches!(
        dir.create_user(shouted, BTreeMap::new()),
        Err(DirectoryError::LoginTaken(_))
    ));
    let mut missing = again;
    missing.remove("email");
    assert_eq!(
        dir.create_user(missing, BTreeMap::new()),
        Err(DirectoryError::MissingAttribute("email".into()))
    );
    let clear = BTreeMap::from([("lastName".to_string(), None)]);
    assert!(dir.update_profile(&id, clear).is_err());
    assert_eq!(dir.user(&id).and_then(|u| u.attr("lastName")), Some("Doe"));
}

#[test]
fn assignments_through_groups_and_directly_are_counted_separately() {
    let mut dir = Directory::new(1);
    let id = jane(&mut dir);
    let group = dir.create_group("Engineering", "").expect("a new name");
    assert_eq!(dir.assign_group("app", &group), Ok(Vec::new()));
    assert_eq!(
        dir.add_member(&group, &id),
        Ok(vec![("app".to_string(), AssignmentChange::Assigned)])
    );
    assert_eq!(dir.assign_user("app", &id), Ok(AssignmentChange::Unchanged));
    assert_eq!(
        dir.unassign_user("app", &id),
        Ok(AssignmentChange::Unchanged)
    );
    assert_eq!(
        dir.unassign_user("app", &id),
        Err(DirectoryError::AssignedViaGroup(group.clone()))
    );
    if let Some(app_user) = dir.app_user_mut("app", &id) {
        app_user.external_id = Some("scim-1".into());
    }
    assert_eq!(
        dir.remove_member(&group, &id),
        Ok(vec![("app".to_string(), AssignmentChange::Unassigned)])
    );
    assert_eq!(
        dir.assign_user("app", &id),
        Ok(AssignmentChange::Reassigned)
    );
    assert_eq!(dir.apps_of(&id), vec!["app".to_string()]);
}
