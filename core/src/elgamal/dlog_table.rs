//! Baby-step giant-step decoding of `m·G → m`.

use alloc::vec::Vec;

use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_POINT, RISTRETTO_BASEPOINT_TABLE};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;

use crate::error::Error;

/// The largest bound a [`DlogTable`] accepts: 2⁴⁸ − 1 (a table of 2²⁴ entries, 256 MiB).
pub const DLOG_MAX_LIMIT: u64 = (1 << 48) - 1;

/// Bytes one baby step takes in memory (an 8-byte key and a 4-byte index, padded).
const ENTRY_BYTES: usize = core::mem::size_of::<(u64, u32)>();

/// A baby-step giant-step table that decodes `m·G` for every `m` in `[0, max]`.
///
/// Implements `Dlog.Decode` (SPEC.md §5.5).
///
/// # Construction
/// With `n = ⌈√(max + 1)⌉` baby steps the table holds, for `j = 0, …, n − 1`, the first
/// 8 bytes of the encoding of `j·G` with `j`, sorted. To decode `T`, for
/// `i = 0, 1, …, ⌈(max + 1)/n⌉ − 1` it looks up `T − i·n·G`; a hit on `j` gives the
/// candidate `m = i·n + j`, accepted only if `m ≤ max` and `m·G = T` (so a collision of
/// the 8-byte keys can cost time, never a wrong answer).
///
/// # Memory and time
/// About `16·⌈√(max + 1)⌉` bytes ([`DlogTable::memory_bytes`]): 16 KiB for a bound of
/// 10⁶, 512 KiB for 10⁹. Building takes `n` point additions and compressions; a lookup
/// at most `⌈(max + 1)/n⌉` additions and compressions.
///
/// # Security
/// Lookups are **variable-time**: use them only on public values (decrypted totals).
#[derive(Clone)]
pub struct DlogTable {
    max: u64,
    baby_steps: u64,
    /// `(first 8 bytes of j·G as little-endian u64, j)`, sorted.
    entries: Vec<(u64, u32)>,
    /// `−n·G`.
    giant_step: RistrettoPoint,
}

impl core::fmt::Debug for DlogTable {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DlogTable")
            .field("max", &self.max)
            .field("baby_steps", &self.baby_steps)
            .finish_non_exhaustive()
    }
}

fn key_of(point: &RistrettoPoint) -> (u64, [u8; 32]) {
    let encoding = point.compress().to_bytes();
    let [b0, b1, b2, b3, b4, b5, b6, b7, ..] = encoding;
    (
        u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]),
        encoding,
    )
}

fn baby_steps_for(max: u64) -> u64 {
    // ⌈√(max + 1)⌉ by integer Newton-free search: isqrt then adjust.
    let count = max + 1;
    let mut n = count.isqrt();
    if n * n < count {
        n += 1;
    }
    n
}

impl DlogTable {
    /// Builds a table for values in `[0, max]`.
    ///
    /// # Errors
    /// [`Error::DlogBoundTooLarge`] if `max > DLOG_MAX_LIMIT`.
    pub fn new(max: u64) -> Result<Self, Error> {
        if max > DLOG_MAX_LIMIT {
            return Err(Error::DlogBoundTooLarge(max));
        }
        let baby_steps = baby_steps_for(max);
        let mut entries = Vec::with_capacity(usize::try_from(baby_steps).unwrap_or(0));
        let mut point = RistrettoPoint::identity();
        for j in 0..baby_steps {
            // j < 2^24 by DLOG_MAX_LIMIT, so the conversion cannot fail.
            let index = u32::try_from(j).map_err(|_| Error::DlogBoundTooLarge(max))?;
            entries.push((key_of(&point).0, index));
            point += RISTRETTO_BASEPOINT_POINT;
        }
        entries.sort_unstable();
        let giant_step = -(RISTRETTO_BASEPOINT_TABLE * &Scalar::from(baby_steps));
        Ok(DlogTable {
            max,
            baby_steps,
            entries,
            giant_step,
        })
    }

    /// The largest value this table decodes.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// Approximate heap memory of a table for `max` (see the type's docs).
    pub fn memory_bytes(max: u64) -> usize {
        usize::try_from(baby_steps_for(max.min(DLOG_MAX_LIMIT)))
            .unwrap_or(usize::MAX)
            .saturating_mul(ENTRY_BYTES)
    }

    /// Finds `m ≤ max` with `m·G = point`.
    ///
    /// # Errors
    /// [`Error::PlaintextOutOfRange`] if there is none.
    pub fn vartime_lookup(&self, point: &RistrettoPoint) -> Result<u64, Error> {
        let giant_steps = (self.max / self.baby_steps) + 1;
        let mut current = *point;
        for i in 0..giant_steps {
            let (key, encoding) = key_of(&current);
            let start = self.entries.partition_point(|(k, _)| *k < key);
            for &(k, j) in self.entries.get(start..).unwrap_or(&[]) {
                if k != key {
                    break;
                }
                let candidate = i * self.baby_steps + u64::from(j);
                let confirmed = (RISTRETTO_BASEPOINT_TABLE * &Scalar::from(u64::from(j)))
                    .compress()
                    .to_bytes()
                    == encoding;
                if confirmed && candidate <= self.max {
                    return Ok(candidate);
                }
            }
            current += self.giant_step;
        }
        Err(Error::PlaintextOutOfRange { max: self.max })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_edges_and_rejects_beyond_bound() {
        for max in [0u64, 1, 2, 3, 15, 16, 17, 99, 1000] {
            let table = DlogTable::new(max).unwrap();
            for m in [0, max / 2, max] {
                let point = RISTRETTO_BASEPOINT_TABLE * &Scalar::from(m);
                assert_eq!(table.vartime_lookup(&point), Ok(m), "max={max} m={m}");
            }
            let beyond = RISTRETTO_BASEPOINT_TABLE * &Scalar::from(max + 1);
            assert_eq!(
                table.vartime_lookup(&beyond),
                Err(Error::PlaintextOutOfRange { max })
            );
        }
    }

    #[test]
    fn rejects_negative_values_and_huge_bounds() {
        let table = DlogTable::new(100).unwrap();
        let minus_one = -RISTRETTO_BASEPOINT_POINT;
        assert!(table.vartime_lookup(&minus_one).is_err());
        assert_eq!(
            DlogTable::new(DLOG_MAX_LIMIT + 1).unwrap_err(),
            Error::DlogBoundTooLarge(DLOG_MAX_LIMIT + 1)
        );
        assert_eq!(DlogTable::memory_bytes(1_000_000), 1001 * 16);
    }
}
