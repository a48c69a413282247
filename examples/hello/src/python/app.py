import os
import platform


def name_from(event):
    """Works for a direct invoke ({"name": "Grace"}) and for an HTTP API event (?name=Grace)."""
    if isinstance(event, dict):
        if event.get("name"):
            return str(event["name"])
        query = event.get("queryStringParameters") or {}
        if query.get("name"):
            return str(query["name"])
    return "world"


def handler(event, context):
    name = name_from(event)
    print(f"python: greeting {name}")
    return {
        "message": f"{os.environ.get('GREETING', 'Hello')}, {name}!",
        "runtime": f"python {platform.python_version()}",
        "functionName": getattr(context, "function_name", None),
    }
