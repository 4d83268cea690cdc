import { DefaultStylePanel, type TLUiStylePanelProps, useEditor, useValue } from 'tldraw'

/**
 * tldraw's style panel, except while only chain-map shapes are selected: they take no tldraw
 * styles (the inspector edits them), and the panel would sit on top of the inspector.
 */
export function ChainStylePanel(props: TLUiStylePanelProps) {
  const editor = useEditor()
  const onlyChainShapes = useValue('only chain-map shapes selected', () => {
    const selected = editor.getSelectedShapes()
    return selected.length > 0 && selected.every((shape) => shape.type.startsWith('chainmap-'))
  }, [editor])
  return onlyChainShapes ? null : <DefaultStylePanel {...props} />
}
