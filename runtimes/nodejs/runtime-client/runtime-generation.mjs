/**
 * Which generation of AWS's Node.js runtime to behave like. Up to nodejs22.x AWS runs the
 * 3.x runtime client (callback handlers, `context.done`, uncaught errors reported as the
 * invoke's error); from nodejs24.x, and on multi-concurrency Managed Instances, the 4.x client
 * (async handlers only, uncaught errors end the process).
 */
export function runtimeGeneration(env = process.env) {
  const declared = /^AWS_Lambda_nodejs(\d+)/.exec(env.AWS_EXECUTION_ENV ?? '');
  const major = declared ? Number(declared[1]) : Number(process.versions.node.split('.')[0]);
  const managedInstances = env.AWS_LAMBDA_MAX_CONCURRENCY !== undefined;
  return { major, callbacks: major < 24 && !managedInstances, legacy: major < 24 && !managedInstances };
}

export const CALLBACK_ERROR_NODEJS22 =
  'ERROR: AWS Lambda does not support callback-based function handlers when using Node.js 22 with Managed Instances. To use Managed Instances, modify this function to use a supported handler signature. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';
export const CALLBACK_ERROR_NODEJS24_ABOVE =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';
export const CALLBACK_WARNING =
  'AWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24. You will need to update this function to use an async handler to use Node.js 24 or later. For more information and to provide feedback on this change, see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137. To disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.';
