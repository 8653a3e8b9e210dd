//! Errors of the JSON API: the app's one error type, [`AppError`], answered in the same
//! shape as a server function's error (see `server_fn_status` in edge.rs), so a client
//! handles both alike: `{"error": "<code>", …fields, "message": "<sentence>", "status": n}`.
//!
//! `IntoResponse` cannot see the request, so the response carries the error as an
//! extension and [`word_errors`] writes the sentence in the requester's language.

use app::error::AppError;
use app::i18n::Locale;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use service::ServiceError;

/// An API handler's failure.
#[derive(Debug)]
pub struct ApiError(pub AppError);

pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        Self(err)
    }
}

impl From<ServiceError> for ApiError {
    /// Through the app's own conversion, so API and pages answer a failure alike.
    fn from(err: ServiceError) -> Self {
        Self(AppError::from(err))
    }
}

fn bad_request(detail: String) -> ApiError {
    ApiError(AppError::BadRequest { detail })
}

impl From<JsonRejection> for ApiError {
    /// axum answers a body of the wrong shape with 422 and a missing content type with
    /// 415; for the API both are a malformed request (422 is kept for invalid entries).
    fn from(rejection: JsonRejection) -> Self {
        bad_request(rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        bad_request(rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        bad_request(rejection.body_text())
    }
}

/// The response for `err`, worded in `locale`.
fn render(err: &AppError, locale: Locale) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = serde_json::to_value(err).unwrap_or_default();
    if let Some(object) = body.as_object_mut() {
        object.insert("message".into(), err.message(locale.messages()).into());
        object.insert("status".into(), status.as_u16().into());
        word_fields(err, object, locale);
    }
    let mut response = (status, axum::Json(body)).into_response();
    response.extensions_mut().insert(err.clone());
    response
}

/// Each refused field of a 422 gets its own sentence (`errors[].message`), the one the
/// page shows under that field: an API client can show it as it is.
fn word_fields(err: &AppError, object: &mut serde_json::Map<String, serde_json::Value>, locale: Locale) {
    let AppError::Invalid(errors) = err else { return };
    let Some(fields) = object.get_mut("errors").and_then(|e| e.as_array_mut()) else { return };
    for (field, error) in fields.iter_mut().zip(&errors.errors) {
        if let Some(field) = field.as_object_mut() {
            field.insert("message".into(), (locale.messages().problem)(&error.problem).into());
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Dutch until `word_errors` knows better: never an answer without a sentence.
        render(&self.0, Locale::default())
    }
}

/// Rewords an API error in the language the request asks for.
pub async fn word_errors(request: Request, next: Next) -> Response {
    let locale = app::server::locale_of(request.headers());
    let response = next.run(request).await;
    let Some(err) = response.extensions().get::<AppError>().cloned() else { return response };
    if err.status() >= 500 {
        tracing::warn!(error = %err, "API request failed");
    }
    if locale == Locale::default() {
        return response;
    }
    let mut worded = render(&err, locale);
    // Keep headers a handler or layer set (none today, but a Retry-After would matter).
    for (name, value) in response.headers() {
        if !worded.headers().contains_key(name) {
            worded.headers_mut().insert(name.clone(), value.clone());
        }
    }
    worded
}

/// A JSON body whose rejection is an [`ApiError`] (400 with a sentence).
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Body<T>(pub T);

/// Path parameters whose rejection is an [`ApiError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Params<T>(pub T);

/// Query parameters whose rejection is an [`ApiError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Filter<T>(pub T);
