//! Exact noise for differentially private counts: the discrete Laplace distribution,
//! sampled with integer arithmetic only (Canonne, Kamath and Steinke, "The Discrete
//! Gaussian for Differential Privacy", NeurIPS 2020, Algorithms 1 and 2; the samplers
//! OpenDP uses). A floating-point sampler leaks through the gaps between the doubles it
//! can return (Mironov 2012); this one draws only uniform integers, so each value has
//! exactly the probability the proof assumes.
//!
//! The core has no I/O and no randomness of its own: the caller supplies [`Coins`]. The
//! server's are a keyed stream, so the noise of a release can be drawn again from its
//! kept seed and every instance shows the same figures.

/// A source of uniformly random 64-bit words.
pub trait Coins {
    fn next_u64(&mut self) -> u64;

    /// A uniform integer in `0..n` (`n` ≥ 1), by rejection: no modulo bias.
    fn below(&mut self, n: u128) -> u128 {
        debug_assert!(n >= 1);
        if n <= 1 {
            return 0;
        }
        // Draws below the largest multiple of n that fits are uniform modulo n; the rest
        // are drawn again.
        if n <= u128::from(u64::MAX) {
            let n = n as u64;
            let bound = (u64::MAX / n) * n;
            loop {
                let x = self.next_u64();
                if x < bound {
                    return u128::from(x % n);
                }
            }
        }
        let bound = (u128::MAX / n) * n;
        loop {
            let x = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
            if x < bound {
                return x % n;
            }
        }
    }
}

/// True with probability `num / den` exactly (`num` ≤ `den`, `den` ≥ 1).
pub fn bernoulli(coins: &mut impl Coins, num: u128, den: u128) -> bool {
    coins.below(den) < num
}

/// True with probability exp(−`num`/`den`) exactly (Algorithm 1).
pub fn bernoulli_exp(coins: &mut impl Coins, num: u64, den: u64) -> bool {
    bernoulli_exp_wide(coins, u128::from(num), u128::from(den))
}

/// [`bernoulli_exp`] for the wider fractions the discrete Gaussian needs.
fn bernoulli_exp_wide(coins: &mut impl Coins, num: u128, den: u128) -> bool {
    let whole = num / den;
    let mut i = 0u128;
    while i < whole {
        if !bernoulli_exp_at_most_one(coins, 1, 1) {
            return false;
        }
        i += 1;
    }
    bernoulli_exp_at_most_one(coins, num % den, den)
}

/// exp(−γ) for γ = `num`/`den` in [0, 1]: the parity of the first K with
/// Bernoulli(γ/K) false.
fn bernoulli_exp_at_most_one(coins: &mut impl Coins, num: u128, den: u128) -> bool {
    let mut k: u128 = 1;
    // den·K past u128 would mean a probability below 2^-60 at K ≥ 2^16: stop there.
    while den.checked_mul(k).is_some_and(|d| bernoulli(coins, num, d)) {
        k += 1;
    }
    k % 2 == 1
}

/// One draw from the discrete Laplace distribution of scale `t`/`s` (integers ≥ 1): the
/// integer x with probability proportional to exp(−|x|·s/t) (Algorithm 2). Added to a
/// count whose one contribution changes it by at most Δ, scale Δ/ε gives ε-differential
/// privacy.
pub fn discrete_laplace(coins: &mut impl Coins, t: u64, s: u64) -> i64 {
    assert!(t >= 1 && s >= 1, "the scale t/s needs t, s ≥ 1");
    loop {
        let u = coins.below(u128::from(t)) as u64;
        if !bernoulli_exp(coins, u, t) {
            continue;
        }
        let mut v: u64 = 0;
        while bernoulli_exp(coins, 1, 1) {
            v += 1;
        }
        let x = u128::from(u) + u128::from(t) * u128::from(v);
        let y = (x / u128::from(s)).min(i64::MAX as u128) as i64;
        let negative = bernoulli(coins, 1, 2);
        if negative && y == 0 {
            continue;
        }
        return if negative { -y } else { y };
    }
}

/// One draw from the discrete Gaussian of variance σ² = `num`/`den` (Algorithm 3): the
/// integer x with probability proportional to exp(−x²/2σ²), by rejection from a discrete
/// Laplace of scale ⌊σ⌋ + 1. Its privacy loss adds up by the square root over many counts
/// (zero-concentrated differential privacy), which is what a response touching dozens of
/// counts needs.
pub fn discrete_gaussian(coins: &mut impl Coins, num: u64, den: u64) -> i64 {
    assert!(num >= 1 && den >= 1, "a variance above zero");
    assert!(num < 1 << 48 && den < 1 << 16, "a variance written with a numerator below 2^48 and a denominator below 2^16");
    let (num, den) = (u128::from(num), u128::from(den));
    // t = ⌊σ⌋ + 1: the largest k with k²·den ≤ num, plus one.
    let mut t: u128 = 1;
    while (t * t) * den <= num {
        t += 1;
    }
    let t64 = u64::try_from(t).unwrap_or(u64::MAX);
    loop {
        let y = discrete_laplace(coins, t64, 1);
        // Accept with probability exp(−(|y| − σ²/t)² / 2σ²) = exp(−(|y|·t·den − num)² / (2·t²·num·den)).
        let gap = (i128::from(y).unsigned_abs() * t * den).abs_diff(num);
        if bernoulli_exp_wide(coins, gap * gap, 2 * t * t * num * den) {
            return y;
        }
    }
}

