//! The Sobol low-discrepancy sequence (Sobol 1967) in base 2 with 32-bit integers, built
//! by the Gray-code construction of Antonov & Saleev (1979) from the direction numbers of
//! Joe & Kuo (2008) (see [`super::direction_numbers`]), with an optional random digital
//! shift.
//!
//! Construction, per dimension `j`: direction integers `v_k = m_k · 2^(32-k)` for
//! `k = 1..=s` (the `m_k` from the table) and, for `k > s`,
//! `v_k = v_(k-s) ⊕ (v_(k-s) >> s) ⊕ ⨁_(l=1..s-1) a_l · v_(k-l)` where `a_l` is bit
//! `s-1-l` of the table's `a`. Dimension 1 has `v_k = 2^(32-k)` (van der Corput). The
//! integer coordinate of point `i` is `x_i = ⨁_k g_k · v_k` with `g` the bits of the Gray
//! code `i ⊕ (i >> 1)`; walking the points in order, `x_(i+1) = x_i ⊕ v_(c+1)` where `c`
//! is the number of trailing one bits of `i` (the position of its lowest zero bit).
//! The point is `x_i / 2^32` in `[0, 1)`.
//!
//! Digital shift: every coordinate of dimension `j` is XOR-ed with one 32-bit word
//! `e_j`. A digital shift maps each elementary interval `[a/2^k, (a+1)/2^k)` onto another
//! one of the same size, so it keeps the (t, m, s)-net stratification of the sequence
//! (every block of `2^m` points starting at a multiple of `2^m` still puts exactly one
//! point in each dyadic box of volume `2^-m` that the unshifted net does) while making the
//! design depend on the seed.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use super::direction_numbers::{JOE_KUO, MAX_DIMS};

/// Bits per coordinate: the sequence has at most `2^BITS` distinct points.
const BITS: usize = 32;

/// Direction integers `v_1..v_32` for each of `dims` dimensions, row per dimension.
fn direction_integers(dims: usize) -> Vec<[u32; BITS]> {
    assert!(
        dims <= MAX_DIMS,
        "Sobol sequence supports at most {MAX_DIMS} dimensions, asked for {dims}"
    );
    let mut out = Vec::with_capacity(dims);
    for j in 0..dims {
        let mut v = [0u32; BITS];
        if j == 0 {
            for (k, vk) in v.iter_mut().enumerate() {
                *vk = 1u32 << (BITS - 1 - k);
            }
        } else {
            let (s, a, m) = JOE_KUO[j - 1];
            let s = s as usize;
            for k in 0..s.min(BITS) {
                // v[k] is v_(k+1) = m_(k+1) · 2^(32-(k+1)).
                v[k] = m[k] << (BITS - 1 - k);
            }
            for k in s..BITS {
                let mut x = v[k - s] ^ (v[k - s] >> s);
                for l in 1..s {
                    if (a >> (s - 1 - l)) & 1 == 1 {
                        x ^= v[k - l];
                    }
                }
                v[k] = x;
            }
        }
        out.push(v);
    }
    out
}

/// Integer coordinates (before scaling by `2^-32`) of points `skip..skip + n` of the
/// unshifted sequence, XOR-ed with `shift[j]` in dimension `j`, written row-major into a
/// vector of `n · dims` values scaled to `[0, 1)`.
fn generate(n: usize, dims: usize, skip: usize, shift: &[u32]) -> Vec<f64> {
    assert!(
        (skip as u128) + (n as u128) <= 1u128 << BITS,
        "Sobol sequence has only 2^{BITS} points"
    );
    let v = direction_integers(dims);
    let mut out = Vec::with_capacity(n * dims);
    if n == 0 || dims == 0 {
        return out;
    }
    // Start at point `skip`: x = XOR of the v_k selected by the bits of gray(skip).
    let gray = skip ^ (skip >> 1);
    let mut x: Vec<u32> = v
        .iter()
        .map(|vj| {
            (0..BITS)
                .filter(|&k| (gray >> k) & 1 == 1)
                .fold(0u32, |acc, k| acc ^ vj[k])
        })
        .collect();
    const SCALE: f64 = 1.0 / (1u64 << BITS) as f64;
    for i in skip..skip + n {
        out.extend(x.iter().zip(shift).map(|(&xj, &e)| (xj ^ e) as f64 * SCALE));
        // Move to point i + 1: flip by the direction integer of i's lowest zero bit.
        let c = (i.trailing_ones() as usize).min(BITS - 1);
        for (xj, vj) in x.iter_mut().zip(&v) {
            *xj ^= vj[c];
        }
    }
    out
}

