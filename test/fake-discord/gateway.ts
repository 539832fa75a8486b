/** The fake gateway: HELLO, heartbeats, IDENTIFY/READY/GUILD_CREATE, RESUME, dispatches and fault controls. */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { FakeGuildState, FakeUser, GatewayConnectionRecord, GatewayEventRecord, JsonObject } from './types.js';
import { isObject } from './validation.js';

export interface GatewayHost {
  token: string;
  applicationId: string;
  botUser: FakeUser;
  heartbeatIntervalMs: number;
  resumeUrl: () => string;
  guildsForShard: (shardId: number, shardCount: number) => FakeGuildState[];
  guildCreatePayload: (guild: FakeGuildState) => JsonObject;
}

interface Frame {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  shardId: number;
  shardCount: number;
  seq: number;
  conn: Conn | null;
  valid: boolean;
  /** Dispatches sent or buffered, replayed on RESUME when the client's seq is behind. */
  history: Frame[];
}

interface Conn {
  id: number;
  ws: WebSocket;
  record: GatewayConnectionRecord;
  session: Session | null;
  /** Told to reconnect (op 7) or invalidated: further dispatches wait for the next connection. */
  closing: boolean;
}

export interface ReceivedFrame {
  connectionId: number;
  op: number;
  d: unknown;
  at: number;
}

const HISTORY_MAX = 1000;

export class FakeGateway extends EventEmitter {
  readonly identifies: GatewayEventRecord[] = [];
  readonly resumes: GatewayEventRecord[] = [];
  readonly connections: GatewayConnectionRecord[] = [];
  /** Every frame the clients sent (heartbeats included). */
  readonly received: ReceivedFrame[] = [];
  /** Set to false to stop answering heartbeats (zombie connection tests). */
  ackHeartbeats = true;

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly activeByShard = new Map<number, Session>();
  private readonly conns = new Set<Conn>();
  private nextConnId = 1;

