import type { Socket } from 'node:net';
import { formatDuration, hangUp, isTlsError, tlsFailure } from '@ocfkit/runtime';
import { abortText, firstWords, openSocket } from './open-socket.ts';
import { commandName, encodeCommand } from './encode.ts';
import { describeEndpoint, type Endpoint } from './endpoint.ts';
import { RedisError, redact, serverErrorCode } from './errors.ts';
import { RespParser, RespProtocolError, type Reply } from './parser.ts';

export type { Reply } from './parser.ts';

export interface ClientOptions {
  endpoint: Endpoint;
  /** ACL user (Redis 6+); with only a password, AUTH is for the default user (requirepass). */
  username?: string;
  password?: string;
  /** Connection and TLS handshake bound (default 2 s). */
  connectTimeoutMs?: number;
  /** How long any reply may take, unless a command says otherwise (default 5 s). */
  timeoutMs?: number;
  /** The action's deadline: aborting it fails every outstanding command and closes the connection. */
  signal?: AbortSignal;
}

export interface CommandOptions {
  timeoutMs?: number;
  /** How the command is named in errors, when its real name should not show (a renamed command). */
  label?: string;
  /** Argument values to blank out of any error text the server echoes back (a password being set). */
  secrets?: readonly string[];
}

interface Pending {
  label: string;
  secrets: readonly string[];
  resolve(value: Reply): void;
  reject(error: RedisError): void;
  timer: NodeJS.Timeout;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 2000;
const DEFAULT_TIMEOUT_MS = 5000;

/**
 * A minimal RESP2 client: one connection, commands pipelined (written at once, answered in order),
 * nothing loaded that a monitor does not use. The `redis` npm client cost 148 ms CPU per probe
 * here against 33 ms for a plain socket (docs/performance.md).
 */
export class RedisClient {
  readonly where: string;
  /** The server had no password configured, so the one we sent was not needed. */
  authNotRequired = false;
  private readonly parser = new RespParser();
  private readonly queue: Pending[] = [];
  private failure: RedisError | undefined;
  private readonly secrets: string[];
  /** Nothing came from the server yet on this connection. */
  private silent = true;
  /** A second look at why the server closed on us is under way. */
  private askingWhy = false;
  /** A command after which the server closes the connection (SHUTDOWN): the close is its answer. */
  private closeExpected: ((error?: RedisError) => void) | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly options: ClientOptions,
  ) {
    this.where = describeEndpoint(options.endpoint);
    this.secrets = options.password ? [options.password] : [];
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // EPIPE/ECONNRESET: the server closed first (a shutdown, maxclients); say that, not the errno
      if (isTlsError(error)) {
        // TLS 1.3 ends the client's handshake before the server checks our certificate: its refusal comes here
        this.gone(new RedisError('TLS_FAILED', `TLS with redis at ${this.where} failed: ${tlsFailure(error)}`, { cause: error }));
        return;
      }
      const closed = error.code === 'EPIPE' || error.code === 'ECONNRESET';
      const message = closed ? `redis at ${this.where} closed the connection` : `connection to redis at ${this.where} failed: ${error.message}`;
      const failure = new RedisError('CLOSED', message, { cause: error });
      if (closed) this.closedOnUs(failure);
      else this.gone(failure);
    });
    socket.on('close', () => this.closedOnUs(new RedisError('CLOSED', `redis at ${this.where} closed the connection`)));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Connect, authenticate when a password is given, and return a client ready for commands. */
  static async connect(options: ClientOptions): Promise<RedisClient> {
    const socket = await openSocket(options.endpoint, {
      timeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      signal: options.signal,
    });
    if ('host' in options.endpoint) socket.setNoDelay(true);
    const client = new RedisClient(socket, options);
    if (options.password !== undefined) {
      try {
        await client.authenticate(options.username, options.password);
      } catch (error) {
        client.close();
        throw error;
      }
    }
    return client;
  }

  private async authenticate(username: string | undefined, password: string): Promise<void> {
    const args = username === undefined ? ['AUTH', password] : ['AUTH', username, password];
    try {
      await this.command(args, { label: 'AUTH' });
    } catch (error) {
      if (!(error instanceof RedisError)) throw error;
      // a password for a server without one: the connection works, the configuration is just loose
      if (error.code === 'REDIS_AUTH_NOT_REQUIRED' && username === undefined) {
        this.authNotRequired = true;
        return;
      }
      // a refused connection (maxclients) is not a refused password
      if (error.serverMessage !== undefined && error.code !== 'REDIS_MAXCLIENTS') {
        const who = username === undefined ? 'with the password' : `as user '${username}'`;
        throw new RedisError(error.code, `redis at ${this.where}: authentication ${who} failed: ${error.serverMessage}`, {
          serverMessage: error.serverMessage,
        });
      }
      throw error;
    }
  }

  /** Send one command; resolves with its reply, rejects with a RedisError for an error reply. */
  command(args: readonly string[], options: CommandOptions = {}): Promise<Reply> {
    return this.send([args], options)[0]!;
  }

  /** Send several commands in one write; resolves when all answered, rejects with the first error. */
  pipeline(commands: ReadonlyArray<readonly string[]>, options: CommandOptions = {}): Promise<Reply[]> {
    return Promise.all(this.send(commands, options));
  }

  /**
   * A command the server answers by closing the connection (SHUTDOWN): resolves when it closes,
   * rejects when it answers with an error (a refused shutdown) or not within the timeout.
   */
  commandUntilClose(args: readonly string[], options: CommandOptions = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.closeExpected = (error) => (error ? reject(error) : resolve());
      this.command(args, options).then(
        () => {
          this.closeExpected = undefined;
          reject(new RedisError('REDIS_ERR', `redis at ${this.where} answered ${options.label ?? commandName(args)} instead of closing the connection`));
        },
        (error: RedisError) => {
          // the close itself also rejects the pending command: that one is the success
          if (error.code === 'CLOSED' && this.closeExpected === undefined) return;
          this.closeExpected = undefined;
          reject(error);
        },
      );
    });
  }

  /**
   * Close the connection; outstanding commands fail with CLOSED. With nothing outstanding, the
   * runtime's hangUp: an agent about to exit does not pay for a destroy it does not need.
   */
  close(): void {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (this.queue.length === 0 && !this.socket.destroyed && this.closeExpected === undefined) {
      this.failure ??= new RedisError('CLOSED', `connection to redis at ${this.where} was closed`);
      hangUp(this.socket);
      return;
    }
    this.socket.destroy();
  }

  private send(commands: ReadonlyArray<readonly string[]>, options: CommandOptions): Promise<Reply>[] {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const promises = commands.map(
      (args) =>
        new Promise<Reply>((resolve, reject) => {
          const label = options.label ?? commandName(args);
          if (this.failure) {
            reject(this.failure);
            return;
          }
          const timer = setTimeout(
            () => this.fail(new RedisError('NO_ANSWER', `redis at ${this.where} did not answer ${label} within ${formatDuration(timeoutMs)}`)),
            timeoutMs,
          );
          this.queue.push({ label, secrets: options.secrets ?? [], resolve, reject, timer });
        }),
    );
    if (!this.failure) this.socket.write(commands.length === 1 ? encodeCommand(commands[0]!) : Buffer.concat(commands.map(encodeCommand)));
    return promises;
  }

  private receive(chunk: Buffer): void {
    this.silent = false;
    let replies;
    try {
      replies = this.parser.feed(chunk);
    } catch (error) {
      if (!(error instanceof RespProtocolError)) throw error;
      this.fail(new RedisError('REDIS_PROTOCOL', `redis at ${this.where} answered something that is not Redis: ${error.message}`, { cause: error }));
      return;
    }
    for (const reply of replies) {
      // the server refuses this connection and closes it: whichever command it came after
      if ('error' in reply && serverErrorCode(reply.error) === 'REDIS_MAXCLIENTS') {
        this.fail(this.replyError(reply.error, 'connect', []));
        return;
      }
      const pending = this.queue.shift();
      if (!pending) {
        // a reply nobody asked for: "-ERR max number of clients reached" is sent on accept
        if ('error' in reply) this.fail(this.replyError(reply.error, 'connect', []));
        else this.fail(new RedisError('REDIS_PROTOCOL', `redis at ${this.where} sent a reply nobody asked for`));
        return;
      }
      clearTimeout(pending.timer);
      if ('error' in reply) pending.reject(this.replyError(reply.error, pending.label, pending.secrets));
      else pending.resolve(reply.value);
    }
  }

  private replyError(text: string, label: string, secrets: readonly string[]): RedisError {
    const serverMessage = redact(text, [...this.secrets, ...secrets]);
    return new RedisError(serverErrorCode(text), `redis at ${this.where}: ${label} failed: ${serverMessage}`, { serverMessage });
  }

  private readonly onAbort = () => {
    const reason = this.options.signal!.reason;
    this.fail(new RedisError('ABORTED', `request to redis at ${this.where} aborted: ${abortText(reason)}`, { cause: reason }));
  };

  /**
   * The server closed before saying anything while commands wait: a refusal (maxclients) whose
   * words our own write's EPIPE may have thrown away. A second connection that only listens hears
   * them; the waiting commands fail with the server's words, or with `failure` when it says none.
   */
  private closedOnUs(failure: RedisError): void {
    if (!this.silent || this.queue.length === 0 || this.closeExpected || this.failure) return this.gone(failure);
    if (this.askingWhy) return;
    this.askingWhy = true;
    const timeoutMs = Math.min(1000, this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    void firstWords(this.options.endpoint, { timeoutMs, signal: this.options.signal }).then((words) => {
      let parsed;
      try {
        parsed = words && new RespParser().feed(words)[0];
      } catch {
        parsed = undefined; // not Redis's words: the close is all there is to say
      }
      this.gone(parsed && 'error' in parsed ? this.replyError(parsed.error, 'connect', []) : failure);
    });
  }

  /** The connection ended (closed or reset): the answer a closing command waits for, a failure for the rest. */
  private gone(error: RedisError): void {
    if (this.closeExpected) {
      const done = this.closeExpected;
      this.closeExpected = undefined;
      done();
    }
    this.fail(error);
  }

  /** The connection is unusable (replies are positional): fail everything outstanding and close. */
  private fail(error: RedisError): void {
    this.failure ??= error;
    for (const pending of this.queue.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(this.failure);
    }
    if (this.closeExpected && error.code !== 'CLOSED') {
      const done = this.closeExpected;
      this.closeExpected = undefined;
      done(error);
    }
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
  }
}

/** Connect, run `fn`, and close whatever happens. */
export async function withClient<T>(options: ClientOptions, fn: (client: RedisClient) => Promise<T>): Promise<T> {
  const client = await RedisClient.connect(options);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
