import { type DependencyList, useLayoutEffect } from 'react'
import { react } from 'tldraw'

/**
 * Runs `effect` before the browser paints and again, synchronously, whenever a signal it read
 * changes, for as long as the component is mounted with the same `deps`. The effect writes the
 * DOM itself: per-frame values (the timeline's playhead) then cost a few DOM writes instead of
 * a React render of every shape on the board.
 */
export function useDomReactor(name: string, effect: () => void, deps: DependencyList): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what `effect` closes over
  useLayoutEffect(() => react(name, effect), deps)
}

/** Sets an attribute unless it already has that value (a write the browser may have to redo). */
export function setAttr(element: Element | null, name: string, value: string): void {
  if (element && element.getAttribute(name) !== value) element.setAttribute(name, value)
}

/**
 * Sets an element's text unless it already shows it. The element's one text node is changed in
 * place (replacing the node, as `textContent =` does, costs the browser a relayout of its box).
 */
export function setText(element: Element | null, text: string): void {
  if (!element) return
  const node = element.firstChild
  if (node && node.nodeType === Node.TEXT_NODE && node === element.lastChild) {
    if (node.nodeValue !== text) node.nodeValue = text
  } else {
    element.textContent = text
  }
}
