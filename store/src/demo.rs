//! Demo data for a first run: Antwerp's districts and neighbourhoods, a team per
//! district, partner organisations, an account of every role and six weeks of street
//! contacts and signals, so the app can be tried (and shown) before real use.
//!
//! Everything is generated from fixed seeds: the organisation (and so its ids) is the
//! same on every install; the records differ only in being anchored to the moment of
//! seeding, so they always look recent.

mod places;
mod records;
mod texts;

use chrono::{DateTime, Timelike, Utc};
use domain::{
    District, Neighbourhood, NeighbourhoodSignal, PartnerKind, PartnerOrganisation, Role, SignalCategory, Street,
    StreetContact, Team, User,
};
use domain::{DistrictId, NeighbourhoodId};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::{Store, StoreError};
use places::{DISTRICTS, PLACES};
use records::Author;

/// The password of every demo account. Public on purpose: the demo is for trying out.
pub const DEMO_PASSWORD: &str = "wijkpost-demo";

/// A demo account, to list at start-up and in the README.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The name of the account's team, if it has one.
    pub team: Option<String>,
}

const ORGANISATION_SEED: u64 = 0x5749_4a4b_504f_5354; // "WIJKPOST"
const RECORD_SEED: u64 = 2024;
const STREET_SEED: u64 = 13;

/// The city service that waste and lighting signals are referred to.
const CITY_SERVICE: &str = "Stad Antwerpen – Netheid";
const YOUTH_WORK: &str = "Jeugdwerk Borgerhout";
const STREET_WORK: &str = "Straathoekwerk Antwerpen";

/// (name, kind, district): one organisation of each kind a team works with most,
/// and the city service. Appended, never reordered: ids are drawn in this order.
const ORGANISATIONS: [(&str, PartnerKind, Option<&str>); 7] = [
    (YOUTH_WORK, PartnerKind::YouthWork, Some("Borgerhout")),
    (STREET_WORK, PartnerKind::StreetWork, None),
    ("Buurtvaders Borgerhout", PartnerKind::NeighbourhoodParents, Some("Borgerhout")),
    ("Stewards Moskee Seefhoek", PartnerKind::MosqueStewards, Some("Antwerpen")),
    ("Buurtcomité Zurenborg", PartnerKind::NeighbourhoodCommittee, Some("Antwerpen")),
    ("Handelaarsvereniging Turnhoutsebaan", PartnerKind::TradersAssociation, Some("Borgerhout")),
    (CITY_SERVICE, PartnerKind::CityService, None),
];

struct AccountSpec {
    username: &'static str,
    display_name: &'static str,
    role: Role,
    district: Option<&'static str>,
    organisation: Option<&'static str>,
    /// For officers and partners: how much they write, relative to the others.
    activity: u32,
}

const fn account(
    username: &'static str,
    display_name: &'static str,
    role: Role,
    district: Option<&'static str>,
    organisation: Option<&'static str>,
    activity: u32,
) -> AccountSpec {
    AccountSpec { username, display_name, role, district, organisation, activity }
}

