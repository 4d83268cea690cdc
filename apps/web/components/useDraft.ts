import { useState } from 'react'

/** What {@link useDraft} returns. */
export interface Draft {
  /** What the field shows: the typed text while there is some, else the shared value. */
  readonly text: string
  /** Whether the person has typed since the field last settled. */
  readonly edited: boolean
  /** Records what the person typed. */
  readonly edit: (text: string) => void
  /** Drops the typed text: the field shows the shared value again. */
  readonly settle: () => void
}

/**
 * The text of a field that edits a shared value. It follows the value, a collaborator's edit
 * included, until the person types; then it holds what they typed until {@link Draft.settle}.
 * So a field that is only focused and left never writes an old value back over a newer one.
 */
export function useDraft(value: string): Draft {
  const [typed, setTyped] = useState<string | null>(null)
  return {
    text: typed ?? value,
    edited: typed !== null,
    edit: setTyped,
    settle: () => setTyped(null),
  }
}
