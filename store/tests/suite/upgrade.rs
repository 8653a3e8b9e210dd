//! Upgrading a database that an earlier version filled: the migrations must keep
//! every row and every reference, in particular where SQLite has to rebuild a table
//! that other tables refer to (partner_organisations, for its new kind).

use crate::support;
use domain::OrgId;

use std::sync::Arc;

use domain::{PartnerKind, PartnerOrganisation, RecordId, Role, SignalStatus};
use store::{AccessLogQuery, Backend, RecordKind, RecordQuery, StoreError};
use support::fixtures::{now, user};
use support::{Earlier, TestDb};
use uuid::Uuid;

const DISTRICT: &str = "0190a000-0000-7000-8000-000000000001";
const TEAM: &str = "0190a000-0000-7000-8000-000000000002";
const HOOD: &str = "0190a000-0000-7000-8000-000000000003";
const ORG: &str = "0190a000-0000-7000-8000-000000000004";
const PARTNER: &str = "0190a000-0000-7000-8000-000000000005";
const SIGNAL: &str = "0190a000-0000-7000-8000-000000000006";

/// What the foundation schema held: a partner account referring to its organisation,
/// and a signal that partner filed.
fn fill() -> String {
    format!(
        "INSERT INTO districts (id, name) VALUES ('{DISTRICT}', 'Borgerhout');
         INSERT INTO teams (id, district_id, name) VALUES ('{TEAM}', '{DISTRICT}', 'Wijkteam Borgerhout');
         INSERT INTO neighbourhoods (id, district_id, name, boundary_geojson)
             VALUES ('{HOOD}', '{DISTRICT}', 'Borgerhout-Intra', '{square}');
         INSERT INTO partner_organisations (id, name, kind, district_id)
             VALUES ('{ORG}', 'Jeugdwerk Borgerhout', 'youth_work', '{DISTRICT}');
         INSERT INTO users (id, username, username_key, display_name, password_hash, role, team_id, partner_org_id)
             VALUES ('{PARTNER}', 'partner.jeugdwerk', 'partner.jeugdwerk', 'Sarah Aerts', 'hash', 'partner', NULL, '{ORG}');
         INSERT INTO neighbourhood_signals (id, author_id, team_id, neighbourhood_id, occurred_at, received_at,
             category, urgency, status, description, lat, lon, accuracy_m, street)
             VALUES ('{SIGNAL}', '{PARTNER}', '{TEAM}', '{HOOD}', '2024-05-01T08:30:00.000000Z',
             '2024-05-01T08:31:00.000000Z', 'youth', 'normal', 'open', 'Groep jongeren aan het plein.',
             NULL, NULL, NULL, NULL);",
        square = support::fixtures::SQUARE,
    )
}

