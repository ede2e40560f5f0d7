//! The order in which views apply events: [`Version`].

use std::fmt;

/// The position of an event in the order views apply events in.
///
/// Versions compare by the time of the change (`timestamp`, epoch milliseconds), then by the
/// event's position among the events that one change produced (`sequence`: a stream record
/// that matches two `publishes` rules yields sequence 0 and 1, which therefore both apply),
/// then by a hash of the event id (`tiebreak`), so that two different events of the same
/// millisecond are ordered the same way everywhere. A redelivered event has the same id and
/// so the same version: it changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Epoch milliseconds of the change.
    pub timestamp: i64,
    /// The event's position among the events of its change, at most [`Version::MAX_SEQUENCE`].
    pub sequence: u32,
    /// 32-bit FNV-1a hash of the event id.
    pub tiebreak: u32,
}

impl Version {
    /// The largest sequence a version keeps; larger ones are clamped to it.
    pub const MAX_SEQUENCE: u32 = 999;

    /// The version of the event `id` at `timestamp`, the `sequence`-th event of its change.
    pub fn new(timestamp: i64, sequence: u32, id: &str) -> Self {
        Self {
            timestamp,
            sequence: sequence.min(Self::MAX_SEQUENCE),
            tiebreak: fnv1a(id.as_bytes()),
        }
    }

    /// The version as one integer with the same order: what the stores keep. It fits in 96
    /// bits, and DynamoDB numbers hold 38 digits.
    pub fn to_number(self) -> i128 {
        let position = (i128::from(self.sequence) << 32) | i128::from(self.tiebreak);
        ((i128::from(self.timestamp) * 1000) << 32) + position
    }

    /// The version of a number written by [`Version::to_number`].
    pub fn from_number(number: i128) -> Self {
        let low = number.rem_euclid(1000 << 32);
        let timestamp = (number - low) / (1000 << 32);
        Self {
            timestamp: i64::try_from(timestamp).unwrap_or(if timestamp < 0 {
                i64::MIN
            } else {
                i64::MAX
            }),
            sequence: u32::try_from(low >> 32).unwrap_or(Self::MAX_SEQUENCE),
            tiebreak: (low & 0xffff_ffff) as u32,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.timestamp, self.sequence)
    }
}

/// 32-bit FNV-1a: small, stable across platforms and languages.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_by_time_then_sequence_then_id() {
        let first = Version::new(5, 0, "a");
        assert!(first < Version::new(5, 1, "a"));
        assert!(Version::new(5, 1, "a") < Version::new(6, 0, "a"));
        assert_eq!(first, Version::new(5, 0, "a"));
        assert_ne!(first, Version::new(5, 0, "b"));
        assert_eq!(Version::new(1, 5000, "a").sequence, Version::MAX_SEQUENCE);
    }

    #[test]
    fn the_number_keeps_the_order_and_the_version() {
        let versions = [
            Version::new(i64::MIN, 0, ""),
            Version::new(-1_000, 999, "x"),
            Version::new(-1, 0, "y"),
            Version::new(0, 0, "z"),
            Version::new(1_773_480_413_000, 0, "e1"),
            Version::new(1_773_480_413_000, 1, "e1.1"),
            Version::new(i64::MAX, 999, "last"),
        ];
        for pair in versions.windows(2) {
            assert!(pair[0] < pair[1]);
            assert!(pair[0].to_number() < pair[1].to_number(), "{pair:?}");
        }
        for version in versions {
            assert_eq!(Version::from_number(version.to_number()), version);
        }
    }

    #[test]
    fn the_hash_is_fnv1a() {
        // Reference values of the FNV-1a specification.
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
    }
}
