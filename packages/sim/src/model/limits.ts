/**
 * The most steps (horizonDays / stepDays, rounded up) a model may ask for. A model beyond it is
 * rejected by {@link parseModel}: the result holds one entry per step, so the cap bounds memory.
 */
export const MAX_STEPS = 100_000

/** The largest absolute value accepted for `networkEffect` and `ecosystemPull` (they sit in an exponent). */
export const MAX_EXPONENT_WEIGHT = 50
