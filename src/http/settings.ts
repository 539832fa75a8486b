import { isIP } from 'node:net';
import { ConfigError } from '../config.js';

/** What `npm run start:http` reads besides the bot's configuration (readConfig). */
export interface HttpSettings {
  /** The application's Ed25519 public key, 64 hex characters (developer portal → General Information). */
  publicKey: string;
  /** Port of `POST /interactions` (0: any free port, which the start log line gives). */
  port: number;
  /** Address to listen on; null: every interface, as Node does by default. */
  host: string | null;
}

export const DEFAULT_HTTP_PORT = 3000;

/** Validates DISCORD_PUBLIC_KEY, HTTP_PORT and HTTP_HOST. Throws one ConfigError naming every problem. */
export function readHttpSettings(env: NodeJS.ProcessEnv): HttpSettings {
  const problems: string[] = [];
  const get = (k: string): string | undefined => env[k]?.trim() || undefined;
  const publicKey = get('DISCORD_PUBLIC_KEY')?.toLowerCase();
  if (!publicKey)
    problems.push(
      'DISCORD_PUBLIC_KEY manque (la clé publique de l’application, portail développeur → General Information)',
    );
  else if (!/^[0-9a-f]{64}$/.test(publicKey))
    problems.push('DISCORD_PUBLIC_KEY doit faire 64 caractères hexadécimaux (0-9, a-f)');
  const portRaw = get('HTTP_PORT') ?? String(DEFAULT_HTTP_PORT);
  const port = Number(portRaw);
  if (!/^\d{1,5}$/.test(portRaw) || port > 65535) problems.push('HTTP_PORT doit être un numéro de port, de 0 à 65535');
  const host = get('HTTP_HOST') ?? null;
  if (host !== null && isIP(host) === 0)
    problems.push('HTTP_HOST doit être une adresse IP, par exemple 127.0.0.1 ou 0.0.0.0');
  if (problems.length > 0) throw new ConfigError(`Configuration invalide :\n- ${problems.join('\n- ')}`);
  return { publicKey: publicKey!, port, host };
}
