#!/usr/bin/env python3
"""Drive moto's request recorder, for tests/collect_moto.rs.

Usage: recorder.py ENDPOINT_URL start      reset the recording and start recording
       recorder.py ENDPOINT_URL actions    stop, and print the recorded requests as JSON:
                                           [{"method", "path", "action", "target"}]

`action` is the query-protocol Action (EC2, ElastiCache, STS send it in the form body or the
query string); `target` is the X-Amz-Target header of JSON-protocol requests. A request with
neither is printed with both null, so the caller can refuse what it cannot identify.
"""

import base64
import json
import sys
import urllib.parse
import urllib.request


def call(endpoint: str, what: str) -> bytes:
    req = urllib.request.Request(f"{endpoint}/moto-api/recorder/{what}", method="POST", data=b"")
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.read()


def main() -> None:
    endpoint, command = sys.argv[1].rstrip("/"), sys.argv[2]
    if command == "start":
        call(endpoint, "reset-recording")
        call(endpoint, "start-recording")
        return
    call(endpoint, "stop-recording")
    req = urllib.request.Request(f"{endpoint}/moto-api/recorder/download-recording", method="GET")
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode("utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        body = entry.get("body") or ""
        if entry.get("body_encoded"):
            body = base64.b64decode(body).decode("utf-8", "replace")
        url = urllib.parse.urlparse(entry.get("url", ""))
        params = urllib.parse.parse_qs(url.query)
        if isinstance(body, str):
            params.update(urllib.parse.parse_qs(body))
        headers = {k.lower(): v for k, v in (entry.get("headers") or {}).items()}
        action = (params.get("Action") or [None])[0]
        out.append(
            {"method": entry.get("method"), "path": url.path, "action": action, "target": headers.get("x-amz-target")}
        )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
