//! Server-side parts of the home: each role's part, and the names (people,
//! neighbourhoods, organisations) that turn records into rows.

use chrono::{DateTime, TimeZone, Utc};
use domain::{NeighbourhoodSignal, RecordId};
use service::homes::{DayWhat, Referral};
use service::{Actor, Services};

use crate::error::AppError;
use crate::model::homes::{Briefing, DayRow, DayRows, Decisions, Finder, PartnerHome, ReferralRow};
use crate::model::{Choice, ContactRow, SignalRow, SyncedWhat};
use crate::ssr::{format_clock, format_local};

use super::DAY_PAGE;

/// How many of the organisation's signals a partner's home lists (the changed ones
/// first); every text listed is logged, so no more are read than shown.
const PARTNER_SIGNALS: i64 = 30;
/// The contacts an intervention briefing lists; the contacts page has more.
const BRIEFING_CONTACTS: i64 = 10;

/// Names to show instead of ids, as far as the person may know them.
pub struct Names {
    users: Vec<domain::User>,
    neighbourhoods: Vec<domain::Neighbourhood>,
    orgs: Vec<domain::PartnerOrganisation>,
}

impl Names {
    pub async fn load(services: &Services, actor: &Actor) -> Result<Self, AppError> {
        Ok(Self {
            users: services.visible_users(actor).await?,
            neighbourhoods: services.neighbourhoods().await?,
            orgs: services.visible_organisations(actor).await?,
        })
    }

    fn person(&self, id: domain::UserId) -> String {
        self.users.iter().find(|u| u.id == id).map(|u| u.display_name.clone()).unwrap_or_default()
    }

    fn neighbourhood(&self, id: domain::NeighbourhoodId) -> String {
        self.neighbourhoods.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_default()
    }

    /// A signal as the lists show it (its text already redacted and logged).
    pub fn signal_row(&self, actor: &Actor, s: NeighbourhoodSignal) -> SignalRow {
        let may_update = domain::policy::decide(actor, service::Action::Update, &service::Resource::from(&s))
            == service::Decision::Allow;
        SignalRow {
            id: s.id,
            occurred_local: format_local(s.occurred_at),
            neighbourhood: self.neighbourhood(s.neighbourhood_id),
            street: s.location.street.clone(),
            // The homes show no photos (the signals list does, for those who may see them).
            photo_url: None,
            category: s.category,
            urgency: s.urgency,
            status: s.status,
            description: s.description,
            feedback: s.feedback,
            referred_to: s
                .referred_to_org_id
                .and_then(|id| self.orgs.iter().find(|o| o.id == id).map(|o| o.name.clone())),
            linked_reports: 0,
            is_linked: s.duplicate_of.is_some(),
            may_update,
        }
    }

    pub fn referral_row(&self, actor: &Actor, r: Referral) -> ReferralRow {
        ReferralRow { overdue: r.overdue, signal: self.signal_row(actor, r.signal) }
    }
}

/// The day's paging cursor: microseconds since 1970, a dot, the record id. Anything
/// else is the first page, not an error: a mangled link still lands on the home.
pub fn parse_cursor(raw: &str) -> Option<(DateTime<Utc>, RecordId)> {
    let (micros, id) = raw.split_once('.')?;
    let at = Utc.timestamp_micros(micros.parse().ok()?).single()?;
    Some((at, id.parse().ok()?))
}

fn cursor((at, id): (DateTime<Utc>, RecordId)) -> String {
    format!("{}.{id}", at.timestamp_micros())
}

/// The team's entries since local midnight, one page.
pub async fn today(
    services: &Services,
    actor: &Actor,
    names: &Names,
    before: Option<(DateTime<Utc>, RecordId)>,
) -> Result<DayRows, AppError> {
    let since = crate::ssr::start_of_day(services.now());
    let page = services.team_day(actor, since, before, DAY_PAGE).await?;
    let rows = page
        .entries
        .into_iter()
        .map(|e| DayRow {
            id: e.id,
            what: match e.what {
                DayWhat::Contact(kind) => SyncedWhat::Contact(kind),
                DayWhat::Signal(category) => SyncedWhat::Signal(category),
            },
            author: names.person(e.author_id),
            mine: e.author_id == actor.user_id,
            time_local: format_clock(e.occurred_at),
        })
        .collect();
    Ok(DayRows { rows, next: page.next.map(cursor), paged: before.is_some() })
}

