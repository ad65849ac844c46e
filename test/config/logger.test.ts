import { describe, expect, it } from 'vitest';
import { maskAddress } from '../../src/log/logger.js';

describe('maskAddress', () => {
  it('keeps the channel and last three characters', () => {
    expect(maskAddress('whatsapp:6281234567890')).toBe('whatsapp:…890');
  });

  it('masks a bare number', () => {
    expect(maskAddress('6281234567890')).toBe('…890');
  });

  it('does not reveal a short id', () => {
    expect(maskAddress('web:ab')).toBe('web:…ab');
  });
});
