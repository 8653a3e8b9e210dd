//! Linking a signal to an earlier one ("is it one of these?" — yes) over real HTTP on
//! both stores: from the API and from a phone's push, the new report is stored whole
//! with its link and counted on the earlier signal; a link to a signal that does not
//! exist, is another team's or is not the author's to see is refused on `duplicate_of`,
//! in the same words whichever it is, and on its own in a push.

use crate::support;
use domain::{NeighbourhoodId, RecordId};

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use domain::{Clock, SystemClock};
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::{phone, v1, Api, TestDb, TestServer};
use uuid::Uuid;

store::testing::both_stores!(
    run = crate::support::run;
    a_report_filed_as_the_same_is_linked_and_counted,
    a_pushed_link_is_checked_per_entry,
);

async fn hood_of(server: &TestServer, team: &str) -> NeighbourhoodId {
    let teams = server.store.teams().await.expect("teams");
    let team = teams.iter().find(|t| t.name == team).unwrap_or_else(|| panic!("{team}"));
    server.store.neighbourhoods_of_team(team.id).await.expect("neighbourhoods")[0].id
}

fn draft(hood: NeighbourhoodId, description: &str) -> Value {
    json!({ "neighbourhood_id": hood, "category": "lighting", "urgency": "normal", "description": description,
            "lat": 51.2135, "lon": 4.4340, "accuracy_m": 8.0 })
}

fn linked(hood: NeighbourhoodId, description: &str, earlier: &Value) -> Value {
    let mut draft = draft(hood, description);
    draft["duplicate_of"] = earlier.clone();
    draft
}

async fn file(api: &Api, body: &Value) -> Value {
    api.post(&v1("/signals"), body).await.expect(StatusCode::CREATED, "a signal")
}

