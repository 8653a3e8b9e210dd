//! Figures for the home page of a team member.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::HomeFigures;

/// How many contacts and signals the user's team has logged; zeros without a team.
#[server(prefix = "/api", endpoint = "home_summary")]
pub async fn home_summary() -> Result<HomeFigures, AppError> {
    let (actor, services) = crate::ssr::actor_and_services().await?;
    let figures = services.team_figures(&actor).await?;
    Ok(HomeFigures { contacts: figures.contacts, signals: figures.signals })
}
