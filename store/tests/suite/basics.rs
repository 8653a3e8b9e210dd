//! The basics: organisation, contacts, signals, the demo. The other modules of the
//! suite hold the rest (accounts and devices in `identity`, records as organisations
//! see them and the access log in `records`, …).

use crate::support;
use domain::DistrictId;
use domain::{NeighbourhoodId, RecordId, UserId};
use domain::{OrgId, TeamId};

use std::sync::Arc;
use std::time::Instant;

use chrono::Duration;
use domain::{
    check_boundary, ContactKind, ContactOutcome, ContactReason, Mobility, PartnerKind, PartnerOrganisation, Role,
    SignalCategory, SignalStatus, Urgency,
};
use store::demo::{self, DEMO_PASSWORD};
use store::{RecordQuery, Session, StoreError};
use support::fixtures::{now, nth, user, Org};
use support::TestDb;

store::testing::both_stores!(
    run = crate::support::run;
    migrations_apply_twice,
    ping_answers,
    organisation_round_trips,
    usernames_are_unique_whatever_their_case,
    credentials_are_found_whatever_the_case,
    sessions_live_expire_and_go,
    contacts_round_trip,
    a_duplicate_contact_is_refused_and_the_first_kept,
    records_must_refer_to_existing_rows,
    contacts_come_newest_first_up_to_the_limit,
    contacts_filter_by_team_author_and_neighbourhood,
    signals_round_trip_and_refuse_duplicates,
    signals_come_newest_first_and_filter,
    a_team_covers_its_districts_neighbourhoods,
    each_neighbourhood_lists_its_districts_teams_by_name,
    every_code_is_accepted,
    the_demo_is_seeded_once,
    an_unknown_stored_code_is_corrupt,
);

async fn migrations_apply_twice(db: Arc<TestDb>) {
    let again = db.reconnect().await;
    let org = Org::create(again.as_ref(), "Deurne").await;
    let third = db.reconnect().await;
    assert_eq!(third.users().await.expect("users"), [org.officer.clone(), org.other_officer.clone()]);
    assert_eq!(db.store.count_users().await.expect("count"), 2);
}

async fn ping_answers(db: Arc<TestDb>) {
    db.store.ping().await.expect("ping");
    assert_eq!(db.store.backend(), db.backend);
}

async fn organisation_round_trips(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Borgerhout").await;
    let city_wide = PartnerOrganisation {
        id: OrgId::new_v7(),
        name: "Straathoekwerk".to_owned(),
        kind: PartnerKind::StreetWork,
        district_id: None,
    };
    store.insert_partner_organisation(&city_wide).await.expect("organisation");
    let partner = user("partner.straat", Role::Partner, None, Some(city_wide.id));
    store.insert_user(&partner, "hash").await.expect("partner");

    assert_eq!(store.districts().await.expect("districts"), std::slice::from_ref(&org.district));
    assert_eq!(store.teams().await.expect("teams"), std::slice::from_ref(&org.team));
    let [zuid, noord] = org.hoods.clone();
    assert_eq!(store.neighbourhoods().await.expect("neighbourhoods"), [noord, zuid.clone()]);
    assert_eq!(store.neighbourhood(zuid.id).await.expect("one"), Some(zuid));
    assert_eq!(store.neighbourhood(NeighbourhoodId::new_v7()).await.expect("none"), None);
    let mut orgs = store.partner_organisations().await.expect("organisations");
    orgs.sort_by_key(|o| o.name.clone());
    assert_eq!(orgs, [org.organisation.clone(), city_wide]);
    assert_eq!(store.user(partner.id).await.expect("user"), Some(partner.clone()));
    assert_eq!(store.user(UserId::new_v7()).await.expect("no user"), None);
    assert_eq!(store.users().await.expect("users"), [org.officer, org.other_officer, partner]);
    assert_eq!(store.count_users().await.expect("count"), 3);
}

async fn usernames_are_unique_whatever_their_case(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Berchem").await;
    let twin = user("AGENT.Berchem", Role::TeamLead, Some(org.team.id), None);
    match store.insert_user(&twin, "hash").await {
        Err(StoreError::Duplicate(what)) => assert!(what.contains("AGENT.Berchem"), "{what}"),
        other => panic!("expected a duplicate, got {other:?}"),
    }
    let same_district = domain::District { id: DistrictId::new_v7(), name: "Berchem".to_owned() };
    let refused = store.insert_district(&same_district).await;
    assert!(matches!(refused, Err(StoreError::Duplicate(_))), "{refused:?}");
    assert_eq!(store.count_users().await.expect("count"), 2);
}

