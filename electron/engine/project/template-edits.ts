import { createHash } from 'node:crypto';
import { LambdaDeskError } from '../errors.ts';
import { freeVariableName, planAccess, policiesAsList } from './access-policies.ts';
import { TemplateEditError, fieldProblem } from './edit-errors.ts';
import type { FieldProblem } from './edit-errors.ts';
import { SAM_EVENT_TYPES, checkTouchedFields, isIntrinsic, referencedId } from './field-rules.ts';
import { JsonTextEdit } from './json-text-edit.ts';
import { PathError, getIn, isPlainObject, plainEqual } from './plain-edits.ts';
import { blueprintProperties, logicalIdBase, nextLogicalId } from './resource-blueprints.ts';
import { TemplateDocument } from './template-document.ts';
import type { PathSegment } from './template-document.ts';
import { formatPath } from './template-node.ts';
import { unifiedDiff } from './text-diff.ts';
import { YamlTextEdit } from './yaml-cst-edit.ts';

export type { PathSegment } from './template-document.ts';
export type { FieldProblem } from './edit-errors.ts';

export type TemplateEdit =
  /** `logicalId` is generated when absent: Queue1, Queue2, … */
  | { kind: 'add-resource'; logicalId?: string; resourceType: string; properties?: Record<string, unknown> }
  /** Adds `Resources.<functionId>.Properties.Events.<eventName>`; the name is generated when absent. */
  | { kind: 'add-event'; functionId: string; eventName?: string; eventType: string; properties: Record<string, unknown> }
  /** Intrinsics are given in their JSON form (`{ Ref: 'X' }`) and written as `!Ref X` where the file uses short tags. */
  | { kind: 'set-property'; path: PathSegment[]; value: unknown }
  | { kind: 'remove'; path: PathSegment[] }
  /** A SAM policy template scoped to the target and an environment variable naming it. */
  | { kind: 'add-access'; functionId: string; targetId: string; access: 'read' | 'write' | 'read-write' };

/** What one edit did, for the caller to select or place what was created. */
export interface EditResult {
  kind: TemplateEdit['kind'];
  /** The entry the edit created or changed, e.g. `['Resources', 'Queue1']`. */
  path: PathSegment[];
  /** The resource added (add-resource), or the function changed (add-event, add-access). */
  logicalId?: string;
  /** The event added (add-event). */
  eventName?: string;
  /** The environment variable through which the code finds the target (add-access). */
  variableName?: string;
}

export interface EditPreview {
  before: string;
  after: string;
  /** Unified diff, 3 lines of context, file names `a/template.yaml` and `b/template.yaml`. */
  diff: string;
  changed: boolean;
  /** sha256 of `before`: pass it to `TemplateEditor.apply` so that a file changed since is not overwritten. */
  baseHash: string;
  format: 'yaml' | 'json';
  results: EditResult[];
  /** Things the template will still get wrong on deploy (not errors for LambdaDesk), in plain words. */
  warnings: string[];
}

export interface PreviewOptions {
  /** The template's file name, for the diff headers and messages; default `template.yaml`. */
  fileName?: string;
}

/**
 * The template text after `edits`, and a diff to show before anything is written. Pure: reads
 * and writes nothing. Throws `TemplateEditError` listing every problem (an unknown function, a
 * logical id already taken, a path that is not there, a value out of range), each with the
 * field it belongs to and its fix.
 */
export function previewEdits(templateText: string, edits: TemplateEdit[], options: PreviewOptions = {}): EditPreview {
  const fileName = options.fileName ?? 'template.yaml';
  const plan = planEdits(templateText, edits, fileName);
  if (plan.problems.length > 0) throw new TemplateEditError(plan.problems, fileName);
  return {
    before: templateText,
    after: plan.after,
    diff: unifiedDiff(plan.diffBefore, plan.diffAfter, { fromFile: `a/${fileName}`, toFile: `b/${fileName}` }),
    changed: plan.after !== templateText,
    baseHash: sha256(templateText),
    format: plan.format,
    results: plan.results,
    warnings: plan.warnings,
  };
}

