//! The OpenAPI document of the JSON API, served at `/api/v1/openapi.json`.
//!
//! The schemas are derived from the real types: `domain` and `service` derive
//! `utoipa::ToSchema` behind their `openapi` feature, which only the server turns on,
//! so the browser bundle stays free of documentation dependencies. What is described
//! here has no counterpart elsewhere: the error body, the ways in, and the refusals
//! any operation may answer besides its own (the edge's and the authentication's),
//! added to every operation in one place rather than copied onto each handler. The
//! document is checked against the running server by schemathesis
//! (`scripts/api-fuzz.sh`, a stage of the test command): every status an operation
//! answers is listed, and no request the schemas allow is refused.

use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, Schema};
use utoipa::{Modify, OpenApi, ToSchema};

use super::{access_log, accounts, conflicts, devices, photos, pull, records, sync};

/// Every error: `error` is the code to act on, `message` a sentence for a person.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// `invalid`, `not_logged_in`, `login_failed`, `locked_out`, `device_revoked`,
    /// `device_key_expired`, `not_found`, `link_invalid`, `conflict`, `forbidden`,
    /// `unavailable`, `bad_request`; from the edge also `payload_too_large` (413),
    /// `method_not_allowed` (405) and `not_found` for an unknown path;
    /// from `POST /sync/push` also `device_required` (403) and `batch_too_large` (413); from
    /// `/sync/photos/…` also `record_not_synced`, `offset_mismatch` (409), `photo_too_large`,
    /// `chunk_too_large` (413), `unsupported_photo_type` (415), `chunk_past_end`,
    /// `photo_mismatch` and `not_a_jpeg` (422).
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
    /// With `offset_mismatch`, `chunk_past_end`, `photo_mismatch` and `not_a_jpeg`: the
    /// upload's state (also `photo_id`, `signal_id`, `size`, `complete`); resume here.
    pub received: Option<u64>,
}

/// Names the two ways in: the session cookie and a phone's device credential.
struct Credentials;

impl Modify for Credentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(app::ssr::SESSION_COOKIE))),
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

/// The refusals shared by many operations: (name, status, description).
const COMMON: [(&str, &str, &str); 5] = [
    (
        "BadRequest",
        "400",
        "`bad_request`: the request could not be read (a malformed path, query, header or body; `detail` says \
         what), or it names a host that is not this server's.",
    ),
    (
        "NotLoggedIn",
        "401",
        "`not_logged_in` (no session or device credential, or one the server does not know), `device_revoked` \
         (this phone was signed off) or `device_key_expired` (log in again on the phone).",
    ),
    (
        "Forbidden",
        "403",
        "`forbidden`: the caller may not do this (their role, their team, or a device key where only a password \
         session may); or, for a state-changing request, its `Origin` is not this site (CSRF protection).",
    ),
    ("PayloadTooLarge", "413", "`payload_too_large`: the body is over the server's limit (256 KiB by default)."),
    (
        "Unavailable",
        "503",
        "`unavailable`: the database could not be reached; nothing was changed, and the request may be retried.",
    ),
];

/// Adds the [`COMMON`] refusals to each operation that can meet them, unless the
/// operation documents that status itself (with its own words).
struct CommonRefusals;

impl Modify for CommonRefusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, _, description) in COMMON {
            let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
            let response = ResponseBuilder::new().description(description).content("application/json", body).build();
            components.responses.insert(name.to_owned(), RefOr::T(response));
        }
        for item in openapi.paths.paths.values_mut() {
            for (changes_state, operation) in operations(item) {
                let authenticated = !is_public(operation);
                let refusals = [
                    ("BadRequest", true),
                    ("NotLoggedIn", authenticated),
                    ("Forbidden", authenticated || changes_state),
                    ("PayloadTooLarge", operation.request_body.is_some()),
                    ("Unavailable", true),
                ];
                for (name, applies) in refusals {
                    let Some((_, status, _)) = COMMON.iter().find(|(n, ..)| *n == name) else { continue };
                    if applies {
                        let responses = &mut operation.responses.responses;
                        responses.entry((*status).to_owned()).or_insert_with(|| Ref::from_response_name(name).into());
                    }
                }
            }
        }
    }
}

/// The operations of a path, each with whether it changes state (and so passes the
/// edge's Origin check).
fn operations(item: &mut PathItem) -> impl Iterator<Item = (bool, &mut Operation)> {
    [
        (false, item.get.as_mut()),
        (false, item.head.as_mut()),
        (true, item.post.as_mut()),
        (true, item.put.as_mut()),
        (true, item.patch.as_mut()),
        (true, item.delete.as_mut()),
    ]
    .into_iter()
    .filter_map(|(changes, operation)| operation.map(|operation| (changes, operation)))
}

/// An operation that needs no log-in says so with an empty security requirement.
fn is_public(operation: &Operation) -> bool {
    operation.security.as_ref().is_some_and(|requirements| {
        requirements.iter().all(|requirement| serde_json::to_value(requirement).ok() == Some(json!({})))
    })
}

/// The schema of a query whose parameters are read as one object (`style: form`,
/// `explode: true`): at most one of `exclusive` (the others are then absent), next to
/// any of `shared`. Each choice is its own `oneOf` branch that names its parameters
/// and allows no others, so both of the exclusive ones, or an unknown parameter
/// (the server's filter denies unknown fields), fall outside the schema, as the
/// server refuses them.
pub fn at_most_one_of(exclusive: &[(&str, Value)], shared: &[(&str, Value)]) -> RefOr<Schema> {
    let branch = |chosen: Option<&(&str, Value)>| {
        let mut properties: serde_json::Map<String, Value> =
            shared.iter().map(|(name, schema)| ((*name).to_owned(), schema.clone())).collect();
        let mut branch = json!({ "type": "object", "additionalProperties": false });
        if let Some((name, schema)) = chosen {
            properties.insert((*name).to_owned(), schema.clone());
            branch["required"] = json!([name]);
        }
        branch["properties"] = Value::Object(properties);
        branch
    };
    let branches: Vec<Value> = exclusive.iter().map(Some).chain([None]).map(branch).collect();
    serde_json::from_value(json!({ "oneOf": branches })).unwrap_or_else(|_| RefOr::T(Schema::default()))
}

