// debian/copyright in the machine-readable format (DEP-5), for the .deb; the RPM carries the same
// file as %license. Our code is GPL-2.0-or-later; the bundle also contains the npm packages
// esbuild put in it (all MIT today), each listed with its own copyright line.
const GPL_NOTICE = ` This program is free software; you can redistribute it and/or modify
 it under the terms of the GNU General Public License as published by
 the Free Software Foundation; either version 2 of the License, or
 (at your option) any later version.
 .
 This program is distributed in the hope that it will be useful,
 but WITHOUT ANY WARRANTY; without even the implied warranty of
 MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 GNU General Public License for more details.
 .
 On Debian systems, the complete text of the GNU General Public License
 version 2 can be found in "/usr/share/common-licenses/GPL-2".`;

const MIT = `MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software and associated documentation files (the "Software"), to deal
 in the Software without restriction, including without limitation the rights
 to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is
 furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in
 all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
 THE SOFTWARE.`;

export const UPSTREAM = { name: 'ocfkit', contact: 'ocfkit developers <ocfkit@users.noreply.github.com>', source: 'https://github.com/ocfkit/ocfkit', copyright: 'ocfkit developers' };

/**
 * bundled: [{ name, version, license, copyright: [lines] }]; extra: more paragraphs, e.g. Node.js
 * itself for the standalone binary ({ files, copyright, license, comment }).
 */
export function renderCopyright({ year, bundled = [], extra = [] }) {
  const licenses = new Set();
  const paragraphs = [
    [
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
      `Upstream-Name: ${UPSTREAM.name}`,
      `Upstream-Contact: ${UPSTREAM.contact}`,
      `Source: ${UPSTREAM.source}`,
    ],
    ['Files: *', `Copyright: ${year} ${UPSTREAM.copyright}`, 'License: GPL-2.0-or-later'],
  ];
  for (const p of bundled) {
    if (p.license !== 'MIT') throw new Error(`${p.name}: license ${p.license} has no text here yet; add it to copyright.mjs`);
    licenses.add('MIT');
    paragraphs.push([
      `Files: node_modules/${p.name}/*`,
      `Copyright: ${p.copyright.map((l) => l.replace(/^copyright\s*(\(c\)|©)?\s*/i, '')).join('\n ')}`,
      `License: ${p.license}`,
      `Comment: ${p.name} ${p.version}, bundled into the executable.`,
    ]);
  }
  for (const p of extra) {
    paragraphs.push([`Files: ${p.files}`, `Copyright: ${p.copyright}`, `License: ${p.license}`, ...(p.comment ? [`Comment: ${p.comment}`] : [])]);
    licenses.add(p.license);
  }
  paragraphs.push([`License: GPL-2.0-or-later`, GPL_NOTICE]);
  if (licenses.has('MIT')) paragraphs.push([`License: ${MIT}`]);
  return `${paragraphs.map((p) => p.join('\n')).join('\n\n')}\n`;
}

