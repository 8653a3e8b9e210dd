//! Small, complete records for the tests, with every field set to something that
//! shows whether it survived the round trip.

use chrono::{DateTime, Duration, Timelike, Utc};
use domain::clock::{Clock, SystemClock};
use domain::{
    ContactKind, ContactOutcome, ContactReason, District, GeoPoint, Location, Mobility, Neighbourhood,
    NeighbourhoodSignal, PartnerKind, PartnerOrganisation, Role, SignalCategory, SignalStatus, StreetContact, Team,
    Urgency, User,
};
use domain::{DistrictId, NeighbourhoodId, RecordId, UserId};
use domain::{OrgId, TeamId};
use store::Store;

pub const SQUARE: &str =
    r#"{"type":"Polygon","coordinates":[[[4.43,51.21],[4.44,51.21],[4.44,51.22],[4.43,51.22],[4.43,51.21]]]}"#;

/// PostgreSQL keeps microseconds, and so does the SQLite store: compare at that precision.
pub fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_nanosecond(at.nanosecond() / 1_000 * 1_000).unwrap_or(at)
}

/// Now, to the microsecond, with a fraction that is not round.
pub fn now() -> DateTime<Utc> {
    micros(SystemClock.now())
}

/// The `i`th code of a list, wrapping around.
pub fn nth<T>(all: impl Iterator<Item = T>, i: usize) -> T {
    let all: Vec<T> = all.collect();
    let len = all.len();
    all.into_iter().nth(i % len).expect("a code list is never empty")
}

/// A district with its team, two neighbourhoods, a partner organisation and two officers.
pub struct Org {
    pub district: District,
    pub team: Team,
    pub hoods: [Neighbourhood; 2],
    pub organisation: PartnerOrganisation,
    pub officer: User,
    pub other_officer: User,
}

pub fn user(username: &str, role: Role, team_id: Option<TeamId>, partner_org_id: Option<OrgId>) -> User {
    User {
        id: UserId::new_v7(),
        username: username.to_owned(),
        display_name: format!("Testpersoon {username}"),
        role,
        team_id,
        partner_org_id,
    }
}

impl Org {
    /// Builds and stores one; `name` keeps names unique when a test needs two.
    pub async fn create(store: &dyn Store, name: &str) -> Self {
        let district = District { id: DistrictId::new_v7(), name: name.to_owned() };
        let team = Team { id: TeamId::new_v7(), district_id: district.id, name: format!("Wijkteam {name}") };
        // Inserted in reverse alphabetical order, to show that listings sort by name.
        let hoods = ["Zuid", "Noord"].map(|part| Neighbourhood {
            id: NeighbourhoodId::new_v7(),
            district_id: district.id,
            name: format!("{name}-{part}"),
            boundary_geojson: SQUARE.to_owned(),
        });
        let organisation = PartnerOrganisation {
            id: OrgId::new_v7(),
            name: format!("Buurtcomité {name}"),
            kind: PartnerKind::NeighbourhoodCommittee,
            district_id: Some(district.id),
        };
        let key = name.to_lowercase();
        let officer = user(&format!("agent.{key}"), Role::Officer, Some(team.id), None);
        let other_officer = user(&format!("agent2.{key}"), Role::Officer, Some(team.id), None);

        store.insert_district(&district).await.expect("district");
        store.insert_team(&team).await.expect("team");
        for hood in &hoods {
            store.insert_neighbourhood(hood).await.expect("neighbourhood");
        }
        store.insert_partner_organisation(&organisation).await.expect("organisation");
        for officer in [&officer, &other_officer] {
            store.insert_user(officer, "$argon2id$v=19$test").await.expect("officer");
        }
        Self { district, team, hoods, organisation, officer, other_officer }
    }

    /// A contact with every optional field filled in.
    pub fn contact(&self, occurred_at: DateTime<Utc>) -> StreetContact {
        StreetContact {
            id: RecordId::new_v7(),
            author_id: self.officer.id,
            team_id: self.team.id,
            neighbourhood_id: self.hoods[0].id,
            occurred_at,
            received_at: occurred_at + Duration::milliseconds(1_234),
            mobility: Mobility::Bike,
            kind: ContactKind::Mediation,
            reason: ContactReason::NeighbourDispute,
            outcome: ContactOutcome::FollowUpByTeam,
            location: Location {
                point: GeoPoint::new(51.213_456_789, 4.434_567_891),
                accuracy_m: Some(12.5),
                street: Some("Turnhoutsebaan".to_owned()),
            },
            note: Some("Bemiddeld over de gedeelde koer; opvolging volgende week.".to_owned()),
        }
    }

    /// A contact with nothing optional.
    pub fn bare_contact(&self, occurred_at: DateTime<Utc>) -> StreetContact {
        StreetContact {
            location: Location { point: None, accuracy_m: None, street: None },
            note: None,
            mobility: Mobility::OnFoot,
            ..self.contact(occurred_at)
        }
    }

    pub fn signal(&self, occurred_at: DateTime<Utc>) -> NeighbourhoodSignal {
        NeighbourhoodSignal {
            id: RecordId::new_v7(),
            author_id: self.officer.id,
            team_id: self.team.id,
            neighbourhood_id: self.hoods[1].id,
            occurred_at,
            received_at: occurred_at + Duration::seconds(40),
            category: SignalCategory::Lighting,
            urgency: Urgency::High,
            status: SignalStatus::InProgress,
            description: "Straatlantaarn defect aan het speelplein.".to_owned(),
            location: Location { point: GeoPoint::new(51.2161, 4.4367), accuracy_m: None, street: None },
            author_org_id: None,
            referred_to_org_id: None,
            feedback: None,
            photo: None,
            duplicate_of: None,
        }
    }
}
