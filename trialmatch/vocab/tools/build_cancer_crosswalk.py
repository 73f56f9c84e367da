"""Build ``data/cancer_crosswalk.tsv``: the mCODE primary-cancer value set codes -> OncoTree.

Run by a maintainer, never at run time:

    python -m trialmatch.vocab.tools.build_cancer_crosswalk --valuesets flattened-valueset-codes.csv

Every SNOMED CT and ICD-10-CM code of the "Primary or Uncertain Behavior Cancer Disorder"
value set gets one row. Rows already in the table with method "curated" or
"fuzzy-reviewed", and unmapped rows whose note starts with "reviewed:", are kept as they are; the others are regenerated, in this order:

1. refusals: uncertain behavior, in situ (except breast DCIS/LCIS), direct extension,
   secondary/metastatic -> "unmapped";
2. exact-name: the display, normalised, equals an OncoTree node name or a main type whose
   shallowest node is unique;
3. site+histology rule: HISTOLOGY_RULES below (a histology pattern, optionally with a
   site) -> a specific node; else a single site with no excluded histology (lymphoid,
   myeloid, sarcoma, melanoma, germ cell, neuroendocrine, mesothelioma...) -> tissue node;
4. ICD-10-CM: the prefix rules of ``cancer_site_rules.yaml`` ("icd10-site-rule");
5. otherwise "unmapped" (the display stays in the table for review).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

from trialmatch.vocab.crosswalk import COLUMNS, TABLE, normalise_icd
from trialmatch.vocab.data_file import default_data_dir, read_tsv
from trialmatch.vocab.vocabulary import load_vocabulary

VALUESET = "Primary or Uncertain Behavior Cancer Disorder Value Set"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
KEEP = ("curated", "fuzzy-reviewed")

REFUSE = re.compile(
    r"uncertain behavio|in situ|by direct extension|secondary|metasta|benign|borderline|"
    r"low malignant potential|overlapping|multiple sites|neoplasm of unknown|unknown primary|hereditary|"
    r"syndrome|composite|retroperitoneum|^malignant (neoplasm|tumou?r) of liver",
    re.IGNORECASE,
)
BREAST_IN_SITU = [
    (re.compile(r"(intraductal|ductal) carcinoma in situ", re.I), "DCIS"),
    (re.compile(r"lobular carcinoma in situ", re.I), "LCIS"),
]

SITES: list[tuple[str, str]] = [
    (r"\bbreast|nipple|areola", "BREAST"),
    (r"\blung|bronch|\blobe of (left|right)? ?lung", "LUNG"),
    (r"\bcolon|c(a)?ecum|sigmoid|rectum|rectal|rectosigmoid|appendix|hepatic flexure|splenic flexure|small intestine|duodenum|jejunum|ileum|\banus\b|anal canal|large intestine", "BOWEL"),
    (r"stomach|gastric|pylor|esophag|oesophag|cardia of stomach|gastroesophageal", "STOMACH"),
    (r"pancrea", "PANCREAS"),
    (r"prostat", "PROSTATE"),
    (r"\bliver\b|\bhepatic\b(?! flexure| duct)", "LIVER"),
    (r"gallbladder|gall bladder|bile duct|gall duct|hepatic duct|biliary|cholangio", "BILIARY_TRACT"),
    (r"ampulla of vater", "AMPULLA_OF_VATER"),
    (r"renal pelvis|renal calyx|ureter|urinary bladder|\bbladder|urethra|urinary organ|urachus", "BLADDER"),
    (r"kidney|\brenal\b(?! pelvis| calyx)", "KIDNEY"),
    (r"ovary|ovarian|fallopian tube", "OVARY"),
    (r"cervix uteri|uterine cervix|\bcervix\b|endocervix|exocervix", "CERVIX"),
    (r"endometri|corpus uteri|\buterus\b|uterine(?! cervix)|myometrium", "UTERUS"),
    (r"vulva|vagina|clitoris|labium", "VULVA"),
    (r"testis|testicle|testes", "TESTIS"),
    (r"penis|prepuce|glans penis", "PENIS"),
    (r"(?<!para)thyroid(?! cartilage)", "THYROID"),
    (r"adrenal", "ADRENAL_GLAND"),
    (r"thymus|thymic", "THYMUS"),
    (r"\bbrain|cerebr|cerebell|brainstem|brain stem|spinal cord|meninges|central nervous system|frontal lobe|temporal lobe|parietal lobe|occipital lobe|pineal|pituitary|craniopharyn|choroid plexus", "BRAIN"),
    (r"\beye\b|retina|choroid(?! plexus)|ciliary body|conjunctiva|uvea|iris\b|orbit\b|lacrimal", "EYE"),
    (r"\bskin\b", "SKIN"),
    (r"\bbone\b|bones|vertebra|\brib\b|femur|humerus|tibia|fibula|pelvic bone|sacrum|scapula|clavicle|skull|mandible|articular cartilage", "BONE"),
    (r"pleura", "PLEURA"),
    (r"peritoneum|peritoneal", "PERITONEUM"),
    (r"\blip\b|tongue|mouth|gum\b|gingiva|palate|tonsil|(?<!cranio)pharyn|larynx|laryngeal|epiglott|glottis|salivary|parotid|submandibular|sublingual|nasal cavity|paranasal|maxillary sinus|ethmoid|frontal sinus|sphenoid sinus|buccal|oral cavity|vocal cord|thyroid cartilage|uvula|vallecula|middle ear|nasopharyn|oropharyn|hypopharyn", "HEAD_NECK"),
    (r"soft tissue|connective tissue", "SOFT_TISSUE"),
    (r"peripheral nerve|autonomic nervous", "PNS"),
]
SITES_RE = [(re.compile(pattern, re.IGNORECASE), node) for pattern, node in SITES]

# Histologies that sit outside the organ's OncoTree tissue or whose placement varies by
# organ: a display naming one of them never maps to a tissue node by site alone.
EXCLUDED_HISTOLOGY = re.compile(
    r"lymphoma|leuk|hodgkin|myelom|plasmacytoma|mast cell|histiocyt|lymphoid|myeloid|"
    r"sarcoma|gist|stromal|melanoma|mesothelioma|germ cell|germinoma|teratoma|seminoma|"
    r"yolk sac|choriocarcinoma|neuroendocrine|carcinoid|small cell|blastoma|kaposi|"
    r"glioma|astrocytoma|ependymoma|meningioma|schwannoma|nerve sheath|paraganglioma|"
    r"pheochromocytoma|chordoma|mixed|lymphoepithelioma|embryonal|rhabdoid|desmoplastic|"
    r"giant cell|neuroectodermal|basal cell|merkel|squamous cell carcinoma of skin|muscle",
    re.IGNORECASE,
)

# (histology pattern, site node or None, OncoTree code): the first matching rule wins.
# (histology pattern, site, OncoTree code[, extra pattern the display must also match]).
# site: a tissue node (the display's only site), None (any or no site), or "SKINLIKE" (no
# site, or only skin / head and neck / eye: a basal cell carcinoma of the prostate is not
# a skin cancer). The first matching rule wins.
HISTOLOGY_RULES: list[tuple] = [
    (r"non-small cell", "LUNG", "NSCLC"),
    (r"small cell carcinoma|oat cell", "LUNG", "SCLC"),
    (r"adenosquamous", "LUNG", "LUAS"),
    (r"large cell carcinoma(?! of)|large cell undifferentiated", "LUNG", "LCLC"),
    (r"\badenocarcinoma\b", "LUNG", "LUAD"),
    (r"squamous cell carcinoma", "LUNG", "LUSC"),
    (r"infiltrating duct|invasive duct|ductal carcinoma", "BREAST", "IDC"),
    (r"infiltrating lobular|invasive lobular|lobular carcinoma", "BREAST", "ILC"),
    (r"inflammatory", "BREAST", "IBC"),
    (r"(?<!acinar cell )\badenocarcinoma\b", "PANCREAS", "PAAD", r"^(?!.*acinar)"),
    (r"\badenocarcinoma\b", "PROSTATE", "PRAD"),
    (r"hepatocellular|liver cell carcinoma", "LIVER", "HCC"),
    (r"hepatoblastoma", "LIVER", "LIHB"),
    (r"urothelial|transitional cell", "BLADDER", "BLCA"),
    (r"urothelial|transitional cell", "KIDNEY", "UTUC"),
    (r"clear cell", "KIDNEY", "CCRCC"),
    (r"papillary", "KIDNEY", "PRCC"),
    (r"chromophobe", "KIDNEY", "CHRCC"),
    (r"renal cell|hypernephroma|renal adenocarcinoma", "KIDNEY", "RCC"),
    (r"nephroblastoma|wilms", "KIDNEY", "WT"),
    (r"papillary", "THYROID", "THPA"),
    (r"follicular", "THYROID", "THFO"),
    (r"medullary", "THYROID", "THME"),
    (r"anaplastic|undifferentiated", "THYROID", "THAP"),
    (r"high grade serous|high-grade serous", "OVARY", "HGSOC"),
    (r"serous", "OVARY", "SOC"),
    (r"clear cell", "OVARY", "CCOV"),
    (r"mucinous", "OVARY", "MOV"),
    (r"endometrioid", "UTERUS", "UEC"),
    (r"serous", "UTERUS", "USC"),
    (r"carcinosarcoma|malignant mixed m[uü]llerian", "UTERUS", "UCS"),
    (r"leiomyosarcoma", "UTERUS", "ULMS"),
    (r"squamous cell carcinoma", "CERVIX", "CESC"),
    (r"\badenocarcinoma\b", "CERVIX", "CEAD"),
    (r"adrenal cortical carcinoma|adrenocortical carcinoma", "ADRENAL_GLAND", "ACC"),
    (r"pheochromocytoma", "ADRENAL_GLAND", "PHC"),
    (r"nasopharyngeal carcinoma|(?<!adeno)carcinoma of nasopharynx", "HEAD_NECK", "NPC"),
    (r"squamous cell carcinoma", "HEAD_NECK", "HNSC"),
    (r"basal cell carcinoma", "SKINLIKE", "BCC"),
    (r"squamous cell carcinoma of skin|cutaneous squamous cell", "SKINLIKE", "CSCC"),
    (r"merkel cell", "SKINLIKE", "MCC"),
    (r"melanoma", "SKIN", "MEL"),
    (r"(uveal|choroid|ciliary body).*melanoma|melanoma of (uvea|choroid|ciliary body)", None, "UM"),
    (r"retinoblastoma", None, "RBL"),
    (r"osteosarcoma|osteogenic sarcoma", "BONE", "OS"),
    (r"ewing", "BONE", "ES"),
    (r"chondrosarcoma", "BONE", "CHS"),
    (r"chordoma", None, "CHDM"),
    (r"mesothelioma", "PLEURA", "PLMESO"),
    (r"mesothelioma", "PERITONEUM", "PEMESO"),
    (r"medulloblastoma", None, "MBL"),
    (r"seminoma", "TESTIS", "SEM"),
    (r"sarcoma", "SOFT_TISSUE", "SOFT_TISSUE"),
    (r"squamous cell carcinoma", "STOMACH", "ESCC", r"esophag|oesophag"),
    (r"\badenocarcinoma\b", "STOMACH", "EGC"),
    (r"squamous cell carcinoma", "BOWEL", "ANSC", r"\banus\b|\banal\b"),
    (r"\badenocarcinoma\b", "BOWEL", "APAD", r"appendix"),
    (r"\badenocarcinoma\b", "BOWEL", "COADREAD", r"^(?!.*(small intestine|duodenum|jejunum|ileum|\banus\b|anal canal|appendix)).*(colon|c(a)?ecum|sigmoid|rect|flexure|large intestine)"),
    # blood cancers, named without a site
    (r"acute myeloid leuk|acute myelogenous leuk|acute non-lymphocytic leuk", None, "AML"),
    (r"(?<!atypical )chronic myeloid leuk|(?<!atypical )chronic myelogenous leuk|chronic granulocytic leuk", None, "CML"),
    (r"b-cell chronic lymphocytic leuk|chronic lymphocytic leukemia of b-cell", None, "CLLSLL"),
    (r"b-cell acute lymphoblastic|precursor b-cell lymphoblastic|b-lymphoblastic", None, "BLL"),
    (r"t-cell acute lymphoblastic|precursor t-cell lymphoblastic|t-lymphoblastic", None, "TLL"),
    (r"multiple myeloma|plasma cell myeloma", None, "PCM"),
    (r"(?<!non-)(?<!non )hodgkin", None, "HL"),
    (r"follicular lymphoma|follicular non-hodgkin", None, "FL"),
    (r"diffuse large b-cell", None, "DLBCLNOS"),
    (r"mantle cell lymphoma", None, "MCL"),
    (r"burkitt", None, "BL"),
    (r"mycosis fungoides", None, "MYCF"),
    (r"s[eé]zary", None, "SS"),
    (r"hairy cell leuk", None, "HCL"),
    (r"polycythemia vera|polycythaemia vera", None, "PV"),
    (r"essential thrombocyth", None, "ET"),
    (r"myelodysplastic syndrome", None, "MDS"),
    (r"waldenstr", None, "WM"),
    (r"non-hodgkin", None, "NHL"),
]
RULES_RE = [
    (re.compile(rule[0], re.IGNORECASE), rule[1], rule[2], re.compile(rule[3], re.IGNORECASE) if len(rule) > 3 else None)
    for rule in HISTOLOGY_RULES
]
SKINLIKE = {"SKIN", "HEAD_NECK", "EYE"}
NOISE = re.compile(r"\((disorder|clinical|morphologic abnormality|finding)\)", re.IGNORECASE)


def normalise(text: str) -> str:
    text = NOISE.sub(" ", text).replace("'s ", " ")
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


# OncoTree names too generic for a SNOMED display of any site ("Malignant Tumor" and
# "Malignant Lymphoma" are CNS nodes under Miscellaneous Brain Tumor)
GENERIC_NAMES = {"MT", "MLYM", "BMGT"}


def name_index(vocab) -> dict[str, str]:
    seen: dict[str, set[str]] = defaultdict(set)
    for code, node in vocab.oncotree.nodes.items():
        if code != "TISSUE" and code not in GENERIC_NAMES:
            seen[normalise(node.name)].add(code)
    names = {name: next(iter(codes)) for name, codes in seen.items() if len(codes) == 1}
    by_main: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for code, node in vocab.oncotree.nodes.items():
        by_main[node.main_type].append((node.level, code))
    for main_type, nodes in by_main.items():
        nodes.sort()
        if main_type and (len(nodes) == 1 or nodes[0][0] < nodes[1][0]):
            names.setdefault(normalise(main_type), nodes[0][1])
    return names


def sites_in(display: str) -> set[str]:
    return {node for pattern, node in SITES_RE if pattern.search(display)}


def classify_snomed(display: str, names: dict[str, str]) -> tuple[str | None, str, str]:
    """(oncotree, method, note) for one SNOMED display."""
    if "in situ" in display.lower() and sites_in(display) == {"BREAST"}:
        for pattern, code in BREAST_IN_SITU:
            if pattern.search(display):
                return code, "site+histology rule", "breast in situ"
    if REFUSE.search(display):
        return None, "unmapped", "refused: not an invasive primary cancer of one site"
    norm = normalise(display)
    stripped = re.sub(r"^(primary )?(malignant (neoplasm|tumou?r) of |carcinoma of )", "", norm)
    for candidate in (norm, stripped):
        if candidate in names:
            return names[candidate], "exact-name", ""
    sites = sites_in(display)
    for pattern, site, code, extra in RULES_RE:
        site_ok = site is None or (sites <= SKINLIKE if site == "SKINLIKE" else sites == {site})
        if pattern.search(display) and site_ok and (extra is None or extra.search(display)):
            return code, "site+histology rule", f"histology /{pattern.pattern}/" + (f" + site {site}" if site else "")
    if len(sites) == 1 and not EXCLUDED_HISTOLOGY.search(display):
        site = next(iter(sites))
        return site, "site+histology rule", "site only, histology not stated or not specific: tissue level"
    note = "several sites" if len(sites) > 1 else ("histology placed outside the site tissue" if sites else "no site or histology rule")
    return None, "unmapped", note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--valuesets", type=Path, required=True)
    args = parser.parse_args(argv)
    vocab = load_vocabulary()
    names = name_index(vocab)
    kept = {
        (row["system"], row["code"]): row
        for row in read_tsv(default_data_dir(), TABLE, COLUMNS)
        if row["method"] in KEEP or row["note"].startswith("reviewed:")
    }
    codes: dict[tuple[str, str], str] = {}
    with args.valuesets.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["valueset_title"] != VALUESET or not row["display"].strip():
                continue
            if row["system"] == SNOMED:
                codes.setdefault(("snomed", row["code"]), row["display"].strip())
            elif row["system"] == ICD10CM:
                codes.setdefault(("icd10cm", normalise_icd(row["code"])), row["display"].strip())
    out = dict(kept)
    for (system, code), display in codes.items():
        if (system, code) in out:
            continue
        if system == "snomed":
            target, method, note = classify_snomed(display, names)
        else:
            rule = vocab.crosswalk.rule_for("icd10cm", code)
            target = rule.oncotree if rule else None
            method = "icd10-site-rule" if target else "unmapped"
            note = f"prefix {rule.prefix}" if rule else "no site rule"
        out[(system, code)] = {"system": system, "code": code, "oncotree": target or "", "method": method,
                               "display": display, "note": note}
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    writer.writerow(COLUMNS)
    for key in sorted(out, key=lambda k: (k[0] != "snomed", k[0], k[1])):
        row = out[key]
        writer.writerow([row[c].replace("\t", " ") for c in COLUMNS])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