async fn credentials_are_found_whatever_the_case(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Ekeren").await;
    let lead = user("TeamLeider.Ekeren", Role::TeamLead, Some(org.team.id), None);
    store.insert_user(&lead, "$argon2id$v=19$m=19456,t=2,p=1$abc$def").await.expect("lead");
    for asked in ["teamleider.ekeren", "TEAMLEIDER.EKEREN", " TeamLeider.Ekeren "] {
        let found = store.credentials(asked).await.expect("lookup").expect("found");
        assert_eq!(found.user, lead);
        assert_eq!(found.password_hash, "$argon2id$v=19$m=19456,t=2,p=1$abc$def");
    }
    assert!(store.credentials("teamleider.deurne").await.expect("lookup").is_none());
    assert!(store.credentials("").await.expect("lookup").is_none());
}

async fn sessions_live_expire_and_go(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Hoboken").await;
    let start = now();
    let session = |token: &str, hours| Session {
        token_hash: token.to_owned(),
        user_id: org.officer.id,
        created_at: start,
        expires_at: start + Duration::hours(hours),
        device_id: None,
    };
    let (short, long, other) = (session("aa11", 1), session("bb22", 12), session("cc33", 12));
    for s in [&short, &long, &other] {
        store.insert_session(s).await.expect("session");
    }
    let refused = store.insert_session(&short).await;
    assert!(matches!(refused, Err(StoreError::Duplicate(_))), "{refused:?}");

    assert_eq!(store.live_session("aa11", start).await.expect("live"), Some(short.clone()));
    assert_eq!(store.live_session("aa11", start + Duration::hours(2)).await.expect("expired"), None);
    assert_eq!(store.live_session("zz99", start).await.expect("unknown"), None);

    store.delete_session("cc33").await.expect("log out");
    assert_eq!(store.live_session("cc33", start).await.expect("gone"), None);
    store.delete_session("cc33").await.expect("logging out twice is harmless");

    let removed = store.delete_expired_sessions(start + Duration::hours(2)).await.expect("sweep");
    assert_eq!(removed, 1);
    assert_eq!(store.delete_expired_sessions(start + Duration::hours(2)).await.expect("again"), 0);
    assert_eq!(store.live_session("bb22", start + Duration::hours(2)).await.expect("live"), Some(long));
}

async fn contacts_round_trip(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Merksem").await;
    let full = org.contact(now() - Duration::minutes(5));
    let bare = org.bare_contact(now() - Duration::minutes(10));
    store.insert_contact(&full).await.expect("full contact");
    store.insert_contact(&bare).await.expect("bare contact");
    let query = RecordQuery { team_id: Some(org.team.id), ..RecordQuery::default() };
    assert_eq!(store.contacts(&query).await.expect("list"), [full, bare]);
    assert_eq!(store.count_contacts(Some(org.team.id)).await.expect("count"), 2);
    assert_eq!(store.count_contacts(Some(TeamId::new_v7())).await.expect("count"), 0);
}

async fn a_duplicate_contact_is_refused_and_the_first_kept(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Wilrijk").await;
    let first = org.contact(now());
    store.insert_contact(&first).await.expect("first");
    let resent = domain::StreetContact { note: Some("Anders".to_owned()), ..first.clone() };
    match store.insert_contact(&resent).await {
        Err(StoreError::Duplicate(what)) => assert!(what.contains(&first.id.to_string()), "{what}"),
        other => panic!("expected a duplicate, got {other:?}"),
    }
    assert_eq!(store.contacts(&RecordQuery::default()).await.expect("list"), [first]);
}

async fn records_must_refer_to_existing_rows(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Lillo").await;
    let astray = domain::StreetContact { neighbourhood_id: NeighbourhoodId::new_v7(), ..org.contact(now()) };
    let refused = store.insert_contact(&astray).await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");
    let orphan = domain::NeighbourhoodSignal { author_id: UserId::new_v7(), ..org.signal(now()) };
    let refused = store.insert_signal(&orphan).await;
    assert!(matches!(refused, Err(StoreError::NotFound(_))), "{refused:?}");
    assert_eq!(store.count_contacts(None).await.expect("count"), 0);
}

