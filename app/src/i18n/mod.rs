//! Translations: Dutch first, English and French.
//!
//! Why not a crate: leptos_i18n (the Leptos-native choice) pulls leptos-use and ICU
//! data into the browser bundle and its set-up changed in every minor release; Fluent
//! files are checked only at run time. Wijkpost has a few hundred short strings and a
//! handful of counts (their plural forms: [`plural`]), so each language is one Rust value of the [`Messages`] struct: a
//! missing or extra translation is a compile error, lookups cost nothing, and the
//! same catalogue renders on the server and hydrates in the browser.
//!
//! The language is chosen per request — the `wijkpost_lang` cookie, else the
//! browser's Accept-Language, else Dutch — and written into `<html lang>`, where the
//! browser side reads it back, so both sides render the same words.

mod en;
mod fr;
#[cfg(test)]
mod french_spacing;
mod homes;
mod labels;
mod nl;
mod phone;
pub mod plural;
mod refusals;
pub mod when;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use homes::{use_home_i18n, HomeMessages};
pub use labels::Label;
pub use phone::{use_phone_i18n, PhoneMessages};
pub use refusals::RefusalMessages;

/// The cookie that remembers a person's language choice.
pub const LANGUAGE_COOKIE: &str = "wijkpost_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    Nl,
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Nl, Locale::En, Locale::Fr];

    /// The BCP 47 tag, as used in `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// Reads a tag such as `nl`, `nl-BE` or `FR`; unknown languages give `None`.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "nl" => Some(Locale::Nl),
            "en" => Some(Locale::En),
            "fr" => Some(Locale::Fr),
            _ => None,
        }
    }

    /// Picks a language from a cookie value and an Accept-Language header.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        if let Some(locale) = cookie.and_then(Locale::from_tag) {
            return locale;
        }
        accept_language
            .map(accept_language::parse)
            .and_then(|tags| tags.iter().find_map(|t| Locale::from_tag(t)))
            .unwrap_or_default()
    }

    pub fn messages(self) -> &'static Messages {
        match self {
            Locale::Nl => &nl::MESSAGES,
            Locale::En => &en::MESSAGES,
            Locale::Fr => &fr::MESSAGES,
        }
    }
}

/// The active language for the current page, provided at the root of the app.
pub fn provide_locale(locale: Locale) {
    provide_context(locale);
}

/// The current page's language.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// The colon between a label and its value, as the language writes it: French puts a
/// no-break space before it ("Dernier envoi : jamais").
pub fn colon(locale: Locale) -> &'static str {
    locale.messages().colon
}

/// The current page's messages.
pub fn use_i18n() -> &'static Messages {
    use_context::<Locale>().unwrap_or_default().messages()
}

/// Every string the UI shows. Fields are grouped by screen.
pub struct Messages {
    pub language_name: &'static str,
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_contacts: &'static str,
    pub nav_signals: &'static str,
    pub nav_login: &'static str,
    pub nav_logout: &'static str,
    pub language_label: &'static str,
    pub logged_in_as: &'static str,

    pub public_title: &'static str,
    pub public_intro: &'static str,
    pub public_emergency: &'static str,
    pub public_coming: &'static str,

    pub role_home_title: fn(domain::Role) -> &'static str,
    pub role_home_body: fn(domain::Role) -> &'static str,
    pub home_counts: &'static str,

    pub login_title: &'static str,
    pub login_username: &'static str,
    pub login_password: &'static str,
    pub login_submit: &'static str,
    pub login_failed: &'static str,
    pub login_needed: &'static str,

    pub contacts_title: &'static str,
    pub contacts_new: &'static str,
    pub contacts_recent: &'static str,
    pub contacts_empty: &'static str,
    pub contact_saved: &'static str,
    pub field_neighbourhood: &'static str,
    pub field_occurred_at: &'static str,
    pub field_mobility: &'static str,
    pub field_kind: &'static str,
    pub field_reason: &'static str,
    pub field_outcome: &'static str,
    pub field_street: &'static str,
    pub field_note: &'static str,
    pub note_no_names: &'static str,
    pub choose: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub form_has_errors: &'static str,

