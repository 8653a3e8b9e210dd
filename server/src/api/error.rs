//! Errors of the JSON API: the app's one error type, [`AppError`], answered as a
//! [`Refusal`], the body every error of this server has (server functions' too, see
//! `server_fn_status` in edge.rs): `{"error": "<code>", …fields, "message": "<sentence>", "status": n}`.
//!
//! `IntoResponse` cannot see the request, so the response carries the error as an
//! extension and [`word_errors`] writes the sentence in the requester's language.

use app::error::AppError;
use app::i18n::Locale;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use service::ServiceError;

use crate::edge::Refusal;

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

/// The refusal for `err`, worded in `locale`.
fn refusal(err: &AppError, locale: Locale) -> Refusal {
    Refusal::of_error(err, locale).with_field_sentences(err, locale)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Dutch until `word_errors` knows better: never an answer without a sentence.
        let mut response = refusal(&self.0, Locale::default()).into_response();
        response.extensions_mut().insert(self.0);
        response
    }
}

/// Rewords an API error in the language the request asks for.
pub async fn word_errors(request: Request, next: Next) -> Response {
    let locale = app::ssr::locale_of(request.headers());
    let response = next.run(request).await;
    let Some(err) = response.extensions().get::<AppError>().cloned() else { return response };
    if err.status() >= 500 {
        tracing::warn!(error = %err, "API request failed");
    }
    if locale == Locale::default() {
        return response;
    }
    // Keeps headers a handler or layer set (none today, but a Retry-After would matter).
    refusal(&err, locale).replacing(response.headers())
}

/// A JSON body whose rejection is an [`ApiError`] (400 with a sentence). Every body
/// of the API is a JSON object, as the OpenAPI document says: another JSON value is
/// refused, although serde would read a struct from an array (`[]` as every field
/// left out), which schemathesis found.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(request, state).await?;
        if !value.is_object() {
            return Err(bad_request("the body must be a JSON object".into()));
        }
        T::deserialize(value).map(Body).map_err(|err| bad_request(format!("the JSON body does not fit: {err}")))
    }
}

/// Path parameters whose rejection is an [`ApiError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Params<T>(pub T);

/// Query parameters whose rejection is an [`ApiError`].
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Filter<T>(pub T);
