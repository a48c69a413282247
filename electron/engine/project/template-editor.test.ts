import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { TemplateChangedError } from './edit-errors.ts';
import { loadProject } from './load-project.ts';
import { TemplateEditor } from './template-editor.ts';
import type { TemplateEdit } from './template-edits.ts';
import { sha256 } from './template-edits.ts';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/projects/editing/commented');
const scratch = mkdtempSync(path.join(tmpdir(), 'template-editor-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(): { dir: string; templatePath: string; stateDir: string; original: string; editor: TemplateEditor } {
  const dir = mkdtempSync(path.join(scratch, 'project-'));
  cpSync(fixture, dir, { recursive: true });
  const templatePath = path.join(dir, 'template.yaml');
  const stateDir = path.join(dir, '.lambdadesk');
  return { dir, templatePath, stateDir, original: readFileSync(templatePath, 'utf8'), editor: new TemplateEditor({ templatePath, stateDir }) };
}

const memory = (value: number): TemplateEdit => ({ kind: 'set-property', path: ['Resources', 'OrdersApi', 'Properties', 'MemorySize'], value });

describe('TemplateEditor', () => {
  test('apply writes the previewed text; undo and redo give back the exact bytes', async () => {
    const { templatePath, original, editor } = project();
    const preview = await editor.preview([memory(512)]);
    expect(preview.baseHash).toBe(sha256(original));
    const applied = await editor.apply([memory(512)], preview.baseHash);
    expect(applied.text).toBe(preview.after);
    expect(readFileSync(templatePath, 'utf8')).toBe(preview.after);
    expect(applied.hash).toBe(sha256(preview.after));

    await editor.apply([memory(1024)], applied.hash);
    const edited = readFileSync(templatePath, 'utf8');
    expect(await editor.historyCounts()).toEqual({ undo: 2, redo: 0 });

    expect((await editor.undo())?.text).toBe(preview.after);
    expect(readFileSync(templatePath, 'utf8')).toBe(preview.after);
    expect((await editor.undo())?.hash).toBe(sha256(original));
    expect(readFileSync(templatePath, 'utf8')).toBe(original);
    expect(await editor.undo()).toBeUndefined();

    await editor.redo();
    await editor.redo();
    expect(readFileSync(templatePath, 'utf8')).toBe(edited);
    expect(await editor.redo()).toBeUndefined();
  });

  test('a new change after undo clears redo', async () => {
    const { editor } = project();
    await editor.apply([memory(512)]);
    await editor.undo();
    await editor.apply([memory(2048)]);
    expect(await editor.historyCounts()).toEqual({ undo: 1, redo: 0 });
  });

  test('apply refuses when the file changed on disk since the preview, and writes nothing', async () => {
    const { templatePath, editor } = project();
    const preview = await editor.preview([memory(512)]);
    const external = preview.before.replace('Timeout: 10', 'Timeout: 11');
    writeFileSync(templatePath, external);
    await expect(editor.apply([memory(512)], preview.baseHash)).rejects.toThrow(TemplateChangedError);
    await expect(editor.apply([memory(512)], preview.baseHash)).rejects.toThrow('template.yaml changed on disk since the preview was made');
    expect(readFileSync(templatePath, 'utf8')).toBe(external);
  });

  test('undo refuses to overwrite a change made by another editor', async () => {
    const { templatePath, editor } = project();
    const applied = await editor.apply([memory(512)]);
    const external = `${applied.text}# added in another editor\n`;
    writeFileSync(templatePath, external);
    await expect(editor.undo()).rejects.toThrow(TemplateChangedError);
    expect(readFileSync(templatePath, 'utf8')).toBe(external);
    expect(await editor.historyCounts()).toEqual({ undo: 1, redo: 0 });
  });

  test('the history survives a restart: a new editor on the same project can undo', async () => {
    const { templatePath, stateDir, original, editor } = project();
    await editor.apply([memory(512)]);
    const reopened = new TemplateEditor({ templatePath, stateDir });
    await reopened.undo();
    expect(readFileSync(templatePath, 'utf8')).toBe(original);
    expect(existsSync(path.join(stateDir, 'template-history.json'))).toBe(true);
  });

  test('applies made at the same time run one after the other; neither is lost', async () => {
    const { templatePath, editor } = project();
    await Promise.all([
      editor.apply([memory(512)]),
      editor.apply([{ kind: 'set-property', path: ['Resources', 'Reports', 'Properties', 'Timeout'], value: 120 }]),
    ]);
    const text = readFileSync(templatePath, 'utf8');
    expect(text).toContain('MemorySize: 512 # MB');
    expect(text).toContain('Timeout: 120');
    expect(await editor.historyCounts()).toEqual({ undo: 2, redo: 0 });
  });

  test('an edit that changes nothing writes nothing and records nothing', async () => {
    const { editor, original } = project();
    const applied = await editor.apply([{ kind: 'add-access', functionId: 'OrdersApi', targetId: 'OrdersQueue', access: 'write' }]);
    expect(applied).toEqual({ text: original, hash: sha256(original), createdFiles: [] });
    expect(await editor.historyCounts()).toEqual({ undo: 0, redo: 0 });
  });

  test('a function added on the canvas gets a handler, and the project loads and keeps its code on undo', async () => {
    const { dir, editor } = project();
    const applied = await editor.apply([{ kind: 'add-resource', resourceType: 'AWS::Serverless::Function' }]);
    const handler = path.join(dir, 'src/function1/index.mjs');
    expect(applied.createdFiles).toEqual([path.join(dir, 'src/function1'), handler]);
    expect(readFileSync(handler, 'utf8')).toContain('export const handler = async (event, context) =>');
    const loaded = await loadProject(dir);
    expect(loaded.model.functions.map((fn) => fn.logicalId)).toContain('Function1');
    await editor.undo();
    expect(existsSync(handler)).toBe(true);
  });
});
