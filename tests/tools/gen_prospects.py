#!/usr/bin/env python3
"""Seeded generator of prospect import files, and an independent checker.

  gen_prospects.py --rows N [--seed S] [--invalid-rate R] [--encoding utf-8|shift_jis]
                   [--lf] [--bom] [--ja-header] [--groups-out FILE] [--expect-out FILE] > p.csv
  gen_prospects.py --check FILE --groups-file FILE [--encoding ...]
  gen_prospects.py --self-check

The file (standard output) has the template's header (--ja-header: the
Japanese one) and N rows in RFC 4180 quoting with CRLF record ends (--lf: LF).
The same arguments always give the same bytes. About R of the rows are
invalid, each for a reason chosen when the row is made (one reason, about one
row in ten two); every other row is valid. The rules are those of CLI.md and
API.md (values trimmed of white space, a neutralising quote undone; Partner
Name, Contact Email, Media Property, Group Name, Partner ID; a duplicate of an
earlier valid row's case-folded (email, group)).

--groups-out FILE  the program's groups, one a line, as `prospect-import groups`
                   prints them: program 1001 of the sandbox's default seed, so
                   that a generated file imports into the sandbox as it is.
--expect-out FILE  {"rows", "valid", "invalid", "by_reason"}, from how each row
                   was made; by_reason counts an invalid row under its first
                   reason in this order: partner_name, email, url, group,
                   partner_id, duplicate.
--encoding         shift_jis writes CP932 (what Excel writes and the tool reads
                   for shift_jis) and leaves out text CP932 cannot hold.
--check            counts the rows of a file by the rules, implemented here a
                   second time, independently of how rows are made (the
                   benchmark's baseline); --self-check compares the two.

Standard library only. The data is made so that any reading of the rules that
a careful implementation might choose gives the same counts: every row that
is not meant as a duplicate has a (email, group) key no earlier row has.
"""
import argparse
import csv
import io
import json
import os
import random
import re
import sys
import unicodedata

HEADER = ["Partner Name", "Contact Email", "Media Property", "Group Name",
          "Contact First Name", "Contact Last Name", "Description", "Partner ID"]
HEADER_JA = ["パートナー名", "連絡先メールアドレス", "メディアプロパティ", "グループ名",
             "連絡先の名", "連絡先の姓", "説明", "パートナーID"]
REASONS = ("partner_name", "email", "url", "group", "partner_id", "duplicate")
CODECS = {"utf-8": "utf-8", "shift_jis": "cp932"}

SEED_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "..", "..", "sandbox", "default-seed.json")
PROGRAM = "1001"

# --- the material rows are made of ---------------------------------------------
GIVEN = ["John", "Maria", "Emma", "Liam", "Olivia", "Noah", "Chloé", "José", "Zoë",
         "François", "Björn", "Søren", "Łukasz", "Inès", "Sarah", "David", "Anna"]
FAMILY = ["Smith", "Brown", "García", "Müller", "Dubois", "O'Brien", "Kowalski", "Rossi",
          "Nyström", "Novák", "Dvořák", "MacLeod", "Lefèvre", "Fischer", "Lopez"]
# (romaji, kanji)
GIVEN_JA = [("Hanako", "花子"), ("Yuki", "由紀"), ("Haruto", "陽翔"), ("Aoi", "葵"),
            ("Takumi", "拓海"), ("Sakura", "さくら"), ("Kenji", "健二"), ("Emi", "恵美")]
FAMILY_JA = [("Sato", "佐藤"), ("Suzuki", "鈴木"), ("Tanaka", "田中"), ("Ito", "伊藤"),
             ("Yamamoto", "山本"), ("Kobayashi", "小林"), ("Yamada", "山田"), ("Inoue", "井上")]
BRANDS = ["Acme", "Blue Harbor", "Bright Path", "Deal Hunter", "Globe Trek", "Green Leaf",
          "Kawaii", "Lumen", "North Star", "Pixel", "Riverside", "Sunrise", "Tech Pulse",
          "Urban Style", "Wanderlust", "Zenith", "Maple", "Orbit", "Coral", "Nova"]
