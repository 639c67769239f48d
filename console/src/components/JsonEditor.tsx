import CodeMirror from '@uiw/react-codemirror';
import { json } from '@codemirror/lang-json';

/** A JSON editor (CodeMirror 6 with JSON highlighting and bracket matching). */
export function JsonEditor({ value, onChange, height = '240px', readOnly = false }: { value: string; onChange?: (v: string) => void; height?: string; readOnly?: boolean }) {
  return (
    <div className="json-editor" style={{ border: '1px solid #d9d9d9', borderRadius: 6 }}>
      <CodeMirror value={value} height={height} extensions={[json()]} readOnly={readOnly} onChange={v => onChange?.(v)}
        basicSetup={{ lineNumbers: true, foldGutter: true }} />
    </div>
  );
}
