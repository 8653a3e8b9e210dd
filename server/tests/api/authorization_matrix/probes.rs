//! The authorization matrix's world and probes: one person of every role with the
//! records, colleagues and phones their rules are about, and one HTTP request per
//! (kind, action) that shows what the server lets them do.
//!
//! Everything is set up through the API (as `beheerder` where accounts are needed); the
//! store is used only to look ids up and to count access-log entries.

use domain::policy::Action;
use domain::NeighbourhoodId;
use domain::Role;
use domain::UserId;
use domain::{OrgId, TeamId};
use reqwest::StatusCode;
use serde_json::{json, Value};
use store::{AccessLogQuery, Store};
use uuid::Uuid;

use crate::support::{v1, Api, Reply, TestServer, DEMO_PASSWORD};

/// The kinds of resource the policy knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Contact,
    Signal,
    User,
    Team,
    Organisation,
    Device,
    AccessLog,
}

/// What one request showed (and what the table expects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// 2xx; for read-personal: the personal field is in the answer and its read was logged.
    Allow,
    /// 403: "not allowed", the record's existence is no secret.
    Forbidden,
    /// 404, not confirming the record exists (for a new contact in a neighbourhood the
    /// person may not log in, the form's 422 on `neighbourhood_id` says the same).
    Hidden,
    /// Read-personal refused by leaving the field out: the record comes without it and
    /// no read is logged.
    Redacted,
    /// Reads of accounts, teams and organisations are lists: a refused record is
    /// simply not in the list.
    Unlisted,
    /// The API offers no such operation, so there is nothing to ask.
    NotApplicable,
}

const COLLEAGUE_PASSWORD: &str = "matrix-wachtwoord-1";

/// Another account within (or outside) a person's reach, with two phones.
#[derive(Debug, Clone)]
pub struct Colleague {
    pub id: Uuid,
    /// Its account form, for PATCH /users/{id}.
    pub form: Value,
    pub read_device: Uuid,
    pub revoke_device: Uuid,
}

/// What a person's probes aim at.
#[derive(Debug, Clone)]
pub struct Targets {
    /// Where new contacts and signals are logged.
    pub hood: NeighbourhoodId,
    /// A contact with a note.
    pub contact: Uuid,
    pub signal: Uuid,
    pub colleague: Colleague,
    /// An account to create (AccountForm JSON without the username).
    pub new_user: Value,
    /// The team and organisation that should (or should not) be listed.
    pub team: TeamId,
    pub org: OrgId,
    /// The access log's query: `team=…` or `org=…`.
    pub log: String,
}

pub struct Person {
    pub role: Role,
    pub username: String,
    pub user_id: UserId,
    pub api: Api,
    /// The same person through a phone's device key (registered in the session above).
    pub key: Api,
    /// Within the person's own team or organisation: the most the rules give them.
    pub own: Targets,
    /// Another team's or organisation's.
    pub elsewhere: Targets,
}

/// Ids the setup looks up once.
struct Ids {
    borgerhout: TeamId,
    antwerpen: TeamId,
    borgerhout_hood: NeighbourhoodId,
    antwerpen_hood: NeighbourhoodId,
    jeugdwerk: OrgId,
    buurtvaders: OrgId,
}

async fn ids(store: &dyn Store) -> Ids {
    let teams = store.teams().await.expect("teams");
    let team =
        |name: &str| teams.iter().find(|t| t.name == name).map(|t| t.id).unwrap_or_else(|| panic!("demo team {name}"));
    let orgs = store.partner_organisations().await.expect("organisations");
    let org = |name: &str| {
        orgs.iter().find(|o| o.name == name).map(|o| o.id).unwrap_or_else(|| panic!("demo organisation {name}"))
    };
    let (borgerhout, antwerpen) = (team("Wijkteam Borgerhout"), team("Wijkteam Antwerpen"));
    let hood = |team_id| async move { store.neighbourhoods_of_team(team_id).await.expect("neighbourhoods")[0].id };
    Ids {
        borgerhout,
        antwerpen,
        borgerhout_hood: hood(borgerhout).await,
        antwerpen_hood: hood(antwerpen).await,
        jeugdwerk: org("Jeugdwerk Borgerhout"),
        buurtvaders: org("Buurtvaders Borgerhout"),
    }
}

