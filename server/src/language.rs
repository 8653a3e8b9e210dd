//! `/lang/{tag}?back=/path`: remembers a language choice in a cookie and returns the
//! person to the page they were on. A plain link, so it works without JavaScript.

use app::i18n::{Locale, LANGUAGE_COOKIE};
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

pub async fn choose(Path(tag): Path<String>, Query(q): Query<Back>) -> Response {
    let Some(locale) = Locale::from_tag(&tag) else {
        return (StatusCode::BAD_REQUEST, format!("Unknown language '{tag}'. Choose nl, en or fr.")).into_response();
    };
    let cookie = cookie::Cookie::build((LANGUAGE_COOKIE, locale.tag()))
        .path("/")
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::days(365))
        .build();
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, safe_back(q.back.as_deref())), (header::SET_COOKIE, cookie.to_string())],
    )
        .into_response()
}

/// Only paths on this site: `//evil.example` or `https://…` would make this an open redirect.
fn safe_back(back: Option<&str>) -> String {
    match back {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path.to_owned(),
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_back(Some("/contacts")), "/contacts");
        assert_eq!(safe_back(Some("//evil.example")), "/");
        assert_eq!(safe_back(Some("https://evil.example")), "/");
        assert_eq!(safe_back(Some("/\\evil.example")), "/");
        assert_eq!(safe_back(None), "/");
    }
}
