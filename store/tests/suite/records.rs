//! Signals as organisations see them (who filed them, who they were referred to, the
//! team's feedback), single records by id, and the append-only access log. Each test
//! runs against both backends (see `support`).

use crate::support;
use domain::{OrgId, RecordId, TeamId};

use std::sync::Arc;

use chrono::Duration;
use domain::{NeighbourhoodSignal, PartnerKind, PartnerOrganisation, Role, SignalStatus};
use store::{AccessLogEntry, AccessLogQuery, Backend, RecordKind, RecordQuery, ShownFields, StoreError};
use support::fixtures::{now, user, Org};
use support::TestDb;
use uuid::Uuid;

store::testing::both_stores!(
    run = crate::support::run;
    signals_keep_who_filed_them_and_who_handles_them,
    signals_filter_by_organisation,
    handling_a_signal_changes_status_referral_and_feedback_only,
    records_are_found_by_id,
    the_access_log_lists_newest_first_by_team_organisation_and_record,
    a_batch_of_access_log_entries_is_written_whole_or_not_at_all,
    the_access_log_refuses_updates_and_deletes,
);

/// An organisation of the city, a partner member of `org`'s organisation, stored.
async fn city_and_partner(db: &TestDb, org: &Org) -> (PartnerOrganisation, domain::User) {
    let city = PartnerOrganisation {
        id: OrgId::new_v7(),
        name: format!("Stad Antwerpen – Netheid {}", org.district.name),
        kind: PartnerKind::CityService,
        district_id: None,
    };
    db.store.insert_partner_organisation(&city).await.expect("city service");
    let key = org.district.name.to_lowercase();
    let partner = user(&format!("partner.{key}"), Role::Partner, None, Some(org.organisation.id));
    db.store.insert_user(&partner, "hash").await.expect("partner");
    (city, partner)
}

async fn signals_keep_who_filed_them_and_who_handles_them(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Borgerhout").await;
    let (city, partner) = city_and_partner(&db, &org).await;
    let filed = NeighbourhoodSignal {
        author_id: partner.id,
        author_org_id: Some(org.organisation.id),
        referred_to_org_id: Some(city.id),
        status: SignalStatus::Referred,
        feedback: Some("Doorgegeven aan Netheid – ophaling gepland.".to_owned()),
        ..org.signal(now() - Duration::hours(2))
    };
    let plain = org.signal(now() - Duration::hours(3));
    store.insert_signal(&filed).await.expect("partner's signal");
    store.insert_signal(&plain).await.expect("police signal");
    let team = RecordQuery { team_id: Some(org.team.id), ..RecordQuery::default() };
    assert_eq!(store.signals(&team).await.expect("list"), [filed.clone(), plain]);
    assert_eq!(store.signal(filed.id).await.expect("one"), Some(filed.clone()));

    let astray = NeighbourhoodSignal { id: RecordId::new_v7(), referred_to_org_id: Some(OrgId::new_v7()), ..filed };
    let refused = store.insert_signal(&astray).await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");
}

async fn signals_filter_by_organisation(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let (here, there) = (Org::create(store, "Deurne").await, Org::create(store, "Berchem").await);
    let (city, partner) = city_and_partner(&db, &here).await;
    let base = now() - Duration::days(1);
    let by_partner = |minutes, referred_to| NeighbourhoodSignal {
        author_id: partner.id,
        author_org_id: Some(here.organisation.id),
        referred_to_org_id: referred_to,
        ..here.signal(base + Duration::minutes(minutes))
    };
    let referred = |org: &Org, minutes| NeighbourhoodSignal {
        referred_to_org_id: Some(city.id),
        ..org.signal(base + Duration::minutes(minutes))
    };
    let (own, own_referred) = (by_partner(1, None), by_partner(2, Some(city.id)));
    let (police_referred, elsewhere_referred) = (referred(&here, 3), referred(&there, 4));
    let unrelated = here.signal(base + Duration::minutes(5));
    for s in [&own, &own_referred, &police_referred, &elsewhere_referred, &unrelated] {
        store.insert_signal(s).await.expect("signal");
    }
    let ids = |query: RecordQuery| async move {
        store.signals(&query).await.expect("list").into_iter().map(|s| s.id).collect::<Vec<_>>()
    };
    let of = |org| RecordQuery { org_id: Some(org), ..RecordQuery::default() };
    assert_eq!(ids(of(here.organisation.id)).await, [own_referred.id, own.id], "filed by it");
    let for_city = [elsewhere_referred.id, police_referred.id, own_referred.id];
    assert_eq!(ids(of(city.id)).await, for_city, "referred to it");
    let city_here = RecordQuery { team_id: Some(here.team.id), ..of(city.id) };
    assert_eq!(ids(city_here).await, [police_referred.id, own_referred.id], "and the team's");
    assert_eq!(ids(RecordQuery { limit: 1, ..of(city.id) }).await, [elsewhere_referred.id]);
    assert!(ids(of(there.organisation.id)).await.is_empty());
    assert!(ids(of(OrgId::new_v7())).await.is_empty());

    // No contact is an organisation's: asking for one's contacts finds none.
    store.insert_contact(&here.contact(base)).await.expect("contact");
    let contacts = store.contacts(&of(here.organisation.id)).await.expect("contacts");
    assert!(contacts.is_empty(), "{contacts:?}");
    assert_eq!(store.contacts(&RecordQuery::default()).await.expect("all").len(), 1);
}

