//! The JSON API's contract over real HTTP: its OpenAPI document names every endpoint
//! and matches the real answers; every refusal has one shape with a sentence in the
//! requester's language; a phone's own ids are kept and a resend is not stored twice;
//! new accounts set their password with a one-time link.

use crate::support;
use domain::{NeighbourhoodId, RecordId};

use std::collections::BTreeSet;
use std::sync::Arc;

use app::i18n::Locale;
use domain::{Clock, SystemClock};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::{v1, Backend, TestDb};
use uuid::Uuid;

store::testing::both_stores!(
    run = crate::support::run;
    a_phone_keeps_its_own_ids,
    a_new_account_sets_its_password_with_the_link,
    a_referral_can_be_cleared,
    a_team_lead_cannot_make_anyone_an_admin,
    a_city_service_cannot_re_refer,
    an_account_belongs_to_what_its_role_needs_by_either_road,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_every_endpoint() {
    support::run(Backend::Sqlite, the_openapi_document).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_have_one_shape_and_a_sentence() {
    support::run(Backend::Sqlite, refusals).await;
}

async fn the_openapi_document(db: Arc<TestDb>) {
    let server = db.server().await;
    let doc = server.client().get(&v1("/openapi.json")).await.expect(StatusCode::OK, "the document is public");
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object().into_iter().flatten().map(move |(method, _)| format!("{method} {path}"))
        })
        .collect();
    let expected: BTreeSet<String> = [
        "get /me",
        "get /contacts",
        "post /contacts",
        "get /contacts/{id}",
        "get /signals",
        "post /signals",
        "get /signals/{id}",
        "patch /signals/{id}",
        "get /users",
        "post /users",
        "patch /users/{id}",
        "post /users/{id}/password-link",
        "post /password/{token}",
        "get /teams",
        "post /teams",
        "get /organisations",
        "post /organisations",
        "get /devices",
        "post /devices",
        "post /devices/{id}/revoke",
        "get /access-log",
        "post /sync/push",
        "get /sync/pull",
        "get /sync/conflicts",
        "post /sync/conflicts/{mutation_id}/resolve",
        "put /sync/photos/{photo_id}",
        "patch /sync/photos/{photo_id}",
        "get /sync/photos/{photo_id}",
        "get /signals/{id}/photo",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(documented, expected);

    // The schemas are derived from the domain's own types: compare them with real answers.
    let lead = server.logged_in("teamleider.borgerhout").await;
    let first = |reply: support::Reply, what: &str| reply.expect(StatusCode::OK, what)[0].clone();
    let listed = first(lead.get(&v1("/signals?limit=1")).await, "signals");
    let one = v1(&format!("/signals/{}", listed["id"].as_str().expect("id")));
    let samples = [
        ("Contact", first(lead.get(&v1("/contacts?limit=1")).await, "contacts")),
        ("ListedSignal", listed),
        ("Signal", lead.get(&one).await.expect(StatusCode::OK, "one signal")),
        ("User", first(lead.get(&v1("/users")).await, "users")),
        ("Team", first(lead.get(&v1("/teams")).await, "teams")),
        ("Organisation", first(lead.get(&v1("/organisations")).await, "organisations")),
        ("Me", lead.get(&v1("/me")).await.expect(StatusCode::OK, "me")),
        ("PullPage", lead.get(&v1("/sync/pull?limit=1")).await.expect(StatusCode::OK, "a pull")),
    ];
    for (schema, sample) in samples {
        let described = described_properties(&doc, schema);
        let real: BTreeSet<String> = sample.as_object().expect("an object").keys().cloned().collect();
        assert_eq!(described, real, "the {schema} schema and a real answer");
    }
}

/// A schema's properties, with those of the schemas it is made of (`allOf`, as a
/// flattened field is described) followed through their references.
fn described_properties(doc: &Value, schema: &str) -> BTreeSet<String> {
    let described = &doc["components"]["schemas"][schema];
    let mut found: BTreeSet<String> =
        described["properties"].as_object().into_iter().flat_map(|p| p.keys().cloned()).collect();
    for part in described["allOf"].as_array().into_iter().flatten() {
        match part["$ref"].as_str() {
            Some(reference) => {
                let name = reference.rsplit('/').next().expect("a schema name");
                found.extend(described_properties(doc, name));
            }
            None => found.extend(part["properties"].as_object().into_iter().flat_map(|p| p.keys().cloned())),
        }
    }
    assert!(!found.is_empty(), "schema {schema} describes no properties");
    found
}

async fn refusals(db: Arc<TestDb>) {
    let server = db.server().await;
    let mut anonymous = server.client();
    for locale in Locale::ALL {
        anonymous.language = Some(locale.tag());
        let reply = anonymous.get(&v1("/me")).await;
        assert_eq!(
            reply.body,
            json!({ "error": "not_logged_in", "status": 401, "message": locale.messages().login_needed })
        );
    }

    let officer = server.logged_in("agent.borgerhout").await;
    let bad_request = |reply: support::Reply, what: &str| {
        assert_eq!((reply.status, reply.code()), (StatusCode::BAD_REQUEST, "bad_request"), "{what}: {}", reply.body);
        assert_eq!(reply.body["status"], 400);
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(message.len() > 20, "{what}: a sentence, not a code: {message}");
    };
    let json = "application/json";
    bad_request(
        officer.send_raw(Method::POST, &v1("/contacts"), json, r#"{"neighbourhood_id": "#).await,
        "cut-off JSON",
    );
    bad_request(officer.send_raw(Method::POST, &v1("/contacts"), json, r#"{"lat": "north"}"#).await, "a wrong type");
    bad_request(officer.send_raw(Method::POST, &v1("/contacts"), "text/plain", "{}").await, "not JSON");
    bad_request(officer.send_raw(Method::POST, &v1("/contacts"), json, r#"{"id": "nope"}"#).await, "a malformed id");
    bad_request(officer.get(&v1("/contacts/not-a-uuid")).await, "a malformed path");
    bad_request(officer.get(&v1("/signals?limit=many")).await, "a malformed query");
    let signal = Uuid::now_v7();
    bad_request(
        officer.patch(&v1(&format!("/signals/{signal}")), &json!({ "stauts": "open" })).await,
        "a misspelt field",
    );

    // A draft without its fields is an invalid entry, every missing field named at once.
    let reply = officer.post(&v1("/contacts"), &json!({})).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid"), "{}", reply.body);
    let missing: Vec<&str> =
        reply.body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(missing, ["neighbourhood_id", "mobility", "kind", "reason", "outcome"]);
    let empty = json!({ "neighbourhood_id": "", "mobility": "", "kind": "", "reason": "", "outcome": "" });
    let reply = officer.post(&v1("/contacts"), &empty).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid"), "{}", reply.body);
    let fields: Vec<&str> =
        reply.body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert!(fields.contains(&"neighbourhood_id") && fields.contains(&"kind"), "{fields:?}");

    let reply = officer.get(&v1(&format!("/signals/{signal}"))).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::NOT_FOUND, "not_found"));
    let reply = officer.send_raw(Method::DELETE, &v1("/nothing/here"), json, "{}").await;
    assert_eq!((reply.status, reply.code()), (StatusCode::NOT_FOUND, "not_found"));
    assert!(
        reply.body["message"].as_str().is_some_and(|m| m.contains("DELETE /api/v1/nothing/here")),
        "{}",
        reply.body
    );

    // A cookie is ambient authority: without this site's Origin a write is refused
    // before any handler runs (CSRF), even with a live session.
    let token = officer.session.clone().expect("a session");
    let cross_site = reqwest::Client::new()
        .post(format!("{}{}", server.base, v1("/devices")))
        .header("cookie", format!("wijkpost_session={token}"))
        .json(&json!({}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
}

fn draft(hood: NeighbourhoodId) -> Value {
    json!({ "neighbourhood_id": hood, "mobility": "on_foot", "kind": "question", "reason": "information",
            "outcome": "informed", "occurred_at": (SystemClock.now() - chrono::Duration::hours(3)).to_rfc3339() })
}

async fn borgerhout_hood(server: &support::TestServer) -> NeighbourhoodId {
    let teams = server.store.teams().await.expect("teams");
    let team = teams.iter().find(|t| t.name == "Wijkteam Borgerhout").expect("Borgerhout");
    server.store.neighbourhoods_of_team(team.id).await.expect("neighbourhoods")[0].id
}

async fn a_phone_keeps_its_own_ids(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = borgerhout_hood(&server).await;
    let (phone, _) = support::phone(&server, "agent.borgerhout").await;

    // Written offline, sent twice (the first answer was lost in a dead zone).
    let id = RecordId::new_v7();
    let mut offline = draft(hood);
    offline["id"] = json!(id);
    let saved = phone.post(&v1("/contacts"), &offline).await.expect(StatusCode::CREATED, "the upload");
    assert_eq!(saved["id"], json!(id));
    let again = phone.post(&v1("/contacts"), &offline).await;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "conflict"), "{}", again.body);
    let contacts = server
        .store
        .contacts(&store::RecordQuery {
            team_id: saved["team_id"].as_str().and_then(|s| s.parse().ok()),
            limit: 500,
            ..Default::default()
        })
        .await
        .expect("contacts");
    assert_eq!(contacts.iter().filter(|c| c.id == id).count(), 1, "stored once");

    let fresh = phone.post(&v1("/contacts"), &draft(hood)).await.expect(StatusCode::CREATED, "an upload without an id");
    let fresh_id: Uuid = fresh["id"].as_str().and_then(|s| s.parse().ok()).expect("an id");
    assert_eq!(fresh_id.get_version_num(), 7, "ids sort by time");
}

async fn a_new_account_sets_its_password_with_the_link(db: Arc<TestDb>) {
    let server = db.server().await;
    let admin = server.logged_in("beheerder").await;
    let form = json!({ "username": "agent.kiel", "display_name": "Ann Peeters", "role": "officer",
                       "team_id": server.store.teams().await.expect("teams")[0].id });
    let created = admin.post(&v1("/users"), &form).await.expect(StatusCode::CREATED, "the admin creates an account");
    let link = created["password_link"].as_str().expect("a link").to_owned();
    assert!(created["expires_at"].is_string());
    let visitor = server.client();
    let reply = visitor.post(&v1(&link), &json!({ "password": "kort" })).await;
    assert_eq!(
        (reply.status, reply.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        "too short: {}",
        reply.body
    );
    let user =
        visitor.post(&v1(&link), &json!({ "password": "een-lang-wachtwoord" })).await.expect(StatusCode::OK, "set");
    assert_eq!(user["username"], "agent.kiel");
    let reply = visitor.post(&v1(&link), &json!({ "password": "nog-een-wachtwoord" })).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::GONE, "link_invalid"), "once only: {}", reply.body);
    server.logged_in_with("agent.kiel", "een-lang-wachtwoord").await;

    let again = admin
        .post(&v1(&format!("/users/{}/password-link", user["id"].as_str().expect("id"))), &json!({}))
        .await
        .expect(StatusCode::CREATED, "a reset link");
    visitor
        .post(&v1(again["password_link"].as_str().expect("link")), &json!({ "password": "weer-een-wachtwoord" }))
        .await
        .expect(StatusCode::OK, "the reset link works");
    let reply = server.client().log_in("agent.kiel", "een-lang-wachtwoord").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "the old password is gone");
}

async fn a_referral_can_be_cleared(db: Arc<TestDb>) {
    let server = db.server().await;
    let hood = borgerhout_hood(&server).await;
    let lead = server.logged_in("teamleider.borgerhout").await;
    let signal = json!({ "neighbourhood_id": hood, "category": "waste", "urgency": "low", "description": "Sluikstort aan de hoek." });
    let created = lead.post(&v1("/signals"), &signal).await.expect(StatusCode::CREATED, "a signal");
    let path = v1(&format!("/signals/{}", created["id"].as_str().expect("id")));
    let org = server.store.partner_organisations().await.expect("organisations")[0].id;
    let referred = lead
        .patch(&path, &json!({ "referred_to_org_id": org, "feedback": "Doorgegeven" }))
        .await
        .expect(StatusCode::OK, "refer");
    assert_eq!((referred["referred_to_org_id"].clone(), referred["status"].clone()), (json!(org), json!("open")));
    let unchanged = lead.patch(&path, &json!({ "status": "referred" })).await.expect(StatusCode::OK, "a status only");
    assert_eq!(unchanged["referred_to_org_id"], json!(org), "an absent field stays as it was");
    let cleared = lead.patch(&path, &json!({ "referred_to_org_id": null })).await.expect(StatusCode::OK, "clear");
    assert!(cleared["referred_to_org_id"].is_null(), "null clears the referral: {cleared}");
    assert_eq!(cleared["feedback"], "Doorgegeven");
    // Too long is refused with the reason, never silently shortened.
    let reply = lead.patch(&path, &json!({ "feedback": "x".repeat(1001) })).await;
    assert_eq!((reply.status, reply.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid"), "{}", reply.body);
    assert_eq!(reply.body["errors"][0]["field"], "feedback");
}

async fn a_team_lead_cannot_make_anyone_an_admin(db: Arc<TestDb>) {
    let server = db.server().await;
    let lead = server.logged_in("teamleider.borgerhout").await;
    let me = lead.get(&v1("/me")).await.expect(StatusCode::OK, "me");
    let team = me["team_id"].clone();
    for role in ["admin", "team_lead", "partner", "city_service"] {
        let form =
            json!({ "username": format!("nieuw.{role}"), "display_name": "Nieuw", "role": role, "team_id": team });
        let reply = lead.post(&v1("/users"), &form).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "a team lead granting {role}: {}", reply.body);
    }
    let form = json!({ "username": "nieuw.agent", "display_name": "Nieuw", "role": "officer", "team_id": team });
    lead.post(&v1("/users"), &form).await.expect(StatusCode::CREATED, "an officer in the own team");

    let users = lead.get(&v1("/users")).await.expect(StatusCode::OK, "users");
    let officer =
        users.as_array().expect("list").iter().find(|u| u["username"] == "agent.borgerhout").expect("officer").clone();
    let promote = json!({ "username": "agent.borgerhout", "display_name": officer["display_name"], "role": "admin", "team_id": team });
    let reply = lead.patch(&v1(&format!("/users/{}", officer["id"].as_str().expect("id"))), &promote).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "promotion to admin: {}", reply.body);
}

async fn a_city_service_cannot_re_refer(db: Arc<TestDb>) {
    let server = db.server().await;
    let city = server.logged_in("stad.netheid").await;
    let signals = city.get(&v1("/signals")).await.expect(StatusCode::OK, "signals");
    let referred = signals.as_array().expect("list").first().expect("a signal referred to the city").clone();
    let path = v1(&format!("/signals/{}", referred["id"].as_str().expect("id")));
    let elsewhere = server
        .store
        .partner_organisations()
        .await
        .expect("organisations")
        .into_iter()
        .find(|o| o.kind != domain::PartnerKind::CityService)
        .expect("a partner")
        .id;
    let reply = city.patch(&path, &json!({ "referred_to_org_id": elsewhere })).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "re-referral: {}", reply.body);
    let reply = city.patch(&path, &json!({ "referred_to_org_id": null })).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "withdrawal: {}", reply.body);
    city.patch(&path, &json!({ "status": "in_progress", "feedback": "Ingepland" }))
        .await
        .expect(StatusCode::OK, "status and feedback");
}

