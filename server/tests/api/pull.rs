//! `GET /api/v1/sync/pull` and the kept-conflict endpoints over real HTTP on both
//! stores: only for those logged in, a foreign cursor is a clear 400, pages resume
//! without gaps or duplicates, each caller gets only their part (a partner only their
//! organisation's signals), and only the team lead resolves a conflict, once.

use crate::support;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Duration;
use domain::{Clock, SystemClock};
use reqwest::StatusCode;
use serde_json::{json, Value};
use store::RecordQuery;
use support::{manual_clock, phone, v1, Api, TestDb, TestServer};
use uuid::Uuid;

store::testing::both_stores!(
    run = crate::support::run;
    a_pull_needs_a_credential_and_a_cursor_of_ours,
    pages_resume_without_gaps_and_show_the_officers_part,
    a_partner_pulls_only_their_organisations_signals,
    only_the_team_lead_resolves_a_kept_conflict_and_only_once,
    a_contact_past_its_retention_goes_and_the_phone_hears_of_it,
);

async fn user_id(server: &TestServer, username: &str) -> domain::User {
    let users = server.store.users().await.expect("users");
    users.into_iter().find(|u| u.username == username).unwrap_or_else(|| panic!("{username}"))
}

/// Every page from `cursor` on, `limit` at a time: the changes in order and the last cursor.
async fn pull_all(api: &Api, mut cursor: String, limit: u32) -> (Vec<Value>, String) {
    let mut changes = Vec::new();
    for _ in 0..500 {
        let path = v1(&format!("/sync/pull?limit={limit}&cursor={cursor}"));
        let page = api.get(&path).await.expect(StatusCode::OK, "a page");
        let got = page["changes"].as_array().expect("changes").clone();
        assert!(got.len() <= limit as usize, "a page keeps to its limit");
        changes.extend(got);
        cursor = page["cursor"].as_str().expect("a cursor").to_owned();
        if !page["more"].as_bool().expect("more") {
            return (changes, cursor);
        }
    }
    panic!("the feed never ended")
}

fn ids(changes: &[Value]) -> Vec<String> {
    changes.iter().map(|c| c["id"].as_str().expect("id").to_owned()).collect()
}

async fn a_pull_needs_a_credential_and_a_cursor_of_ours(db: Arc<TestDb>) {
    let server = db.server().await;
    let anonymous = server.client().get(&v1("/sync/pull")).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", anonymous.body);
    let stranger = server.device("0190a000-0000-7000-8000-000000000001.nope").get(&v1("/sync/pull")).await;
    assert_eq!(stranger.status, StatusCode::UNAUTHORIZED, "{}", stranger.body);

    let (officer, _) = phone(&server, "agent.antwerpen").await;
    for bad in ["nope", "c1.-1", "c9.4", "c1.99999999999999999999"] {
        let reply = officer.get(&v1(&format!("/sync/pull?cursor={bad}"))).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::BAD_REQUEST, "bad_request"), "{bad}: {}", reply.body);
        assert!(reply.body["detail"].as_str().unwrap_or_default().contains("without a cursor"), "{}", reply.body);
    }
    for limit in ["0", "501", "many"] {
        let reply = officer.get(&v1(&format!("/sync/pull?limit={limit}"))).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "limit {limit}: {}", reply.body);
    }
    let admin = server.logged_in("beheerder").await.get(&v1("/sync/pull")).await;
    assert_eq!(admin.status, StatusCode::FORBIDDEN, "an admin has no records to carry: {}", admin.body);
    let empty = officer.get(&v1("/sync/pull?cursor=")).await.expect(StatusCode::OK, "an empty cursor: the start");
    assert!(!empty["changes"].as_array().expect("changes").is_empty(), "the demo data");
}