/** The problems `previewEdits` would throw, as data, for showing next to the inspector's fields while the user types. */
export function checkEdits(templateText: string, edits: TemplateEdit[], options: PreviewOptions = {}): FieldProblem[] {
  return planEdits(templateText, edits, options.fileName ?? 'template.yaml').problems;
}

/** The template as CloudFormation's JSON sees it (short tags as their long forms). */
export function templateValue(templateText: string, fileName = 'template.yaml'): unknown {
  const { body } = unwrap(templateText);
  if (isJsonTemplate(body, fileName)) return new JsonTextEdit(body).plain();
  return new YamlTextEdit(body).plain();
}

/** `template.json`, or a template written as JSON under a YAML name (YAML reads JSON too, but it is edited as JSON). */
function isJsonTemplate(body: string, fileName: string): boolean {
  if (fileName.endsWith('.json')) return true;
  if (!body.trimStart().startsWith('{')) return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

interface Plan {
  after: string;
  diffBefore: string;
  diffAfter: string;
  format: 'yaml' | 'json';
  results: EditResult[];
  warnings: string[];
  problems: FieldProblem[];
}

type Editable = YamlTextEdit | JsonTextEdit;

/** Line endings and a byte order mark are taken off for editing and put back on the result. */
function unwrap(text: string): { body: string; restore: (body: string) => string } {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const withoutBom = text.slice(bom.length);
  const crlf = withoutBom.includes('\r\n') && !/(^|[^\r])\n/.test(withoutBom);
  const body = crlf ? withoutBom.replace(/\r\n/g, '\n') : withoutBom;
  return { body, restore: (edited) => bom + (crlf ? edited.replace(/\n/g, '\r\n') : edited) };
}

function planEdits(templateText: string, edits: readonly TemplateEdit[], fileName: string): Plan {
  const { body, restore } = unwrap(templateText);
  const format = isJsonTemplate(body, fileName) ? 'json' : 'yaml';
  let editor: Editable;
  try {
    editor = format === 'json' ? new JsonTextEdit(body) : openYaml(body, fileName);
  } catch (err) {
    if (err instanceof TemplateEditError) return failed(templateText, format, err.problems);
    throw err;
  }
  const session = new EditSession(editor);
  edits.forEach((edit, index) => session.run(edit, index));
  const problems = [...session.problems];
  if (problems.length === 0) problems.push(...checkTouchedFields(editor.plain(), session.touched));
  const warnings = [...session.warnings, ...deployWarnings(editor.plain(), session.touched)];
  if (editor instanceof JsonTextEdit && editor.reformatted && editor.text !== body) {
    warnings.push(`${fileName} was not laid out the way LambdaDesk writes JSON (its indentation, one value per line); the whole file is rewritten in that layout.`);
  }
  const edited = session.results.length === edits.length && problems.length === 0 ? editor.text : body;
  return { after: restore(edited), diffBefore: body, diffAfter: edited, format, results: session.results, warnings, problems };
}

function openYaml(body: string, fileName: string): YamlTextEdit {
  const parsed = TemplateDocument.parse(fileName, body);
  const [first] = parsed.syntaxErrors();
  if (first) throw new TemplateEditError([fieldProblem([], `${first.message} The template must read without errors before LambdaDesk edits it.`, first.fix ?? 'Fix the YAML syntax first.')], fileName);
  return new YamlTextEdit(body);
}

function failed(text: string, format: 'yaml' | 'json', problems: readonly FieldProblem[]): Plan {
  return { after: text, diffBefore: text, diffAfter: text, format, results: [], warnings: [], problems: [...problems] };
}

/** Runs the edits of one batch on one editor, collecting what they touched, produced and got wrong. */
class EditSession {
  readonly touched: PathSegment[][] = [];
  readonly results: EditResult[] = [];
  readonly warnings: string[] = [];
  readonly problems: FieldProblem[] = [];

  constructor(private readonly editor: Editable) {}

  run(edit: TemplateEdit, index: number): void {
    try {
      const result = this.apply(edit);
      this.results.push(result);
    } catch (err) {
      if (err instanceof TemplateEditError) this.problems.push(...err.problems);
      else if (err instanceof PathError) this.problems.push(fieldProblem(err.path, err.message, err.fix));
      else if (err instanceof LambdaDeskError) this.problems.push(fieldProblem([], `Edit ${index + 1} (${edit.kind}): ${err.message}`, err.fix ?? 'Make this change in a text editor.'));
      else throw err;
    }
  }

  private get template(): unknown {
    return this.editor.plain();
  }

  private apply(edit: TemplateEdit): EditResult {
    switch (edit.kind) {
      case 'add-resource':
        return this.addResource(edit);
      case 'add-event':
        return this.addEvent(edit);
      case 'set-property':
        return this.setProperty(edit.path, edit.value);
      case 'remove':
        return this.remove(edit.path);
      case 'add-access':
        return this.addAccess(edit);
      default:
        throw reject([], `"${(edit as { kind?: unknown }).kind as string}" is not an edit LambdaDesk knows.`, 'Use add-resource, add-event, set-property, remove or add-access.');
    }
  }

  private addResource(edit: Extract<TemplateEdit, { kind: 'add-resource' }>): EditResult {
    const type = edit.resourceType;
    if (typeof type !== 'string' || !/^(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+(::[A-Za-z0-9]+)?|Custom::[A-Za-z0-9_@-]+)$/.test(type)) {
      throw reject(['Resources'], `${JSON.stringify(type)} is not a resource type.`, 'Use a type such as AWS::SQS::Queue or AWS::Serverless::Function.');
    }
    const taken = this.takenIds();
    const logicalId = edit.logicalId ?? nextLogicalId(logicalIdBase(type), new Set(taken.keys()));
    const path: PathSegment[] = ['Resources', logicalId];
    if (!/^[A-Za-z0-9]{1,255}$/.test(logicalId)) {
      throw reject(path, `"${logicalId}" is not a valid logical id.`, 'Use letters and digits only (at most 255), e.g. OrdersQueue.');
    }
    const owner = taken.get(logicalId);
    if (owner) {
      throw reject(path, `${logicalId} is already used by ${owner}.`, `Choose another logical id, e.g. ${nextLogicalId(logicalId, new Set(taken.keys()))}.`);
    }
    if (edit.properties !== undefined && !isPlainObject(edit.properties)) throw reject([...path, 'Properties'], 'Properties must be a mapping.', 'Pass the properties as an object.');
    const properties = { ...blueprintProperties(type, logicalId), ...(edit.properties ?? {}) };
    this.editor.set(path, { Type: type, ...(Object.keys(properties).length > 0 ? { Properties: properties } : {}) });
    this.touched.push(path);
    return { kind: 'add-resource', path, logicalId };
  }

  /** Logical ids in use, with what uses them: resources and parameters share one namespace for `!Ref`. */
  private takenIds(): Map<string, string> {
    const taken = new Map<string, string>();
    const parameters = getIn(this.template, ['Parameters']);
    if (isPlainObject(parameters)) for (const id of Object.keys(parameters)) taken.set(id, 'a parameter');
    const resources = getIn(this.template, ['Resources']);
    if (isPlainObject(resources)) {
      for (const [id, resource] of Object.entries(resources)) {
        const type = isPlainObject(resource) && typeof resource.Type === 'string' ? resource.Type : 'resource';
        taken.set(id, `a resource (${type})`);
      }
    }
    return taken;
  }

  private functionPath(functionId: string): PathSegment[] {
    const path: PathSegment[] = ['Resources', functionId];
    const resource = getIn(this.template, path);
    if (resource === undefined) {
      const functions = this.functionIds();
      throw reject(path, `There is no function ${functionId} in the template.`, functions.length > 0 ? `Use one of: ${functions.join(', ')}.` : 'Add a function first.');
    }
    const type = isPlainObject(resource) ? resource.Type : undefined;
    if (type !== 'AWS::Serverless::Function') {
      throw reject(path, `${functionId} is ${typeof type === 'string' ? `an ${type}` : 'not a resource with a Type'}, not an AWS::Serverless::Function.`, 'Link events and access to a function.');
    }
    return path;
  }

  private functionIds(): string[] {
    const resources = getIn(this.template, ['Resources']);
    if (!isPlainObject(resources)) return [];
    return Object.entries(resources)
      .filter(([, resource]) => isPlainObject(resource) && resource.Type === 'AWS::Serverless::Function')
      .map(([id]) => id);
  }

  private addEvent(edit: Extract<TemplateEdit, { kind: 'add-event' }>): EditResult {
    const functionPath = this.functionPath(edit.functionId);
    const eventsPath = [...functionPath, 'Properties', 'Events'];
    const events = getIn(this.template, eventsPath);
    if (events !== undefined && events !== null && !isPlainObject(events)) {
      throw reject(eventsPath, 'Events is not a mapping here (it may be an intrinsic function), so LambdaDesk cannot add to it.', 'Edit Events in a text editor.');
    }
    if (!(SAM_EVENT_TYPES as readonly string[]).includes(edit.eventType)) {
      throw reject([...eventsPath, edit.eventName ?? ''], `${JSON.stringify(edit.eventType)} is not a SAM event type.`, `Use one of ${SAM_EVENT_TYPES.join(', ')}.`);
    }
    if (!isPlainObject(edit.properties)) throw reject(eventsPath, 'The event properties must be a mapping.', 'Pass the properties as an object.');
    const existing = isPlainObject(events) ? events : {};
    const eventName = edit.eventName ?? uniqueName(eventNameFor(edit.eventType, edit.properties), existing);
    const path = [...eventsPath, eventName];
    if (!/^[A-Za-z0-9]+$/.test(eventName)) throw reject(path, `"${eventName}" is not a valid event name.`, 'Use letters and digits only: SAM makes resource names from it.');
    if (Object.hasOwn(existing, eventName)) {
      throw reject(path, `${edit.functionId} already has an event named ${eventName}.`, `Choose another name, e.g. ${uniqueName(eventName, existing)}.`);
    }
    this.prepareEventSource(edit, path);
    this.editor.set(path, { Type: edit.eventType, Properties: edit.properties });
    this.touched.push(path);
    return { kind: 'add-event', path, logicalId: edit.functionId, eventName };
  }

  /** What the source needs before it can trigger: a table must stream its changes, a rule is not a bus. */
  private prepareEventSource(edit: Extract<TemplateEdit, { kind: 'add-event' }>, path: PathSegment[]): void {
    if (edit.eventType === 'DynamoDB') {
      const tableId = referencedId(edit.properties.Stream);
      const table = tableId ? getIn(this.template, ['Resources', tableId]) : undefined;
      if (tableId && isPlainObject(table) && table.Type === 'AWS::DynamoDB::Table' && getIn(table, ['Properties', 'StreamSpecification']) === undefined) {
        const streamPath = ['Resources', tableId, 'Properties', 'StreamSpecification'];
        this.editor.set(streamPath, { StreamViewType: 'NEW_AND_OLD_IMAGES' });
        this.touched.push(streamPath);
        this.warnings.push(`The stream of ${tableId} is turned on (StreamViewType NEW_AND_OLD_IMAGES) so that it can trigger ${edit.functionId}.`);
      }
    }
    if (edit.eventType === 'EventBridgeRule') {
      const busId = referencedId(edit.properties.EventBusName);
      if (busId && getIn(this.template, ['Resources', busId, 'Type']) === 'AWS::Events::Rule') {
        throw reject([...path, 'Properties', 'EventBusName'], `${busId} is an AWS::Events::Rule, not an event bus; an EventBridgeRule event creates its own rule.`, `Name the bus ${busId} listens to, or add ${edit.functionId} to the Targets of ${busId} in the template.`);
      }
    }
  }

  private setProperty(path: PathSegment[], value: unknown): EditResult {
    if (!Array.isArray(path) || path.length === 0 || typeof path[0] !== 'string') {
      throw reject([], 'set-property needs a path into the template, e.g. ["Resources", "Fn", "Properties", "MemorySize"].', 'Pass the path of the field being edited.');
    }
    if (value === undefined) throw reject(path, 'No value was given.', 'To delete the field, send a remove edit instead.');
    this.editor.set(path, value);
    this.touched.push(path);
    return { kind: 'set-property', path };
  }

  private remove(path: PathSegment[]): EditResult {
    if (!Array.isArray(path) || path.length === 0) throw reject([], 'remove needs a path into the template.', 'Pass the path of the entry to remove.');
    this.editor.remove(path);
    this.touched.push(path);
    if (path.length === 2 && path[0] === 'Resources' && typeof path[1] === 'string') {
      for (const at of findReferences(this.template, path[1])) {
        this.warnings.push(`${formatPath(at)} still refers to ${path[1]}, which is removed; CloudFormation will reject the template until that reference goes too.`);
      }
    }
    return { kind: 'remove', path };
  }

  private addAccess(edit: Extract<TemplateEdit, { kind: 'add-access' }>): EditResult {
    const functionPath = this.functionPath(edit.functionId);
    const propertiesPath = [...functionPath, 'Properties'];
    const targetPath: PathSegment[] = ['Resources', edit.targetId];
    const target = getIn(this.template, targetPath);
    if (!isPlainObject(target) || typeof target.Type !== 'string') throw reject(targetPath, `There is no resource ${edit.targetId} in the template.`, 'Link the function to a resource of this template.');
    if (getIn(this.template, [...propertiesPath, 'Role']) !== undefined) {
      throw reject([...propertiesPath, 'Role'], `${edit.functionId} uses its own Role, and SAM ignores Policies when Role is set.`, `Add the permission for ${edit.targetId} to that role, or remove Role so that SAM creates one from Policies.`);
    }
    const plan = planAccess({ logicalId: edit.targetId, type: target.Type, properties: isPlainObject(target.Properties) ? target.Properties : {} }, edit.access);
    if (!plan.ok) throw reject(functionPath, plan.message, plan.fix);

    const policiesPath = [...propertiesPath, 'Policies'];
    const current = getIn(this.template, policiesPath);
    const list = policiesAsList(current);
    if (!list) throw reject(policiesPath, 'Policies is an intrinsic function here, so LambdaDesk cannot add to it.', 'Add the policy in a text editor.');
    const missing = plan.grant.policies.filter((policy) => !list.some((existing) => plainEqual(existing, policy)));
    if (missing.length > 0) {
      if (Array.isArray(current)) for (const policy of missing) this.editor.append(policiesPath, policy);
      else this.editor.set(policiesPath, [...list, ...missing]);
    }

    const variablesPath = [...propertiesPath, 'Environment', 'Variables'];
    const variables = getIn(this.template, variablesPath);
    if (variables !== undefined && variables !== null && (!isPlainObject(variables) || isIntrinsic(variables))) {
      throw reject(variablesPath, 'Variables is not a mapping here (it may be an intrinsic function), so LambdaDesk cannot add to it.', 'Add the variable in a text editor.');
    }
    const existing = isPlainObject(variables) ? variables : {};
    const already = Object.entries(existing).find(([, value]) => plainEqual(value, plan.grant.variable.value));
    const variableName = already?.[0] ?? freeVariableName(plan.grant.variable.name, existing);
    if (!already) {
      this.editor.set([...variablesPath, variableName], plan.grant.variable.value);
      this.touched.push([...variablesPath, variableName]);
    }
    return { kind: 'add-access', path: functionPath, logicalId: edit.functionId, variableName };
  }
}

function reject(path: readonly PathSegment[], message: string, fix: string): TemplateEditError {
  return new TemplateEditError([fieldProblem(path, message, fix)]);
}

/** `GET /orders/{id}` → `GetOrdersId`; a queue `Orders` → `FromOrders`; else `SQSEvent`. */
export function eventNameFor(eventType: string, properties: Record<string, unknown>): string {
  if ((eventType === 'HttpApi' || eventType === 'Api') && (properties.Path !== undefined || properties.Method !== undefined)) {
    const method = typeof properties.Method === 'string' ? properties.Method : 'Any';
    const words = [method, ...(typeof properties.Path === 'string' ? properties.Path.split(/[^A-Za-z0-9]+/) : [])].filter(Boolean);
    const name = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()).join('');
    return properties.Path === '/' ? `${name}Root` : name;
  }
  if (eventType === 'HttpApi') return 'DefaultRoute';
  if (eventType === 'Schedule' || eventType === 'ScheduleV2') return 'Schedule';
  const source = referencedId(properties.Queue ?? properties.Bucket ?? properties.Topic ?? properties.Stream ?? properties.EventBusName);
  return source ? `From${source}` : `${eventType}Event`;
}

