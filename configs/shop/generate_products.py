#!/usr/bin/python3
"""Writes products.csv, the shop's seed data: deterministic (a fixed seed), so every run and
every machine starts from the same catalogue. Run it again after changing the numbers below."""
import csv
import random
import sys

COUNT = 3000
CATEGORIES = ["books", "music", "games", "garden", "kitchen", "toys", "sports", "tools",
              "outdoor", "office", "beauty", "pets"]
ADJECTIVES = ["red", "small", "classic", "smart", "quiet", "rugged", "bright", "compact",
              "deluxe", "eco", "vintage", "nimble"]
NOUNS = ["lamp", "kettle", "notebook", "speaker", "backpack", "puzzle", "racket", "drill",
         "tent", "chair", "brush", "bowl"]


def main(out):
    rng = random.Random(13)
    rank = {c: 0 for c in CATEGORIES}
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "category", "rank", "name", "price:N", "stock:N", "description"])
    for i in range(COUNT):
        cat = CATEGORIES[i % len(CATEGORIES)]
        rank[cat] += 1
        name = f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS)} {i}"
        price = f"{rng.randint(199, 49999) / 100:.2f}"
        stock = rng.randint(0, 500)
        desc = f"A {name.lower()} from our {cat} range."
        w.writerow([f"p{i:05d}", cat, rank[cat], name, price, stock, desc])


if __name__ == "__main__":
    main(open(sys.argv[1], "w") if len(sys.argv) > 1 else sys.stdout)