async fn contacts_come_newest_first_up_to_the_limit(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Zandvliet").await;
    let base = now() - Duration::days(3);
    // Fractions of every width and a tie, inserted out of order: text-stored moments
    // must still sort as moments, and the tie by id.
    let offsets = [0, 1, 999_999, 1_000_000, 86_400_000_000, 500, 1];
    let mut made: Vec<_> = offsets.iter().map(|&us| org.contact(base + Duration::microseconds(us))).collect();
    for contact in made.iter().rev() {
        store.insert_contact(contact).await.expect("contact");
    }
    made.sort_by_key(|c| std::cmp::Reverse((c.occurred_at, c.id)));

    let all = store.contacts(&RecordQuery::default()).await.expect("all");
    assert_eq!(all, made);
    let limited = RecordQuery { limit: 3, ..RecordQuery::default() };
    assert_eq!(store.contacts(&limited).await.expect("three"), made[..3]);
    let nonsense = RecordQuery { limit: -1, ..RecordQuery::default() };
    assert_eq!(store.contacts(&nonsense).await.expect("default").len(), made.len());
}

async fn contacts_filter_by_team_author_and_neighbourhood(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let (here, there) = (Org::create(store, "Deurne").await, Org::create(store, "Berchem").await);
    let t = now() - Duration::hours(1);
    let mine = here.contact(t);
    let colleagues = domain::StreetContact { author_id: here.other_officer.id, ..here.contact(t) };
    let elsewhere = domain::StreetContact { neighbourhood_id: here.hoods[1].id, ..here.contact(t) };
    let other_team = there.contact(t);
    for c in [&mine, &colleagues, &elsewhere, &other_team] {
        store.insert_contact(c).await.expect("contact");
    }
    let ids = |query: RecordQuery| async move {
        let mut ids: Vec<RecordId> = store.contacts(&query).await.expect("list").iter().map(|c| c.id).collect();
        ids.sort();
        ids
    };
    let sorted = |mut ids: Vec<RecordId>| {
        ids.sort();
        ids
    };
    let team = RecordQuery { team_id: Some(here.team.id), ..RecordQuery::default() };
    assert_eq!(ids(team.clone()).await, sorted(vec![mine.id, colleagues.id, elsewhere.id]));
    let by_me = RecordQuery { author_id: Some(here.officer.id), ..team.clone() };
    assert_eq!(ids(by_me.clone()).await, sorted(vec![mine.id, elsewhere.id]));
    let by_me_here = RecordQuery { neighbourhood_id: Some(here.hoods[0].id), ..by_me };
    assert_eq!(ids(by_me_here).await, vec![mine.id]);
    let in_hood = RecordQuery { neighbourhood_id: Some(here.hoods[1].id), ..RecordQuery::default() };
    assert_eq!(ids(in_hood).await, vec![elsewhere.id]);
    assert_eq!(store.count_contacts(Some(here.team.id)).await.expect("count"), 3);
    assert_eq!(store.count_contacts(None).await.expect("count"), 4);
}

async fn signals_round_trip_and_refuse_duplicates(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Berendrecht").await;
    let signal = org.signal(now() - Duration::minutes(30));
    let bare = domain::NeighbourhoodSignal {
        location: domain::Location { point: None, accuracy_m: None, street: Some("Dorp".to_owned()) },
        status: SignalStatus::Open,
        ..org.signal(now() - Duration::days(2))
    };
    store.insert_signal(&signal).await.expect("signal");
    store.insert_signal(&bare).await.expect("bare signal");
    let resent = domain::NeighbourhoodSignal { description: "Anders".to_owned(), ..signal.clone() };
    let refused = store.insert_signal(&resent).await;
    assert!(matches!(refused, Err(StoreError::Duplicate(_))), "{refused:?}");
    let query = RecordQuery { team_id: Some(org.team.id), ..RecordQuery::default() };
    assert_eq!(store.signals(&query).await.expect("list"), [signal, bare]);
    assert_eq!(store.count_signals(Some(org.team.id)).await.expect("count"), 2);
    assert_eq!(store.count_signals(None).await.expect("count"), 2);
}

