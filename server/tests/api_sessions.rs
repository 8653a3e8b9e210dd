//! Sessions and devices over real HTTP: a session ends when it expires or when its
//! owner logs out; a revoked phone is refused with a reason its owner can act on; and a
//! session lives in the database, so every server instance on it accepts it.

#[macro_use]
mod support;

use std::sync::Arc;
use std::time::Duration;

use app::i18n::Locale;
use reqwest::StatusCode;
use serde_json::json;
use service::{Services, Settings};
use support::{v1, Backend, TestDb, DEMO_PASSWORD};

on_both_stores!(an_expired_session_is_refused, logging_out_ends_the_session, a_revoked_phone_is_told_why);

/// The server's sessions last at least an hour; a second `Services` on the same store
/// with a one-second lifetime makes a session that expires while the test watches.
async fn an_expired_session_is_refused(db: Arc<TestDb>) {
    let server = db.server().await;
    let short = Services::new(
        server.store.clone(),
        Settings { session_ttl: chrono::Duration::seconds(1), ..Settings::default() },
    );
    let session = short.log_in("agent.borgerhout", DEMO_PASSWORD, None).await.expect("log-in");
    let mut api = server.client();
    api.session = Some(session.token.clone());
    api.get(&v1("/me")).await.expect(StatusCode::OK, "the fresh session is accepted");

    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(short.session_user(&session.token).await.expect("the store answers").is_none(), "expired");
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
