//! The streets the app knows (issue 10): stored per neighbourhood, listed by name for
//! the whole city or a team's district, and seeded with the demo.

use std::sync::Arc;

use domain::area::{Area, StreetLine};
use domain::{NeighbourhoodId, Street, StreetId, TeamId};
use store::demo;
use store::StoreError;
use support::fixtures::{now, Org};
use support::TestDb;

use crate::support;

store::testing::both_stores!(
    run = crate::support::run;
    streets_round_trip_per_team,
    a_street_needs_a_known_neighbourhood_and_a_unique_name_there,
    the_demo_knows_streets_in_its_neighbourhoods,
);

fn street(neighbourhood_id: NeighbourhoodId, name: &str) -> Street {
    Street {
        id: StreetId::new_v7(),
        neighbourhood_id,
        name: name.to_owned(),
        line_geojson: r#"{"type":"LineString","coordinates":[[4.43,51.215],[4.44,51.215]]}"#.to_owned(),
    }
}

async fn streets_round_trip_per_team(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let (here, there) = (Org::create(store, "Borgerhout").await, Org::create(store, "Deurne").await);
    let turnhoutsebaan = street(here.hoods[0].id, "Turnhoutsebaan");
    let kroonstraat = street(here.hoods[1].id, "Kroonstraat");
    let elsewhere = street(there.hoods[0].id, "Herentalsebaan");
    // The same name in another neighbourhood is another row (its part of the street).
    let across = street(there.hoods[1].id, "Turnhoutsebaan");
    for s in [&turnhoutsebaan, &kroonstraat, &elsewhere, &across] {
        store.insert_street(s).await.expect("street");
    }
    let ours = store.streets(Some(here.team.id)).await.expect("team's");
    assert_eq!(ours, [kroonstraat.clone(), turnhoutsebaan.clone()], "by name, the team's only");
    let all = store.streets(None).await.expect("all");
    assert_eq!(all.len(), 4);
    assert_eq!(all.first(), Some(&elsewhere));
    assert!(store.streets(Some(TeamId::new_v7())).await.expect("unknown team").is_empty());
}

async fn a_street_needs_a_known_neighbourhood_and_a_unique_name_there(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    let org = Org::create(store, "Hoboken").await;
    let first = street(org.hoods[0].id, "Kioskplaats");
    store.insert_street(&first).await.expect("first");
    let again = store.insert_street(&street(org.hoods[0].id, "Kioskplaats")).await;
    assert!(matches!(again, Err(StoreError::Duplicate(_))), "{again:?}");
    let nowhere = store.insert_street(&street(NeighbourhoodId::new_v7(), "Kapelstraat")).await;
    assert!(nowhere.is_err(), "{nowhere:?}");
    assert_eq!(store.streets(None).await.expect("streets"), [first]);
}

async fn the_demo_knows_streets_in_its_neighbourhoods(db: Arc<TestDb>) {
    let store = db.store.as_ref();
    demo::seed_if_empty(store, "$argon2id$demo", now()).await.expect("seed").expect("seeded");
    let neighbourhoods = store.neighbourhoods().await.expect("neighbourhoods");
    let streets = store.streets(None).await.expect("streets");
    assert!(streets.len() >= 50, "{} streets", streets.len());
    for s in &streets {
        let n = neighbourhoods.iter().find(|n| n.id == s.neighbourhood_id).expect("its neighbourhood");
        let area = Area::from_geojson(&n.boundary_geojson).expect("area");
        let line = StreetLine::from_street(s).expect("a line");
        for &[lon, lat] in line.parts.iter().flatten() {
            let point = domain::GeoPoint::new(lat, lon).expect("a point");
            assert!(area.contains(point), "{} lies in {}", s.name, n.name);
        }
    }
    assert!(streets.iter().any(|s| s.name == "Turnhoutsebaan"), "real street names");
}
