#!/usr/bin/env python3
"""Compares ./cam4j-spark --format json rows with `cam4j explain --json --threads 1` outputs.

Usage: compare_with_cli.py SPARK_OUT_DIR CLI_OUT_DIR CLI_JSON CLI_STDERR
A check outside the test suite (README, "On a cluster"): every photo's predictions, class and
raw map must be equal bit for bit (float32), and each error row must carry the message that
`cam4j explain` printed after "cam4j: error: ".
"""
import glob, json, os, struct, sys

spark_dir, cli_dir, cli_json, cli_err = sys.argv[1:5]
rows = [json.loads(l) for f in sorted(glob.glob(os.path.join(spark_dir, "part-*.json")))
        for l in open(f)]
cli = {os.path.abspath(r["image"]["source"]): r for r in json.load(open(cli_json))["results"]}
errors = {}
for line in open(cli_err):
    if line.startswith("cam4j: error: "):
        message = line[len("cam4j: error: "):].rstrip("\n")
        errors[message.split(" ")[0]] = message

def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]

def npy(path):
    data = open(path, "rb").read()
    header_len = struct.unpack("<H", data[8:10])[0]
    body = data[10 + header_len:]
    return list(struct.unpack("<%df" % (len(body) // 4), body))

checked = 0
for row in rows:
    path = row["path"][len("file:"):]
    if row.get("error"):
        assert errors.get(path) == row["error"], (path, row["error"], errors.get(path))
        print("error row matches:", os.path.basename(path))
        checked += 1
        continue
    ref = cli[path]
    assert [p["index"] for p in ref["predictions"]] == [p["index"] for p in row["predictions"]]
    for a, b in zip(ref["predictions"], row["predictions"]):
        assert f32(a["probability"]) == f32(b["probability"]) and f32(a["logit"]) == f32(b["logit"]), (a, b)
        assert a["label"] == b["label"], (a, b)
    assert ref["target"]["index"] == row["target"]["index"]
    assert f32(ref["target"]["logit"]) == f32(row["target"]["logit"])
    raw = npy(os.path.join(cli_dir, ref["files"]["raw"]))
    assert [f32(v) for v in row["raw"]] == [f32(v) for v in raw], path
    print("row matches:", os.path.basename(path), row["target"]["label"])
    checked += 1
assert checked == len(rows) == len(cli) + len(errors), (checked, len(rows), len(cli), len(errors))
print("all", checked, "rows match cam4j explain")
