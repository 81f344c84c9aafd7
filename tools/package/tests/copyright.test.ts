import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { renderCopyright } from '../src/copyright.mjs';

describe('debian/copyright', () => {
  it('gives each bundled npm package its own paragraph, and the MIT text once', () => {
    const text: string = renderCopyright({
      year: '2026',
      bundled: [
        { name: 'left-pad', version: '1.3.0', license: 'MIT', copyright: ['Copyright (c) 2014 Some One'] },
        { name: '@scope/thing', version: '2.0.0', license: 'MIT', copyright: ['Thing authors and contributors'] },
      ],
    });
    expect(text).toContain('Files: node_modules/left-pad/*\nCopyright: 2014 Some One\nLicense: MIT\nComment: left-pad 1.3.0, bundled into the executable.');
    expect(text).toContain('Files: node_modules/@scope/thing/*\nCopyright: Thing authors and contributors\nLicense: MIT\n');
    expect(text.match(/\nLicense: MIT\n Permission is hereby granted/g)).toHaveLength(1);
  });

  it('refuses a license it has no text for', () => {
    expect(() => renderCopyright({ year: '2026', bundled: [{ name: 'x', version: '1.0.0', license: 'GPL-3.0', copyright: ['x'] }] })).toThrow(/license GPL-3.0 has no text/);
  });

  it('without bundled packages: our paragraph and the GPL only', () => {
    const text: string = renderCopyright({ year: '2026' });
    expect(text).toContain('Files: *\nCopyright: 2026 ocfkit developers\nLicense: GPL-2.0-or-later');
    expect(text).not.toContain('License: MIT');
  });
});