fn contact_draft(hood: NeighbourhoodId) -> Value {
    json!({ "neighbourhood_id": hood, "mobility": "bike", "kind": "conversation", "reason": "youth",
            "outcome": "informed", "note": "Jongeren vragen naar het nieuwe voetbalveld." })
}

fn signal_draft(hood: NeighbourhoodId) -> Value {
    json!({ "neighbourhood_id": hood, "category": "lighting", "urgency": "normal",
            "description": "Lamp aan de speeltuin is stuk." })
}

fn id_of<T: std::str::FromStr>(body: &Value, what: &str) -> T {
    body["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{what} has an id: {body}"))
}

fn account(username: &str, role: Role, team: Option<TeamId>, org: Option<OrgId>) -> Value {
    json!({ "username": username, "display_name": format!("Matrix {username}"), "role": role.code(),
            "team_id": team, "org_id": org })
}

/// Creates an account as the admin and sets its password through its one-time link.
async fn new_account(server: &TestServer, admin: &Api, form: &Value) -> Uuid {
    let created = admin.post(&v1("/users"), form).await.expect(StatusCode::CREATED, "the admin creates an account");
    let link = created["password_link"].as_str().expect("a password link");
    let token = link.strip_prefix("/password/").expect("the link's path");
    server
        .client()
        .post(&v1(&format!("/password/{token}")), &json!({ "password": COLLEAGUE_PASSWORD }))
        .await
        .expect(StatusCode::OK, "the link sets a password");
    id_of(&created["user"], "the new account")
}

async fn colleague(
    server: &TestServer,
    admin: &Api,
    username: &str,
    role: Role,
    team: Option<TeamId>,
    org: Option<OrgId>,
) -> Colleague {
    let form = account(username, role, team, org);
    let id = new_account(server, admin, &form).await;
    let api = server.logged_in_with(username, COLLEAGUE_PASSWORD).await;
    let mut devices = Vec::new();
    for label in ["lezen", "intrekken"] {
        let body = api.post(&v1("/devices"), &json!({ "label": label })).await.expect(StatusCode::CREATED, "a phone");
        devices.push(body["device_id"].as_str().and_then(|s| s.parse().ok()).expect("a device id"));
    }
    Colleague { id, form, read_device: devices[0], revoke_device: devices[1] }
}

async fn create<T: std::str::FromStr>(api: &Api, path: &str, body: &Value, what: &str) -> T {
    id_of(&api.post(&v1(path), body).await.expect(StatusCode::CREATED, what), what)
}

/// The city-service account and its organisation. The demo's `stad.netheid` is used
/// when it belongs to an organisation; otherwise the admin makes one of each.
async fn city_service(server: &TestServer, admin: &Api) -> (String, String, OrgId) {
    let demo = server.logged_in("stad.netheid").await;
    let me = demo.get(&v1("/me")).await.expect(StatusCode::OK, "stad.netheid");
    if let Some(org) = me["partner_org_id"].as_str().and_then(|s| s.parse().ok()) {
        return ("stad.netheid".into(), DEMO_PASSWORD.into(), org);
    }
    eprintln!("note: the demo's stad.netheid has no organisation; the admin creates a city service");
    let org_form = json!({ "name": "Stad Antwerpen - Netheid", "kind": "city_service" });
    let org = create(admin, "/organisations", &org_form, "a city service").await;
    new_account(server, admin, &account("mx.stad", Role::CityService, None, Some(org))).await;
    ("mx.stad".into(), COLLEAGUE_PASSWORD.into(), org)
}

