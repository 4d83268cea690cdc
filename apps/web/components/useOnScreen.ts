import { type Signal, type TLShapeId, useComputed, useEditor, useSvgExportContext } from 'tldraw'

/**
 * Whether shape `id` is drawn on screen right now (tldraw hides culled shapes), as a signal, so
 * per-frame DOM updates can skip what nobody sees and catch up when it scrolls into view. In an
 * SVG/PNG export every shape counts as on screen.
 */
export function useOnScreen(id: string): Signal<boolean> {
  const editor = useEditor()
  const exporting = useSvgExportContext() !== null
  return useComputed(
    'shape on screen',
    () => exporting || !editor.getCulledShapes().has(id as TLShapeId),
    [editor, id, exporting],
  )
}
