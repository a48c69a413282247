"""Events in, results out: JSON as awslambdaric writes it (spaces after separators, Decimals as numbers)."""

import decimal
import json
import math
import os

from lambdadesk_errors import FaultException


class _Encoder(json.JSONEncoder):
    def __init__(self):
        # Python 3.12+ runtimes keep non-ASCII characters as they are; older ones escape them.
        execution_env = os.environ.get("AWS_EXECUTION_ENV", "")
        modern = execution_env.startswith("AWS_Lambda_python3.") and execution_env not in ("AWS_Lambda_python3.8", "AWS_Lambda_python3.9", "AWS_Lambda_python3.10", "AWS_Lambda_python3.11")
        super().__init__(ensure_ascii=not modern)

    def default(self, o):
        if isinstance(o, decimal.Decimal):
            if o.is_nan():
                return math.nan
            return int(o) if o == o.to_integral_value() and "E" not in str(o) and "." not in str(o) else float(o)
        return super().default(o)


def to_json(obj):
    return _Encoder().encode(obj)


def unmarshal_request(body, content_type):
    if content_type not in (None, "", "application/json"):
        return body
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(str(e)), None)


def marshal_response(response):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as e:
        raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(str(e)), None)
