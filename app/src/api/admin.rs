//! Administration: accounts (created without a password, with a one-time link),
//! teams and partner organisations.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::AdminScreen;

#[server(prefix = "/api", endpoint = "admin_page")]
pub async fn admin_page() -> Result<AdminScreen, AppError> {
    use crate::model::{AccountRow, Choice};

    let (actor, services) = crate::server::actor_and_services().await?;
    if actor.role != domain::Role::Admin {
        return Err(AppError::Forbidden);
    }
    let users = services.visible_users(&actor).await?;
    let teams = services.visible_teams(&actor).await?;
    let orgs = services.visible_organisations(&actor).await?;
    let belongs_to = |u: &domain::User| {
        u.team_id
            .and_then(|id| teams.iter().find(|t| t.id == id).map(|t| t.name.clone()))
            .or_else(|| u.partner_org_id.and_then(|id| orgs.iter().find(|o| o.id == id).map(|o| o.name.clone())))
    };
    Ok(AdminScreen {
        accounts: users
            .iter()
            .map(|u| AccountRow { username: u.username.clone(), display_name: u.display_name.clone(), role: u.role, belongs_to: belongs_to(u) })
            .collect(),
        teams: teams.iter().map(|t| Choice { id: t.id.to_string(), name: t.name.clone() }).collect(),
        organisations: orgs.iter().map(|o| Choice { id: o.id.to_string(), name: o.name.clone() }).collect(),
    })
}

/// Creates an account; returns the path of its one-time password link, shown once.
#[server(prefix = "/api", endpoint = "create_account")]
pub async fn create_account(
    username: Option<String>,
    display_name: Option<String>,
    role: Option<String>,
    team_id: Option<String>,
    org_id: Option<String>,
) -> Result<String, AppError> {
    use domain::{Problem, Role, ValidationErrors};
    use service::accounts::AccountForm;

    let (actor, services) = crate::server::actor_and_services().await?;
    let parse_id = |raw: Option<String>| raw.and_then(|r| uuid::Uuid::parse_str(r.trim()).ok());
    let Some(role) = role.as_deref().and_then(Role::from_code) else {
        let mut errors = ValidationErrors::default();
        errors.push("role", Problem::Required);
        return Err(AppError::Invalid(errors));
    };
    let form = AccountForm {
        username: username.unwrap_or_default(),
        display_name: display_name.unwrap_or_default(),
        role,
        team_id: parse_id(team_id),
        org_id: parse_id(org_id),
    };
    let link = services.create_user(&actor, &form).await?;
    // Development has no mail: the link goes to the log at debug level, which the
    // server shows only when it runs with demo data (see server/src/telemetry.rs).
    tracing::debug!(user = %link.user.username, link = %link.path(), "one-time password link");
    Ok(link.path())
}

/// Sets a password through a one-time link.
#[server(prefix = "/api", endpoint = "set_password")]
pub async fn set_password(token: String, password: String) -> Result<(), AppError> {
    let services = crate::server::state()?.services;
    services.set_password_with_link(&token, &password).await?;
    Ok(())
}
