//! Rebuilds the store when a migration is added or changed: `sqlx::migrate!` embeds
//! the migrations folder at compile time, and cargo would not otherwise notice a new
//! file in it (an incremental build then runs without the new migration).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
