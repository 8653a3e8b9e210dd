//! The street-contact screen: the team's recent contacts and saving a new one.

// `save_contact` takes one argument per form field, as HTML forms post them; the
// allowance must be module-wide to reach the client function the macro generates.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::ContactsScreen;

/// How many recent contacts the screen lists.
pub const RECENT_LIMIT: i64 = 50;

/// The neighbourhoods of the officer's team and the team's recent contacts.
#[server(prefix = "/api", endpoint = "contacts_page")]
pub async fn contacts_page() -> Result<ContactsScreen, AppError> {
    use crate::model::{Choice, ContactRow};
    use crate::server::{format_local, now_local_input, state, unavailable};

    let (_, team_id) = contact_logger().await?;
    let app = state()?;
    let neighbourhoods = app.store.neighbourhoods_of_team(team_id).await.map_err(unavailable)?;
    let query = store::RecordQuery { team_id: Some(team_id), limit: RECENT_LIMIT, ..Default::default() };
    let contacts = app.store.contacts(&query).await.map_err(unavailable)?;
    let name_of = |id: Uuid| {
        neighbourhoods.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_default()
    };
    let recent = contacts
        .into_iter()
        .map(|c| ContactRow {
            id: c.id,
            occurred_local: format_local(c.occurred_at),
            neighbourhood: name_of(c.neighbourhood_id),
            mobility: c.mobility,
            kind: c.kind,
            reason: c.reason,
            outcome: c.outcome,
            street: c.location.street,
            note: c.note,
        })
        .collect();
    Ok(ContactsScreen {
        neighbourhoods: neighbourhoods
            .iter()
            .map(|n| Choice { id: n.id.to_string(), name: n.name.clone() })
            .collect(),
        now_local: now_local_input(),
        recent,
    })
}

/// Saves a street contact logged online. Returns its id.
#[server(prefix = "/api", endpoint = "save_contact")]
// Every field is optional at this layer: a radio left unchecked is simply absent from
// a form post, and must come back as "required" next to its field, not as a failure
// to read the request.
pub async fn save_contact(
    neighbourhood_id: Option<String>,
    occurred_at: Option<String>,
    mobility: Option<String>,
    kind: Option<String>,
    reason: Option<String>,
    outcome: Option<String>,
    street: Option<String>,
    note: Option<String>,
) -> Result<Uuid, AppError> {
    use domain::{Authorship, ContactDraft, Problem, ValidationErrors};

    use crate::server::{parse_local_input, state, unavailable};

    let (user, team_id) = contact_logger().await?;
    let app = state()?;
    let mut errors = ValidationErrors::default();
    let occurred_at = parse_local_input(occurred_at.as_deref().unwrap_or_default())
        .unwrap_or_else(|_| {
            errors.push("occurred_at", Problem::Malformed);
            None
        });
    let draft = ContactDraft {
        neighbourhood_id: neighbourhood_id.unwrap_or_default(),
        occurred_at,
        mobility: mobility.unwrap_or_default(),
        kind: kind.unwrap_or_default(),
        reason: reason.unwrap_or_default(),
        outcome: outcome.unwrap_or_default(),
        street,
        note,
        ..ContactDraft::default()
    };
    let by = Authorship { id: Uuid::now_v7(), author_id: user.id, team_id, now: chrono::Utc::now() };
    let contact = match draft.validate(by) {
        Ok(contact) if errors.is_empty() => contact,
        Ok(_) => return Err(AppError::Invalid(errors)),
        Err(mut more) => {
            more.errors.extend(errors.errors);
            return Err(AppError::Invalid(more));
        }
    };
    // The neighbourhood must be one of the team's own.
    let ours = app.store.neighbourhoods_of_team(team_id).await.map_err(unavailable)?;
    if !ours.iter().any(|n| n.id == contact.neighbourhood_id) {
        let mut errors = ValidationErrors::default();
        errors.push("neighbourhood_id", Problem::UnknownCode);
        return Err(AppError::Invalid(errors));
    }
    app.store.insert_contact(&contact).await.map_err(unavailable)?;
    tracing::info!(contact = %contact.id, author = %user.id, "street contact saved");
    Ok(contact.id)
}

/// The logged-in user if they log street contacts for a team, with that team.
#[cfg(feature = "ssr")]
async fn contact_logger() -> Result<(domain::User, Uuid), AppError> {
    use crate::server::require_user;
    use domain::Role;

    let user = require_user().await?;
    match (user.role, user.team_id) {
        (Role::Officer | Role::TeamLead, Some(team_id)) => Ok((user, team_id)),
        _ => Err(AppError::Forbidden),
    }
}