const ACCOUNTS: [AccountSpec; 22] = [
    account("agent.antwerpen", "Sofie Van den Broeck", Role::Officer, Some("Antwerpen"), None, 3),
    account("agent.zuid", "Jeroen Peeters", Role::Officer, Some("Antwerpen"), None, 3),
    account("agent.seefhoek", "Dirk Mertens", Role::Officer, Some("Antwerpen"), None, 2),
    account("agent.borgerhout", "Yassine El Amrani", Role::Officer, Some("Borgerhout"), None, 3),
    account("agent.deurne", "Lien Janssens", Role::Officer, Some("Deurne"), None, 1),
    account("agent.berchem", "Tom Maes", Role::Officer, Some("Berchem"), None, 1),
    account("agent.hoboken", "Els Wouters", Role::Officer, Some("Hoboken"), None, 1),
    account("agent.merksem", "Kevin De Smet", Role::Officer, Some("Merksem"), None, 1),
    account("agent.wilrijk", "Nathalie Claes", Role::Officer, Some("Wilrijk"), None, 1),
    account("agent.ekeren", "Bart Willems", Role::Officer, Some("Ekeren"), None, 1),
    account("agent.bzl", "Griet Goossens", Role::Officer, Some("Berendrecht-Zandvliet-Lillo"), None, 1),
    account("teamleider.antwerpen", "Ilse De Backer", Role::TeamLead, Some("Antwerpen"), None, 0),
    account("teamleider.borgerhout", "Marc Verstraeten", Role::TeamLead, Some("Borgerhout"), None, 0),
    account("interventie.antwerpen", "Pieter Hermans", Role::InterventionOfficer, Some("Antwerpen"), None, 0),
    account("partner.jeugdwerk", "Sarah Aerts", Role::Partner, None, Some("Jeugdwerk Borgerhout"), 2),
    account("partner.straathoekwerk", "Wim Jacobs", Role::Partner, None, Some("Straathoekwerk Antwerpen"), 1),
    account("partner.buurtvaders", "Mohamed Bakkali", Role::Partner, None, Some("Buurtvaders Borgerhout"), 2),
    account("partner.moskee", "Karim Ouald Ali", Role::Partner, None, Some("Stewards Moskee Seefhoek"), 1),
    account("partner.buurtcomite", "Hilde Vermeulen", Role::Partner, None, Some("Buurtcomité Zurenborg"), 2),
    account("partner.handelaars", "Luc Dewilde", Role::Partner, None, Some("Handelaarsvereniging Turnhoutsebaan"), 1),
    account("stad.netheid", "Koen Lambrechts", Role::CityService, None, Some(CITY_SERVICE), 0),
    account("beheerder", "An Segers", Role::Admin, None, None, 0),
];

fn team_name(district: &str) -> String {
    format!("Wijkteam {district}")
}

/// The demo accounts, always the same, in a fixed order; all use [`DEMO_PASSWORD`].
pub fn demo_accounts() -> Vec<DemoAccount> {
    ACCOUNTS
        .iter()
        .map(|a| DemoAccount {
            username: a.username.to_owned(),
            display_name: a.display_name.to_owned(),
            role: a.role,
            team: a.district.map(team_name),
        })
        .collect()
}

