import { getAssetUrlsByMetaUrl } from '@tldraw/assets/urls'
import { useMemo, useState } from 'react'
import { type Editor, react, type TLComponents, Tldraw, useTldrawCurrentUser } from 'tldraw'
import { fillFromTemplate } from '@/lib/boards/fillFromTemplate'
import { registerChainSideEffects } from '@/lib/shapes/registerChainSideEffects'
import type { SimulationRunner } from '@/lib/sim/SimulationRunner'
import { startLiveSimulation } from '@/lib/sim/startLiveSimulation'
import type { BoardSession } from '@/lib/sync/BoardSession'
import { PresenceBridge } from '@/lib/sync/PresenceBridge'
import { BoardPanels } from './BoardPanels'
import { BoardSessionContext } from './BoardSessionContext'
import { BoardSharePanel } from './BoardSharePanel'
import { ChainStylePanel } from './ChainStylePanel'
import { ChainToolbar } from './ChainToolbar'
import { chainOverrides } from './chainOverrides'
import { chainShapeUtils, chainTools } from './chainUtils'
import { SimulationRunnerContext } from './SimulationRunnerContext'

/** tldraw's icons, fonts and translations, bundled and served by this app (not a CDN). */
const assetUrls = getAssetUrlsByMetaUrl()

const components: TLComponents = {
  Toolbar: ChainToolbar,
  SharePanel: BoardSharePanel,
  StylePanel: ChainStylePanel,
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
  const overrides = useMemo(() => chainOverrides(session.undoManager), [session])
  const [runner, setRunner] = useState<SimulationRunner | null>(null)
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
    const simulation = startLiveSimulation(editor, session)
    setRunner(simulation.runner)
    const stopReadOnly = react('chainmap read-only', () => {
      editor.updateInstanceState({ isReadonly: session.readOnlyReason.get() !== null })
    })
    const stopTemplate = react('chainmap template', () => {
      if (session.emptyAfterFirstSync.get() && template) {
        session.emptyAfterFirstSync.set(false)
        void fillFromTemplate(editor, session, template)
      }
    })
    // The camera is per person: open an existing board showing all of it.
    if (editor.getCurrentPageShapeIds().size > 0)
      editor.zoomToFit()
      // A handle for the Playwright benchmark and for debugging from the console.
    ;(window as unknown as { chainmap?: unknown }).chainmap = { editor, session }
    return () => {
      stopTemplate()
      stopReadOnly()
      simulation.stop()
      setRunner(null)
      stopSideEffects()
      presence.dispose()
    }
  }
  return (
    <BoardSessionContext.Provider value={session}>
      <SimulationRunnerContext.Provider value={runner}>
        <div style={{ position: 'fixed', inset: 0 }}>
          <Tldraw
            store={session.store}
            user={user}
            licenseKey={licenseKey}
            assetUrls={assetUrls}
            shapeUtils={chainShapeUtils}
            tools={chainTools}
            overrides={overrides}
            components={components}
            onMount={onMount}
          />
        </div>
      </SimulationRunnerContext.Provider>
    </BoardSessionContext.Provider>
  )
}
