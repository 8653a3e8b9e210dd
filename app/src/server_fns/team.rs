//! The team lead's screens: the review of what was synced (with conflicts), the
//! members, the phones (with revoke), and who read what.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AccessPage, TeamMembers, TeamPhones, TeamScreen};

#[server(prefix = "/api", endpoint = "team_page")]
pub async fn team_page() -> Result<TeamScreen, AppError> {
    use crate::ssr::actor_and_services;

    let (actor, services) = actor_and_services().await?;
    let team_id = actor.team_id.ok_or(AppError::Forbidden)?;
    Ok(TeamScreen {
        team_name: team_name(&services, &actor, team_id).await?,
        synced: services.synced_records(&actor, SYNCED_ROWS).await?.into_iter().filter_map(synced_row).collect(),
        conflicts: {
            let neighbourhoods = services.neighbourhoods().await?;
            let conflicts = services.open_conflicts(&actor, "team_page").await?;
            conflicts.into_iter().map(|c| conflict_row(c, &neighbourhoods)).collect()
        },
    })
}

/// The team's members, for its lead (`/team/members`).
#[server(prefix = "/api", endpoint = "team_member_list")]
pub async fn team_member_list() -> Result<TeamMembers, AppError> {
    use crate::model::MemberRow;

    let (actor, services) = crate::ssr::actor_and_services().await?;
    let team_id = actor.team_id.ok_or(AppError::Forbidden)?;
    if !domain::capabilities(&actor).manage_team {
        return Err(AppError::Forbidden);
    }
    let users = services.visible_users(&actor).await?;
    Ok(TeamMembers {
        team_name: team_name(&services, &actor, team_id).await?,
        members: users
            .into_iter()
            .filter(|u| u.team_id == Some(team_id))
            .map(|u| MemberRow { id: u.id, display_name: u.display_name, username: u.username, role: u.role })
            .collect(),
    })
}

/// The team's phones with who they belong to, which one this is, when each last
/// synced (`/team/phones`).
#[server(prefix = "/api", endpoint = "team_phone_list")]
pub async fn team_phone_list() -> Result<TeamPhones, AppError> {
    use service::devices::DeviceScope;

    use crate::model::DeviceRow;
    use crate::ssr::{actor_and_services, format_local};

    let (actor, services) = actor_and_services().await?;
    let team_id = actor.team_id.ok_or(AppError::Forbidden)?;
    let devices = services.devices(&actor, DeviceScope::Team(team_id)).await?;
    let this_phone = services.device_of_session(&crate::ssr::require_session_token()?).await?;
    let users = services.visible_users(&actor).await?;
    let name_of =
        |id: domain::UserId| users.iter().find(|u| u.id == id).map(|u| u.display_name.clone()).unwrap_or_default();
    Ok(TeamPhones {
        team_name: team_name(&services, &actor, team_id).await?,
        devices: devices
            .into_iter()
            .map(|d| DeviceRow {
                id: d.id,
                owner: name_of(d.user_id),
                label: d.label,
                registered_local: format_local(d.created_at),
                last_seen_local: d.last_seen_at.map(format_local),
                revoked_local: d.revoked_at.map(format_local),
                is_this_phone: Some(d.id) == this_phone,
            })
            .collect(),
    })
}

#[cfg(feature = "ssr")]
async fn team_name(
    services: &service::Services,
    actor: &service::Actor,
    team_id: domain::TeamId,
) -> Result<String, AppError> {
    let teams = services.visible_teams(actor).await?;
    Ok(teams.into_iter().find(|t| t.id == team_id).map(|t| t.name).unwrap_or_default())
}

/// Enough for a briefing's look back over a shift or two.
#[cfg(feature = "ssr")]
const SYNCED_ROWS: i64 = 50;

/// Settles a kept conflict: `choice` is `keep_current` or `apply_edit`.
#[server(prefix = "/api", endpoint = "resolve_conflict")]
pub async fn resolve_conflict(mutation_id: String, choice: String) -> Result<(), AppError> {
    use domain::sync::conflicts::ResolutionChoice;

    let (actor, services) = crate::ssr::actor_and_services().await?;
    let id = uuid::Uuid::parse_str(mutation_id.trim()).map_err(|_| AppError::NotFound)?;
    let choice = ResolutionChoice::from_code(choice.trim())
        .ok_or_else(|| AppError::BadRequest { detail: format!("unknown choice {choice:?}") })?;
    services.resolve_conflict(&actor, id, choice).await?;
    Ok(())
}

/// A record whose stored code no longer parses is left out rather than failing the page.
#[cfg(feature = "ssr")]
fn synced_row(r: store::SyncedRecord) -> Option<crate::model::SyncedRow> {
    use crate::model::SyncedWhat;
    let what = match r.kind {
        store::RecordKind::Contact => SyncedWhat::Contact(domain::ContactKind::from_code(&r.what)?),
        store::RecordKind::Signal => SyncedWhat::Signal(domain::SignalCategory::from_code(&r.what)?),
    };
    Some(crate::model::SyncedRow {
        id: r.id,
        what,
        author: r.author_name,
        device: r.device_label,
        logged_local: crate::ssr::format_local(r.occurred_at),
        received_local: crate::ssr::format_local(r.received_at),
    })
}