function uniqueName(base: string, existing: Record<string, unknown>): string {
  if (!Object.hasOwn(existing, base)) return base;
  for (let n = 2; ; n += 1) if (!Object.hasOwn(existing, `${base}${n}`)) return `${base}${n}`;
}

/** Every place a `Ref`, `Fn::GetAtt` or `Fn::Sub` names `logicalId`. */
export function findReferences(template: unknown, logicalId: string): PathSegment[][] {
  const found: PathSegment[][] = [];
  const visit = (value: unknown, path: PathSegment[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
      return;
    }
    if (!isPlainObject(value)) return;
    if (referencedId(value) === logicalId) {
      found.push(path);
      return;
    }
    const sub = value['Fn::Sub'];
    const subText = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
    if (subText && new RegExp(`\\$\\{${logicalId}(\\.[^}]*)?\\}`).test(subText)) found.push(path);
    for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
  };
  visit(getIn(template, ['Resources']), ['Resources']);
  visit(getIn(template, ['Outputs']), ['Outputs']);
  return found;
}

/** Deploy-time trouble an edit leaves behind that LambdaDesk itself does not mind. */
function deployWarnings(template: unknown, touched: ReadonlyArray<readonly PathSegment[]>): string[] {
  const warnings: string[] = [];
  const resources = getIn(template, ['Resources']);
  if (!isPlainObject(resources)) return warnings;
  for (const [id, resource] of Object.entries(resources)) {
    if (!isPlainObject(resource) || resource.Type !== 'AWS::Serverless::Function') continue;
    if (!touched.some((path) => path[0] === 'Resources' && (path[1] === id || path.length === 1))) continue;
    const events = getIn(resource, ['Properties', 'Events']);
    if (!isPlainObject(events)) continue;
    const timeout = numberOr(getIn(resource, ['Properties', 'Timeout']) ?? getIn(template, ['Globals', 'Function', 'Timeout']), 3);
    for (const event of Object.values(events)) {
      if (!isPlainObject(event) || !isPlainObject(event.Properties)) continue;
      if (event.Type === 'SQS') {
        const queueId = referencedId(event.Properties.Queue);
        const visibility = queueId ? numberOr(getIn(resources, [queueId, 'Properties', 'VisibilityTimeout']), 30) : undefined;
        if (queueId && visibility !== undefined && timeout !== undefined && visibility < timeout) {
          warnings.push(`${queueId} has a VisibilityTimeout of ${visibility} s, shorter than the ${timeout} s Timeout of ${id}: AWS refuses such an event source mapping. Set VisibilityTimeout of ${queueId} to at least ${timeout} (AWS advises ${timeout * 6}).`);
        }
      }
      if (event.Type === 'S3') {
        const bucketId = referencedId(event.Properties.Bucket);
        const elsewhere = bucketId ? findReferences({ Resources: { [id]: { ...resource, Properties: { ...(resource.Properties as object), Events: undefined } } } }, bucketId) : [];
        if (bucketId && elsewhere.length > 0) {
          warnings.push(`${id} is notified by ${bucketId} and also refers to it (${formatPath(elsewhere[0] as PathSegment[])}): CloudFormation reports a circular dependency on deploy. Give ${bucketId} a BucketName (e.g. !Sub '\${AWS::StackName}-${bucketId.toLowerCase()}-\${AWS::AccountId}') and refer to that name instead of !Ref.`);
        }
      }
    }
  }
  return warnings;
}

function numberOr(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}
