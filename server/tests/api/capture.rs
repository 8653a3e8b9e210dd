//! What the capture forms get from the server (issue 10): the map "use my location"
//! works from offline (boundaries and known streets of the form's neighbourhoods), and
//! a plain form post (no JavaScript) comes back to its page saying what it saved.

use reqwest::header::{ACCEPT, LOCATION};
use reqwest::redirect::Policy;
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
        database_url: SecretString::from(format!("sqlite://{}/capture.db", dir.path().display())),
        site_root: dir.path().join("site"),
        ..Config::default()
    };
    let running = server::start(&config).await.expect("server starts");
    let base = format!("http://{}", running.addr);
    tokio::spawn(running.serve());
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", reqwest::header::HeaderValue::from_str(&base).expect("origin"));
    // Redirects are looked at, not followed.
    let client =
        Client::builder().cookie_store(true).default_headers(headers).redirect(Policy::none()).build().expect("client");
    TestServer { base, client, _dir: dir }
}

impl TestServer {
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = self.client.post(format!("{}{path}", self.base)).form(form).send().await.expect("request");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn log_in(&self, username: &str) {
        let (status, _) = self.post("/api/login", &[("username", username), ("password", "wijkpost-demo")]).await;
        assert_eq!(status, StatusCode::OK, "log-in as {username}");
    }
}

fn names(map: &Value) -> Vec<String> {
    let streets =
        map.as_array().expect("a map").iter().flat_map(|n| n["streets"].as_array().cloned().unwrap_or_default());
    streets.filter_map(|s| s["name"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn the_forms_carry_their_neighbourhoods_boundaries_and_streets() {
    let server = spawn().await;
    server.log_in("agent.borgerhout").await;
    let (status, page) = server.post("/api/contacts_page", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let map = &page["map"];
    let ids: Vec<&str> = map.as_array().expect("a map").iter().filter_map(|n| n["id"].as_str()).collect();
    let offered: Vec<&str> =
        page["neighbourhoods"].as_array().expect("choices").iter().filter_map(|n| n["id"].as_str()).collect();
    assert_eq!(ids, offered, "a boundary for every neighbourhood the form offers, no other");
    assert!(map[0]["area"][0][0].as_array().is_some_and(|ring| ring.len() >= 4), "{}", map[0]);
    let streets = names(map);
    assert!(streets.contains(&"Turnhoutsebaan".to_owned()), "{streets:?}");
    assert!(!streets.contains(&"Grote Markt".to_owned()), "only the team's streets: {streets:?}");

    // A partner files signals city-wide: the whole city's map.
    server.log_in("partner.jeugdwerk").await;
    let (status, choices) = server.post("/api/signal_form", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(choices["map"].as_array().map(Vec::len), choices["neighbourhoods"].as_array().map(Vec::len));
    assert!(names(&choices["map"]).contains(&"Grote Markt".to_owned()));
}

#[tokio::test]
async fn a_plain_post_comes_back_saying_what_it_saved() {
    let server = spawn().await;
    server.log_in("agent.borgerhout").await;
    let (_, choices) = server.post("/api/signal_form", &[]).await;
    let neighbourhood = choices["neighbourhoods"][0]["id"].as_str().expect("a neighbourhood").to_owned();
    let form = [
        ("neighbourhood_id", neighbourhood.as_str()),
        ("category", "lighting"),
        ("urgency", "normal"),
        ("description", "Lamp stuk"),
    ];
    // As a browser without JavaScript posts it.
    let plain = server
        .client
        .post(format!("{}/api/save_signal", server.base))
        .header(ACCEPT, "text/html,application/xhtml+xml")
        .header("referer", format!("{}/signals", server.base))
        .form(&form)
        .send()
        .await
        .expect("request");
    assert!(plain.status().is_redirection(), "{}", plain.status());
    assert_eq!(plain.headers()[LOCATION], "/signals?saved=signal");
    // As a hydrated page calls it: the answer itself.
    let (status, id) = server.post("/api/save_signal", &form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(id.as_str().is_some_and(|id| id.len() == 36), "{id}");
}
