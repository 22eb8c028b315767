// The only form in which a username leaves the server: enough to recognise which mailbox a
// credential belongs to, not enough to learn the login name.
//
// `local@domain` keeps the first character of `local` and the whole domain; a username
// without `@` keeps only its first character. The suffix is always `***`, so the length of
// the username is never revealed, and an empty or one-character local part looks the same
// as a long one.

// A grapheme segmenter takes the first user-perceived character whole: an emoji made of a
// surrogate pair (or a ZWJ sequence) and a letter followed by combining accents are never
// cut in half, which would leave an unpaired surrogate or a bare letter in the output.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function maskUsername(username: string): string {
  // The LAST `@` separates the domain: a local part may itself contain a quoted `@`
  // ("a@b"@example.com), while a domain never does.
  const separator = username.lastIndexOf('@');
  if (separator === -1) return `${firstCharacter(username)}***`;
  return `${firstCharacter(username.slice(0, separator))}***${username.slice(separator)}`;
}

function firstCharacter(text: string): string {
  for (const { segment } of graphemes.segment(text)) return segment;
  return '';
}
