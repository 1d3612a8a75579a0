#!/usr/bin/python3
"""Writes the test workbooks of tests/data/xlsx/ (committed, so that no test
needs openpyxl; the workbook tests also read a fresh set when openpyxl is
installed, so that what openpyxl writes today is read too).

The workbooks come from a real writer, openpyxl (Debian's python3-openpyxl),
which stores text as inline strings. Excel stores it in a shared-string table,
with the furigana of Japanese text in phonetic runs (<rPh>) and formatted text
in rich runs (<r>): excel_style() rewrites a workbook that way. The hostile
ones (a zip bomb, a DOCTYPE with entities, a lying zip directory) and the zips
that are not workbooks (.ods, .numbers, .docx, a plain zip) are made with
zipfile.

    /usr/bin/python3 tests/tools/gen_workbooks.py OUT_DIR
"""
import html
import io
import os
import re
import sys
import zipfile
from xml.sax.saxutils import escape

import openpyxl

FIXED_TIME = (2024, 1, 2, 3, 4, 5)  # every zip entry's time: the same bytes each run

HEADER = ["Partner Name", "Contact Email", "Media Property", "Group Name",
          "Contact First Name", "Contact Last Name", "Description", "Partner ID"]
HEADER_JA = ["パートナー名", "連絡先メールアドレス", "メディアプロパティ", "グループ名",
             "連絡先の名", "連絡先の姓", "説明", "パートナーID"]

# (row number, {column number: value}): gaps in rows and in columns on purpose.
PROSPECTS = [
    (2, {1: "株式会社サンプル", 2: "info@sample.co.jp", 3: "https://sample.co.jp",
         4: "Bloggers", 5: "太郎", 6: "山田", 7: "日本語のブログ「旅と食」", 8: 12345}),
    (3, {1: "Acme Média", 2: "ops@acme.example", 3: "acme.example/blog",
         7: 3.14, 8: 987654321}),
    (4, {1: "Empty Cells Ltd", 2: "hello@empty.example", 3: "https://empty.example",
         6: "", 7: None}),
    # rows 5 and 6 are not there at all
    (7, {1: "Gap Row GmbH", 2: "kontakt@gap.example", 3: "https://gap.example",
         7: 0.1, 8: 42}),
    (8, {1: "Tiny Float SA", 2: "tiny@float.example", 3: "https://float.example",
         7: 1e-07, 8: 123456789012}),
    (9, {1: "  スペース  ", 2: "space@sample.co.jp", 3: "https://space.example",
         7: "改行\nあり"}),
]

ARCHIVE = [
    (2, {1: "Old Partner", 2: "old@archive.example", 3: "https://archive.example"}),
    (3, {1: "Older Partner", 2: "older@archive.example", 3: "https://older.example", 8: 7}),
]


def fill(ws, header, rows):
    for col, name in enumerate(header, start=1):
        ws.cell(row=1, column=col, value=name)
    for number, cells in rows:
        for col, value in cells.items():
            ws.cell(row=number, column=col, value=value)


