//! Log-in, log-out and "who am I".

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::CurrentUser;

/// The logged-in person, or `None`.
#[server(prefix = "/api", endpoint = "me")]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    use crate::server::{current_user, state, unavailable};

    let Some(user) = current_user().await? else { return Ok(None) };
    let app = state()?;
    let team_name = match user.team_id {
        Some(team_id) => {
            let teams = app.store.teams().await.map_err(unavailable)?;
            teams.into_iter().find(|t| t.id == team_id).map(|t| t.name)
        }
        None => None,
    };
    Ok(Some(CurrentUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        team_name,
    }))
}

/// Checks a username and password and starts a session; then goes home.
#[server(prefix = "/api", endpoint = "login")]
pub async fn log_in(username: String, password: String) -> Result<(), AppError> {
    use crate::server::{start_session, state, unavailable, verify_password};

    let app = state()?;
    let credentials = app.store.credentials(username.trim()).await.map_err(unavailable)?;
    // Verify against a throw-away hash when the user is unknown, so the answer takes
    // as long either way and does not tell which usernames exist.
    let (user, phc) = match credentials {
        Some(c) => (Some(c.user), c.password_hash),
        None => (None, unknown_user_hash().to_owned()),
    };
    let password_ok = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .unwrap_or(false);
    let Some(user) = user.filter(|_| password_ok) else {
        tracing::info!(username = %username.trim(), "failed log-in");
        return Err(AppError::LoginFailed);
    };
    start_session(&app, user.id).await?;
    tracing::info!(user = %user.id, role = %user.role, "logged in");
    leptos_axum::redirect("/");
    Ok(())
}

/// A valid argon2 hash no password of a real account can be compared with.
#[cfg(feature = "ssr")]
fn unknown_user_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::server::hash_password("no such user").unwrap_or_default())
}

/// Ends the session; then goes to the public home page.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn log_out() -> Result<(), AppError> {
    crate::server::end_session().await?;
    leptos_axum::redirect("/");
    Ok(())
}
