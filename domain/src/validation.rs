//! Field-level validation results. A problem is a code, not a sentence: the UI turns
//! it into a message in the reader's language next to the field it concerns.

use serde::{Deserialize, Serialize};

use crate::codes::Role;

/// Why one field was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// The field must be filled in.
    Required,
    /// The value is not one of the field's code list.
    UnknownCode,
    /// The text is longer than `max` characters.
    TooLong { max: usize },
    /// The moment lies in the future.
    InFuture,
    /// The moment lies more than `max_days` days in the past.
    TooOld { max_days: i64 },
    /// A number outside the range the field allows.
    OutOfRange,
    /// The value could not be read (a malformed date, id or number).
    Malformed,
    /// An id the client chose is already in use. Said the same whoever holds it, so
    /// the answer tells nothing about records the sender may not see.
    AlreadyUsed,
    /// An account with this role needs this field: a team for police, a partner
    /// organisation for partners, a city service for city services.
    NeededForRole { role: Role },
    /// An account with this role must leave this field empty: police have no
    /// organisation, partners and city services no team, admins neither.
    NotForRole { role: Role },
}

/// One refused field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
}

/// Every problem found in one submitted entry: all of them at once, so a person
/// fixes the form in one go instead of one refusal at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{} field(s) need attention", .errors.len())]
pub struct ValidationErrors {
    pub errors: Vec<FieldError>,
}

impl ValidationErrors {
    pub fn push(&mut self, field: &str, problem: Problem) {
        self.errors.push(FieldError { field: field.to_owned(), problem });
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The problem reported for `field`, if any.
    pub fn for_field(&self, field: &str) -> Option<&Problem> {
        self.errors.iter().find(|e| e.field == field).map(|e| &e.problem)
    }

    /// `Ok(value)` when nothing was found, otherwise every problem.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

/// Reads a required code field, recording `Required` or `UnknownCode`.
pub(crate) fn required_code<T>(
    errors: &mut ValidationErrors,
    field: &str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        errors.push(field, Problem::Required);
        return None;
    }
    let parsed = parse(raw);
    if parsed.is_none() {
        errors.push(field, Problem::UnknownCode);
    }
    parsed
}

/// Trims optional free text: empty becomes `None`; longer than `max` characters is refused.
pub(crate) fn optional_text(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    let text = raw.map(str::trim).filter(|t| !t.is_empty())?;
    if text.chars().count() > max {
        errors.push(field, Problem::TooLong { max });
        return None;
    }
    Some(text.to_owned())
}

/// Trims required free text, recording `Required` or `TooLong`.
pub(crate) fn required_text(errors: &mut ValidationErrors, field: &str, raw: &str, max: usize) -> Option<String> {
    if raw.trim().is_empty() {
        errors.push(field, Problem::Required);
        return None;
    }
    optional_text(errors, field, Some(raw), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_serialise_flat_with_their_field() {
        let mut errors = ValidationErrors::default();
        errors.push("note", Problem::TooLong { max: 10 });
        let json = serde_json::to_value(&errors).unwrap();
        assert_eq!(json["errors"][0]["field"], "note");
        assert_eq!(json["errors"][0]["problem"], "too_long");
        assert_eq!(json["errors"][0]["max"], 10);
    }

    #[test]
    fn optional_text_counts_characters_not_bytes() {
        let mut errors = ValidationErrors::default();
        assert_eq!(optional_text(&mut errors, "n", Some("  éé "), 2).as_deref(), Some("éé"));
        assert!(errors.is_empty());
        assert_eq!(optional_text(&mut errors, "n", Some("   "), 2), None);
        assert!(errors.is_empty(), "blank optional text is simply absent");
        assert_eq!(optional_text(&mut errors, "n", Some("ééé"), 2), None);
        assert_eq!(errors.for_field("n"), Some(&Problem::TooLong { max: 2 }));
    }
}
