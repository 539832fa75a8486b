/**
 * The request-body limits Discord enforces server-side (discord.js checks none of them).
 * Errors are collected with their path, then rendered as Discord's 50035 `errors` tree.
 */
import type { JsonObject } from './types.js';

export interface FieldError {
  path: (string | number)[];
  code: string;
  message: string;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length in characters (code points), as Discord counts. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

/** Discord's nested error tree: `{embeds: {0: {title: {_errors: [{code, message}]}}}}`. */
export function toErrorTree(errors: FieldError[]): JsonObject {
  const root: JsonObject = {};
  for (const err of errors) {
    let node = root;
    for (const key of err.path) {
      const k = String(key);
      const child = node[k];
      if (isObject(child)) {
        node = child;
      } else {
        const created: JsonObject = {};
        node[k] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : [];
    list.push({ code: err.code, message: err.message });
    node._errors = list;
  }
  return root;
}

type Path = (string | number)[];

function maxLen(errors: FieldError[], path: Path, value: unknown, max: number, required = false): void {
  if (value === undefined || value === null) {
    if (required) errors.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  if (typeof value !== 'string') {
    errors.push({ path, code: 'STRING_TYPE_CONVERT', message: 'Could not interpret value as string.' });
    return;
  }
  const len = charLength(value);
  if (required && len === 0) {
    errors.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between 1 and ${max} in length.` });
  } else if (len > max) {
    errors.push({
      path,
      code: required ? 'BASE_TYPE_BAD_LENGTH' : 'BASE_TYPE_MAX_LENGTH',
      message: required ? `Must be between 1 and ${max} in length.` : `Must be ${max} or fewer in length.`,
    });
  }
}

function arrayMax(errors: FieldError[], path: Path, value: unknown, max: number): unknown[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) {
    errors.push({ path, code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' });
    return null;
  }
  if (value.length > max) {
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
  return value;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export const EMBED_TOTAL_MAX = 6000;

function validateEmbeds(errors: FieldError[], base: Path, embeds: unknown): void {
  const list = arrayMax(errors, [...base, 'embeds'], embeds, 10);
  if (!list) return;
  let total = 0;
  list.forEach((embed, i) => {
    const p: Path = [...base, 'embeds', i];
    if (!isObject(embed)) {
      errors.push({ path: p, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
      return;
    }
    maxLen(errors, [...p, 'title'], embed.title, 256);
    maxLen(errors, [...p, 'description'], embed.description, 4096);
    total += charLength(str(embed.title)) + charLength(str(embed.description));
    if (embed.color !== undefined && embed.color !== null) {
      if (
        typeof embed.color !== 'number' ||
        !Number.isInteger(embed.color) ||
        embed.color < 0 ||
        embed.color > 0xffffff
      ) {
        errors.push({
          path: [...p, 'color'],
          code: 'NUMBER_TYPE_MAX',
          message: 'int value should be less than or equal to 16777215.',
        });
      }
    }
    const fields = arrayMax(errors, [...p, 'fields'], embed.fields, 25);
    fields?.forEach((field, j) => {
      const fp: Path = [...p, 'fields', j];
      if (!isObject(field)) {
        errors.push({ path: fp, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
        return;
      }
      maxLen(errors, [...fp, 'name'], field.name, 256, true);
      maxLen(errors, [...fp, 'value'], field.value, 1024, true);
      total += charLength(str(field.name)) + charLength(str(field.value));
    });
    if (embed.footer !== undefined && embed.footer !== null) {
      if (!isObject(embed.footer)) {
        errors.push({
          path: [...p, 'footer'],
          code: 'DICT_TYPE_CONVERT',
          message: 'Only dictionaries may be used in a DictType',
        });
      } else {
        maxLen(errors, [...p, 'footer', 'text'], embed.footer.text, 2048, true);
        total += charLength(str(embed.footer.text));
      }
    }
    if (embed.author !== undefined && embed.author !== null) {
      if (!isObject(embed.author)) {
        errors.push({
          path: [...p, 'author'],
          code: 'DICT_TYPE_CONVERT',
          message: 'Only dictionaries may be used in a DictType',
        });
      } else {
        maxLen(errors, [...p, 'author', 'name'], embed.author.name, 256, true);
        total += charLength(str(embed.author.name));
      }
    }
  });
  if (total > EMBED_TOTAL_MAX) {
    errors.push({
      path: [...base, 'embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: `Embed size exceeds maximum size of ${EMBED_TOTAL_MAX}`,
    });
  }
}

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

function checkCustomId(errors: FieldError[], p: Path, component: JsonObject, seen: Set<string>): void {
  maxLen(errors, [...p, 'custom_id'], component.custom_id, 100, true);
  if (typeof component.custom_id === 'string') {
    if (seen.has(component.custom_id)) {
      errors.push({
        path: [...p, 'custom_id'],
        code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
        message: 'Component custom id cannot be duplicated',
      });
    }
    seen.add(component.custom_id);
  }
}

function validateInteractive(errors: FieldError[], p: Path, c: JsonObject, seen: Set<string>): void {
  if (c.type === 2) {
    maxLen(errors, [...p, 'label'], c.label, 80);
    const style = c.style;
    if (style === 5) {
      if (typeof c.url !== 'string' || c.url.length === 0) {
        errors.push({ path: [...p, 'url'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      }
      if (c.custom_id !== undefined) {
        errors.push({
          path: [...p, 'custom_id'],
          code: 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED',
          message: 'A custom id cannot be specified for this button style',
        });
      }
    } else if (style !== 6) {
      if (typeof style !== 'number' || style < 1 || style > 6) {
        errors.push({
          path: [...p, 'style'],
          code: 'BASE_TYPE_CHOICES',
          message: 'Value must be one of {1, 2, 3, 4, 5, 6}.',
        });
      }
      checkCustomId(errors, p, c, seen);
    }
  } else if (SELECT_TYPES.has(Number(c.type))) {
    checkCustomId(errors, p, c, seen);
    maxLen(errors, [...p, 'placeholder'], c.placeholder, 150);
    if (c.type === 3) {
      const options = arrayMax(errors, [...p, 'options'], c.options, 25);
      options?.forEach((o, k) => {
        if (!isObject(o)) return;
        maxLen(errors, [...p, 'options', k, 'label'], o.label, 100, true);
        maxLen(errors, [...p, 'options', k, 'value'], o.value, 100, true);
        maxLen(errors, [...p, 'options', k, 'description'], o.description, 100);
      });
    }
  } else if (c.type === 4) {
    // text input (modals)
    checkCustomId(errors, p, c, seen);
    maxLen(errors, [...p, 'label'], c.label, 45);
  }
}

function countComponents(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + countComponents(v), 0);
  if (!isObject(value)) return 0;
  let n = typeof value.type === 'number' ? 1 : 0;
  if (value.components !== undefined) n += countComponents(value.components);
  if (isObject(value.accessory)) n += countComponents(value.accessory);
  return n;
}

function walkV2(errors: FieldError[], p: Path, value: unknown, seen: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walkV2(errors, [...p, i], v, seen);
    });
    return;
  }
  if (!isObject(value)) return;
  validateInteractive(errors, p, value, seen);
  if (value.components !== undefined) walkV2(errors, [...p, 'components'], value.components, seen);
  if (isObject(value.accessory)) walkV2(errors, [...p, 'accessory'], value.accessory, seen);
}

function validateComponents(errors: FieldError[], base: Path, components: unknown, flags: number): void {
  const seen = new Set<string>();
  if (flags & (1 << 15)) {
    // Components V2: up to 40 components in total, nested freely.
    if (components === undefined || components === null) return;
    if (!Array.isArray(components)) {
      errors.push({
        path: [...base, 'components'],
        code: 'LIST_TYPE_CONVERT',
        message: 'Only iterables may be used in a ListType',
      });
      return;
    }
    if (countComponents(components) > 40) {
      errors.push({
        path: [...base, 'components'],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 40 or fewer in length.',
      });
    }
    walkV2(errors, [...base, 'components'], components, seen);
    return;
  }
  const rows = arrayMax(errors, [...base, 'components'], components, 5);
  rows?.forEach((row, i) => {
    const p: Path = [...base, 'components', i];
    if (!isObject(row) || row.type !== 1) {
      errors.push({
        path: [...p, 'type'],
        code: 'UNION_TYPE_CHOICES',
        message: 'Value of field "type" must be one of (1,).',
      });
      return;
    }
    const children = arrayMax(errors, [...p, 'components'], row.components, 5);
    if (!children) {
      errors.push({ path: [...p, 'components'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      return;
    }
    if (children.length === 0) {
      errors.push({
        path: [...p, 'components'],
        code: 'BASE_TYPE_BAD_LENGTH',
        message: 'Must be between 1 and 5 in length.',
      });
    }
    const hasSelect = children.some((c) => isObject(c) && SELECT_TYPES.has(Number(c.type)));
    if (hasSelect && children.length > 1) {
      errors.push({
        path: [...p, 'components'],
        code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
        message: 'The specified component exceeds the maximum width',
      });
    }
    children.forEach((c, j) => {
      if (!isObject(c)) {
        errors.push({
          path: [...p, 'components', j],
          code: 'DICT_TYPE_CONVERT',
          message: 'Only dictionaries may be used in a DictType',
        });
        return;
      }
      validateInteractive(errors, [...p, 'components', j], c, seen);
    });
  });
}

function validateAllowedMentions(errors: FieldError[], base: Path, am: unknown): void {
  if (am === undefined || am === null) return;
  if (!isObject(am)) {
    errors.push({
      path: [...base, 'allowed_mentions'],
      code: 'DICT_TYPE_CONVERT',
      message: 'Only dictionaries may be used in a DictType',
    });
    return;
  }
  const parse = Array.isArray(am.parse) ? am.parse : [];
  for (const [i, v] of parse.entries()) {
    if (v !== 'users' && v !== 'roles' && v !== 'everyone') {
      errors.push({
        path: [...base, 'allowed_mentions', 'parse', i],
        code: 'BASE_TYPE_CHOICES',
        message: "Value must be one of ('users', 'roles', 'everyone').",
      });
    }
  }
  for (const kind of ['users', 'roles'] as const) {
    const list = am[kind];
    if (parse.includes(kind) && Array.isArray(list) && list.length > 0) {
      errors.push({
        path: [...base, 'allowed_mentions', kind],
        code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        message: `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      });
    }
    arrayMax(errors, [...base, 'allowed_mentions', kind], list, 100);
  }
}

export interface MessageValidation {
  errors: FieldError[];
  /** A create request with nothing to show (Discord: 50006 Cannot send an empty message). */
  empty: boolean;
}

/**
 * Validates message data (a channel message body, a webhook body, or the `data` of callback 4/7).
 * `base` prefixes error paths (['data'] for callbacks).
 */
export function validateMessage(
  body: unknown,
  opts: { create: boolean; hasFiles: boolean; base?: Path },
): MessageValidation {
  const base = opts.base ?? [];
  const errors: FieldError[] = [];
  if (body === undefined || body === null) {
    return { errors, empty: opts.create && !opts.hasFiles };
  }
  if (!isObject(body)) {
    errors.push({ path: base, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return { errors, empty: false };
  }
  maxLen(errors, [...base, 'content'], body.content, 2000);
  validateEmbeds(errors, base, body.embeds);
  let flags = 0;
  if (body.flags !== undefined && body.flags !== null) {
    if (typeof body.flags !== 'number' || !Number.isInteger(body.flags)) {
      errors.push({
        path: [...base, 'flags'],
        code: 'NUMBER_TYPE_COERCE',
        message: `Value "${String(body.flags)}" is not int.`,
      });
    } else {
      flags = body.flags;
    }
  }
  validateComponents(errors, base, body.components, flags);
  if (flags & (1 << 15)) {
    if (typeof body.content === 'string' && body.content.length > 0) {
      errors.push({
        path: [...base, 'content'],
        code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        message: "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
      });
    }
    if (Array.isArray(body.embeds) && body.embeds.length > 0) {
      errors.push({
        path: [...base, 'embeds'],
        code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        message: "The 'embeds' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
      });
    }
  }
  validateAllowedMentions(errors, base, body.allowed_mentions);
  const nonEmpty =
    (typeof body.content === 'string' && body.content.trim().length > 0) ||
    (Array.isArray(body.embeds) && body.embeds.length > 0) ||
    (Array.isArray(body.components) && body.components.length > 0) ||
    (Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0) ||
    (Array.isArray(body.attachments) && body.attachments.length > 0) ||
    isObject(body.poll) ||
    opts.hasFiles;
  return { errors, empty: opts.create && !nonEmpty };
}

/** Callback type 8: `data.choices`, at most 25, name 1–100, value ≤ 100 characters. */
export function validateAutocomplete(data: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (!isObject(data)) {
    errors.push({ path: ['data'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return errors;
  }
  const choices = arrayMax(errors, ['data', 'choices'], data.choices, 25);
  if (!choices) {
    errors.push({ path: ['data', 'choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return errors;
  }
  choices.forEach((choice, i) => {
    const p: Path = ['data', 'choices', i];
    if (!isObject(choice)) {
      errors.push({ path: p, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
      return;
    }
    maxLen(errors, [...p, 'name'], choice.name, 100, true);
    if (typeof choice.value === 'string') {
      maxLen(errors, [...p, 'value'], choice.value, 100);
    } else if (typeof choice.value !== 'number') {
      errors.push({ path: [...p, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    }
    if (isObject(choice.name_localizations)) {
      for (const [locale, v] of Object.entries(choice.name_localizations)) {
        maxLen(errors, [...p, 'name_localizations', locale], v, 100, true);
      }
    }
  });
  return errors;
}

/** Callback type 9 (modal). */
export function validateModal(data: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (!isObject(data)) {
    errors.push({ path: ['data'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return errors;
  }
  maxLen(errors, ['data', 'custom_id'], data.custom_id, 100, true);
  maxLen(errors, ['data', 'title'], data.title, 45, true);
  const rows = arrayMax(errors, ['data', 'components'], data.components, 5);
  if (!rows || rows.length === 0) {
    errors.push({
      path: ['data', 'components'],
      code: 'BASE_TYPE_BAD_LENGTH',
      message: 'Must be between 1 and 5 in length.',
    });
  }
  walkV2(errors, ['data', 'components'], data.components, new Set());
  return errors;
}

// Application command names: lowercase for slash commands
// (https://discord.com/developers/docs/interactions/application-commands).
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const LOCALES = new Set([
  'id',
  'da',
  'de',
  'en-GB',
  'en-US',
  'es-ES',
  'es-419',
  'fr',
  'hr',
  'it',
  'lt',
  'hu',
  'nl',
  'no',
  'pl',
  'pt-BR',
  'ro',
  'fi',
  'sv-SE',
  'vi',
  'tr',
  'cs',
  'el',
  'bg',
  'ru',
  'uk',
  'hi',
  'th',
  'zh-CN',
  'ja',
  'zh-TW',
  'ko',
]);

function checkName(errors: FieldError[], p: Path, name: unknown, chatInput: boolean): void {
  if (typeof name !== 'string') {
    errors.push({ path: p, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  if (chatInput) {
    if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
      errors.push({ path: p, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
    }
  } else {
    maxLen(errors, p, name, 32, true);
  }
}

function checkLocalizations(
  errors: FieldError[],
  p: Path,
  value: unknown,
  max: number,
  nameRule: boolean | null,
): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) {
    errors.push({ path: p, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return;
  }
  for (const [locale, v] of Object.entries(value)) {
    if (!LOCALES.has(locale)) {
      errors.push({ path: [...p, locale], code: 'LOCALE_INVALID', message: `Invalid locale "${locale}"` });
      continue;
    }
    if (nameRule !== null) checkName(errors, [...p, locale], v, nameRule);
    else maxLen(errors, [...p, locale], v, max, true);
  }
}

function validateOptions(errors: FieldError[], p: Path, options: unknown, depth: number): void {
  const list = arrayMax(errors, p, options, 25);
  if (!list) return;
  let sawOptional = false;
  const names = new Set<string>();
  list.forEach((o, i) => {
    const op: Path = [...p, i];
    if (!isObject(o)) {
      errors.push({ path: op, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
      return;
    }
    checkName(errors, [...op, 'name'], o.name, true);
    if (typeof o.name === 'string') {
      if (names.has(o.name)) {
        errors.push({
          path: [...op, 'name'],
          code: 'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS',
          message: 'Option name already exists',
        });
      }
      names.add(o.name);
    }
    maxLen(errors, [...op, 'description'], o.description, 100, true);
    checkLocalizations(errors, [...op, 'name_localizations'], o.name_localizations, 32, true);
    checkLocalizations(errors, [...op, 'description_localizations'], o.description_localizations, 100, null);
    if (typeof o.type !== 'number' || o.type < 1 || o.type > 11) {
      errors.push({
        path: [...op, 'type'],
        code: 'BASE_TYPE_CHOICES',
        message: 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.',
      });
    }
    if (o.type === 1 || o.type === 2) {
      if (depth >= 2 || (o.type === 2 && depth >= 1)) {
        errors.push({
          path: [...op, 'type'],
          code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID',
          message: 'Sub-command nesting too deep',
        });
      }
      validateOptions(errors, [...op, 'options'], o.options, depth + 1);
    } else {
      if (o.required === true && sawOptional) {
        errors.push({
          path: [...op, 'required'],
          code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          message: 'Required options must be placed before non-required options',
        });
      }
      if (o.required !== true) sawOptional = true;
      const choices = arrayMax(errors, [...op, 'choices'], o.choices, 25);
      choices?.forEach((c, k) => {
        if (!isObject(c)) return;
        maxLen(errors, [...op, 'choices', k, 'name'], c.name, 100, true);
        if (typeof c.value === 'string') maxLen(errors, [...op, 'choices', k, 'value'], c.value, 100);
      });
      if (o.autocomplete === true && Array.isArray(o.choices) && o.choices.length > 0) {
        errors.push({
          path: [...op, 'autocomplete'],
          code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES',
          message: 'Autocomplete cannot be set with choices',
        });
      }
    }
  });
}

/** One command of a registration body (PUT list element or POST body). */
export function validateCommand(errors: FieldError[], p: Path, cmd: unknown): void {
  if (!isObject(cmd)) {
    errors.push({ path: p, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return;
  }
  const type = cmd.type === undefined ? 1 : cmd.type;
  const chatInput = type === 1;
  checkName(errors, [...p, 'name'], cmd.name, chatInput);
  checkLocalizations(errors, [...p, 'name_localizations'], cmd.name_localizations, 32, chatInput);
  if (chatInput) {
    maxLen(errors, [...p, 'description'], cmd.description, 100, true);
    checkLocalizations(errors, [...p, 'description_localizations'], cmd.description_localizations, 100, null);
    validateOptions(errors, [...p, 'options'], cmd.options, 0);
  } else if (typeof cmd.description === 'string' && cmd.description.length > 0) {
    errors.push({
      path: [...p, 'description'],
      code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION',
      message: 'Context menu commands cannot have description',
    });
  }
  if (cmd.default_member_permissions !== undefined && cmd.default_member_permissions !== null) {
    if (typeof cmd.default_member_permissions !== 'string' || !/^\d+$/.test(cmd.default_member_permissions)) {
      errors.push({
        path: [...p, 'default_member_permissions'],
        code: 'STRING_TYPE_CONVERT',
        message: 'Must be a permission bitfield string.',
      });
    }
  }
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
    errors.push({ path: [...p, 'type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, 2, 3, 4}.' });
  }
}

/** A bulk overwrite body: limits per type and duplicate names. */
export function validateCommandList(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(body)) {
    errors.push({ path: [], code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' });
    return errors;
  }
  const seen = new Map<string, number>();
  const perType = new Map<number, number>();
  body.forEach((cmd, i) => {
    validateCommand(errors, [i], cmd);
    if (!isObject(cmd)) return;
    const type = typeof cmd.type === 'number' ? cmd.type : 1;
    perType.set(type, (perType.get(type) ?? 0) + 1);
    const key = `${type}:${String(cmd.name)}`;
    if (seen.has(key)) {
      errors.push({
        path: [i, 'name'],
        code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
        message: `Application command names must be unique`,
      });
    }
    seen.set(key, i);
  });
  const limits: [number, number][] = [
    [1, 100],
    [2, 15],
    [3, 15],
  ];
  for (const [type, max] of limits) {
    if ((perType.get(type) ?? 0) > max) {
      errors.push({
        path: [],
        code: 'BASE_TYPE_MAX_LENGTH',
        message: `Must be ${max} or fewer commands of type ${type}.`,
      });
    }
  }
  return errors;
}