/// A UUID, described.
pub fn uuid(description: &str) -> Value {
    json!({ "type": "string", "format": "uuid", "description": description })
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Wijkpost API", version = "1",
        description = "Phones and scripts talk to Wijkpost here. Authenticate with the session cookie \
            (log in at POST /api/login; state-changing requests then need an Origin header of this site) \
            or with `Authorization: Device <device-id>.<secret>`."),
    servers((url = "/api/v1")),
    modifiers(&Credentials, &CommonRefusals),
    security(("session" = []), ("device" = [])),
    paths(
        accounts::me, accounts::list_users, accounts::create_user, accounts::update_user,
        accounts::password_link, accounts::set_password, accounts::list_teams, accounts::create_team,
        accounts::list_organisations, accounts::create_organisation,
        records::list_contacts, records::create_contact, records::contact,
        records::list_signals, records::create_signal, records::signal, records::change_signal,
        devices::list_devices, devices::register_device, devices::revoke_device, access_log::access_log,
        sync::push,
        pull::pull, conflicts::list, conflicts::resolve,
        photos::declare, photos::upload_chunk, photos::state, photos::signal_photo,
    ),
    tags(
        (name = "records", description = "Street contacts and neighbourhood signals"),
        (name = "accounts", description = "The caller, accounts and passwords"),
        (name = "organisation", description = "Teams and partner organisations"),
        (name = "devices", description = "Phones for offline use, and the access log"),
        (name = "sync", description = "Offline sync: a phone's queued entries, applied exactly once"),
    )
)]
struct ApiDoc;

/// `GET /api/v1/openapi.json`: public, like the rest of the API's description.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
    }

    #[test]
    fn every_authenticated_operation_lists_the_refusals_of_the_way_in() {
        let doc = document();
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let statuses = &operation["responses"];
                let public = operation["security"] == json!([{}]);
                for status in ["400", "503"] {
                    assert!(statuses.get(status).is_some(), "{method} {path} lists {status}");
                }
                if !public {
                    assert!(statuses.get("401").is_some() && statuses.get("403").is_some(), "{method} {path}");
                }
                if method != "get" {
                    assert!(statuses.get("403").is_some(), "{method} {path}: the Origin check");
                }
                checked += 1;
            }
        }
        assert!(checked > 25, "{checked} operations");
        assert!(doc["paths"]["/password/{token}"]["post"]["responses"].get("401").is_none(), "needs no log-in");
    }

    #[test]
    fn an_operations_own_words_for_a_status_stay() {
        let doc = document();
        let own = &doc["paths"]["/sync/push"]["post"]["responses"]["413"];
        assert!(own.get("$ref").is_none(), "push documents its own 413: {own}");
    }

    #[test]
    fn at_most_one_of_refuses_both_and_unknown_parameters() {
        let schema =
            serde_json::to_value(at_most_one_of(&[("user", uuid("")), ("team", uuid(""))], &[])).unwrap_or_default();
        let branches = schema["oneOf"].as_array().cloned().unwrap_or_default();
        assert_eq!(branches.len(), 3, "{schema}");
        assert!(branches.iter().all(|b| b["additionalProperties"] == json!(false)), "{schema}");
        assert_eq!(branches[0]["required"], json!(["user"]));
    }

    /// Follows `$ref`s to the schema they name, failing on one that names nothing.
    fn resolved<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str() {
            Some(reference) => {
                let name = reference.rsplit('/').next().unwrap_or_default();
                let named = &doc["components"]["schemas"][name];
                assert!(!named.is_null(), "{reference} names no schema");
                resolved(doc, named)
            }
            None => schema,
        }
    }

    #[test]
    fn typed_ids_are_described_as_plain_uuids() {
        // The typed ids (domain::ids) change nothing on the wire: a client still sees
        // a string in uuid format, wherever the schema names the id's own component.
        let doc = document();
        let schemas = &doc["components"]["schemas"];
        let uuid = json!({ "type": "string", "format": "uuid" });
        let mut seen = 0;
        let described_ids = [
            ("Team", "id"),
            ("Organisation", "id"),
            ("User", "team_id"),
            ("Contact", "team_id"),
            ("Contact", "id"),
            ("Signal", "id"),
            ("Signal", "duplicate_of"),
            ("PhotoRef", "id"),
            ("PhotoState", "photo_id"),
            ("PhotoState", "signal_id"),
            ("Mutation", "device_id"),
            ("PushBatch", "device_id"),
            ("DeviceView", "id"),
            ("RegisteredDevice", "device_id"),
            ("Me", "device_id"),
        ];
        for (name, property) in described_ids {
            let described = &schemas[name]["properties"][property];
            let described = match described["oneOf"].as_array() {
                // An optional id: the id or null.
                Some(branches) => branches.iter().find(|b| b["type"] != json!("null")).unwrap_or(described),
                None => described,
            };
            let id = resolved(&doc, described);
            assert_eq!((&id["type"], &id["format"]), (&uuid["type"], &uuid["format"]), "{name}.{property}: {id}");
            seen += 1;
        }
        assert_eq!(seen, described_ids.len());
    }
}
