#!/usr/bin/env python3
"""Generates the encoding corpus (tests/data/encoding/{dev,heldout}/).

Standard library only; the output is committed, so the tests need no
generation step. Run it again after changing a word list:

    python3 tests/data/encoding/generate.py

Every text is written in every encoding that can hold it (cp1252, cp1250,
cp932, euc-jp, utf-8, utf-8 with BOM, utf-16 with BOM; the long files also as
UTF-16 LE and BE without BOM), as Excel writes them: CRLF line ends; ';' for
the European languages (half of them after Excel's "sep=;" line), ',' for
Japanese, tab for UTF-16 ("Unicode text"). manifest.tsv lists each file with
the text it must decode to (*.expected, UTF-8), its language, its encoding and
its count of non-ASCII letters. dev/ comes from words_dev.py, the lists the
scorer was tuned on; heldout/ from words_heldout.py, written apart (two
changes to the scorer followed its first run: see README.md); fresh/ from
words_fresh.py, written after the last change and never tuned on.
"""

import os
import random
import unicodedata

import words_dev
import words_fresh
import words_heldout

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["Partner Name", "Contact Email", "Media Property", "Contact First Name",
          "Contact Last Name", "Description"]
ENCODINGS = ["cp1252", "cp1250", "cp932", "euc_jp", "utf-8", "utf-8-sig", "utf-16"]
BOMLESS_UTF16 = ["utf-16-le", "utf-16-be"]
JA_SLUGS = ["tokyo-denki", "kansai-info", "nikkei-media", "hokkaido-kanko", "yamada-shoji",
            "osaka-seika", "nagoya-print", "kyushu-agri"]
JA_MAILBOXES = ["info", "contact", "press", "hello", "media", "pr"]
SPECIAL = {"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe"}


def ascii_slug(text):
    text = "".join(SPECIAL.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(p for p in out.split("-") if p)[:30] or "media"


def rows_for(lang, words, rng, count):
    rows = []
    for i in range(count):
        company = words["companies"][i % len(words["companies"])]
        first = rng.choice(words["first"])
        last = rng.choice(words["last"])
        if lang.startswith("ja"):
            domain = JA_SLUGS[i % len(JA_SLUGS)] + ".co.jp"
            mailbox = JA_MAILBOXES[i % len(JA_MAILBOXES)]
        else:
            domain = ascii_slug(company) + "." + {"pt": "com.br", "cs": "cz"}.get(lang, lang)
            mailbox = ascii_slug(first)
        rows.append([company, f"{mailbox}@{domain}", f"https://www.{domain}/", first, last,
                     words["descriptions"][i % len(words["descriptions"])]])
    return rows


def one_cell_rows(lang, words, rng):
    """25 ASCII rows and one cell with a single non-ASCII character."""
    rows = [[ascii_slug(r[0]).replace("-", " ").title()] + r[1:3] +
            [ascii_slug(r[3]).title(), ascii_slug(r[4]).title(), "Partner site " + str(i)]
            for i, r in enumerate(rows_for(lang, words, rng, 25))]
    if lang.startswith("ja"):
        cell = words["last"][0][0]
    else:
        cell = next(w for w in words["last"] + words["first"]
                    if sum(ord(c) > 127 for c in w) == 1)
    rows[rng.randrange(5, 25)][4] = cell
    return rows


def quote(field, delimiter):
    if any(c in field for c in (delimiter, '"', "\n", "\r")):
        return '"' + field.replace('"', '""') + '"'
    return field


def render(rows, delimiter, sep_line):
    lines = (["sep=" + delimiter] if sep_line else []) + [
        delimiter.join(quote(f, delimiter) for f in r) for r in [HEADER] + rows]
    return "\r\n".join(lines) + "\r\n"


def non_ascii_letters(text):
    return sum(1 for c in text if ord(c) > 127 and c.isalpha())


def write_set(name, wordlists, manifest):
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    for lang, words in sorted(wordlists.items()):
        rng = random.Random(f"{name}-{lang}")
        kinds = {"long": rows_for(lang, words, rng, 8), "short1": rows_for(lang, words, rng, 1),
                 "short2": rows_for(lang, words, rng, 2), "short3": rows_for(lang, words, rng, 3),
                 "onecell": one_cell_rows(lang, words, rng)}
        for n, (kind, rows) in enumerate(kinds.items()):
            european = not lang.startswith("ja")
            delimiter = ";" if european else ","
            texts = {"csv": render(rows, delimiter, european and n % 2 == 0),
                     "tsv": render(rows, "\t", False)}
            for form, text in texts.items():
                base = f"{lang}-{kind}-{form}"
                with open(os.path.join(folder, base + ".expected"), "w", encoding="utf-8",
                          newline="") as f:
                    f.write(text)
            encodings = ENCODINGS + (BOMLESS_UTF16 if kind == "long" else [])
            for enc in encodings:
                form = "tsv" if enc.startswith("utf-16") else "csv"
                try:
                    data = texts[form].encode(enc)
                except UnicodeEncodeError:
                    continue  # this encoding cannot hold the text
                file = f"{lang}-{kind}.{enc}.{form}"
                with open(os.path.join(folder, file), "wb") as f:
                    f.write(data)
                manifest.append("\t".join([f"{name}/{file}", f"{name}/{lang}-{kind}-{form}.expected",
                                           lang, enc, str(non_ascii_letters(texts[form]))]))


def main():
    manifest = []
    write_set("dev", words_dev.WORDS, manifest)
    write_set("heldout", words_heldout.WORDS, manifest)
    write_set("fresh", words_fresh.WORDS, manifest)
    with open(os.path.join(HERE, "manifest.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# file\texpected\tlanguage\tencoding\tnon_ascii_letters\n")
        f.write("\n".join(manifest) + "\n")
    print(f"{len(manifest)} files")


if __name__ == "__main__":
    main()
