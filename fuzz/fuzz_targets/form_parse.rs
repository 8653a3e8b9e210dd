//! The contact and signal forms as the server functions read them (`save_contact`,
//! `save_signal` in app/src/server_fns): the `datetime-local` field through
//! `parse_local_input`, then every field through the drafts' `validate`, which the
//! JSON API and the sync push call as well.
//!
//! Properties: a form time reads back from the text the form shows for it (Brussels
//! time, DST gaps and repeats included), and every well-formed one reads; every field
//! is judged on its own text exactly as its rule says (blank: `required`, not in the
//! list: `unknown_code`, too long: `too_long`, …), each problem once, all at once, and
//! a draft is accepted exactly when none is found, holding the trimmed, parsed values;
//! the problems survive the JSON they are answered in.
#![no_main]

use std::collections::HashSet;

use arbitrary::{Arbitrary, Unstructured};
use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use domain::contact::{FUTURE_TOLERANCE_MINUTES, MAX_BACKDATE_DAYS, NOTE_MAX_CHARS, STREET_MAX_CHARS};
use domain::signal::DESCRIPTION_MAX_CHARS;
use domain::{
    Authorship, ContactDraft, ContactKind, ContactOutcome, ContactReason, GeoPoint, Mobility, Problem, SignalCategory,
    SignalDraft, SignalStatus, Urgency, ValidationErrors,
};
use domain::{PhotoId, RecordId, TeamId, UserId};
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;
use wijkpost_fuzz::local_time::{local_input, parse_local_input, NotADateTime};

/// A code field: one of its list (as a person picks it, maybe padded) or any text.
#[derive(Debug, Arbitrary)]
enum Code {
    Listed { index: u8, left: u8, right: u8 },
    Typed(String),
}

#[derive(Debug, Arbitrary)]
enum Id {
    Listed { value: u128, form: u8 },
    Typed(String),
}

#[derive(Debug, Arbitrary)]
enum Moment {
    Field { year: u8, month: u8, day: u8, hour: u8, minute: u8, second: Option<u8> },
    Typed(String),
}

#[derive(Debug, Arbitrary)]
struct Form {
    neighbourhood_id: Id,
    occurred_at: Moment,
    mobility: Code,
    kind: Code,
    reason: Code,
    outcome: Code,
    category: Code,
    urgency: Code,
    street: Option<String>,
    note: Option<String>,
    description: String,
    lat: Option<f64>,
    lon: Option<f64>,
    accuracy_m: Option<f64>,
    /// Minutes before "now" for a signal's own time, as the sync push sends it.
    signal_minutes_ago: Option<i32>,
    photo_id: Option<u128>,
    duplicate_of: Option<u128>,
}