/// Sets up everyone; returns them in the order of [`Role::all`].
pub async fn world(server: &TestServer) -> Vec<Person> {
    let ids = ids(server.store.as_ref()).await;
    let admin = server.logged_in("beheerder").await;
    let (city_user, city_password, city) = city_service(server, &admin).await;

    // Records of both teams, of a partner, and one referred to the city service.
    let agent_b = server.logged_in("agent.borgerhout").await;
    let agent_a = server.logged_in("agent.antwerpen").await;
    let lead_b = server.logged_in("teamleider.borgerhout").await;
    let partner = server.logged_in("partner.jeugdwerk").await;
    let contact_b = create(&agent_b, "/contacts", &contact_draft(ids.borgerhout_hood), "a Borgerhout contact").await;
    let signal_b = create(&agent_b, "/signals", &signal_draft(ids.borgerhout_hood), "a Borgerhout signal").await;
    let contact_a = create(&agent_a, "/contacts", &contact_draft(ids.antwerpen_hood), "an Antwerpen contact").await;
    let signal_a = create(&agent_a, "/signals", &signal_draft(ids.antwerpen_hood), "an Antwerpen signal").await;
    let partner_signal = create(&partner, "/signals", &signal_draft(ids.borgerhout_hood), "a partner's signal").await;
    let referred = create(&agent_b, "/signals", &signal_draft(ids.borgerhout_hood), "a signal to refer").await;
    lead_b
        .patch(&v1(&format!("/signals/{referred}")), &json!({ "referred_to_org_id": city, "status": "referred" }))
        .await
        .expect(StatusCode::OK, "the team lead refers a signal to the city service");

    let (b, a) = (Some(ids.borgerhout), Some(ids.antwerpen));
    let mut colleagues = Vec::new();
    for (name, role, team, org) in [
        ("mx.collega.agent", Role::Officer, b, None),
        ("mx.collega.teamleider", Role::Officer, b, None),
        ("mx.collega.interventie", Role::Officer, a, None),
        ("mx.collega.partner", Role::Partner, None, Some(ids.jeugdwerk)),
        ("mx.collega.stad", Role::CityService, None, Some(city)),
        ("mx.collega.beheerder", Role::Officer, b, None),
    ] {
        colleagues.push(colleague(server, &admin, name, role, team, org).await);
    }
    let [c_officer, c_lead, c_intervention, c_partner, c_city, c_admin] =
        <[Colleague; 6]>::try_from(colleagues).expect("six colleagues");

    let police = |team: TeamId, hood, contact, signal, colleague: &Colleague, new_user| Targets {
        hood,
        contact,
        signal,
        colleague: colleague.clone(),
        new_user,
        team,
        org: ids.jeugdwerk,
        log: format!("team={team}"),
    };
    let officer_in = |team| account("", Role::Officer, Some(team), None);
    let in_borgerhout =
        police(ids.borgerhout, ids.borgerhout_hood, contact_b, signal_b, &c_lead, officer_in(ids.borgerhout));
    let in_antwerpen =
        police(ids.antwerpen, ids.antwerpen_hood, contact_a, signal_a, &c_intervention, officer_in(ids.antwerpen));
    let outside = |signal, colleague: &Colleague, new_user, org: OrgId| Targets {
        hood: ids.borgerhout_hood,
        contact: contact_b,
        signal,
        colleague: colleague.clone(),
        new_user,
        team: ids.borgerhout,
        org,
        log: format!("org={org}"),
    };

    let specs: [(Role, &str, &str, Targets, Targets); 6] = [
        (
            Role::Officer,
            "agent.borgerhout",
            DEMO_PASSWORD,
            Targets { colleague: c_officer, ..in_borgerhout.clone() },
            in_antwerpen.clone(),
        ),
        (Role::TeamLead, "teamleider.borgerhout", DEMO_PASSWORD, in_borgerhout.clone(), in_antwerpen.clone()),
        (
            Role::InterventionOfficer,
            "interventie.antwerpen",
            DEMO_PASSWORD,
            Targets { colleague: c_intervention.clone(), ..in_antwerpen.clone() },
            in_borgerhout.clone(),
        ),
        (
            Role::Partner,
            "partner.jeugdwerk",
            DEMO_PASSWORD,
            outside(partner_signal, &c_partner, account("", Role::Partner, None, Some(ids.jeugdwerk)), ids.jeugdwerk),
            outside(signal_b, &c_partner, account("", Role::Partner, None, Some(ids.jeugdwerk)), ids.buurtvaders),
        ),
        (
            Role::CityService,
            city_user.as_str(),
            city_password.as_str(),
            outside(referred, &c_city, account("", Role::CityService, None, Some(city)), city),
            outside(signal_b, &c_city, account("", Role::CityService, None, Some(city)), ids.jeugdwerk),
        ),
        (
            Role::Admin,
            "beheerder",
            DEMO_PASSWORD,
            Targets { colleague: c_admin.clone(), ..in_borgerhout.clone() },
            Targets { colleague: c_admin, ..in_borgerhout.clone() },
        ),
    ];
    let mut people = Vec::new();
    for (role, username, password, own, elsewhere) in specs {
        let api = server.logged_in_with(username, password).await;
        let me = api.get(&v1("/me")).await.expect(StatusCode::OK, username);
        assert_eq!(me["role"], role.code(), "{username} has the role the matrix says");
        let user_id = id_of(&me, username);
        let phone =
            api.post(&v1("/devices"), &json!({ "label": "Matrix-gsm" })).await.expect(StatusCode::CREATED, "a phone");
        let key = server.device(phone["credential"].as_str().expect("a device key"));
        people.push(Person { role, username: username.to_owned(), user_id, api, key, own, elsewhere });
    }
    people
}

