//! Sessions and devices over real HTTP: a session ends when it expires or when its
//! owner logs out; a revoked phone is refused with a reason its owner can act on, and
//! comes back only through its owner's password; a device key only syncs; a new
//! password signs every phone off; and a session lives in the database, so every server
//! instance on it accepts it.

use crate::support;

use std::sync::Arc;

use app::i18n::Locale;
use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;
use support::{manual_clock, v1, Backend, TestDb};

store::testing::both_stores!(
    run = crate::support::run;
    an_expired_session_is_refused,
    logging_out_ends_the_session,
    a_revoked_phone_is_told_why,
    a_device_key_only_syncs,
    a_revoked_phone_comes_back_only_through_a_fresh_password_log_in,
    a_new_password_signs_off_every_phone,
    revoking_another_of_my_phones_keeps_me_logged_in_here,
    an_old_device_key_must_log_in_again,
);

/// A session lasts `session_hours`: accepted to its last second, refused after it.
async fn an_expired_session_is_refused(db: Arc<TestDb>) {
    let clock = manual_clock();
    let server = db.server_on(&clock, |config| config.session_hours = 2).await;
    let api = server.logged_in("agent.borgerhout").await;
    api.get(&v1("/me")).await.expect(StatusCode::OK, "the fresh session is accepted");

    clock.advance(Duration::hours(2) - Duration::seconds(1));
    api.get(&v1("/me")).await.expect(StatusCode::OK, "still accepted a second before it ends");
    clock.advance(Duration::seconds(2));
    let reply = api.get(&v1("/me")).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert_eq!(reply.code(), "not_logged_in");
}

async fn logging_out_ends_the_session(db: Arc<TestDb>) {
    let server = db.server().await;
    let api = server.logged_in("teamleider.antwerpen").await;
    let me = api.get(&v1("/me")).await.expect(StatusCode::OK, "logged in");
    assert_eq!(me["username"], "teamleider.antwerpen");
    assert!(me["device_id"].is_null(), "a session is not a device");

    let reply = api.log_out().await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "log-out: {reply:?}");
    // `api` still sends the old cookie, as a copied or stolen one would be.
    let reply = api.get(&v1("/me")).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert_eq!(reply.code(), "not_logged_in");
    let reply = api.post(&v1("/signals"), &json!({})).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "nor can it write: {}", reply.body);
}