KINDS = ["Media", "Blog", "News", "Deals", "Reviews", "Hub", "Daily", "Lab", "Studio"]
BRANDS_JA = ["さくら", "富士", "ひかり", "みらい", "青空", "はやぶさ", "こころ"]
ACCENTED = ["Café Crème Médias", "Müller Verlag", "Señor Ofertas", "Łódź Digital",
            "São Paulo Reviews", "Björk & Bär"]
TLDS = ["com", "com", "net", "org", "io", "co.jp", "jp", "de", "fr", "co.uk", "es"]
FREEMAIL = ["gmail.com", "yahoo.co.jp", "outlook.com", "gmx.de", "orange.fr", "proton.me"]
IDN = ["例え.jp", "メディア.jp", "日本語ドメイン.com", "münchen-medien.de", "café-blog.fr",
       "zürich-news.ch"]
ROLES = ["info", "contact", "partners", "hello", "press", "affiliates"]
PATHS = ["", "/", "/blog", "/reviews/", "/2024/05/best-deals", "/ja/特集",
         "/category/travel?ref=partner", "/shop/#top", "/fr/actualités",
         "/deals?utm_source=impact&utm_medium=affiliate", "/~user/home"]
SENTENCES = ["Lifestyle blog with 50k monthly visitors",
             "Coupon site, focus on electronics, fashion and travel",
             'Runs the "Deal of the Day" newsletter',
             "旅行とグルメのブログを運営しています",
             "月間10万PVのレビューサイト、主にガジェット",
             "Blog de cuisine française, recettes et critiques",
             "Reiseblog über Skandinavien – über 200 Artikel",
             "Cashback app (iOS, Android)"]
# Values a spreadsheet would run as formulas: valid, written back neutralised.
FORMULAS = ['=HYPERLINK("https://example.com","site")', "+81 3-1234-5678",
            "-20% on first order", "@partner_handle"]
# Names that are no group of the program (they differ in letters, not in case).
UNKNOWN_GROUPS = ["Bloggerz", "Influencer", "VIP", "Partners 2019", "Coupon Deals",
                  "ブロガーズ", "Groupe Médias", "Loyalty; Cashback"]
# White space the tool trims (CLI.md): ASCII, U+00A0, U+3000.
PADDING = [" ", "  ", "\t", "\u3000", "\u00a0"]


def read_groups(seed_file=SEED_FILE, program=PROGRAM):
    with open(seed_file, encoding="utf-8") as f:
        seed = json.load(f)
    for account in seed["Accounts"]:
        for p in account["Programs"]:
            if p["Id"] == program:
                return [g["Name"] for g in p["Groups"]]
    raise SystemExit(f"{seed_file}: no program {program}")


