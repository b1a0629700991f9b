//! The demo's randomness: the operating system's, or a reproducible ChaCha20 stream per
//! participant when `--seed` is given.

use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, OsRng, RngCore, SeedableRng};

/// Where the demo's randomness comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Entropy {
    /// The operating system's generator for everything.
    Os,
    /// ChaCha20 from a fixed seed: stream 0 for the authorities, one stream per
    /// representative, so a run repeats byte for byte whatever the thread scheduling.
    Seeded([u8; 32]),
}

impl Entropy {
    /// From the `--seed` option.
    pub(crate) fn new(seed: Option<u64>) -> Self {
        match seed {
            None => Entropy::Os,
            Some(seed) => {
                let mut bytes = [0u8; 32];
                let (head, _) = bytes.split_at_mut(8);
                head.copy_from_slice(&seed.to_le_bytes());
                Entropy::Seeded(bytes)
            }
        }
    }

    /// The generator of stream `stream` (0 is the authorities').
    pub(crate) fn stream(&self, stream: u64) -> DemoRng {
        match self {
            Entropy::Os => DemoRng::Os(OsRng),
            Entropy::Seeded(seed) => {
                let mut rng = ChaCha20Rng::from_seed(*seed);
                rng.set_stream(stream);
                DemoRng::Seeded(Box::new(rng))
            }
        }
    }
}

/// One participant's generator.
#[derive(Clone, Debug)]
pub(crate) enum DemoRng {
    /// The operating system's.
    Os(OsRng),
    /// A ChaCha20 stream.
    Seeded(Box<ChaCha20Rng>),
}

impl DemoRng {
    /// A number below `bound` (slightly biased for bounds far from a power of two, which
    /// is harmless for simulated votes).
    pub(crate) fn below(&mut self, bound: u32) -> u32 {
        if bound == 0 {
            return 0;
        }
        self.next_u32() % bound
    }
}

impl RngCore for DemoRng {
    fn next_u32(&mut self) -> u32 {
        match self {
            DemoRng::Os(r) => r.next_u32(),
            DemoRng::Seeded(r) => r.next_u32(),
        }
    }

    fn next_u64(&mut self) -> u64 {
        match self {
            DemoRng::Os(r) => r.next_u64(),
            DemoRng::Seeded(r) => r.next_u64(),
        }
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        match self {
            DemoRng::Os(r) => r.fill_bytes(dest),
            DemoRng::Seeded(r) => r.fill_bytes(dest),
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        match self {
            DemoRng::Os(r) => r.try_fill_bytes(dest),
            DemoRng::Seeded(r) => r.try_fill_bytes(dest),
        }
    }
}

impl CryptoRng for DemoRng {}