    pub signals_title: &'static str,
    pub signals_empty: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub forbidden: &'static str,
    pub unavailable: &'static str,
    pub bad_request: &'static str,
    pub nav_team: &'static str,
    pub nav_admin: &'static str,
    pub nav_access_log: &'static str,
    pub device_revoked: &'static str,
    pub device_key_expired: &'static str,
    pub link_invalid: &'static str,
    pub conflict: &'static str,
    pub team_title: &'static str,
    pub team_members: &'static str,
    pub team_devices: &'static str,
    pub device_revoke: &'static str,
    /// Asked before revoking another phone: its label and owner.
    pub device_revoke_confirm: fn(&str, &str) -> String,
    /// Asked before revoking the phone this page is open on.
    pub device_revoke_this_confirm: &'static str,
    pub device_this_phone: &'static str,
    pub device_revoked_on: &'static str,
    pub device_last_seen: &'static str,
    pub device_never: &'static str,
    pub devices_empty: &'static str,
    pub access_log_title: &'static str,
    pub access_log_intro: &'static str,
    pub access_log_empty: &'static str,
    /// How many records of a kind (`contact`, `signal`) had a field (`note`,
    /// `description`, `photo`) shown, e.g. "50 signalen: beschrijving".
    pub access_shown: fn(&str, &str, usize) -> String,
    pub col_when: &'static str,
    pub col_who: &'static str,
    pub col_what: &'static str,
    pub col_where: &'static str,
    pub admin_title: &'static str,
    pub admin_users: &'static str,
    pub admin_new_user: &'static str,
    pub admin_teams: &'static str,
    pub admin_orgs: &'static str,
    pub field_username: &'static str,
    pub field_display_name: &'static str,
    pub field_role: &'static str,
    pub field_team: &'static str,
    pub field_org: &'static str,
    pub none_option: &'static str,
    pub admin_create: &'static str,
    pub admin_link_intro: &'static str,
    pub admin_edit: &'static str,
    pub admin_close: &'static str,
    pub admin_account_created: fn(&str) -> String,
    pub admin_account_saved: fn(&str) -> String,
    pub admin_role_hint: &'static str,
    pub admin_new_link: &'static str,
    pub admin_new_link_hint: &'static str,
    pub admin_new_team: &'static str,
    pub field_team_name: &'static str,
    pub field_district: &'static str,
    pub admin_team_created: fn(&str) -> String,
    pub admin_new_org: &'static str,
    pub field_org_name: &'static str,
    pub field_org_kind: &'static str,
    pub field_org_district: &'static str,
    pub district_any: &'static str,
    pub admin_org_created: fn(&str) -> String,
    pub admin_devices_intro: &'static str,
    pub admin_no_team: &'static str,
    pub password_title: &'static str,
    pub password_new: &'static str,
    pub password_hint: &'static str,
    pub password_save: &'static str,
    pub password_done: &'static str,
    pub signal_feedback: &'static str,
    pub signals_of_org: &'static str,
    /// "Also reported: N×": later signals filed as the same one.
    pub signal_also_reported: fn(u64) -> String,
    /// On a signal filed as another report of an earlier one.
    pub signal_same_as_earlier: &'static str,
    // --- team view: synced entries and conflicts (issue 4) ---
    pub sync_review_title: &'static str,
    pub sync_review_intro: &'static str,
    pub sync_review_empty: &'static str,
    pub sync_device: &'static str,
    pub sync_via_web: &'static str,
    pub sync_logged_at: &'static str,
    pub sync_received_at: &'static str,
    pub conflicts_title: &'static str,
    pub conflicts_intro: &'static str,
    pub conflicts_empty: &'static str,
    pub conflict_now: &'static str,
    pub conflict_phone_edit: &'static str,
    pub conflict_unchanged: &'static str,
    pub conflict_feedback_withdrawn: &'static str,
    pub conflict_saved_on_phone: &'static str,
    pub conflict_keep_current: &'static str,
    pub conflict_apply_edit: &'static str,
    // --- layout and words (issue 10) ---
    /// The screen an access-log purpose code stands for ("signals_page" → "Signalen").
    pub screen_name: fn(&str) -> &'static str,
    pub emergency_label: &'static str,
    pub call_police: &'static str,
    pub call_emergency: &'static str,
    /// Between a label and its value: ": ", in French "\u{a0}: ".
    pub colon: &'static str,
    pub account_label: &'static str,
    pub locked_out: fn(&str, i64) -> String,
    pub problem: fn(&domain::Problem) -> String,
    pub label: fn(Label) -> &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_wins_over_the_browser() {
        assert_eq!(Locale::negotiate(Some("fr"), Some("en-GB,en;q=0.9")), Locale::Fr);
    }

