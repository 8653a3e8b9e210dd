//! Server-side helpers of the admin server functions: reading the forms, the flash
//! cookie, the way back for plain form posts, the phones grouped per team.

use cookie::{Cookie, SameSite};
use domain::{DistrictId, UserId};
use domain::{OrgId, TeamId};
use domain::{PartnerOrganisation, Problem, Role, Team, User, ValidationErrors};
use http::header::{ACCEPT, SET_COOKIE};
use http::HeaderValue;
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use leptos_axum::ResponseOptions;
use service::accounts::AccountForm;
use service::devices::DeviceScope;
use service::{Actor, Services};
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{AdminNotice, DeviceGroup, DeviceRow};
use crate::ssr::format_local;

const FLASH_COOKIE: &str = "wijkpost_admin_flash";
/// How long a flash waits for the page that shows it.
const FLASH_SECONDS: i64 = 300;

/// Reads the admin page's account form as it was posted: an empty select is "none",
/// anything else must be an id. Whether the team and organisation fit the role is
/// decided by `Services::create_user` / `update_user`, the same use case the JSON API
/// calls, so the page cannot let through what the API refuses (nor the reverse).
pub fn account_form(
    username: String,
    display_name: Option<String>,
    role: Option<String>,
    team_id: Option<String>,
    org_id: Option<String>,
) -> Result<AccountForm, AppError> {
    let mut errors = ValidationErrors::default();
    let code = role.as_deref().map(str::trim).unwrap_or_default();
    let role = Role::from_code(code);
    if role.is_none() {
        errors.push("role", if code.is_empty() { Problem::Required } else { Problem::UnknownCode });
    }
    let mut id = |field: &str, raw: Option<String>| {
        let raw = raw.unwrap_or_default();
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let parsed = Uuid::parse_str(raw).ok();
        if parsed.is_none() {
            errors.push(field, Problem::Malformed);
        }
        parsed
    };
    let team_id = id("team_id", team_id).map(TeamId::from);
    let org_id = id("org_id", org_id).map(OrgId::from);
    match role {
        Some(role) if errors.is_empty() => {
            Ok(AccountForm { username, display_name: display_name.unwrap_or_default(), role, team_id, org_id })
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

/// A form that fails before it has a role (so before the service can check it) still
/// says what else is wrong with it: every problem at once, not one per try.
pub fn with_problems(error: AppError, more: Vec<domain::FieldError>) -> AppError {
    match error {
        AppError::Invalid(mut errors) => {
            for problem in more {
                if errors.for_field(&problem.field).is_none() {
                    errors.errors.push(problem);
                }
            }
            AppError::Invalid(errors)
        }
        other => other,
    }
}

/// The district chosen in a form: `None` when none was, a problem when it is unknown.
pub async fn district(services: &Services, raw: Option<&str>) -> Result<Result<Option<DistrictId>, Problem>, AppError> {
    let raw = raw.map(str::trim).unwrap_or_default();
    if raw.is_empty() {
        return Ok(Ok(None));
    }
    let districts = services.districts().await?;
    Ok(match raw.parse::<DistrictId>() {
        Ok(id) if districts.iter().any(|d| d.id == id) => Ok(Some(id)),
        _ => Err(Problem::UnknownCode),
    })
}

/// What a successful admin form post did, kept until the admin page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flash {
    /// A new account and the path of its one-time link.
    Created(UserId, String),
    /// A fresh one-time link for an account.
    Link(UserId, String),
    Saved(UserId),
    Team(TeamId),
    Organisation(OrgId),
}

impl Flash {
    /// `kind:id` or `kind:id:/password/<token>`: nothing a cookie value cannot hold.
    fn encode(&self) -> String {
        match self {
            Flash::Created(id, path) => format!("created:{id}:{path}"),
            Flash::Link(id, path) => format!("link:{id}:{path}"),
            Flash::Saved(id) => format!("saved:{id}"),
            Flash::Team(id) => format!("team:{id}"),
            Flash::Organisation(id) => format!("organisation:{id}"),
        }
    }

    fn decode(raw: &str) -> Option<Self> {
        let mut parts = raw.splitn(3, ':');
        let kind = parts.next()?;
        let id = Uuid::parse_str(parts.next()?).ok()?;
        // Only a password link goes back into the page, nothing else a cookie could carry.
        let path = match parts.next() {
            None => None,
            Some(path) => {
                let token = path.strip_prefix("/password/")?;
                if token.is_empty() || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return None;
                }
                Some(path.to_owned())
            }
        };
        match (kind, path) {
            ("created", Some(path)) => Some(Flash::Created(id.into(), path)),
            ("link", Some(path)) => Some(Flash::Link(id.into(), path)),
            ("saved", None) => Some(Flash::Saved(id.into())),
            ("team", None) => Some(Flash::Team(id.into())),
            ("organisation", None) => Some(Flash::Organisation(id.into())),
            _ => None,
        }
    }

    /// The notice for the page, worded with the names the admin sees.
    pub fn notice(self, users: &[User], teams: &[Team], orgs: &[PartnerOrganisation]) -> Option<AdminNotice> {
        let user_name = |id: UserId| users.iter().find(|u| u.id == id).map(|u| u.display_name.clone());
        Some(match self {
            Flash::Created(id, link) => AdminNotice::AccountCreated { display_name: user_name(id)?, link },
            Flash::Link(user_id, link) => AdminNotice::LinkIssued { user_id, display_name: user_name(user_id)?, link },
            Flash::Saved(user_id) => AdminNotice::AccountSaved { user_id, display_name: user_name(user_id)? },
            Flash::Team(id) => AdminNotice::TeamCreated { name: teams.iter().find(|t| t.id == id)?.name.clone() },
            Flash::Organisation(id) => {
                AdminNotice::OrganisationCreated { name: orgs.iter().find(|o| o.id == id)?.name.clone() }
            }
        })
    }
}

/// The flash cookie: HTTP-only and same-site only, as it may hold a one-time link.
fn append_flash_cookie(value: String, max_age_seconds: i64) -> Result<(), AppError> {
    let secure = crate::ssr::state()?.cookies.secure;
    let cookie = Cookie::build((FLASH_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_seconds))
        .build();
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie.to_string()))
    {
        response.append_header(SET_COOKIE, value);
    }
    Ok(())
}

