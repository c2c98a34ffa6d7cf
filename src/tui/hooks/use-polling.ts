// Loads data now and again every `intervalMs` (never two loads at once), until unmounted or
// until its inputs change; keeps the last good data while a load fails.

import {useCallback, useEffect, useRef, useState} from 'react';

export interface Polled<T> {
  data: T | undefined;
  /** The last load's failure, cleared by the next success. */
  error: Error | undefined;
  /** Loads at once (after a change), then every interval again. */
  reload: () => void;
}

export function usePolling<T>(load: () => Promise<T>, intervalMs: number, inputs: readonly unknown[]): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const kick = useRef<() => void>(() => undefined);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    let again = false;
    const tick = async () => {
      clearTimeout(timer);
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const value = await loader.current();
        if (!stopped) {
          setData(value);
          setError(undefined);
        }
      } catch (failure) {
        if (!stopped) setError(failure as Error);
      } finally {
        running = false;
      }
      if (stopped) return;
      if (again) {
        again = false;
        void tick();
      } else timer = setTimeout(() => void tick(), intervalMs);
    };
    kick.current = () => void tick();
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs, ...inputs]);

  const reload = useCallback(() => kick.current(), []);
  return {data, error, reload};
}