/// What waits for the team lead: kept conflicts, urgent open signals, referrals the
/// organisation has not answered.
pub async fn decisions(
    services: &Services,
    actor: &Actor,
    names: &Names,
    purpose: &str,
) -> Result<Decisions, AppError> {
    let conflicts = services.open_conflicts(actor, purpose).await?.len();
    let open = services.open_signals_urgent_first(actor, purpose, super::SHORT_LIST, true).await?;
    let urgent = open.into_iter().map(|s| names.signal_row(actor, s)).collect();
    let waiting = services.referrals_waiting(actor).await?;
    let waiting_referrals = waiting.into_iter().take(super::SHORT_LIST).map(|r| names.referral_row(actor, r)).collect();
    Ok(Decisions { conflicts, urgent, waiting_referrals })
}

/// The intervention officer's briefing: urgent open signals, recent contacts (the
/// policy keeps their notes out).
pub async fn briefing(services: &Services, actor: &Actor, names: &Names, purpose: &str) -> Result<Briefing, AppError> {
    let open = services.open_signals_urgent_first(actor, purpose, super::SHORT_LIST, true).await?;
    let urgent = open.into_iter().map(|s| names.signal_row(actor, s)).collect();
    let contacts = services.team_contacts(actor, purpose, BRIEFING_CONTACTS).await?;
    let contacts = contacts
        .into_iter()
        .map(|c| {
            let neighbourhood = names.neighbourhood(c.neighbourhood_id);
            ContactRow::of(c, neighbourhood)
        })
        .collect();
    Ok(Briefing { urgent, contacts })
}

/// The partner's home: what changed since the last visit, the rest, the finder.
pub async fn partner(
    services: &Services,
    actor: &Actor,
    names: &Names,
    purpose: &str,
    finder: Finder,
) -> Result<PartnerHome, AppError> {
    let (listed, since) = services.signals_since_last_visit(actor, "home", purpose, PARTNER_SIGNALS).await?;
    let first_visit = since >= services.now();
    let (mut changed, mut others) = (Vec::new(), Vec::new());
    for item in listed {
        let row = names.signal_row(actor, item.signal);
        match item.changed_at {
            Some(at) => changed.push((row, format_local(at))),
            None => others.push(row),
        }
    }
    Ok(PartnerHome { since_local: (!first_visit).then(|| format_local(since)), changed, others, finder })
}

/// The neighbourhoods a typed name or a place points to, among those the person may
/// file signals in.
pub fn finder(names: &Names, typed: Option<String>, lat: Option<String>, lon: Option<String>) -> Finder {
    let typed = typed.unwrap_or_default().trim().chars().take(100).collect::<String>();
    let point = match (lat.and_then(|l| l.trim().parse().ok()), lon.and_then(|l| l.trim().parse().ok())) {
        (Some(lat), Some(lon)) => domain::GeoPoint::new(lat, lon),
        _ => None,
    };
    if typed.is_empty() && point.is_none() {
        return Finder::default();
    }
    // The names already loaded for the page hold every neighbourhood: no second read.
    let all = &names.neighbourhoods;
    let found: Vec<&domain::Neighbourhood> = match point {
        Some(point) => domain::homes::neighbourhood_at(point, all).into_iter().collect(),
        None => domain::homes::neighbourhoods_named(&typed, all),
    };
    Finder {
        outside: point.is_some() && found.is_empty(),
        found: found.into_iter().map(|n| Choice { id: n.id.to_string(), name: n.name.clone() }).collect(),
        typed,
        asked: true,
    }
}
