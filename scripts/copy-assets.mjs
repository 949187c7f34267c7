// The compiled server reads its templates and static files beside its own code.
import fs from 'node:fs';

for (const dir of ['web/views', 'web/static']) {
  fs.rmSync(`dist/${dir}`, { recursive: true, force: true });
  fs.cpSync(`src/${dir}`, `dist/${dir}`, { recursive: true });
}