def openpyxl_bytes(sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, header, rows in sheets:
        fill(wb.create_sheet(name), header, rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rezip(data, change):
    """The zip `data` with change(name, bytes) -> bytes or None (dropped) per entry;
    entries it returns under new names come from change.extra."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), body,
                             zipfile.ZIP_DEFLATED)
        for name, body in getattr(change, "extra", {}).items():
            dst.writestr(zipfile.ZipInfo(name, FIXED_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def excel_style(data):
    """Inline strings of the first sheet moved to a shared-string table, as
    Excel writes them: Japanese text with a phonetic run, "Acme Média" as two
    rich runs, a CR escaped as _x000D_, and Partner ID 12345 stored as 1.2345E+4."""
    strings = []

    def shared(match):
        attrs, text = match.group(1), html.unescape(match.group(2))
        strings.append(text)
        return '<c%s t="s"><v>%d</v></c>' % (attrs, len(strings) - 1)

    def si(text):
        if text == "Acme M\u00e9dia":
            return '<si><r><t>Acme </t></r><r><rPr><b/></rPr><t>M\u00e9dia</t></r></si>'
        if text == "株式会社サンプル":
            return ('<si><t>株式会社サンプル</t><rPh sb="0" eb="4"><t>カブシキガイシャ</t></rPh>'
                    '<phoneticPr fontId="1"/></si>')
        if text == "改行\nあり":
            return '<si><t>改行_x000D_\nあり</t></si>'
        return '<si><t xml:space="preserve">%s</t></si>' % escape(text)

    def change(name, body):
        if name == "xl/worksheets/sheet1.xml":
            text = body.decode("utf-8")
            text = re.sub(r'<c([^>]*?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', shared, text,
                          flags=re.S)
            text = text.replace('<c r="H2" t="n"><v>12345</v></c>',
                                '<c r="H2" t="n"><v>1.2345E+4</v></c>')
            return text.encode("utf-8")
        if name == "xl/_rels/workbook.xml.rels":
            return body.replace(b"</Relationships>",
                                b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/sharedStrings" '
                                b'Target="sharedStrings.xml"/></Relationships>')
        if name == "[Content_Types].xml":
            return body.replace(b"</Types>",
                                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                                b"</Types>")
        return body

    first = rezip(data, lambda name, body: body)  # strings collected below
    src = zipfile.ZipFile(io.BytesIO(first))
    change("xl/worksheets/sheet1.xml", src.read("xl/worksheets/sheet1.xml"))
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
           'uniqueCount="%d">%s</sst>' % (len(strings), len(strings), "".join(si(s) for s in strings)))
    strings.clear()
    change.extra = {"xl/sharedStrings.xml": sst.encode("utf-8")}
    return rezip(data, change)


def zip_of(entries, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, body in entries:
            z.writestr(zipfile.ZipInfo(name, FIXED_TIME), body, compression)
    return out.getvalue()


def with_sheet(data, sheet_xml=None, sst_xml=None):
    """A copy of an excel_style workbook with its first sheet or shared strings replaced."""
    def change(name, body):
        if name == "xl/worksheets/sheet1.xml" and sheet_xml is not None:
            return sheet_xml
        if name == "xl/sharedStrings.xml" and sst_xml is not None:
            return sst_xml
        return body
    return rezip(data, change)


def lying_sizes(data, entry):
    """The zip with `entry`'s uncompressed size said to be 100 bytes in both headers."""
    z = zipfile.ZipFile(io.BytesIO(data))
    info = z.getinfo(entry)
    blob = bytearray(data)
    size = info.file_size.to_bytes(4, "little")
    small = (100).to_bytes(4, "little")
    local = info.header_offset
    assert blob[local + 22:local + 26] == size
    blob[local + 22:local + 26] = small
    central = blob.rfind(b"PK\x01\x02" + blob[local + 4:local + 8])  # its central record
    at = central
    while True:
        name_len = int.from_bytes(blob[at + 28:at + 30], "little")
        if blob[at + 46:at + 46 + name_len] == entry.encode():
            break
        at = blob.index(b"PK\x01\x02", at + 4)
    assert blob[at + 24:at + 28] == size
    blob[at + 24:at + 28] = small
    return bytes(blob)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/xlsx"
    os.makedirs(out, exist_ok=True)
    files = {}
    plain = openpyxl_bytes([("Prospects", HEADER, PROSPECTS), ("Archive", HEADER, ARCHIVE)])
    files["prospects-openpyxl.xlsx"] = plain
    excel = excel_style(openpyxl_bytes([("見込み客", HEADER_JA, PROSPECTS)]))
    files["prospects-excel-ja.xlsx"] = excel

    sheet_head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                  'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    # 40 MiB of white space between two rows: about 40 KiB compressed.
    bomb = (sheet_head + '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + " " * (40 << 20) +
            "</sheetData></worksheet>").encode()
    files["bomb-ratio.xlsx"] = with_sheet(excel, sheet_xml=bomb)
    laughs = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<si><t>&c;</t></si></sst>').encode()
    files["doctype-entities.xlsx"] = with_sheet(excel, sst_xml=laughs)
    big_sheet = (sheet_head + '<row r="1"><c r="A1" t="inlineStr"><is><t>Partner Name</t></is></c>'
                 '</row>' + "".join('<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i)
                                    for i in range(2, 3000)) + "</sheetData></worksheet>").encode()
    files["lying-size.xlsx"] = lying_sizes(with_sheet(excel, sheet_xml=big_sheet),
                                           "xl/worksheets/sheet1.xml")
    files["spreadsheet.ods"] = zip_of([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
                                       ("content.xml", "<office:document-content/>")],
                                      zipfile.ZIP_STORED)
    files["spreadsheet.numbers"] = zip_of([("Index/Document.iwa", b"\x00\x01\x02"),
                                           ("Metadata/Properties.plist", b"bplist00")])
    files["letter.docx"] = zip_of([("[Content_Types].xml", "<Types/>"),
                                   ("word/document.xml", "<w:document/>")])
    files["archive.zip"] = zip_of([("prospects.csv", "Partner Name,Contact Email,Media Property\n")])
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
