//! `POST /api/v1/sync/push` over real HTTP on both stores: a phone's queued entries
//! arrive exactly once, a replay changes nothing, a bad entry is refused on its own,
//! two phones editing one signal offline leave a conflict, and only a registered,
//! unrevoked phone may push. No input gets a 5xx or costs its neighbours: a number the
//! server cannot store, one id with two contents, an id someone else holds — each is
//! rejected on its own, saying nothing of whose the id is.

use crate::support;
use domain::{NeighbourhoodId, RecordId};

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use domain::{Clock, SystemClock};
use reqwest::StatusCode;
use serde_json::{json, Value};
use store::RecordQuery;
use support::{phone, v1, Api, TestDb, TestServer};
use uuid::Uuid;

store::testing::both_stores!(
    run = crate::support::run;
    a_batch_of_contacts_and_a_signal_is_applied,
    a_replayed_batch_changes_nothing,
    an_invalid_contact_is_rejected_alone,
    two_phones_editing_one_signal_leave_a_conflict,
    a_revoked_phone_stores_nothing,
    a_push_needs_a_phone_and_a_sound_batch,
    a_partner_phone_cannot_log_a_contact,
    numbers_beyond_storage_are_rejected_alone,
    one_id_twice_in_a_batch_is_never_silently_dropped,
    an_accuracy_beyond_ten_kilometres_is_rejected_alone,
    an_id_in_use_is_rejected_alone_without_saying_whose,
);

async fn hood_of(server: &TestServer, team: &str) -> NeighbourhoodId {
    let teams = server.store.teams().await.expect("teams");
    let team = teams.iter().find(|t| t.name == team).unwrap_or_else(|| panic!("{team}"));
    server.store.neighbourhoods_of_team(team.id).await.expect("neighbourhoods")[0].id
}

/// Saved on the phone ten minutes ago, without its own time: it happened then.
fn saved_at() -> DateTime<Utc> {
    let t = SystemClock.now() - Duration::minutes(10);
    DateTime::from_timestamp(t.timestamp(), 0).expect("a moment")
}

fn contact(hood: NeighbourhoodId) -> Value {
    json!({ "op": "create_contact", "neighbourhood_id": hood, "mobility": "on_foot", "kind": "question",
            "reason": "information", "outcome": "informed" })
}

fn signal(hood: NeighbourhoodId) -> Value {
    json!({ "op": "create_signal", "neighbourhood_id": hood, "category": "waste", "urgency": "low",
            "description": "Sluikstort aan de hoek." })
}

fn edit(signal_id: Value, status: &str) -> Value {
    json!({ "op": "edit_signal", "signal_id": signal_id, "base_version": 1, "status": status })
}

fn mutation(device: Uuid, seq: u64, body: Value) -> Value {
    json!({ "id": Uuid::now_v7(), "device_id": device, "seq": seq, "created_at": saved_at(), "body": body })
}

fn batch(device: Uuid, mutations: &[Value]) -> Value {
    json!({ "protocol": 1, "device_id": device, "mutations": mutations })
}

/// Numbers the bodies from `first_seq` on, as the phone's outbox does.
fn mutations(device: Uuid, first_seq: u64, bodies: Vec<Value>) -> Vec<Value> {
    bodies.into_iter().zip(first_seq..).map(|(body, seq)| mutation(device, seq, body)).collect()
}

async fn push(api: &Api, device: Uuid, mutations: &[Value]) -> Vec<Value> {
    let answer = api.post(&v1("/sync/push"), &batch(device, mutations)).await.expect(StatusCode::OK, "a push");
    answer["receipts"].as_array().expect("receipts").clone()
}

fn outcome(receipt: &Value) -> &str {
    receipt["outcome"]["outcome"].as_str().unwrap_or_default()
}

fn outcomes(receipts: &[Value]) -> Vec<&str> {
    receipts.iter().map(outcome).collect()
}

/// Three contacts and a signal, as logged in a dead zone.
fn field_shift(device: Uuid, hood: NeighbourhoodId) -> Vec<Value> {
    mutations(device, 1, vec![contact(hood), contact(hood), contact(hood), signal(hood)])
}