/// Fills an empty store with the demo. Does nothing, and returns `None`, when any
/// user exists: demo data must never mix with real data. `password_hash` is one hash
/// of [`DEMO_PASSWORD`], shared by every demo account (hashing is the caller's:
/// the store does not know the app's password scheme).
///
/// The data goes in through the ordinary [`Store`] methods, one record at a time, so
/// an interrupted seeding leaves a partial demo rather than a half-written record.
pub async fn seed_if_empty(
    store: &dyn Store,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Vec<DemoAccount>>, StoreError> {
    if store.count_users().await? > 0 {
        return Ok(None);
    }
    let demo = Demo::generate(now);
    for district in &demo.districts {
        store.insert_district(district).await?;
    }
    for team in &demo.teams {
        store.insert_team(team).await?;
    }
    for neighbourhood in &demo.neighbourhoods {
        store.insert_neighbourhood(neighbourhood).await?;
    }
    for street in &demo.streets {
        store.insert_street(street).await?;
    }
    for org in &demo.organisations {
        store.insert_partner_organisation(org).await?;
    }
    for user in &demo.users {
        store.insert_user(user, password_hash).await?;
    }
    for contact in &demo.contacts {
        store.insert_contact(contact).await?;
    }
    for signal in &demo.signals {
        store.insert_signal(signal).await?;
    }
    Ok(Some(demo_accounts()))
}

/// Everything the demo inserts, in insertion order.
struct Demo {
    districts: Vec<District>,
    teams: Vec<Team>,
    /// In the order of [`PLACES`].
    neighbourhoods: Vec<Neighbourhood>,
    /// A few real street names per neighbourhood, on made-up lines.
    streets: Vec<Street>,
    organisations: Vec<PartnerOrganisation>,
    users: Vec<User>,
    contacts: Vec<StreetContact>,
    signals: Vec<NeighbourhoodSignal>,
}

impl Demo {
    fn generate(anchor: DateTime<Utc>) -> Self {
        let mut rng = StdRng::seed_from_u64(ORGANISATION_SEED);
        let mut new_id = || uuid::Builder::from_random_bytes(rng.gen()).into_uuid();

        let districts: Vec<District> =
            DISTRICTS.iter().map(|name| District { id: new_id().into(), name: (*name).to_owned() }).collect();
        let district_id = |name: &str| districts.iter().find(|d| d.name == name).map(|d| d.id);
        let teams: Vec<Team> = districts
            .iter()
            .map(|d| Team { id: new_id().into(), district_id: d.id, name: team_name(&d.name) })
            .collect();
        let team_of = |district: Option<DistrictId>| teams.iter().find(|t| Some(t.district_id) == district);
        let neighbourhoods: Vec<Neighbourhood> = PLACES
            .iter()
            .enumerate()
            .filter_map(|(index, place)| {
                Some(Neighbourhood {
                    id: new_id().into(),
                    district_id: district_id(place.district)?,
                    name: place.name.to_owned(),
                    boundary_geojson: place.boundary_geojson(index),
                })
            })
            .collect();
        let organisations: Vec<PartnerOrganisation> = ORGANISATIONS
            .iter()
            .map(|(name, kind, district)| PartnerOrganisation {
                id: new_id().into(),
                name: (*name).to_owned(),
                kind: *kind,
                district_id: district.and_then(district_id),
            })
            .collect();
        let org_of = |name: Option<&str>| organisations.iter().find(|o| Some(o.name.as_str()) == name);

        let mut users = Vec::with_capacity(ACCOUNTS.len());
        let (mut officers, mut partners) = (Vec::new(), Vec::new());
        for spec in &ACCOUNTS {
            let team = team_of(spec.district.and_then(district_id));
            let org = org_of(spec.organisation);
            let user = User {
                id: new_id().into(),
                username: spec.username.to_owned(),
                display_name: spec.display_name.to_owned(),
                role: spec.role,
                team_id: team.map(|t| t.id),
                partner_org_id: org.map(|o| o.id),
            };
            // A partner writes for the team of its organisation's district; a
            // city-wide organisation, for the city centre's.
            let writes_for = match spec.role {
                Role::Partner => org.and_then(|o| team_of(o.district_id)).or_else(|| teams.first()),
                _ => team,
            };
            if let (Some(team), true) = (writes_for, spec.activity > 0) {
                let places = neighbourhoods
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.district_id == team.district_id)
                    .map(|(index, _)| index)
                    .collect();
                let author = Author {
                    user_id: user.id,
                    team_id: team.id,
                    org_id: user.partner_org_id,
                    places,
                    weight: spec.activity,
                };
                if spec.role == Role::Partner {
                    partners.push(author)
                } else {
                    officers.push(author)
                }
            }
            users.push(user);
        }

        // Whole seconds: the anchor's nanoseconds would only be cut off by the store.
        let anchor = anchor.with_nanosecond(0).unwrap_or(anchor);
        let ids: Vec<NeighbourhoodId> = neighbourhoods.iter().map(|n| n.id).collect();
        let mut rng = StdRng::seed_from_u64(RECORD_SEED);
        let contacts = records::contacts(&mut rng, anchor, &officers, &PLACES, &ids);
        // Officers log most signals; partners the rest, weighted down by half.
        officers.iter_mut().for_each(|o| o.weight *= 2);
        officers.append(&mut partners);
        let mut signals = records::signals(&mut rng, anchor, &officers, &PLACES, &ids);
        let org_named = |name: &str| org_of(Some(name)).map(|o| o.id);
        let team_in = |district: &str| team_of(district_id(district)).map(|t| t.id);
        let (antwerpen, borgerhout) = (team_in("Antwerpen"), team_in("Borgerhout"));
        // Where the central teams send what they cannot solve themselves: the street
        // to the city service, youth to youth work in Borgerhout and to the city-wide
        // street workers in the centre, which has no youth-work partner of its own.
        records::refer(&mut signals, |signal| {
            let team = Some(signal.team_id);
            if team != antwerpen && team != borgerhout {
                return None;
            }
            match signal.category {
                SignalCategory::Waste | SignalCategory::Lighting => org_named(CITY_SERVICE),
                SignalCategory::Youth if team == borgerhout => org_named(YOUTH_WORK),
                SignalCategory::Youth => org_named(STREET_WORK),
                _ => None,
            }
        });
        let streets = demo_streets(&neighbourhoods);
        Self { districts, teams, neighbourhoods, streets, organisations, users, contacts, signals }
    }
}

