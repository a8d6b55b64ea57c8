import pg from "pg";

export interface ListenerOptions {
  connectionString: string;
  channel: string;
  /** Called for every notification on the channel. */
  onNotification: () => void;
  /** Called after every (re)connection: whatever was sent while disconnected was missed. */
  onConnected?: () => void;
  onError?: (error: Error) => void;
  /** Delay before reconnecting after the connection is lost. */
  reconnectDelayMs?: number;
}

export interface Listener {
  close(): Promise<void>;
}

/**
 * LISTENs on a channel over a dedicated connection (a pooled one would be handed to others),
 * reconnecting after Postgres restarts or network failures for as long as it is open.
 */
export function listen({
  connectionString,
  channel,
  onNotification,
  onConnected,
  onError,
  reconnectDelayMs = 1000,
}: ListenerOptions): Listener {
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const reconnectLater = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, reconnectDelayMs);
  };

  async function connect() {
    if (closed) return;
    const current = new pg.Client({ connectionString, application_name: "canopy-listener" });
    client = current;
    current.on("notification", (message) => {
      if (message.channel === channel) onNotification();
    });
    current.on("error", (error) => {
      onError?.(error);
      void current.end().catch(() => {});
      if (client === current) reconnectLater();
    });
    current.on("end", () => {
      if (client === current) reconnectLater();
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed) return void (await current.end().catch(() => {}));
      onConnected?.();
    } catch (error) {
      onError?.(error as Error);
      void current.end().catch(() => {});
      reconnectLater();
    }
  }

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
