//! Log-in, log-out and "who am I".

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::CurrentUser;

/// The logged-in person, or `None`.
#[server(prefix = "/api", endpoint = "me")]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    use crate::ssr::{current_user, state};

    let Some(user) = current_user().await? else { return Ok(None) };
    let actor = service::actor_of(&user);
    let services = state()?.services;
    let team_name = match user.team_id {
        Some(team_id) => services.visible_teams(&actor).await?.into_iter().find(|t| t.id == team_id).map(|t| t.name),
        None => None,
    };
    Ok(Some(CurrentUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        team_name,
        can: domain::capabilities(&actor),
    }))
}

/// Checks a username and password (within the throttling limits) and starts a
/// session; then goes home.
#[server(prefix = "/api", endpoint = "login")]
pub async fn log_in(username: String, password: String) -> Result<(), AppError> {
    use crate::ssr::{request_address, set_session_cookie, state};

    let services = state()?.services;
    let address = request_address().await;
    let logged_in = services.log_in(&username, &password, address).await?;
    let max_age = (logged_in.expires_at - services.now()).num_seconds();
    set_session_cookie(logged_in.token, max_age)?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends the session; then goes to the public home page.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn log_out() -> Result<(), AppError> {
    crate::ssr::end_session().await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// What a phone keeps to sync without a fresh log-in: shown only once, here.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DeviceGrant {
    pub user_id: domain::UserId,
    pub device_id: domain::DeviceId,
    pub credential: String,
}

/// Registers the calling browser as one of the logged-in person's devices.
#[server(prefix = "/api", endpoint = "register_device")]
pub async fn register_device(label: String, device_id: Option<domain::DeviceId>) -> Result<DeviceGrant, AppError> {
    use crate::ssr::{require_session_token, state};

    let token = require_session_token()?;
    let services = state()?.services;
    let credential = services.register_device(&token, &label, device_id).await?;
    let user = services.session_user(&token).await?.ok_or(AppError::NotLoggedIn)?;
    Ok(DeviceGrant { user_id: user.id, device_id: credential.device_id, credential: credential.to_header_value() })
}
