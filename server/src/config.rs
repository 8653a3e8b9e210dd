//! Layered configuration: built-in defaults, then an optional TOML file
//! (`wijkpost.toml`, or the path in `WIJKPOST_CONFIG`), then `WIJKPOST_*` environment
//! variables (e.g. `WIJKPOST_DATABASE_URL`, `WIJKPOST_LISTEN`). The database URL is a
//! secret: it is never printed, only its redacted form.

use std::net::SocketAddr;
use std::path::PathBuf;

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// `sqlite://path` (the default, a file under ./data) or `postgres://…`.
    pub database_url: SecretString,
    /// Where the built site (pkg/, icons) lives.
    pub site_root: PathBuf,
    /// Seed demo data into an empty database and print the demo log-ins.
    pub demo_data: bool,
    /// How long a log-in lasts, in hours.
    pub session_hours: i64,
    /// Mark cookies `Secure`; turn on whenever the app is served over TLS.
    pub secure_cookies: bool,
    /// The address people use to reach Wijkpost, e.g. `https://wijkpost.antwerpen.be`.
    /// Requests naming another host are refused (they are not meant for this server:
    /// DNS rebinding, a misconfigured proxy); `https` also turns on HSTS. Unset: the
    /// listen address, and `localhost` / `127.0.0.1` on its port.
    pub public_origin: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// `pretty` for people, `json` for log collectors.
    pub log_format: String,
    /// Failed log-ins for one account from one client address within the window
    /// before that account locks for that address (what a person on their own phone
    /// meets; failures from elsewhere do not count).
    pub login_max_failures: usize,
    /// Failed log-ins per client address within the window before it locks.
    pub login_max_failures_per_address: usize,
    /// The window of the two limits above, in seconds.
    pub login_window_seconds: i64,
    /// Failed log-ins for one account from all addresses together within
    /// `login_account_window_seconds` before it locks everywhere: the bound on guessing
    /// spread over many addresses (see `service::throttle::Limits::default` for why 50
    /// an hour).
    pub login_max_failures_per_account: usize,
    /// The window of the account-wide limit, in seconds (at most a day).
    pub login_account_window_seconds: i64,
    /// Read the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Days a street contact is kept after it happened; older ones are deleted hourly
    /// (see `service::CONTACT_RETENTION_DAYS` for why 548, about 18 months).
    pub contact_retention_days: i64,
    /// Days a phone's device key works after it was handed out (`WIJKPOST_DEVICE_KEY_DAYS`).
    pub device_key_days: i64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            database_url: SecretString::from("sqlite://data/wijkpost.db"),
            site_root: PathBuf::from("target/site"),
            demo_data: true,
            session_hours: 12,
            secure_cookies: false,
            public_origin: None,
            max_body_bytes: 256 * 1024,
            log_format: "pretty".into(),
            login_max_failures: 5,
            login_max_failures_per_address: 30,
            login_window_seconds: 15 * 60,
            login_max_failures_per_account: 50,
            login_account_window_seconds: 60 * 60,
            trust_forwarded_for: false,
            contact_retention_days: service::CONTACT_RETENTION_DAYS,
            device_key_days: service::DEVICE_KEY_DAYS,
        }
    }
}

impl Config {
    /// Reads the layers in order; a later layer overrides an earlier one.
    pub fn load() -> Result<Self, Box<figment::Error>> {
        let file = std::env::var("WIJKPOST_CONFIG").unwrap_or_else(|_| "wijkpost.toml".into());
        Figment::new()
            .merge(Toml::file(file))
            .merge(Env::prefixed("WIJKPOST_").ignore(&["CONFIG"]))
            .extract()
            .map_err(Box::new)
    }

    /// What the use cases need from the configuration.
    pub fn service_settings(&self) -> service::Settings {
        service::Settings {
            session_ttl: chrono::Duration::hours(self.session_hours.max(1)),
            throttle: service::throttle::Limits {
                per_account_and_address: self.login_max_failures,
                per_address: self.login_max_failures_per_address,
                window: login_window(self.login_window_seconds),
                per_account: self.login_max_failures_per_account,
                account_window: login_window(self.login_account_window_seconds),
            },
            // At least a day: a zero or negative setting must not wipe every contact.
            contact_retention: chrono::Duration::days(self.contact_retention_days.max(1)),
            device_key_life: chrono::Duration::days(self.device_key_days.max(1)),
            ..service::Settings::default()
        }
    }

