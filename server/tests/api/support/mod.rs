//! The real server over real HTTP, on a fresh database of either store: a SQLite file
//! in its own temporary folder, or a PostgreSQL database of its own on the test server
//! (WIJKPOST_TEST_POSTGRES_URL), dropped afterwards. An unreachable PostgreSQL fails
//! the test with a message saying so; it never skips it.

use std::future::Future;
use std::sync::Arc;

use domain::{Clock, ManualClock, SystemClock};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Client, Method, StatusCode};
use secrecy::SecretString;
use serde_json::{json, Value};
use server::config::Config;
use store::testing::TestDatabase;
use store::Store;
use tempfile::TempDir;
use uuid::Uuid;

pub use store::demo::DEMO_PASSWORD;
pub use store::Backend;

/// A fresh, empty database; servers started on it seed the demo data.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    /// Where the servers' (unbuilt) site root points; also holds the SQLite file.
    folder: TempDir,
    postgres: Option<TestDatabase>,
}

/// Runs one test on a fresh database of `backend`; a PostgreSQL database is dropped
/// afterwards even when the test panics, and the panic then carries on.
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Arc<TestDb>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let db = Arc::new(TestDb::new(backend).await);
    let outcome = tokio::spawn(test(db.clone())).await;
    db.drop_database().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        let folder = tempfile::tempdir().expect("a temporary folder");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}/wijkpost.db", folder.path().display());
                Self { backend, url, folder, postgres: None }
            }
            Backend::Postgres => {
                let database = TestDatabase::create("wijkpost_api").await;
                Self { backend, url: database.url.clone(), folder, postgres: Some(database) }
            }
        }
    }

    /// Best effort: a database left behind only costs disk space on a test server.
    async fn drop_database(&self) {
        if let Some(database) = &self.postgres {
            database.drop_database().await;
        }
    }

    /// A configuration for a server on this database, on a free port, with demo data.
    pub fn config(&self) -> Config {
        Config {
            listen: "127.0.0.1:0".parse().expect("an address"),
            database_url: SecretString::from(self.url.clone()),
            site_root: self.folder.path().join("site"),
            demo_data: true,
            ..Config::default()
        }
    }

    /// Starts a server with the demo data and the default settings.
    pub async fn server(&self) -> TestServer {
        self.server_with(|_| {}).await
    }

    /// Starts a server after `tweak` has changed its configuration.
    pub async fn server_with(&self, tweak: impl FnOnce(&mut Config)) -> TestServer {
        self.launch(tweak, Arc::new(SystemClock)).await
    }

    /// Starts a server whose every "now" is `clock` (see [`manual_clock`]): the test
    /// moves it to let time pass, rather than sleeping.
    pub async fn server_on(&self, clock: &ManualClock, tweak: impl FnOnce(&mut Config)) -> TestServer {
        self.launch(tweak, Arc::new(clock.clone())).await
    }

    async fn launch(&self, tweak: impl FnOnce(&mut Config), clock: Arc<dyn Clock>) -> TestServer {
        let mut config = self.config();
        tweak(&mut config);
        let running = server::start_with_clock(&config, clock).await.expect("the server starts");
        let base = format!("http://{}", running.addr);
        let store = running.store.clone();
        let services = running.state.app.services.clone();
        tokio::spawn(running.serve());
        TestServer { base, store, services }
    }
}

/// A clock standing at the real moment, for [`TestDb::server_on`]: the demo data and
/// the test's own timestamps (taken from the system's clock) still look current.
pub fn manual_clock() -> ManualClock {
    ManualClock::new(SystemClock.now())
}

/// A running server, and its store for looking up ids (never for the checks themselves).
pub struct TestServer {
    pub base: String,
    pub store: Arc<dyn Store>,
    /// The server's use cases, to run its scheduled housekeeping at once after a test
    /// moved the clock (the server runs it hourly).
    pub services: service::Services,
}

impl TestServer {
    /// A client that is not logged in.
    pub fn client(&self) -> Api {
        Api::new(&self.base)
    }

    /// A client logged in as `username` (password [`DEMO_PASSWORD`]).
    pub async fn logged_in(&self, username: &str) -> Api {
        self.logged_in_with(username, DEMO_PASSWORD).await
    }

    pub async fn logged_in_with(&self, username: &str, password: &str) -> Api {
        let mut api = self.client();
        let reply = api.log_in(username, password).await;
        assert_eq!(reply.status, StatusCode::OK, "log-in as {username}: {}", reply.body);
        api
    }

    /// A client that authenticates as a phone, with `credential` from POST /devices.
    pub fn device(&self, credential: &str) -> Api {
        let mut api = self.client();
        api.device = Some(credential.to_owned());
        api
    }
}

