//! The signals list: the team's for police, the organisation's for partners and city services.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SignalRow;

#[server(prefix = "/api", endpoint = "signals_page")]
pub async fn signals_page() -> Result<Vec<SignalRow>, AppError> {
    use crate::server::{actor_and_services, format_local};

    let (actor, services) = actor_and_services().await?;
    let signals = services.visible_signals(&actor, "signals_page", 100).await?;
    let neighbourhoods = services.store.neighbourhoods().await.map_err(service::ServiceError::from)?;
    let orgs = services.store.partner_organisations().await.map_err(service::ServiceError::from)?;
    Ok(signals
        .into_iter()
        .map(|s| SignalRow {
            id: s.id,
            occurred_local: format_local(s.occurred_at),
            neighbourhood: neighbourhoods
                .iter()
                .find(|n| n.id == s.neighbourhood_id)
                .map(|n| n.name.clone())
                .unwrap_or_default(),
            category: s.category,
            urgency: s.urgency,
            status: s.status,
            description: s.description,
            feedback: s.feedback,
            referred_to: s.referred_to_org_id.and_then(|id| orgs.iter().find(|o| o.id == id).map(|o| o.name.clone())),
        })
        .collect())
}
