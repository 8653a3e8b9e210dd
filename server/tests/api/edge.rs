//! The real server over real HTTP, on a fresh SQLite file with demo data: bad input
//! gets a 4xx with a sentence and the server keeps serving; log-in and the contact
//! server functions behave as the pages expect.

use reqwest::header::HeaderMap;
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
    spawn_with(|_| {}).await
}

async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database_url: SecretString::from(format!("sqlite://{}/http.db", dir.path().display())),
        site_root: dir.path().join("site"),
        max_body_bytes: 64 * 1024,
        ..Config::default()
    };
    tweak(&mut config);
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
    fn site(&self) -> std::path::PathBuf {
        self._dir.path().join("site")
    }

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
        .header("accept-language", "en")
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
    let cross_site = bare
        .post(server.url("/api/login"))
        .header("origin", "https://evil.example")
        .header("accept-language", "en")
        .form(&login)
        .send()
        .await
        .unwrap();
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

#[tokio::test]
async fn the_language_link_only_leads_back_to_this_site() {
    let server = spawn().await;
    let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for (back, expected) in [
        // A tab is dropped by browsers: `/\t/evil.example` is read as `//evil.example`.
        ("/%09/evil.example", "/"),
        ("/%0A/evil.example", "/"),
        ("//evil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("%2F%2Fevil.example", "/"),
        ("https://evil.example/", "/"),
        ("/.//evil.example", "/"),
        ("/signals?x=1", "/signals?x=1"),
    ] {
        let response = client.get(server.url(&format!("/lang/en?back={back}"))).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{back}");
        assert_eq!(response.headers()["location"], expected, "back={back}");
    }
}

/// The headers every answer must carry; returns the policy's script nonce.
#[track_caller]
fn assert_secure(headers: &HeaderMap, what: &str) -> String {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let policy = header("content-security-policy");
    let scripts = policy.split(';').map(str::trim).find(|d| d.starts_with("script-src")).unwrap_or_default();
    assert!(scripts.contains("'wasm-unsafe-eval'") && !scripts.contains("unsafe-inline"), "{what}: {policy}");
    for directive in
        ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]
    {
        assert!(policy.contains(directive), "{what}: {directive} missing from {policy}");
    }
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("referrer-policy"), "same-origin", "{what}");
    let permissions = header("permissions-policy");
    assert!(
        permissions.contains("geolocation=(self)") && permissions.contains("camera=(self)"),
        "{what}: {permissions}"
    );
    assert!(permissions.contains("microphone=()") && permissions.contains("payment=()"), "{what}: {permissions}");
    assert!(headers.get("strict-transport-security").is_none(), "{what}: no HSTS over plain HTTP");
    let nonce = scripts.split_whitespace().find_map(|s| s.strip_prefix("'nonce-")).unwrap_or_default();
    nonce.trim_end_matches('\'').to_owned()
}

