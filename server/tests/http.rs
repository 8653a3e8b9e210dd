//! The real server over real HTTP, on a fresh SQLite file with demo data: bad input
//! gets a 4xx with a sentence and the server keeps serving; log-in and the contact
//! server functions behave as the pages expect.

use reqwest::{Client, StatusCode};
use secrecy::SecretString;
use serde_json::Value;
use server::config::Config;

struct TestServer {
    base: String,
    client: Client,
    _dir: tempfile::TempDir,
}

async fn spawn() -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database_url: SecretString::from(format!("sqlite://{}/http.db", dir.path().display())),
        site_root: dir.path().join("site"),
        max_body_bytes: 64 * 1024,
        ..Config::default()
    };
    let running = server::start(&config).await.expect("server starts");
    let base = format!("http://{}", running.addr);
    tokio::spawn(running.serve());
    // Like a browser on one of Wijkpost's pages: the edge refuses state-changing
    // requests without a matching Origin (CSRF protection).
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", reqwest::header::HeaderValue::from_str(&base).expect("origin"));
    let client = Client::builder().cookie_store(true).default_headers(headers).build().expect("client");
    TestServer { base, client, _dir: dir }
}

impl TestServer {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = self.client.post(self.url(path)).form(form).send().await.expect("request");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn log_in(&self, username: &str) {
        let (status, _) = self.post_form("/api/login", &[("username", username), ("password", "wijkpost-demo")]).await;
        assert_eq!(status, StatusCode::OK, "log-in as {username}");
    }

    async fn still_serving(&self) {
        let health = self.client.get(self.url("/healthz")).send().await.expect("healthz");
        assert_eq!(health.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let server = spawn().await;
    server.still_serving().await;
    let ready: Value = server.client.get(server.url("/readyz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["database"], "sqlite");
}

#[tokio::test]
async fn malformed_body_is_a_400_with_a_message() {
    let server = spawn().await;
    let response = server
        .client
        .post(server.url("/api/save_contact"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("kind[=%ZZ&&mobility[]]=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "bad_request");
    assert!(body["message"].as_str().is_some_and(|m| m.len() > 20), "{body}");
    server.still_serving().await;
}

#[tokio::test]
async fn oversize_body_is_a_413_with_a_message() {
    let server = spawn().await;
    let big = "a".repeat(200 * 1024);
    let response = server
        .client
        .post(server.url("/api/save_contact"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "payload_too_large");
    assert_eq!(body["message"], "The request is too large: at most 64 KiB is accepted.");
    server.still_serving().await;
}

#[tokio::test]
async fn unknown_routes_are_404_with_a_message() {
    let server = spawn().await;
    let page = server.client.get(server.url("/no/such/page")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.text().await.unwrap().contains("Pagina niet gevonden"));

    let api = server.client.get(server.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    assert!(body["message"].as_str().unwrap().contains("GET /api/v1/nothing-here"));

    let wrong_method = server.client.get(server.url("/api/save_contact")).send().await.unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = wrong_method.json().await.unwrap();
    assert_eq!(body["error"], "method_not_allowed");
    assert!(body["message"].as_str().is_some());
    server.still_serving().await;
}

#[tokio::test]
async fn saving_needs_a_log_in_and_a_wrong_password_is_refused() {
    let server = spawn().await;
    let (status, body) = server.post_form("/api/save_contact", &[("kind", "check")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "not_logged_in");

    let (status, body) =
        server.post_form("/api/login", &[("username", "agent.borgerhout"), ("password", "nope")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "login_failed");
    let (status, _) = server.post_form("/api/login", &[("username", "nobody"), ("password", "nope")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "unknown users get the same answer");
}

#[tokio::test]
async fn a_partner_may_not_log_street_contacts() {
    let server = spawn().await;
    server.log_in("partner.jeugdwerk").await;
    let (status, body) = server.post_form("/api/contacts_page", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "forbidden");
}

#[tokio::test]
async fn an_officer_saves_a_contact_and_sees_it_listed() {
    let server = spawn().await;
    server.log_in("agent.borgerhout").await;
    let (status, page) = server.post_form("/api/contacts_page", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let neighbourhood = page["neighbourhoods"][0]["id"].as_str().expect("a neighbourhood").to_owned();

    // Everything missing: every required field is named, nothing is saved.
    let (status, body) = server.post_form("/api/save_contact", &[("neighbourhood_id", &neighbourhood)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"], "invalid");
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["mobility", "kind", "reason", "outcome"]);

    // A neighbourhood of another team is refused as if it did not exist.
    let other = "0190d8a4-0000-7000-8000-000000000000";
    let (status, body) = server
        .post_form(
            "/api/save_contact",
            &[
                ("neighbourhood_id", other),
                ("mobility", "bike"),
                ("kind", "check"),
                ("reason", "traffic"),
                ("outcome", "informed"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "neighbourhood_id");

    let note = "Nieuwe fietsenstalling gevraagd";
    let (status, id) = server
        .post_form(
            "/api/save_contact",
            &[
                ("neighbourhood_id", &neighbourhood),
                ("occurred_at", ""),
                ("mobility", "bike"),
                ("kind", "question"),
                ("reason", "traffic"),
                ("outcome", "informed"),
                ("note", note),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let id = id.as_str().expect("the new contact's id").to_owned();

    let (_, page) = server.post_form("/api/contacts_page", &[]).await;
    let newest = &page["recent"][0];
    assert_eq!(newest["id"], id.as_str());
    assert_eq!(newest["note"], note);
    assert_eq!(newest["kind"], "question");
}

#[tokio::test]
async fn choosing_a_language_sets_a_cookie_and_returns_to_the_page() {
    let server = spawn().await;
    let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = client.get(server.url("/lang/fr?back=/contacts")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/contacts");
    assert!(response.headers()["set-cookie"].to_str().unwrap().starts_with("wijkpost_lang=fr"));

    let unknown = client.get(server.url("/lang/xx")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn state_changing_requests_from_other_sites_are_refused() {
    let server = spawn().await;
    let bare = Client::new();
    let login = [("username", "agent.borgerhout"), ("password", "wijkpost-demo")];
    let cross_site =
        bare.post(server.url("/api/login")).header("origin", "https://evil.example").form(&login).send().await.unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let body: Value = cross_site.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("another website"));

    let fetch_metadata =
        bare.post(server.url("/api/login")).header("sec-fetch-site", "cross-site").form(&login).send().await.unwrap();
    assert_eq!(fetch_metadata.status(), StatusCode::FORBIDDEN);

    let unverifiable = bare.post(server.url("/api/login")).form(&login).send().await.unwrap();
    assert_eq!(unverifiable.status(), StatusCode::FORBIDDEN);

    // The same request from the site itself goes through.
    let (status, _) = server.post_form("/api/login", &login).await;
    assert_eq!(status, StatusCode::OK);
}
