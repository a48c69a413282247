import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatBytes } from '../../engine/export/export-errors.ts';
import { type ExportProgress, exportProject } from '../../engine/export/export-project.ts';
import { loadProject } from '../../engine/project/load-project.ts';
import { type CliCommand, type CliIo, UsageError, writeLine } from '../cli-io.ts';
import { engineOptions } from '../engine-options.ts';

/** Packages at least this big report how far zipping got. */
const PROGRESS_FROM_BYTES = 8 * 1024 * 1024;

export const exportCommand: CliCommand = {
  summary: 'Write deploy packages: a zip per function and layer, and a template for sam deploy',
  usage: `Usage: lambdadesk export [DIR] --out OUT [--wheels DIR] [--json]

Builds the SAM project in DIR (default: the current folder) as \`sam build\` would, offline, and
writes OUT/functions/<Id>.zip, OUT/layers/<Id>.zip and OUT/template.yaml, whose CodeUri and
ContentUri point at those zips. Deploy it with \`sam deploy --template-file OUT/template.yaml\`,
or \`aws cloudformation package\` then \`aws cloudformation deploy\`.

The zips are the same bytes on every run. Lambda's limits (50 MB zipped, 250 MB unzipped with
layers, 5 layers, 4 KB of environment variables) are checked before OUT is written; OUT is
replaced only when the whole export succeeds.

  --out, -o OUT              output folder (new, empty, or a previous export)
  --wheels DIR               wheels for Python requirements.txt (pip runs offline, from DIR)
  --parameter-overrides K=V  template parameter values (repeatable)
  --region REGION            region used to resolve intrinsics (default us-east-1)
  --json                     print the result as JSON

Python requirements are installed with LAMBDADESK_PYTHON (default python3) and its pip.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        wheels: { type: 'string' },
        json: { type: 'boolean' },
        region: { type: 'string' },
        'parameter-overrides': { type: 'string', multiple: true },
      },
    });
    if (!values.out) throw new UsageError('Say where to write the packages with --out OUT.');
    if (positionals.length > 1) throw new UsageError(`Export takes one project folder, not ${positionals.length}.`);
    const options = engineOptions(positionals[0] ?? '.', io.cwd, values);
    const { model } = await loadProject(options.projectDir, { parameterOverrides: options.parameterOverrides, region: options.region });
    for (const w of model.warnings) writeLine(io.stderr, `warning: ${w.at.file}:${w.at.line}:${w.at.column} ${w.field}: ${w.message}`);

    const result = await exportProject({
      model,
      outDir: resolve(io.cwd, values.out),
      wheelsDir: values.wheels === undefined ? undefined : resolve(io.cwd, values.wheels),
      python: io.env.LAMBDADESK_PYTHON || undefined,
      onProgress: progressPrinter(io),
    });
    for (const warning of result.warnings) writeLine(io.stderr, `warning: ${warning}`);
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(result, null, 2));
      return 0;
    }
    const nearby = relative(io.cwd, result.outDir) || '.';
    const shown = nearby.startsWith('..') ? result.outDir : nearby;
    writeLine(io.stdout, `Exported ${result.packages.length} package(s) to ${shown}/`);
    const idWidth = Math.max(0, ...result.packages.map((p) => p.logicalId.length));
    const zipWidth = Math.max(0, ...result.packages.map((p) => p.zip.length));
    for (const p of result.packages) {
      writeLine(
        io.stdout,
        `  ${p.kind.padEnd(8)} ${p.logicalId.padEnd(idWidth)}  ${p.zip.padEnd(zipWidth)}  ${formatBytes(p.zippedBytes)} (${formatBytes(p.unzippedBytes)} unzipped, ${p.files} ${p.files === 1 ? 'file' : 'files'})`,
      );
    }
    writeLine(io.stdout, `  template ${`${shown}/template.yaml`}`);
    writeLine(io.stdout, `\nDeploy: sam deploy --template-file ${shown}/template.yaml --guided`);
    return 0;
  },
};

function progressPrinter(io: CliIo): (progress: ExportProgress) => void {
  let lastQuarter = -1;
  return (progress) => {
    if (progress.phase === 'build') {
      writeLine(io.stderr, `[${progress.index}/${progress.count}] ${progress.message}`);
    } else if (progress.phase === 'zip' && progress.bytesTotal !== undefined && progress.bytesTotal >= PROGRESS_FROM_BYTES) {
      const quarter = Math.floor(((progress.bytesDone ?? 0) / progress.bytesTotal) * 4);
      if (progress.bytesDone === 0) lastQuarter = -1;
      if (quarter === lastQuarter) return;
      lastQuarter = quarter;
      writeLine(io.stderr, `  zipping ${progress.logicalId}: ${quarter * 25}% of ${formatBytes(progress.bytesTotal)}`);
    } else if (progress.phase === 'check' || progress.phase === 'write') {
      writeLine(io.stderr, progress.message);
    }
  };
}
