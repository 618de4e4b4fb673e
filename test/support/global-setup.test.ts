import { describe, expect, it } from 'vitest';
import { checkChromium } from './global-setup.ts';

describe('the test run without Chromium', () => {
  it('stops with a message saying how to install it, instead of skipping the browser tests', () => {
    expect(() => checkChromium('/findes/ikke/chromium')).toThrow('kør "apt-get update && apt-get install -y chromium"');
  });
});
