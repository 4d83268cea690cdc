import { useRef, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { downloadBlob } from '@/lib/io/download'
import { placeModel } from '@/lib/io/placeModel'
import { resultsCsv } from '@/lib/io/resultsCsv'
import { liveOutputFor } from '@/lib/sim/LiveOutput'
import { currentModel } from '@/lib/sim/startLiveSimulation'
import { useBoardSession } from './BoardSessionContext'
import { panelStyle } from './panelStyle'

/** Import a model JSON; export the model, the results (CSV) and the canvas (PNG, SVG). */
export function FileMenu() {
  const editor = useEditor()
  const session = useBoardSession()
  const output = liveOutputFor(editor)
  const readOnly = useValue('read-only', () => editor.getIsReadonly(), [editor])
  const input = useRef<HTMLInputElement>(null)
  const [message, setMessage] = useState<string | null>(null)
  const room = session.options.room
  const importFile = async (file: File) => {
    try {
      const json = JSON.parse(await file.text()) as unknown
      const board = await placeModel(editor, session, json)
      setMessage(`Imported ${board.shapes.length} shapes.`)
    } catch (error) {
      setMessage(
        `Could not import ${file.name}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
  const exportModel = () => {
    const model = currentModel(editor, session)
    downloadBlob(
      new Blob([`${JSON.stringify(model, null, 2)}\n`], { type: 'application/json' }),
      `${room}.model.json`,
    )
  }
  const exportCsv = () => {
    const result = output.result.get()
    if (!result) return setMessage('No results yet.')
    const model = currentModel(editor, session)
    const names = {
      products: Object.fromEntries(model.products.map((p) => [p.id, p.name])),
      companies: Object.fromEntries(model.companies.map((c) => [c.id, c.name])),
    }
    downloadBlob(new Blob([resultsCsv(result, names)], { type: 'text/csv' }), `${room}.results.csv`)
  }
  const exportImage = async (format: 'png' | 'svg') => {
    const ids = [...editor.getCurrentPageShapeIds()]
    if (ids.length === 0) return setMessage('The canvas is empty.')
    const { blob } = await editor.toImage(ids, { format, background: true, pixelRatio: 2 })
    downloadBlob(blob, `${room}.${format}`)
  }
  return (
    <div
      data-testid="file-menu"
      style={{
        ...panelStyle,
        position: 'relative',
        display: 'flex',
        flexDirection: 'column',
        gap: 4,
      }}
    >
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        data-testid="import-input"
        style={{ display: 'none' }}
        onChange={(event) => {
          const file = event.target.files?.[0]
          if (file) void importFile(file)
          event.target.value = ''
        }}
      />
      <button type="button" disabled={readOnly} onClick={() => input.current?.click()}>
        Import model JSON…
      </button>
      <button type="button" onClick={exportModel}>
        Export model JSON
      </button>
      <button type="button" onClick={exportCsv}>
        Export results CSV
      </button>
      <button type="button" onClick={() => void exportImage('png')}>
        Export PNG
      </button>
      <button type="button" onClick={() => void exportImage('svg')}>
        Export SVG
      </button>
      {message && (
        <p data-testid="file-message" style={{ maxWidth: 220, fontSize: 11, margin: 0 }}>
          {message}
        </p>
      )}
    </div>
  )
}
