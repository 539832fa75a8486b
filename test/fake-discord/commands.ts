/** Application command routes: list, bulk overwrite, create, fetch, edit and delete, global or per guild. */
import type { RequestLog, RestResult } from './records.js';
import type { FakeStore } from './store.js';
import type { JsonObject, RecordedRequest, StoredCommand } from './types.js';
import { isObject, validateCommand, validateCommandList, type FieldError } from './validation.js';

function commandType(body: JsonObject): number {
  return typeof body.type === 'number' ? body.type : 1;
}

export class CommandRoutes {
  constructor(
    private readonly store: FakeStore,
    private readonly log: RequestLog,
  ) {}

  /** /applications/:app/commands and /applications/:app/guilds/:guild/commands (guildId null: global). */
  list(rec: RecordedRequest, guildId: string | null): RestResult {
    const list = this.store.commandList(guildId);
    if (rec.method === 'GET') return { status: 200, body: list };
    if (rec.method === 'PUT') {
      const errors = validateCommandList(rec.body);
      if (errors.length > 0) return this.log.formError(rec, errors);
      const body = rec.body as JsonObject[];
      // A command keeps its id when one of the same name and type is overwritten, as on Discord.
      const next = body.map((cmd) =>
        this.storeCommand(
          cmd,
          guildId,
          list.find((x) => x.name === cmd.name && x.type === commandType(cmd)),
        ),
      );
      list.splice(0, list.length, ...next);
      return { status: 200, body: list };
    }
    if (rec.method === 'POST') {
      const errors: FieldError[] = [];
      validateCommand(errors, [], rec.body);
      if (errors.length > 0) return this.log.formError(rec, errors);
      const body = rec.body as JsonObject;
      const type = commandType(body);
      const i = list.findIndex((x) => x.name === body.name && x.type === type);
      const cmd = this.storeCommand(body, guildId, i === -1 ? undefined : list[i]);
      if (i === -1) list.push(cmd);
      else list[i] = cmd;
      return { status: i === -1 ? 201 : 200, body: cmd };
    }
    return this.log.methodNotAllowed(rec);
  }

  /** …/commands/:id. */
  one(rec: RecordedRequest, guildId: string | null, commandId: string): RestResult {
    const list = this.store.commandList(guildId);
    const i = list.findIndex((x) => x.id === commandId);
    const cmd = list[i];
    if (!cmd) return this.log.violation(rec, 'unknown-route', 404, 10063, 'Unknown application command');
    if (rec.method === 'GET') return { status: 200, body: cmd };
    if (rec.method === 'DELETE') {
      list.splice(i, 1);
      return { status: 204 };
    }
    if (rec.method === 'PATCH') {
      const merged = { ...cmd, ...(isObject(rec.body) ? rec.body : {}) };
      const errors: FieldError[] = [];
      validateCommand(errors, [], merged);
      if (errors.length > 0) return this.log.formError(rec, errors);
      const next = this.storeCommand(merged, guildId, cmd);
      list[i] = next;
      return { status: 200, body: next };
    }
    return this.log.methodNotAllowed(rec);
  }

  private storeCommand(body: JsonObject, guildId: string | null, existing: StoredCommand | undefined): StoredCommand {
    const ids = this.store.ids;
    const cmd: StoredCommand = {
      id: existing?.id ?? ids.next(),
      application_id: this.store.applicationId,
      version: ids.next(),
      type: commandType(body),
      name: String(body.name),
      name_localizations: body.name_localizations ?? null,
      description: typeof body.description === 'string' ? body.description : '',
      description_localizations: body.description_localizations ?? null,
      default_member_permissions: body.default_member_permissions ?? null,
      nsfw: body.nsfw === true,
      contexts: body.contexts ?? null,
      integration_types: body.integration_types ?? [0],
    };
    if (guildId) cmd.guild_id = guildId;
    else cmd.dm_permission = body.dm_permission ?? true;
    if (body.options !== undefined) cmd.options = body.options;
    return cmd;
  }
}
