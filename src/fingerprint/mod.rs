//! Stable hashes that identify a finding across runs: the fingerprint hash and GitHub's line
//! hash. Below both `lint`/`diagnostic` (which compute them) and `report/` (which prints them).

pub mod line_hash;

/// FNV-1a: stable across Rust versions and platforms, unlike `DefaultHasher`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
