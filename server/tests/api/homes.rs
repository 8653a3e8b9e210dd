//! The role homes (issue 10) show signal texts like the lists do: each one shown is in
//! the access log under the home's screen, and none that the home left out.

use crate::support;

use std::collections::HashSet;
use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;
use support::{v1, TestDb};

store::testing::both_stores!(
    run = crate::support::run;
    a_home_logs_exactly_the_signal_texts_it_shows,
);

/// The ids of the records a list on the page shows (`data-id` inside `data-testid`).
fn listed(html: &str, testid: &str) -> HashSet<String> {
    let Some(start) = html.find(&format!(r#"data-testid="{testid}""#)) else { return HashSet::new() };
    let list = &html[start..];
    let list = &list[..list.find("</ul>").unwrap_or(list.len())];
    list.split(r#"data-id=""#).skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect()
}

async fn a_home_logs_exactly_the_signal_texts_it_shows(db: Arc<TestDb>) {
    let server = db.server().await;
    let reader = server.logged_in("interventie.antwerpen").await;
    let me = reader.get(&v1("/me")).await.expect(StatusCode::OK, "me");
    let page = reader.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().unwrap_or_default().to_owned();
    let shown = listed(&html, "urgent-signals");
    assert!(!shown.is_empty(), "the demo has urgent open signals in Antwerpen: {html}");
    assert!(html.matches(r#"data-urgency="high""#).count() >= shown.len(), "only urgent ones");

    let lead = server.logged_in("teamleider.antwerpen").await;
    let log = lead.get(&v1("/access-log?limit=1000")).await.expect(StatusCode::OK, "log");
    let logged: HashSet<String> = log
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["reader_id"] == me["id"] && e["purpose"] == "home_page")
        .flat_map(|e| e["shown"].as_array().cloned().unwrap_or_default())
        .filter(|s| s["kind"] == "signal" && s["field"] == "description")
        .flat_map(|s| s["records"].as_array().cloned().unwrap_or_default())
        .filter_map(|id: Value| id.as_str().map(str::to_owned))
        .collect();
    assert_eq!(logged, shown, "every text shown is logged, and nothing else");
}