async fn a_revoked_phone_is_told_why(db: Arc<TestDb>) {
    let server = db.server().await;
    let officer = server.logged_in("agent.borgerhout").await;
    let registered = officer
        .post(&v1("/devices"), &json!({ "label": "Dienst-gsm" }))
        .await
        .expect(StatusCode::CREATED, "the officer registers a phone");
    let device_id = registered["device_id"].as_str().expect("a device id").to_owned();
    let credential = registered["credential"].as_str().expect("a credential");
    assert!(credential.starts_with(&format!("{device_id}.")), "{credential}");

    let mut phone = server.device(credential);
    let me = phone.get(&v1("/me")).await.expect(StatusCode::OK, "the phone is accepted");
    assert_eq!(
        (me["username"].as_str(), me["device_id"].as_str()),
        (Some("agent.borgerhout"), Some(device_id.as_str()))
    );
    // A phone carries no cookie and needs no Origin: its header is its credential.
    let wrong = server.device(&format!("{device_id}.{}", "0".repeat(64)));
    assert_eq!(wrong.get(&v1("/me")).await.code(), "not_logged_in", "a wrong secret");

    let lead = server.logged_in("teamleider.borgerhout").await;
    let listed = lead.get(&v1("/devices?team=")).await;
    assert_eq!(listed.status, StatusCode::BAD_REQUEST, "an empty id is malformed: {}", listed.body);
    let reply = lead.post(&v1(&format!("/devices/{device_id}/revoke")), &json!({})).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "the team lead revokes it: {}", reply.body);

    for locale in Locale::ALL {
        phone.language = Some(locale.tag());
        let reply = phone.get(&v1("/me")).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
        assert_eq!(reply.code(), "device_revoked");
        assert_eq!(reply.body["status"], 401);
        assert_eq!(reply.body["message"], locale.messages().device_revoked, "in {}", locale.tag());
    }
    let sync = phone.post(&v1("/contacts"), &json!({})).await;
    assert_eq!(sync.code(), "device_revoked", "an upload is refused the same way: {}", sync.body);

    let stale = officer.get(&v1("/devices")).await;
    assert_eq!(stale.status, StatusCode::UNAUTHORIZED, "revoking ends the owner's sessions: {}", stale.body);
    let officer = server.logged_in("agent.borgerhout").await;
    let mine = officer.get(&v1("/devices")).await.expect(StatusCode::OK, "the owner lists their phones");
    let listed = mine.as_array().and_then(|d| d.iter().find(|d| d["id"] == device_id.as_str())).expect("listed");
    assert!(listed["revoked_at"].is_string(), "{listed}");
    assert!(listed.get("credential_hash").is_none(), "the hash stays on the server");

    // Logged in again with the password, the owner brings the same phone back: same id
    // (so its unsent entries keep their numbers), a new secret, the old one still refused.
    let stranger = server.logged_in("agent.deurne").await;
    let taken = stranger.post(&v1("/devices"), &json!({ "label": "x", "device_id": device_id })).await;
    assert_eq!(taken.status, StatusCode::FORBIDDEN, "someone else's device id: {}", taken.body);
    let again = officer
        .post(&v1("/devices"), &json!({ "label": "Dienst-gsm", "device_id": device_id }))
        .await
        .expect(StatusCode::CREATED, "the owner registers the phone again");
    assert_eq!(again["device_id"].as_str(), Some(device_id.as_str()));
    let renewed = again["credential"].as_str().expect("a credential");
    assert_ne!(renewed, credential);
    let me = server.device(renewed).get(&v1("/me")).await.expect(StatusCode::OK, "the renewed phone syncs");
    assert_eq!(me["device_id"].as_str(), Some(device_id.as_str()));
    assert_eq!(server.device(credential).get(&v1("/me")).await.code(), "not_logged_in", "the old secret is dead");
}

/// Two servers on one PostgreSQL database, as in production behind a load balancer:
/// a session made on one is accepted by the other, and a log-out on either ends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_server_accepts_the_first_ones_session() {
    support::run(Backend::Postgres, |db| async move {
        let first = db.server().await;
        // Demo data on an existing database: seeding sees the users and does nothing.
        let second = db.server().await;
        let on_first = first.logged_in("partner.buurtvaders").await;
        let mut on_second = second.client();
        on_second.session = on_first.session.clone();
        let me = on_second.get(&v1("/me")).await.expect(StatusCode::OK, "the second server knows the session");
        assert_eq!(me["username"], "partner.buurtvaders");
        let users = first.store.users().await.expect("users");
        assert_eq!(users.iter().filter(|u| u.username == "partner.buurtvaders").count(), 1, "seeded once");

        on_second.log_out().await;
        let reply = on_first.get(&v1("/me")).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "logged out everywhere: {}", reply.body);
    })
    .await;
}

/// Registers a phone in `api`'s session: (device id, device key).
async fn register(api: &support::Api, label: &str, device_id: Option<&str>) -> (String, String) {
    let body = api
        .post(&v1("/devices"), &json!({ "label": label, "device_id": device_id }))
        .await
        .expect(StatusCode::CREATED, "a phone is registered");
    let id = body["device_id"].as_str().expect("a device id").to_owned();
    (id, body["credential"].as_str().expect("a key").to_owned())
}

