#!/usr/bin/env python3
"""Extracts the name parts of the screening-quality populations from packaged data.

Sources (docs/OFAC.md, "Populations"):
  - Debian's python3-fake-factory 0.9.3 (Faker, MIT): en_US first names weighted by the SSA's
    counts (top 200 of each decade 1960s-1990s) and surnames weighted by the Census (top 1,000);
  - Maven Central's net.datafaker:datafaker 2.7.0 (Apache-2.0; its locale files come from Ruby
    Faker, MIT): the name lists of es-MX, vi, en-IN, en-NG, en-PK, ar, zh-CN, pt-BR, ru, ko, fa,
    he, en-PH.

Usage: make-populations.py <faker-dist-packages-dir> <datafaker-jar> <out-dir>
  apt-get download python3-fake-factory && dpkg -x python3-fake-factory_*.deb x
  mvn dependency:get -Dartifact=net.datafaker:datafaker:2.7.0 -Dtransitive=false
Writes one <population>.tsv per population: part<TAB>name<TAB>weight (weight 1 where the source
gives none).
"""
import ast
import os
import sys
import zipfile

import yaml


def faker_us(dist):
    # Read as literals, not imported: Faker's package imports modules Debian installs beside it.
    path = os.path.join(dist, "faker", "providers", "person", "en_US", "__init__.py")
    tree = ast.parse(open(path, encoding="utf-8").read())
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            name = node.targets[0].id if isinstance(node.targets[0], ast.Name) else None
            if name in ("first_names_female", "first_names_male", "last_names"):
                found[name] = list(ast.literal_eval(node.value.args[0]))
    return {
        "first_female": found["first_names_female"],
        "first_male": found["first_names_male"],
        "last": found["last_names"],
    }


def datafaker(jar, locale):
    with zipfile.ZipFile(jar) as z:
        d = yaml.safe_load(z.read(locale + ".yml"))
    return d[list(d)[0]]["faker"]["name"]


def flat(values):
    return [(v, 1) for v in values if isinstance(v, str) and "#{" not in v]


def main(dist, jar, out):
    pops = {"us": faker_us(dist)}
    mx = datafaker(jar, "es-MX")
    pops["hispanic"] = {"first": flat(mx["first_name"]), "last": flat(mx["last_name"])}
    vi = datafaker(jar, "vi")
    # datafaker's vi lists the family names as first_name and the middle and given names as
    # last_name; the middle names proper are the two most common, Văn and Thị.
    given = [v for v in vi["last_name"] if v not in ("Văn", "Thị")]
    pops["vietnamese"] = {
        "family": flat(vi["first_name"]),
        "middle": [("Văn", 1), ("Thị", 1)],
        "given": flat(given),
    }
    for pop, loc in (("indian", "en-IN"), ("nigerian", "en-NG"), ("pakistani", "en-PK")):
        d = datafaker(jar, loc)
        pops[pop] = {"first": flat(d["first_name"]), "last": flat(d["last_name"])}
    ar = datafaker(jar, "ar")
    pops["arabic_script"] = {
        "first_male": flat(ar["male_first_name"]),
        "first_female": flat(ar["female_first_name"]),
        "last": flat(ar["last_name"]),
    }
    zh = datafaker(jar, "zh-CN")
    pops["chinese_script"] = {"family": flat(zh["last_name"]), "given": flat(zh["first_name"])}
    other = {}
    for loc in ("pt-BR", "ru", "ko", "fa", "he", "en-PH"):
        d = datafaker(jar, loc)
        firsts = d.get("first_name", [])
        if any("#{" in f for f in firsts):
            firsts = d.get("male_first_name", []) + d.get("female_first_name", [])
        lasts = d.get("last_name", [])
        if any("#{" in f for f in lasts):
            lasts = d.get("male_last_name", []) + d.get("female_last_name", [])
        other["first_" + loc] = flat(firsts)
        other["last_" + loc] = flat(lasts)
    pops["other"] = other
    os.makedirs(out, exist_ok=True)
    for pop, parts in pops.items():
        with open(os.path.join(out, pop + ".tsv"), "w", encoding="utf-8") as f:
            for part, values in parts.items():
                for name, weight in values:
                    f.write(f"{part}\t{name.strip()}\t{weight}\n")
        print(pop, {k: len(v) for k, v in parts.items()})


if __name__ == "__main__":
    main(*sys.argv[1:4])