/// The streets of [`PLACES`], with ids from a seed of their own: drawing them from the
/// organisation's would change every id drawn after them.
fn demo_streets(neighbourhoods: &[Neighbourhood]) -> Vec<Street> {
    let mut rng = StdRng::seed_from_u64(STREET_SEED);
    let by_name = |name: &str| neighbourhoods.iter().find(|n| n.name == name);
    PLACES
        .iter()
        .filter_map(|place| Some((by_name(place.name)?.id, place.street_lines())))
        .flat_map(|(neighbourhood_id, lines)| {
            lines.into_iter().map(move |(name, line_geojson)| (neighbourhood_id, name, line_geojson))
        })
        .map(|(neighbourhood_id, name, line_geojson)| Street {
            id: uuid::Builder::from_random_bytes(rng.gen()).into_uuid().into(),
            neighbourhood_id,
            name: name.to_owned(),
            line_geojson,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use domain::{SignalStatus, TeamId};

    fn anchor() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 12, 16, 45, 0).unwrap()
    }

    #[test]
    fn the_demo_is_deterministic_given_its_anchor() {
        let (a, b) = (Demo::generate(anchor()), Demo::generate(anchor()));
        assert_eq!(a.contacts, b.contacts);
        assert_eq!(a.signals, b.signals);
        assert_eq!(a.users, b.users);
        let later = Demo::generate(anchor() + chrono::Duration::days(400));
        assert_eq!(a.districts, later.districts, "the organisation does not depend on the anchor");
        assert_eq!(a.neighbourhoods, later.neighbourhoods);
        assert_eq!(demo_accounts(), demo_accounts());
    }

    #[test]
    fn everything_refers_to_something_that_exists() {
        let demo = Demo::generate(anchor());
        assert_eq!(demo.neighbourhoods.len(), PLACES.len());
        assert_eq!(demo.teams.len(), 9);
        assert!(demo.contacts.len() >= 300 && demo.signals.len() >= 100);
        let user = |id| demo.users.iter().find(|u| u.id == id);
        let hood = |id| demo.neighbourhoods.iter().find(|n| n.id == id);
        let team = |id| demo.teams.iter().find(|t| t.id == id);
        for c in &demo.contacts {
            assert_eq!(user(c.author_id).map(|u| u.role), Some(Role::Officer));
            let (Some(hood), Some(team)) = (hood(c.neighbourhood_id), team(c.team_id)) else { panic!() };
            assert_eq!(hood.district_id, team.district_id, "an officer works in the team's district");
        }
        for s in &demo.signals {
            assert!(matches!(user(s.author_id).map(|u| u.role), Some(Role::Officer | Role::Partner)));
            let (Some(hood), Some(team)) = (hood(s.neighbourhood_id), team(s.team_id)) else { panic!() };
            assert_eq!(hood.district_id, team.district_id);
        }
        assert!(demo.signals.iter().any(|s| user(s.author_id).map(|u| u.role) == Some(Role::Partner)));
        let org = |id| demo.organisations.iter().find(|o| o.id == id);
        for s in &demo.signals {
            // A partner files for their organisation; the police for none.
            assert_eq!(s.author_org_id, user(s.author_id).and_then(|u| u.partner_org_id));
            assert!(s.author_org_id.is_none_or(|id| org(id).is_some()));
            assert!(s.referred_to_org_id.is_none_or(|id| org(id).is_some()));
        }
        for role in Role::all() {
            assert!(demo.users.iter().any(|u| u.role == role), "{role}");
        }
    }

    #[test]
    fn records_follow_a_community_police_day() {
        let demo = Demo::generate(anchor());
        let hours: Vec<u32> = demo.contacts.iter().map(|c| records::local_hour(c.occurred_at)).collect();
        let night = hours.iter().filter(|h| (1..6).contains(*h)).count();
        let day = hours.iter().filter(|h| (8..22).contains(*h)).count();
        assert!(night * 10 < hours.len(), "{night} of {} at night", hours.len());
        assert!(day * 10 > hours.len() * 8, "{day} of {} by day", hours.len());
        let after_school = hours.iter().filter(|h| (15..18).contains(*h)).count();
        let morning = hours.iter().filter(|h| (8..11).contains(*h)).count();
        assert!(after_school > morning, "the after-school peak ({after_school} vs {morning})");
        let window = anchor() - chrono::Duration::days(42)..=anchor();
        for c in &demo.contacts {
            assert!(window.contains(&c.occurred_at) && window.contains(&c.received_at));
            assert!(c.received_at >= c.occurred_at);
        }
    }

    #[test]
    fn the_central_teams_refer_street_problems() {
        let demo = Demo::generate(anchor());
        let city = demo.organisations.iter().find(|o| o.kind == PartnerKind::CityService);
        let Some(city) = city else { panic!("a city service") };
        assert_eq!(city.name, CITY_SERVICE);
        let netheid = demo.users.iter().find(|u| u.username == "stad.netheid");
        assert_eq!(netheid.and_then(|u| u.partner_org_id), Some(city.id));

        let central: Vec<TeamId> = demo
            .teams
            .iter()
            .filter(|t| t.name.ends_with("Antwerpen") || t.name.ends_with("Borgerhout"))
            .map(|t| t.id)
            .collect();
        let referred: Vec<_> = demo.signals.iter().filter(|s| s.referred_to_org_id.is_some()).collect();
        assert!((15..=25).contains(&referred.len()), "about twenty, not {}", referred.len());
        for s in &referred {
            assert!(s.author_org_id.is_none() && central.contains(&s.team_id));
            let to = demo.organisations.iter().find(|o| Some(o.id) == s.referred_to_org_id).map(|o| o.kind);
            let expected: &[PartnerKind] = match s.category {
                SignalCategory::Waste | SignalCategory::Lighting => &[PartnerKind::CityService],
                _ => &[PartnerKind::YouthWork, PartnerKind::StreetWork],
            };
            assert!(to.is_some_and(|kind| expected.contains(&kind)), "{:?} to {to:?}", s.category);
            assert!(matches!(s.status, SignalStatus::Referred | SignalStatus::Resolved));
        }
        assert!(referred.iter().any(|s| s.referred_to_org_id == Some(city.id)));
        assert!(referred.iter().any(|s| s.referred_to_org_id != Some(city.id)));
        let with_feedback = referred.iter().filter(|s| s.feedback.is_some()).count();
        assert!(with_feedback > 0 && with_feedback < referred.len(), "{with_feedback}: on some, not all");
        let partner_feedback = demo.signals.iter().filter(|s| s.author_org_id.is_some() && s.feedback.is_some());
        assert!(partner_feedback.count() > 0, "partners hear back on some of theirs");
    }

    #[test]
    fn texts_name_no_one() {
        let demo = Demo::generate(anchor());
        let names: Vec<&str> =
            ACCOUNTS.iter().flat_map(|a| a.display_name.split(' ')).filter(|part| part.len() > 3).collect();
        let texts = demo
            .contacts
            .iter()
            .filter_map(|c| c.note.as_deref())
            .chain(demo.signals.iter().map(|s| s.description.as_str()))
            .chain(demo.signals.iter().filter_map(|s| s.feedback.as_deref()));
        for text in texts {
            assert!(!names.iter().any(|name| text.contains(name)), "{text}");
        }
    }
}
