import { describe, expect, it } from 'vitest';
import { describeContact } from '../../src/complaints/contact.js';

describe('describeContact', () => {
  it('shows a WhatsApp phone number', () => {
    expect(describeContact('whatsapp', '6281234567890')).toBe('whatsapp +6281234567890');
  });

  it('hides a WhatsApp LID', () => {
    expect(describeContact('whatsapp', 'lid:201234567890123')).toBe('whatsapp (phone number not known yet)');
  });

  it('shows other channels as they are', () => {
    expect(describeContact('telegram', '1001')).toBe('telegram 1001');
  });
});
