import { describe, expect, it } from 'vitest';
import { maskUsername } from '../../src/modules/credentials/mask-username.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('maskUsername', () => {
  it.each([
    // The contract's examples.
    ['user@example.com', 'u***@example.com'],
    ['admin', 'a***'],
    // Empty and one-character local parts still get the suffix.
    ['@example.com', '***@example.com'],
    ['u@x.com', 'u***@x.com'],
    ['a', 'a***'],
    ['', '***'],
    // The last @ separates the domain; everything before it is the local part.
    ['"a@b"@example.com', '"***@example.com'],
    ['first@second@example.com', 'f***@example.com'],
    ['user@', 'u***@'],
    ['@', '***@'],
    // Unicode: the first user-perceived character is kept whole.
    ['😀x@example.com', '😀***@example.com'],
    ['Ünïcode@bücher.de', 'Ü***@bücher.de'],
    ['U\u0308nicode@example.com', 'U\u0308***@example.com'],
    ['👩‍💻dev@example.com', '👩‍💻***@example.com'],
    ['🇩🇪team@example.de', '🇩🇪***@example.de'],
    ['用户@例子.中国', '用***@例子.中国'],
    // Length never shows: a long and a short local part look alike.
    ['a-very-long-local-part@example.com', 'a***@example.com'],
    ['ab@example.com', 'a***@example.com'],
  ])('%j → %j', (username, masked) => {
    expect(maskUsername(username)).toBe(masked);
  });

  it('never leaves an unpaired surrogate', () => {
    for (const username of ['😀@example.com', '😀', '\u{1F600}\u{1F601}@x.org']) {
      expect(maskUsername(username)).not.toMatch(LONE_SURROGATE);
    }
  });
});
