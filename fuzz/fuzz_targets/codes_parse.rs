//! The small text parsers every request goes through: the code lists (forms read them
//! with `from_code`, the JSON API and the sync protocol with serde), a conflict's
//! resolution, the pull cursor and page size, and a photo's declaration.
//!
//! Properties: a code parses exactly when it is one of its list's codes, the form and
//! the JSON readings agree, and a parsed code writes back as the same text
//! (`code`, `Display`, `AsRef`, serde); a cursor the server accepts names a storable
//! position and reads back from the cursor the server writes for it; a page size is
//! 1 to the maximum; an accepted photo declaration is in its one stored form.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use domain::photo::{is_sha256_hex, DeclarationError, PhotoDeclaration, ACCEPTED_CONTENT_TYPES, MAX_PHOTO_BYTES};
use domain::sync::conflicts::ResolutionChoice;
use domain::sync::pull::{cursor_at, cursor_position, pull_limit, MAX_PULL_LIMIT};
use domain::{
    ContactKind, ContactOutcome, ContactReason, Mobility, PartnerKind, RecordId, Role, SignalCategory, SignalStatus,
    Urgency,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use uuid::Uuid;

#[derive(Debug, Arbitrary)]
struct Input {
    raw: String,
    number: u64,
    limit: Option<u32>,
    size: u64,
    sha256: String,
}

/// Every code list: `from_code`, serde and the writers agree on `raw`.
macro_rules! check_codes {
    ($raw:expr, $($list:ty),+) => {$(
        let parsed = <$list>::from_code($raw);
        let via_json = serde_json::from_value::<$list>(Value::String($raw.to_owned())).ok();
        assert_eq!(parsed, via_json, "{} reads {:?} one way in forms and another in JSON", stringify!($list), $raw);
        assert_eq!(parsed.is_some(), <$list>::all().any(|c| c.code() == $raw), "{:?} as {}", $raw, stringify!($list));
        if let Some(code) = parsed {
            assert_eq!(code.code(), $raw);
            assert_eq!(code.to_string(), $raw);
            assert_eq!(code.as_ref(), $raw);
            assert_eq!(serde_json::to_value(code).ok(), Some(Value::String($raw.to_owned())));
        }
    )+};
}

fn check(input: Input) {
    let raw = input.raw.as_str();
    check_codes!(
        raw,
        Role,
        PartnerKind,
        Mobility,
        ContactKind,
        ContactReason,
        ContactOutcome,
        SignalCategory,
        Urgency,
        SignalStatus
    );

    let choice = ResolutionChoice::from_code(raw);
    let via_json = serde_json::from_value::<ResolutionChoice>(Value::String(raw.to_owned())).ok();
    assert_eq!(choice, via_json, "a resolution reads one way in forms and another in JSON");
    if let Some(choice) = choice {
        assert_eq!(choice.code(), raw);
        assert_eq!(serde_json::to_value(choice).ok(), Some(Value::String(raw.to_owned())));
    }

    match cursor_position(Some(raw)) {
        Ok(position) => {
            assert!(i64::try_from(position).is_ok(), "a cursor past what the stores hold: {raw:?}");
            assert_eq!(cursor_position(Some(&cursor_at(position))), Ok(position));
            assert!(raw.trim().is_empty() || raw.trim().starts_with("c1."), "{raw:?} read as {position}");
        }
        Err(bad) => {
            assert!(!raw.trim().is_empty(), "an empty cursor is the beginning");
            assert!(bad.0.chars().count() <= 40, "the refusal echoes a bounded part of the cursor");
        }
    }
    let written = cursor_position(Some(&cursor_at(input.number)));
    assert_eq!(written.is_ok(), i64::try_from(input.number).is_ok());
    if let Ok(position) = written {
        assert_eq!(position, input.number);
    }

    match pull_limit(input.limit) {
        Ok(limit) => assert!((1..=MAX_PULL_LIMIT).contains(&limit) && input.limit.is_none_or(|asked| asked == limit)),
        Err(asked) => assert!(input.limit == Some(asked) && !(1..=MAX_PULL_LIMIT).contains(&asked)),
    }

    assert_eq!(
        is_sha256_hex(&input.sha256),
        input.sha256.len() == 64 && input.sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    let declaration = PhotoDeclaration {
        signal_id: RecordId::from_uuid(Uuid::nil()),
        content_type: raw.to_owned(),
        size: input.size,
        sha256: input.sha256.clone(),
    };
    match declaration.check() {
        Ok(checked) => {
            assert!(ACCEPTED_CONTENT_TYPES.contains(&checked.content_type.as_str()));
            assert!((1..=MAX_PHOTO_BYTES).contains(&checked.size));
            assert!(is_sha256_hex(&checked.sha256));
            assert_eq!(checked.sha256, input.sha256.trim().to_ascii_lowercase());
        }
        Err(DeclarationError::TooLarge { size, max }) => assert!(size == input.size && size > max),
        Err(DeclarationError::UnsupportedType(echo)) => assert_eq!(echo, raw),
        Err(DeclarationError::Invalid(errors)) => assert!(!errors.is_empty()),
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) {
        check(input);
    }
});