    /// The public origin, read as a browser would; `None` when not configured.
    pub fn public_origin(&self) -> Result<Option<url::Url>, String> {
        let Some(text) = self.public_origin.as_deref().filter(|t| !t.trim().is_empty()) else { return Ok(None) };
        let origin = url::Url::parse(text.trim()).map_err(|err| {
            format!("WIJKPOST_PUBLIC_ORIGIN '{text}' is not a URL ({err}); e.g. https://wijkpost.example")
        })?;
        let bare = matches!(origin.scheme(), "http" | "https")
            && origin.host_str().is_some()
            && origin.username().is_empty()
            && origin.password().is_none()
            && origin.path() == "/"
            && origin.query().is_none()
            && origin.fragment().is_none();
        if !bare {
            return Err(format!(
                "WIJKPOST_PUBLIC_ORIGIN '{text}' must be a scheme and host (and port) only, e.g. https://wijkpost.example"
            ));
        }
        Ok(Some(origin))
    }

    /// People reach the app over TLS: an `https` public origin, or Secure cookies
    /// (which only work over TLS).
    pub fn serves_tls(&self) -> bool {
        self.secure_cookies || matches!(self.public_origin(), Ok(Some(origin)) if origin.scheme() == "https")
    }

    /// The database URL with any password replaced by `***`, safe to log.
    pub fn database_url_redacted(&self) -> String {
        redact_url(self.database_url.expose_secret())
    }
}

/// At least a second; at most as long as failures are kept, or the sweep would
/// forget failures the window still counts.
fn login_window(seconds: i64) -> chrono::Duration {
    chrono::Duration::seconds(seconds.max(1)).min(service::throttle::LONGEST_WINDOW)
}

fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((userinfo, host)) = rest.rsplit_once('@') else { return url.to_owned() };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_url("postgres://wp:s3cret@db:5432/wijkpost"), "postgres://wp:***@db:5432/wijkpost");
        assert_eq!(redact_url("postgres://root@127.0.0.1/test"), "postgres://root@127.0.0.1/test");
        assert_eq!(redact_url("sqlite://data/wijkpost.db"), "sqlite://data/wijkpost.db");
    }

    #[test]
    fn the_public_origin_is_a_bare_origin() {
        let with = |origin: &str| Config { public_origin: Some(origin.into()), ..Config::default() };
        let origin = with("https://wijkpost.example").public_origin().expect("valid").expect("set");
        assert_eq!(origin.host_str(), Some("wijkpost.example"));
        assert!(with("https://wijkpost.example").serves_tls());
        assert!(!with("http://127.0.0.1:3000").serves_tls());
        assert!(!Config::default().serves_tls());
        assert!(Config { secure_cookies: true, ..Config::default() }.serves_tls());
        for wrong in ["wijkpost.example", "ftp://wijkpost.example", "https://wijkpost.example/app", "https://a@b"] {
            assert!(with(wrong).public_origin().is_err(), "{wrong}");
        }
        assert_eq!(Config::default().public_origin(), Ok(None));
    }

    #[test]
    #[expect(clippy::result_large_err, reason = "figment's Jail fixes the closure's error type")]
    fn environment_overrides_defaults_and_secrets_do_not_print() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("WIJKPOST_LISTEN", "0.0.0.0:8080");
            jail.set_env("WIJKPOST_DATABASE_URL", "postgres://wp:s3cret@db/wijkpost");
            jail.create_file("wijkpost.toml", "session_hours = 8\nlisten = \"127.0.0.1:9999\"")?;
            let config = Config::load().map_err(|e| e.to_string())?;
            assert_eq!(config.listen.port(), 8080, "env beats file");
            assert_eq!(config.session_hours, 8, "file beats defaults");
            assert!(!format!("{config:?}").contains("s3cret"));
            Ok(())
        });
    }
}