async fn author_counts(server: &TestServer, username: &str) -> (usize, usize) {
    let users = server.store.users().await.expect("users");
    let user = users.iter().find(|u| u.username == username).unwrap_or_else(|| panic!("{username}"));
    let query = RecordQuery { author_id: Some(user.id), limit: 500, ..RecordQuery::default() };
    let contacts = server.store.contacts(&query).await.expect("contacts").len();
    let signals = server.store.signals(&query).await.expect("signals").len();
    assert!(contacts < 500 && signals < 500, "counts below the store's cap, so they can show a duplicate");
    (contacts, signals)
}

async fn a_batch_of_contacts_and_a_signal_is_applied(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let sent = field_shift(device, hood);
    let receipts = push(&phone, device, &sent).await;
    assert_eq!(outcomes(&receipts), ["applied"; 4], "{receipts:?}");
    for (receipt, m) in receipts.iter().zip(&sent) {
        assert_eq!(receipt["mutation_id"], m["id"], "receipts in the batch's order");
        assert_eq!(receipt["outcome"]["record_id"], m["id"], "a created record keeps the phone's id");
        assert_eq!(receipt["outcome"]["version"], 1);
    }

    let officer = server.logged_in("agent.borgerhout").await;
    let listed = officer.get(&v1("/contacts?limit=500")).await.expect(StatusCode::OK, "the team's contacts");
    for m in &sent[..3] {
        let found: Vec<&Value> = listed.as_array().expect("a list").iter().filter(|c| c["id"] == m["id"]).collect();
        assert_eq!(found.len(), 1, "contact {} listed once", m["id"]);
        let occurred: DateTime<Utc> = serde_json::from_value(found[0]["occurred_at"].clone()).expect("a time");
        assert_eq!(occurred, saved_at_of(m), "without its own time it happened when saved, not when synced");
    }
    let signal_id = sent[3]["id"].as_str().expect("an id");
    officer.get(&v1(&format!("/signals/{signal_id}"))).await.expect(StatusCode::OK, "the signal");
}

fn saved_at_of(m: &Value) -> DateTime<Utc> {
    serde_json::from_value(m["created_at"].clone()).expect("created_at")
}

async fn a_replayed_batch_changes_nothing(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let before = author_counts(&server, "agent.borgerhout").await;
    let sent = field_shift(device, hood);
    let first = push(&phone, device, &sent).await;
    assert_eq!(outcomes(&first), ["applied"; 4]);
    let after = author_counts(&server, "agent.borgerhout").await;
    assert_eq!(after, (before.0 + 3, before.1 + 1));

    // The answer was lost in a dead zone: the phone sends it all again, then a part.
    assert_eq!(push(&phone, device, &sent).await, first, "a whole replay gets the same receipts");
    assert_eq!(push(&phone, device, &sent[1..3]).await, first[1..3], "a partial replay too");
    let mut shuffled = sent.clone();
    shuffled.reverse();
    let mut expected = first.clone();
    expected.reverse();
    assert_eq!(push(&phone, device, &shuffled).await, expected, "in any order, answered in the batch's order");
    assert_eq!(author_counts(&server, "agent.borgerhout").await, after, "still exactly 3 contacts and 1 signal more");
}

