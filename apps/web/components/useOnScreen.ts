import {
  type Computed,
  computed,
  type Editor,
  type Signal,
  type TLShapeId,
  useComputed,
  useEditor,
  useSvgExportContext,
} from 'tldraw'

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

/** Smallest on-screen size, in px, at which the cards' 12 px numbers are worth redrawing. */
const LEGIBLE_PX = 4
/** Font size of the numbers on cards and links, in page px. */
const NUMBERS_PX = 12

const legibility = new WeakMap<Editor, Computed<boolean>>()

/**
 * One computed per editor, shared by every card and link that reads it (hundreds on a big board),
 * instead of one per component.
 */
function perEditor<T>(
  cache: WeakMap<Editor, Computed<T>>,
  editor: Editor,
  name: string,
  compute: () => T,
): Computed<T> {
  let shared = cache.get(editor)
  if (!shared) {
    shared = computed(name, compute)
    cache.set(editor, shared)
  }
  return shared
}

/**
 * Whether the numbers on cards and links can be read at the current zoom. Zoomed far out (a
 * 200-product board fits the screen at about 13 %, where 12 px text is under 2 px tall),
 * rewriting every card's text on every frame of the timeline costs layout and raster for
 * nothing; the sparkline dots and link widths still move, and the numbers catch up as soon as
 * the zoom makes them legible. In an export they always count as legible.
 */
export function useNumbersLegible(): Signal<boolean> {
  const editor = useEditor()
  const exporting = useSvgExportContext() !== null
  const zoomed = perEditor(
    legibility,
    editor,
    'chainmap numbers legible',
    () => editor.getZoomLevel() * NUMBERS_PX >= LEGIBLE_PX,
  )
  return useComputed('numbers legible', () => exporting || zoomed.get(), [zoomed, exporting])
}

const pixels = new WeakMap<Editor, Computed<number>>()

/**
 * About how many page px one screen px spans at the current zoom, rounded up to a power of two
 * (so it changes only a few times over a zoom gesture). Per-frame drawing skips moves smaller
 * than this: at 13 % a sparkline's dot moves a twentieth of a screen pixel per simulated day,
 * and redrawing it for that costs a repaint of everything under it.
 */
export function useScreenPixel(): Signal<number> {
  const editor = useEditor()
  const exporting = useSvgExportContext() !== null
  const zoomed = perEditor(
    pixels,
    editor,
    'chainmap screen pixel',
    () => 2 ** Math.ceil(Math.log2(1 / editor.getZoomLevel())),
  )
  return useComputed('screen pixel', () => (exporting ? 0 : zoomed.get()), [zoomed, exporting])
}
