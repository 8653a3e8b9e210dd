//! The signals list: the team's for police, the organisation's for partners and city services.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SignalRow;

#[server(prefix = "/api", endpoint = "signals_page")]
pub async fn signals_page() -> Result<Vec<SignalRow>, AppError> {
    use crate::ssr::{actor_and_services, format_local};

    let (actor, services) = actor_and_services().await?;
    let signals = services.visible_signals_with_reports(&actor, crate::ssr::read_purpose("signals_page"), 100).await?;
    let neighbourhoods = services.neighbourhoods().await?;
    let orgs = services.visible_organisations(&actor).await?;
    Ok(signals
        .into_iter()
        .map(|listed| (listed.signal, listed.linked_reports))
        .map(|(s, linked_reports)| {
            let may = |action| {
                domain::policy::decide(&actor, action, &service::Resource::from(&s)) == service::Decision::Allow
            };
            let may_update = may(service::Action::Update);
            // The photo for those who may see the signal's text (the photo's own rule),
            // once it has fully arrived; each showing is logged by the photo's address.
            let photo_url = (may(service::Action::ReadPersonal) && s.photo.as_ref().is_some_and(|p| p.complete))
                .then(|| format!("/api/v1/signals/{}/photo", s.id));
            (s, linked_reports, may_update, photo_url)
        })
        .map(|(s, linked_reports, may_update, photo_url)| SignalRow {
            id: s.id,
            street: s.location.street.clone(),
            photo_url,
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
            linked_reports,
            is_linked: s.duplicate_of.is_some(),
            may_update,
        })
        .collect())
}

/// The signal form's choices: the team's neighbourhoods for police, every
/// neighbourhood for partners (they work across the city); `None` for those who may
/// not file signals (city services, intervention officers, admins).
#[server(prefix = "/api", endpoint = "signal_form")]
pub async fn signal_form() -> Result<Option<crate::model::SignalFormChoices>, AppError> {
    use crate::model::{Choice, SignalFormChoices};
    use crate::ssr::{actor_and_services, local_input};

    let (actor, services) = actor_and_services().await?;
    let Some(neighbourhoods) = services.signal_neighbourhoods(&actor).await? else { return Ok(None) };
    let map = services.place_map(&actor, &neighbourhoods).await?;
    Ok(Some(SignalFormChoices {
        map,
        neighbourhoods: neighbourhoods.iter().map(|n| Choice { id: n.id.to_string(), name: n.name.clone() }).collect(),
        now_local: local_input(services.now()),
    }))
}

/// Saves a signal posted by the plain form (no JavaScript: no photo, no GPS). With
/// JavaScript the form saves on the phone and syncs instead.
#[server(prefix = "/api", endpoint = "save_signal")]
pub async fn save_signal(
    neighbourhood_id: Option<String>,
    category: Option<String>,
    urgency: Option<String>,
    street: Option<String>,
    description: Option<String>,
) -> Result<domain::RecordId, AppError> {
    use domain::SignalDraft;

    use crate::ssr::actor_and_services;

    let (actor, services) = actor_and_services().await?;
    let draft = SignalDraft {
        neighbourhood_id: neighbourhood_id.unwrap_or_default(),
        category: category.unwrap_or_default(),
        urgency: urgency.unwrap_or_default(),
        street: street.filter(|s| !s.trim().is_empty()),
        description: description.unwrap_or_default(),
        ..SignalDraft::default()
    };
    let id = domain::RecordId::new_v7();
    services.create_signal(&actor, &draft, id).await?;
    crate::server_fns::back_after_save("/signals?saved=signal");
    Ok(id)
}
