/**
 * One step of the discrete Bass diffusion: the expected number of adopters after `stepDays`
 * when each of the `reach - users` non-adopters adopts with probability 1 − e^(−(p + q·users/reach)·Δ).
 *
 * @param users - adopters at the start of the step
 * @param reach - people who could ever adopt (the market potential m)
 * @param p - innovation coefficient, per day
 * @param q - imitation coefficient, per day
 * @param stepDays - step length Δ in days
 * @returns adopters at the end of the step
 */
export function bassStep(
  users: number,
  reach: number,
  p: number,
  q: number,
  stepDays: number,
): number {
  if (reach <= 0) return 0
  const hazard = p + (q * users) / reach
  return users + -Math.expm1(-hazard * stepDays) * (reach - users)
}