async fn pages_resume_without_gaps_and_show_the_officers_part(db: Arc<TestDb>) {
    let server = db.server().await;
    let officer = user_id(&server, "agent.antwerpen").await;
    let team_id = officer.team_id.expect("a team");
    let (phone, device) = phone(&server, "agent.antwerpen").await;
    let (changes, cursor) = pull_all(&phone, String::new(), 7).await;
    let seen = ids(&changes);
    assert_eq!(seen.len(), seen.iter().collect::<HashSet<_>>().len(), "no record twice");

    let all = RecordQuery { team_id: Some(team_id), limit: 500, ..RecordQuery::default() };
    let mut expected: HashSet<String> =
        server.store.signals(&all).await.expect("signals").iter().map(|s| s.id.to_string()).collect();
    let own = RecordQuery { author_id: Some(officer.id), ..all.clone() };
    let contacts = server.store.contacts(&own).await.expect("contacts");
    assert!(!contacts.is_empty(), "the demo officer logged contacts");
    expected.extend(contacts.iter().map(|c| c.id.to_string()));
    assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), expected, "the team's signals and own contacts only");
    let contact = changes.iter().find(|c| c["kind"] == "contact").expect("a contact");
    assert_eq!(contact["version"], 1);
    assert_eq!(contact["record"]["author_id"], json!(officer.id), "whole records, the officer's own");
    let logged = store::AccessLogQuery { record_id: Some(contacts[0].id), limit: 50, ..Default::default() };
    let log = server.store.access_log(&logged).await.expect("access log");
    if contacts[0].note.is_some() {
        assert!(log.iter().any(|e| e.purpose == "api_sync_pull" && e.reader_id == officer.id), "{log:?}");
    }

    // New work arrives after the last page: the stored cursor brings exactly that.
    let hood = server.store.neighbourhoods_of_team(team_id).await.expect("hoods")[0].id;
    let saved = SystemClock.now() - Duration::minutes(3);
    let body = json!({ "op": "create_contact", "neighbourhood_id": hood, "mobility": "bike", "kind": "check",
        "reason": "prevention", "outcome": "no_action_needed" });
    let m = json!({ "id": Uuid::now_v7(), "device_id": device, "seq": 1, "created_at": saved, "body": body });
    let pushed = phone.post(&v1("/sync/push"), &json!({ "protocol": 1, "device_id": device, "mutations": [m] })).await;
    assert_eq!(pushed.expect(StatusCode::OK, "push")["receipts"][0]["outcome"]["outcome"], "applied");
    let (after, _) = pull_all(&phone, cursor.clone(), 7).await;
    assert_eq!(ids(&after), [m["id"].as_str().expect("id")]);
    let (again, end) = pull_all(&phone, cursor, 7).await;
    assert_eq!(again, after, "a pull repeated from the same cursor answers the same");
    assert!(pull_all(&phone, end, 7).await.0.is_empty());
}

async fn a_partner_pulls_only_their_organisations_signals(db: Arc<TestDb>) {
    let server = db.server().await;
    let partner = user_id(&server, "partner.jeugdwerk").await;
    let org = partner.partner_org_id.expect("an organisation");
    let api = server.logged_in("partner.jeugdwerk").await;
    let (changes, _) = pull_all(&api, String::new(), 3).await;
    assert!(!changes.is_empty(), "the demo partner filed signals");
    for change in &changes {
        assert_eq!(change["kind"], "signal", "never a police contact: {change}");
        let record = &change["record"];
        let ours = record["author_org_id"] == json!(org);
        assert!(ours || record["referred_to_org_id"] == json!(org), "{change}");
        if !ours {
            assert_eq!(record["description"], "", "a referred signal without the police's text");
        }
    }
    let query = RecordQuery { org_id: Some(org), limit: 500, ..RecordQuery::default() };
    let expected: HashSet<String> =
        server.store.signals(&query).await.expect("signals").iter().map(|s| s.id.to_string()).collect();
    assert_eq!(ids(&changes).into_iter().collect::<HashSet<_>>(), expected);
}

