// `make package` / `npm run package`: the zip to publish, built from manifest.json,
// _locales/ and extension/ only (tools excluded), into dist/. The same staged folder
// (dist/extension/) is what `npm run lint:extension` and the test suite lint with web-ext.
//
//   node extension/tools/package.mjs          stage + zip  -> dist/fairclick-<version>.zip
//   node extension/tools/package.mjs --lint   stage + web-ext lint (exit 1 on any error)
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = join(ROOT, 'dist');
// Development-only folders inside extension/ that the published package leaves out.
const LEFT_OUT = [join(ROOT, 'extension', 'tools')];

/** Copies the extension's files into `target` (emptied first); returns the manifest. */
export async function stageExtension(target = join(DIST, 'extension')) {
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  await cp(join(ROOT, 'manifest.json'), join(target, 'manifest.json'));
  await cp(join(ROOT, '_locales'), join(target, '_locales'), { recursive: true });
  await cp(join(ROOT, 'extension'), join(target, 'extension'), {
    recursive: true,
    filter: (source) => !LEFT_OUT.some((folder) => source === folder || source.startsWith(`${folder}/`)),
  });
  return JSON.parse(await readFile(join(target, 'manifest.json'), 'utf8'));
}

/** web-ext's linter on a staged folder: its JSON report ({summary, errors, warnings, notices}). */
export async function lintExtension(sourceDir) {
  const { cmd } = await import('web-ext');
  return cmd.lint({ sourceDir, output: 'none', boring: true, selfHosted: false }, { shouldExitProgram: false });
}

/** Stages into `<dist>/extension` and zips it to `<dist>/fairclick-<version>.zip`; returns the zip's path. */
export async function buildPackage(dist = DIST) {
  const staged = join(dist, 'extension');
  await stageExtension(staged);
  const { cmd } = await import('web-ext');
  const { extensionPath } = await cmd.build(
    { sourceDir: staged, artifactsDir: dist, overwriteDest: true, filename: 'fairclick-{version}.zip' },
    { showReadyMessage: false },
  );
  return extensionPath;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--lint')) {
    const staged = join(DIST, 'extension');
    await stageExtension(staged);
    const report = await lintExtension(staged);
    for (const kind of ['errors', 'warnings', 'notices']) {
      for (const message of report[kind]) console.log(`${kind.slice(0, -1)}: ${message.code} ${message.file ?? ''} ${message.message}`);
    }
    console.log(`web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings`);
    process.exitCode = report.summary.errors ? 1 : 0;
  } else {
    console.log(await buildPackage());
  }
}
