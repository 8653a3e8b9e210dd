//! Log-in throttling over real HTTP: too many failures lock an account from one
//! address, an address trying many accounts, or an account tried from many addresses,
//! until the window has passed, even for the right password. Failures for an account
//! from elsewhere do not lock its owner out from their own address. Servers that trust
//! `X-Forwarded-For` let one test act from several addresses.

use crate::support;

use std::sync::Arc;

use chrono::Duration;
use reqwest::StatusCode;
use support::{manual_clock, Api, Reply, TestDb, DEMO_PASSWORD};

store::testing::both_stores!(
    run = crate::support::run;
    an_account_locks_after_three_failures,
    an_address_trying_many_accounts_locks,
    failures_from_elsewhere_do_not_lock_the_owner_out,
    guessing_from_many_addresses_locks_the_account,
);

async fn attempt(api: &mut Api, username: &str, password: &str) -> Reply {
    api.log_in(username, password).await
}

#[track_caller]
fn assert_locked_out(reply: &Reply, what: &str) {
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{what}: {}", reply.body);
    assert_eq!(reply.code(), "locked_out", "{what}");
    // The sentence names the local time to try again at, e.g. "… om 21:40 (over 1 min.)".
    let until = reply.body["until"].as_str().expect("until");
    let message = reply.body["message"].as_str().expect("message");
    assert!(until.len() == 5 && message.contains(until), "{what}: {message} names {until}");
}

async fn an_account_locks_after_three_failures(db: Arc<TestDb>) {
    let clock = manual_clock();
    let window = Duration::minutes(15);
    let server = db
        .server_on(&clock, |c| {
            c.login_max_failures = 3;
            c.login_window_seconds = window.num_seconds();
        })
        .await;
    let (mut a, mut b, mut c) = (server.client(), server.client(), server.client());
    // The clock stands still: all three fail at the same moment.
    let failures = tokio::join!(
        attempt(&mut a, "agent.borgerhout", "wrong-1"),
        attempt(&mut b, "agent.borgerhout", "wrong-2"),
        attempt(&mut c, "Agent.Borgerhout ", "wrong-3"),
    );
    for reply in [&failures.0, &failures.1, &failures.2] {
        assert_eq!((reply.status, reply.code()), (StatusCode::UNAUTHORIZED, "login_failed"), "{}", reply.body);
    }

    let fourth = attempt(&mut a, "agent.borgerhout", "wrong-4").await;
    let right = attempt(&mut b, "agent.borgerhout", DEMO_PASSWORD).await;
    assert_locked_out(&fourth, "the fourth attempt");
    assert_locked_out(&right, "the right password while locked");
    assert_eq!(right.body["minutes"], 15, "the whole window to wait: {}", right.body);
    let other = server.logged_in("agent.antwerpen").await;
    assert!(other.session.is_some(), "another account is not locked");

    clock.advance(window - Duration::seconds(30));
    let almost = attempt(&mut c, "agent.borgerhout", DEMO_PASSWORD).await;
    assert_locked_out(&almost, "the right password half a minute before the window ends");
    assert_eq!(almost.body["minutes"], 1, "counted by the server's clock: {}", almost.body);
    clock.advance(Duration::seconds(30));
    let after = attempt(&mut c, "agent.borgerhout", DEMO_PASSWORD).await;
    assert_eq!(after.status, StatusCode::OK, "the right password after the window: {}", after.body);
}

async fn an_address_trying_many_accounts_locks(db: Arc<TestDb>) {
    let server = db.server_with(|c| c.login_max_failures_per_address = 4).await;
    let mut api = server.client();
    // One failure each, far under the per-account limit (5): only the address adds up.
    for username in ["agent.deurne", "agent.berchem", "nobody.here", "partner.moskee"] {
        let reply = attempt(&mut api, username, "guess-123").await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNAUTHORIZED, "login_failed"),
            "{username}: {}",
            reply.body
        );
    }
    let reply = attempt(&mut api, "agent.hoboken", DEMO_PASSWORD).await;
    assert_locked_out(&reply, "a fifth account from the same address, right password");
    let reply = attempt(&mut api, "agent.deurne", DEMO_PASSWORD).await;
    assert_locked_out(&reply, "a tried account from the same address, right password");
}

/// Issue 8, item 10: anyone who knew a username could lock it for 15 minutes. Now the
/// limit a person meets counts their account from their address only.
async fn failures_from_elsewhere_do_not_lock_the_owner_out(db: Arc<TestDb>) {
    let server = db
        .server_with(|c| {
            c.login_max_failures = 3;
            c.trust_forwarded_for = true;
        })
        .await;
    let mut stranger = server.client();
    stranger.forwarded_for = Some("203.0.113.7");
    for guess in ["raden-1", "raden-2", "raden-3"] {
        let reply = attempt(&mut stranger, "agent.borgerhout", guess).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::UNAUTHORIZED, "login_failed"), "{}", reply.body);
    }
    let reply = attempt(&mut stranger, "agent.borgerhout", DEMO_PASSWORD).await;
    assert_locked_out(&reply, "the guesser's address, even with the right password");

    let mut owner = server.client();
    owner.forwarded_for = Some("198.51.100.9");
    let typo = attempt(&mut owner, "agent.borgerhout", "tikfout").await;
    assert_eq!(
        (typo.status, typo.code()),
        (StatusCode::UNAUTHORIZED, "login_failed"),
        "the owner's own typo counts for the owner only: {}",
        typo.body
    );
    let right = attempt(&mut owner, "agent.borgerhout", DEMO_PASSWORD).await;
    assert_eq!(right.status, StatusCode::OK, "the owner logs in from their own address: {}", right.body);
}

/// Guessing spread over many addresses, each far under its own limits, still meets
/// the account-wide one (an hour); other accounts carry on.
async fn guessing_from_many_addresses_locks_the_account(db: Arc<TestDb>) {
    let clock = manual_clock();
    let server = db
        .server_on(&clock, |c| {
            c.login_max_failures_per_account = 4;
            c.trust_forwarded_for = true;
        })
        .await;
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"] {
        let mut guesser = server.client();
        guesser.forwarded_for = Some(address);
        let reply = attempt(&mut guesser, "agent.deurne", "geraden-123").await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNAUTHORIZED, "login_failed"),
            "{address}: {}",
            reply.body
        );
    }
    let mut fifth = server.client();
    fifth.forwarded_for = Some("203.0.113.5");
    let reply = attempt(&mut fifth, "agent.deurne", "geraden-456").await;
    assert_locked_out(&reply, "a fifth address, for the account tried from four");
    let mut owner = server.client();
    owner.forwarded_for = Some("198.51.100.9");
    let reply = attempt(&mut owner, "agent.deurne", DEMO_PASSWORD).await;
    assert_locked_out(&reply, "the account is locked everywhere once the account-wide limit is reached");
    let reply = attempt(&mut owner, "agent.berchem", DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "another account from the same address: {}", reply.body);

    clock.advance(Duration::hours(1) - Duration::minutes(1));
    let reply = attempt(&mut owner, "agent.deurne", DEMO_PASSWORD).await;
    assert_locked_out(&reply, "a minute before the account's hour has passed");
    clock.advance(Duration::minutes(1));
    let reply = attempt(&mut owner, "agent.deurne", DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "the owner, once the hour has passed: {}", reply.body);
}