async fn an_invalid_contact_is_rejected_alone(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let mut broken = contact(hood);
    broken["kind"] = json!("no_such_kind");
    let unknown_hood = contact(NeighbourhoodId::new_v7());
    let sent = mutations(device, 1, vec![contact(hood), broken, unknown_hood, contact(hood)]);
    let receipts = push(&phone, device, &sent).await;
    assert_eq!(outcomes(&receipts), ["applied", "rejected", "rejected", "applied"], "{receipts:?}");
    let fields = |r: &Value| -> Vec<String> {
        r["outcome"]["errors"]["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(fields(&receipts[1]), ["kind"]);
    assert_eq!(fields(&receipts[2]), ["neighbourhood_id"]);
    for (i, m) in sent.iter().enumerate() {
        let id: RecordId = m["id"].as_str().unwrap().parse().unwrap();
        let stored = server.store.contact(id).await.expect("a read").is_some();
        assert_eq!(stored, i == 0 || i == 3, "contact {i} stored only when applied");
    }
    // Final: the phone shows it as "needs attention"; a resend gets the same answer.
    assert_eq!(push(&phone, device, &sent[1..2]).await, receipts[1..2]);
}

async fn two_phones_editing_one_signal_leave_a_conflict(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Antwerpen").await;
    let (first, first_device) = phone(&server, "agent.antwerpen").await;
    let (second, second_device) = phone(&server, "agent.zuid").await;
    let created = mutations(first_device, 1, vec![signal(hood)]);
    assert_eq!(outcomes(&push(&first, first_device, &created).await), ["applied"]);
    let signal_id = created[0]["id"].clone();

    // Both saw version 1 before going out of coverage; each edits it offline.
    let mine = mutations(first_device, 2, vec![edit(signal_id.clone(), "in_progress")]);
    let theirs = mutations(second_device, 1, vec![edit(signal_id.clone(), "resolved")]);
    let applied = push(&first, first_device, &mine).await;
    assert_eq!(applied[0]["outcome"], json!({ "outcome": "applied", "record_id": signal_id, "version": 2 }));
    let conflict = push(&second, second_device, &theirs).await;
    assert_eq!(conflict[0]["outcome"], json!({ "outcome": "conflict", "record_id": signal_id, "current_version": 2 }));
    assert_eq!(push(&second, second_device, &theirs).await, conflict, "the conflict is final, answered alike");

    let officer = server.logged_in("agent.antwerpen").await;
    let shown = officer
        .get(&v1(&format!("/signals/{}", signal_id.as_str().unwrap())))
        .await
        .expect(StatusCode::OK, "the signal");
    assert_eq!(shown["status"], "in_progress", "the first edit stays; the second is kept, not applied");
}

async fn a_revoked_phone_stores_nothing(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let owner = server.logged_in("agent.borgerhout").await;
    owner.post(&v1(&format!("/devices/{device}/revoke")), &json!({})).await.expect(StatusCode::NO_CONTENT, "revoked");

    let sent = field_shift(device, hood);
    let reply = phone.post(&v1("/sync/push"), &batch(device, &sent)).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNAUTHORIZED, "device_revoked"), "{}", reply.body);
    for m in &sent {
        let id: RecordId = m["id"].as_str().unwrap().parse().unwrap();
        assert!(server.store.contact(id).await.expect("a read").is_none());
        assert!(server.store.signal(id).await.expect("a read").is_none());
    }
}

async fn a_push_needs_a_phone_and_a_sound_batch(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let session = server.logged_in("agent.borgerhout").await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let sent = field_shift(device, hood);

    let reply = session.post(&v1("/sync/push"), &batch(device, &sent)).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::FORBIDDEN, "device_required"), "{}", reply.body);
    let message = reply.body["message"].as_str().unwrap_or_default();
    assert!(message.len() > 20, "a sentence a person can act on: {message}");
    assert_eq!(reply.body["status"], 403);

    let refused = |reply: support::Reply, status: StatusCode, what: &str| {
        assert_eq!(reply.status, status, "{what}: {}", reply.body);
        assert!(reply.body["message"].as_str().unwrap_or_default().len() > 20, "{what}: {}", reply.body);
    };
    let other = Uuid::now_v7();
    refused(
        phone.post(&v1("/sync/push"), &batch(other, &sent)).await,
        StatusCode::BAD_REQUEST,
        "another device's batch",
    );
    let mut foreign = sent.clone();
    foreign[2]["device_id"] = json!(other);
    refused(
        phone.post(&v1("/sync/push"), &batch(device, &foreign)).await,
        StatusCode::BAD_REQUEST,
        "a foreign mutation",
    );
    let mut old = batch(device, &sent);
    old["protocol"] = json!(99);
    refused(phone.post(&v1("/sync/push"), &old).await, StatusCode::BAD_REQUEST, "an unknown protocol");
    let huge = mutations(device, 1, (0..501).map(|_| contact(hood)).collect());
    let reply = phone.post(&v1("/sync/push"), &batch(device, &huge)).await;
    assert_eq!(reply.code(), "batch_too_large", "{}", reply.body);
    refused(reply, StatusCode::PAYLOAD_TOO_LARGE, "501 mutations");

    for m in sent.iter().chain(&huge[..3]) {
        let id: RecordId = m["id"].as_str().unwrap().parse().unwrap();
        assert!(server.store.contact(id).await.expect("a read").is_none(), "a refused batch stores nothing");
    }
    assert_eq!(outcomes(&push(&phone, device, &sent).await), ["applied"; 4], "the phone kept it and sends it later");
}

