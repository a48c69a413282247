"""Function logs on stdout: `print` as written, `logging` records as `[LEVEL]\\ttime\\trequestId\\tmessage`
or, with AWS_LAMBDA_LOG_FORMAT=JSON, one JSON object per record, as AWS's Python runtime writes them."""

import json
import logging
import sys
import time
import traceback
from datetime import datetime, timezone

_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
_RESERVED_FIELDS = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName",
    "processName", "process", "aws_request_id", "tenant_id", "_frame_type", "taskName",
}
_json_encode = json.JSONEncoder(ensure_ascii=False).encode

current_request_id = {"value": None}


def log_format_is_json(value):
    return bool(value) and value.upper() == "JSON"


def log_level_from_env(value):
    return {None: "", "TRACE": "DEBUG"}.get(value, value).upper()


class Unbuffered(object):
    """Every write reaches the log at once, as on AWS, even if the function then freezes or crashes."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        self.stream.write(msg)
        self.stream.flush()

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


class StandardLogSink(object):
    def log(self, msg):
        sys.stdout.write(msg)

    def log_error(self, text):
        sys.stdout.write(text + "\n")


class LambdaLoggerHandler(logging.Handler):
    def __init__(self, log_sink):
        super().__init__()
        self.log_sink = log_sink

    def emit(self, record):
        self.log_sink.log(self.format(record))


class LambdaLoggerFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current_request_id["value"] or ""
        return True


def _format_log_level(record):
    return min(50, max(0, record.levelno)) // 10 * 10


class JsonFormatter(logging.Formatter):
    def __init__(self):
        super().__init__(datefmt=_DATETIME_FORMAT)

    def formatTime(self, record, datefmt=None):
        return datetime.fromtimestamp(record.created, tz=timezone.utc).strftime(_DATETIME_FORMAT + ".%f")[:-3] + "Z"

    def format(self, record):
        record.levelno = _format_log_level(record)
        record.levelname = logging.getLevelName(record.levelno)
        exc_info = record.exc_info
        result = {
            "timestamp": self.formatTime(record, self.datefmt),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc_info[2]) if exc_info else None,
            "errorType": exc_info[0].__name__ if exc_info else None,
            "errorMessage": str(exc_info[1]) if exc_info else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": f"{record.pathname}:{record.funcName}:{record.lineno}" if exc_info else None,
        }
        if getattr(record, "tenant_id", None) is not None:
            result["tenantId"] = record.tenant_id
        result.update((k, v) for k, v in record.__dict__.items() if k not in _RESERVED_FIELDS and k not in result)
        return _json_encode({k: v for k, v in result.items() if v is not None}) + "\n"


def setup_logging(json_format, log_level, log_sink):
    logging.Formatter.converter = time.gmtime
    logger = logging.getLogger()
    handler = LambdaLoggerHandler(log_sink)
    if json_format:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", _DATETIME_FORMAT))
    if log_level in logging._nameToLevel:
        logger.setLevel(log_level)
    handler.addFilter(LambdaLoggerFilter())
    logger.addHandler(handler)


def log_error(error, log_sink, json_format):
    if json_format:
        record = {"timestamp": time.strftime(_DATETIME_FORMAT, time.gmtime()), "log_level": "ERROR", **error}
        log_sink.log_error(json.dumps(record))
    else:
        from lambdadesk_errors import error_log_lines

        log_sink.log_error(error_log_lines(error))
