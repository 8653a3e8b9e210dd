//! The one JSON error body of this server, built here and nowhere else:
//! `{"error": "<code>", …fields, "message": "<sentence>", "status": n}`. The edge's
//! refusals, a server function's error and the JSON API's errors all answer in it, so
//! a client handles each alike: it acts on `error` and shows `message`, a sentence in
//! the requester's language.

use app::error::AppError;
use app::i18n::Locale;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

/// A refusal: its status and the body it answers with.
#[derive(Debug, Clone)]
pub struct Refusal {
    status: StatusCode,
    body: Map<String, Value>,
}

impl Refusal {
    /// A refusal with its own `code` (`batch_too_large`, `offset_mismatch`, …).
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        let mut body = Map::new();
        body.insert("error".into(), code.into());
        body.insert("message".into(), message.into().into());
        body.insert("status".into(), status.as_u16().into());
        Self { status, body }
    }

    /// A refusal of the edge, whose code is the status's name (`payload_too_large`).
    pub fn of_status(status: StatusCode, message: impl Into<String>) -> Self {
        let code = status.canonical_reason().unwrap_or("error").to_lowercase().replace([' ', '-'], "_");
        Self::new(status, &code, message)
    }

    /// The app's error: its code and fields as it serialises them (what the page
    /// decodes), its status, and its sentence in `locale`.
    pub fn of_error(err: &AppError, locale: Locale) -> Self {
        let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let fields = serde_json::to_value(err).ok().and_then(|v| v.as_object().cloned()).unwrap_or_default();
        let mut refusal = Self::new(status, "", err.message(locale.messages()));
        refusal.body.extend(fields);
        refusal
    }

    /// Adds the fields of `extra` (a value that serialises to an object, such as an
    /// upload's state); the code, sentence and status stay.
    pub fn with(mut self, extra: &impl Serialize) -> Self {
        if let Ok(Value::Object(fields)) = serde_json::to_value(extra) {
            for (name, value) in fields {
                if !matches!(name.as_str(), "error" | "message" | "status") {
                    self.body.insert(name, value);
                }
            }
        }
        self
    }

    /// Each refused field of an `invalid` error gets its own sentence
    /// (`errors[].message`), the one the page shows under that field: a JSON API
    /// client can show it as it is.
    pub fn with_field_sentences(mut self, err: &AppError, locale: Locale) -> Self {
        let AppError::Invalid(errors) = err else { return self };
        let Some(fields) = self.body.get_mut("errors").and_then(Value::as_array_mut) else { return self };
        for (field, error) in fields.iter_mut().zip(&errors.errors) {
            if let Some(field) = field.as_object_mut() {
                field.insert("message".into(), (locale.messages().problem)(&error.problem).into());
            }
        }
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer, keeping the headers another layer or handler put on the answer it
    /// replaces (a cookie a server function set, its error marker, a `Retry-After`),
    /// but not that answer's length and type, which were the old body's.
    pub fn replacing(self, headers: &HeaderMap) -> Response {
        let mut response = self.into_response();
        for name in headers.keys() {
            if name == header::CONTENT_LENGTH || name == header::CONTENT_TYPE || response.headers().contains_key(name) {
                continue;
            }
            for value in headers.get_all(name) {
                response.headers_mut().append(name.clone(), value.clone());
            }
        }
        response
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.status, axum::Json(Value::Object(self.body))).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn body(refusal: &Refusal) -> Value {
        Value::Object(refusal.body.clone())
    }

    #[test]
    fn an_app_error_keeps_its_code_and_fields_and_gets_its_status_and_sentence() {
        let err = AppError::LockedOut { until: "21:40".into(), minutes: 15 };
        let refusal = Refusal::of_error(&err, Locale::En);
        assert_eq!(refusal.status(), StatusCode::TOO_MANY_REQUESTS);
        let body = body(&refusal);
        assert_eq!(body["error"], "locked_out");
        assert_eq!(body["until"], "21:40");
        assert_eq!(body["status"], 429);
        assert_eq!(body["message"], err.message(Locale::En.messages()));
    }

    #[test]
    fn the_edges_code_is_the_status_name() {
        let body = body(&Refusal::of_status(StatusCode::PAYLOAD_TOO_LARGE, "…"));
        assert_eq!(body["error"], "payload_too_large");
        assert_eq!(body["status"], 413);
    }

    #[test]
    fn extra_fields_never_overwrite_the_code_or_status() {
        let extra = serde_json::json!({ "received": 1024, "error": "other", "status": 200 });
        let body = body(&Refusal::new(StatusCode::CONFLICT, "offset_mismatch", "…").with(&extra));
        assert_eq!((body["error"].as_str(), body["status"].as_u64()), (Some("offset_mismatch"), Some(409)));
        assert_eq!(body["received"], 1024);
    }

    #[test]
    fn a_replaced_answer_keeps_its_cookies_but_not_its_length() {
        let mut old = HeaderMap::new();
        old.append(header::SET_COOKIE, HeaderValue::from_static("a=1"));
        old.append(header::SET_COOKIE, HeaderValue::from_static("b=2"));
        old.insert(header::CONTENT_LENGTH, HeaderValue::from_static("999"));
        let response = Refusal::of_status(StatusCode::BAD_REQUEST, "…").replacing(&old);
        assert_eq!(response.headers().get_all(header::SET_COOKIE).iter().count(), 2);
        assert_ne!(response.headers().get(header::CONTENT_LENGTH).map(|v| v.as_bytes()), Some(&b"999"[..]));
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    }
}