async fn a_partner_phone_cannot_log_a_contact(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let (phone, device) = phone(&server, "partner.jeugdwerk").await;
    let mut partner_signal = signal(hood);
    partner_signal["description"] = json!("Jongeren vragen een plek om te sporten.");
    let sent = mutations(device, 1, vec![contact(hood), partner_signal]);
    let receipts = push(&phone, device, &sent).await;
    assert_eq!(outcomes(&receipts), ["rejected", "applied"], "{receipts:?}");
    assert_eq!(receipts[0]["outcome"]["errors"]["errors"][0]["field"], "authorization");
    let id: RecordId = sent[0]["id"].as_str().unwrap().parse().unwrap();
    assert!(server.store.contact(id).await.expect("a read").is_none());
}

/// The fields and problems of a rejected receipt, e.g. `[("seq", "out_of_range")]`.
fn problems(receipt: &Value) -> Vec<(String, String)> {
    let errors = receipt["outcome"]["errors"]["errors"].as_array().cloned().unwrap_or_default();
    errors
        .iter()
        .map(|e| (e["field"].as_str().unwrap_or("").to_owned(), e["problem"].as_str().unwrap_or("").to_owned()))
        .collect()
}

fn problem(field: &str, problem: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), problem.to_owned())]
}

/// The record a pushed create makes: it takes the mutation's id.
fn id_of(m: &Value) -> RecordId {
    m["id"].as_str().expect("an id").parse().expect("a uuid")
}

async fn numbers_beyond_storage_are_rejected_alone(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let beyond = 1u64 << 63;
    let created = mutation(device, 1, signal(hood));
    let mut edited = edit(created["id"].clone(), "resolved");
    edited["base_version"] = json!(beyond);
    let sent = vec![
        created.clone(),
        mutation(device, 2, edited),
        mutation(device, 3, contact(hood)),
        mutation(device, beyond, contact(hood)),
        mutation(device, u64::MAX, contact(hood)),
    ];
    let receipts = push(&phone, device, &sent).await;
    assert_eq!(outcomes(&receipts), ["applied", "rejected", "applied", "rejected", "rejected"], "{receipts:?}");
    assert_eq!(problems(&receipts[1]), problem("base_version", "out_of_range"));
    assert_eq!(problems(&receipts[3]), problem("seq", "out_of_range"));
    assert_eq!(receipts[3]["seq"], json!(beyond), "the receipt names the seq the phone sent");
    assert_eq!(problems(&receipts[4]), problem("seq", "out_of_range"));
    assert!(server.store.contact(id_of(&sent[2])).await.expect("a read").is_some(), "the neighbour is stored");
    assert!(server.store.contact(id_of(&sent[3])).await.expect("a read").is_none());
    assert_eq!(push(&phone, device, &sent).await, receipts, "answered alike when sent again");

    // The phone's numbering goes on from 4: the refused seq took no place in it.
    let next = mutations(device, 4, vec![edit(created["id"].clone(), "in_progress")]);
    assert_eq!(outcomes(&push(&phone, device, &next).await), ["applied"]);

    // A number no 64 bits hold is not a batch at all: 400 with a sentence, not a 5xx.
    let body = batch(device, &sent[2..3]).to_string().replace("\"seq\":3", "\"seq\":18446744073709551616");
    let reply = phone.send_raw(reqwest::Method::POST, &v1("/sync/push"), "application/json", &body).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body["message"].as_str().is_some_and(|m| m.len() > 20), "{}", reply.body);
}

async fn one_id_twice_in_a_batch_is_never_silently_dropped(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let first = mutation(device, 1, contact(hood));
    let mut other = mutation(device, 2, signal(hood));
    other["id"] = first["id"].clone();
    let sent = vec![first.clone(), other, first.clone(), mutation(device, 3, contact(hood))];
    let receipts = push(&phone, device, &sent).await;
    assert_eq!(outcomes(&receipts), ["applied", "rejected", "applied", "applied"], "{receipts:?}");
    assert_eq!(problems(&receipts[1]), problem("id", "already_used"), "never the first's receipt");
    assert_eq!(receipts[2], receipts[0], "the same mutation twice is answered alike");
    let id = id_of(&first);
    assert!(server.store.contact(id).await.expect("a read").is_some());
    assert!(server.store.signal(id).await.expect("a read").is_none(), "the other contents were not stored");
}

