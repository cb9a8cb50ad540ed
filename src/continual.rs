//! Counting under continual observation: the binary (tree) mechanism of Dwork, Naor,
//! Pitassi and Rothblum (STOC 2010) and Chan, Shi and Song (ACM TISSEC 2011).
//!
//! Live totals are released again and again as responses arrive; noising each release
//! afresh would spend the privacy budget once per release, and a watcher averaging them
//! would learn the exact count. The tree mechanism noises, once, the sum of each dyadic
//! block of time steps (a *node*: steps 1–1, 1–2, 3–3, 1–4, …) and releases the count at
//! step t as the sum of the ≤ log₂ t + 1 noised blocks that make up 1..=t. One response
//! arriving at one step is in one node per level of the tree, so over a horizon of T
//! steps it changes [`levels`]\(T) node sums: noise of scale levels·Δ/ε on every node gives
//! ε-differential privacy for the whole stream of releases, however often it is read,
//! where Δ is how many counts one response can change. Everything here is arithmetic on
//! what the caller supplies: the exact node sums and each node's noise, drawn once and
//! kept (see [`crate::noise`]).

/// A block of `2^level` time steps: steps `index·2^level + 1` to `(index + 1)·2^level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Node {
    pub level: u32,
    pub index: u64,
}

impl Node {
    /// The first and last step it covers (1-based, inclusive).
    pub fn steps(self) -> (u64, u64) {
        let width = 1u64 << self.level;
        (self.index * width + 1, (self.index + 1) * width)
    }

    /// The node at `level` holding step `step` (1-based).
    pub fn holding(step: u64, level: u32) -> Node {
        Node { level, index: (step - 1) >> level }
    }
}

/// The nodes whose steps make up `1..=t`, the largest first: one per set bit of `t`.
pub fn prefix_nodes(t: u64) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut covered = 0u64;
    for level in (0..64u32).rev() {
        if t & (1u64 << level) != 0 {
            nodes.push(Node { level, index: covered >> level });
            covered += 1u64 << level;
        }
    }
    nodes
}

/// How many node sums one step's contribution changes over a horizon of `horizon` steps
/// (⌊log₂ horizon⌋ + 1): the factor by which each node's noise must be wider.
pub fn levels(horizon: u64) -> u32 {
    64 - horizon.max(1).leading_zeros()
}

/// The noise scale for every node, as the integers `(t, s)` of
/// [`crate::noise::discrete_laplace`]'s scale t/s: levels·Δ/ε for a budget
/// ε = `epsilon_num`/`epsilon_den` over `horizon` steps, where one response changes at
/// most `touched` counts by one each.
pub fn node_scale(epsilon_num: u64, epsilon_den: u64, horizon: u64, touched: u64) -> (u64, u64) {
    assert!(epsilon_num >= 1 && epsilon_den >= 1 && touched >= 1, "a budget above zero, and a response counts somewhere");
    (u64::from(levels(horizon)) * touched * epsilon_den, epsilon_num)
}

