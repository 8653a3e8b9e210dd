//! Signals linked to an earlier one ("is it one of these?" — yes), on both backends:
//! stored whole with their link from the web and from a phone's push, read back and
//! pulled like any other; counted per earlier signal within what a reader may see;
//! and a link to no signal is refused by the schema itself. (Which links a person may
//! make is the service's rule: see the server's tests.)

use crate::support;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;
use domain::sync::{Mutation, MutationBody, Outcome};
use domain::{NeighbourhoodSignal, PhotoId, PhotoRef, RecordId, SignalDraft, SignalStatus};
use store::testing::phone;
use store::{FeedRecord, PreparedMutation, PreparedPush, PullQuery, PullScope, RecordQuery, Verdict};
use support::fixtures::{now, Org};
use support::TestDb;
use uuid::Uuid;

store::testing::both_stores!(
    run = crate::support::run;
    a_linked_signal_is_stored_read_and_pulled_like_any_other,
    linked_reports_are_counted_within_the_readers_scope,
    a_link_to_no_signal_is_refused_and_nothing_is_stored,
);

fn open_signal(org: &Org, minutes_ago: i64) -> NeighbourhoodSignal {
    NeighbourhoodSignal { status: SignalStatus::Open, ..org.signal(now() - Duration::minutes(minutes_ago)) }
}

/// Another report of `earlier`: its own moment, text, place and photo.
fn report_of(org: &Org, earlier: &NeighbourhoodSignal, minutes_ago: i64) -> NeighbourhoodSignal {
    NeighbourhoodSignal {
        author_id: org.other_officer.id,
        description: "Lamp brandt nog altijd niet, nu ook de tweede.".to_owned(),
        location: domain::Location {
            point: domain::GeoPoint::new(51.21612, 4.43671),
            accuracy_m: Some(9.0),
            street: Some("Speelpleinstraat".to_owned()),
        },
        photo: Some(PhotoRef { id: PhotoId::new_v7(), complete: false }),
        duplicate_of: Some(earlier.id),
        ..open_signal(org, minutes_ago)
    }
}

async fn a_linked_signal_is_stored_read_and_pulled_like_any_other(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Linkeroever").await;
    let earlier = open_signal(&org, 60);
    store.insert_signal(&earlier).await.expect("the earlier signal");
    let from_web = report_of(&org, &earlier, 30);
    store.insert_signal(&from_web).await.expect("a report filed on the web");

    // The same from a phone's push: the verdict carries the checked link.
    let device = phone(org.other_officer.id, "hash-linked", now() - Duration::days(1));
    store.insert_device(&device).await.expect("device");
    let mutation = Mutation {
        id: Uuid::now_v7(),
        device_id: device.id,
        seq: 1,
        created_at: now() - Duration::minutes(10),
        body: MutationBody::CreateSignal(SignalDraft { duplicate_of: Some(earlier.id), ..SignalDraft::default() }),
    };
    let from_phone = NeighbourhoodSignal { id: RecordId::from_uuid(mutation.id), ..report_of(&org, &earlier, 10) };
    let push = PreparedPush {
        device_id: device.id,
        author_id: device.user_id,
        now: now(),
        mutations: vec![PreparedMutation { mutation, verdict: Verdict::CreateSignal(from_phone.clone()) }],
    };
    let receipts = store.apply_push(&push).await.expect("the push");
    assert_eq!(receipts[0].outcome, Outcome::Applied { record_id: from_phone.id, version: 1 });
    assert_eq!(store.apply_push(&push).await.expect("a replay"), receipts, "a replay changes nothing");

    // Nothing of either report is lost, and the earlier signal is untouched.
    assert_eq!(store.signal(from_web.id).await.expect("read"), Some(from_web.clone()));
    assert_eq!(store.signal(from_phone.id).await.expect("read"), Some(from_phone.clone()));
    assert_eq!(store.signal(earlier.id).await.expect("read"), Some(earlier.clone()));
    let team = RecordQuery { team_id: Some(org.team.id), ..RecordQuery::default() };
    assert_eq!(store.signals(&team).await.expect("list"), [from_phone.clone(), from_web.clone(), earlier.clone()]);

    let scope = PullScope::Team { team_id: org.team.id, contacts_of: org.officer.id };
    let page = store.pull(&PullQuery { after: 0, limit: 50, scope }).await.expect("a pull");
    let pulled: HashMap<RecordId, Option<NeighbourhoodSignal>> = page
        .changes
        .into_iter()
        .filter_map(|c| match c.record {
            FeedRecord::Signal(signal) => Some((c.record_id, signal)),
            FeedRecord::Contact(_) => None,
        })
        .collect();
    assert_eq!(pulled.len(), 3, "the earlier signal and both reports: {pulled:?}");
    assert_eq!(pulled[&from_web.id], Some(from_web), "pulled with its link");
    assert_eq!(pulled[&from_phone.id], Some(from_phone));
    assert_eq!(pulled[&earlier.id].as_ref().and_then(|s| s.duplicate_of), None);
}

