/** A chain-map shape left out of the model, and why. */
export interface BoardIssue {
  /** The shape left out. */
  shapeId: string
  /** Why, in words for the inspector, e.g. `product "Shop" has no company`. */
  message: string
}