async fn handling_a_signal_changes_status_referral_and_feedback_only(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Hoboken").await;
    let (city, _) = city_and_partner(&db, &org).await;
    let signal = NeighbourhoodSignal { status: SignalStatus::Open, ..org.signal(now() - Duration::hours(5)) };
    store.insert_signal(&signal).await.expect("signal");

    let handled = NeighbourhoodSignal {
        status: SignalStatus::Referred,
        referred_to_org_id: Some(city.id),
        feedback: Some("Netheid komt morgen langs.".to_owned()),
        ..signal.clone()
    };
    assert!(store.update_signal(&handled, now()).await.expect("update"));
    assert_eq!(store.signal(signal.id).await.expect("read"), Some(handled.clone()));

    // What was observed stays as filed, whatever the caller sends along.
    let rewritten = NeighbourhoodSignal {
        description: "Iets anders".to_owned(),
        occurred_at: now(),
        status: SignalStatus::Resolved,
        referred_to_org_id: None,
        feedback: None,
        ..handled.clone()
    };
    assert!(store.update_signal(&rewritten, now()).await.expect("update"));
    let stored = store.signal(signal.id).await.expect("read").expect("exists");
    let expected = NeighbourhoodSignal {
        status: SignalStatus::Resolved,
        referred_to_org_id: None,
        feedback: None,
        ..signal.clone()
    };
    assert_eq!(stored, expected);

    let unknown = NeighbourhoodSignal { id: RecordId::new_v7(), ..handled.clone() };
    assert!(!store.update_signal(&unknown, now()).await.expect("no such signal"));
    let astray = NeighbourhoodSignal { referred_to_org_id: Some(OrgId::new_v7()), ..handled };
    let refused = store.update_signal(&astray, now()).await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");
    assert_eq!(store.count_signals(None).await.expect("count"), 1);
}

async fn records_are_found_by_id(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Merksem").await;
    let (contact, bare) = (org.contact(now()), org.bare_contact(now() - Duration::hours(1)));
    let signal = org.signal(now());
    store.insert_contact(&contact).await.expect("contact");
    store.insert_contact(&bare).await.expect("bare contact");
    store.insert_signal(&signal).await.expect("signal");
    assert_eq!(store.contact(contact.id).await.expect("contact"), Some(contact));
    assert_eq!(store.contact(bare.id).await.expect("bare"), Some(bare));
    assert_eq!(store.signal(signal.id).await.expect("signal"), Some(signal.clone()));
    assert_eq!(store.contact(signal.id).await.expect("a signal is no contact"), None);
    assert_eq!(store.signal(RecordId::new_v7()).await.expect("unknown"), None);
    assert_eq!(store.contact(RecordId::new_v7()).await.expect("unknown"), None);
}

fn entry(org: &Org, at: chrono::DateTime<chrono::Utc>, kind: RecordKind, record_id: Uuid) -> AccessLogEntry {
    AccessLogEntry {
        id: Uuid::now_v7(),
        at,
        reader_id: org.officer.id,
        purpose: "contacts_page".to_owned(),
        team_id: org.team.id,
        org_id: None,
        shown: vec![ShownFields { kind, field: "note".to_owned(), records: vec![record_id.into()] }],
    }
}