/// The usual meaning of a refusal's status.
fn refusal(status: StatusCode, body: &Value) -> Result<Expect, String> {
    match status {
        StatusCode::FORBIDDEN => Ok(Expect::Forbidden),
        StatusCode::NOT_FOUND => Ok(Expect::Hidden),
        other => Err(format!("{} {}", other.as_u16(), body)),
    }
}

fn status_only(reply: Reply) -> Result<Expect, String> {
    if reply.status.is_success() {
        Ok(Expect::Allow)
    } else {
        refusal(reply.status, &reply.body)
    }
}

/// For a list: is `id` in it?
fn listed(reply: Reply, id: impl std::fmt::Display, key: &str) -> Result<Expect, String> {
    if !reply.status.is_success() {
        return refusal(reply.status, &reply.body);
    }
    let items = reply.body.as_array().ok_or_else(|| format!("not a list: {}", reply.body))?;
    let found = items.iter().any(|item| item[key].as_str() == Some(id.to_string().as_str()));
    Ok(if found { Expect::Allow } else { Expect::Unlisted })
}

/// How many reads of `record`'s personal field by `reader` are logged.
async fn logged_reads(store: &dyn Store, record: Uuid, reader: UserId) -> usize {
    let query = AccessLogQuery { record_id: Some(record.into()), limit: 500, ..AccessLogQuery::default() };
    let entries = store.access_log(&query).await.expect("the access log");
    entries.iter().filter(|e| e.reader_id == reader && e.purpose.starts_with("api_")).count()
}

/// GET a record and judge whether its personal field was shown, and logged.
async fn read_personal(
    server: &TestServer,
    person: &Person,
    api: &Api,
    path: &str,
    record: Uuid,
    field: &str,
) -> Result<Expect, String> {
    let before = logged_reads(server.store.as_ref(), record, person.user_id).await;
    let reply = api.get(&v1(path)).await;
    if !reply.status.is_success() {
        return refusal(reply.status, &reply.body);
    }
    let shown = reply.body[field].as_str().is_some_and(|text| !text.is_empty());
    let logged = logged_reads(server.store.as_ref(), record, person.user_id).await > before;
    match (shown, logged) {
        (true, true) => Ok(Expect::Allow),
        (false, false) => Ok(Expect::Redacted),
        (true, false) => Err(format!("{field} shown but its read was not logged")),
        (false, true) => Err(format!("{field} left out but a read was logged")),
    }
}