/// Issue 8, item 3: a team lead made an officer of a partner organisation through the
/// API (201), so the partner read that officer's signals. The role decides: police a
/// team and no organisation, partners and city services an organisation and no team.
/// The API and the admin page's server functions go through the same use case, so
/// both refuse, with a sentence under the field that is wrong.
async fn an_account_belongs_to_what_its_role_needs_by_either_road(db: Arc<TestDb>) {
    let server = db.server().await;
    let orgs = server.store.partner_organisations().await.expect("organisations");
    let partner_org = orgs.iter().find(|o| o.kind != domain::PartnerKind::CityService).expect("a partner").id;
    let city_org = orgs.iter().find(|o| o.kind == domain::PartnerKind::CityService).expect("a city service").id;
    let lead = server.logged_in("teamleider.borgerhout").await;
    let team = lead.get(&v1("/me")).await.expect(StatusCode::OK, "me")["team_id"].clone();

    #[track_caller]
    fn refused(reply: support::Reply, field: &str, problem: &str, what: &str) {
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            "{what}: {}",
            reply.body
        );
        let errors = reply.body["errors"].as_array().expect("errors").clone();
        let error =
            errors.iter().find(|e| e["field"] == field).unwrap_or_else(|| panic!("{what}: {field} in {errors:?}"));
        assert_eq!(error["problem"], problem, "{what}");
        assert!(error["message"].as_str().is_some_and(|m| m.len() > 20), "{what}: a sentence for {field}: {error}");
    }

    let officer = json!({ "username": "agent.dubbel", "display_name": "Dubbel", "role": "officer",
                          "team_id": team, "org_id": partner_org });
    let reply = lead.post(&v1("/users"), &officer).await;
    refused(reply.clone(), "org_id", "not_for_role", "a team lead's officer with a partner organisation");
    let message = reply.body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("organisatie"), "the sentence names the organisation: {message}");

    let admin = server.logged_in("beheerder").await;
    let partner = json!({ "username": "partner.dubbel", "display_name": "Dubbel", "role": "partner",
                          "team_id": team, "org_id": partner_org });
    refused(admin.post(&v1("/users"), &partner).await, "team_id", "not_for_role", "a partner with a team");
    let city = json!({ "username": "stad.verkeerd", "display_name": "Verkeerd", "role": "city_service",
                       "org_id": partner_org });
    refused(admin.post(&v1("/users"), &city).await, "org_id", "needed_for_role", "a city service of a partner org");
    let users = admin.get(&v1("/users")).await.expect(StatusCode::OK, "users");
    let names: Vec<&str> = users.as_array().expect("list").iter().filter_map(|u| u["username"].as_str()).collect();
    assert!(!names.iter().any(|n| ["agent.dubbel", "partner.dubbel", "stad.verkeerd"].contains(n)), "{names:?}");

    // A change of role that would leave the old team with the new role.
    let deurne = users.as_array().expect("list").iter().find(|u| u["username"] == "agent.deurne").expect("officer");
    let path = v1(&format!("/users/{}", deurne["id"].as_str().expect("id")));
    let to_partner = json!({ "username": "agent.deurne", "display_name": deurne["display_name"], "role": "partner",
                             "team_id": deurne["team_id"], "org_id": partner_org });
    refused(admin.patch(&path, &to_partner).await, "team_id", "not_for_role", "an officer made partner, team kept");
    let to_city = json!({ "username": "agent.deurne", "display_name": deurne["display_name"], "role": "city_service",
                          "org_id": partner_org });
    refused(admin.patch(&path, &to_city).await, "org_id", "needed_for_role", "a city service of a partner org");
    let unchanged = admin.get(&v1("/users")).await.expect(StatusCode::OK, "users");
    let now = unchanged.as_array().expect("list").iter().find(|u| u["username"] == "agent.deurne").expect("officer");
    assert_eq!((now["role"].clone(), now["partner_org_id"].clone()), (json!("officer"), Value::Null));
    let fits = json!({ "username": "agent.deurne", "display_name": deurne["display_name"], "role": "city_service",
                       "org_id": city_org });
    let changed = admin.patch(&path, &fits).await.expect(StatusCode::OK, "what fits is saved");
    assert_eq!((changed["team_id"].clone(), changed["partner_org_id"].clone()), (Value::Null, json!(city_org)));

    // The admin page's server function: the same refusal for the same pair.
    let team_id = team.as_str().expect("team").to_owned();
    let org_id = partner_org.to_string();
    let form = [
        ("username", "agent.dubbel"),
        ("display_name", "Dubbel"),
        ("role", "officer"),
        ("team_id", team_id.as_str()),
        ("org_id", org_id.as_str()),
    ];
    let (reply, _) = lead.post_form("/api/create_account", &form).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "the page's road: {}", reply.body);
    assert_eq!(reply.body["errors"][0]["field"], "org_id", "{}", reply.body);
    assert_eq!(reply.body["errors"][0]["problem"], "not_for_role", "{}", reply.body);
    let form = [
        ("username", "agent.enkel"),
        ("display_name", "Enkel"),
        ("role", "officer"),
        ("team_id", team_id.as_str()),
        ("org_id", ""),
    ];
    let (reply, _) = lead.post_form("/api/create_account", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "the team alone: {}", reply.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_every_refusal_and_what_is_refused() {
    support::run(Backend::Sqlite, every_refusal_documented).await;
}

/// What schemathesis (scripts/api-fuzz.sh) checks at length, in short: an operation
/// that needs a caller documents 401 and 403, every operation 400; the schemas say
/// what the server refuses (at most one of `user` and `team`, no unknown filter,
/// the password's least length, the pull cursor's form) and the server refuses what
/// they exclude.
async fn every_refusal_documented(db: Arc<TestDb>) {
    let server = db.server().await;
    let doc = server.client().get(&v1("/openapi.json")).await.expect(StatusCode::OK, "the document");
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let listed = |status: &str| operation["responses"].get(status).is_some();
            assert!(listed("400"), "{method} {path} lists 400");
            if operation["security"] != json!([{}]) {
                assert!(listed("401") && listed("403"), "{method} {path} lists 401 and 403");
            }
        }
    }
    let parameter = |path: &str, name: &str| {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .and_then(|all| all.iter().find(|p| p["name"] == name).cloned())
            .unwrap_or_default()
    };
    let filter = parameter("/devices", "filter");
    assert_eq!(filter["schema"]["oneOf"].as_array().map(Vec::len), Some(3), "{filter}");
    let cursor = parameter("/sync/pull", "cursor");
    let password = &doc["components"]["schemas"]["NewPassword"]["properties"]["password"];
    assert_eq!(password["minLength"], service::accounts::MIN_PASSWORD_CHARS, "{password}");

    let lead = server.logged_in("teamleider.borgerhout").await;
    let me = lead.get(&v1("/me")).await.expect(StatusCode::OK, "me");
    let (user, team) = (me["id"].as_str().unwrap_or_default(), me["team_id"].as_str().unwrap_or_default());
    for refused in [
        format!("/devices?user={user}&team={team}"),
        "/devices?colour=blue".into(),
        format!("/access-log?team={team}&org={team}"),
        format!("/access-log?team={team}&sort=oldest"),
    ] {
        let reply = lead.get(&v1(&refused)).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::BAD_REQUEST, "bad_request"), "{refused}: {}", reply.body);
    }
    for allowed in [format!("/devices?team={team}"), format!("/access-log?team={team}&limit=5"), "/devices".into()] {
        lead.get(&v1(&allowed)).await.expect(StatusCode::OK, &allowed);
    }
    // The cursor's documented form, and one the server hands out has it.
    assert_eq!(cursor["schema"]["pattern"], r"^(c1\.[0-9]{1,18})?$", "{cursor}");
    let page = lead.get(&v1("/sync/pull?limit=1")).await.expect(StatusCode::OK, "a pull");
    let digits = page["cursor"].as_str().and_then(|c| c.strip_prefix("c1.")).unwrap_or_default();
    assert!((1..=18).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()), "{}", page["cursor"]);

    // Every body is documented as an object; serde alone would read `[]` as an empty one.
    for body in ["[]", "[\"Pixel\"]", "\"Pixel\"", "null"] {
        let reply = lead.send_raw(Method::POST, &v1("/devices"), "application/json", body).await;
        assert_eq!((reply.status, reply.code()), (StatusCode::BAD_REQUEST, "bad_request"), "{body}: {}", reply.body);
    }
}