async fn only_the_team_lead_resolves_a_kept_conflict_and_only_once(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = server
        .store
        .neighbourhoods_of_team(user_id(&server, "agent.zuid").await.team_id.expect("team"))
        .await
        .expect("hoods")[0]
        .id;
    let (phone, device) = phone(&server, "agent.zuid").await;
    let lead = server.logged_in("teamleider.antwerpen").await;
    let created = json!({ "op": "create_signal", "neighbourhood_id": hood, "category": "waste", "urgency": "low",
        "description": "Sluikstort aan de hoek." });
    let signal_id = Uuid::now_v7();
    let saved = SystemClock.now() - Duration::minutes(30);
    let first = json!({ "id": signal_id, "device_id": device, "seq": 1, "created_at": saved, "body": created });
    let push = |mutations: Value| json!({ "protocol": 1, "device_id": device, "mutations": mutations });
    phone.post(&v1("/sync/push"), &push(json!([first]))).await.expect(StatusCode::OK, "created");
    // On the web, the lead moves it on; the phone, offline, closes it from version 1.
    lead.patch(&v1(&format!("/signals/{signal_id}")), &json!({ "status": "in_progress" }))
        .await
        .expect(StatusCode::OK, "a web edit");
    let edit = json!({ "op": "edit_signal", "signal_id": signal_id, "base_version": 1, "status": "resolved",
        "feedback": "Opgeruimd door de stad." });
    let mutation_id = Uuid::now_v7();
    let second = json!({ "id": mutation_id, "device_id": device, "seq": 2, "created_at": saved, "body": edit });
    let answer = phone.post(&v1("/sync/push"), &push(json!([second]))).await.expect(StatusCode::OK, "kept");
    assert_eq!(answer["receipts"][0]["outcome"]["outcome"], "conflict");

    let officer = server.logged_in("agent.zuid").await;
    assert_eq!(officer.get(&v1("/sync/conflicts")).await.status, StatusCode::FORBIDDEN, "an officer: 403");
    let resolve = v1(&format!("/sync/conflicts/{mutation_id}/resolve"));
    let apply = json!({ "choice": "apply_edit" });
    assert_eq!(officer.post(&resolve, &apply).await.status, StatusCode::FORBIDDEN);
    let other_lead = server.logged_in("teamleider.borgerhout").await;
    let theirs = other_lead.get(&v1("/sync/conflicts")).await.expect(StatusCode::OK, "their own list");
    assert_eq!(theirs, json!([]), "another team's conflicts are not listed");
    assert_eq!(other_lead.post(&resolve, &apply).await.status, StatusCode::NOT_FOUND, "nor resolvable");
    let partner = server.logged_in("partner.jeugdwerk").await;
    assert_eq!(partner.post(&resolve, &apply).await.status, StatusCode::NOT_FOUND);
    assert_eq!(server.client().get(&v1("/sync/conflicts")).await.status, StatusCode::UNAUTHORIZED);

    let open = lead.get(&v1("/sync/conflicts")).await.expect(StatusCode::OK, "the lead's list");
    let open = open.as_array().expect("a list");
    assert_eq!(open.len(), 1, "{open:?}");
    let kept = &open[0];
    assert_eq!(kept["mutation_id"], json!(mutation_id));
    assert_eq!(
        (kept["device_label"].as_str(), kept["author_name"].as_str()),
        (Some("Dienst-gsm"), Some("Jeroen Peeters"))
    );
    assert_eq!((kept["base_version"].clone(), kept["current_version"].clone()), (json!(1), json!(2)));
    assert_eq!(kept["signal"]["status"], "in_progress");
    assert_eq!(
        kept["edit"],
        json!({ "status": "resolved", "feedback": "Opgeruimd door de stad.",
        "saved_at": kept["edit"]["saved_at"] })
    );

    let bad = lead.post(&resolve, &json!({ "choice": "both" })).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    let (_, cursor) = pull_all(&phone, String::new(), 500).await;
    let done = lead.post(&resolve, &apply).await.expect(StatusCode::OK, "resolved");
    assert_eq!(
        done,
        json!({ "mutation_id": mutation_id, "signal_id": signal_id, "choice": "apply_edit", "version": 3 })
    );
    let now = lead.get(&v1(&format!("/signals/{signal_id}"))).await.expect(StatusCode::OK, "the signal");
    assert_eq!((now["status"].as_str(), now["feedback"].as_str()), (Some("resolved"), Some("Opgeruimd door de stad.")));
    let twice = lead.post(&resolve, &json!({ "choice": "keep_current" })).await;
    assert_eq!((twice.status, twice.code()), (StatusCode::CONFLICT, "conflict"), "{}", twice.body);
    assert_eq!(lead.get(&v1("/sync/conflicts")).await.expect(StatusCode::OK, "list"), json!([]));
    let (after, _) = pull_all(&phone, cursor, 500).await;
    assert_eq!(after.len(), 1, "the phone hears of the lead's decision: {after:?}");
    assert_eq!((after[0]["id"].clone(), after[0]["version"].clone()), (json!(signal_id), json!(3)));
    assert_eq!(after[0]["record"]["status"], "resolved");
}

/// Street contacts are kept `contact_retention_days` after they happened: the hourly
/// housekeeping keeps one to its last day and deletes it after, leaving the phones a
/// tombstone so they drop their copy.
async fn a_contact_past_its_retention_goes_and_the_phone_hears_of_it(db: Arc<TestDb>) {
    let clock = manual_clock();
    let server = db
        .server_on(&clock, |c| {
            c.contact_retention_days = 30;
            c.device_key_days = 60;
        })
        .await;
    let officer = user_id(&server, "agent.antwerpen").await;
    let hood = server.store.neighbourhoods_of_team(officer.team_id.expect("a team")).await.expect("hoods")[0].id;
    let (phone, device) = phone(&server, "agent.antwerpen").await;
    let body = json!({ "op": "create_contact", "neighbourhood_id": hood, "mobility": "on_foot", "kind": "check",
        "reason": "prevention", "outcome": "no_action_needed" });
    let contact = Uuid::now_v7();
    let m = json!({ "id": contact, "device_id": device, "seq": 1, "created_at": server.services.now(), "body": body });
    let pushed = phone.post(&v1("/sync/push"), &json!({ "protocol": 1, "device_id": device, "mutations": [m] })).await;
    let receipt = &pushed.expect(StatusCode::OK, "push")["receipts"][0];
    assert_eq!(receipt["outcome"]["outcome"], "applied", "{receipt}");
    let (_, cursor) = pull_all(&phone, String::new(), 100).await;

    clock.advance(Duration::days(30) - Duration::minutes(1));
    server.services.sweep().await;
    let (changes, _) = pull_all(&phone, cursor.clone(), 100).await;
    assert!(!ids(&changes).contains(&contact.to_string()), "kept to its last day: {changes:?}");

    clock.advance(Duration::minutes(2));
    let (swept, error) = server.services.sweep().await;
    assert!(error.is_none(), "{error:?}");
    assert!(swept.contacts >= 1, "{swept:?}");
    let (changes, _) = pull_all(&phone, cursor, 100).await;
    let gone = changes.iter().find(|c| c["id"] == json!(contact)).expect("the phone hears of the deletion");
    assert_eq!(gone["deleted"], true, "a tombstone: {gone}");
}
