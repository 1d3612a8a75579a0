// The DuckDB baseline of bench/run: one SQL statement over read_csv (2
// threads) that counts a generated prospects file's valid and invalid rows by
// the rules tests/tools/gen_prospects.py --check implements (CLI.md, API.md):
// values trimmed and un-neutralised; Partner Name, Contact Email, Media
// Property, Group Name (against the groups file), Partner ID; a duplicate of an
// earlier valid row's case-folded (email, group).
//
//   node bench/duckdb_check.mjs FILE.csv GROUPS.txt   -> {"rows":N,"valid":V,"invalid":I}
//
// @duckdb/node-api must be resolvable (bench/run installs it into its own
// node_modules and sets NODE_PATH-free resolution by running from there).
import { readFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const [file, groupsFile] = process.argv.slice(2);
const groups = readFileSync(groupsFile, "utf8").split("\n").filter((g) => g.trim() !== "");
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const groupList = "[" + groups.map((g) => quote(g)).join(", ") + "]";
const foldedList = "[" + groups.map((g) => "lower(" + quote(g) + ")").join(", ") + "]";

// RE2 patterns, the same as the Python checker's.
const label = String.raw`[A-Za-z0-9\x{80}-\x{10FFFF}](?:[A-Za-z0-9\x{80}-\x{10FFFF}-]{0,61}[A-Za-z0-9\x{80}-\x{10FFFF}])?`;
const host = `${label}(?:\\.${label})+`;
const email = String.raw`[A-Za-z0-9.!#$%&'*+/=?^_` + "`" + String.raw`{|}~-]+@` + host;
// Python's \s in str patterns, spelt out for RE2 (whose \s is ASCII only).
const notSpace = String.raw`[^\t\n\x{0B}\f\r \x{1C}-\x{1F}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]`;
const url = `(https?://)(${host})(?::([0-9]{1,5}))?([/?#]${notSpace}*)?`;
const space = " \t\n\r\f\x0b\u00a0\u3000";

const clean = (c0) => {
  const c = `coalesce(${c0}, '')`;
  return `CASE WHEN regexp_matches(trim(${c}, ${quote(space)}), '^''+[=+\\-@\\t\\r]') ` +
  `THEN substr(trim(${c}, ${quote(space)}), 2) ELSE trim(${c}, ${quote(space)}) END`;
};

const sql = `
WITH cleaned AS (
  SELECT ${clean("name")} AS name, ${clean("email")} AS email, ${clean("url")} AS url,
         ${clean("grp")} AS grp, ${clean("pid")} AS pid,
         ${clean("first")} || ${clean("last")} || ${clean("description")} AS other
  FROM read_csv(${quote(file)}, header = true, delim = ',', quote = '"', escape = '"',
                columns = {'name': 'VARCHAR', 'email': 'VARCHAR', 'url': 'VARCHAR',
                           'grp': 'VARCHAR', 'first': 'VARCHAR', 'last': 'VARCHAR',
                           'description': 'VARCHAR', 'pid': 'VARCHAR'})
), schemed AS (
  SELECT *, CASE
      WHEN regexp_matches(url, '^[A-Za-z][A-Za-z0-9+.-]*:')
           AND NOT regexp_matches(url, '^[A-Za-z][A-Za-z0-9+.-]*:[0-9]+([/?#]|$)')
      THEN lower(regexp_extract(url, '^[^:]*:')) || substr(url, length(regexp_extract(url, '^[^:]*:')) + 1)
      ELSE 'https://' || url END AS full_url
  FROM cleaned
), checked AS (
  SELECT lower(email) AS email_key, lower(grp) AS group_key,
    (name = '' OR length(name) > 255 OR regexp_matches(name, '[\\x00-\\x1f\\x7f-\\x{9f}]')
     OR NOT regexp_full_match(email, ${quote(email)}) OR length(email) > 254
     OR NOT regexp_full_match(full_url, ${quote(url)}) OR length(full_url) > 2048
     OR regexp_full_match(regexp_extract(regexp_extract(full_url, ${quote(url)}, 2), '[^.]*$'), '[0-9]+')
     OR coalesce(NOT (TRY_CAST(regexp_extract(full_url, ${quote(url)}, 3) AS INTEGER) BETWEEN 1 AND 65535), false)
     OR (grp <> '' AND NOT list_contains(${groupList}, grp) AND NOT list_contains(${foldedList}, lower(grp)))
     OR (pid <> '' AND NOT regexp_full_match(pid, '[0-9]+'))) AS bad
  FROM schemed
  WHERE NOT (name = '' AND email = '' AND url = '' AND grp = '' AND pid = '' AND other = '')
), keys AS (
  SELECT count(*) AS n FROM checked WHERE NOT bad GROUP BY email_key, group_key
)
SELECT (SELECT count(*) FROM checked) AS rows,
       (SELECT count(*) FROM keys) AS valid
`;

const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
const connection = await instance.connect();
const reader = await connection.runAndReadAll(sql);
const [rows, valid] = reader.getRows()[0].map(Number);
console.log(JSON.stringify({ rows, valid, invalid: rows - valid }));
