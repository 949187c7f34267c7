// The compiled server reads its templates and static files beside its own code. Files are
// overwritten in place (no delete first): several test runs may build at the same moment.
import fs from 'node:fs';

for (const dir of ['web/views', 'web/static']) {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.cpSync(`src/${dir}`, `dist/${dir}`, { recursive: true, force: true });
      break;
    } catch (e) {
      if (attempt >= 5 || !['EEXIST', 'ENOENT'].includes(e.code)) throw e;
    }
  }
}
