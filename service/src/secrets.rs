//! Passwords (argon2id) and random tokens (sessions, devices, links), whose stored
//! form is a SHA-256 hash so a copy of the database hands out nothing usable.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::ServiceError;

/// Hashes a password into a PHC string with the argon2 crate's defaults: argon2id,
/// 19 MiB, 2 passes, 1 lane (OWASP's recommended minimum).
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("password hashing failed: {e}")))
}

/// An argon2id hash, with `hash_password`'s parameters, of a password no account has.
/// A log-in with nothing to check against — an unknown username, an account whose
/// password is not set yet — is checked against this instead, so it costs the same
/// argon2 work as a wrong password and its answer takes as long (issue 8, item 10:
/// 2 ms for an account without a password, 14–41 ms for an unknown name, 14–20 ms
/// for a wrong password told which accounts exist). A constant rather than a hash made
/// at first use, which made the first unknown name take a hash and a check.
const STAND_IN_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$sku0ota2IiPgkqH1mI3/qw$XgH9ZzBIXhj+lhv3aSYstWS4hOXmqeP8jqW/1lDQFk4";

/// True when `password` matches the PHC string. Whatever `phc` is — a hash, `None`
/// (no such account), or something that is not a hash (the mark of a password not
/// set yet) — exactly one argon2 verification runs, and only a real hash can match.
pub fn verify_password(password: &str, phc: Option<&str>) -> bool {
    match phc.and_then(|phc| PasswordHash::new(phc).ok()) {
        Some(hash) => argon2_verify(password, &hash),
        None => {
            // The same work for nothing: black_box keeps the compiler from skipping it.
            if let Ok(stand_in) = PasswordHash::new(STAND_IN_HASH) {
                std::hint::black_box(argon2_verify(password, &stand_in));
            }
            false
        }
    }
}

fn argon2_verify(password: &str, hash: &PasswordHash<'_>) -> bool {
    #[cfg(test)]
    tests::ARGON2_RUNS.with(|runs| runs.set(runs.get() + 1));
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// Hashing is deliberately slow (tens of ms); keep it off the async workers.
pub async fn verify_password_blocking(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, phc.as_deref())).await.unwrap_or(false)
}

pub async fn hash_password_blocking(password: String) -> Result<String, ServiceError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
}

/// 256 random bits as 64 hex characters.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// How many argon2 verifications this test thread ran (`verify_password` runs
        /// on the caller's thread).
        pub(super) static ARGON2_RUNS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    fn argon2_runs() -> usize {
        ARGON2_RUNS.with(|runs| runs.get())
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let phc = hash_password("wijkpost-demo").expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("wijkpost-demo", Some(&phc)));
        assert!(!verify_password("wijkpost-demO", Some(&phc)));
        assert!(!verify_password("wijkpost-demo", Some("not a hash")));
        assert!(!verify_password("wijkpost-demo", None));
    }

    /// Issue 8, item 10: an account without a password answered in 2 ms, because a
    /// hash that does not parse was never verified. Every failed log-in — no such
    /// account, no password set yet, a wrong password — now runs one verification.
    #[test]
    fn every_failed_log_in_costs_one_argon2_verification() {
        let phc = hash_password("wijkpost-demo").expect("hash");
        for (what, stored) in
            [("unknown user", None), ("no password yet", Some("!unset")), ("wrong password", Some(&*phc))]
        {
            let before = argon2_runs();
            assert!(!verify_password("geraden-wachtwoord", stored), "{what}");
            assert_eq!(argon2_runs() - before, 1, "{what}: one argon2 verification");
        }
    }

    #[test]
    fn the_stand_in_is_a_hash_like_every_other() {
        let stand_in = PasswordHash::new(STAND_IN_HASH).expect("a valid PHC string");
        let fresh_phc = hash_password("x").expect("hash");
        let fresh = PasswordHash::new(&fresh_phc).expect("hash");
        assert_eq!((stand_in.algorithm, stand_in.version), (fresh.algorithm, fresh.version));
        assert_eq!(stand_in.params, fresh.params, "the same cost as a real account's hash");
    }

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), a);
    }
}
