import { useMemo } from 'react'
import { type Editor, react, type TLComponents, Tldraw, useTldrawCurrentUser } from 'tldraw'
import { fillFromTemplate } from '@/lib/boards/fillFromTemplate'
import { registerChainSideEffects } from '@/lib/shapes/registerChainSideEffects'
import type { BoardSession } from '@/lib/sync/BoardSession'
import { PresenceBridge } from '@/lib/sync/PresenceBridge'
import { BoardPanels } from './BoardPanels'
import { BoardSessionContext } from './BoardSessionContext'
import { BoardSharePanel } from './BoardSharePanel'
import { ChainToolbar } from './ChainToolbar'
import { chainOverrides } from './chainOverrides'
import { chainBindingUtils, chainShapeUtils, chainTools } from './chainUtils'

const components: TLComponents = {
  Toolbar: ChainToolbar,
  SharePanel: BoardSharePanel,
  InFrontOfTheCanvas: BoardPanels,
}

/** Props of {@link BoardEditor}. */
export interface BoardEditorProps {
  session: BoardSession
  licenseKey: string | undefined
  template: string | undefined
}

/** The tldraw editor on an open board session, with the chain-map shapes, tools and panels. */
export function BoardEditor({ session, licenseKey, template }: BoardEditorProps) {
  const overrides = useMemo(() => chainOverrides(session.binding), [session])
  const local = session.options.user
  const user = useTldrawCurrentUser({
    userPreferences: { id: local.id, name: local.name, color: local.color },
  })
  const onMount = (editor: Editor) => {
    const presence = new PresenceBridge(
      session.store,
      session.connection.provider.awareness,
      session.presence(),
    )
    presence.start()
    const stopSideEffects = registerChainSideEffects(editor)
    const stopReadOnly = react('chainmap read-only', () => {
      editor.updateInstanceState({ isReadonly: session.readOnlyReason.get() !== null })
    })
    const stopTemplate = react('chainmap template', () => {
      if (session.emptyAfterFirstSync.get() && template) {
        session.emptyAfterFirstSync.set(false)
        void fillFromTemplate(editor, session, template)
      }
    })
    ;(window as unknown as { chainmap?: unknown }).chainmap = { editor, session }
    return () => {
      stopTemplate()
      stopSideEffects()
      stopReadOnly()
      presence.dispose()
    }
  }
  return (
    <BoardSessionContext.Provider value={session}>
      <div style={{ position: 'fixed', inset: 0 }}>
        <Tldraw
          store={session.store}
          user={user}
          licenseKey={licenseKey}
          shapeUtils={chainShapeUtils}
          bindingUtils={chainBindingUtils}
          tools={chainTools}
          overrides={overrides}
          components={components}
          onMount={onMount}
        />
      </div>
    </BoardSessionContext.Provider>
  )
}
