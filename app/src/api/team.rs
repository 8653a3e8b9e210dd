//! The team lead's screen: members, their phones (with revoke), who read what.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AccessRow, TeamScreen};

#[server(prefix = "/api", endpoint = "team_page")]
pub async fn team_page() -> Result<TeamScreen, AppError> {
    use service::audit::LogScope;
    use service::devices::DeviceScope;

    use crate::model::{DeviceRow, MemberRow};
    use crate::server::{actor_and_services, format_local};

    let (actor, services) = actor_and_services().await?;
    let team_id = actor.team_id.ok_or(AppError::Forbidden)?;
    let devices = services.devices(&actor, DeviceScope::Team(team_id)).await?;
    let log = services.access_log(&actor, LogScope::Team(team_id), 100).await?;
    let users = services.visible_users(&actor).await?;
    let teams = services.visible_teams(&actor).await?;
    let name_of =
        |id: uuid::Uuid| users.iter().find(|u| u.id == id).map(|u| u.display_name.clone()).unwrap_or_default();
    Ok(TeamScreen {
        team_name: teams.iter().find(|t| t.id == team_id).map(|t| t.name.clone()).unwrap_or_default(),
        members: users
            .iter()
            .filter(|u| u.team_id == Some(team_id))
            .map(|u| MemberRow {
                id: u.id,
                display_name: u.display_name.clone(),
                username: u.username.clone(),
                role: u.role,
            })
            .collect(),
        devices: devices
            .into_iter()
            .map(|d| DeviceRow {
                id: d.id,
                owner: name_of(d.user_id),
                label: d.label,
                registered_local: format_local(d.created_at),
                last_seen_local: d.last_seen_at.map(format_local),
                revoked_local: d.revoked_at.map(format_local),
            })
            .collect(),
        access_log: access_rows(log, &users),
    })
}

/// Signs a phone off; its next sync is refused.
#[server(prefix = "/api", endpoint = "revoke_device")]
pub async fn revoke_device(device_id: String) -> Result<(), AppError> {
    let (actor, services) = crate::server::actor_and_services().await?;
    let id = uuid::Uuid::parse_str(device_id.trim()).map_err(|_| AppError::NotFound)?;
    services.revoke_device(&actor, id).await?;
    Ok(())
}

/// Who read the personal data in the partner's organisation's signals.
#[server(prefix = "/api", endpoint = "org_access_log")]
pub async fn org_access_log() -> Result<Vec<AccessRow>, AppError> {
    use service::audit::LogScope;

    let (actor, services) = crate::server::actor_and_services().await?;
    let org_id = actor.org_id.ok_or(AppError::Forbidden)?;
    let log = services.access_log(&actor, LogScope::Organisation(org_id), 100).await?;
    // Readers are named by the name they work under; partners cannot list police accounts.
    let users = services.store.users().await.map_err(service::ServiceError::from)?;
    Ok(access_rows(log, &users))
}

#[cfg(feature = "ssr")]
fn access_rows(log: Vec<store::AccessLogEntry>, users: &[domain::User]) -> Vec<AccessRow> {
    log.into_iter()
        .map(|e| AccessRow {
            at_local: crate::server::format_local(e.at),
            reader: users.iter().find(|u| u.id == e.reader_id).map(|u| u.display_name.clone()).unwrap_or_default(),
            record_kind: match e.record_kind {
                store::RecordKind::Contact => "contact".into(),
                store::RecordKind::Signal => "signal".into(),
            },
            record_id: e.record_id,
            field: e.field,
            purpose: e.purpose,
        })
        .collect()
}
