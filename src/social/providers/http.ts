import { type CallOptions, ProviderError } from './types.ts';

// Small pieces the Facebook and X adapters share: the call's time limit, turning a lost connection into a retry,
// and reading reset times. Tokens never pass through here into a message.

export const DEFAULT_TIMEOUT_MS = 30_000;

export const timeoutOf = (options?: CallOptions): number => options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;

/** No answer in time, or no connection: the request may have reached the network, so it is a retry marked timedOut. */
export function unansweredError(label: string, error: unknown, timeoutMs: number): ProviderError {
  const name = error instanceof Error ? error.name : '';
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  const message = timedOut ? `${label}: no answer within ${timeoutMs} ms` : `${label}: network error`;
  return new ProviderError('retry', message, { timedOut: true });
}

export interface JsonAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body; null when the body was empty or not JSON. */
  body: unknown;
}

/**
 * One request with the call's time limit covering both the answer and its body. Network errors and timeouts become
 * ProviderError('retry', …, { timedOut: true }); any HTTP status comes back for the caller to sort.
 */
export async function requestJson(url: string, init: RequestInit, options: CallOptions | undefined, label: string): Promise<JsonAnswer> {
  const timeoutMs = timeoutOf(options);
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    throw unansweredError(label, error, timeoutMs);
  }
}

/** An epoch-seconds reset header (X's x-rate-limit-reset) as a time; null when absent or unreadable. */
export function epochSecondsHeader(value: string | string[] | null | undefined): Date | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === null || raw.trim() === '') return null;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null;
}

/** Keeps a network's message short and free of the token, whatever the network echoed back. */
export function cleanMessage(message: string, secrets: (string | null | undefined)[]): string {
  let out = message;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[token]');
  return out.replace(/\s+/g, ' ').trim().slice(0, 200);
}
