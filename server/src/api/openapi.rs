//! The OpenAPI document of the JSON API, served at `/api/v1/openapi.json`.
//!
//! The domain crate is also compiled for the browser and stays free of documentation
//! dependencies, so its types are described here by schema-only mirrors (`…Doc`). They
//! only describe; the handlers (de)serialize the real types. The API tests compare the
//! mirrors' property names with real answers, so a renamed field is noticed.

use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use uuid::Uuid;

use super::{accounts, devices, records};

/// Every error: `error` is the code to act on, `message` a sentence for a person.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// `invalid`, `not_logged_in`, `login_failed`, `locked_out`, `device_revoked`,
    /// `not_found`, `link_invalid`, `conflict`, `forbidden`, `unavailable`, `bad_request`.
    pub error: String,
    /// In the requester's language (Accept-Language or the `wijkpost_lang` cookie).
    pub message: String,
    pub status: u16,
    /// With `invalid`: every refused field, `{"field": "kind", "problem": "required"}`.
    pub errors: Option<Vec<serde_json::Value>>,
    /// With `bad_request` and `conflict`: what was wrong.
    pub detail: Option<String>,
    /// With `locked_out`: the local time ("21:40") and minutes until a new try.
    pub until: Option<String>,
    pub minutes: Option<i64>,
}

/// `domain::User`.
#[derive(Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserDoc {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    /// `officer`, `team_lead`, `intervention_officer`, `partner`, `city_service`, `admin`.
    pub role: String,
    pub team_id: Option<Uuid>,
    pub partner_org_id: Option<Uuid>,
}

/// `service::accounts::AccountForm`.
#[derive(Serialize, ToSchema)]
#[schema(as = AccountForm)]
pub struct AccountFormDoc {
    pub username: String,
    pub display_name: String,
    pub role: String,
    /// Required for police roles.
    pub team_id: Option<Uuid>,
    /// Required for partners and city services.
    pub org_id: Option<Uuid>,
}

/// `domain::Team`.
#[derive(Serialize, ToSchema)]
#[schema(as = Team)]
pub struct TeamDoc {
    pub id: Uuid,
    pub district_id: Uuid,
    pub name: String,
}

/// `domain::PartnerOrganisation`.
#[derive(Serialize, ToSchema)]
#[schema(as = Organisation)]
pub struct OrganisationDoc {
    pub id: Uuid,
    pub name: String,
    /// `youth_work`, `street_work`, `neighbourhood_parents`, `mosque_stewards`,
    /// `neighbourhood_committee`, `traders_association`, `social_services`, `city_service`.
    pub kind: String,
    pub district_id: Option<Uuid>,
}

/// `domain::GeoPoint` (WGS84).
#[derive(Serialize, ToSchema)]
#[schema(as = GeoPoint)]
pub struct GeoPointDoc {
    pub lat: f64,
    pub lon: f64,
}

/// `domain::Location`.
#[derive(Serialize, ToSchema)]
#[schema(as = Location)]
pub struct LocationDoc {
    pub point: Option<GeoPointDoc>,
    pub accuracy_m: Option<f64>,
    pub street: Option<String>,
}

/// `domain::StreetContact`. `note` is left out unless the caller may read it.
#[derive(Serialize, ToSchema)]
#[schema(as = Contact)]
pub struct ContactDoc {
    pub id: Uuid,
    pub author_id: Uuid,
    pub team_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub mobility: String,
    pub kind: String,
    pub reason: String,
    pub outcome: String,
    pub location: LocationDoc,
    pub note: Option<String>,
}

/// `domain::ContactDraft` plus the id the phone gave it (a UUID; one is made if absent).
#[derive(Serialize, ToSchema)]
#[schema(as = NewContact)]
pub struct NewContactDoc {
    pub id: Option<Uuid>,
    pub neighbourhood_id: String,
    /// Absent means now.
    pub occurred_at: Option<DateTime<Utc>>,
    pub mobility: String,
    pub kind: String,
    pub reason: String,
    pub outcome: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub street: Option<String>,
    pub note: Option<String>,
}

/// `domain::NeighbourhoodSignal`. `description` is empty unless the caller may read it.
#[derive(Serialize, ToSchema)]
#[schema(as = Signal)]
pub struct SignalDoc {
    pub id: Uuid,
    pub author_id: Uuid,
    pub team_id: Uuid,
    pub neighbourhood_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub category: String,
    pub urgency: String,
    /// `open`, `in_progress`, `referred`, `resolved`.
    pub status: String,
    pub description: String,
    pub location: LocationDoc,
    pub author_org_id: Option<Uuid>,
    pub referred_to_org_id: Option<Uuid>,
    pub feedback: Option<String>,
}

/// `domain::SignalDraft` plus the id the phone gave it.
#[derive(Serialize, ToSchema)]
#[schema(as = NewSignal)]
pub struct NewSignalDoc {
    pub id: Option<Uuid>,
    pub neighbourhood_id: String,
    pub occurred_at: Option<DateTime<Utc>>,
    pub category: String,
    pub urgency: String,
    pub description: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub street: Option<String>,
}

/// `service::records::SignalChange`: absent fields stay as they are;
/// `"referred_to_org_id": null` clears the referral.
#[derive(Serialize, ToSchema)]
#[schema(as = SignalChange)]
pub struct SignalChangeDoc {
    pub status: Option<String>,
    pub referred_to_org_id: Option<Uuid>,
    pub feedback: Option<String>,
}

/// Names the two ways in: the session cookie and a phone's device credential.
struct Credentials;

impl Modify for Credentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(app::server::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "device",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`Device <device-id>.<secret>`, as returned by POST /devices",
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Wijkpost API", version = "1",
        description = "Phones and scripts talk to Wijkpost here. Authenticate with the session cookie \
            (log in at POST /api/login; state-changing requests then need an Origin header of this site) \
            or with `Authorization: Device <device-id>.<secret>`."),
    servers((url = "/api/v1")),
    modifiers(&Credentials),
    security(("session" = []), ("device" = [])),
    paths(
        accounts::me, accounts::list_users, accounts::create_user, accounts::update_user,
        accounts::password_link, accounts::set_password, accounts::list_teams, accounts::create_team,
        accounts::list_organisations, accounts::create_organisation,
        records::list_contacts, records::create_contact, records::contact,
        records::list_signals, records::create_signal, records::signal, records::change_signal,
        devices::list_devices, devices::register_device, devices::revoke_device, devices::access_log,
    ),
    tags(
        (name = "records", description = "Street contacts and neighbourhood signals"),
        (name = "accounts", description = "The caller, accounts and passwords"),
        (name = "organisation", description = "Teams and partner organisations"),
        (name = "devices", description = "Phones for offline use, and the access log"),
    )
)]
struct ApiDoc;

/// `GET /api/v1/openapi.json`: public, like the rest of the API's description.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
