//! The caller, accounts, teams, partner organisations, and setting a password with a
//! one-time link.

use app::ssr::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use domain::{DeviceId, DistrictId, UserId};
use domain::{OrgId, TeamId};
use domain::{PartnerKind, PartnerOrganisation, Role, Team, User};
use serde::{Deserialize, Serialize};
use service::accounts::{AccountForm, PasswordLink};
use utoipa::ToSchema;

use super::caller::Caller;
use super::error::{ApiResult, Body, Params};
use super::openapi::ErrorBody;

/// The caller as the API knows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub partner_org_id: Option<OrgId>,
    /// Set when the request authenticated with a device credential.
    pub device_id: Option<DeviceId>,
}

#[utoipa::path(get, path = "/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> Json<Me> {
    let user = caller.user;
    Json(Me {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        team_id: user.team_id,
        partner_org_id: user.partner_org_id,
        device_id: caller.device_id,
    })
}

#[utoipa::path(get, path = "/users", tag = "accounts", description = "Every account the caller may see.",
    responses((status = 200, body = [User]), (status = 401, body = ErrorBody)))]
pub async fn list_users(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(app.services.visible_users(&caller.actor).await?))
}

/// An account with a fresh one-time link to set its password.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserWithLink {
    pub user: User,
    /// The path of the link (`/password/<token>`); shown once, never stored readable.
    pub password_link: String,
    pub expires_at: DateTime<Utc>,
}

impl UserWithLink {
    fn from_link(link: PasswordLink, by: &Caller) -> Self {
        let path = link.path();
        // Until Wijkpost sends mail, whoever manages the account passes the link on;
        // in development the log is where it is found.
        tracing::debug!(user = %link.user.username, by = %by.user.username, link = %path, expires = %link.expires_at,
            "one-time password link issued");
        Self { user: link.user, password_link: path, expires_at: link.expires_at }
    }
}

#[utoipa::path(post, path = "/users", tag = "accounts", request_body = AccountForm,
    description = "Creates an account without a password. `team_id` is required for police roles, `org_id` for partners and city services.",
    responses((status = 201, body = UserWithLink), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(app): State<AppState>,
    caller: Caller,
    Body(form): Body<AccountForm>,
) -> ApiResult<(StatusCode, Json<UserWithLink>)> {
    let link = app.services.create_user(&caller.actor, &form).await?;
    Ok((StatusCode::CREATED, Json(UserWithLink::from_link(link, &caller))))
}

#[utoipa::path(patch, path = "/users/{id}", tag = "accounts", params(("id" = Uuid, Path)), request_body = AccountForm,
    description = "Changes an account (not its username); its sessions end so a new role takes effect at once.",
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_user(
    State(app): State<AppState>,
    caller: Caller,
    Params(id): Params<UserId>,
    Body(form): Body<AccountForm>,
) -> ApiResult<Json<User>> {
    Ok(Json(app.services.update_user(&caller.actor, id, &form).await?))
}

#[utoipa::path(post, path = "/users/{id}/password-link", tag = "accounts", params(("id" = Uuid, Path)),
    responses((status = 201, body = UserWithLink), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn password_link(
    State(app): State<AppState>,
    caller: Caller,
    Params(id): Params<UserId>,
) -> ApiResult<(StatusCode, Json<UserWithLink>)> {
    let link = app.services.password_link(&caller.actor, id).await?;
    Ok((StatusCode::CREATED, Json(UserWithLink::from_link(link, &caller))))
}

/// A new password, set through a one-time link.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPassword {
    /// At least 10 characters (`service::accounts::MIN_PASSWORD_CHARS`).
    #[schema(min_length = 10)]
    pub password: String,
}

#[utoipa::path(post, path = "/password/{token}", tag = "accounts", params(("token" = String, Path)),
    request_body = NewPassword, security(()),
    description = "Sets a password with a one-time link; needs no log-in. Every session of the account ends.",
    responses((status = 200, body = User), (status = 410, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_password(
    State(app): State<AppState>,
    Params(token): Params<String>,
    Body(form): Body<NewPassword>,
) -> ApiResult<Json<User>> {
    Ok(Json(app.services.set_password_with_link(&token, &form.password).await?))
}

#[utoipa::path(get, path = "/teams", tag = "organisation",
    responses((status = 200, body = [Team]), (status = 401, body = ErrorBody)))]
pub async fn list_teams(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<Team>>> {
    Ok(Json(app.services.visible_teams(&caller.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTeam {
    pub district_id: DistrictId,
    pub name: String,
}

#[utoipa::path(post, path = "/teams", tag = "organisation", request_body = NewTeam,
    responses((status = 201, body = Team), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_team(
    State(app): State<AppState>,
    caller: Caller,
    Body(form): Body<NewTeam>,
) -> ApiResult<(StatusCode, Json<Team>)> {
    let team = app.services.create_team(&caller.actor, form.district_id, &form.name).await?;
    Ok((StatusCode::CREATED, Json(team)))
}

#[utoipa::path(get, path = "/organisations", tag = "organisation",
    responses((status = 200, body = [PartnerOrganisation]), (status = 401, body = ErrorBody)))]
pub async fn list_organisations(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<PartnerOrganisation>>> {
    Ok(Json(app.services.visible_organisations(&caller.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: PartnerKind,
    pub district_id: Option<DistrictId>,
}

#[utoipa::path(post, path = "/organisations", tag = "organisation", request_body = NewOrganisation,
    responses((status = 201, body = PartnerOrganisation), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_organisation(
    State(app): State<AppState>,
    caller: Caller,
    Body(form): Body<NewOrganisation>,
) -> ApiResult<(StatusCode, Json<PartnerOrganisation>)> {
    let org = app.services.create_organisation(&caller.actor, &form.name, form.kind, form.district_id).await?;
    Ok((StatusCode::CREATED, Json(org)))
}
