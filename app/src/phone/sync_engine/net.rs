//! The sync API's requests, each with the device credential and a time limit: on a
//! weak signal a request can hang for minutes, and a hung push would hold the queue.

use domain::photo::{PhotoDeclaration, PhotoState};
use domain::sync::{FailureKind, PullPage, PushBatch, Receipt};
use domain::PhotoId;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use wasm_bindgen::JsValue;

/// Long enough for a 250-entry push over a slow 3G link, short enough that a dead
/// connection is noticed before the person gives up on the app.
const TIME_LIMIT_MS: u64 = 20_000;

/// How a request failed.
#[derive(Debug, Clone)]
pub struct Failed {
    pub kind: FailureKind,
    pub status: Option<u16>,
    /// The server's `error` code, when it sent one.
    pub code: Option<String>,
}

#[derive(Deserialize)]
struct PushAnswer {
    receipts: Vec<Receipt>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

pub async fn push(credential: &str, batch: &PushBatch) -> Result<Vec<Receipt>, Failed> {
    let request = authorised(Request::post("/api/v1/sync/push"), credential).json(batch).map_err(no_answer)?;
    let answer: PushAnswer = answer(request).await?;
    Ok(answer.receipts)
}

pub async fn pull(credential: &str, cursor: &str, limit: usize) -> Result<PullPage, Failed> {
    let url = format!("/api/v1/sync/pull?cursor={}&limit={limit}", js_sys::encode_uri_component(cursor));
    let request = authorised(Request::get(&url), credential).build().map_err(no_answer)?;
    answer(request).await
}

pub async fn declare_photo(
    credential: &str,
    id: PhotoId,
    declaration: &PhotoDeclaration,
) -> Result<PhotoState, Failed> {
    let request = authorised(Request::put(&format!("/api/v1/sync/photos/{id}")), credential)
        .json(declaration)
        .map_err(no_answer)?;
    answer(request).await
}

pub async fn send_chunk(credential: &str, id: PhotoId, offset: u64, chunk: &[u8]) -> Result<PhotoState, Failed> {
    let body = js_sys::Uint8Array::from(chunk);
    let request = authorised(Request::patch(&format!("/api/v1/sync/photos/{id}")), credential)
        .header("Upload-Offset", &offset.to_string())
        .header("Content-Type", "application/octet-stream")
        .body(JsValue::from(body))
        .map_err(no_answer)?;
    answer(request).await
}

fn authorised(builder: RequestBuilder, credential: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Device {credential}")).header("Accept", "application/json")
}

fn no_answer(_: impl std::fmt::Debug) -> Failed {
    Failed { kind: FailureKind::Network, status: None, code: None }
}

async fn answer<T: DeserializeOwned>(request: Request) -> Result<T, Failed> {
    let response = send_within_limit(request).await?;
    if response.ok() {
        // A 200 whose body cannot be read is as good as no answer: send again.
        return response.json::<T>().await.map_err(no_answer);
    }
    let status = response.status();
    let code = response.json::<ErrorBody>().await.ok().map(|b| b.error);
    Err(Failed { kind: FailureKind::from_status(Some(status)), status: Some(status), code })
}

/// Sends with an abort timer, so a request that hangs counts as "no answer".
async fn send_within_limit(request: Request) -> Result<Response, Failed> {
    let controller = web_sys::AbortController::new().map_err(no_answer)?;
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    let raw: web_sys::Request = request.into();
    let limited = web_sys::Request::new_with_request_and_init(&raw, &init).map_err(no_answer)?;
    let timer = leptos::prelude::set_timeout_with_handle(
        move || controller.abort(),
        std::time::Duration::from_millis(TIME_LIMIT_MS),
    )
    .ok();
    let result = Request::from(limited).send().await;
    if let Some(timer) = timer {
        timer.clear();
    }
    result.map_err(no_answer)
}