/// Asks the server whether `person` (through their phone key if `with_key`) may do
/// `action` on a `kind` among `targets`.
pub async fn probe(
    server: &TestServer,
    person: &Person,
    targets: &Targets,
    kind: Kind,
    action: Action,
    tag: &str,
    with_key: bool,
) -> Result<Expect, String> {
    use Action::*;
    let api = if with_key { &person.key } else { &person.api };
    let t = targets;
    match (kind, action) {
        (Kind::Contact, Create) => {
            let reply = api.post(&v1("/contacts"), &contact_draft(t.hood)).await;
            // The form's wording of Hidden: the neighbourhood is simply not one of the choices.
            let unknown_hood = reply.status == StatusCode::UNPROCESSABLE_ENTITY
                && reply.body["errors"][0]["field"] == "neighbourhood_id"
                && reply.body["errors"][0]["problem"] == "unknown_code";
            if unknown_hood {
                Ok(Expect::Hidden)
            } else {
                status_only(reply)
            }
        }
        (Kind::Contact, Read) => status_only(api.get(&v1(&format!("/contacts/{}", t.contact))).await),
        (Kind::Contact, ReadPersonal) => {
            read_personal(server, person, api, &format!("/contacts/{}", t.contact), t.contact, "note").await
        }
        (Kind::Signal, Create) => status_only(api.post(&v1("/signals"), &signal_draft(t.hood)).await),
        (Kind::Signal, Read) => status_only(api.get(&v1(&format!("/signals/{}", t.signal))).await),
        (Kind::Signal, ReadPersonal) => {
            read_personal(server, person, api, &format!("/signals/{}", t.signal), t.signal, "description").await
        }
        (Kind::Signal, Update) => {
            status_only(api.patch(&v1(&format!("/signals/{}", t.signal)), &json!({ "status": "in_progress" })).await)
        }
        (Kind::User, Create) => {
            let mut form = t.new_user.clone();
            form["username"] = json!(format!("mx.nieuw.{}.{tag}", person.role.code()));
            status_only(api.post(&v1("/users"), &form).await)
        }
        (Kind::User, Read) => listed(api.get(&v1("/users")).await, t.colleague.id, "id"),
        (Kind::User, Update) => {
            let mut form = t.colleague.form.clone();
            form["display_name"] = json!(format!("Gewijzigd door {}", person.username));
            status_only(api.patch(&v1(&format!("/users/{}", t.colleague.id)), &form).await)
        }
        (Kind::User, Manage) => {
            status_only(api.post(&v1(&format!("/users/{}/password-link", t.colleague.id)), &json!({})).await)
        }
        (Kind::Team, Create) => {
            let district = server.store.districts().await.expect("districts")[0].id;
            let form = json!({ "district_id": district, "name": format!("Wijkteam {} {tag}", person.username) });
            status_only(api.post(&v1("/teams"), &form).await)
        }
        (Kind::Team, Read) => listed(api.get(&v1("/teams")).await, t.team, "id"),
        (Kind::Organisation, Create) => {
            let form = json!({ "name": format!("Organisatie van {} {tag}", person.username), "kind": "youth_work" });
            status_only(api.post(&v1("/organisations"), &form).await)
        }
        (Kind::Organisation, Read) => listed(api.get(&v1("/organisations")).await, t.org, "id"),
        (Kind::Device, Create) => status_only(api.post(&v1("/devices"), &json!({ "label": "Matrix" })).await),
        (Kind::Device, Read) => {
            listed(api.get(&v1(&format!("/devices?user={}", t.colleague.id))).await, t.colleague.read_device, "id")
        }
        (Kind::Device, Manage) => {
            status_only(api.post(&v1(&format!("/devices/{}/revoke", t.colleague.revoke_device)), &json!({})).await)
        }
        (Kind::AccessLog, Read) => status_only(api.get(&v1(&format!("/access-log?{}", t.log))).await),
        _ => Ok(Expect::NotApplicable),
    }
}
