//! Accounts, password links, log-in throttling and devices. Each test runs against
//! both backends (see `support`).

use crate::support;
use domain::TeamId;
use domain::{DeviceId, UserId};

use std::sync::Arc;

use chrono::Duration;
use domain::Role;
use store::{testing, Device, PasswordToken, Session, StoreError};
use support::fixtures::{now, user, Org};
use support::TestDb;
use uuid::Uuid;

store::testing::both_stores!(
    run = crate::support::run;
    a_user_changes_but_keeps_their_username,
    a_new_password_replaces_the_old,
    all_sessions_of_a_user_end_together,
    a_password_link_works_once_and_only_in_time,
    login_failures_are_counted_per_key_and_swept,
    devices_register_list_and_revoke,
    a_device_ends_its_own_session_and_a_new_password_ends_every_device,
    the_schema_refuses_an_account_whose_team_or_organisation_does_not_fit_its_role,
);

async fn a_user_changes_but_keeps_their_username(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Borgerhout").await;
    let changed = domain::User {
        username: "iemand.anders".to_owned(),
        display_name: "Yasmina El Idrissi – partner".to_owned(),
        role: Role::Partner,
        team_id: None,
        partner_org_id: Some(org.organisation.id),
        ..org.officer.clone()
    };
    assert!(store.update_user(&changed).await.expect("update"));
    let kept = domain::User { username: org.officer.username.clone(), ..changed.clone() };
    assert_eq!(store.user(org.officer.id).await.expect("read"), Some(kept.clone()));
    let found = store.credentials(&org.officer.username).await.expect("lookup").expect("found");
    assert_eq!(found.user, kept);
    assert!(store.credentials("iemand.anders").await.expect("lookup").is_none());
    assert_eq!(store.user(org.other_officer.id).await.expect("read"), Some(org.other_officer.clone()));

    assert!(!store.update_user(&user("niemand", Role::Officer, None, None)).await.expect("unknown"));
    let astray = domain::User { role: Role::Officer, team_id: Some(TeamId::new_v7()), partner_org_id: None, ..changed };
    let refused = store.update_user(&astray).await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");
}

async fn a_new_password_replaces_the_old(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Deurne").await;
    assert!(store.set_password_hash(org.officer.id, "$argon2id$v=19$new").await.expect("set"));
    let found = store.credentials(&org.officer.username).await.expect("lookup").expect("found");
    assert_eq!(found.password_hash, "$argon2id$v=19$new");
    let other = store.credentials(&org.other_officer.username).await.expect("lookup").expect("found");
    assert_eq!(other.password_hash, "$argon2id$v=19$test");
    assert!(!store.set_password_hash(UserId::new_v7(), "$argon2id$v=19$new").await.expect("unknown"));
}

async fn all_sessions_of_a_user_end_together(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Berchem").await;
    let start = now();
    let session = |token: &str, user_id| Session {
        token_hash: token.to_owned(),
        user_id,
        created_at: start,
        expires_at: start + Duration::hours(8),
        device_id: None,
    };
    let phone = session("aa11", org.officer.id);
    let laptop = session("bb22", org.officer.id);
    let colleague = session("cc33", org.other_officer.id);
    for s in [&phone, &laptop, &colleague] {
        store.insert_session(s).await.expect("session");
    }
    assert_eq!(store.delete_sessions_of_user(org.officer.id).await.expect("end"), 2);
    assert_eq!(store.live_session("aa11", start).await.expect("phone"), None);
    assert_eq!(store.live_session("bb22", start).await.expect("laptop"), None);
    assert_eq!(store.live_session("cc33", start).await.expect("colleague"), Some(colleague));
    assert_eq!(store.delete_sessions_of_user(org.officer.id).await.expect("again"), 0);
}

async fn a_password_link_works_once_and_only_in_time(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Hoboken").await;
    let start = now();
    let token = |hash: &str, user_id, hours| PasswordToken {
        token_hash: hash.to_owned(),
        user_id,
        created_at: start,
        expires_at: start + Duration::hours(hours),
    };
    let invitation = token("invite", org.officer.id, 48);
    let reset = token("reset", org.other_officer.id, 1);
    store.insert_password_token(&invitation).await.expect("invitation");
    store.insert_password_token(&reset).await.expect("reset");
    let refused = store.insert_password_token(&invitation).await;
    assert!(matches!(refused, Err(StoreError::Duplicate(_))), "{refused:?}");
    let orphan = store.insert_password_token(&token("orphan", UserId::new_v7(), 1)).await;
    assert!(matches!(orphan, Err(StoreError::NotFound(_))), "{orphan:?}");

    let soon = start + Duration::minutes(5);
    assert_eq!(store.use_password_token("invite", soon).await.expect("use"), Some(org.officer.id));
    assert_eq!(store.use_password_token("invite", soon).await.expect("twice"), None, "only once");
    assert_eq!(store.use_password_token("nonsense", soon).await.expect("unknown"), None);
    // Expired: at the expiry moment itself it no longer works, and a failed
    // attempt does not spend it (it stays expired, not used).
    assert_eq!(store.use_password_token("reset", reset.expires_at).await.expect("expired"), None);
    let in_time = store.use_password_token("reset", reset.expires_at - Duration::microseconds(1)).await;
    assert_eq!(in_time.expect("in time"), Some(org.other_officer.id));
}

