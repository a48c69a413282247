'use strict';

// Comes from CommonLayer: Lambda puts /opt/nodejs/node_modules on NODE_PATH.
const { greet } = require('greeting');

/** Works for a direct invoke ({"name": "Ada"}) and for an HTTP API event (?name=Ada). */
function nameFrom(event) {
  return event?.name ?? event?.queryStringParameters?.name ?? 'world';
}

exports.handler = async (event, context) => {
  const name = nameFrom(event);
  console.log(`${process.env.LOG_PREFIX ?? 'node'}: greeting ${name}`);
  return {
    message: greet(process.env.GREETING ?? 'Hello', name),
    runtime: `nodejs ${process.version}`,
    functionName: context?.functionName,
  };
};
