#!/usr/bin/env python3
"""Bytes per pulled record, plain and gzip, on a running server (Docs/Performance.md,
"Profile (issue 16)"). Signs in as LOGIN with a new device and pulls everything from no cursor
twice: once plain, once with `Accept-Encoding: gzip`; prints bytes per record of each and the
ratio. Python stdlib only; loopback servers only.

    python3 Tools/rapport-load/page-bytes.py http://127.0.0.1:18081 staff01 staff01-w1-secret
"""
import gzip
import http.client
import json
import sys
import uuid
from urllib.parse import urlsplit


def main():
    url, login, password = sys.argv[1:4]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 500
    u = urlsplit(url)
    if u.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback servers only")
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=300)

    def post(path, body, token=None, gz=False):
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if token:
            headers["Authorization"] = "Bearer " + token
        if gz:
            headers["Accept-Encoding"] = "gzip"
        conn.request("POST", path, body=json.dumps(body), headers=headers)
        r = conn.getresponse()
        raw = r.read()
        if r.status != 200:
            sys.exit(f"{path}: HTTP {r.status} {raw[:300]!r}")
        return raw, r.getheader("Content-Encoding")

    results = {}
    for gz in (False, True):
        device = {"id": str(uuid.uuid4()).upper(), "name": "page-bytes", "platform": "cli"}
        raw, _ = post("/v1/auth/login", {"loginName": login, "password": password, "device": device})
        token = json.loads(raw)["tokens"]["accessToken"]
        cursor, wire, plain, records, pages = None, 0, 0, 0, 0
        while True:
            body = {"protocolVersion": 1, "limit": limit}
            if cursor:
                body["cursor"] = cursor
            raw, encoding = post("/v1/sync/pull", body, token, gz)
            wire += len(raw)
            text = gzip.decompress(raw) if encoding == "gzip" else raw
            plain += len(text)
            page = json.loads(text)
            records += len(page["changes"])
            pages += 1
            cursor = page["cursor"]
            if not page["hasMore"]:
                break
        results["gzip" if gz else "plain"] = (wire, plain, records, pages)
        print(f"{'gzip ' if gz else 'plain'}: {records} records in {pages} pages, {wire} bytes on the wire "
              f"({wire / max(records, 1):.0f} per record), {plain} bytes of JSON ({plain / max(records, 1):.0f} per record)")
    print(f"gzip ratio: {results['plain'][0] / max(results['gzip'][0], 1):.2f}")


if __name__ == "__main__":
    main()
