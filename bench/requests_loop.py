#!/usr/bin/env python3
"""The online baseline of bench/run: what a careful script would do with
`requests` (or, without it, the standard library's http.client on one kept-alive
connection): read the file with csv, check each row by the same rules as
tests/tools/gen_prospects.py --check, resolve Group Name through the program's
groups listing, and POST every valid row, one after another.

  requests_loop.py --api-base URL --program ID FILE   (IMPACT_ACCOUNT_SID, IMPACT_AUTH_TOKEN)
  -> {"rows": N, "valid": V, "invalid": I, "created": C, "failed": F}
"""
import argparse
import base64
import csv
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "tools"))
import gen_prospects as rules  # noqa: E402

FIELDS = ["PartnerName", "ContactEmail", "MediaPropertyUrl", "GroupId", "ContactFirstName",
          "ContactLastName", "Description", "PartnerId"]
REQUIRED = {"PartnerName", "ContactEmail", "MediaPropertyUrl"}


class Client:
    """requests.Session when it is installed, else one http.client connection."""

    def __init__(self, base, sid, token):
        self.base = base.rstrip("/")
        auth = base64.b64encode(f"{sid}:{token}".encode()).decode()
        self.headers = {"Authorization": "Basic " + auth, "Accept": "application/json"}
        try:
            import requests
            self.session = requests.Session()
            self.session.headers.update(self.headers)
        except ImportError:
            import http.client
            self.session = None
            u = urllib.parse.urlsplit(self.base)
            self.conn = http.client.HTTPConnection(u.hostname, u.port)

    def request(self, method, path, body=None):
        if self.session is not None:
            r = self.session.request(method, self.base + path, data=body, headers=(
                {"Content-Type": "application/x-www-form-urlencoded"} if body else None))
            return r.status_code, r.content
        headers = dict(self.headers)
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        return r.status, r.read()


def group_ids(client, program_path):
    ids, path = {}, program_path + "/MediaPartnerGroups?Page=1&PageSize=1000"
    while path:
        status, body = client.request("GET", path)
        if status != 200:
            raise SystemExit(f"groups listing: HTTP {status}")
        page = json.loads(body)
        for g in page["Groups"]:
            ids[g["Name"]] = g["Id"]
        path = page.get("@nextpageuri", "")
    return ids


def url_sent(value):
    scheme = rules.SCHEME.match(value)
    if scheme:
        return value[:scheme.end()].lower() + value[scheme.end():]
    return "https://" + value


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--api-base", required=True)
    p.add_argument("--program", required=True)
    p.add_argument("file")
    a = p.parse_args()
    sid = os.environ["IMPACT_ACCOUNT_SID"]
    client = Client(a.api_base, sid, os.environ["IMPACT_AUTH_TOKEN"])
    program_path = f"/Advertisers/{urllib.parse.quote(sid)}/Campaigns/{urllib.parse.quote(a.program)}"
    ids = group_ids(client, program_path)
    folded = {name.casefold(): gid for name, gid in ids.items()}
    groups = {name: name.casefold() for name in ids}
    seen = set()
    counts = dict(rows=0, valid=0, invalid=0, created=0, failed=0)
    with open(a.file, encoding="utf-8-sig", newline="") as f:
        records = csv.reader(f)
        next(records)
        for cells in records:
            if all(not c.strip(rules.SPACE) for c in cells):
                continue
            counts["rows"] += 1
            cells = (cells + [""] * 8)[:8]
            key = (rules.clean(cells[1]).casefold(), rules.clean(cells[3]).casefold())
            if rules.problems(cells, groups) or key in seen:
                counts["invalid"] += 1
                continue
            seen.add(key)
            counts["valid"] += 1
            values = [rules.clean(c) for c in cells]
            values[2] = url_sent(values[2])
            values[3] = ids.get(values[3]) or folded.get(values[3].casefold(), "") if values[3] else ""
            body = urllib.parse.urlencode(
                [(f, v) for f, v in zip(FIELDS, values) if v or f in REQUIRED] + [("DryRun", "false")])
            status, _ = client.request("POST", program_path + "/Prospects", body)
            counts["created" if 200 <= status < 300 else "failed"] += 1
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
