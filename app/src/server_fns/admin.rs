//! Administration: accounts (created without a password, with a one-time link) and
//! their roles, teams, partner organisations and every registered phone.
//!
//! Every form here also works as a plain HTML post. Then the browser is sent back to
//! the admin page and whatever the server function returned is gone, one-time link
//! included. So each success also leaves a short-lived "flash" cookie that the next
//! load of the admin page reads once and clears: with or without JavaScript the page
//! learns what just happened the same way. Plain posts are sent back to the form's own
//! section (with the account still open), carrying an error the way Leptos reads it.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::AdminScreen;

#[server(prefix = "/api", endpoint = "admin_page")]
pub async fn admin_page() -> Result<AdminScreen, AppError> {
    use crate::model::{AccountRow, Choice, OrganisationRow, TeamRow};

    let (actor, services) = admin().await?;
    let users = services.visible_users(&actor).await?;
    let teams = services.visible_teams(&actor).await?;
    let orgs = services.visible_organisations(&actor).await?;
    let districts = services.districts().await?;
    let device_groups = server_side::device_groups(&actor, &services, &users, &teams).await?;
    let notice = server_side::take_flash().and_then(|flash| flash.notice(&users, &teams, &orgs)).map(|notice| {
        use crate::model::AdminNotice;
        let absolute = crate::ssr::absolute_url;
        match notice {
            AdminNotice::AccountCreated { display_name, link } => {
                AdminNotice::AccountCreated { display_name, link: absolute(&link) }
            }
            AdminNotice::LinkIssued { user_id, display_name, link } => {
                AdminNotice::LinkIssued { user_id, display_name, link: absolute(&link) }
            }
            other => other,
        }
    });
    let district_name = |id: domain::DistrictId| districts.iter().find(|d| d.id == id).map(|d| d.name.clone());
    let belongs_to = |u: &domain::User| {
        u.team_id
            .and_then(|id| teams.iter().find(|t| t.id == id).map(|t| t.name.clone()))
            .or_else(|| u.partner_org_id.and_then(|id| orgs.iter().find(|o| o.id == id).map(|o| o.name.clone())))
    };
    Ok(AdminScreen {
        accounts: users
            .iter()
            .map(|u| AccountRow {
                id: u.id,
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                role: u.role,
                team_id: u.team_id,
                org_id: u.partner_org_id,
                belongs_to: belongs_to(u),
            })
            .collect(),
        teams: teams
            .iter()
            .map(|t| TeamRow {
                id: t.id,
                name: t.name.clone(),
                district: district_name(t.district_id).unwrap_or_default(),
            })
            .collect(),
        organisations: orgs
            .iter()
            .map(|o| OrganisationRow {
                id: o.id,
                name: o.name.clone(),
                kind: o.kind,
                district: o.district_id.and_then(district_name),
            })
            .collect(),
        districts: districts.iter().map(|d| Choice { id: d.id.to_string(), name: d.name.clone() }).collect(),
        device_groups,
        notice,
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
    use server_side::{back, set_flash, Flash};

    let result = async {
        let (actor, services) = crate::ssr::actor_and_services().await?;
        let username = username.unwrap_or_default();
        let names = service::accounts::name_problems(&username, display_name.as_deref().unwrap_or_default());
        let form = server_side::account_form(username, display_name, role, team_id, org_id)
            .map_err(|e| server_side::with_problems(e, names.errors))?;
        let link = services.create_user(&actor, &form).await?;
        // Development has no mail: the link goes to the log at debug level, which the
        // server shows only when it runs with demo data (see server/src/telemetry.rs).
        tracing::debug!(user = %link.user.username, link = %link.path(), "one-time password link");
        set_flash(&Flash::Created(link.user.id, link.path()))?;
        Ok(link.path())
    }
    .await;
    back::<CreateAccount, _>("", "new-user", result)
}

/// Changes an account's name, role, team or organisation; its sessions end.
#[server(prefix = "/api", endpoint = "update_account")]
pub async fn update_account(
    user_id: String,
    display_name: Option<String>,
    role: Option<String>,
    team_id: Option<String>,
    org_id: Option<String>,
) -> Result<(), AppError> {
    use server_side::{back, set_flash, Flash};

    let Ok(id) = user_id.trim().parse::<domain::UserId>() else {
        return back::<UpdateAccount, _>("", "users", Err(AppError::NotFound));
    };
    let result = async {
        let (actor, services) = crate::ssr::actor_and_services().await?;
        // The username does not change; the service keeps the stored one.
        let names = service::accounts::name_problems("unchanged", display_name.as_deref().unwrap_or_default());
        let form = server_side::account_form(String::new(), display_name, role, team_id, org_id)
            .map_err(|e| server_side::with_problems(e, names.errors))?;
        let user = services.update_user(&actor, id, &form).await?;
        set_flash(&Flash::Saved(user.id))
    }
    .await;
    back::<UpdateAccount, _>(&format!("?account={id}"), &format!("account-{id}"), result)
}

/// A new one-time link for an existing account; returns its path, shown once.
#[server(prefix = "/api", endpoint = "new_password_link")]
pub async fn new_password_link(user_id: String) -> Result<String, AppError> {
    use server_side::{back, set_flash, Flash};

    let Ok(id) = user_id.trim().parse::<domain::UserId>() else {
        return back::<NewPasswordLink, _>("", "users", Err(AppError::NotFound));
    };
    let result = async {
        let (actor, services) = crate::ssr::actor_and_services().await?;
        let link = services.password_link(&actor, id).await?;
        tracing::debug!(user = %link.user.username, link = %link.path(), "one-time password link");
        set_flash(&Flash::Link(link.user.id, link.path()))?;
        Ok(link.path())
    }
    .await;
    back::<NewPasswordLink, _>(&format!("?account={id}"), &format!("account-{id}"), result)
}

/// Creates a neighbourhood team in a district.
#[server(prefix = "/api", endpoint = "create_team")]
pub async fn create_team(team_name: Option<String>, team_district_id: Option<String>) -> Result<(), AppError> {
    use domain::{Problem, ValidationErrors};
    use server_side::{back, set_flash, Flash};

    let result = async {
        let (actor, services) = admin().await?;
        let name = team_name.unwrap_or_default();
        let district = server_side::district(&services, team_district_id.as_deref()).await?;
        let mut errors = ValidationErrors::default();
        if name.trim().is_empty() {
            errors.push("name", Problem::Required);
        }
        match district {
            Ok(Some(id)) if errors.is_empty() => {
                let team = services.create_team(&actor, id, &name).await?;
                set_flash(&Flash::Team(team.id))
            }
            Ok(Some(_)) => Err(AppError::Invalid(errors)),
            Ok(None) => {
                errors.push("district_id", Problem::Required);
                Err(AppError::Invalid(errors))
            }
            Err(problem) => {
                errors.push("district_id", problem);
                Err(AppError::Invalid(errors))
            }
        }
    }
    .await;
    back::<CreateTeam, _>("", "teams", result)
}

/// Creates a partner organisation (or city service), optionally tied to a district.
#[server(prefix = "/api", endpoint = "create_organisation")]
pub async fn create_organisation(
    org_name: Option<String>,
    org_kind: Option<String>,
    org_district_id: Option<String>,
) -> Result<(), AppError> {
    use domain::{PartnerKind, Problem, ValidationErrors};
    use server_side::{back, set_flash, Flash};

    let result = async {
        let (actor, services) = admin().await?;
        let name = org_name.unwrap_or_default();
        let kind = org_kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
        let district = server_side::district(&services, org_district_id.as_deref()).await?;
        let mut errors = ValidationErrors::default();
        if name.trim().is_empty() {
            errors.push("name", Problem::Required);
        }
        let kind = match kind.map(PartnerKind::from_code) {
            Some(Some(kind)) => Some(kind),
            Some(None) => {
                errors.push("kind", Problem::UnknownCode);
                None
            }
            None => {
                errors.push("kind", Problem::Required);
                None
            }
        };
        if let Err(problem) = &district {
            errors.push("district_id", problem.clone());
        }
        match (kind, district) {
            (Some(kind), Ok(district)) if errors.is_empty() => {
                let org = services.create_organisation(&actor, &name, kind, district).await?;
                set_flash(&Flash::Organisation(org.id))
            }
            _ => Err(AppError::Invalid(errors)),
        }
    }
    .await;
    back::<CreateOrganisation, _>("", "organisations", result)
}

/// Signs a phone off from the admin page; its next sync is refused.
#[server(prefix = "/api", endpoint = "admin_revoke_device")]
pub async fn admin_revoke_device(device_id: String) -> Result<(), AppError> {
    use server_side::back;

    let Ok(id) = device_id.trim().parse::<domain::DeviceId>() else {
        return back::<AdminRevokeDevice, _>("", "devices", Err(AppError::NotFound));
    };
    let result = async {
        let (actor, services) = crate::ssr::actor_and_services().await?;
        services.revoke_device(&actor, id).await?;
        Ok(())
    }
    .await;
    let anchor = if result.is_ok() { format!("device-{id}") } else { "devices".to_owned() };
    back::<AdminRevokeDevice, _>("", &anchor, result)
}

/// Sets a password through a one-time link.
#[server(prefix = "/api", endpoint = "set_password")]
pub async fn set_password(token: String, password: String) -> Result<(), AppError> {
    let services = crate::ssr::state()?.services;
    services.set_password_with_link(&token, &password).await?;
    // A plain form post (no JavaScript) comes back to the page, which then says so.
    let plain_post = use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.headers.get(http::header::ACCEPT).and_then(|h| h.to_str().ok()).is_some_and(|a| a.contains("text/html"))
    });
    if plain_post {
        leptos_axum::redirect(&format!("/password/{}?set=1", urlencoding_path(&token)));
    }
    Ok(())
}

/// The token as a path segment: it is ours (URL-safe), but what came in is not trusted.
#[cfg(feature = "ssr")]
fn urlencoding_path(token: &str) -> String {
    token.chars().filter(|c| c.is_ascii_alphanumeric() || "-_".contains(*c)).collect()
}

/// The logged-in admin. Teams and organisations are the admin's alone; the service
/// checks the policy again, this answers a non-admin before any form is read.
#[cfg(feature = "ssr")]
async fn admin() -> Result<(service::Actor, service::Services), AppError> {
    let (actor, services) = crate::ssr::actor_and_services().await?;
    if !domain::capabilities(&actor).administer {
        return Err(AppError::Forbidden);
    }
    Ok((actor, services))
}

#[cfg(feature = "ssr")]
#[path = "admin_server.rs"]
mod server_side;