async fn login_failures_are_counted_per_key_and_swept(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let base = now() - Duration::minutes(30);
    let at = |minutes| base + Duration::minutes(minutes);
    let user_key = "user:agent.borgerhout";
    let addr_key = "addr:192.0.2.7";
    // Out of order: the listing sorts.
    for minutes in [10, 0, 5] {
        store.record_login_failure(user_key, at(minutes)).await.expect("failure");
    }
    store.record_login_failure(addr_key, at(1)).await.expect("failure");
    store.record_login_failure(addr_key, at(1)).await.expect("the same moment twice");

    let since = |key, minutes| async move { store.login_failures_since(key, at(minutes)).await.expect("list") };
    assert_eq!(since(user_key, 0).await, [at(0), at(5), at(10)], "oldest first");
    assert_eq!(since(user_key, 5).await, [at(5), at(10)], "from `since` on");
    assert!(since(user_key, 11).await.is_empty());
    assert!(since("user:AGENT.borgerhout", 0).await.is_empty(), "keys are compared exactly");
    assert_eq!(since(addr_key, -60).await, [at(1), at(1)]);

    store.clear_login_failures(user_key).await.expect("clear");
    assert!(since(user_key, -60).await.is_empty());
    assert_eq!(since(addr_key, -60).await.len(), 2, "other keys stay");
    store.clear_login_failures(user_key).await.expect("clearing nothing is harmless");

    store.record_login_failure(user_key, at(20)).await.expect("failure");
    assert_eq!(store.delete_login_failures_before(at(20)).await.expect("sweep"), 2);
    assert_eq!(store.delete_login_failures_before(at(20)).await.expect("again"), 0);
    assert_eq!(since(user_key, -60).await, [at(20)]);
}

async fn devices_register_list_and_revoke(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let (here, there) = (Org::create(store, "Merksem").await, Org::create(store, "Ekeren").await);
    let lead = user("teamleider.merksem", Role::TeamLead, Some(here.team.id), None);
    store.insert_user(&lead, "hash").await.expect("lead");
    let base = now() - Duration::days(2);
    let at = |hours| base + Duration::hours(hours);
    let phone = testing::phone(here.officer.id, "c1", at(0));
    let tablet = Device { label: "iPad · Safari".to_owned(), ..testing::phone(here.officer.id, "c2", at(1)) };
    let colleague = testing::phone(here.other_officer.id, "c3", at(2));
    let elsewhere = testing::phone(there.officer.id, "c4", at(3));
    for d in [&phone, &tablet, &colleague, &elsewhere] {
        store.insert_device(d).await.expect("device");
    }
    let twin = store.insert_device(&testing::phone(here.other_officer.id, "c1", at(4))).await;
    assert!(matches!(twin, Err(StoreError::Duplicate(_))), "{twin:?}");
    let orphan = store.insert_device(&testing::phone(UserId::new_v7(), "c9", at(4))).await;
    assert!(matches!(orphan, Err(StoreError::NotFound(_))), "{orphan:?}");

    assert_eq!(store.device(phone.id).await.expect("one"), Some(phone.clone()));
    assert_eq!(store.device(DeviceId::new_v7()).await.expect("unknown"), None);
    assert_eq!(store.devices_of_user(here.officer.id).await.expect("mine"), [tablet.clone(), phone.clone()]);
    assert!(store.devices_of_user(lead.id).await.expect("none").is_empty());
    let team = store.devices_of_team(here.team.id).await.expect("team");
    assert_eq!(team, [colleague.clone(), tablet.clone(), phone.clone()]);
    assert_eq!(store.devices_of_team(there.team.id).await.expect("theirs"), [elsewhere]);
    assert!(store.devices_of_team(TeamId::new_v7()).await.expect("unknown").is_empty());

    assert!(store.revoke_device(tablet.id, lead.id, at(5)).await.expect("revoke"));
    assert!(!store.revoke_device(tablet.id, here.officer.id, at(6)).await.expect("again"));
    assert!(!store.revoke_device(DeviceId::new_v7(), lead.id, at(6)).await.expect("unknown"));
    let revoked = Device { revoked_at: Some(at(5)), revoked_by: Some(lead.id), ..tablet };
    assert_eq!(store.device(revoked.id).await.expect("read"), Some(revoked), "the first revocation stays");

    store.touch_device(phone.id, at(7)).await.expect("touch");
    assert_eq!(store.device(phone.id).await.expect("read").and_then(|d| d.last_seen_at), Some(at(7)));
    store.touch_device(phone.id, at(6)).await.expect("a late, older touch");
    assert_eq!(store.device(phone.id).await.expect("read").and_then(|d| d.last_seen_at), Some(at(7)));
    store.touch_device(DeviceId::new_v7(), at(7)).await.expect("touching nothing is harmless");
    assert_eq!(store.device(colleague.id).await.expect("read"), Some(colleague), "others untouched");
}

