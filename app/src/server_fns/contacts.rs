//! The street-contact screen: the team's recent contacts and saving a new one.

// The expectation must be module-wide to reach the client function the macro generates.
#![expect(
    clippy::too_many_arguments,
    reason = "`save_contact` takes one argument per form field, as HTML forms post them"
)]

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::ContactsScreen;

/// How many recent contacts the screen lists.
pub const RECENT_LIMIT: i64 = 50;

/// The team's recent contacts (with their notes for those who may read them, each
/// read written to the access log) and, for those who log contacts, the form's
/// neighbourhoods. Intervention officers see the list without notes.
#[server(prefix = "/api", endpoint = "contacts_page")]
pub async fn contacts_page() -> Result<ContactsScreen, AppError> {
    use crate::model::{Choice, ContactRow};
    use crate::ssr::{actor_and_services, local_input};

    let (actor, services) = actor_and_services().await?;
    let can = domain::capabilities(&actor);
    if !can.read_contacts {
        return Err(AppError::Forbidden);
    }
    let neighbourhoods = services.team_neighbourhoods(&actor).await?;
    let contacts = services.team_contacts(&actor, crate::ssr::read_purpose("contacts_page"), RECENT_LIMIT).await?;
    let name_of = |id: domain::NeighbourhoodId| {
        neighbourhoods.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_default()
    };
    let recent = contacts
        .into_iter()
        .map(|c| {
            let neighbourhood = name_of(c.neighbourhood_id);
            ContactRow::of(c, neighbourhood)
        })
        .collect();
    let map = if can.log_contacts { services.place_map(&actor, &neighbourhoods).await? } else { Vec::new() };
    Ok(ContactsScreen {
        map,
        can_log: can.log_contacts,
        neighbourhoods: neighbourhoods.iter().map(|n| Choice { id: n.id.to_string(), name: n.name.clone() }).collect(),
        now_local: local_input(services.now()),
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
) -> Result<domain::RecordId, AppError> {
    use domain::{ContactDraft, Problem, ValidationErrors};

    use crate::ssr::{actor_and_services, parse_local_input};

    let (actor, services) = actor_and_services().await?;
    let mut time_error = ValidationErrors::default();
    let occurred_at = parse_local_input(occurred_at.as_deref().unwrap_or_default()).unwrap_or_else(|_| {
        time_error.push("occurred_at", Problem::Malformed);
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
    if !time_error.is_empty() {
        // Nothing is saved; report the time together with anything else wrong.
        if let Err(more) = draft.check(services.now()) {
            time_error.errors.extend(more.errors);
        }
        return Err(AppError::Invalid(time_error));
    }
    let id = services.create_contact(&actor, &draft, domain::RecordId::new_v7()).await?.id;
    crate::server_fns::back_after_save("/contacts?saved=contact");
    Ok(id)
}
