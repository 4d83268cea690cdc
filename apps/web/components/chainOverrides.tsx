import type { TLUiOverrides } from 'tldraw'
import type * as Y from 'yjs'
import { CHAIN_LINK, COMPANY, MARKET, PRODUCT } from '@/lib/shapes/chainShapeTypes'
import { CHART } from '@/lib/shapes/chartShapeType'

function letterIcon(letter: string) {
  return <div style={{ fontWeight: 800, fontSize: 14, lineHeight: 1 }}>{letter}</div>
}

const TOOLS = [
  { id: COMPANY, label: 'Company', kbd: 'shift+c', icon: 'C' },
  { id: MARKET, label: 'Market lane', kbd: 'shift+m', icon: 'M' },
  { id: PRODUCT, label: 'Product', kbd: 'shift+p', icon: 'P' },
  { id: CHAIN_LINK, label: 'Chain link', kbd: 'shift+l', icon: '→' },
  { id: CHART, label: 'Chart', kbd: 'shift+g', icon: 'Ch' },
] as const

/**
 * UI overrides: toolbar items for the chain-map tools, and undo/redo that revert only this
 * client's own changes (through the board's Yjs undo manager, never tldraw's local history).
 */
export function chainOverrides(undoManager: Y.UndoManager): TLUiOverrides {
  return {
    tools(editor, tools) {
      for (const tool of TOOLS) {
        tools[tool.id] = {
          id: tool.id,
          label: tool.label,
          kbd: tool.kbd,
          icon: letterIcon(tool.icon),
          onSelect: () => editor.setCurrentTool(tool.id),
        }
      }
      return tools
    },
    actions(editor, actions) {
      const undo = actions.undo
      const redo = actions.redo
      if (undo) {
        actions.undo = {
          ...undo,
          onSelect: () => {
            if (!editor.getIsReadonly()) undoManager.undo()
          },
        }
      }
      if (redo) {
        actions.redo = {
          ...redo,
          onSelect: () => {
            if (!editor.getIsReadonly()) undoManager.redo()
          },
        }
      }
      return actions
    },
  }
}