def ascii_slug(text):
    """Lower-case ASCII letters and digits of a name: 'O'Brien' -> 'obrien'."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain.lower() if c.isascii() and c.isalnum()) or "x"


def ascii_upper(text, rng):
    """The text with some ASCII letters upper-cased: the same value case-folded."""
    return "".join(c.upper() if c.isascii() and rng.random() < 0.5 else c for c in text)


class Maker:
    """Makes rows one at a time; remembers the keys rows have used."""

    def __init__(self, seed, invalid_rate, encoding, groups):
        self.rng = random.Random(seed)
        self.invalid_rate = invalid_rate
        codec = CODECS[encoding]

        def fits(s):
            try:
                return s.encode(codec).decode(codec) == s
            except UnicodeError:
                return False

        def keep(items):
            return [x for x in items if all(fits(part) for part in
                                            (x if isinstance(x, tuple) else (x,)))]

        self.fits = fits
        self.groups = keep(groups)
        self.unknown_groups = keep(UNKNOWN_GROUPS)
        self.given, self.family = keep(GIVEN), keep(FAMILY)
        self.given_ja, self.family_ja = GIVEN_JA, FAMILY_JA
        self.accented, self.idn = keep(ACCENTED), keep(IDN)
        self.paths, self.sentences = keep(PATHS), keep(SENTENCES)
        self.padding = keep(PADDING)
        domains = [f"{ascii_slug(b)}{sep}{ascii_slug(k)}.{t}"
                   for b in BRANDS for k in KINDS for sep in ("", "-") for t in TLDS[:4]]
        self.domains = sorted(set(domains))
        self.used = set()        # the case-folded (email, group) of every row so far
        self.valid_keys = []     # (email, group) as written, of rows made valid
        self.serial = 0

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def chance(self, p):
        return self.rng.random() < p

    # --- valid values ---
    def person(self):
        """(first, last, ASCII slug for an email address)."""
        if self.chance(0.35):
            (fr, fk), (lr, lk) = self.pick(self.given_ja), self.pick(self.family_ja)
            first, last = (fk, lk) if self.chance(0.6) else (fr, lr)
            return first, last, ascii_slug(fr) + "." + ascii_slug(lr)
        first, last = self.pick(self.given), self.pick(self.family)
        return first, last, ascii_slug(first) + self.pick([".", "_", ""]) + ascii_slug(last)

    def partner_name(self, first, last):
        r = self.rng.random()
        if r < 0.40:
            name = f"{self.pick(BRANDS)} {self.pick(KINDS)}"
        elif r < 0.48:
            name = f"{self.pick(self.family)}, {self.pick(self.family)} & Co."
        elif r < 0.52:
            name = f'The "{self.pick(KINDS)}" Group'
        elif r < 0.67:
            name = self.pick(["株式会社{}", "{}メディア", "合同会社{}ラボ"]).format(
                self.pick(BRANDS_JA))
        elif r < 0.72 and self.accented:
            name = self.pick(self.accented)
        else:
            name = f"{first} {last}" if first.isascii() else f"{last}{first}"
        if self.chance(0.02):
            name = self.pick(self.padding) + name + self.pick(self.padding)
        return name

    def email(self, slug, group):
        """An address whose key with `group` no earlier row has."""
        r = self.rng.random()
        local = (slug if r < 0.5 else f"{slug}+{self.pick(['news', 'promo', 'jp'])}"
                 if r < 0.65 else self.pick(ROLES) if r < 0.8 else f"{slug}{self.rng.randrange(100)}")
        r = self.rng.random()
        domain = (self.pick(FREEMAIL) if r < 0.35 else self.pick(self.idn) if r < 0.40
                  and self.idn else self.pick(self.domains))
        address = f"{local}@{domain}"
        while self.key(address, group) in self.used:
            self.serial += 1
            address = f"{local}.{self.serial}@{domain}"
        if self.chance(0.05):
            address = ascii_upper(address, self.rng)
        return address

    def url(self):
        host = self.pick(self.idn) if self.chance(0.04) and self.idn else self.pick(self.domains)
        if self.chance(0.5):
            host = "www." + host
        if self.chance(0.02):
            host += f":{self.pick([8080, 8443, 65535])}"
        scheme = self.pick(["https://"] * 8 + ["http://", "", "HTTPS://"])
        return scheme + host + self.pick(self.paths)

    def group(self):
        if self.chance(0.3):
            return ""
        # skewed: the first groups are the common ones
        name = self.groups[min(int(self.rng.expovariate(0.25)), len(self.groups) - 1)]
        if self.chance(0.02):
            name = ascii_upper(name, self.rng).lower() if name.isascii() else name
        return name

    def description(self):
        r = self.rng.random()
        if r < 0.4:
            return ""
        if r < 0.41:
            return self.pick(FORMULAS)
        if r < 0.42:
            return self.pick(self.sentences) + "\n" + self.pick(self.sentences)
        return self.pick(self.sentences)

    # --- invalid values: each is wrong under any reading of the rules ---
    def bad_partner_name(self):
        return self.pick(["", " ", self.pick(self.padding) * 2, "Acme\x07Media",
                          "N" * 256])

    def bad_email(self, good):
        local, _, domain = good.partition("@")
        return self.pick([local + domain, f"{local}@@{domain}", f"{local}@localhost",
                          f"{local} x@{domain}", good + ".", f"{local}@-{domain}",
                          f"{local}@my_site.com", "@" + domain, "",
                          f"{local}@{domain.replace('.', '..', 1)}",
                          f"{local}@{domain.replace('.', ',')}", f"mailto:{good}",
                          f"{local}@{'a' * 64}.com", f"{local}＠＠{domain}" if self.fits("＠")
                          else f"{local}#{domain}"])

    def bad_url(self):
        d = self.pick(self.domains)
        return self.pick([f"ftp://{d}", "https://intranet/home", f"https://my {d}", "",
                          f"htps://{d}/", "https://", "javascript:alert(1)",
                          f"https://{d}:99999/", f"https://{d}:0/", f"mailto:info@{d}",
                          f"https://user@{d}/", "http://192.168.1.10/", f"https://my_{d}/",
                          f"https://{d}./"])

    def bad_partner_id(self):
        return self.pick(["P-1234", "12 34", "１２３４", "ID556677", "12.5"])

    # --- rows ---
    @staticmethod
    def key(email, group):
        return email.casefold(), group.strip(" \t\u3000\u00a0").casefold()

    def reasons(self):
        if not self.chance(self.invalid_rate):
            return ()
        r = self.rng.random()
        first = ("partner_name" if r < 0.15 else "email" if r < 0.45 else "url" if r < 0.65
                 else "group" if r < 0.80 else "partner_id" if r < 0.88 else "duplicate")
        if first == "duplicate" and not self.valid_keys:
            first = "url"
        if not self.chance(0.1):
            return (first,)
        # A second reason; email and group faults would change a duplicate's key.
        others = [x for x in REASONS[:5] if x != first and
                  not (first == "duplicate" and x in ("email", "group"))]
        return (first, self.pick(others))

    def row(self):
        """One row's cells and its reasons (empty: valid)."""
        reasons = self.reasons()
        first, last, slug = self.person()
        if "duplicate" in reasons:
            email, group = self.pick(self.valid_keys)
            email = ascii_upper(email, self.rng)
            group = ascii_upper(group, self.rng).lower() if group.isascii() else group
        else:
            group = self.pick(self.unknown_groups) if "group" in reasons else self.group()
            if not reasons and self.valid_keys and self.chance(0.01):
                email = self.pick(self.valid_keys)[0]  # the same contact in another group
                group = self.pick(self.groups)
                if self.key(email, group) in self.used:
                    email = self.email(slug, group)
            else:
                email = self.email(slug, group)
            if "email" in reasons:
                email = self.bad_email(email)
        name = self.bad_partner_name() if "partner_name" in reasons else \
            self.partner_name(first, last)
        url = self.bad_url() if "url" in reasons else self.url()
        pid = self.bad_partner_id() if "partner_id" in reasons else \
            (str(self.rng.randrange(100000, 1000000)) if self.chance(0.2) else "")
        if self.chance(0.3):
            first, last = ("", "") if self.chance(0.5) else (first, "")
        cells = [name, email, url, group, first, last, self.description(), pid]
        if not reasons:
            self.valid_keys.append((email, group))
        self.used.add(self.key(email, group))
        return cells, reasons


