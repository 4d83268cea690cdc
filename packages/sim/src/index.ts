/**
 * `@chainmap/sim` — the ecosystem-chain market simulation.
 * @packageDocumentation
 */
export { bassStep } from './bass.js'
