"""Error bodies and error log lines in the format of AWS's Python runtime (awslambdaric)."""

import os
import traceback

ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_IDENT = "\u00a0"  # NO-BREAK SPACE: CloudWatch keeps it, so indentation survives
RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))

UNHANDLED_EXCEPTION_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. "
    "The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function change, or can be applied automatically. "
    "To determine if the runtime has been updated, check the runtime version in the INIT_START log entry. "
    "If this error correlates with a change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the previous runtime version. "
    "For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def user_frames(tb):
    """The traceback without the runtime's own frames at its top, as AWS shows it."""
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        if not os.path.abspath(frame[0]).startswith(RUNTIME_DIR + os.sep):
            return frames[i:]
    return frames


def error_from_exception(exc_info, invoke_id=None):
    etype, value, tb = exc_info
    frames = user_frames(tb)
    error = make_error(str(value), etype.__name__, traceback.format_list(frames), invoke_id)
    return error, make_xray_fault(etype.__name__, str(value), os.getcwd(), frames)


def make_xray_fault(ex_type, ex_msg, working_dir, frames):
    stack = [{"label": name, "path": filename, "line": lineno} for filename, lineno, name, _ in frames]
    return {
        "working_directory": working_dir,
        "exceptions": [{"message": ex_msg, "type": ex_type, "stack": stack}],
        "paths": list({filename for filename, _, _, _ in frames}),
    }


def _replace_line_indentation(line, indent_char, new_indent_char):
    count = len(line) - len(line.lstrip(indent_char))
    return new_indent_char * count + line[count:]


def error_log_lines(error):
    """`[ERROR] Type: message` and the traceback, one log record with `\\r` between lines."""
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    stack_trace = error.get("stackTrace")
    if stack_trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            if element == "":
                lines.append("")
            else:
                lines.extend(_replace_line_indentation(line, " ", ERROR_LOG_IDENT) for line in element.splitlines())
    return ERROR_LOG_LINE_TERMINATE.join(lines)
