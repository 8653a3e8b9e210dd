//! The short code of an appointment: read out over the phone, typed by a person at the
//! desk or by a youth worker booking on someone's behalf. Its letters and digits are
//! chosen so that none can be heard or read as another (no 0/O, 1/I/L, 2/Z, 5/S, 8/B),
//! and it is written in two groups of three ("KX7-M4P"), as people read codes aloud.

use std::fmt;

/// The characters a code is made of: 24 that no one confuses.
const ALPHABET: &[u8; 24] = b"ACDEFGHJKMNPQRTUVWXY3469";

/// Characters in a code: 24⁶ ≈ 191 million codes, against at most a few thousand
/// appointments open at a time, so a guessed code hits one in tens of thousands of
/// tries (and the booking pages are rate-limited).
pub const CODE_LEN: usize = 6;

/// A booking code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BookingCode([u8; CODE_LEN]);

impl BookingCode {
    /// A new code from a source of random numbers (the service's secure generator; a
    /// seeded one in tests). Each draw is reduced without bias.
    pub fn generate(mut random: impl FnMut() -> u32) -> Self {
        let mut code = [0u8; CODE_LEN];
        for c in &mut code {
            // Draws at or above the largest multiple of 24 are thrown away, so every
            // character is equally likely.
            let limit = u32::MAX - u32::MAX % ALPHABET.len() as u32;
            let draw = loop {
                let r = random();
                if r < limit {
                    break r;
                }
            };
            *c = ALPHABET[(draw % ALPHABET.len() as u32) as usize];
        }
        Self(code)
    }

    /// Reads a code as a person types or says it: any case, with or without the dash
    /// or spaces. A character outside the alphabet (an O for a 0, say) makes it no code.
    pub fn parse(text: &str) -> Option<Self> {
        let mut code = [0u8; CODE_LEN];
        let mut n = 0;
        for ch in text.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{a0}')) {
            let upper = ch.to_ascii_uppercase();
            if n == CODE_LEN || !upper.is_ascii() || !ALPHABET.contains(&(upper as u8)) {
                return None;
            }
            code[n] = upper as u8;
            n += 1;
        }
        (n == CODE_LEN).then_some(Self(code))
    }
}

impl fmt::Display for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: String = self.0.iter().map(|&b| b as char).collect();
        write!(f, "{}-{}", &text[..3], &text[3..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator for the tests.
    fn counter(start: u32) -> impl FnMut() -> u32 {
        let mut state = start;
        move || {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            state
        }
    }

    #[test]
    fn no_character_looks_or_sounds_like_another() {
        for confusable in "0O1IL2Z5S8B".chars() {
            assert!(!ALPHABET.contains(&(confusable as u8)), "{confusable}");
        }
        let mut seen = ALPHABET.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), ALPHABET.len(), "no character twice");
    }

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let code = BookingCode::generate(counter(7));
        let shown = code.to_string();
        assert_eq!(shown.len(), 7);
        assert_eq!(&shown[3..4], "-");
        assert_eq!(BookingCode::parse(&shown), Some(code));
        assert_eq!(BookingCode::parse(&shown.to_lowercase().replace('-', " ")), Some(code));
        assert_eq!(BookingCode::parse(&shown.replace('-', "")), Some(code));
    }

    #[test]
    fn what_is_not_a_code_is_refused() {
        assert_eq!(BookingCode::parse("KX7-M4"), None, "too short");
        assert_eq!(BookingCode::parse("KX7-M4PP"), None, "too long");
        assert_eq!(BookingCode::parse("KX0-M4P"), None, "a zero is not in the alphabet");
        assert_eq!(BookingCode::parse("KXÉ-M4P"), None);
        assert_eq!(BookingCode::parse(""), None);
    }

    #[test]
    fn every_character_is_used_about_equally() {
        let mut random = counter(1);
        let mut counts = [0usize; 24];
        for _ in 0..4_000 {
            for b in BookingCode::generate(&mut random).0 {
                counts[ALPHABET.iter().position(|&a| a == b).unwrap()] += 1;
            }
        }
        // 24,000 characters: 1,000 expected each; a biased reduction would be far off.
        assert!(counts.iter().all(|&n| (850..1150).contains(&n)), "{counts:?}");
    }

    #[test]
    fn draws_above_the_last_whole_alphabet_are_thrown_away() {
        let mut draws = [u32::MAX, u32::MAX - 1, 0, 1, 2, 3, 4, 5].into_iter();
        let code = BookingCode::generate(|| draws.next().unwrap_or(0));
        assert_eq!(code.to_string(), "ACD-EFG");
    }
}
