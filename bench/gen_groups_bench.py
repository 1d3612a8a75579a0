#!/usr/bin/env python3
"""The inputs of bench/groups.sh, written to --out-dir:

groups.txt     the program's groups (--groups-file), 5,000 by default
unknown.csv    ROWS valid rows; 10 % of them name an unknown group, about
               1,000 distinct ones: mostly typos of real groups (one or two
               edits, so "did you mean" finds one), some unrelated names
baseline.csv   the same rows, each unknown group replaced by a known one of
               about the same length: "the same file with no unknown groups"

Rows are otherwise valid and distinct, so that the two files cost the same
apart from the group look-up. Deterministic for a given --seed.
"""
import argparse
import os
import random

SUBJECTS = ["Tech", "Travel", "Food", "Fashion", "Fitness", "Gaming", "Finance", "Parenting",
            "Beauty", "Outdoor", "Music", "Film", "Auto", "Home", "Garden", "Pet", "Crypto",
            "Education", "Health", "Sports"]
KINDS = ["Bloggers", "Reviewers", "Influencers", "Podcasters", "Publishers", "Coupon Sites",
         "Newsletters", "Streamers", "Affiliates", "Creators"]
REGIONS = ["US", "EMEA", "APAC", "LATAM", "Japan", "DACH", "Nordics", "UK", "France", "Canada"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def group_names(count, rng):
    names, seen = [], set()
    while len(names) < count:
        name = f"{rng.choice(SUBJECTS)} {rng.choice(KINDS)} {rng.choice(REGIONS)} {len(names) + 1}"
        if rng.random() < 0.3:
            name += " Tier " + rng.choice("ABC")
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def typo(name, rng):
    chars = list(name)
    for _ in range(rng.choice((1, 1, 2))):
        i = rng.randrange(len(chars))
        edit = rng.choice(("substitute", "delete", "insert", "swap"))
        if edit == "substitute":
            chars[i] = rng.choice(LETTERS)
        elif edit == "delete" and len(chars) > 3:
            del chars[i]
        elif edit == "insert":
            chars.insert(i, rng.choice(LETTERS))
        elif i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars).strip()


def unknown_names(count, groups, rng):
    known = {g.lower() for g in groups}
    names, seen = [], set()
    while len(names) < count:
        if rng.random() < 0.8:
            name = typo(rng.choice(groups), rng)
        else:
            name = "Partners " + "".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 20)))
        if name and name.lower() not in known and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--groups", type=int, default=5000)
    p.add_argument("--unknown-names", type=int, default=1000)
    p.add_argument("--unknown-rate", type=float, default=0.10)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out-dir", required=True)
    a = p.parse_args()
    rng = random.Random(a.seed)
    groups = group_names(a.groups, rng)
    unknown = unknown_names(a.unknown_names, groups, rng)
    by_length = {}
    for g in groups:
        by_length.setdefault(len(g), []).append(g)

    def known_like(name):  # a known group of about the same length
        for d in range(0, 100):
            for n in (len(name) - d, len(name) + d):
                if n in by_length:
                    return rng.choice(by_length[n])
        return rng.choice(groups)

    header = "Partner Name,Contact Email,Media Property,Group Name\n"
    with open(os.path.join(a.out_dir, "groups.txt"), "w", encoding="utf-8") as f:
        f.write("".join(g + "\n" for g in groups))
    with open(os.path.join(a.out_dir, "unknown.csv"), "w", encoding="utf-8") as u, \
            open(os.path.join(a.out_dir, "baseline.csv"), "w", encoding="utf-8") as b:
        u.write(header)
        b.write(header)
        for i in range(a.rows):
            row = f"Partner {i},p{i}@example.com,https://p{i}.example.com,"
            if rng.random() < a.unknown_rate:
                name = rng.choice(unknown)
                u.write(row + name + "\n")
                b.write(row + known_like(name) + "\n")
            else:
                name = rng.choice(groups)
                u.write(row + name + "\n")
                b.write(row + name + "\n")


if __name__ == "__main__":
    main()
