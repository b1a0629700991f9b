//! Point and scalar decoding: never panics; what decodes re-encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secret_ballot::wire;

fuzz_target!(|data: &[u8]| {
    if let Ok(point) = wire::point_canonical(data) {
        assert_eq!(point, data);
    }
    if let Ok(scalar) = wire::scalar_canonical(data) {
        assert_eq!(scalar, data);
    }
});