pub fn set_flash(flash: &Flash) -> Result<(), AppError> {
    append_flash_cookie(flash.encode(), FLASH_SECONDS)
}

/// The request's flash, cleared on the response whatever it held: it is shown once.
pub fn take_flash() -> Option<Flash> {
    let raw = crate::ssr::request_cookie(FLASH_COOKIE)?;
    append_flash_cookie(String::new(), 0).ok()?;
    Flash::decode(&raw)
}

/// Where a plain form post (no JavaScript) goes next: the admin page at the form's
/// section, with an error in the query the way `ServerAction` reads it. Calls from the
/// hydrated page get their result as usual and are not redirected.
pub fn back<S: ServerFn, T>(query: &str, anchor: &str, result: Result<T, AppError>) -> Result<T, AppError> {
    let plain_post = use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.headers.get(ACCEPT).and_then(|h| h.to_str().ok()).is_some_and(|accept| accept.contains("text/html"))
    });
    if !plain_post {
        return result;
    }
    let location = match &result {
        Ok(_) => format!("/admin{query}#{anchor}"),
        Err(error) => {
            // Only the path and query of this URL are used; the host is a placeholder.
            let base = format!("http://wijkpost.invalid/admin{query}");
            match ServerFnUrlError::new(S::PATH, error.clone()).to_url(&base) {
                Ok(url) => format!("{}?{}#{anchor}", url.path(), url.query().unwrap_or_default()),
                Err(_) => return result,
            }
        }
    };
    leptos_axum::redirect(&location);
    result
}

/// Every phone: per team, then those of accounts without a team (partners, admins).
pub async fn device_groups(
    actor: &Actor,
    services: &Services,
    users: &[User],
    teams: &[Team],
) -> Result<Vec<DeviceGroup>, AppError> {
    let this_phone = services.device_of_session(&crate::ssr::require_session_token()?).await?;
    let row = |d: store::Device| DeviceRow {
        is_this_phone: Some(d.id) == this_phone,
        id: d.id,
        owner: users.iter().find(|u| u.id == d.user_id).map(|u| u.display_name.clone()).unwrap_or_default(),
        label: d.label,
        registered_local: format_local(d.created_at),
        last_seen_local: d.last_seen_at.map(format_local),
        revoked_local: d.revoked_at.map(format_local),
    };
    let mut groups = Vec::new();
    for team in teams {
        let devices = services.devices(actor, DeviceScope::Team(team.id)).await?;
        if !devices.is_empty() {
            groups.push(DeviceGroup { team: Some(team.name.clone()), devices: devices.into_iter().map(row).collect() });
        }
    }
    let mut without_team = Vec::new();
    for user in users.iter().filter(|u| u.team_id.is_none()) {
        without_team.extend(services.devices(actor, DeviceScope::User(user.id)).await?.into_iter().map(row));
    }
    if !without_team.is_empty() {
        groups.push(DeviceGroup { team: None, devices: without_team });
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flash_round_trips_and_carries_nothing_but_a_password_path() {
        let id = Uuid::now_v7();
        for flash in [
            Flash::Created(UserId::from_uuid(id), "/password/ab12".into()),
            Flash::Link(UserId::from_uuid(id), "/password/cd34".into()),
            Flash::Saved(UserId::from_uuid(id)),
            Flash::Team(TeamId::from_uuid(id)),
            Flash::Organisation(OrgId::from_uuid(id)),
        ] {
            assert_eq!(Flash::decode(&flash.encode()), Some(flash));
        }
        assert_eq!(Flash::decode(&format!("link:{id}:https://evil.example/")), None);
        assert_eq!(Flash::decode(&format!("link:{id}:/password/<script>")), None);
        assert_eq!(Flash::decode(&format!("saved:{id}:/password/ab")), None);
        assert_eq!(Flash::decode("saved:not-an-id"), None);
    }

    #[test]
    fn an_account_form_is_passed_on_as_posted() {
        let team = TeamId::new_v7();
        let org = OrgId::new_v7();
        let form =
            account_form("x".into(), None, Some("officer".into()), Some(team.to_string()), Some(org.to_string()))
                .expect("read");
        assert_eq!((form.team_id, form.org_id), (Some(team), Some(org)), "the use case judges the pair, not the form");
        let form =
            account_form("x".into(), None, Some("admin".into()), Some(" ".into()), Some(String::new())).expect("read");
        assert_eq!((form.team_id, form.org_id), (None, None), "an empty select is none");
        let Err(AppError::Invalid(errors)) = account_form("x".into(), None, Some("root".into()), None, None) else {
            panic!("an unknown role is refused");
        };
        assert_eq!(errors.for_field("role"), Some(&Problem::UnknownCode));
        let Err(AppError::Invalid(errors)) =
            account_form("x".into(), None, Some("officer".into()), Some("team-7".into()), None)
        else {
            panic!("a malformed id is refused, not dropped");
        };
        assert_eq!(errors.for_field("team_id"), Some(&Problem::Malformed));
    }
}
