// Server-provided text (greetings, capability lists, certificate names) ends up in stored
// results. A server could echo what the client sent, so the credentials are cut out of it.
const MIN_REDACTED_LENGTH = 3;

export function redactCredentials(text: string, credentials: readonly string[]): string {
  let result = text;
  for (const credential of credentials) {
    // Very short values would blank out ordinary words; they cannot identify anyone either.
    if (credential.length < MIN_REDACTED_LENGTH) continue;
    const lower = credential.toLowerCase();
    let index = result.toLowerCase().indexOf(lower);
    while (index !== -1) {
      result = result.slice(0, index) + '[redacted]' + result.slice(index + credential.length);
      index = result.toLowerCase().indexOf(lower, index + '[redacted]'.length);
    }
  }
  return result;
}