/// An answer: its status and its JSON body (`Null` when there is none).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    /// The `error` code of an error answer.
    pub fn code(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }

    /// Panics with the whole answer unless the status is `expected`.
    #[track_caller]
    pub fn expect(self, expected: StatusCode, what: &str) -> Value {
        assert_eq!(self.status, expected, "{what}: {}", self.body);
        self.body
    }
}

/// An HTTP client for one person: like the web app, it keeps its session cookie and
/// sends this site's Origin (the edge refuses state-changing requests without one).
pub struct Api {
    base: String,
    http: Client,
    pub session: Option<String>,
    pub device: Option<String>,
    pub language: Option<&'static str>,
    /// Sent as `X-Forwarded-For`: the client address a server that trusts the header
    /// (`trust_forwarded_for`) sees, to act from several addresses.
    pub forwarded_for: Option<&'static str>,
}

impl Api {
    fn new(base: &str) -> Self {
        let mut headers = HeaderMap::new();
        headers.insert("origin", HeaderValue::from_str(base).expect("an origin"));
        // The log-in answers with a redirect header for the browser; the test wants
        // the answer itself.
        let http = Client::builder()
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        Self { base: base.to_owned(), http, session: None, device: None, language: None, forwarded_for: None }
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.session {
            request = request.header("cookie", format!("{}={token}", app::ssr::SESSION_COOKIE));
        }
        if let Some(credential) = &self.device {
            request = request.header("authorization", format!("Device {credential}"));
        }
        if let Some(language) = self.language {
            request = request.header("accept-language", language);
        }
        if let Some(address) = self.forwarded_for {
            request = request.header("x-forwarded-for", address);
        }
        request
    }

    async fn send(request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let text = response.text().await.expect("a readable body");
        let body =
            serde_json::from_str(&text).unwrap_or(if text.is_empty() { Value::Null } else { Value::String(text) });
        Reply { status, body }
    }

    pub async fn get(&self, path: &str) -> Reply {
        Self::send(self.request(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        Self::send(self.request(Method::POST, path).json(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Reply {
        Self::send(self.request(Method::PATCH, path).json(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        Self::send(self.request(Method::PUT, path).json(body)).await
    }

    /// A request with a binary body and extra headers (a photo chunk and its offset).
    pub async fn send_bytes(&self, method: Method, path: &str, headers: &[(&str, String)], body: Vec<u8>) -> Reply {
        let mut request = self.request(method, path).header("content-type", "application/octet-stream");
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        Self::send(request.body(body)).await
    }

    /// A GET whose answer is not JSON (a photo): its status, headers and bytes.
    pub async fn get_bytes(&self, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let response = self.request(Method::GET, path).send().await.expect("the server answers");
        let (status, headers) = (response.status(), response.headers().clone());
        (status, headers, response.bytes().await.expect("a readable body").to_vec())
    }

    /// A request with a raw body and content type, for malformed input.
    pub async fn send_raw(&self, method: Method, path: &str, content_type: &str, body: &str) -> Reply {
        Self::send(self.request(method, path).header("content-type", content_type).body(body.to_owned())).await
    }

    /// POSTs a form to a server function (`/api/login`, `/api/logout`).
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (Reply, HeaderMap) {
        let response = self.request(Method::POST, path).form(form).send().await.expect("the server answers");
        let headers = response.headers().clone();
        let status = response.status();
        let body = response.json().await.unwrap_or(Value::Null);
        (Reply { status, body }, headers)
    }

    /// Logs in through the page's server function; keeps the session cookie it sets.
    pub async fn log_in(&mut self, username: &str, password: &str) -> Reply {
        let (reply, headers) = self.post_form("/api/login", &[("username", username), ("password", password)]).await;
        if reply.status == StatusCode::OK {
            self.session = session_cookie(&headers);
            assert!(self.session.is_some(), "a log-in sets the session cookie: {headers:?}");
        }
        reply
    }

    /// Logs out through the page's server function.
    pub async fn log_out(&self) -> Reply {
        self.post_form("/api/logout", &[]).await.0
    }
}

/// The value of the session cookie a response sets, if it sets one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|h| h.to_str().ok())
        .filter_map(|h| cookie::Cookie::parse(h.to_owned()).ok())
        .find(|c| c.name() == app::ssr::SESSION_COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

/// `/api/v1` + `path`.
pub fn v1(path: &str) -> String {
    format!("/api/v1{path}")
}

/// Logs `username` in and registers a phone (POST /devices), as the app does at first
/// log-in: a client that authenticates with the phone's key, and the phone's id.
pub async fn phone(server: &TestServer, username: &str) -> (Api, Uuid) {
    let person = server.logged_in(username).await;
    let registered =
        person.post(&v1("/devices"), &json!({ "label": "Dienst-gsm" })).await.expect(StatusCode::CREATED, "a phone");
    let device_id = Uuid::parse_str(registered["device_id"].as_str().expect("device_id")).expect("a uuid");
    (server.device(registered["credential"].as_str().expect("credential")), device_id)
}