async fn linked_reports_are_counted_within_the_readers_scope(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Hoboken").await;
    let elsewhere = Org::create(store, "Ekeren").await;
    let lamp = open_signal(&org, 90);
    let dump = open_signal(&org, 80);
    let alone = open_signal(&org, 70);
    let foreign = open_signal(&elsewhere, 60);
    for s in [&lamp, &dump, &alone, &foreign] {
        store.insert_signal(s).await.expect("signal");
    }
    let by_partner = NeighbourhoodSignal { author_org_id: Some(org.organisation.id), ..report_of(&org, &lamp, 50) };
    let reports = [report_of(&org, &lamp, 40), report_of(&org, &lamp, 30), by_partner, report_of(&org, &dump, 20)];
    for r in &reports {
        store.insert_signal(r).await.expect("report");
    }
    // A report filed in another team's area is counted for that team only (the
    // service never makes such a link; the count does not rely on it).
    let stray = NeighbourhoodSignal { duplicate_of: Some(lamp.id), ..open_signal(&elsewhere, 10) };
    store.insert_signal(&stray).await.expect("stray report");

    let ids = [lamp.id, dump.id, alone.id, foreign.id, reports[0].id];
    let team = RecordQuery { team_id: Some(org.team.id), ..RecordQuery::default() };
    let counted = store.linked_reports(&ids, &team).await.expect("counts");
    assert_eq!(counted, HashMap::from([(lamp.id, 3), (dump.id, 1)]), "the team sees all its reports");

    let partner = RecordQuery { org_id: Some(org.organisation.id), ..RecordQuery::default() };
    let counted = store.linked_reports(&ids, &partner).await.expect("counts");
    assert_eq!(counted, HashMap::from([(lamp.id, 1)]), "a partner counts the reports it may read");

    let other_team = RecordQuery { team_id: Some(elsewhere.team.id), ..RecordQuery::default() };
    assert_eq!(store.linked_reports(&ids, &other_team).await.expect("counts"), HashMap::from([(lamp.id, 1)]));
    assert!(store.linked_reports(&[], &team).await.expect("nothing asked").is_empty());

    // A full page of ids (the listing's maximum and one more) is counted in one go.
    let many: Vec<RecordId> = std::iter::once(lamp.id).chain((0..500).map(|_| RecordId::new_v7())).collect();
    assert_eq!(store.linked_reports(&many, &team).await.expect("counts"), HashMap::from([(lamp.id, 3)]));
}

async fn a_link_to_no_signal_is_refused_and_nothing_is_stored(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Wilrijk").await;
    let nowhere = NeighbourhoodSignal { duplicate_of: Some(RecordId::new_v7()), ..open_signal(&org, 5) };
    let refused = store.insert_signal(&nowhere).await;
    assert!(refused.is_err(), "the reference refuses it: {refused:?}");
    assert_eq!(store.signal(nowhere.id).await.expect("read"), None);
    assert_eq!(store.count_signals(Some(org.team.id)).await.expect("count"), 0);
}
