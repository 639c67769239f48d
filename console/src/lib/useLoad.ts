import { useCallback, useEffect, useRef, useState } from 'react';
import { App } from 'antd';

/** Loads data with `load` (again when `deps` change or `reload()` is called; every `pollMs` when given). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], pollMs?: number) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);
  const { message } = App.useApp();
  const loadRef = useRef(load);
  loadRef.current = load;
  const lastError = useRef<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await loadRef.current());
      setError(null);
      lastError.current = null;
    } catch (e) {
      setError(e as Error);
      // A polled page that keeps failing says so once, not at every poll.
      if (lastError.current !== (e as Error).message) message.error((e as Error).message);
      lastError.current = (e as Error).message;
    } finally {
      setLoading(false);
    }
  }, [message]);
  useEffect(() => {
    setLoading(true);
    void reload();
    if (!pollMs) return;
    const timer = setInterval(() => void reload(), pollMs);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return { data, loading, error, reload, setData };
}

/** Runs an action and shows its error (or success text) as a message; returns whether it succeeded. */
export function useAction() {
  const { message } = App.useApp();
  return useCallback(async (action: () => Promise<unknown>, success?: string) => {
    try {
      await action();
      if (success) message.success(success);
      return true;
    } catch (e) {
      message.error((e as Error).message);
      return false;
    }
  }, [message]);
}
