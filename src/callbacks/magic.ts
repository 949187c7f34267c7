// The sandbox's magic callback URL: any URL on this host fails every attempt, without any
// network, so a developer can watch the retries, the classified error and Reenviar. The
// `.test` top-level domain is reserved and never resolves, so in production (where this
// module is never asked) such a URL simply fails its DNS lookup like any other bad host.

export const FAILING_HOST = 'falla.mpandco.test';
export const FAILING_STATUS = 503;
export const FAILING_BODY = 'Falla simulada del sandbox (falla.mpandco.test): este destino siempre responde 503.';

/** True for a URL on the failing host; only the sandbox asks. */
export function isFailingUrl(url: string): boolean {
  try {
    return new URL(url).hostname.toLowerCase() === FAILING_HOST;
  } catch {
    return false;
  }
}
