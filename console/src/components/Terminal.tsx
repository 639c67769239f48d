import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Terminal as XTerm } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { webSocketUrl } from '../api/client';

/**
 * CloudShell terminal (R-S16): xterm.js over the server's CloudShell WebSocket. `openTicket` asks the API for a
 * one-time ticket; keyboard input goes out as binary frames, size changes as {"type":"resize"} text frames.
 */
export function CloudShellTerminal({ openTicket }: { openTicket: () => Promise<{ websocket_path: string }> }) {
  const { t } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ kind: 'connecting' | 'connected' | 'closed'; reason?: string }>({ kind: 'connecting' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const term = new XTerm({ fontSize: 13, fontFamily: 'monospace', cursorBlink: true, convertEol: false, scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element.current!);
    fit.fit();
    let socket: WebSocket | null = null;
    let disposed = false;
    const encoder = new TextEncoder();
    setState({ kind: 'connecting' });
    openTicket().then(ticket => {
      if (disposed) return;
      const url = webSocketUrl(`${ticket.websocket_path}&cols=${term.cols}&rows=${term.rows}`);
      socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => {
        setState({ kind: 'connected' });
        socket?.send(JSON.stringify({ type: 'resize', cols: term.cols, rows: term.rows }));
        term.focus();
      };
      socket.onmessage = e => term.write(typeof e.data === 'string' ? e.data : new Uint8Array(e.data as ArrayBuffer));
      socket.onclose = e => { if (!disposed) setState({ kind: 'closed', reason: e.reason || `code ${e.code}` }); };
    }).catch((e: Error) => setState({ kind: 'closed', reason: e.message }));
    const input = term.onData(data => { if (socket?.readyState === WebSocket.OPEN) socket.send(encoder.encode(data)); });
    const resize = term.onResize(size => { if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'resize', cols: size.cols, rows: size.rows })); });
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element.current!);
    return () => { disposed = true; observer.disconnect(); input.dispose(); resize.dispose(); socket?.close(); term.dispose(); };
  }, [openTicket, attempt]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        {state.kind === 'connecting' && <Tag color="blue">{t('shell.connecting')}</Tag>}
        {state.kind === 'connected' && <Tag color="green" data-testid="shell-connected">{t('shell.connected')}</Tag>}
        {state.kind === 'closed' && <Alert type="warning" showIcon message={t('shell.closed', { reason: state.reason })} />}
        <Button onClick={() => setAttempt(a => a + 1)}>{t('shell.reconnect')}</Button>
      </Space>
      <div ref={element} data-testid="cloudshell" style={{ height: 420, background: '#000', padding: 4 }} />
    </Space>
  );
}