def generate(out, rows, seed=1, invalid_rate=0.05, encoding="utf-8", lf=False, bom=False,
             ja_header=False, groups=None):
    """Writes the file to the text stream `out`; returns the expectation."""
    maker = Maker(seed, invalid_rate, encoding, groups or read_groups())
    writer = csv.writer(out, lineterminator="\n" if lf else "\r\n")
    if bom:
        out.write("\ufeff")
    writer.writerow(HEADER_JA if ja_header else HEADER)
    by_reason = dict.fromkeys(REASONS, 0)
    for _ in range(rows):
        cells, reasons = maker.row()
        writer.writerow(cells)
        if reasons:
            by_reason[min(reasons, key=REASONS.index)] += 1
    invalid = sum(by_reason.values())
    return {"rows": rows, "valid": rows - invalid, "invalid": invalid, "by_reason": by_reason}


# --- the checker: the rules again, from the contracts, not from the maker -------
SPACE = " \t\n\r\f\v\u00a0\u3000"
NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")
LABEL = r"[A-Za-z0-9\u0080-\U0010ffff](?:[A-Za-z0-9\u0080-\U0010ffff-]{0,61}" \
        r"[A-Za-z0-9\u0080-\U0010ffff])?"
HOST = LABEL + r"(?:\." + LABEL + r")+"
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@" + HOST)
URL = re.compile(r"(https?://)(" + HOST + r")(?::([0-9]{1,5}))?([/?#][^\s\u0085\u00a0\u3000]*)?")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


