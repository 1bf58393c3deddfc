// Giving files to the page from a Playwright test the way a user does by
// dragging them onto it: a drop event on #drop-zone carrying File objects.
// (setInputFiles covers the file picker; this covers drag and drop.)
import { readFileSync } from 'node:fs';

export async function drop(page, paths) {
  const files = paths.map((p) => ({ name: p.split('/').pop(), b64: readFileSync(p).toString('base64') }));
  const dt = await page.evaluateHandle((files) => {
    const d = new DataTransfer();
    for (const f of files) {
      const bin = atob(f.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      d.items.add(new File([bytes], f.name));
    }
    return d;
  }, files);
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: dt });
}