    #[test]
    fn browser_preference_is_followed_in_order() {
        assert_eq!(Locale::negotiate(None, Some("de-DE,fr;q=0.8,en;q=0.5")), Locale::Fr);
        assert_eq!(Locale::negotiate(Some("xx"), Some("en-US")), Locale::En);
    }

    #[test]
    fn dutch_is_the_default() {
        assert_eq!(Locale::negotiate(None, None), Locale::Nl);
        assert_eq!(Locale::negotiate(None, Some("de, es")), Locale::Nl);
    }

    #[test]
    fn every_language_labels_every_code_differently_from_the_code() {
        for locale in Locale::ALL {
            let m = locale.messages();
            for label in Label::all() {
                let text = (m.label)(label);
                assert!(!text.is_empty() && !text.contains('_'), "{locale:?} {label:?} -> {text}");
            }
        }
    }

    #[test]
    fn the_access_log_counts_in_each_language_s_own_plural() {
        let shown = |locale: Locale, kind, field, n| (locale.messages().access_shown)(kind, field, n);
        assert_eq!(shown(Locale::Nl, "signal", "description", 50), "50 signalen: beschrijving");
        assert_eq!(shown(Locale::Nl, "contact", "note", 1), "1 contact: notitie");
        assert_eq!(shown(Locale::En, "signal", "photo", 1), "1 signal: photo");
        assert_eq!(shown(Locale::En, "contact", "note", 2), "2 contacts: note");
        assert_eq!(shown(Locale::Fr, "signal", "description", 1), "1 signalement\u{a0}: description");
        assert_eq!(shown(Locale::Fr, "signal", "photo", 3), "3 signalements\u{a0}: photo");
    }

    #[test]
    fn every_count_on_screen_takes_the_language_s_plural() {
        let (nl, en, fr) = (&phone::NL, &phone::EN, &phone::FR);
        assert_eq!((nl.photos_waiting)(1), "1 foto nog niet verzonden");
        assert_eq!((nl.photos_waiting)(2), "2 foto's nog niet verzonden");
        assert_eq!((nl.need_attention)(1), "1 vraagt aandacht");
        assert_eq!((nl.need_attention)(1200), "1.200 vragen aandacht");
        assert_eq!((en.need_attention)(1), "1 needs attention");
        assert_eq!((en.photos_waiting)(1), "1 photo not sent yet");
        assert_eq!((en.not_sent)(1500), "1,500 not sent");
        assert_eq!((fr.photos_waiting)(0), "0 photo pas encore envoyée");
        assert_eq!((fr.photos_waiting)(3), "3 photos pas encore envoyées");
        assert_eq!((fr.not_sent)(1_000_000), "1\u{202f}000\u{202f}000 de saisies non envoyées");
        assert!((nl.unsent_before_logout)(1).starts_with("1 item is "));
        assert!((fr.unsent_before_logout)(1).starts_with("1 saisie pas encore envoyée. Elle reste"));
        let too_long = |locale: Locale, max| (locale.messages().problem)(&domain::Problem::TooLong { max });
        assert_eq!(too_long(Locale::Nl, 1000), "Maximaal 1.000 tekens.");
        assert_eq!(too_long(Locale::Fr, 1), "1 caractère au maximum.");
    }

    #[test]
    fn screens_in_the_access_log_are_named_not_coded() {
        for locale in Locale::ALL {
            for code in ["signals_page", "contacts_page", "team_page", "offline_copy", "api_signal", "something_new"] {
                let name = (locale.messages().screen_name)(code);
                assert!(!name.contains('_') && !name.is_empty(), "{locale:?} {code} -> {name}");
            }
        }
    }
}