FULLWIDTH_TO_ASCII = {c: c - 0xFF01 + 0x21 for c in range(0xFF01, 0xFF5F)}


def clean(value):
    value = value.strip(SPACE)
    return value[1:] if NEUTRALISED.match(value) else value


SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?![0-9]+(?:[/?#]|$))")


def url_ok(value):
    scheme = SCHEME.match(value)
    if scheme:  # "name:" not followed by a port number: a scheme, lowered
        value = value[:scheme.end()].lower() + value[scheme.end():]
    else:  # a bare host
        value = "https://" + value
    m = URL.fullmatch(value)
    return (bool(m) and len(value) <= 2048 and not m.group(2).rsplit(".", 1)[-1].isdigit()
            and (m.group(3) is None or 1 <= int(m.group(3)) <= 65535))


def problems(cells, groups):
    """The reasons a row is invalid, in REASONS order, duplicates aside."""
    name, email, url, group, pid = (clean(cells[i]) for i in (0, 1, 2, 3, 7))
    # Full-width ASCII (a Japanese input method's) is read as ASCII in these two.
    email, url = (v.translate(FULLWIDTH_TO_ASCII) for v in (email, url))
    found = []
    if not name or len(name) > 255 or CONTROL.search(name):
        found.append("partner_name")
    if not EMAIL.fullmatch(email) or len(email) > 254:
        found.append("email")
    if not url_ok(url):
        found.append("url")
    if group and group not in groups and group.casefold() not in groups.values():
        found.append("group")
    if pid and not (pid.isascii() and pid.isdigit()):
        found.append("partner_id")
    return found


def check(records, group_names):
    """The counts of data records (the header excluded): {"rows", "valid", "invalid",
    "by_reason"}, each invalid row under its first reason."""
    groups = {g: g.casefold() for g in group_names}
    seen = set()
    rows = 0
    by_reason = dict.fromkeys(REASONS, 0)
    for cells in records:
        if all(not c.strip(SPACE) for c in cells):
            continue  # not a row
        rows += 1
        cells = (cells + [""] * 8)[:8]
        found = problems(cells, groups)
        key = (clean(cells[1]).casefold(), clean(cells[3]).casefold())
        if not found and key in seen:
            found = ["duplicate"]
        if found:
            by_reason[found[0]] += 1
        else:
            seen.add(key)
    invalid = sum(by_reason.values())
    return {"rows": rows, "valid": rows - invalid, "invalid": invalid, "by_reason": by_reason}


def check_file(path, groups_file, encoding="utf-8"):
    with open(groups_file, encoding="utf-8") as f:
        groups = [line.rstrip("\n") for line in f if line.strip()]
    codec = "utf-8-sig" if encoding == "utf-8" else CODECS[encoding]
    with open(path, encoding=codec, newline="") as f:
        records = csv.reader(f)
        next(records)
        return check(records, groups)


# --- self-check: the maker's expectation against the checker --------------------
def self_check():
    failures = 0

    def expect(name, ok):
        nonlocal failures
        failures += not ok
        print(("ok   " if ok else "FAIL ") + name)

    groups = read_groups()
    for encoding, rows, rate, options in (("utf-8", 20000, 0.2, {}),
                                          ("utf-8", 5000, 0.05, {"lf": True, "bom": True,
                                                                 "ja_header": True}),
                                          ("shift_jis", 20000, 0.2, {"ja_header": True}),
                                          ("utf-8", 3000, 0.0, {})):
        name = f"{encoding} {rows} rows, invalid rate {rate} {sorted(options)}"
        data, expected = make_bytes(rows, 7, rate, encoding, **options)
        text = data.decode("utf-8-sig" if encoding == "utf-8" else CODECS[encoding])
        records = list(csv.reader(io.StringIO(text, newline="")))
        expect(f"{name}: header and {rows} records of 8 cells",
               records[0] == (HEADER_JA if options.get("ja_header") else HEADER)
               and len(records) == rows + 1 and all(len(r) == 8 for r in records))
        got = check(records[1:], groups)
        expect(f"{name}: the checker counts {got['by_reason']}, the maker "
               f"{expected['by_reason']}", got == expected)
        expect(f"{name}: record ends", (b"\r" not in data) if options.get("lf")
               else data.count(b"\r\n") >= rows + 1)
        if rate > 0:
            expect(f"{name}: every reason occurs",
                   all(expected["by_reason"].values()))
        expect(f"{name}: same seed, same bytes; another seed, other bytes",
               make_bytes(rows, 7, rate, encoding, **options)[0] == data
               and make_bytes(rows, 8, rate, encoding, **options)[0] != data)
    print(f"{failures} failed")
    return 1 if failures else 0


def make_bytes(rows, seed, rate, encoding, **options):
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding=CODECS[encoding], newline="")
    expected = generate(text, rows, seed, rate, encoding, **options)
    text.flush()
    return buffer.getvalue(), expected


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, help="data rows to write")
    p.add_argument("--seed", type=int, default=1, help="the same seed, the same bytes (default 1)")
    p.add_argument("--invalid-rate", type=float, default=0.05,
                   help="fraction 0-1 of rows made invalid (default 0.05)")
    p.add_argument("--encoding", choices=sorted(CODECS), default="utf-8")
    p.add_argument("--lf", action="store_true", help="LF record ends instead of CRLF")
    p.add_argument("--bom", action="store_true", help="a UTF-8 byte order mark first")
    p.add_argument("--ja-header", action="store_true", help="the Japanese header row")
    p.add_argument("--groups-out", metavar="FILE", help="the program's groups, one a line")
    p.add_argument("--expect-out", metavar="FILE", help="the expected counts, as JSON")
    p.add_argument("--check", metavar="FILE", help="count FILE's rows by the rules")
    p.add_argument("--groups-file", metavar="FILE", help="the groups --check knows")
    p.add_argument("--self-check", action="store_true",
                   help="the generator's expectations against --check's counts")
    a = p.parse_args()
    if a.self_check:
        return self_check()
    if a.check:
        if not a.groups_file:
            p.error("--check needs --groups-file")
        print(json.dumps(check_file(a.check, a.groups_file, a.encoding), ensure_ascii=False))
        return 0
    if a.rows is None or a.rows < 0:
        p.error("--rows N (N >= 0) is required")
    if not 0 <= a.invalid_rate <= 1:
        p.error("--invalid-rate must be between 0 and 1")
    if a.bom and a.encoding != "utf-8":
        p.error("--bom is for utf-8 only")
    out = io.TextIOWrapper(sys.stdout.buffer, encoding=CODECS[a.encoding], newline="")
    expected = generate(out, a.rows, a.seed, a.invalid_rate, a.encoding, a.lf, a.bom,
                        a.ja_header)
    out.flush()
    if a.groups_out:
        with open(a.groups_out, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(g + "\n" for g in read_groups())
    if a.expect_out:
        with open(a.expect_out, "w", encoding="utf-8") as f:
            f.write(json.dumps(expected, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
