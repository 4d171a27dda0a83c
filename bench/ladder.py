#!/usr/bin/env python3
"""factbot's scale ladder: the same real corpus cut or repeated to several sizes.

usage: python3 bench/ladder.py --factbot target/release/factbot --corpus corpus.jsonl \
           --queries queries.txt [--sizes 10000,50000,200000,1000000] [--work /tmp/ladder]

A size below the corpus takes its first N passages; a size above repeats the corpus with
new ids (1M = the 200k real passages five times). Repetition keeps the word distribution
real; it makes every term 5x as frequent, which is the pessimistic case for search.
Runs `factbot bench --json` on each and prints one table. Not run in CI.
"""
import argparse, json, os, subprocess


def write_size(corpus, n, path):
    with open(corpus, encoding="utf-8") as f:
        lines = [l for l in f if l.strip()]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            rec = json.loads(lines[i % len(lines)])
            rec["id"] = i
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--factbot", default="target/release/factbot")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--sizes", default="10000,50000,200000,1000000")
    ap.add_argument("--work", default="/tmp/factbot-ladder")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        path = os.path.join(args.work, f"corpus-{n}.jsonl")
        if not os.path.exists(path):
            write_size(args.corpus, n, path)
        r = json.loads(subprocess.run([args.factbot, "bench", "--json", "--corpus", path, "--queries", args.queries],
                                      capture_output=True, text=True, check=True).stdout)
        rows.append(r)
        print(f"done {n}", flush=True)
    mb = lambda b: b / 1048576
    print(f"{'passages':>9} {'index s':>8} {'pass/s':>8} {'bare s':>7} {'size MiB':>9} {'build MiB':>10} "
          f"{'open ms':>8} {'serve MiB':>10} {'ask q/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'bare q/s':>9}")
    for r in rows:
        print(f"{r['passages']:9d} {r['index_seconds']:8.2f} {r['passages_per_second']:8.0f} {r['bare_index_seconds']:7.2f} "
              f"{mb(r['index_bytes']):9.0f} {mb(r['build_peak_rss_bytes']):10.0f} {r['open_ms']:8.0f} "
              f"{mb(r['serve_peak_rss_bytes']):10.0f} {r['answers_per_second']:8.0f} {r['latency_ms']['p50']:7.3f} "
              f"{r['latency_ms']['p99']:7.3f} {r['bare_search_per_second']:9.0f}")


if __name__ == "__main__":
    main()