async fn an_accuracy_beyond_ten_kilometres_is_rejected_alone(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let placed = |accuracy: f64| {
        let mut body = contact(hood);
        body["lat"] = json!(51.2135);
        body["lon"] = json!(4.4340);
        body["accuracy_m"] = json!(accuracy);
        body
    };
    let mut far_off = signal(hood);
    far_off["lat"] = json!(91.0);
    far_off["lon"] = json!(4.4340);
    let sent = mutations(device, 1, vec![placed(1e308), placed(12.0), placed(10_001.0), far_off]);
    let receipts = push(&phone, device, &sent).await;
    assert_eq!(outcomes(&receipts), ["rejected", "applied", "rejected", "rejected"], "{receipts:?}");
    assert_eq!(problems(&receipts[0]), problem("accuracy_m", "out_of_range"));
    assert_eq!(problems(&receipts[2]), problem("accuracy_m", "out_of_range"));
    assert_eq!(problems(&receipts[3]), problem("lat", "out_of_range"));
}

async fn an_id_in_use_is_rejected_alone_without_saying_whose(db: Arc<TestDb>) {
    let server = db.server().await;
    let borgerhout = hood_of(&server, "Wijkteam Borgerhout").await;
    let antwerpen = hood_of(&server, "Wijkteam Antwerpen").await;
    let new = |id: RecordId, mut body: Value| {
        body["id"] = json!(id);
        body
    };
    // Records of another team, and one of my own, filed on the web with chosen ids.
    let elsewhere = server.logged_in("agent.antwerpen").await;
    let (theirs_contact, theirs_signal) = (RecordId::new_v7(), RecordId::new_v7());
    elsewhere
        .post(&v1("/contacts"), &new(theirs_contact, contact(antwerpen)))
        .await
        .expect(StatusCode::CREATED, "theirs");
    elsewhere.post(&v1("/signals"), &new(theirs_signal, signal(antwerpen))).await.expect(StatusCode::CREATED, "theirs");
    let officer = server.logged_in("agent.borgerhout").await;
    let mine = RecordId::new_v7();
    officer.post(&v1("/contacts"), &new(mine, contact(borgerhout))).await.expect(StatusCode::CREATED, "mine");

    let (phone, device) = phone(&server, "agent.borgerhout").await;
    let mut sent =
        mutations(device, 1, vec![contact(borgerhout), signal(borgerhout), contact(borgerhout), contact(borgerhout)]);
    sent[0]["id"] = json!(theirs_contact);
    sent[1]["id"] = json!(theirs_signal);
    sent[2]["id"] = json!(mine);
    let receipts = push(&phone, device, &sent).await;
    assert_eq!(outcomes(&receipts), ["rejected", "rejected", "rejected", "applied"], "{receipts:?}");
    for receipt in &receipts[..3] {
        assert_eq!(receipt["outcome"], receipts[2]["outcome"], "the same answer whoever holds the id");
        assert_eq!(problems(receipt), problem("id", "already_used"));
    }
    let theirs = server.store.contact(theirs_contact).await.expect("a read").expect("still there");
    assert_eq!(theirs.neighbourhood_id, antwerpen, "the other team's record is untouched");
    assert_eq!(push(&phone, device, &sent).await, receipts, "final, answered alike");

    // On the web the same: 409 with a sentence, naming no table and no rule.
    for (path, id, body) in [
        ("/contacts", theirs_contact, contact(borgerhout)),
        ("/signals", theirs_signal, signal(borgerhout)),
        ("/contacts", mine, contact(borgerhout)),
    ] {
        let reply = officer.post(&v1(path), &new(id, body)).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::CONFLICT, "conflict"), "{}", reply.body);
        assert!(reply.body["message"].as_str().is_some_and(|m| m.len() > 20), "{}", reply.body);
        let text = reply.body.to_string();
        for leak in ["street_contacts", "neighbourhood_signals", "pkey", ".id", "UNIQUE", "constraint"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        assert_eq!(reply.body["detail"], "already exists", "{}", reply.body);
    }
}