/// A small, fixed generator (SplitMix64) for tests and for checking a sampler against its
/// distribution; never for noise anyone relies on.
#[derive(Clone, Debug)]
pub struct SplitMix(pub u64);

impl Coins for SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRAWS: usize = 200_000;

    /// The largest gap between a draw's observed frequency and `p`, in standard errors.
    fn z(observed: usize, p: f64) -> f64 {
        let expected = p * DRAWS as f64;
        let sd = (DRAWS as f64 * p * (1.0 - p)).sqrt().max(1e-9);
        (observed as f64 - expected).abs() / sd
    }

    #[test]
    fn uniform_draws_below_any_bound_are_in_range_and_even() {
        let mut coins = SplitMix(7);
        let mut seen = [0usize; 6];
        for _ in 0..DRAWS {
            seen[coins.below(6) as usize] += 1;
        }
        for count in seen {
            assert!(z(count, 1.0 / 6.0) < 5.0, "{seen:?}");
        }
        let big = u128::from(u64::MAX) * 3;
        assert!((0..1000).all(|_| coins.below(big) < big));
        assert_eq!(coins.below(1), 0);
    }

    #[test]
    fn bernoulli_of_exp_has_the_probability_it_names() {
        let mut coins = SplitMix(11);
        for (num, den) in [(1u64, 2u64), (1, 1), (5, 2), (0, 3), (7, 3)] {
            let hits = (0..DRAWS).filter(|_| bernoulli_exp(&mut coins, num, den)).count();
            let p = (-(num as f64) / den as f64).exp();
            assert!(z(hits, p) < 5.0, "exp(-{num}/{den}) = {p}: {hits} of {DRAWS}");
        }
    }

    #[test]
    fn discrete_laplace_draws_follow_its_distribution() {
        for (t, s, seed) in [(1u64, 1u64, 1u64), (3, 1, 2), (5, 2, 3), (1, 2, 4)] {
            let mut coins = SplitMix(seed);
            let draws: Vec<i64> = (0..DRAWS).map(|_| discrete_laplace(&mut coins, t, s)).collect();
            let scale = t as f64 / s as f64;
            let q = (-1.0 / scale).exp();
            let pmf = |x: i64| (1.0 - q) / (1.0 + q) * q.powi(x.unsigned_abs() as i32);
            for x in -6..=6 {
                let observed = draws.iter().filter(|d| **d == x).count();
                assert!(z(observed, pmf(x)) < 5.0, "scale {scale}: P({x}) = {}, saw {observed} of {DRAWS}", pmf(x));
            }
            let mean = draws.iter().sum::<i64>() as f64 / DRAWS as f64;
            assert!(mean.abs() < 0.05 * scale.max(1.0), "centred on zero: {mean}");
            let variance = draws.iter().map(|d| (*d as f64).powi(2)).sum::<f64>() / DRAWS as f64;
            let expected = 2.0 * q / (1.0 - q).powi(2);
            assert!((variance - expected).abs() < 0.05 * expected, "variance {variance}, expected {expected}");
        }
    }

    #[test]
    fn discrete_gaussian_draws_follow_its_distribution() {
        for (num, den, seed) in [(1u64, 1u64, 21u64), (9, 1, 22), (5, 2, 23), (100, 1, 24)] {
            let mut coins = SplitMix(seed);
            let draws: Vec<i64> = (0..DRAWS).map(|_| discrete_gaussian(&mut coins, num, den)).collect();
            let variance = num as f64 / den as f64;
            let weight = |x: i64| (-((x * x) as f64) / (2.0 * variance)).exp();
            let total: f64 = (-2_000..=2_000).map(weight).sum();
            for x in -6..=6 {
                let observed = draws.iter().filter(|d| **d == x).count();
                assert!(z(observed, weight(x) / total) < 5.0, "σ² = {variance}: P({x}) = {}, saw {observed}", weight(x) / total);
            }
            let seen = draws.iter().map(|d| (*d as f64).powi(2)).sum::<f64>() / DRAWS as f64;
            let expected: f64 = (-2_000..=2_000i64).map(|x| (x * x) as f64 * weight(x)).sum::<f64>() / total;
            assert!((seen - expected).abs() < 0.03 * expected, "σ² = {variance}: variance {seen}, expected {expected}");
        }
    }

    #[test]
    fn the_same_coins_give_the_same_noise() {
        let a: Vec<i64> = {
            let mut c = SplitMix(99);
            (0..50).map(|_| discrete_laplace(&mut c, 4, 1)).collect()
        };
        let b: Vec<i64> = {
            let mut c = SplitMix(99);
            (0..50).map(|_| discrete_laplace(&mut c, 4, 1)).collect()
        };
        assert_eq!(a, b);
    }
}