#[cfg(feature = "ssr")]
fn conflict_row(
    c: domain::sync::conflicts::OpenConflict,
    hoods: &[domain::Neighbourhood],
) -> crate::model::ConflictRow {
    crate::model::ConflictRow {
        mutation_id: c.mutation_id,
        category: c.signal.category,
        neighbourhood: hoods
            .iter()
            .find(|n| n.id == c.signal.neighbourhood_id)
            .map(|n| n.name.clone())
            .unwrap_or_default(),
        street: c.signal.location.street.clone(),
        occurred_local: crate::ssr::format_local(c.signal.occurred_at),
        status_now: c.signal.status,
        feedback_now: c.signal.feedback,
        status_edit: c.edit.status,
        feedback_edit: c.edit.feedback,
        device: c.device_label,
        author: c.author_name,
        saved_local: crate::ssr::format_local(c.edit.saved_at),
        received_local: crate::ssr::format_local(c.received_at),
    }
}

/// Signs a phone off; its next sync is refused.
#[server(prefix = "/api", endpoint = "revoke_device")]
pub async fn revoke_device(device_id: String) -> Result<(), AppError> {
    let (actor, services) = crate::ssr::actor_and_services().await?;
    let id: domain::DeviceId = device_id.trim().parse().map_err(|_| AppError::NotFound)?;
    services.revoke_device(&actor, id).await?;
    Ok(())
}

/// Who read personal data: of the team's records for a team lead, of the
/// organisation's signals for a partner. The policy decides (`TeamAccessLog`,
/// `OrganisationAccessLog`); anyone else is refused there.
#[server(prefix = "/api", endpoint = "org_access_log")]
pub async fn org_access_log(before: Option<String>) -> Result<AccessPage, AppError> {
    use service::access_log::LogScope;

    let (actor, services) = crate::ssr::actor_and_services().await?;
    let scope = match (actor.team_id, actor.org_id) {
        (Some(team_id), _) => LogScope::Team(team_id),
        (None, Some(org_id)) => LogScope::Organisation(org_id),
        (None, None) => return Err(AppError::Forbidden),
    };
    let before = match before.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(cursor) => Some(read_cursor(cursor).ok_or_else(|| AppError::BadRequest {
            detail: format!("'{cursor}' is not a place in the access log; open the log from its first page"),
        })?),
        None => None,
    };
    // Readers are named by the name they work under; partners cannot list police accounts.
    let (log, readers) = services.access_log_with_readers(&actor, scope, ACCESS_LOG_PAGE, before).await?;
    let older = (log.len() as i64 == ACCESS_LOG_PAGE)
        .then(|| log.last().map(|e| format!("{}.{}", e.at.timestamp_micros(), e.id)))
        .flatten();
    let named = super::read_records::named_records(&services, &actor, scope, &log).await?;
    Ok(AccessPage { rows: access_rows(log, &readers, &named), older })
}

/// Entries per page of the access log: at 360 px an entry is a card of up to ~300 px
/// (it names the records it read), so 15 keep a page to a few screens.
#[cfg(feature = "ssr")]
const ACCESS_LOG_PAGE: i64 = 15;

/// The cursor of the page before, "<microseconds>.<entry id>", as `org_access_log`
/// writes it into the "older" link.
#[cfg(feature = "ssr")]
fn read_cursor(cursor: &str) -> Option<(chrono::DateTime<chrono::Utc>, uuid::Uuid)> {
    let (micros, id) = cursor.split_once('.')?;
    Some((chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?, id.parse().ok()?))
}

/// One row per screen: the entries of one screen (one per organisation whose records
/// it showed) are next to each other, newest first, and share moment, reader and
/// purpose, so they are counted together.
#[cfg(feature = "ssr")]
fn access_rows(
    log: Vec<store::AccessLogEntry>,
    users: &[domain::User],
    named: &std::collections::HashMap<domain::RecordId, crate::model::ReadRecordRow>,
) -> Vec<crate::model::AccessRow> {
    use crate::model::ShownCount;

    let mut rows: Vec<(chrono::DateTime<chrono::Utc>, domain::UserId, crate::model::AccessRow)> = Vec::new();
    for e in log {
        let same_screen = rows
            .last()
            .is_some_and(|(at, reader, row)| *at == e.at && *reader == e.reader_id && row.purpose == e.purpose);
        if !same_screen {
            let reader = users.iter().find(|u| u.id == e.reader_id).map(|u| u.display_name.clone()).unwrap_or_default();
            let at_local = crate::ssr::format_local(e.at);
            let row =
                crate::model::AccessRow { at_local, reader, shown: Vec::new(), purpose: e.purpose, read: Vec::new() };
            rows.push((e.at, e.reader_id, row));
        }
        let Some((_, _, row)) = rows.last_mut() else { continue };
        for s in e.shown {
            for record in s.records.iter().filter_map(|id| named.get(id)) {
                if !row.read.contains(record) {
                    row.read.push(record.clone());
                }
            }
            let kind = s.kind.code();
            match row.shown.iter_mut().find(|c| c.kind == kind && c.field == s.field) {
                Some(count) => count.records += s.records.len(),
                None => row.shown.push(ShownCount { kind: kind.to_owned(), field: s.field, records: s.records.len() }),
            }
        }
    }
    rows.into_iter().map(|(_, _, row)| row).collect()
}
