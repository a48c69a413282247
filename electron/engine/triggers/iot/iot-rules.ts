import type { ProjectModel, SourceLocation } from '../../contract.ts';
import { TemplateError } from '../../errors.ts';
import { IotSqlError, parseIotSql, type IotRuleQuery } from './iot-sql.ts';
import { topicFilterProblem } from './topic-filter.ts';

/** One `IoTRule` event of a function: an AWS IoT topic rule with a Lambda action. */
export interface IotRule {
  /** `<FunctionLogicalId>.<EventName>`. */
  id: string;
  /** SAM names the rule after the function and the event: `<Function><Event>`. */
  ruleName: string;
  functionName: string;
  eventName: string;
  sql: string;
  query?: IotRuleQuery;
  location: SourceLocation;
  error?: TemplateError;
}

export function readIotRules(model: ProjectModel): IotRule[] {
  const rules: IotRule[] = [];
  for (const fn of model.functions) {
    for (const event of fn.events) {
      if (event.type !== 'IoTRule') continue;
      const sql = typeof event.properties.Sql === 'string' ? event.properties.Sql : '';
      const rule: IotRule = { id: `${fn.logicalId}.${event.name}`, ruleName: `${fn.logicalId}${event.name}`, functionName: fn.functionName, eventName: event.name, sql, location: event.location };
      const field = (name: string) => ({ ...event.location, field: `Resources.${fn.logicalId}.Properties.Events.${event.name}.Properties.${name}` });
      const version = event.properties.AwsIotSqlVersion;
      if (!sql) {
        rule.error = new TemplateError(field('Sql'), 'An IoTRule event needs Sql (a string).', "Add Sql: \"SELECT * FROM 'sensors/#'\".");
      } else if (version !== undefined && !['2015-10-08', '2016-03-23', 'beta'].includes(String(version))) {
        rule.error = new TemplateError(field('AwsIotSqlVersion'), `AwsIotSqlVersion must be 2015-10-08, 2016-03-23 or beta, not ${JSON.stringify(version)}.`, 'Use 2016-03-23, or leave it out.');
      } else {
        try {
          rule.query = parseIotSql(sql);
          const problem = topicFilterProblem(rule.query.topicFilter);
          if (problem) throw new IotSqlError(`FROM '${rule.query.topicFilter}': ${problem}`, sql.indexOf(rule.query.topicFilter));
        } catch (err) {
          if (!(err instanceof IotSqlError)) throw err;
          rule.query = undefined;
          rule.error = new TemplateError(field('Sql'), `${err.message} (at character ${err.at + 1} of the SQL)`, "Write it as SELECT <fields or *> FROM '<topic filter>' [WHERE <condition>], e.g. SELECT temp, topic(2) AS device FROM 'sensors/+/data' WHERE temp > 30.");
        }
      }
      rules.push(rule);
    }
  }
  return rules;
}
