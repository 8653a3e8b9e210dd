//! Figures for the home page of a team member.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::HomeFigures;

/// How many contacts and signals the user's team has logged; zeros without a team.
#[server(prefix = "/api", endpoint = "home_summary")]
pub async fn home_summary() -> Result<HomeFigures, AppError> {
    use crate::server::{require_user, state, unavailable};

    let user = require_user().await?;
    let Some(team_id) = user.team_id else { return Ok(HomeFigures { contacts: 0, signals: 0 }) };
    let app = state()?;
    Ok(HomeFigures {
        contacts: app.store.count_contacts(Some(team_id)).await.map_err(unavailable)?,
        signals: app.store.count_signals(Some(team_id)).await.map_err(unavailable)?,
    })
}
