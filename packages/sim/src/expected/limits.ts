/**
 * The largest number of joint holding states (including the transient old/new pairs of a
 * sweep) the expected engine will carry. Beyond it `simulate` throws a `SimulationError` with
 * code `TOO_MANY_STATES` that suggests the agents engine.
 */
export const MAX_EXPECTED_STATES = 400_000

/**
 * Probability mass (as a fraction of the population) below which a joint state is pruned:
 * the expected engine skips it for the rest of the step, so at most
 * `PRUNE_EPSILON × states × steps` of the population is lost over a run.
 */
export const PRUNE_EPSILON = 1e-15