/// A stolen key must not be worth more than the phone's sync: it cannot mint keys,
/// bring a revoked phone back, take over accounts or manage phones.
async fn a_device_key_only_syncs(db: Arc<TestDb>) {
    let server = db.server().await;
    let officer = server.logged_in("agent.borgerhout").await;
    let (phone_a, key_a) = register(&officer, "A", None).await;
    let key = server.device(&key_a);
    key.get(&v1("/me")).await.expect(StatusCode::OK, "the key says who it is");
    key.get(&v1("/sync/pull")).await.expect(StatusCode::OK, "the key pulls");

    let minted = key.post(&v1("/devices"), &json!({ "label": "B" })).await;
    assert_eq!(minted.status, StatusCode::FORBIDDEN, "a key cannot register phones: {}", minted.body);
    let listed = key.get(&v1("/devices")).await;
    assert_eq!(listed.status, StatusCode::FORBIDDEN, "nor list them: {}", listed.body);

    // The attack as found: key B re-registers revoked A. B cannot exist any more, and a
    // second session-made key cannot revive A either.
    let (_, key_b) = register(&officer, "B", None).await;
    let lead = server.logged_in("teamleider.borgerhout").await;
    lead.post(&v1(&format!("/devices/{phone_a}/revoke")), &json!({})).await.expect(StatusCode::NO_CONTENT, "revoked");
    let revived = server.device(&key_b).post(&v1("/devices"), &json!({ "label": "A", "device_id": phone_a })).await;
    assert_eq!(revived.status, StatusCode::FORBIDDEN, "a key cannot bring a phone back: {}", revived.body);
    assert_eq!(key.get(&v1("/me")).await.code(), "device_revoked", "A stays revoked");

    // An admin's phone key cannot take over an account, nor manage anything.
    let admin = server.logged_in("beheerder").await;
    let (_, admin_key) = register(&admin, "Beheer-gsm", None).await;
    let admin_key = server.device(&admin_key);
    let me = officer.get(&v1("/me")).await;
    let target = me.body["id"].as_str().unwrap_or_default().to_owned();
    let link = admin_key.post(&v1(&format!("/users/{target}/password-link")), &json!({})).await;
    assert_eq!(link.status, StatusCode::FORBIDDEN, "no password link with a key: {}", link.body);
    let users =
        admin_key.post(&v1("/users"), &json!({ "username": "x.y", "display_name": "X", "role": "admin" })).await;
    assert_eq!(users.status, StatusCode::FORBIDDEN, "no accounts with a key: {}", users.body);
    let lead_key = server.device(&register(&lead, "Lead-gsm", None).await.1);
    let conflicts = lead_key.get(&v1("/sync/conflicts")).await;
    assert_eq!(conflicts.status, StatusCode::FORBIDDEN, "conflicts are settled at a desk: {}", conflicts.body);
    let log = lead_key.get(&v1("/access-log")).await;
    assert_eq!(log.status, StatusCode::FORBIDDEN, "no access log with a key: {}", log.body);
}

async fn a_revoked_phone_comes_back_only_through_a_fresh_password_log_in(db: Arc<TestDb>) {
    let server = db.server().await;
    let on_phone = server.logged_in("agent.borgerhout").await;
    let at_desk = server.logged_in("agent.borgerhout").await;
    let (phone, key) = register(&on_phone, "Dienst-gsm", None).await;
    let lead = server.logged_in("teamleider.borgerhout").await;
    lead.post(&v1(&format!("/devices/{phone}/revoke")), &json!({})).await.expect(StatusCode::NO_CONTENT, "revoked");

    let stale = on_phone.get(&v1("/me")).await;
    assert_eq!(stale.status, StatusCode::UNAUTHORIZED, "the phone's own session ended: {}", stale.body);
    at_desk.get(&v1("/me")).await.expect(StatusCode::OK, "a session on another device stays");
    let from_desk = at_desk.post(&v1("/devices"), &json!({ "label": "x", "device_id": phone })).await;
    assert_eq!(
        (from_desk.status, from_desk.code()),
        (StatusCode::UNAUTHORIZED, "device_revoked"),
        "a session older than the revocation cannot revive the phone: {}",
        from_desk.body
    );
    assert_eq!(server.device(&key).get(&v1("/me")).await.code(), "device_revoked");

    let fresh = server.logged_in("agent.borgerhout").await;
    let (again, renewed) = register(&fresh, "Dienst-gsm", Some(&phone)).await;
    assert_eq!(again, phone, "the same id, so unsent entries keep their numbers");
    server.device(&renewed).get(&v1("/me")).await.expect(StatusCode::OK, "back after the password");
}

