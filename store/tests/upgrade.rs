//! Upgrading a database that an earlier version filled: the migrations must keep
//! every row and every reference, in particular where SQLite has to rebuild a table
//! that other tables refer to (partner_organisations, for its new kind).

mod support;

use std::sync::Arc;

use domain::{PartnerKind, PartnerOrganisation, Role, SignalStatus};
use store::{Backend, RecordQuery, StoreError};
use support::fixtures::user;
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

fn uuid(raw: &str) -> Uuid {
    Uuid::parse_str(raw).expect("a uuid")
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
        id: Uuid::now_v7(),
        name: "Stad Antwerpen – Netheid".to_owned(),
        kind: PartnerKind::CityService,
        district_id: None,
    };
    store.insert_partner_organisation(&city).await.expect("a city service");
    let twin = PartnerOrganisation { id: Uuid::now_v7(), ..city.clone() };
    let refused = store.insert_partner_organisation(&twin).await;
    assert!(matches!(refused, Err(StoreError::Duplicate(_))), "{refused:?}");
    let astray = user("partner.nergens", Role::Partner, None, Some(Uuid::now_v7()));
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
    assert!(store.update_signal(&referred).await.expect("refer"));
    assert_eq!((db.count(&web_versions).await, db.count(&at_version(2)).await), (2, 1));
    let for_city = RecordQuery { org_id: Some(city.id), ..RecordQuery::default() };
    assert_eq!(store.signals(&for_city).await.expect("list"), [referred]);
    if db.backend == Backend::Sqlite {
        // Nothing was left behind by the rebuild.
        let leftover = db.raw("SELECT 1 FROM partner_organisations_stash").await;
        assert!(leftover.is_err(), "{leftover:?}");
    }
}
