//! Figures for the home page of a team member.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::HomeFigures;

/// How many contacts and signals the user's team has logged; zeros without a team.
#[server(prefix = "/api", endpoint = "home_summary")]
pub async fn home_summary() -> Result<HomeFigures, AppError> {
    use service::{authorize, Action, Resource, ServiceError};

    let (actor, services) = crate::server::actor_and_services().await?;
    let Some(team_id) = actor.team_id else { return Ok(HomeFigures { contacts: 0, signals: 0 }) };
    authorize(&actor, Action::Read, &Resource::Team { team_id })?;
    let store = &services.store;
    Ok(HomeFigures {
        contacts: store.count_contacts(Some(team_id)).await.map_err(ServiceError::from)?,
        signals: store.count_signals(Some(team_id)).await.map_err(ServiceError::from)?,
    })
}
