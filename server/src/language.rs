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

/// Where a link back may go: only a page of this site. Decided the way the browser
/// will read the `Location`: `back` is resolved as a URL against this site's origin
/// (a stand-in under `.invalid`: only "same origin or not" matters here), and kept
/// only when the result is on that origin. The WHATWG parser is the one browsers use,
/// so tabs and newlines dropped (`/\t/evil`), backslashes read as slashes (`/\\evil`),
/// and `//host` are seen as the browser sees them, not by looking at characters.
/// What is kept is the parsed path and query, which are percent-encoded; parsed once
/// more, they must still name this site (a path like `/.//evil` serialises as
/// `//evil`, which a browser would read as a host).
fn safe_back(back: Option<&str>) -> String {
    const HOME: &str = "/";
    let Ok(site) = url::Url::parse("https://wijkpost.invalid/") else { return HOME.to_owned() };
    let same_site = |url: &url::Url| url.origin() == site.origin();
    let Some(target) = back.and_then(|b| site.join(b).ok()).filter(same_site) else { return HOME.to_owned() };
    let location = match target.query() {
        Some(query) => format!("{}?{query}", target.path()),
        None => target.path().to_owned(),
    };
    match site.join(&location) {
        Ok(again) if same_site(&again) && again.path() == target.path() && location.starts_with('/') => location,
        _ => HOME.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn pages_of_this_site_are_followed() {
        assert_eq!(safe_back(Some("/contacts")), "/contacts");
        assert_eq!(safe_back(Some("/signals?status=open")), "/signals?status=open");
        assert_eq!(safe_back(Some("/password/abc")), "/password/abc");
        assert_eq!(safe_back(None), "/");
    }

    #[test]
    fn anything_a_browser_would_read_as_another_site_goes_home() {
        for evil in [
            "//evil.example",
            "https://evil.example",
            "HTTPS://evil.example/contacts",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "\t//evil.example",
            " //evil.example",
            "/.//evil.example",
            "/..//evil.example",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "https://wijkpost.invalid@evil.example/",
        ] {
            let back = safe_back(Some(evil));
            // Read by a browser on the real site, the answer stays there.
            let followed = url::Url::parse("https://site.example/contacts").and_then(|page| page.join(&back));
            assert_eq!(
                followed.ok().and_then(|u| u.host_str().map(str::to_owned)).as_deref(),
                Some("site.example"),
                "{evil:?} → {back}"
            );
        }
        assert_eq!(safe_back(Some("/\t/evil.example")), "/");
        assert_eq!(safe_back(Some("//evil.example")), "/");
        assert_eq!(safe_back(Some("/.//evil.example")), "/");
    }

    #[test]
    fn encoded_characters_stay_encoded_and_on_this_site() {
        // Left encoded, `%09` is no tab: the browser asks this site for that path.
        assert_eq!(safe_back(Some("/%09/evil.example")), "/%09/evil.example");
        assert_eq!(safe_back(Some("/%2F%2Fevil.example")), "/%2F%2Fevil.example");
        assert_eq!(safe_back(Some("/%5Cevil.example")), "/%5Cevil.example");
        // Raw spaces and control characters never reach the Location header.
        assert_eq!(safe_back(Some("/a b")), "/a%20b");
    }
}