async fn signals_come_newest_first_and_filter(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let (here, there) = (Org::create(store, "Hoboken").await, Org::create(store, "Ekeren").await);
    let base = now() - Duration::days(10);
    let mut made = Vec::new();
    for (i, org) in [&here, &there, &here, &here, &there].into_iter().enumerate() {
        let signal = org.signal(base + Duration::hours(i as i64 * 7));
        store.insert_signal(&signal).await.expect("signal");
        made.push(signal);
    }
    let of_here: Vec<_> = made.iter().rev().filter(|s| s.team_id == here.team.id).cloned().collect();
    let query = RecordQuery { team_id: Some(here.team.id), ..RecordQuery::default() };
    assert_eq!(store.signals(&query).await.expect("team"), of_here);
    let two = RecordQuery { limit: 2, ..query.clone() };
    assert_eq!(store.signals(&two).await.expect("two"), of_here[..2]);
    let by_author = RecordQuery { author_id: Some(there.officer.id), ..RecordQuery::default() };
    assert_eq!(store.signals(&by_author).await.expect("author").len(), 2);
    let in_hood = RecordQuery { neighbourhood_id: Some(here.hoods[0].id), ..RecordQuery::default() };
    assert!(store.signals(&in_hood).await.expect("hood").is_empty());
}

async fn a_team_covers_its_districts_neighbourhoods(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let (here, there) = (Org::create(store, "Merksem").await, Org::create(store, "Wilrijk").await);
    let [zuid, noord] = here.hoods.clone();
    assert_eq!(store.neighbourhoods_of_team(here.team.id).await.expect("here"), [noord, zuid]);
    let theirs = store.neighbourhoods_of_team(there.team.id).await.expect("there");
    assert!(theirs.iter().all(|n| n.district_id == there.district.id) && theirs.len() == 2);
    assert!(store.neighbourhoods_of_team(TeamId::new_v7()).await.expect("unknown").is_empty());
}

async fn each_neighbourhood_lists_its_districts_teams_by_name(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let (here, there) = (Org::create(store, "Deurne").await, Org::create(store, "Hoboken").await);
    // Named to sort before the first team: it comes first for every neighbourhood.
    let second = domain::Team { id: TeamId::new_v7(), district_id: here.district.id, name: "Team Deurne B".into() };
    store.insert_team(&second).await.expect("a second team");
    let pairs = store.neighbourhood_teams().await.expect("pairs");
    let teams_of =
        |hood: NeighbourhoodId| pairs.iter().filter(|(n, _)| *n == hood).map(|(_, t)| *t).collect::<Vec<_>>();
    for hood in &here.hoods {
        assert_eq!(teams_of(hood.id), [second.id, here.team.id], "{}", hood.name);
    }
    for hood in &there.hoods {
        assert_eq!(teams_of(hood.id), [there.team.id], "{}", hood.name);
    }
    assert!(teams_of(NeighbourhoodId::new_v7()).is_empty());
}

async fn every_code_is_accepted(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Codes").await;
    let city = PartnerOrganisation {
        id: OrgId::new_v7(),
        name: "Stad Codes".to_owned(),
        kind: PartnerKind::CityService,
        district_id: None,
    };
    store.insert_partner_organisation(&city).await.expect("a city service");
    for role in Role::all() {
        // Each role with what it belongs to (see domain::Membership).
        let (team, partner_org) = match domain::Needs::of(role) {
            domain::Needs::Team => (Some(org.team.id), None),
            domain::Needs::PartnerOrganisation => (None, Some(org.organisation.id)),
            domain::Needs::CityService => (None, Some(city.id)),
            domain::Needs::Nothing => (None, None),
        };
        let u = user(&format!("rol.{role}"), role, team, partner_org);
        store.insert_user(&u, "hash").await.expect("every role is allowed");
        assert_eq!(store.user(u.id).await.expect("read").map(|u| u.role), Some(role));
    }
    for (i, kind) in PartnerKind::all().enumerate() {
        let o = PartnerOrganisation { id: OrgId::new_v7(), name: format!("Org {i}"), kind, district_id: None };
        store.insert_partner_organisation(&o).await.expect("every partner kind is allowed");
    }
    let start = now() - Duration::days(1);
    let mut contacts = Vec::new();
    let longest = [
        Mobility::all().count(),
        ContactKind::all().count(),
        ContactReason::all().count(),
        ContactOutcome::all().count(),
    ];
    for i in 0..longest.into_iter().max().unwrap_or_default() {
        let contact = domain::StreetContact {
            mobility: nth(Mobility::all(), i),
            kind: nth(ContactKind::all(), i),
            reason: nth(ContactReason::all(), i),
            outcome: nth(ContactOutcome::all(), i),
            ..org.contact(start + Duration::minutes(i as i64))
        };
        store.insert_contact(&contact).await.expect("every contact code is allowed");
        contacts.insert(0, contact);
    }
    assert_eq!(store.contacts(&RecordQuery::default()).await.expect("list"), contacts);
    let mut signals = Vec::new();
    for i in 0..SignalCategory::all().count() {
        let signal = domain::NeighbourhoodSignal {
            category: nth(SignalCategory::all(), i),
            urgency: nth(Urgency::all(), i),
            status: nth(SignalStatus::all(), i),
            ..org.signal(start + Duration::minutes(i as i64))
        };
        store.insert_signal(&signal).await.expect("every signal code is allowed");
        signals.insert(0, signal);
    }
    assert_eq!(store.signals(&RecordQuery::default()).await.expect("list"), signals);
}