/// The unshifted Sobol points `skip..skip + n` (row-major, `dims` per point). With
/// `skip = 0` the first point is the origin.
#[cfg(test)]
pub(crate) fn sobol_points_unshifted(n: usize, dims: usize, skip: usize) -> Vec<f64> {
    generate(n, dims, skip, &vec![0; dims])
}

/// The digital-shift words: one uniform 32-bit word per dimension, in dimension order,
/// from `ChaCha8Rng::seed_from_u64(seed)`.
fn shift_words(dims: usize, seed: u64) -> Vec<u32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..dims).map(|_| rng.random::<u32>()).collect()
}

/// Points of a Sobol low-discrepancy sequence in `[0,1)^dims` with a random digital shift,
/// row-major: coordinate `j` of point `i` is at `i * dims + j`.
///
/// The points are `0..n` of the sequence: nothing is skipped. The unshifted first point is
/// the origin, but after the digital shift (each coordinate of dimension `j` XOR-ed, as a
/// 32-bit binary fraction, with a word `e_j` drawn from `ChaCha8Rng::seed_from_u64(seed)`)
/// it is the random point `(e_1, …, e_dims) / 2^32`, so it is no special corner. Not
/// skipping keeps the balance properties: for `n` a power of two every dyadic interval of
/// length `1/n` in each dimension holds exactly one point (Owen 2022, "On dropping the
/// first Sobol' point", advises against skipping). Use [`sobol_points_skip`] to start
/// elsewhere.
///
/// Different seeds give different designs with the same uniformity. Direction numbers:
/// Joe & Kuo (2008), `new-joe-kuo-6.21201`; supports `dims <= ` [`MAX_DIMS`] (256).
///
/// # Panics
/// If `dims > MAX_DIMS` or `n > 2^32`.
pub fn sobol_points(n: usize, dims: usize, seed: u64) -> Vec<f64> {
    sobol_points_skip(n, dims, 0, seed)
}

