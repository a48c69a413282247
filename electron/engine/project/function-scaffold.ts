import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getIn, isPlainObject } from './plain-edits.ts';

/**
 * Gives a function added on the canvas a code folder with a handler, so that the project loads
 * and the function runs at once. Existing files and folders are never touched, and undo leaves
 * the code in place: code is the user's, the template is only where it is declared.
 */
export async function scaffoldFunctionCode(templateDir: string, template: unknown, logicalId: string): Promise<string[]> {
  if (getIn(template, ['Resources', logicalId, 'Type']) !== 'AWS::Serverless::Function') return [];
  const properties = getIn(template, ['Resources', logicalId, 'Properties']);
  if (!isPlainObject(properties) || typeof properties.CodeUri !== 'string') return [];
  const folder = path.resolve(templateDir, properties.CodeUri);
  // CodeUri outside the project is someone else's folder.
  if (path.relative(templateDir, folder).startsWith('..') || path.isAbsolute(path.relative(templateDir, folder))) return [];
  if (await stat(folder).catch(() => undefined)) return [];
  await mkdir(folder, { recursive: true });
  const runtime = typeof properties.Runtime === 'string' ? properties.Runtime : '';
  const handler = typeof properties.Handler === 'string' ? properties.Handler : '';
  const dot = handler.lastIndexOf('.');
  const [file, exported] = dot > 0 ? [handler.slice(0, dot), handler.slice(dot + 1)] : ['', ''];
  if (!/^[A-Za-z0-9_/-]+$/.test(file) || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(exported)) return [folder];
  if (runtime.startsWith('nodejs')) {
    const target = path.join(folder, `${file}.mjs`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, nodeHandler(logicalId, exported), { flag: 'wx' });
    return [folder, target];
  }
  if (runtime.startsWith('python') && !file.includes('-')) {
    const target = path.join(folder, `${file}.py`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, pythonHandler(logicalId, exported), { flag: 'wx' });
    return [folder, target];
  }
  return [folder];
}

function nodeHandler(logicalId: string, exported: string): string {
  return `// ${logicalId}: runs once per event of each trigger linked to it on the canvas.
export const ${exported} = async (event, context) => {
  console.log('${logicalId} received', JSON.stringify(event));
  return { statusCode: 200, body: JSON.stringify({ message: 'Hello from ${logicalId}', requestId: context.awsRequestId }) };
};
`;
}

function pythonHandler(logicalId: string, exported: string): string {
  return `import json


# ${logicalId}: runs once per event of each trigger linked to it on the canvas.
def ${exported}(event, context):
    print("${logicalId} received", json.dumps(event))
    return {"statusCode": 200, "body": json.dumps({"message": "Hello from ${logicalId}", "requestId": context.aws_request_id})}
`;
}