async fn the_demo_is_seeded_once(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let started = Instant::now();
    let accounts = demo::seed_if_empty(store, "$argon2id$demo", now()).await.expect("seed").expect("seeded");
    eprintln!("seeding the demo into {:?} took {:?}", db.backend, started.elapsed());
    assert_eq!(accounts, demo::demo_accounts());
    assert!(demo::seed_if_empty(store, "$argon2id$demo", now()).await.expect("second").is_none());

    assert!(store.count_contacts(None).await.expect("contacts") >= 300);
    assert!(store.count_signals(None).await.expect("signals") >= 100);
    let users = store.users().await.expect("users");
    for role in Role::all() {
        assert!(users.iter().any(|u| u.role == role), "a demo user with role {role}");
    }
    for account in &accounts {
        let found = store.credentials(&account.username).await.expect("lookup").expect("account");
        assert_eq!(found.password_hash, "$argon2id$demo", "one hash of {DEMO_PASSWORD} for all");
        assert_eq!((found.user.display_name.as_str(), found.user.role), (account.display_name.as_str(), account.role));
    }
    let neighbourhoods = store.neighbourhoods().await.expect("neighbourhoods");
    assert!(neighbourhoods.len() >= 30);
    for n in &neighbourhoods {
        assert_eq!(check_boundary(&n.boundary_geojson), Ok(()), "{}", n.name);
    }
    assert_eq!(store.districts().await.expect("districts").len(), 9);
    let teams = store.teams().await.expect("teams");
    let borgerhout = teams.iter().find(|t| t.name == "Wijkteam Borgerhout").expect("team");
    let recent = RecordQuery { team_id: Some(borgerhout.id), limit: 20, ..RecordQuery::default() };
    assert_eq!(store.contacts(&recent).await.expect("list").len(), 20);
    let orgs = store.partner_organisations().await.expect("organisations");
    let city = orgs.iter().find(|o| o.kind == PartnerKind::CityService).expect("the city service");
    let netheid = store.credentials("stad.netheid").await.expect("lookup").expect("account");
    assert_eq!(netheid.user.partner_org_id, Some(city.id));
    let for_city = RecordQuery { org_id: Some(city.id), ..RecordQuery::default() };
    let referred = store.signals(&for_city).await.expect("referred to the city");
    assert!(!referred.is_empty() && referred.iter().all(|s| s.referred_to_org_id == Some(city.id)));
}

async fn an_unknown_stored_code_is_corrupt(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Corrupt").await;
    let contact = org.contact(now());
    store.insert_contact(&contact).await.expect("contact");
    let sql = format!("UPDATE users SET role = 'superuser' WHERE username = '{}'", org.officer.username);
    // A role nobody has fits no team-or-organisation rule either: both step aside.
    db.force("users", &["users_role_known", "users_membership_fits_role"], &sql).await;
    let sql = format!("UPDATE street_contacts SET kind = 'arrest' WHERE id = '{}'", contact.id);
    db.force("street_contacts", &["street_contacts_kind_known"], &sql).await;

    assert!(matches!(store.users().await, Err(StoreError::Corrupt(_))));
    assert!(matches!(store.user(org.officer.id).await, Err(StoreError::Corrupt(_))));
    assert!(matches!(store.credentials(&org.officer.username).await, Err(StoreError::Corrupt(_))));
    match store.contacts(&RecordQuery::default()).await {
        Err(StoreError::Corrupt(what)) => assert!(what.contains("arrest"), "{what}"),
        other => panic!("expected corrupt, got {other:?}"),
    }
    // The rest of the store is unaffected.
    assert!(store.user(org.other_officer.id).await.expect("intact").is_some());
}
