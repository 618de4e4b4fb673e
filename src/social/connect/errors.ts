import { AppError } from '../../platform/errors.ts';

// What can go wrong while connecting through a network's sign-in, said in Danish so the person knows whether to try
// again or whom to ask. Messages never carry a token, a code or anything the network answered verbatim.

export type ConnectProblem =
  /** The state is unknown, used, expired, or belongs to another sign-in. */
  | 'expired'
  /** The person said no at the network, or the network refused the request. */
  | 'declined'
  /** The network did not take the code (expired, used, another attempt's). */
  | 'refused_code'
  /** Mediehus' client id, secret or return address is not what the network knows. */
  | 'configuration'
  /** The person signed in as someone who is not the account in the registry. */
  | 'wrong_account'
  /** The network could not be reached or answered with an error of its own. */
  | 'unreachable'
  /** Facebook/X sign-in is not set up, or tokens cannot be stored. */
  | 'not_available';

const STATUS: Record<ConnectProblem, number> = {
  expired: 400,
  declined: 400,
  refused_code: 400,
  configuration: 502,
  wrong_account: 400,
  unreachable: 502,
  not_available: 400,
};

export class ConnectError extends AppError {
  readonly problem: ConnectProblem;
  /** The account being connected, when known, so the error page can offer to try again. */
  accountId: string | null;
  constructor(problem: ConnectProblem, message: string, accountId: string | null = null) {
    super(STATUS[problem], `connect_${problem}`, message);
    this.name = 'ConnectError';
    this.problem = problem;
    this.accountId = accountId;
  }
}

export const EXPIRED_MESSAGE =
  'Forbindelsesforsøget er udløbet, allerede brugt eller blev startet af en anden eller i et andet vindue. Start forfra fra kontoens side.';

export const unreachable = (label: string) => new ConnectError('unreachable', `${label} kunne ikke nås eller svarede med en fejl. Prøv igen om lidt.`);

/** An OAuth 2.0 error answer's `error` field, when the body has one. */
export function oauthErrorCode(body: unknown): string | null {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  return typeof error === 'string' ? error : null;
}
