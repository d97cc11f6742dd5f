/**
 * Decides whether the value under a key must be hidden. Exporters that write to logs (debug) use it
 * so credentials that arrive as labels or attributes never reach a log; the file exporter writes
 * data as received and passes none.
 */
export type Redactor = (key: string) => boolean;

/** Key names that usually hold credentials. */
// Narrow enough that `author` or `bypass` stay visible.
const SECRET_KEY = /passw|^pass$|secret|token|api[_-]?key|authori[sz]ation|^auth$|cookie|credential|private[_-]?key/i;

export const redactSecrets: Redactor = (key) => SECRET_KEY.test(key);

export const REDACTED = '"[REDACTED]"';
