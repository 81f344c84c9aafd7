import { describe, expect, it } from 'vitest';
import demo from '../../tests/fixtures/demo-agent.ts';
import { renderMetadata } from './render.ts';
import { validateDtd, validateOcf11 } from '../../../testkit/src/metadata-schema.ts';

describe('renderMetadata', () => {
  const dtd = renderMetadata(demo, 'dtd');
  const ocf11 = renderMetadata(demo, 'ocf-1.1');

  it('is valid against ra-api-1.dtd (what ocf-tester checks)', () => {
    expect(validateDtd(dtd)).toEqual({ ok: true, output: '' });
  });
  it('is valid against the OCF 1.1 schema', () => {
    expect(validateOcf11(ocf11).ok).toBe(true);
  });
  it('escapes text', () => {
    expect(dtd).toContain('A demo agent with &quot;quotes&quot; &amp; &lt;tags&gt;.');
    expect(dtd).toContain('State file &amp; &lt;flag&gt;');
  });
  it('keeps OCF 1.1 additions out of the DTD flavour', () => {
    for (const word of ['reloadable', 'unique-group', '<deprecated>', '<option', 'reload-agent', 'type="select"']) {
      expect(dtd).not.toContain(word);
    }
    expect(dtd).toContain('role="Master"');
    expect(dtd).toContain('<content type="time" default="0s"/>');
  });
  it('says everything in OCF 1.1', () => {
    expect(ocf11).toContain('<version>1.1</version>');
    expect(ocf11).toContain('<parameter name="fast" unique="0" required="0" reloadable="1">');
    expect(ocf11).toContain('<parameter name="mode" unique-group="g" unique="0" required="0">');
    expect(ocf11).toContain('<option value="b"/>');
    expect(ocf11).toContain('<replaced-with name="level"/>');
    expect(ocf11).toContain('<action name="reload-agent" timeout="5s"/>');
    expect(ocf11).toContain('<action name="monitor" timeout="10s" interval="11s" depth="0" role="Promoted"/>');
    expect(ocf11).toContain('<content type="string" default="label-&lt;instance&gt;"/>');
  });
  it('shows a path as a string: OCF has no path type', () => {
    for (const xml of [dtd, ocf11]) expect(xml).toContain('<content type="string" default="/var/lib/demo"/>');
  });
});
