"""HTTP to the Lambda Runtime API over one kept-alive connection (stdlib http.client only)."""

import http.client
from urllib.parse import quote

from lambdadesk_marshaller import to_json

_API = "/2018-06-01/runtime"
# The platform drops X-Ray causes past its header budget; so does AWS's client, at 1 MiB.
_MAX_XRAY_CAUSE_BYTES = 64 * 1024


class InvocationRequest(object):
    def __init__(self, **fields):
        self.__dict__.update(fields)


class LambdaRuntimeClientError(Exception):
    def __init__(self, endpoint, response_code, response_body):
        super().__init__(f"Request to Lambda Runtime '{endpoint}' endpoint failed. Reason: '{response_code}'. Response body: '{response_body}'")


class RuntimeApiClient(object):
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.host = host
        self.port = int(port)
        self.connection = None

    def _request(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port)
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The kept-alive connection was closed while idle: one fresh attempt.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise

    def wait_next_invocation(self):
        endpoint = f"{_API}/invocation/next"
        response, body = self._request("GET", endpoint)
        if response.status != 200:
            raise LambdaRuntimeClientError(endpoint, response.status, body)
        headers = response.headers
        deadline = headers.get("Lambda-Runtime-Deadline-Ms")
        return InvocationRequest(
            invoke_id=headers.get("Lambda-Runtime-Aws-Request-Id"),
            x_amzn_trace_id=headers.get("Lambda-Runtime-Trace-Id"),
            invoked_function_arn=headers.get("Lambda-Runtime-Invoked-Function-Arn"),
            deadline_time_in_ms=int(deadline) if deadline else 0,
            client_context=headers.get("Lambda-Runtime-Client-Context"),
            cognito_identity=headers.get("Lambda-Runtime-Cognito-Identity"),
            tenant_id=headers.get("Lambda-Runtime-Aws-Tenant-Id"),
            content_type=headers.get("Content-Type"),
            event_body=body,
        )

    def post_invocation_result(self, invoke_id, result_data, content_type="application/json"):
        self._request("POST", f"{_API}/invocation/{quote(invoke_id, safe='')}/response", body=result_data, headers={"Content-Type": content_type})

    def post_invocation_error(self, invoke_id, error, xray_fault):
        headers = {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error.get("errorType") or "Function.Unknown"}
        cause = to_json(xray_fault)
        if len(cause.encode()) < _MAX_XRAY_CAUSE_BYTES:
            headers["Lambda-Runtime-Function-XRay-Error-Cause"] = cause
        self._request("POST", f"{_API}/invocation/{quote(invoke_id, safe='')}/error", body=to_json(error).encode("utf-8"), headers=headers)

    def post_init_error(self, error):
        endpoint = f"{_API}/init/error"
        headers = {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error.get("errorType") or "Runtime.Unknown"}
        response, body = self._request("POST", endpoint, body=to_json(error).encode("utf-8"), headers=headers)
        if response.status != 202:
            raise LambdaRuntimeClientError(endpoint, response.status, body)