#[track_caller]
fn cache_control(headers: &HeaderMap) -> &str {
    headers.get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// Every inline script of the page carries the response's nonce (else the browser
/// refuses to run it, and the page never hydrates).
#[track_caller]
fn assert_scripts_nonced(html: &str, nonce: &str, what: &str) {
    assert!(nonce.len() >= 16, "{what}: nonce {nonce:?}");
    let scripts: Vec<&str> = html.split("<script").skip(1).map(|s| s.split('>').next().unwrap_or_default()).collect();
    assert!(!scripts.is_empty(), "{what}: the page has its boot script");
    for script in scripts {
        assert!(script.contains(&format!("nonce=\"{nonce}\"")), "{what}: <script{script}> without the nonce {nonce}");
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_personal_ones_are_not_cached() {
    let server = spawn().await;
    std::fs::create_dir_all(server.site().join("pkg")).unwrap();
    std::fs::write(server.site().join("pkg/wijkpost.css"), "body{}").unwrap();
    std::fs::write(server.site().join("favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();

    let home = server.client.get(server.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let nonce = assert_secure(home.headers(), "/");
    assert_eq!(cache_control(home.headers()), "no-store");
    assert_scripts_nonced(&home.text().await.unwrap(), &nonce, "/");

    server.log_in("agent.borgerhout").await;
    let contacts = server.client.get(server.url("/contacts")).send().await.unwrap();
    assert_eq!(contacts.status(), StatusCode::OK);
    let page_nonce = assert_secure(contacts.headers(), "/contacts");
    assert_ne!(page_nonce, nonce, "a new nonce for every page");
    assert_eq!(cache_control(contacts.headers()), "no-store", "a logged-in page is personal");
    assert_scripts_nonced(&contacts.text().await.unwrap(), &page_nonce, "/contacts");

    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/me"),
        (reqwest::Method::GET, "/api/v1/contacts"),
        (reqwest::Method::POST, "/api/contacts_page"),
        (reqwest::Method::GET, "/api/v1/nothing-here"),
        (reqwest::Method::GET, "/no/such/page"),
    ] {
        let response = server.client.request(method.clone(), server.url(path)).send().await.unwrap();
        assert_secure(response.headers(), path);
        assert_eq!(cache_control(response.headers()), "no-store", "{method} {path}: {}", response.status());
    }

    let asset = server.client.get(server.url("/pkg/wijkpost.css")).send().await.unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_secure(asset.headers(), "/pkg/wijkpost.css");
    assert_eq!(
        cache_control(asset.headers()),
        "public, max-age=31536000, immutable",
        "the bundle keeps its long cache"
    );
    let icon = server.client.get(server.url("/favicon.svg")).send().await.unwrap();
    assert_eq!(icon.status(), StatusCode::OK);
    assert_secure(icon.headers(), "/favicon.svg");
    assert_eq!(cache_control(icon.headers()), "no-cache");
    let worker = server.client.get(server.url("/sw.js")).send().await.unwrap();
    assert_secure(worker.headers(), "/sw.js");
    let refused = Client::new().post(server.url("/api/login")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_secure(refused.headers(), "the edge's own refusal");
}

#[tokio::test]
async fn over_tls_browsers_are_told_to_keep_to_it() {
    let server = spawn_with(|c| c.public_origin = Some("https://wijkpost.example".into())).await;
    let home = server.client.get(server.url("/")).send().await.unwrap();
    assert_eq!(home.headers()["strict-transport-security"], "max-age=31536000");
}

#[tokio::test]
async fn an_authorization_header_does_not_lift_the_origin_check_off_the_cookie() {
    let server = spawn().await;
    server.log_in("agent.borgerhout").await;
    let (status, page) = server.post_form("/api/contacts_page", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let neighbourhood = page["neighbourhoods"][0]["id"].as_str().unwrap().to_owned();
    let contact = [
        ("neighbourhood_id", neighbourhood.as_str()),
        ("mobility", "bike"),
        ("kind", "question"),
        ("reason", "traffic"),
        ("outcome", "informed"),
        ("note", "from another website"),
    ];
    // The logged-in browser, made to post by another website: the server function acts
    // on the cookie, so a made-up device credential changes nothing.
    for authorization in ["Device garbage", "Bearer x", "Device abc.def"] {
        let forged = server
            .client
            .post(server.url("/api/save_contact"))
            .header("origin", "https://evil.example")
            .header("accept-language", "en")
            .header("authorization", authorization)
            .form(&contact)
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN, "{authorization}");
        let body: Value = forged.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains("another website"), "{body}");
    }
    let (_, page) = server.post_form("/api/contacts_page", &[]).await;
    let notes: Vec<&str> = page["recent"].as_array().unwrap().iter().filter_map(|c| c["note"].as_str()).collect();
    assert!(!notes.contains(&"from another website"), "nothing was saved");

    // The JSON API authenticates by the header itself (never the cookie once it is
    // there): not an ambient credential, so no Origin check — and a bad one is a 401.
    let api = server
        .client
        .post(server.url("/api/v1/contacts"))
        .header("origin", "https://evil.example")
        .header("authorization", "Device garbage")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_request_for_another_host_is_refused() {
    let server = spawn().await;
    let bare = Client::new();
    let rebound = bare.get(server.url("/")).header("host", "rebound.evil.example").send().await.unwrap();
    assert_eq!(rebound.status(), StatusCode::BAD_REQUEST);
    assert_secure(rebound.headers(), "the refusal");
    let body: Value = rebound.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("WIJKPOST_PUBLIC_ORIGIN"), "{body}");
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    let other_port = bare.get(server.url("/")).header("host", "127.0.0.1:1").send().await.unwrap();
    assert_eq!(other_port.status(), StatusCode::BAD_REQUEST);
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let ok = bare.get(server.url("/")).header("host", &host).send().await.unwrap();
        assert_eq!(ok.status(), StatusCode::OK, "{host}");
    }
    // A load balancer probes by address.
    let probe = bare.get(server.url("/healthz")).header("host", "10.1.2.3:80").send().await.unwrap();
    assert_eq!(probe.status(), StatusCode::OK);

    let public = spawn_with(|c| c.public_origin = Some("https://wijkpost.example".into())).await;
    let named = bare.get(public.url("/")).header("host", "wijkpost.example").send().await.unwrap();
    assert_eq!(named.status(), StatusCode::OK);
    let other = bare.get(public.url("/")).header("host", "wijkpost.example.evil.example").send().await.unwrap();
    assert_eq!(other.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_a_413_with_a_message() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = spawn().await;
    // The JSON API reads a body only for someone logged in.
    let login = Client::new()
        .post(server.url("/api/login"))
        .header("origin", &server.base)
        .form(&[("username", "agent.borgerhout"), ("password", "wijkpost-demo")])
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    for (path, kind) in
        [("/api/save_contact", "application/x-www-form-urlencoded"), ("/api/v1/sync/push", "application/json")]
    {
        let authority = server.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(authority).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {authority}\r\nOrigin: {}\r\nCookie: {cookie}\r\nAccept-Language: en\r\n\
             Content-Type: {kind}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            server.base
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        // 100 KiB in 8 KiB chunks, no length declared; the limit is 64 KiB. The server
        // may answer before all of it is sent, so a write may fail.
        let chunk = format!("{:x}\r\n{}\r\n", 8192, "a".repeat(8192));
        for _ in 0..13 {
            if stream.write_all(chunk.as_bytes()).await.is_err() {
                break;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        assert!(answer.contains("The request is too large: at most 64 KiB is accepted."), "{path}: {answer}");
    }
    server.still_serving().await;
}

#[tokio::test]
async fn a_page_kept_for_offline_use_is_logged_as_that_not_as_a_screen_read() {
    let server = spawn().await;
    server.log_in("agent.borgerhout").await;
    let lead = spawn_client(&server.base);
    let (status, _) = post_form_with(&lead, &server.url("/api/login"), "teamleider.borgerhout").await;
    assert_eq!(status, StatusCode::OK);
    let purposes = || async {
        let log: Value =
            lead.get(server.url("/api/v1/access-log?limit=1000")).send().await.unwrap().json().await.unwrap();
        let mut counts = std::collections::BTreeMap::<String, usize>::new();
        for entry in log.as_array().expect("the team's access log") {
            *counts.entry(entry["purpose"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
        }
        counts
    };
    let before = purposes().await;

    // What the service worker fetches to keep on the phone (server/src/pwa/sw.js).
    for path in ["/contacts", "/signals"] {
        let kept =
            server.client.get(server.url(path)).header("x-wijkpost-purpose", "offline-copy").send().await.unwrap();
        assert_eq!(kept.status(), StatusCode::OK, "{path}");
        assert_eq!(cache_control(kept.headers()), "no-store");
    }
    let after_copy = purposes().await;
    let grown = |counts: &std::collections::BTreeMap<String, usize>, purpose: &str| {
        counts.get(purpose).copied().unwrap_or(0) - before.get(purpose).copied().unwrap_or(0)
    };
    assert!(grown(&after_copy, "offline_copy") > 0, "the copy is logged: {after_copy:?}");
    assert_eq!(grown(&after_copy, "contacts_page"), 0, "nobody opened the screen: {after_copy:?}");
    assert_eq!(grown(&after_copy, "signals_page"), 0, "nobody opened the screen: {after_copy:?}");

    // The person opening the screen is a screen read.
    server.client.get(server.url("/contacts")).send().await.unwrap();
    assert!(grown(&purposes().await, "contacts_page") > 0);
}

fn spawn_client(base: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert("origin", reqwest::header::HeaderValue::from_str(base).expect("origin"));
    Client::builder().cookie_store(true).default_headers(headers).build().expect("client")
}

async fn post_form_with(client: &Client, url: &str, username: &str) -> (StatusCode, Value) {
    let response =
        client.post(url).form(&[("username", username), ("password", "wijkpost-demo")]).send().await.expect("log-in");
    (response.status(), response.json().await.unwrap_or(Value::Null))
}

/// The edge's refusals (a body too large, another site, another host, an unknown API
/// endpoint, a method an address does not take) speak the requester's language, like
/// every other error: Dutch unless the browser or the language cookie asks otherwise.
#[tokio::test]
async fn the_edges_refusals_speak_the_requesters_language() {
    use app::i18n::Locale;
    let server = spawn().await;
    let bare = Client::new();
    for (asked, locale) in [(None, Locale::Nl), (Some("fr-BE,fr;q=0.9"), Locale::Fr), (Some("en"), Locale::En)] {
        let words = locale.refusals();
        let send = |request: reqwest::RequestBuilder| async {
            let request = match asked {
                Some(language) => request.header("accept-language", language),
                None => request,
            };
            let response = request.send().await.expect("an answer");
            (response.status(), response.json::<Value>().await.unwrap_or(Value::Null))
        };
        let big = server.client.post(server.url("/api/save_contact")).body("a".repeat(100 * 1024));
        let cross_site = bare.post(server.url("/api/login")).header("origin", "https://evil.example");
        let no_origin = bare.post(server.url("/api/login"));
        let unknown = server.client.delete(server.url("/api/v1/nothing-here"));
        let rebound = bare.get(server.url("/")).header("host", "rebound.evil.example");
        let wrong_method = server.client.get(server.url("/api/save_contact"));
        let public = format!("http://127.0.0.1:{}", server.base.rsplit(':').next().unwrap_or_default());
        for (request, status, code, message) in [
            (big, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", (words.body_too_large)(64)),
            (cross_site, StatusCode::FORBIDDEN, "forbidden", words.other_website.to_owned()),
            (no_origin, StatusCode::FORBIDDEN, "forbidden", words.origin_unknown.to_owned()),
            (unknown, StatusCode::NOT_FOUND, "not_found", (words.unknown_endpoint)("DELETE", "/api/v1/nothing-here")),
            (rebound, StatusCode::BAD_REQUEST, "bad_request", (words.wrong_host)(&public, "rebound.evil.example")),
            (wrong_method, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", words.method_not_allowed.to_owned()),
        ] {
            let (answered, body) = send(request).await;
            assert_eq!((answered, body["error"].as_str()), (status, Some(code)), "{locale:?}: {body}");
            assert_eq!(body["message"], message, "{locale:?}");
            assert_eq!(body["status"], status.as_u16(), "{locale:?}");
        }
    }
    server.still_serving().await;
}