async fn upgrade(backend: Backend) {
    let fill = fill();
    support::run_from(backend, Some(Earlier { migrations: 1, fill: &fill }), the_foundation_survives).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_upgrade_keeps_rows_and_references() {
    upgrade(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_upgrade_keeps_rows_and_references() {
    upgrade(Backend::Postgres).await
}

/// A fixture's id, as whichever id the column holds.
fn uuid<T: From<Uuid>>(raw: &str) -> T {
    Uuid::parse_str(raw).expect("a uuid").into()
}

async fn the_foundation_survives(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let partner = store.user(uuid(PARTNER)).await.expect("read").expect("the partner is still there");
    assert_eq!(partner.partner_org_id, Some(uuid(ORG)));
    let orgs = store.partner_organisations().await.expect("organisations");
    assert_eq!(orgs.iter().map(|o| (o.id, o.kind)).collect::<Vec<_>>(), [(uuid(ORG), PartnerKind::YouthWork)]);

    let signal = store.signal(uuid(SIGNAL)).await.expect("read").expect("the signal is still there");
    assert_eq!((signal.author_org_id, signal.referred_to_org_id, signal.feedback.clone()), (None, None, None));

    // The new kind is allowed, the rebuilt table keeps its rules, and the users'
    // reference now points at the rebuilt table (not at nothing, nor at a copy).
    let city = PartnerOrganisation {
        id: OrgId::new_v7(),
        name: "Stad Antwerpen – Netheid".to_owned(),
        kind: PartnerKind::CityService,
        district_id: None,
    };
    store.insert_partner_organisation(&city).await.expect("a city service");
    let twin = PartnerOrganisation { id: OrgId::new_v7(), ..city.clone() };
    let refused = store.insert_partner_organisation(&twin).await;
    assert!(matches!(refused, Err(StoreError::Duplicate(_))), "{refused:?}");
    let astray = user("partner.nergens", Role::Partner, None, Some(OrgId::new_v7()));
    let refused = store.insert_user(&astray, "hash").await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");
    let netheid = user("stad.netheid", Role::CityService, None, Some(city.id));
    store.insert_user(&netheid, "hash").await.expect("a member of the city service");

    let referred =
        domain::NeighbourhoodSignal { status: SignalStatus::Referred, referred_to_org_id: Some(city.id), ..signal };
    // A signal filed before sync existed has its first version, written on the web,
    // and a change on the web makes the next one.
    let web_versions = format!("signal_versions WHERE signal_id = '{SIGNAL}' AND written_by_device IS NULL");
    let at_version = |v: u32| format!("neighbourhood_signals WHERE id = '{SIGNAL}' AND version = {v}");
    assert_eq!((db.count(&web_versions).await, db.count(&at_version(1)).await), (1, 1));
    assert!(store.update_signal(&referred, now()).await.expect("refer"));
    assert_eq!((db.count(&web_versions).await, db.count(&at_version(2)).await), (2, 1));
    let for_city = RecordQuery { org_id: Some(city.id), ..RecordQuery::default() };
    assert_eq!(store.signals(&for_city).await.expect("list"), [referred]);
    if db.backend == Backend::Sqlite {
        // Nothing was left behind by the rebuild.
        let leftover = db.raw("SELECT 1 FROM partner_organisations_stash").await;
        assert!(leftover.is_err(), "{leftover:?}");
    }
}

// Migration 0009: accounts whose team or organisation did not fit their role, as the
// JSON API could make them before (issue 8, item 3), next to everything that refers
// to accounts, including the rows that go with an account when it is deleted.
const OFFICER: &str = "0190a000-0000-7000-8000-000000000011";
const PARTNER_WITH_TEAM: &str = "0190a000-0000-7000-8000-000000000012";
const ADMIN: &str = "0190a000-0000-7000-8000-000000000013";
const DEVICE: &str = "0190a000-0000-7000-8000-000000000014";
const POLICE_SIGNAL: &str = "0190a000-0000-7000-8000-000000000015";
const CONTACT: &str = "0190a000-0000-7000-8000-000000000016";
const RECEIPT: &str = "0190a000-0000-7000-8000-000000000017";

fn fill_misfits() -> String {
    let moment = "2024-05-01T08:30:00.000000Z";
    let later = "2999-01-01T00:00:00.000000Z";
    format!(
        "INSERT INTO districts (id, name) VALUES ('{DISTRICT}', 'Borgerhout');
         INSERT INTO teams (id, district_id, name) VALUES ('{TEAM}', '{DISTRICT}', 'Wijkteam Borgerhout');
         INSERT INTO neighbourhoods (id, district_id, name, boundary_geojson)
             VALUES ('{HOOD}', '{DISTRICT}', 'Borgerhout-Intra', '{square}');
         INSERT INTO partner_organisations (id, name, kind, district_id)
             VALUES ('{ORG}', 'Jeugdwerk Borgerhout', 'youth_work', '{DISTRICT}');
         INSERT INTO users (id, username, username_key, display_name, password_hash, role, team_id, partner_org_id)
             VALUES ('{OFFICER}', 'agent.dubbel', 'agent.dubbel', 'Agent met partner', 'hash', 'officer', '{TEAM}', '{ORG}'),
                    ('{PARTNER_WITH_TEAM}', 'partner.team', 'partner.team', 'Partner met team', 'hash', 'partner', '{TEAM}', '{ORG}'),
                    ('{ADMIN}', 'beheerder', 'beheerder', 'Beheerder', 'hash', 'admin', '{TEAM}', '{ORG}'),
                    ('{PARTNER}', 'partner.jeugdwerk', 'partner.jeugdwerk', 'Sarah Aerts', 'hash', 'partner', NULL, '{ORG}');
         INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
             VALUES ('officer-session', '{OFFICER}', '{moment}', '{later}');
         INSERT INTO password_tokens (token_hash, user_id, created_at, expires_at, used_at)
             VALUES ('partner-link', '{PARTNER_WITH_TEAM}', '{moment}', '{later}', NULL);
         INSERT INTO devices (id, user_id, label, credential_hash, created_at, last_seen_at, revoked_at, revoked_by)
             VALUES ('{DEVICE}', '{OFFICER}', 'Telefoon', 'credential', '{moment}', '{moment}', '{moment}', '{ADMIN}');
         INSERT INTO sync_receipts (mutation_id, device_id, seq, outcome, received_at)
             VALUES ('{RECEIPT}', '{DEVICE}', 1, '{{}}', '{moment}');
         INSERT INTO street_contacts (id, author_id, team_id, neighbourhood_id, occurred_at, received_at, mobility,
             kind, reason, outcome, lat, lon, accuracy_m, street, note)
             VALUES ('{CONTACT}', '{OFFICER}', '{TEAM}', '{HOOD}', '{moment}', '{moment}', 'bike', 'conversation',
             'acquaintance', 'informed', NULL, NULL, NULL, NULL, 'Gesprek aan de bakker.');
         INSERT INTO neighbourhood_signals (id, author_id, team_id, neighbourhood_id, occurred_at, received_at,
             category, urgency, status, description, lat, lon, accuracy_m, street, author_org_id)
             VALUES ('{POLICE_SIGNAL}', '{OFFICER}', '{TEAM}', '{HOOD}', '{moment}', '{moment}', 'youth', 'normal',
             'open', 'Tekst van de politie.', NULL, NULL, NULL, NULL, '{ORG}'),
                    ('{SIGNAL}', '{PARTNER}', '{TEAM}', '{HOOD}', '{moment}', '{moment}', 'youth', 'normal',
             'open', 'Tekst van de partner.', NULL, NULL, NULL, NULL, '{ORG}');
         INSERT INTO sync_changes (record_kind, record_id, version, team_id, author_id, author_org_id, changed_at)
             VALUES ('signal', '{POLICE_SIGNAL}', 1, '{TEAM}', '{OFFICER}', '{ORG}', '{moment}'),
                    ('signal', '{SIGNAL}', 1, '{TEAM}', '{PARTNER}', '{ORG}', '{moment}');",
        square = support::fixtures::SQUARE,
    )
}

/// How many migrations each backend had before 0008 and 0009 (SQLite's 0007 has no PostgreSQL twin).
fn before_0008(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 7,
        Backend::Postgres => 6,
    }
}

async fn upgrade_misfits(backend: Backend) {
    let fill = fill_misfits();
    let earlier = Earlier { migrations: before_0008(backend), fill: &fill };
    support::run_from(backend, Some(earlier), misfits_are_fixed_and_nothing_else_is_lost).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_upgrade_fixes_accounts_whose_team_or_organisation_does_not_fit() {
    upgrade_misfits(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_upgrade_fixes_accounts_whose_team_or_organisation_does_not_fit() {
    upgrade_misfits(Backend::Postgres).await
}

async fn misfits_are_fixed_and_nothing_else_is_lost(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let membership = |user: domain::User| (user.role, user.team_id, user.partner_org_id);
    let read = |id: &'static str| async move { store.user(uuid(id)).await.expect("read").expect("still there") };
    assert_eq!(membership(read(OFFICER).await), (Role::Officer, Some(uuid(TEAM)), None), "the officer keeps the team");
    assert_eq!(membership(read(PARTNER_WITH_TEAM).await), (Role::Partner, None, Some(uuid(ORG))), "the org");
    assert_eq!(membership(read(ADMIN).await), (Role::Admin, None, None));
    assert_eq!(membership(read(PARTNER).await), (Role::Partner, None, Some(uuid(ORG))), "a fitting one is untouched");

    // The police signal is the team's again, in the record and in the feed; the
    // partner's own signal stays the partner's.
    let police = store.signal(uuid(POLICE_SIGNAL)).await.expect("read").expect("the police signal");
    assert_eq!(police.author_org_id, None);
    let partners = store.signal(uuid(SIGNAL)).await.expect("read").expect("the partner's signal");
    assert_eq!(partners.author_org_id, Some(uuid(ORG)));
    let feed_of = |id: &str| format!("sync_changes WHERE record_id = '{id}' AND author_org_id IS NOT NULL");
    assert_eq!((db.count(&feed_of(POLICE_SIGNAL)).await, db.count(&feed_of(SIGNAL)).await), (0, 1));

    // What refers to accounts is all still there, including what the DROP's cascade
    // would have taken on SQLite: the session, the link, the phone and its receipt.
    let session = store.live_session("officer-session", now()).await.expect("read");
    assert_eq!(session.map(|s| s.user_id), Some(uuid(OFFICER)));
    let device = store.device(uuid(DEVICE)).await.expect("read").expect("the phone");
    assert_eq!((device.user_id, device.revoked_by), (uuid(OFFICER), Some(uuid(ADMIN))));
    for (table, rows) in [
        ("users", 4),
        ("sessions", 1),
        ("password_tokens", 1),
        ("devices", 1),
        ("sync_receipts", 1),
        ("street_contacts", 1),
        ("neighbourhood_signals", 2),
    ] {
        assert_eq!(db.count(table).await, rows, "{table}");
    }
    assert_eq!(store.use_password_token("partner-link", now()).await.expect("use"), Some(uuid(PARTNER_WITH_TEAM)));

    // The rule holds from now on, and the cascades work as before.
    let refused = db.raw(&format!("UPDATE users SET partner_org_id = '{ORG}' WHERE id = '{OFFICER}'")).await;
    assert!(format!("{refused:?}").contains("users_membership_fits_role"), "{refused:?}");
    if db.backend == Backend::Sqlite {
        for stash in ["users_stash", "sessions_stash", "password_tokens_stash", "devices_stash"] {
            let leftover = db.raw(&format!("SELECT 1 FROM {stash}")).await;
            assert!(leftover.is_err(), "{stash}: {leftover:?}");
        }
        assert_eq!(db.count("pragma_foreign_key_check").await, 0, "every reference resolves");
    }
}

// Migration 0012: the access log's rows per field become one entry per screen and
// organisation. Two screens: an officer's contacts page that showed two notes, and a
// team lead's signal that showed a partner's description and photo.
const LEAD: &str = "0190a000-0000-7000-8000-000000000021";
const OTHER_CONTACT: &str = "0190a000-0000-7000-8000-000000000022";

fn fill_access_log() -> String {
    let (first, second) = ("2024-05-01T08:30:00.000000Z", "2024-05-01T09:00:00.000000Z");
    let row = |n: u8, at: &str, reader: &str, kind: &str, record: &str, field: &str, purpose: &str, org: &str| {
        format!(
            "('0190a000-0000-7000-8000-0000000001{n:02}', '{at}', '{reader}', '{kind}', '{record}', '{field}', \
             '{purpose}', '{TEAM}', {org})"
        )
    };
    let org = format!("'{ORG}'");
    let rows = [
        row(1, first, OFFICER, "contact", CONTACT, "note", "contacts_page", "NULL"),
        row(2, first, OFFICER, "contact", OTHER_CONTACT, "note", "contacts_page", "NULL"),
        row(3, second, LEAD, "signal", SIGNAL, "description", "signal_page", &org),
        row(4, second, LEAD, "signal", SIGNAL, "photo", "signal_page", &org),
    ]
    .join(",\n");
    format!(
        "INSERT INTO districts (id, name) VALUES ('{DISTRICT}', 'Borgerhout');
         INSERT INTO teams (id, district_id, name) VALUES ('{TEAM}', '{DISTRICT}', 'Wijkteam Borgerhout');
         INSERT INTO partner_organisations (id, name, kind, district_id)
             VALUES ('{ORG}', 'Jeugdwerk Borgerhout', 'youth_work', '{DISTRICT}');
         INSERT INTO users (id, username, username_key, display_name, password_hash, role, team_id, partner_org_id)
             VALUES ('{OFFICER}', 'agent.een', 'agent.een', 'Agent', 'hash', 'officer', '{TEAM}', NULL),
                    ('{LEAD}', 'teamleider', 'teamleider', 'Teamleider', 'hash', 'team_lead', '{TEAM}', NULL);
         INSERT INTO access_log (id, at, reader_id, record_kind, record_id, field, purpose, team_id, org_id)
             VALUES {rows};"
    )
}

/// How many migrations each backend had before 0012 (SQLite's 0007 and 0011 have no
/// PostgreSQL twin).
fn before_0012(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 11,
        Backend::Postgres => 9,
    }
}

async fn upgrade_access_log(backend: Backend) {
    let fill = fill_access_log();
    let earlier = Earlier { migrations: before_0012(backend), fill: &fill };
    support::run_from(backend, Some(earlier), the_access_log_is_regrouped_by_screen).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_upgrade_regroups_the_access_log_by_screen() {
    upgrade_access_log(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_upgrade_regroups_the_access_log_by_screen() {
    upgrade_access_log(Backend::Postgres).await
}

async fn the_access_log_is_regrouped_by_screen(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let log = store.access_log(&AccessLogQuery::default()).await.expect("the log reads");
    let lead = log.first().expect("the team lead's screen");
    assert_eq!((lead.reader_id, lead.purpose.as_str(), lead.org_id), (uuid(LEAD), "signal_page", Some(uuid(ORG))));
    let fields: Vec<(RecordKind, &str, Vec<RecordId>)> =
        lead.shown.iter().map(|s| (s.kind, s.field.as_str(), s.records.clone())).collect();
    assert_eq!(
        fields,
        [(RecordKind::Signal, "description", vec![uuid(SIGNAL)]), (RecordKind::Signal, "photo", vec![uuid(SIGNAL)])]
    );
    let officer = log.get(1).expect("the officer's screen");
    assert_eq!(
        (officer.reader_id, officer.org_id, officer.id),
        (uuid(OFFICER), None, uuid("0190a000-0000-7000-8000-000000000101"))
    );
    assert_eq!(officer.shown.len(), 1);
    assert_eq!(officer.shown[0].records, [uuid::<RecordId>(CONTACT), uuid(OTHER_CONTACT)]);
    assert_eq!(log.len(), 2, "{log:?}");
    // Still append-only, and the organisation's index answers its question.
    let refused = db.raw("DELETE FROM access_log").await;
    assert!(format!("{refused:?}").contains("append-only"), "{refused:?}");
    let org = AccessLogQuery { org_id: Some(uuid(ORG)), ..AccessLogQuery::default() };
    assert_eq!(store.access_log(&org).await.expect("by organisation").len(), 1);
}