/// The refusal of a link, checked to be the one on `duplicate_of` alone.
async fn refused_link(api: &Api, body: &Value, what: &str) -> Value {
    let reply = api.post(&v1("/signals"), body).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid"), "{what}: {}", reply.body);
    let errors: Vec<(&Value, &Value)> =
        reply.body["errors"].as_array().into_iter().flatten().map(|e| (&e["field"], &e["problem"])).collect();
    assert_eq!(errors, [(&json!("duplicate_of"), &json!("unknown_code"))], "{what}: {}", reply.body);
    assert!(reply.body["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()), "with a sentence");
    reply.body
}

async fn a_report_filed_as_the_same_is_linked_and_counted(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let lead = server.logged_in("teamleider.borgerhout").await;
    let officer = server.logged_in("agent.borgerhout").await;
    let first = file(&lead, &draft(hood, "Straatlamp aan het plein is stuk.")).await;
    assert!(first["duplicate_of"].is_null(), "a new signal links to nothing: {first}");

    let second = file(&officer, &linked(hood, "Lamp brandt nog altijd niet.", &first["id"])).await;
    assert_eq!(second["duplicate_of"], first["id"]);
    assert_eq!(second["description"], "Lamp brandt nog altijd niet.", "the report keeps its own text");
    assert_ne!(second["author_id"], first["author_id"], "and its own author");
    // "It is this one" about a report itself links to the signal it reports.
    let third = file(&officer, &linked(hood, "Nu al een week donker.", &second["id"])).await;
    assert_eq!(third["duplicate_of"], first["id"], "{third}");

    let listed = lead.get(&v1("/signals?limit=500")).await.expect(StatusCode::OK, "the team's signals");
    let row = |id: &Value| {
        listed.as_array().expect("a list").iter().find(|s| &s["id"] == id).cloned().unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(row(&first["id"])["linked_reports"], 2, "ook gemeld: 2×");
    assert_eq!(row(&second["id"])["linked_reports"], 0);
    assert_eq!(row(&second["id"])["duplicate_of"], first["id"], "a linked one says so in the list");
    let one = lead.get(&v1(&format!("/signals/{}", third["id"].as_str().expect("id")))).await;
    assert_eq!(one.expect(StatusCode::OK, "one signal")["duplicate_of"], first["id"]);

    // Unknown, another team's, and the police's signal for a partner: one answer.
    let count_before = server.store.count_signals(None).await.expect("count");
    let unknown = refused_link(&officer, &linked(hood, "x", &json!(Uuid::now_v7())), "an unknown id").await;
    let deurne = server.logged_in("agent.deurne").await;
    let theirs = file(&deurne, &draft(hood_of(&server, "Wijkteam Deurne").await, "Lamp stuk in Deurne.")).await;
    let foreign = refused_link(&officer, &linked(hood, "x", &theirs["id"]), "another team's signal").await;
    assert_eq!(foreign, unknown, "the answer does not tell that the other team's signal exists");
    let partner = server.logged_in("partner.jeugdwerk").await;
    refused_link(&partner, &linked(hood, "x", &first["id"]), "a police signal a partner may not see").await;
    let own_id = json!(Uuid::now_v7());
    let mut itself = linked(hood, "x", &own_id);
    itself["id"] = own_id;
    refused_link(&officer, &itself, "the signal itself").await;
    assert_eq!(server.store.count_signals(None).await.expect("count"), count_before + 1, "only Deurne's was stored");

    // A partner links to a signal its own organisation filed, and counts only those.
    let own = file(&partner, &draft(hood, "Jongeren melden een kapotte lamp.")).await;
    let again = file(&partner, &linked(hood, "Nog steeds kapot.", &own["id"])).await;
    assert_eq!(again["duplicate_of"], own["id"]);
    file(&officer, &linked(hood, "Ook door de wijkagent gezien.", &own["id"])).await;
    let seen = partner.get(&v1("/signals?limit=500")).await.expect(StatusCode::OK, "the organisation's signals");
    let own_row = seen.as_array().expect("a list").iter().find(|s| s["id"] == own["id"]).expect("own").clone();
    assert_eq!(own_row["linked_reports"], 1, "the officer's report is not the partner's to count");
    let team = lead.get(&v1("/signals?limit=500")).await.expect(StatusCode::OK, "the team's signals");
    let team_row = team.as_array().expect("a list").iter().find(|s| s["id"] == own["id"]).expect("listed").clone();
    assert_eq!(team_row["linked_reports"], 2);
}

fn saved_at() -> DateTime<Utc> {
    let t = SystemClock.now() - Duration::minutes(10);
    DateTime::from_timestamp(t.timestamp(), 0).expect("a moment")
}

fn create(body: Value) -> Value {
    let mut body = body;
    body["op"] = json!("create_signal");
    body
}

async fn a_pushed_link_is_checked_per_entry(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = hood_of(&server, "Wijkteam Borgerhout").await;
    let lead = server.logged_in("teamleider.borgerhout").await;
    let ours = file(&lead, &draft(hood, "Straatlamp aan het plein is stuk.")).await;
    let deurne = server.logged_in("agent.deurne").await;
    let theirs = file(&deurne, &draft(hood_of(&server, "Wijkteam Deurne").await, "Lamp stuk in Deurne.")).await;

    let (api, device) = phone(&server, "agent.borgerhout").await;
    // Read once: two reads a second apart would make the check below flaky.
    let saved = saved_at();
    let bodies = [
        create(linked(hood, "Zelfde lamp?", &theirs["id"])),
        create(linked(hood, "Lamp nog altijd stuk.", &ours["id"])),
        create(draft(hood, "Een andere lamp, verderop.")),
    ];
    let sent: Vec<Value> = bodies
        .into_iter()
        .zip(1u64..)
        .map(|(body, seq)| {
            json!({ "id": Uuid::now_v7(), "device_id": device, "seq": seq, "created_at": saved, "body": body })
        })
        .collect();
    let batch = json!({ "protocol": 1, "device_id": device, "mutations": sent });
    let answer = api.post(&v1("/sync/push"), &batch).await.expect(StatusCode::OK, "a push");
    let receipts = answer["receipts"].as_array().expect("receipts").clone();
    let outcomes: Vec<&str> = receipts.iter().map(|r| r["outcome"]["outcome"].as_str().unwrap_or_default()).collect();
    assert_eq!(outcomes, ["rejected", "applied", "applied"], "{receipts:?}");
    assert_eq!(
        receipts[0]["outcome"]["errors"]["errors"],
        json!([{ "field": "duplicate_of", "problem": "unknown_code" }]),
        "another team's signal is not one this phone could link to"
    );
    let again = api.post(&v1("/sync/push"), &batch).await.expect(StatusCode::OK, "a replay");
    assert_eq!(again["receipts"], json!(receipts), "a replay answers the same");

    // A create's record takes its mutation's id.
    let id = |m: &Value| m["id"].as_str().expect("id").parse::<RecordId>().expect("a uuid");
    assert_eq!(server.store.signal(id(&sent[0])).await.expect("read"), None, "the refused one is not stored");
    let linked = server.store.signal(id(&sent[1])).await.expect("read").expect("stored");
    assert_eq!(linked.duplicate_of.map(|u| json!(u)), Some(ours["id"].clone()));
    assert_eq!(linked.description, "Lamp nog altijd stuk.");
    assert_eq!(linked.occurred_at, saved, "it keeps the moment the phone saved it");
    let plain = server.store.signal(id(&sent[2])).await.expect("read").expect("stored");
    assert_eq!(plain.duplicate_of, None);

    let listed = lead.get(&v1("/signals?limit=500")).await.expect(StatusCode::OK, "the team's signals");
    let row = listed.as_array().expect("a list").iter().find(|s| s["id"] == ours["id"]).expect("listed").clone();
    assert_eq!(row["linked_reports"], 1);
}