/// As [`sobol_points`], but points `skip..skip + n` of the sequence (the same digital shift
/// for a given `seed`). Skipping a power of two keeps the balance of blocks of that size.
///
/// # Panics
/// If `dims > MAX_DIMS` or `skip + n > 2^32`.
pub fn sobol_points_skip(n: usize, dims: usize, skip: usize, seed: u64) -> Vec<f64> {
    generate(n, dims, skip, &shift_words(dims, seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values as 32-bit integers (exact: every coordinate is a multiple of 2^-32).
    fn as_int(x: f64) -> u64 {
        (x * (1u64 << 32) as f64) as u64
    }

    #[test]
    fn first_points_match_the_known_unshifted_sequence() {
        let p = sobol_points_unshifted(8, 3, 0);
        let expected: [[f64; 3]; 8] = [
            [0.0, 0.0, 0.0],
            [0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25],
            [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625],
            [0.875, 0.875, 0.125],
            [0.625, 0.125, 0.875],
            [0.125, 0.625, 0.375],
        ];
        for (i, row) in expected.iter().enumerate() {
            assert_eq!(&p[i * 3..i * 3 + 3], row, "point {i}");
        }
    }

    /// Reference integer coordinates from SciPy 1.17 `qmc.Sobol(256, scramble=False,
    /// bits=32)` (same Joe–Kuo table), for dimensions 1, 2, 3, 64, 128 and 256 at indices
    /// that exercise low and high bits of the direction integers.
    #[test]
    fn matches_reference_implementation_in_high_dimensions() {
        let dims = [0usize, 1, 2, 63, 127, 255];
        let cases: [(usize, [u64; 6]); 6] = [
            (1, [2147483648; 6]),
            (
                5,
                [
                    3758096384, 3758096384, 536870912, 2684354560, 536870912, 3758096384,
                ],
            ),
            (
                100,
                [
                    1778384896, 1107296256, 3321888768, 2785017856, 1979711488, 2449473536,
                ],
            ),
            (
                1023,
                [
                    4194304, 3233808384, 2629828608, 171966464, 3007315968, 3619684352,
                ],
            ),
            (
                123_456_789,
                [
                    4191448864, 3403469216, 27513184, 1087637792, 2879378656, 563653600,
                ],
            ),
            (
                4_000_000_000,
                [
                    4029081, 1592571143, 3353822765, 1332632889, 3435811143, 1567106179,
                ],
            ),
        ];
        for (index, expected) in cases {
            // Jump straight to the index (Gray-code start) ...
            let p = sobol_points_unshifted(1, MAX_DIMS, index);
            let got: Vec<u64> = dims.iter().map(|&j| as_int(p[j])).collect();
            assert_eq!(got, expected, "index {index}");
        }
        // ... and walking from 0 reaches the same point as jumping.
        let walked = sobol_points_unshifted(1024, MAX_DIMS, 0);
        let jumped = sobol_points_unshifted(1, MAX_DIMS, 1023);
        assert_eq!(&walked[1023 * MAX_DIMS..], &jumped[..]);
    }

    /// For n = 2^m points from index 0 and every k <= m, each of the 2^k equal bins of
    /// every dimension holds exactly n / 2^k points (the sequence is a (0, m, 1)-net in
    /// each coordinate), with and without the digital shift.
    #[test]
    fn stratification_holds_unshifted_and_shifted() {
        let m = 10;
        let n = 1usize << m;
        let dims = 64;
        for points in [
            sobol_points_unshifted(n, dims, 0),
            sobol_points(n, dims, 7),
            sobol_points(n, dims, 12345),
        ] {
            for j in 0..dims {
                for k in 0..=m {
                    let bins = 1usize << k;
                    let mut counts = vec![0usize; bins];
                    for i in 0..n {
                        let x = points[i * dims + j];
                        assert!((0.0..1.0).contains(&x));
                        counts[(x * bins as f64) as usize] += 1;
                    }
                    assert!(
                        counts.iter().all(|&c| c == n / bins),
                        "dim {j}, {bins} bins: {counts:?}"
                    );
                }
            }
        }
        // Also a block that starts at a multiple of its size.
        let block = sobol_points_skip(256, 8, 512, 3);
        for j in 0..8 {
            let mut counts = [0usize; 256];
            for i in 0..256 {
                counts[(block[i * 8 + j] * 256.0) as usize] += 1;
            }
            assert!(counts.iter().all(|&c| c == 1));
        }
    }

    /// Two-dimensional stratification: the first 2^m points of dimensions 1 and 2 form a
    /// (0, m, 2)-net, so every dyadic box of area 2^-m holds exactly one point; the shift
    /// keeps this.
    #[test]
    fn two_dimensional_net_property_of_first_two_dimensions() {
        let m = 8;
        let n = 1usize << m;
        for points in [sobol_points_unshifted(n, 2, 0), sobol_points(n, 2, 99)] {
            for k in 0..=m {
                let (bx, by) = (1usize << k, 1usize << (m - k));
                let mut counts = vec![0usize; n];
                for i in 0..n {
                    let cx = (points[2 * i] * bx as f64) as usize;
                    let cy = (points[2 * i + 1] * by as f64) as usize;
                    counts[cx * by + cy] += 1;
                }
                assert!(counts.iter().all(|&c| c == 1), "boxes {bx} x {by}");
            }
        }
    }

    #[test]
    fn seeds_change_the_design_deterministically() {
        let a = sobol_points(16, 5, 1);
        assert_eq!(a, sobol_points(16, 5, 1));
        assert_ne!(a, sobol_points(16, 5, 2));
        // Skipping is consistent with generating from the start under the same shift.
        let long = sobol_points(32, 5, 1);
        assert_eq!(&long[10 * 5..], &sobol_points_skip(22, 5, 10, 1)[..]);
    }
}