async fn the_access_log_lists_newest_first_by_team_organisation_and_record(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let (here, there) = (Org::create(store, "Ekeren").await, Org::create(store, "Wilrijk").await);
    let (contact, signal) = (Uuid::now_v7(), Uuid::now_v7());
    let base = now() - Duration::hours(1);
    let at = |seconds| base + Duration::seconds(seconds);
    let first = entry(&here, at(0), RecordKind::Contact, contact);
    let partners = AccessLogEntry {
        reader_id: here.other_officer.id,
        purpose: "api_signal".to_owned(),
        org_id: Some(here.organisation.id),
        shown: vec![
            ShownFields { kind: RecordKind::Signal, field: "description".to_owned(), records: vec![signal.into()] },
            ShownFields { kind: RecordKind::Signal, field: "photo".to_owned(), records: vec![signal.into()] },
        ],
        ..entry(&here, at(10), RecordKind::Signal, signal)
    };
    // A screen of several records: the contact is found in the middle of the list.
    let mut again = entry(&here, at(20), RecordKind::Contact, Uuid::now_v7());
    again.shown[0].records.extend([RecordId::from(contact), RecordId::new_v7()]);
    let theirs = entry(&there, at(30), RecordKind::Contact, Uuid::now_v7());
    store.append_access_log(&[first.clone(), partners.clone()]).await.expect("two");
    store.append_access_log(&[again.clone(), theirs.clone()]).await.expect("two more");
    store.append_access_log(&[]).await.expect("nothing to log");

    let list = |query: AccessLogQuery| async move { store.access_log(&query).await.expect("list") };
    let all = [theirs.clone(), again.clone(), partners.clone(), first.clone()];
    assert_eq!(list(AccessLogQuery::default()).await, all, "newest first, every field kept");
    assert_eq!(again.records_shown(), 3);
    let team = AccessLogQuery { team_id: Some(here.team.id), ..AccessLogQuery::default() };
    assert_eq!(list(team.clone()).await, [again.clone(), partners.clone(), first.clone()]);
    assert_eq!(list(AccessLogQuery { limit: 2, ..team.clone() }).await, [again.clone(), partners.clone()]);
    // Keyset paging: older than a page's last entry, by moment and then by id.
    let before = |e: &AccessLogEntry| AccessLogQuery { before: Some((e.at, e.id)), ..team.clone() };
    assert_eq!(list(before(&again)).await, [partners.clone(), first.clone()]);
    assert_eq!(list(before(&partners)).await, std::slice::from_ref(&first));
    assert!(list(before(&first)).await.is_empty(), "not the entry itself");
    let same_moment = AccessLogQuery { before: Some((first.at, Uuid::max())), ..team.clone() };
    assert_eq!(list(same_moment).await, std::slice::from_ref(&first), "a later id at the same moment");
    let org = AccessLogQuery { org_id: Some(here.organisation.id), ..AccessLogQuery::default() };
    assert_eq!(list(org).await, std::slice::from_ref(&partners));
    let record = AccessLogQuery { record_id: Some(contact.into()), ..AccessLogQuery::default() };
    assert_eq!(list(record).await, [again, first]);
    let photo = AccessLogQuery { record_id: Some(signal.into()), ..AccessLogQuery::default() };
    assert_eq!(list(photo).await, [partners], "one entry, however many of its fields named the record");
    let nobody =
        AccessLogQuery { team_id: Some(there.team.id), record_id: Some(contact.into()), ..AccessLogQuery::default() };
    assert!(list(nobody).await.is_empty());
}

async fn a_batch_of_access_log_entries_is_written_whole_or_not_at_all(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Lillo").await;
    let logged = entry(&org, now(), RecordKind::Signal, Uuid::now_v7());
    store.append_access_log(std::slice::from_ref(&logged)).await.expect("one");
    let fresh = entry(&org, now(), RecordKind::Contact, Uuid::now_v7());
    let refused = store.append_access_log(&[fresh, logged.clone()]).await;
    assert!(matches!(refused, Err(StoreError::Duplicate(_))), "{refused:?}");
    let astray =
        AccessLogEntry { team_id: TeamId::new_v7(), ..entry(&org, now(), RecordKind::Contact, Uuid::now_v7()) };
    let refused = store.append_access_log(&[astray]).await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");
    assert_eq!(store.access_log(&AccessLogQuery::default()).await.expect("list"), [logged]);
}

async fn the_access_log_refuses_updates_and_deletes(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Zandvliet").await;
    let entries: Vec<_> =
        (0..3).map(|i| entry(&org, now() + Duration::seconds(i), RecordKind::Contact, Uuid::now_v7())).collect();
    store.append_access_log(&entries).await.expect("log");
    let before = store.access_log(&AccessLogQuery::default()).await.expect("list");
    assert_eq!(before.len(), 3);

    let mut attempts = vec![
        "UPDATE access_log SET purpose = 'nothing_to_see'".to_owned(),
        format!("UPDATE access_log SET reader_id = '{}' WHERE id = '{}'", org.other_officer.id, entries[0].id),
        "DELETE FROM access_log".to_owned(),
        format!("DELETE FROM access_log WHERE id = '{}'", entries[1].id),
    ];
    if db.backend == Backend::Postgres {
        attempts.push("TRUNCATE access_log".to_owned());
    }
    for sql in &attempts {
        match db.raw(sql).await {
            Err(e) => assert!(e.to_string().contains("append-only"), "{sql}: {e}"),
            Ok(rows) => panic!("{sql} went through, changing {rows} rows"),
        }
    }
    assert_eq!(store.access_log(&AccessLogQuery::default()).await.expect("list"), before);
    // Appending is still allowed, of course.
    let more = entry(&org, now() + Duration::minutes(1), RecordKind::Signal, Uuid::now_v7());
    store.append_access_log(std::slice::from_ref(&more)).await.expect("append");
    assert_eq!(store.access_log(&AccessLogQuery::default()).await.expect("list").len(), 4);
}
