"""LambdaDesk's Python runtime interface client: loads `_HANDLER` and serves invokes from
`AWS_LAMBDA_RUNTIME_API`, with the error bodies, init errors and logs of AWS's awslambdaric."""

import importlib
import json
import os
import sys

from lambdadesk_api_client import RuntimeApiClient
from lambdadesk_context import LambdaContext
from lambdadesk_errors import UNHANDLED_EXCEPTION_WARNING, FaultException, error_from_exception, make_error, make_xray_fault
from lambdadesk_logging import StandardLogSink, Unbuffered, current_request_id, log_error, log_format_is_json, log_level_from_env, setup_logging
from lambdadesk_marshaller import marshal_response, unmarshal_request


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, str(e)))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(FaultException.BUILT_IN_MODULE_CONFLICT, "Cannot use built-in module {} as a handler module".format(modname))
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR, "Unable to import module '{}': {}".format(modname, str(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(FaultException.USER_CODE_SYNTAX_ERROR, "Syntax error in module '{}': {}".format(modname, str(e)), trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(FaultException.HANDLER_NOT_FOUND, "Handler '{}' missing on module '{}'".format(fname, modname), None)


def _parse_json_header(value, name):
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR, "Unable to parse {} JSON: {}".format(name, str(e)), None)


def handle_event_request(client, request_handler, invoke, log_sink, json_logs):
    error = None
    try:
        context = LambdaContext(
            invoke.invoke_id,
            _parse_json_header(invoke.client_context, "Client Context") if invoke.client_context else None,
            _parse_json_header(invoke.cognito_identity, "Cognito Identity") if invoke.cognito_identity else None,
            invoke.deadline_time_in_ms,
            invoke.invoked_function_arn,
            invoke.tenant_id,
        )
        event = unmarshal_request(invoke.event_body, invoke.content_type)
        result, content_type = marshal_response(request_handler(event, context))
    except FaultException as e:
        xray_fault = make_xray_fault("LambdaValidationError", e.msg, os.getcwd(), [])
        error = make_error(e.msg, e.exception_type, e.trace, invoke.invoke_id)
    except Exception:
        error, xray_fault = error_from_exception(sys.exc_info(), invoke.invoke_id)
    if error is not None:
        log_sink.log(UNHANDLED_EXCEPTION_WARNING + "\n")
        log_error(error, log_sink, json_logs)
        client.post_invocation_error(invoke.invoke_id, error, xray_fault)
    else:
        client.post_invocation_result(invoke.invoke_id, result, content_type)


def _update_trace_id(trace_id):
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)


def run(handler, runtime_api):
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    json_logs = log_format_is_json(os.environ.get("AWS_LAMBDA_LOG_FORMAT"))
    log_sink = StandardLogSink()
    client = RuntimeApiClient(runtime_api)
    error = None
    try:
        setup_logging(json_logs, log_level_from_env(os.environ.get("AWS_LAMBDA_LOG_LEVEL")), log_sink)
        request_handler = get_handler(handler)
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace)
    except Exception:
        error, _ = error_from_exception(sys.exc_info())
    if error is not None:
        log_error(error, log_sink, json_logs)
        client.post_init_error(error)
        sys.exit(1)

    while True:
        invoke = client.wait_next_invocation()
        current_request_id["value"] = invoke.invoke_id
        _update_trace_id(invoke.x_amzn_trace_id)
        handle_event_request(client, request_handler, invoke, log_sink, json_logs)