async fn a_new_password_signs_off_every_phone(db: Arc<TestDb>) {
    let server = db.server().await;
    let officer = server.logged_in("agent.borgerhout").await;
    let user_id = officer.get(&v1("/me")).await.expect(StatusCode::OK, "me")["id"].as_str().map(str::to_owned);
    let keys = [register(&officer, "gsm", None).await.1, register(&officer, "tablet", None).await.1];
    let admin = server.logged_in("beheerder").await;
    let link = admin
        .post(&v1(&format!("/users/{}/password-link", user_id.unwrap_or_default())), &json!({}))
        .await
        .expect(StatusCode::CREATED, "a reset link");
    let token = link["password_link"].as_str().and_then(|l| l.strip_prefix("/password/")).expect("a link");
    server
        .client()
        .post(&v1(&format!("/password/{token}")), &json!({ "password": "een-heel-nieuw-wachtwoord" }))
        .await
        .expect(StatusCode::OK, "the new password is set");
    for key in &keys {
        assert_eq!(server.device(key).get(&v1("/me")).await.code(), "device_revoked", "every phone signs in again");
    }
    assert_eq!(officer.get(&v1("/me")).await.code(), "not_logged_in", "and every session ends");
    let back = server.logged_in_with("agent.borgerhout", "een-heel-nieuw-wachtwoord").await;
    back.get(&v1("/me")).await.expect(StatusCode::OK, "the new password works");
}

/// Item 2 of the security issue: a team lead revoking a spare phone of their own from
/// the phone in their hand stays logged in, and the team page says which is which.
async fn revoking_another_of_my_phones_keeps_me_logged_in_here(db: Arc<TestDb>) {
    let server = db.server().await;
    let here = server.logged_in("teamleider.borgerhout").await;
    let (this_phone, _) = register(&here, "Deze gsm", None).await;
    let elsewhere = server.logged_in("teamleider.borgerhout").await;
    let (spare, _) = register(&elsewhere, "Reserve-gsm", None).await;

    let page = here.get("/team/phones").await;
    let html = page.body.as_str().unwrap_or_default();
    assert!(html.contains(&format!(r#"data-device="{this_phone}" data-this-phone="true""#)), "marked: {html}");
    assert!(html.contains(&format!(r#"data-device="{spare}" data-this-phone="false""#)), "not this one");

    here.post(&v1(&format!("/devices/{spare}/revoke")), &json!({})).await.expect(StatusCode::NO_CONTENT, "revoked");
    here.get(&v1("/me")).await.expect(StatusCode::OK, "still logged in here");
    assert_eq!(elsewhere.get(&v1("/me")).await.code(), "not_logged_in", "the spare phone's session ended");
}

async fn an_old_device_key_must_log_in_again(db: Arc<TestDb>) {
    let clock = manual_clock();
    let server = db.server_on(&clock, |config| config.device_key_days = 3).await;
    let officer = server.logged_in("agent.borgerhout").await;
    let (phone, key) = register(&officer, "gsm", None).await;
    server.device(&key).get(&v1("/me")).await.expect(StatusCode::OK, "a fresh key works");
    clock.advance(Duration::days(3) - Duration::minutes(1));
    server.device(&key).get(&v1("/me")).await.expect(StatusCode::OK, "a key works to the end of its life");
    clock.advance(Duration::minutes(2));
    let expired = server.device(&key).get(&v1("/me")).await;
    assert_eq!((expired.status, expired.code()), (StatusCode::UNAUTHORIZED, "device_key_expired"), "{}", expired.body);
    // Three days on, the officer's session has ended too: the phone logs in again.
    let officer = server.logged_in("agent.borgerhout").await;
    let (_, renewed) = register(&officer, "gsm", Some(&phone)).await;
    server.device(&renewed).get(&v1("/me")).await.expect(StatusCode::OK, "a log-in hands out a new key");
}