  constructor(private readonly host: GatewayHost) {
    super();
    this.wss.on('connection', (ws: WebSocket, req: IncomingMessage) => this.onConnection(ws, req));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** The live session of a shard (the last one identified), if any. */
  hasSession(shardId: number): boolean {
    return this.activeByShard.get(shardId)?.valid === true;
  }

  shardCountOf(shardId: number): number | undefined {
    return this.activeByShard.get(shardId)?.shardCount;
  }

  /** Sends a dispatch to the shard's session; buffered (and replayed on RESUME) while it has no open connection. */
  dispatch(shardId: number, t: string, d: unknown): boolean {
    const session = this.activeByShard.get(shardId);
    if (!session?.valid) return false;
    this.dispatchTo(session, t, d);
    return true;
  }

  requestReconnect(shardId?: number): number {
    return this.forConns(shardId, (conn) => {
      this.send(conn, { op: 7, d: null, s: null, t: null });
      conn.closing = true;
    });
  }

  invalidateSession(shardId: number | undefined, resumable: boolean): number {
    return this.forConns(shardId, (conn) => {
      this.send(conn, { op: 9, d: resumable, s: null, t: null });
      const session = conn.session;
      if (!resumable && session) {
        session.valid = false;
        if (this.activeByShard.get(session.shardId) === session) this.activeByShard.delete(session.shardId);
        conn.session = null;
        conn.closing = true;
      }
    });
  }

  dropConnection(shardId?: number): number {
    return this.forConns(shardId, (conn) => {
      conn.closing = true;
      conn.ws.terminate();
    });
  }

  closeConnection(shardId: number | undefined, code: number, reason = ''): number {
    return this.forConns(shardId, (conn) => {
      conn.closing = true;
      conn.ws.close(code, reason);
    });
  }

  close(): Promise<void> {
    for (const conn of this.conns) conn.ws.terminate();
    this.conns.clear();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }

  private forConns(shardId: number | undefined, fn: (conn: Conn) => void): number {
    let n = 0;
    for (const conn of [...this.conns]) {
      if (!conn.session || conn.closing) continue;
      if (shardId !== undefined && conn.session.shardId !== shardId) continue;
      if (conn.ws.readyState !== WebSocket.OPEN) continue;
      fn(conn);
      n += 1;
    }
    return n;
  }

  private send(conn: Conn, frame: object): void {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(JSON.stringify(frame));
  }

  private dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const frame: Frame = { op: 0, t, s: session.seq, d };
    session.history.push(frame);
    if (session.history.length > HISTORY_MAX) session.history.shift();
    const conn = session.conn;
    if (conn && !conn.closing) this.send(conn, frame);
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const record: GatewayConnectionRecord = {
      id: this.nextConnId++,
      url: req.url ?? '/',
      openedAt: Date.now(),
      closedAt: null,
      closeCode: null,
      shardId: null,
      heartbeats: 0,
    };
    this.connections.push(record);
    const conn: Conn = { id: record.id, ws, record, session: null, closing: false };
    this.conns.add(conn);
    ws.on('message', (data: RawData) => this.onMessage(conn, data));
    ws.on('close', (code: number) => {
      record.closedAt = Date.now();
      record.closeCode = code;
      this.conns.delete(conn);
      if (conn.session && conn.session.conn === conn) conn.session.conn = null;
      this.emit('connection-closed', record);
    });
    ws.on('error', () => {
      /* a client reset: 'close' follows */
    });
    const query = new URL(record.url, 'ws://127.0.0.1').searchParams;
    const version = query.get('v');
    if (version !== null && version !== '10' && version !== '9') {
      ws.close(4012, 'Invalid API version.');
      return;
    }
    if (query.get('encoding') !== null && query.get('encoding') !== 'json') {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    this.send(conn, {
      op: 10,
      d: { heartbeat_interval: this.host.heartbeatIntervalMs, _trace: ['["fake-discord"]'] },
      s: null,
      t: null,
    });
  }

  private onMessage(conn: Conn, data: RawData): void {
    let payload: unknown;
    try {
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
      payload = JSON.parse(text);
    } catch {
      conn.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    if (!isObject(payload) || typeof payload.op !== 'number') {
      conn.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    this.received.push({ connectionId: conn.id, op: payload.op, d: payload.d, at: Date.now() });
    switch (payload.op) {
      case 1:
        conn.record.heartbeats += 1;
        if (this.ackHeartbeats) this.send(conn, { op: 11, d: null, s: null, t: null });
        return;
      case 2:
        this.onIdentify(conn, payload.d);
        return;
      case 6:
        this.onResume(conn, payload.d);
        return;
      case 3:
      case 4:
      case 8:
      case 31:
        if (!conn.session) conn.ws.close(4003, 'Not authenticated.');
        return;
      default:
        conn.ws.close(4001, 'Unknown opcode.');
    }
  }

  private onIdentify(conn: Conn, d: unknown): void {
    if (conn.session) {
      conn.ws.close(4005, 'Already authenticated.');
      return;
    }
    if (!isObject(d) || d.token !== this.host.token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    let shardId = 0;
    let shardCount = 1;
    if (d.shard !== undefined) {
      const s = d.shard;
      if (!Array.isArray(s) || s.length !== 2 || !Number.isInteger(s[0]) || !Number.isInteger(s[1])) {
        conn.ws.close(4010, 'Invalid shard.');
        return;
      }
      shardId = s[0] as number;
      shardCount = s[1] as number;
      if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
        conn.ws.close(4010, 'Invalid shard.');
        return;
      }
    }
    if (typeof d.intents !== 'number') {
      conn.ws.close(4013, 'Invalid intent(s).');
      return;
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shardId,
      shardCount,
      seq: 0,
      conn,
      valid: true,
      history: [],
    };
    const previous = this.activeByShard.get(shardId);
    if (previous && previous !== session) previous.valid = false;
    this.sessions.set(session.id, session);
    this.activeByShard.set(shardId, session);
    conn.session = session;
    conn.record.shardId = shardId;
    const guilds = this.host.guildsForShard(shardId, shardCount);
    this.dispatchTo(session, 'READY', {
      v: 10,
      user_settings: {},
      user: { ...this.host.botUser, bot: true, verified: true, flags: 0, mfa_enabled: false, email: null },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_type: 'normal',
      session_id: session.id,
      resume_gateway_url: this.host.resumeUrl(),
      shard: [shardId, shardCount],
      application: { id: this.host.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['fake'],
      _trace: ['["fake-discord"]'],
    });
    const record: GatewayEventRecord = {
      shardId,
      shardCount,
      sessionId: session.id,
      at: Date.now(),
      intents: d.intents,
      connectionId: conn.id,
    };
    for (const guild of guilds) this.dispatchTo(session, 'GUILD_CREATE', this.host.guildCreatePayload(guild));
    this.identifies.push(record);
    this.emit('identify', record);
  }

  private onResume(conn: Conn, d: unknown): void {
    if (!isObject(d) || d.token !== this.host.token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    if (conn.session && conn.session.id !== d.session_id) {
      conn.ws.close(4005, 'Already authenticated.');
      return;
    }
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    if (!session?.valid) {
      this.send(conn, { op: 9, d: false, s: null, t: null });
      return;
    }
    const old = session.conn;
    if (old && old !== conn) {
      old.closing = true;
      old.session = null;
      if (old.ws.readyState === WebSocket.OPEN) old.ws.close(4000, 'Session resumed elsewhere.');
    }
    session.conn = conn;
    conn.session = session;
    conn.closing = false;
    conn.record.shardId = session.shardId;
    const clientSeq = typeof d.seq === 'number' ? d.seq : 0;
    for (const frame of session.history) {
      if (frame.s > clientSeq) this.send(conn, frame);
    }
    this.dispatchTo(session, 'RESUMED', { _trace: ['["fake-discord"]'] });
    const record: GatewayEventRecord = {
      shardId: session.shardId,
      shardCount: session.shardCount,
      sessionId: session.id,
      at: Date.now(),
      intents: null,
      connectionId: conn.id,
    };
    this.resumes.push(record);
    this.emit('resume', record);
  }
}