async fn a_device_ends_its_own_session_and_a_new_password_ends_every_device(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Wilrijk").await;
    let start = now() - Duration::hours(1);
    let session = |token: &str| Session {
        token_hash: token.to_owned(),
        user_id: org.officer.id,
        created_at: start,
        expires_at: start + Duration::hours(8),
        device_id: None,
    };
    let (on_phone, at_desk) = (session("aa11"), session("bb22"));
    store.insert_session(&on_phone).await.expect("phone session");
    store.insert_session(&at_desk).await.expect("desk session");
    let phone = testing::phone(org.officer.id, "p1", start);
    let spare = testing::phone(org.officer.id, "p2", start);
    let colleague = testing::phone(org.other_officer.id, "p3", start);
    for d in [&phone, &spare, &colleague] {
        store.insert_device(d).await.expect("device");
    }

    store.bind_session_to_device("aa11", phone.id).await.expect("bind");
    let bound = store.live_session("aa11", start).await.expect("read");
    assert_eq!(bound.and_then(|s| s.device_id), Some(phone.id));
    assert_eq!(store.delete_sessions_of_device(spare.id).await.expect("none bound"), 0);
    assert_eq!(store.delete_sessions_of_device(phone.id).await.expect("end"), 1);
    assert_eq!(store.live_session("aa11", start).await.expect("phone"), None, "the phone's session ended");
    assert_eq!(store.live_session("bb22", start).await.expect("desk"), Some(at_desk), "the desk's stays");

    let later = start + Duration::minutes(30);
    assert!(store.reissue_device(spare.id, "p2-new", "Pixel", later).await.expect("reissue"));
    assert_eq!(store.device(spare.id).await.expect("read").map(|d| d.issued_at), Some(later));

    store.revoke_device(phone.id, org.officer.id, later).await.expect("one revoked already");
    assert_eq!(store.revoke_devices_of_user(org.officer.id, org.officer.id, later).await.expect("all"), 1);
    for d in [&phone, &spare] {
        assert!(store.device(d.id).await.expect("read").is_some_and(|d| d.revoked_at.is_some()));
    }
    let theirs = store.device(colleague.id).await.expect("read");
    assert!(theirs.is_some_and(|d| d.revoked_at.is_none()), "a colleague's phone stays");
}

/// The CHECK `users_membership_fits_role` (migration 0009) refuses every pair that does
/// not fit the role, whoever writes it: the store itself or SQL behind its back.
async fn the_schema_refuses_an_account_whose_team_or_organisation_does_not_fit_its_role(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Kiel").await;
    let (team, partner_org) = (Some(org.team.id), Some(org.organisation.id));
    let misfits = [
        ("officer.partner", Role::Officer, team, partner_org),
        ("teamleider.zonder", Role::TeamLead, None, None),
        ("interventie.partner", Role::InterventionOfficer, None, partner_org),
        ("partner.team", Role::Partner, team, partner_org),
        ("partner.zonder", Role::Partner, None, None),
        ("stad.team", Role::CityService, team, None),
        ("beheerder.team", Role::Admin, team, None),
        ("beheerder.org", Role::Admin, None, partner_org),
    ];
    for (username, role, team_id, org_id) in misfits {
        let refused = store.insert_user(&user(username, role, team_id, org_id), "hash").await;
        assert!(refused.is_err(), "{username}: {refused:?}");
        let quoted = |id: Option<String>| id.map_or("NULL".to_owned(), |id| format!("'{id}'"));
        let direct = format!(
            "INSERT INTO users (id, username, username_key, display_name, password_hash, role, team_id, partner_org_id) \
             VALUES ('{}', '{username}', '{username}', 'x', 'hash', '{role}', {}, {})",
            Uuid::now_v7(),
            quoted(team_id.map(|id| id.to_string())),
            quoted(org_id.map(|id| id.to_string())),
        );
        let refused = db.raw(&direct).await;
        let message = format!("{refused:?}");
        assert!(message.contains("users_membership_fits_role"), "{username} written directly: {message}");
    }
    // A change behind the store's back is refused as well: an officer given an
    // organisation, a partner given a team.
    let officer = org.officer.id;
    let refused =
        db.raw(&format!("UPDATE users SET partner_org_id = '{}' WHERE id = '{officer}'", org.organisation.id)).await;
    assert!(format!("{refused:?}").contains("users_membership_fits_role"), "{refused:?}");
    let partner = user("partner.kiel", Role::Partner, None, partner_org);
    store.insert_user(&partner, "hash").await.expect("a partner of its organisation");
    let refused = db.raw(&format!("UPDATE users SET team_id = '{}' WHERE id = '{}'", org.team.id, partner.id)).await;
    assert!(format!("{refused:?}").contains("users_membership_fits_role"), "{refused:?}");
    // What fits goes in, by either road.
    store.insert_user(&user("beheerder.kiel", Role::Admin, None, None), "hash").await.expect("an admin");
    let moved = domain::User { role: Role::TeamLead, ..org.officer.clone() };
    assert!(store.update_user(&moved).await.expect("an officer becomes team lead"));
}