fn code_text(code: &Code, all: &[&'static str]) -> String {
    match code {
        Code::Listed { index, left, right } => {
            let pad = |n: u8| [" ", "\t", "\n", ""][usize::from(n % 4)].repeat(usize::from(n / 64));
            format!("{}{}{}", pad(*left), all[usize::from(*index) % all.len()], pad(*right))
        }
        Code::Typed(text) => text.clone(),
    }
}

fn id_text(id: &Id) -> String {
    match id {
        Id::Listed { value, form } => {
            let id = Uuid::from_u128(*value);
            match form % 4 {
                0 => id.hyphenated().to_string(),
                1 => id.simple().to_string(),
                2 => id.urn().to_string(),
                _ => format!(" {} ", id.braced()),
            }
        }
        Id::Typed(text) => text.clone(),
    }
}

fn moment_text(moment: &Moment) -> String {
    match moment {
        Moment::Field { year, month, day, hour, minute, second } => {
            let (year, month, day) = (1990 + u32::from(*year) % 120, month % 13, day % 32);
            let clock = format!("{:02}:{:02}", hour % 25, minute % 61);
            match second {
                Some(s) => format!("{year:04}-{month:02}-{day:02}T{clock}:{:02}", s % 61),
                None => format!("{year:04}-{month:02}-{day:02}T{clock}"),
            }
        }
        Moment::Typed(text) => text.clone(),
    }
}

/// The problem a code field's rule gives for `raw`, judged here from the list itself.
fn code_problem(raw: &str, all: &[&'static str]) -> Option<Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        Some(Problem::Required)
    } else if !all.contains(&raw) {
        Some(Problem::UnknownCode)
    } else {
        None
    }
}

fn id_problem(raw: &str) -> Option<Problem> {
    match raw.trim() {
        "" => Some(Problem::Required),
        raw => Uuid::parse_str(raw).err().map(|_| Problem::Malformed),
    }
}

fn text_problem(raw: Option<&str>, max: usize) -> Option<Problem> {
    raw.map(str::trim).filter(|t| t.chars().count() > max).map(|_| Problem::TooLong { max })
}

fn trimmed(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

fn moment_problem(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<Problem> {
    let at = at?;
    if at > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        Some(Problem::InFuture)
    } else if at < now - Duration::days(MAX_BACKDATE_DAYS) {
        Some(Problem::TooOld { max_days: MAX_BACKDATE_DAYS })
    } else {
        None
    }
}

const PLACE_FIELDS: [&str; 3] = ["lat", "lon", "accuracy_m"];

/// What holds of any draft's answer: each field at most once, and the problems of the
/// fields judged here exactly as expected; the place is left to `place.rs`'s own tests
/// but for being named only when given. Returns whether no problem was expected.
fn check_answer(errors: &ValidationErrors, expected: &[(&str, Option<Problem>)], place_given: bool) -> bool {
    let mut named = HashSet::new();
    for error in &errors.errors {
        assert!(named.insert(error.field.as_str()), "{} reported twice: {errors:?}", error.field);
        let judged_here = expected.iter().any(|(field, _)| *field == error.field);
        assert!(judged_here || (place_given && PLACE_FIELDS.contains(&error.field.as_str())), "{errors:?}");
    }
    for (field, problem) in expected {
        assert_eq!(errors.for_field(field), problem.as_ref(), "{field}: {errors:?}");
    }
    let json = serde_json::to_string(errors).expect("problems encode");
    assert_eq!(&serde_json::from_str::<ValidationErrors>(&json).expect("problems decode"), errors, "{json}");
    expected.iter().all(|(_, problem)| problem.is_none())
}

fn codes<T: Copy>(all: impl Iterator<Item = T>, code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.map(code).collect()
}

fn check(form: Form) {
    let now = DateTime::from_timestamp(1_780_000_000, 0).expect("a fixed moment");
    let by = Authorship {
        id: RecordId::from_uuid(Uuid::from_u128(0xE1)),
        author_id: UserId::from_uuid(Uuid::from_u128(0xA1)),
        team_id: TeamId::from_uuid(Uuid::from_u128(7)),
        now,
    };

    // The time field, as `save_contact` reads it.
    let time_text = moment_text(&form.occurred_at);
    let occurred_at = match parse_local_input(&time_text) {
        Ok(None) => {
            assert!(time_text.trim().is_empty(), "{time_text:?} read as no time");
            None
        }
        Ok(Some(at)) => {
            assert_eq!(at.nanosecond(), 0, "{time_text:?} has no fractions");
            let shown = local_input(at);
            let minute = at.with_second(0).expect("second 0 exists");
            assert_eq!(parse_local_input(&shown), Ok(Some(minute)), "{time_text:?} → {at} shown as {shown:?}");
            Some(at)
        }
        Err(NotADateTime) => {
            let text = time_text.trim();
            for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] {
                if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(text, format) {
                    // Only a second 60 (no minute of Brussels time has one) and the far
                    // ends of the calendar, out of reach of a zone, may be refused.
                    let leap = naive.and_utc().timestamp_subsec_nanos() >= 1_000_000_000;
                    let edge = naive.date() < NaiveDate::MIN + Duration::days(2)
                        || naive.date() > NaiveDate::MAX - Duration::days(2);
                    assert!(leap || edge, "{text:?} is a moment yet refused");
                }
            }
            None
        }
    };

    let contact = ContactDraft {
        neighbourhood_id: id_text(&form.neighbourhood_id),
        occurred_at,
        mobility: code_text(&form.mobility, &codes(Mobility::all(), Mobility::code)),
        kind: code_text(&form.kind, &codes(ContactKind::all(), ContactKind::code)),
        reason: code_text(&form.reason, &codes(ContactReason::all(), ContactReason::code)),
        outcome: code_text(&form.outcome, &codes(ContactOutcome::all(), ContactOutcome::code)),
        lat: form.lat,
        lon: form.lon,
        accuracy_m: form.accuracy_m,
        street: form.street.clone(),
        note: form.note.clone(),
    };
    let expected = [
        ("neighbourhood_id", id_problem(&contact.neighbourhood_id)),
        ("occurred_at", moment_problem(contact.occurred_at, now)),
        ("mobility", code_problem(&contact.mobility, &codes(Mobility::all(), Mobility::code))),
        ("kind", code_problem(&contact.kind, &codes(ContactKind::all(), ContactKind::code))),
        ("reason", code_problem(&contact.reason, &codes(ContactReason::all(), ContactReason::code))),
        ("outcome", code_problem(&contact.outcome, &codes(ContactOutcome::all(), ContactOutcome::code))),
        ("street", text_problem(contact.street.as_deref(), STREET_MAX_CHARS)),
        ("note", text_problem(contact.note.as_deref(), NOTE_MAX_CHARS)),
    ];
    let place_given = form.lat.is_some() || form.lon.is_some() || form.accuracy_m.is_some();
    match contact.validate(by) {
        Ok(saved) => {
            assert!(check_answer(&ValidationErrors::default(), &expected, place_given), "accepted: {contact:?}");
            assert_eq!(saved.id, by.id);
            assert_eq!(Some(saved.neighbourhood_id.uuid()), Uuid::parse_str(contact.neighbourhood_id.trim()).ok());
            assert_eq!(saved.occurred_at, contact.occurred_at.unwrap_or(now));
            assert_eq!(saved.mobility.code(), contact.mobility.trim());
            assert_eq!(saved.kind.code(), contact.kind.trim());
            assert_eq!(saved.reason.code(), contact.reason.trim());
            assert_eq!(saved.outcome.code(), contact.outcome.trim());
            assert_eq!(saved.note, trimmed(contact.note.as_deref()));
            assert_eq!(saved.location.street, trimmed(contact.street.as_deref()));
            if let (Some(lat), Some(lon)) = (form.lat, form.lon) {
                assert_eq!(saved.location.point, GeoPoint::new(lat, lon));
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason");
            let clean = check_answer(&errors, &expected, place_given);
            assert!(!clean || errors.errors.iter().all(|e| PLACE_FIELDS.contains(&e.field.as_str())));
        }
    }

    let signal = SignalDraft {
        neighbourhood_id: contact.neighbourhood_id.clone(),
        occurred_at: form.signal_minutes_ago.map(|m| now - Duration::minutes(i64::from(m))),
        category: code_text(&form.category, &codes(SignalCategory::all(), SignalCategory::code)),
        urgency: code_text(&form.urgency, &codes(Urgency::all(), Urgency::code)),
        description: form.description.clone(),
        lat: form.lat,
        lon: form.lon,
        accuracy_m: form.accuracy_m,
        street: form.street.clone().filter(|s| !s.trim().is_empty()),
        photo_id: form.photo_id.map(|id| PhotoId::from_uuid(Uuid::from_u128(id))),
        duplicate_of: form.duplicate_of.map(|id| RecordId::from_uuid(Uuid::from_u128(id))),
    };
    let description_problem = match signal.description.trim() {
        "" => Some(Problem::Required),
        _ => text_problem(Some(&signal.description), DESCRIPTION_MAX_CHARS),
    };
    let expected = [
        ("neighbourhood_id", id_problem(&signal.neighbourhood_id)),
        ("occurred_at", moment_problem(signal.occurred_at, now)),
        ("category", code_problem(&signal.category, &codes(SignalCategory::all(), SignalCategory::code))),
        ("urgency", code_problem(&signal.urgency, &codes(Urgency::all(), Urgency::code))),
        ("description", description_problem),
        ("street", text_problem(signal.street.as_deref(), STREET_MAX_CHARS)),
        // The draft's own rules never judge the link: which signal it may name (not
        // itself, not one the author may not read) is `check_link`'s, against the store.
        ("duplicate_of", None),
    ];
    match signal.validate(by, None) {
        Ok(saved) => {
            assert!(check_answer(&ValidationErrors::default(), &expected, place_given), "accepted: {signal:?}");
            assert_eq!(saved.status, SignalStatus::Open, "a new signal starts open");
            assert_eq!(saved.category.code(), signal.category.trim());
            assert_eq!(saved.urgency.code(), signal.urgency.trim());
            assert_eq!(saved.description, signal.description.trim());
            assert_eq!(saved.photo.map(|p| (p.id, p.complete)), signal.photo_id.map(|id| (id, false)));
            assert_eq!(saved.duplicate_of, signal.duplicate_of);
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason");
            let clean = check_answer(&errors, &expected, place_given);
            assert!(!clean || errors.errors.iter().all(|e| PLACE_FIELDS.contains(&e.field.as_str())));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(form) = Form::arbitrary_take_rest(Unstructured::new(data)) {
        check(form);
    }
});
