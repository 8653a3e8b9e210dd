//! Password hashing with argon2id (the argon2 crate's default algorithm and parameters:
//! 19 MiB memory, 2 passes, 1 lane — OWASP's baseline).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Hashes a password into a PHC string (algorithm, parameters and salt included).
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// True when `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let phc = hash_password("wijkpost-demo").expect("hash");
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("wijkpost-demo", &phc));
        assert!(!verify_password("wijkpost-demO", &phc));
        assert!(!verify_password("wijkpost-demo", "not a hash"));
    }
}