/// The released count at step `t`: the sum over [`prefix_nodes`]`(t)` of each node's exact
/// sum and its noise. With the same noise, the same release, wherever it is worked out.
pub fn release(t: u64, mut exact: impl FnMut(Node) -> i64, mut noise: impl FnMut(Node) -> i64) -> i64 {
    prefix_nodes(t).into_iter().map(|node| exact(node) + noise(node)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::noise::{discrete_laplace, SplitMix};

    #[test]
    fn the_nodes_of_a_prefix_cover_each_step_once() {
        for t in 0..=1_100u64 {
            let mut covered: Vec<u64> = prefix_nodes(t).into_iter().flat_map(|n| n.steps().0..=n.steps().1).collect();
            covered.sort_unstable();
            assert_eq!(covered, (1..=t).collect::<Vec<_>>(), "t = {t}");
            assert_eq!(prefix_nodes(t).len(), t.count_ones() as usize);
        }
    }

    #[test]
    fn one_step_is_in_at_most_levels_nodes_over_the_horizon() {
        for horizon in [1u64, 2, 3, 8, 100, 1_000] {
            for step in 1..=horizon {
                let mut holding: Vec<Node> = (step..=horizon).flat_map(prefix_nodes).filter(|n| (n.steps().0..=n.steps().1).contains(&step)).collect();
                holding.sort_unstable();
                holding.dedup();
                assert!(holding.len() <= levels(horizon) as usize, "horizon {horizon}, step {step}: {holding:?}");
                assert!(holding.iter().all(|n| *n == Node::holding(step, n.level)));
            }
        }
        assert_eq!((levels(1), levels(2), levels(3), levels(4), levels(1_000)), (1, 2, 2, 3, 10));
    }

    #[test]
    fn without_noise_a_release_is_the_exact_count_and_with_it_the_error_stays_small() {
        let arrivals: Vec<i64> = (1..=512).map(|i| i64::from(i % 3 == 0)).collect();
        let exact = |node: Node| {
            let (first, last) = node.steps();
            arrivals[(first - 1) as usize..last as usize].iter().sum::<i64>()
        };
        for t in 1..=512u64 {
            assert_eq!(release(t, exact, |_| 0), arrivals[..t as usize].iter().sum::<i64>());
        }
        // Each node's noise drawn once from its own kept seed: every reading agrees.
        let (scale_t, scale_s) = node_scale(1, 1, 512, 1);
        assert_eq!((scale_t, scale_s), (10, 1), "10 levels over 512 steps, ε = 1");
        let noise = |node: Node| discrete_laplace(&mut SplitMix(u64::from(node.level) << 40 | node.index), scale_t, scale_s);
        let first: Vec<i64> = (1..=512).map(|t| release(t, exact, noise)).collect();
        let again: Vec<i64> = (1..=512).map(|t| release(t, exact, noise)).collect();
        assert_eq!(first, again);
        let mean_error = first.iter().enumerate().map(|(i, r)| (r - arrivals[..=i].iter().sum::<i64>()).abs() as f64).sum::<f64>() / 512.0;
        // At most 10 nodes of scale 10: the error grows with log t, not with t.
        assert!(mean_error < 60.0, "mean absolute error {mean_error}");
    }

    /// The padding attack on an open survey: an attacker answers four times (so knows
    /// every other answer), then one genuine respondent answers yes or no, and the attacker
    /// reads every release over the whole horizon and guesses which, by the most powerful
    /// test there is (the likelihood ratio of the noised node sums that hold the genuine
    /// answer, which all the releases together reveal). ε-differential privacy bounds any
    /// guess's success at e^ε / (1 + e^ε) when yes and no are equally likely.
    #[test]
    fn the_padding_attack_succeeds_no_more_often_than_epsilon_allows() {
        const TRIALS: u64 = 20_000;
        const HORIZON: u64 = 64;
        const TARGET_STEP: u64 = 5;
        let (t, s) = node_scale(1, 1, HORIZON, 1);
        let attack = |noised: bool| {
            let mut right = 0u64;
            for trial in 0..TRIALS {
                let mut coins = SplitMix(trial.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED);
                let genuine = i64::from(crate::noise::bernoulli(&mut coins, 1, 2));
                // The attacker's four answers (steps 1–4) are "no"; only the target's counts.
                let exact = |node: Node| {
                    let (first, last) = node.steps();
                    if (first..=last).contains(&TARGET_STEP) {
                        genuine
                    } else {
                        0
                    }
                };
                // Every node any release up to the horizon uses, noised once.
                let mut nodes: Vec<Node> = (1..=HORIZON).flat_map(prefix_nodes).collect();
                nodes.sort_unstable();
                nodes.dedup();
                let seen: Vec<(Node, i64)> =
                    nodes.into_iter().map(|node| (node, exact(node) + if noised { discrete_laplace(&mut coins, t, s) } else { 0 })).collect();
                // Log-likelihood ratio of "yes" over "no", in units of s/t.
                let evidence: i64 =
                    seen.iter().filter(|(node, _)| (node.steps().0..=node.steps().1).contains(&TARGET_STEP)).map(|(_, x)| x.abs() - (x - 1).abs()).sum();
                let guess = match evidence.cmp(&0) {
                    std::cmp::Ordering::Greater => 1,
                    std::cmp::Ordering::Less => 0,
                    std::cmp::Ordering::Equal => i64::from(crate::noise::bernoulli(&mut coins, 1, 2)),
                };
                right += u64::from(guess == genuine);
            }
            right as f64 / TRIALS as f64
        };
        assert_eq!(attack(false), 1.0, "without noise the attack always works: the test can see it");
        let success = attack(true);
        let bound = 1f64.exp() / (1.0 + 1f64.exp());
        let margin = 3.0 * (bound * (1.0 - bound) / TRIALS as f64).sqrt();
        assert!(success <= bound + margin, "the attacker guessed right {success:.4} of the time; ε = 1 allows {bound:.4}");
        assert!(success > 0.53, "the attack is a real one ({success:.4}), not a coin toss");
    }
}
